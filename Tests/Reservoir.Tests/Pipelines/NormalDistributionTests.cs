using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class NormalDistributionTests
{
    private const double Tolerance = 1e-9;

    // Reference quantiles from the normal distribution function 0.5·erfc(−z/√2), refined by Newton steps to double precision.
    [TestCase(0.5, 0.0)]
    [TestCase(0.8, 0.8416212335729144)]
    [TestCase(0.9, 1.2815515655446008)]
    [TestCase(0.975, 1.9599639845400536)]
    [TestCase(0.995, 2.5758293035489)]
    [TestCase(0.999, 3.090232306167813)]
    [TestCase(0.025, -1.9599639845400545)]
    [TestCase(0.0001, -3.719016485455681)]
    [TestCase(1e-10, -6.361340902404057)]
    [TestCase(1e-20, -9.262340089798409)]
    public void Quantile_KnownProbabilities_MatchReference(double p, double expected) =>
        Assert.That(NormalDistribution.Quantile(p), Is.EqualTo(expected).Within(Tolerance));

    [TestCase(0.6)]
    [TestCase(0.93)]
    [TestCase(0.9999)]
    public void Quantile_ComplementaryProbability_IsNegated(double p) =>
        Assert.That(NormalDistribution.Quantile(1 - p), Is.EqualTo(-NormalDistribution.Quantile(p)).Within(1e-12));

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    public void Quantile_OutsideTheOpenInterval_Throws(double p) =>
        Assert.That(() => NormalDistribution.Quantile(p), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("p"));
}
