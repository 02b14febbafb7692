using System.Buffers.Binary;
using System.Text;
using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Tests.Pipelines.ModelFiles;

namespace Reservoir.Tests.Pipelines;

public sealed partial class EchoStateNetworkTests
{
    /// <summary>More than loading a crafted file of a few kilobytes may allocate; the shapes it claims would need gigabytes.</summary>
    private const long CraftedFileAllocationBound = 16L << 20;

    private static readonly double[] SmallSeries = [.. Enumerable.Range(0, 401).Select(t => 2 + Math.Sin(0.3 * t))];

    private static EchoStateNetwork SmallNetwork(bool standardize = false) => EchoStateNetwork.Fit(new EchoStateNetworkOptions
    {
        Reservoir = new ReservoirOptions { UnitCount = 20, Seed = 4, RecurrentConnectivity = 0.3 },
        WashoutSteps = 20,
        StandardizeInputs = standardize,
        StandardizeTargets = standardize,
    }, SmallSeries[..^1], SmallSeries[1..]);

    private static int IndexOfUnique(byte[] file, byte[] marker)
    {
        var at = file.AsSpan().IndexOf(marker);
        Assert.That(at, Is.Not.Negative, "marker not found");
        Assert.That(file.AsSpan(at + 1).IndexOf(marker), Is.Negative, "marker not unique");
        return at;
    }

    private static byte[] Doubles(params double[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    [Test]
    public void Load_ExtremeInputStandardizerWithValidChecksum_ThrowsModelFormatExceptionAtLoad()
    {
        var network = SmallNetwork(standardize: true);
        var file = Bytes(network);
        var scaler = network.InputScaler!;

        // The input standardizer is stored as [1, mean] then [1, scale]; make the mean 1e308 and the scale 1e-300.
        var at = IndexOfUnique(file, [.. BitConverter.GetBytes(1), .. Doubles(scaler.Means[0]), .. BitConverter.GetBytes(1), .. Doubles(scaler.Scales[0])]);
        Doubles(1e308).CopyTo(file, at + 4);
        Doubles(1e-300).CopyTo(file, at + 16);
        ModelFileTestData.Reseal(file);

        Assert.That(() => EchoStateNetwork.Load(new MemoryStream(file)), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("input standardizer").And.Message.Contains("1E+308").And.Message.Contains($"offset {at}"));
    }

    [Test]
    public void Load_TinyTargetStandardizerScaleWithValidChecksum_ThrowsModelFormatExceptionAtLoad()
    {
        var network = SmallNetwork(standardize: true);
        var file = Bytes(network);
        var scaler = network.TargetScaler!;
        var at = IndexOfUnique(file, [.. BitConverter.GetBytes(1), .. Doubles(scaler.Scales[0])]);
        Doubles(double.Epsilon).CopyTo(file, at + 4);
        ModelFileTestData.Reseal(file);

        Assert.That(() => EchoStateNetwork.Load(new MemoryStream(file)), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("target standardizer").And.Message.Contains("positive normal double"));
    }

    [TestCase(int.MaxValue, 0)]
    [TestCase(0, int.MaxValue)]
    [TestCase(100_000, 100_000)]
    [TestCase(1 << 24, 0)]
    public void Load_HugeReadoutShapeWithValidChecksum_ThrowsModelFormatExceptionWithoutLargeAllocation(int rows, int columns)
    {
        var file = Bytes(SmallNetwork());
        var tag = Encoding.UTF8.GetBytes("RidgeSolution");
        var shape = IndexOfUnique(file, tag) + tag.Length + sizeof(ushort);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(shape), rows);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(shape + 4), columns);
        ModelFileTestData.Reseal(file);

        ModelFormatException? e = null;
        var allocated = Allocations.Fewest(() =>
            e = Assert.Throws<ModelFormatException>(() => EchoStateNetwork.Load(new MemoryStream(file))));

        Assert.That(e!.Message, Does.Contain("readout weights").And.Contain("offset"));
        Assert.That(allocated, Is.LessThan(CraftedFileAllocationBound));
    }

