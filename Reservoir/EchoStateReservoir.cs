using System.Collections.Immutable;
using Reservoir.Numerics;

namespace Reservoir;

/// <summary>A reservoir of leaky units with fixed random (or given) weights and per-unit leak rates.</summary>
/// <remarks>
/// <para>The update of one step, for the units updated at that step, is</para>
/// <para>x[t] = (1−α)⊙C·x[t−1] + α⊙f(W·x[t−1] + W_in·u[t] + b + W_fb·y[t−1] + Σ_d W_skip,d·x[t−d]) + noise,</para>
/// <para>
/// with α the per-unit leak rates (time constant 1/α steps), drawn once at construction, and C the carry matrix
/// (<see cref="CarryWeights"/>): the identity for the leaky echo state network, x[t] = (1−α)⊙x[t−1] + α⊙f(…), or a random
/// orthogonal O for the edge-of-stability echo state network (<see cref="ReservoirOptions.StateCarry"/>). Clockwork modules
/// hold their state between their update steps. The weights are immutable: an instance is thread-safe and
/// can drive any number of <see cref="ReservoirState"/>s at once, each owned by one caller.
/// </para>
/// <example>See Examples/MackeyGlass/Program.cs.</example>
/// </remarks>
public sealed partial class EchoStateReservoir
{
    private readonly double[] _leakRates;
    private readonly double[] _bias;
    private readonly double[] _inputColumns;
    private readonly double[] _feedbackColumns;
    private readonly int[] _skipDelays;
    private readonly int[] _moduleStarts;
    private readonly int[] _periods;
    private readonly int[] _moduleSplits;
    private readonly long[] _moduleNonZeros;
    private readonly Lazy<double> _spectralRadius;
    private readonly Lazy<double> _effectiveSpectralRadius;
    private readonly int _seed;

    /// <summary>Builds a reservoir from hyperparameters, drawing every weight from the seed.</summary>
    /// <param name="options">The hyperparameters; see <see cref="ReservoirOptions"/> for ranges and defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is outside its range (the exception names it and its value), or the drawn W has spectral radius 0 and cannot be rescaled.</exception>
    /// <remarks>The reservoir keeps its own copy of the options: changing the caller's arrays afterwards changes nothing.</remarks>
    public EchoStateReservoir(ReservoirOptions options)
        : this(new OwnOptions(options?.Copy() ?? throw new ArgumentNullException(nameof(options))))
    {
    }

    /// <summary>Builds from the reservoir's own copy of the options, so that what it keeps is what its weights were drawn from.</summary>
    private EchoStateReservoir(OwnOptions own)
        : this(ReservoirBuilder.Build(own.Options), own.Options)
    {
    }

    private EchoStateReservoir(ReservoirWeights weights, ReservoirOptions? options)
    {
        Options = options;
        var n = weights.Recurrent.RowCount;
        UnitCount = n;
        InputDimension = weights.Input.ColumnCount;
        FeedbackDimension = weights.Feedback?.ColumnCount ?? 0;
        RecurrentWeights = weights.Recurrent;
        _leakRates = [.. weights.LeakRates];
        HasUnitLeakRates = Array.Exists(_leakRates, a => a != 1.0);
        _bias = weights.Bias is { } bias ? [.. bias] : new double[n];
        _inputColumns = ToColumns(weights.Input);
        _feedbackColumns = weights.Feedback is null ? [] : ToColumns(weights.Feedback);
        _skipDelays = weights.Skip.Select(s => s.Delay).ToArray();
        SkipWeights = ImmutableArrays.Copy(weights.Skip);
        MaxDelay = _skipDelays.Length == 0 ? 0 : _skipDelays.Max();
        (_moduleStarts, _periods) = ClockworkLayout(weights.Clockwork, n);
        ClockworkPeriods = [.. _periods];
        ClockworkModuleStarts = _periods.Length == 0 ? [] : [.. _moduleStarts];
        CompactRecurrent = CompactRows.From(RecurrentWeights);
        CompactSkips = weights.Skip.Select(s => CompactRows.From(s.Weights)).ToArray();
        CarryWeights = weights.Carry;
        CompactCarry = weights.Carry is { } carryMatrix ? CompactRows.From(carryMatrix) : null;
        (_moduleSplits, _moduleNonZeros) = SplitModules();
        Activation = weights.Activation;
        StateNoise = weights.StateNoise;
        _seed = weights.Seed;
        _spectralRadius = new Lazy<double>(() => Observables.SpectralAnalysis.SpectralRadius(RecurrentWeights));
        _effectiveSpectralRadius = new Lazy<double>(() =>
            CarryWeights is { } carry
                ? Observables.SpectralAnalysis.EffectiveSpectralRadius(RecurrentWeights, _leakRates, carry)
                : Observables.SpectralAnalysis.EffectiveSpectralRadius(RecurrentWeights, _leakRates));
        Precision = weights.Precision;
        SingleWeights = Precision == Precision.Single ? new SingleWeights(this) : null;
    }

