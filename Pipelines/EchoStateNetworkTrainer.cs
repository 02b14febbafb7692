using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Trains an <see cref="EchoStateNetwork"/> incrementally: chunks of one or more sequences, then one closed-form solve.</summary>
/// <remarks>
/// <para>
/// This is the one training path: <see cref="EchoStateNetwork.Fit(EchoStateNetworkOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, int)"/>
/// and <see cref="EchoStateNetwork.FitDirect"/> run through it too. Each <see cref="PartialFit"/> continues the current
/// sequence from where the last chunk ended (state, delay buffer and fed-back output carry over, and the washout counts
/// from the start of the sequence), so fitting a sequence in chunks gives the same readout as fitting it at once, up to
/// rounding. <see cref="EndSequence"/> starts the next sequence from a zero state. Memory stays O(N²) however long the data.
/// </para>
/// <para>
/// With automatic λ by time-blocked k-fold, rows go to folds as <see cref="TimeBlockedFolds"/> says; the number of rows is
/// not known while chunks stream in, so blocks have <see cref="TimeBlockedFolds.MaxBlockRows"/> rows (a fit over whole
/// sequences knows the count and sizes the blocks by it).
/// </para>
/// <para>
/// With <see cref="EchoStateNetworkOptions.StandardizeInputs"/> or <see cref="EchoStateNetworkOptions.StandardizeTargets"/>
/// and no standardizer given, the standardizers are fitted on the first chunk. Not thread-safe.
/// </para>
/// </remarks>
public sealed partial class EchoStateNetworkTrainer
{
    private readonly EchoStateNetworkOptions _options;
    private readonly RidgeReadout _readout;
    private readonly RidgeCv? _search;
    private readonly FeatureLayout _layout;
    private readonly TimeBlockedFolds _folds;
    private TrainingAccumulation? _accumulation;
    private Standardizer? _inputScaler;
    private Standardizer? _targetScaler;
    private ComposedReservoirState _state;
    private long _sequenceIndex;
    private long _stepsInSequence;
    private double[]? _lastTarget;
    private double[]? _lastInput;

    /// <summary>Builds the reservoir from the options and prepares an empty training set.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="inputScaler">A standardizer for the inputs fitted beforehand; null fits one on the first chunk when the options ask for it.</param>
    /// <param name="targetScaler">A standardizer for the targets fitted beforehand; null fits one on the first chunk when the options ask for it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, or a standardizer's dimension differs from the reservoir's input dimension.</exception>
    public EchoStateNetworkTrainer(EchoStateNetworkOptions options, Standardizer? inputScaler = null,
        Standardizer? targetScaler = null)
        : this(CheckedReservoir(options), options, inputScaler, targetScaler, rowCount: null)
    {
    }

    /// <summary>Prepares training for a given reservoir; <paramref name="rowCount"/> is the number of rows when known in advance (it sizes the folds' blocks).</summary>
    private EchoStateNetworkTrainer(ComposedReservoir reservoir, EchoStateNetworkOptions options, Standardizer? inputScaler,
        Standardizer? targetScaler, long? rowCount)
    {
        (_readout, _search) = CreateSolvers(options);
        _options = Describe(reservoir, options);
        Composition = reservoir;
        if (inputScaler is not null && inputScaler.Dimension != reservoir.InputDimension)
        {
            throw new ArgumentException(
                $"inputScaler has {inputScaler.Dimension} columns but the reservoir has {reservoir.InputDimension} inputs.",
                nameof(inputScaler));
        }

        _inputScaler = inputScaler;
        _targetScaler = targetScaler;
        _layout = FeatureLayout.For(reservoir, _options);
        _folds = new TimeBlockedFolds(FoldCount(_options, _search), rowCount);
        _state = reservoir.CreateState(0);
    }

    /// <summary>The reservoir being trained on, for training on one reservoir (<see cref="EchoStateNetworkOptions.Reservoir"/>).</summary>
    /// <exception cref="InvalidOperationException">The trainer runs a composition (<see cref="EchoStateNetworkOptions.Composition"/>); use <see cref="Composition"/>.</exception>
    public EchoStateReservoir Reservoir => SingleLayer(Composition, _options);

    /// <summary>The reservoirs being trained on: the composition, or one layer for training on one reservoir.</summary>
    public ComposedReservoir Composition { get; }

    /// <summary>The number of feature rows accumulated so far (steps after the washout).</summary>
    public long RowCount => _accumulation?.RowCount ?? 0;

