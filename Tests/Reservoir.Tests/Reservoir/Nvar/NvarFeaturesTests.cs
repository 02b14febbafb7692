using NUnit.Framework;
using Reservoir.Nvar;

namespace Reservoir.Tests.Nvar;

/// <summary>Behaviour of <see cref="NvarFeatures"/>: feature count, values, warm-up, per-sequence isolation and online steps.</summary>
[TestFixture]
public sealed partial class NvarFeaturesTests
{
    [TestCase(2, 1, 3, 2, true, 28)] // Gauthier et al. (2021), Lorenz-63: 1 + 6 + 21
    [TestCase(2, 1, 3, 2, false, 27)]
    [TestCase(1, 1, 1, 2, false, 2)] // u and u²
    [TestCase(4, 5, 1, 2, false, 14)] // 4 + C(5, 2) = 4 + 10
    [TestCase(3, 2, 2, 3, false, 62)] // 6 + C(8, 3) = 6 + 56
    [TestCase(2, 1, 3, 3, true, 63)] // 1 + 6 + C(8, 3)
    [TestCase(5, 1, 10, 2, false, 1325)] // 50 + C(51, 2) = 50 + 1275
    [TestCase(15, 1, 1, 2, false, 135)] // the NARMA-10 baseline: 15 + C(16, 2) = 15 + 120
    public void FeatureCount_Options_MatchesFormula(int delays, int stride, int inputs, int order, bool constant, int expected)
    {
        var features = new NvarFeatures(new NvarOptions
        {
            InputDimension = inputs,
            DelayCount = delays,
            DelayStride = stride,
            PolynomialOrder = order,
            IncludeConstant = constant,
        });

        var run = features.Run(Ramp(features.WarmupSteps + 3, inputs));
        Assert.Multiple(() =>
        {
            Assert.That(features.FeatureCount, Is.EqualTo(expected));
            Assert.That(features.LinearCount, Is.EqualTo(delays * inputs));
            Assert.That(features.NonlinearCount, Is.EqualTo(BruteForceMonomialCount(delays * inputs, order)));
            Assert.That(run.GetLength(1), Is.EqualTo(expected));
            Assert.That(features.WarmupSteps, Is.EqualTo((delays - 1) * stride));
        });
    }

    [TestCase(0, 2, 0)]
    [TestCase(1, 2, 1)]
    [TestCase(6, 2, 21)]
    [TestCase(6, 3, 56)]
    [TestCase(100, 3, 171_700)]
    [TestCase(3, 0, 1)]
    public void MonomialCount_SmallCases_IsBinomial(int variables, int order, long expected) =>
        Assert.That(NvarFeatures.MonomialCount(variables, order), Is.EqualTo(expected));

