using System.Buffers;
using NUnit.Framework;
using Reservoir.Numerics;
using Reservoir.Persistence;
using Reservoir.Plasticity;

namespace Reservoir.Tests;

/// <summary>The edge-of-stability update (ES²N): x(t) = (1−β)⊙O·x(t−1) + β⊙f(W·x(t−1) + W_in·u(t) + b + …).</summary>
public sealed partial class EchoStateReservoirTests
{
    /// <summary>|OᵀO − I| allowed per entry: Householder QR in double gives an orthogonal Q to a few ulps times N.</summary>
    private const double CarryOrthogonalityTolerance = 1e-12;

    /// <summary>
    /// |x_engine − x_hand| allowed over a few steps: the engine's vector tanh differs from Math.Tanh in the last bit and
    /// its sums run in another order, so a few ulps of values of size ≤ 1 per step.
    /// </summary>
    private const double HandComputationTolerance = 1e-13;

    /// <summary>
    /// The largest |x_Single − x_Double| allowed over 300 steps of an ES²N with β = 0.1 and ρ(W) = 0.9 (ρ_eff = 0.915):
    /// near the edge of stability float rounding of order 1e-7 per step is forgotten only over about 1/(1 − ρ_eff) steps.
    /// 1.1e-7 is measured; the bound is that of the contracting reservoirs.
    /// </summary>
    private const double SingleEdgeOfStabilityTolerance = SingleStateTolerance;

    /// <summary>Every feature that combines with the orthogonal carry: per-unit leak rates, skips, feedback and noise (clockwork does not combine).</summary>
    private static ReservoirOptions EdgeOfStability(int units = 61) => Featureful(units) with
    {
        Clockwork = null,
        StateCarry = StateCarry.Orthogonal,
        LeakRates = LeakRateDistribution.Uniform(0.05, 0.5),
    };

    [Test]
    public void Step_OrthogonalCarry_EqualsTheEquationComputedByHand()
    {
        const double beta = 0.3;
        var options = new ReservoirOptions
        {
            UnitCount = 20, Seed = 4, InputDimension = 2, SpectralRadius = 0.9, LeakRates = beta, InputConnectivity = 0.5,
            StateCarry = StateCarry.Orthogonal,
        };
        var reservoir = new EchoStateReservoir(options);
        var n = reservoir.UnitCount;
        var o = reservoir.CarryWeights!.ToDense();
        var w = reservoir.RecurrentWeights.ToDense();
        var input = reservoir.GetInputWeights();
        var bias = reservoir.Bias.ToArray();
        var inputs = TestData.Uniform(6, 2, 31);
        var state = reservoir.CreateState();
        var x = new double[n];

        for (var t = 0; t < inputs.GetLength(0); t++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                double carried = 0, pre = bias[i];
                for (var k = 0; k < n; k++)
                {
                    carried += o[i, k] * x[k];
                    pre += w[i, k] * x[k];
                }

                pre += input[i, 0] * inputs[t, 0] + input[i, 1] * inputs[t, 1];
                next[i] = (1 - beta) * carried + beta * Math.Tanh(pre);
            }

            x = next;
            reservoir.Step(state, TestData.Row(inputs, t));
            Assert.That(state.Values.ToArray(), Is.EqualTo(x).Within(HandComputationTolerance), $"step {t + 1}");
        }