    [Test]
    public void Load_OptionsWithUnitCountAboveBudgetWithValidChecksum_ThrowsModelFormatExceptionNamingUnitCount()
    {
        var file = Bytes(SmallNetwork());

        // The network's options section comes first and opens with UnitCount (20) and Seed (4).
        var tag = Encoding.UTF8.GetBytes("ReservoirOptions");
        var unitCount = file.AsSpan().IndexOf(tag) + tag.Length + sizeof(ushort);
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(unitCount)), Is.EqualTo(20));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(unitCount), 10_000_000);
        ModelFileTestData.Reseal(file);

        ModelFormatException? e = null;
        var allocated = Allocations.Fewest(() =>
            e = Assert.Throws<ModelFormatException>(() => EchoStateNetwork.Load(new MemoryStream(file))));

        Assert.That(e!.Message, Does.Contain("UnitCount = 10000000").And.Contain("ReservoirLimits.MemoryBudgetBytes"));
        Assert.That(allocated, Is.LessThan(CraftedFileAllocationBound));
    }

    [Test]
    public void Generate_HorizonAboveBudget_ThrowsNamingHorizonBeforeAllocating()
    {
        var network = SmallNetwork();
        ArgumentOutOfRangeException? e = null;

        var allocated = Allocations.Fewest(() => e = Assert.Throws<ArgumentOutOfRangeException>(() => network.Generate(2_000_000_000)));

        Assert.That(e!.ParamName, Is.EqualTo("horizon"));
        Assert.That(e.Message, Does.Contain("2000000000").And.Contain("GiB"));
        Assert.That(allocated, Is.LessThan(CraftedFileAllocationBound));
    }

    [Test]
    public void Standardizer_FiniteValueMappedToInfinity_ThrowsNamingTheStandardizer()
    {
        var scaler = Standardizer.FromParameters([0], [1e-300]);

        Assert.That(() => scaler.Transform(new double[,] { { 1e10 } }), Throws.InvalidOperationException
            .With.Message.Contains("maps the finite value 10000000000 of column 0 to Infinity").And.Message.Contains("scale 1E-300"));
        Assert.That(() => Standardizer.FromParameters([0], [1e300]).InverseTransform(new double[,] { { 1e10 } }),
            Throws.InvalidOperationException.With.Message.Contains("v·scale + mean"));
    }

    [Test]
    public void Fit_IdentityUnitsSpectralRadiusAboveOne_ThrowsSayingTheStatesDiverge()
    {
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 50, Seed = 1, SpectralRadius = 1.5, Activation = Activation.Identity },
            WashoutSteps = 20,
        };

        var e = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(options, SmallSeries[..^1], SmallSeries[1..]))!;

        Assert.That(e.ParamName, Is.EqualTo("SpectralRadius"));
        Assert.That(e.Message, Does.Contain("states diverge").And.Contain("Identity").And.Contain("spectral radius 1.5"));
        Assert.That(e.Message, Does.Not.Contain("L2Regularization"));
    }

    [Test]
    public void Fit_IdentityUnitsSpectralRadiusBelowOne_Trains()
    {
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 50, Seed = 1, SpectralRadius = 0.5, Activation = Activation.Identity },
            WashoutSteps = 20,
        };

        Assert.That(() => EchoStateNetwork.Fit(options, SmallSeries[..^1], SmallSeries[1..]), Throws.Nothing);
    }

    [Test]
    public void Fit_TanhSpectralRadiusMillion_WarnsThatStatesSaturate()
    {
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 50, Seed = 1, SpectralRadius = 1e6 },
            WashoutSteps = 20,
        };

        var network = EchoStateNetwork.Fit(options, SmallSeries[..^1], SmallSeries[1..]);

        Assert.That(network.StateSaturation, Is.GreaterThanOrEqualTo(EchoStateNetwork.SaturationWarningFraction));
        Assert.That(network.Warnings, Has.Exactly(1).Contains("saturated").And.Contains("1000000"));
    }

    [Test]
    public void Fit_DefaultReservoir_NoSaturationWarning()
    {
        var network = SmallNetwork();

        Assert.That(network.StateSaturation, Is.InRange(0.0, EchoStateNetwork.SaturationWarningFraction));
        Assert.That(network.Warnings, Is.Empty);
    }
}
