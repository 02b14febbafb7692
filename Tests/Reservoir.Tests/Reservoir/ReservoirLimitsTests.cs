using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests;

[TestFixture]
public sealed class ReservoirLimitsTests
{
    /// <summary>More than any refused size may allocate on the way to its exception: the oversized buffers were gigabytes.</summary>
    private const long SmallAllocationBytes = 1 << 20;

    private static IEnumerable<TestCaseData> OversizedOptions()
    {
        yield return Case(new ReservoirOptions { UnitCount = 10_000_000, Seed = 1 }, "UnitCount", "10000000");
        yield return Case(new ReservoirOptions { UnitCount = int.MaxValue, Seed = 1 }, "UnitCount", "2147483647");
        yield return Case(new ReservoirOptions { UnitCount = 35_000, Seed = 1 }, "UnitCount", "35000");
        yield return Case(new ReservoirOptions { UnitCount = 4_300_000, Seed = 1, RecurrentInDegree = 10 }, "UnitCount", "4300000");
        yield return Case(new ReservoirOptions { UnitCount = 1000, Seed = 1, InputDimension = int.MaxValue }, "InputDimension", "2147483647");
        yield return Case(new ReservoirOptions { UnitCount = 100_000, Seed = 1, RecurrentInDegree = 1, FeedbackDimension = 10_000 }, "FeedbackDimension", "10000");
        yield return Case(new ReservoirOptions
        {
            UnitCount = 1_000_000, Seed = 1, RecurrentInDegree = 1, SkipConnections = [new SkipConnection { Delay = 1000 }],
        }, "SkipConnections", "Delay = 1000");

        // 5·10⁷ units with delay 100: the delay buffer's Int32 size once wrapped round to a wrong 5.6 GB; the units alone exceed the budget.
        yield return Case(new ReservoirOptions
        {
            UnitCount = 50_000_000, Seed = 1, RecurrentInDegree = 1, SkipConnections = [new SkipConnection { Delay = 100 }],
        }, "UnitCount", "50000000");
        yield return Case(new ReservoirOptions
        {
            UnitCount = 1000, Seed = 1, SkipConnections = [new SkipConnection { Delay = int.MaxValue }],
        }, "SkipConnections", "Delay = 2147483647");

        static TestCaseData Case(ReservoirOptions options, string parameter, string value) =>
            new TestCaseData(options, parameter, value).SetArgDisplayNames($"{parameter} {value}");
    }

    [TestCaseSource(nameof(OversizedOptions))]
    public void Validate_SizeAboveBudget_ThrowsNamingParameterValueAndMemory(ReservoirOptions options, string parameter, string value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate)!;

