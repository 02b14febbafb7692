using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Forecasts a univariate series with echo state networks whose preprocessing, time constants and method are chosen from the series itself.</summary>
/// <remarks>
/// <para>
/// A fit fills gaps, applies a Box–Cox transform (Guerrero's choice by default), finds the seasonal period from the
/// autocorrelation, and scores a few candidates by rolling-origin validation on the last third of the series (each
/// candidate is fitted on the values before the first validation origin and forecasts from every origin of the first
/// half of that stretch, then refitted on the values up to its middle for the origins of the second half; scored by MASE):
/// with and without a seasonal difference (a first difference when a KPSS test asks for one), direct or closed-loop
/// forecasting, and units whose time constants τ = 1/α are drawn log-uniformly from 1 to a short or a long maximum (half
/// a season, or two seasons). The reservoir reads the differenced series (its last four values without a season) and,
/// with a season, its phase (sine and cosine); the readout sees them beside the state, and its λ is chosen by
/// generalised cross-validation. The ensemble of <see cref="SeriesForecasterOptions.EnsembleSize"/> reservoirs of
/// different seeds refits the three best candidates in turn on the whole series (member k the (k mod 3)-th best: a
/// combination is steadier than the single best on a short validation tail) and averages their forecasts; the three
/// candidates' validation errors together give the prediction intervals (see <see cref="SeriesForecastModel"/>). The
/// forecast is the combination (1 − w)·ensemble + w·benchmark on the transformed scale, the benchmark and w in
/// {0, 0.05, …, 1} chosen together by the same validation (the mean of the three candidates' validation forecasts standing
/// for the ensemble): with a season, s·Theta + (1 − s)·seasonal naive with s in {0, 1/4, …, 1} (Hyndman and Billah's
/// Theta method, <see cref="SeriesForecastBenchmark.Theta"/>); without one, Holt's damped trend, the naive forecast or the
/// Theta method (<see cref="SeriesForecastConfiguration.Benchmark"/>,
/// <see cref="SeriesForecastConfiguration.BenchmarkWeight"/>). Every
/// transform is undone on the forecasts. A forecast of the differenced series is held within its training range widened by half its width on
/// each side, so that a run-away closed loop or an extreme readout output cannot grow without bound once undone.
/// </para>
/// <para>Deterministic for a given seed, whatever the degree of parallelism. Thread-safe.</para>
/// </remarks>
public static class SeriesForecaster
{
    /// <summary>How many of the best candidates the ensemble combines: member k refits candidate k mod 3 of the ranking.</summary>
    internal const int CombinedCandidates = 3;

    /// <summary>The most closed-loop validation origins (direct forecasts are scored at every origin).</summary>
    private const int MaxLoopOrigins = 40;

    /// <summary>The fewest training rows a fit may have after the washout.</summary>
    private const int MinTrainingRows = 8;

    /// <summary>The benchmark weight is chosen among 0, 1/20, …, 1.</summary>
    internal const int WeightSteps = 20;

    /// <summary>The Theta share s of a seasonal benchmark s·Theta + (1 − s)·seasonal naive is chosen among 0, 1/4, …, 1.</summary>
    internal const int ThetaShareSteps = 4;

    /// <summary>The fits of each candidate in the validation: at its start, and again halfway through it.</summary>
    private const int ValidationFits = 2;

