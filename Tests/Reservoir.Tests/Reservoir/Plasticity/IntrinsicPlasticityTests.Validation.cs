using NUnit.Framework;
using Reservoir.Plasticity;

namespace Reservoir.Tests.Plasticity;

public sealed partial class IntrinsicPlasticityTests
{
    private static EchoStateReservoir Small() => new(Drawn() with { UnitCount = 10 });

    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return new TestCaseData(Training with { TargetMean = 1.0 }, "TargetMean", "(-1, 1); was 1.").SetName("Train_TargetMeanOne_Throws");
        yield return new TestCaseData(Training with { TargetMean = double.NaN }, "TargetMean", "was NaN").SetName("Train_TargetMeanNaN_Throws");
        yield return new TestCaseData(Training with { TargetStdDev = 0.0 }, "TargetStdDev", "(0, 1); was 0.").SetName("Train_TargetStdDevZero_Throws");
        yield return new TestCaseData(Training with { TargetStdDev = 1.0 }, "TargetStdDev", "(0, 1); was 1.").SetName("Train_TargetStdDevOne_Throws");
        yield return new TestCaseData(Training with { TargetStdDev = double.PositiveInfinity }, "TargetStdDev", "was Infinity.").SetName("Train_TargetStdDevInfinite_Throws");
        yield return new TestCaseData(Training with { LearningRate = 0.0 }, "LearningRate", "(0, 1]; was 0.").SetName("Train_LearningRateZero_Throws");
        yield return new TestCaseData(Training with { LearningRate = 1.5 }, "LearningRate", "(0, 1]; was 1.5.").SetName("Train_LearningRateAboveOne_Throws");
        yield return new TestCaseData(Training with { Epochs = 0 }, "Epochs", ">= 1; was 0.").SetName("Train_ZeroEpochs_Throws");
        yield return new TestCaseData(Training with { WashoutSteps = -1 }, "WashoutSteps", ">= 0; was -1.").SetName("Train_NegativeWashout_Throws");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Train_OptionOutOfRange_ThrowsNamingIt(IntrinsicPlasticityOptions options, string name, string fragment)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => IntrinsicPlasticity.Train(Small(), Inputs(), options));

        Assert.That(exception!.ParamName, Is.EqualTo(name));
        Assert.That(exception.Message, Does.Contain(name).And.Contain(fragment));
    }

    [Test]
    public void LearnGains_LearningRateOne_IsAccepted()
    {
        Assert.That(IntrinsicPlasticity.LearnGains(Small(), [Inputs()], Training with { LearningRate = 1.0, Epochs = 1 }).Gains.Length,
            Is.EqualTo(10));
    }

    [Test]
    public void Train_IdentityActivation_Throws()
    {
        var linear = new EchoStateReservoir(Drawn() with { UnitCount = 10, Activation = Activation.Identity });

        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Train(linear, Inputs(), Training));

        Assert.That(exception!.ParamName, Is.EqualTo("reservoir"));
        Assert.That(exception.Message, Does.Contain("Activation.Tanh").And.Contain("Activation.Sigmoid").And.Contain("Identity"));
    }

    [Test]
    public void Train_SigmoidWithTargetStdDev_ThrowsNamingIt()
    {
        var sigmoid = new EchoStateReservoir(Drawn() with { UnitCount = 10, Activation = Activation.Sigmoid });

        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Train(sigmoid, Inputs(), Training));

        Assert.That(exception!.ParamName, Is.EqualTo("TargetStdDev"));
        Assert.That(exception.Message, Does.Contain("exponential target").And.Contain("was 0.2"));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.1)]
    public void Train_SigmoidTargetMeanOutsideUnitInterval_ThrowsNamingIt(double mean)
    {
        var sigmoid = new EchoStateReservoir(Drawn() with { UnitCount = 10, Activation = Activation.Sigmoid });
        var options = new IntrinsicPlasticityOptions { TargetMean = mean };

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => IntrinsicPlasticity.Train(sigmoid, Inputs(), options));

        Assert.That(exception!.ParamName, Is.EqualTo("TargetMean"));
        Assert.That(exception.Message, Does.Contain("(0, 1)"));
    }

    [Test]
    public void Train_ReservoirWithFeedback_Throws()
    {
        var withFeedback = new EchoStateReservoir(Drawn() with { UnitCount = 10, FeedbackDimension = 2 });

        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Train(withFeedback, Inputs(), Training));

        Assert.That(exception!.ParamName, Is.EqualTo("reservoir"));
        Assert.That(exception.Message, Does.Contain("feeds back 2"));
    }

    [Test]
    public void Train_SequenceNotLongerThanWashout_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            IntrinsicPlasticity.Train(Small(), [Inputs(), TestData.Uniform(100, 1, 3)], Training with { WashoutSteps = 100 }));

        Assert.That(exception!.ParamName, Is.EqualTo("sequences"));
        Assert.That(exception.Message, Does.Contain("sequences[1] has 100 steps").And.Contain("WashoutSteps = 100"));
    }

    [Test]
    public void Train_WrongInputWidth_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Train(Small(), TestData.Uniform(200, 2, 3), Training));

        Assert.That(exception!.ParamName, Is.EqualTo("inputs"));
        Assert.That(exception.Message, Does.Contain("inputs has 2 features but the reservoir was built for 1"));
    }

    [Test]
    public void Train_NonFiniteInput_ThrowsNamingRow()
    {
        var inputs = Inputs();
        inputs[42, 0] = double.NaN;

        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Train(Small(), inputs, Training));

        Assert.That(exception!.ParamName, Is.EqualTo("inputs"));
        Assert.That(exception.Message, Does.Contain("NaN at row 42"));
    }

    [Test]
    public void Train_NoSequences_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Train(Small(), Array.Empty<double[,]>(), Training));

        Assert.That(exception!.ParamName, Is.EqualTo("sequences"));
    }

    [Test]
    public void Train_NullArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentNullException>(() => IntrinsicPlasticity.Train(null!, Inputs(), Training))!.ParamName, Is.EqualTo("reservoir"));
            Assert.That(Assert.Throws<ArgumentNullException>(() => IntrinsicPlasticity.Train(Small(), (double[,])null!, Training))!.ParamName, Is.EqualTo("inputs"));
            Assert.That(Assert.Throws<ArgumentNullException>(() => IntrinsicPlasticity.Train(Small(), Inputs(), null!))!.ParamName, Is.EqualTo("options"));
        });
    }

    [Test]
    public void Fold_GainsOfWrongLength_Throws()
    {
        var gains = new UnitGains([1.0, 1.0], [0.0, 0.0]);

        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Fold(Small(), gains));

        Assert.That(exception!.ParamName, Is.EqualTo("Gains"));
        Assert.That(exception.Message, Does.Contain("one entry per unit (10); had 2"));
    }

    [Test]
    public void Fold_NonFiniteBias_Throws()
    {
        var gains = new UnitGains([.. Enumerable.Repeat(1.0, 10)], [.. Enumerable.Repeat(double.NaN, 10)]);

        var exception = Assert.Throws<ArgumentException>(() => IntrinsicPlasticity.Fold(Small(), gains));

        Assert.That(exception!.ParamName, Is.EqualTo("Biases"));
    }
}
