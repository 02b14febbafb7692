namespace Reservoir.Datasets;

/// <summary>Generates seeded NARMA (nonlinear autoregressive moving average) tasks, which test memory and nonlinearity together.</summary>
/// <remarks>
/// <para>
/// <b>Definition</b> (Atiya and Parlos 2000, the standard form). For order n, with u(t) ~ i.i.d. U[inputLow, inputHigh):
/// </para>
/// <code>y(t+1) = a·y(t) + b·y(t)·Σ_{i=0..n−1} y(t−i) + c·u(t−n+1)·u(t) + d</code>
/// <para>
/// with y(t) = 0 for t &lt; n; the recurrence runs from t = n − 1, the first step at which u(t−n+1) exists.
/// The defaults (n = 10, a = 0.3, b = 0.05, c = 1.5, d = 0.1, u in [0, 0.5]) are NARMA-10.
/// </para>
/// <para>
/// <b>Alignment.</b> <c>Input[t] = u(t)</c> and <c>Target[t] = y(t+1)</c>, the value determined by the inputs up to and
/// including <c>Input[t]</c>: a causal model that has read <c>Input[0..t]</c> predicts <c>Target[t]</c>. The first
/// <c>transientSteps</c> steps are generated and then dropped from both arrays, so that the zero start is forgotten.
/// Time indices in messages count from the start of generation, transient included.
/// </para>
/// <para>
/// <b>ReservoirPy differs.</b> <c>reservoirpy.datasets.narma</c> sums y(t−n) … y(t−1), leaving out y(t), and multiplies
/// u(t−n)·u(t): the window is shifted one step back (an off-by-one against the published equation), and its defaults
/// (order 30, a = 0.2, b = 0.04, d = 0.001) differ as well. Series from the two libraries are therefore not comparable
/// value by value; this class follows the standard form above.
/// </para>
/// <para>
/// <b>Divergence.</b> The recurrence is not bounded for every input draw or coefficient set. With the NARMA-10
/// coefficients, orders up to 10 stayed bounded for every seed we tried, but orders of 15 and more diverge for practically
/// every seed; for NARMA-20 or NARMA-30 pass smaller coefficients, such as a = 0.2, b = 0.04, d = 0.001 (bounded for every
/// seed we tried up to order 30). If any y becomes non-finite or exceeds <see cref="DivergenceThreshold"/> in magnitude,
/// <see cref="Generate"/> throws instead of returning a poisoned series.
/// </para>
/// <para>The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.</para>
/// </remarks>
public static class Narma
{
    /// <summary>The magnitude of y beyond which the series counts as diverged: 1000.</summary>
    public const double DivergenceThreshold = 1e3;

    /// <summary>Generates a NARMA input series and its aligned target.</summary>
    /// <param name="length">Number of time steps returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the input u; any value. Equal seeds give bit-identical series.</param>
    /// <param name="order">The order n (memory length) of the system; &gt;= 1, default 10.</param>
    /// <param name="a">Coefficient of y(t); finite, default 0.3.</param>
    /// <param name="b">Coefficient of y(t)·Σ y(t−i); finite, default 0.05.</param>
    /// <param name="c">Coefficient of u(t−n+1)·u(t); finite, default 1.5.</param>
    /// <param name="d">Constant term; finite, default 0.1.</param>
    /// <param name="inputLow">Lower bound of the uniform input; finite, default 0.</param>
    /// <param name="inputHigh">Upper bound (exclusive) of the uniform input; finite and &gt; <paramref name="inputLow"/>, default 0.5.</param>
    /// <param name="transientSteps">Steps generated first and dropped from both arrays; &gt;= 0, default 200. Keep it &gt;= n, or the first targets are the zero start.</param>
    /// <returns>A new <see cref="NarmaSeries"/> whose arrays have <paramref name="length"/> elements and are owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="length"/> or <paramref name="order"/> is below 1, length·2 values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>, a coefficient or input bound is not finite,
    /// <paramref name="inputHigh"/> is not above <paramref name="inputLow"/>, or <paramref name="transientSteps"/> is
    /// negative or too large for one array.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The series diverged (|y| &gt; <see cref="DivergenceThreshold"/> or not finite); the message names the order, the seed and
    /// the time step. Try another seed or smaller coefficients.
    /// </exception>
    public static NarmaSeries Generate(
        int length,
        int seed,
        int order = 10,
        double a = 0.3,
        double b = 0.05,
        double c = 1.5,
        double d = 0.1,
        double inputLow = 0,
        double inputHigh = 0.5,
        int transientSteps = 200)
    {
        Guard.AtLeast(length, 1);
        Guard.AtLeast(order, 1);
        DatasetGuard.Finite(a, nameof(a));
        DatasetGuard.Finite(b, nameof(b));
        DatasetGuard.Finite(c, nameof(c));
        DatasetGuard.Finite(d, nameof(d));
        DatasetGuard.Interval(inputLow, inputHigh, nameof(inputLow), nameof(inputHigh));
        Guard.AtLeast(transientSteps, 0);
        DatasetGuard.FitsInArray(length, transientSteps, nameof(transientSteps));
        ReservoirLimits.CheckGenerated(length, 2, nameof(length));

        var total = transientSteps + length;
        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.NarmaInput);
        var width = inputHigh - inputLow;
        var u = new double[total];
        for (var t = 0; t < total; t++)
        {
            u[t] = inputLow + width * random.NextDouble();
        }

        // y[t] for t = 0 .. total; y[t] = 0 for t < order.
        var y = new double[total + 1];
        for (var t = order - 1; t < total; t++)
        {
            var sum = 0.0;
            for (var i = 0; i < order; i++)
            {
                sum += y[t - i];
            }

            var next = a * y[t] + b * y[t] * sum + c * u[t - order + 1] * u[t] + d;
            if (!double.IsFinite(next) || Math.Abs(next) > DivergenceThreshold)
            {
                throw new InvalidOperationException(
                    $"NARMA-{order} diverged at time step {t + 1} with seed {seed}: y = {Guard.Format(next)} exceeds ±{Guard.Format(DivergenceThreshold)}. "
                    + "Try another seed or smaller coefficients (a, b, c) or a narrower input range.");
            }

            y[t + 1] = next;
        }

        return new NarmaSeries(u[transientSteps..], y[(transientSteps + 1)..]);
    }
}
