using System.Collections.Immutable;

namespace Reservoir;

/// <summary>The hyperparameters of an <see cref="EchoStateReservoir"/>; validated by its constructor.</summary>
/// <remarks>
/// The reservoir update is
/// x[t] = (1−α)⊙C·x[t−1] + α⊙f(W·x[t−1] + W_in·u[t] + b + W_fb·y[t−1] + Σ_d W_skip,d·x[t−d]) + noise,
/// with α per unit drawn from <see cref="LeakRates"/> and C the carry matrix of <see cref="StateCarry"/> (the identity
/// by default, which gives the leaky update x[t] = (1−α)⊙x[t−1] + α⊙f(…); a random orthogonal O for the
/// edge-of-stability echo state network). Every random draw comes from <see cref="Seed"/>
/// through its own sub-stream (W, W_in, b, W_fb, α, W_skip, O, noise), so changing one option does not change
/// the other matrices: changing <see cref="InputScaling"/> never changes W.
/// <para>
/// The record is immutable, deeply: its collections are <see cref="ImmutableArray{T}"/>s (write them as collection
/// expressions, <c>SkipConnections = [new SkipConnection { Delay = 10 }]</c>), and two options with equal elements
/// are equal and have equal hash codes. An optional collection is <see langword="null"/> when it is not set; a
/// <c>default</c> (uninitialised) <see cref="ImmutableArray{T}"/> is never a valid value and is refused, with the
/// member's name, by the consumer. <see cref="EchoStateReservoir"/> keeps its own copy of every collection.
/// </para>
/// </remarks>
public sealed record ReservoirOptions
{
    private readonly EquatableArray<double>? _inputScalingPerInput;
    private readonly EquatableArray<SkipConnection> _skipConnections = EquatableArray<SkipConnection>.Empty;

    /// <summary>The number of units N, ≥ 1, and small enough that the reservoir fits in <see cref="ReservoirLimits.MemoryBudgetBytes"/> (by its estimate, about 4.2 million units with a fixed in-degree of 10 and about 34 000 with the default connectivity 0.1; see <see cref="ReservoirLimits"/>).</summary>
    public required int UnitCount { get; init; }

    /// <summary>The seed of every random draw; the same seed gives bit-identical weights and states in one process.</summary>
    public required int Seed { get; init; }

    /// <summary>The input dimension D, ≥ 1; default 1.</summary>
    public int InputDimension { get; init; } = ReservoirDefaults.InputDimension;

    /// <summary>The spectral radius ρ(W) to which the recurrent weights are rescaled, &gt; 0; default 0.9.</summary>
    /// <remarks>
    /// For <see cref="ReservoirTopology.SimpleCycle"/> and <see cref="ReservoirTopology.Orthogonal"/> ρ is exact by
    /// construction; for <see cref="ReservoirTopology.DelayLine"/> (ρ = 0) it is the weight of the line, and for
    /// <see cref="ReservoirTopology.CycleWithJumps"/> the cycle weight r_c.
    /// </remarks>
    public double SpectralRadius { get; init; } = ReservoirDefaults.SpectralRadius;

    /// <summary>The distribution of the per-unit leak rates α, each in (0, 1]; default the constant 1 (no leak).</summary>
    public LeakRateDistribution LeakRates { get; init; } = LeakRateDistribution.Constant(ReservoirDefaults.LeakRate);

    /// <summary>The scaling of every column of W_in, &gt; 0; default 1. Ignored for inputs listed in <see cref="InputScalingPerInput"/>.</summary>
    public double InputScaling { get; init; } = ReservoirDefaults.InputScaling;

    /// <summary>Per-input scalings of the columns of W_in (length <see cref="InputDimension"/>, each &gt; 0); null (the default) uses <see cref="InputScaling"/> for all.</summary>
    public ImmutableArray<double>? InputScalingPerInput
    {
        get => _inputScalingPerInput?.Items;
        init => _inputScalingPerInput = value is { } items ? new(items) : null;
    }

    /// <summary>The probability that an input weight (and a bias entry) is non-zero, in (0, 1]; default 0.1.</summary>
    public double InputConnectivity { get; init; } = ReservoirDefaults.InputConnectivity;

    /// <summary>The probability that a recurrent weight is non-zero, in (0, 1]; default 0.1. Ignored when <see cref="RecurrentInDegree"/> is set.</summary>
    public double RecurrentConnectivity { get; init; } = ReservoirDefaults.RecurrentConnectivity;

