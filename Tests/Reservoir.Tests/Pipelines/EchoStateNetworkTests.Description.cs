using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;
using Reservoir.Tests.Pipelines.ModelFiles;

namespace Reservoir.Tests.Pipelines;

public sealed partial class EchoStateNetworkTests
{
    private static EchoStateReservoir TenUnitsFromWeights() => EchoStateReservoir.FromWeights(new ReservoirWeights
    {
        Recurrent = SparseWeights.FromTriplets(10, 10, [.. Enumerable.Range(0, 10)], [.. Enumerable.Range(0, 10).Select(i => (i + 1) % 10)],
            [.. Enumerable.Repeat(0.8, 10)]),
        Input = SparseWeights.FromDense(new double[10, 1]),
        LeakRates = [.. Enumerable.Repeat(0.5, 10)],
    });

    [Test]
    public void Fit_GivenReservoirOptionsOfAnotherSize_ThrowsNamingOptions()
    {
        var options = Options() with { Reservoir = Options().Reservoir! with { UnitCount = 999 }, WashoutSteps = 5 };

        var error = Assert.Throws<ArgumentException>(() =>
            EchoStateNetwork.Fit(TenUnitsFromWeights(), options, new double[50, 1], new double[50, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("options"));
        Assert.That(error.Message, Does.Contain("999 units").And.Contain("the reservoir has 10"));
    }

    [Test]
    public void Fit_GivenBuiltReservoir_ReportsAndSavesTheReservoirsOwnOptions()
    {
        var built = Options().Reservoir! with { UnitCount = 10, SpectralRadius = 0.7 };
        var reservoir = new EchoStateReservoir(built);
        var claimed = Options() with { Reservoir = built with { SpectralRadius = 1.3, Seed = 12345 }, WashoutSteps = 5 };
        var (u, y) = DelayTask(200, 2);

        var esn = EchoStateNetwork.Fit(reservoir, claimed, u, y);
        using var file = new MemoryStream();
        esn.Save(file);
        file.Position = 0;
        var loaded = EchoStateNetwork.Load(file);

        Assert.That(esn.Options.Reservoir, Is.SameAs(reservoir.Options));
        Assert.That(esn.Options.Readout, Is.EqualTo(claimed.Readout));
        foreach (var options in new[] { esn.Options.Reservoir!, loaded.Options.Reservoir! })
        {
            Assert.That((options.UnitCount, options.SpectralRadius, options.Seed), Is.EqualTo((10, 0.7, built.Seed)));
        }

        Assert.That(loaded.Predict(u), Is.EqualTo(esn.Predict(u)));
    }

    [Test]
    public void Fit_FromWeightsWithMatchingSize_KeepsTheGivenOptionsAndRoundTrips()
    {
        var options = Options() with { Reservoir = Options().Reservoir! with { UnitCount = 10 }, WashoutSteps = 5 };
        var (u, y) = DelayTask(200, 2);

        var esn = EchoStateNetwork.Fit(TenUnitsFromWeights(), options, u, y);
        using var file = new MemoryStream();
        esn.Save(file);
        file.Position = 0;
        var loaded = EchoStateNetwork.Load(file);

        Assert.That(esn.Options.Reservoir!.UnitCount, Is.EqualTo(esn.Reservoir.UnitCount));
        Assert.That(loaded.Options.Reservoir!.UnitCount, Is.EqualTo(10));
        Assert.That(loaded.Predict(u), Is.EqualTo(esn.Predict(u)));
    }

    [Test]
    public void Load_SavedOptionsOfAnotherSize_ThrowsModelFormatException()
    {
        var options = Options() with { Reservoir = Options().Reservoir! with { UnitCount = 10 }, WashoutSteps = 5 };
        var (u, y) = DelayTask(200, 2);
        var esn = EchoStateNetwork.Fit(TenUnitsFromWeights(), options, u, y);
        using var file = new MemoryStream();
        esn.Save(file);

        // A file whose network options claim 999 units for the 10-unit reservoir it holds, as an older version could write.
        var bytes = file.ToArray();
        var honest = OptionsBytes(options.Reservoir);
        var claimed = OptionsBytes(options.Reservoir with { UnitCount = 999 });
        var at = IndexOf(bytes, honest);
        Assert.That(at, Is.GreaterThan(0));
        claimed.CopyTo(bytes, at);
        ModelFileTestData.Reseal(bytes);

        var error = Assert.Throws<ModelFormatException>(() => EchoStateNetwork.Load(new MemoryStream(bytes)));

        Assert.That(error!.Message, Does.Contain("999 units"));
    }

    [Test]
    public void Fit_ManySequencesDiverge_ThrowsInvalidOperationException()
    {
        var options = Options() with
        {
            Reservoir = Options().Reservoir! with { Activation = Activation.Identity, SpectralRadius = 50, LeakRates = 1 },
            WashoutSteps = 0,
        };
        var inputs = Enumerable.Range(0, 4).Select(i => TestData.Uniform(400, 1, i, 1)).ToList();
        var targets = inputs.Select(u => new double[400, 1]).ToList();

        Assert.Throws<InvalidOperationException>(() => EchoStateNetwork.Fit(options, inputs, targets));
        Assert.Throws<InvalidOperationException>(() => EchoStateNetwork.Fit(options, inputs, targets, maxDegreeOfParallelism: 1));
    }

    private static byte[] OptionsBytes(ReservoirOptions options) =>
        ModelFileTestData.Payload(ModelFileTestData.WriteFile("Options", writer => writer.WriteReservoirOptions(options)), "Options");

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
