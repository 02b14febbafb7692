using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnReservoirSettingsTests
{
    private static readonly ReservoirOptions Custom = new() { UnitCount = 12, Seed = 8, LeakRates = LeakRateDistribution.Uniform(0.2, 0.8) };

    private readonly MLContext _context = new(seed: 0);

    [TestCase("UnitCount", 12)]
    [TestCase("Seed", 8)]
    [TestCase("LeakRate", 0.5)]
    [TestCase("SpectralRadius", 0.9)]
    [TestCase("InputScaling", 1.0)]
    [TestCase("InputConnectivity", 0.1)]
    [TestCase("RecurrentConnectivity", 0.1)]
    [TestCase("BiasScaling", 1.0)]
    [TestCase("Activation", Activation.Tanh)]
    public void Reservoir_WithASimpleFieldSet_ThrowsNamingBoth(string field, object value)
    {
        // Even a value equal to the default, or to the record's own, is refused: which one wins would be a guess.
        var fields = new Dictionary<string, object?> { ["OutputColumnName"] = "States", ["Reservoir"] = Custom, [field] = value };
        var error = ApiCalls.WithOptions<EsnReservoirEstimator.Options>(o => _context.Transforms.EchoStateReservoir(o), fields);

        Assert.That(error, Is.TypeOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(field));
        Assert.That(error.Message, Does.Contain($"Both {field} and Reservoir are set"));
    }

    [Test]
    public void Reservoir_WithASimpleFieldSet_ThrowsInEveryComponent()
    {
        var features = Assert.Throws<ArgumentException>(() => _context.Transforms.EchoStateSequenceFeatures(new EsnSequenceFeaturesEstimator.Options
        {
            OutputColumnName = "Features",
            LeakRate = 0.3,
            Reservoir = Custom,
        }));
        var forecaster = Assert.Throws<ArgumentException>(() => _context.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = "Forecast",
            InputColumnName = "Value",
            UnitCount = 30,
            Reservoir = Custom,
        }));

        Assert.That(features!.ParamName, Is.EqualTo("LeakRate"));
        Assert.That(forecaster!.ParamName, Is.EqualTo("UnitCount"));
    }

    [Test]
    public void Reservoir_Alone_BuildsExactlyThatReservoir()
    {
        var transformer = _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            Reservoir = Custom,
        }).Fit(TestData.Sine(_context, 5));

        Assert.That(transformer.Reservoir.Options, Is.EqualTo(Custom with { InputDimension = 1 }));
    }

    [Test]
    public void SimpleFields_Alone_BuildTheirReservoir()
    {
        var transformer = _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            UnitCount = 12,
            Seed = 8,
            LeakRate = 0.4,
            Activation = Activation.Identity,
        }).Fit(TestData.Sine(_context, 5));
        var options = transformer.Reservoir.Options!;

        Assert.That((options.UnitCount, options.Seed, options.Activation), Is.EqualTo((12, 8, Activation.Identity)));
        Assert.That(options.LeakRates, Is.EqualTo(LeakRateDistribution.Constant(0.4)));
        Assert.That(options.SpectralRadius, Is.EqualTo(MLNetDefaults.SpectralRadius));
    }

    [Test]
    public void Reservoir_InvalidRecord_ThrowsNamingTheFieldAndTheProperty()
    {
        var error = Assert.Throws<ArgumentException>(() => _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            Reservoir = Custom with { SpectralRadius = -1 },
        }));

        Assert.That(error!.ParamName, Is.EqualTo("Reservoir"));
        Assert.That(error.Message, Does.StartWith("Reservoir.SpectralRadius must be finite and > 0; was -1."));
        Assert.That(error.InnerException, Is.TypeOf<ArgumentOutOfRangeException>());
    }
}
