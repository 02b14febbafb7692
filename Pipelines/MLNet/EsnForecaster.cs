namespace Reservoir.Pipelines.MLNet;

/// <summary>Where a running forecaster stands: the reservoir state, the most recent observation and how many observations were fed.</summary>
/// <remarks>
/// For <see cref="EsnForecastMethod.Direct"/> the state has read every observation, the last one included. For
/// <see cref="EsnForecastMethod.ClosedLoop"/> it has read every observation before the last one, which is the first
/// input of the loop (as in <see cref="ForecastEngine"/>). Null <see cref="Observation"/> means nothing was read yet.
/// </remarks>
internal sealed record ForecastPosition(ReservoirState State, double[]? Observation, long UpdateCount)
{
    /// <summary>The position at the end of the network's training series.</summary>
    internal static ForecastPosition AfterTraining(EchoStateNetwork network, EsnForecastMethod method) =>
        new(network.CreateTrainedState(), (method == EsnForecastMethod.ClosedLoop ? network.LastTarget! : network.LastInput).ToArray(), 0);

    /// <summary>The zero state, before any observation.</summary>
    internal static ForecastPosition Start(EchoStateNetwork network) => new(network.Reservoir.CreateState(), null, 0);
}

/// <summary>A running forecaster over a fitted network: feed observations (target first, then exogenous values), forecast the target's next values.</summary>
/// <remarks>Not thread-safe: it owns one mutable state. Neither method allocates per update or forecast.</remarks>
internal sealed class EsnForecaster
{
    private readonly EchoStateNetwork _network;
    private readonly EsnForecastMethod _method;
    private readonly ReservoirState _state;
    private readonly double[] _observation;
    private readonly double[] _scaled;
    private readonly double[] _features;
    private readonly double[] _outputs;
    private readonly ReservoirState? _loopState;
    private double[] _loopOutputs = [];
    private readonly EchoStateNetwork.GenerationBuffers? _loopBuffers;
    private bool _hasObservation;

    internal EsnForecaster(EchoStateNetwork network, EsnForecastMethod method, ForecastPosition position)
    {
        _network = network;
        _method = method;
        _state = position.State.Clone();
        _observation = new double[network.InputDimension];
        if (position.Observation is { } observation)
        {
            observation.CopyTo(_observation, 0);
            _hasObservation = true;
        }

        UpdateCount = position.UpdateCount;
        _scaled = new double[network.InputDimension];
        _features = new double[network.Readout.FeatureCount];
        _outputs = new double[network.OutputDimension];
        if (method == EsnForecastMethod.ClosedLoop)
        {
            _loopState = network.Reservoir.CreateState();
            _loopBuffers = new EchoStateNetwork.GenerationBuffers(network);
        }
    }

    /// <summary>The number of observations fed since training ended (or since the zero state).</summary>
    internal long UpdateCount { get; private set; }

    /// <summary>The width D of one observation: the target and the exogenous values.</summary>
    internal int Width => _observation.Length;

    /// <summary>A copy of the current position, for a checkpoint.</summary>
    internal ForecastPosition Position => new(_state.Clone(), _hasObservation ? _observation.ToArray() : null, UpdateCount);

    /// <summary>Feeds the next observation (finite, checked by the caller).</summary>
    internal void Update(ReadOnlySpan<double> observation)
    {
        if (_method == EsnForecastMethod.Direct)
        {
            Step(observation);
        }
        else if (_hasObservation)
        {
            // The closed loop's state lags one observation: the last one is the first input of the loop.
            Step(_observation);
        }

        observation.CopyTo(_observation);
        _hasObservation = true;
        UpdateCount++;
    }

    /// <summary>Writes the forecast of the target's next <c>forecast.Length</c> values; the state is not changed.</summary>
    /// <exception cref="InvalidOperationException">No observation has been read, or the closed loop diverged.</exception>
    internal void Forecast(Span<double> forecast)
    {
        if (!_hasObservation)
        {
            throw new InvalidOperationException("No observation has been read yet; feed one before forecasting.");
        }

        var d = _observation.Length;
        if (_method == EsnForecastMethod.ClosedLoop)
        {
            // The loop runs on a scratch copy of the state, so forecasting never moves the forecaster.
            _loopState!.CopyFrom(_state);
            if (_loopOutputs.Length < forecast.Length * d)
            {
                _loopOutputs = new double[forecast.Length * d];
            }

            var outputs = _loopOutputs.AsSpan(0, forecast.Length * d);
            _network.GenerateInto(_loopState, _observation, outputs, _loopBuffers!);
            for (var h = 0; h < forecast.Length; h++)
            {
                forecast[h] = outputs[h * d];
            }

            return;
        }

        _observation.CopyTo(_scaled, 0);
        _network.InputScaler?.TransformInPlace(_scaled);
        _network.ReadOut(_state, _scaled, _features, _outputs);

        // The readout's H·D outputs are in the units its targets were fitted in: map them back if those were standardised.
        _network.TargetScaler?.InverseTransformInPlace(_outputs);
        for (var h = 0; h < forecast.Length; h++)
        {
            // Row h of the readout holds the H·D next values; the target is the first of each step's D values.
            forecast[h] = _outputs[h * d];
        }
    }

    private void Step(ReadOnlySpan<double> observation)
    {
        observation.CopyTo(_scaled);
        _network.InputScaler?.TransformInPlace(_scaled);
        _network.Reservoir.Step(_state, _scaled);
    }
}