    /// <summary>A fixed number of incoming recurrent connections per unit, in [1, N]; null uses <see cref="RecurrentConnectivity"/>.</summary>
    public int? RecurrentInDegree { get; init; }

    /// <summary>The scaling of the bias b, ≥ 0; 0 turns the bias off; default 1.</summary>
    public double BiasScaling { get; init; } = ReservoirDefaults.BiasScaling;

    /// <summary>The activation function f; default <see cref="Activation.Tanh"/>.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>The distribution of the non-zero recurrent (and skip) weights before rescaling; default normal.</summary>
    public WeightDistribution RecurrentWeightDistribution { get; init; } = WeightDistribution.Normal;

    /// <summary>The distribution of the non-zero input, bias and feedback weights before scaling; default Bernoulli ±1.</summary>
    public WeightDistribution InputWeightDistribution { get; init; } = WeightDistribution.Bernoulli;

    /// <summary>The amplitude a of the state noise, uniform in [−a, a] and added to each updated unit after the leaky update, ≥ 0; default 0.</summary>
    public double StateNoise { get; init; } = ReservoirDefaults.StateNoise;

    /// <summary>The dimension of the output y fed back through W_fb, ≥ 0; 0 (the default) turns feedback off.</summary>
    public int FeedbackDimension { get; init; } = ReservoirDefaults.FeedbackDimension;

    /// <summary>The scaling of the feedback weights W_fb, &gt; 0; default 1.</summary>
    public double FeedbackScaling { get; init; } = ReservoirDefaults.FeedbackScaling;

    /// <summary>The probability that a feedback weight is non-zero, in (0, 1]; default 1.</summary>
    public double FeedbackConnectivity { get; init; } = ReservoirDefaults.FeedbackConnectivity;

    /// <summary>Skip connections through time, each with its own delay and W_skip; default empty (none).</summary>
    public ImmutableArray<SkipConnection> SkipConnections
    {
        get => _skipConnections.Items;
        init => _skipConnections = new(value);
    }

    /// <summary>Clockwork modules with their own update periods; null (the default) updates every unit every step.</summary>
    public ClockworkOptions? Clockwork { get; init; }

    /// <summary>The structure of W; default <see cref="ReservoirTopology.RandomSparse"/>.</summary>
    /// <remarks>
    /// <see cref="RecurrentConnectivity"/> and <see cref="RecurrentInDegree"/> shape only
    /// <see cref="ReservoirTopology.RandomSparse"/> (and are ignored by <see cref="ReservoirTopology.SimpleCycle"/>); the
    /// delay line, the cycle with jumps, the orthogonal and the small-world W fix their own structure and refuse a
    /// connectivity other than the default or an in-degree. None of them combines with <see cref="Clockwork"/>. Any other
    /// W can be given as it is through <see cref="ReservoirWeights"/> and <see cref="EchoStateReservoir.FromWeights(ReservoirWeights)"/>.
    /// </remarks>
    public ReservoirTopology Topology { get; init; } = ReservoirTopology.RandomSparse;

    /// <summary>The jump length ℓ of <see cref="ReservoirTopology.CycleWithJumps"/>, ≥ 2 and at most UnitCount / 2 for that topology; default 3; ignored by the others.</summary>
    public int JumpLength { get; init; } = ReservoirDefaults.JumpLength;

    /// <summary>The jump weight r_j of <see cref="ReservoirTopology.CycleWithJumps"/>, finite and &gt; 0; default 0.1; ignored by the other topologies.</summary>
    /// <remarks>The cycle weight r_c is <see cref="SpectralRadius"/>, as in Rodan and Tino (2012); W is not rescaled.</remarks>
    public double JumpWeight { get; init; } = ReservoirDefaults.JumpWeight;

    /// <summary>The number K of nearest ring units each unit receives from in <see cref="ReservoirTopology.SmallWorld"/>, even, ≥ 2 and &lt; UnitCount for that topology; default 4; ignored by the others.</summary>
    public int SmallWorldNeighbours { get; init; } = ReservoirDefaults.SmallWorldNeighbours;

    /// <summary>The probability that a ring connection of <see cref="ReservoirTopology.SmallWorld"/> is rewired, in [0, 1]; default 0.1; ignored by the other topologies.</summary>
    public double RewiringProbability { get; init; } = ReservoirDefaults.RewiringProbability;

