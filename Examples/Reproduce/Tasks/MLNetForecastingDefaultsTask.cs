using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Reservoir.Pipelines;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>forecasting-mlnet</c>: <c>ForecastByEsn</c> with only the columns and the horizon, against the one fixed reservoir it trained before it chose its settings from the data, on the cases where that one lost.</summary>
/// <remarks>
/// Every forecast goes through ML.NET: the training rows are an <see cref="IDataView"/>, the estimator is fitted on them
/// and the time-series engine forecasts the values after them; rolling origins train only before each origin. The fixed
/// reservoir is the former catalog default (100 units, leak rate 1, spectral radius 0.9, input scaling 1, washout 50,
/// direct readout, λ by cross-validation).
/// </remarks>
public sealed class MLNetForecastingDefaultsTask : ReproductionTask
{
    private const float Level = 0.9f;

    /// <inheritdoc/>
    public override string Name => "forecasting-mlnet";

    /// <inheritdoc/>
    public override string Description =>
        "ML.NET ForecastByEsn with its defaults vs the former fixed defaults (100 units, leak rate 1): trending weekly series, two sines, a short yearly series, gaps";

    /// <inheritdoc/>
    public override int Order => 91;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var ml = new MLContext(seed: settings.Seed);
        var origins = settings.Small ? 1 : 5;
        report.Configure("defaults", "ForecastByEsn with the columns, the horizon and 90 % bounds only: the automatic forecaster")
            .Configure("fixed", "ForecastByEsn(..., unitCount: 100, leakRate: 1, spectralRadius: 0.9, inputScaling: 1, washoutSteps: 50): one fixed reservoir")
            .Configure("origins", origins);

        // A rising trend, a 52-step season and noise: weekly data over seven years.
        var random = new Random(settings.Seed);
        var weekly = Enumerable.Range(0, 52 * 7).Select(t => 20 + 0.03 * t + 2 * Math.Sin(2 * Math.PI * t / 52) + 0.3 * Gaussian(random)).ToArray();
        var weeklyOptions = new BacktestOptions { Horizon = 13, Origins = origins, Spacing = 13, SeasonalPeriod = 52, Level = Level };
        settings.Report($"{Name}: weekly trend + season");
        var weeklyScores = new JsonObject
        {
            ["defaults"] = Backtest.Run(weekly, weeklyOptions, Forecaster(ml, Automatic)).Mase,
            ["fixed"] = Backtest.Run(weekly, weeklyOptions, Forecaster(ml, Fixed)).Mase,
            ["seasonal_naive"] = Backtest.Run(weekly, weeklyOptions, Backtest.SeasonalNaive(52, Level)).Mase,
            ["naive"] = Backtest.Run(weekly, weeklyOptions, Backtest.SeasonalNaive(1, Level)).Mase,
        };
        report.Metric("weekly_trend_season_mase", weeklyScores);

        // Two clean sines of periods 30 and 170 steps; 20-step forecasts.
        var sines = Enumerable.Range(0, 1200).Select(t => Math.Sin(2 * Math.PI * t / 30) + 0.7 * Math.Sin(2 * Math.PI * t / 170)).ToArray();
        var sineOptions = new BacktestOptions { Horizon = 20, Origins = origins, Spacing = 20, Level = Level };
        settings.Report($"{Name}: two sines");
        report.Metric("two_sines_nrmse_20", new JsonObject
        {
            ["defaults"] = Nrmse(Backtest.Run(sines, sineOptions, Forecaster(ml, Automatic))),
            ["fixed"] = Nrmse(Backtest.Run(sines, sineOptions, Forecaster(ml, Fixed))),
            ["fixed_leak_0.3"] = Nrmse(Backtest.Run(sines, sineOptions, Forecaster(ml, (c, h) => Fixed(c, h, leakRate: 0.3)))),
        });

        // Fifty yearly values with a trend, ten forecast (the truth is the ten that follow).
        var yearly = Enumerable.Range(0, 60).Select(t => 100 + 0.8 * t + 3 * Gaussian(random)).ToArray();
        var yearlyOptions = new BacktestOptions { Horizon = 10, Origins = 1, Level = Level };
        settings.Report($"{Name}: 50 yearly values, H = 10");
        report.Metric("yearly_50_h10_mase", new JsonObject
        {
            ["defaults"] = Backtest.Run(yearly, yearlyOptions, Forecaster(ml, Automatic)).Mase,
            ["naive"] = Backtest.Run(yearly, yearlyOptions, Backtest.SeasonalNaive(1, Level)).Mase,
        });
        report.Metric("yearly_50_h10_fixed", Refusal(() => Backtest.Run(yearly, yearlyOptions, Forecaster(ml, Fixed))));

