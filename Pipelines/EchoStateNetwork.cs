using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>An echo state network: a fixed reservoir and a linear readout trained by ridge regression in closed form.</summary>
/// <remarks>
/// <para>
/// The reservoir runs x[t] = (1−α)⊙x[t−1] + α⊙f(W·x[t−1] + W_in·u[t] + b), and the readout maps the features
/// z[t] = [1; u[t]; x[t]] (u only when <see cref="ReadoutIncludesInput"/>) to y[t] = W_out·z[t]. Training streams
/// the states in blocks into Gram accumulators, so memory is O(N²), not O(N·T); many sequences are run in parallel
/// with the same result as one by one.
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
    private readonly ReservoirState _trainedState;
    private readonly double[]? _lastTarget;
    private readonly double[] _lastInput;

    private EchoStateNetwork(EchoStateReservoir reservoir, RidgeSolution readout, EchoStateNetworkOptions options,
        Standardizer? inputScaler, Standardizer? targetScaler, ReservoirState trainedState, double[] lastInput,
        double[]? lastTarget, int horizon, RidgeCvResult? regularization)
    {
        _lastInput = lastInput;
        Reservoir = reservoir;
        Readout = readout;
        Options = options;
        InputScaler = inputScaler;
        TargetScaler = targetScaler;
        _trainedState = trainedState;
        _lastTarget = lastTarget;
        Horizon = horizon;
        RegularizationSearch = regularization;
    }

    /// <summary>The reservoir.</summary>
    public EchoStateReservoir Reservoir { get; }

    /// <summary>The trained readout (in standardised units when targets are standardised).</summary>
    public RidgeSolution Readout { get; }

    /// <summary>The options the network was trained with.</summary>
    public EchoStateNetworkOptions Options { get; }

    /// <summary>Whether the readout sees the input u(t).</summary>
    public bool ReadoutIncludesInput => Options.ReadoutIncludesInput;

    /// <summary>Whether the readout sees the state x(t).</summary>
    public bool ReadoutIncludesState => Options.ReadoutIncludesState;

    internal FeatureLayout Layout => FeatureLayout.For(Reservoir, Options);

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
    public int InputDimension => Reservoir.InputDimension;

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
    /// <exception cref="ArgumentNullException">An argument or a sequence is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the counts or lengths differ, a sequence is not longer than the washout, a value is not finite, or the ridge system is singular (set L2Regularization &gt; 0). The message names the sequence.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateNetworkOptions options, IReadOnlyList<double[,]> inputs,
        IReadOnlyList<double[,]> targets, int maxDegreeOfParallelism = -1)
    {
        var (readout, search) = CreateSolvers(options);
        var reservoir = new EchoStateReservoir(options.Reservoir);
        CheckSequences(inputs, targets, reservoir, options.WashoutSteps);
        return FitSequences(reservoir, options, readout, search, inputs, targets, maxDegreeOfParallelism, horizon: 1, tails: null);
    }

    /// <summary>Trains a readout for a given reservoir (for example one built from explicit weights) on one sequence.</summary>
    /// <param name="reservoir">The reservoir.</param>
    /// <param name="options">The readout, washout and scaling options (<see cref="EchoStateNetworkOptions.Reservoir"/> is kept for reference only).</param>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <param name="targets">The targets y, T×K, finite.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the sequence is too short, a value is not finite, the feedback dimension differs from K, or the ridge system is singular.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateReservoir reservoir, EchoStateNetworkOptions options, double[,] inputs,
        double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        var (readout, search) = CreateSolvers(options);
        CheckSequences([inputs], [targets], reservoir, options.WashoutSteps);
        return FitSequences(reservoir, options, readout, search, [inputs], [targets], 1, horizon: 1, tails: null);
    }

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
        int maxDegreeOfParallelism = -1)
    {
        var (readout, search) = CreateSolvers(options);
        Guard.AtLeast(horizon, 1);
        ArgumentNullException.ThrowIfNull(series);
        if (options.Reservoir.FeedbackDimension > 0)
        {
            throw new ArgumentException(
                "Direct multi-horizon forecasting reads the series as input; it cannot be combined with output feedback (FeedbackDimension > 0).",
                nameof(options));
        }

        var inputs = new double[series.Count][,];
        var targets = new double[series.Count][,];
        var tails = new double[series.Count][,];
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i] ?? throw new ArgumentNullException(nameof(series), $"series[{i}] is null.");
            var length = s.GetLength(0) - horizon;
            if (length <= options.WashoutSteps)
            {
                throw new ArgumentException(
                    $"series[{i}] has {s.GetLength(0)} steps; with horizon {horizon} and washout {options.WashoutSteps} it needs more than {options.WashoutSteps + horizon}.",
                    nameof(series));
            }

            (inputs[i], targets[i], tails[i]) = DirectTargets(s, horizon);
        }

        var reservoir = new EchoStateReservoir(options.Reservoir);
        CheckSequences(inputs, targets, reservoir, options.WashoutSteps);
        return FitSequences(reservoir, options, readout, search, inputs, targets, maxDegreeOfParallelism, horizon, tails);
    }

    /// <summary>A copy of the reservoir state at the end of training, to continue from.</summary>
    /// <returns>A new state owned by the caller.</returns>
    public ReservoirState CreateTrainedState() => _trainedState.Clone();

    /// <summary>The last training target row (original units), from which <see cref="Generate(int)"/> starts; null for direct forecasters.</summary>
    internal double[]? LastTarget => _lastTarget;

    /// <summary>The last input row read by the trained state (original units).</summary>
    internal double[] LastInput => _lastInput;

    internal static (RidgeReadout Readout, RidgeCv? Search) CreateSolvers(EchoStateNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Reservoir, nameof(options.Reservoir));
        ArgumentNullException.ThrowIfNull(options.Readout, nameof(options.Readout));
        Guard.AtLeast(options.WashoutSteps, 0);
        Guard.AtLeast(options.CrossValidationFolds, 2);
        if (!options.ReadoutIncludesInput && !options.ReadoutIncludesState)
        {
            throw new ArgumentException(
                "The readout needs features: ReadoutIncludesInput and ReadoutIncludesState cannot both be false.",
                nameof(options.ReadoutIncludesState));
        }

        var readout = new RidgeReadout(options.Readout);
        var search = options.RegularizationSearch is { } cv
            ? new RidgeCv(cv with { FitIntercept = options.Readout.FitIntercept })
            : null;
        return (readout, search);
    }


    internal static int FoldCount(EchoStateNetworkOptions options, RidgeCv? search) =>
        search is null || search.Options.Method == RidgeCvMethod.GeneralizedCrossValidation ? 1 : options.CrossValidationFolds;

    /// <summary>Solves for the readout (fixed λ or searched) and builds the network.</summary>
    internal static EchoStateNetwork Solve(EchoStateReservoir reservoir, EchoStateNetworkOptions options, RidgeReadout readout,
        RidgeCv? search, TrainingAccumulation accumulation, Standardizer? inputScaler, Standardizer? targetScaler,
        ReservoirState finalState, double[] lastInput, double[]? lastTarget, int horizon)
    {
        RidgeSolution solution;
        RidgeCvResult? searched = null;
        if (search is null)
        {
            solution = readout.Fit(accumulation.Merged());
        }
        else
        {
            searched = search.Fit(accumulation.Folds);
            solution = searched.Solution;
        }

        return new EchoStateNetwork(reservoir, solution, options, inputScaler, targetScaler, finalState, lastInput, lastTarget,
            horizon, searched);
    }

    internal static void CheckPair(double[,] inputs, double[,] targets, EchoStateReservoir reservoir)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.GetLength(0) == 0)
        {
            throw new ArgumentException("inputs must contain at least one step; was empty.", nameof(inputs));
        }

        if (inputs.GetLength(1) != reservoir.InputDimension)
        {
            throw new ArgumentException(
                $"Input has {inputs.GetLength(1)} features but the reservoir was built for {reservoir.InputDimension}.",
                nameof(inputs));
        }

        if (targets.GetLength(0) != inputs.GetLength(0))
        {
            throw new ArgumentException(
                $"targets has {targets.GetLength(0)} rows but inputs has {inputs.GetLength(0)}; they must have the same length.",
                nameof(targets));
        }

        if (targets.GetLength(1) < 1)
        {
            throw new ArgumentException("targets must have at least one column.", nameof(targets));
        }

        if (reservoir.FeedbackDimension != 0 && reservoir.FeedbackDimension != targets.GetLength(1))
        {
            throw new ArgumentException(
                $"targets has {targets.GetLength(1)} columns but the reservoir feeds back {reservoir.FeedbackDimension}; they must match.",
                nameof(targets));
        }

        Guard.AllFinite(inputs);
        Guard.AllFinite(targets);
    }

    private static void CheckSequences(IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets,
        EchoStateReservoir reservoir, int washoutSteps)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("inputs must contain at least one sequence.", nameof(inputs));
        }

        if (targets.Count != inputs.Count)
        {
            throw new ArgumentException(
                $"targets has {targets.Count} sequences but inputs has {inputs.Count}; give one target sequence per input sequence.",
                nameof(targets));
        }

        var k = -1;
        for (var i = 0; i < inputs.Count; i++)
        {
            try
            {
                CheckPair(inputs[i], targets[i], reservoir);
                if (k >= 0 && targets[i].GetLength(1) != k)
                {
                    throw new ArgumentException($"targets has {targets[i].GetLength(1)} columns but the first sequence has {k}.",
                        nameof(targets));
                }

                k = targets[i].GetLength(1);
            }
            catch (ArgumentException e) when (inputs.Count > 1)
            {
                throw new ArgumentException($"Sequence {i}: {e.Message}", e.ParamName, e);
            }

            if (inputs[i].GetLength(0) <= washoutSteps)
            {
                throw new ArgumentOutOfRangeException(nameof(EchoStateNetworkOptions.WashoutSteps), washoutSteps,
                    $"WashoutSteps must be in [0, {inputs[i].GetLength(0)}) for sequence {i} of {inputs[i].GetLength(0)} steps; was {washoutSteps}. Every sequence must be longer than the washout.");
            }
        }
    }

    private static EchoStateNetwork FitSequences(EchoStateReservoir reservoir, EchoStateNetworkOptions options,
        RidgeReadout readout, RidgeCv? search, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets,
        int maxDegreeOfParallelism, int horizon, double[][,]? tails)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                $"maxDegreeOfParallelism must be -1 or >= 1; was {maxDegreeOfParallelism}.");
        }

        var inputScaler = options.StandardizeInputs ? Standardizer.Fit(inputs) : null;
        var targetScaler = options.StandardizeTargets ? Standardizer.Fit(targets) : null;
        var count = inputs.Count;
        var firstRows = new long[count + 1];
        for (var i = 0; i < count; i++)
        {
            firstRows[i + 1] = firstRows[i] + inputs[i].GetLength(0) - options.WashoutSteps;
        }

        // Blocks of consecutive rows per fold; short data get shorter blocks so that every fold has rows.
        var folds = FoldCount(options, search);
        var blockRows = (int)Math.Clamp(firstRows[count] / (4L * folds), 1, TrainingAccumulation.BlockRows);
        var layout = FeatureLayout.For(reservoir, options);
        var total = new TrainingAccumulation(layout.Width, targets[0].GetLength(1),
            folds, blockRows);

        // Sequences run in batches; each has its own statistics, merged in sequence order, so the result does not
        // depend on the degree of parallelism and memory stays bounded by the batch size.
        var batch = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        ReservoirState? lastState = null;
        for (var first = 0; first < count; first += batch)
        {
            var size = Math.Min(batch, count - first);
            var parts = new TrainingAccumulation[size];
            var states = new ReservoirState[size];
            Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, j =>
            {
                var i = first + j;
                var part = total.CreateEmpty();
                var state = reservoir.CreateState(i);
                var scaledInputs = inputScaler?.Transform(inputs[i]) ?? inputs[i];
                var scaledTargets = targetScaler?.Transform(targets[i]) ?? targets[i];
                part.AccumulateChunk(reservoir, state, scaledInputs, scaledTargets, layout,
                    options.WashoutSteps, firstRows[i]);
                parts[j] = part;
                states[j] = state;
            });

            foreach (var part in parts)
            {
                total.Add(part);
            }

            lastState = states[^1];
        }

        var last = count - 1;
        double[]? lastTarget = null;
        double[] lastInput;
        if (tails is not null)
        {
            // Direct forecaster: read the rest of the last series so that forecasts start after its end.
            var tail = inputScaler?.Transform(tails[last]) ?? tails[last];
            reservoir.Run(lastState!, tail);
            lastInput = LastRow(tails[last]);
        }
        else
        {
            lastTarget = LastRow(targets[last]);
            lastInput = LastRow(inputs[last]);
        }

        return Solve(reservoir, options, readout, search, total, inputScaler, targetScaler, lastState!, lastInput, lastTarget,
            horizon);
    }

    /// <summary>Inputs s(0..T−H), targets [s(t+1); …; s(t+H)] per row, and the last H rows of the series.</summary>
    private static (double[,] Inputs, double[,] Targets, double[,] Tail) DirectTargets(double[,] series, int horizon)
    {
        var d = series.GetLength(1);
        var length = series.GetLength(0) - horizon;
        var inputs = new double[length, d];
        var targets = new double[length, horizon * d];
        var tail = new double[horizon, d];
        for (var t = 0; t < length; t++)
        {
            series.Row(t).CopyTo(inputs.Row(t));
            for (var h = 1; h <= horizon; h++)
            {
                series.Row(t + h).CopyTo(targets.Row(t).Slice((h - 1) * d, d));
            }
        }

        for (var h = 0; h < horizon; h++)
        {
            series.Row(length + h).CopyTo(tail.Row(h));
        }

        return (inputs, targets, tail);
    }

    internal static double[] LastRow(double[,] matrix) => matrix.Row(matrix.GetLength(0) - 1).ToArray();
}
