using System.Runtime.InteropServices;
using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class GramKernelsTests
{
    private const double RelativeTolerance = 1e-12;
    private const double Sentinel = 12345.5;

    /// <summary>Largest relative deviation of a range's triangle area from the mean area, for many panels per range.</summary>
    private const double AreaBalanceTolerance = 0.1;

    [Test]
    public void AccumulateUpperGram_OddSizes_MatchesNaiveTripleLoop(
        [Values(1, 3, 7, 12, 13, 23, 24, 25, 72, 130, 257)] int columns,
        [Values(1, 5, 127, 129, 300, 777)] int rows,
        [Values] bool wide)
    {
        var instructionSet = wide ? GramInstructionSet.Vector512 : GramInstructionSet.Vector256;
        var block = ReadoutTestData.Random(rows, columns, seed: columns * 1000 + rows, offset: 0.5);
        var shift = ReadoutTestData.Random(1, columns, seed: 7);
        var packed = new double[GramKernels.PackedLength(rows, columns)];
        Array.Fill(packed, double.NaN); // padding must be overwritten, not trusted
        var upper = new double[columns * columns];
        Array.Fill(upper, Sentinel);

        Pack(block, rows, columns, shift, packed);
        GramKernels.AccumulateUpperGram(packed, rows, columns, upper, maxThreads: 2, instructionSet);

        var expected = NaiveShiftedGram(block, rows, columns, shift);
        var tolerance = RelativeTolerance * (Sentinel + ReadoutTestData.MaxAbs(expected));
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var actual = upper[i * columns + j];
                if (j >= i)
                {
                    Assert.That(actual, Is.EqualTo(Sentinel + expected[i * columns + j]).Within(tolerance), $"C[{i}, {j}]");
                }
                else
                {
                    Assert.That(actual, Is.EqualTo(Sentinel), $"lower triangle C[{i}, {j}] must not be touched");
                }
            }
        }
    }

    [Test]
    public void AccumulateUpperGram_WideAndNarrowKernels_BitIdentical(
        [Values(1, 11, 24, 37, 130, 601)] int columns,
        [Values(1, 3, 128, 300, 1024)] int rows)
    {
        // Both micro-kernels add each entry over the rows of a chunk in the same order with fused multiply-adds.
        var block = ReadoutTestData.Random(rows, columns, seed: 5 * columns + rows, offset: -2);
        var packed = new double[GramKernels.PackedLength(rows, columns)];
        Pack(block, rows, columns, new double[columns], packed);
        var narrow = new double[columns * columns];
        var wide = new double[columns * columns];

        GramKernels.AccumulateUpperGram(packed, rows, columns, narrow, maxThreads: 2, GramInstructionSet.Vector256);
        GramKernels.AccumulateUpperGram(packed, rows, columns, wide, maxThreads: 2, GramInstructionSet.Vector512);

        Assert.That(wide, Is.EqualTo(narrow));
    }

    [Test]
    public void BestInstructionSet_Vector512Accelerated_IsVector512()
    {
        var expected = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? GramInstructionSet.Vector512 : GramInstructionSet.Vector256;

        Assert.That(GramKernels.BestInstructionSet, Is.EqualTo(expected));
        Assert.That(GramKernels.NameOf(GramKernels.BestInstructionSet), Is.Not.Empty);
    }

    [Test]
    public void AccumulateUpperGram_SeveralThreads_BitIdenticalToOneThread(
        [Values(130, 257, 601)] int columns,
        [Values] bool wide)
    {
        var instructionSet = wide ? GramInstructionSet.Vector512 : GramInstructionSet.Vector256;
        var rows = columns switch { 130 => 1000, 257 => 700, _ => 300 };
        Assume.That(GramKernels.TriangleFlops(rows, columns), Is.GreaterThanOrEqualTo((double)GramKernels.ParallelThreshold),
            "the block must be large enough to be split across threads");
        var block = ReadoutTestData.Random(rows, columns, seed: 21, offset: 3);
        var packed = new double[GramKernels.PackedLength(rows, columns)];
        Pack(block, rows, columns, new double[columns], packed);
        var single = new double[columns * columns];
        var parallel = new double[columns * columns];
        var oversubscribed = new double[columns * columns];

        GramKernels.AccumulateUpperGram(packed, rows, columns, single, maxThreads: 1, instructionSet);
        GramKernels.AccumulateUpperGram(packed, rows, columns, parallel, maxThreads: 2, instructionSet);
        GramKernels.AccumulateUpperGram(packed, rows, columns, oversubscribed, maxThreads: 7, instructionSet);

        Assert.Multiple(() =>
        {
            Assert.That(parallel, Is.EqualTo(single), "2 threads");
            Assert.That(oversubscribed, Is.EqualTo(single), "7 threads");
            Assert.That(single, Has.Some.Not.Zero);
        });
    }

    [TestCase(1, 1)]
    [TestCase(5, 2)]
    [TestCase(84, 6)]
    [TestCase(167, 6)]
    public void RangeStart_Ranges_CoverAllPanelsWithAboutEqualArea(int panels, int ranges)
    {
        var areas = new List<double>();
        var previousEnd = 0;
        for (var r = 0; r < ranges; r++)
        {
            var first = GramKernels.RangeStart(r, ranges, panels);
            var end = GramKernels.RangeStart(r + 1, ranges, panels);
            Assert.That(first, Is.EqualTo(previousEnd), $"range {r} must start where range {r - 1} ended");
            Assert.That(end, Is.GreaterThanOrEqualTo(first));
            areas.Add(((double)end * (end + 1) - (double)first * (first + 1)) / 2);
            previousEnd = end;
        }

        Assert.That(previousEnd, Is.EqualTo(panels), "the last range must end at the last panel");
        if (panels >= 10 * ranges)
        {
            var mean = areas.Average();
            Assert.That(areas, Has.All.InRange(mean * (1 - AreaBalanceTolerance), mean * (1 + AreaBalanceTolerance)));
        }
    }

    [TestCase(1, 1)]
    [TestCase(7, 13)]
    [TestCase(300, 25)]
    [TestCase(129, 49)]
    public void Pack_Block_AddsShiftedSumsAndSquares(int rows, int columns)
    {
        var block = ReadoutTestData.Random(rows, columns, seed: 31, offset: 4);
        var shift = ReadoutTestData.Random(1, columns, seed: 32, offset: 4);
        var padded = GramKernels.PanelCount(columns) * GramKernels.PanelWidth;
        var sums = new double[padded];
        var squares = new double[padded];
        Array.Fill(sums, 1.0);
        Array.Fill(squares, 2.0);

        GramKernels.Pack(block, rows, columns, shift, new double[GramKernels.PackedLength(rows, columns)], sums, squares, maxThreads: 2);

        for (var c = 0; c < columns; c++)
        {
            var sum = 0.0;
            var square = 0.0;
            for (var r = 0; r < rows; r++)
            {
                var x = block[r * columns + c] - shift[c];
                sum += x;
                square += x * x;
            }

            Assert.That(sums[c], Is.EqualTo(1.0 + sum).Within(RelativeTolerance * rows), $"sum of column {c}");
            Assert.That(squares[c], Is.EqualTo(2.0 + square).Within(RelativeTolerance * rows), $"sum of squares of column {c}");
        }
    }

    [Test]
    public void AllocateAligned_Length_StartsOnCacheLine()
    {
        for (var length = 0; length < 20; length++)
        {
            var memory = GramKernels.AllocateAligned(length);
            Assert.That(MemoryMarshal.TryGetArray<double>(memory, out var segment), Is.True);
            var handle = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
            try
            {
                var address = handle.AddrOfPinnedObject() + segment.Offset * sizeof(double);
                Assert.That((long)address % 64, Is.Zero, $"length {length}");
            }
            finally
            {
                handle.Free();
            }

            Assert.That(memory.Length, Is.EqualTo(length));
        }
    }

    [Test]
    public void AccumulateCross_OddSizes_MatchesNaiveTripleLoop(
        [Values(1, 7, 24, 33, 130)] int columns,
        [Values(1, 5, 129, 300)] int rows,
        [Values(1, 3)] int targetCount,
        [Values] bool wide)
    {
        var instructionSet = wide ? GramInstructionSet.Vector512 : GramInstructionSet.Vector256;
        var block = ReadoutTestData.Random(rows, columns, seed: 11);
        var targets = ReadoutTestData.Random(rows, targetCount, seed: 12);
        var packed = new double[GramKernels.PackedLength(rows, columns)];
        var cross = new double[columns * targetCount];
        Array.Fill(cross, Sentinel);

        Pack(block, rows, columns, new double[columns], packed);
        GramKernels.AccumulateCross(packed, rows, columns, targets, targetCount, cross, instructionSet);

        for (var i = 0; i < columns; i++)
        {
            for (var k = 0; k < targetCount; k++)
            {
                var expected = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    expected += block[r * columns + i] * targets[r * targetCount + k];
                }

                Assert.That(cross[i * targetCount + k], Is.EqualTo(Sentinel + expected).Within(RelativeTolerance * Sentinel),
                    $"Cxy[{i}, {k}]");
            }
        }
    }

    [TestCase(1, 1)]
    [TestCase(5, 7)]
    [TestCase(300, 33)]
    public void ColumnMeans_RandomBlock_MatchesNaiveMeans(int rows, int columns)
    {
        var block = ReadoutTestData.Random(rows, columns, seed: 3, offset: 1e3);
        var means = new double[columns];

        GramKernels.ColumnMeans(block, rows, columns, means, new double[columns]);

        var expected = ReadoutTestData.Means(block, rows, columns);
        Assert.That(means, Is.EqualTo(expected).Within(RelativeTolerance * 1e3));
    }

    [Test]
    public void ColumnMeans_ConstantColumn_IsExactlyTheValue()
    {
        const int Rows = 3;
        double[] block = [0.1, 5, 0.1, 6, 0.1, 7];
        var means = new double[2];

        GramKernels.ColumnMeans(block, Rows, 2, means, new double[2]);

        Assert.That(means[0], Is.EqualTo(0.1));
    }

    [Test]
    public void AddUpperOuterProduct_Vector_AddsScaledOuterProductToUpperTriangle()
    {
        double[] v = [1, 2, 3];
        var upper = new double[9];

        GramKernels.AddUpperOuterProduct(upper, v, 2);

        Assert.That(upper, Is.EqualTo(new double[] { 2, 4, 6, 0, 8, 12, 0, 0, 18 }));
    }

    private static void Pack(double[] block, int rows, int columns, double[] shift, double[] packed, int maxThreads = 2)
    {
        var padded = GramKernels.PanelCount(columns) * GramKernels.PanelWidth;
        GramKernels.Pack(block, rows, columns, shift, packed, new double[padded], new double[padded], maxThreads);
    }

    private static double[] NaiveShiftedGram(double[] block, int rows, int columns, double[] shift)
    {
        var gram = new double[columns * columns];
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var sum = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    sum += (block[r * columns + i] - shift[i]) * (block[r * columns + j] - shift[j]);
                }

                gram[i * columns + j] = sum;
            }
        }

        return gram;
    }
}
