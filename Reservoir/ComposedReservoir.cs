using System.Collections.Immutable;

namespace Reservoir;

/// <summary>Reservoirs composed into stacks and parallel groups and read out together (Gallicchio's DeepESN; the reservoir form of El Hihi and Bengio's hierarchy).</summary>
/// <remarks>
/// <para>At each step t the layers update in order; layer k is an <see cref="EchoStateReservoir"/> stepped by its own step:</para>
/// <para>x⁽ᵏ⁾(t) = (1−α⁽ᵏ⁾)⊙x⁽ᵏ⁾(t−1) + α⁽ᵏ⁾⊙f(W⁽ᵏ⁾x⁽ᵏ⁾(t−1) + W_in⁽ᵏ⁾[x⁽ᵏ⁻¹⁾(t); u(t)] + b⁽ᵏ⁾),</para>
/// <para>
/// shown for a stack whose upper layers also read the input; in general the layer reads the states at step t of the
/// earlier layers it names and optionally u(t) (<see cref="ReservoirLayerOptions"/>), and its own skip connections,
/// clockwork, feedback and noise apply as in one reservoir. The composed state is the concatenation of the read-out
/// layers' states, [x⁽ʲ¹⁾(t); x⁽ʲ²⁾(t); …]. A stack whose upper layers have smaller leak rates gives slower time scales
/// higher up; a parallel group gives independent reservoirs on the same input.
/// </para>
/// <para>
/// Running layer 1 over a sequence and feeding its states to layer 2 by hand gives bit-identical states: the composition
/// only routes values between the layers' own steps. A composition of one layer reading the input runs exactly as
/// that reservoir (the same calls, batched runs included). Immutable and thread-safe; states are owned by callers.
/// </para>
/// </remarks>
public sealed class ComposedReservoir
{
    private readonly EchoStateReservoir[] _layers;
    private readonly int[][] _reads;
    private readonly bool[] _readsInput;
    private readonly int[] _readout;

    /// <summary>Builds every layer from the options, each from its own seed.</summary>
    /// <param name="options">The composition; see <see cref="ComposedReservoirOptions"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names the layer and the option.</exception>
    public ComposedReservoir(ComposedReservoirOptions options)
        : this(Own(options))
    {
    }

    private ComposedReservoir((ComposedReservoirOptions Options, ResolvedLayers Resolved) own)
        : this(own.Options, own.Resolved, own.Resolved.Options.Select(o => new EchoStateReservoir(o)).ToArray())
    {
    }

    private ComposedReservoir(ComposedReservoirOptions? options, ResolvedLayers resolved, EchoStateReservoir[] layers)
    {
        Options = options;
        _layers = layers;
        _reads = resolved.Reads;
        _readsInput = resolved.ReadsInput;
        _readout = resolved.Readout;
        Layers = [.. layers];
        ReadoutLayers = [.. _readout];
        InputDimension = options?.InputDimension ?? layers[0].InputDimension;
        FeedbackDimension = resolved.FeedbackDimension;
        UnitCount = layers.Sum(l => l.UnitCount);
        StateWidth = _readout.Sum(j => layers[j].UnitCount);
        IsSingle = layers.Length == 1;
    }

