namespace Reservoir.Datasets;

/// <summary>Generates seeded trajectories of the Lorenz (1996) model, a ring of coupled variables whose dimension is chosen by the caller.</summary>
/// <remarks>
/// <para>
/// <b>Equations.</b> dx_i/dt = (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F for i = 0 … D − 1, with indices taken modulo D
/// (a periodic ring). The defaults are D = 8 and F = 8, where the model is chaotic. For the much-studied D = 40,
/// F = 8, Lorenz and Emanuel (1998, J. Atmos. Sci. 55:399–414) report a climatological mean of about 2.3 and a
/// standard deviation of about 3.6 per variable and an error-doubling time of about 0.42 time units (largest Lyapunov
/// exponent about 1.7 per time unit); every variable has the same statistics, by the symmetry of the ring.
/// </para>
/// <para>
/// <b>Integration.</b> Classic fourth-order Runge-Kutta with step timeStep / substeps; one sample is kept every
/// timeStep time units. Sample 0 is the initial condition x_i = F + U[−1, 1], drawn from the seed; the first
/// transientSamples samples are dropped so that the output starts on the attractor.
/// </para>
/// <para>
/// The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.
/// </para>
/// </remarks>
public static class Lorenz96
{
    /// <summary>The smallest dimension accepted: 4, so that x_{i−2}, x_{i−1}, x_i and x_{i+1} are distinct variables.</summary>
    public const int MinDimension = 4;

    /// <summary>Generates a Lorenz-96 trajectory of <paramref name="length"/> samples.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial-condition perturbation; any value. Equal seeds give bit-identical trajectories.</param>
    /// <param name="dimension">The number D of variables on the ring; &gt;= 4, default 8.</param>
    /// <param name="forcing">The constant forcing F; finite, default 8.</param>
    /// <param name="timeStep">Time between samples, in time units; finite and &gt; 0, default 0.05.</param>
    /// <param name="substeps">Runge-Kutta steps per sample (step = timeStep / substeps); &gt;= 1, default 1.</param>
    /// <param name="transientSamples">Samples generated first and dropped; &gt;= 0, default 1000 (50 time units at the default step).</param>
    /// <returns>A new <paramref name="length"/>×<paramref name="dimension"/> array, owned by the caller; row t holds x at sample t.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above, or length·dimension values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>.</exception>
    /// <exception cref="InvalidOperationException">The integration produced a non-finite value; reduce timeStep or raise substeps.</exception>
    public static double[,] Generate(
        int length,
        int seed,
        int dimension = 8,
        double forcing = 8,
        double timeStep = 0.05,
        int substeps = 1,
        int transientSamples = 1000)
    {
        Guard.AtLeast(length, 1);
        Guard.AtLeast(dimension, MinDimension);
        ReservoirLimits.CheckGenerated(length, dimension, nameof(length));
        DatasetGuard.Finite(forcing, nameof(forcing));
        Guard.Positive(timeStep);
        Guard.AtLeast(substeps, 1);
        Guard.AtLeast(transientSamples, 0);

        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.Lorenz96InitialCondition);
        var state = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            state[i] = forcing + (2 * random.NextDouble() - 1);
        }

        var flow = new Flow(state, forcing, timeStep / substeps, substeps, seed);
        return Trajectory.Sample(ref flow, length, transientSamples);
    }

    /// <summary>The state of one integration and its step.</summary>
    private readonly struct Flow(double[] state, double forcing, double h, int substeps, int seed) : ISampledSystem
    {
        private readonly Scratch _scratch = new(state.Length);

        /// <inheritdoc/>
        public int Dimension => state.Length;

        /// <inheritdoc/>
        public void Record(double[,] output, int row)
        {
            for (var i = 0; i < state.Length; i++)
            {
                output[row, i] = state[i];
            }
        }

        /// <inheritdoc/>
        public void Advance(long sample)
        {
            for (var k = 0; k < substeps; k++)
            {
                RungeKuttaStep(state, h, forcing, _scratch);
            }

            for (var i = 0; i < state.Length; i++)
            {
                if (!double.IsFinite(state[i]))
                {
                    throw Trajectory.Diverged("Lorenz-96", sample, seed, h, "reduce timeStep or raise substeps");
                }
            }
        }
    }

    /// <summary>One classic Runge-Kutta 4 step of size <paramref name="h"/>, in place.</summary>
    /// <param name="state">The D variables, advanced in place.</param>
    /// <param name="h">The step.</param>
    /// <param name="forcing">The forcing F.</param>
    /// <param name="scratch">Work arrays of length D.</param>
    internal static void RungeKuttaStep(double[] state, double h, double forcing, Scratch scratch)
    {
        var n = state.Length;
        var (k1, k2, k3, k4, stage) = (scratch.K1, scratch.K2, scratch.K3, scratch.K4, scratch.Stage);
        Derivative(state, forcing, k1);
        for (var i = 0; i < n; i++)
        {
            stage[i] = state[i] + 0.5 * h * k1[i];
        }

        Derivative(stage, forcing, k2);
        for (var i = 0; i < n; i++)
        {
            stage[i] = state[i] + 0.5 * h * k2[i];
        }

        Derivative(stage, forcing, k3);
        for (var i = 0; i < n; i++)
        {
            stage[i] = state[i] + h * k3[i];
        }

        Derivative(stage, forcing, k4);
        for (var i = 0; i < n; i++)
        {
            state[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /// <summary>The right-hand side (x_{i+1} − x_{i−2})·x_{i−1} − x_i + F on the periodic ring.</summary>
    private static void Derivative(double[] x, double forcing, double[] result)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            var next = x[i + 1 < n ? i + 1 : i + 1 - n];
            var previous = x[i >= 1 ? i - 1 : i - 1 + n];
            var beforePrevious = x[i >= 2 ? i - 2 : i - 2 + n];
            result[i] = (next - beforePrevious) * previous - x[i] + forcing;
        }
    }

    /// <summary>The work arrays of one Runge-Kutta step.</summary>
    internal sealed class Scratch(int dimension)
    {
        /// <summary>The first stage's slope.</summary>
        public double[] K1 { get; } = new double[dimension];

        /// <summary>The second stage's slope.</summary>
        public double[] K2 { get; } = new double[dimension];

        /// <summary>The third stage's slope.</summary>
        public double[] K3 { get; } = new double[dimension];

        /// <summary>The fourth stage's slope.</summary>
        public double[] K4 { get; } = new double[dimension];

        /// <summary>The point at which a stage's slope is taken.</summary>
        public double[] Stage { get; } = new double[dimension];
    }
}
