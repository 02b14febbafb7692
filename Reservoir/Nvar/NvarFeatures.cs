using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Reservoir.Nvar;

/// <summary>
/// Nonlinear vector autoregression (NVAR), the feature map of next-generation reservoir computing: delayed inputs and
/// all their unique polynomial monomials of one order.
/// </summary>
/// <remarks>
/// <para>
/// <b>Features.</b> For an input u(t) ∈ R^D, k delays and stride s, the linear part is
/// L(t) = [u(t); u(t − s); …; u(t − (k − 1)·s)], k·D values with the newest input first. The nonlinear part holds every
/// unique monomial of order p of L, L_i·L_j for i ≤ j when p = 2 and L_i·L_j·L_l for i ≤ j ≤ l when p = 3, in
/// lexicographic order of (i, j[, l]): C(k·D + p − 1, p) values. The feature vector is
/// z(t) = [1 (if <see cref="NvarOptions.IncludeConstant"/>); L(t); monomials], so
/// <see cref="FeatureCount"/> = [1] + k·D + C(k·D + p − 1, p). This is the construction of Gauthier, Bollt, Griffith and
/// Barbosa (2021, Nat. Commun. 12:5564): a ridge readout on z(t) is their next-generation reservoir computer.
/// </para>
/// <para>
/// <b>Warm-up.</b> z(t) needs u(t − (k − 1)·s), so the first <see cref="WarmupSteps"/> = (k − 1)·s steps of every
/// sequence have no features. <see cref="Run(double[,])"/> drops them, as an echo state network's fit drops its
/// washout: row r of the result is z at step <see cref="WarmupSteps"/> + r, and a sequence needs more than
/// <see cref="WarmupSteps"/> steps. Nothing is padded with zeros, so no feature ever mixes real and made-up inputs.
/// </para>
/// <para>
/// <b>State.</b> The delay store lives in an <see cref="NvarState"/> owned by the caller, one per sequence.
/// <see cref="Run(double[,])"/> and <see cref="Run(IReadOnlyList{double[,]})"/> give every sequence a new state, so
/// running sequence A and then B gives B exactly the features of B run alone: no input of A reaches B.
/// </para>
/// <para>
/// The object is immutable and thread-safe; states are not. Nothing is random: equal options give bit-identical features.
/// </para>
/// </remarks>
public sealed class NvarFeatures
{
    /// <summary>The largest <see cref="FeatureCount"/> accepted: 2^20 (1 048 576); a readout's Gram matrix of that size already needs 8 TiB.</summary>
    public const int MaxFeatureCount = 1 << 20;

    /// <summary>Indices into the linear part, <see cref="NvarOptions.PolynomialOrder"/> per monomial.</summary>
    private readonly int[] _monomials;

    /// <summary>Builds the feature map and checks the options.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name is the option's.</exception>
    public NvarFeatures(NvarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        InputDimension = options.InputDimension;
        LinearCount = options.DelayCount * options.InputDimension;
        WarmupSteps = (options.DelayCount - 1) * options.DelayStride;
        StoredSteps = WarmupSteps + 1;
        NonlinearCount = (int)MonomialCount(LinearCount, options.PolynomialOrder);
        ConstantCount = options.IncludeConstant ? 1 : 0;
        FeatureCount = ConstantCount + LinearCount + NonlinearCount;
        _monomials = BuildMonomials(LinearCount, options.PolynomialOrder, NonlinearCount);
    }

    /// <summary>Gets the options the features were built from.</summary>
    public NvarOptions Options { get; }

    /// <summary>Gets the number D of inputs per step.</summary>
    public int InputDimension { get; }

    /// <summary>Gets the size k·D of the linear part.</summary>
    public int LinearCount { get; }

    /// <summary>Gets the size C(k·D + p − 1, p) of the nonlinear part.</summary>
    public int NonlinearCount { get; }

    /// <summary>Gets the number of features per step: [1] + k·D + C(k·D + p − 1, p).</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the number (k − 1)·s of initial steps of each sequence that have no features.</summary>
    public int WarmupSteps { get; }

    /// <summary>The rows of the delay store, <see cref="WarmupSteps"/> + 1.</summary>
    internal int StoredSteps { get; }

    /// <summary>1 with the constant feature, else 0.</summary>
    private int ConstantCount { get; }

