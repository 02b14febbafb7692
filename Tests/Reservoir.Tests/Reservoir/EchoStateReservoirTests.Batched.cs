using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;
using Reservoir.Numerics;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private static IEnumerable<TestCaseData> BatchedCases()
    {
        // N not a multiple of the vector width; B from one sequence to more than one block; both vector widths.
        foreach (var (units, count) in new[] { (37, 1), (37, 3), (203, 17), (37, 32), (61, 33), (29, 64) })
        {
            foreach (var wideVectors in new[] { false, true })
            {
                yield return new TestCaseData(units, count, wideVectors);
            }
        }
    }

    [TestCaseSource(nameof(BatchedCases))]
    public void RunMany_OddSizesWithEveryFeature_BitIdenticalToOneByOne(int units, int count, bool wideVectors)
    {
        // Skip connections, clockwork, per-unit leak rates, noise and teacher-forced feedback; lengths that differ, so
        // the active columns shrink through every width the block product takes (32, 24, 16, 8).
        var reservoir = new EchoStateReservoir(Featureful(units));
        var sequences = Enumerable.Range(0, count).Select(i => TestData.Uniform(6 + (i * 13) % 37, 2, 400 + i)).ToList();
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

        for (var i = 0; i < count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i], 2, teachers[i]);
            Assert.That(ReservoirKernelsTests.Bits(Flat(collected[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))),
                $"sequence {i}");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RunMany_EitherTanhCode_BitIdenticalToOneByOneWithTheOther(bool vectorTanhInBlock)
    {
        // The block's fused tanh and leaky update against the one-sequence path through TensorPrimitives.Tanh, and the
        // reverse: the same bits as long as no pre-activation exceeds 354 in magnitude.
        var reservoir = new EchoStateReservoir(Featureful(53) with { Clockwork = null });
        var sequences = Enumerable.Range(0, 11).Select(i => TestData.Uniform(30 + i, 2, 900 + i)).ToList();
        var collected = sequences.Select(s => new double[s.GetLength(0), 53]).ToArray();
        var saved = VectorTanh.IsSupported;
        double[][,] alone;
        try
        {
            VectorTanh.IsSupported = saved && vectorTanhInBlock;
            reservoir.RunMany(sequences, 0, null, 1, _ => (sequence, step, values, stride, column) =>
            {
                for (var i = 0; i < 53; i++)
                {
                    collected[sequence][step, i] = values[i * stride + column];
                }
            });
            VectorTanh.IsSupported = saved && !vectorTanhInBlock;
            alone = sequences.Select((s, i) => reservoir.Run(reservoir.CreateState(i), s)).ToArray();
        }
        finally
        {
            VectorTanh.IsSupported = saved;
        }

        for (var i = 0; i < sequences.Count; i++)
        {
            Assert.That(ReservoirKernelsTests.Bits(Flat(collected[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone[i]))),
                $"sequence {i}");
        }
    }

    [TestCase(3)]
    [TestCase(33)]
    public void Run_ManySequencesOnTwoThreads_BitIdenticalToOneByOne(int count)
    {
        var reservoir = new EchoStateReservoir(Featureful(45) with { Clockwork = null, StateNoise = 0 });
        var sequences = Enumerable.Range(0, count).Select(i => TestData.Uniform(20 + i % 7, 2, 500 + i)).ToList();

        var batched = reservoir.Run(sequences, washoutSteps: 0, maxDegreeOfParallelism: 2);

        for (var i = 0; i < count; i++)
        {
            var alone = reservoir.Run(reservoir.CreateState(i), sequences[i]);
            Assert.That(ReservoirKernelsTests.Bits(Flat(batched[i])), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(alone))),
                $"sequence {i}");
        }
    }

    [TestCase(3)]
    [TestCase(17)]
    [TestCase(32)]
    public void StateColumns_SeveralSequences_BlocksStartOn64ByteBoundaries(int count)
    {
        var reservoir = new EchoStateReservoir(Featureful(37));
        var noise = Enumerable.Range(0, count).Select(b => new NoiseSource(reservoir.NoiseSeedFor(b))).ToArray();
        var state = new StateColumns(reservoir, noise);

        Assert.That(state.Stride % StateColumns.ColumnAlignment, Is.Zero);
        Assert.That(Address(state.Current) % 64, Is.Zero, "current");
        Assert.That(Address(state.Next) % 64, Is.Zero, "next");
        Assert.That(Address(state.PreActivation) % 64, Is.Zero, "pre-activation");
        Assert.That(Address(state.History) % 64, Is.Zero, "delay buffer");
        Assert.That(StepEngine.Step(state, state.Inputs, state.Feedback, allowSplit: false), Is.EqualTo(-1));
        Assert.That(Address(state.Current) % 64, Is.Zero, "current after a step");
    }

    /// <summary>The address of the first value (the blocks of several sequences are pinned, so it does not change).</summary>
    private static long Address(ReadOnlySpan<double> values) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<double>(), ref MemoryMarshal.GetReference(values));
}
