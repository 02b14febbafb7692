using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>A forecaster fitted by <see cref="SeriesForecaster.Fit"/>: the ensemble's forecast after the training series and the validation errors that size its intervals.</summary>
/// <remarks>
/// <para>
/// The point forecast, on the transformed scale, is (1 − w)·(the mean of the ensemble's forecasts) + w·(the benchmark),
/// w being <see cref="SeriesForecastConfiguration.BenchmarkWeight"/> and the benchmark
/// <see cref="SeriesForecastConfiguration.Benchmark"/>: the seasonal naive forecast from the last season read, the naive
/// forecast, Holt's damped trend or the Theta method run over the series read so far with the parameters fitted on the
/// training series, or a mixture of the seasonal naive and Theta forecasts.
/// </para>
/// <para>
/// Intervals come from the validation errors of the candidates the ensemble combines, on the transformed scale: the errors at each step
/// ahead are divided by their root mean square, pooled over the steps, and the pooled empirical quantiles are scaled
/// back by each step's root mean square (a step with fewer than two errors takes the last such step's, grown by
/// √(h + 1)); half-widths never shrink with the step. The bounds are transformed back with the point forecast, so a
/// log or Box–Cox transform gives asymmetric intervals.
/// </para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class SeriesForecastModel
{
    private readonly ForecastMember[] _members;
    private readonly double[][] _errors;

    internal SeriesForecastModel(SeriesForecastConfiguration configuration, ForecastMember[] members, double[][] errors)
    {
        Configuration = configuration;
        _members = members;
        _errors = errors;
    }

    /// <summary>What was chosen for the series: preprocessing, reservoir, method and the validation scores.</summary>
    public SeriesForecastConfiguration Configuration { get; }

    /// <summary>H, the most steps this forecaster forecasts.</summary>
    public int Horizon => _errors.Length;

    /// <summary>The forecast of the <see cref="Horizon"/> values after the training series.</summary>
    /// <param name="level">The coverage of the prediction interval, in (0, 1); default 0.95.</param>
    /// <returns>The point forecasts and bounds, in the series' units.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    public SeriesForecast Forecast(double level = 0.95) => Forecast(Horizon, level);

    /// <summary>The forecast of the first <paramref name="horizon"/> values after the training series.</summary>
    /// <param name="horizon">The number of steps, in [1, <see cref="Horizon"/>].</param>
    /// <param name="level">The coverage of the prediction interval, in (0, 1).</param>
    /// <returns>The point forecasts and bounds, in the series' units.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> or <paramref name="level"/> is out of range.</exception>
    public SeriesForecast Forecast(int horizon, double level) => Forecast(_members, horizon, level);

    /// <summary>Saves the forecaster (its choices, validation errors, transformed series and every network with its state) to a file, atomically.</summary>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <remarks>The model-file format of <see cref="EchoStateNetwork.Save(string)"/>; the loaded forecaster forecasts bit-identically.</remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file is left unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public void Save(string path) => ModelFile.Save(path, SeriesForecastModelSerializer.ModelKind, w => SeriesForecastModelSerializer.Write(w, this));

    /// <summary>Writes the forecaster to a stream in the model-file format.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    public void Save(Stream stream) => ModelFile.Write(stream, SeriesForecastModelSerializer.ModelKind, w => SeriesForecastModelSerializer.Write(w, this));

    /// <summary>Loads a forecaster saved by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The forecaster, forecasting bit-identically to the saved one.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The file is not a forecaster file, is truncated or corrupted, or was written by a newer format version.</exception>
    public static SeriesForecastModel Load(string path) =>
        ModelFile.Load(path, SeriesForecastModelSerializer.ModelKind, SeriesForecastModelSerializer.Read);

    /// <summary>Loads a forecaster from a stream written by <see cref="Save(Stream)"/>.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The forecaster.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="IOException">Reading fails.</exception>
    /// <exception cref="ModelFormatException">The content is not a forecaster, is truncated or corrupted, or was written by a newer format version.</exception>
    public static SeriesForecastModel Load(Stream stream) =>
        ModelFile.Read(stream, SeriesForecastModelSerializer.ModelKind, SeriesForecastModelSerializer.Read);

    /// <summary>The networks of the ensemble at the end of the training series.</summary>
    internal IReadOnlyList<ForecastMember> Members => _members;

    /// <summary>The validation errors of each step ahead, on the transformed scale.</summary>
    internal IReadOnlyList<double[]> Errors => _errors;

    /// <summary>An engine that continues after the training series: feed it each new observation, forecast at any time.</summary>
    /// <returns>A new engine at the end of the training series; the model is not changed by it.</returns>
    public SeriesForecastEngine CreateEngine() => new(this, [.. _members.Select(m => m.Clone())]);

    /// <summary>The ensemble's forecast from <paramref name="members"/>, all at the same time, with this model's intervals.</summary>
    internal SeriesForecast Forecast(IReadOnlyList<ForecastMember> members, int horizon, double level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (horizon > Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon,
                $"horizon must be at most the fitted horizon {Horizon}; was {horizon}. Fit with a longer horizon.");
        }

        if (!(level is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"level must be in (0, 1); was {level}.");
        }

        var average = new double[Horizon];
        foreach (var member in members)
        {
            var forecast = member.ForecastZ();
            for (var h = 0; h < Horizon; h++)
            {
                average[h] += forecast[h] / members.Count;
            }
        }

        var weight = Configuration.BenchmarkWeight;
        if (weight > 0)
        {
            var first = members[0];
            var z = first.Design.Series;
            var c = Configuration;
            var y = new double[c.Theta is null ? 0 : first.Time + 1];
            for (var t = 0; t < y.Length; t++)
            {
                y[t] = SeriesPreprocessing.InverseBoxCox(z[t], c.BoxCoxLambda);
            }

            var benchmark = SeriesForecaster.BenchmarkForecast(c.Benchmark, z, y, c.BoxCoxLambda, c.SeasonalPeriod, first.Time, Horizon, c.Trend, c.Theta, c.ThetaShare);
            for (var h = 0; h < Horizon; h++)
            {
                average[h] = (1 - weight) * average[h] + weight * benchmark[h];
            }
        }

        var (below, above) = Offsets(level);
        var lambda = Configuration.BoxCoxLambda;
        var mean = new double[horizon];
        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            mean[h] = SeriesPreprocessing.InverseBoxCox(average[h], lambda);
            lower[h] = SeriesPreprocessing.InverseBoxCox(average[h] + below[h], lambda);
            upper[h] = SeriesPreprocessing.InverseBoxCox(average[h] + above[h], lambda);
        }

        return new SeriesForecast
        {
            Mean = ImmutableArray.Create(mean),
            Lower = ImmutableArray.Create(lower),
            Upper = ImmutableArray.Create(upper),
            Level = level,
        };
    }

    /// <summary>The p-quantile of sorted values with linear interpolation between order statistics (Hyndman–Fan type 7, NumPy's default).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>The offsets of the bounds from the point forecast at each step ahead, on the transformed scale.</summary>
    private (double[] Below, double[] Above) Offsets(double level)
    {
        var horizon = _errors.Length;
        var spread = new double[horizon];
        var pooled = new List<double>();
        var lastKnown = -1;
        for (var h = 0; h < horizon; h++)
        {
            var errors = _errors[h];
            if (errors.Length < 2)
            {
                continue;
            }

            var sum = 0.0;
            foreach (var e in errors)
            {
                sum += e * e;
            }

            spread[h] = Math.Sqrt(sum / errors.Length);
            lastKnown = h;
            if (spread[h] > 0)
            {
                pooled.AddRange(errors.Select(e => e / spread[h]));
            }
        }

        for (var h = 0; h < horizon; h++)
        {
            if (_errors[h].Length < 2)
            {
                spread[h] = lastKnown < 0 ? 0 : spread[lastKnown] * Math.Sqrt((h + 1.0) / (lastKnown + 1.0));
            }
        }

        var sorted = pooled.Order().ToArray();
        var low = sorted.Length == 0 ? 0 : Math.Min(0, Quantile(sorted, (1 - level) / 2));
        var high = sorted.Length == 0 ? 0 : Math.Max(0, Quantile(sorted, (1 + level) / 2));
        var below = new double[horizon];
        var above = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            below[h] = Math.Min(low * spread[h], h > 0 ? below[h - 1] : 0);
            above[h] = Math.Max(high * spread[h], h > 0 ? above[h - 1] : 0);
        }

        return (below, above);
    }
}