    /// <summary>What each unit carries over from its previous state: x itself (<see cref="StateCarry.Identity"/>, the default) or the rotated state O·x (<see cref="StateCarry.Orthogonal"/>, the ES²N).</summary>
    /// <remarks>
    /// <para>
    /// With <see cref="StateCarry.Orthogonal"/> the update is the edge-of-stability echo state network (ES²N) of Ceni and
    /// Gallicchio (2024), x[t] = (1−β)⊙O·x[t−1] + β⊙f(W·x[t−1] + W_in·u[t] + b + …), with β the per-unit leak rate of
    /// <see cref="LeakRates"/> (<c>LeakRates = LeakRateDistribution.Constant(β)</c> is the paper's model; β = 1 is the plain
    /// echo state network, O unused) and O a random orthogonal N×N matrix drawn from its own seed sub-stream
    /// (<see cref="SeedStreams.Carry"/>): changing any other option never changes O. The update's Jacobian is
    /// (1−β)O + β·diag(f′)·W; (1−β)O is normal with every eigenvalue of modulus 1 − β, so (Bauer–Fike) every eigenvalue of
    /// the Jacobian lies within β·‖W‖₂ of the circle of radius 1 − β. Small β puts the reservoir at the edge of stability,
    /// with long memory; larger β gives more non-linearity.
    /// </para>
    /// <para>
    /// O is dense: it adds N² weights to the memory estimate and about 2N² flops to each step, and is computed by one QR
    /// decomposition of an N×N matrix when the reservoir is built. It combines with every other option except
    /// <see cref="Clockwork"/> (O mixes all units, so a module could not hold its state); the constructor refuses that
    /// combination.
    /// </para>
    /// </remarks>
    public StateCarry StateCarry { get; init; } = StateCarry.Identity;

    /// <summary>The precision of the reservoir step; default <see cref="Precision.Double"/>.</summary>
    /// <remarks>
    /// <para>
    /// With <see cref="Precision.Single"/> the reservoir keeps float copies of W, W_in, W_fb, every W_skip, the bias and
    /// the leak rates (drawn in double from the same seed, then rounded), and each step reads the state rounded to float,
    /// computes the pre-activation, the activation and the leaky update in float, and hands the new state out widened to
    /// double; the noise is added in double afterwards. States, the readout and metrics stay double. A run is
    /// deterministic: the same seed gives bit-identical states in one process, and a run of many sequences equals running
    /// them one by one.
    /// </para>
    /// <para>
    /// Tolerance: each step rounds to float (relative error at most 6e-8 per operation), and a contracting reservoir does
    /// not amplify these errors: over 1000 steps of contracting tanh reservoirs (effective spectral radius up to 0.97) the
    /// states stay within 1e-5 of the double ones (the tests' bound; about 5e-7 measured), and a readout fitted on them
    /// forecasts Mackey–Glass with the same NRMSE to 1 %. A reservoir at the edge of stability (effective spectral radius
    /// near or above 1) amplifies the rounding and its states may drift apart from the double ones; use Double there.
    /// </para>
    /// <para>
    /// When it pays: at large N with a sparse W (for example N = 10⁴ to 10⁵ with a fixed in-degree), where a step streams
    /// W from memory rather than from the cache, float weights halve those bytes (docs/BENCHMARKS.md gives the measured
    /// speed). At small N the step is not bound by memory and Single gains little. A run of many sequences steps them as
    /// blocks in Single too, each block's columns in float vectors of 16 (and a last one of 8).
    /// </para>
    /// </remarks>
    public Precision Precision { get; init; } = Precision.Double;

    /// <summary>Checks that these options build a reservoir, without building it.</summary>
    /// <remarks>The same checks <see cref="EchoStateReservoir"/>'s constructor makes, so a caller can refuse bad options early.</remarks>
    /// <exception cref="ArgumentException">An option is invalid; the exception's parameter name is the property's name and the message gives its value.</exception>
    public void Validate() => ReservoirBuilder.Validate(this);

    /// <summary>These options with every collection copied, so that they share no storage with the caller's.</summary>
    /// <remarks>A default (uninitialised) array stays default, for the validation to refuse.</remarks>
    internal ReservoirOptions Copy() => this with
    {
        InputScalingPerInput = InputScalingPerInput is { } perInput ? ImmutableArrays.Copy(perInput) : null,
        SkipConnections = ImmutableArrays.Copy(SkipConnections),
        Clockwork = Clockwork?.Copy(),
    };
}
