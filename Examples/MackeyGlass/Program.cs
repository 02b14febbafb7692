using System.Diagnostics;
using System.Globalization;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.MackeyGlass;

/// <summary>The main example: one-step-ahead forecast of the Mackey–Glass series (τ = 17) with a leaky echo state network.</summary>
public static class Program
{
    /// <summary>Runs the example with the published setup and prints the NRMSE and the plot path.</summary>
    /// <param name="args">Optional: the path of the PNG plot (default mackey-glass.png in the working folder).</param>
    /// <returns>0 on success.</returns>
    public static int Main(string[] args)
    {
        var plotPath = args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "mackey-glass.png");
        var result = Run(seed: 42, steps: 10_000, unitCount: 500, plotPath: plotPath);
        Console.WriteLine($"units: {result.UnitCount}, train: {result.TrainSteps} steps, test: {result.TestSteps} steps, fit + predict: {result.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one-step NRMSE: {result.OneStepNrmse:E3}"));
        Console.WriteLine($"plot: {result.PlotPath}");
        return 0;
    }

    /// <summary>Generates Mackey–Glass, trains on the first 80 % and predicts the rest one step ahead.</summary>
    /// <param name="seed">The seed of the series and of the reservoir.</param>
    /// <param name="steps">The length of the series (the main example uses 10 000).</param>
    /// <param name="unitCount">The reservoir size (the main example uses 500).</param>
    /// <param name="plotPath">Where to write the PNG plot of prediction vs truth; null for no plot.</param>
    /// <returns>The measured error and what was written.</returns>
    public static MackeyGlassResult Run(int seed, int steps, int unitCount = 500, string? plotPath = null)
    {
        var stopwatch = Stopwatch.StartNew();

        // Mackey–Glass τ = 17 (Euler δ = 0.1, one sample per time unit), rescaled to [−1, 1].
        var series = Series.Rescale(Datasets.MackeyGlass.Generate(steps, seed));
        var train = (int)(steps * 0.8);
        var inputs = series[..(train - 1)];
        var targets = series[1..train];

        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = unitCount,
                Seed = seed,
                LeakRates = 0.3,
                SpectralRadius = 1.25,
                InputScaling = 1.0,
                RecurrentConnectivity = 0.1,
                InputConnectivity = 0.2,
                BiasScaling = 1.0,
            },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
            WashoutSteps = 100,
        };
        var esn = EchoStateNetwork.Fit(options, inputs, targets);

        // Teacher-forced one-step prediction of the rest, continuing from the state at the end of training.
        var testInputs = series[(train - 1)..^1];
        var truth = series[train..];
        var prediction = esn.Predict(testInputs);
        var nrmse = Metrics.Nrmse(truth, prediction);
        stopwatch.Stop();

        string? written = null;
        if (plotPath is not null)
        {
            written = Plot(truth, prediction, plotPath);
        }

        return new MackeyGlassResult(nrmse, unitCount, inputs.Length, truth.Length, stopwatch.Elapsed, written);
    }

    private static string Plot(double[] truth, double[] prediction, string path)
    {
        var shown = Math.Min(500, truth.Length);
        var plot = new ScottPlot.Plot();
        var t = Enumerable.Range(0, shown).Select(i => (double)i).ToArray();
        var truthLine = plot.Add.ScatterLine(t, truth[..shown]);
        truthLine.LegendText = "Mackey–Glass (truth)";
        truthLine.LineWidth = 2;
        var predictionLine = plot.Add.ScatterLine(t, prediction[..shown]);
        predictionLine.LegendText = "ESN one-step prediction";
        predictionLine.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title("Mackey–Glass τ = 17: one-step-ahead prediction on the test set");
        plot.XLabel("test step");
        plot.YLabel("value (rescaled to [−1, 1])");
        plot.ShowLegend();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, 1000, 450);
        return full;
    }
}

/// <summary>What the Mackey–Glass example measured.</summary>
/// <param name="OneStepNrmse">The one-step NRMSE on the test set (RMSE divided by the standard deviation of the truth).</param>
/// <param name="UnitCount">The reservoir size.</param>
/// <param name="TrainSteps">The number of training pairs.</param>
/// <param name="TestSteps">The number of predicted steps.</param>
/// <param name="Elapsed">Wall time of generation, fit and prediction.</param>
/// <param name="PlotPath">The full path of the written plot, or null.</param>
public sealed record MackeyGlassResult(double OneStepNrmse, int UnitCount, int TrainSteps, int TestSteps, TimeSpan Elapsed,
    string? PlotPath);
