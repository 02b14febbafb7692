using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Examples;

/// <summary>The README's sample of composed reservoirs compiles and runs: it is the code between the markers below, and the README must quote it line for line.</summary>
[TestFixture]
public sealed class ReadmeCompositionTests
{
    private const string Begin = "// README composition sample: begin";
    private const string End = "// README composition sample: end";

    [Test]
    public void Sample_RunsAndGenerates()
    {
        var series = MackeyGlass.Generate(1200, seed: 1);
        var inputs = series[..999];
        var targets = series[1..1000];
        var path = Path.Combine(Path.GetTempPath(), $"readme-deep-{Guid.NewGuid():N}.rsvr");
        try
        {
            // README composition sample: begin
            var deep = new EchoStateNetworkOptions
            {
                Composition = ComposedReservoirOptions.Stack(seed: 42,
                [
                    new ReservoirOptions { UnitCount = 100, Seed = 0, LeakRates = 0.9 },  // reads u(t); seeds derived from 42
                    new ReservoirOptions { UnitCount = 100, Seed = 0, LeakRates = 0.1 },  // reads x⁽¹⁾(t): slower
                ]),
                RegularizationSearch = new RidgeCvOptions(),                             // λ chosen automatically
                WashoutSteps = 100,
            };
            var esn = EchoStateNetwork.Fit(deep, inputs, targets);   // readout over [u; x⁽¹⁾; x⁽²⁾]
            var forecast = esn.Generate(200);                         // closed loop, as for one reservoir
            esn.Save(path);                                           // and EchoStateNetwork.Load(path)
            // README composition sample: end

            Assert.That(forecast.GetLength(0), Is.EqualTo(200));
            Assert.That(Metrics.Nrmse(series.AsSpan(1000, 50).ToArray(), Enumerable.Range(0, 50).Select(t => forecast[t, 0]).ToArray()), Is.LessThan(0.5));
            Assert.That(EchoStateNetwork.Load(path).Generate(200), Is.EqualTo(forecast));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Readme_QuotesTheSampleLineForLine()
    {
        var root = RepositoryRoot();
        var source = File.ReadAllLines(Path.Combine(root, "Tests", "Reservoir.Tests", "Examples", "ReadmeCompositionTests.cs"));
        var first = Array.FindIndex(source, l => l.Trim() == Begin);
        var last = Array.FindIndex(source, l => l.Trim() == End);
        var sample = source[(first + 1)..last].Select(l => l.Trim()).ToArray();
        var readme = File.ReadAllLines(Path.Combine(root, "README.md")).Select(l => l.Trim()).ToArray();

        var start = Array.IndexOf(readme, sample[0]);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README quotes the sample's first line");
        Assert.That(readme[start..(start + sample.Length)], Is.EqualTo(sample));
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
