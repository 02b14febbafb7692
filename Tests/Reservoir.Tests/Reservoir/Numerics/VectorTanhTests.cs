using System.Numerics.Tensors;
using NUnit.Framework;
using Reservoir.Numerics;

namespace Reservoir.Tests;

[TestFixture]
public sealed class VectorTanhTests
{
    /// <summary>
    /// The largest distance from <see cref="Math.Tanh"/> accepted: a few units in the last place of 1, since e^(−2|x|) − 1
    /// loses relative accuracy near 0 (as <c>TensorPrimitives.Tanh</c> does; the two give the same bits).
    /// </summary>
    private const double AbsoluteTolerance = 5e-16;

    private static IEnumerable<TestCaseData> Scales() =>
        new[] { 1e-300, 1e-8, 1e-3, 0.5, 3.0, 20.0, 354.0 }.Select(scale => new TestCaseData(scale));

    [TestCaseSource(nameof(Scales))]
    public void Apply_ValuesUpTo354_BitIdenticalToTensorPrimitives(double scale)
    {
        Assume.That(VectorTanh.IsSupported, "needs 512-bit vectors and FMA");
        var values = Uniform(4096 + 5, scale, 1);
        values[0] = 0.0;
        values[1] = -0.0;
        values[2] = double.Epsilon;
        values[3] = 354.0;
        values[4] = -354.0;
        var expected = (double[])values.Clone();
        TensorPrimitives.Tanh(expected, expected);

        VectorTanh.Apply(values);

        Assert.That(ReservoirKernelsTests.Bits(values), Is.EqualTo(ReservoirKernelsTests.Bits(expected)));
    }

    [Test]
    public void Apply_ManyValues_WithinAFewUlpsOfOneOfMathTanh()
    {
        var values = Uniform(20_000, 25.0, 2);
        var exact = values.Select(Math.Tanh).ToArray();

        VectorTanh.Apply(values);

        for (var i = 0; i < values.Length; i++)
        {
            Assert.That(values[i], Is.EqualTo(exact[i]).Within(AbsoluteTolerance), $"value {i}");
        }
    }

    [Test]
    public void Apply_LargeAndSpecialValues_SaturateWithoutChangingTheirNeighbours()
    {
        Assume.That(VectorTanh.IsSupported, "needs 512-bit vectors and FMA");
        var plain = Uniform(16, 2.0, 3);
        var mixed = (double[])plain.Clone();
        mixed[1] = 354.5;
        mixed[3] = -1e6;
        mixed[6] = double.PositiveInfinity;
        mixed[9] = double.NegativeInfinity;
        mixed[12] = double.NaN;
        var expected = (double[])plain.Clone();
        VectorTanh.Apply(expected);

        VectorTanh.Apply(mixed);

        Assert.That(mixed[1], Is.EqualTo(1.0));
        Assert.That(mixed[3], Is.EqualTo(-1.0));
        Assert.That(mixed[6], Is.EqualTo(1.0));
        Assert.That(mixed[9], Is.EqualTo(-1.0));
        Assert.That(mixed[12], Is.NaN);
        foreach (var i in new[] { 0, 2, 4, 5, 7, 8, 10, 11, 13, 14, 15 })
        {
            Assert.That(BitConverter.DoubleToInt64Bits(mixed[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected[i])), $"value {i}");
        }
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(9)]
    [TestCase(23)]
    public void Apply_SpansWithATail_BitIdenticalToTheSameValuesInALongSpan(int length)
    {
        var values = Uniform(64, 3.0, 4);
        var whole = (double[])values.Clone();
        VectorTanh.Apply(whole);

        for (var start = 0; start + length <= values.Length; start += 3)
        {
            var part = values[start..(start + length)];
            VectorTanh.Apply(part);
            Assert.That(ReservoirKernelsTests.Bits(part), Is.EqualTo(ReservoirKernelsTests.Bits(whole.AsSpan(start, length))),
                $"values from {start}");
        }
    }

    [TestCase(13, 8, 8, true)]
    [TestCase(13, 8, 8, false)]
    [TestCase(29, 40, 32, true)]
    [TestCase(29, 40, 40, false)]
    [TestCase(5, 16, 16, true)]
    public void ActivateAndLeak_Block_EachColumnBitIdenticalToOneColumn(int n, int stride, int width, bool leaky)
    {
        var alpha = leaky ? Uniform(n, 1.0, 5).Select(Math.Abs).ToArray() : [];
        var pre = Uniform(n * stride, 3.0, 6);
        var x = Uniform(n * stride, 1.0, 7);
        var next = new double[n * stride];
        Array.Fill(next, 42.0);

        ReservoirKernels.ActivateAndLeak(Activation.Tanh, alpha, (double[])pre.Clone(), x, next, stride, width, 1, n);

        for (var j = 0; j < stride; j++)
        {
            var column = Column(next, stride, j);
            Assert.That(column[0], Is.EqualTo(42.0), "row 0 is outside the range");
            if (j >= width)
            {
                Assert.That(column, Is.All.EqualTo(42.0), $"column {j} is outside the width");
                continue;
            }

            var expected = new double[n];
            ReservoirKernels.ActivateAndLeak(Activation.Tanh, alpha, Column(pre, stride, j), Column(x, stride, j), expected, 1, 1, 1, n);
            Assert.That(ReservoirKernelsTests.Bits(column.AsSpan(1)), Is.EqualTo(ReservoirKernelsTests.Bits(expected.AsSpan(1))),
                $"column {j}");
        }

        var f = Math.Tanh(pre[stride + 2]);
        var one = leaky ? x[stride + 2] + alpha[1] * (f - x[stride + 2]) : f;
        Assert.That(next[stride + 2], Is.EqualTo(one).Within(1e-14));
    }

    private static double[] Uniform(int length, double scale, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    private static double[] Column(double[] block, int stride, int column) =>
        Enumerable.Range(0, block.Length / stride).Select(i => block[i * stride + column]).ToArray();
}
