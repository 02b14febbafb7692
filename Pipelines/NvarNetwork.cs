using Reservoir.Nvar;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>A next-generation reservoir computer: NVAR features of the input and a ridge readout trained on them.</summary>
/// <remarks>
/// <para>
/// The prediction for step t is y(t) = W_out·z(t) + b, where z(t) is the <see cref="NvarFeatures"/> vector of the inputs
/// u(t), u(t − s), …, u(t − (k − 1)·s) (Gauthier et al. 2021). Only W_out and b are trained, in closed form: the feature
/// rows of every training sequence stream into one <see cref="GramAccumulator"/>, which <see cref="RidgeReadout"/> solves.
/// </para>
/// <para>
/// <b>Warm-up.</b> The first <see cref="NvarFeatures.WarmupSteps"/> = (k − 1)·s steps of every sequence have no features,
/// so their targets are left out of the fit and they get no prediction, as an echo state network's washout. Sequences
/// are independent: each is run from its own new state. NVAR feature matrices are ill-conditioned (their quadratic
/// monomials are strongly correlated); the Gram matrix is accumulated in double precision and λ should be above 0.
/// </para>
/// <para>
/// The network is immutable and thread-safe.
/// </para>
/// </remarks>
public sealed partial class NvarNetwork
{
    internal NvarNetwork(NvarNetworkOptions options, NvarFeatures features, RidgeSolution readout, RidgeCvResult? regularizationSearch)
    {
        Options = options;
        Features = features;
        Readout = readout;
        RegularizationSearch = regularizationSearch;
    }

    /// <summary>Gets the options the network was fitted with.</summary>
    public NvarNetworkOptions Options { get; }

    /// <summary>Gets the NVAR feature map.</summary>
    public NvarFeatures Features { get; }

    /// <summary>Gets the fitted readout, over <see cref="NvarFeatures.FeatureCount"/> features.</summary>
    public RidgeSolution Readout { get; }

    /// <summary>Gets the result of the automatic choice of λ, or null when a fixed λ was used.</summary>
    public RidgeCvResult? RegularizationSearch { get; }

    /// <summary>Gets the λ the readout was fitted with: the fixed one, or the one chosen by <see cref="NvarNetworkOptions.RegularizationSearch"/>.</summary>
    public double L2Regularization => Readout.L2Regularization;

    /// <summary>Gets the number of initial steps of each sequence that get no prediction, (k − 1)·s.</summary>
    public int WarmupSteps => Features.WarmupSteps;

    /// <summary>Gets the output dimension K.</summary>
    public int OutputDimension => Readout.TargetCount;

    /// <summary>Trains the readout on one sequence.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="inputs">The inputs u, T×D with T &gt; (k − 1)·s, finite.</param>
    /// <param name="targets">The targets y, T×K, finite; row t is the wanted output after reading input row t (rows of the warm-up are ignored).</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the lengths differ, the sequence is not longer than the warm-up, a value is not finite, or the ridge system is singular (set L2Regularization &gt; 0).</exception>
    public static NvarNetwork Fit(NvarNetworkOptions options, double[,] inputs, double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        return Fit(options, [inputs], [targets]);
    }

