using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Argument checks of <see cref="Narma.Generate"/>: exception type and parameter name.</summary>
public sealed partial class NarmaTests
{
    private const int ValidLength = 20;

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => Narma.Generate(length, Seed), "length");

    [TestCase(0)]
    [TestCase(-10)]
    public void Generate_OrderBelowOne_Throws(int order) =>
        AssertOutOfRange(() => Narma.Generate(ValidLength, Seed, order), "order");

    [TestCase("a", double.NaN)]
    [TestCase("a", double.PositiveInfinity)]
    [TestCase("b", double.NaN)]
    [TestCase("b", double.NegativeInfinity)]
    [TestCase("c", double.NaN)]
    [TestCase("c", double.PositiveInfinity)]
    [TestCase("d", double.NaN)]
    [TestCase("d", double.NegativeInfinity)]
    public void Generate_CoefficientNotFinite_Throws(string name, double value)
    {
        Action generate = name switch
        {
            "a" => () => Narma.Generate(ValidLength, Seed, a: value),
            "b" => () => Narma.Generate(ValidLength, Seed, b: value),
            "c" => () => Narma.Generate(ValidLength, Seed, c: value),
            _ => () => Narma.Generate(ValidLength, Seed, d: value),
        };

        AssertOutOfRange(() => generate(), name);
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Generate_InputLowNotFinite_Throws(double inputLow) =>
        AssertOutOfRange(() => Narma.Generate(ValidLength, Seed, inputLow: inputLow), "inputLow");

    [TestCase(0.0)]
    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_InputHighNotAboveInputLow_Throws(double inputHigh) =>
        AssertOutOfRange(() => Narma.Generate(ValidLength, Seed, inputLow: 0, inputHigh: inputHigh), "inputHigh");

    [Test]
    public void Generate_NegativeTransientSteps_Throws() =>
        AssertOutOfRange(() => Narma.Generate(ValidLength, Seed, transientSteps: -1), "transientSteps");

    [Test]
    public void Generate_TotalTooLargeForArray_Throws() =>
        AssertOutOfRange(() => Narma.Generate(int.MaxValue, Seed, transientSteps: 10), "transientSteps");

    [Test]
    public void Generate_InputHighBelowLow_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => Narma.Generate(ValidLength, Seed, inputLow: 0.5, inputHigh: 0.25));

        Assert.That(exception!.Message, Does.Contain("inputHigh must be finite and > inputLow (0.5); was 0.25."));
    }

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