    /// <summary>The number of unique monomials of order <paramref name="order"/> in <paramref name="variables"/> variables, C(n + p − 1, p); exact for the sizes accepted.</summary>
    /// <param name="variables">n, ≥ 0.</param>
    /// <param name="order">p, ≥ 0.</param>
    /// <returns>The count, or <see cref="long.MaxValue"/> when it exceeds it.</returns>
    public static long MonomialCount(int variables, int order)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        // C(n + p − 1, p) = Π_{i=1..p} (n − 1 + i) / i; each partial product is itself a binomial coefficient.
        var result = 1.0m;
        for (var i = 1; i <= order; i++)
        {
            result = result * (variables - 1 + i) / i;
            if (result > long.MaxValue)
            {
                return long.MaxValue;
            }
        }

        return (long)decimal.Round(result);
    }

    /// <summary>Creates a new state for one sequence: no input taken yet.</summary>
    /// <returns>A new state owned by the caller.</returns>
    public NvarState CreateState() => new(this);

    /// <summary>Takes the input of one step and, once the state is warmed up, writes the features of that step.</summary>
    /// <param name="state">The state of the sequence, created by these features; it advances by one step.</param>
    /// <param name="input">The input u(t), length D, finite.</param>
    /// <param name="features">Receives z(t), length <see cref="FeatureCount"/>; left unchanged when false is returned.</param>
    /// <returns>True when the features were written; false during the first <see cref="WarmupSteps"/> steps of the state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state belongs to other features, a length is wrong, or an input is not finite.</exception>
    public bool Step(NvarState state, ReadOnlySpan<double> input, Span<double> features)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!ReferenceEquals(state.Owner, this))
        {
            throw new ArgumentException("The state was created by other NVAR features; use CreateState of these features.", nameof(state));
        }

        if (input.Length != InputDimension)
        {
            throw new ArgumentException($"Input has {input.Length} features but the NVAR was built for {InputDimension}.", nameof(input));
        }

        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"features has length {features.Length}; it must be FeatureCount = {FeatureCount}.", nameof(features));
        }

        Guard.AllFinite(input);
        state.Push(input);
        if (!state.IsWarmedUp)
        {
            return false;
        }

        Compute(state, features);
        return true;
    }

    /// <summary>Runs one sequence from a new state and returns the features of every step after the warm-up.</summary>
    /// <param name="inputs">The inputs, T×D with T &gt; <see cref="WarmupSteps"/>, finite.</param>
    /// <returns>A new (T − <see cref="WarmupSteps"/>)×<see cref="FeatureCount"/> array; row r is z at step <see cref="WarmupSteps"/> + r.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The width differs from D, the sequence is not longer than the warm-up, or a value is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The result would exceed <see cref="ReservoirLimits.MaxGeneratedValues"/> values.</exception>
    public double[,] Run(double[,] inputs)
    {
        CheckSequence(inputs, nameof(inputs));
        return RunChecked(inputs);
    }

    /// <summary>Runs many sequences, each from its own new state, and returns the features of each after its warm-up.</summary>
    /// <param name="sequences">The input sequences, each T_i×D with T_i &gt; <see cref="WarmupSteps"/>, finite.</param>
    /// <returns>One array per sequence, in order, equal to <see cref="Run(double[,])"/> of that sequence alone.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> is null.</exception>
    /// <exception cref="ArgumentException">A sequence is null, has the wrong width, is not longer than the warm-up, or holds a non-finite value; the message names the sequence.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A result would exceed <see cref="ReservoirLimits.MaxGeneratedValues"/> values.</exception>
    public double[][,] Run(IReadOnlyList<double[,]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        for (var i = 0; i < sequences.Count; i++)
        {
            CheckSequence(sequences[i], $"sequences[{i}]");
        }

        var results = new double[sequences.Count][,];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = RunChecked(sequences[i]);
        }

        return results;
    }

    private double[,] RunChecked(double[,] inputs)
    {
        var steps = inputs.GetLength(0);
        var f = FeatureCount;
        var result = new double[steps - WarmupSteps, f];
        var state = CreateState();
        var all = inputs.AsSpan();
        var output = result.AsSpan();
        for (var t = 0; t < steps; t++)
        {
            state.Push(all.Slice(t * InputDimension, InputDimension));
            if (t >= WarmupSteps)
            {
                Compute(state, output.Slice((t - WarmupSteps) * f, f));
            }
        }

        return result;
    }

    /// <summary>Writes z for the newest input of a warmed-up state.</summary>
    private void Compute(NvarState state, Span<double> features)
    {
        Debug.Assert(state.IsWarmedUp);
        var position = 0;
        if (ConstantCount == 1)
        {
            features[position++] = 1;
        }

        var linear = features.Slice(position, LinearCount);
        var d = InputDimension;
        for (var j = 0; j < Options.DelayCount; j++)
        {
            state.Delayed(j * Options.DelayStride).CopyTo(linear.Slice(j * d, d));
        }

        var nonlinear = features.Slice(position + LinearCount, NonlinearCount);
        var order = Options.PolynomialOrder;
        if (order == 2)
        {
            for (var m = 0; m < nonlinear.Length; m++)
            {
                nonlinear[m] = linear[_monomials[2 * m]] * linear[_monomials[2 * m + 1]];
            }
        }
        else
        {
            for (var m = 0; m < nonlinear.Length; m++)
            {
                var product = 1.0;
                for (var q = 0; q < order; q++)
                {
                    product *= linear[_monomials[m * order + q]];
                }

                nonlinear[m] = product;
            }
        }
    }

    private void CheckSequence(double[,] inputs, string name)
    {
        if (inputs is null)
        {
            throw new ArgumentNullException(name);
        }

        if (inputs.GetLength(1) != InputDimension)
        {
            throw new ArgumentException(
                $"{name} has {inputs.GetLength(1)} columns but the NVAR was built for {InputDimension} inputs.", name);
        }

        if (inputs.GetLength(0) <= WarmupSteps)
        {
            throw new ArgumentException(
                $"{name} has {inputs.GetLength(0)} steps; it needs more than the warm-up of (DelayCount − 1)·DelayStride = {WarmupSteps} steps, "
                + "whose features are undefined.", name);
        }

        ReservoirLimits.CheckGenerated(inputs.GetLength(0) - WarmupSteps, FeatureCount, name);
        Guard.AllFinite(inputs, name);
    }

    /// <summary>The index tuples i ≤ j [≤ l] of the monomials, in lexicographic order.</summary>
    private static int[] BuildMonomials(int variables, int order, int count)
    {
        var result = new int[count * order];
        var tuple = new int[order];
        var m = 0;
        while (true)
        {
            tuple.CopyTo(result, m * order);
            m++;

            // Advance the last index that can grow, and set every later index equal to it (non-decreasing tuples).
            var q = order - 1;
            while (q >= 0 && tuple[q] == variables - 1)
            {
                q--;
            }

            if (q < 0)
            {
                break;
            }

            tuple[q]++;
            for (var r = q + 1; r < order; r++)
            {
                tuple[r] = tuple[q];
            }
        }

        Debug.Assert(m == count);
        return result;
    }

    /// <summary>Checks every option; the exception names the option.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the option that holds the bad value, so that the error names the setting the caller wrote.")]
    internal static void Validate(NvarOptions options)
    {
        Guard.AtLeast(options.InputDimension, 1);
        Guard.AtLeast(options.DelayCount, 1);
        Guard.AtLeast(options.DelayStride, 1);
        if (options.PolynomialOrder < NvarOptions.MinPolynomialOrder || options.PolynomialOrder > NvarOptions.MaxPolynomialOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(options.PolynomialOrder), options.PolynomialOrder,
                $"PolynomialOrder must be in [{NvarOptions.MinPolynomialOrder}, {NvarOptions.MaxPolynomialOrder}]; was {options.PolynomialOrder}.");
        }

        var storedValues = ((long)(options.DelayCount - 1) * options.DelayStride + 1) * options.InputDimension;
        if (storedValues > ReservoirLimits.MaxGeneratedValues)
        {
            throw new ArgumentOutOfRangeException(nameof(options.DelayStride), options.DelayStride,
                $"The delay store of ((DelayCount − 1)·DelayStride + 1)·InputDimension = {storedValues} values exceeds the limit of "
                + $"{ReservoirLimits.MaxGeneratedValues}; lower DelayCount or DelayStride (DelayStride was {options.DelayStride}).");
        }

        var linear = (long)options.DelayCount * options.InputDimension;
        var count = (options.IncludeConstant ? 1 : 0) + linear
            + (linear > MaxFeatureCount ? long.MaxValue / 2 : MonomialCount((int)linear, options.PolynomialOrder));
        if (count > MaxFeatureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options.DelayCount), options.DelayCount,
                $"DelayCount = {options.DelayCount} with InputDimension = {options.InputDimension} and PolynomialOrder = {options.PolynomialOrder} "
                + $"gives {(count >= long.MaxValue / 2 ? "more than " + long.MaxValue / 2 : count.ToString(System.Globalization.CultureInfo.InvariantCulture))} features, "
                + $"more than NvarFeatures.MaxFeatureCount = {MaxFeatureCount}; lower DelayCount, InputDimension or PolynomialOrder.");
        }
    }
}
