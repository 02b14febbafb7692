using ScottPlot;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary>The PNG plots of the multiscale study.</summary>
internal static class MultiscalePlots
{
    /// <summary>Test NRMSE against delay, one line per strategy.</summary>
    public static string Recall(int[] delays, MultiscaleTask.FamilyResult result, string path)
    {
        var plot = new Plot();
        var x = delays.Select(d => (double)d).ToArray();
        foreach (var strategy in result.Strategies)
        {
            var line = plot.Add.ScatterLine(x, strategy.Profile!);
            line.LegendText = $"{strategy.Key} ({strategy.Label})";
            line.LineWidth = strategy.Key == MultiscaleTask.Baseline ? 3f : 1.5f;
            line.MarkerSize = 6;
        }

        plot.Title("Recall of u(t−d), smooth input: test NRMSE against delay (equal units and tuning)");
        plot.XLabel("delay d (steps)");
        plot.YLabel("NRMSE (RMSE / std)");
        plot.ShowLegend(Edge.Right);
        return Save(plot, path, 1400, 700);
    }

    /// <summary>Closed-loop MSO forecasts: truth, the best single leak rate and the best multi-scale strategy.</summary>
    public static string Mso(MultiscaleTask.FamilyResult result, string path)
    {
        var baseline = result.Baseline;
        var best = result.BestMultiscale;
        var truth = baseline.Forecast!.Truth;
        var t = Enumerable.Range(1, truth.Length).Select(i => (double)i).ToArray();
        var plot = new Plot();
        AddLine(plot, t, truth, "MSO-5 (truth)", 2.5f, dashed: false);
        AddLine(plot, t, baseline.Forecast.Generated, $"best single leak rate ({baseline.Label})", 1.5f, dashed: true);
        AddLine(plot, t, best.Forecast!.Generated, $"best multi-scale: {best.Key} ({best.Label})", 1.5f, dashed: true);
        plot.Title("MSO-5 closed loop on the test span (first trial): each output fed back as the next input");
        plot.XLabel("steps after the end of training");
        plot.YLabel("value (sum of sines / 5)");
        plot.ShowLegend(Edge.Bottom);
        return Save(plot, path, 1400, 600);
    }

    private static void AddLine(Plot plot, double[] x, double[] y, string label, float width, bool dashed)
    {
        var line = plot.Add.ScatterLine(x, y);
        line.LegendText = label;
        line.LineWidth = width;
        if (dashed)
        {
            line.LinePattern = LinePattern.Dashed;
        }
    }

    private static string Save(Plot plot, string path, int width, int height)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, width, height);
        return path;
    }
}
