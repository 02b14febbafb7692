using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

/// <summary>Accuracy, memory capacity and valid prediction time.</summary>
public sealed partial class MetricsTests
{
    [Test]
    public void Accuracy_ThreeOfFour_IsThreeQuarters() =>
        Assert.That(Metrics.Accuracy([0, 1, 2, 1], [0, 1, 2, 2]), Is.EqualTo(0.75));

    [Test]
    public void Accuracy_NoneRight_IsZero() =>
        Assert.That(Metrics.Accuracy([0, 1], [1, 0]), Is.Zero);

    [Test]
    public void Accuracy_LengthsDiffer_Throws() =>
        Assert.That(() => Metrics.Accuracy([0, 1], [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("predicted"));

    [Test]
    public void Accuracy_Empty_Throws() =>
        Assert.That(() => Metrics.Accuracy([], []), Throws.ArgumentException.With.Property("ParamName").EqualTo("truth"));

    [Test]
    public void MemoryCapacityProfile_HandColumns_SquaredCorrelations()
    {
        // Column 0: exact affine copy, r² = 1. Column 1: u = (1, 2, 3, 4), ŷ = (1, 3, 2, 4): cov = 4, var = 5 and 5 → r² = 0.64.
        // Column 2: constant reconstruction → 0. Column 3: negatively correlated copy, r² = 1.
        var inputs = new double[,] { { 1, 1, 1, 1 }, { 2, 2, 2, 2 }, { 3, 3, 3, 3 }, { 4, 4, 4, 4 } };
        var predictions = new double[,] { { 3, 1, 5, 8 }, { 5, 3, 5, 6 }, { 7, 2, 5, 4 }, { 9, 4, 5, 2 } };

        var profile = Metrics.MemoryCapacityProfile(inputs, predictions);

        Assert.Multiple(() =>
        {
            Assert.That(profile, Is.EqualTo(new[] { 1, 0.64, 0, 1 }).Within(Tolerance));
            Assert.That(Metrics.MemoryCapacity(inputs, predictions), Is.EqualTo(2.64).Within(Tolerance));
        });
    }

    [Test]
    public void MemoryCapacityProfile_ConstantInputColumn_ContributesZero()
    {
        var inputs = new double[,] { { 0.1 }, { 0.1 }, { 0.1 } };
        var predictions = new double[,] { { 1 }, { 2 }, { 4 } };

        Assert.That(Metrics.MemoryCapacityProfile(inputs, predictions), Is.EqualTo(new[] { 0.0 }));
    }

    [Test]
    public void MemoryCapacity_ShapesDiffer_Throws() =>
        Assert.That(() => Metrics.MemoryCapacity(new double[3, 2], new double[3, 1]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("predictions"));

    [Test]
    public void MemoryCapacity_OneRow_Throws() =>
        Assert.That(() => Metrics.MemoryCapacity(new double[1, 2], new double[1, 2]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("delayedInputs"));

    [Test]
    public void MemoryCapacity_NoColumns_Throws() =>
        Assert.That(() => Metrics.MemoryCapacityProfile(new double[3, 0], new double[3, 0]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("delayedInputs"));

    [Test]
    public void MemoryCapacity_NonFinitePrediction_Throws() =>
        Assert.That(() => Metrics.MemoryCapacity(new double[,] { { 1 }, { 2 } }, new double[,] { { 1 }, { double.NaN } }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("predictions"));

    [Test]
    public void MemoryCapacity_Null_Throws() =>
        Assert.That(() => Metrics.MemoryCapacity(null!, new double[2, 1]), Throws.ArgumentNullException);

    [TestCase(0.5, 3)]
    [TestCase(0.25, 2)]
    [TestCase(0.24, 1)]
    [TestCase(1.0, 4)]
    [TestCase(0.0, 1)]
    public void ValidPredictionTime_HandErrors_CountsLeadingSteps(double threshold, int expected)
    {
        // Absolute errors 0, 0.25, 0.5, 1 (exact in binary): the first error above the threshold ends the valid time.
        double[] truth = [1, 2, 3, 4];
        double[] prediction = [1, 2.25, 2.5, 5];

        Assert.That(Metrics.ValidPredictionTime(truth, prediction, threshold), Is.EqualTo(expected));
    }

    [Test]
    public void ValidPredictionTime_LaterStepsBackUnderThreshold_StillStopsAtFirstExcess() =>
        Assert.That(Metrics.ValidPredictionTime([0, 0, 0, 0], [0, 2, 0, 0], 1), Is.EqualTo(1));

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void ValidPredictionTime_DivergedPrediction_CountsAsExceeding(double value) =>
        Assert.That(Metrics.ValidPredictionTime([0, 0, 0], [0, value, 0], 1e300), Is.EqualTo(1));

    [Test]
    public void ValidPredictionTime_Matrix_UsesLargestColumnError()
    {
        var truth = new double[,] { { 0, 0 }, { 0, 0 }, { 0, 0 } };
        var prediction = new double[,] { { 0.1, -0.1 }, { 0.2, -0.6 }, { 0, 0 } };

        Assert.Multiple(() =>
        {
            Assert.That(Metrics.ValidPredictionTime(truth, prediction, 0.5), Is.EqualTo(1));
            Assert.That(Metrics.ValidPredictionTime(truth, prediction, 0.6), Is.EqualTo(3));
        });
    }

    [TestCase(-1e-9)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void ValidPredictionTime_InvalidThreshold_Throws(double threshold)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Metrics.ValidPredictionTime([1.0], [1.0], threshold),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("threshold"));
            Assert.That(() => Metrics.ValidPredictionTime(new double[1, 1], new double[1, 1], threshold),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("threshold"));
        });
    }

    [Test]
    public void ValidPredictionTime_BadInputs_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Metrics.ValidPredictionTime([1.0, 2], [1.0], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("prediction"));
            Assert.That(() => Metrics.ValidPredictionTime([], [], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("truth"));
            Assert.That(() => Metrics.ValidPredictionTime([double.NaN], [1.0], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("truth"));
            Assert.That(() => Metrics.ValidPredictionTime(new double[2, 2], new double[2, 1], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("prediction"));
            Assert.That(() => Metrics.ValidPredictionTime(new double[0, 2], new double[0, 2], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("truth"));
            Assert.That(() => Metrics.ValidPredictionTime(new double[,] { { double.PositiveInfinity } }, new double[1, 1], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("truth"));
            Assert.That(() => Metrics.ValidPredictionTime(null!, new double[1, 1], 1), Throws.ArgumentNullException);
        });
    }
}