    /// <summary>Trains the readout on many sequences, each run from its own new NVAR state.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="inputs">The input sequences, each T_i×D with T_i &gt; (k − 1)·s.</param>
    /// <param name="targets">The target sequences, each T_i×K, one per input sequence.</param>
    /// <returns>The fitted network.</returns>
    /// <exception cref="ArgumentNullException">An argument or a sequence is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the counts or lengths differ, a sequence is not longer than the warm-up, a value is not finite, the ridge system is singular (set L2Regularization &gt; 0), or there are too few rows for the cross-validation folds. The message names the sequence.</exception>
    /// <remarks>With <see cref="NvarNetworkOptions.RegularizationSearch"/> set, the rows go to time-blocked folds in time order over all sequences, and <see cref="RidgeCv"/> picks λ.</remarks>
    public static NvarNetwork Fit(NvarNetworkOptions options, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options.Features, "options.Features");
        ArgumentNullException.ThrowIfNull(options.Readout, "options.Readout");
        var features = new NvarFeatures(options.Features);
        var (readout, search) = CreateSolvers(options);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("inputs must hold at least one sequence; was empty.", nameof(inputs));
        }

        if (targets.Count != inputs.Count)
        {
            throw new ArgumentException($"targets holds {targets.Count} sequences but inputs holds {inputs.Count}; give one target sequence per input sequence.", nameof(targets));
        }

        var outputs = CheckSequences(features, inputs, targets);
        var warmup = features.WarmupSteps;
        var totalRows = 0L;
        for (var i = 0; i < inputs.Count; i++)
        {
            totalRows += inputs[i].GetLength(0) - warmup;
        }

        var folds = new TimeBlockedFolds(search is null || search.Options.Method == RidgeCvMethod.GeneralizedCrossValidation ? 1 : options.CrossValidationFolds, totalRows);
        var grams = folds.CreateAccumulators(features.FeatureCount, outputs);
        var firstRow = 0L;
        for (var i = 0; i < inputs.Count; i++)
        {
            var rows = features.Run(inputs[i]);
            var count = rows.GetLength(0);
            folds.Accumulate(grams, firstRow, rows.AsSpan(), targets[i].AsSpan().Slice(warmup * outputs, count * outputs), count);
            firstRow += count;
        }

        if (search is null)
        {
            return new NvarNetwork(options, features, readout.Fit(grams[0]), null);
        }

        var searched = search.Fit(grams);
        return new NvarNetwork(options, features, searched.Solution, searched);
    }

    /// <summary>Checks the readout options and creates the ridge solver and the λ search they ask for.</summary>
    /// <exception cref="ArgumentOutOfRangeException">L2Regularization is negative or not finite, or CrossValidationFolds is below 2.</exception>
    internal static (RidgeReadout Readout, RidgeCv? Search) CreateSolvers(NvarNetworkOptions options)
    {
        Guard.AtLeast(options.CrossValidationFolds, 2);
        return ReadoutSolvers.Create(options.Readout, options.RegularizationSearch);
    }

    /// <summary>Predicts the outputs of one sequence, run from a new NVAR state.</summary>
    /// <param name="inputs">The inputs, T×D with T &gt; <see cref="WarmupSteps"/>, finite.</param>
    /// <returns>A new (T − <see cref="WarmupSteps"/>)×K array; row r is the prediction for step <see cref="WarmupSteps"/> + r.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The width differs from D, the sequence is not longer than the warm-up, or a value is not finite.</exception>
    public double[,] Predict(double[,] inputs) => Readout.Predict(Features.Run(inputs));

    /// <summary>Forecasts in closed loop: reads <paramref name="context"/>, then feeds each prediction back as the next input.</summary>
    /// <param name="context">The observed inputs, T×D with T &gt; <see cref="WarmupSteps"/>, finite; read from a new NVAR state.</param>
    /// <param name="steps">The number of steps forecast, ≥ 1.</param>
    /// <param name="predictsIncrements">
    /// False (the default) when the network was trained to predict its next input, targets u(t + 1); true when it was trained
    /// on the increments u(t + 1) − u(t), as Gauthier et al. do, so that the next input is u(t) + y(t).
    /// </param>
    /// <returns>A new <paramref name="steps"/>×D array: row 0 is the forecast of the input after the last context row, row j the one after reading row j − 1 of the forecast.</returns>
    /// <remarks>
    /// <para>
    /// The network must map D inputs to K = D outputs. A closed loop is far more sensitive to λ than one-step prediction:
    /// on exact Lorenz-63 samples in raw units (dt = 0.025, k = 2, quadratic) λ = 2.5e-6 and 1e-4 give one-step NRMSE
    /// near 1e-4 but a loop that diverges within a Lyapunov time (44 steps), with 400 or 2000 training steps and either kind
    /// of target, while λ = 1e-2 follows the truth for a Lyapunov time. Choose λ on closed-loop validation, not on one-step error.
    /// </para>
    /// <para>
    /// Gauthier et al.'s λ = 2.5e-6 works on their data because it is not exact: solve_ivp's RK23 at default tolerances
    /// leaves errors of order 1e-3, and errors in the inputs regularise like a ridge of about (rows)·σ² on the linear
    /// features. With N(0, 1e-3²) added to the training samples the paper's protocol gives a loop that follows the truth
    /// (NRMSE over one Lyapunov time 2e-3 to 5e-3, the paper's 4.5e-3). Measured and ruled out as causes: the centring
    /// and unpenalised intercept (a penalised constant feature without centring gives the same NRMSE to three digits, and
    /// the same divergence), and the Cholesky solve (the condition number of the feature matrix is 1.7e9 at 400 rows,
    /// but an SVD solve of the ridge problem on the feature matrix itself changes the weights by 4e-4 relative and
    /// diverges at the same step).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1 or the forecast would exceed <see cref="ReservoirLimits.MaxGeneratedValues"/> values.</exception>
    /// <exception cref="ArgumentException">The width differs from D, the context is not longer than the warm-up, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">The output dimension differs from the input dimension, or the forecast became non-finite (the message names the step).</exception>
    public double[,] Generate(double[,] context, int steps, bool predictsIncrements = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        var d = Features.InputDimension;
        if (OutputDimension != d)
        {
            throw new InvalidOperationException(
                $"Closed-loop generation feeds outputs back as inputs, so it needs OutputDimension = InputDimension; the network has {OutputDimension} outputs and {d} inputs.");
        }

        Guard.AtLeast(steps, 1);
        if ((long)steps * d > ReservoirLimits.MaxGeneratedValues)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps,
                $"steps = {steps} asks for {(long)steps * d} values, more than ReservoirLimits.MaxGeneratedValues = {ReservoirLimits.MaxGeneratedValues}; lower steps.");
        }

        if (context.GetLength(1) != d)
        {
            throw new ArgumentException($"context has {context.GetLength(1)} columns but the NVAR was built for {d} inputs.", nameof(context));
        }

        if (context.GetLength(0) <= WarmupSteps)
        {
            throw new ArgumentException(
                $"context has {context.GetLength(0)} steps; it needs more than the warm-up of (DelayCount − 1)·DelayStride = {WarmupSteps} steps.", nameof(context));
        }

        Guard.AllFinite(context);
        var state = Features.CreateState();
        var z = new double[Features.FeatureCount];
        var input = new double[d];
        var prediction = new double[d];
        for (var t = 0; t < context.GetLength(0); t++)
        {
            for (var c = 0; c < d; c++)
            {
                input[c] = context[t, c];
            }

            Features.Step(state, input, z);
        }

        var result = new double[steps, d];
        for (var j = 0; j < steps; j++)
        {
            Readout.Predict(z, prediction);
            for (var c = 0; c < d; c++)
            {
                if (predictsIncrements)
                {
                    prediction[c] += input[c];
                }

                result[j, c] = prediction[c];
                input[c] = prediction[c];
            }

            if (j == steps - 1)
            {
                break;
            }

            Features.Step(state, prediction, z);
            for (var f = 0; f < z.Length; f++)
            {
                if (!double.IsFinite(z[f]))
                {
                    throw new InvalidOperationException(
                        $"The closed-loop forecast diverged at step {j + 1}: its features overflowed. The readout is unstable in closed loop; "
                        + "try a larger L2Regularization or more training data.");
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Checks every sequence before anything runs, naming the bad one: inputs of width D, longer than the warm-up and finite;
    /// targets as long as their inputs, of one width and finite. Returns the width K.
    /// </summary>
    private static int CheckSequences(NvarFeatures features, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets)
    {
        var outputs = -1;
        for (var i = 0; i < targets.Count; i++)
        {
            var inputName = $"inputs[{i}]";
            var input = inputs[i] ?? throw new ArgumentNullException(inputName);
            if (input.GetLength(1) != features.InputDimension)
            {
                throw new ArgumentException(
                    $"{inputName} has {input.GetLength(1)} columns but the NVAR was built for {features.InputDimension} inputs.", inputName);
            }

            if (input.GetLength(0) <= features.WarmupSteps)
            {
                throw new ArgumentException(
                    $"{inputName} has {input.GetLength(0)} steps; it needs more than the warm-up of (DelayCount − 1)·DelayStride = {features.WarmupSteps} steps.",
                    inputName);
            }

            Guard.AllFinite(input, inputName);
            var name = $"targets[{i}]";
            var target = targets[i] ?? throw new ArgumentNullException(name);
            if (target.GetLength(0) != input.GetLength(0))
            {
                throw new ArgumentException($"{name} has {target.GetLength(0)} rows but inputs[{i}] has {input.GetLength(0)}; they must be equal.", name);
            }

            if (target.GetLength(1) < 1 || (outputs >= 0 && target.GetLength(1) != outputs))
            {
                throw new ArgumentException(
                    $"{name} has {target.GetLength(1)} columns; every target sequence needs the same number of columns, at least 1 (the first has {Math.Max(outputs, target.GetLength(1))}).", name);
            }

            outputs = target.GetLength(1);
            Guard.AllFinite(target, name);
        }

        return outputs;
    }
}
