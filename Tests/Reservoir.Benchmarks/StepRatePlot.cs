using System.Globalization;
using ScottPlot;

namespace Reservoir.Benchmarks;

/// <summary>Draws the steps/s of this toolkit against ReservoirPy's published figures for this kind of machine.</summary>
public static class StepRatePlot
{
    /// <summary>ReservoirPy 0.3.16 steps/s on this kind of machine (one sequence, recurrent connectivity 0.1).</summary>
    public static IReadOnlyDictionary<int, double> ReservoirPy { get; } = new Dictionary<int, double>
    {
        [100] = 36_700, [500] = 14_300, [1000] = 8_500, [2000] = 3_100,
    };

    /// <summary>The goals: 10×, 5×, 4× and 3× ReservoirPy.</summary>
    public static IReadOnlyDictionary<int, double> Goals { get; } = new Dictionary<int, double>
    {
        [100] = 367_000, [500] = 71_500, [1000] = 34_000, [2000] = 9_300,
    };

    /// <summary>Writes a log-log PNG of steps/s against N.</summary>
    /// <param name="measured">Our steps/s by N.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <returns>The full path written.</returns>
    public static string Write(IReadOnlyDictionary<string, double> measured, string path)
    {
        var plot = new Plot();
        var n = ReservoirPy.Keys.Order().ToArray();
        double[] LogX(IEnumerable<int> values) => values.Select(v => Math.Log10(v)).ToArray();
        double[] LogY(IEnumerable<double> values) => values.Select(Math.Log10).ToArray();

        var ours = plot.Add.Scatter(LogX(n), LogY(n.Select(k => measured[k.ToString(CultureInfo.InvariantCulture)])));
        ours.LegendText = "Reservoir (this run)";
        ours.LineWidth = 2;
        var theirs = plot.Add.Scatter(LogX(n), LogY(n.Select(k => ReservoirPy[k])));
        theirs.LegendText = "ReservoirPy 0.3.16 (same kind of machine)";
        theirs.LineWidth = 2;
        var goal = plot.Add.Scatter(LogX(n), LogY(n.Select(k => Goals[k])));
        goal.LegendText = "goal (10× / 5× / 4× / 3× ReservoirPy)";
        goal.LinePattern = LinePattern.Dashed;

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var k in n)
        {
            ticks.AddMajor(Math.Log10(k), k.ToString(CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var y in new[] { 1e3, 1e4, 1e5, 1e6 })
        {
            yTicks.AddMajor(Math.Log10(y), y.ToString("0e0", CultureInfo.InvariantCulture));
        }

        plot.Axes.Left.TickGenerator = yTicks;
        plot.Title("Reservoir steps per second, one sequence (recurrent connectivity 0.1)");
        plot.XLabel("units N");
        plot.YLabel("steps / s (log scale)");
        plot.ShowLegend(Edge.Bottom);
        var full = Path.GetFullPath(path);
        plot.SavePng(full, 900, 600);
        return full;
    }
}
