namespace Reservoir;

/// <summary>The activation function f of the reservoir units.</summary>
public enum Activation
{
    /// <summary>Hyperbolic tangent, the usual echo state network unit.</summary>
    Tanh,

    /// <summary>The identity, for linear reservoirs.</summary>
    Identity,

    /// <summary>The logistic sigmoid 1/(1 + e^(−z)), with outputs in (0, 1) (Triesch's and Schrauwen et al.'s Fermi units).</summary>
    Sigmoid,
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

    /// <summary>
    /// The delay line of Rodan and Tino (2011): unit i feeds unit i+1 with one weight equal to
    /// <see cref="ReservoirOptions.SpectralRadius"/>, and the last unit feeds none. W is nilpotent, so ρ(W) = 0 and
    /// SpectralRadius sets the weight, not ρ.
    /// </summary>
    DelayLine,

    /// <summary>
    /// The cycle reservoir with regular jumps of Rodan and Tino (2012): the simple cycle with weight
    /// r_c = <see cref="ReservoirOptions.SpectralRadius"/> plus bidirectional jumps of length ℓ =
    /// <see cref="ReservoirOptions.JumpLength"/> with weight r_j = <see cref="ReservoirOptions.JumpWeight"/>, between
    /// units 0 and ℓ, ℓ and 2ℓ, and so on while the target is below N. As in the paper SpectralRadius sets the cycle
    /// weight; W is not rescaled, and its ρ depends on r_c, r_j and ℓ (read it from the reservoir's SpectralRadius).
    /// </summary>
    CycleWithJumps,

    /// <summary>
    /// A random orthogonal W (Haar-distributed: the Q of the QR decomposition of a Gaussian matrix, each column's sign
    /// fixed by R's diagonal) times <see cref="ReservoirOptions.SpectralRadius"/>, so every eigenvalue has modulus ρ
    /// and ρ is exact. W is dense (N² weights).
    /// </summary>
    Orthogonal,

    /// <summary>
    /// A Watts–Strogatz small-world W: each unit receives from its <see cref="ReservoirOptions.SmallWorldNeighbours"/>
    /// nearest units on the ring (K/2 on each side), each of these connections is rewired with probability
    /// <see cref="ReservoirOptions.RewiringProbability"/> to a uniformly drawn unit that is neither the unit itself nor
    /// already one of its inputs (with K = N−1 there is none, and the ring stays), so W has exactly N·K weights; the weights are drawn from
    /// <see cref="ReservoirOptions.RecurrentWeightDistribution"/> and W is rescaled to the spectral radius.
    /// </summary>
    SmallWorld,
}

/// <summary>What each unit carries over from its previous state in the leaky update: x(t−1) itself, or the rotated state O·x(t−1).</summary>
/// <remarks>
/// The update is x(t) = (1−α)⊙C·x(t−1) + α⊙f(W·x(t−1) + W_in·u(t) + …), with C the carry matrix. With
/// <see cref="Identity"/> (C = I) it is the usual leaky echo state network; with <see cref="Orthogonal"/> (C = O, a random
/// orthogonal N×N matrix) it is the edge-of-stability echo state network (ES²N) of Ceni and Gallicchio (2024), whose β is
/// the leak rate α (<see cref="LeakRateDistribution.Constant(double)"/> gives the paper's model).
/// </remarks>
public enum StateCarry
{
    /// <summary>C = I: each unit keeps (1−α) of its own previous value (the leaky update; the default).</summary>
    Identity,

    /// <summary>
    /// C = O, a random orthogonal matrix (Haar-distributed: the Q of the QR decomposition of a Gaussian matrix, each
    /// column's sign fixed by R's diagonal) drawn from the seed's own sub-stream <see cref="SeedStreams.Carry"/>, so that no
    /// other option changes it. O is dense (N² weights): the edge-of-stability echo state network (ES²N).
    /// </summary>
    Orthogonal,
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
