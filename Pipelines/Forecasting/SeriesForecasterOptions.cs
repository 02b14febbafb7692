namespace Reservoir.Pipelines;

/// <summary>The settings of <see cref="SeriesForecaster"/>; every one has a default that suits an ordinary business or science series.</summary>
/// <remarks>
/// A null setting is chosen from the training series (and reported in <see cref="SeriesForecastModel.Configuration"/>):
/// the seasonal period from the autocorrelation, the first difference by a KPSS test, the seasonal difference, the
/// forecast method and the range of the units' time constants by rolling-origin validation on the end of the series,
/// and the unit count and washout from the series' length.
/// </remarks>
public sealed record SeriesForecasterOptions
{
    /// <summary>The seasonal period m in steps (12 for monthly data with a yearly season), ≥ 1; 1 means no season; null (the default) detects it from the autocorrelation of the series.</summary>
    public int? SeasonalPeriod { get; init; }

    /// <summary>What to do with missing values (NaN); default <see cref="MissingValuePolicy.Interpolate"/>.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Interpolate;

    /// <summary>The variance-stabilising transform; default <see cref="SeriesTransform.Auto"/>.</summary>
    public SeriesTransform Transform { get; init; } = SeriesTransform.Auto;

    /// <summary>The Box–Cox λ used when <see cref="Transform"/> is <see cref="SeriesTransform.BoxCox"/>, in [−1, 2]; default 0.5.</summary>
    public double BoxCoxLambda { get; init; } = 0.5;

    /// <summary>The number of first differences, 0 or 1; null (the default) takes one when a KPSS test rejects level stationarity at 5 %.</summary>
    public int? Differences { get; init; }

    /// <summary>The number of seasonal differences, 0 or 1 (only with a seasonal period above 1); null (the default) chooses by validation.</summary>
    public int? SeasonalDifferences { get; init; }

    /// <summary>The forecast method; null (the default) chooses by validation.</summary>
    public SeriesForecastMethod? Method { get; init; }

    /// <summary>The number of reservoir units, ≥ 1; null (the default) scales it with the series' length (from 20 to 200).</summary>
    public int? UnitCount { get; init; }

    /// <summary>The number of initial states left out of each fit, ≥ 0; null (the default) scales it with the series' length.</summary>
    public int? WashoutSteps { get; init; }

    /// <summary>The number of reservoirs of different seeds whose forecasts are averaged, ≥ 1; default 9. They refit the three best candidates of the validation in turn (three seeds each by default).</summary>
    public int EnsembleSize { get; init; } = 9;

    /// <summary>The seed of the first reservoir; reservoir k of the ensemble uses Seed + k.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The most fits run at once; −1 (default) uses every core. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
