using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnSequenceFeaturesCatalogTests
{
    private readonly MLContext _context = new(seed: 0);

    [TestCase("catalog", null)]
    [TestCase("outputColumnName", null)]
    [TestCase("outputColumnName", "")]
    [TestCase("inputDimension", 0)]
    [TestCase("inputDimension", -2)]
    [TestCase("kind", 99)]
    [TestCase("sampleCount", 0)]
    [TestCase("unitCount", 0)]
    [TestCase("leakRate", 0.0)]
    [TestCase("leakRate", 1.5)]
    [TestCase("leakRate", double.NaN)]
    [TestCase("spectralRadius", 0.0)]
    [TestCase("spectralRadius", double.PositiveInfinity)]
    [TestCase("inputScaling", 0.0)]
    [TestCase("inputScaling", double.NaN)]
    public void EchoStateSequenceFeatures_BadValue_ParamNameIsTheParameter(string parameter, object? value)
    {
        var error = Call(new() { [parameter] = value });
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(parameter));
    }

    [TestCase("inputDimension", 1)]
    [TestCase("sampleCount", 1)]
    [TestCase("unitCount", 1)]
    [TestCase("leakRate", 1.0)]
    [TestCase("inputColumnName", null)]
    public void EchoStateSequenceFeatures_ValueAtTheBoundary_IsAccepted(string parameter, object? value) =>
        Assert.That(Call(new() { [parameter] = value }), Is.Null);

    [Test]
    public void EchoStateSequenceFeatures_BadValueTable_CoversEveryParameterThatHasABadValue()
    {
        var covered = CatalogCoverage.Parameters<EsnSequenceFeaturesCatalogTests>(nameof(EchoStateSequenceFeatures_BadValue_ParamNameIsTheParameter));
        var parameters = ApiCalls.SimpleOverload(typeof(EsnSequenceFeaturesCatalog), nameof(EsnSequenceFeaturesCatalog.EchoStateSequenceFeatures))
            .GetParameters().Select(p => p.Name!).Except(["inputColumnName", "seed"]);
        Assert.That(covered, Is.EquivalentTo(parameters));
    }

    [TestCase("OutputColumnName", "")]
    [TestCase("InputDimension", 0)]
    [TestCase("Kind", 99)]
    [TestCase("SampleCount", 0)]
    [TestCase("UnitCount", 0)]
    [TestCase("LeakRate", 2.0)]
    [TestCase("BiasScaling", -1.0)]
    public void Options_BadValue_ParamNameIsTheField(string field, object? value)
    {
        var fields = new Dictionary<string, object?> { ["OutputColumnName"] = "Features", [field] = value };
        var error = ApiCalls.WithOptions<EsnSequenceFeaturesEstimator.Options>(o => _context.Transforms.EchoStateSequenceFeatures(o), fields);
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(field));
    }

    [Test]
    public void EchoStateSequenceFeatures_Defaults_AreTheNamedDefaults()
    {
        CatalogCoverage.AssertDefaultsAreNamed(typeof(EsnSequenceFeaturesCatalog), nameof(EsnSequenceFeaturesCatalog.EchoStateSequenceFeatures));
        CatalogCoverage.AssertOptionsDefaultsAreNamed<EsnSequenceFeaturesEstimator.Options>();
    }

    private Exception? Call(Dictionary<string, object?> arguments)
    {
        arguments.TryAdd("outputColumnName", "Features");
        arguments.TryAdd("inputColumnName", "Sequence");
        arguments.TryAdd("inputDimension", 1);
        return ApiCalls.Call(typeof(EsnSequenceFeaturesCatalog), nameof(EsnSequenceFeaturesCatalog.EchoStateSequenceFeatures),
            arguments.ContainsKey("catalog") ? null : _context.Transforms, arguments);
    }
}
