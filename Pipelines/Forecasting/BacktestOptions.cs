namespace Reservoir.Pipelines;

/// <summary>The settings of a rolling-origin backtest run by <see cref="Backtest"/>.</summary>
/// <remarks>
/// The origins are placed from the end of the series: the last one leaves exactly <see cref="Horizon"/> values after
/// it, and each earlier one is <see cref="Spacing"/> steps before the next. Checked by <see cref="Backtest.Run(ReadOnlySpan{double}, BacktestOptions, Func{double[], int, SeriesForecast})"/>.
/// </remarks>
public sealed record BacktestOptions
{
    /// <summary>H, the number of values forecast and scored at each origin, ≥ 1.</summary>
    public required int Horizon { get; init; }

    /// <summary>The number of forecast origins, ≥ 1; default 5.</summary>
    public int Origins { get; init; } = 5;

    /// <summary>The steps between consecutive origins, ≥ 1; null (the default) uses <see cref="Horizon"/>, so that the scored windows tile the end of the series without overlap.</summary>
    public int? Spacing { get; init; }

    /// <summary>The seasonal period m of the naive forecast that scales MASE, ≥ 1; default 1 (the random walk, as for a series without a season).</summary>
    public int SeasonalPeriod { get; init; } = 1;

    /// <summary>The nominal coverage of the prediction intervals, in (0, 1); default 0.95. The forecaster must return intervals of this level.</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>The most origins evaluated at once; −1 (the default) uses every core. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
