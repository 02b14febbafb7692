using Reservoir.Numerics;

namespace Reservoir;

public sealed partial class EchoStateReservoir
{
    /// <summary>The default number of states per block in <see cref="RunStreamed(ReservoirState, double[,], StateBlockHandler, int, double[,], int)"/> and the run of many sequences.</summary>
    public const int DefaultBlockSize = 256;

    /// <summary>Advances the state by one step with input u and, when the reservoir has feedback, the fed-back output y.</summary>
    /// <param name="state">The state to advance, created by this reservoir.</param>
    /// <param name="input">The input u[t], length D, finite.</param>
    /// <param name="feedback">The output y[t−1] to feed back, length F; empty uses the state's <see cref="ReservoirState.LastFeedback"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another reservoir, or a length is wrong, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The new state would be non-finite (the dynamics diverged); the state is left as it was.</exception>
    public void Step(ReservoirState state, ReadOnlySpan<double> input, ReadOnlySpan<double> feedback = default)
    {
        CheckState(state);
        if (input.Length != InputDimension)
        {
            throw new ArgumentException(
                $"Input has {input.Length} features but the reservoir was built for {InputDimension}.", nameof(input));
        }

        Guard.AllFinite(input);
        if (!feedback.IsEmpty)
        {
            if (feedback.Length != FeedbackDimension)
            {
                throw new ArgumentException(
                    $"Feedback has {feedback.Length} values but the reservoir feeds back {FeedbackDimension}.", nameof(feedback));
            }

            Guard.AllFinite(feedback);
        }
        else
        {
            feedback = state.LastFeedback;
        }

        if (!StepUnchecked(state, input, feedback))
        {
            throw Diverged(state.StepCount + 1, null);
        }

        if (FeedbackDimension > 0)
        {
            state.CopyFeedback(feedback);
        }
    }

    /// <summary>Runs a sequence from a new zero state and returns the states after the washout.</summary>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="washoutSteps">The number of initial states to drop, in [0, T).</param>
    /// <returns>The states, (T − washout)×N; row r is x after step washout + r.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The input width differs from D, the sequence is empty or not longer than the washout, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The state became non-finite; the message names the step.</exception>
    public double[,] Run(double[,] inputs, int washoutSteps = 0) => Run(CreateState(), inputs, washoutSteps);

    /// <summary>Runs a sequence from the given state (which advances) and returns the states after the washout.</summary>
    /// <param name="state">The state to start from; it holds the final state afterwards.</param>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="washoutSteps">The number of initial states to drop, in [0, T).</param>
    /// <param name="teacherOutputs">With feedback, the true outputs T×F: step t feeds back row t−1 (step 0 the state's last feedback). Null without feedback.</param>
    /// <returns>The states, (T − washout)×N.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> or <paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is wrong, the sequence is empty or not longer than the washout, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The state became non-finite; the message names the step.</exception>
    public double[,] Run(ReservoirState state, double[,] inputs, int washoutSteps = 0, double[,]? teacherOutputs = null)
    {
        CheckRun(state, inputs, washoutSteps, teacherOutputs);
        var n = UnitCount;
        var states = new double[inputs.GetLength(0) - washoutSteps, n];
        RunCore(state, inputs, washoutSteps, teacherOutputs,
            (step, x) => x.CopyTo(states.AsSpan().Slice((step - washoutSteps) * n, n)));
        return states;
    }

    /// <summary>Runs a univariate sequence (D = 1) from a new zero state.</summary>
    /// <param name="inputs">The inputs, length T, finite.</param>
    /// <param name="washoutSteps">The number of initial states to drop, in [0, T).</param>
    /// <returns>The states, (T − washout)×N.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The reservoir is not univariate, the sequence is too short, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The state became non-finite; the message names the step.</exception>
    public double[,] Run(double[] inputs, int washoutSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(inputs.ToColumn(), washoutSteps);
    }

    /// <summary>Runs a sequence and hands the states to <paramref name="handler"/> in blocks, never holding all T×N states.</summary>
    /// <param name="state">The state to start from; it holds the final state afterwards.</param>
    /// <param name="inputs">The inputs, T×D, finite.</param>
    /// <param name="handler">Called once per block, in order.</param>
    /// <param name="washoutSteps">The number of initial states not handed out, in [0, T).</param>
    /// <param name="teacherOutputs">With feedback, the true outputs T×F (see <see cref="Run(ReservoirState, double[,], int, double[,])"/>).</param>
    /// <param name="blockSize">The rows per block, ≥ 1; default 256.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A dimension is wrong, the sequence is too short, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The state became non-finite; the message names the step.</exception>
    public void RunStreamed(ReservoirState state, double[,] inputs, StateBlockHandler handler, int washoutSteps = 0,
        double[,]? teacherOutputs = null, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Guard.AtLeast(blockSize, 1);
        CheckRun(state, inputs, washoutSteps, teacherOutputs);
        RunCore(state, inputs, washoutSteps, teacherOutputs, new StateBlockWriter(inputs, washoutSteps, UnitCount, blockSize, handler).Add);
    }

