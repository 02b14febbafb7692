using NUnit.Framework;

namespace Reservoir.Tests;

[TestFixture]
public sealed class ReservoirOptionsTests
{
    private static ReservoirOptions Rich() => new()
    {
        UnitCount = 30,
        Seed = 5,
        InputDimension = 2,
        InputScalingPerInput = [0.5, 2],
        LeakRates = LeakRateDistribution.Groups(new LeakRateGroup(0.5, 1), new LeakRateGroup(0.5, 0.1)),
        SkipConnections = [new SkipConnection { Delay = 3 }, new SkipConnection { Delay = 10, SpectralRadius = 0.2 }],
        Clockwork = new ClockworkOptions { Periods = [1, 4, 16], ModuleSizes = [10, 10, 10] },
    };

    private static IEnumerable<TestCaseData> Changes()
    {
        yield return new TestCaseData(Rich() with { SkipConnections = [new SkipConnection { Delay = 3 }] }).SetArgDisplayNames("FewerSkips");
        yield return new TestCaseData(Rich() with
        {
            SkipConnections = [new SkipConnection { Delay = 3 }, new SkipConnection { Delay = 11, SpectralRadius = 0.2 }],
        }).SetArgDisplayNames("OtherDelay");
        yield return new TestCaseData(Rich() with { SkipConnections = [] }).SetArgDisplayNames("NoSkips");
        yield return new TestCaseData(Rich() with { InputScalingPerInput = [0.5, 3] }).SetArgDisplayNames("OtherScaling");
        yield return new TestCaseData(Rich() with { InputScalingPerInput = null }).SetArgDisplayNames("ScalingNotSet");
        yield return new TestCaseData(Rich() with { Clockwork = new ClockworkOptions { Periods = [1, 4, 16] } }).SetArgDisplayNames("SizesNotSet");
        yield return new TestCaseData(Rich() with { Clockwork = new ClockworkOptions { Periods = [1, 4, 17], ModuleSizes = [10, 10, 10] } })
            .SetArgDisplayNames("OtherPeriod");
        yield return new TestCaseData(Rich() with { LeakRates = LeakRateDistribution.Groups(new LeakRateGroup(0.5, 1), new LeakRateGroup(0.5, 0.2)) })
            .SetArgDisplayNames("OtherGroup");
        yield return new TestCaseData(Rich() with { SkipConnections = default }).SetArgDisplayNames("DefaultSkips");
    }

    [Test]
    public void Equals_EqualCollectionsInSeparateInstances_EqualWithEqualHashCodes()
    {
        var a = Rich();
        var b = Rich();

        Assert.Multiple(() =>
        {
            Assert.That(b.SkipConnections, Is.Not.SameAs(a.SkipConnections));
            Assert.That(b, Is.EqualTo(a));
            Assert.That(b == a, Is.True);
            Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
            Assert.That(new HashSet<ReservoirOptions> { a, b }, Has.Count.EqualTo(1));
        });
    }

    [TestCaseSource(nameof(Changes))]
    public void Equals_OneCollectionDiffers_NotEqual(ReservoirOptions changed)
    {
        Assert.That(changed, Is.Not.EqualTo(Rich()));
        Assert.That(changed.GetHashCode(), Is.Not.EqualTo(Rich().GetHashCode()));
    }

    [Test]
    public void Defaults_CollectionsAreReadable()
    {
        var options = new ReservoirOptions { UnitCount = 5, Seed = 1 };

        Assert.That(options.SkipConnections.IsDefault, Is.False, "an empty array, not a default one");
        Assert.That(options.SkipConnections, Is.Empty);
        Assert.That(options.InputScalingPerInput, Is.Null);
        Assert.That(options.Clockwork, Is.Null);
    }

    [Test]
    public void With_DefaultSkipConnections_ConstructorNamesTheMember()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new EchoStateReservoir(Rich() with { SkipConnections = default }));

        Assert.That(error!.ParamName, Is.EqualTo("SkipConnections"));
        Assert.That(error.Message, Does.StartWith("SkipConnections is a default (uninitialised) ImmutableArray"));
    }
}
