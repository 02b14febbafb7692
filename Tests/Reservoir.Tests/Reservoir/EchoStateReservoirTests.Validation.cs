using System.Collections.Immutable;
using NUnit.Framework;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private static readonly ReservoirOptions Valid = new() { UnitCount = 10, Seed = 1, RecurrentConnectivity = 0.5 };

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return Case(Valid with { UnitCount = 0 }, "UnitCount");
        yield return Case(Valid with { UnitCount = -5 }, "UnitCount");
        yield return Case(Valid with { InputDimension = 0 }, "InputDimension");
        yield return Case(Valid with { SpectralRadius = 0 }, "SpectralRadius");
        yield return Case(Valid with { SpectralRadius = -1 }, "SpectralRadius");
        yield return Case(Valid with { SpectralRadius = double.NaN }, "SpectralRadius");
        yield return Case(Valid with { SpectralRadius = double.PositiveInfinity }, "SpectralRadius");
        yield return Case(Valid with { LeakRates = 0.0 }, "LeakRates");
        yield return Case(Valid with { LeakRates = 1.5 }, "LeakRates");
        yield return Case(Valid with { LeakRates = double.NaN }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.Uniform(0.5, 0.2) }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.Uniform(0, 0.2) }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.LogUniformTimeConstants(0.5, 10) }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.LogUniformTimeConstants(10, 5) }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.Groups(new LeakRateGroup(0.5, 0.1)) }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.Groups(new LeakRateGroup(0.5, 0.1), new LeakRateGroup(0.5, 2)) }, "LeakRates");
        yield return Case(Valid with { LeakRates = LeakRateDistribution.Groups() }, "LeakRates");
        yield return Case(Valid with { InputScaling = 0 }, "InputScaling");
        yield return Case(Valid with { InputScaling = double.NaN }, "InputScaling");
        yield return Case(Valid with { InputScalingPerInput = [1.0, 2.0] }, "InputScalingPerInput");
        yield return Case(Valid with { InputScalingPerInput = [-1.0] }, "InputScalingPerInput");
        yield return Case(Valid with { InputConnectivity = 0 }, "InputConnectivity");
        yield return Case(Valid with { InputConnectivity = 1.01 }, "InputConnectivity");
        yield return Case(Valid with { RecurrentConnectivity = 0 }, "RecurrentConnectivity");
        yield return Case(Valid with { RecurrentConnectivity = double.NaN }, "RecurrentConnectivity");
        yield return Case(Valid with { RecurrentConnectivity = 2 }, "RecurrentConnectivity");
        yield return Case(Valid with { RecurrentInDegree = 0 }, "RecurrentInDegree");
        yield return Case(Valid with { RecurrentInDegree = 11 }, "RecurrentInDegree");
        yield return Case(Valid with { BiasScaling = -0.1 }, "BiasScaling");
        yield return Case(Valid with { StateNoise = double.PositiveInfinity }, "StateNoise");
        yield return Case(Valid with { FeedbackDimension = -1 }, "FeedbackDimension");
        yield return Case(Valid with { FeedbackScaling = 0 }, "FeedbackScaling");
        yield return Case(Valid with { FeedbackConnectivity = 0 }, "FeedbackConnectivity");
        yield return Case(Valid with { Activation = (Activation)42 }, "Activation");
        yield return Case(Valid with { SkipConnections = [new SkipConnection { Delay = 0 }] }, "SkipConnections");
        yield return Case(Valid with { SkipConnections = [new SkipConnection { Delay = 2, SpectralRadius = double.NaN }] }, "SkipConnections");
        yield return Case(Valid with { SkipConnections = [new SkipConnection { Delay = 2, Connectivity = 0 }] }, "SkipConnections");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [2, 2] } }, "Clockwork");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [4, 2] } }, "Clockwork");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [0, 2] } }, "Clockwork");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [] } }, "Clockwork");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [1, 2], ModuleSizes = [3, 3] } }, "Clockwork");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [1, 2] }, Topology = ReservoirTopology.SimpleCycle }, "Clockwork");
        yield return Case(Valid with { SkipConnections = default }, "SkipConnections");
        yield return Case(Valid with { InputScalingPerInput = default(ImmutableArray<double>) }, "InputScalingPerInput");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = default } }, "Clockwork");
        yield return Case(Valid with { Clockwork = new ClockworkOptions { Periods = [1, 2], ModuleSizes = default(ImmutableArray<int>) } }, "Clockwork");
    }

    private static TestCaseData Case(ReservoirOptions options, string parameter) =>
        new TestCaseData(options, parameter).SetArgDisplayNames(parameter + ": " + Describe(options, parameter));

    private static string Describe(ReservoirOptions options, string parameter) =>
        typeof(ReservoirOptions).GetProperty(parameter)?.GetValue(options)?.ToString() ?? "null";

    [TestCaseSource(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingIt(ReservoirOptions options, string parameter)
    {
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => _ = new EchoStateReservoir(options));

        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(parameter));
    }

    [Test]
    public void Constructor_LeakRateAboveOne_MessageGivesRangeAndValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EchoStateReservoir(Valid with { LeakRates = 1.5 }));

        Assert.That(error!.Message, Does.StartWith("LeakRate must be in (0, 1]; was 1.5."));
    }

    [Test]
    public void Constructor_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _ = new EchoStateReservoir(null!));
    }

    [Test]
    public void Constructor_NoRecurrentWeightsDrawn_ThrowsWithHint()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new EchoStateReservoir(
            new ReservoirOptions { UnitCount = 1, Seed = 1, RecurrentConnectivity = 1e-9 }));

        Assert.That(error!.ParamName, Is.EqualTo("RecurrentConnectivity"));
        Assert.That(error.Message, Does.Contain("raise RecurrentConnectivity"));
    }

    [Test]
    public void Run_WrongInputDimension_ThrowsWithBothSizes()
    {
        var reservoir = new EchoStateReservoir(Valid);

        var error = Assert.Throws<ArgumentException>(() => reservoir.Run(new double[10, 3]));

        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
        Assert.That(error.Message, Does.Contain("Input has 3 features but the reservoir was built for 1."));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void Run_NonFiniteInput_ThrowsNamingTheIndex(double bad)
    {
        var reservoir = new EchoStateReservoir(Valid);
        var inputs = new double[20, 1];
        inputs[13, 0] = bad;
        var state = reservoir.CreateState();

        var error = Assert.Throws<ArgumentException>(() => reservoir.Run(state, inputs));

        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
        Assert.That(error.Message, Does.Contain("row 13, column 0"));
        Assert.That(state.StepCount, Is.Zero, "nothing ran");
    }

    [Test]
    public void Run_EmptySequence_Throws()
    {
        var reservoir = new EchoStateReservoir(Valid);

        var error = Assert.Throws<ArgumentException>(() => reservoir.Run(new double[0, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
    }

    [TestCase(-1)]
    [TestCase(10)]
    [TestCase(11)]
    public void Run_SequenceNotLongerThanWashout_Throws(int washout)
    {
        var reservoir = new EchoStateReservoir(Valid);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => reservoir.Run(new double[10, 1], washout));

        Assert.That(error!.ParamName, Is.EqualTo("washoutSteps"));
    }

    [Test]
    public void Step_NaNInput_ThrowsNamingTheIndex()
    {
        var reservoir = new EchoStateReservoir(Valid with { InputDimension = 2 });

        var error = Assert.Throws<ArgumentException>(() => reservoir.Step(reservoir.CreateState(), [0.0, double.NaN]));

        Assert.That(error!.ParamName, Is.EqualTo("input"));
        Assert.That(error.Message, Does.Contain("index 1"));
    }

    [Test]
    public void Step_StateOfAnotherReservoir_Throws()
    {
        var a = new EchoStateReservoir(Valid);
        var b = new EchoStateReservoir(Valid);

        var error = Assert.Throws<ArgumentException>(() => a.Step(b.CreateState(), [0.0]));

        Assert.That(error!.ParamName, Is.EqualTo("state"));
    }

    [Test]
    public void Run_ManySequencesOneBad_ThrowsNamingTheSequence()
    {
        var reservoir = new EchoStateReservoir(Valid);
        var bad = new double[5, 1];
        bad[2, 0] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() => reservoir.Run([new double[5, 1], bad]));

        Assert.That(error!.ParamName, Is.EqualTo("sequences"));
        Assert.That(error.Message, Does.StartWith("sequences[1]"));
    }

    [Test]
    public void Run_TeacherOutputsWithoutFeedback_Throws()
    {
        var reservoir = new EchoStateReservoir(Valid);

        var error = Assert.Throws<ArgumentException>(() =>
            reservoir.Run(reservoir.CreateState(), new double[5, 1], teacherOutputs: new double[5, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("teacherOutputs"));
    }

    [Test]
    public void FromWeights_MismatchedDimensions_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Zero(3), Input = TestData.Ones(2), LeakRates = [1, 1, 1],
        }));

        Assert.That(error!.ParamName, Is.EqualTo("Input"));
    }

    private static IEnumerable<TestCaseData> DefaultWeightArrays()
    {
        var valid = new ReservoirWeights { Recurrent = TestData.Zero(2), Input = TestData.Ones(2), LeakRates = [1, 1] };
        yield return new TestCaseData(valid with { LeakRates = default }, "LeakRates").SetArgDisplayNames("LeakRates");
        yield return new TestCaseData(valid with { Bias = default(ImmutableArray<double>) }, "Bias").SetArgDisplayNames("Bias");
        yield return new TestCaseData(valid with { Skip = default }, "Skip").SetArgDisplayNames("Skip");
    }

    [TestCaseSource(nameof(DefaultWeightArrays))]
    public void FromWeights_DefaultImmutableArray_ThrowsNamingIt(ReservoirWeights weights, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => EchoStateReservoir.FromWeights(weights));

        Assert.That(error!.ParamName, Is.EqualTo(parameter));
        Assert.That(error.Message, Does.Contain("default (uninitialised) ImmutableArray"));
    }

    [TestCase(0.0)]
    [TestCase(1.2)]
    [TestCase(double.NaN)]
    public void FromWeights_LeakRateOutOfRange_Throws(double alpha)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Zero(2), Input = TestData.Ones(2), LeakRates = [1, alpha],
        }));

        Assert.That(error!.ParamName, Is.EqualTo("LeakRates"));
        Assert.That(error.Message, Does.Contain("LeakRates[1]"));
    }

    [Test]
    public void SetValues_NaN_ThrowsAndKeepsState()
    {
        var reservoir = new EchoStateReservoir(Valid);
        var state = reservoir.CreateState();
        var values = new double[10];
        values[4] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() => state.SetValues(values));

        Assert.That(error!.ParamName, Is.EqualTo("values"));
        Assert.That(state.Values.ToArray(), Is.All.EqualTo(0.0));
    }
}
