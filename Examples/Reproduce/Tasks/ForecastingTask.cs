using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>forecasting</c>: rolling-origin backtests on public series from R, against seasonal naive, R's ets, auto.arima and thetaf, and a fixed ReservoirPy-style network.</summary>
/// <remarks>
/// The series, the protocol (horizon, origins, spacing) and R's forecasts are shipped in <c>Data/Forecasting</c>; R's
/// forecasts were computed once by <c>Data/Forecasting/baselines.R</c>, so this task needs no R. Every method is scored
/// here by the same code (<see cref="Backtest"/>): MASE with the series' seasonal period, sMAPE and the coverage of the
/// 95 % interval, averaged over the origins; the geometric mean of MASE summarises the set.
/// </remarks>
public sealed class ForecastingTask : ReproductionTask
{
    /// <summary>The nominal level of the intervals that are scored.</summary>
    public const double Level = 0.95;

    /// <summary>The methods in table order; R's come from the shipped forecasts.</summary>
    private static readonly string[] RMethods = ["ets", "auto.arima", "thetaf"];

    /// <inheritdoc/>
    public override string Name => "forecasting";

    /// <inheritdoc/>
    public override string Description =>
        "rolling-origin backtests on 15 public series (R datasets/forecast): ours with defaults vs seasonal naive, ets, auto.arima, thetaf and a fixed ReservoirPy-style ESN";

    /// <inheritdoc/>
    public override int Order => 90;

    /// <summary>The folder of the shipped series, next to the program.</summary>
    public static string DataFolder => Path.Combine(AppContext.BaseDirectory, "Data", "Forecasting");

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var manifest = ReadManifest(Path.Combine(DataFolder, "series.csv"));
        if (settings.Small)
        {
            // The smoke size: the three shortest series, one origin each.
            manifest = [.. manifest.OrderBy(s => s.Values.Length).Take(3).Select(s => s with { Origins = 1 })];
        }

        var baselines = ReadBaselines(Path.Combine(DataFolder, "baselines.csv"));
        report.Configure("protocol", "origin k trains on values [0, n - H - (O-1-k)*spacing) and forecasts the next H; training only before each origin")
            .Configure("metrics", "MASE (scaled by the in-sample seasonal naive MAE of each origin's training data), sMAPE (0-200), coverage of the 95 % interval; means over origins")
            .Configure("ours", $"SeriesForecaster defaults (seed {settings.Seed}); the seasonal period is given for seasonal series (as R's ts frequency) and detected for the others")
            .Configure("reservoirpy_style", "300 units, leak rate 0.5, spectral radius 0.9, ridge 1e-6, inputs and targets standardised, one-step readout in closed loop, washout min(100, n/5)");

        var methods = new List<string> { "seasonal naive" };
        methods.AddRange(RMethods.Where(m => baselines.ContainsKey((manifest[0].Name, m))));
        methods.Add("reservoirpy-style");
        methods.Add("ours");
        var table = new Dictionary<(string Series, string Method), BacktestResult>();
        var fitSeconds = new JsonObject();
        foreach (var series in manifest)
        {
            settings.Report($"{Name}: {series.Name} (n = {series.Values.Length}, H = {series.Horizon}, {series.Origins} origins)");
            var options = new BacktestOptions
            {
                Horizon = series.Horizon,
                Origins = series.Origins,
                Spacing = series.Spacing,
                SeasonalPeriod = series.SeasonalPeriod,
                Level = Level,
            };
            table[(series.Name, "seasonal naive")] = Backtest.Run(series.Values, options, Backtest.SeasonalNaive(series.SeasonalPeriod));
            foreach (var method in RMethods)
            {
                if (baselines.TryGetValue((series.Name, method), out var forecasts))
                {
                    table[(series.Name, method)] = Backtest.Run(series.Values, options, (train, horizon) => forecasts[train.Length]);
                }
            }

            table[(series.Name, "reservoirpy-style")] = Backtest.Run(series.Values, options, (train, horizon) => FixedNetwork(train, horizon, settings.Seed));
            var ours = new SeriesForecasterOptions { SeasonalPeriod = series.SeasonalPeriod > 1 ? series.SeasonalPeriod : null, Seed = settings.Seed };
            var clock = Stopwatch.StartNew();
            table[(series.Name, "ours")] = Backtest.Run(series.Values, options, (train, horizon) => SeriesForecaster.Fit(train, horizon, ours).Forecast(Level));
            fitSeconds[series.Name] = Math.Round(clock.Elapsed.TotalSeconds / series.Origins, 3);
        }

        var mase = new JsonObject();
        foreach (var series in manifest)
        {
            var row = new JsonObject();
            foreach (var method in methods)
            {
                row[method] = Math.Round(table[(series.Name, method)].Mase, 3);
            }

            mase[series.Name] = row;
        }

        var geometric = new JsonObject();
        foreach (var method in methods)
        {
            geometric[method] = Math.Round(GeometricMean(manifest.Select(s => table[(s.Name, method)].Mase)), 3);
        }

        var coverage = new JsonObject();
        var pinball = new JsonObject();
        foreach (var series in manifest)
        {
            coverage[series.Name] = Math.Round(table[(series.Name, "ours")].Coverage, 3);
            pinball[series.Name] = Math.Round(table[(series.Name, "ours")].PinballLoss, 4);
        }

