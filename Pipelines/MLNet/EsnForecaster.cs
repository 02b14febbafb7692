namespace Reservoir.Pipelines.MLNet;

/// <summary>The running side of an <see cref="EsnForecastingTransformer"/>: feed observations (target first, then exogenous values), forecast the target's next values with their bounds.</summary>
/// <remarks>Not thread-safe: a forecaster owns the states it moves. The transformer makes one per cursor, prediction engine and time-series engine.</remarks>
internal abstract class EsnForecaster
{
    /// <summary>The number of observations fed since the forecaster's starting point.</summary>
    internal abstract long UpdateCount { get; }

    /// <summary>Feeds the next observation (finite, checked by the caller).</summary>
    /// <exception cref="ArgumentException">The forecaster cannot take the value (a non-positive value under a log or Box–Cox transform); nothing changed.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite; nothing changed.</exception>
    internal abstract void Update(ReadOnlySpan<double> observation);

    /// <summary>Writes the forecast of the target's next <c>forecast.Length</c> values, and the bounds when <paramref name="lower"/> and <paramref name="upper"/> are not empty; the state is not changed.</summary>
    /// <exception cref="InvalidOperationException">No observation has been read, or the closed loop diverged.</exception>
    internal abstract void Forecast(Span<double> forecast, Span<double> lower, Span<double> upper);

    /// <summary>A transformer like <paramref name="owner"/> whose time-series engines start where this forecaster is now (a checkpoint).</summary>
    internal abstract EsnForecastingTransformer CheckPoint(EsnForecastingTransformer owner);

    /// <summary>One network, as <see cref="EchoStateNetwork.ForecastCursor"/> moves it, with bounds at fixed offsets per step.</summary>
    /// <remarks>Neither method allocates per update or forecast once a forecast of the largest horizon was made.</remarks>
    internal sealed class OneNetwork : EsnForecaster
    {
        private readonly EchoStateNetwork.ForecastCursor _cursor;
        private readonly double[]? _lowerOffsets;
        private readonly double[]? _upperOffsets;
        private readonly int _width;
        private double[] _steps = [];

        internal OneNetwork(EchoStateNetwork network, ForecastPosition position, double[]? lowerOffsets, double[]? upperOffsets)
        {
            _cursor = new EchoStateNetwork.ForecastCursor(network, position);
            _width = network.InputDimension;
            _lowerOffsets = lowerOffsets;
            _upperOffsets = upperOffsets;
        }

        internal override long UpdateCount => _cursor.UpdateCount;

        internal override void Update(ReadOnlySpan<double> observation) => _cursor.Update(observation);

        internal override void Forecast(Span<double> forecast, Span<double> lower, Span<double> upper)
        {
            var d = _width;
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
                if (!lower.IsEmpty)
                {
                    lower[h] = forecast[h] + _lowerOffsets![h];
                    upper[h] = forecast[h] + _upperOffsets![h];
                }
            }
        }

        internal override EsnForecastingTransformer CheckPoint(EsnForecastingTransformer owner) => owner.WithEnd(_cursor.Position);
    }

    /// <summary>The automatic forecaster's ensemble, as <see cref="SeriesForecastEngine"/> moves it, with the model's intervals.</summary>
    internal sealed class Automatic : EsnForecaster
    {
        private readonly SeriesForecastEngine _engine;
        private readonly double _level;

        internal Automatic(SeriesForecastEngine engine, double level)
        {
            _engine = engine;
            _level = level;
        }

        internal override long UpdateCount => _engine.UpdateCount;

        internal override void Update(ReadOnlySpan<double> observation) => _engine.Update(observation[0]);

        internal override void Forecast(Span<double> forecast, Span<double> lower, Span<double> upper)
        {
            var result = _engine.Forecast(forecast.Length, _level);
            result.Mean.AsSpan().CopyTo(forecast);
            if (!lower.IsEmpty)
            {
                result.Lower.AsSpan().CopyTo(lower);
                result.Upper.AsSpan().CopyTo(upper);
            }
        }

        internal override EsnForecastingTransformer CheckPoint(EsnForecastingTransformer owner) => owner.WithEnd(_engine.Clone());
    }
}
