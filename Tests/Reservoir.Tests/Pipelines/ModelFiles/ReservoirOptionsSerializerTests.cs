using System.Reflection;
using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class ReservoirOptionsSerializerTests
{
    private const string Kind = "ReservoirOptions";

    /// <summary>A leak rate no other option uses, so that its bytes can be found in the file.</summary>
    private const double MarkerLeakRate = 0.3125;

    private static IEnumerable<TestCaseData> OptionsCases()
    {
        var minimal = new ReservoirOptions { UnitCount = 1, Seed = 0 };
        yield return new TestCaseData(minimal).SetArgDisplayNames("Defaults");
        yield return new TestCaseData(ModelFileTestData.RichOptions()).SetArgDisplayNames("EveryFeature");
        yield return new TestCaseData(new ReservoirOptions
        {
            UnitCount = 30, Seed = -5, InputDimension = 3, SpectralRadius = 1.2,
            LeakRates = LeakRateDistribution.Uniform(0.1, 0.7), InputScaling = 0.25, InputConnectivity = 1,
            RecurrentConnectivity = 0.05, BiasScaling = 0, Activation = Activation.Identity,
            RecurrentWeightDistribution = WeightDistribution.Uniform, InputWeightDistribution = WeightDistribution.Normal,
            Clockwork = new ClockworkOptions { Periods = [1, 3], ModuleSizes = [10, 20] },
        }).SetArgDisplayNames("UniformLeakRatesAndGivenModuleSizes");
        yield return new TestCaseData(new ReservoirOptions
        {
            UnitCount = 16, Seed = int.MaxValue, LeakRates = LeakRateDistribution.LogUniformTimeConstants(2, 200),
            Topology = ReservoirTopology.SimpleCycle, StateNoise = 0.01,
        }).SetArgDisplayNames("LogUniformTimeConstantsAndSimpleCycle");
        yield return new TestCaseData(new ReservoirOptions
        {
            UnitCount = 20, Seed = 9, Topology = ReservoirTopology.CycleWithJumps, JumpLength = 5, JumpWeight = 0.45,
            SmallWorldNeighbours = 8, RewiringProbability = 0.75,
        }).SetArgDisplayNames("CycleWithJumpsAndEveryTopologyOption");
        yield return new TestCaseData(new ReservoirOptions
        {
            UnitCount = 12, Seed = 2, LeakRates = 0.05, StateCarry = StateCarry.Orthogonal,
        }).SetArgDisplayNames("OrthogonalStateCarry");
    }

    [TestCaseSource(nameof(OptionsCases))]
    public void RoundTrip_Options_EqualPropertyByProperty(ReservoirOptions options)
    {
        var file = ModelFileTestData.WriteFile(Kind, w => w.WriteReservoirOptions(options));

        var loaded = ModelFileTestData.ReadFile(file, Kind, r => r.ReadReservoirOptions());

        ModelFileTestData.AssertOptionsEqual(options, loaded);
    }

    [Test]
    public void AssertOptionsEqual_DifferentScalar_Fails()
    {
        var options = ModelFileTestData.RichOptions();

        Assert.That(() => ModelFileTestData.AssertOptionsEqual(options, options with { FeedbackScaling = 0.5 }),
            Throws.InstanceOf<AssertionException>());
    }

    [Test]
    public void Write_ReservoirOptions_CoversEveryPublicProperty()
    {
        // The serializer writes these 27 properties; a new option must be added to it (and to this list).
        string[] written =
        [
            "UnitCount", "Seed", "InputDimension", "SpectralRadius", "LeakRates", "InputScaling", "InputScalingPerInput",
            "InputConnectivity", "RecurrentConnectivity", "RecurrentInDegree", "BiasScaling", "Activation",
            "RecurrentWeightDistribution", "InputWeightDistribution", "StateNoise", "FeedbackDimension",
            "FeedbackScaling", "FeedbackConnectivity", "SkipConnections", "Clockwork", "Topology",
            "Precision", "JumpLength", "JumpWeight", "SmallWorldNeighbours", "RewiringProbability", "StateCarry",
        ];

        var properties = typeof(ReservoirOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        Assert.That(properties, Is.EquivalentTo(written));
    }

    [Test]
    public void Write_EnumValues_ArePinnedByTheFileFormat()
    {
        Assert.That((int)Activation.Tanh, Is.EqualTo(0));
        Assert.That((int)Activation.Identity, Is.EqualTo(1));
        Assert.That((int)WeightDistribution.Normal, Is.EqualTo(0));
        Assert.That((int)WeightDistribution.Uniform, Is.EqualTo(1));
        Assert.That((int)WeightDistribution.Bernoulli, Is.EqualTo(2));
        Assert.That((int)ReservoirTopology.RandomSparse, Is.EqualTo(0));
        Assert.That((int)ReservoirTopology.SimpleCycle, Is.EqualTo(1));
        Assert.That((int)ReservoirTopology.DelayLine, Is.EqualTo(2));
        Assert.That((int)ReservoirTopology.CycleWithJumps, Is.EqualTo(3));
        Assert.That((int)ReservoirTopology.Orthogonal, Is.EqualTo(4));
        Assert.That((int)ReservoirTopology.SmallWorld, Is.EqualTo(5));
        Assert.That((int)LeakRateDistributionKind.Constant, Is.EqualTo(0));
        Assert.That((int)LeakRateDistributionKind.Uniform, Is.EqualTo(1));
        Assert.That((int)LeakRateDistributionKind.LogUniformTimeConstants, Is.EqualTo(2));
        Assert.That((int)LeakRateDistributionKind.Groups, Is.EqualTo(3));
        Assert.That((int)Precision.Double, Is.EqualTo(0));
        Assert.That((int)Precision.Single, Is.EqualTo(1));
        Assert.That((int)StateCarry.Identity, Is.EqualTo(0));
        Assert.That((int)StateCarry.Orthogonal, Is.EqualTo(1));
    }

    [Test]
    public void Write_InvalidOptions_ThrowsArgumentException()
    {
        var options = new ReservoirOptions { UnitCount = 10, Seed = 1, LeakRates = 1.5 };

        Assert.That(() => new ModelWriter().WriteReservoirOptions(options),
            Throws.InstanceOf<ArgumentException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("LeakRates"));
    }

    [Test]
    public void Read_LeakRateOutOfRange_ThrowsModelFormatExceptionWithTheOptionsMessage()
    {
        var file = ModelFileTestData.WriteFile(Kind,
            w => w.WriteReservoirOptions(new ReservoirOptions { UnitCount = 10, Seed = 1, LeakRates = MarkerLeakRate }));
        Replace(file, BitConverter.GetBytes(MarkerLeakRate), BitConverter.GetBytes(1.5));

        Assert.That(() => ModelFileTestData.ReadFile(ModelFileTestData.Reseal(file), Kind, r => r.ReadReservoirOptions()),
            Throws.TypeOf<ModelFormatException>().With.Message.Contains("LeakRate must be in (0, 1]; was 1.5."));
    }

    [Test]
    public void Read_GroupsWithOddParameterCount_ThrowsModelFormatException()
    {
        var file = ModelFileTestData.WriteFile(Kind, w =>
        {
            w.WriteSectionHeader(Reservoir.Persistence.ReservoirOptionsSerializer.Tag, Reservoir.Persistence.ReservoirOptionsSerializer.Version);
            w.WriteInt32(10);
            w.WriteInt32(1);
            w.WriteInt32(1);
            w.WriteDouble(0.9);
            w.WriteEnum(LeakRateDistributionKind.Groups);
            w.WriteDoubles([1.0, 0.5, 0.3]);
        });

        Assert.That(() => ModelFileTestData.ReadFile(file, Kind, r => r.ReadReservoirOptions()),
            Throws.TypeOf<ModelFormatException>().With.Message.Contains("3 parameters do not fit a Groups distribution"));
    }

    [Test]
    public void Read_Version2Section_TopologyOptionsTakeTheirDefaults()
    {
        // A section as version 2 wrote it: every option up to Precision, none of the topology options.
        var file = ModelFileTestData.WriteFile(Kind, w =>
        {
            w.WriteSectionHeader(Reservoir.Persistence.ReservoirOptionsSerializer.Tag, 2);
            w.WriteInt32(10);
            w.WriteInt32(1);
            w.WriteInt32(1);
            w.WriteDouble(0.9);
            w.WriteEnum(LeakRateDistributionKind.Constant);
            w.WriteDoubles([0.5]);
            w.WriteDouble(1.0);
            w.WriteBoolean(false);
            w.WriteDouble(0.1);
            w.WriteDouble(0.1);
            w.WriteBoolean(false);
            w.WriteDouble(1.0);
            w.WriteEnum(Activation.Tanh);
            w.WriteEnum(WeightDistribution.Normal);
            w.WriteEnum(WeightDistribution.Bernoulli);
            w.WriteDouble(0.0);
            w.WriteInt32(0);
            w.WriteDouble(1.0);
            w.WriteDouble(1.0);
            w.WriteInt32(0);
            w.WriteBoolean(false);
            w.WriteEnum(ReservoirTopology.SimpleCycle);
            w.WriteEnum(Precision.Single);
        });

        var loaded = ModelFileTestData.ReadFile(file, Kind, r => r.ReadReservoirOptions());

        Assert.That(loaded, Is.EqualTo(new ReservoirOptions
        {
            UnitCount = 10, Seed = 1, LeakRates = 0.5, Topology = ReservoirTopology.SimpleCycle, Precision = Precision.Single,
        }));
        Assert.That((loaded.JumpLength, loaded.JumpWeight, loaded.SmallWorldNeighbours, loaded.RewiringProbability),
            Is.EqualTo((ReservoirDefaults.JumpLength, ReservoirDefaults.JumpWeight, ReservoirDefaults.SmallWorldNeighbours,
                ReservoirDefaults.RewiringProbability)));
    }

    private static void Replace(byte[] file, byte[] find, byte[] replacement)
    {
        var at = file.AsSpan().IndexOf(find);
        Assert.That(at, Is.Not.Negative, "marker not found");
        Assert.That(file.AsSpan(at + 1).IndexOf(find), Is.Negative, "marker not unique");
        replacement.CopyTo(file, at);
    }
}
