using NUnit.Framework;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private const double Exact = 1e-14;

    [Test]
    public void Run_EchoStateProperty_DifferentInitialStatesConverge()
    {
        var reservoir = new EchoStateReservoir(Small() with { SpectralRadius = 0.8 });
        var inputs = TestData.Uniform(300, 2, 5);
        var a = reservoir.CreateState();
        var b = reservoir.CreateState();
        b.SetValues(Enumerable.Range(0, reservoir.UnitCount).Select(i => i % 2 == 0 ? 0.9 : -0.9).ToArray());
        var initialGap = Distance(a.Values, b.Values);

        reservoir.Run(a, inputs);
        reservoir.Run(b, inputs);

        Assert.That(Distance(a.Values, b.Values), Is.LessThan(1e-6 * initialGap));
    }

    [Test]
    public void Step_LeakRateOne_EqualsPlainEsnUpdate()
    {
        var reservoir = new EchoStateReservoir(Small() with { LeakRates = 1.0 });
        var state = reservoir.CreateState();
        var w = reservoir.RecurrentWeights.ToDense();
        var win = reservoir.GetInputWeights();
        var bias = reservoir.Bias.ToArray();
        var inputs = TestData.Uniform(5, 2, 9);
        var x = new double[reservoir.UnitCount];

        for (var t = 0; t < 5; t++)
        {
            reservoir.Step(state, TestData.Row(inputs, t));
            var next = new double[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                var pre = bias[i] + win[i, 0] * inputs[t, 0] + win[i, 1] * inputs[t, 1];
                for (var j = 0; j < x.Length; j++)
                {
                    pre += w[i, j] * x[j];
                }

                next[i] = Math.Tanh(pre);
            }

            x = next;
            Assert.That(state.Values.ToArray(), Is.EqualTo(x).Within(1e-13));
        }
    }

    [TestCase(0.3)]
    [TestCase(0.05)]
    [TestCase(1.0)]
    public void Run_LinearUnitWithoutRecurrence_ImpulseResponseDecaysGeometrically(double alpha)
    {
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Zero(1), Input = TestData.Ones(1), LeakRates = [alpha], Activation = Activation.Identity,
        });
        var inputs = new double[30, 1];
        inputs[0, 0] = 1;

        var states = reservoir.Run(inputs);

        for (var t = 0; t < 30; t++)
        {
            Assert.That(states[t, 0], Is.EqualTo(alpha * Math.Pow(1 - alpha, t)).Within(1e-15), $"step {t}");
        }
    }

    [Test]
    public void Run_SkipConnection_RespondsToImpulseExactlyDelayStepsLater()
    {
        const int delay = 4;
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Zero(2),
            Input = SparseWeights.FromDense(new double[,] { { 1 }, { 0 } }),
            LeakRates = [1.0, 1.0],
            Activation = Activation.Identity,
            Skip = [new DelayedWeights(delay, SparseWeights.FromTriplets(2, 2, [1], [0], [0.5]))],
        });
        var inputs = new double[12, 1];
        inputs[2, 0] = 1;

        var states = reservoir.Run(inputs);

        for (var t = 0; t < 12; t++)
        {
            Assert.That(states[t, 0], Is.EqualTo(t == 2 ? 1.0 : 0.0), $"unit 0, step {t}");
            Assert.That(states[t, 1], Is.EqualTo(t == 2 + delay ? 0.5 : 0.0), $"unit 1, step {t}");
        }
    }

    [Test]
    public void Run_GeneratedSkipConnections_ChangeTheStates()
    {
        var plain = new EchoStateReservoir(Small());
        var skipped = new EchoStateReservoir(Small() with
        {
            SkipConnections = [new SkipConnection { Delay = 2 }, new SkipConnection { Delay = 7, SpectralRadius = 0.3 }],
        });
        var inputs = TestData.Uniform(40, 2, 2);

        Assert.That(skipped.SkipWeights.Select(s => s.Delay), Is.EqualTo(new[] { 2, 7 }));
        Assert.That(Observables.SpectralAnalysis.SpectralRadius(skipped.SkipWeights[1].Weights), Is.EqualTo(0.3).Within(1e-9));
        Assert.That(TestData.MaxAbsDifference(plain.Run(inputs), skipped.Run(inputs)), Is.GreaterThan(1e-3));
    }

    [Test]
    public void Run_Clockwork_ModulesUpdateExactlyAtTheirPeriods()
    {
        int[] periods = [1, 2, 4, 8];
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 40, Seed = 4, RecurrentConnectivity = 0.3, InputConnectivity = 1, LeakRates = 0.7,
            Clockwork = new ClockworkOptions { Periods = [.. periods] },
        });
        var inputs = TestData.Uniform(33, 1, 6);

        var states = reservoir.Run(inputs);

        var starts = reservoir.ClockworkModuleStarts;
        Assert.That(starts, Is.EqualTo(new[] { 0, 10, 20, 30, 40 }));
        for (var t = 1; t < 33; t++)
        {
            // Row t is the state after step t + 1, computed at step counter t.
            for (var m = 0; m < periods.Length; m++)
            {
                var changed = Enumerable.Range(starts[m], starts[m + 1] - starts[m]).Any(i => states[t, i] != states[t - 1, i]);
                Assert.That(changed, Is.EqualTo(t % periods[m] == 0), $"module {m} at step counter {t}");
            }
        }
    }

    [Test]
    public void Constructor_Clockwork_ConnectionsOnlyFromSlowerOrSameModule()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 30, Seed = 2, RecurrentConnectivity = 0.5,
            Clockwork = new ClockworkOptions { Periods = [1, 3, 9], ModuleSizes = [5, 10, 15] },
        });
        var starts = reservoir.ClockworkModuleStarts;
        int Module(int unit) => Enumerable.Range(0, 3).Last(m => starts[m] <= unit);

        var entries = reservoir.RecurrentWeights.NonZeros().ToList();

        Assert.That(entries, Is.Not.Empty);
        Assert.That(entries.All(e => Module(e.Column) >= Module(e.Row)), Is.True);
        Assert.That(entries.Any(e => Module(e.Column) > Module(e.Row)), Is.True, "slower modules feed faster ones");
    }

    [Test]
    public void Run_ManySequencesInParallel_EqualsSequential()
    {
        var reservoir = new EchoStateReservoir(Small() with { StateNoise = 1e-3 });
        var sequences = Enumerable.Range(0, 8).Select(i => TestData.Uniform(50 + 10 * i, 2, i)).ToList();

        var parallel = reservoir.Run(sequences, washoutSteps: 5);
        var sequential = reservoir.Run(sequences, washoutSteps: 5, maxDegreeOfParallelism: 1);

        for (var i = 0; i < sequences.Count; i++)
        {
            Assert.That(parallel[i], Is.EqualTo(sequential[i]));
            Assert.That(parallel[i], Is.EqualTo(reservoir.Run(reservoir.CreateState(i), sequences[i], 5)));
        }
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(256)]
    [TestCase(1000)]
    public void RunStreamed_AnyBlockSize_EqualsRun(int blockSize)
    {
        var reservoir = new EchoStateReservoir(Small());
        var inputs = TestData.Uniform(300, 2, 8);
        var expected = reservoir.Run(inputs, washoutSteps: 20);
        var collected = new List<double>();
        var firstSteps = new List<int>();

        reservoir.RunStreamed(reservoir.CreateState(), inputs, (in StateBlock block) =>
        {
            firstSteps.Add(block.FirstStep);
            Assert.That(block.Inputs[0], Is.EqualTo(inputs[block.FirstStep, 0]));
            collected.AddRange(block.States.ToArray());
        }, washoutSteps: 20, blockSize: blockSize);

        Assert.That(collected, Is.EqualTo(expected.Cast<double>()));
        Assert.That(firstSteps[0], Is.EqualTo(20));
    }

    [Test]
    public void Clone_ContinuesIdentically_IncludingNoiseAndDelayBuffer()
    {
        var reservoir = new EchoStateReservoir(Small() with
        {
            StateNoise = 0.01, SkipConnections = [new SkipConnection { Delay = 3 }],
        });
        var state = reservoir.CreateState();
        reservoir.Run(state, TestData.Uniform(20, 2, 1));
        var copy = state.Clone();
        var more = TestData.Uniform(15, 2, 2);

        Assert.That(reservoir.Run(copy, more), Is.EqualTo(reservoir.Run(state, more)));
        Assert.That(copy.StepCount, Is.EqualTo(35));
    }

    [Test]
    public void Run_StateNoise_SameSeedSameNoiseOtherStreamDifferent()
    {
        var reservoir = new EchoStateReservoir(Small() with { StateNoise = 0.01 });
        var inputs = TestData.Uniform(30, 2, 1);

        var a = reservoir.Run(reservoir.CreateState(0), inputs);
        var b = reservoir.Run(reservoir.CreateState(0), inputs);
        var c = reservoir.Run(reservoir.CreateState(1), inputs);

        Assert.That(a, Is.EqualTo(b));
        Assert.That(TestData.MaxAbsDifference(a, c), Is.GreaterThan(1e-4));
        Assert.That(TestData.MaxAbsDifference(a, new EchoStateReservoir(Small()).Run(inputs)), Is.LessThan(0.1));
    }

    [Test]
    public void Run_TeacherOutputs_FeedsBackThePreviousRow()
    {
        var reservoir = new EchoStateReservoir(Small() with { FeedbackDimension = 1, FeedbackScaling = 0.5 });
        var inputs = TestData.Uniform(20, 2, 3);
        var teacher = TestData.Uniform(20, 1, 4);

        var states = reservoir.Run(reservoir.CreateState(), inputs, teacherOutputs: teacher);

        var manual = reservoir.CreateState();
        for (var t = 0; t < 20; t++)
        {
            double[] feedback = t == 0 ? [0.0] : [teacher[t - 1, 0]];
            reservoir.Step(manual, TestData.Row(inputs, t), feedback);
            Assert.That(manual.Values.ToArray(), Is.EqualTo(TestData.Row(states, t)).Within(Exact));
        }

        Assert.That(reservoir.GetFeedbackWeights()[0, 0], Is.Not.EqualTo(0.0));
    }

    [Test]
    public void Step_AfterWarmUp_AllocatesNothing()
    {
        var reservoir = new EchoStateReservoir(Small() with
        {
            LeakRates = LeakRateDistribution.Uniform(0.2, 0.9), StateNoise = 1e-4,
            SkipConnections = [new SkipConnection { Delay = 2 }],
            Clockwork = new ClockworkOptions { Periods = [1, 2] },
        });
        var state = reservoir.CreateState();
        double[] input = [0.1, -0.2];
        reservoir.Step(state, input);

        var allocated = Allocations.Fewest(() =>
        {
            for (var t = 0; t < 1000; t++)
            {
                reservoir.Step(state, input);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Step_StateBecomesNonFinite_ThrowsNamingTheStepAndKeepsThePreviousState()
    {
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Diagonal(1, 1e200), Input = TestData.Ones(1), LeakRates = [1.0], Activation = Activation.Identity,
        });
        var state = reservoir.CreateState();
        reservoir.Step(state, [1.0]);
        reservoir.Step(state, [0.0]);
        var before = state.Values[0];

        var error = Assert.Throws<InvalidOperationException>(() => reservoir.Step(state, [0.0]));

        Assert.That(error!.Message, Does.Contain("step 3"));
        Assert.That(state.Values[0], Is.EqualTo(before));
        Assert.That(state.StepCount, Is.EqualTo(2));
    }

    [Test]
    public void EffectiveSpectralRadius_ConstantLeak_IsLeakyMixOfTheRecurrentSpectrum()
    {
        // For a symmetric positive W the dominant eigenvalue is real and positive: ρ_eff = 1 − α + α·ρ(W).
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Diagonal(3, 0.8), Input = TestData.Ones(3), LeakRates = [0.25, 0.25, 0.25],
        });

        Assert.That(reservoir.EffectiveSpectralRadius, Is.EqualTo(0.75 + 0.25 * 0.8).Within(1e-12));
    }

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return Math.Sqrt(sum);
    }
}
