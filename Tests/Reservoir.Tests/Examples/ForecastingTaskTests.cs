using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Reservoir.Examples.Reproduce;
using Reservoir.Examples.Reproduce.Tasks;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Examples;

[TestFixture]
public sealed class ForecastingTaskTests
{
    private static string Data(string file) => Path.Combine(ForecastingTask.DataFolder, file);

    private static IEnumerable<string[]> Rows(string file) =>
        File.ReadAllLines(Data(file)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    [Test]
    public void ShippedBaselines_SeasonalNaive_EqualsOursAtEveryOriginOfTheProtocol()
    {
        // R's snaive, computed by baselines.R on the same origins, must be exactly what Backtest.SeasonalNaive gives on the
        // training prefix that the protocol defines: the data, the origins and the seasonal periods agree.
        var manifest = Rows("series.csv").ToDictionary(c => c[0], c => (File: c[1], Period: int.Parse(c[3], CultureInfo.InvariantCulture)));
        var checkedForecasts = 0;
        foreach (var group in Rows("baselines.csv").Where(c => c[1] == "snaive").GroupBy(c => (Series: c[0], Origin: int.Parse(c[2], CultureInfo.InvariantCulture))))
        {
            var (file, period) = manifest[group.Key.Series];
            var values = Rows(file).Select(c => double.Parse(c[^1], CultureInfo.InvariantCulture)).ToArray();
            var expected = group.OrderBy(c => int.Parse(c[3], CultureInfo.InvariantCulture)).Select(c => double.Parse(c[4], CultureInfo.InvariantCulture)).ToArray();

            var ours = Backtest.SeasonalNaive(period)(values[..group.Key.Origin], expected.Length);

            Assert.That(ours.Mean, Is.EqualTo(expected).Within(1e-9), $"{group.Key.Series} at origin {group.Key.Origin}");
            checkedForecasts++;
        }

        Assert.That(checkedForecasts, Is.EqualTo(15 * 5), "every series and origin");
    }

    [Test]
    public void Run_Small_ScoresEveryMethodOnTheShortestSeries()
    {
        var report = new ForecastingTask().Run(new TaskSettings { Small = true, Seed = 42 });
        var root = JsonNode.Parse(report.ToJson())!;
        var geometric = root["metrics"]!["geometric_mean_mase"]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That((int?)root["metrics"]!["series"], Is.EqualTo(3));
            Assert.That(geometric.Select(p => p.Key),
                Is.EquivalentTo(new[] { "seasonal naive", "ets", "auto.arima", "thetaf", "reservoirpy-style", "ours" }));
            Assert.That(geometric.Select(p => (double)p.Value!), Has.All.GreaterThan(0.0).And.LessThan(20.0));
            Assert.That(report.Notes.Single(), Does.Contain("| geometric mean of MASE |"));
        });
    }
}
