using System.Text.Json.Nodes;
using NUnit.Framework;
using Reservoir.Examples.Reproduce;
using Reservoir.Examples.Reproduce.Tasks;

namespace Reservoir.Tests.Examples;

public sealed class MultiscaleTaskTests
{
    [Test]
    public void Run_Small_EveryFamilyHasEveryStrategyAndARatio()
    {
        var report = new MultiscaleTask().Run(new TaskSettings { Small = true, Seed = 3 });
        var metrics = JsonNode.Parse(report.ToJson())!["metrics"]!;
        var keys = MultiscaleTask.Strategies(small: true).Select(s => s.Key).ToArray();

        // The single-leak-rate baseline and the chosen multi-scale strategy at seeds 42, 1, 2, 3 and 7 (this test runs 3):
        // recall 0.44 .. 0.69, mso 0.002 .. 0.065, fast_slow 0.11 .. 0.22; predicting the mean gives about 1.
        var bounds = new Dictionary<string, double> { ["recall"] = 0.9, ["mso"] = 0.15, ["fast_slow"] = 0.4 };
        foreach (var family in new[] { "recall", "mso", "fast_slow" })
        {
            var result = metrics[family]!.AsObject();
            Assert.That(result.Select(p => p.Key), Is.EquivalentTo(keys.Concat(["improvement_ratio", "best_multiscale", "validation_nrmse"])), family);
            var baseline = result[MultiscaleTask.Baseline]!.GetValue<double>();

            // The best multi-scale strategy is chosen on validation, never on test; the ratio scores it on test.
            var validation = result["validation_nrmse"]!.AsObject();
            var chosen = keys.Where(k => k != MultiscaleTask.Baseline).MinBy(k => validation[k]?.GetValue<double>() ?? double.PositiveInfinity)!;
            Assert.That(result["best_multiscale"]!.GetValue<string>(), Is.EqualTo(chosen), family);
            Assert.That(baseline, Is.GreaterThan(0).And.LessThan(bounds[family]), family);
            Assert.That(result[chosen]!.GetValue<double>(), Is.GreaterThan(0).And.LessThan(bounds[family]), family);
            Assert.That(result["improvement_ratio"]!.GetValue<double>(), Is.EqualTo(baseline / result[chosen]!.GetValue<double>()).Within(0.1).Percent, family);
        }

        Assert.That(metrics["recall_nrmse_by_delay"]!["delays"]!.AsArray(), Has.Count.EqualTo(3));
    }

    [Test]
    public void Run_SameSeed_SameMetrics()
    {
        var a = new MultiscaleTask().Run(new TaskSettings { Small = true, Seed = 5 });
        var b = new MultiscaleTask().Run(new TaskSettings { Small = true, Seed = 5 });

        Assert.That(b.Metrics.ToJsonString(), Is.EqualTo(a.Metrics.ToJsonString()));
    }

    [Test]
    public void Strategies_EveryStrategy_SameGridSize()
    {
        var strategies = MultiscaleTask.Strategies(small: false);

        Assert.That(strategies.Select(s => s.Grid.Count).Distinct(), Is.EqualTo(new[] { 6 }));
        Assert.That(strategies[0].Key, Is.EqualTo(MultiscaleTask.Baseline));
    }

    [Test]
    public void Strategies_EveryGridPoint_BuildsAModelOfTheSameSize()
    {
        foreach (var strategy in MultiscaleTask.Strategies(small: false))
        {
            foreach (var setting in strategy.Grid)
            {
                var candidate = setting.Build(new ReservoirOptions { UnitCount = 200, Seed = 1 });
                var what = $"{strategy.Key} {setting.Label}";
                if (candidate.Reservoir is { } reservoir)
                {
                    Assert.That(new EchoStateReservoir(reservoir).UnitCount, Is.EqualTo(200), what);
                }
                else if (candidate.Composition is { } composition)
                {
                    Assert.That(new ComposedReservoir(composition).UnitCount, Is.EqualTo(200), what);
                    Assert.That(composition.Layers.Length, Is.InRange(2, 4), what);
                }
                else
                {
                    // NVAR at the ESN's feature count (intercept + input + 200 units = 202), within the nearest delay count.
                    Assert.That(new global::Reservoir.Nvar.NvarFeatures(candidate.Nvar!).FeatureCount, Is.InRange(190, 215), what);
                }
            }
        }
    }
}
