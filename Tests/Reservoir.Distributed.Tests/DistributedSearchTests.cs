using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Distributed.Tests;

[TestFixture]
public sealed class DistributedSearchTests
{
    private static readonly int[] ExpectedEvaluations = [4, 8];

    [Test]
    public async Task RunAsync_ThreeSilos_SameTrialsAndWinnerAsLocalSearch()
    {
        var (shards, inputs, targets) = TestShards.Create(500, 2, 500, seed: 9);
        var options = new ReservoirSearchOptions
        {
            Seed = 3,
            Network = TestShards.Network(30) with { RegularizationSearch = null },
            MaxEvaluations = 8,
            PopulationSize = 4,
            MaxDegreeOfParallelism = 1,
        };
        var reports = new List<ReservoirSearchProgress>();

        var distributed = await new DistributedSearch(ClusterSetup.Cluster.Client).RunAsync(new DistributedSearchOptions { Search = options }, shards,
            new SyncProgress<ReservoirSearchProgress>(reports.Add));

        var local = ReservoirSearch.Run(options, inputs, targets);
        Assert.Multiple(() =>
        {
            Assert.That(distributed.Trials, Is.EqualTo(local.Trials), "same candidates, scores bit for bit");
            Assert.That(distributed.Best, Is.EqualTo(local.Best));
            Assert.That(distributed.BestScore, Is.EqualTo(local.BestScore));
            Assert.That(reports.Select(r => r.Evaluations), Is.EqualTo(ExpectedEvaluations), "progress after each generation");
        });
    }
}
