using System.Numerics.Tensors;

namespace Reservoir.Pipelines;

public sealed partial class EchoStateNetwork
{
    /// <summary>Teacher-forced prediction continuing right after the training data; the network is not changed.</summary>
    /// <param name="inputs">The true inputs u, T×D, finite.</param>
    /// <returns>The outputs, T×K, in the targets' units.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[,] Predict(double[,] inputs) => Predict(CreateTrainedComposedState(), inputs);

    /// <summary>Teacher-forced prediction of a univariate sequence continuing right after the training data.</summary>
    /// <param name="inputs">The true inputs, length T, finite.</param>
    /// <returns>The outputs of the first target column, length T.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The network's input is not univariate, or the sequence is empty or holds a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[] Predict(double[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = Predict(inputs.ToColumn());
        var result = new double[inputs.Length];
        for (var t = 0; t < result.Length; t++)
        {
            result[t] = outputs[t, 0];
        }

        return result;
    }

    /// <summary>Teacher-forced prediction from a given state, which advances; with output feedback, each output is fed back at the next step.</summary>
    /// <remarks>
    /// With output feedback the true previous outputs are unknown here, so the network's own outputs are fed back. For
    /// a network that predicts its own next input, use <see cref="ForecastEngine"/> (which feeds back the observations)
    /// or <see cref="Generate(int)"/>.
    /// </remarks>
    /// <param name="state">The state to start from (see <see cref="CreateTrainedState"/>); it holds the final state afterwards.</param>
    /// <param name="inputs">The true inputs u, T×D, finite.</param>
    /// <returns>The outputs, T×K, in the targets' units.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another reservoir, the input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[,] Predict(ReservoirState state, double[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(inputs);
        return Predict(Over(state), inputs);
    }

    /// <summary>Teacher-forced prediction from a composed state (see <see cref="CreateTrainedComposedState"/>), which advances; as <see cref="Predict(ReservoirState, double[,])"/>, for every network.</summary>
    /// <param name="state">The state to start from, created by <see cref="Composition"/>; it holds the final state afterwards.</param>
    /// <param name="inputs">The true inputs u, T×D, finite.</param>
    /// <returns>The outputs, T×K, in the targets' units.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another composition, the input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[,] Predict(ComposedReservoirState state, double[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!ReferenceEquals(state.Owner, Composition))
        {
            throw new ArgumentException("The state was created by another composition; use this network's CreateTrainedComposedState().", nameof(state));
        }

        var d = InputDimension;
        if (inputs.GetLength(1) != d)
        {
            throw new ArgumentException($"Input has {inputs.GetLength(1)} features but the reservoir was built for {d}.",
                nameof(inputs));
        }

        if (inputs.GetLength(0) == 0)
        {
            throw new ArgumentException("inputs must contain at least one step; was empty.", nameof(inputs));
        }

        Guard.AllFinite(inputs);
        var scaled = InputScaler?.Transform(inputs) ?? inputs;
        var k = OutputDimension;
        var outputs = new double[inputs.GetLength(0), k];
        if (Composition.FeedbackDimension > 0)
        {
            // The output of each step is fed back at the next one, so this runs step by step.
            var features = new double[Readout.FeatureCount];
            for (var t = 0; t < inputs.GetLength(0); t++)
            {
                var input = scaled.Row(t);
                Composition.Step(state, input);
                var output = outputs.Row(t);
                ReadoutInto(state.Values, input, features, output);
                state.SetFeedback(output);
            }
        }
        else
        {
            var n = Composition.StateWidth;
            var featureCount = Readout.FeatureCount;
            var layout = Layout;
            var buffer = new double[Math.Min(EchoStateReservoir.DefaultBlockSize, inputs.GetLength(0)) * featureCount];
            Composition.RunStreamed(state, scaled, (in StateBlock block) =>
            {
                for (var r = 0; r < block.RowCount; r++)
                {
                    var z = buffer.AsSpan(0, featureCount);
                    layout.Fill(z, block.Inputs.Slice(r * d, d), block.States.Slice(r * n, n));
                    Readout.Predict(z, outputs.Row(block.FirstStep + r));
                }
            });
        }

        return TargetScaler?.InverseTransform(outputs) ?? outputs;
    }

    /// <summary>Closed-loop generation after the training data: each output is fed back as the next input.</summary>
    /// <param name="horizon">H, the number of steps to generate, ≥ 1.</param>
    /// <returns>H×K predictions of the H values that follow the last training target.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1, or H·D values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>.</exception>
    /// <exception cref="InvalidOperationException">The outputs cannot be fed back as inputs (K ≠ D, or a direct forecaster), or the state became non-finite.</exception>
    public double[,] Generate(int horizon)
    {
        CheckClosedLoop();
        return Generate(CreateTrainedComposedState(), _lastTarget!, horizon);
    }

    /// <summary>Closed-loop generation after warming a zero state up, teacher-forced, on the given observations.</summary>
    /// <param name="warmup">The observed series s(0..W−1), W×D with W ≥ 1, finite; the reservoir reads s(0..W−2), then the loop starts from s(W−1).</param>
    /// <param name="horizon">H, the number of steps to generate, ≥ 1.</param>
    /// <returns>H×K predictions of s(W), …, s(W+H−1).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="warmup"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1, or H·D values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="warmup"/> is empty, has the wrong width, or holds a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The outputs cannot be fed back as inputs (K ≠ D, or a direct forecaster), or the state became non-finite.</exception>
    public double[,] Generate(double[,] warmup, int horizon)
    {
        ArgumentNullException.ThrowIfNull(warmup);
        CheckClosedLoop();
        Guard.AtLeast(horizon, 1);
        if (warmup.GetLength(0) == 0 || warmup.GetLength(1) != InputDimension)
        {
            throw new ArgumentException(
                $"warmup is {warmup.GetLength(0)}×{warmup.GetLength(1)}; it needs at least one row of {InputDimension} values.",
                nameof(warmup));
        }

        Guard.AllFinite(warmup);
        var state = Composition.CreateState();
        var w = warmup.GetLength(0);
        if (w > 1)
        {
            var read = new double[w - 1, InputDimension];
            var next = new double[w - 1, InputDimension];
            for (var t = 0; t < w - 1; t++)
            {
                warmup.Row(t).CopyTo(read.Row(t));
                warmup.Row(t + 1).CopyTo(next.Row(t));
            }

            // Teacher forcing: the fed-back output of step t is the true next value s(t+1).
            var teacher = Composition.FeedbackDimension > 0 ? TargetScaler?.Transform(next) ?? next : null;
            Composition.Run(state, InputScaler?.Transform(read) ?? read, 0, teacher);
        }

        return Generate(state, warmup.Row(w - 1), horizon);
    }

    /// <summary>Closed-loop generation from a given state, which advances; each output is fed back as the next input.</summary>
    /// <param name="state">The state; with output feedback, its <see cref="ReservoirState.LastFeedback"/> should hold the previous output (standardised when targets are).</param>
    /// <param name="lastObservation">The most recent observed value, length D, finite: the first input of the loop.</param>
    /// <param name="horizon">H, the number of steps to generate, ≥ 1.</param>
    /// <returns>H×K predictions of the values that follow <paramref name="lastObservation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1, or H·D values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>.</exception>
    /// <exception cref="ArgumentException">The state belongs to another reservoir, or the observation has the wrong length or a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The outputs cannot be fed back as inputs, or the state became non-finite (the message names the step).</exception>
    public double[,] Generate(ReservoirState state, ReadOnlySpan<double> lastObservation, int horizon)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Generate(Over(state), lastObservation, horizon);
    }

    /// <summary>Closed-loop generation from a composed state, which advances; as <see cref="Generate(ReservoirState, ReadOnlySpan{double}, int)"/>, for every network.</summary>
    /// <param name="state">The state, created by <see cref="Composition"/>.</param>
    /// <param name="lastObservation">The most recent observed value, length D, finite: the first input of the loop.</param>
    /// <param name="horizon">H, the number of steps to generate, ≥ 1.</param>
    /// <returns>H×K predictions of the values that follow <paramref name="lastObservation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is below 1, or H·D values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>.</exception>
    /// <exception cref="ArgumentException">The state belongs to another composition, or the observation has the wrong length or a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The outputs cannot be fed back as inputs, or the state became non-finite.</exception>
    public double[,] Generate(ComposedReservoirState state, ReadOnlySpan<double> lastObservation, int horizon)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Owner, Composition))
        {
            throw new ArgumentException("The state was created by another composition; use this network's CreateTrainedComposedState().", nameof(state));
        }

        CheckClosedLoop();
        Guard.AtLeast(horizon, 1);
        if (lastObservation.Length != InputDimension)
        {
            throw new ArgumentException(
                $"lastObservation has {lastObservation.Length} values but the network reads {InputDimension}.", nameof(lastObservation));
        }

        Guard.AllFinite(lastObservation);
        if ((long)horizon * InputDimension > ReservoirLimits.MaxGeneratedValues)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon,
                $"horizon = {horizon} asks for {(long)horizon * InputDimension} values of 8 bytes ({(long)horizon * InputDimension * 8.0 / (1L << 30):0.0} GiB), more than the {ReservoirLimits.MaxGeneratedValues} that ReservoirLimits.MemoryBudgetBytes allows; lower horizon to at most {ReservoirLimits.MaxGeneratedValues / InputDimension}.");
        }

        var outputs = new double[horizon, InputDimension];
        LoopInto(state, lastObservation, outputs.AsSpan(), new Scratch(this));
        return outputs;
    }

    /// <summary>The direct multi-horizon forecast of the H values after the training series.</summary>
    /// <returns>H×D forecasts of s(T), …, s(T+H−1).</returns>
    /// <exception cref="InvalidOperationException">The network was not trained by <see cref="FitDirect(EchoStateNetworkOptions, IReadOnlyList{double[,]}, int, int)"/>.</exception>
    public double[,] ForecastDirect() => ForecastDirect(CreateTrainedComposedState(), _lastInput);

    /// <summary>The direct multi-horizon forecast from a state that has just read <paramref name="lastObservation"/>; the state is not changed.</summary>
    /// <param name="state">The state after reading the last observation.</param>
    /// <param name="lastObservation">The last observation read, length D, finite (the readout sees it when it includes the input).</param>
    /// <returns>H×D forecasts of the next H values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another reservoir, or the observation has the wrong length or a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The network is not a direct forecaster.</exception>
    public double[,] ForecastDirect(ReservoirState state, ReadOnlySpan<double> lastObservation)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_lastTarget is not null)
        {
            throw new InvalidOperationException(
                "ForecastDirect needs a network trained by FitDirect; use Generate for closed-loop forecasts.");
        }

        return ForecastDirect(Over(state), lastObservation);
    }

    /// <summary>The direct multi-horizon forecast from a composed state that has just read <paramref name="lastObservation"/>; the state is not changed.</summary>
    /// <param name="state">The state after reading the last observation, created by <see cref="Composition"/>.</param>
    /// <param name="lastObservation">The last observation read, length D, finite.</param>
    /// <returns>H×D forecasts of the next H values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another composition, or the observation has the wrong length or a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The network is not a direct forecaster.</exception>
    public double[,] ForecastDirect(ComposedReservoirState state, ReadOnlySpan<double> lastObservation)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_lastTarget is not null)
        {
            throw new InvalidOperationException(
                "ForecastDirect needs a network trained by FitDirect; use Generate for closed-loop forecasts.");
        }

        if (!ReferenceEquals(state.Owner, Composition))
        {
            throw new ArgumentException("The state was created by another composition.", nameof(state));
        }

        if (lastObservation.Length != InputDimension)
        {
            throw new ArgumentException(
                $"lastObservation has {lastObservation.Length} values but the network reads {InputDimension}.", nameof(lastObservation));
        }

        Guard.AllFinite(lastObservation);
        var result = new double[Horizon, InputDimension];
        DirectInto(state, lastObservation, result.AsSpan(), new Scratch(this));
        return result;
    }

    /// <summary>The closed loop of <see cref="Generate(ReservoirState, ReadOnlySpan{double}, int)"/> into caller-owned memory, allocating nothing; the arguments are checked by the caller.</summary>
    /// <param name="state">The state, which advances.</param>
    /// <param name="lastObservation">The first input of the loop, length D, finite.</param>
    /// <param name="outputs">Receives H×D outputs, row-major; H = outputs.Length / D.</param>
    /// <param name="scratch">Scratch space made for this network.</param>
    /// <exception cref="InvalidOperationException">The state became non-finite.</exception>
    private void LoopInto(ComposedReservoirState state, ReadOnlySpan<double> lastObservation, Span<double> outputs, Scratch scratch)
    {
        var d = InputDimension;
        var input = scratch.Input;
        lastObservation.CopyTo(input);
        for (var h = 0; h < outputs.Length / d; h++)
        {
            InputScaler?.TransformInPlace(input);
            Composition.Step(state, input);
            ReadoutInto(state.Values, input, scratch.Features, scratch.Output);
            if (Composition.FeedbackDimension > 0)
            {
                state.SetFeedback(scratch.Output);
            }

            var output = outputs.Slice(h * d, d);
            scratch.Output.CopyTo(output);
            TargetScaler?.InverseTransformInPlace(output);
            if (!TensorPrimitives.IsFiniteAll<double>(output))
            {
                throw new InvalidOperationException(
                    $"Closed-loop generation produced a non-finite output at step {h + 1}; the loop diverged.");
            }

            output.CopyTo(input);
        }
    }

    /// <summary>The first outputs.Length values of the direct forecast (H·D, row-major) from a state that has read <paramref name="lastObservation"/>, allocating nothing; the state is not changed.</summary>
    private void DirectInto(ComposedReservoirState state, ReadOnlySpan<double> lastObservation, Span<double> outputs, Scratch scratch)
    {
        var input = scratch.Input;
        lastObservation.CopyTo(input);
        InputScaler?.TransformInPlace(input);
        ReadoutInto(state.Values, input, scratch.Features, scratch.Output);

        // The readout's H·D outputs were standardised column by column as one target row: undo that before splitting.
        TargetScaler?.InverseTransformInPlace(scratch.Output);
        scratch.Output.AsSpan(0, outputs.Length).CopyTo(outputs);
    }

    /// <summary>The readout output (standardised units) for a state x and the given (standardised) input.</summary>
    private void ReadoutInto(ReadOnlySpan<double> state, ReadOnlySpan<double> scaledInput, Span<double> features, Span<double> output)
    {
        Layout.Fill(features, scaledInput, state);
        Readout.Predict(features, output);
    }

    /// <summary>Scratch space for the closed loop and the direct forecast: the readout's features, the input and the standardised output row.</summary>
    private sealed class Scratch(EchoStateNetwork network)
    {
        internal double[] Features { get; } = new double[network.Readout.FeatureCount];

        internal double[] Input { get; } = new double[network.InputDimension];

        internal double[] Output { get; } = new double[network.OutputDimension];
    }

    private void CheckClosedLoop()
    {
        if (_lastTarget is null)
        {
            throw new InvalidOperationException(
                $"This network forecasts {Horizon} steps directly; use ForecastDirect instead of closed-loop generation.");
        }

        if (OutputDimension != InputDimension)
        {
            throw new InvalidOperationException(
                $"Closed-loop generation feeds each output back as the next input, so it needs OutputDimension ({OutputDimension}) == InputDimension ({InputDimension}).");
        }
    }
}
