using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="MemoryCapacityTask.Generate"/>.</summary>
[TestFixture]
public sealed class MemoryCapacityTaskTests
{
    private const int Seed = 11;
    private const int Length = 200;
    private const int MaxDelay = 20;

    [Test]
    public void Generate_Valid_ShapesMatch()
    {
        var data = MemoryCapacityTask.Generate(Length, MaxDelay, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(data.Input, Has.Length.EqualTo(Length));
            Assert.That(data.Targets.GetLength(0), Is.EqualTo(Length));
            Assert.That(data.Targets.GetLength(1), Is.EqualTo(MaxDelay));
            Assert.That(data.MaxDelay, Is.EqualTo(MaxDelay));
        });
    }

    [Test]
    public void Generate_Targets_AreShiftedInputs()
    {
        var data = MemoryCapacityTask.Generate(Length, MaxDelay, Seed);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < Length; t++)
            {
                for (var k = 1; k <= MaxDelay; k++)
                {
                    var expected = t - k >= 0 ? data.Input[t - k] : 0.0;
                    Assert.That(data.Targets[t, k - 1], Is.EqualTo(expected), $"t = {t}, k = {k}");
                }
            }
        });
    }

    [Test]
    public void Generate_Defaults_InputInSymmetricRange()
    {
        var data = MemoryCapacityTask.Generate(Length, MaxDelay, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(data.Input, Is.All.GreaterThanOrEqualTo(-0.8).And.LessThan(0.8));
            Assert.That(data.Input.Min(), Is.LessThan(-0.5));
            Assert.That(data.Input.Max(), Is.GreaterThan(0.5));
        });
    }

    [Test]
    public void Generate_CustomRange_InputWithinBounds()
    {
        var data = MemoryCapacityTask.Generate(Length, MaxDelay, Seed, inputLow: 2, inputHigh: 3);

        Assert.That(data.Input, Is.All.GreaterThanOrEqualTo(2.0).And.LessThan(3.0));
    }

    [Test]
    public void Generate_SameSeed_BitIdentical()
    {
        var first = MemoryCapacityTask.Generate(Length, MaxDelay, Seed);
        var second = MemoryCapacityTask.Generate(Length, MaxDelay, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(second.Input, Is.EqualTo(first.Input).AsCollection);
            Assert.That(second.Targets, Is.EqualTo(first.Targets).AsCollection);
        });
    }

    [Test]
    public void Generate_DifferentSeeds_Differ()
    {
        var first = MemoryCapacityTask.Generate(Length, MaxDelay, Seed);
        var second = MemoryCapacityTask.Generate(Length, MaxDelay, Seed + 1);

        Assert.That(second.Input, Is.Not.EqualTo(first.Input).AsCollection);
    }

    [Test]
    public void Generate_MinimalSizes_Succeeds()
    {
        var data = MemoryCapacityTask.Generate(2, 1, Seed);

        Assert.Multiple(() =>
        {
            Assert.That(data.Targets[0, 0], Is.EqualTo(0.0));
            Assert.That(data.Targets[1, 0], Is.EqualTo(data.Input[0]));
        });
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_MaxDelayBelowOne_Throws(int maxDelay) =>
        AssertOutOfRange(() => MemoryCapacityTask.Generate(Length, maxDelay, Seed), "maxDelay");

    [TestCase(MaxDelay)]
    [TestCase(MaxDelay - 1)]
    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthNotAboveMaxDelay_Throws(int length) =>
        AssertOutOfRange(() => MemoryCapacityTask.Generate(length, MaxDelay, Seed), "length");

    [Test]
    public void Generate_LengthEqualsMaxDelay_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MemoryCapacityTask.Generate(MaxDelay, MaxDelay, Seed));

        Assert.That(exception!.Message, Does.Contain($"length must be > maxDelay ({MaxDelay}); was {MaxDelay}."));
    }

    [Test]
    public void Generate_TargetsTooLargeForArray_Throws() =>
        AssertOutOfRange(() => MemoryCapacityTask.Generate(int.MaxValue, 1000, Seed), "maxDelay");

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Generate_InputLowNotFinite_Throws(double inputLow) =>
        AssertOutOfRange(() => MemoryCapacityTask.Generate(Length, MaxDelay, Seed, inputLow: inputLow), "inputLow");

    [TestCase(-0.8)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_InputHighNotAboveInputLow_Throws(double inputHigh) =>
        AssertOutOfRange(() => MemoryCapacityTask.Generate(Length, MaxDelay, Seed, inputHigh: inputHigh), "inputHigh");

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
