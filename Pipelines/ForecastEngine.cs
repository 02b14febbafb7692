namespace Reservoir.Pipelines;

/// <summary>A running forecaster over a fitted <see cref="EchoStateNetwork"/>: feed observations one at a time, ask for forecasts any time.</summary>
/// <remarks>
/// <para>
/// <see cref="Update(ReadOnlySpan{double})"/> teacher-forces one observation into the reservoir state;
/// <see cref="Predict(int)"/> forecasts the next values from a copy of the state (closed loop for ordinary one-step
/// networks, the readout's direct outputs for networks from <see cref="EchoStateNetwork.FitDirect(EchoStateNetworkOptions, IReadOnlyList{double[,]}, int, int)"/>),
/// so asking does not change what comes next. A new engine continues right after the network's training data.
/// </para>
/// <para>
/// One engine is not thread-safe: it owns one mutable state. Engines are cheap (one state of N values, plus the delay
/// buffer) and share the immutable network, so create one per thread or per series. <see cref="CheckPoint(Stream)"/>
/// writes the network and the engine's state in one model file, and <see cref="Load(Stream)"/> resumes with
/// identical forecasts; the engine's state is written as the ML.NET time-series engine writes it.
/// </para>
/// <para>
/// <see cref="Update(ReadOnlySpan{double})"/> and <see cref="Predict(int, Span{double})"/> allocate nothing, with or
/// without output feedback.
/// </para>
/// </remarks>
public sealed class ForecastEngine
{
    private const string Kind = "ForecastEngine";
    private const string Tag = "ForecastEngine";

    // Version 2 writes the position as the ML.NET time-series engine does (a flag before the observation); version 1 is still read.
    private const ushort Version = 2;

    private readonly EchoStateNetwork.ForecastCursor _cursor;

    /// <summary>Starts an engine right after the network's training data.</summary>
    /// <param name="model">A network whose outputs are the next values of its inputs (K = D), or a direct multi-horizon network.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The network's outputs are not the next values of its inputs (K ≠ D for a one-step network).</exception>
    public ForecastEngine(EchoStateNetwork model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsDirect && model.OutputDimension != model.InputDimension)
        {
            throw new ArgumentException(
                $"A forecast engine needs a network that predicts its own next input: OutputDimension ({model.OutputDimension}) must equal InputDimension ({model.InputDimension}).",
                nameof(model));
        }

