namespace Reservoir.Pipelines;

/// <summary>The simple forecast that a <see cref="SeriesForecaster"/> combines with its ensemble, chosen by the validation.</summary>
public enum SeriesForecastBenchmark
{
    /// <summary>The value of the same phase in the last season (a series with a season).</summary>
    SeasonalNaive = 0,

    /// <summary>Holt's linear method with a damped trend (a series without a season).</summary>
    DampedTrend = 1,

    /// <summary>The last value (a series without a season).</summary>
    Naive = 2,

    /// <summary>The Theta method (Hyndman and Billah): exponential smoothing with half the linear trend's slope as drift, on the series deseasonalised when its season is significant.</summary>
    Theta = 3,

    /// <summary>A mixture s·Theta + (1 − s)·seasonal naive on the transformed scale, s being <see cref="SeriesForecastConfiguration.ThetaShare"/> (a series with a season).</summary>
    SeasonalNaiveAndTheta = 4,
}
