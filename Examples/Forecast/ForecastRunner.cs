using System.Globalization;
using CsvHelper;
using Reservoir.Pipelines;

namespace Reservoir.Examples.Forecast;

/// <summary>Reads the series, fits the forecaster, and writes the forecast, the configuration, the plot and the backtest.</summary>
public static class ForecastRunner
{
    /// <summary>Carries out one command line.</summary>
    /// <param name="settings">The parsed command line.</param>
    /// <param name="stdout">Receives the forecast CSV unless <see cref="ForecastSettings.Output"/> is set.</param>
    /// <param name="stderr">Receives the progress, the configuration and the backtest table.</param>
    /// <exception cref="CommandLineException">The input is unusable (the message says why, on one line).</exception>
    /// <exception cref="ArgumentException">The forecaster refused the series.</exception>
    /// <exception cref="InvalidOperationException">Every candidate forecaster diverged.</exception>
    /// <exception cref="IOException">An output file cannot be written.</exception>
    public static void Execute(ForecastSettings settings, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        CheckFolder(settings.Output, "--output");
        CheckFolder(settings.Plot, "--plot");
        var data = SeriesFile.Read(settings.File, settings.Column, settings.DateColumn);
        var name = Path.GetFileName(settings.File);
        var minimum = SeriesForecaster.MinimumLength(settings.Horizon);
        if (data.Values.Length < minimum)
        {
            throw new CommandLineException(
                $"{name} has {data.Values.Length} time steps but a horizon of {settings.Horizon} needs at least {minimum} (2·horizon + 16); give a longer series or a shorter --horizon.");
        }

        if (settings.Strict)
        {
            RefuseGaps(data, name, settings.Column);
        }

        if (settings.BacktestOrigins is { } origins && data.Values.Length < minimum + settings.Horizon * origins)
        {
            throw new CommandLineException(
                $"--backtest {origins} needs at least {minimum + settings.Horizon * origins} time steps ({minimum} to train before the first origin, then {origins} origins {settings.Horizon} steps apart, each scored on {settings.Horizon} values), but {name} has {data.Values.Length}; give fewer origins or a shorter --horizon.");
        }

        var (season, seasonSource) = settings.Season is { } given ? (given, "given by --season")
            : data.Frequency is { } frequency ? (frequency.SeasonalPeriod, $"from the {frequency.Name} dates")
            : ((int?)null, "detected");
        var options = new SeriesForecasterOptions
        {
            SeasonalPeriod = season,
            MissingValues = settings.Strict ? MissingValuePolicy.Error : MissingValuePolicy.Interpolate,
        };

        stderr.WriteLine(Describe(data, settings, name));
        var model = SeriesForecaster.Fit(data.Values, settings.Horizon, options, new LineProgress(stderr));
        var forecast = model.Forecast(settings.Level);
        WriteConfiguration(model.Configuration, seasonSource, stderr);

        var dates = data.Dates is { } grid ? Enumerable.Range(1, settings.Horizon).Select(h => data.Frequency!.Add(grid[0], grid.Length - 1 + h)).ToArray() : null;
        if (settings.Output is { } output)
        {
            using (var writer = new StreamWriter(output))
            {
                WriteForecast(writer, forecast, dates, data.HasTime);
            }

            stderr.WriteLine($"forecast: {output}");
        }
        else
        {
            WriteForecast(stdout, forecast, dates, data.HasTime);
            stdout.Flush();
        }

        if (settings.Plot is { } plot)
        {
            ForecastPlot.Save(plot, data, forecast, dates, settings.Column);
            stderr.WriteLine($"plot: {plot}");
        }

        if (settings.BacktestOrigins is { } backtestOrigins)
        {
            RunBacktest(data.Values, settings, backtestOrigins, options, model.Configuration.SeasonalPeriod, stderr);
        }
    }

