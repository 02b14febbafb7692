using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>An echo state network: a fixed reservoir and a linear readout trained by ridge regression in closed form.</summary>
/// <remarks>
/// <para>
/// The reservoir runs x[t] = (1−α)⊙x[t−1] + α⊙f(W·x[t−1] + W_in·u[t] + b), and the readout maps the features
/// z[t] = [1; u[t]; x[t]] (u only when <see cref="ReadoutIncludesInput"/>) to y[t] = W_out·z[t]. Training streams
/// the states in blocks into a Gram accumulator, so memory is O(N²), not O(N·T).
/// </para>
/// <para>
/// A fitted network is immutable and thread-safe. It remembers the reservoir state at the end of training, so
/// <see cref="Predict(double[,])"/> continues right after the training data, as ReservoirPy's does.
/// </para>
/// <example>See Examples/MackeyGlass/Program.cs.</example>
/// </remarks>
public sealed class EchoStateNetwork
{
    private readonly ReservoirState _trainedState;

    private EchoStateNetwork(EchoStateReservoir reservoir, RidgeSolution readout, bool includeInput, int washoutSteps,
        ReservoirState trainedState)
    {
        Reservoir = reservoir;
        Readout = readout;
        ReadoutIncludesInput = includeInput;
        WashoutSteps = washoutSteps;
        _trainedState = trainedState;
    }

    /// <summary>The reservoir.</summary>
    public EchoStateReservoir Reservoir { get; }

    /// <summary>The trained readout.</summary>
    public RidgeSolution Readout { get; }

    /// <summary>Whether the readout sees the input beside the state.</summary>
    public bool ReadoutIncludesInput { get; }

    /// <summary>The washout used in training.</summary>
    public int WashoutSteps { get; }

    /// <summary>The input dimension D.</summary>
    public int InputDimension => Reservoir.InputDimension;

    /// <summary>The output dimension K.</summary>
    public int OutputDimension => Readout.TargetCount;