    /// <summary>Feeds the next chunk of the current sequence: runs the reservoir over it and accumulates the readout statistics.</summary>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="targets">The targets, T×K, finite; K must be the same for every chunk.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, a dimension is wrong, a chunk is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public void PartialFit(double[,] inputs, double[,] targets)
    {
        CheckPair(inputs, targets, Composition);
        var k = targets.GetLength(1);
        var accumulation = _accumulation ??= new TrainingAccumulation(_layout.Width, k, _folds);
        if (k != accumulation.TargetCount)
        {
            throw new ArgumentException(
                $"targets has {k} columns but earlier chunks had {accumulation.TargetCount}.", nameof(targets));
        }

        if (_targetScaler is not null && _targetScaler.Dimension != k)
        {
            throw new ArgumentException($"targets has {k} columns but targetScaler has {_targetScaler.Dimension}.",
                nameof(targets));
        }

        if (_options.StandardizeInputs)
        {
            _inputScaler ??= Standardizer.Fit([inputs]);
        }

        if (_options.StandardizeTargets)
        {
            _targetScaler ??= Standardizer.Fit([targets]);
        }

        var scaledInputs = _inputScaler?.Transform(inputs) ?? inputs;
        var scaledTargets = _targetScaler?.Transform(targets) ?? targets;
        var skip = (int)Math.Clamp(_options.WashoutSteps - _stepsInSequence, 0, int.MaxValue);
        Accumulate(_state, scaledInputs, scaledTargets, skip, accumulation.RowCount, accumulation);
        _stepsInSequence += inputs.GetLength(0);
        _lastTarget = LastRow(targets);
        _lastInput = LastRow(inputs);
    }

    /// <summary>Ends the current sequence: the next chunk starts a new sequence from a zero state, with its own washout.</summary>
    public void EndSequence()
    {
        if (_stepsInSequence == 0)
        {
            return;
        }

        _sequenceIndex++;
        _state = Composition.CreateState(_sequenceIndex);
        _stepsInSequence = 0;
    }

    /// <summary>Solves for the readout on everything accumulated so far; the trainer can go on accumulating afterwards.</summary>
    /// <returns>The fitted network, continuing from the current state of the current sequence.</returns>
    /// <exception cref="InvalidOperationException">No row has been accumulated yet (nothing fed, or every step was in the washout).</exception>
    /// <exception cref="ArgumentException">The ridge system is singular (set L2Regularization &gt; 0), too few rows for the cross-validation folds, or linear units diverged (spectral radius above 1; the parameter is SpectralRadius).</exception>
    public EchoStateNetwork Complete() => Complete(final: false);

    /// <summary>Solves as <see cref="Complete()"/>; when <paramref name="final"/>, the trainer is not used again and the solve may factor its statistics in place.</summary>
    private EchoStateNetwork Complete(bool final)
    {
        if (RowCount == 0)
        {
            throw new InvalidOperationException(
                "No training rows were accumulated: call PartialFit with sequences longer than WashoutSteps before Complete.");
        }

        return Solve(_state.Clone(), _lastInput!, _lastTarget, horizon: 1, final);
    }

