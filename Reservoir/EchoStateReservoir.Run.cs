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

        StepUnchecked(state, input, feedback);
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
        return Run(ToColumn(inputs), washoutSteps);
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

    /// <summary>Runs many independent sequences, each from its own zero state, in parallel; equal to running them one by one.</summary>
    /// <param name="sequences">The input sequences, each T_i×D.</param>
    /// <param name="washoutSteps">The states dropped at the start of each sequence; each sequence must be longer.</param>
    /// <param name="maxDegreeOfParallelism">The most sequences run at once; −1 (default) lets the runtime choose, 1 runs sequentially.</param>
    /// <returns>The states of each sequence, in order; sequence i uses noise stream i.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A sequence has the wrong width, is too short, or holds a non-finite value (the message names the sequence).</exception>
    /// <exception cref="InvalidOperationException">A state became non-finite; the message names the step.</exception>
    public double[][,] Run(IReadOnlyList<double[,]> sequences, int washoutSteps = 0, int maxDegreeOfParallelism = -1)
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

        var results = new double[sequences.Count][,];
        Parallel.For(0, sequences.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            i => results[i] = Run(CreateState(i), sequences[i], washoutSteps));
        return results;
    }

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
            StepUnchecked(state, flat.Slice(t * d, d), feedback);
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
    /// <remarks>
    /// Large steps are split over two threads (<see cref="StepWorker"/>): each updated module is cut at a unit that
    /// halves its work. The noise is added afterwards on the calling thread, module by module in unit order, so the
    /// result is bit-identical whatever the split.
    /// </remarks>
    internal void StepUnchecked(ReservoirState state, ReadOnlySpan<double> input, ReadOnlySpan<double> feedback,
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
            throw new InvalidOperationException(
                $"The reservoir state became non-finite at step {state.StepCount + 1}; the dynamics diverged. " +
                "Lower SpectralRadius, InputScaling or FeedbackScaling, or use Activation.Tanh. The state was left at the previous step.");
        }

        state.Commit();
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

    private static double[,] ToColumn(double[] values)
    {
        var column = new double[values.Length, 1];
        values.CopyTo(column.AsSpan());
        return column;
    }
}
