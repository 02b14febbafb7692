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
    private readonly List<double> _observations = [];

    internal SeriesForecastEngine(SeriesForecastModel model, ForecastMember[] members)
    {
        _model = model;
        _members = members;
    }

    private SeriesForecastEngine(SeriesForecastEngine other)
    {
        _model = other._model;
        _members = [.. other._members.Select(m => m.Clone())];
        _observations = [.. other._observations];
    }

    /// <summary>The number of observations read since the end of the training series.</summary>
    public long UpdateCount => _observations.Count;

    /// <summary>The model the engine continues.</summary>
    internal SeriesForecastModel Model => _model;

    /// <summary>An independent copy at the same point, which can read further observations without changing this engine.</summary>
    internal SeriesForecastEngine Clone() => new(this);

    /// <summary>The observations read since the end of the training series, oldest first.</summary>
    internal ReadOnlySpan<double> Observations => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_observations);

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

        _observations.Add(observation);
    }

    /// <summary>Writes the model and every observation read since training to a file, atomically, so that <see cref="Load(string)"/> resumes exactly here.</summary>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file is left unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public void CheckPoint(string path) =>
        ModelFile.Save(path, SeriesForecastModelSerializer.EngineKind, w => SeriesForecastModelSerializer.Write(w, this));

    /// <summary>Writes the model and every observation read since training to a stream.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    public void CheckPoint(Stream stream) =>
        ModelFile.Write(stream, SeriesForecastModelSerializer.EngineKind, w => SeriesForecastModelSerializer.Write(w, this));

    /// <summary>Resumes an engine from a checkpoint written by <see cref="CheckPoint(string)"/>: the model, then its observations read again.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The engine, forecasting exactly as the one that wrote the checkpoint.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The file is not an engine checkpoint, or is truncated, corrupted or inconsistent.</exception>
    public static SeriesForecastEngine Load(string path) =>
        ModelFile.Load(path, SeriesForecastModelSerializer.EngineKind, SeriesForecastModelSerializer.ReadEngine);

    /// <summary>Resumes an engine from a stream written by <see cref="CheckPoint(Stream)"/>.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="IOException">Reading fails.</exception>
    /// <exception cref="ModelFormatException">The content is not an engine checkpoint, or is truncated, corrupted or inconsistent.</exception>
    public static SeriesForecastEngine Load(Stream stream) =>
        ModelFile.Read(stream, SeriesForecastModelSerializer.EngineKind, SeriesForecastModelSerializer.ReadEngine);

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
