using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Pipelines.MLNet;
using ScottPlot;

namespace Reservoir.Examples.MLNetForecasting;

/// <summary>ML.NET forecasting with echo state networks: a noisy seasonal series from a CSV file, <c>ForecastByEsn</c> with its defaults and confidence bounds, evaluation on the held-out tail, <c>SavePipeline</c>/<c>LoadPipeline</c> and the time-series engine.</summary>
public static class Program
{
    /// <summary>Runs the example at full size and prints what it measured.</summary>
    /// <param name="args">Optional: the working folder for the CSV, the model files and the plot (default mlnet-forecasting in the current folder).</param>
    /// <returns>0 on success.</returns>
    public static int Main(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "mlnet-forecasting");
        var result = Run(seed: 42, steps: 2000, workDirectory: folder);
        Console.WriteLine($"series: {result.CsvPath} ({result.TrainRows} training rows, {result.TestRows} held-out rows)");
        Console.WriteLine($"chosen from the training rows: {result.Chosen}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"held-out tail, 1..{result.Horizon} steps ahead: MAE {result.Mae:F4}, RMSE {result.Rmse:F4}, NRMSE {result.Nrmse:F4}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bounds for a {result.ConfidenceLevel:P0} level contain {result.Coverage:P1} of the held-out values"));
        Console.WriteLine($"reloaded pipeline forecasts identical: {result.ReloadedIdentical}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"engine, next {result.NextForecast.Length} values after the data: {string.Join(", ", result.NextForecast.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine($"checkpoint: {result.CheckpointPath}");
        Console.WriteLine($"plot: {result.PlotPath}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elapsed: {result.Elapsed.TotalSeconds:F2} s"));
        return 0;
    }

    /// <summary>Writes the series to a CSV file (unless it exists), fits <c>ForecastByEsn</c> with its defaults on the first 80 %, evaluates on the rest, saves, reloads, runs the engine and plots.</summary>
    /// <param name="seed">The seed of the series and of the reservoir.</param>
    /// <param name="steps">The length of the series (the full example uses 2000).</param>
    /// <param name="workDirectory">The folder for the CSV, the model, the checkpoint and the plot; null for mlnet-forecasting in the current folder.</param>
    /// <param name="horizon">The number of values forecast from every row.</param>
    /// <returns>The measured errors and the files written.</returns>
    public static ForecastingResult Run(int seed, int steps, string? workDirectory = null, int horizon = 12)
    {
        var stopwatch = Stopwatch.StartNew();
        var folder = Path.GetFullPath(workDirectory ?? Path.Combine(Environment.CurrentDirectory, "mlnet-forecasting"));
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, $"seasonal-{seed}-{steps}.csv");
        if (!File.Exists(csv))
        {
            WriteSeries(csv, steps, seed);
        }

        var mlContext = new MLContext(seed);
        var data = mlContext.Data.LoadFromTextFile<SeriesRow>(csv, hasHeader: true, separatorChar: ',');
        var values = data.GetColumn<float>(nameof(SeriesRow.Value)).ToArray();
        var trainRows = (int)(values.Length * 0.8);
        var train = mlContext.Data.TakeRows(data, trainRows);

        var estimator = mlContext.Forecasting.ForecastByEsn(new EsnForecastingEstimator.Options
        {
            OutputColumnName = nameof(ForecastRow.Forecast),
            InputColumnName = nameof(SeriesRow.Value),
            Horizon = horizon,
            Seed = seed,
            ConfidenceLowerBoundColumn = nameof(ForecastRow.LowerBound),
            ConfidenceUpperBoundColumn = nameof(ForecastRow.UpperBound),
            ConfidenceLevel = 0.9f,
        });
        var model = estimator.Fit(train);
        var chosen = model.Model!.Configuration;

        // The forecast from the end of training, then one from every held-out row: Transform reads the held-out rows as
        // the continuation of the training series (as ForecastBySsa does), each forecast using only the rows up to it.
        var afterTraining = model.CreateTimeSeriesEngine<SeriesRow, ForecastRow>(mlContext).Predict();
        var test = mlContext.Data.SkipRows(data, trainRows);
        var scored = model.Transform(test);
        float[][] forecasts = [afterTraining.Forecast, .. Rows(scored, nameof(ForecastRow.Forecast))];
        float[][] lower = [afterTraining.LowerBound, .. Rows(scored, nameof(ForecastRow.LowerBound))];
        float[][] upper = [afterTraining.UpperBound, .. Rows(scored, nameof(ForecastRow.UpperBound))];
        var (mae, rmse, nrmse, coverage) = Evaluate(values, forecasts, lower, upper, trainRows, horizon);

        // One file holds the whole pipeline; a fresh context loads it.
        var modelPath = Path.Combine(folder, "forecaster.zip");
        mlContext.Model.SavePipeline(model, data.Schema, modelPath);
        var reloadContext = new MLContext(seed);
        var loaded = reloadContext.Model.LoadPipeline(modelPath, out _);
        var reloadedForecasts = Rows(loaded.Transform(test), nameof(ForecastRow.Forecast));
        var identical = forecasts[1..].Zip(reloadedForecasts).All(pair => pair.First.SequenceEqual(pair.Second));

        // The engine continues after the training rows: forecast, then feed the held-out rows one by one.
        var engine = loaded.CreateEsnTimeSeriesEngine<SeriesRow, ForecastRow>(reloadContext);
        identical &= engine.Predict().Forecast.SequenceEqual(afterTraining.Forecast);
        foreach (var value in values[trainRows..])
        {
            engine.Predict(new SeriesRow { Value = value });
        }

        var next = engine.Predict();
        var checkpoint = Path.Combine(folder, "engine-checkpoint.zip");
        engine.CheckPoint(checkpoint);
        stopwatch.Stop();

        var plot = Plot(values, forecasts, trainRows, afterTraining, next, model.ConfidenceLevel, Path.Combine(folder, "forecast.png"));
        var description = string.Create(CultureInfo.InvariantCulture,
            $"season {chosen.SeasonalPeriod}, Box-Cox lambda {chosen.BoxCoxLambda}, {chosen.Differences} difference(s), {chosen.SeasonalDifferences} seasonal, "
            + $"{chosen.Method}, {chosen.UnitCount} units, time constants up to {chosen.MaxTimeConstant:F0} steps, {chosen.EnsembleSize} reservoirs");
        return new ForecastingResult(mae, rmse, nrmse, coverage, model.ConfidenceLevel, horizon, trainRows, values.Length - trainRows,
            identical, next.Forecast, description, csv, modelPath, checkpoint, plot, stopwatch.Elapsed);
    }

    /// <summary>Errors of every k-step forecast (k = 1..H) made from the last training row onwards whose truth is in the file; <paramref name="forecasts"/>[i] is made after row trainRows − 1 + i.</summary>
    private static (double Mae, double Rmse, double Nrmse, double Coverage) Evaluate(float[] values, float[][] forecasts, float[][] lower,
        float[][] upper, int trainRows, int horizon)
    {
        double absolute = 0, squared = 0;
        var inside = 0;
        var count = 0;
        for (var origin = trainRows - 1; origin < values.Length - 1; origin++)
        {
            var i = origin - trainRows + 1;
            for (var k = 0; k < horizon && origin + k + 1 < values.Length; k++)
            {
                var truth = values[origin + k + 1];
                var error = truth - forecasts[i][k];
                absolute += Math.Abs(error);
                squared += error * error;
                inside += truth >= lower[i][k] && truth <= upper[i][k] ? 1 : 0;
                count++;
            }
        }

        var test = values[trainRows..];
        var mean = test.Average(v => (double)v);
        var std = Math.Sqrt(test.Average(v => (v - mean) * (v - mean)));
        var rmse = Math.Sqrt(squared / count);
        return (absolute / count, rmse, rmse / std, (double)inside / count);
    }

    /// <summary>A daily and a weekly cycle of hourly data, a slow trend and Gaussian noise, written as Time,Value.</summary>
    private static void WriteSeries(string path, int steps, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path);
        writer.WriteLine("Time,Value");
        for (var t = 0; t < steps; t++)
        {
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var value = 10 + 3 * Math.Sin(2 * Math.PI * t / 24) + 1.5 * Math.Sin(2 * Math.PI * t / 168) + 0.001 * t + 0.6 * noise;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t},{value:F4}"));
        }
    }

    private static float[][] Rows(IDataView view, string column) =>
        view.GetColumn<float[]>(column).ToArray();

    private static string Plot(float[] values, float[][] forecasts, int trainRows, ForecastRow afterTraining, ForecastRow next,
        float level, string path)
    {
        var horizon = next.Forecast.Length;
        var first = Math.Max(0, trainRows - 150);
        var plot = new ScottPlot.Plot();
        var truthX = Enumerable.Range(first, values.Length - first).Select(t => (double)t).ToArray();
        var truth = plot.Add.ScatterLine(truthX, values[first..].Select(v => (double)v).ToArray());
        truth.LegendText = "series";
        truth.LineWidth = 2;

        var oneStepX = Enumerable.Range(trainRows, values.Length - trainRows).Select(t => (double)t).ToArray();
        var oneStep = plot.Add.ScatterLine(oneStepX, oneStepX.Select(t => (double)forecasts[(int)t - trainRows][0]).ToArray());
        oneStep.LegendText = "1 step ahead (Transform)";
        oneStep.LinePattern = LinePattern.Dashed;

        AddForecast(plot, trainRows, afterTraining, $"{horizon} steps from the end of training, {level:P0} bounds", Colors.OrangeRed);
        AddForecast(plot, values.Length, next, $"{horizon} steps after the data (engine), {level:P0} bounds", Colors.Green);
        var split = plot.Add.VerticalLine(trainRows - 0.5);
        split.LegendText = "end of training";
        plot.Title("ForecastByEsn on a noisy seasonal series (hourly, daily and weekly cycles)");
        plot.XLabel("time step");
        plot.YLabel("value");
        plot.ShowLegend(Edge.Bottom);

        var full = Path.GetFullPath(path);
        plot.SavePng(full, 1200, 600);
        return full;
    }

    private static void AddForecast(ScottPlot.Plot plot, int start, ForecastRow forecast, string label, Color color)
    {
        var x = Enumerable.Range(start, forecast.Forecast.Length).Select(t => (double)t).ToArray();
        var band = plot.Add.FillY(x, forecast.LowerBound.Select(v => (double)v).ToArray(), forecast.UpperBound.Select(v => (double)v).ToArray());
        band.FillColor = color.WithAlpha(0.25);
        band.LineColor = color.WithAlpha(0.5);
        var line = plot.Add.ScatterLine(x, forecast.Forecast.Select(v => (double)v).ToArray());
        line.LegendText = label;
        line.LineWidth = 2;
        line.Color = color;
    }
}

