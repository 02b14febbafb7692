using NUnit.Framework;
using Reservoir.Examples.Distributed;

namespace Reservoir.Distributed.Tests;

/// <summary>The multi-process demo at a small size: two silo processes on loopback, one killed halfway.</summary>
[TestFixture]
public sealed class DistributedDemoTests
{
    [Test]
    public async Task RunAsync_TwoSiloProcessesOneKilled_BitIdenticalAndCompleted()
    {
        var output = new StringWriter();

        var result = await DistributedDemo.RunAsync(new DemoSettings
        {
            Silos = 2,
            Shards = 4,
            Steps = 800,
            Units = 40,
            AttemptTimeout = TimeSpan.FromSeconds(20),
        }, output);

        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("max |W_distributed − W_local|: 0"), output.ToString());
            Assert.That(lines, Does.Contain("silo lost: yes, job completed: yes"), output.ToString());
            Assert.That(result.MaxDifference, Is.Zero);
            Assert.That(result.SiloLost && result.JobCompleted, Is.True);
        });
    }
}
