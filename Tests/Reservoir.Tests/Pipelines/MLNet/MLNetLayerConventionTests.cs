using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class MLNetLayerConventionTests
{
    // The layer-wide types name their role; every component type carries the prefix of its algorithm,
    // as ML.NET's Ssa… types do: Esn for the echo state components, RidgeRegression for the ridge trainer.
    private static readonly string[] LayerWide = [nameof(ColumnAppendingTransformer), nameof(MLNetDefaults), nameof(Microsoft.ML.PipelineCatalog)];

    private static IEnumerable<Type> PublicTypes() =>
        typeof(MLNetDefaults).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && (t.Namespace == typeof(MLNetDefaults).Namespace || t.Namespace == "Microsoft.ML"));

    [TestCaseSource(nameof(PublicTypes))]
    public void PublicType_HasTheComponentPrefix(Type type)
    {
        var name = type.Name.Split('`')[0];
        Assert.That(LayerWide.Contains(name) || name.StartsWith("Esn", StringComparison.Ordinal) || name.StartsWith("RidgeRegression", StringComparison.Ordinal),
            $"{type.FullName} should start with Esn or RidgeRegression");
    }

    [Test]
    public void PublicTypes_AreFound() => Assert.That(PublicTypes().Count(), Is.GreaterThanOrEqualTo(15));

    [Test]
    public void CatalogClasses_HoldOneCatalogEach_InTheirOwnFile()
    {
        var catalogs = PublicTypes().Where(t => t.Namespace == "Microsoft.ML").ToArray();
        var root = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "Pipelines", "MLNet");
        foreach (var catalog in catalogs)
        {
            var file = Path.Combine(root, catalog.Name + ".cs");
            Assert.That(File.Exists(file), Is.True, $"{catalog.Name} lives in {catalog.Name}.cs");
            var text = File.ReadAllText(file);
            Assert.That(text.Split("public static class ").Length - 1, Is.EqualTo(1), $"{catalog.Name}.cs holds one catalog class");
        }
    }
}