    /// <summary>Checks the options and creates the ridge solver and the λ search they ask for.</summary>
    /// <exception cref="ArgumentNullException">The options or a required member is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "
            + "wrote (ReadoutIncludesState), not the method's parameter.")]
    internal static (RidgeReadout Readout, RidgeCv? Search) CreateSolvers(EchoStateNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Reservoir is null) == (options.Composition is null))
        {
            throw options.Reservoir is null
                ? new ArgumentNullException(nameof(options.Reservoir),
                    "Reservoir is null; set Reservoir for one reservoir or Composition for composed reservoirs.")
                : new ArgumentException(
                    "Both Reservoir and Composition are set; set Reservoir for one reservoir or Composition for composed reservoirs, not both.",
                    nameof(options.Composition));
        }

        ArgumentNullException.ThrowIfNull(options.Readout, nameof(options.Readout));
        Guard.AtLeast(options.WashoutSteps, 0);
        Guard.AtLeast(options.CrossValidationFolds, 2);
        if (!options.ReadoutIncludesInput && !options.ReadoutIncludesState)
        {
            throw new ArgumentException(
                "The readout needs features: ReadoutIncludesInput and ReadoutIncludesState cannot both be false.",
                nameof(options.ReadoutIncludesState));
        }

        return ReadoutSolvers.Create(options.Readout, options.RegularizationSearch);
    }

    /// <summary>The options a network on <paramref name="reservoir"/> reports: <paramref name="options"/> with the reservoir's own options when it has them.</summary>
    /// <exception cref="ArgumentException">The options describe a reservoir of another size (units, inputs or fed-back outputs); the parameter is "options".</exception>
    internal static EchoStateNetworkOptions Describe(ComposedReservoir reservoir, EchoStateNetworkOptions options)
    {
        if (options.Composition is { } composition)
        {
            if (reservoir.Options is not { } own)
            {
                throw new ArgumentException("options.Composition is set but the reservoir is not a composition built from options.", nameof(options));
            }

            var layers = composition.Layers;
            if (layers.IsDefault || layers.Length != reservoir.Layers.Length || composition.InputDimension != reservoir.InputDimension)
            {
                throw new ArgumentException(
                    $"options.Composition describes {(layers.IsDefault ? 0 : layers.Length)} layers and {composition.InputDimension} inputs, but the composition has {reservoir.Layers.Length} and {reservoir.InputDimension}.",
                    nameof(options));
            }

            return ReferenceEquals(own, composition) ? options : options with { Composition = own };
        }

        if (reservoir.Options is not null)
        {
            throw new ArgumentException("options.Reservoir describes one reservoir but a composition was given; set options.Composition.", nameof(options));
        }

        return Describe(reservoir.Layers[0], options);
    }

    /// <summary>The one reservoir of a network or trainer on one reservoir.</summary>
    /// <exception cref="InvalidOperationException">The options set a composition.</exception>
    internal static EchoStateReservoir SingleLayer(ComposedReservoir reservoir, EchoStateNetworkOptions options) =>
        options.Composition is null ? reservoir.Layers[0]
            : throw new InvalidOperationException(
                $"This network runs a composition of {reservoir.Layers.Length} reservoirs (EchoStateNetworkOptions.Composition); use Composition and the ComposedReservoirState overloads.");

    /// <summary>Builds the reservoirs the options describe: the composition, or one reservoir as a composition of one layer.</summary>
    internal static ComposedReservoir BuildReservoir(EchoStateNetworkOptions options) =>
        options.Composition is { } composition
            ? new ComposedReservoir(composition)
            : ComposedReservoir.Of(new EchoStateReservoir(options.Reservoir!));

    /// <summary>The options a network on one <paramref name="reservoir"/> reports (see <see cref="Describe(ComposedReservoir, EchoStateNetworkOptions)"/>).</summary>
    private static EchoStateNetworkOptions Describe(EchoStateReservoir reservoir, EchoStateNetworkOptions options)
    {
        var described = options.Reservoir!;
        if (described.UnitCount != reservoir.UnitCount || described.InputDimension != reservoir.InputDimension
            || described.FeedbackDimension != reservoir.FeedbackDimension)
        {
            throw new ArgumentException(
                $"options.Reservoir describes {described.UnitCount} units, {described.InputDimension} inputs and {described.FeedbackDimension} fed-back outputs, "
                + $"but the reservoir has {reservoir.UnitCount}, {reservoir.InputDimension} and {reservoir.FeedbackDimension}; "
                + "give options whose Reservoir describes the reservoir (for a reservoir built from options: options with { Reservoir = reservoir.Options }).",
                nameof(options));
        }

        return reservoir.Options is { } own && !ReferenceEquals(own, described) ? options with { Reservoir = own } : options;
    }

    /// <summary>Builds the reservoir from the options and trains the readout on many sequences (see <see cref="EchoStateNetwork.Fit(EchoStateNetworkOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, int)"/>).</summary>
    internal static EchoStateNetwork Fit(EchoStateNetworkOptions options, IReadOnlyList<double[,]> inputs,
        IReadOnlyList<double[,]> targets, int maxDegreeOfParallelism)
    {
        CreateSolvers(options);
        var reservoir = BuildReservoir(options);
        CheckSequences(inputs, targets, reservoir, options.WashoutSteps);
        return FitSequences(reservoir, options, inputs, targets, maxDegreeOfParallelism, horizon: 1, tails: null);
    }

    /// <summary>Trains the readout for a given reservoir on one sequence (see <see cref="EchoStateNetwork.Fit(EchoStateReservoir, EchoStateNetworkOptions, double[,], double[,])"/>).</summary>
    internal static EchoStateNetwork Fit(EchoStateReservoir reservoir, EchoStateNetworkOptions options, double[,] inputs,
        double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        CreateSolvers(options);
        if (options.Composition is not null)
        {
            throw new ArgumentException("options.Composition is set but one reservoir was given; give options with Reservoir.", nameof(options));
        }

        var single = ComposedReservoir.Of(reservoir);
        CheckSequences([inputs], [targets], single, options.WashoutSteps);
        return FitSequences(single, options, [inputs], [targets], 1, horizon: 1, tails: null);
    }

    /// <summary>Trains a direct multi-horizon forecaster (see <see cref="EchoStateNetwork.FitDirect"/>).</summary>
    internal static EchoStateNetwork FitDirect(EchoStateNetworkOptions options, IReadOnlyList<double[,]> series, int horizon,
        int maxDegreeOfParallelism)
    {
        CreateSolvers(options);
        Guard.AtLeast(horizon, 1);
        ArgumentNullException.ThrowIfNull(series);
        options.Composition?.Validate();
        if (options.Reservoir?.FeedbackDimension > 0 || options.Composition?.Layers.Any(l => l.Reservoir.FeedbackDimension > 0) == true)
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

        var reservoir = BuildReservoir(options);
        CheckSequences(inputs, targets, reservoir, options.WashoutSteps);
        return FitSequences(reservoir, options, inputs, targets, maxDegreeOfParallelism, horizon, tails);
    }

    /// <summary>Checks one chunk against the reservoir: lengths, widths, feedback width and finiteness.</summary>
    private static void CheckPair(double[,] inputs, double[,] targets, ComposedReservoir reservoir)
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

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",

        Justification = "ParamName is WashoutSteps, the EchoStateNetworkOptions member the caller set, which this method receives as"

            + " washoutSteps.")]
    private static void CheckSequences(IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets,
        ComposedReservoir reservoir, int washoutSteps)
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

    /// <summary>Fits the standardizers on all checked sequences, then adds every row; the blocks of the folds are sized by the row count.</summary>
    private static EchoStateNetworkTrainer AccumulateSequences(ComposedReservoir reservoir, EchoStateNetworkOptions options,
        IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets, int maxDegreeOfParallelism)
    {
        var inputScaler = options.StandardizeInputs ? Standardizer.Fit(inputs) : null;
        var targetScaler = options.StandardizeTargets ? Standardizer.Fit(targets) : null;
        var count = inputs.Count;
        var firstRows = new long[count + 1];
        for (var i = 0; i < count; i++)
        {
            firstRows[i + 1] = firstRows[i] + inputs[i].GetLength(0) - options.WashoutSteps;
        }

        var trainer = new EchoStateNetworkTrainer(reservoir, options, inputScaler, targetScaler, firstRows[count]);
        trainer.AddSequences(inputs, targets, firstRows, maxDegreeOfParallelism);
        return trainer;
    }

    /// <summary>Trains on checked whole sequences: standardizers fitted on all of them, blocks of the folds sized by the row count.</summary>
    private static EchoStateNetwork FitSequences(ComposedReservoir reservoir, EchoStateNetworkOptions options,
        IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets, int maxDegreeOfParallelism, int horizon,
        double[][,]? tails)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                $"maxDegreeOfParallelism must be -1 or >= 1; was {maxDegreeOfParallelism}.");
        }

        var trainer = AccumulateSequences(reservoir, options, inputs, targets, maxDegreeOfParallelism);
        if (tails is null)
        {
            // The trainer is not used again, so the solve may factor its statistics in place (one D × D array, not two).
            return trainer.Complete(final: true);
        }

        // Direct forecaster: read the rest of the last series so that forecasts start after its end.
        var last = tails[inputs.Count - 1];
        var state = trainer._state.Clone();
        reservoir.Run(state, trainer._inputScaler?.Transform(last) ?? last);
        return trainer.Solve(state, LastRow(last), lastTarget: null, horizon, final: true);
    }

    /// <summary>
    /// Accumulates whole sequences into a fresh trainer, sequence i from a zero state with noise stream i, and leaves the
    /// trainer in the last sequence. Each sequence has its own statistics, merged in sequence order, so the result does
    /// not depend on the degree of parallelism.
    /// </summary>
    private void AddSequences(IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets, long[] firstRows,
        int maxDegreeOfParallelism)
    {
        var count = inputs.Count;
        var k = targets[0].GetLength(1);
        var total = _accumulation = new TrainingAccumulation(_layout.Width, k, _folds);
        var washout = _options.WashoutSteps;
        var feedback = Composition.FeedbackDimension > 0;

        // Every sequence but the last runs in the multi-sequence run; its parts are merged as soon as all parts before
        // them are, so only the sequences in flight hold statistics.
        var head = count - 1;
        var headInputs = new double[head][,];
        var headTargets = new double[head][,];
        for (var i = 0; i < head; i++)
        {
            headInputs[i] = _inputScaler?.Transform(inputs[i]) ?? inputs[i];
            headTargets[i] = _targetScaler?.Transform(targets[i]) ?? targets[i];
        }

        var parts = new TrainingAccumulation?[head];
        var buffers = new double[]?[head];
        var finished = new bool[head];
        var merged = 0;
        void RunHead(int degree) => RunStreamed(headInputs, (int i, in StateBlock block) =>
        {
            var part = parts[i] ??= total.CreateEmpty();
            var steps = headInputs[i].GetLength(0);
            var features = buffers[i] ??= new double[Math.Min(TrainingAccumulation.StreamRows, steps) * _layout.Width];
            part.Add(in block, headTargets[i], _layout, washout, firstRows[i], features);
            if (block.FirstStep + block.RowCount == steps)
            {
                buffers[i] = null;
                lock (finished)
                {
                    finished[i] = true;
                    for (; merged < head && finished[merged]; merged++)
                    {
                        total.Add(parts[merged]!);
                        parts[merged] = null;
                    }
                }
            }
        }, 0, feedback ? headTargets : null, degree, TrainingAccumulation.StreamRows);

        // The last sequence runs on the trainer's own state, which the fitted network keeps.
        var last = count - 1;
        _sequenceIndex = last;
        _state = Composition.CreateState(last);
        // With one sequence it accumulates into the total directly: adding a whole accumulation to an empty one copies it
        // exactly, so this saves a second D × D accumulator and changes no bit.
        var tail = head == 0 ? total : total.CreateEmpty();
        void RunLast()
        {
            var scaledInputs = _inputScaler?.Transform(inputs[last]) ?? inputs[last];
            var scaledTargets = _targetScaler?.Transform(targets[last]) ?? targets[last];
            Accumulate(_state, scaledInputs, scaledTargets, washout, firstRows[last], tail);
        }

        try
        {
            if (head == 0)
            {
                RunLast();
            }
            else if (maxDegreeOfParallelism == 1)
            {
                RunHead(1);
                RunLast();
            }
            else
            {
                Parallel.Invoke(() => RunHead(maxDegreeOfParallelism == -1 ? -1 : maxDegreeOfParallelism - 1), RunLast);
            }
        }
        catch (AggregateException e)
        {
            // Report the first failure as itself (an InvalidOperationException for a diverged state), as a run on one thread does.
            ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            throw;
        }

        if (tail != total)
        {
            total.Add(tail);
        }

        _stepsInSequence = inputs[last].GetLength(0);
        _lastTarget = LastRow(targets[last]);
        _lastInput = LastRow(inputs[last]);
    }

    /// <summary>
    /// Runs many sequences, sequence i from a zero state with noise stream i, handing each sequence's blocks to
    /// <paramref name="handler"/> in step order (the handler may run concurrently for different sequences, never for one).
    /// </summary>
    private void RunStreamed(IReadOnlyList<double[,]> sequences, SequenceBlockHandler handler, int washoutSteps,
        IReadOnlyList<double[,]>? teacherOutputs, int maxDegreeOfParallelism, int blockSize)
    {
        // The batched engine: sequences are stepped together as N×B blocks, each bit-identical to its own run (one layer);
        // a deeper composition runs each sequence on its own state.
        Composition.RunStreamed(sequences, handler, washoutSteps, teacherOutputs, maxDegreeOfParallelism, blockSize);
    }

    /// <summary>Runs the reservoir over one chunk from <paramref name="state"/> and adds its rows after <paramref name="skipSteps"/> to <paramref name="into"/>.</summary>
    private void Accumulate(ComposedReservoirState state, double[,] inputs, double[,] targets, int skipSteps, long firstRow,
        TrainingAccumulation into)
    {
        var features = new double[Math.Min(TrainingAccumulation.StreamRows, inputs.GetLength(0)) * _layout.Width];
        var layout = _layout;
        if (PipelinedFit.Applies(Composition.StateWidth, inputs.GetLength(0) - skipSteps))
        {
            PipelinedFit.Accumulate(Composition, state, inputs, targets, skipSteps, firstRow, into, layout, features);
            return;
        }

        Composition.RunStreamed(state, inputs, (in StateBlock block) => into.Add(in block, targets, layout, skipSteps, firstRow, features),
            0, Composition.FeedbackDimension > 0 ? targets : null, TrainingAccumulation.StreamRows);
    }

    /// <summary>Solves for the readout (fixed λ or searched) and builds the network; when <paramref name="final"/>, the trainer is not used again and the fixed-λ solve factors the statistics in place.</summary>
    private EchoStateNetwork Solve(ComposedReservoirState finalState, double[] lastInput, double[]? lastTarget, int horizon, bool final)
    {
        var accumulation = _accumulation!;
        CheckDivergence(accumulation);
        RidgeSolution solution;
        RidgeCvResult? searched = null;
        if (_search is null)
        {
            var merged = accumulation.Merged();
            solution = final ? _readout.FitAndConsume(merged) : _readout.Fit(merged);
        }
        else
        {
            searched = _search.Fit(accumulation.Folds);
            solution = searched.Solution;
        }

        var saturation = accumulation.StateValueCount == 0 ? 0.0 : (double)accumulation.SaturatedCount / accumulation.StateValueCount;
        System.Collections.Immutable.ImmutableArray<string> warnings = [];
        var layers = Composition.Layers;
        if (layers.All(l => l.Activation == Activation.Tanh) && saturation >= EchoStateNetwork.SaturationWarningFraction)
        {
            var radius = string.Join(", ", layers.Select(l => Guard.Format(l.Options?.SpectralRadius ?? l.SpectralRadius)));
            warnings = warnings.Add(
                $"{saturation * 100:0.#} % of the training state values are saturated (|x| >= {EchoStateNetwork.SaturationThreshold}): the tanh units act as "
                + $"binary switches and the readout sees little of the input. Lower SpectralRadius (was {radius}), "
                + "InputScaling or BiasScaling.");
        }

        return new EchoStateNetwork(Composition, solution, _options, _inputScaler, _targetScaler, finalState, lastInput, lastTarget,
            horizon, searched, saturation, warnings);
    }

    /// <summary>The |x| above which the states of linear units count as diverged: 10⁶, far beyond the unit scale of standardised data.</summary>
    private const double DivergedState = 1e6;

    /// <summary>Throws when linear units have grown without bound, which would otherwise surface as a singular ridge system.</summary>
    /// <exception cref="ArgumentException">Activation is Identity, the states reached <see cref="DivergedState"/> and the effective spectral radius is ≥ 1; the parameter is SpectralRadius.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is SpectralRadius, the ReservoirOptions member the caller should change.")]
    private void CheckDivergence(TrainingAccumulation accumulation)
    {
        if (!(accumulation.MaxAbsState >= DivergedState))
        {
            return;
        }

        var linear = Composition.Layers.Where(l => l.Activation == Activation.Identity).ToArray();
        var reservoir = linear.Length == 0 ? null : linear.MaxBy(l => l.EffectiveSpectralRadius)!;
        if (reservoir is null || reservoir.EffectiveSpectralRadius < 1)
        {
            return;
        }

        var effective = reservoir.EffectiveSpectralRadius;
        throw new ArgumentException(
            $"The reservoir states diverge: |x| reached {Guard.Format(accumulation.MaxAbsState)} during training. Linear units (Activation = Identity) "
            + $"with spectral radius {Guard.Format(reservoir.Options?.SpectralRadius ?? reservoir.SpectralRadius)} (effective {Guard.Format(effective)}) > 1 grow without bound, as each step "
            + "multiplies the state by W. Set SpectralRadius below 1, or use Activation.Tanh.",
            nameof(ReservoirOptions.SpectralRadius));
    }

    private static ComposedReservoir CheckedReservoir(EchoStateNetworkOptions options)
    {
        CreateSolvers(options);
        return BuildReservoir(options);
    }

    private static int FoldCount(EchoStateNetworkOptions options, RidgeCv? search) =>
        search is null || search.Options.Method == RidgeCvMethod.GeneralizedCrossValidation ? 1 : options.CrossValidationFolds;

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

    private static double[] LastRow(double[,] matrix) => matrix.Row(matrix.GetLength(0) - 1).ToArray();
}
