using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>The forecast from one origin of a backtest, the values that followed and its scores.</summary>
/// <remarks>Equal origins (every value, including a NaN score) are equal records with equal hash codes.</remarks>
public sealed record BacktestOrigin
{
    private readonly EquatableArray<double> _actual = EquatableArray<double>.Empty;

    /// <summary>The index in the series of the first forecast value; the forecaster was trained on the values before it.</summary>
    public required int Origin { get; init; }

    /// <summary>The H values of the series from <see cref="Origin"/> on, which the forecast is scored against.</summary>
    public required ImmutableArray<double> Actual { get => _actual.Items; init => _actual = new(value); }

    /// <summary>The forecast the forecaster returned for this origin.</summary>
    public required SeriesForecast Forecast { get; init; }

    /// <summary>The mean absolute scaled error of the point forecast, scaled by the training values before the origin (see <see cref="Readouts.Metrics.Mase"/>); NaN when those values have no seasonal naive error (constant, or exactly periodic with the period).</summary>
    public required double Mase { get; init; }

    /// <summary>The symmetric MAPE of the point forecast in percent, 0–200 (see <see cref="Readouts.Metrics.Smape"/>).</summary>
    public required double Smape { get; init; }

    /// <summary>The MAPE of the point forecast in percent (see <see cref="Readouts.Metrics.Mape"/>); NaN when an actual value is 0.</summary>
    public required double Mape { get; init; }

    /// <summary>The fraction of the actual values inside the prediction interval, in [0, 1].</summary>
    public required double Coverage { get; init; }

    /// <summary>The mean of the pinball losses of the lower bound at level (1 − Level)/2 and of the upper bound at (1 + Level)/2, in units of the series.</summary>
    public required double PinballLoss { get; init; }
}
