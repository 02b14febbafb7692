using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class RidgeRegressionCatalogTests
{
    private readonly MLContext _context = new(seed: 0);

    [TestCase("catalog", null)]
    [TestCase("labelColumnName", null)]
    [TestCase("labelColumnName", "")]
    [TestCase("featureColumnName", null)]
    [TestCase("featureColumnName", "")]
    [TestCase("l2Regularization", -1.0)]
    [TestCase("l2Regularization", -1e-300)]
    [TestCase("l2Regularization", double.NaN)]
    [TestCase("l2Regularization", double.PositiveInfinity)]
    public void Ridge_BadValue_ParamNameIsTheParameter(string parameter, object? value)
    {
        var error = Call(new() { [parameter] = value });
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(parameter));
    }

    [TestCase("l2Regularization", 0.0)]
    [TestCase("l2Regularization", null)]
    public void Ridge_ValueAtTheBoundary_IsAccepted(string parameter, object? value) =>
        Assert.That(Call(new() { [parameter] = value }), Is.Null);

    [Test]
    public void Ridge_BadValueTable_CoversEveryParameter()
    {
        var covered = CatalogCoverage.Parameters<RidgeRegressionCatalogTests>(nameof(Ridge_BadValue_ParamNameIsTheParameter));
        var parameters = ApiCalls.SimpleOverload(typeof(RidgeRegressionCatalog), nameof(RidgeRegressionCatalog.Ridge)).GetParameters().Select(p => p.Name!);
        Assert.That(covered, Is.EquivalentTo(parameters));
    }

    [TestCase("LabelColumnName", null)]
    [TestCase("FeatureColumnName", "")]
    [TestCase("L2Regularization", -1.0)]
    [TestCase("CrossValidationFolds", 1)]
    [TestCase("L2Grid", new double[0])]
    [TestCase("L2Grid", new[] { 1.0, -1.0 })]
    public void Options_BadValue_ParamNameIsTheField(string field, object? value)
    {
        var error = ApiCalls.WithOptions<RidgeRegressionTrainer.Options>(o => _context.Regression.Trainers.Ridge(o), new Dictionary<string, object?> { [field] = value });
        Assert.That(error, Is.InstanceOf<ArgumentException>());
        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(field));
    }

    [Test]
    public void Ridge_Defaults_AreTheNamedDefaults()
    {
        CatalogCoverage.AssertDefaultsAreNamed(typeof(RidgeRegressionCatalog), nameof(RidgeRegressionCatalog.Ridge));
        CatalogCoverage.AssertOptionsDefaultsAreNamed<RidgeRegressionTrainer.Options>();
    }

    private Exception? Call(Dictionary<string, object?> arguments) =>
        ApiCalls.Call(typeof(RidgeRegressionCatalog), nameof(RidgeRegressionCatalog.Ridge),
            arguments.ContainsKey("catalog") ? null : _context.Regression.Trainers, arguments);
}
