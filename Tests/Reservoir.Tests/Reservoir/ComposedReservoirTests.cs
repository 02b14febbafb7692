using System.Buffers;
using NUnit.Framework;
using Reservoir.Persistence;

namespace Reservoir.Tests;

[TestFixture]
public sealed class ComposedReservoirTests
{
    private const int Seed = 7;

    private static ReservoirOptions Layer(int units, double leakRate, double spectralRadius = 0.9) => new()
    {
        UnitCount = units, Seed = 0, LeakRates = leakRate, SpectralRadius = spectralRadius, InputConnectivity = 0.5,
        RecurrentConnectivity = 0.2,
    };

    private static ComposedReservoirOptions TwoLayerStack(bool inputToEveryLayer = false) =>
        ComposedReservoirOptions.Stack(Seed, [Layer(40, 0.8), Layer(30, 0.2)], inputToEveryLayer: inputToEveryLayer);

    private static double[,] Concatenate(params double[][,] parts)
    {
        var rows = parts[0].GetLength(0);
        var result = new double[rows, parts.Sum(p => p.GetLength(1))];
        for (var t = 0; t < rows; t++)
        {
            var offset = 0;
            foreach (var part in parts)
            {
                for (var i = 0; i < part.GetLength(1); i++)
                {
                    result[t, offset + i] = part[t, i];
                }

                offset += part.GetLength(1);
            }
        }

        return result;
    }

    [Test]
    public void Run_Stack_EqualsHandWiredLayersBitForBit()
    {
        var u = TestData.Uniform(300, 1, 1);
        var composed = new ComposedReservoir(TwoLayerStack());

        var first = new EchoStateReservoir(Layer(40, 0.8) with { Seed = ComposedReservoirOptions.LayerSeed(Seed, 0) });
        var second = new EchoStateReservoir(Layer(30, 0.2) with { Seed = ComposedReservoirOptions.LayerSeed(Seed, 1), InputDimension = 40 });
        var x1 = first.Run(u);
        var x2 = second.Run(x1);

        Assert.That(composed.Run(u), Is.EqualTo(Concatenate(x1, x2)));
        Assert.That(composed.StateWidth, Is.EqualTo(70));
        Assert.That(composed.Layers[1].InputDimension, Is.EqualTo(40), "derived from the layer below");
    }

    [Test]
    public void Run_StackWithInputToEveryLayer_SecondLayerReadsStatesAndInput()
    {
        var u = TestData.Uniform(200, 2, 2);
        var options = ComposedReservoirOptions.Stack(Seed, [Layer(20, 0.8), Layer(10, 0.3)], inputDimension: 2, inputToEveryLayer: true);
        var composed = new ComposedReservoir(options);

        var first = new EchoStateReservoir(Layer(20, 0.8) with { Seed = ComposedReservoirOptions.LayerSeed(Seed, 0), InputDimension = 2 });
        var second = new EchoStateReservoir(Layer(10, 0.3) with { Seed = ComposedReservoirOptions.LayerSeed(Seed, 1), InputDimension = 22 });
        var x1 = first.Run(u);
        var x2 = second.Run(Concatenate(x1, u));

        Assert.That(composed.Run(u, washoutSteps: 5), Is.EqualTo(Slice(Concatenate(x1, x2), 5)));
    }

    [Test]
    public void Run_ParallelGroup_EqualsConcatenatedIndependentReservoirs()
    {
        var u = TestData.Uniform(250, 1, 3);
        var layers = new[] { Layer(25, 1.0), Layer(25, 0.1, 0.5), Layer(10, 0.02) };
        var composed = new ComposedReservoir(ComposedReservoirOptions.Parallel(Seed, layers));

        var expected = layers.Select((o, k) => new EchoStateReservoir(o with { Seed = ComposedReservoirOptions.LayerSeed(Seed, k) }).Run(u)).ToArray();

        Assert.That(composed.Run(u), Is.EqualTo(Concatenate(expected)));
    }

    [Test]
    public void Run_ChosenReadoutLayers_HoldsOnlyThoseInOrder()
    {
        var u = TestData.Uniform(120, 1, 4);
        var all = new ComposedReservoir(TwoLayerStack()).Run(u);
        var top = new ComposedReservoir(TwoLayerStack() with { ReadoutLayers = [1] });
        var swapped = new ComposedReservoir(TwoLayerStack() with { ReadoutLayers = [1, 0] });

        var topStates = top.Run(u);
        var swappedStates = swapped.Run(u);

        Assert.That(top.StateWidth, Is.EqualTo(30));
        for (var t = 0; t < 120; t++)
        {
            for (var i = 0; i < 30; i++)
            {
                Assert.That(topStates[t, i], Is.EqualTo(all[t, 40 + i]));
                Assert.That(swappedStates[t, i], Is.EqualTo(all[t, 40 + i]));
            }

            for (var i = 0; i < 40; i++)
            {
                Assert.That(swappedStates[t, 30 + i], Is.EqualTo(all[t, i]));
            }
        }
    }