        Assert.That(x.Max(Math.Abs), Is.GreaterThan(0.1), "the states move");
    }

    [Test]
    public void CarryWeights_Orthogonal_OTransposeOIsTheIdentity()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = 50, Seed = 8, StateCarry = StateCarry.Orthogonal });
        var o = reservoir.CarryWeights!.ToDense();

        for (var i = 0; i < 50; i++)
        {
            for (var j = 0; j < 50; j++)
            {
                double dot = 0;
                for (var k = 0; k < 50; k++)
                {
                    dot += o[k, i] * o[k, j];
                }

                Assert.That(dot, Is.EqualTo(i == j ? 1.0 : 0.0).Within(CarryOrthogonalityTolerance), $"(OᵀO)[{i}, {j}]");
            }
        }
    }

    [Test]
    public void CarryWeights_SameSeedOtherOptions_Identical_OtherSeed_Different()
    {
        var options = new ReservoirOptions { UnitCount = 30, Seed = 8, StateCarry = StateCarry.Orthogonal };
        var o = new EchoStateReservoir(options).CarryWeights!.ToDense();

        var others = new[]
        {
            options with { InputScaling = 0.2, SpectralRadius = 1.3, LeakRates = 0.1 },
            options with { Topology = ReservoirTopology.Orthogonal, InputDimension = 3, FeedbackDimension = 1 },
            options with { SkipConnections = [new SkipConnection { Delay = 2 }], Precision = Precision.Single },
        };
        foreach (var other in others)
        {
            Assert.That(new EchoStateReservoir(other).CarryWeights!.ToDense(), Is.EqualTo(o), other.ToString());
        }

        Assert.That(new EchoStateReservoir(options with { Seed = 9 }).CarryWeights!.ToDense(), Is.Not.EqualTo(o));
    }

    [Test]
    public void Constructor_DefaultStateCarry_NoCarryAndTheOtherWeightsUnchanged()
    {
        var options = new ReservoirOptions { UnitCount = 40, Seed = 3, LeakRates = 0.4 };
        var plain = new EchoStateReservoir(options);
        var edge = new EchoStateReservoir(options with { StateCarry = StateCarry.Orthogonal });

        Assert.That(options.StateCarry, Is.EqualTo(StateCarry.Identity));
        Assert.That(plain.CarryWeights, Is.Null);
        Assert.That(edge.RecurrentWeights.ToDense(), Is.EqualTo(plain.RecurrentWeights.ToDense()), "W");
        Assert.That(edge.GetInputWeights(), Is.EqualTo(plain.GetInputWeights()), "W_in");
        Assert.That(edge.LeakRates.ToArray(), Is.EqualTo(plain.LeakRates.ToArray()), "β");
    }

    [Test]
    public void FromWeights_IdentityCarry_BitIdenticalToTheLeakyUpdate()
    {
        // C = I computes the carried state as 1·x + 0, exactly x: the carry path is the leaky update bit for bit.
        var reservoir = new EchoStateReservoir(EdgeOfStability() with { StateCarry = StateCarry.Identity });
        var identity = new double[reservoir.UnitCount, reservoir.UnitCount];
        for (var i = 0; i < reservoir.UnitCount; i++)
        {
            identity[i, i] = 1;
        }

        var carried = EchoStateReservoir.FromWeights(WeightsOf(reservoir) with { Carry = SparseWeights.FromDense(identity) });
        var inputs = TestData.Uniform(200, 2, 5);
        var feedback = TestData.Uniform(200, 1, 6);

        Assert.That(ReservoirKernelsTests.Bits(Flat(StepMany(carried, inputs, feedback, StepThreads.One))),
            Is.EqualTo(ReservoirKernelsTests.Bits(Flat(StepMany(reservoir, inputs, feedback, StepThreads.One)))));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RunMany_OrthogonalCarry_BitIdenticalToOneByOne(bool wideVectors)
    {
        var reservoir = new EchoStateReservoir(EdgeOfStability());
        var units = reservoir.UnitCount;
        var sequences = Enumerable.Range(0, 19).Select(i => TestData.Uniform(6 + (i * 13) % 37, 2, 400 + i)).ToList();
        var teachers = sequences.Select((s, i) => TestData.Uniform(s.GetLength(0), 1, 800 + i)).ToList();
        var collected = sequences.Select(s => new double[s.GetLength(0) - 2, units]).ToArray();

        var saved = ReservoirKernels.UseWideVectors;
        try
        {
            ReservoirKernels.UseWideVectors = wideVectors;
            reservoir.RunMany(sequences, 2, teachers, 1, _ => (sequence, step, values, stride, column) =>
            {
                for (var i = 0; i < units; i++)
                {
                    collected[sequence][step - 2, i] = values[i * stride + column];
                }
            });
        }
        finally
        {
            ReservoirKernels.UseWideVectors = saved;
        }

        for (var i = 0; i < sequences.Count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i], 2, teachers[i]);
            Assert.That(ReservoirKernelsTests.Bits(Flat(collected[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))),
                $"sequence {i}");
        }
    }

    [TestCase(Precision.Double)]
    [TestCase(Precision.Single)]
    public void Step_OrthogonalCarryOnTwoThreads_BitIdenticalToOne(Precision precision)
    {
        var reservoir = new EchoStateReservoir(EdgeOfStability(203) with { Precision = precision });
        var inputs = TestData.Uniform(150, 2, 21);
        var feedback = TestData.Uniform(150, 1, 22);
        long[] Run(StepThreads threads) => ReservoirKernelsTests.Bits(Flat(StepMany(reservoir, inputs, feedback, threads)));

        var reference = Run(StepThreads.One);

        Assert.That(Run(StepThreads.Two), Is.EqualTo(reference));
        var state = StateWith(reservoir, StepThreads.Two);
        reservoir.Step(state, [0.1, -0.2], [0.3]);
        Assert.That(state.Columns.SplitCreated, Is.True, "the two-thread form of the step ran");
    }

    [Test]
    public void RunMany_OrthogonalCarryInSingle_BitIdenticalToOneByOne()
    {
        var reservoir = new EchoStateReservoir(EdgeOfStability() with { Precision = Precision.Single, StateNoise = 0 });
        var sequences = Enumerable.Range(0, 11).Select(i => TestData.Uniform(20 + i, 2, 60 + i)).ToList();
        var teachers = sequences.Select((s, i) => TestData.Uniform(s.GetLength(0), 1, 90 + i)).ToList();

        var batched = new double[sequences.Count][,];
        reservoir.RunMany(sequences, 0, teachers, 1, _ => (sequence, step, values, stride, column) =>
        {
            batched[sequence] ??= new double[sequences[sequence].GetLength(0), reservoir.UnitCount];
            for (var i = 0; i < reservoir.UnitCount; i++)
            {
                batched[sequence][step, i] = values[i * stride + column];
            }
        });

        for (var i = 0; i < sequences.Count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i], 0, teachers[i]);
            Assert.That(ReservoirKernelsTests.Bits(Flat(batched[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))), $"sequence {i}");
        }
    }

    [Test]
    public void Run_OrthogonalCarryInSingle_WithinToleranceOfDouble()
    {
        var options = new ReservoirOptions
        {
            UnitCount = 150, Seed = 12, SpectralRadius = 0.9, LeakRates = 0.1, StateCarry = StateCarry.Orthogonal,
        };
        var inputs = TestData.Uniform(300, 1, 44);
        var single = new EchoStateReservoir(options with { Precision = Precision.Single });
        var reference = new EchoStateReservoir(options);

        var singleStates = single.Run(inputs);
        var doubleStates = reference.Run(inputs);

        var largest = Flat(singleStates).Zip(Flat(doubleStates), (a, b) => Math.Abs(a - b)).Max();
        Assert.That(largest, Is.LessThan(SingleEdgeOfStabilityTolerance));
        Assert.That(largest, Is.GreaterThan(0), "the Single step ran in float");
    }

    [Test]
    public void ReadReservoir_OrthogonalCarry_RoundTripsAndRunsBitIdentically()
    {
        var reservoir = new EchoStateReservoir(EdgeOfStability());
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, reservoir);

        var loaded = ReservoirSections.ReadReservoir(output.WrittenMemory, 0, out var read);

        Assert.That(read, Is.EqualTo(output.WrittenCount));
        Assert.That(loaded.Options, Is.EqualTo(reservoir.Options));
        Assert.That(loaded.CarryWeights!.ToDense(), Is.EqualTo(reservoir.CarryWeights!.ToDense()));
        var inputs = TestData.Uniform(80, 2, 7);
        var feedback = TestData.Uniform(80, 1, 8);
        Assert.That(ReservoirKernelsTests.Bits(Flat(StepMany(loaded, inputs, feedback, StepThreads.One))),
            Is.EqualTo(ReservoirKernelsTests.Bits(Flat(StepMany(reservoir, inputs, feedback, StepThreads.One)))));
    }

    [Test]
    public void ReadReservoir_Version2SectionWithoutCarry_ReadsAsTheLeakyUpdate()
    {
        // A section as version 2 wrote it: the same bytes up to the precision, without the carry's presence flag.
        var reservoir = EchoStateReservoir.FromWeights(WeightsOf(new EchoStateReservoir(Featureful(20) with { Clockwork = null })));
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, reservoir);
        var bytes = output.WrittenSpan.ToArray();
        var tag = System.Text.Encoding.UTF8.GetBytes(EchoStateReservoirSerializer.Tag);
        var version = bytes.AsSpan().IndexOf(tag) + tag.Length;
        Assert.That(BitConverter.ToUInt16(bytes, version), Is.EqualTo(EchoStateReservoirSerializer.Version));
        Assert.That(bytes[^1], Is.Zero, "the absent carry's flag ends the section");
        BitConverter.GetBytes((ushort)2).CopyTo(bytes, version);

        var loaded = ReservoirSections.ReadReservoir(bytes.AsMemory(0, bytes.Length - 1), 0, out var read);

        Assert.That(read, Is.EqualTo(bytes.Length - 1));
        Assert.That(loaded.CarryWeights, Is.Null);
        var inputs = TestData.Uniform(50, 2, 9);
        var feedback = TestData.Uniform(50, 1, 10);
        Assert.That(ReservoirKernelsTests.Bits(Flat(StepMany(loaded, inputs, feedback, StepThreads.One))),
            Is.EqualTo(ReservoirKernelsTests.Bits(Flat(StepMany(reservoir, inputs, feedback, StepThreads.One)))));
    }

    [Test]
    public void IntrinsicPlasticityTrain_OrthogonalCarry_KeepsTheCarry()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 30, Seed = 2, LeakRates = 0.2, StateCarry = StateCarry.Orthogonal,
        });

        var trained = IntrinsicPlasticity.Train(reservoir, TestData.Uniform(300, 1, 3),
            new IntrinsicPlasticityOptions { Epochs = 1 });

        Assert.That(trained.CarryWeights, Is.SameAs(reservoir.CarryWeights));
        Assert.That(trained.Run(TestData.Uniform(50, 1, 4)).Cast<double>(), Is.All.Matches<double>(double.IsFinite));
    }

    [Test]
    public void Constructor_OrthogonalCarryWithClockwork_ThrowsNamingClockwork()
    {
        var options = new ReservoirOptions
        {
            UnitCount = 20, Seed = 1, StateCarry = StateCarry.Orthogonal, Clockwork = new ClockworkOptions { Periods = [1, 2] },
        };

        Assert.That(() => new EchoStateReservoir(options), Throws.ArgumentException
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("Clockwork")
            .And.Message.Contains("StateCarry = Orthogonal"));
    }

    [Test]
    public void Constructor_UndefinedStateCarry_ThrowsNamingStateCarry()
    {
        var options = new ReservoirOptions { UnitCount = 20, Seed = 1, StateCarry = (StateCarry)7 };

        Assert.That(() => new EchoStateReservoir(options), Throws.InstanceOf<ArgumentOutOfRangeException>()
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("StateCarry")
            .And.Message.Contains("Identity, Orthogonal"));
    }

    [Test]
    public void FromWeights_CarryOfWrongSizeOrWithClockwork_ThrowsNamingCarry()
    {
        var weights = WeightsOf(new EchoStateReservoir(new ReservoirOptions { UnitCount = 6, Seed = 1, LeakRates = 0.5 }));
        var wrongSize = weights with { Carry = SparseWeights.FromDense(new double[5, 5]) };
        var withClockwork = weights with
        {
            Carry = SparseWeights.FromDense(new double[6, 6]),
            Clockwork = new ClockworkOptions { Periods = [1, 2] },
        };

        Assert.That(() => EchoStateReservoir.FromWeights(wrongSize), Throws.ArgumentException
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("Carry").And.Message.Contains("5×5; expected 6×6"));
        Assert.That(() => EchoStateReservoir.FromWeights(withClockwork), Throws.ArgumentException
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("Carry").And.Message.Contains("Clockwork"));
    }

    [Test]
    public void EffectiveSpectralRadius_OrthogonalCarry_WithinBetaNormOfWOfTheCircleOfRadiusOneMinusBeta()
    {
        const double beta = 0.2;
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 100, Seed = 6, SpectralRadius = 0.05, LeakRates = beta, StateCarry = StateCarry.Orthogonal,
        });
        // The Frobenius norm bounds the spectral norm ‖W‖₂ of the Bauer–Fike bound.
        var frobenius = Math.Sqrt(reservoir.RecurrentWeights.Values.ToArray().Sum(v => v * v));

        Assert.That(reservoir.EffectiveSpectralRadius, Is.EqualTo(1 - beta).Within(beta * frobenius));
    }

    [Test]
    public void EffectiveSpectralRadius_IdentityCarry_EqualsTheLeakyUpdates()
    {
        var plain = new EchoStateReservoir(new ReservoirOptions { UnitCount = 80, Seed = 6, SpectralRadius = 1.1, LeakRates = 0.3 });
        var identity = new double[80, 80];
        for (var i = 0; i < 80; i++)
        {
            identity[i, i] = 1;
        }

        var carried = EchoStateReservoir.FromWeights(WeightsOf(plain) with { Carry = SparseWeights.FromDense(identity) });

        Assert.That(carried.EffectiveSpectralRadius, Is.EqualTo(plain.EffectiveSpectralRadius).Within(1e-8));
    }

    /// <summary>The weights of <paramref name="reservoir"/> as a <see cref="ReservoirWeights"/> record.</summary>
    private static ReservoirWeights WeightsOf(EchoStateReservoir reservoir) => new()
    {
        Recurrent = reservoir.RecurrentWeights,
        Input = SparseWeights.FromDense(reservoir.GetInputWeights()),
        Feedback = reservoir.FeedbackDimension > 0 ? SparseWeights.FromDense(reservoir.GetFeedbackWeights()) : null,
        Skip = reservoir.SkipWeights,
        LeakRates = [.. reservoir.LeakRates],
        Bias = [.. reservoir.Bias],
        Carry = reservoir.CarryWeights,
        Activation = reservoir.Activation,
        StateNoise = reservoir.StateNoise,
        Seed = reservoir.NoiseSeed,
        Precision = reservoir.Precision,
    };
}
