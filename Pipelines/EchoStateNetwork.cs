using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>An echo state network: a fixed reservoir and a linear readout trained by ridge regression in closed form.</summary>
/// <remarks>
/// <para>
/// The reservoir runs x[t] = (1−α)⊙x[t−1] + α⊙f(W·x[t−1] + W_in·u[t] + b), and the readout maps the features
/// z[t] = [1; u[t]; x[t]] (u only when <see cref="ReadoutIncludesInput"/>) to y[t] = W_out·z[t]. Training streams
/// the states in blocks into Gram accumulators, so memory is O(N²), not O(N·T); many sequences are run in parallel
/// with the same result as one by one. Every fit runs through <see cref="EchoStateNetworkTrainer"/>, the one training
/// path; λ searched by time-blocked k-fold uses the folds of <see cref="TimeBlockedFolds"/>.
/// </para>
/// <para>
/// A fitted network is immutable and thread-safe. It remembers the reservoir state at the end of training (of the
/// last sequence), so <see cref="Predict(double[,])"/> and <see cref="Generate(int)"/> continue right after the
/// training data, as ReservoirPy's do.
/// </para>
/// <example>See Examples/MackeyGlass/Program.cs.</example>
/// </remarks>
public sealed partial class EchoStateNetwork
{
    private readonly ComposedReservoirState _trainedState;
    private readonly double[]? _lastTarget;
    private readonly double[] _lastInput;

    /// <summary>Builds a fitted network from its parts, checked by the caller (the trainer or the model-file reader); <paramref name="options"/> describe <paramref name="reservoir"/>.</summary>
    internal EchoStateNetwork(ComposedReservoir reservoir, RidgeSolution readout, EchoStateNetworkOptions options,
        Standardizer? inputScaler, Standardizer? targetScaler, ComposedReservoirState trainedState, double[] lastInput,
        double[]? lastTarget, int horizon, RidgeCvResult? regularization, double stateSaturation = double.NaN,
        System.Collections.Immutable.ImmutableArray<string> warnings = default)
    {
        StateSaturation = stateSaturation;
        Warnings = warnings.IsDefault ? [] : warnings;
        _lastInput = lastInput;
        Composition = reservoir;
        Readout = readout;
        Options = options;
        InputScaler = inputScaler;
        TargetScaler = targetScaler;
        _trainedState = trainedState;
        _lastTarget = lastTarget;
        Horizon = horizon;
        RegularizationSearch = regularization;
    }

    /// <summary>The reservoir, for a network on one reservoir (<see cref="EchoStateNetworkOptions.Reservoir"/>).</summary>
    /// <exception cref="InvalidOperationException">The network runs a composition (<see cref="EchoStateNetworkOptions.Composition"/>); use <see cref="Composition"/>.</exception>
    public EchoStateReservoir Reservoir => EchoStateNetworkTrainer.SingleLayer(Composition, Options);

    /// <summary>The reservoirs the network runs: its composition, or one layer (the reservoir itself) for a network on one reservoir.</summary>
    public ComposedReservoir Composition { get; }

    /// <summary>The fraction of training state values (after the washout) with |x| ≥ <see cref="SaturationThreshold"/>, in [0, 1]; NaN for a network loaded from a file.</summary>
    /// <remarks>With tanh units a large fraction means the units act as binary switches and the readout sees little of the input.</remarks>
    public double StateSaturation { get; }

    /// <summary>What training noticed that may make the network poor, one sentence each (for example saturated tanh units); empty when nothing was noticed, and for a network loaded from a file.</summary>
    public System.Collections.Immutable.ImmutableArray<string> Warnings { get; }

    /// <summary>The |x| from which a state value counts as saturated in <see cref="StateSaturation"/>: 0.99, where tanh's slope has fallen below 2 %.</summary>
    public const double SaturationThreshold = 0.99;

