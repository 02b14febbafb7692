namespace Reservoir.Pipelines;

/// <summary>Continues a <see cref="SeriesForecastModel"/> after its training series: each new observation moves every reservoir of the ensemble on, without refitting.</summary>
/// <remarks>
/// <para>
/// An observation is transformed (Box–Cox) and differenced as the training series was, and every reservoir reads it as its
/// next input row, so a forecast after k updates is the one the fitted networks give from the series extended by those k
/// values; the intervals keep the model's validation errors. Refit (with <see cref="SeriesForecaster.Fit"/>) now and
/// then to learn from the new values.
/// </para>
/// <para>Not thread-safe: an engine owns the states it moves. Create one engine per stream of observations.</para>
/// </remarks>
public sealed class SeriesForecastEngine
{
    private readonly SeriesForecastModel _model;
    private readonly ForecastMember[] _members;

    internal SeriesForecastEngine(SeriesForecastModel model, ForecastMember[] members)
    {
        _model = model;
        _members = members;
    }

    /// <summary>The number of observations read since the end of the training series.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Reads the next observation of the series.</summary>
    /// <param name="observation">The value, finite (and positive when the model took a log or Box–Cox transform).</param>
    /// <exception cref="ArgumentException">The value is not finite, or not positive under a transform that needs it; the engine is unchanged.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite; the engine is unchanged.</exception>
    public void Update(double observation)
    {
        var lambda = _model.Configuration.BoxCoxLambda;
        if (!double.IsFinite(observation))
        {
            throw new ArgumentException($"observation must be finite; was {observation}. Fill a missing value before feeding it.", nameof(observation));
        }

        if (lambda != 1 && observation <= 0)
        {
            throw new ArgumentException(
                $"observation must be positive: the model takes a Box-Cox transform with lambda {lambda}; was {observation}.", nameof(observation));
        }

        var z = SeriesPreprocessing.BoxCox(observation, lambda);
        var saved = new (ReservoirState State, double[,] Output, int Time)[_members.Length];
        var lengths = new int[_members.Length];
        var moved = 0;
        try
        {
            for (; moved < _members.Length; moved++)
            {
                saved[moved] = _members[moved].Save();
                lengths[moved] = _members[moved].Design.Length;
                _members[moved].Design.Append(z);
                _members[moved].Advance();
            }
        }
        catch (InvalidOperationException)
        {
            // Put every member back as it was, the one that failed included, so that a failed update changes nothing.
            for (var k = 0; k <= moved && k < _members.Length; k++)
            {
                if (_members[k].Design.Length > lengths[k])
                {
                    _members[k].Design.RemoveLast();
                }

                _members[k].Restore(saved[k].State, saved[k].Output, saved[k].Time);
            }

            throw;
        }

        UpdateCount++;
    }

    /// <summary>The forecast of the model's <see cref="SeriesForecastModel.Horizon"/> values after the last observation.</summary>
    /// <param name="level">The coverage of the prediction interval, in (0, 1); default 0.95.</param>
    /// <returns>The point forecasts and bounds, in the series' units; the engine is not changed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not in (0, 1).</exception>
    public SeriesForecast Forecast(double level = 0.95) => _model.Forecast(_members, _model.Horizon, level);

    /// <summary>The forecast of the first <paramref name="horizon"/> values after the last observation.</summary>
    /// <param name="horizon">The number of steps, in [1, the model's horizon].</param>
    /// <param name="level">The coverage of the prediction interval, in (0, 1).</param>
    /// <returns>The point forecasts and bounds, in the series' units; the engine is not changed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> or <paramref name="level"/> is out of range.</exception>
    public SeriesForecast Forecast(int horizon, double level) => _model.Forecast(_members, horizon, level);
}
