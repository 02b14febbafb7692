using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>The hyperparameters of an <see cref="EchoStateNetwork"/>: the reservoir, the ridge readout and the washout.</summary>
public sealed record EchoStateNetworkOptions
{
    /// <summary>The reservoir's hyperparameters.</summary>
    public required ReservoirOptions Reservoir { get; init; }

    /// <summary>The ridge readout's hyperparameters; default λ = 1e-6 with an unregularised intercept.</summary>
    public RidgeReadoutOptions Readout { get; init; } = new();

    /// <summary>The number of initial states of each training sequence left out of the fit, ≥ 0; default 0.</summary>
    public int WashoutSteps { get; init; }

    /// <summary>Whether the readout sees the input u(t) beside the state x(t), features [1; u; x]; default true.</summary>
    public bool ReadoutIncludesInput { get; init; } = true;
}
