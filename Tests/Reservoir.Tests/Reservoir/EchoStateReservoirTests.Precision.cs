using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Numerics;
using Reservoir.Pipelines;
using Reservoir.Persistence;
using Reservoir.Readouts;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    /// <summary>
    /// The largest |x_Single − x_Double| allowed over 1000 steps of a contracting tanh reservoir. Each float operation
    /// rounds with a relative error of at most 2^−24 ≈ 6e-8; a unit sums ten to a few tens of terms of size ≤ 1, so one
    /// step adds an error of order 1e-7 to 1e-6, and a contraction of ρ_eff ≤ 0.97 per step keeps what accumulates within
    /// a small multiple of that. The four reservoirs below measure 1.7e-7 to 5.1e-7; the bound leaves a factor of twenty.
    /// </summary>
    private const double SingleStateTolerance = 1e-5;

    /// <summary>
    /// The largest relative change of the one-step Mackey–Glass NRMSE when the reservoir steps in Single. The readout is
    /// fitted on the Single states themselves, so only the float rounding in the features (below 1e-6) changes the fit:
    /// the measured NRMSEs agree to five digits (7.0023e-4 both), and 1 % still separates a working Single step from one
    /// that loses the signal.
    /// </summary>
    private const double SingleNrmseRelativeTolerance = 0.01;

    /// <summary>The bytes version 3 of the options section appends: JumpLength, JumpWeight, SmallWorldNeighbours, RewiringProbability.</summary>
    private const int TopologyOptionBytes = 2 * sizeof(int) + 2 * sizeof(double);

    /// <summary>The bytes version 4 of the options section appends: StateCarry (an Int32).</summary>
    private const int StateCarryOptionBytes = sizeof(int);

    /// <summary>The bytes version 3 of the reservoir section appends for a reservoir without carry: the presence flag.</summary>
    private const int AbsentCarryBytes = 1;

    private static IEnumerable<TestCaseData> ContractingReservoirs()
    {
        yield return new TestCaseData(new ReservoirOptions { UnitCount = 100, Seed = 1, SpectralRadius = 0.9 })
            .SetArgDisplayNames("N100NoLeak");
        yield return new TestCaseData(new ReservoirOptions
        {
            UnitCount = 300, Seed = 2, SpectralRadius = 0.95, LeakRates = 0.3, InputScaling = 0.5,
        }).SetArgDisplayNames("N300Leak0.3");
        yield return new TestCaseData(new ReservoirOptions
        {
            UnitCount = 500, Seed = 3, SpectralRadius = 0.8, RecurrentInDegree = 10,
            LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, 20), InputDimension = 2,
        }).SetArgDisplayNames("N500InDegree10TimeConstants");
        yield return new TestCaseData(Featureful() with { StateNoise = 0 }).SetArgDisplayNames("SkipClockworkFeedback");
    }

    [TestCaseSource(nameof(ContractingReservoirs))]
    public void Run_SingleOnContractingTanhReservoir_WithinToleranceOfDouble(ReservoirOptions options)
    {
        var inputs = TestData.Uniform(1000, options.InputDimension, 41);
        var teacher = options.FeedbackDimension == 0 ? null : TestData.Uniform(1000, options.FeedbackDimension, 42);
        var single = new EchoStateReservoir(options with { Precision = Precision.Single });
        var reference = new EchoStateReservoir(options);

        var singleStates = single.Run(single.CreateState(), inputs, 0, teacher);
        var doubleStates = reference.Run(reference.CreateState(), inputs, 0, teacher);

        var difference = TestData.MaxAbsDifference(singleStates, doubleStates);
        TestContext.Out.WriteLine($"max |x_Single - x_Double| = {difference:E2}, effective spectral radius {reference.EffectiveSpectralRadius:F3}");
        Assert.Multiple(() =>
        {
            Assert.That(reference.EffectiveSpectralRadius, Is.LessThan(1), "the reservoir contracts");
            Assert.That(difference, Is.LessThanOrEqualTo(SingleStateTolerance));
            Assert.That(difference, Is.GreaterThan(0), "the Single step rounds to float");
            Assert.That(singleStates.Cast<double>().All(x => x == (float)x), Is.True, "every Single state is a float");
        });
    }

    [Test]
    public void Constructor_PrecisionDefault_IsDoubleAndCarriedIntoTheReservoir()
    {
        var options = Small();

        Assert.Multiple(() =>
        {
            Assert.That(options.Precision, Is.EqualTo(Precision.Double));
            Assert.That(new EchoStateReservoir(options).Precision, Is.EqualTo(Precision.Double));
            Assert.That(new EchoStateReservoir(options with { Precision = Precision.Single }).Precision, Is.EqualTo(Precision.Single));
            Assert.That(new ReservoirWeights
            {
                Recurrent = TestData.Zero(2), Input = TestData.Ones(2), LeakRates = [1.0, 1.0],
            }.Precision, Is.EqualTo(Precision.Double));
        });
    }

    [TestCase(2)]
    [TestCase(-1)]
    public void Constructor_UndefinedPrecision_ThrowsNamingPrecision(int value)
    {
        var options = Small() with { Precision = (Precision)value };

        Assert.That(() => new EchoStateReservoir(options), Throws.InstanceOf<ArgumentOutOfRangeException>()
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("Precision")
            .And.Message.Contains($"was {value}"));
    }

    [Test]
    public void FromWeights_UndefinedPrecision_ThrowsNamingPrecision()
    {
        var weights = new ReservoirWeights
        {
            Recurrent = TestData.Zero(2), Input = TestData.Ones(2), LeakRates = [1.0, 1.0], Precision = (Precision)7,
        };

        Assert.That(() => EchoStateReservoir.FromWeights(weights), Throws.InstanceOf<ArgumentOutOfRangeException>()
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("Precision"));
    }

    [Test]
    public void Run_SingleSameSeed_BitIdentical()
    {
        var options = Featureful() with { Precision = Precision.Single };
        var inputs = TestData.Uniform(300, 2, 43);
        var teacher = TestData.Uniform(300, 1, 44);
        long[] Run()
        {
            var reservoir = new EchoStateReservoir(options);
            return ReservoirKernelsTests.Bits(Flat(reservoir.Run(reservoir.CreateState(), inputs, 0, teacher)));
        }

        var first = Run();

        Assert.That(Run(), Is.EqualTo(first));
        Assert.That(first.Distinct().Count(), Is.GreaterThan(1000), "the states move");
    }

    [Test]
    public void Step_SingleOneAndTwoThreads_BitIdentical()
    {
        var reservoir = new EchoStateReservoir(Featureful() with { Precision = Precision.Single });
        var inputs = TestData.Uniform(300, 2, 21);
        var feedback = TestData.Uniform(300, 1, 22);
        long[] Run(StepThreads threads) => ReservoirKernelsTests.Bits(Flat(StepMany(reservoir, inputs, feedback, threads)));

        var reference = Run(StepThreads.One);

        Assert.That(Run(StepThreads.Two), Is.EqualTo(reference), "two threads");
        Assert.That(reference.Distinct().Count(), Is.GreaterThan(1000), "the states move");
    }

    [TestCase(37, 3, 1)]
    [TestCase(61, 33, 1)]
    [TestCase(29, 64, 1)]
    [TestCase(203, 17, 2)]
    public void RunMany_SingleWithEveryFeature_BitIdenticalToOneByOne(int units, int count, int threads)
    {
        // Noise, skip connections, clockwork, per-unit leak rates and teacher-forced feedback on sequences of different
        // lengths, so that a block computes 32, 24, 16 and 8 columns as its sequences end (one 512-bit pass, two, and a
        // 256-bit one); on one thread a block of 17 or more sequences is also split over the step worker.
        var reservoir = new EchoStateReservoir(Featureful(units) with { Precision = Precision.Single });
        var sequences = Enumerable.Range(0, count).Select(i => TestData.Uniform(6 + (i * 13) % 37, 2, 400 + i)).ToList();
        var teachers = sequences.Select((s, i) => TestData.Uniform(s.GetLength(0), 1, 800 + i)).ToList();
        var collected = sequences.Select(s => new double[s.GetLength(0) - 2, units]).ToArray();
        var widest = 0;

        reservoir.RunMany(sequences, 2, teachers, threads, _ => (sequence, step, values, stride, column) =>
        {
            widest = Math.Max(widest, stride);
            for (var i = 0; i < units; i++)
            {
                collected[sequence][step - 2, i] = values[i * stride + column];
            }
        });

        Assert.That(widest, Is.GreaterThan(1), "the sequences were stepped as blocks");
        for (var i = 0; i < count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i], 2, teachers[i]);
            Assert.That(ReservoirKernelsTests.Bits(Flat(collected[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))),
                $"sequence {i}");
        }
    }

    [Test]
    public void StepEngine_SingleBlockOverTwoThreads_BitIdenticalToOneThread()
    {
        var reservoir = new EchoStateReservoir(Featureful(97) with { Precision = Precision.Single });
        StateColumns Block(StepThreads threads) =>
            new(reservoir, Enumerable.Range(0, 20).Select(b => new NoiseSource(reservoir.NoiseSeedFor(b))).ToArray()) { Threads = threads };
        var one = Block(StepThreads.One);
        var two = Block(StepThreads.Two);
        var inputs = TestData.Uniform(40 * 20, 2, 31);
        var feedback = TestData.Uniform(40 * 20, 1, 32);

        for (var t = 0; t < 40; t++)
        {
            for (var b = 0; b < 20; b++)
            {
                foreach (var block in new[] { one, two })
                {
                    block.SetInput(b, TestData.Row(inputs, t * 20 + b));
                    block.SetFeedback(b, TestData.Row(feedback, t * 20 + b));
                }
            }

            Assert.That(StepEngine.Step(one, one.Inputs, one.Feedback, allowSplit: true), Is.EqualTo(-1));
            Assert.That(StepEngine.Step(two, two.Inputs, two.Feedback, allowSplit: true), Is.EqualTo(-1));
            Assert.That(ReservoirKernelsTests.Bits(two.Current), Is.EqualTo(ReservoirKernelsTests.Bits(one.Current)), $"step {t}");
        }

        Assert.That(two.SplitCreated, Is.True);
    }

    [Test]
    public void RunStreamed_SingleWithTeachers_BitIdenticalToOneByOne()
    {
        var reservoir = new EchoStateReservoir(Featureful(37) with { Precision = Precision.Single });
        var sequences = Enumerable.Range(0, 5).Select(i => TestData.Uniform(30 + 5 * i, 2, 600 + i)).ToList();
        var teachers = sequences.Select((s, i) => TestData.Uniform(s.GetLength(0), 1, 700 + i)).ToList();
        var streamed = sequences.Select(s => new double[s.GetLength(0), 37]).ToArray();

        reservoir.RunStreamed(sequences, (sequence, in block) =>
        {
            for (var r = 0; r < block.RowCount; r++)
            {
                for (var i = 0; i < 37; i++)
                {
                    streamed[sequence][block.FirstStep + r, i] = block.States[r * 37 + i];
                }
            }
        }, teacherOutputs: teachers, maxDegreeOfParallelism: 2, blockSize: 8);

        for (var i = 0; i < sequences.Count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i], 0, teachers[i]);
            Assert.That(ReservoirKernelsTests.Bits(Flat(streamed[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))), $"sequence {i}");
        }
    }

    [Test]
    public void SaveAndRestoreState_Single_ContinuesBitIdentically()
    {
        var reservoir = new EchoStateReservoir(Featureful() with { Precision = Precision.Single });
        var first = TestData.Uniform(50, 2, 45);
        var second = TestData.Uniform(50, 2, 46);
        var state = reservoir.CreateState();
        reservoir.Run(state, first);
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteState(output, state);
        var clone = state.Clone();
        var copy = reservoir.CreateState();
        copy.CopyFrom(state);

        var restored = ReservoirSections.ReadState(output.WrittenMemory, 0, reservoir, out _);
        var expected = ReservoirKernelsTests.Bits(Flat(reservoir.Run(state, second)));

        Assert.Multiple(() =>
        {
            Assert.That(ReservoirKernelsTests.Bits(Flat(reservoir.Run(restored, second))), Is.EqualTo(expected), "restored");
            Assert.That(ReservoirKernelsTests.Bits(Flat(reservoir.Run(clone, second))), Is.EqualTo(expected), "clone");
            Assert.That(ReservoirKernelsTests.Bits(Flat(reservoir.Run(copy, second))), Is.EqualTo(expected), "copy");
        });
    }

    [Test]
    public void WriteAndReadReservoir_Single_KeepsPrecisionAndRunsBitIdentically()
    {
        var reservoir = new EchoStateReservoir(Featureful() with { Precision = Precision.Single });
        var inputs = TestData.Uniform(100, 2, 47);
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, reservoir);

        var loaded = ReservoirSections.ReadReservoir(output.WrittenMemory, 0, out var read);

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(output.WrittenCount));
            Assert.That(loaded.Precision, Is.EqualTo(Precision.Single));
            Assert.That(loaded.Options, Is.EqualTo(reservoir.Options));
            Assert.That(ReservoirKernelsTests.Bits(Flat(loaded.Run(inputs))), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(reservoir.Run(inputs)))));
        });
    }

    [Test]
    public void WriteAndReadReservoir_SingleFromWeights_KeepsPrecision()
    {
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Diagonal(3, 0.5), Input = TestData.Ones(3), LeakRates = [1.0, 0.5, 0.25], Precision = Precision.Single,
        });
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, reservoir);

        var loaded = ReservoirSections.ReadReservoir(output.WrittenMemory, 0, out _);

        Assert.That(loaded.Precision, Is.EqualTo(Precision.Single));
        Assert.That(loaded.Options, Is.Null);
    }

    [Test]
    public void ReadReservoir_VersionOneSection_LoadsAsDoubleAndRunsAsSaved()
    {
        var reservoir = new EchoStateReservoir(Featureful());
        var inputs = TestData.Uniform(100, 2, 48);
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, reservoir);
        var versionOne = AsVersionOne(output.WrittenSpan.ToArray());

        var loaded = ReservoirSections.ReadReservoir(versionOne, 0, out var read);

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(versionOne.Length));
            Assert.That(loaded.Precision, Is.EqualTo(Precision.Double));
            Assert.That(loaded.Options, Is.EqualTo(reservoir.Options));
            Assert.That(ReservoirKernelsTests.Bits(Flat(loaded.Run(inputs))), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(reservoir.Run(inputs)))));
        });
    }

    [Test]
    public void ReadOptions_VersionOneSection_LoadsAsDouble()
    {
        var options = Featureful();
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteOptions(output, options with { Precision = Precision.Single });
        var bytes = output.WrittenSpan.ToArray();
        // Version 1 ends after the topology: drop the precision, the topology options and the state carry, and mark the
        // section as version 1.
        var versionOne = bytes[..^(sizeof(int) + TopologyOptionBytes + StateCarryOptionBytes)];
        SetVersionOne(versionOne, ReservoirOptionsSerializer.Tag, ReservoirOptionsSerializer.Version);

        var loaded = ReservoirSections.ReadOptions(versionOne, 0, out var read);

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(versionOne.Length));
            Assert.That(loaded, Is.EqualTo(options));
            Assert.That(loaded.Precision, Is.EqualTo(Precision.Double));
        });
    }

    [Test]
    public void ReadReservoir_OptionsDisagreeWithWeightsOnPrecision_ThrowsInvalidData()
    {
        var reservoir = new EchoStateReservoir(Small() with { Precision = Precision.Single });
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, reservoir);
        var bytes = output.WrittenSpan.ToArray();
        BitConverter.GetBytes((int)Precision.Double).CopyTo(bytes, bytes.Length - AbsentCarryBytes - sizeof(int));

        Assert.That(() => ReservoirSections.ReadReservoir(bytes, 0, out _), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contains("they give the precision Single, the weights Double"));
    }

    [Test]
    [Category("Slow")]
    public void EchoStateNetworkFit_SingleOnMackeyGlass_NrmseCloseToDouble()
    {
        var series = Series.Rescale(MackeyGlass.Generate(3000, 42));
        var train = 2400;
        var inputs = series[..(train - 1)];
        var targets = series[1..train];
        var testInputs = series[(train - 1)..^1];
        var truth = series[train..];
        var options = global::Reservoir.Examples.MackeyGlass.Program.CreateOptions(42, 300);
        double Nrmse(Precision precision)
        {
            var network = EchoStateNetwork.Fit(options with { Reservoir = options.Reservoir! with { Precision = precision } }, inputs, targets);
            Assert.That(network.Reservoir.Precision, Is.EqualTo(precision));
            return Metrics.Nrmse(truth, network.Predict(testInputs));
        }

        var single = Nrmse(Precision.Single);
        var reference = Nrmse(Precision.Double);
        TestContext.Out.WriteLine($"one-step NRMSE: Single {single:E4}, Double {reference:E4}");

        Assert.That(reference, Is.LessThan(0.05), "the double network forecasts");
        Assert.That(Math.Abs(single - reference), Is.LessThanOrEqualTo(SingleNrmseRelativeTolerance * reference),
            $"Single NRMSE {single:E3}, Double {reference:E3}");
    }

    [Test]
    public void EchoStateNetworkSaveAndLoad_Single_KeepsPrecisionAndPredictsBitIdentically()
    {
        var series = Series.Rescale(MackeyGlass.Generate(600, 5));
        var options = global::Reservoir.Examples.MackeyGlass.Program.CreateOptions(5, 50);
        var network = EchoStateNetwork.Fit(options with { Reservoir = options.Reservoir! with { Precision = Precision.Single } },
            series[..399], series[1..400]);
        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;

        var loaded = EchoStateNetwork.Load(file);

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Reservoir.Precision, Is.EqualTo(Precision.Single));
            Assert.That(loaded.Reservoir.Options!.Precision, Is.EqualTo(Precision.Single));
            Assert.That(ReservoirKernelsTests.Bits(loaded.Predict(series[400..^1])),
                Is.EqualTo(ReservoirKernelsTests.Bits(network.Predict(series[400..^1]))));
        });
    }

    /// <summary>
    /// A version-3 reservoir section whose options (version 4) are rewritten as version 1: both precisions, the
    /// topology options and both carries dropped, both versions 1.
    /// </summary>
    private static byte[] AsVersionOne(byte[] bytes)
    {
        // Version 2 of the options appends their precision, version 3 the topology options, version 4 the state carry; the
        // options section ends the reservoir section, whose own version 2 appends the reservoir's precision after it and
        // version 3 the carry (here its absence flag).
        var result = bytes[..^(2 * sizeof(int) + TopologyOptionBytes + StateCarryOptionBytes + AbsentCarryBytes)];
        SetVersionOne(result, EchoStateReservoirSerializer.Tag, EchoStateReservoirSerializer.Version);
        SetVersionOne(result, ReservoirOptionsSerializer.Tag, ReservoirOptionsSerializer.Version);
        return result;
    }

    /// <summary>Sets the version of the section tagged <paramref name="tag"/> (its UTF-8 bytes, then a UInt16 version) to 1.</summary>
    private static void SetVersionOne(byte[] bytes, string tag, int written)
    {
        var name = Encoding.UTF8.GetBytes(tag);
        var at = bytes.AsSpan().IndexOf(name);
        Assert.That(at, Is.Not.Negative, $"{tag} not found");
        var version = at + name.Length;
        Assert.That(BitConverter.ToUInt16(bytes, version), Is.EqualTo(written), $"{tag} is written as version {written}");
        BitConverter.GetBytes((ushort)1).CopyTo(bytes, version);
    }
}
