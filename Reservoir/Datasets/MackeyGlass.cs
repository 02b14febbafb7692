using System.Diagnostics.CodeAnalysis;

namespace Reservoir.Datasets;

/// <summary>Generates seeded Mackey-Glass time series, the standard chaotic benchmark for echo state networks.</summary>
/// <remarks>
/// <para>
/// The Mackey-Glass delay differential equation is
/// dy/dt = A·y(t−τ) / (1 + y(t−τ)^n) − B·y(t);
/// see <see cref="MackeyGlassOptions"/> for the parameters and their defaults.
/// </para>
/// <para>
/// <b>Initial history.</b> The equation needs y on a whole interval before t = 0. Every point of the integration grid
/// from −(⌊τ/h⌋ + 1)·h to 0 is set to <see cref="MackeyGlassOptions.InitialValue"/> + U[−j, j] with
/// j = <see cref="MackeyGlassOptions.HistoryJitter"/>, drawn from the seed, oldest point first.
/// </para>
/// <para>
/// <b>Euler.</b> y[i+1] = y[i] + δ·f(y[i], y[i−τ/δ]): the delayed value is read straight from the history, which is why
/// τ/δ must be an integer.
/// </para>
/// <para>
/// <b>Runge-Kutta 4.</b> The classic four stages need y(t−τ), y(t+h/2−τ) and y(t+h−τ). Values between grid points are
/// obtained by <i>linear interpolation</i> of the stored history (for an integer τ/h the half-step value is the mean of its
/// two neighbours). The interpolation is second-order accurate, so the scheme as a whole is not fourth-order; it is still
/// much more accurate than Euler for the same h, and it accepts any τ ≥ h.
/// </para>
/// <para>
/// <b>Sampling.</b> Sample s is y(s·k·h) with k = <see cref="MackeyGlassOptions.Subsample"/>; sample 0 is the last history
/// point y(0). The first <see cref="MackeyGlassOptions.TransientSamples"/> samples are dropped.
/// </para>
/// <para>
/// <b>Determinism.</b> The same seed and options give a bit-identical series within one process. The class is stateless
/// and thread-safe. With the defaults the series lies roughly in [0.2, 1.4].
/// </para>
/// </remarks>
public static class MackeyGlass
{
    /// <summary>The largest number of history points (τ / step) the generator accepts, to keep its buffer to about 80 MB.</summary>
    private const int MaxHistoryPoints = 10_000_000;

    /// <summary>Relative tolerance within which τ / step counts as an integer.</summary>
    private const double IntegerRatioTolerance = 1e-9;

