using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Reservoir.Distributed.Tests;

/// <summary>One in-process cluster of three silos for every cluster test in this namespace (started once: silos take seconds to start).</summary>
[SetUpFixture]
public sealed class ClusterSetup
{
    /// <summary>The shared cluster.</summary>
    public static TestCluster Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Each silo: the Reservoir workers, the tests' shard source, and a failure detector that declares a killed silo dead within seconds.</summary>
    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddReservoirWorkers();
            siloBuilder.Services.AddSingleton<IShardSource>(TestShards.Source);
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        }
    }
}