    [Test]
    public void Step_EqualsRunAndStreamedBlocks()
    {
        var u = TestData.Uniform(90, 1, 5);
        var composed = new ComposedReservoir(TwoLayerStack());
        var run = composed.Run(u);

        var state = composed.CreateState();
        var stepped = new double[90, composed.StateWidth];
        for (var t = 0; t < 90; t++)
        {
            composed.Step(state, [u[t, 0]]);
            var values = state.Values;
            for (var i = 0; i < values.Length; i++)
            {
                stepped[t, i] = values[i];
            }
        }

        var streamed = new double[80, composed.StateWidth];
        var width = composed.StateWidth;
        composed.RunStreamed(composed.CreateState(), u, (in StateBlock block) =>
        {
            for (var r = 0; r < block.RowCount; r++)
            {
                for (var i = 0; i < width; i++)
                {
                    streamed[block.FirstStep - 10 + r, i] = block.States[r * width + i];
                }
            }
        }, washoutSteps: 10, blockSize: 7);

        Assert.That(stepped, Is.EqualTo(run));
        Assert.That(streamed, Is.EqualTo(Slice(run, 10)));
        Assert.That(state.StepCount, Is.EqualTo(90));
    }

    [Test]
    public void RunMany_EqualsOneByOneWhateverTheParallelism()
    {
        var composed = new ComposedReservoir(TwoLayerStack() with
        {
            Layers = [.. TwoLayerStack().Layers.Select(l => l with { Reservoir = l.Reservoir with { StateNoise = 1e-3 } })],
        });
        var sequences = Enumerable.Range(0, 5).Select(i => TestData.Uniform(40 + 10 * i, 1, 10 + i)).ToArray();

        var parallel = composed.Run(sequences, washoutSteps: 3);
        var serial = composed.Run(sequences, washoutSteps: 3, maxDegreeOfParallelism: 1);

        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.That(parallel[i], Is.EqualTo(composed.Run(composed.CreateState(i), sequences[i], 3)), $"sequence {i}");
            Assert.That(serial[i], Is.EqualTo(parallel[i]));
        }
    }

    [Test]
    public void Of_OneReservoir_RunsExactlyAsIt()
    {
        var reservoir = new EchoStateReservoir(Layer(30, 0.4) with { Seed = 3 });
        var u = TestData.Uniform(100, 1, 6);
        var single = ComposedReservoir.Of(reservoir);

        Assert.That(single.Run(u), Is.EqualTo(reservoir.Run(u)));
        Assert.That(single.Run([u, u], 0)[1], Is.EqualTo(reservoir.Run([u, u], 0)[1]));
        Assert.That(single.Options, Is.Null);
    }

    [Test]
    public void LayerSeed_SameSeed_SameLayersAndDifferentSeedDifferentStates()
    {
        var u = TestData.Uniform(50, 1, 7);
        var a = new ComposedReservoir(TwoLayerStack()).Run(u);
        var b = new ComposedReservoir(TwoLayerStack()).Run(u);
        var c = new ComposedReservoir(ComposedReservoirOptions.Stack(Seed + 1, [Layer(40, 0.8), Layer(30, 0.2)])).Run(u);

        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
        Assert.That(ComposedReservoirOptions.LayerSeed(Seed, 0), Is.Not.EqualTo(ComposedReservoirOptions.LayerSeed(Seed, 1)));
    }

    [Test]
    public void Options_EqualLayers_AreEqualRecords()
    {
        Assert.That(TwoLayerStack(), Is.EqualTo(TwoLayerStack()));
        Assert.That(TwoLayerStack().GetHashCode(), Is.EqualTo(TwoLayerStack().GetHashCode()));
        Assert.That(TwoLayerStack() with { ReadoutLayers = [1] }, Is.Not.EqualTo(TwoLayerStack()));
        Assert.That(TwoLayerStack().TotalUnitCount(), Is.EqualTo(70));
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        var stack = TwoLayerStack();
        yield return new TestCaseData(stack with { Layers = [] }, "Layers", "Layers is empty").SetName("Validate_NoLayer_Throws");
        yield return new TestCaseData(stack with { Layers = [stack.Layers[0], stack.Layers[1] with { ReadsLayers = [1] }] }, "Layers",
            "Layers[1].ReadsLayers names layer 1; a layer reads only earlier layers").SetName("Validate_LayerReadsItself_Throws");
        yield return new TestCaseData(stack with { Layers = [stack.Layers[0] with { ReadsInput = false }, stack.Layers[1]] }, "Layers",
            "Layers[0] reads nothing").SetName("Validate_LayerReadsNothing_Throws");
        yield return new TestCaseData(stack with { Layers = [stack.Layers[0], stack.Layers[1] with { Reservoir = stack.Layers[1].Reservoir with { InputDimension = 5 } }] },
            "Layers", "Layers[1].Reservoir.InputDimension is 5 but the layer reads 40 values (layer 0's units)").SetName("Validate_WrongLayerInputDimension_Throws");
        yield return new TestCaseData(stack with { Layers = [stack.Layers[0], stack.Layers[1] with { Reservoir = stack.Layers[1].Reservoir with { SpectralRadius = -1 } }] },
            "Layers", "Layers[1].Reservoir: SpectralRadius").SetName("Validate_BadLayerOption_NamesLayer");
        yield return new TestCaseData(stack with { ReadoutLayers = [2] }, "ReadoutLayers", "ReadoutLayers names layer 2; the layers are 0 to 1")
            .SetName("Validate_ReadoutLayerOutOfRange_Throws");
        yield return new TestCaseData(stack with { ReadoutLayers = [] }, "ReadoutLayers", "ReadoutLayers is empty")
            .SetName("Validate_NoReadoutLayer_Throws");
        yield return new TestCaseData(stack with { InputDimension = 0 }, "InputDimension", "InputDimension must be >= 1")
            .SetName("Validate_InputDimensionZero_Throws");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void Validate_InvalidOptions_ThrowsNamingLayerAndOption(ComposedReservoirOptions options, string paramName, string message)
    {
        var e = Assert.Catch<ArgumentException>(() => _ = new ComposedReservoir(options))!;
        Assert.That(e.ParamName, Is.EqualTo(paramName));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void Step_WrongInputWidthOrForeignState_Throws()
    {
        var composed = new ComposedReservoir(TwoLayerStack());
        var other = new ComposedReservoir(TwoLayerStack());

        var width = Assert.Throws<ArgumentException>(() => composed.Step(composed.CreateState(), [1.0, 2.0]))!;
        var foreign = Assert.Throws<ArgumentException>(() => composed.Step(other.CreateState(), [1.0]))!;

        Assert.That(width.Message, Does.Contain("Input has 2 features but the composed reservoir was built for 1"));
        Assert.That(foreign.ParamName, Is.EqualTo("state"));
    }

    [Test]
    public void ReadsLayers_LayerOutOfRange_ThrowsNamingLayer()
    {
        var composed = new ComposedReservoir(TwoLayerStack());

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => composed.ReadsLayers(2))!;
        Assert.Throws<ArgumentOutOfRangeException>(() => composed.ReadsInput(-1));

        Assert.That(e.ParamName, Is.EqualTo("layer"));
        Assert.That(e.Message, Does.Contain("[0, 2); was 2"));
    }

    [Test]
    public void Step_NonFiniteFeedbackForAnUpperLayer_ThrowsAndNoLayerSteps()
    {
        var composed = new ComposedReservoir(ComposedReservoirOptions.Stack(Seed, [Layer(10, 0.5), Layer(10, 0.5) with { FeedbackDimension = 1 }]));
        var state = composed.CreateState();
        composed.Step(state, [0.3], [0.1]);
        var before = state.Values.ToArray();

        var e = Assert.Throws<ArgumentException>(() => composed.Step(state, [0.5], [double.NaN]))!;

        Assert.That(e.ParamName, Is.EqualTo("feedback"));
        Assert.That(state.Values.ToArray(), Is.EqualTo(before), "the lower layer did not step either");
    }

    [Test]
    public void Sections_RoundTrip_ContinueBitIdentically()
    {
        var composed = new ComposedReservoir(TwoLayerStack(inputToEveryLayer: true) with { ReadoutLayers = [1, 0] });
        var u = TestData.Uniform(60, 1, 8);
        var state = composed.CreateState();
        composed.Run(state, u);

        var buffer = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteComposedReservoir(buffer, composed);
        var stateStart = buffer.WrittenCount;
        ReservoirSections.WriteComposedState(buffer, state);
        var loaded = ReservoirSections.ReadComposedReservoir(buffer.WrittenMemory, 0, out var read);
        var loadedState = ReservoirSections.ReadComposedState(buffer.WrittenMemory[stateStart..], stateStart, loaded, out _);

        Assert.That(read, Is.EqualTo(stateStart));
        Assert.That(loaded.Options, Is.EqualTo(composed.Options));
        Assert.That(loaded.Run(loadedState, u), Is.EqualTo(composed.Run(state, u)));
    }

    [Test]
    public void Sections_WrongLayerCount_ThrowsNamingTheCounts()
    {
        var composed = new ComposedReservoir(TwoLayerStack());
        var single = new ComposedReservoir(ComposedReservoirOptions.Stack(Seed, [Layer(40, 0.8)]));
        var buffer = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteComposedState(buffer, composed.CreateState());

        var e = Assert.Throws<InvalidDataException>(() => ReservoirSections.ReadComposedState(buffer.WrittenMemory, 0, single, out _))!;
        Assert.That(e.Message, Does.Contain("has 2 layers but the composed reservoir has 1"));
    }

    private static double[,] Slice(double[,] values, int first)
    {
        var columns = values.GetLength(1);
        var result = new double[values.GetLength(0) - first, columns];
        Array.Copy(values, first * columns, result, 0, result.Length);
        return result;
    }
}
