namespace Reservoir.Pipelines.MLNet;

/// <summary>The ML.NET side of a forecast cursor: feed observations (target first, then exogenous values), forecast the target's next values.</summary>
/// <remarks>Not thread-safe: it owns one cursor. Neither method allocates per update or forecast once a forecast of the largest horizon was made.</remarks>
internal sealed class EsnForecaster
{
    private readonly EchoStateNetwork.ForecastCursor _cursor;
    private double[] _steps = [];

    internal EsnForecaster(EchoStateNetwork network, EsnForecastMethod method, ForecastPosition position)
    {
        System.Diagnostics.Debug.Assert(network.IsDirect == (method == EsnForecastMethod.Direct), "The method is the network's kind.");
        _cursor = new EchoStateNetwork.ForecastCursor(network, position);
        Width = network.InputDimension;
    }

    /// <summary>The number of observations fed since training ended (or since the zero state).</summary>
    internal long UpdateCount => _cursor.UpdateCount;

    /// <summary>The width D of one observation: the target and the exogenous values.</summary>
    internal int Width { get; }

    /// <summary>A copy of the current position, for a checkpoint.</summary>
    internal ForecastPosition Position => _cursor.Position;

    /// <summary>Feeds the next observation (finite, checked by the caller).</summary>
    internal void Update(ReadOnlySpan<double> observation) => _cursor.Update(observation);

    /// <summary>Writes the forecast of the target's next <c>forecast.Length</c> values; the state is not changed.</summary>
    /// <exception cref="InvalidOperationException">No observation has been read, or the closed loop diverged.</exception>
    internal void Forecast(Span<double> forecast)
    {
        var d = Width;
        if (_steps.Length < forecast.Length * d)
        {
            _steps = new double[forecast.Length * d];
        }

        var steps = _steps.AsSpan(0, forecast.Length * d);
        _cursor.Predict(steps);
        for (var h = 0; h < forecast.Length; h++)
        {
            // Row h holds the D values of step h + 1; the target is the first.
            forecast[h] = steps[h * d];
        }
    }
}