    /// <summary>Runs many independent sequences, each from its own zero state; equal to running them one by one.</summary>
    /// <param name="sequences">The input sequences, each T_i×D.</param>
    /// <param name="washoutSteps">The states dropped at the start of each sequence; each sequence must be longer.</param>
    /// <param name="maxDegreeOfParallelism">The most threads used; −1 (default) lets the runtime choose, 1 runs on the calling thread.</param>
    /// <returns>The states of each sequence, in order; sequence i uses noise stream i.</returns>
    /// <remarks>
    /// The sequences are sorted by length and cut into groups of at most <see cref="MaxBatchSize"/> (at least one
    /// group per thread). A group of several sequences is stepped as one N×B block, so each weight of W is loaded
    /// once per step for the whole group, and a sequence leaves the block when it ends. The result of sequence i is
    /// bit-identical to <c>Run(CreateState(i), sequences[i], washoutSteps)</c> whatever the grouping or thread count.
    /// With feedback, zeros are fed back; <see cref="RunStreamed(IReadOnlyList{double[,]}, SequenceBlockHandler, int, IReadOnlyList{double[,]}, int, int)"/> takes teacher outputs.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> is null.</exception>
    /// <exception cref="ArgumentException">A sequence is null, has the wrong width, is too short, or holds a non-finite value (the message names the sequence).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    /// <exception cref="AggregateException">A state became non-finite (an <see cref="InvalidOperationException"/> naming the sequence and the step, wrapped when several groups ran in parallel).</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite in a run on one thread; the message names the sequence and the step.</exception>
    public double[][,] Run(IReadOnlyList<double[,]> sequences, int washoutSteps = 0, int maxDegreeOfParallelism = -1)
    {
        CheckSequences(sequences, washoutSteps, null, maxDegreeOfParallelism);
        var n = UnitCount;
        var results = new double[sequences.Count][,];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new double[sequences[i].GetLength(0) - washoutSteps, n];
        }