    /// <summary>Fits a forecaster of the next <paramref name="horizon"/> values of <paramref name="series"/>.</summary>
    /// <param name="series">The series, oldest first; NaN marks a missing value (see <see cref="SeriesForecasterOptions.MissingValues"/>).</param>
    /// <param name="horizon">H, the number of steps to forecast, ≥ 1.</param>
    /// <param name="options">The settings; null uses the defaults.</param>
    /// <param name="progress">Receives the progress of the validation and of the ensemble; null for none.</param>
    /// <returns>The fitted forecaster; <see cref="SeriesForecastModel.Forecast(double)"/> gives the forecast after the series.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> or a setting is out of range.</exception>
    /// <exception cref="ArgumentException">The series is too short for the horizon, holds an infinite value, has a gap that the policy refuses, or is not positive under a log or Box–Cox transform; or a seasonal difference is asked for without a season.</exception>
    /// <exception cref="InvalidOperationException">Every candidate diverged.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "A seasonal difference without a season is reported under SeasonalDifferences' name, the setting the caller wrote.")]
    public static SeriesForecastModel Fit(ReadOnlySpan<double> series, int horizon, SeriesForecasterOptions? options = null,
        IProgress<SeriesForecasterProgress>? progress = null)
    {
        options ??= new SeriesForecasterOptions();
        Validate(options, horizon);
        var y = SeriesPreprocessing.FillGaps(series, options.MissingValues, out var filled);
        var n = y.Length;
        var minimum = MinimumLength(horizon);
        if (n < minimum)
        {
            throw new ArgumentException(
                $"series has {n} values but forecasting {horizon} steps needs at least {minimum} (2·horizon + 16); give a longer series or a shorter horizon.",
                nameof(series));
        }

        var period = options.SeasonalPeriod ?? SeriesPreprocessing.DetectPeriod(y, (n - horizon) / 3);
        if (options.SeasonalDifferences is > 0 && period < 2)
        {
            throw new ArgumentException(
                options.SeasonalPeriod is null
                    ? "SeasonalDifferences is 1 but no season was found in the series; set SeasonalPeriod, or leave SeasonalDifferences null."
                    : "SeasonalDifferences is 1 but SeasonalPeriod is 1 (no season); give the period, or leave SeasonalDifferences null.",
                nameof(SeriesForecasterOptions.SeasonalDifferences));
        }

        var lambda = ResolveLambda(options, y, period);
        var z = new double[n];
        for (var t = 0; t < n; t++)
        {
            z[t] = SeriesPreprocessing.BoxCox(y[t], lambda);
        }

        var washout = options.WashoutSteps ?? Math.Clamp(n / 10, 3, 50);
        var units = options.UnitCount ?? Math.Clamp(n / 3, 20, 200);
        var validationLength = ValidationLength(n, horizon, washout);
        var cut = n - 1 - validationLength;
        var candidates = Candidates(options, z, period, horizon, washout, cut);
        if (candidates.Count == 0)
        {
            throw new ArgumentException(
                $"series has {n} values, too few for a washout of {washout} steps, a horizon of {horizon} and validation; give a longer series, or set WashoutSteps lower.",
                nameof(series));
        }

        var scale = MaseScale(y, cut, period);
        var context = new FitContext(y, z, lambda, period, horizon, units, washout);
        var scores = new CandidateScore?[candidates.Count];
        var done = 0;
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, i =>
        {
            scores[i] = Score(context, candidates[i], options.Seed, cut, scale);
            progress?.Report(new SeriesForecasterProgress("validation", Interlocked.Increment(ref done), candidates.Count));
        });