    /// <summary>The <see cref="StateSaturation"/> from which training adds a warning: 0.5, half the state values saturated.</summary>
    public const double SaturationWarningFraction = 0.5;

    /// <summary>The trained readout (in standardised units when targets are standardised).</summary>
    public RidgeSolution Readout { get; }

    /// <summary>The options the network was trained with; their <see cref="EchoStateNetworkOptions.Reservoir"/> describes <see cref="Reservoir"/> (it is the reservoir's own options when it has them).</summary>
    public EchoStateNetworkOptions Options { get; }

    /// <summary>Whether the readout sees the input u(t).</summary>
    public bool ReadoutIncludesInput => Options.ReadoutIncludesInput;

    /// <summary>Whether the readout sees the state x(t).</summary>
    public bool ReadoutIncludesState => Options.ReadoutIncludesState;

    /// <summary>The washout used in training.</summary>
    public int WashoutSteps => Options.WashoutSteps;

    /// <summary>The standardizer applied to inputs, or null.</summary>
    public Standardizer? InputScaler { get; }

    /// <summary>The standardizer applied to targets (outputs are mapped back), or null.</summary>
    public Standardizer? TargetScaler { get; }

    /// <summary>The number of future steps the readout predicts at once: 1, or H for a network from <see cref="FitDirect(EchoStateNetworkOptions, IReadOnlyList{double[,]}, int, int)"/>.</summary>
    public int Horizon { get; }

    /// <summary>The automatic choice of λ (chosen value and validation curve), or null when λ was fixed.</summary>
    public RidgeCvResult? RegularizationSearch { get; }

    /// <summary>The chosen or fixed ridge parameter λ.</summary>
    public double L2Regularization => Readout.L2Regularization;

    /// <summary>The input dimension D.</summary>
    public int InputDimension => Composition.InputDimension;

    /// <summary>The output dimension K of one prediction row (H·D for a direct multi-horizon network).</summary>
    public int OutputDimension => Readout.TargetCount;

    /// <summary>Builds the reservoir from the options and trains the readout on one sequence.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <param name="targets">The targets y, T×K, finite; row t is the wanted output after reading input row t.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the lengths differ, the sequence is not longer than the washout, a value is not finite, or the ridge system is singular (set L2Regularization &gt; 0).</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateNetworkOptions options, double[,] inputs, double[,] targets) =>
        Fit(options, [inputs], [targets]);