    /// <summary>Builds a reservoir from explicit weights, used as given (nothing is rescaled or redrawn).</summary>
    /// <param name="weights">The weights; the arrays are copied.</param>
    /// <returns>The reservoir.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> or one of its required matrices is null.</exception>
    /// <exception cref="ArgumentException">Dimensions disagree, a value is not finite, or a leak rate is outside (0, 1].</exception>
    public static EchoStateReservoir FromWeights(ReservoirWeights weights)
    {
        ReservoirBuilder.Validate(weights);
        return new EchoStateReservoir(weights, null);
    }

    /// <summary>Builds a reservoir from explicit weights and records the options they were drawn from, as a loaded model does.</summary>
    /// <remarks>
    /// The weights are validated as in <see cref="FromWeights(ReservoirWeights)"/>; a copy of the options is kept (the caller
    /// validates them and checks that they describe these weights), and nothing is redrawn from them.
    /// </remarks>
    internal static EchoStateReservoir FromWeights(ReservoirWeights weights, ReservoirOptions? options)
    {
        ReservoirBuilder.Validate(weights);
        return new EchoStateReservoir(weights, options?.Copy());
    }

    /// <summary>The options the reservoir was built from, as its own copy (kept when it is loaded from a model file); null when built by <see cref="FromWeights(ReservoirWeights)"/>.</summary>
    public ReservoirOptions? Options { get; }

    /// <summary>The number of units N.</summary>
    public int UnitCount { get; }

    /// <summary>The input dimension D.</summary>
    public int InputDimension { get; }

    /// <summary>The dimension F of the fed-back output (0 when there is no feedback).</summary>
    public int FeedbackDimension { get; }

    /// <summary>The activation function f.</summary>
    public Activation Activation { get; }

    /// <summary>The amplitude of the uniform state noise.</summary>
    public double StateNoise { get; }

    /// <summary>The precision of the step (<see cref="ReservoirOptions.Precision"/>); the weights above stay double either way.</summary>
    public Precision Precision { get; }

    /// <summary>The recurrent weights W (immutable).</summary>
    public SparseWeights RecurrentWeights { get; }

    /// <summary>The skip connections through time, each W_skip with its delay.</summary>
    public ImmutableArray<DelayedWeights> SkipWeights { get; }

    /// <summary>The carry matrix C of the update (the random orthogonal O of <see cref="StateCarry.Orthogonal"/>, immutable); null for the identity, the leaky update.</summary>
    public SparseWeights? CarryWeights { get; }

    /// <summary>The leak rate α of each unit, fixed at construction; a read-only view.</summary>
    public ReadOnlySpan<double> LeakRates => _leakRates;

    /// <summary>The bias b of each unit; a read-only view.</summary>
    public ReadOnlySpan<double> Bias => _bias;

    /// <summary>The clockwork period of each module, fastest first; empty when every unit updates every step.</summary>
    public ImmutableArray<int> ClockworkPeriods { get; }

