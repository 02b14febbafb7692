namespace Reservoir.Datasets;

/// <summary>Generates seeded trajectories of the Lorenz (1963) system, the standard three-dimensional chaotic benchmark.</summary>
/// <remarks>
/// <para>
/// <b>Equations.</b> dx/dt = σ·(y − x), dy/dt = x·(ρ − z) − y, dz/dt = x·y − β·z; the defaults σ = 10, ρ = 28, β = 8/3
/// give the butterfly attractor (x and y within about ±25, z in about (0, 50)).
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
public static class Lorenz63
{
    /// <summary>The largest Lyapunov exponent of the classic system (σ = 10, ρ = 28, β = 8/3), about 0.906 per time unit.</summary>
    /// <remarks>
    /// Nearby trajectories separate like exp(0.906·t), so one Lyapunov time is 1 / 0.906 ≈ 1.1 time units, or 110 samples
    /// at the default timeStep of 0.01. Forecast horizons are usually reported in Lyapunov times (t · 0.906). The value
    /// holds only for the classic parameters.
    /// </remarks>
    public const double MaxLyapunovExponent = 0.906;

    /// <summary>Generates a Lorenz-63 trajectory of <paramref name="length"/> samples.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial-condition perturbation; any value. Equal seeds give bit-identical trajectories.</param>
    /// <param name="timeStep">Time between samples, in time units; finite and &gt; 0, default 0.01.</param>
    /// <param name="sigma">The Prandtl number σ; finite and &gt; 0, default 10.</param>
    /// <param name="rho">The Rayleigh number ρ; finite and &gt; 0, default 28.</param>
    /// <param name="beta">The geometric factor β; finite and &gt; 0, default 8/3.</param>
    /// <param name="substeps">Runge-Kutta steps per sample (step = timeStep / substeps); &gt;= 1, default 1.</param>
    /// <param name="transientSamples">Samples generated first and dropped; &gt;= 0, default 1000 (10 time units at the default step).</param>
    /// <returns>A new <paramref name="length"/>×3 array, owned by the caller; row t holds (x, y, z) at sample t.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above.</exception>
    /// <exception cref="InvalidOperationException">The integration produced a non-finite value; reduce timeStep or raise substeps.</exception>
    public static double[,] Generate(
        int length,
        int seed,
        double timeStep = 0.01,
        double sigma = 10,
        double rho = 28,
        double beta = 8.0 / 3,
        int substeps = 1,
        int transientSamples = 1000)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 3, nameof(length));
        Guard.Positive(timeStep);
        Guard.Positive(sigma);
        Guard.Positive(rho);
        Guard.Positive(beta);
        Guard.AtLeast(substeps, 1);
        Guard.AtLeast(transientSamples, 0);

        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.LorenzInitialCondition);
        var x = 1 + (2 * random.NextDouble() - 1);
        var y = 1 + (2 * random.NextDouble() - 1);
        var z = 1 + (2 * random.NextDouble() - 1);

        var field = new Parameters(sigma, rho, beta);
        var flow = new RungeKuttaFlow3<Parameters>(field, x, y, z, timeStep / substeps, substeps, seed, "Lorenz-63",
            "reduce timeStep or raise substeps");
        return Trajectory.Sample(ref flow, length, transientSamples);
    }

    /// <summary>The three parameters of the system.</summary>
    private readonly record struct Parameters(double Sigma, double Rho, double Beta) : IVectorField3
    {
        /// <summary>The right-hand side of the Lorenz equations at (x, y, z).</summary>
        public (double X, double Y, double Z) Derivative(double x, double y, double z) =>
            (Sigma * (y - x), x * (Rho - z) - y, x * y - Beta * z);
    }
}