/// <summary>One row of the CSV file.</summary>
public sealed class SeriesRow
{
    /// <summary>The time step.</summary>
    [LoadColumn(0)]
    public float Time { get; set; }

    /// <summary>The observed value.</summary>
    [LoadColumn(1)]
    public float Value { get; set; }
}

/// <summary>The forecast of the next H values and its bounds.</summary>
public sealed class ForecastRow
{
    /// <summary>The forecast.</summary>
    public float[] Forecast { get; set; } = [];

    /// <summary>The lower bound of each forecast value.</summary>
    public float[] LowerBound { get; set; } = [];

    /// <summary>The upper bound of each forecast value.</summary>
    public float[] UpperBound { get; set; } = [];
}

/// <summary>What the ML.NET forecasting example measured.</summary>
/// <param name="Mae">The mean absolute error of every 1..H-step forecast from the held-out origins.</param>
/// <param name="Rmse">The root mean squared error of the same forecasts.</param>
/// <param name="Nrmse">The RMSE divided by the standard deviation of the held-out values.</param>
/// <param name="Coverage">The fraction of held-out values inside their bounds.</param>
/// <param name="ConfidenceLevel">The level the bounds were measured for.</param>
/// <param name="Horizon">H.</param>
/// <param name="TrainRows">The number of training rows.</param>
/// <param name="TestRows">The number of held-out rows.</param>
/// <param name="ReloadedIdentical">Whether the pipeline loaded from its file gives the same forecasts.</param>
/// <param name="NextForecast">The engine's forecast of the H values after the data.</param>
/// <param name="Chosen">What the automatic forecaster chose from the training rows.</param>
/// <param name="CsvPath">The series file.</param>
/// <param name="ModelPath">The saved pipeline.</param>
/// <param name="CheckpointPath">The engine's checkpoint (model and state in one file).</param>
/// <param name="PlotPath">The PNG plot.</param>
/// <param name="Elapsed">Wall time from reading the file to the checkpoint.</param>
public sealed record ForecastingResult(double Mae, double Rmse, double Nrmse, double Coverage, float ConfidenceLevel, int Horizon,
    int TrainRows, int TestRows, bool ReloadedIdentical, float[] NextForecast, string Chosen, string CsvPath, string ModelPath, string CheckpointPath,
    string PlotPath, TimeSpan Elapsed);
