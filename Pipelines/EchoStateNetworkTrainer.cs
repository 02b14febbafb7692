using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Trains an <see cref="EchoStateNetwork"/> incrementally: chunks of one or more sequences, then one closed-form solve.</summary>
/// <remarks>
/// <para>
/// Each <see cref="PartialFit"/> continues the current sequence from where the last chunk ended (state, delay buffer
/// and fed-back output carry over, and the washout counts from the start of the sequence), so fitting a sequence in
/// chunks gives the same readout as fitting it at once, up to rounding. <see cref="EndSequence"/> starts the next
/// sequence from a zero state. Memory stays O(N²) however long the data.
/// </para>
/// <para>
/// With <see cref="EchoStateNetworkOptions.StandardizeInputs"/> or <see cref="EchoStateNetworkOptions.StandardizeTargets"/>
/// and no standardizer given, the standardizers are fitted on the first chunk. Not thread-safe.
/// </para>
/// </remarks>
public sealed class EchoStateNetworkTrainer
{
    private readonly EchoStateNetworkOptions _options;
    private readonly RidgeReadout _readout;
    private readonly RidgeCv? _search;
    private TrainingAccumulation? _accumulation;
    private Standardizer? _inputScaler;
    private Standardizer? _targetScaler;
    private ReservoirState _state;
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
    {
        (_readout, _search) = EchoStateNetwork.CreateSolvers(options);
        Reservoir = new EchoStateReservoir(options.Reservoir);
        if (inputScaler is not null && inputScaler.Dimension != Reservoir.InputDimension)
        {
            throw new ArgumentException(
                $"inputScaler has {inputScaler.Dimension} columns but the reservoir has {Reservoir.InputDimension} inputs.",
                nameof(inputScaler));
        }

        _options = options;
        _inputScaler = inputScaler;
        _targetScaler = targetScaler;
        _state = Reservoir.CreateState(0);
    }

    /// <summary>The reservoir being trained on.</summary>
    public EchoStateReservoir Reservoir { get; }

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
        EchoStateNetwork.CheckPair(inputs, targets, Reservoir);
        var k = targets.GetLength(1);
        var accumulation = _accumulation ??= new TrainingAccumulation(
            FeatureLayout.For(Reservoir, _options).Width, k, EchoStateNetwork.FoldCount(_options, _search),
            TrainingAccumulation.BlockRows);
        if (k != accumulation.Folds[0].TargetCount)
        {
            throw new ArgumentException(
                $"targets has {k} columns but earlier chunks had {accumulation.Folds[0].TargetCount}.", nameof(targets));
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
        accumulation.AccumulateChunk(Reservoir, _state, scaledInputs, scaledTargets, FeatureLayout.For(Reservoir, _options), skip,
            accumulation.RowCount);
        _stepsInSequence += inputs.GetLength(0);
        _lastTarget = EchoStateNetwork.LastRow(targets);
        _lastInput = EchoStateNetwork.LastRow(inputs);
    }

    /// <summary>Ends the current sequence: the next chunk starts a new sequence from a zero state, with its own washout.</summary>
    public void EndSequence()
    {
        if (_stepsInSequence == 0)
        {
            return;
        }

        _sequenceIndex++;
        _state = Reservoir.CreateState(_sequenceIndex);
        _stepsInSequence = 0;
    }

    /// <summary>Solves for the readout on everything accumulated so far; the trainer can go on accumulating afterwards.</summary>
    /// <returns>The fitted network, continuing from the current state of the current sequence.</returns>
    /// <exception cref="InvalidOperationException">No row has been accumulated yet (nothing fed, or every step was in the washout).</exception>
    /// <exception cref="ArgumentException">The ridge system is singular (set L2Regularization &gt; 0), or too few rows for the cross-validation folds.</exception>
    public EchoStateNetwork Complete()
    {
        if (RowCount == 0)
        {
            throw new InvalidOperationException(
                "No training rows were accumulated: call PartialFit with sequences longer than WashoutSteps before Complete.");
        }

        return EchoStateNetwork.Solve(Reservoir, _options, _readout, _search, _accumulation!, _inputScaler,
            _targetScaler, _state.Clone(), _lastInput!, _lastTarget, horizon: 1);
    }
}
