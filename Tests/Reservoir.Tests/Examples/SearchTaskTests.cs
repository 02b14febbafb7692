using System.Text.Json.Nodes;
using NUnit.Framework;
using Reservoir.Examples.Reproduce;
using Reservoir.Examples.Reproduce.Tasks;

namespace Reservoir.Tests.Examples;

public sealed class SearchTaskTests
{
    [Test]
    public void Run_Small_ReportsDefaultsAndSearchedErrors()
    {
        var progress = new StringWriter();
        var report = new SearchTask().Run(new TaskSettings { Small = true, Seed = 3, Progress = progress });
        var metrics = JsonNode.Parse(report.ToJson())!["metrics"]!;

        Assert.That(metrics["default_nrmse"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(metrics["searched_nrmse"]!.GetValue<double>(), Is.GreaterThan(0).And.LessThan(10));
        foreach (var key in new[] { "searched_constant", "searched_log_uniform", "searched_two_groups" })
        {
            Assert.That(metrics[key]!["trials"]!.GetValue<int>(), Is.EqualTo(8), key);
            Assert.That(metrics[key]!["tau_slow"]!.GetValue<double>(),
                Is.GreaterThanOrEqualTo(metrics[key]!["tau_fast"]!.GetValue<double>()), key);
        }

        Assert.That(progress.ToString(), Does.Contain("8/8"));
    }

    [Test]
    public void Run_SameSeed_SameMetrics()
    {
        var a = new SearchTask().Run(new TaskSettings { Small = true, Seed = 4 });
        var b = new SearchTask().Run(new TaskSettings { Small = true, Seed = 4 });

        Assert.That(b.Metrics.ToJsonString(), Is.EqualTo(a.Metrics.ToJsonString()));
    }
}
