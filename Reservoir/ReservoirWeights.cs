using System.Collections.Immutable;

namespace Reservoir;

/// <summary>Explicit weights for a reservoir built by <see cref="EchoStateReservoir.FromWeights(ReservoirWeights)"/>, for example a model trained elsewhere.</summary>
/// <remarks>
/// <para>
/// Nothing is rescaled: the reservoir uses these values as given, so a ReservoirPy model (W, Win, bias, lr)
/// is reproduced exactly. ReservoirPy stores its bias as the first column of Win when input_bias is on:
/// pass that column as <see cref="Bias"/> and the rest as <see cref="Input"/>. Dense matrices enter through
/// <see cref="SparseWeights.FromDense(double[,])"/>.
/// </para>
/// <para>
/// The record is immutable, deeply: matrices are <see cref="SparseWeights"/> and vectors and lists are
/// <see cref="ImmutableArray{T}"/>s, which compare by their elements (the matrices compare by reference).
/// <see cref="Bias"/> is <see langword="null"/> when not set; a <c>default</c> (uninitialised)
/// <see cref="ImmutableArray{T}"/> is refused by <see cref="EchoStateReservoir.FromWeights(ReservoirWeights)"/>
/// with the member's name. The reservoir keeps its own copy of every array.
/// </para>
/// </remarks>
public sealed record ReservoirWeights
{
    private readonly EquatableArray<double> _leakRates;
    private readonly EquatableArray<double>? _bias;
    private readonly EquatableArray<DelayedWeights> _skip = EquatableArray<DelayedWeights>.Empty;

    /// <summary>The recurrent weights W, N×N; row i holds the inputs of unit i.</summary>
    /// <remarks>
    /// Any finite W can be given here, of any structure (a topology that <see cref="ReservoirTopology"/> does not list,
    /// or one of its members with weights of the caller's choice); it is used as given, without rescaling.
    /// </remarks>
    public required SparseWeights Recurrent { get; init; }

    /// <summary>The input weights W_in, N×D with D ≥ 1.</summary>
    public required SparseWeights Input { get; init; }

    /// <summary>The leak rate of each unit, length N, each in (0, 1].</summary>
    public required ImmutableArray<double> LeakRates
    {
        get => _leakRates.Items;
        init => _leakRates = new(value);
    }

    /// <summary>The bias b, length N, each finite; null (the default) for none.</summary>
    public ImmutableArray<double>? Bias
    {
        get => _bias?.Items;
        init => _bias = value is { } items ? new(items) : null;
    }

    /// <summary>The feedback weights W_fb, N×F; null for no feedback.</summary>
    public SparseWeights? Feedback { get; init; }

    /// <summary>Skip connections through time, each an N×N matrix with its delay; default empty (none).</summary>
    public ImmutableArray<DelayedWeights> Skip
    {
        get => _skip.Items;
        init => _skip = new(value);
    }

    /// <summary>The carry matrix C of the update x[t] = (1−α)⊙C·x[t−1] + α⊙f(…), N×N; null (the default) for the identity, the leaky update.</summary>
    /// <remarks>
    /// A random orthogonal C is the edge-of-stability echo state network (<see cref="StateCarry.Orthogonal"/>); any finite
    /// N×N matrix is used as given. It cannot be combined with <see cref="Clockwork"/>.
    /// </remarks>
    public SparseWeights? Carry { get; init; }

    /// <summary>Clockwork update periods (the weights are used as given); null updates every unit every step.</summary>
    public ClockworkOptions? Clockwork { get; init; }

    /// <summary>The activation function f; default tanh.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>The amplitude of the uniform state noise, ≥ 0; default 0.</summary>
    public double StateNoise { get; init; }

    /// <summary>The seed of the noise stream (only used when <see cref="StateNoise"/> &gt; 0).</summary>
    public int Seed { get; init; }

    /// <summary>The precision of the reservoir step; default <see cref="Precision.Double"/> (see <see cref="ReservoirOptions.Precision"/>).</summary>
    public Precision Precision { get; init; } = Precision.Double;
}

/// <summary>A skip-connection matrix W_skip with its delay d in steps.</summary>
/// <param name="Delay">The delay d, ≥ 1.</param>
/// <param name="Weights">The N×N matrix applied to x(t−d).</param>
public sealed record DelayedWeights(int Delay, SparseWeights Weights);
