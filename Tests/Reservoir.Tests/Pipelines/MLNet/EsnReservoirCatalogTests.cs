using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnReservoirCatalogTests
{
    private readonly MLContext _context = new(seed: 0);

    [TestCase("catalog", null)]
    [TestCase("outputColumnName", null)]
    [TestCase("outputColumnName", "")]
    [TestCase("unitCount", 0)]
    [TestCase("unitCount", -1)]
    [TestCase("leakRate", 0.0)]
    [TestCase("leakRate", -0.5)]
    [TestCase("leakRate", 1.0000001)]
    [TestCase("leakRate", double.NaN)]
    [TestCase("leakRate", double.PositiveInfinity)]
    [TestCase("spectralRadius", 0.0)]
    [TestCase("spectralRadius", -1.0)]
    [TestCase("spectralRadius", double.NaN)]
    [TestCase("spectralRadius", double.PositiveInfinity)]
    [TestCase("inputScaling", 0.0)]
    [TestCase("inputScaling", -1.0)]
    [TestCase("inputScaling", double.NaN)]
    [TestCase("inputScaling", double.PositiveInfinity)]
    public void EchoStateReservoir_BadValue_ParamNameIsTheParameter(string parameter, object? value)
    {
        var error = Call(new() { [parameter] = value });
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(parameter));
    }

    [TestCase("unitCount", 1)]
    [TestCase("leakRate", 1.0)]
    [TestCase("leakRate", 1e-12)]
    [TestCase("spectralRadius", 1e-12)]
    [TestCase("inputScaling", 1e-12)]
    [TestCase("inputColumnName", null)]
    [TestCase("seed", int.MinValue)]
    public void EchoStateReservoir_ValueAtTheBoundary_IsAccepted(string parameter, object? value) =>
        Assert.That(Call(new() { [parameter] = value }), Is.Null);

    [Test]
    public void EchoStateReservoir_BadValueTable_CoversEveryParameterThatHasABadValue()
    {
        // inputColumnName (null or empty: the output column) and seed (every int) have no bad value.
        var covered = CatalogCoverage.Parameters<EsnReservoirCatalogTests>(nameof(EchoStateReservoir_BadValue_ParamNameIsTheParameter));
        var parameters = ApiCalls.SimpleOverload(typeof(EsnReservoirCatalog), nameof(EsnReservoirCatalog.EchoStateReservoir))
            .GetParameters().Select(p => p.Name!).Except(["inputColumnName", "seed"]);
        Assert.That(covered, Is.EquivalentTo(parameters));
    }

    [TestCase("OutputColumnName", null)]
    [TestCase("OutputColumnName", "")]
    [TestCase("UnitCount", 0)]
    [TestCase("LeakRate", 0.0)]
    [TestCase("LeakRate", 1.5)]
    [TestCase("LeakRate", double.NaN)]
    [TestCase("SpectralRadius", 0.0)]
    [TestCase("SpectralRadius", double.PositiveInfinity)]
    [TestCase("InputScaling", -1.0)]
    [TestCase("InputConnectivity", 0.0)]
    [TestCase("InputConnectivity", 1.5)]
    [TestCase("RecurrentConnectivity", 0.0)]
    [TestCase("RecurrentConnectivity", double.NaN)]
    [TestCase("BiasScaling", -0.1)]
    [TestCase("BiasScaling", double.NaN)]
    [TestCase("Activation", 99)]
    public void Options_BadValue_ParamNameIsTheField(string field, object? value)
    {
        var fields = new Dictionary<string, object?> { ["OutputColumnName"] = "States", [field] = value };
        var error = ApiCalls.WithOptions<EsnReservoirEstimator.Options>(o => _context.Transforms.EchoStateReservoir(o), fields);
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(field));
    }

    [Test]
    public void EchoStateReservoir_Defaults_AreTheNamedDefaults()
    {
        var transformer = _context.Transforms.EchoStateReservoir("States", "Input").Fit(TestData.Sine(_context, 5));
        var fromOptions = _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options { OutputColumnName = "States", InputColumnName = "Input" })
            .Fit(TestData.Sine(_context, 5));

        CatalogCoverage.AssertDefaultsAreNamed(typeof(EsnReservoirCatalog), nameof(EsnReservoirCatalog.EchoStateReservoir));
        CatalogCoverage.AssertOptionsDefaultsAreNamed<EsnReservoirEstimator.Options>();
        CatalogCoverage.AssertReservoirHasTheDefaults(transformer.Reservoir);
        CatalogCoverage.AssertReservoirHasTheDefaults(fromOptions.Reservoir);
    }

    private Exception? Call(Dictionary<string, object?> arguments)
    {
        arguments.TryAdd("outputColumnName", "States");
        return ApiCalls.Call(typeof(EsnReservoirCatalog), nameof(EsnReservoirCatalog.EchoStateReservoir),
            arguments.ContainsKey("catalog") ? null : _context.Transforms, arguments);
    }
}
