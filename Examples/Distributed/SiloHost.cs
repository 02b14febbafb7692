using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Reservoir.Distributed;

namespace Reservoir.Examples.Distributed;

/// <summary>One Orleans silo on loopback with the Reservoir workers: what <c>--silo</c> runs, and what the demo starts N times.</summary>
internal static class SiloHost
{
    /// <summary>The cluster and service id of the demo's cluster.</summary>
    internal const string ClusterId = "reservoir-demo";

    /// <summary>What a silo prints on its standard output once it accepts work.</summary>
    internal const string ReadyLine = "silo ready";

    /// <summary>Runs a silo until its standard input closes (the demo's parent process went away) or the token is cancelled.</summary>
    internal static async Task RunAsync(int siloPort, int gatewayPort, int primaryPort, CancellationToken cancellationToken)
    {
        using var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                // Localhost clustering: the primary silo keeps the membership table in memory. A real cluster uses a
                // membership provider instead (Microsoft.Orleans.Clustering.AdoNet, .Redis, .AzureStorage, or
                // Microsoft.Orleans.Hosting.Kubernetes); see the README.
                silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primaryPort), ClusterId, ClusterId);
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    // Declare a killed silo dead within a few seconds, so that its work is re-run soon.
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
                silo.AddReservoirWorkers();
            })
            .Build();
        await host.StartAsync(cancellationToken);
        Console.WriteLine($"{ReadyLine} {siloPort}");
        await Task.WhenAny(Task.Run(() => Console.In.ReadToEnd(), CancellationToken.None), Task.Delay(Timeout.Infinite, cancellationToken));
        await host.StopAsync(TimeSpan.FromSeconds(5));
    }
}
