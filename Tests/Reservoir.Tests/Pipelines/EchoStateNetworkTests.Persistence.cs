using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;
using Reservoir.Tests.Pipelines.ModelFiles;

namespace Reservoir.Tests.Pipelines;

public sealed partial class EchoStateNetworkTests
{
    private const int CorruptionVariants = 240;

    private static EchoStateNetwork RichNetwork()
    {
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = 30, Seed = 21, LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, 20),
                SpectralRadius = 0.9, RecurrentConnectivity = 0.3, InputConnectivity = 0.5, StateNoise = 1e-5,
                FeedbackDimension = 1, FeedbackScaling = 0.2,
                SkipConnections = [new SkipConnection { Delay = 3, Connectivity = 0.2 }],
                Clockwork = new ClockworkOptions { Periods = [1, 2] },
            },
            RegularizationSearch = new RidgeCvOptions { L2Grid = [1e-6, 1e-4, 1e-2] },
            CrossValidationFolds = 3,
            WashoutSteps = 20,
            StandardizeInputs = true,
            StandardizeTargets = true,
        };
        var series = Enumerable.Range(0, 601).Select(t => 3 + Math.Sin(0.2 * t) + 0.4 * Math.Sin(0.45 * t)).ToArray();
        return EchoStateNetwork.Fit(options, series[..^1], series[1..]);
    }

    private static byte[] Bytes(EchoStateNetwork network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    [Test]
    public void SaveLoad_RichNetwork_PredictionsAndGenerationBitIdentical()
    {
        var network = RichNetwork();
        var probe = Column(Enumerable.Range(0, 50).Select(t => 3 + Math.Cos(0.1 * t)).ToArray());

        var loaded = EchoStateNetwork.Load(new MemoryStream(Bytes(network)));

        Assert.That(loaded.Predict(probe), Is.EqualTo(network.Predict(probe)));
        Assert.That(loaded.Generate(40), Is.EqualTo(network.Generate(40)));
        Assert.That(loaded.L2Regularization, Is.EqualTo(network.L2Regularization));
        Assert.That(loaded.RegularizationSearch!.Curve, Is.EqualTo(network.RegularizationSearch!.Curve));
        Assert.That(loaded.Options.Reservoir!.LeakRates, Is.EqualTo(network.Options.Reservoir!.LeakRates));
        Assert.That(loaded.Reservoir.LeakRates.ToArray(), Is.EqualTo(network.Reservoir.LeakRates.ToArray()));
        Assert.That(loaded.TargetScaler!.Scales.ToArray(), Is.EqualTo(network.TargetScaler!.Scales.ToArray()));
        Assert.That(Bytes(loaded), Is.EqualTo(Bytes(network)), "saving the loaded network writes the same bytes");
    }

    [Test]
    public void SaveLoad_File_DirectForecasterRoundTrips()
    {
        var series = Column(Enumerable.Range(0, 400).Select(t => Math.Sin(0.3 * t)).ToArray());
        var network = EchoStateNetwork.FitDirect(new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 40, Seed = 2 }, WashoutSteps = 10,
        }, [series], horizon: 4);
        var path = Path.Combine(Path.GetTempPath(), $"reservoir-esn-{Guid.NewGuid():N}.rsvr");
        try
        {
            network.Save(path);
            network.Save(path);
            var loaded = EchoStateNetwork.Load(path);

            Assert.That(loaded.ForecastDirect(), Is.EqualTo(network.ForecastDirect()));
            Assert.That(loaded.Horizon, Is.EqualTo(4));
            Assert.That(Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"), Has.Length.EqualTo(1),
                "no temporary file is left next to the saved one");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Load_EveryCorruptedVariant_ThrowsModelFormatException()
    {
        // With the checksum recomputed, the network-level checks themselves must reject forged sizes and values.
        var variants = ModelFileTestData.CorruptedVariants(Bytes(RichNetwork()), "EchoStateNetwork", seed: 17);
        Assert.That(variants, Has.Count.GreaterThanOrEqualTo(CorruptionVariants));
        var loaded = ModelFileTestData.LoadedVariants(variants, stream => EchoStateNetwork.Load(stream));

        // Truncations and bit flips are all rejected; a forged Int32 inside a stored double can still be a valid double,
        // but forged sizes and flags are caught by the network's own checks.
        Assert.That(loaded, Has.All.StartsWith("forged"));
        Assert.That(loaded, Has.Count.LessThan(70), "the network-level checks reject forged sizes and flags");
    }

    [Test]
    public void Load_OtherKindOrFormat_ThrowsSayingWhat()
    {
        var engine = new ForecastEngine(RichNetwork());
        using var checkpoint = new MemoryStream();
        engine.CheckPoint(checkpoint);

        var wrongKind = Assert.Throws<ModelFormatException>(() => EchoStateNetwork.Load(new MemoryStream(checkpoint.ToArray())));
        var zip = Assert.Throws<ModelFormatException>(() =>
            EchoStateNetwork.Load(new MemoryStream([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0])));

        Assert.That(wrongKind!.Message, Does.Contain("'ForecastEngine'"));
        Assert.That(zip!.Message, Does.Contain("magic"));
    }

    [Test]
    public void Load_FutureFormatVersion_Throws()
    {
        var file = Bytes(RichNetwork());
        file[8] = 99;

        var error = Assert.Throws<ModelFormatException>(() => EchoStateNetwork.Load(new MemoryStream(ModelFileTestData.Reseal(file))));

        Assert.That(error!.Message, Does.Contain("version 99"));
    }
}
