using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Nvar;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Examples;

/// <summary>The README's samples of composed reservoirs and of the other reservoir kinds compile and run: each is the code between its markers below, and the README must quote it line for line.</summary>
[TestFixture]
public sealed class ReadmeCompositionTests
{
    private const string Begin = "// README composition sample: begin";
    private const string End = "// README composition sample: end";
    private const string KindsBegin = "// README kinds sample: begin";
    private const string KindsEnd = "// README kinds sample: end";

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
    public void KindsSample_RunsEs2nAndNvar()
    {
        var series = MackeyGlass.Generate(1200, seed: 2);
        var inputs = Column(series[..999]);
        var targets = Column(series[1..1000]);

        // README kinds sample: begin
        var es2n = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 300, Seed = 1, StateCarry = StateCarry.Orthogonal, LeakRates = 0.05, SpectralRadius = 0.9,
        });
        var states = es2n.Run(inputs);                                    // T × 300, on the one step engine
        var ngrc = NvarNetwork.Fit(new NvarNetworkOptions { Features = new NvarOptions { InputDimension = 1, DelayCount = 4 } },
            inputs, targets);                                             // features: 4 delays and their 10 quadratic monomials
        // README kinds sample: end

        Assert.Multiple(() =>
        {
            Assert.That(states.GetLength(1), Is.EqualTo(300));
            Assert.That(es2n.CarryWeights, Is.Not.Null);
            Assert.That(ngrc.Features.FeatureCount, Is.EqualTo(4 + 10));
            var predicted = ngrc.Predict(inputs);
            var offset = inputs.GetLength(0) - predicted.GetLength(0);
            Assert.That(Metrics.Nrmse(Enumerable.Range(0, predicted.GetLength(0)).Select(t => targets[t + offset, 0]).ToArray(),
                Enumerable.Range(0, predicted.GetLength(0)).Select(t => predicted[t, 0]).ToArray()), Is.LessThan(0.1));
        });
    }

    [Test]
    public void Readme_QuotesTheSampleLineForLine() => AssertQuoted(Begin, End);

    [Test]
    public void Readme_QuotesTheKindsSampleLineForLine() => AssertQuoted(KindsBegin, KindsEnd);

    private static void AssertQuoted(string begin, string end)
    {
        var root = RepositoryRoot();
        var source = File.ReadAllLines(Path.Combine(root, "Tests", "Reservoir.Tests", "Examples", "ReadmeCompositionTests.cs"));
        var first = Array.FindIndex(source, l => l.Trim() == begin);
        var last = Array.FindIndex(source, l => l.Trim() == end);
        var sample = source[(first + 1)..last].Select(l => l.Trim()).ToArray();
        var readme = File.ReadAllLines(Path.Combine(root, "README.md")).Select(l => l.Trim()).ToArray();

        var start = Array.IndexOf(readme, sample[0]);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README quotes the sample's first line");
        Assert.That(readme[start..(start + sample.Length)], Is.EqualTo(sample));
    }

    private static double[,] Column(double[] values)
    {
        var column = new double[values.Length, 1];
        for (var t = 0; t < values.Length; t++)
        {
            column[t, 0] = values[t];
        }

        return column;
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
