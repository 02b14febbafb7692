using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnForecastingCatalogTests
{
    private readonly MLContext _context = new(seed: 0);

    // Every call starts from a valid one with bounds (Forecast, Lower, Upper), so that each bound parameter can be made bad alone.
    [TestCase("catalog", null)]
    [TestCase("outputColumnName", null)]
    [TestCase("outputColumnName", "")]
    [TestCase("inputColumnName", null)]
    [TestCase("inputColumnName", "")]
    [TestCase("horizon", 0)]
    [TestCase("horizon", -3)]
    [TestCase("unitCount", 0)]
    [TestCase("leakRate", 0.0)]
    [TestCase("leakRate", 1.5)]
    [TestCase("leakRate", double.NaN)]
    [TestCase("spectralRadius", -1.0)]
    [TestCase("spectralRadius", double.NaN)]
    [TestCase("inputScaling", 0.0)]
    [TestCase("inputScaling", double.PositiveInfinity)]
    [TestCase("washoutSteps", -1)]
    [TestCase("l2Regularization", -1e-9)]
    [TestCase("l2Regularization", double.NaN)]
    [TestCase("l2Regularization", double.PositiveInfinity)]
    [TestCase("exogenousColumnNames", new[] { "" })]
    [TestCase("exogenousColumnNames", new[] { "Value" })]
    [TestCase("exogenousColumnNames", new[] { "A", "A" })]
    [TestCase("confidenceLowerBoundColumn", null)]
    [TestCase("confidenceLowerBoundColumn", "Forecast")]
    [TestCase("confidenceLowerBoundColumn", "Upper")]
    [TestCase("confidenceUpperBoundColumn", null)]
    [TestCase("confidenceUpperBoundColumn", "Forecast")]
    [TestCase("confidenceLevel", 0f)]
    [TestCase("confidenceLevel", 1f)]
    [TestCase("confidenceLevel", -0.5f)]
    [TestCase("confidenceLevel", float.NaN)]
    [TestCase("seasonalPeriod", 0)]
    [TestCase("seasonalPeriod", -12)]
    public void ForecastByEsn_BadValue_ParamNameIsTheParameter(string parameter, object? value)
    {
        var error = Call(new() { [parameter] = value });
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(parameter));
    }

    [TestCase("horizon", 1)]
    [TestCase("washoutSteps", 0)]
    [TestCase("l2Regularization", 0.0)]
    [TestCase("l2Regularization", null)]
    [TestCase("exogenousColumnNames", new[] { "Driver" })]
    [TestCase("confidenceLevel", 0.999f)]
    [TestCase("seasonalPeriod", 1)]
    public void ForecastByEsn_ValueAtTheBoundary_IsAccepted(string parameter, object? value) =>
        Assert.That(Call(new() { [parameter] = value }), Is.Null);

    [Test]
    public void ForecastByEsn_BadValueTable_CoversEveryParameterThatHasABadValue()
    {
        var covered = CatalogCoverage.Parameters<EsnForecastingCatalogTests>(nameof(ForecastByEsn_BadValue_ParamNameIsTheParameter));
        var parameters = ApiCalls.SimpleOverload(typeof(EsnForecastingCatalog), nameof(EsnForecastingCatalog.ForecastByEsn))
            .GetParameters().Select(p => p.Name!).Except(["seed"]);
        Assert.That(covered, Is.EquivalentTo(parameters));
    }

    [TestCase("SeasonalPeriod", 0)]
    [TestCase("MissingValues", 7)]
    [TestCase("OutputColumnName", null)]
    [TestCase("InputColumnName", "")]
    [TestCase("Horizon", 0)]
    [TestCase("UnitCount", 0)]
    [TestCase("LeakRate", 0.0)]
    [TestCase("WashoutSteps", -1)]
    [TestCase("L2Regularization", -1.0)]
    [TestCase("ExogenousColumnNames", new[] { "Value" })]
    [TestCase("ConfidenceLowerBoundColumn", "Forecast")]
    [TestCase("ConfidenceUpperBoundColumn", null)]
    [TestCase("ConfidenceLevel", 1f)]
    [TestCase("HeldOutFraction", 0.0)]
    [TestCase("HeldOutFraction", 1.0)]
    [TestCase("HeldOutLength", 2)]
    [TestCase("Method", 99)]
    public void Options_BadValue_ParamNameIsTheField(string field, object? value)
    {
        var fields = new Dictionary<string, object?>
        {
            ["OutputColumnName"] = "Forecast",
            ["InputColumnName"] = "Value",
            ["Horizon"] = 3,
            ["ConfidenceLowerBoundColumn"] = "Lower",
            ["ConfidenceUpperBoundColumn"] = "Upper",
            [field] = value,
        };
        var error = ApiCalls.WithOptions<EsnForecastingEstimator.Options>(o => _context.Forecasting.ForecastByEsn(o), fields);
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(field));
    }

    [Test]
    public void ForecastByEsn_ColumnsAndHorizonOnly_IsTheAutomaticForecaster()
    {
        Assert.That(_context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 3).IsAutomatic, Is.True);
        Assert.That(_context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 3, unitCount: 50, seed: 7, washoutSteps: 10).IsAutomatic, Is.True);
        Assert.That(_context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 3, leakRate: 0.3).IsAutomatic, Is.False);
        Assert.That(_context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 3, l2Regularization: 1e-6).IsAutomatic, Is.False);
        Assert.That(_context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 3, exogenousColumnNames: ["Driver"]).IsAutomatic, Is.False);
    }

    [Test]
    public void ForecastByEsn_SeasonalPeriodWithOneFixedReservoir_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _context.Forecasting.ForecastByEsn("Forecast", "Value", horizon: 3, leakRate: 0.5, seasonalPeriod: 12));

        Assert.That(error!.ParamName, Is.EqualTo("seasonalPeriod"));
        Assert.That(error.Message, Does.Contain("leakRate").And.Contain("automatic forecaster"));
    }

    [TestCase("HeldOutFraction", 0.3)]
    [TestCase("HeldOutLength", 10)]
    public void Options_HeldOutTailWithTheAutomaticForecaster_ThrowsNamingTheField(string field, object value)
    {
        var fields = new Dictionary<string, object?> { ["OutputColumnName"] = "Forecast", ["InputColumnName"] = "Value", ["Horizon"] = 3, [field] = value };

        var error = ApiCalls.WithOptions<EsnForecastingEstimator.Options>(o => _context.Forecasting.ForecastByEsn(o), fields);

        Assert.That(error, Is.TypeOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain("one fixed reservoir only"));
    }

    [Test]
    public void Options_MissingValuesWithOneFixedReservoir_ThrowsNamingTheField()
    {
        var fields = new Dictionary<string, object?>
        {
            ["OutputColumnName"] = "Forecast", ["InputColumnName"] = "Value", ["Horizon"] = 3, ["SpectralRadius"] = 0.8,
            ["MissingValues"] = Reservoir.Pipelines.MissingValuePolicy.Error,
        };

        var error = ApiCalls.WithOptions<EsnForecastingEstimator.Options>(o => _context.Forecasting.ForecastByEsn(o), fields);

        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo("MissingValues"));
        Assert.That(error.Message, Does.Contain("SpectralRadius"));
    }

    [Test]
    public void ForecastByEsn_Defaults_AreTheNamedDefaults()
    {
        CatalogCoverage.AssertDefaultsAreNamed(typeof(EsnForecastingCatalog), nameof(EsnForecastingCatalog.ForecastByEsn));
        CatalogCoverage.AssertOptionsDefaultsAreNamed<EsnForecastingEstimator.Options>();
    }

    private Exception? Call(Dictionary<string, object?> arguments)
    {
        arguments.TryAdd("outputColumnName", "Forecast");
        arguments.TryAdd("inputColumnName", "Value");
        arguments.TryAdd("horizon", 3);
        arguments.TryAdd("confidenceLowerBoundColumn", "Lower");
        arguments.TryAdd("confidenceUpperBoundColumn", "Upper");
        return ApiCalls.Call(typeof(EsnForecastingCatalog), nameof(EsnForecastingCatalog.ForecastByEsn),
            arguments.ContainsKey("catalog") ? null : _context.Forecasting, arguments);
    }
}