    /// <summary>Builds the reservoir from the options and trains the readout on one sequence.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <param name="targets">The targets y, T×K, finite; row t is the wanted output after reading input row t.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the lengths differ, the sequence is not longer than the washout, a value is not finite, or the ridge system is singular (set L2Regularization &gt; 0).</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateNetworkOptions options, double[,] inputs, double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Reservoir, nameof(options.Reservoir));
        ArgumentNullException.ThrowIfNull(options.Readout, nameof(options.Readout));
        var readout = new RidgeReadout(options.Readout);
        CheckData(inputs, targets, options.WashoutSteps);
        var reservoir = new EchoStateReservoir(options.Reservoir);
        return Fit(reservoir, readout, inputs, targets, options.WashoutSteps, options.ReadoutIncludesInput);
    }

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
        return Fit(options, Column(inputs), Column(targets));
    }

    /// <summary>Trains a readout on one sequence for a given reservoir (for example one built from explicit weights).</summary>
    /// <param name="reservoir">The reservoir.</param>
    /// <param name="readout">The ridge trainer.</param>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <param name="targets">The targets y, T×K, finite.</param>
    /// <param name="washoutSteps">The initial states left out of the fit, in [0, T).</param>
    /// <param name="readoutIncludesInput">Whether the readout sees u beside x.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the sequence is too short, a value is not finite, the feedback dimension differs from K, or the ridge system is singular.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public static EchoStateNetwork Fit(EchoStateReservoir reservoir, RidgeReadout readout, double[,] inputs,
        double[,] targets, int washoutSteps = 0, bool readoutIncludesInput = true)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        ArgumentNullException.ThrowIfNull(readout);
        CheckData(inputs, targets, washoutSteps);
        var k = targets.GetLength(1);
        if (reservoir.FeedbackDimension != 0 && reservoir.FeedbackDimension != k)
        {
            throw new ArgumentException(
                $"targets has {k} columns but the reservoir feeds back {reservoir.FeedbackDimension}; they must match.",
                nameof(targets));
        }

        var n = reservoir.UnitCount;
        var d = reservoir.InputDimension;
        var featureCount = (readoutIncludesInput ? d : 0) + n;
        var gram = new GramAccumulator(featureCount, k);
        var features = new double[Math.Min(EchoStateReservoir.DefaultBlockSize, inputs.GetLength(0)) * featureCount];
        var state = reservoir.CreateState();
        var teacher = reservoir.FeedbackDimension > 0 ? targets : null;
        reservoir.RunStreamed(state, inputs, (in StateBlock block) =>
        {
            var rows = block.RowCount;
            var z = features.AsSpan(0, rows * featureCount);
            BuildFeatures(block.States, block.Inputs, rows, n, readoutIncludesInput ? d : 0, z);
            var y = Flat(targets).Slice(block.FirstStep * k, rows * k);
            gram.Accumulate(z, y, rows);
        }, washoutSteps, teacher);

        var solution = readout.Fit(gram);
        return new EchoStateNetwork(reservoir, solution, readoutIncludesInput, washoutSteps, state);
    }

    /// <summary>A copy of the reservoir state at the end of training, to continue from.</summary>
    /// <returns>A new state owned by the caller.</returns>
    public ReservoirState CreateTrainedState() => _trainedState.Clone();

    /// <summary>Teacher-forced prediction continuing right after the training data; the network is not changed.</summary>
    /// <param name="inputs">The true inputs u, T×D, finite.</param>
    /// <returns>The outputs, T×K.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[,] Predict(double[,] inputs) => Predict(CreateTrainedState(), inputs);

    /// <summary>Teacher-forced prediction of a univariate sequence continuing right after the training data.</summary>
    /// <param name="inputs">The true inputs, length T, finite.</param>
    /// <returns>The outputs of the first target column, length T.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The network is not univariate in its input, or the sequence is empty or holds a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[] Predict(double[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = Predict(Column(inputs));
        var result = new double[inputs.Length];
        for (var t = 0; t < result.Length; t++)
        {
            result[t] = outputs[t, 0];
        }

        return result;
    }

    /// <summary>Teacher-forced prediction from a given state, which advances; with feedback, each output is fed back at the next step.</summary>
    /// <param name="state">The state to start from (see <see cref="CreateTrainedState"/>); it holds the final state afterwards.</param>
    /// <param name="inputs">The true inputs u, T×D, finite.</param>
    /// <returns>The outputs, T×K.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to another reservoir, the input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public double[,] Predict(ReservoirState state, double[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(inputs);
        var n = Reservoir.UnitCount;
        var d = Reservoir.InputDimension;
        var k = OutputDimension;
        var featureCount = Readout.FeatureCount;
        var outputs = new double[inputs.GetLength(0), k];
        if (Reservoir.FeedbackDimension > 0)
        {
            // The output of each step is fed back at the next one, so this runs step by step.
            if (inputs.GetLength(1) != d)
            {
                throw new ArgumentException($"Input has {inputs.GetLength(1)} features but the reservoir was built for {d}.",
                    nameof(inputs));
            }

            var z = new double[featureCount];
            var input = new double[d];
            var output = new double[k];
            for (var t = 0; t < inputs.GetLength(0); t++)
            {
                for (var j = 0; j < d; j++)
                {
                    input[j] = inputs[t, j];
                }

                Reservoir.Step(state, input);
                BuildFeatures(state.Values, input, 1, n, ReadoutIncludesInput ? d : 0, z);
                Readout.Predict(z, output);
                state.SetFeedback(output);
                output.CopyTo(Flat(outputs).Slice(t * k, k));
            }

            return outputs;
        }

        var features = new double[Math.Min(EchoStateReservoir.DefaultBlockSize, Math.Max(1, inputs.GetLength(0))) * featureCount];
        Reservoir.RunStreamed(state, inputs, (in StateBlock block) =>
        {
            var rows = block.RowCount;
            var z = features.AsSpan(0, rows * featureCount);
            BuildFeatures(block.States, block.Inputs, rows, n, ReadoutIncludesInput ? d : 0, z);
            var y = Flat(outputs);
            for (var r = 0; r < rows; r++)
            {
                Readout.Predict(z.Slice(r * featureCount, featureCount), y.Slice((block.FirstStep + r) * k, k));
            }
        });
        return outputs;
    }

    /// <summary>Rows of [u; x] (or [x]) from rows of states and inputs.</summary>
    private static void BuildFeatures(ReadOnlySpan<double> states, ReadOnlySpan<double> inputs, int rows, int n,
        int inputWidth, Span<double> features)
    {
        var width = inputWidth + n;
        var d = rows == 0 ? 0 : inputs.Length / rows;
        for (var r = 0; r < rows; r++)
        {
            var row = features.Slice(r * width, width);
            if (inputWidth > 0)
            {
                inputs.Slice(r * d, inputWidth).CopyTo(row);
            }

            states.Slice(r * n, n).CopyTo(row[inputWidth..]);
        }
    }

    private static void CheckData(double[,] inputs, double[,] targets, int washoutSteps)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
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

        if (washoutSteps < 0 || washoutSteps >= Math.Max(1, inputs.GetLength(0)))
        {
            throw new ArgumentOutOfRangeException(nameof(washoutSteps), washoutSteps,
                $"washoutSteps must be in [0, {inputs.GetLength(0)}) for a sequence of {inputs.GetLength(0)} steps; was {washoutSteps}. The sequence must be longer than the washout.");
        }

        Guard.AllFinite(targets);
    }

    private static double[,] Column(double[] values)
    {
        var column = new double[values.Length, 1];
        for (var t = 0; t < values.Length; t++)
        {
            column[t, 0] = values[t];
        }

        return column;
    }

    private static Span<double> Flat(double[,] matrix) => matrix.AsSpan();
}
