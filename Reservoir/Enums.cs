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

/// <summary>The floating-point precision of the reservoir step: of the weights and the state inside each recurrent update.</summary>
/// <remarks>
/// The precision is that of the step only. States handed to callers, the readout and every metric stay in double: a
/// <see cref="Single"/> state is widened to double after each step (exactly, every float being a double).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name",
    Justification = "The members name the IEEE formats by their .NET names (ML.NET's Single columns, Math.NET's Double/Single providers), which is what a caller looks for.")]
public enum Precision
{
    /// <summary>Weights, state and every sum of the step in double (the default).</summary>
    Double,

    /// <summary>
    /// Float copies of W, W_in, W_fb, W_skip, the bias and the leak rates; the state is rounded to float when a step
    /// reads it and the step computes in float: half the bytes per stored weight of W and per state value, for
    /// reservoirs whose W no longer fits in the cache.
    /// </summary>
    Single,
}
