using System.Diagnostics;
using System.Globalization;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;
using ScottPlot;

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
        Console.WriteLine($"units: {result.UnitCount}, train: {result.TrainSteps} steps, test: {result.TestSteps} steps, both fits + forecasts: {result.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one-step NRMSE: {result.OneStepNrmse:E3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"closed-loop valid steps: {result.ClosedLoopValidSteps} (|error| <= 0.1 std; automatic ridge lambda = {result.ClosedLoopL2Regularization:E1})"));
        Console.WriteLine($"plot: {result.PlotPath}");
        return 0;
    }

    /// <summary>Generates Mackey–Glass, trains on the first 80 %, predicts the rest one step ahead, then generates it in closed loop.</summary>
    /// <param name="seed">The seed of the series and of the reservoir.</param>
    /// <param name="steps">The length of the series (the main example uses 10 000).</param>
    /// <param name="unitCount">The reservoir size (the main example uses 500).</param>
    /// <param name="plotPath">Where to write the PNG plot of prediction vs truth; null for no plot.</param>
    /// <returns>The measured error and what was written.</returns>
    public static MackeyGlassResult Run(int seed, int steps, int unitCount = 500, string? plotPath = null)
    {
        var stopwatch = Stopwatch.StartNew();

        var series = CreateSeries(seed, steps);
        var train = TrainLength(steps);
        var inputs = series[..(train - 1)];
        var targets = series[1..train];

        var options = CreateOptions(seed, unitCount);
        var esn = EchoStateNetwork.Fit(options, inputs, targets);

        // Teacher-forced one-step prediction of the rest, continuing from the state at the end of training.
        var testInputs = series[(train - 1)..^1];
        var truth = series[train..];
        var prediction = esn.Predict(testInputs);
        var nrmse = Metrics.Nrmse(truth, prediction);

        // Closed loop: the same network with λ chosen by time-blocked cross-validation generates the test period
        // from the end of training, each output fed back as the next input.
        var generator = EchoStateNetwork.Fit(options with { RegularizationSearch = new RidgeCvOptions() }, inputs, targets);
        var generatedMatrix = generator.Generate(truth.Length);
        var generated = Enumerable.Range(0, truth.Length).Select(t => generatedMatrix[t, 0]).ToArray();
        var threshold = 0.1 * StandardDeviation(series);
        var validSteps = Metrics.ValidPredictionTime(truth, generated, threshold);
        stopwatch.Stop();

        string? written = null;
        if (plotPath is not null)
        {
            written = Plot(truth, prediction, generated, validSteps, plotPath);
        }

        return new MackeyGlassResult(nrmse, validSteps, generator.L2Regularization, unitCount, inputs.Length, truth.Length,
            stopwatch.Elapsed, written);
    }

    /// <summary>The example's series: Mackey–Glass τ = 17 (Euler δ = 0.1, one sample per time unit), rescaled to [−1, 1].</summary>
    /// <param name="seed">The seed of the series.</param>
    /// <param name="steps">The length of the series, ≥ 2.</param>
    /// <returns>The rescaled series.</returns>
    public static double[] CreateSeries(int seed, int steps) => Series.Rescale(Datasets.MackeyGlass.Generate(steps, seed));

    /// <summary>The number of leading samples the example trains on: the first 80 %.</summary>
    /// <param name="steps">The length of the series.</param>
    /// <returns>⌊0.8 · steps⌋.</returns>
    public static int TrainLength(int steps) => (int)(steps * 0.8);

    /// <summary>The example's network: 500 (or <paramref name="unitCount"/>) leaky units, lr 0.3, ρ 1.25, ridge 1e-6, washout 100.</summary>
    /// <param name="seed">The seed of the reservoir.</param>
    /// <param name="unitCount">The reservoir size.</param>
    /// <returns>The options.</returns>
    public static EchoStateNetworkOptions CreateOptions(int seed, int unitCount) => new()
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

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
    }

    private static string Plot(double[] truth, double[] prediction, double[] generated, int validSteps, string path)
    {
        var shown = Math.Min(Math.Max(600, validSteps + 200), truth.Length);
        var t = Enumerable.Range(0, shown).Select(i => (double)i).ToArray();

        var oneStep = new ScottPlot.Plot();
        AddLine(oneStep, t, truth[..shown], "Mackey–Glass (truth)", dashed: false);
        AddLine(oneStep, t, prediction[..shown], "one-step prediction (teacher-forced)", dashed: true);
        oneStep.Title("Mackey–Glass τ = 17 on the test set: one step ahead");
        oneStep.YLabel("value (rescaled to [−1, 1])");
        oneStep.ShowLegend(Edge.Bottom);

        var closedLoop = new ScottPlot.Plot();
        AddLine(closedLoop, t, truth[..shown], "Mackey–Glass (truth)", dashed: false);
        AddLine(closedLoop, t, generated[..shown], "closed-loop generation", dashed: true);
        var limit = closedLoop.Add.VerticalLine(validSteps);
        limit.LegendText = $"valid for {validSteps} steps";
        closedLoop.Title("Closed loop from the end of training: each output fed back as the next input");
        closedLoop.XLabel("test step");
        closedLoop.YLabel("value (rescaled to [−1, 1])");
        closedLoop.ShowLegend(Edge.Bottom);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var layout = new ScottPlot.Multiplot();
        layout.Reset(oneStep);
        layout.AddPlot(closedLoop);
        layout.SavePng(full, 1200, 800);
        return full;
    }

    private static void AddLine(ScottPlot.Plot plot, double[] x, double[] y, string label, bool dashed)
    {
        var line = plot.Add.ScatterLine(x, y);
        line.LegendText = label;
        line.LineWidth = dashed ? 1.5f : 2.5f;
        if (dashed)
        {
            line.LinePattern = ScottPlot.LinePattern.Dashed;
        }
    }
}

/// <summary>What the Mackey–Glass example measured.</summary>
/// <param name="OneStepNrmse">The one-step NRMSE on the test set (RMSE divided by the standard deviation of the truth).</param>
/// <param name="ClosedLoopValidSteps">The number of closed-loop steps before the absolute error first exceeds 0.1 standard deviation of the series.</param>
/// <param name="ClosedLoopL2Regularization">The ridge λ chosen by cross-validation for the closed-loop network.</param>
/// <param name="UnitCount">The reservoir size.</param>
/// <param name="TrainSteps">The number of training pairs.</param>
/// <param name="TestSteps">The number of predicted steps.</param>
/// <param name="Elapsed">Wall time of generation, fit and prediction.</param>
/// <param name="PlotPath">The full path of the written plot, or null.</param>
public sealed record MackeyGlassResult(double OneStepNrmse, int ClosedLoopValidSteps, double ClosedLoopL2Regularization,
    int UnitCount, int TrainSteps, int TestSteps, TimeSpan Elapsed,
    string? PlotPath);
