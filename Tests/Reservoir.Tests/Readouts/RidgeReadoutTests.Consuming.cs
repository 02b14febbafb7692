using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

/// <summary>The fit that factors the accumulator's own storage (one D × D array instead of two) and what it leaves behind.</summary>
public sealed partial class RidgeReadoutTests
{
    private const string NoNativeBlasForConsuming =
        "No native BLAS (libmkl_rt, libopenblas or libblas.so.3 with cblas_dsyrk/cblas_dgemm) could be loaded here.";

    [Test]
    public void FitAndConsume_OddSizesBothBackends_BitIdenticalToFit(
        [Values(1, 7, 65, 203)] int features,
        [Values(1, 3)] int targets,
        [Values(false, true)] bool fitIntercept,
        [Values(false, true)] bool useNative)
    {
        var native = useNative ? NativeOrIgnore() : null;
        var rows = 2 * features + 37;
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-3, FitIntercept = fitIntercept });
        var kept = Accumulated(features, targets, rows, native);
        var consumed = Accumulated(features, targets, rows, native);

        var expected = readout.Fit(kept);
        var actual = readout.FitAndConsume(consumed);

        Assert.That(Bits(actual.GetWeights()), Is.EqualTo(Bits(expected.GetWeights())));
        Assert.That(Bits(actual.GetIntercept()), Is.EqualTo(Bits(expected.GetIntercept())));
        Assert.That(actual.L2Regularization, Is.EqualTo(expected.L2Regularization));
    }

    [Test]
    public void FitAndConsume_ThenPublicMembers_ThrowUntilReset()
    {
        var gram = Accumulated(5, 2, 40, native: null);
        var other = Accumulated(5, 2, 40, native: null);
        var rows = ReadoutTestData.Random(3, 5, seed: 9);
        var targets = ReadoutTestData.Random(3, 2, seed: 10);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-2 });

        readout.FitAndConsume(gram);

        Assert.Multiple(() =>
        {
            Assert.That(() => gram.Accumulate(rows, targets, 3), Throws.InvalidOperationException.With.Message.Contains("Reset"));
            Assert.That(() => gram.Add(other), Throws.InvalidOperationException.With.Message.Contains("Reset"));
            Assert.That(() => other.Add(gram), Throws.ArgumentException.With.Property("ParamName").EqualTo("other"));
            Assert.That(() => gram.GetFeatureMeans(), Throws.InvalidOperationException);
            Assert.That(() => gram.GetTargetMeans(), Throws.InvalidOperationException);
            Assert.That(() => readout.Fit(gram), Throws.InvalidOperationException.With.Message.Contains("consumed"));
            Assert.That(() => readout.FitAndConsume(gram), Throws.InvalidOperationException.With.Message.Contains("consumed"));
        });
    }

    [Test]
    public void FitAndConsume_AfterReset_AccumulatorFitsAsNew()
    {
        var x = ReadoutTestData.Random(50, 6, seed: 21, offset: 0.5);
        var y = ReadoutTestData.Random(50, 1, seed: 22);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-2 });
        var fresh = new GramAccumulator(6, 1, native: null);
        fresh.Accumulate(x, y, 50);
        var expected = readout.Fit(fresh);
        var reused = Accumulated(6, 1, 80, native: null);
        readout.FitAndConsume(reused);

        reused.Reset();
        reused.Accumulate(x, y, 50);

        Assert.That(Bits(readout.Fit(reused).GetWeights()), Is.EqualTo(Bits(expected.GetWeights())));
    }

    [Test]
    public void FitAndConsume_SingularSystem_ThrowsWithHintAndLeavesAccumulatorConsumed()
    {
        // Two identical columns and λ = 0: the system is singular.
        const int Rows = 20;
        var x = new double[Rows * 2];
        var y = ReadoutTestData.Random(Rows, 1, seed: 31);
        for (var r = 0; r < Rows; r++)
        {
            x[2 * r] = x[2 * r + 1] = Math.Sin(r);
        }

        var gram = new GramAccumulator(2, 1, native: null);
        gram.Accumulate(x, y, Rows);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0 });

        Assert.That(() => readout.FitAndConsume(gram),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("L2Regularization"));
        Assert.That(() => gram.Accumulate(x, y, Rows), Throws.InvalidOperationException);
    }

    [Test]
    public void FitAndConsume_Null_Throws()
    {
        var readout = new RidgeReadout();

        Assert.That(() => readout.FitAndConsume(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("gram"));
    }

    [Test]
    public void FitAndConsume_NoRows_ThrowsAndLeavesAccumulatorUsable()
    {
        var gram = new GramAccumulator(3, 1, native: null);
        var readout = new RidgeReadout();

        Assert.That(() => readout.FitAndConsume(gram), Throws.InvalidOperationException.With.Message.Contains("no rows"));
        Assert.That(() => gram.Accumulate(ReadoutTestData.Random(2, 3, seed: 1), ReadoutTestData.Random(2, 1, seed: 2), 2),
            Throws.Nothing);
    }

    [Test]
    public void FitMatrices_OwnAccumulatorFactoredInPlace_BitIdenticalToFitOnAccumulator([Values(false, true)] bool fitIntercept)
    {
        const int Rows = 90;
        const int Columns = 11;
        var x = ReadoutTestData.Random(Rows, Columns, seed: 41, offset: 0.4);
        var y = ReadoutTestData.Random(Rows, 2, seed: 42);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-4, FitIntercept = fitIntercept });
        var gram = new GramAccumulator(Columns, 2);
        gram.Accumulate(x, y, Rows);

        var expected = readout.Fit(gram);
        var actual = readout.Fit(ReadoutTestData.ToMatrix(x, Rows, Columns), ReadoutTestData.ToMatrix(y, Rows, 2));

        Assert.That(Bits(actual.GetWeights()), Is.EqualTo(Bits(expected.GetWeights())));
        Assert.That(Bits(actual.GetIntercept()), Is.EqualTo(Bits(expected.GetIntercept())));
    }

    /// <summary>An accumulator of seeded rows, accumulated in uneven calls so that the shifted sums and their commits are exercised.</summary>
    private static GramAccumulator Accumulated(int features, int targets, int rows, NativeBlas? native)
    {
        var x = ReadoutTestData.Random(rows, features, seed: 7 * features + rows, offset: 0.3);
        var y = ReadoutTestData.Random(rows, targets, seed: targets + 11, offset: -0.2);
        var gram = new GramAccumulator(features, targets, native);
        var first = rows / 3;
        gram.Accumulate(x.AsSpan(0, first * features), y.AsSpan(0, first * targets), first);
        gram.Accumulate(x.AsSpan(first * features), y.AsSpan(first * targets), rows - first);
        return gram;
    }

    private static long[] Bits(double[,] values) => values.Cast<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static NativeBlas NativeOrIgnore()
    {
        var native = LinearAlgebraBackend.FindNative();
        if (native is null)
        {
            Assert.Ignore(NoNativeBlasForConsuming);
        }

        return native!;
    }
}
