using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>The outcome of a rolling-origin backtest: the forecast and scores of each origin and their means.</summary>
/// <remarks>
/// Each overall score is the mean over the origins of the origin's score, so it is NaN when one origin's is (MAPE with
/// an actual value of 0, MASE with training values without a seasonal naive error). Every origin scores the same number
/// of values, so the overall sMAPE, MAPE, coverage and pinball loss are also the means over all scored values.
/// Equal results are equal records with equal hash codes.
/// </remarks>
public sealed record BacktestResult
{
    private readonly EquatableArray<BacktestOrigin> _origins = EquatableArray<BacktestOrigin>.Empty;

    /// <summary>The origins, earliest first.</summary>
    public required ImmutableArray<BacktestOrigin> Origins { get => _origins.Items; init => _origins = new(value); }

    /// <summary>The mean over the origins of <see cref="BacktestOrigin.Mase"/>.</summary>
    public required double Mase { get; init; }

    /// <summary>The mean over the origins of <see cref="BacktestOrigin.Smape"/>, in percent (0–200).</summary>
    public required double Smape { get; init; }

    /// <summary>The mean over the origins of <see cref="BacktestOrigin.Mape"/>, in percent; NaN when an actual value is 0.</summary>
    public required double Mape { get; init; }

    /// <summary>The mean over the origins of <see cref="BacktestOrigin.Coverage"/>: the fraction of all scored values inside their interval, to compare with the level.</summary>
    public required double Coverage { get; init; }

    /// <summary>The mean over the origins of <see cref="BacktestOrigin.PinballLoss"/>, in units of the series.</summary>
    public required double PinballLoss { get; init; }
}
