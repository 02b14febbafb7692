using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
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
    // Reservoir.Distributed (the Orleans scale-out) is read from the project files, so that these tests need not load Orleans.

    [Test]
    public void Distributed_ReferencesOnlyTheThreeLibraries()
    {
        var references = ProjectReferences(Path.Combine(RepositoryRoot(), "Distributed", "Distributed.csproj"));

        Assert.That(references, Is.EquivalentTo(new[] { "Pipelines/Pipelines.csproj", "Readouts/Readouts.csproj", "Reservoir/Reservoir.csproj" }));
    }

    [Test]
    public void Distributed_IsReferencedOnlyByExamplesAndTests()
    {
        var root = RepositoryRoot();
        var referrers = AllProjects(root)
            .Where(p => ProjectReferences(p).Contains("Distributed/Distributed.csproj"))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .ToArray();

        Assert.That(referrers, Is.Not.Empty, "the example and the tests use it");
        Assert.That(referrers.Where(r => !r.StartsWith("Examples/", StringComparison.Ordinal) && !r.StartsWith("Tests/", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Libraries_DoNotReferenceDistributed()
    {
        var root = RepositoryRoot();
        foreach (var library in new[] { "Reservoir/Reservoir.csproj", "Readouts/Readouts.csproj", "Pipelines/Pipelines.csproj" })
        {
            Assert.That(ProjectReferences(Path.Combine(root, library)), Has.None.EqualTo("Distributed/Distributed.csproj"), library);
        }
    }

    [Test]
    public void Projects_AreNotNestedInsideAnotherProjectsFolder()
    {
        // An SDK project compiles every *.cs below it, so a project under another's folder breaks the build (CS0579).
        var folders = AllProjects(RepositoryRoot()).Select(p => Path.GetDirectoryName(p)! + Path.DirectorySeparatorChar).ToArray();

        var nested = folders.Where(inner => folders.Any(outer => outer != inner && inner.StartsWith(outer, StringComparison.Ordinal)));

        Assert.That(nested, Is.Empty);
    }

    private static IEnumerable<string> AllProjects(string root) =>
        Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" || part.StartsWith('.')));

    /// <summary>The project's references, as paths from the repository root with forward slashes.</summary>
    private static string[] ProjectReferences(string project)
    {
        var root = RepositoryRoot();
        var folder = Path.GetDirectoryName(project)!;
        return [.. XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(folder, r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))))
                .Replace('\\', '/'))];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reservoir.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Reservoir.sln not found above the test folder.");
    }
}
