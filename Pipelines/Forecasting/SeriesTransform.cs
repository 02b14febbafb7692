namespace Reservoir.Pipelines;

/// <summary>The variance-stabilising transform applied to a series before it is modelled, and undone on the forecasts.</summary>
public enum SeriesTransform
{
    /// <summary>Chosen from the training series: for a positive series, the Box–Cox λ among 0 (log), 0.5 and 1 (none) that makes the spread of each season least dependent on its level (Guerrero's method); otherwise none.</summary>
    Auto,

    /// <summary>The series as it is.</summary>
    None,

    /// <summary>The natural logarithm (Box–Cox λ = 0), for a positive series whose seasonal swings grow with its level.</summary>
    Log,

    /// <summary>The Box–Cox transform (y^λ − 1)/λ with <see cref="SeriesForecasterOptions.BoxCoxLambda"/>, for a positive series.</summary>
    BoxCox,
}