    /// <summary>A composition of one layer, <paramref name="reservoir"/> reading the input; it runs exactly as the reservoir does.</summary>
    /// <param name="reservoir">The reservoir (used as it is, not copied).</param>
    /// <returns>The composition; its <see cref="Options"/> are null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reservoir"/> is null.</exception>
    public static ComposedReservoir Of(EchoStateReservoir reservoir)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        return new ComposedReservoir(null, new ResolvedLayers([], [[]], [true], [0], reservoir.FeedbackDimension), [reservoir]);
    }

    /// <summary>A composition from loaded layers: the options describe them (checked by the caller), nothing is redrawn.</summary>
    /// <exception cref="ArgumentException">The options are invalid or a layer's sizes differ from what the options give.</exception>
    internal static ComposedReservoir FromLayers(ComposedReservoirOptions options, EchoStateReservoir[] layers)
    {
        var own = Own(options);
        var resolved = own.Resolved;
        if (layers.Length != resolved.Options.Length)
        {
            throw new ArgumentException($"{layers.Length} layers were given for options of {resolved.Options.Length}.", nameof(layers));
        }

        for (var k = 0; k < layers.Length; k++)
        {
            var o = resolved.Options[k];
            if (layers[k].UnitCount != o.UnitCount || layers[k].InputDimension != o.InputDimension
                || layers[k].FeedbackDimension != o.FeedbackDimension)
            {
                throw new ArgumentException(
                    $"Layer {k} has {layers[k].UnitCount} units, {layers[k].InputDimension} inputs and {layers[k].FeedbackDimension} fed-back outputs; its options give {o.UnitCount}, {o.InputDimension} and {o.FeedbackDimension}.",
                    nameof(layers));
            }
        }

        return new ComposedReservoir(own.Options, resolved, layers);
    }

    /// <summary>The options the composition was built from, as its own copy with every default resolved (each layer's InputDimension, ReadsLayers and ReadsInput, and ReadoutLayers); null for <see cref="Of"/>.</summary>
    public ComposedReservoirOptions? Options { get; }

    /// <summary>The layers, in update order.</summary>
    public ImmutableArray<EchoStateReservoir> Layers { get; }

    /// <summary>The layers whose states make the composed state, in order.</summary>
    public ImmutableArray<int> ReadoutLayers { get; }

    /// <summary>The dimension D of the external input.</summary>
    public int InputDimension { get; }

    /// <summary>The dimension of the output fed back to the layers with feedback (0 without feedback).</summary>
    public int FeedbackDimension { get; }

    /// <summary>The total number of units over all layers.</summary>
    public int UnitCount { get; }

    /// <summary>The width of the composed state: the units of the read-out layers.</summary>
    public int StateWidth { get; }

    /// <summary>Whether this is one layer reading the input, which runs as that reservoir.</summary>
    internal bool IsSingle { get; }

    /// <summary>The earlier layers that layer <paramref name="layer"/> reads, in order.</summary>
    /// <param name="layer">The layer, in [0, Layers.Length).</param>
    /// <returns>The indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer.</exception>
    public ImmutableArray<int> ReadsLayers(int layer) => [.. _reads[CheckLayer(layer)]];

    /// <summary>Whether layer <paramref name="layer"/> reads the external input.</summary>
    /// <param name="layer">The layer, in [0, Layers.Length).</param>
    /// <returns>True when it reads u(t).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer.</exception>
    public bool ReadsInput(int layer) => _readsInput[CheckLayer(layer)];

    private int CheckLayer(int layer) => (uint)layer < (uint)_layers.Length ? layer
        : throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer must be in [0, {_layers.Length}); was {layer}.");

    /// <summary>A new state at zero: each layer's <see cref="EchoStateReservoir.CreateState"/> with the same noise stream.</summary>
    /// <param name="noiseStream">Which noise sub-stream each layer uses (sequence index in runs of many sequences); default 0.</param>
    /// <returns>The state, owned by the caller.</returns>
    public ComposedReservoirState CreateState(long noiseStream = 0) =>
        new(this, _layers.Select(l => l.CreateState(noiseStream)).ToArray());

    /// <summary>A state over existing layer states, which it uses as they are (not copied), so that they advance with it.</summary>
    /// <param name="layerStates">One state per layer, each created by that layer.</param>
    /// <returns>The composed state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layerStates"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">The count differs from the layers', or a state belongs to another reservoir.</exception>
    public ComposedReservoirState CreateState(IReadOnlyList<ReservoirState> layerStates)
    {
        ArgumentNullException.ThrowIfNull(layerStates);
        if (layerStates.Count != _layers.Length)
        {
            throw new ArgumentException($"layerStates has {layerStates.Count} states but the composition has {_layers.Length} layers.",
                nameof(layerStates));
        }

        for (var k = 0; k < _layers.Length; k++)
        {
            var state = layerStates[k] ?? throw new ArgumentNullException(nameof(layerStates), $"layerStates[{k}] is null.");
            if (!ReferenceEquals(state.Owner, _layers[k]))
            {
                throw new ArgumentException($"layerStates[{k}] was created by another reservoir than layer {k}.", nameof(layerStates));
            }
        }

        return new ComposedReservoirState(this, [.. layerStates]);
    }

    /// <summary>Advances every layer by one step, in order, with input u and, for layers with feedback, the fed-back output y.</summary>
    /// <param name="state">The state to advance, created by this composition.</param>
    /// <param name="input">The input u[t], length D, finite.</param>
    /// <param name="feedback">The output y[t−1], length FeedbackDimension; empty uses each layer's last feedback.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another composition, a length is wrong, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">A layer's state would become non-finite; that layer and those above it stay at the previous step, those below have stepped.</exception>
    public void Step(ComposedReservoirState state, ReadOnlySpan<double> input, ReadOnlySpan<double> feedback = default)
    {
        CheckState(state);
        if (input.Length != InputDimension)
        {
            throw new ArgumentException(
                $"Input has {input.Length} features but the composed reservoir was built for {InputDimension}.", nameof(input));
        }

        if (!feedback.IsEmpty && feedback.Length != FeedbackDimension)
        {
            throw new ArgumentException(
                $"Feedback has {feedback.Length} values but the composed reservoir feeds back {FeedbackDimension}.", nameof(feedback));
        }

        // Checked here, before any layer steps, so that a bad value never leaves the lower layers a step ahead.
        Guard.AllFinite(input, nameof(input));
        Guard.AllFinite(feedback, nameof(feedback));
        StepLayers(state, input, feedback);
    }

    /// <summary>Steps each layer on its own step, after writing what it reads into its scratch input.</summary>
    private void StepLayers(ComposedReservoirState state, ReadOnlySpan<double> input, ReadOnlySpan<double> feedback)
    {
        if (IsSingle)
        {
            _layers[0].Step(state.Layer(0), input, feedback);
            return;
        }

        for (var k = 0; k < _layers.Length; k++)
        {
            var x = state.LayerInput(k).AsSpan();
            var offset = 0;
            foreach (var j in _reads[k])
            {
                var below = state.Layer(j).Values;
                below.CopyTo(x[offset..]);
                offset += below.Length;
            }

            if (_readsInput[k])
            {
                input.CopyTo(x[offset..]);
            }

            var layer = _layers[k];
            layer.Step(state.Layer(k), x, layer.FeedbackDimension > 0 ? feedback : default);
        }
    }

    /// <summary>Runs a sequence from a new zero state and returns the composed states after the washout.</summary>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="washoutSteps">The number of initial states to drop, in [0, T).</param>
    /// <returns>The composed states, (T − washout)×<see cref="StateWidth"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The input width differs from D, the sequence is empty or not longer than the washout, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite.</exception>
    public double[,] Run(double[,] inputs, int washoutSteps = 0) => Run(CreateState(), inputs, washoutSteps);

    /// <summary>Runs a sequence from the given state (which advances) and returns the composed states after the washout.</summary>
    /// <param name="state">The state to start from; it holds the final state afterwards.</param>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="washoutSteps">The number of initial states to drop, in [0, T).</param>
    /// <param name="teacherOutputs">With feedback, the true outputs T×F: step t feeds back row t−1. Null without feedback.</param>
    /// <returns>The composed states, (T − washout)×<see cref="StateWidth"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> or <paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is wrong, the sequence is too short, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite.</exception>
    public double[,] Run(ComposedReservoirState state, double[,] inputs, int washoutSteps = 0, double[,]? teacherOutputs = null)
    {
        CheckState(state);
        if (IsSingle)
        {
            return _layers[0].Run(state.Layer(0), inputs, washoutSteps, teacherOutputs);
        }

        CheckInputs(inputs, washoutSteps, teacherOutputs);
        var w = StateWidth;
        var states = new double[inputs.GetLength(0) - washoutSteps, w];
        RunCore(state, inputs, washoutSteps, teacherOutputs,
            (t, x) => x.CopyTo(states.AsSpan().Slice((t - washoutSteps) * w, w)));
        return states;
    }

    /// <summary>Runs a sequence and hands the composed states to <paramref name="handler"/> in blocks, never holding all of them.</summary>
    /// <param name="state">The state to start from; it holds the final state afterwards.</param>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="handler">Called once per block, in order; <see cref="StateBlock.UnitCount"/> is <see cref="StateWidth"/>.</param>
    /// <param name="washoutSteps">The number of initial states not handed out, in [0, T).</param>
    /// <param name="teacherOutputs">With feedback, the true outputs T×F; null without feedback.</param>
    /// <param name="blockSize">The rows per block, ≥ 1; default 256.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A dimension is wrong, the sequence is too short, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite.</exception>
    public void RunStreamed(ComposedReservoirState state, double[,] inputs, StateBlockHandler handler, int washoutSteps = 0,
        double[,]? teacherOutputs = null, int blockSize = EchoStateReservoir.DefaultBlockSize)
    {
        CheckState(state);
        if (IsSingle)
        {
            _layers[0].RunStreamed(state.Layer(0), inputs, handler, washoutSteps, teacherOutputs, blockSize);
            return;
        }

        ArgumentNullException.ThrowIfNull(handler);
        Guard.AtLeast(blockSize, 1);
        CheckInputs(inputs, washoutSteps, teacherOutputs);
        RunCore(state, inputs, washoutSteps, teacherOutputs, new StateBlockWriter(inputs, washoutSteps, StateWidth, blockSize, handler).Add);
    }

    /// <summary>Runs many independent sequences, each from its own zero state (sequence i with noise stream i), equal to running them one by one.</summary>
    /// <param name="sequences">The input sequences, each T_i×D.</param>
    /// <param name="washoutSteps">The states dropped at the start of each sequence.</param>
    /// <param name="maxDegreeOfParallelism">The most threads used; −1 (default) lets the runtime choose, 1 runs on the calling thread.</param>
    /// <returns>The composed states of each sequence, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> is null.</exception>
    /// <exception cref="ArgumentException">A sequence is null, has the wrong width, is too short, or holds a non-finite value (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    /// <exception cref="AggregateException">A state became non-finite in a run on several threads.</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite in a run on one thread.</exception>
    public double[][,] Run(IReadOnlyList<double[,]> sequences, int washoutSteps = 0, int maxDegreeOfParallelism = -1)
    {
        if (IsSingle)
        {
            return _layers[0].Run(sequences, washoutSteps, maxDegreeOfParallelism);
        }

        CheckSequences(sequences, washoutSteps, null, maxDegreeOfParallelism);
        var results = new double[sequences.Count][,];
        ForEachSequence(sequences.Count, maxDegreeOfParallelism, i => results[i] = Run(CreateState(i), sequences[i], washoutSteps));
        return results;
    }

    /// <summary>Runs many independent sequences and hands each one's composed states to <paramref name="handler"/> in blocks; equal to streaming them one by one.</summary>
    /// <param name="sequences">The input sequences, each T_i×D, finite.</param>
    /// <param name="handler">Called once per block; may run concurrently for different sequences, never for one.</param>
    /// <param name="washoutSteps">The states not handed out at the start of each sequence.</param>
    /// <param name="teacherOutputs">With feedback, one teacher sequence T_i×F per input sequence; null feeds back zeros.</param>
    /// <param name="maxDegreeOfParallelism">The most threads used; −1 (default) lets the runtime choose, 1 runs on the calling thread.</param>
    /// <param name="blockSize">The rows per block, ≥ 1; default 256.</param>
    /// <remarks>One layer reading the input runs as <see cref="EchoStateReservoir.RunStreamed(IReadOnlyList{double[,]}, SequenceBlockHandler, int, IReadOnlyList{double[,]}, int, int)"/> (batched); deeper compositions run each sequence on its own state, sequences in parallel.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or <paramref name="handler"/> is null.</exception>
    /// <exception cref="ArgumentException">A sequence or teacher sequence is null, has the wrong size, is too short, or holds a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> or <paramref name="blockSize"/> is out of range.</exception>
    /// <exception cref="AggregateException">A state became non-finite or the handler threw, in a run on several threads.</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite in a run on one thread.</exception>
    public void RunStreamed(IReadOnlyList<double[,]> sequences, SequenceBlockHandler handler, int washoutSteps = 0,
        IReadOnlyList<double[,]>? teacherOutputs = null, int maxDegreeOfParallelism = -1, int blockSize = EchoStateReservoir.DefaultBlockSize)
    {
        if (IsSingle)
        {
            _layers[0].RunStreamed(sequences, handler, washoutSteps, teacherOutputs, maxDegreeOfParallelism, blockSize);
            return;
        }

        ArgumentNullException.ThrowIfNull(handler);
        Guard.AtLeast(blockSize, 1);
        CheckSequences(sequences, washoutSteps, teacherOutputs, maxDegreeOfParallelism);
        ForEachSequence(sequences.Count, maxDegreeOfParallelism, i => RunStreamed(CreateState(i), sequences[i],
            (in StateBlock block) => handler(i, in block), washoutSteps, teacherOutputs?[i], blockSize));
    }

    private static void ForEachSequence(int count, int maxDegreeOfParallelism, Action<int> run)
    {
        if (maxDegreeOfParallelism == 1 || count <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                run(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, run);
    }

    private void RunCore(ComposedReservoirState state, double[,] inputs, int washoutSteps, double[,]? teacherOutputs,
        Action<int, ReadOnlySpan<double>> onState)
    {
        var total = inputs.GetLength(0);
        var d = InputDimension;
        var f = FeedbackDimension;
        for (var t = 0; t < total; t++)
        {
            var feedback = f == 0 || t == 0 || teacherOutputs is null ? default
                : teacherOutputs.AsSpan().Slice((t - 1) * f, f);
            StepLayers(state, inputs.AsSpan().Slice(t * d, d), feedback);
            if (t >= washoutSteps)
            {
                onState(t, state.Values);
            }
        }

        if (f > 0 && teacherOutputs is not null)
        {
            state.SetFeedback(teacherOutputs.AsSpan().Slice((total - 1) * f, f));
        }
    }

    private void CheckState(ComposedReservoirState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Owner, this))
        {
            throw new ArgumentException("The state was created by another composed reservoir; use this one's CreateState().",
                nameof(state));
        }
    }

    private void CheckSequences(IReadOnlyList<double[,]> sequences, int washoutSteps, IReadOnlyList<double[,]>? teacherOutputs,
        int maxDegreeOfParallelism) =>
        RunArguments.Sequences(sequences, washoutSteps, teacherOutputs, maxDegreeOfParallelism, InputDimension, FeedbackDimension, Subject);

    private void CheckInputs(double[,] inputs, int washoutSteps, double[,]? teacherOutputs) =>
        RunArguments.Inputs(inputs, washoutSteps, teacherOutputs, InputDimension, FeedbackDimension, Subject);

    private const string Subject = "composed reservoir";

    private static (ComposedReservoirOptions Options, ResolvedLayers Resolved) Own(ComposedReservoirOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Copy();
        var resolved = copy.Resolve();
        var own = copy with
        {
            Layers = [.. copy.Layers.Select((l, k) => l with
            {
                Reservoir = resolved.Options[k], ReadsLayers = [.. resolved.Reads[k]], ReadsInput = resolved.ReadsInput[k],
            })],
            ReadoutLayers = [.. resolved.Readout],
        };
        return (own, resolved);
    }
}
