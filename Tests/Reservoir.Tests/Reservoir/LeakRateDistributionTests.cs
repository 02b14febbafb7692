using NUnit.Framework;

namespace Reservoir.Tests;

[TestFixture]
public sealed class LeakRateDistributionTests
{
    private static double[] Sample(LeakRateDistribution distribution, int units = 2000, int seed = 1) =>
        new EchoStateReservoir(new ReservoirOptions { UnitCount = units, Seed = seed, LeakRates = distribution, RecurrentInDegree = 2 })
            .LeakRates.ToArray();

    [Test]
    public void Constant_EveryUnitHasTheRate()
    {
        Assert.That(Sample(0.3, 100), Is.All.EqualTo(0.3));
    }

    [Test]
    public void Uniform_StaysInsideAndSpreads()
    {
        var rates = Sample(LeakRateDistribution.Uniform(0.2, 0.6));

        Assert.That(rates, Is.All.InRange(0.2, 0.6));
        Assert.That(rates.Min(), Is.LessThan(0.21));
        Assert.That(rates.Max(), Is.GreaterThan(0.59));
        Assert.That(rates.Average(), Is.EqualTo(0.4).Within(0.01));
    }

    [Test]
    public void LogUniformTimeConstants_StaysInsideBoundsAndSpreadsEvenlyInLogTau()
    {
        const double tauMin = 2;
        const double tauMax = 200;
        var rates = Sample(LeakRateDistribution.LogUniformTimeConstants(tauMin, tauMax));

        Assert.That(rates, Is.All.InRange(1 / tauMax, 1 / tauMin));
        var logTau = rates.Select(a => Math.Log(1 / a)).Order().ToArray();
        var lo = Math.Log(tauMin);
        var width = Math.Log(tauMax) - lo;
        // Each decile of the log-uniform law holds about a tenth of the units.
        for (var k = 1; k < 10; k++)
        {
            var quantile = logTau[(int)(k / 10.0 * logTau.Length)];
            Assert.That((quantile - lo) / width, Is.EqualTo(k / 10.0).Within(0.04), $"decile {k}");
        }
    }

    [Test]
    public void Groups_SizesFollowFractionsAndSumToUnitCount()
    {
        var rates = Sample(LeakRateDistribution.Groups(
            new LeakRateGroup(0.5, 1.0), new LeakRateGroup(0.3, 0.1), new LeakRateGroup(0.2, 0.01)), units: 101);

        Assert.That(rates.Count(a => a == 1.0), Is.EqualTo(51));
        Assert.That(rates.Count(a => a == 0.1), Is.EqualTo(30));
        Assert.That(rates.Count(a => a == 0.01), Is.EqualTo(20));
        Assert.That(rates.Take(51), Is.All.EqualTo(1.0), "groups are contiguous, in order");
    }

    [Test]
    public void Sample_SameSeed_SameRates_DifferentSeed_DifferentRates()
    {
        var distribution = LeakRateDistribution.Uniform(0.1, 1);

        Assert.That(Sample(distribution, 200, 5), Is.EqualTo(Sample(distribution, 200, 5)));
        Assert.That(Sample(distribution, 200, 5), Is.Not.EqualTo(Sample(distribution, 200, 6)));
    }

    [Test]
    public void ImplicitConversion_Double_IsConstant()
    {
        LeakRateDistribution distribution = 0.25;

        Assert.That(distribution, Is.EqualTo(LeakRateDistribution.Constant(0.25)));
    }

    [Test]
    public void Equals_GroupsWithEqualItems_EqualWithEqualHashCodes()
    {
        var a = LeakRateDistribution.Groups(new LeakRateGroup(0.25, 0.9), new LeakRateGroup(0.75, 0.1));
        var b = LeakRateDistribution.Groups(new LeakRateGroup(0.25, 0.9), new LeakRateGroup(0.75, 0.1));
        var other = LeakRateDistribution.Groups(new LeakRateGroup(0.25, 0.9), new LeakRateGroup(0.75, 0.2));

        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
            Assert.That(other, Is.Not.EqualTo(a));
            Assert.That(other.GetHashCode(), Is.Not.EqualTo(a.GetHashCode()), "the hash code depends on the groups, not only their count");
        });
    }

    [Test]
    public void Groups_CallerChangesTheArrayAfterwards_DistributionUnchanged()
    {
        LeakRateGroup[] groups = [new(0.5, 1.0), new(0.5, 0.1)];
        var distribution = LeakRateDistribution.Groups(groups);

        groups[1] = new LeakRateGroup(0.5, 0.5);

        Assert.That(distribution, Is.EqualTo(LeakRateDistribution.Groups(new LeakRateGroup(0.5, 1.0), new LeakRateGroup(0.5, 0.1))));
        Assert.That(Sample(distribution, 10), Is.EqualTo(new[] { 1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1 }));
    }
}