        report.Metric("mase", mase)
            .Metric("geometric_mean_mase", geometric)
            .Metric("ours_coverage", coverage)
            .Metric("ours_pinball_loss", pinball)
            .Metric("ours_mean_coverage", Math.Round(manifest.Average(s => table[(s.Name, "ours")].Coverage), 3))
            .Metric("ours_below_seasonal_naive", manifest.Count(s => table[(s.Name, "ours")].Mase < table[(s.Name, "seasonal naive")].Mase))
            .Metric("series", manifest.Count)
            .Metric("ours_mean_seconds_per_fit", fitSeconds);
        report.Notes.Add(Markdown(manifest, methods, table));
        return report;
    }

    /// <summary>A ReservoirPy-style network with fixed settings: one-step readout, closed loop over the horizon.</summary>
    private static SeriesForecast FixedNetwork(double[] train, int horizon, int seed)
    {
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 300, Seed = seed, LeakRates = 0.5, SpectralRadius = 0.9 },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
            WashoutSteps = Math.Min(100, train.Length / 5),
            StandardizeInputs = true,
            StandardizeTargets = true,
        };
        var network = EchoStateNetwork.Fit(options, train[..^1], train[1..]);
        double[] mean;
        try
        {
            var generated = network.Generate(horizon);
            mean = Enumerable.Range(0, horizon).Select(h => generated[h, 0]).ToArray();
        }
        catch (InvalidOperationException)
        {
            // A diverged loop is scored as holding the last value, and said so in the docs.
            mean = Enumerable.Repeat(train[^1], horizon).ToArray();
        }

        var values = ImmutableArray.Create(mean);
        return new SeriesForecast { Mean = values, Lower = values, Upper = values, Level = Level };
    }

    private static double GeometricMean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return Math.Exp(list.Sum(Math.Log) / list.Count);
    }

    private static string Markdown(IReadOnlyList<ForecastSeries> manifest, List<string> methods,
        Dictionary<(string Series, string Method), BacktestResult> table)
    {
        var text = new StringBuilder();
        text.Append("| series | n | m | H | origins |");
        foreach (var method in methods)
        {
            text.Append(CultureInfo.InvariantCulture, $" {method} |");
        }

        text.AppendLine(" ours: sMAPE | ours: 95 % coverage |");
        text.Append("|---|---:|---:|---:|---:|");
        text.Append(string.Concat(Enumerable.Repeat("---:|", methods.Count + 2)));
        text.AppendLine();
        foreach (var series in manifest)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {series.Name} | {series.Values.Length} | {series.SeasonalPeriod} | {series.Horizon} | {series.Origins} |");
            var best = methods.Min(m => table[(series.Name, m)].Mase);
            foreach (var method in methods)
            {
                var value = table[(series.Name, method)].Mase;
                var cell = value.ToString("F3", CultureInfo.InvariantCulture);
                text.Append(value == best ? $" **{cell}** |" : $" {cell} |");
            }

            var ours = table[(series.Name, "ours")];
            text.AppendLine(CultureInfo.InvariantCulture, $" {ours.Smape:F1} | {ours.Coverage:F2} |");
        }

        text.Append("| geometric mean of MASE | | | | |");
        foreach (var method in methods)
        {
            text.Append(CultureInfo.InvariantCulture, $" {GeometricMean(manifest.Select(s => table[(s.Name, method)].Mase)):F3} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $" | {manifest.Average(s => table[(s.Name, "ours")].Coverage):F2} |");
        return text.ToString();
    }

    /// <summary>One series of the manifest with its values and protocol.</summary>
    private sealed record ForecastSeries(string Name, double[] Values, int SeasonalPeriod, int Horizon, int Origins, int Spacing);

    private static List<ForecastSeries> ReadManifest(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0
            ? i
            : throw new InvalidDataException($"{path} has no column '{name}'.");
        var result = new List<ForecastSeries>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            var file = Path.Combine(Path.GetDirectoryName(path)!, cells[Column("file")]);
            result.Add(new ForecastSeries(cells[Column("name")], ReadValues(file), Integer(cells[Column("seasonal_period")]),
                Integer(cells[Column("horizon")]), Integer(cells[Column("origins")]), Integer(cells[Column("spacing")])));
        }

        return result;
    }

    private static double[] ReadValues(string path)
    {
        var lines = File.ReadAllLines(path);
        var column = Array.IndexOf(lines[0].Split(','), "value");
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture))];
    }

    /// <summary>R's forecasts by (series, method), then by origin (the training length).</summary>
    private static Dictionary<(string, string), Dictionary<int, SeriesForecast>> ReadBaselines(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(c => (
            Series: c[Column("series")].Trim('"'),
            Method: c[Column("method")].Trim('"'),
            Origin: Integer(c[Column("origin")]),
            Step: Integer(c[Column("h")]),
            Mean: Number(c[Column("mean")]),
            Lower: Number(c[Column("lo95")]),
            Upper: Number(c[Column("hi95")])));
        var result = new Dictionary<(string, string), Dictionary<int, SeriesForecast>>();
        foreach (var group in rows.GroupBy(r => (r.Series, r.Method)))
        {
            var byOrigin = new Dictionary<int, SeriesForecast>();
            foreach (var origin in group.GroupBy(r => r.Origin))
            {
                var ordered = origin.OrderBy(r => r.Step).ToArray();
                byOrigin[origin.Key] = new SeriesForecast
                {
                    Mean = [.. ordered.Select(r => r.Mean)],
                    Lower = [.. ordered.Select(r => r.Lower)],
                    Upper = [.. ordered.Select(r => r.Upper)],
                    Level = Level,
                };
            }

            result[group.Key] = byOrigin;
        }

        return result;
    }

    private static int Integer(string text) => int.Parse(text.Trim('"'), CultureInfo.InvariantCulture);

    private static double Number(string text) =>
        text.Trim('"') is "NA" or "NaN" or "" ? double.NaN : double.Parse(text.Trim('"'), CultureInfo.InvariantCulture);
}
