using NUnit.Framework;

namespace Reservoir.Tests;

[TestFixture]
public sealed class ReservoirWeightsTests
{
    private static readonly SparseWeights Recurrent = TestData.Diagonal(3, 0.5);
    private static readonly SparseWeights Input = TestData.Ones(3);
    private static readonly SparseWeights SkipMatrix = TestData.Diagonal(3, 0.2);

    private static ReservoirWeights Weights() => new()
    {
        Recurrent = Recurrent, Input = Input, LeakRates = [1, 0.5, 0.25], Bias = [0.1, 0, -0.1], Skip = [new DelayedWeights(2, SkipMatrix)],
    };

    [Test]
    public void Equals_EqualArraysAndSameMatrices_EqualWithEqualHashCodes()
    {
        Assert.That(Weights(), Is.EqualTo(Weights()));
        Assert.That(Weights().GetHashCode(), Is.EqualTo(Weights().GetHashCode()));
    }

    [Test]
    public void Equals_AnArrayDiffers_NotEqual()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Weights() with { LeakRates = [1, 0.5, 0.2] }, Is.Not.EqualTo(Weights()));
            Assert.That(Weights() with { Bias = null }, Is.Not.EqualTo(Weights()));
            Assert.That(Weights() with { Skip = [new DelayedWeights(3, SkipMatrix)] }, Is.Not.EqualTo(Weights()));
        });
    }
}