    /// <summary>The first unit of each clockwork module, followed by N; empty without clockwork.</summary>
    public ImmutableArray<int> ClockworkModuleStarts { get; }

    /// <summary>The spectral radius ρ(W), measured by a Krylov–Schur iteration on first use.</summary>
    public double SpectralRadius => _spectralRadius.Value;

    /// <summary>The spectral radius of the linearised update, ρ(diag(1−α)·C + diag(α)·W) with C the carry matrix (I for the leaky update), measured on first use.</summary>
    /// <remarks>
    /// Below 1 it is a sufficient sign of fading memory near the zero state for tanh units (Jaeger 2007). With an
    /// orthogonal carry (<see cref="StateCarry.Orthogonal"/>) it is the Jacobian's radius at the origin with f′ = 1; the
    /// ES²N is meant to sit near 1 (its eigenvalues lie within β·‖W‖₂ of the circle of radius 1 − β).
    /// </remarks>
    public double EffectiveSpectralRadius => _effectiveSpectralRadius.Value;

    /// <summary>W_in column-major: column d (the weights of input d) is [d·N, (d + 1)·N).</summary>
    internal ReadOnlySpan<double> InputColumns => _inputColumns;

    /// <summary>W_fb column-major, as <see cref="InputColumns"/>.</summary>
    internal ReadOnlySpan<double> FeedbackColumns => _feedbackColumns;

    /// <summary>Whether some leak rate differs from 1 (otherwise the leaky update is the activation itself).</summary>
    internal bool HasUnitLeakRates { get; }

    /// <summary>The delay of each skip connection, in the order of <see cref="CompactSkips"/>.</summary>
    internal int[] SkipDelays => _skipDelays;

    /// <summary>The longest skip delay (0 without skip connections): the slots of a state's delay ring buffer.</summary>
    internal int MaxDelay { get; }

    /// <summary>The float copies of the weights that a step in <see cref="Precision.Single"/> uses; null in <see cref="Precision.Double"/>.</summary>
    internal SingleWeights? SingleWeights { get; }

    /// <summary>W in the kernels' compact form.</summary>
    internal CompactRows CompactRecurrent { get; }

    /// <summary>Each W_skip in the kernels' compact form, in the order of <see cref="SkipDelays"/>.</summary>
    internal CompactRows[] CompactSkips { get; }

    /// <summary>The carry matrix C in the kernels' compact form; null for the identity.</summary>
    internal CompactRows? CompactCarry { get; }

    /// <summary>Whether a step computes the carried state C·x(t−1): there is a carry matrix and some leak rate differs from 1 (otherwise the carry is multiplied by 0 and skipped).</summary>
    internal bool ComputesCarry => CompactCarry is not null && HasUnitLeakRates;

    /// <summary>The stored weights of row <paramref name="row"/> that a step multiplies: W, every W_skip and the carry C when it is computed.</summary>
    internal long RowWeights(int row)
    {
        long weights = CompactRecurrent.NonZerosIn(row, row + 1);
        foreach (var skip in CompactSkips)
        {
            weights += skip.NonZerosIn(row, row + 1);
        }

        if (ComputesCarry)
        {
            weights += CompactCarry!.NonZerosIn(row, row + 1);
        }

        return weights;
    }

    /// <summary>The number of update modules: the clockwork modules, or one module of all units.</summary>
    internal int ModuleCount => _moduleStarts.Length - 1;

    /// <summary>The first unit of each module followed by N (also without clockwork: [0, N]).</summary>
    internal ReadOnlySpan<int> ModuleStarts => _moduleStarts;

    /// <summary>Per module, the unit where a two-thread step splits it: rows before and after hold about equal work.</summary>
    internal ReadOnlySpan<int> ModuleSplits => _moduleSplits;

    /// <summary>Per module, the stored weights (W, every W_skip and a computed carry C) in its rows, which decide whether a step is split.</summary>
    internal ReadOnlySpan<long> ModuleNonZeros => _moduleNonZeros;

