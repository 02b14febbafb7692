namespace Reservoir.Pipelines;

/// <summary>How far a series forecaster's fit has come, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Stage">What is being done: "validation" (scoring the candidates) or "ensemble" (fitting the final reservoirs).</param>
/// <param name="Completed">The number of fits of this stage done.</param>
/// <param name="Total">The number of fits of this stage.</param>
public sealed record SeriesForecasterProgress(string Stage, int Completed, int Total);
