using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class GramAccumulatorTests
{
    /// <summary>Managed and native statistics of the same rows agree to this, relative to the largest value.</summary>
    private const double BackendTolerance = 1e-12;

    /// <summary>Accuracy kept when the feature mean jumps by 10⁸ (about 16 − 8 digits survive a naive Σxxᵀ − n x̄x̄ᵀ: none).</summary>
    private const double LargeMeanTolerance = 1e-8;

    private const string NoNativeBlas =
        "No native BLAS (libmkl_rt, libopenblas or libblas.so.3 with cblas_dsyrk/cblas_dgemm) could be loaded here.";

    [Test]
    public void Accumulate_ManagedOddSizes_MatchesReference(
        [Values(1, 3, 13, 130, 257)] int features,
        [Values(1, 700, 1100)] int rows)
    {
        var x = ReadoutTestData.Random(rows, features, seed: features + rows, offset: 0.7);
        var y = ReadoutTestData.Random(rows, 2, seed: 3, offset: -1);
        var gram = new GramAccumulator(features, 2, native: null);

        gram.Accumulate(x, y, rows);

        Assert.That(gram.UsesNativeBlas, Is.False);
        AssertMatchesReference(gram, x, y, rows);
    }

    [Test]
    public void Accumulate_WideAndNarrowManagedKernels_AgreeTo1e12(
        [Values(1, 5, 24, 25, 130, 1001)] int features,
        [Values(1, 2, 130, 1100)] int rows)
    {
        var x = ReadoutTestData.Random(rows, features, seed: 3 * features + rows, offset: 4);
        var y = ReadoutTestData.Random(rows, Targets, seed: 6, offset: -3);
        var narrow = new GramAccumulator(features, Targets, native: null, GramInstructionSet.Vector256);
        var wide = new GramAccumulator(features, Targets, native: null, GramInstructionSet.Vector512);

        narrow.Accumulate(x, y, rows);
        wide.Accumulate(x, y, rows);

        Assert.That(wide.InstructionSet, Is.EqualTo(GramInstructionSet.Vector512));
        AssertSameStatistics(wide, narrow, BackendTolerance);
        if (features <= 130)
        {
            AssertMatchesReference(wide, x, y, rows);
        }
    }

    [Test]
    public void Accumulate_ManagedAndNative_AgreeTo1e12(
        [Values(1, 3, 13, 130, 257)] int features,
        [Values(1, 1100, 2500)] int rows)
    {
        var native = NativeOrIgnore();
        var x = ReadoutTestData.Random(rows, features, seed: 2 * features + rows, offset: 5);
        var y = ReadoutTestData.Random(rows, Targets, seed: 4, offset: 2);
        var managed = new GramAccumulator(features, Targets, native: null);
        var blas = new GramAccumulator(features, Targets, native);

        managed.Accumulate(x, y, rows);
        blas.Accumulate(x, y, rows);

        Assert.That(blas.UsesNativeBlas, Is.True);
        AssertSameStatistics(blas, managed, BackendTolerance);
    }

    [TestCase(1)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(20)]
    public void Accumulate_ManagedAndNativeTargetCounts_AgreeTo1e12(int targetCount)
    {
        // Up to 8 targets the native path forms Cxy while shifting; above, it calls cblas_dgemm.
        const int Columns = 130;
        const int BlockRows = 1300;
        var native = NativeOrIgnore();
        var x = ReadoutTestData.Random(BlockRows, Columns, seed: 51, offset: -2);
        var y = ReadoutTestData.Random(BlockRows, targetCount, seed: 52, offset: 7);
        var managed = new GramAccumulator(Columns, targetCount, native: null);
        var blas = new GramAccumulator(Columns, targetCount, native);

        managed.Accumulate(x, y, BlockRows);
        blas.Accumulate(x, y, BlockRows);

        AssertSameStatistics(blas, managed, BackendTolerance);
        AssertMatchesReference(blas, x, y, BlockRows);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Accumulate_MeanJumpsWithinOneCall_StaysAccurate(bool useNative)
    {
        const int Half = 1100;
        const int Columns = 5;
        var native = useNative ? NativeOrIgnore() : null;
        var x = new double[2 * Half * Columns];
        ReadoutTestData.Random(Half, Columns, seed: 8).CopyTo(x, 0);
        ReadoutTestData.Random(Half, Columns, seed: 9, offset: 1e8).CopyTo(x, Half * Columns);
        var y = ReadoutTestData.Random(2 * Half, 1, seed: 10, offset: 1e6);
        var gram = new GramAccumulator(Columns, 1, native);

        gram.Accumulate(x, y, 2 * Half);

        AssertMatchesReference(gram, x, y, 2 * Half, LargeMeanTolerance);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Add_ShardsOfLargeBlocks_EqualsOneAccumulator(bool useNative)
    {
        const int Columns = 130;
        const int ShardRows = 1500;
        const int Shards = 3;
        var native = useNative ? NativeOrIgnore() : null;
        var x = ReadoutTestData.Random(Shards * ShardRows, Columns, seed: 12, offset: 100);
        var y = ReadoutTestData.Random(Shards * ShardRows, Targets, seed: 13);
        var oneShot = new GramAccumulator(Columns, Targets, native);
        oneShot.Accumulate(x, y, Shards * ShardRows);
        var merged = new GramAccumulator(Columns, Targets, native);

        for (var s = 0; s < Shards; s++)
        {
            var shard = new GramAccumulator(Columns, Targets, native);
            shard.Accumulate(x.AsSpan(s * ShardRows * Columns, ShardRows * Columns), y.AsSpan(s * ShardRows * Targets, ShardRows * Targets), ShardRows);
            merged.Add(shard);
        }

        AssertSameStatistics(merged, oneShot);
    }

    [Test]
    public void Add_IntoEmpty_CopiesStatisticsBitwise([Values(1, 13, 257)] int features, [Values(false, true)] bool useNative)
    {
        // The trainer relies on this to accumulate one sequence straight into its total and to fit on a single fold
        // without a merged copy: neither may change a bit of the readout.
        var native = useNative ? NativeOrIgnore() : null;
        var x = ReadoutTestData.Random(1100, features, seed: features, offset: 3);
        var y = ReadoutTestData.Random(1100, Targets, seed: 8, offset: -1);
        var source = new GramAccumulator(features, Targets, native);
        source.Accumulate(x.AsSpan(0, 300 * features), y.AsSpan(0, 300 * Targets), 300);
        source.Accumulate(x.AsSpan(300 * features), y.AsSpan(300 * Targets), 800);
        var copy = new GramAccumulator(features, Targets, native);

        copy.Add(source);

        Assert.That(copy.Count, Is.EqualTo(source.Count));
        Assert.That(Bits(copy.FeatureMeans), Is.EqualTo(Bits(source.FeatureMeans)), "feature means");
        Assert.That(Bits(copy.TargetMeans), Is.EqualTo(Bits(source.TargetMeans)), "target means");
        Assert.That(Bits(Upper(copy.FeatureComoments, features)), Is.EqualTo(Bits(Upper(source.FeatureComoments, features))), "Cxx");
        Assert.That(Bits(copy.CrossComoments), Is.EqualTo(Bits(source.CrossComoments)), "Cxy");
        Assert.That(Bits(copy.TargetSquaredDeviations), Is.EqualTo(Bits(source.TargetSquaredDeviations)), "Σ(y − ȳ)²");
    }

    private static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }

    private static NativeBlas NativeOrIgnore()
    {
        var native = LinearAlgebraBackend.FindNative();
        if (native is null)
        {
            Assert.Ignore(NoNativeBlas);
        }

        return native!;
    }
}