    /// <summary>Backtests the forecaster (fitted afresh at each origin with the same options) and seasonal naive, and prints a table of their scores.</summary>
    /// <param name="values">The series; gaps are interpolated first, as the forecaster does.</param>
    /// <param name="settings">The horizon and the level.</param>
    /// <param name="origins">The number of origins.</param>
    /// <param name="options">The forecaster's options, as for the forecast.</param>
    /// <param name="seasonalPeriod">The season of seasonal naive and of the MASE scale: the one the forecast used.</param>
    /// <param name="stderr">Receives the table.</param>
    private static void RunBacktest(double[] values, ForecastSettings settings, int origins, SeriesForecasterOptions options, int seasonalPeriod,
        TextWriter stderr)
    {
        var series = SeriesForecaster.FillGaps(values);
        var backtestOptions = new BacktestOptions
        {
            Horizon = settings.Horizon,
            Origins = origins,
            SeasonalPeriod = seasonalPeriod,
            Level = settings.Level,
        };
        stderr.WriteLine($"backtest: fitting at {origins} origins, {settings.Horizon} steps apart");
        BacktestResult reservoir, naive;
        try
        {
            reservoir = Backtest.Run(series, backtestOptions, options);
            naive = Backtest.Run(series, backtestOptions, Backtest.SeasonalNaive(seasonalPeriod, settings.Level));
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException($"backtest: {SeriesFile.FirstLine(e.Message)}", e);
        }

        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"backtest of {origins} origins x {settings.Horizon} steps (MASE scaled by the seasonal naive error, m = {seasonalPeriod}; {settings.Level:0.###} intervals):"));
        stderr.WriteLine($"{"forecaster",-16}{"MASE",10}{"sMAPE %",10}{"coverage",10}");
        foreach (var (label, result) in new[] { ("reservoir", reservoir), ("seasonal naive", naive) })
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-16}{result.Mase,10:0.000}{result.Smape,10:0.00}{result.Coverage,10:0.000}"));
        }
    }

    /// <summary>Writes the forecast as CSV: date (or step), forecast, lower, upper.</summary>
    /// <param name="writer">Where to write; left open.</param>
    /// <param name="forecast">The forecast.</param>
    /// <param name="dates">The date of each step, or null to number the steps from 1.</param>
    /// <param name="withTime">Whether the dates have times of day.</param>
    public static void WriteForecast(TextWriter writer, SeriesForecast forecast, DateTime[]? dates, bool withTime)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        using var csv = CsvWriter.Create(writer, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        csv.WriteRecord(dates is null ? "step" : "date", "forecast", "lower", "upper");
        for (var h = 0; h < forecast.Horizon; h++)
        {
            csv.WriteRecord(
                dates is null ? (h + 1).ToString(CultureInfo.InvariantCulture) : SeriesFile.Format(dates[h], withTime),
                Number(forecast.Mean[h]),
                Number(forecast.Lower[h]),
                Number(forecast.Upper[h]));
        }
    }

    private static void CheckFolder(string? path, string option)
    {
        if (path is null)
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (Directory.Exists(path) || (folder is not null && !Directory.Exists(folder)))
        {
            throw new CommandLineException(Directory.Exists(path)
                ? $"{option} {path} is a folder; give a file name."
                : $"{option} {path}: the folder {folder} does not exist; create it or give another path.");
        }
    }

    private static string Number(double value) => value.ToString("G8", CultureInfo.InvariantCulture);

    private static void RefuseGaps(SeriesFile data, string name, string column)
    {
        var t = Array.FindIndex(data.Values, double.IsNaN);
        if (t < 0)
        {
            return;
        }

        throw new CommandLineException(data.Dates is { } dates
            ? $"--strict: {name} has no value of '{column}' for {SeriesFile.Format(dates[t], data.HasTime)} ({data.EmptyCells} empty cells, {data.MissingDates} missing dates in all); fill the gaps, or leave out --strict to interpolate them."
            : $"--strict: row {t + 2} of {name} has no value in column '{column}' ({data.EmptyCells} empty cells in all); fill the gaps, or leave out --strict to interpolate them.");
    }

    private static string Describe(SeriesFile data, ForecastSettings settings, string name)
    {
        var gaps = data.Dates is null
            ? $"{data.EmptyCells} missing"
            : $"{data.EmptyCells} empty cells, {data.MissingDates} missing dates";
        var span = data.Dates is { } dates
            ? $", {data.Frequency!.Name} from {SeriesFile.Format(dates[0], data.HasTime)} to {SeriesFile.Format(dates[^1], data.HasTime)}"
            : string.Empty;
        return $"series: {data.Values.Length} values of '{settings.Column}' in {name}{span} ({gaps}); forecasting {settings.Horizon} steps";
    }

    private static void WriteConfiguration(SeriesForecastConfiguration configuration, string seasonSource, TextWriter stderr)
    {
        var mase = configuration.Candidates.Min(c => c.ValidationMase);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seasonal period: {configuration.SeasonalPeriod} ({seasonSource}); filled values: {configuration.FilledValues}"));
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transform: Box-Cox lambda {configuration.BoxCoxLambda:0.###}; differences: {configuration.Differences}; seasonal differences: {configuration.SeasonalDifferences}"));
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"method: {configuration.Method}; time constants: 1 to {configuration.MaxTimeConstant:0.#} steps; {configuration.UnitCount} units, washout {configuration.WashoutSteps}, ensemble of {configuration.EnsembleSize}"));
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validation MASE: {mase:0.###} over {configuration.ValidationForecasts} forecasts"));
    }

    /// <summary>Reports the fit's progress on one line per stage, synchronously (the fit reports from several threads).</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<SeriesForecasterProgress>
    {
        private readonly Lock _lock = new();

        public void Report(SeriesForecasterProgress value)
        {
            if (value.Completed != value.Total)
            {
                return;
            }

            lock (_lock)
            {
                writer.WriteLine(value.Stage == "validation"
                    ? $"fitting: {value.Total} candidates scored by validation"
                    : $"fitting: {value.Total} reservoirs of the ensemble fitted");
            }
        }
    }
}
