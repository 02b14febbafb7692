namespace Reservoir.Datasets;

/// <summary>Generates orbits of the Hénon (1976) map, the standard two-dimensional chaotic map.</summary>
/// <remarks>
/// <para>
/// <b>Map.</b> x[t+1] = 1 − a·x[t]² + y[t], y[t+1] = b·x[t]; the defaults a = 1.4, b = 0.3 are Hénon's classic
/// parameters, whose strange attractor lies in x ∈ (−1.29, 1.28), y ∈ (−0.39, 0.39) (so |y| ≤ 0.3·max|x|). The map
/// contracts areas by |b| at every step; its largest Lyapunov exponent at the defaults is about 0.42 per step.
/// </para>
/// <para>
/// <b>Iteration.</b> The map is iterated exactly as written, in double precision, one sample per iteration. In
/// <see cref="Generate"/> sample 0 is the initial point (U[−0.1, 0.1], U[−0.1, 0.1]), drawn from the seed and inside the
/// basin of the classic attractor, and the first transientSamples samples are dropped; <see cref="Iterate"/> starts from
/// a point given by the caller and keeps every sample.
/// </para>
/// <para>
/// The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.
/// </para>
/// </remarks>
public static class Henon
{
    /// <summary>Generates a Hénon orbit of <paramref name="length"/> samples from a seeded initial point.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial point; any value. Equal seeds give bit-identical orbits.</param>
    /// <param name="a">The parameter a; finite, default 1.4.</param>
    /// <param name="b">The parameter b; finite, default 0.3.</param>
    /// <param name="transientSamples">Samples generated first and dropped; &gt;= 0, default 100.</param>
    /// <returns>A new <paramref name="length"/>×2 array, owned by the caller; row t holds (x, y) at sample t.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above.</exception>
    /// <exception cref="InvalidOperationException">The orbit escaped to infinity (a and b have no bounded attractor reached from the initial point).</exception>
    public static double[,] Generate(int length, int seed, double a = 1.4, double b = 0.3, int transientSamples = 100)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 2, nameof(length));
        DatasetGuard.Finite(a, nameof(a));
        DatasetGuard.Finite(b, nameof(b));
        Guard.AtLeast(transientSamples, 0);

        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.HenonInitialCondition);
        var x = 0.1 * (2 * random.NextDouble() - 1);
        var y = 0.1 * (2 * random.NextDouble() - 1);
        return Run(length, x, y, a, b, transientSamples);
    }

    /// <summary>Iterates the Hénon map <paramref name="length"/> − 1 times from (<paramref name="initialX"/>, <paramref name="initialY"/>).</summary>
    /// <param name="length">Number of samples returned, the initial point included; &gt;= 1.</param>
    /// <param name="initialX">The x of sample 0; finite.</param>
    /// <param name="initialY">The y of sample 0; finite.</param>
    /// <param name="a">The parameter a; finite, default 1.4.</param>
    /// <param name="b">The parameter b; finite, default 0.3.</param>
    /// <returns>A new <paramref name="length"/>×2 array, owned by the caller; row 0 is the initial point.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above.</exception>
    /// <exception cref="InvalidOperationException">The orbit escaped to infinity.</exception>
    public static double[,] Iterate(int length, double initialX, double initialY, double a = 1.4, double b = 0.3)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 2, nameof(length));
        DatasetGuard.Finite(initialX, nameof(initialX));
        DatasetGuard.Finite(initialY, nameof(initialY));
        DatasetGuard.Finite(a, nameof(a));
        DatasetGuard.Finite(b, nameof(b));
        return Run(length, initialX, initialY, a, b, 0);
    }

    private static double[,] Run(int length, double x, double y, double a, double b, int transientSamples)
    {
        var orbit = new Orbit(x, y, a, b);
        return Trajectory.Sample(ref orbit, length, transientSamples);
    }

    /// <summary>The current point of one orbit and the map's parameters.</summary>
    private struct Orbit(double x, double y, double a, double b) : ISampledSystem
    {
        private double _x = x;
        private double _y = y;

        /// <inheritdoc/>
        public readonly int Dimension => 2;

        /// <inheritdoc/>
        public readonly void Record(double[,] output, int row)
        {
            output[row, 0] = _x;
            output[row, 1] = _y;
        }

        /// <inheritdoc/>
        public void Advance(long sample)
        {
            var nextX = 1 - a * _x * _x + _y;
            _y = b * _x;
            _x = nextX;
            if (!double.IsFinite(_x) || !double.IsFinite(_y))
            {
                throw new InvalidOperationException(
                    $"The Hénon orbit escaped to infinity at sample {sample + 1} (a = {Guard.Format(a)}, b = {Guard.Format(b)}); "
                    + "choose parameters with a bounded attractor, such as the defaults a = 1.4, b = 0.3.");
            }
        }
    }
}
