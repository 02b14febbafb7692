namespace Reservoir.Pipelines;

/// <summary>What a forecaster does with missing values (NaN) in the series it is given.</summary>
public enum MissingValuePolicy
{
    /// <summary>Fill each gap by linear interpolation between its neighbours (a gap at either end takes the nearest observed value); the count of filled values is reported.</summary>
    Interpolate,

    /// <summary>Refuse a series with a missing value, naming its position.</summary>
    Error,
}
