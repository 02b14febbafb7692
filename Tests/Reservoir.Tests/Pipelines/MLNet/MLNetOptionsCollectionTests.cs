using System.Collections.Immutable;
using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>The collection fields of the ML.NET-style options: a default (uninitialised) array is refused by name.</summary>
[TestFixture]
public sealed class MLNetOptionsCollectionTests
{
    private readonly MLContext _context = new(seed: 0);

    [Test]
    public void RidgeTrainer_DefaultL2Grid_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => _context.Regression.Trainers.Ridge(new RidgeRegressionTrainer.Options
        {
            L2Grid = default(ImmutableArray<double>),
        }));

        Assert.That(error!.ParamName, Is.EqualTo("L2Grid"));
    }

    [Test]
    public void Forecaster_DefaultExogenousColumnNames_ThrowsNamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            ExogenousColumnNames = default(ImmutableArray<string>),
        }));

        Assert.That(error!.ParamName, Is.EqualTo("ExogenousColumnNames"));
    }
}
