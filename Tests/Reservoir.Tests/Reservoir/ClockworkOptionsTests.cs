using NUnit.Framework;

namespace Reservoir.Tests;

[TestFixture]
public sealed class ClockworkOptionsTests
{
    [Test]
    public void Equals_EqualPeriodsAndSizes_EqualWithEqualHashCodes()
    {
        var a = new ClockworkOptions { Periods = [1, 4, 16], ModuleSizes = [2, 3, 5] };
        var b = new ClockworkOptions { Periods = [1, 4, 16], ModuleSizes = [2, 3, 5] };

        Assert.That(b, Is.EqualTo(a));
        Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
    }

    [TestCase(new[] { 1, 4, 8 }, new[] { 2, 3, 5 })]
    [TestCase(new[] { 1, 4, 16 }, new[] { 3, 2, 5 })]
    [TestCase(new[] { 1, 4, 16 }, null)]
    public void Equals_PeriodsOrSizesDiffer_NotEqual(int[] periods, int[]? sizes)
    {
        var a = new ClockworkOptions { Periods = [1, 4, 16], ModuleSizes = [2, 3, 5] };
        var b = new ClockworkOptions { Periods = [.. periods], ModuleSizes = sizes is null ? null : [.. sizes] };

        Assert.That(b, Is.Not.EqualTo(a));
    }

    [Test]
    public void Constructor_DefaultPeriods_ThrowsNamingClockwork()
    {
        var options = new ReservoirOptions { UnitCount = 10, Seed = 1, Clockwork = new ClockworkOptions { Periods = default } };

        var error = Assert.Throws<ArgumentException>(() => _ = new EchoStateReservoir(options));

        Assert.That(error!.ParamName, Is.EqualTo("Clockwork"));
        Assert.That(error.Message, Does.StartWith("Clockwork.Periods is a default (uninitialised) ImmutableArray"));
    }
}
