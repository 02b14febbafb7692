using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>A point forecast of the next values of a series with its prediction interval.</summary>
/// <remarks>Equal forecasts (every value and the level) are equal records with equal hash codes.</remarks>
public sealed record SeriesForecast
{
    private readonly EquatableArray<double> _mean = EquatableArray<double>.Empty;
    private readonly EquatableArray<double> _lower = EquatableArray<double>.Empty;
    private readonly EquatableArray<double> _upper = EquatableArray<double>.Empty;

    /// <summary>The point forecasts in the series' own units, one per step ahead (step h + 1 at index h).</summary>
    public required ImmutableArray<double> Mean { get => _mean.Items; init => _mean = new(value); }

    /// <summary>The lower bounds of the prediction interval, one per step ahead.</summary>
    public required ImmutableArray<double> Lower { get => _lower.Items; init => _lower = new(value); }

    /// <summary>The upper bounds of the prediction interval, one per step ahead.</summary>
    public required ImmutableArray<double> Upper { get => _upper.Items; init => _upper = new(value); }

    /// <summary>The nominal coverage of the interval, in (0, 1).</summary>
    public required double Level { get; init; }

    /// <summary>The number of steps forecast.</summary>
    public int Horizon => Mean.Length;
}