        var best = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] is { } score && (best < 0 || score.Mase < scores[best]!.Mase))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            throw new InvalidOperationException(
                "Every candidate forecaster diverged on this series; set Method = SeriesForecastMethod.Direct, or check the series for extreme values.");
        }

        var chosen = candidates[best];
        var ranked = Enumerable.Range(0, scores.Length).Where(i => scores[i] is not null).OrderBy(i => scores[i]!.Mase).ThenBy(i => i).ToArray();
        var combined = Math.Min(ranked.Length, CombinedCandidates);
        var members = new ForecastMember[options.EnsembleSize];
        done = 0;
        Parallel.For(0, options.EnsembleSize, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, k =>
        {
            members[k] = FitMember(context, candidates[ranked[k % combined]], unchecked(options.Seed + k), n - 1);
            progress?.Report(new SeriesForecasterProgress("ensemble", Interlocked.Increment(ref done), options.EnsembleSize));
        });

        // The forecast is (1 − w)·ensemble + w·benchmark, the benchmark and w chosen together on the validation forecasts.
        var top = ranked.Take(combined).Select(i => scores[i]!).ToArray();
        var (kind, share, weight) = ChooseBenchmark(context, top, cut);
        DampedTrend? trend = weight > 0 && kind == SeriesForecastBenchmark.DampedTrend ? DampedTrend.Fit(z, n - 1) : null;
        ThetaMethod? theta = weight > 0 && kind is SeriesForecastBenchmark.Theta or SeriesForecastBenchmark.SeasonalNaiveAndTheta
            ? ThetaMethod.Fit(y, n - 1, period) : null;

        // The combined candidates' validation errors together size the intervals: the best one's alone are the smallest
        // of the lot by selection, and too narrow for the combination's test errors.
        var errors = new double[horizon][];
        for (var h = 0; h < horizon; h++)
        {
            errors[h] = [.. ranked.Take(combined).SelectMany(i => scores[i]!.Errors[h])];
        }

        var configuration = new SeriesForecastConfiguration
        {
            SeasonalPeriod = period,
            FilledValues = filled,
            BoxCoxLambda = lambda,
            Differences = chosen.Differences,
            SeasonalDifferences = chosen.SeasonalDifferences,
            Method = chosen.Method,
            UnitCount = units,
            WashoutSteps = washout,
            MaxTimeConstant = chosen.MaxTimeConstant,
            EnsembleSize = options.EnsembleSize,
            BenchmarkWeight = weight,
            Benchmark = kind,
            Trend = trend,
            Theta = theta,
            ThetaShare = share,
            ValidationForecasts = errors.Sum(e => e.Length),
            Candidates = [.. candidates.Select((c, i) => c with { ValidationMase = scores[i]?.Mase ?? double.PositiveInfinity })],
        };
        return new SeriesForecastModel(configuration, members, errors);
    }

    /// <summary>A copy of <paramref name="series"/> with each missing value (NaN) filled as <see cref="Fit"/> fills it: linearly between its neighbours, and with the nearest observed value at either end.</summary>
    /// <param name="series">The series; at least one value observed, none infinite.</param>
    /// <returns>The filled series (for a backtest, which needs every value, or for a plot).</returns>
    /// <exception cref="ArgumentException">A value is infinite, or every value is missing.</exception>
    public static double[] FillGaps(ReadOnlySpan<double> series) => SeriesPreprocessing.FillGaps(series, MissingValuePolicy.Interpolate, out _);

    /// <summary>The fewest values a series needs to be forecast <paramref name="horizon"/> steps ahead: 2·H + 16.</summary>
    /// <param name="horizon">H, ≥ 1.</param>
    /// <returns>The minimum length.</returns>
    public static int MinimumLength(int horizon) => 2 * horizon + 16;

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the SeriesForecasterOptions member that holds the bad value, the setting the caller wrote.")]
    private static void Validate(SeriesForecasterOptions options, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (options.SeasonalPeriod is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.SeasonalPeriod), options.SeasonalPeriod,
                $"SeasonalPeriod must be at least 1 (1: no season) or null to detect it; was {options.SeasonalPeriod}.");
        }

        if (!Enum.IsDefined(options.MissingValues))
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.MissingValues), options.MissingValues, $"MissingValues is not a defined policy; was {options.MissingValues}.");
        }

        if (!Enum.IsDefined(options.Transform))
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.Transform), options.Transform, $"Transform is not a defined transform; was {options.Transform}.");
        }

        if (!(options.BoxCoxLambda is >= -1 and <= 2))
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.BoxCoxLambda), options.BoxCoxLambda, $"BoxCoxLambda must be in [-1, 2]; was {options.BoxCoxLambda}.");
        }

        if (options.Differences is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.Differences), options.Differences, $"Differences must be 0, 1 or 2, or null to test; was {options.Differences}.");
        }

        if (options.SeasonalDifferences is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.SeasonalDifferences), options.SeasonalDifferences,
                $"SeasonalDifferences must be 0 or 1, or null to choose; was {options.SeasonalDifferences}.");
        }

        if (options.Method is { } method && !Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.Method), method, $"Method is not a defined method; was {method}.");
        }

        if (options.UnitCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.UnitCount), options.UnitCount, $"UnitCount must be at least 1, or null; was {options.UnitCount}.");
        }

        if (options.WashoutSteps is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.WashoutSteps), options.WashoutSteps, $"WashoutSteps must be at least 0, or null; was {options.WashoutSteps}.");
        }

        if (options.EnsembleSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.EnsembleSize), options.EnsembleSize, $"EnsembleSize must be at least 1; was {options.EnsembleSize}.");
        }

        if (options.MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeriesForecasterOptions.MaxDegreeOfParallelism), options.MaxDegreeOfParallelism,
                $"MaxDegreeOfParallelism must be -1 (every core) or at least 1; was {options.MaxDegreeOfParallelism}.");
        }
    }

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is Transform, the SeriesForecasterOptions member that asks for a transform the series cannot take.")]
    private static double ResolveLambda(SeriesForecasterOptions options, double[] y, int period)
    {
        var positive = y.All(v => v > 0);
        switch (options.Transform)
        {
            case SeriesTransform.None:
                return 1;
            case SeriesTransform.Auto:
                return positive ? SeriesPreprocessing.GuerreroLambda(y, period, [0, 0.5, 1]) : 1;
            default:
                if (!positive)
                {
                    var index = Array.FindIndex(y, v => v <= 0);
                    throw new ArgumentException(
                        $"Transform {options.Transform} needs a positive series, but value {index} is {y[index]}; use Transform = SeriesTransform.None or Auto.",
                        nameof(SeriesForecasterOptions.Transform));
                }

                return options.Transform == SeriesTransform.Log ? 0 : options.BoxCoxLambda;
        }
    }

    /// <summary>The number of final values held out for validation: a third of the series, at least H + 2 when the rest allows.</summary>
    private static int ValidationLength(int n, int horizon, int washout)
    {
        var length = Math.Max(horizon + 2, n / 3);
        var room = n - 1 - (washout + MinTrainingRows + horizon + 2);
        return Math.Max(horizon, Math.Min(length, room));
    }

    private static List<SeriesForecastCandidate> Candidates(SeriesForecasterOptions options, double[] z, int period, int horizon,
        int washout, int cut)
    {
        var seasonal = options.SeasonalDifferences is { } given ? [given] : period > 1 ? new[] { 0, 1 } : [0];
        var methods = options.Method is { } method ? [method] : new[] { SeriesForecastMethod.Direct, SeriesForecastMethod.ClosedLoop };
        var shortest = Math.Max(3.0, period / 2.0);
        var longest = period > 1 ? Math.Max(6.0, 2.0 * period) : Math.Max(6.0, Math.Min(30.0, z.Length / 10.0));
        var result = new List<SeriesForecastCandidate>();
        foreach (var d in seasonal)
        {
            if (d > 0 && period < 2)
            {
                continue;
            }

            var seasonallyDifferenced = d > 0 ? SeriesPreprocessing.Difference(z.AsSpan(0, cut + 1), period) : z[..(cut + 1)];
            var differences = options.Differences
                ?? (SeriesPreprocessing.Kpss(seasonallyDifferenced) > SeriesPreprocessing.KpssCritical5Percent ? 1 : 0);
            var firstRow = SeriesDesign.FirstRowFor(period, d, differences);
            foreach (var m in methods)
            {
                var rows = cut - firstRow + 1 - (m == SeriesForecastMethod.Direct ? horizon : 1);
                if (rows < washout + MinTrainingRows)
                {
                    continue;
                }

                foreach (var tau in shortest < longest ? new[] { shortest, longest } : [longest])
                {
                    result.Add(new SeriesForecastCandidate(d, differences, m, tau, double.NaN));
                }
            }
        }

        return result;
    }

    /// <summary>The in-sample mean absolute error of the seasonal naive forecast (lag m, or 1 without a season) up to <paramref name="last"/>.</summary>
    private static double MaseScale(double[] y, int last, int period)
    {
        var lag = period > 1 && last >= 2 * period ? period : 1;
        var sum = 0.0;
        for (var t = lag; t <= last; t++)
        {
            sum += Math.Abs(y[t] - y[t - lag]);
        }

        var scale = sum / (last - lag + 1);
        return scale > 0 ? scale : 1;
    }

    /// <summary>Fits the candidate on the series up to <paramref name="cut"/> and scores its forecasts from every later origin.</summary>
    private static CandidateScore? Score(FitContext context, SeriesForecastCandidate candidate, int seed, int cut, double scale)
    {
        var n = context.Y.Length;
        var horizon = context.Horizon;
        var errors = new List<double>[horizon];
        for (var h = 0; h < horizon; h++)
        {
            errors[h] = [];
        }

        var absolute = 0.0;
        var count = 0;
        var forecasts = new double[n - 1 - cut][];
        try
        {
            var lastFull = n - 1 - horizon;
            var stride = candidate.Method == SeriesForecastMethod.ClosedLoop ? Math.Max(1, (n - 1 - cut) / MaxLoopOrigins) : 1;
            var member = FitMember(context, candidate, seed, cut);
            var refit = cut + (n - 1 - cut) / ValidationFits;
            for (var origin = cut; ; origin++)
            {
                if (ValidationFits > 1 && origin == refit && refit > cut)
                {
                    // The second fit sees the first half of the validation stretch, as the ensemble will see all of it.
                    member = FitMember(context, candidate, seed, origin);
                }

                if ((origin - cut) % stride == 0)
                {
                    var forecast = member.ForecastZ();
                    forecasts[origin - cut] = forecast;
                    for (var h = 0; h < horizon && origin + 1 + h < n; h++)
                    {
                        var t = origin + 1 + h;
                        errors[h].Add(context.Z[t] - forecast[h]);
                        if (origin <= lastFull)
                        {
                            absolute += Math.Abs(context.Y[t] - SeriesPreprocessing.InverseBoxCox(forecast[h], context.Lambda));
                            count++;
                        }
                    }
                }

                if (origin == n - 2)
                {
                    break;
                }

                member.Advance();
            }
        }
        catch (InvalidOperationException)
        {
            // The closed loop (or a state) diverged on this candidate: it is not chosen.
            return null;
        }

        return count == 0 ? null : new CandidateScore(absolute / count / scale, [.. errors.Select(e => e.ToArray())], forecasts);
    }

    /// <summary>Fits the candidate with <paramref name="seed"/> on the series up to <paramref name="cut"/>, positioned at it.</summary>
    private static ForecastMember FitMember(FitContext context, SeriesForecastCandidate candidate, int seed, int cut)
    {
        var design = context.Design(candidate);
        return ForecastMember.Fit(context.NetworkOptions(candidate, design.InputWidth, seed), design,
            candidate.Method == SeriesForecastMethod.Direct, context.Horizon, cut);
    }

    /// <summary>The series and the settings shared by every fit of one call.</summary>
    private sealed class FitContext(double[] y, double[] z, double lambda, int period, int horizon, int units, int washout)
    {
        internal double[] Y { get; } = y;

        internal double[] Z { get; } = z;

        internal double Lambda { get; } = lambda;

        internal int Period { get; } = period;

        internal int Horizon { get; } = horizon;

        internal SeriesDesign Design(SeriesForecastCandidate candidate) =>
            new(Z, Period, candidate.SeasonalDifferences, candidate.Differences);

        internal EchoStateNetworkOptions NetworkOptions(SeriesForecastCandidate candidate, int inputWidth, int seed) => new()
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = units,
                Seed = seed,
                InputDimension = inputWidth,
                SpectralRadius = 0.9,
                LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, candidate.MaxTimeConstant),
                InputConnectivity = 1,
                InputScaling = 1 / Math.Sqrt(inputWidth),
            },
            RegularizationSearch = new RidgeCvOptions { Method = RidgeCvMethod.GeneralizedCrossValidation },
            WashoutSteps = washout,
            StandardizeInputs = true,
            StandardizeTargets = true,
        };
    }

    private sealed record CandidateScore(double Mase, double[][] Errors, double[]?[] Forecasts);

    /// <summary>The seasonal naive forecast of z at step h + 1 after <paramref name="origin"/>: the value of the same phase in the last season up to the origin (the last value when m = 1).</summary>
    internal static double Benchmark(ReadOnlySpan<double> z, int period, int origin, int h) => z[origin + 1 + h - period * (h / period + 1)];

    /// <summary>The benchmarks the validation chooses among, for a series with a season or without one; the first is preferred on a tie.</summary>
    /// <remarks>With a season, the validation also tries the mixtures s·Theta + (1 − s)·seasonal naive for s = 1/4, 1/2 and 3/4 (<see cref="SeriesForecastBenchmark.SeasonalNaiveAndTheta"/>).</remarks>
    internal static SeriesForecastBenchmark[] BenchmarksFor(int period) => period > 1
        ? [SeriesForecastBenchmark.SeasonalNaive, SeriesForecastBenchmark.Theta]
        : [SeriesForecastBenchmark.DampedTrend, SeriesForecastBenchmark.Naive, SeriesForecastBenchmark.Theta];

    /// <summary>
    /// The forecast of z at steps 1 … H after <paramref name="origin"/> by the benchmark <paramref name="kind"/>, from
    /// z[0 … origin] (and y, the series z transforms, for the Theta method, which works in the series' units).
    /// </summary>
    internal static double[] BenchmarkForecast(SeriesForecastBenchmark kind, ReadOnlySpan<double> z, ReadOnlySpan<double> y, double lambda,
        int period, int origin, int horizon, DampedTrend? trend, ThetaMethod? theta, double thetaShare)
    {
        var result = new double[horizon];
        switch (kind)
        {
            case SeriesForecastBenchmark.DampedTrend:
                return trend!.Value.Forecast(z, origin, horizon);
            case SeriesForecastBenchmark.Theta:
            case SeriesForecastBenchmark.SeasonalNaiveAndTheta:
                var forecast = theta!.Forecast(y, origin, horizon);
                var floor = double.PositiveInfinity;
                if (lambda != 1)
                {
                    // A transformed series is positive; a forecast below half its least value is held there.
                    for (var t = 0; t <= origin; t++)
                    {
                        floor = Math.Min(floor, y[t] / 2);
                    }
                }

                for (var h = 0; h < horizon; h++)
                {
                    var value = SeriesPreprocessing.BoxCox(lambda == 1 ? forecast[h] : Math.Max(forecast[h], floor), lambda);
                    result[h] = kind == SeriesForecastBenchmark.Theta ? value : thetaShare * value + (1 - thetaShare) * Benchmark(z, period, origin, h);
                }

                return result;
            case SeriesForecastBenchmark.Naive:
                for (var h = 0; h < horizon; h++)
                {
                    result[h] = z[origin];
                }

                return result;
            default:
                for (var h = 0; h < horizon; h++)
                {
                    result[h] = Benchmark(z, period, origin, h);
                }

                return result;
        }
    }

    /// <summary>The benchmark, its Theta share and its weight w in [0, 1] in (1 − w)·reservoirs + w·benchmark that minimise the validation MAE.</summary>
    /// <remarks>
    /// The reservoirs' part is the mean of the combined candidates' validation forecasts (one seed each), at the origins
    /// where all of them forecast. Each benchmark of <see cref="BenchmarksFor"/> forecasts from the same origins, its
    /// parameters (the damped trend's, the Theta method's) fitted on the values up to <paramref name="cut"/>; with a
    /// season, the mixtures of the seasonal naive and the Theta forecasts are tried between the two.
    /// </remarks>
    private static (SeriesForecastBenchmark Kind, double ThetaShare, double Weight) ChooseBenchmark(FitContext context, CandidateScore[] top, int cut)
    {
        var n = context.Y.Length;
        var kinds = BenchmarksFor(context.Period);
        var trend = kinds.Contains(SeriesForecastBenchmark.DampedTrend) ? DampedTrend.Fit(context.Z, cut) : (DampedTrend?)null;
        var theta = ThetaMethod.Fit(context.Y, cut, context.Period);
        var actual = new List<double>();
        var reservoirs = new List<double>();
        var benchmarks = kinds.Select(_ => new List<double>()).ToArray();
        for (var origin = cut; origin < n - 1; origin++)
        {
            if (top.Any(s => s.Forecasts[origin - cut] is null))
            {
                continue;
            }

            var forecasts = kinds.Select(k => BenchmarkForecast(k, context.Z, context.Y, context.Lambda, context.Period, origin, context.Horizon, trend, theta, 0))
                .ToArray();
            for (var h = 0; h < context.Horizon && origin + 1 + h < n; h++)
            {
                var sum = 0.0;
                foreach (var score in top)
                {
                    sum += score.Forecasts[origin - cut]![h];
                }

                actual.Add(context.Y[origin + 1 + h]);
                reservoirs.Add(sum / top.Length);
                for (var k = 0; k < kinds.Length; k++)
                {
                    benchmarks[k].Add(forecasts[k][h]);
                }
            }
        }

        // With a season: seasonal naive (s = 0), the mixtures, then Theta (s = 1); without: each benchmark in turn.
        var options = new List<(SeriesForecastBenchmark Kind, double Share, double[] Forecasts)>();
        if (context.Period > 1)
        {
            var seasonalNaive = benchmarks[0];
            var thetaForecasts = benchmarks[1];
            options.Add((SeriesForecastBenchmark.SeasonalNaive, 0, [.. seasonalNaive]));
            for (var j = 1; j < ThetaShareSteps; j++)
            {
                var share = (double)j / ThetaShareSteps;
                options.Add((SeriesForecastBenchmark.SeasonalNaiveAndTheta, share,
                    [.. seasonalNaive.Select((v, i) => share * thetaForecasts[i] + (1 - share) * v)]));
            }

            options.Add((SeriesForecastBenchmark.Theta, 0, [.. thetaForecasts]));
        }
        else
        {
            options.AddRange(kinds.Select((k, i) => (k, 0.0, benchmarks[i].ToArray())));
        }

        var best = (Kind: kinds[0], ThetaShare: 0.0, Weight: 0.0);
        var bestError = double.PositiveInfinity;
        foreach (var option in options)
        {
            var weight = BenchmarkWeight([.. actual], [.. reservoirs], option.Forecasts, context.Lambda, out var error);
            if (error < bestError * (1 - 1e-12))
            {
                best = (option.Kind, option.Share, weight);
                bestError = error;
            }
        }

        return best.Weight > 0 ? best : (kinds[0], 0, 0);
    }

    /// <summary>
    /// The weight w among 0, 1/<see cref="WeightSteps"/>, …, 1 whose combination (1 − w)·<paramref name="reservoirs"/> +
    /// w·<paramref name="benchmark"/> (forecasts on the Box–Cox scale), undone, has the least mean absolute error against
    /// <paramref name="actual"/>; the smallest such w on a tie, and 0 without forecasts.
    /// </summary>
    internal static double BenchmarkWeight(ReadOnlySpan<double> actual, ReadOnlySpan<double> reservoirs, ReadOnlySpan<double> benchmark, double lambda) =>
        BenchmarkWeight(actual, reservoirs, benchmark, lambda, out _);

    /// <summary>The weight of <see cref="BenchmarkWeight(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, double)"/> and the sum of absolute errors it gives.</summary>
    internal static double BenchmarkWeight(ReadOnlySpan<double> actual, ReadOnlySpan<double> reservoirs, ReadOnlySpan<double> benchmark, double lambda,
        out double bestError)
    {
        var best = 0.0;
        bestError = double.PositiveInfinity;
        for (var step = 0; step <= WeightSteps; step++)
        {
            var w = (double)step / WeightSteps;
            var error = 0.0;
            for (var i = 0; i < actual.Length; i++)
            {
                error += Math.Abs(actual[i] - SeriesPreprocessing.InverseBoxCox((1 - w) * reservoirs[i] + w * benchmark[i], lambda));
            }

            if (error < bestError * (1 - 1e-12))
            {
                best = w;
                bestError = error;
            }
        }

        return best;
    }
}
