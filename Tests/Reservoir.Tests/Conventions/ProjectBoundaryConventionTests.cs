using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Reservoir.Tests.Conventions;

/// <summary>Reservoir and Readouts are independent libraries: Pipelines composes them through their public surface only.</summary>
[TestFixture]
public sealed class ProjectBoundaryConventionTests
{
    private static readonly Assembly Core = typeof(EchoStateReservoir).Assembly;
    private static readonly Assembly Readouts = typeof(global::Reservoir.Readouts.RidgeSolution).Assembly;
    private static readonly Assembly Pipelines = typeof(global::Reservoir.Pipelines.EchoStateNetwork).Assembly;

    private static IEnumerable<TestCaseData> Libraries()
    {
        yield return new TestCaseData(Core).SetArgDisplayNames("Reservoir");
        yield return new TestCaseData(Readouts).SetArgDisplayNames("Readouts");
    }

    [TestCaseSource(nameof(Libraries))]
    public void Library_ShowsItsInternalsOnlyToTheTestsAndBenchmarks(Assembly library)
    {
        var friends = library.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order().ToArray();

        Assert.That(friends, Is.EqualTo(new[] { "Reservoir.Benchmarks", "Reservoir.Tests" }));
    }

    [Test]
    public void Readouts_DoesNotReferenceReservoir()
    {
        var references = Readouts.GetReferencedAssemblies().Select(a => a.Name);

        Assert.That(references, Has.None.EqualTo(Core.GetName().Name));
    }

    [Test]
    public void Reservoir_DoesNotReferenceReadoutsOrPipelines()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name).ToArray();

        Assert.That(references, Has.None.EqualTo(Readouts.GetName().Name).And.None.EqualTo(Pipelines.GetName().Name));
    }

    [Test]
    public void SharedHelpers_AreCompiledIntoEachProjectUnderItsOwnName()
    {
        // One source (Reservoir/Internal/Shared), one internal copy per assembly, none visible to another library.
        Assert.Multiple(() =>
        {
            Assert.That(Core.GetType("Reservoir.Persistence.ModelReader"), Is.Not.Null.And.Property(nameof(Type.IsPublic)).False);
            Assert.That(Readouts.GetType("Reservoir.Readouts.Persistence.ModelReader"), Is.Not.Null.And.Property(nameof(Type.IsPublic)).False);
            Assert.That(Pipelines.GetType("Reservoir.Pipelines.ModelReader"), Is.Not.Null.And.Property(nameof(Type.IsPublic)).False);
            Assert.That(Readouts.GetType("Reservoir.Guard"), Is.Not.Null.And.Property(nameof(Type.IsPublic)).False);
            Assert.That(Pipelines.GetType("Reservoir.Guard"), Is.Not.Null.And.Property(nameof(Type.IsPublic)).False);
        });
    }
}
