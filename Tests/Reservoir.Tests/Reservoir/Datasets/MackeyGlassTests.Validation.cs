using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Argument checks of <see cref="MackeyGlass.Generate"/>: exception type, parameter name and message.</summary>
public sealed partial class MackeyGlassTests
{
    private const int ValidLength = 10;

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void Generate_LengthBelowOne_Throws(int length)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MackeyGlass.Generate(length, Seed));

        Assert.That(exception!.ParamName, Is.EqualTo("length"));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Generate_TauNotPositive_Throws(double tau) =>
        AssertOutOfRange(new MackeyGlassOptions { Tau = tau }, "Tau");

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_ANegativeOrNotFinite_Throws(double a) =>
        AssertOutOfRange(new MackeyGlassOptions { A = a }, "A");

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_BNegativeOrNotFinite_Throws(double b) =>
        AssertOutOfRange(new MackeyGlassOptions { B = b }, "B");

    [TestCase(0.0)]
    [TestCase(-10.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_ExponentNotPositive_Throws(double exponent) =>
        AssertOutOfRange(new MackeyGlassOptions { Exponent = exponent }, "Exponent");

    [Test]
    public void Generate_UndefinedIntegrator_Throws() =>
        AssertOutOfRange(new MackeyGlassOptions { Integrator = (MackeyGlassIntegrator)7 }, "Integrator");

    [TestCase(0.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(17.5)]
    public void Generate_StepSizeOutOfRange_Throws(double stepSize) =>
        AssertOutOfRange(new MackeyGlassOptions { StepSize = stepSize }, "StepSize");

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_SubsampleBelowOne_Throws(int subsample) =>
        AssertOutOfRange(new MackeyGlassOptions { Subsample = subsample }, "Subsample");

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(new MackeyGlassOptions { TransientSamples = -1 }, "TransientSamples");

    [TestCase(0.0)]
    [TestCase(-1.2)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_InitialValueNotPositive_Throws(double initialValue) =>
        AssertOutOfRange(new MackeyGlassOptions { InitialValue = initialValue, HistoryJitter = 0 }, "InitialValue");

    [TestCase(-0.1)]
    [TestCase(1.2)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_HistoryJitterOutOfRange_Throws(double jitter) =>
        AssertOutOfRange(new MackeyGlassOptions { HistoryJitter = jitter }, "HistoryJitter");

    [Test]
    public void Generate_NegativeTau_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => MackeyGlass.Generate(ValidLength, Seed, new MackeyGlassOptions { Tau = -3 }));

        Assert.That(exception!.Message, Does.Contain("Tau must be finite and > 0; was -3."));
    }

    [TestCase(0.3)]
    [TestCase(0.15)]
    public void Generate_EulerStepNotDividingTau_ThrowsWithHint(double stepSize)
    {
        var exception = Assert.Throws<ArgumentException>(
            () => MackeyGlass.Generate(ValidLength, Seed, new MackeyGlassOptions { StepSize = stepSize }));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("StepSize"));
            Assert.That(exception.Message, Does.Contain("not an integer").And.Contain("RungeKutta4"));
        });
    }

    [TestCase(0.3)]
    [TestCase(0.15)]
    public void Generate_RungeKutta4StepNotDividingTau_Succeeds(double stepSize)
    {
        var series = MackeyGlass.Generate(ValidLength, Seed, RungeKutta with { StepSize = stepSize, Subsample = 1 });

        Assert.That(series, Is.All.InRange(AttractorLow, AttractorHigh));
    }

    [Test]
    public void Generate_UnstableStep_ThrowsInvalidOperation()
    {
        // Euler with δ·B = 1000 multiplies y by about −999 per step and overflows.
        var options = new MackeyGlassOptions { Tau = 1, StepSize = 1, B = 1000, TransientSamples = 0 };

        var exception = Assert.Throws<InvalidOperationException>(() => MackeyGlass.Generate(ValidLength * 10, Seed, options));

        Assert.That(exception!.Message, Does.Contain("StepSize"));
    }

    private static void AssertOutOfRange(MackeyGlassOptions options, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MackeyGlass.Generate(ValidLength, Seed, options));

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }
}
