namespace Reservoir;

/// <summary>The activation function f of the reservoir units.</summary>
public enum Activation
{
    /// <summary>Hyperbolic tangent, the usual echo state network unit.</summary>
    Tanh,

    /// <summary>The identity, for linear reservoirs.</summary>
    Identity,
}

/// <summary>The distribution from which non-zero weights are drawn before scaling.</summary>
public enum WeightDistribution
{
    /// <summary>Standard normal N(0, 1).</summary>
    Normal,

    /// <summary>Uniform on [−1, 1].</summary>
    Uniform,

    /// <summary>−1 or +1 with probability one half each.</summary>
    Bernoulli,
}

/// <summary>The structure of the recurrent weight matrix W.</summary>
public enum ReservoirTopology
{
    /// <summary>Sparse random W with the requested connectivity or in-degree, rescaled to the spectral radius.</summary>
    RandomSparse,

    /// <summary>
    /// The simple cycle reservoir of Rodan and Tino (2011): unit i feeds unit i+1 (and the last feeds the
    /// first) with one weight equal to the spectral radius, so ρ(W) is exact.
    /// </summary>
    SimpleCycle,
}
