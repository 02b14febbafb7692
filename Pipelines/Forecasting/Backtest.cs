using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Scores a forecaster by rolling-origin evaluation: it is trained on the values before each origin and its forecast is compared with the values after it.</summary>
/// <remarks>
/// <para>
/// With n values, horizon H, O origins and spacing s, origin k (k = 0 … O − 1) is at t_k = n − H − (O − 1 − k)·s: the
/// forecaster receives a new array holding series[0 … t_k) and forecasts H values, which are scored against
/// series[t_k … t_k + H). The last origin leaves exactly H values after it. Nothing at or after an origin is ever shown
/// to the forecaster of that origin. Scores: MASE (scaled by the training values before the origin, with
/// <see cref="BacktestOptions.SeasonalPeriod"/>), sMAPE, MAPE, interval coverage and the pinball loss of the bounds
/// (see <see cref="BacktestResult"/>).
/// </para>
/// <para>
/// Origins run in parallel up to <see cref="BacktestOptions.MaxDegreeOfParallelism"/>; each writes only its own result,
/// so the result is identical to a sequential run for a forecaster that depends only on its input. A forecaster called
/// with more than one origin at a time must be thread-safe. Thread-safe.
/// </para>
/// </remarks>
public static class Backtest
{
    /// <summary>Backtests a forecaster given as a function of the training values and the horizon.</summary>
    /// <param name="series">The series, oldest first; finite (fill gaps first). It is copied.</param>
    /// <param name="options">The horizon, the origins and the level.</param>
    /// <param name="forecaster">
    /// Given a new array of the training values (which it may keep or change) and H, returns the forecast of the next H
    /// values with intervals of level <see cref="BacktestOptions.Level"/>; see <see cref="SeasonalNaive"/>.
    /// </param>
    /// <returns>The forecasts and scores of each origin and their means.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="forecaster"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range (ParamName is the setting).</exception>
    /// <exception cref="ArgumentException">
    /// The series holds a NaN or infinite value, or is too short for the origins (the message gives the length needed:
    /// SeasonalPeriod + 1 training values before the first origin and Spacing·(Origins − 1) + Horizon from it on); or the
    /// forecaster returned null, a forecast of another length or level, a NaN or infinite value, or an upper bound below
    /// its lower bound (ParamName "forecaster").
    /// </exception>
    public static BacktestResult Run(ReadOnlySpan<double> series, BacktestOptions options, Func<double[], int, SeriesForecast> forecaster)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(forecaster);
        Validate(options);
        return RunCore(series, options, forecaster, 0, null);
    }

    /// <summary>Backtests <see cref="SeriesForecaster"/>, fitted afresh on the training values before each origin.</summary>
    /// <param name="series">The series, oldest first; finite. It is copied.</param>
    /// <param name="options">The horizon, the origins and the level.</param>
    /// <param name="forecasterOptions">The settings of every fit; null uses the defaults.</param>
    /// <returns>The forecasts and scores of each origin and their means.</returns>
    /// <remarks>Each origin is a full fit (validation and ensemble), so this costs Origins fits; lower <see cref="SeriesForecasterOptions.EnsembleSize"/> for a quick look.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> or <paramref name="forecasterOptions"/> is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The series holds a NaN or infinite value, or is too short: the first origin needs
    /// <see cref="SeriesForecaster.MinimumLength"/>(Horizon) training values (and at least SeasonalPeriod + 1).
    /// </exception>
    /// <exception cref="InvalidOperationException">Every candidate of <see cref="SeriesForecaster"/> diverged at an origin.</exception>
    public static BacktestResult Run(ReadOnlySpan<double> series, BacktestOptions options, SeriesForecasterOptions? forecasterOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var level = options.Level;
        return RunCore(series, options,
            (training, horizon) => SeriesForecaster.Fit(training, horizon, forecasterOptions).Forecast(level),
            SeriesForecaster.MinimumLength(options.Horizon), "what SeriesForecaster needs for the horizon, 2·Horizon + 16");
    }

    /// <summary>Returns the seasonal naive forecaster: each forecast repeats the value one season earlier, with normal intervals as R's <c>snaive</c>.</summary>
    /// <param name="seasonalPeriod">The season m in steps, ≥ 1; 1 gives the naive (random walk) forecast.</param>
    /// <param name="level">The coverage of the intervals, in (0, 1); default 0.95. Give the backtest's <see cref="BacktestOptions.Level"/>.</param>
    /// <returns>
    /// A thread-safe function of the training values y (n ≥ m + 1, finite) and the horizon H ≥ 1. Step h = 1 … H is
    /// forecast as y[n − m + (h − 1) mod m]. With σ² = (1/(n − m)) Σ_{t=m}^{n−1} (y[t] − y[t − m])², the mean squared
    /// in-sample seasonal naive error (uncentred, as R's forecast package), the bounds are the forecast ∓ z·σ·√(⌊(h − 1)/m⌋ + 1),
    /// z being the standard normal quantile at (1 + level)/2. The function throws <see cref="ArgumentException"/>
    /// (ParamName "training") for a training series that is too short or not finite, and
    /// <see cref="ArgumentOutOfRangeException"/> (ParamName "horizon") for H &lt; 1.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seasonalPeriod"/> is below 1, or <paramref name="level"/> is not in (0, 1).</exception>
    public static Func<double[], int, SeriesForecast> SeasonalNaive(int seasonalPeriod, double level = 0.95)
    {
        if (seasonalPeriod < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seasonalPeriod), seasonalPeriod,
                $"seasonalPeriod must be >= 1 (1 for the naive forecast); was {seasonalPeriod}.");
        }

        if (!(level is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"level must be in (0, 1); was {Guard.Format(level)}.");
        }

        var z = NormalDistribution.Quantile((1 + level) / 2);
        return (training, horizon) => SeasonalNaiveForecast(training, horizon, seasonalPeriod, level, z);
    }

    private static SeriesForecast SeasonalNaiveForecast(double[] training, int horizon, int seasonalPeriod, double level, double z)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"horizon must be >= 1; was {horizon}.");
        }

        var n = training.Length;
        if (n <= seasonalPeriod)
        {
            throw new ArgumentException(
                $"training has {n} values but the seasonal naive forecast with seasonalPeriod {seasonalPeriod} needs at least {seasonalPeriod + 1} " +
                "(a season to repeat and one error to size the intervals).",
                nameof(training));
        }

        Guard.AllFinite(training);
        var sum = 0.0;
        for (var t = seasonalPeriod; t < n; t++)
        {
            var error = training[t] - training[t - seasonalPeriod];
            sum += error * error;
        }

        var sigma = Math.Sqrt(sum / (n - seasonalPeriod));
        var mean = new double[horizon];
        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            mean[h] = training[n - seasonalPeriod + h % seasonalPeriod];
            var halfWidth = z * sigma * Math.Sqrt(h / seasonalPeriod + 1);
            lower[h] = mean[h] - halfWidth;
            upper[h] = mean[h] + halfWidth;
        }

        return new SeriesForecast
        {
            Mean = ImmutableArray.Create(mean),
            Lower = ImmutableArray.Create(lower),
            Upper = ImmutableArray.Create(upper),
            Level = level,
        };
    }

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller wrote (Horizon, Origins, ...).")]
    private static void Validate(BacktestOptions options)
    {
        if (options.Horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.Horizon), options.Horizon, $"Horizon must be >= 1; was {options.Horizon}.");
        }

        if (options.Origins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.Origins), options.Origins, $"Origins must be >= 1; was {options.Origins}.");
        }

        if (options.Spacing is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.Spacing), options.Spacing,
                $"Spacing must be >= 1, or null for the horizon; was {options.Spacing}.");
        }

        if (options.SeasonalPeriod < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.SeasonalPeriod), options.SeasonalPeriod,
                $"SeasonalPeriod must be >= 1 (1 for a series without a season); was {options.SeasonalPeriod}.");
        }

        if (!(options.Level is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options.Level), options.Level,
                $"Level must be in (0, 1); was {Guard.Format(options.Level)}.");
        }

        if (options.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.MaxDegreeOfParallelism), options.MaxDegreeOfParallelism,
                $"MaxDegreeOfParallelism must be -1 (every core) or >= 1; was {options.MaxDegreeOfParallelism}.");
        }
    }

    private static BacktestResult RunCore(ReadOnlySpan<double> series, BacktestOptions options, Func<double[], int, SeriesForecast> forecaster,
        int forecasterMinimum, string? forecasterReason)
    {
        var n = series.Length;
        var horizon = options.Horizon;
        var count = options.Origins;
        var spacing = options.Spacing ?? horizon;
        var scaleMinimum = options.SeasonalPeriod + 1;
        var firstTraining = Math.Max(scaleMinimum, forecasterMinimum);
        var after = (long)spacing * (count - 1) + horizon;
        var needed = firstTraining + after;
        if (n < needed)
        {
            var reason = forecasterMinimum > scaleMinimum ? forecasterReason : "SeasonalPeriod + 1, for the MASE scale";
            throw new ArgumentException(
                $"series has {n} values but {count} origins {spacing} apart with Horizon {horizon} need at least {needed}: " +
                $"{firstTraining} to train on before the first origin ({reason}) and {after} from it on (Spacing·(Origins − 1) + Horizon); " +
                "give a longer series, or fewer Origins, a smaller Spacing or a shorter Horizon.",
                nameof(series));
        }

        Guard.AllFinite(series);
        var values = series.ToArray();
        var origins = new BacktestOrigin[count];
        var failures = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, k =>
        {
            var start = n - horizon - (count - 1 - k) * spacing;
            try
            {
                origins[k] = Evaluate(values, start, options, forecaster);
            }
            catch (Exception exception)
            {
                // Kept per origin and rethrown below, so that the caller gets the exception of the earliest failing
                // origin, as in a sequential run, rather than an AggregateException of whichever origins ran.
                failures[k] = exception;
            }
        });

        foreach (var failure in failures)
        {
            if (failure is not null)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        double mase = 0, smape = 0, mape = 0, coverage = 0, pinball = 0;
        foreach (var origin in origins)
        {
            mase += origin.Mase;
            smape += origin.Smape;
            mape += origin.Mape;
            coverage += origin.Coverage;
            pinball += origin.PinballLoss;
        }

        return new BacktestResult
        {
            Origins = ImmutableArray.Create(origins),
            Mase = mase / count,
            Smape = smape / count,
            Mape = mape / count,
            Coverage = coverage / count,
            PinballLoss = pinball / count,
        };
    }

    /// <summary>Forecasts from <paramref name="start"/> with the values before it and scores the forecast.</summary>
    private static BacktestOrigin Evaluate(double[] values, int start, BacktestOptions options, Func<double[], int, SeriesForecast> forecaster)
    {
        var horizon = options.Horizon;
        var forecast = forecaster(values[..start], horizon);
        Check(forecast, start, options);
        var training = values.AsSpan(0, start);
        var actual = values.AsSpan(start, horizon);
        var mean = forecast.Mean.AsSpan();
        var lower = forecast.Lower.AsSpan();
        var upper = forecast.Upper.AsSpan();
        var level = options.Level;
        return new BacktestOrigin
        {
            Origin = start,
            Actual = [.. actual],
            Forecast = forecast,
            Mase = HasSeasonalNaiveError(training, options.SeasonalPeriod) ? Metrics.Mase(actual, mean, training, options.SeasonalPeriod) : double.NaN,
            Smape = Metrics.Smape(actual, mean),
            Mape = actual.Contains(0.0) ? double.NaN : Metrics.Mape(actual, mean),
            Coverage = Metrics.Coverage(actual, lower, upper),
            PinballLoss = (Metrics.PinballLoss(actual, lower, (1 - level) / 2) + Metrics.PinballLoss(actual, upper, (1 + level) / 2)) / 2,
        };
    }

    /// <summary>Whether some training value differs from the one a season before it (else the MASE scale is 0).</summary>
    private static bool HasSeasonalNaiveError(ReadOnlySpan<double> training, int seasonalPeriod)
    {
        for (var t = seasonalPeriod; t < training.Length; t++)
        {
            if (training[t] != training[t - seasonalPeriod])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws, naming the forecaster and the origin, unless the forecast has the horizon and level asked for and finite, ordered bounds.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the public argument that produced the bad forecast (forecaster), not this helper's parameter.")]
    private static void Check(SeriesForecast? forecast, int start, BacktestOptions options)
    {
        const string forecaster = "forecaster";
        if (forecast is null)
        {
            throw new ArgumentException($"forecaster returned null at origin {start}; it must return a forecast.", forecaster);
        }

        var horizon = options.Horizon;
        foreach (var (name, values) in new[] { ("Mean", forecast.Mean), ("Lower", forecast.Lower), ("Upper", forecast.Upper) })
        {
            var length = values.IsDefault ? 0 : values.Length;
            if (length != horizon)
            {
                throw new ArgumentException(
                    $"forecaster returned {length} {name} values at origin {start} but Horizon is {horizon}; it must forecast exactly the horizon it is given.",
                    forecaster);
            }

            for (var h = 0; h < horizon; h++)
            {
                if (!double.IsFinite(values[h]))
                {
                    throw new ArgumentException(
                        $"forecaster returned {Guard.Format(values[h])} as {name} at step {h + 1} at origin {start}; every value must be finite.",
                        forecaster);
                }
            }
        }

        if (forecast.Level != options.Level)
        {
            throw new ArgumentException(
                $"forecaster returned intervals of level {Guard.Format(forecast.Level)} at origin {start} but Level is {Guard.Format(options.Level)}; " +
                "give the forecaster the backtest's level (for example SeasonalNaive(m, options.Level)).",
                forecaster);
        }

        for (var h = 0; h < horizon; h++)
        {
            if (forecast.Upper[h] < forecast.Lower[h])
            {
                throw new ArgumentException(
                    $"forecaster returned an upper bound {Guard.Format(forecast.Upper[h])} below the lower bound {Guard.Format(forecast.Lower[h])} " +
                    $"at step {h + 1} at origin {start}.",
                    forecaster);
            }
        }
    }
}