        // The weekly series with three missing values in the training rows of the last origin.
        var gappy = weekly[..^13].Select(v => (float)v).ToArray();
        gappy[100] = gappy[101] = gappy[250] = float.NaN;
        settings.Report($"{Name}: gaps");
        var forecast = Forecast(ml, Automatic(ml, 13), gappy);
        report.Metric("gaps_defaults_mae", forecast.Zip(weekly[^13..]).Average(p => Math.Abs(p.First - p.Second)));
        report.Metric("gaps_fixed", Refusal(() => Forecast(ml, Fixed(ml, 13), gappy)));
        report.Notes.Add("MASE is scaled by the in-sample seasonal naive MAE (lag 52 for the weekly series, 1 otherwise); NRMSE divides the RMSE by the standard deviation of the values forecast.");
        return report;
    }

    private static EsnForecastingEstimator Automatic(MLContext ml, int horizon) =>
        ml.Forecasting.ForecastByEsn("Forecast", "Value", horizon, confidenceLowerBoundColumn: "Lower", confidenceUpperBoundColumn: "Upper",
            confidenceLevel: Level);

    private static EsnForecastingEstimator Fixed(MLContext ml, int horizon) => Fixed(ml, horizon, leakRate: 1);

    private static EsnForecastingEstimator Fixed(MLContext ml, int horizon, double leakRate) =>
        ml.Forecasting.ForecastByEsn("Forecast", "Value", horizon, unitCount: 100, leakRate: leakRate, spectralRadius: 0.9, inputScaling: 1,
            washoutSteps: 50, confidenceLowerBoundColumn: "Lower", confidenceUpperBoundColumn: "Upper", confidenceLevel: Level);

    /// <summary>A backtest forecaster that fits the estimator on the training rows through ML.NET and forecasts with its engine.</summary>
    private static Func<double[], int, SeriesForecast> Forecaster(MLContext ml, Func<MLContext, int, EsnForecastingEstimator> estimator) =>
        (train, horizon) =>
        {
            var prediction = Predict(ml, estimator(ml, horizon), [.. train.Select(v => (float)v)]);
            return new SeriesForecast
            {
                Mean = [.. prediction.Forecast.Select(v => (double)v)],
                Lower = [.. prediction.Lower.Select(v => (double)v)],
                Upper = [.. prediction.Upper.Select(v => (double)v)],
                Level = Level,
            };
        };

    private static double[] Forecast(MLContext ml, EsnForecastingEstimator estimator, float[] train) =>
        [.. Predict(ml, estimator, train).Forecast.Select(v => (double)v)];

    private static Prediction Predict(MLContext ml, EsnForecastingEstimator estimator, float[] train)
    {
        var data = ml.Data.LoadFromEnumerable(train.Select(v => new Row { Value = v }).ToArray());
        return estimator.Fit(data).CreateTimeSeriesEngine<Row, Prediction>(ml).Predict();
    }

    /// <summary>The RMSE over every origin and step, divided by the standard deviation of the values forecast.</summary>
    private static double Nrmse(BacktestResult result)
    {
        ImmutableArray<double>[] actual = [.. result.Origins.Select(o => o.Actual)];
        var values = actual.SelectMany(a => a).ToArray();
        var mean = values.Average();
        var variance = values.Average(v => (v - mean) * (v - mean));
        var squared = result.Origins.SelectMany(o => o.Actual.Zip(o.Forecast.Mean, (a, f) => (a - f) * (a - f))).Average();
        return Math.Sqrt(squared / variance);
    }

    /// <summary>"refused: " and the message when the call throws an <see cref="ArgumentException"/>, else "forecast".</summary>
    private static string Refusal(Action call)
    {
        try
        {
            call();
            return "forecast";
        }
        catch (ArgumentException e)
        {
            var end = e.Message.IndexOf(" (Parameter", StringComparison.Ordinal);
            return $"refused: {(end < 0 ? e.Message : e.Message[..end])}";
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>One row of the series.</summary>
    public sealed class Row
    {
        /// <summary>The value.</summary>
        public float Value { get; set; }
    }

    /// <summary>The forecast and its bounds.</summary>
    public sealed class Prediction
    {
        /// <summary>The forecast of the next H values.</summary>
        public float[] Forecast { get; set; } = [];

        /// <summary>The lower bounds.</summary>
        public float[] Lower { get; set; } = [];

        /// <summary>The upper bounds.</summary>
        public float[] Upper { get; set; } = [];
    }
}