    /// <summary>Trains a readout on one univariate sequence (D = K = 1).</summary>
    /// <param name="options">The hyperparameters; the reservoir must have InputDimension 1.</param>
    /// <param name="inputs">The inputs, length T, finite.</param>
    /// <param name="targets">The targets, length T, finite.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Fit(EchoStateNetworkOptions, double[,], double[,])"/>.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateNetworkOptions options, double[] inputs, double[] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        return Fit(options, inputs.ToColumn(), targets.ToColumn());
    }

    /// <summary>Trains a readout on many sequences, each run from a zero state with its own washout, in parallel.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="inputs">The input sequences, each T_i×D.</param>
    /// <param name="targets">The target sequences, each T_i×K, one per input sequence.</param>
    /// <param name="maxDegreeOfParallelism">The most sequences run at once; −1 (default) uses every core, 1 runs them one by one. The result does not depend on it.</param>
    /// <returns>The fitted network, continuing from the end of the last sequence.</returns>
    /// <remarks>Sequence i runs from a zero state with noise stream i; each sequence's statistics are merged in sequence order, so the result is bit-identical whatever the parallelism. This runs through <see cref="EchoStateNetworkTrainer"/>.</remarks>
    /// <exception cref="ArgumentNullException">An argument or a sequence is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the counts or lengths differ, a sequence is not longer than the washout, a value is not finite, or the ridge system is singular (set L2Regularization &gt; 0). The message names the sequence.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateNetworkOptions options, IReadOnlyList<double[,]> inputs,
        IReadOnlyList<double[,]> targets, int maxDegreeOfParallelism = -1) =>
        EchoStateNetworkTrainer.Fit(options, inputs, targets, maxDegreeOfParallelism);

    /// <summary>Trains a readout for a given reservoir (for example one built from explicit weights) on one sequence.</summary>
    /// <param name="reservoir">The reservoir.</param>
    /// <param name="options">The readout, washout and scaling options; <see cref="EchoStateNetworkOptions.Reservoir"/> must describe <paramref name="reservoir"/> (same UnitCount, InputDimension and FeedbackDimension). The fitted network reports the reservoir's own options when it has them (<see cref="EchoStateReservoir.Options"/>), and these otherwise.</param>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <param name="targets">The targets y, T×K, finite.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options describe a reservoir of another size (ParamName "options"), the lengths differ, the sequence is too short, a value is not finite, the feedback dimension differs from K, or the ridge system is singular.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateReservoir reservoir, EchoStateNetworkOptions options, double[,] inputs,
        double[,] targets) =>
        EchoStateNetworkTrainer.Fit(reservoir, options, inputs, targets);

    /// <summary>Trains a direct multi-horizon forecaster: from the state after reading s(t), the readout predicts s(t+1), …, s(t+H) at once.</summary>
    /// <param name="options">The hyperparameters; the reservoir's input dimension D is the series' width; no output feedback.</param>
    /// <param name="series">The training series, each T_i×D with T_i &gt; washout + H.</param>
    /// <param name="horizon">H, the number of future steps, ≥ 1.</param>
    /// <param name="maxDegreeOfParallelism">The most series run at once; −1 (default) uses every core.</param>
    /// <returns>The fitted network; its state has read the whole last series, so <see cref="ForecastDirect()"/> forecasts what follows it.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1.</exception>
    /// <exception cref="ArgumentException">An option is out of range, a series is too short or holds a non-finite value, the reservoir has output feedback, or the ridge system is singular.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork FitDirect(EchoStateNetworkOptions options, IReadOnlyList<double[,]> series, int horizon,
        int maxDegreeOfParallelism = -1) =>
        EchoStateNetworkTrainer.FitDirect(options, series, horizon, maxDegreeOfParallelism);

    /// <summary>A copy of the reservoir state at the end of training, to continue from, for a network on one reservoir.</summary>
    /// <returns>A new state owned by the caller.</returns>
    /// <exception cref="InvalidOperationException">The network runs a composition; use <see cref="CreateTrainedComposedState"/>.</exception>
    public ReservoirState CreateTrainedState()
    {
        _ = Reservoir;
        return _trainedState.Layers[0].Clone();
    }

    /// <summary>A copy of the composed state at the end of training (every layer's state), to continue from; works for every network.</summary>
    /// <returns>A new state of <see cref="Composition"/>, owned by the caller.</returns>
    public ComposedReservoirState CreateTrainedComposedState() => _trainedState.Clone();

    /// <summary>The last training target row (original units), from which <see cref="Generate(int)"/> starts; null for direct forecasters.</summary>
    internal double[]? LastTarget => _lastTarget;

    /// <summary>The last input row read by the trained state (original units).</summary>
    internal double[] LastInput => _lastInput;

    /// <summary>Whether this is a direct multi-horizon forecaster (from FitDirect), which has no last target to loop from.</summary>
    internal bool IsDirect => _lastTarget is null;

    /// <summary>The layout of the readout's features for this network.</summary>
    private FeatureLayout Layout => FeatureLayout.For(Composition, Options);

    /// <summary>A composed state over a caller's state of the one reservoir, which advances with it.</summary>
    /// <exception cref="ArgumentException">The state belongs to another reservoir.</exception>
    private ComposedReservoirState Over(ReservoirState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Owner, Reservoir))
        {
            throw new ArgumentException("The state was created by another reservoir; use this network's CreateTrainedState().", nameof(state));
        }

        return Composition.CreateState([state]);
    }
}
