using NUnit.Framework;
using Reservoir.Numerics;

namespace Reservoir.Tests;

[TestFixture]
public sealed class ReservoirKernelsTests
{
    /// <summary>A random sparse matrix with empty rows, rows shorter than 4 and rows of every length mod 4.</summary>
    internal static SparseWeights RandomSparse(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var r = new List<int>();
        var c = new List<int>();
        var v = new List<double>();
        for (var i = 0; i < rows; i++)
        {
            var kind = i % 5;
            var length = kind switch
            {
                0 => 0,
                1 => random.Next(1, 4),
                _ => random.Next(0, Math.Max(1, columns)),
            };
            foreach (var column in Enumerable.Range(0, columns).OrderBy(_ => random.Next()).Take(length))
            {
                r.Add(i);
                c.Add(column);
                v.Add(random.NextDouble() * 2 - 1);
            }
        }

        return SparseWeights.FromTriplets(rows, columns, [.. r], [.. c], [.. v]);
    }

    /// <summary>The canonical order written out plainly: s_l over (k − start) mod 4 = l, tail into s_0, (s0 + s1) + (s2 + s3).</summary>
    internal static double CanonicalRowDot(SparseWeights a, int row, Func<int, double> x)
    {
        var entries = a.NonZeros().Where(e => e.Row == row).ToArray();
        var sums = new double[4];
        var full = entries.Length / 4 * 4;
        for (var k = 0; k < full; k++)
        {
            var product = entries[k].Value * x(entries[k].Column);
            sums[k % 4] = sums[k % 4] + product;
        }

        for (var k = full; k < entries.Length; k++)
        {
            var product = entries[k].Value * x(entries[k].Column);
            sums[0] = sums[0] + product;
        }

        return (sums[0] + sums[1]) + (sums[2] + sums[3]);
    }

    internal static long[] Bits(ReadOnlySpan<double> values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }

    private static double[] RandomVector(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() * 4 - 2).ToArray();
    }

    private static IEnumerable<TestCaseData> KernelCases()
    {
        foreach (var (rows, columns) in new[] { (1, 1), (3, 5), (7, 7), (13, 4), (61, 61), (101, 257) })
        {
            foreach (var wide in new[] { false, true })
            {
                yield return new TestCaseData(rows, columns, wide);
            }
        }
    }

    [TestCaseSource(nameof(KernelCases))]
    public void SparseMultiplyAdd_OneColumn_BitIdenticalToCanonicalLoop(int rows, int columns, bool wide)
    {
        var a = RandomSparse(rows, columns, rows * 31 + columns);
        var x = RandomVector(columns, 1);
        var y = RandomVector(rows, 2);
        var expected = y.Select((value, i) => value + CanonicalRowDot(a, i, j => x[j])).ToArray();

        ReservoirKernels.SparseMultiplyAdd(CompactRows.From(a, forceWide: wide), x, y, 1, 1, 0, rows);

        Assert.That(Bits(y), Is.EqualTo(Bits(expected)));
    }

    [Test]
    public void SparseMultiplyAdd_RowRange_LeavesOtherRowsAlone()
    {
        var a = RandomSparse(20, 20, 3);
        var x = RandomVector(20, 4);
        var y = RandomVector(20, 5);
        var before = (double[])y.Clone();

        ReservoirKernels.SparseMultiplyAdd(CompactRows.From(a), x, y, 1, 1, 5, 12);

        Assert.That(y[..5], Is.EqualTo(before[..5]));
        Assert.That(y[12..], Is.EqualTo(before[12..]));
        Assert.That(y[5..12], Is.Not.EqualTo(before[5..12]));
    }

    [TestCase(1, 1, 4, false)]
    [TestCase(3, 5, 4, true)]
    [TestCase(13, 13, 8, false)]
    [TestCase(61, 61, 12, false)]
    [TestCase(101, 257, 16, true)]
    [TestCase(50, 50, 36, false)]
    public void SparseMultiplyAdd_Block_EachColumnBitIdenticalToOneRow(int rows, int columns, int stride, bool wide)
    {
        var a = RandomSparse(rows, columns, rows + columns);
        var x = RandomVector(columns * stride, 6);
        var y = RandomVector(rows * stride, 7);
        var width = stride - 4 >= 4 ? stride - 4 : stride;
        var expected = (double[])y.Clone();
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
            {
                expected[i * stride + j] = y[i * stride + j] + CanonicalRowDot(a, i, k => x[k * stride + j]);
            }
        }

        ReservoirKernels.SparseMultiplyAdd(CompactRows.From(a, forceWide: wide), x, y, stride, width, 0, rows);

        Assert.That(Bits(y), Is.EqualTo(Bits(expected)));
    }

    private static IEnumerable<TestCaseData> BlockWidthCases()
    {
        // Widths that take every pass of the 512-bit product (32, then 16, then 8 columns) and of the 256-bit one (8, then 4).
        foreach (var (stride, width) in new[] { (8, 8), (16, 16), (24, 24), (32, 32), (40, 40), (56, 56), (64, 64), (72, 64), (20, 12) })
        {
            foreach (var wideVectors in new[] { false, true })
            {
                yield return new TestCaseData(stride, width, wideVectors);
            }
        }
    }

    [TestCaseSource(nameof(BlockWidthCases))]
    public void SparseMultiplyAdd_BlockOfAnyWidth_EachColumnBitIdenticalToOneColumn(int stride, int width, bool wideVectors)
    {
        var a = RandomSparse(67, 67, stride + width);
        var x = RandomVector(67 * stride, 9);
        var y = RandomVector(67 * stride, 10);
        var expected = (double[])y.Clone();
        var compact = CompactRows.From(a);
        for (var j = 0; j < width; j++)
        {
            var column = Column(y, stride, j);
            ReservoirKernels.SparseMultiplyAdd(compact, Column(x, stride, j), column, 1, 1, 0, 67);
            for (var i = 0; i < 67; i++)
            {
                expected[i * stride + j] = column[i];
            }
        }

        var saved = ReservoirKernels.UseWideVectors;
        try
        {
            ReservoirKernels.UseWideVectors = wideVectors;
            ReservoirKernels.SparseMultiplyAdd(compact, x, y, stride, width, 3, 67);
        }
        finally
        {
            ReservoirKernels.UseWideVectors = saved;
        }

        for (var j = 0; j < width; j++)
        {
            Assert.That(Bits(Column(y, stride, j).AsSpan(3)), Is.EqualTo(Bits(Column(expected, stride, j).AsSpan(3))), $"column {j}");
        }

        Assert.That(Bits(y.AsSpan(0, 3 * stride)), Is.EqualTo(Bits(RandomVector(67 * stride, 10).AsSpan(0, 3 * stride))), "rows before the range");
        for (var i = 3; i < 67; i++)
        {
            for (var j = width; j < stride; j++)
            {
                Assert.That(y[i * stride + j], Is.EqualTo(RandomVector(67 * stride, 10)[i * stride + j]), "columns beyond the width");
            }
        }
    }

    [TestCase(2, 4, 4)]
    [TestCase(17, 8, 8)]
    [TestCase(17, 40, 36)]
    [TestCase(30, 64, 64)]
    [TestCase(5, 32, 28)]
    public void ColumnSums_Block_EachColumnSummedInUnitOrder(int rows, int stride, int width)
    {
        var block = RandomVector(rows * stride, 16);
        block[stride + 1] = double.PositiveInfinity;
        var sums = new double[width];

        ReservoirKernels.ColumnSums(block, stride, rows, sums);

        for (var j = 0; j < width; j++)
        {
            var expected = 0.0;
            for (var i = 0; i < rows; i++)
            {
                expected += block[i * stride + j];
            }

            Assert.That(BitConverter.DoubleToInt64Bits(sums[j]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"column {j}");
        }
    }

    [TestCase(13, 0, 0, 4, 4)]
    [TestCase(13, 2, 1, 8, 8)]
    [TestCase(40, 3, 2, 12, 8)]
    [TestCase(9, 1, 0, 36, 36)]
    public void AffineTerms_Block_EachColumnBitIdenticalToOneColumn(int n, int inputs, int feedbacks, int stride, int width)
    {
        var bias = RandomVector(n, 10);
        var inputColumns = RandomVector(n * inputs, 11);
        var feedbackColumns = RandomVector(n * feedbacks, 12);
        var u = RandomVector(inputs * stride, 13);
        var y = RandomVector(feedbacks * stride, 14);
        var pre = RandomVector(n * stride, 15);
        var untouched = (double[])pre.Clone();

        ReservoirKernels.AffineTerms(bias, inputColumns, u, feedbackColumns, y, pre, stride, width, 2, n - 1);

        for (var j = 0; j < stride; j++)
        {
            var column = RandomVector(n, 16);
            var expected = (double[])column.Clone();
            ReservoirKernels.AffineTerms(bias, inputColumns, Column(u, stride, j), feedbackColumns, Column(y, stride, j),
                expected, 1, 1, 2, n - 1);
            for (var i = 0; i < n; i++)
            {
                var inside = j < width && i >= 2 && i < n - 1;
                Assert.That(BitConverter.DoubleToInt64Bits(pre[i * stride + j]),
                    Is.EqualTo(BitConverter.DoubleToInt64Bits(inside ? expected[i] : untouched[i * stride + j])), $"unit {i}, column {j}");
            }
        }

        var plain = bias[5];
        for (var d = 0; d < inputs; d++)
        {
            plain += inputColumns[d * n + 5] * u[d * stride];
        }

        for (var d = 0; d < feedbacks; d++)
        {
            plain += feedbackColumns[d * n + 5] * y[d * stride];
        }

        Assert.That(pre[5 * stride], Is.EqualTo(plain), "b + W_in·u + W_fb·y, each a multiply then an add");
    }

    [TestCase(11, 4, 4)]
    [TestCase(30, 12, 8)]
    public void LeakyUpdate_Block_EachColumnBitIdenticalToOneColumn(int n, int stride, int width)
    {
        var alpha = RandomVector(n, 20).Select(Math.Abs).ToArray();
        var f = RandomVector(n * stride, 21);
        var x = RandomVector(n * stride, 22);
        var next = new double[n * stride];

        ReservoirKernels.LeakyUpdate(alpha, (double[])f.Clone(), x, next, stride, width, 1, n);

        for (var j = 0; j < width; j++)
        {
            var expected = new double[n];
            ReservoirKernels.LeakyUpdate(alpha, Column(f, stride, j), Column(x, stride, j), expected, 1, 1, 1, n);
            Assert.That(Bits(Column(next, stride, j).AsSpan(1)), Is.EqualTo(Bits(expected.AsSpan(1))), $"column {j}");
            Assert.That(next[j], Is.Zero, "row 0 is outside the range");
        }

        Assert.That(next[stride + 1], Is.EqualTo(x[stride + 1] + alpha[1] * (f[stride + 1] - x[stride + 1])));
    }

    private static double[] Column(double[] block, int stride, int column) =>
        Enumerable.Range(0, block.Length / stride).Select(i => block[i * stride + column]).ToArray();

    [Test]
    public void CompactRows_SmallAndLargeMatrices_NarrowOnlyUpTo65536Columns()
    {
        var small = CompactRows.From(SparseWeights.FromTriplets(2, CompactRows.MaxNarrowColumns, [0, 1], [0, 65_535], [1.0, 2.0]));
        var large = CompactRows.From(SparseWeights.FromTriplets(2, CompactRows.MaxNarrowColumns + 1, [0, 1], [0, 65_536], [1.0, 2.0]));

        Assert.That(small.NarrowColumns, Is.EqualTo(new ushort[] { 0, 65_535 }));
        Assert.That(small.WideColumns, Is.Null);
        Assert.That(large.WideColumns, Is.EqualTo(new[] { 0, 65_536 }));
        Assert.That(large.NarrowColumns, Is.Null);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(7)]
    public void Activate_ShortSpans_BitIdenticalToTheSameValuesInALongSpan(int length)
    {
        var values = RandomVector(64, 8);
        var whole = (double[])values.Clone();
        ReservoirKernels.Activate(Activation.Tanh, whole);

        for (var start = 0; start + length <= values.Length; start++)
        {
            var part = values[start..(start + length)];
            ReservoirKernels.Activate(Activation.Tanh, part);
            Assert.That(Bits(part), Is.EqualTo(Bits(whole.AsSpan(start, length))), $"values from {start}");
        }

        Assert.That(whole[0], Is.EqualTo(Math.Tanh(values[0])).Within(1e-15));
    }

    [TestCase(null, 2, 2)]
    [TestCase("1", 2, 1)]
    [TestCase("2", 2, 2)]
    [TestCase("8", 16, 2)]
    [TestCase("0", 2, 1)]
    [TestCase("x", 2, 2)]
    [TestCase(null, 1, 1)]
    public void ThreadsFrom_EnvironmentValue_ThreadsPerStep(string? text, int processors, int expected) =>
        Assert.That(StepWorker.ThreadsFrom(text, processors), Is.EqualTo(expected));
}
