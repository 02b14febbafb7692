using System.Numerics.Tensors;
using Reservoir.Numerics;

namespace Reservoir;

public sealed partial class EchoStateReservoir
{
    /// <summary>The default number of states per block in <see cref="RunStreamed"/>.</summary>
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
        var n = UnitCount;
        var d = InputDimension;
        var total = inputs.GetLength(0);
        var buffer = new double[Math.Min(blockSize, total - washoutSteps) * n];
        var rows = 0;
        var first = washoutSteps;
        RunCore(state, inputs, washoutSteps, teacherOutputs, (step, x) =>
        {
            x.CopyTo(buffer.AsSpan(rows * n, n));
            rows++;
            if (rows * n == buffer.Length || step == total - 1)
            {
                var block = new StateBlock(first, rows, buffer.AsSpan(0, rows * n),
                    inputs.AsSpan().Slice(first * d, rows * d), n, d);
                handler(in block);
                first += rows;
                rows = 0;
            }
        });
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
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A sequence has the wrong width, is too short, or holds a non-finite value (the message names the sequence).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    /// <exception cref="AggregateException">A state became non-finite (an <see cref="InvalidOperationException"/> naming the sequence and the step, wrapped when several groups ran in parallel).</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite in a run on one thread; the message names the sequence and the step.</exception>
    public double[][,] Run(IReadOnlyList<double[,]> sequences, int washoutSteps = 0, int maxDegreeOfParallelism = -1)
    {
        CheckSequences(sequences, washoutSteps, maxDegreeOfParallelism);
        var n = UnitCount;
        var results = new double[sequences.Count][,];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new double[sequences[i].GetLength(0) - washoutSteps, n];
        }

