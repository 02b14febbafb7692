using ScottPlot;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary>The PNG plots of the edge-of-stability (ES²N) studies.</summary>
internal static class Es2nPlots
{
    /// <summary>Memory and cubic capacity against β (top) and cubic against memory capacity (bottom), ES²N and leaky ESN.</summary>
    public static string TradeOff(IReadOnlyList<double> betas, MemoryCapacityReproductionTask.TradeOff result, string path)
    {
        var logBeta = betas.Select(Math.Log10).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var left = multiplot.GetPlot(0);
        AddLine(left, logBeta, result.Es2nCapacity, "ES²N: memory capacity", LinePattern.Solid);
        AddLine(left, logBeta, result.LeakyCapacity, "leaky ESN (α = β): memory capacity", LinePattern.Solid);
        AddLine(left, logBeta, result.Es2nCubic.Select(v => 10 * v).ToArray(), "ES²N: 10 × cubic capacity", LinePattern.Dashed);
        AddLine(left, logBeta, result.LeakyCubic.Select(v => 10 * v).ToArray(), "leaky ESN: 10 × cubic capacity", LinePattern.Dashed);
        left.Title("Memory and non-linearity against β (N = 100, tanh)");
        left.XLabel("log10 β (leak rate)");
        left.YLabel("capacity");
        left.ShowLegend(Edge.Bottom);

        var right = multiplot.GetPlot(1);
        AddLine(right, result.Es2nCapacity, result.Es2nCubic, "ES²N", LinePattern.Solid);
        AddLine(right, result.LeakyCapacity, result.LeakyCubic, "leaky ESN", LinePattern.Solid);
        right.Title("Trade-off: cubic capacity against memory capacity (one point per β)");
        right.XLabel("memory capacity (delays 1..200)");
        right.YLabel("cubic capacity (τ = 0..9)");
        right.ShowLegend(Edge.Bottom);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        multiplot.SavePng(full, 1600, 700);
        return path;
    }

    private static void AddLine(Plot plot, double[] x, double[] y, string label, LinePattern pattern)
    {
        var line = plot.Add.ScatterLine(x, y);
        line.LegendText = label;
        line.LineWidth = 2f;
        line.MarkerSize = 7;
        line.LinePattern = pattern;
    }
}