    /// <summary>Whether module <paramref name="module"/> updates at the step computed from a state that has taken <paramref name="stepCount"/> steps.</summary>
    internal bool ModuleUpdates(int module, long stepCount) => _periods.Length == 0 || stepCount % _periods[module] == 0;

    /// <summary>The seed of the noise streams (<see cref="ReservoirWeights.Seed"/>, the options' seed when built from options).</summary>
    internal int NoiseSeed => _seed;

    /// <summary>The seed of noise stream <paramref name="noiseStream"/>, as used by <see cref="CreateState"/>.</summary>
    internal ulong NoiseSeedFor(long noiseStream) => SeedStreams.Mix(_seed, SeedStreams.Noise, noiseStream);

    /// <summary>A copy of the input weights W_in, N×D.</summary>
    /// <returns>A new array.</returns>
    public double[,] GetInputWeights() => FromColumns(_inputColumns, UnitCount, InputDimension);

    /// <summary>A copy of the feedback weights W_fb, N×F (N×0 without feedback).</summary>
    /// <returns>A new array.</returns>
    public double[,] GetFeedbackWeights() => FromColumns(_feedbackColumns, UnitCount, FeedbackDimension);

    /// <summary>A new state at x = 0, with its own noise stream.</summary>
    /// <param name="noiseStream">Which noise sub-stream to use (sequence index in batched runs); default 0.</param>
    /// <returns>The state, owned by the caller.</returns>
    public ReservoirState CreateState(long noiseStream = 0) =>
        new(this, NoiseSeedFor(noiseStream));

    private static double[] ToColumns(SparseWeights matrix)
    {
        var rows = matrix.RowCount;
        var result = new double[rows * matrix.ColumnCount];
        var pointers = matrix.RowPointers;
        var columns = matrix.ColumnIndices;
        var values = matrix.Values;
        for (var r = 0; r < rows; r++)
        {
            for (var k = pointers[r]; k < pointers[r + 1]; k++)
            {
                result[columns[k] * rows + r] = values[k];
            }
        }

        return result;
    }

    private static double[,] FromColumns(double[] columnMajor, int rows, int columns)
    {
        var result = new double[rows, columns];
        for (var c = 0; c < columns; c++)
        {
            for (var r = 0; r < rows; r++)
            {
                result[r, c] = columnMajor[c * rows + r];
            }
        }

        return result;
    }

    /// <summary>Per module, the split unit that halves its work (stored weights plus a few operations per unit) and its stored weights.</summary>
    private (int[] Splits, long[] NonZeros) SplitModules()
    {
        const int perUnitCost = 8;
        var modules = _moduleStarts.Length - 1;
        var splits = new int[modules];
        var nonZeros = new long[modules];
        for (var m = 0; m < modules; m++)
        {
            var start = _moduleStarts[m];
            var end = _moduleStarts[m + 1];
            long RowCost(int row) => RowWeights(row) + perUnitCost;

            long total = 0;
            for (var row = start; row < end; row++)
            {
                total += RowCost(row);
            }

            nonZeros[m] = total - (long)perUnitCost * (end - start);
            long half = 0;
            var split = start;
            while (split < end && 2 * (half + RowCost(split)) <= total)
            {
                half += RowCost(split);
                split++;
            }

            splits[m] = split;
        }

        return (splits, nonZeros);
    }

    private static (int[] Starts, int[] Periods) ClockworkLayout(ClockworkOptions? clockwork, int n)
    {
        if (clockwork is null)
        {
            return ([0, n], []);
        }

        var sizes = ReservoirBuilder.ModuleSizes(clockwork, n);
        var starts = new int[sizes.Length + 1];
        for (var i = 0; i < sizes.Length; i++)
        {
            starts[i + 1] = starts[i] + sizes[i];
        }

        return (starts, [.. clockwork.Periods]);
    }

    /// <summary>Options copied by <see cref="ReservoirOptions.Copy"/>, owned by the reservoir being built.</summary>
    private readonly record struct OwnOptions(ReservoirOptions Options);
}
