namespace Reservoir.Pipelines;

public sealed partial class EchoStateNetwork
{
    /// <summary>The online forecasting state machine under <see cref="ForecastEngine"/> and the ML.NET time-series engine: feed observations one at a time, forecast any time, allocating nothing per update or forecast.</summary>
    /// <remarks>
    /// <para>
    /// A direct forecaster's state has read every observation, the last one included; its forecast is the readout's H·D
    /// outputs. A one-step network's state has read every observation before the last one, which is the first input of
    /// the closed loop; with output feedback, the fed-back output is each observation (standardised like the targets),
    /// as in teacher-forced training. A forecast runs on a scratch copy of the state, so it never moves the cursor.
    /// </para>
    /// <para>Not thread-safe: a cursor owns one mutable state.</para>
    /// </remarks>
    internal sealed class ForecastCursor
    {
        private readonly EchoStateNetwork _model;
        private readonly ComposedReservoirState _state;
        private readonly ComposedReservoirState _loopState;
        private readonly double[] _observation;
        private readonly double[] _scaledInput;
        private readonly double[] _scaledFeedback;
        private readonly Scratch _scratch;
        private bool _hasObservation;

        /// <summary>Starts a cursor at <paramref name="position"/>, which is copied.</summary>
        internal ForecastCursor(EchoStateNetwork model, ForecastPosition position)
        {
            _model = model;
            _state = position.State.Clone();
            _loopState = model.Composition.CreateState();
            _observation = new double[model.InputDimension];
            if (position.Observation is { } observation)
            {
                observation.CopyTo(_observation, 0);
                _hasObservation = true;
            }

            UpdateCount = position.UpdateCount;
            _scaledInput = new double[model.InputDimension];
            _scaledFeedback = new double[model.Composition.FeedbackDimension];
            _scratch = new Scratch(model);
        }

        /// <summary>The number of observations fed since the position the cursor started from was at zero.</summary>
        internal long UpdateCount { get; private set; }

        /// <summary>The most recent observation (zeros before the first).</summary>
        internal ReadOnlySpan<double> LastObservation => _observation;

        /// <summary>A copy of the current position, for a checkpoint.</summary>
        internal ForecastPosition Position => new(_state.Clone(), _hasObservation ? _observation.ToArray() : null, UpdateCount);

        /// <summary>Feeds the next observation, length D and finite (checked by the caller); on an exception the cursor is unchanged.</summary>
        /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
        internal void Update(ReadOnlySpan<double> observation)
        {
            if (_model.IsDirect)
            {
                StepWith(observation);
            }
            else
            {
                // The state has read everything before the previous observation: read it now. In training, the output fed
                // back at each step is the value being read, and after the step it is the value that will be read next.
                if (_hasObservation)
                {
                    StepWith(_observation);
                }

                if (_model.Composition.FeedbackDimension > 0)
                {
                    observation.CopyTo(_scaledFeedback);
                    _model.TargetScaler?.TransformInPlace(_scaledFeedback);
                    _state.SetFeedback(_scaledFeedback);
                }
            }

            observation.CopyTo(_observation);
            _hasObservation = true;
            UpdateCount++;
        }

        /// <summary>Writes the forecast of the next H = destination.Length / D values (H×D, row-major); H ≤ the model's horizon for a direct forecaster (checked by the caller).</summary>
        /// <exception cref="InvalidOperationException">No observation has been read, or the closed loop diverged.</exception>
        internal void Predict(Span<double> destination)
        {
            if (!_hasObservation)
            {
                throw new InvalidOperationException("No observation has been read yet; feed one before forecasting.");
            }

            if (_model.IsDirect)
            {
                _model.DirectInto(_state, _observation, destination, _scratch);
                return;
            }

            _loopState.CopyFrom(_state);
            _model.LoopInto(_loopState, _observation, destination, _scratch);
        }

        private void StepWith(ReadOnlySpan<double> observation)
        {
            observation.CopyTo(_scaledInput);
            _model.InputScaler?.TransformInPlace(_scaledInput);
            // One reservoir leaves its state at the previous step when it diverges; a composition of several has stepped the
            // layers below the one that diverged, so it steps a copy, which becomes the state only when every layer succeeded.
            var layered = _model.Composition.Layers.Length > 1;
            var target = _state;
            if (layered)
            {
                _loopState.CopyFrom(_state);
                target = _loopState;
            }

            if (_model.Composition.FeedbackDimension > 0)
            {
                observation.CopyTo(_scaledFeedback);
                _model.TargetScaler?.TransformInPlace(_scaledFeedback);
                _model.Composition.Step(target, _scaledInput, _scaledFeedback);
            }
            else
            {
                _model.Composition.Step(target, _scaledInput);
            }

            if (layered)
            {
                _state.CopyFrom(_loopState);
            }
        }
    }
}

/// <summary>Where a forecast cursor stands: the reservoir state, the most recent observation and how many observations were fed; the one checkpoint format of both forecasting engines.</summary>
/// <remarks>
/// For a direct forecaster the state has read every observation, the last one included; for a one-step network it has
/// read every observation before the last one. Null <see cref="Observation"/> means nothing was read yet.
/// </remarks>
internal sealed record ForecastPosition(ComposedReservoirState State, double[]? Observation, long UpdateCount)
{
    /// <summary>The position at the end of the network's training series.</summary>
    internal static ForecastPosition AfterTraining(EchoStateNetwork network) =>
        new(network.CreateTrainedComposedState(), (network.LastTarget ?? network.LastInput).ToArray(), 0);

    /// <summary>The zero state, before any observation.</summary>
    internal static ForecastPosition Start(EchoStateNetwork network) => new(network.Composition.CreateState(), null, 0);

    /// <summary>Reads a position written by <see cref="Write"/> for <paramref name="network"/>.</summary>
    /// <exception cref="ModelFormatException">The data is truncated, corrupted or does not fit the network.</exception>
    internal static ForecastPosition Read(ModelReader reader, EchoStateNetwork network)
    {
        var state = reader.ReadNetworkState(network.Composition);
        var observation = reader.ReadBoolean("whether an observation was read")
            ? reader.ReadFiniteDoubles("the last observation", network.InputDimension)
            : null;
        return new ForecastPosition(state, observation, ReadUpdateCount(reader));
    }

    /// <summary>Reads the update count that ends a position, which must not be negative.</summary>
    /// <exception cref="ModelFormatException">The count is missing or negative.</exception>
    internal static long ReadUpdateCount(ModelReader reader)
    {
        var countOffset = reader.Offset;
        var count = reader.ReadInt64("the update count");
        if (count < 0)
        {
            throw new ModelFormatException($"Invalid update count at offset {countOffset}: {count} is negative.");
        }

        return count;
    }

    /// <summary>Writes the state, whether an observation was read (and it), and the update count.</summary>
    internal void Write(ModelWriter writer)
    {
        writer.WriteNetworkState(State);
        writer.WriteBoolean(Observation is not null);
        if (Observation is { } observation)
        {
            writer.WriteDoubles(observation);
        }

        writer.WriteInt64(UpdateCount);
    }
}
