namespace Reservoir;

/// <summary>A skip connection through time: a sparse random W_skip that feeds x(t−d) into the update of x(t).</summary>
/// <remarks>
/// With delay d the update adds W_skip·x(t−d) inside the activation (Lin et al. 1996). The reservoir
/// state keeps a ring buffer of the last max(d) states. States before the start of a run count as zero,
/// except x(t−1), which is the initial state.
/// </remarks>
public sealed record SkipConnection
{
    /// <summary>The delay d in steps, ≥ 1.</summary>
    public required int Delay { get; init; }

    /// <summary>The spectral radius to which W_skip is rescaled, &gt; 0; default 0.5.</summary>
    public double SpectralRadius { get; init; } = ReservoirDefaults.SkipSpectralRadius;

    /// <summary>The probability that a weight of W_skip is non-zero, in (0, 1]; default 0.1.</summary>
    public double Connectivity { get; init; } = ReservoirDefaults.SkipConnectivity;
}