    /// <summary>Generates <paramref name="length"/> samples of the Mackey-Glass series.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial-history jitter; any value. Equal seeds give bit-identical series.</param>
    /// <param name="options">Equation and integration parameters; <see langword="null"/> (the default) means <c>new MackeyGlassOptions()</c>.</param>
    /// <returns>A new array of <paramref name="length"/> samples, owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="length"/> is below 1 or above <see cref="ReservoirLimits.MaxGeneratedValues"/>, or a property of <paramref name="options"/> is out of its range
    /// (the parameter name is <c>options.&lt;Property&gt;</c>).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The integrator is Euler and <see cref="MackeyGlassOptions.Tau"/> / <see cref="MackeyGlassOptions.StepSize"/> is not an
    /// integer, or the history would need more than 10 000 000 points.
    /// </exception>
    /// <exception cref="InvalidOperationException">The integration produced a non-finite value (the step is too large for the parameters).</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "
            + "wrote (MackeyGlassOptions.StepSize), not the method's parameter.")]
    public static double[] Generate(int length, int seed, MackeyGlassOptions? options = null)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 1, nameof(length));
        options ??= new MackeyGlassOptions();
        Validate(options);

        var ratio = options.Tau / options.StepSize;
        var nearest = Math.Round(ratio);
        var isInteger = Math.Abs(ratio - nearest) <= IntegerRatioTolerance * Math.Max(1, ratio);
        if (options.Integrator == MackeyGlassIntegrator.Euler && !isInteger)
        {
            throw new ArgumentException(
                $"StepSize must divide Tau for the Euler integrator; Tau / StepSize = {Guard.Format(ratio)} is not an integer. "
                + "Choose a StepSize such as 0.1, or use MackeyGlassIntegrator.RungeKutta4, which interpolates the history.",
                "StepSize");
        }

        if (ratio > MaxHistoryPoints)
        {
            throw new ArgumentException(
                $"Tau / StepSize must be at most {MaxHistoryPoints} history points; was {Guard.Format(ratio)}. Increase StepSize.",
                "StepSize");
        }

        // Snap a nearly integer ratio so that the delayed values fall exactly on (or half-way between) grid points.
        var delay = isInteger ? nearest : ratio;
        var history = CreateHistory(seed, options, (int)Math.Floor(delay) + 2);
        var useEuler = options.Integrator == MackeyGlassIntegrator.Euler;

        var output = new double[length];
        var totalSamples = (long)options.TransientSamples + length;
        for (long s = 0; s < totalSamples; s++)
        {
            if (s >= options.TransientSamples)
            {
                output[s - options.TransientSamples] = history.Current;
            }

            if (s == totalSamples - 1)
            {
                break;
            }

            for (var k = 0; k < options.Subsample; k++)
            {
                if (useEuler)
                {
                    EulerStep(history, options, (int)delay);
                }
                else
                {
                    RungeKuttaStep(history, options, delay);
                }

                if (!double.IsFinite(history.Current))
                {
                    throw new InvalidOperationException(
                        $"The Mackey-Glass integration diverged while computing sample {s + 1} (seed {seed}, {options.Integrator}, StepSize {Guard.Format(options.StepSize)}); "
                        + "reduce StepSize or check A, B and Exponent.");
                }
            }
        }

        return output;
    }

    /// <summary>Throws for the first property of <paramref name="options"/> that is out of range.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "
            + "wrote (Integrator, StepSize, HistoryJitter), not the method's parameter.")]
    private static void Validate(MackeyGlassOptions options)
    {
        Guard.Positive(options.Tau);
        Guard.NonNegative(options.A);
        Guard.NonNegative(options.B);
        Guard.Positive(options.Exponent);
        if (!Enum.IsDefined(options.Integrator))
        {
            throw new ArgumentOutOfRangeException("Integrator", options.Integrator,
                $"Integrator must be {nameof(MackeyGlassIntegrator.Euler)} or {nameof(MackeyGlassIntegrator.RungeKutta4)}; was {(int)options.Integrator}.");
        }

        Guard.Positive(options.StepSize);
        if (options.StepSize > options.Tau)
        {
            throw new ArgumentOutOfRangeException("StepSize", options.StepSize,
                $"StepSize must be <= Tau ({Guard.Format(options.Tau)}); was {Guard.Format(options.StepSize)}.");
        }

        Guard.AtLeast(options.Subsample, 1);
        Guard.AtLeast(options.TransientSamples, 0);
        Guard.Positive(options.InitialValue);
        if (!double.IsFinite(options.HistoryJitter) || options.HistoryJitter < 0 || options.HistoryJitter >= options.InitialValue)
        {
            throw new ArgumentOutOfRangeException("HistoryJitter", options.HistoryJitter,
                $"HistoryJitter must be in [0, InitialValue) = [0, {Guard.Format(options.InitialValue)}) so that the history stays positive; "
                + $"was {Guard.Format(options.HistoryJitter)}.");
        }
    }

    /// <summary>Fills a delay line of <paramref name="capacity"/> points with the jittered constant history.</summary>
    private static DelayLine CreateHistory(int seed, MackeyGlassOptions options, int capacity)
    {
        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.MackeyGlassHistory);
        var line = new DelayLine(capacity);
        for (var i = 0; i < capacity; i++)
        {
            var jitter = options.HistoryJitter * (2 * random.NextDouble() - 1);
            line.Push(options.InitialValue + jitter);
        }

        return line;
    }

    /// <summary>The right-hand side A·delayed / (1 + delayed^n) − B·current.</summary>
    private static double Derivative(double current, double delayed, MackeyGlassOptions options) =>
        options.A * delayed / (1 + Math.Pow(delayed, options.Exponent)) - options.B * current;

    /// <summary>One explicit Euler step with the delayed value <paramref name="delaySteps"/> grid points back.</summary>
    private static void EulerStep(DelayLine line, MackeyGlassOptions options, int delaySteps)
    {
        var y = line.Current;
        line.Push(y + options.StepSize * Derivative(y, line.Back(delaySteps), options));
    }

    /// <summary>One classic Runge-Kutta 4 step; delayed values off the grid are linearly interpolated.</summary>
    private static void RungeKuttaStep(DelayLine line, MackeyGlassOptions options, double delay)
    {
        var h = options.StepSize;
        var y = line.Current;
        var delayedStart = line.Interpolate(delay);
        var delayedHalf = line.Interpolate(delay - 0.5);
        var delayedEnd = line.Interpolate(delay - 1);

        var k1 = Derivative(y, delayedStart, options);
        var k2 = Derivative(y + 0.5 * h * k1, delayedHalf, options);
        var k3 = Derivative(y + 0.5 * h * k2, delayedHalf, options);
        var k4 = Derivative(y + h * k3, delayedEnd, options);
        line.Push(y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4));
    }

    /// <summary>A ring buffer of the most recent grid values; index 0 back is the current value.</summary>
    private sealed class DelayLine(int capacity)
    {
        private readonly double[] _values = new double[capacity];
        private int _head = -1;

        /// <summary>Gets the newest value.</summary>
        public double Current => _values[_head];

        /// <summary>Appends the newest value, overwriting the oldest.</summary>
        public void Push(double value)
        {
            _head = _head + 1 == _values.Length ? 0 : _head + 1;
            _values[_head] = value;
        }

        /// <summary>The value <paramref name="steps"/> grid points before the newest; 0 &lt;= steps &lt; capacity.</summary>
        public double Back(int steps)
        {
            var index = _head - steps;
            return _values[index < 0 ? index + _values.Length : index];
        }

        /// <summary>The value a fractional <paramref name="steps"/> (&gt;= 0) before the newest, by linear interpolation.</summary>
        public double Interpolate(double steps)
        {
            var whole = (int)Math.Floor(steps);
            var fraction = steps - whole;
            return fraction == 0 ? Back(whole) : (1 - fraction) * Back(whole) + fraction * Back(whole + 1);
        }
    }
}