        SequenceStateSink sink = (sequence, step, values, stride, column) =>
            CopyColumn(values, stride, column, results[sequence].AsSpan().Slice((step - washoutSteps) * n, n));
        RunMany(sequences, washoutSteps, null, maxDegreeOfParallelism, _ => sink);
        return results;
    }

    /// <summary>
    /// Runs many independent sequences, each from its own zero state, and hands the states of each to
    /// <paramref name="handler"/> in blocks, never holding all states; equal to streaming them one by one.
    /// </summary>
    /// <param name="sequences">The input sequences, each T_i×D, finite.</param>
    /// <param name="handler">Called once per block: the blocks of one sequence in step order, <see cref="StateBlock.FirstStep"/> being the index in that sequence.</param>
    /// <param name="washoutSteps">The states not handed out at the start of each sequence; each sequence must be longer.</param>
    /// <param name="teacherOutputs">With feedback, one teacher sequence T_i×F per input sequence (step t of sequence i feeds back row t−1 of teacherOutputs[i], step 0 zeros); null feeds back zeros.</param>
    /// <param name="maxDegreeOfParallelism">The most threads used; −1 (default) lets the runtime choose, 1 runs on the calling thread.</param>
    /// <param name="blockSize">The rows per block, ≥ 1; default 256.</param>
    /// <remarks>
    /// <para>
    /// The blocks of sequence i are bit-identical to those of
    /// <c>RunStreamed(CreateState(i), sequences[i], h, washoutSteps, teacherOutputs?[i], blockSize)</c>: the same rows,
    /// cut at the same steps, and sequence i uses noise stream i. The sequences are grouped as in
    /// <see cref="Run(IReadOnlyList{double[,]}, int, int)"/> (sorted by length, groups of at most <see cref="MaxBatchSize"/>
    /// stepped as one N×B block, so each weight is loaded once per step per group).
    /// </para>
    /// <para>
    /// The handler may be called concurrently for different sequences (from groups on different threads) but never
    /// concurrently for the same sequence. The spans of a block are valid only during the call. Each group holds one block
    /// buffer of min(blockSize, T_i − washoutSteps)×N values per sequence.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or <paramref name="handler"/> is null.</exception>
    /// <exception cref="ArgumentException">A sequence or teacher sequence is null, has the wrong size, is too short, or holds a non-finite value (the message names its index); or the counts of sequences and teacher sequences differ, or teacher outputs are given to a reservoir without feedback.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1, or <paramref name="blockSize"/> is below 1.</exception>
    /// <exception cref="AggregateException">A state became non-finite or the handler threw, when several groups ran in parallel (wrapping the <see cref="InvalidOperationException"/> that names the sequence and the step, or the handler's exception).</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite in a run on one thread; the message names the sequence and the step.</exception>
    public void RunStreamed(IReadOnlyList<double[,]> sequences, SequenceBlockHandler handler, int washoutSteps = 0,
        IReadOnlyList<double[,]>? teacherOutputs = null, int maxDegreeOfParallelism = -1, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(handler);
        Guard.AtLeast(blockSize, 1);
        CheckSequences(sequences, washoutSteps, teacherOutputs, maxDegreeOfParallelism);
        var n = UnitCount;
        var d = InputDimension;
        RunMany(sequences, washoutSteps, teacherOutputs, maxDegreeOfParallelism, groupSize =>
        {
            // Column b of a group holds one sequence for the group's whole run, so its buffer is that sequence's.
            var buffers = new double[groupSize][];
            var rows = new int[groupSize];
            return (sequence, step, values, stride, column) =>
            {
                var inputs = sequences[sequence];
                var total = inputs.GetLength(0);
                var buffer = buffers[column] ??= new double[Math.Min(blockSize, total - washoutSteps) * n];
                CopyColumn(values, stride, column, buffer.AsSpan(rows[column] * n, n));
                var count = ++rows[column];
                if (count * n == buffer.Length || step == total - 1)
                {
                    var first = step + 1 - count;
                    var block = new StateBlock(first, count, buffer.AsSpan(0, count * n),
                        inputs.AsSpan().Slice(first * d, count * d), n, d);
                    handler(sequence, in block);
                    rows[column] = 0;
                }
            };
        });
    }

    /// <summary>The most sequences that <see cref="Run(IReadOnlyList{double[,]}, int, int)"/> steps together as one block.</summary>
    public const int MaxBatchSize = 32;

    /// <summary>Receives the state of sequence <paramref name="sequence"/> after step <paramref name="step"/>; unit i is values[i·stride + column].</summary>
    internal delegate void SequenceStateSink(int sequence, int step, ReadOnlySpan<double> values, int stride, int column);

    /// <summary>
    /// The engine of the runs over many sequences, on validated arguments: hands each state after the washout to the
    /// sink of its group (none when the factory is null, as the throughput benchmark does).
    /// </summary>
    /// <param name="sequences">The sequences, validated.</param>
    /// <param name="washoutSteps">The states not handed out at the start of each sequence.</param>
    /// <param name="teacherOutputs">Per sequence, the outputs fed back (row t−1 at step t), validated; null feeds back zeros.</param>
    /// <param name="maxDegreeOfParallelism">−1 or ≥ 1.</param>
    /// <param name="sinkForGroup">
    /// Makes the sink of one group from its size; a group's sink is called from one thread, for column b always with the
    /// same sequence, in step order. Sinks of different groups run concurrently.
    /// </param>
    /// <param name="maxBatchSize">The most sequences per block, in [1, <see cref="MaxBatchSize"/>] (1 steps every sequence alone).</param>
    internal void RunMany(IReadOnlyList<double[,]> sequences, int washoutSteps, IReadOnlyList<double[,]>? teacherOutputs,
        int maxDegreeOfParallelism, Func<int, SequenceStateSink>? sinkForGroup, int maxBatchSize = MaxBatchSize)
    {
        var count = sequences.Count;
        if (count == 0)
        {
            return;
        }

        // Longest first, ties by index, so that a group's finished sequences are always its last columns.
        var order = Enumerable.Range(0, count).OrderByDescending(i => sequences[i].GetLength(0)).ThenBy(i => i).ToArray();
        var threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        var groupCount = Math.Max((count + maxBatchSize - 1) / maxBatchSize, Math.Min(threads, count));
        int GroupStart(int group) => (int)((long)group * count / groupCount);
        void Group(int[] members, bool allowSplit) =>
            RunGroup(sequences, teacherOutputs, members, washoutSteps, sinkForGroup?.Invoke(members.Length), allowSplit);
        if (groupCount == 1)
        {
            Group(order, allowSplit: threads > 1);
            return;
        }

        Parallel.For(0, groupCount, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            group => Group(order[GroupStart(group)..GroupStart(group + 1)], allowSplit: false));
    }

    /// <summary>Steps the sequences <paramref name="members"/> (longest first) together, column b being members[b] with noise stream members[b].</summary>
    private void RunGroup(IReadOnlyList<double[,]> sequences, IReadOnlyList<double[,]>? teacherOutputs, int[] members,
        int washoutSteps, SequenceStateSink? sink, bool allowSplit)
    {
        var noise = Array.ConvertAll(members, i => new NoiseSource(NoiseSeedFor(i)));
        var state = new StateColumns(this, noise);
        var d = InputDimension;
        var f = FeedbackDimension;
        var longest = sequences[members[0]].GetLength(0);
        var active = members.Length;
        for (var t = 0; t < longest; t++)
        {
            while (sequences[members[active - 1]].GetLength(0) <= t)
            {
                active--;
            }

            state.ActiveCount = active;
            for (var b = 0; b < active; b++)
            {
                state.SetInput(b, sequences[members[b]].AsSpan().Slice(t * d, d));
                if (t > 0 && teacherOutputs is not null)
                {
                    state.SetFeedback(b, teacherOutputs[members[b]].AsSpan().Slice((t - 1) * f, f));
                }
            }

            var diverged = StepEngine.Step(state, state.Inputs, state.Feedback, allowSplit);
            if (diverged >= 0)
            {
                throw Diverged(t + 1, members[diverged]);
            }

            if (t >= washoutSteps && sink is not null)
            {
                for (var b = 0; b < active; b++)
                {
                    sink(members[b], t, state.Current, state.Stride, b);
                }
            }
        }
    }

    /// <summary>Copies column <paramref name="column"/> of a block of row length <paramref name="stride"/> into <paramref name="destination"/>.</summary>
    private static void CopyColumn(ReadOnlySpan<double> values, int stride, int column, Span<double> destination)
    {
        if (stride == 1)
        {
            values[..destination.Length].CopyTo(destination);
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = values[i * stride + column];
        }
    }

    /// <summary>Validates the arguments of a run over many sequences; a bad sequence or teacher sequence is named by its index.</summary>
    private void CheckSequences(IReadOnlyList<double[,]> sequences, int washoutSteps, IReadOnlyList<double[,]>? teacherOutputs,
        int maxDegreeOfParallelism) =>
        RunArguments.Sequences(sequences, washoutSteps, teacherOutputs, maxDegreeOfParallelism, InputDimension, FeedbackDimension, "reservoir");

    private static InvalidOperationException Diverged(long step, int? sequence) => new(
        $"The reservoir state {(sequence is null ? "" : $"of sequence {sequence} ")}became non-finite at step {step}; the dynamics diverged. " +
        "Lower SpectralRadius, InputScaling or FeedbackScaling, or use Activation.Tanh. The state was left at the previous step.");

    private void RunCore(ReservoirState state, double[,] inputs, int washoutSteps, double[,]? teacherOutputs,
        Action<int, ReadOnlySpan<double>> onState)
    {
        var total = inputs.GetLength(0);
        var d = InputDimension;
        var f = FeedbackDimension;
        var flat = inputs.AsSpan();
        var teacher = teacherOutputs is null ? default : teacherOutputs.AsSpan();
        for (var t = 0; t < total; t++)
        {
            var feedback = f == 0 ? default
                : t == 0 || teacherOutputs is null ? state.LastFeedback
                : teacher.Slice((t - 1) * f, f);
            if (!StepUnchecked(state, flat.Slice(t * d, d), feedback))
            {
                throw Diverged(state.StepCount + 1, null);
            }

            if (t >= washoutSteps)
            {
                onState(t, state.Values);
            }
        }

        if (f > 0 && teacherOutputs is not null)
        {
            state.CopyFeedback(teacher.Slice((total - 1) * f, f));
        }
    }

    /// <summary>One step on validated arguments; the step itself is <see cref="StepEngine.Step"/>.</summary>
    /// <param name="state">The state to advance.</param>
    /// <param name="input">u[t].</param>
    /// <param name="feedback">y[t−1], or empty without feedback.</param>
    /// <returns>True; false when the new state would be non-finite, and the state is left at the previous step.</returns>
    internal static bool StepUnchecked(ReservoirState state, ReadOnlySpan<double> input, ReadOnlySpan<double> feedback) =>
        StepEngine.Step(state.Columns, input, feedback, allowSplit: true) < 0;

    private void CheckState(ReservoirState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Owner, this))
        {
            throw new ArgumentException("The state was created by another reservoir; use this reservoir's CreateState().",
                nameof(state));
        }
    }

    private void CheckRun(ReservoirState state, double[,] inputs, int washoutSteps, double[,]? teacherOutputs)
    {
        CheckState(state);
        CheckInputs(inputs, washoutSteps, teacherOutputs);
    }

    private void CheckInputs(double[,] inputs, int washoutSteps, double[,]? teacherOutputs) =>
        RunArguments.Inputs(inputs, washoutSteps, teacherOutputs, InputDimension, FeedbackDimension, "reservoir");
}