        Model = model;
        _cursor = new EchoStateNetwork.ForecastCursor(model, ForecastPosition.AfterTraining(model));
    }

    private ForecastEngine(EchoStateNetwork model, ForecastPosition position)
    {
        Model = model;
        _cursor = new EchoStateNetwork.ForecastCursor(model, position);
    }

    /// <summary>The fitted network.</summary>
    public EchoStateNetwork Model { get; }

    /// <summary>The number of observations fed since the engine was created (checkpoints keep it).</summary>
    public long UpdateCount => _cursor.UpdateCount;

    /// <summary>The most recent observation (after training: the last training value).</summary>
    public ReadOnlySpan<double> LastObservation => _cursor.LastObservation;

    /// <summary>Feeds the next observed value (teacher forcing); allocates nothing.</summary>
    /// <param name="observation">The observation, length D, finite.</param>
    /// <exception cref="ArgumentException">The length differs from D or a value is not finite; the engine is unchanged.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite; the engine is unchanged.</exception>
    public void Update(ReadOnlySpan<double> observation)
    {
        if (observation.Length != Model.InputDimension)
        {
            throw new ArgumentException(
                $"observation has {observation.Length} values but the model reads {Model.InputDimension}.", nameof(observation));
        }

        Guard.AllFinite(observation);
        _cursor.Update(observation);
    }

    /// <summary>Feeds the next observed value of a univariate series.</summary>
    /// <param name="observation">The observation, finite.</param>
    /// <exception cref="ArgumentException">The model is not univariate, or the value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite; the engine is unchanged.</exception>
    public void Update(double observation) => Update([observation]);

    /// <summary>Forecasts the next values; the engine's state is not changed.</summary>
    /// <param name="horizon">H ≥ 1; at most the model's <see cref="EchoStateNetwork.Horizon"/> for a direct forecaster.</param>
    /// <returns>H×D forecasts of the values after <see cref="LastObservation"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1, or above the horizon of a direct forecaster.</exception>
    /// <exception cref="InvalidOperationException">The closed loop diverged (the message names the step).</exception>
    public double[,] Predict(int horizon)
    {
        CheckHorizon(horizon);
        var result = new double[horizon, Model.InputDimension];
        _cursor.Predict(result.AsSpan());
        return result;
    }

    /// <summary>Forecasts the next values into caller-owned memory, allocating nothing; the engine's state is not changed.</summary>
    /// <param name="horizon">H ≥ 1; at most the model's <see cref="EchoStateNetwork.Horizon"/> for a direct forecaster.</param>
    /// <param name="destination">Receives the H×D forecasts, row-major (row h is the value h + 1 steps after <see cref="LastObservation"/>); its length must be H·D.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1, or above the horizon of a direct forecaster.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not hold H·D values.</exception>
    /// <exception cref="InvalidOperationException">The closed loop diverged (the message names the step).</exception>
    public void Predict(int horizon, Span<double> destination)
    {
        CheckHorizon(horizon);
        if (destination.Length != (long)horizon * Model.InputDimension)
        {
            throw new ArgumentException(
                $"destination has {destination.Length} values but {horizon} steps of {Model.InputDimension} need {(long)horizon * Model.InputDimension}.",
                nameof(destination));
        }

        _cursor.Predict(destination);
    }

    /// <summary>Writes the network and this engine's state to a stream, so that <see cref="Load(Stream)"/> resumes with identical forecasts.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    public void CheckPoint(Stream stream) => ModelFile.Write(stream, Kind, Write);

    /// <summary>Writes a checkpoint file atomically (a failed write leaves any existing file unchanged).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public void CheckPoint(string path) => ModelFile.Save(path, Kind, Write);

    /// <summary>Resumes an engine from a checkpoint stream.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The engine, forecasting exactly as the one that wrote the checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="IOException">Reading fails.</exception>
    /// <exception cref="ModelFormatException">The content is not an engine checkpoint, is truncated or corrupted, or was written by a newer format version.</exception>
    public static ForecastEngine Load(Stream stream) => ModelFile.Read(stream, Kind, Read);

    /// <summary>Resumes an engine from a checkpoint file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The file is not an engine checkpoint, is truncated or corrupted, or was written by a newer format version.</exception>
    public static ForecastEngine Load(string path) => ModelFile.Load(path, Kind, Read);

    private void CheckHorizon(int horizon)
    {
        Guard.AtLeast(horizon, 1);
        if (Model.IsDirect && horizon > Model.Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon,
                $"horizon must be in [1, {Model.Horizon}] for this direct forecaster; was {horizon}.");
        }
    }

    private void Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Tag, Version);
        EchoStateNetworkSerializer.Write(writer, Model);
        _cursor.Position.Write(writer);
    }

    private static ForecastEngine Read(ModelReader reader)
    {
        var version = reader.ReadSectionHeader(Tag, Version);
        var model = EchoStateNetworkSerializer.Read(reader);
        ForecastPosition position;
        if (version == 1)
        {
            // Version 1: the state, the last observation (always present) and the update count.
            var state = reader.ReadNetworkState(model.Composition);
            var observation = reader.ReadFiniteDoubles("the last observation", model.InputDimension);
            position = new ForecastPosition(state, observation, ForecastPosition.ReadUpdateCount(reader));
        }
        else
        {
            position = ForecastPosition.Read(reader, model);
            if (position.Observation is null)
            {
                throw new ModelFormatException("An engine checkpoint holds the last observation; this one holds none.");
            }
        }

        if (!model.IsDirect && model.OutputDimension != model.InputDimension)
        {
            throw new ModelFormatException("The checkpoint's network does not predict its own next input.");
        }

        return new ForecastEngine(model, position);
    }
}
