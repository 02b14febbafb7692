using Reservoir.Nvar;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>The hyperparameters of an <see cref="NvarNetwork"/>: the NVAR features and the ridge readout.</summary>
public sealed record NvarNetworkOptions
{
    /// <summary>The NVAR feature map's hyperparameters.</summary>
    public required NvarOptions Features { get; init; }

    /// <summary>The ridge readout's hyperparameters; default λ = 1e-6 with an unregularised intercept.</summary>
    public RidgeReadoutOptions Readout { get; init; } = new();
}
