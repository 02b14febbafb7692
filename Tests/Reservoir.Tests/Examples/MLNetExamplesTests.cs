using NUnit.Framework;

namespace Reservoir.Tests.Examples;

[TestFixture]
public sealed class MLNetExamplesTests
{
    [Test]
    public void Featurizer_SmallSize_BothTrainersLearnNarma()
    {
        var result = Reservoir.Examples.MLNetFeaturizer.Program.Run(seed: 1, trainSteps: 800, testSteps: 300, unitCount: 50);

        Assert.That(result.RidgeRSquared, Is.GreaterThan(0.5));
        Assert.That(result.FastTreeRSquared, Is.GreaterThan(0.0), "FastTree learns something from the states");
        Assert.That(result.RidgeRSquared, Is.GreaterThan(result.FastTreeRSquared), "the linear readout suits reservoir states");
        Assert.That(result.RidgeL2Regularization, Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void SequenceClassification_SmallSize_BeatsChance()
    {
        var result = Reservoir.Examples.SequenceClassification.Program.Run(seed: 1, trainCount: 120, testCount: 60, unitCount: 40);

        Assert.That(result.MicroAccuracy, Is.GreaterThan(0.6), "three classes: chance is 1/3");
    }
}
