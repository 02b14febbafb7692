using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>What a <see cref="SeriesForecaster"/> chose for a series: its preprocessing, its reservoir and the validation behind the choice.</summary>
public sealed record SeriesForecastConfiguration
{
    private readonly EquatableArray<SeriesForecastCandidate> _candidates = EquatableArray<SeriesForecastCandidate>.Empty;

    /// <summary>The seasonal period m in steps (1: no season), given or detected.</summary>
    public required int SeasonalPeriod { get; init; }

    /// <summary>The number of missing values that were filled.</summary>
    public required int FilledValues { get; init; }

    /// <summary>The Box–Cox λ applied before modelling: 1 is no transform, 0 the logarithm.</summary>
    public required double BoxCoxLambda { get; init; }

    /// <summary>The number of first differences of the best candidate, 0 to 2.</summary>
    public required int Differences { get; init; }

    /// <summary>The number of seasonal differences of the best candidate, 0 or 1.</summary>
    public required int SeasonalDifferences { get; init; }

    /// <summary>The forecast method of the best candidate.</summary>
    public required SeriesForecastMethod Method { get; init; }

    /// <summary>The number of reservoir units.</summary>
    public required int UnitCount { get; init; }

    /// <summary>The number of initial states left out of each fit.</summary>
    public required int WashoutSteps { get; init; }

    /// <summary>The longest time constant of the best candidate's units, in steps; time constants are drawn log-uniformly from 1 to it.</summary>
    public required double MaxTimeConstant { get; init; }

    /// <summary>The number of reservoirs averaged; they refit the three best candidates (by validation MASE) in turn.</summary>
    public required int EnsembleSize { get; init; }

    /// <summary>The weight w in [0, 1] of the benchmark in the forecast (1 − w)·ensemble + w·benchmark (on the transformed scale), chosen by the validation; 0 is the reservoirs alone. The benchmark is <see cref="Benchmark"/>.</summary>
    public double BenchmarkWeight { get; init; }

    /// <summary>The benchmark of the forecast, chosen by the validation with its weight: seasonal naive, Theta or a mixture of the two with a season; the damped trend, naive or Theta without one. With a weight of 0 it is not used.</summary>
    public SeriesForecastBenchmark Benchmark { get; init; }

    /// <summary>The Theta method's parameters, fitted on the whole series, when the benchmark uses it with a weight above 0; null otherwise.</summary>
    internal ThetaMethod? Theta { get; init; }

    /// <summary>The share s in (0, 1) of the Theta forecast in the benchmark s·Theta + (1 − s)·seasonal naive when <see cref="Benchmark"/> is <see cref="SeriesForecastBenchmark.SeasonalNaiveAndTheta"/>; 0 otherwise.</summary>
    public double ThetaShare { get; init; }

    /// <summary>The damped-trend benchmark of a series without a season when its weight is above 0, fitted on the whole series; null otherwise.</summary>
    internal DampedTrend? Trend { get; init; }

    /// <summary>The number of validation forecast errors (origin and step, over the combined candidates) that size the intervals.</summary>
    public required int ValidationForecasts { get; init; }

    /// <summary>Every candidate scored in the validation, in the order tried; the chosen one has the lowest MASE (the first on a tie).</summary>
    public required ImmutableArray<SeriesForecastCandidate> Candidates { get => _candidates.Items; init => _candidates = new(value); }
}

/// <summary>One configuration scored by a <see cref="SeriesForecaster"/>'s validation.</summary>
/// <param name="SeasonalDifferences">The number of seasonal differences, 0 or 1.</param>
/// <param name="Differences">The number of first differences (by the KPSS test unless given).</param>
/// <param name="Method">The forecast method.</param>
/// <param name="MaxTimeConstant">The longest time constant of the units, in steps.</param>
/// <param name="ValidationMase">The MASE of its forecasts over the validation origins (scaled by the in-sample seasonal naive error).</param>
public sealed record SeriesForecastCandidate(int SeasonalDifferences, int Differences, SeriesForecastMethod Method, double MaxTimeConstant,
    double ValidationMase);
