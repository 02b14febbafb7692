using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

/// <summary>A network on composed reservoirs: stacks, parallel groups, chosen read-out layers, model files.</summary>
public sealed partial class EchoStateNetworkTests
{
    private static ReservoirOptions LayerOptions(int units, double leakRate) => new()
    {
        UnitCount = units, Seed = 0, LeakRates = leakRate, SpectralRadius = 0.9, RecurrentConnectivity = 0.2, InputConnectivity = 0.5,
    };

    private static EchoStateNetworkOptions StackOptions(ComposedReservoirOptions? composition = null) => new()
    {
        Composition = composition ?? ComposedReservoirOptions.Stack(11, [LayerOptions(40, 0.9), LayerOptions(30, 0.3)]),
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-3 },
        WashoutSteps = 50,
    };

    [Test]
    public void Fit_Stack_EqualsReadoutOnHandWiredLayerStatesBitForBit()
    {
        var (u, y) = DelayTask(700, 2);
        var options = StackOptions();
        var esn = EchoStateNetwork.Fit(options, u, y);

        // Layer 1 by hand, its states fed to layer 2 by hand; the readout reads [u; x1; x2].
        var x1 = new EchoStateReservoir(LayerOptions(40, 0.9) with { Seed = ComposedReservoirOptions.LayerSeed(11, 0) }).Run(u);
        var x2 = new EchoStateReservoir(LayerOptions(30, 0.3) with { Seed = ComposedReservoirOptions.LayerSeed(11, 1), InputDimension = 40 }).Run(x1);
        var rows = u.GetLength(0) - options.WashoutSteps;
        var features = new double[rows, 71];
        for (var r = 0; r < rows; r++)
        {
            var t = r + options.WashoutSteps;
            features[r, 0] = u[t, 0];
            for (var i = 0; i < 40; i++)
            {
                features[r, 1 + i] = x1[t, i];
            }

            for (var i = 0; i < 30; i++)
            {
                features[r, 41 + i] = x2[t, i];
            }
        }

        var batch = new RidgeReadout(options.Readout).Fit(features, Slice(y, options.WashoutSteps, rows));

        Assert.That(esn.Readout.FeatureCount, Is.EqualTo(71));
        Assert.That(esn.Readout.GetWeights(), Is.EqualTo(batch.GetWeights()));
        Assert.That(esn.Readout.GetIntercept(), Is.EqualTo(batch.GetIntercept()));
    }

    [Test]
    public void Fit_OneLayerComposition_BitIdenticalToTheReservoirAlone()
    {
        var (u, y) = DelayTask(600, 4);
        var single = Options();
        var composed = single with
        {
            Reservoir = null,
            Composition = new ComposedReservoirOptions { Layers = [new ReservoirLayerOptions { Reservoir = single.Reservoir! }] },
        };

        var a = EchoStateNetwork.Fit(single, u, y);
        var b = EchoStateNetwork.Fit(composed, u, y);

        Assert.That(b.Readout.GetWeights(), Is.EqualTo(a.Readout.GetWeights()));
        Assert.That(b.Predict(Slice(u, 0, 100)), Is.EqualTo(a.Predict(Slice(u, 0, 100))));
    }

    [Test]
    public void Fit_ChosenReadoutLayer_ReadsOnlyThatLayer()
    {
        var (u, y) = DelayTask(500, 5);
        var composition = ComposedReservoirOptions.Parallel(11, [LayerOptions(20, 1.0), LayerOptions(15, 0.1)]) with { ReadoutLayers = [1] };

        var esn = EchoStateNetwork.Fit(StackOptions(composition), u, y);

        Assert.That(esn.Readout.FeatureCount, Is.EqualTo(1 + 15));
        Assert.That(esn.Composition.StateWidth, Is.EqualTo(15));
        Assert.That(esn.Options.Composition!.ReadoutLayers, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Fit_ManySequences_SameResultWhateverTheParallelism()
    {
        var sequences = Enumerable.Range(0, 4).Select(i => DelayTask(200 + 30 * i, 20 + i)).ToArray();
        var inputs = sequences.Select(s => s.Inputs).ToArray();
        var targets = sequences.Select(s => s.Targets).ToArray();

        var parallel = EchoStateNetwork.Fit(StackOptions(), inputs, targets);
        var serial = EchoStateNetwork.Fit(StackOptions(), inputs, targets, maxDegreeOfParallelism: 1);

        Assert.That(parallel.Readout.GetWeights(), Is.EqualTo(serial.Readout.GetWeights()));
    }

    [Test]
    public void PartialFit_Chunks_EqualTheWholeFit()
    {
        var (u, y) = DelayTask(600, 6);
        var whole = EchoStateNetwork.Fit(StackOptions(), u, y);
        var trainer = new EchoStateNetworkTrainer(StackOptions());
        trainer.PartialFit(Slice(u, 0, 250), Slice(y, 0, 250));
        trainer.PartialFit(Slice(u, 250, 350), Slice(y, 250, 350));

        var chunked = trainer.Complete();

        Assert.That(TestData.MaxAbsDifference(chunked.Readout.GetWeights(), whole.Readout.GetWeights()), Is.LessThan(SolverTolerance));
        Assert.That(trainer.Composition.Layers, Has.Length.EqualTo(2));
    }

    [Test]
    public void Generate_DeepStackWithAutomaticRidge_FollowsASine()
    {
        var series = Enumerable.Range(0, 900).Select(t => Math.Sin(2 * Math.PI * t / 25.0)).ToArray();
        var options = StackOptions(ComposedReservoirOptions.Stack(5, [LayerOptions(50, 0.9), LayerOptions(50, 0.5), LayerOptions(30, 0.3)],
            inputToEveryLayer: true)) with { RegularizationSearch = new RidgeCvOptions() };
        var esn = EchoStateNetwork.Fit(options, series[..799], series[1..800]);

        var generated = esn.Generate(100);

        var truth = series[800..900];
        Assert.That(Metrics.Nrmse(truth, Column(generated, 0)), Is.LessThan(0.1));
        Assert.That(esn.RegularizationSearch, Is.Not.Null);
    }

    [Test]
    public void SaveLoad_Composed_PredictsAndGeneratesBitIdentically()
    {
        var series = Enumerable.Range(0, 400).Select(t => Math.Sin(2 * Math.PI * t / 20.0)).ToArray();
        var composition = ComposedReservoirOptions.Parallel(3, [LayerOptions(20, 1.0), LayerOptions(20, 0.2) with { SkipConnections = [new SkipConnection { Delay = 4 }] }]);
        var esn = EchoStateNetwork.Fit(StackOptions(composition) with { StandardizeInputs = true }, series[..299], series[1..300]);
        using var file = new MemoryStream();
        esn.Save(file);
        file.Position = 0;

        var loaded = EchoStateNetwork.Load(file);

        var test = Column(series[300..400]);
        Assert.That(loaded.Predict(test), Is.EqualTo(esn.Predict(test)));
        Assert.That(loaded.Generate(50), Is.EqualTo(esn.Generate(50)));
        Assert.That(loaded.Options.Composition, Is.EqualTo(esn.Options.Composition));
        Assert.That(loaded.Options.Reservoir, Is.Null);
    }

    [Test]
    public void ForecastEngine_Composed_CheckpointRoundTrips()
    {
        var series = Enumerable.Range(0, 300).Select(t => Math.Sin(2 * Math.PI * t / 20.0)).ToArray();
        var esn = EchoStateNetwork.Fit(StackOptions(), series[..249], series[1..250]);
        var engine = new ForecastEngine(esn);
        engine.Update([series[250]]);
        using var file = new MemoryStream();
        engine.CheckPoint(file);
        file.Position = 0;

        var restored = ForecastEngine.Load(file);

        Assert.That(restored.Predict(20), Is.EqualTo(engine.Predict(20)));
    }

    [Test]
    public void Options_BothOrNeitherReservoirAndComposition_Throw()
    {
        var (u, y) = DelayTask(100, 7);
        var both = StackOptions() with { Reservoir = Options().Reservoir };
        var neither = StackOptions() with { Composition = null };

        var e1 = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(both, u, y))!;
        var e2 = Assert.Throws<ArgumentNullException>(() => EchoStateNetwork.Fit(neither, u, y))!;

        Assert.That(e1.ParamName, Is.EqualTo("Composition"));
        Assert.That(e1.Message, Does.Contain("Both Reservoir and Composition are set"));
        Assert.That(e2.ParamName, Is.EqualTo("Reservoir"));
    }

    [Test]
    public void Reservoir_ComposedNetwork_ThrowsPointingToComposition()
    {
        var (u, y) = DelayTask(120, 8);
        var esn = EchoStateNetwork.Fit(StackOptions(), u, y);

        var e = Assert.Throws<InvalidOperationException>(() => _ = esn.Reservoir)!;
        Assert.That(e.Message, Does.Contain("use Composition"));
        Assert.Throws<InvalidOperationException>(() => esn.CreateTrainedState());
        Assert.That(esn.Predict(esn.CreateTrainedComposedState(), Slice(u, 0, 10)), Is.EqualTo(esn.Predict(Slice(u, 0, 10))));
    }

    [Test]
    public void Fit_BadLayer_MessageNamesTheLayer()
    {
        var (u, y) = DelayTask(100, 9);
        var bad = ComposedReservoirOptions.Stack(1, [LayerOptions(10, 0.5), LayerOptions(10, 1.5)]);

        var e = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(StackOptions(bad), u, y))!;

        Assert.That(e.Message, Does.Contain("Layers[1].Reservoir: "));
        Assert.That(e.Message, Does.Contain("1.5"));
    }

    [Test]
    public void FitDirect_DefaultLayersArray_ThrowsNamingLayers()
    {
        var options = new EchoStateNetworkOptions { Composition = new ComposedReservoirOptions { Layers = default } };

        var e = Assert.Catch<ArgumentException>(() => EchoStateNetwork.FitDirect(options, [new double[100, 1]], 3))!;

        Assert.That(e.ParamName, Is.EqualTo("Layers"));
    }

    [TestCase(false, 1)]
    [TestCase(true, 2)]
    public void Save_SectionVersion_OneForOneReservoirTwoForAComposition(bool composed, int version)
    {
        var (u, y) = DelayTask(200, 10);
        var esn = EchoStateNetwork.Fit(composed ? StackOptions() : Options(), u, y);
        using var file = new MemoryStream();
        esn.Save(file);
        var bytes = file.ToArray();

        // The container's kind and the section's tag are both "EchoStateNetwork"; the section's version follows the tag.
        var tag = "EchoStateNetwork"u8.ToArray();
        var second = IndexOf(bytes, tag, IndexOf(bytes, tag, 0) + tag.Length);
        Assert.That(BitConverter.ToUInt16(bytes, second + tag.Length), Is.EqualTo(version), "networks on one reservoir keep the format older readers read");
    }

    private static int IndexOf(byte[] bytes, byte[] pattern, int start)
    {
        for (var i = start; i <= bytes.Length - pattern.Length; i++)
        {
            if (bytes.AsSpan(i, pattern.Length).SequenceEqual(pattern))
            {
                return i;
            }
        }

        return -1;
    }
}
