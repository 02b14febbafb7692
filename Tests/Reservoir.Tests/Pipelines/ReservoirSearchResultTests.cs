using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class ReservoirSearchResultTests
{
    private static readonly ReservoirCandidate Candidate = new(LeakRateSearchFamily.Constant, 2, 2, 0, 0.9, 1, 1e-6);

    private static readonly EchoStateNetworkOptions Network = new() { Reservoir = new ReservoirOptions { UnitCount = 10, Seed = 1 } };

    private static ReservoirSearchResult Result(double secondScore) =>
        new(Candidate, 0.5, Network, [new ReservoirSearchTrial(0, 0, Candidate, 0.5), new ReservoirSearchTrial(1, 0, Candidate, secondScore)]);

    [Test]
    public void Equals_EqualTrials_EqualWithEqualHashCodes()
    {
        Assert.That(Result(0.7), Is.EqualTo(Result(0.7)));
        Assert.That(Result(0.7).GetHashCode(), Is.EqualTo(Result(0.7).GetHashCode()));
    }

    [Test]
    public void Equals_TrialsDiffer_NotEqual()
    {
        Assert.That(Result(0.8), Is.Not.EqualTo(Result(0.7)));
    }

    [Test]
    public void Deconstruct_GivesTheTrials()
    {
        var (_, _, _, trials) = Result(0.7);

        Assert.That(trials.Select(t => t.Score), Is.EqualTo(new[] { 0.5, 0.7 }));
    }
}
