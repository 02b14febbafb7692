using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class RidgeSolutionTests
{
    private static RidgeSolution Overflowing() => RidgeSolution.FromWeights(new double[,] { { 1e308, 1e308 } }, [0]);

    [Test]
    public void Predict_FiniteFeaturesOverflowingWeights_ThrowsNamingTheWeights()
    {
        var output = new double[1];

        var e = Assert.Throws<InvalidOperationException>(() => Overflowing().Predict([1, 1], output))!;

        Assert.That(e.Message, Does.Contain("Infinity").And.Contain("every feature is finite").And.Contain("1E+308"));
    }

    [Test]
    public void PredictMatrix_FiniteFeaturesOverflowingWeights_ThrowsNamingTheWeights()
    {
        Assert.That(() => Overflowing().Predict(new double[,] { { 0, 0 }, { 1, 1 } }),
            Throws.InvalidOperationException.With.Message.Contains("Output 0 of the readout is Infinity"));
    }

    [Test]
    public void Predict_NaNFeature_ThrowsNamingTheFeature()
    {
        var solution = RidgeSolution.FromWeights(new double[,] { { 1, 2 } }, [0]);

        var e = Assert.Throws<ArgumentException>(() => solution.Predict([1, double.NaN], new double[1]))!;

        Assert.That(e.ParamName, Is.EqualTo("features"));
        Assert.That(e.Message, Does.Contain("NaN at index 1"));
    }

    [Test]
    public void Predict_FiniteOutputs_AllocatesNothingForTheCheck()
    {
        var solution = RidgeSolution.FromWeights(new double[,] { { 1, 2 }, { 3, 4 } }, [0, 1]);
        var features = new double[] { 0.5, -0.25 };
        var output = new double[2];

        var allocated = Allocations.Fewest(() => solution.Predict(features, output));

        Assert.That(allocated, Is.Zero);
        Assert.That(output, Is.EqualTo(new[] { 0.0, 1.5 }));
    }
}
