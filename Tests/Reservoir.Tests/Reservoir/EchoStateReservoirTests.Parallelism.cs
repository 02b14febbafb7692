using NUnit.Framework;
using Reservoir.Numerics;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    /// <summary>Every feature that reaches the step kernels: per-unit leak rates, skip connections, clockwork, feedback and noise.</summary>
    private static ReservoirOptions Featureful(int units = 203) => new()
    {
        UnitCount = units,
        Seed = 11,
        InputDimension = 2,
        SpectralRadius = 0.95,
        RecurrentConnectivity = 0.15,
        InputConnectivity = 0.5,
        LeakRates = LeakRateDistribution.Uniform(0.1, 0.9),
        SkipConnections = [new SkipConnection { Delay = 1 }, new SkipConnection { Delay = 3 }],
        Clockwork = new ClockworkOptions { Periods = [1, 2, 5] },
        FeedbackDimension = 1,
        FeedbackScaling = 0.3,
        StateNoise = 1e-3,
    };

    /// <summary>A state of <paramref name="reservoir"/> whose steps use the given threads (<see cref="StepThreads.Two"/> splits even small steps).</summary>
    private static ReservoirState StateWith(EchoStateReservoir reservoir, StepThreads threads, long noiseStream = 0)
    {
        var state = reservoir.CreateState(noiseStream);
        state.Threads = threads;
        return state;
    }

    private static double[,] StepMany(EchoStateReservoir reservoir, double[,] inputs, double[,] feedback, StepThreads threads)
    {
        var state = StateWith(reservoir, threads, 3);
        var steps = inputs.GetLength(0);
        var states = new double[steps, reservoir.UnitCount];
        for (var t = 0; t < steps; t++)
        {
            reservoir.Step(state, TestData.Row(inputs, t), TestData.Row(feedback, t));
            for (var i = 0; i < reservoir.UnitCount; i++)
            {
                states[t, i] = state.Values[i];
            }
        }

        return states;
    }

    [Test]
    public void Step_OneAndTwoThreads_BitIdentical()
    {
        var reservoir = new EchoStateReservoir(Featureful());
        var inputs = TestData.Uniform(300, 2, 21);
        var feedback = TestData.Uniform(300, 1, 22);
        long[] Run(StepThreads threads) => ReservoirKernelsTests.Bits(Flat(StepMany(reservoir, inputs, feedback, threads)));

        var reference = Run(StepThreads.One);

        Assert.That(Run(StepThreads.Two), Is.EqualTo(reference), "two threads");
        Assert.That(Run(StepThreads.Auto), Is.EqualTo(reference), "automatic");
        Assert.That(reference.Distinct().Count(), Is.GreaterThan(1000), "the states move");
    }

    [Test]
    public void Step_TwoThreads_SplitsTheStep()
    {
        var reservoir = new EchoStateReservoir(Featureful());
        var state = StateWith(reservoir, StepThreads.Two);

        reservoir.Step(state, [0.1, -0.2], [0.3]);

        Assert.That(state.Columns.SplitCreated, Is.True, "the two-thread form of the step ran");
        var alone = StateWith(reservoir, StepThreads.One);
        reservoir.Step(alone, [0.1, -0.2], [0.3]);
        Assert.That(alone.Columns.SplitCreated, Is.False);
    }

    [TestCase(0)]
    [TestCase(1)]
    public void StepSplit_OnePartTakesEveryPiece_BitIdenticalToOneThread(int first)
    {
        // As when the other thread is descheduled for the whole step: the first part to run computes every piece, and
        // the second finds nothing left. Clockwork, so that some steps update only some modules.
        var reservoir = new EchoStateReservoir(Featureful(61) with { StateNoise = 0 });
        var one = new StateColumns(reservoir, [new NoiseSource(1)]) { Threads = StepThreads.One };
        var split = new StateColumns(reservoir, [new NoiseSource(1)]) { Threads = StepThreads.One };
        var inputs = TestData.Uniform(12, 2, 41);
        var feedback = TestData.Uniform(12, 1, 42);

        for (var t = 0; t < 12; t++)
        {
            Assert.That(StepEngine.Step(one, TestData.Row(inputs, t), TestData.Row(feedback, t), allowSplit: false), Is.EqualTo(-1));
            split.Split.Prepare(TestData.Row(inputs, t), TestData.Row(feedback, t), split.Width);
            split.Split.Execute(first);
            split.Split.Execute(1 - first);
            for (var m = 0; m < reservoir.ModuleCount; m++)
            {
                if (reservoir.ModuleUpdates(m, split.StepCount))
                {
                    var rows = reservoir.ModuleStarts[m]..reservoir.ModuleStarts[m + 1];
                    Assert.That(ReservoirKernelsTests.Bits(split.Next[rows]), Is.EqualTo(ReservoirKernelsTests.Bits(one.Current[rows])),
                        $"step {t}, module {m}");
                }
            }

            // Then step it for real, so that both states carry on from the same block.
            Assert.That(StepEngine.Step(split, TestData.Row(inputs, t), TestData.Row(feedback, t), allowSplit: false), Is.EqualTo(-1));
        }
    }

    [Test]
    public void StepSplit_Cuts_CoverEachModuleInOrderAroundItsSplitUnit()
    {
        var reservoir = new EchoStateReservoir(Featureful(203));
        var cuts = StepSplit.Cuts(reservoir);
        var pieces = 2 * StepSplit.PiecesPerPart;

        Assert.That(cuts, Has.Length.EqualTo(reservoir.ModuleCount * (pieces + 1)));
        for (var m = 0; m < reservoir.ModuleCount; m++)
        {
            var own = cuts.AsSpan(m * (pieces + 1), pieces + 1).ToArray();
            Assert.That(own[0], Is.EqualTo(reservoir.ModuleStarts[m]), $"module {m} start");
            Assert.That(own[StepSplit.PiecesPerPart], Is.EqualTo(reservoir.ModuleSplits[m]), $"module {m} split unit");
            Assert.That(own[pieces], Is.EqualTo(reservoir.ModuleStarts[m + 1]), $"module {m} end");
            Assert.That(own, Is.Ordered, $"module {m}");
            var nonZeros = Enumerable.Range(0, pieces)
                .Select(p => reservoir.CompactRecurrent.NonZerosIn(own[p], own[p + 1])).ToArray();
            Assert.That(nonZeros.Max() - nonZeros.Min(), Is.LessThanOrEqualTo(nonZeros.Average() * 0.5 + 60),
                $"module {m}: pieces of about equal work ({string.Join(", ", nonZeros)})");
        }
    }

    [Test]
    public void StepEngine_BlockOfSequencesOverTwoThreads_BitIdenticalToOneThread()
    {
        var reservoir = new EchoStateReservoir(Featureful(97));
        StateColumns Block(StepThreads threads) =>
            new(reservoir, Enumerable.Range(0, 6).Select(b => new NoiseSource(reservoir.NoiseSeedFor(b))).ToArray()) { Threads = threads };
        var one = Block(StepThreads.One);
        var two = Block(StepThreads.Two);
        var inputs = TestData.Uniform(40 * 6, 2, 31);
        var feedback = TestData.Uniform(40 * 6, 1, 32);

        for (var t = 0; t < 40; t++)
        {
            one.ActiveCount = two.ActiveCount = 6 - t / 10;
            for (var b = 0; b < 6; b++)
            {
                foreach (var block in new[] { one, two })
                {
                    block.SetInput(b, TestData.Row(inputs, t * 6 + b));
                    block.SetFeedback(b, TestData.Row(feedback, t * 6 + b));
                }
            }

            Assert.That(StepEngine.Step(one, one.Inputs, one.Feedback, allowSplit: true), Is.EqualTo(-1));
            Assert.That(StepEngine.Step(two, two.Inputs, two.Feedback, allowSplit: true), Is.EqualTo(-1));
            Assert.That(ReservoirKernelsTests.Bits(two.Current), Is.EqualTo(ReservoirKernelsTests.Bits(one.Current)), $"step {t}");
        }

        Assert.That(two.SplitCreated, Is.True);
        Assert.That(one.SplitCreated, Is.False);
    }

    [Test]
    public void Step_TwoThreads_EqualsNaiveDenseUpdate()
    {
        var reservoir = new EchoStateReservoir(Small() with { LeakRates = LeakRateDistribution.Uniform(0.2, 0.8) });
        var w = reservoir.RecurrentWeights.ToDense();
        var win = reservoir.GetInputWeights();
        var bias = reservoir.Bias.ToArray();
        var alpha = reservoir.LeakRates.ToArray();
        var inputs = TestData.Uniform(20, 2, 23);
        var x = new double[reservoir.UnitCount];
        var state = StateWith(reservoir, StepThreads.Two);

        for (var t = 0; t < 20; t++)
        {
            reservoir.Step(state, TestData.Row(inputs, t));
            var next = new double[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                var sum = bias[i] + win[i, 0] * inputs[t, 0] + win[i, 1] * inputs[t, 1];
                for (var j = 0; j < x.Length; j++)
                {
                    sum += w[i, j] * x[j];
                }

                next[i] = (1 - alpha[i]) * x[i] + alpha[i] * Math.Tanh(sum);
            }

            x = next;
            Assert.That(state.Values.ToArray(), Is.EqualTo(x).Within(1e-12), $"step {t}");
        }
    }

    [Test]
    public void Step_TwoThreadSplit_AllocatesNothing()
    {
        var reservoir = new EchoStateReservoir(Featureful());
        var state = StateWith(reservoir, StepThreads.Two);
        double[] input = [0.1, -0.2];
        double[] feedback = [0.3];
        reservoir.Step(state, input, feedback);

        var allocated = Allocations.Fewest(() =>
        {
            for (var t = 0; t < 1000; t++)
            {
                reservoir.Step(state, input, feedback);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [TestCase(1)]
    [TestCase(-1)]
    public void Run_ManySequencesOfDifferentLengths_BitIdenticalToOneByOne(int maxDegreeOfParallelism)
    {
        var reservoir = new EchoStateReservoir(Featureful(61));
        var lengths = Enumerable.Range(0, 45).Select(i => 12 + (i * 7) % 23).ToArray();
        var sequences = lengths.Select((length, i) => TestData.Uniform(length, 2, 100 + i)).ToList();

        var batched = reservoir.Run(sequences, washoutSteps: 4, maxDegreeOfParallelism);

        for (var i = 0; i < sequences.Count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i], 4);
            Assert.That(ReservoirKernelsTests.Bits(Flat(batched[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))),
                $"sequence {i}");
        }
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(32)]
    public void RunMany_AnyBatchSize_SameStates(int maxBatchSize)
    {
        var reservoir = new EchoStateReservoir(Featureful(37) with { Clockwork = null });
        var sequences = Enumerable.Range(0, 9).Select(i => TestData.Uniform(30 - i, 2, 200 + i)).ToList();
        var expected = reservoir.Run(sequences, maxDegreeOfParallelism: 1);
        var collected = sequences.Select(s => new double[s.GetLength(0), reservoir.UnitCount]).ToArray();

        reservoir.RunMany(sequences, 0, null, 1, _ => (sequence, step, values, stride, column) =>
        {
            for (var i = 0; i < reservoir.UnitCount; i++)
            {
                collected[sequence][step, i] = values[i * stride + column];
            }
        }, maxBatchSize);

        for (var i = 0; i < sequences.Count; i++)
        {
            Assert.That(ReservoirKernelsTests.Bits(Flat(collected[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(expected[i]))));
        }
    }

    [Test]
    public void Run_ManySequencesOneDiverges_ThrowsNamingSequenceAndStep()
    {
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Diagonal(1, 1e200), Input = TestData.Ones(1), LeakRates = [1.0], Activation = Activation.Identity,
        });
        var calm = new double[5, 1];
        var diverging = new double[5, 1];
        diverging[0, 0] = 1.0;

        var error = Assert.Throws<InvalidOperationException>(
            () => reservoir.Run([calm, calm, diverging], maxDegreeOfParallelism: 1));

        Assert.That(error!.Message, Does.Contain("sequence 2").And.Contain("step 3"));
    }

    private static double[] Flat(double[,] matrix) => matrix.Cast<double>().ToArray();
}