        Assert.That(e.ParamName, Is.EqualTo(parameter));
        Assert.That(e.Message, Does.Contain(value).And.Contain("iB").And.Contain("ReservoirLimits.MemoryBudgetBytes"));
    }

    [TestCaseSource(nameof(OversizedOptions))]
    public void Constructor_SizeAboveBudget_ThrowsBeforeAllocating(ReservoirOptions options, string parameter, string value)
    {
        ArgumentOutOfRangeException? e = null;
        var allocated = Allocations.Fewest(() => e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EchoStateReservoir(options)));

        Assert.That(e!.ParamName, Is.EqualTo(parameter));
        Assert.That(allocated, Is.LessThan(SmallAllocationBytes), value);
    }

    [Test]
    public void Constructor_MillionClockworkPeriodsDefaultConnectivity_ThrowsNamingUnitCountWithoutLargeAllocation()
    {
        var options = new ReservoirOptions
        {
            UnitCount = 1_000_000, Seed = 1, Clockwork = new ClockworkOptions { Periods = [.. Enumerable.Range(1, 1_000_000)] },
        };
        ArgumentOutOfRangeException? e = null;

        // The options and their validation copy the million periods (4 MB each time); the weights would need 3.3 TiB.
        var allocated = Allocations.Fewest(() => e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EchoStateReservoir(options)));

        Assert.That(e!.ParamName, Is.EqualTo("UnitCount"));
        Assert.That(e.Message, Does.Contain("1000000").And.Contain("3.3 TiB"));
        Assert.That(allocated, Is.LessThan(64L << 20));
    }

    [TestCase(34_000, null)]
    [TestCase(4_200_000, 10)]
    public void Validate_LargestSizesWithinBudget_Pass(int unitCount, int? inDegree)
    {
        var options = new ReservoirOptions { UnitCount = unitCount, Seed = 1, RecurrentInDegree = inDegree };

        Assert.That(options.Validate, Throws.Nothing);
    }

    [Test]
    public void Validate_SingleLargestDoubleSize_ThrowsNamingUnitCount()
    {
        // 4.2 million units of in-degree 10 fit in Double (above); the float copies add about 250 MB and pass the budget.
        var options = new ReservoirOptions { UnitCount = 4_200_000, Seed = 1, RecurrentInDegree = 10, Precision = Precision.Single };

        Assert.That(options.Validate, Throws.InstanceOf<ArgumentOutOfRangeException>()
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("UnitCount")
            .And.Message.Contains("4200000"));
        Assert.That((options with { UnitCount = 3_900_000 }).Validate, Throws.Nothing);
    }

    [Test]
    public void FromWeights_SkipDelayTimesUnitsAboveBudget_ThrowsNamingSkip()
    {
        var small = new EchoStateReservoir(new ReservoirOptions { UnitCount = 4, Seed = 1, RecurrentConnectivity = 1 });
        var weights = new ReservoirWeights
        {
            Recurrent = small.RecurrentWeights,
            Input = SparseWeights.FromDense(new double[4, 1]),
            LeakRates = [1, 1, 1, 1],
            Skip = [new DelayedWeights(int.MaxValue, small.RecurrentWeights)],
        };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EchoStateReservoir.FromWeights(weights))!;

        Assert.That(e.ParamName, Is.EqualTo("Skip"));
        Assert.That(e.Message, Does.Contain("2147483647").And.Contain("GiB"));
    }

    private static IEnumerable<TestCaseData> OversizedGenerators()
    {
        yield return new TestCaseData((TestDelegate)(() => MackeyGlass.Generate(2_000_000_000, 1))).SetArgDisplayNames("MackeyGlass");
        yield return new TestCaseData((TestDelegate)(() => Lorenz63.Generate(200_000_000, 1))).SetArgDisplayNames("Lorenz63");
        yield return new TestCaseData((TestDelegate)(() => Narma.Generate(300_000_000, 1))).SetArgDisplayNames("Narma");
        yield return new TestCaseData((TestDelegate)(() => MultipleSuperimposedOscillators.Generate(int.MaxValue, 2))).SetArgDisplayNames("MultipleSuperimposedOscillators");
        yield return new TestCaseData((TestDelegate)(() => MemoryCapacityTask.Generate(100_000_000, 10, 1))).SetArgDisplayNames("MemoryCapacityTask");
    }

    [TestCaseSource(nameof(OversizedGenerators))]
    public void Generate_LengthAboveBudget_ThrowsNamingLengthBeforeAllocating(TestDelegate generate)
    {
        ArgumentOutOfRangeException? e = null;
        var allocated = Allocations.Fewest(() => e = Assert.Throws<ArgumentOutOfRangeException>(generate));

        Assert.That(e!.ParamName, Is.EqualTo("length"));
        Assert.That(e.Message, Does.Contain(e.ActualValue!.ToString()).And.Contain("GiB"));
        Assert.That(allocated, Is.LessThan(SmallAllocationBytes));
    }

    [Test]
    public void Generate_LengthAtBudget_IsTheDocumentedMaximum()
    {
        Assert.That(ReservoirLimits.MaxGeneratedValues, Is.EqualTo(ReservoirLimits.MemoryBudgetBytes / sizeof(double)));
        Assert.That(ReservoirLimits.MaxGeneratedValues, Is.LessThanOrEqualTo(Array.MaxLength));
    }

    [Test]
    public void Groups_Null_ThrowsNamingGroups()
    {
        var e = Assert.Throws<ArgumentNullException>(() => LeakRateDistribution.Groups(null!))!;

        Assert.That(e.ParamName, Is.EqualTo("groups"));
    }
}