        RunMany(sequences, washoutSteps, maxDegreeOfParallelism, (sequence, step, values, stride, column) =>
        {
            var row = results[sequence].AsSpan().Slice((step - washoutSteps) * n, n);
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = values[i * stride + column];
            }
        });
        return results;
    }

    /// <summary>The most sequences that <see cref="Run(IReadOnlyList{double[,]}, int, int)"/> steps together as one block.</summary>
    public const int MaxBatchSize = 32;

    /// <summary>Receives the state of sequence <paramref name="sequence"/> after step <paramref name="step"/>; unit i is values[i·stride + column].</summary>
    internal delegate void SequenceStateSink(int sequence, int step, ReadOnlySpan<double> values, int stride, int column);

    /// <summary>
    /// The engine of <see cref="Run(IReadOnlyList{double[,]}, int, int)"/> on validated arguments: hands each state
    /// after the washout to <paramref name="sink"/> (none when null, as the throughput benchmark does).
    /// </summary>
    /// <param name="sequences">The sequences, validated.</param>
    /// <param name="washoutSteps">The states not handed out at the start of each sequence.</param>
    /// <param name="maxDegreeOfParallelism">−1 or ≥ 1.</param>
    /// <param name="sink">Receives the states; called concurrently from different groups, never for the same sequence at once.</param>
    /// <param name="maxBatchSize">The most sequences per block, in [1, <see cref="MaxBatchSize"/>] (1 steps every sequence alone).</param>
    internal void RunMany(IReadOnlyList<double[,]> sequences, int washoutSteps, int maxDegreeOfParallelism,
        SequenceStateSink? sink, int maxBatchSize = MaxBatchSize)
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
        if (groupCount == 1)
        {
            RunGroup(sequences, order, washoutSteps, sink, allowSplit: threads > 1);
            return;
        }

        Parallel.For(0, groupCount, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            group => RunGroup(sequences, order[GroupStart(group)..GroupStart(group + 1)], washoutSteps, sink, allowSplit: false));
    }

    private void RunGroup(IReadOnlyList<double[,]> sequences, int[] members, int washoutSteps, SequenceStateSink? sink,
        bool allowSplit)
    {
        if (members.Length == 1)
        {
            var only = members[0];
            RunCore(CreateState(only), sequences[only], washoutSteps, null, (step, x) => sink?.Invoke(only, step, x, 1, 0),
                allowSplit, only);
            return;
        }

        var streams = Array.ConvertAll(members, i => (long)i);
        var batch = new ReservoirBatch(this, streams);
        var d = InputDimension;
        var longest = sequences[members[0]].GetLength(0);
        var active = members.Length;
        for (var t = 0; t < longest; t++)
        {
            while (sequences[members[active - 1]].GetLength(0) <= t)
            {
                active--;
            }

            batch.ActiveCount = active;
            for (var b = 0; b < active; b++)
            {
                batch.SetInput(b, sequences[members[b]].AsSpan().Slice(t * d, d));
            }

            var diverged = batch.Step();
            if (diverged >= 0)
            {
                throw Diverged(t + 1, members[diverged]);
            }

            if (t >= washoutSteps && sink is not null)
            {
                for (var b = 0; b < active; b++)
                {
                    sink(members[b], t, batch.Values, batch.Stride, b);
                }
            }
        }
    }

    private void CheckSequences(IReadOnlyList<double[,]> sequences, int washoutSteps, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                $"maxDegreeOfParallelism must be -1 or >= 1; was {maxDegreeOfParallelism}.");
        }

        for (var i = 0; i < sequences.Count; i++)
        {
            try
            {
                CheckRun(CreateState(i), sequences[i], washoutSteps, null);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"sequences[{i}]: {e.Message}", nameof(sequences), e);
            }
        }
    }

    private static InvalidOperationException Diverged(long step, int? sequence) => new(
        $"The reservoir state {(sequence is null ? "" : $"of sequence {sequence} ")}became non-finite at step {step}; the dynamics diverged. " +
        "Lower SpectralRadius, InputScaling or FeedbackScaling, or use Activation.Tanh. The state was left at the previous step.");

    private void RunCore(ReservoirState state, double[,] inputs, int washoutSteps, double[,]? teacherOutputs,
        Action<int, ReadOnlySpan<double>> onState, bool allowSplit = true, int? sequence = null)
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
            if (!StepUnchecked(state, flat.Slice(t * d, d), feedback, allowSplit))
            {
                throw Diverged(state.StepCount + 1, sequence);
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

    /// <summary>One step on validated arguments; the per-step arithmetic is in <see cref="ReservoirKernels"/>.</summary>
    /// <param name="state">The state to advance.</param>
    /// <param name="input">u[t].</param>
    /// <param name="feedback">y[t−1], or empty without feedback.</param>
    /// <param name="allowSplit">False keeps the step on the calling thread (used inside runs that are already parallel).</param>
    /// <returns>True; false when the new state would be non-finite, and the state is left at the previous step.</returns>
    /// <remarks>
    /// Large steps are split over two threads (<see cref="StepWorker"/>): each updated module is cut at a unit that
    /// halves its work. The noise is added afterwards on the calling thread, module by module in unit order, so the
    /// result is bit-identical whatever the split.
    /// </remarks>
    internal bool StepUnchecked(ReservoirState state, ReadOnlySpan<double> input, ReadOnlySpan<double> feedback,
        bool allowSplit = true)
    {
        var t = state.StepCount;
        var kernel = ReservoirKernels.DefaultSparseKernel;
        var modules = ModuleCount;
        long updatedNonZeros = 0;
        for (var module = 0; module < modules; module++)
        {
            if (ModuleUpdates(module, t))
            {
                updatedNonZeros += _moduleNonZeros[module];
            }
        }

        if (allowSplit && StepWorker.ShouldSplit(updatedNonZeros))
        {
            var split = state.Split;
            split.Prepare(input, feedback, kernel);
            StepWorker.Execute(split);
        }
        else
        {
            for (var module = 0; module < modules; module++)
            {
                if (ModuleUpdates(module, t))
                {
                    ReservoirKernels.ComputeUnits(this, state, input, feedback, _moduleStarts[module], _moduleStarts[module + 1], kernel);
                }
            }
        }

        for (var module = 0; module < modules; module++)
        {
            var start = _moduleStarts[module];
            var count = _moduleStarts[module + 1] - start;
            var next = state.NextBuffer.AsSpan(start, count);
            if (!ModuleUpdates(module, t))
            {
                state.CurrentBuffer.AsSpan(start, count).CopyTo(next);
            }
            else if (StateNoise > 0)
            {
                ReservoirKernels.AddNoise(StateNoise, ref state.Noise, next);
            }
        }

        if (!double.IsFinite(TensorPrimitives.Sum(state.NextBuffer)))
        {
            return false;
        }

        state.Commit();
        return true;
    }

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
        ArgumentNullException.ThrowIfNull(inputs);
        var total = inputs.GetLength(0);
        if (total == 0)
        {
            throw new ArgumentException("inputs must contain at least one step; was empty.", nameof(inputs));
        }

        if (inputs.GetLength(1) != InputDimension)
        {
            throw new ArgumentException(
                $"Input has {inputs.GetLength(1)} features but the reservoir was built for {InputDimension}.", nameof(inputs));
        }

        if (washoutSteps < 0 || washoutSteps >= total)
        {
            throw new ArgumentOutOfRangeException(nameof(washoutSteps), washoutSteps,
                $"washoutSteps must be in [0, {total}) for a sequence of {total} steps; was {washoutSteps}. The sequence must be longer than the washout.");
        }

        Guard.AllFinite(inputs);
        if (teacherOutputs is not null)
        {
            if (FeedbackDimension == 0)
            {
                throw new ArgumentException("teacherOutputs were given but the reservoir has no feedback (FeedbackDimension = 0).",
                    nameof(teacherOutputs));
            }

            if (teacherOutputs.GetLength(0) != total || teacherOutputs.GetLength(1) != FeedbackDimension)
            {
                throw new ArgumentException(
                    $"teacherOutputs is {teacherOutputs.GetLength(0)}×{teacherOutputs.GetLength(1)}; expected {total}×{FeedbackDimension}.",
                    nameof(teacherOutputs));
            }

            Guard.AllFinite(teacherOutputs);
        }
    }
}
