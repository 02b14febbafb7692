using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class GramKernelsTests
{
    private const double RelativeTolerance = 1e-12;
    private const double Sentinel = 12345.5;

    [Test]
    public void AccumulateUpperGram_OddSizes_MatchesNaiveTripleLoop(
        [Values(1, 7, 8, 33, 72, 130)] int columns,
        [Values(1, 5, 300)] int rows)
    {
        var block = ReadoutTestData.Random(rows, columns, seed: columns * 1000 + rows, offset: 0.5);
        var means = ReadoutTestData.Random(1, columns, seed: 7);
        var packed = new double[GramKernels.PackedLength(rows, columns)];
        Array.Fill(packed, double.NaN); // padding must be overwritten, not trusted
        var upper = new double[columns * columns];
        Array.Fill(upper, Sentinel);

        GramKernels.PackCentered(block, rows, columns, means, packed);
        GramKernels.AccumulateUpperGram(packed, rows, columns, upper);

        var expected = NaiveCentredGram(block, rows, columns, means);
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
    public void AccumulateCross_OddSizes_MatchesNaiveTripleLoop(
        [Values(1, 7, 33, 130)] int columns,
        [Values(1, 5, 300)] int rows,
        [Values(1, 3)] int targetCount)
    {
        var block = ReadoutTestData.Random(rows, columns, seed: 11);
        var targets = ReadoutTestData.Random(rows, targetCount, seed: 12);
        var means = new double[columns];
        var packed = new double[GramKernels.PackedLength(rows, columns)];
        var cross = new double[columns * targetCount];
        Array.Fill(cross, Sentinel);

        GramKernels.PackCentered(block, rows, columns, means, packed);
        GramKernels.AccumulateCross(packed, rows, columns, targets, targetCount, cross);

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

    private static double[] NaiveCentredGram(double[] block, int rows, int columns, double[] means)
    {
        var gram = new double[columns * columns];
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var sum = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    sum += (block[r * columns + i] - means[i]) * (block[r * columns + j] - means[j]);
                }

                gram[i * columns + j] = sum;
            }
        }

        return gram;
    }
}