    [Test]
    public void Run_QuadraticWithConstantStrideTwo_MatchesHandComputedFeatures()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 2, DelayCount = 2, DelayStride = 2, IncludeConstant = true });
        double[,] inputs = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } };

        var result = features.Run(inputs);

        // Step 2: L = [u(2); u(0)] = [5, 6, 1, 2]; then 5·5, 5·6, 5·1, 5·2, 6·6, 6·1, 6·2, 1·1, 1·2, 2·2.
        // Step 3: L = [u(3); u(1)] = [7, 8, 3, 4].
        double[,] expected =
        {
            { 1, 5, 6, 1, 2, 25, 30, 5, 10, 36, 6, 12, 1, 2, 4 },
            { 1, 7, 8, 3, 4, 49, 56, 21, 28, 64, 24, 32, 9, 12, 16 },
        };
        Assert.That(result, Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void Run_Cubic_MatchesHandComputedFeatures()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 1, DelayCount = 2, PolynomialOrder = 3 });
        double[,] inputs = { { 2 }, { 3 }, { 5 } };

        var result = features.Run(inputs);

        // Step 1: L = [3, 2] → 3³, 3²·2, 3·2², 2³. Step 2: L = [5, 3] → 125, 75, 45, 27.
        double[,] expected = { { 3, 2, 27, 18, 12, 8 }, { 5, 3, 125, 75, 45, 27 } };
        Assert.That(result, Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void Run_OneDelay_IsInputAndItsProducts()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 3, DelayCount = 1 });

        var result = features.Run(new double[,] { { 1, -2, 0.5 } });

        Assert.That(result, Is.EqualTo(new double[,] { { 1, -2, 0.5, 1, -2, 0.5, 4, -1, 0.25 } }).AsCollection);
    }

    [Test]
    public void Run_WarmupDropped_RowRIsStepWarmupPlusR()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 1, DelayCount = 3, DelayStride = 4 });
        var inputs = Ramp(20, 1);

        var result = features.Run(inputs);

        Assert.Multiple(() =>
        {
            Assert.That(features.WarmupSteps, Is.EqualTo(8));
            Assert.That(result.GetLength(0), Is.EqualTo(12));
            for (var r = 0; r < result.GetLength(0); r++)
            {
                var t = 8 + r;
                Assert.That(new[] { result[r, 0], result[r, 1], result[r, 2] },
                    Is.EqualTo(new[] { inputs[t, 0], inputs[t - 4, 0], inputs[t - 8, 0] }).AsCollection, $"row {r}");
            }
        });
    }

    [Test]
    public void Run_SequenceAThenB_BEqualsBAlone()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 2, DelayCount = 3, DelayStride = 2 });
        var a = Ramp(30, 2, scale: 5);
        var b = Ramp(25, 2, scale: -0.3);

        var alone = features.Run(b);
        features.Run(a);
        var afterA = features.Run(b);
        var batch = features.Run([a, b]);

        Assert.Multiple(() =>
        {
            Assert.That(afterA, Is.EqualTo(alone).AsCollection);
            Assert.That(batch[1], Is.EqualTo(alone).AsCollection);
            Assert.That(batch[0], Is.EqualTo(features.Run(a)).AsCollection);
        });
    }

    [Test]
    public void Step_ResetBetweenSequences_BEqualsBAlone()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 2, DelayCount = 3, DelayStride = 2 });
        var a = Ramp(30, 2, scale: 5);
        var b = Ramp(25, 2, scale: -0.3);
        var state = features.CreateState();

        StepAll(features, state, a);
        state.Reset();
        var afterReset = StepAll(features, state, b);

        Assert.That(afterReset, Is.EqualTo(features.Run(b)).AsCollection);
    }

    [Test]
    public void Step_WithoutReset_CarriesTheDelayStoreOver()
    {
        // The caller's state is one continuing sequence: without Reset the first rows of B see A's last inputs.
        var features = new NvarFeatures(new NvarOptions { InputDimension = 1, DelayCount = 2 });
        var state = features.CreateState();
        StepAll(features, state, new double[,] { { 10 }, { 20 } });

        var output = new double[features.FeatureCount];
        var written = features.Step(state, [3.0], output);

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.True);
            Assert.That(output, Is.EqualTo(new[] { 3.0, 20, 9, 60, 400 }).AsCollection);
        });
    }

    [Test]
    public void Step_Sequence_EqualsRunAndReportsWarmup()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 3, DelayCount = 2, DelayStride = 3, PolynomialOrder = 3, IncludeConstant = true });
        var inputs = Ramp(12, 3, scale: 0.7);
        var state = features.CreateState();
        var output = new double[features.FeatureCount];
        var written = new List<bool>();
        var rows = new List<double[]>();

        for (var t = 0; t < inputs.GetLength(0); t++)
        {
            var ok = features.Step(state, [inputs[t, 0], inputs[t, 1], inputs[t, 2]], output);
            written.Add(ok);
            if (ok)
            {
                rows.Add((double[])output.Clone());
            }
        }

        var run = features.Run(inputs);
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(Enumerable.Range(0, 12).Select(t => t >= 3)).AsCollection);
            Assert.That(state.StepCount, Is.EqualTo(12));
            Assert.That(state.IsWarmedUp, Is.True);
            Assert.That(rows, Has.Count.EqualTo(run.GetLength(0)));
            for (var r = 0; r < rows.Count; r++)
            {
                Assert.That(rows[r], Is.EqualTo(Row(run, r)).AsCollection, $"row {r}");
            }
        });
    }

    [Test]
    public void Step_DuringWarmup_LeavesFeaturesUnchanged()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 1, DelayCount = 3 });
        var state = features.CreateState();
        var output = Enumerable.Repeat(-7.0, features.FeatureCount).ToArray();

        var written = features.Step(state, [1.0], output);

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.False);
            Assert.That(state.IsWarmedUp, Is.False);
            Assert.That(output, Is.All.EqualTo(-7.0));
        });
    }

    [Test]
    public void Step_WarmedUp_AllocatesNothing()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 3, DelayCount = 3, DelayStride = 2, PolynomialOrder = 3, IncludeConstant = true });
        var state = features.CreateState();
        var input = new double[] { 0.1, -0.2, 0.3 };
        var output = new double[features.FeatureCount];
        for (var t = 0; t < 10; t++)
        {
            features.Step(state, input, output);
        }

        var allocated = Allocations.Fewest(() =>
        {
            for (var t = 0; t < 100; t++)
            {
                features.Step(state, input, output);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Clone_ContinuesAsTheOriginal()
    {
        var features = new NvarFeatures(new NvarOptions { InputDimension = 2, DelayCount = 3, DelayStride = 2 });
        var state = features.CreateState();
        StepAll(features, state, Ramp(7, 2));
        var copy = state.Clone();
        var next = Ramp(6, 2, scale: 2);

        Assert.That(StepAll(features, copy, next), Is.EqualTo(StepAll(features, state, next)).AsCollection);
    }

    internal static double[,] Ramp(int steps, int width, double scale = 1)
    {
        var result = new double[steps, width];
        for (var t = 0; t < steps; t++)
        {
            for (var d = 0; d < width; d++)
            {
                result[t, d] = scale * Math.Sin(0.37 * t + 1.3 * d) + 0.1 * d;
            }
        }

        return result;
    }

    /// <summary>Steps every row and stacks the features written, as Run would.</summary>
    internal static double[,] StepAll(NvarFeatures features, NvarState state, double[,] inputs)
    {
        var output = new double[features.FeatureCount];
        var rows = new List<double[]>();
        var input = new double[inputs.GetLength(1)];
        for (var t = 0; t < inputs.GetLength(0); t++)
        {
            for (var d = 0; d < input.Length; d++)
            {
                input[d] = inputs[t, d];
            }

            if (features.Step(state, input, output))
            {
                rows.Add((double[])output.Clone());
            }
        }

        var result = new double[rows.Count, features.FeatureCount];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var f = 0; f < features.FeatureCount; f++)
            {
                result[r, f] = rows[r][f];
            }
        }

        return result;
    }

    private static double[] Row(double[,] values, int row) =>
        Enumerable.Range(0, values.GetLength(1)).Select(c => values[row, c]).ToArray();

    /// <summary>Counts the non-decreasing index tuples of length <paramref name="order"/> over <paramref name="variables"/> indices by enumeration.</summary>
    private static int BruteForceMonomialCount(int variables, int order)
    {
        var count = 0;
        void Count(int depth, int start)
        {
            if (depth == order)
            {
                count++;
                return;
            }

            for (var i = start; i < variables; i++)
            {
                Count(depth + 1, i);
            }
        }

        Count(0, 0);
        return count;
    }
}
