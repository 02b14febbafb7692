using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Reservoir.Datasets;

/// <summary>Generates seeded solutions of the Kuramoto–Sivashinsky equation on a periodic domain, a spatio-temporally chaotic benchmark.</summary>
/// <remarks>
/// <para>
/// <b>Equation.</b> ∂u/∂t = −u·∂u/∂x − ∂²u/∂x² − ∂⁴u/∂x⁴ for x in the periodic domain [0, L). The default L = 22 with
/// Q = 64 grid points and a sample every 0.25 time units is the setting of Pathak et al. (2018, Phys. Rev. Lett.
/// 120:024102); there the solution is chaotic with |u| below about 3.5. A larger L (such as 32π, the example of Kassam
/// and Trefethen) gives more unstable modes and more chaos. The spatial mean of u is conserved; the initial condition
/// has mean zero, so the solution keeps mean zero.
/// </para>
/// <para>
/// <b>Discretisation.</b> Fourier pseudo-spectral in space on the grid x_j = j·L/Q, j = 0 … Q − 1: with v = FFT(u)
/// and wavenumbers k = 2π/L·(0, 1, …, Q/2 − 1, 0, −Q/2 + 1, …, −1) (the Nyquist mode gets wavenumber 0), the
/// semi-discrete system is dv/dt = ℒ·v + N(v) with ℒ = k² − k⁴ and N(v) = −(i·k/2)·FFT(IFFT(v)²), the nonlinear term
/// in conservative form u·u_x = (u²/2)_x. The Fourier transforms are MathNet.Numerics' (unscaled forward, 1/Q inverse);
/// every forward transform is made exactly conjugate-symmetric, as the transform of a real signal is, so that u stays real.
/// </para>
/// <para>
/// <b>Integration.</b> Exponential time differencing Runge-Kutta 4 (ETDRK4; Cox and Matthews 2002) with step
/// h = timeStep / substeps, whose coefficients are evaluated by the contour integral of Kassam and Trefethen (2005,
/// SIAM J. Sci. Comput. 26:1214–1233): each φ-function of h·ℒ is the mean over 32 points on the upper half of a
/// circle of radius 1 around h·ℒ, real part taken, which avoids the cancellation of the closed forms for small h·ℒ.
/// The step is a = e^{hℒ/2}v + Q·N(v), b = e^{hℒ/2}v + Q·N(a), c = e^{hℒ/2}a + Q·(2N(b) − N(v)),
/// v ← e^{hℒ}v + f₁·N(v) + 2f₂·(N(a) + N(b)) + f₃·N(c).
/// </para>
/// <para>
/// <b>Initial condition.</b> u(x, 0) = Σ_{m=1..4} α_m·cos(2πm·x/L) + β_m·sin(2πm·x/L) with α_m, β_m ~ U[−1, 1] drawn
/// from the seed (mean zero); the first transientSamples samples are dropped so that the output starts on the attractor.
/// </para>
/// <para>
/// The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.
/// </para>
/// </remarks>
public static class KuramotoSivashinsky
{
    /// <summary>The smallest number of grid points accepted: 16.</summary>
    public const int MinGridPoints = 16;

    /// <summary>The largest number of grid points accepted: 65 536.</summary>
    public const int MaxGridPoints = 1 << 16;

    /// <summary>The number of points on the half circle of the contour integral for the ETDRK4 coefficients.</summary>
    internal const int ContourPoints = 32;

    /// <summary>The number of Fourier modes with random amplitude in the initial condition.</summary>
    private const int InitialModes = 4;

    /// <summary>Generates a Kuramoto–Sivashinsky solution of <paramref name="length"/> samples on <paramref name="gridPoints"/> grid points.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial condition; any value. Equal seeds give bit-identical solutions.</param>
    /// <param name="domainLength">The period L of the domain; finite and &gt; 0, default 22.</param>
    /// <param name="gridPoints">The number Q of grid points; even, in [16, 65 536], default 64.</param>
    /// <param name="timeStep">Time between samples, in time units; finite and &gt; 0, default 0.25.</param>
    /// <param name="substeps">ETDRK4 steps per sample (step = timeStep / substeps); &gt;= 1, default 1.</param>
    /// <param name="transientSamples">Samples generated first and dropped; &gt;= 0, default 1000 (250 time units at the default step).</param>
    /// <returns>A new <paramref name="length"/>×<paramref name="gridPoints"/> array, owned by the caller; row t holds u(x_j) at sample t.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above, or length·gridPoints values exceed <see cref="ReservoirLimits.MaxGeneratedValues"/>.</exception>
    /// <exception cref="InvalidOperationException">The integration produced a non-finite value; reduce timeStep or raise substeps.</exception>
    public static double[,] Generate(
        int length,
        int seed,
        double domainLength = 22,
        int gridPoints = 64,
        double timeStep = 0.25,
        int substeps = 1,
        int transientSamples = 1000)
    {
        Guard.AtLeast(length, 1);
        Guard.Positive(domainLength);
        if (gridPoints < MinGridPoints || gridPoints > MaxGridPoints || gridPoints % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gridPoints), gridPoints,
                $"gridPoints must be even and in [{MinGridPoints}, {MaxGridPoints}]; was {gridPoints}.");
        }

        ReservoirLimits.CheckGenerated(length, gridPoints, nameof(length));
        Guard.Positive(timeStep);
        Guard.AtLeast(substeps, 1);
        Guard.AtLeast(transientSamples, 0);

        var solver = new Solver(domainLength, gridPoints, timeStep / substeps);
        solver.SetInitialCondition(InitialCondition(seed, domainLength, gridPoints));

        var output = new double[length, gridPoints];
        var u = new double[gridPoints];
        var totalSamples = (long)transientSamples + length;
        for (long s = 0; s < totalSamples; s++)
        {
            if (s >= transientSamples)
            {
                solver.ToPhysical(u);
                var row = (int)(s - transientSamples);
                for (var j = 0; j < gridPoints; j++)
                {
                    output[row, j] = u[j];
                }
            }

            if (s == totalSamples - 1)
            {
                break;
            }

            for (var k = 0; k < substeps; k++)
            {
                solver.Step();
            }

            if (!solver.IsFinite())
            {
                throw new InvalidOperationException(
                    $"The Kuramoto–Sivashinsky integration diverged at sample {s + 1} (seed {seed}, step {Guard.Format(timeStep / substeps)}); "
                    + "reduce timeStep or raise substeps.");
            }
        }

        return output;
    }

    /// <summary>The seeded initial condition on the grid: four Fourier modes with U[−1, 1] amplitudes.</summary>
    private static double[] InitialCondition(int seed, double domainLength, int gridPoints)
    {
        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.KuramotoSivashinskyInitialCondition);
        var cosine = new double[InitialModes];
        var sine = new double[InitialModes];
        for (var m = 0; m < InitialModes; m++)
        {
            cosine[m] = 2 * random.NextDouble() - 1;
            sine[m] = 2 * random.NextDouble() - 1;
        }

        var u = new double[gridPoints];
        for (var j = 0; j < gridPoints; j++)
        {
            var x = j * domainLength / gridPoints;
            var sum = 0.0;
            for (var m = 0; m < InitialModes; m++)
            {
                var phase = 2 * Math.PI * (m + 1) * x / domainLength;
                sum += cosine[m] * Math.Cos(phase) + sine[m] * Math.Sin(phase);
            }

            u[j] = sum;
        }

        return u;
    }

    /// <summary>The ETDRK4 integrator of the semi-discrete system in Fourier space; one instance per trajectory.</summary>
    private sealed class Solver
    {
        private readonly int _q;
        private readonly double[] _e;
        private readonly double[] _e2;
        private readonly double[] _phi;
        private readonly double[] _f1;
        private readonly double[] _f2;
        private readonly double[] _f3;
        private readonly Complex[] _g;
        private readonly Complex[] _v;
        private readonly Complex[] _nv;
        private readonly Complex[] _a;
        private readonly Complex[] _na;
        private readonly Complex[] _b;
        private readonly Complex[] _nb;
        private readonly Complex[] _c;
        private readonly Complex[] _nc;
        private readonly Complex[] _work;

        public Solver(double domainLength, int gridPoints, double h)
        {
            _q = gridPoints;
            _e = new double[_q];
            _e2 = new double[_q];
            _phi = new double[_q];
            _f1 = new double[_q];
            _f2 = new double[_q];
            _f3 = new double[_q];
            _g = new Complex[_q];
            _v = new Complex[_q];
            _nv = new Complex[_q];
            _a = new Complex[_q];
            _na = new Complex[_q];
            _b = new Complex[_q];
            _nb = new Complex[_q];
            _c = new Complex[_q];
            _nc = new Complex[_q];
            _work = new Complex[_q];

            var roots = new Complex[ContourPoints];
            for (var m = 0; m < ContourPoints; m++)
            {
                roots[m] = Complex.Exp(new Complex(0, Math.PI * (m + 0.5) / ContourPoints));
            }

            for (var j = 0; j < _q; j++)
            {
                var k = Wavenumber(j, _q, domainLength);
                var linear = k * k - k * k * k * k;
                _e[j] = Math.Exp(h * linear);
                _e2[j] = Math.Exp(h * linear / 2);
                _g[j] = new Complex(0, -0.5 * k);

                Complex phi = 0, f1 = 0, f2 = 0, f3 = 0;
                for (var m = 0; m < ContourPoints; m++)
                {
                    var z = h * linear + roots[m];
                    var ez = Complex.Exp(z);
                    var z3 = z * z * z;
                    phi += (Complex.Exp(z / 2) - 1) / z;
                    f1 += (-4 - z + ez * (4 - 3 * z + z * z)) / z3;
                    f2 += (2 + z + ez * (z - 2)) / z3;
                    f3 += (-4 - 3 * z - z * z + ez * (4 - z)) / z3;
                }

                _phi[j] = h * phi.Real / ContourPoints;
                _f1[j] = h * f1.Real / ContourPoints;
                _f2[j] = h * f2.Real / ContourPoints;
                _f3[j] = h * f3.Real / ContourPoints;
            }
        }

        /// <summary>Sets v = FFT(u) with the mean and Nyquist modes set to zero.</summary>
        public void SetInitialCondition(double[] u)
        {
            for (var j = 0; j < _q; j++)
            {
                _v[j] = u[j];
            }

            Fourier.Forward(_v, FourierOptions.Matlab);
            MakeConjugateSymmetric(_v);
            _v[0] = Complex.Zero;
            _v[_q / 2] = Complex.Zero;
        }

        /// <summary>Writes u = real(IFFT(v)).</summary>
        public void ToPhysical(double[] u)
        {
            Array.Copy(_v, _work, _q);
            Fourier.Inverse(_work, FourierOptions.Matlab);
            for (var j = 0; j < _q; j++)
            {
                u[j] = _work[j].Real;
            }
        }

        /// <summary>Whether every Fourier coefficient is finite.</summary>
        public bool IsFinite()
        {
            for (var j = 0; j < _q; j++)
            {
                if (!double.IsFinite(_v[j].Real) || !double.IsFinite(_v[j].Imaginary))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>One ETDRK4 step of v.</summary>
        public void Step()
        {
            Nonlinear(_v, _nv);
            for (var j = 0; j < _q; j++)
            {
                _a[j] = _e2[j] * _v[j] + _phi[j] * _nv[j];
            }

            Nonlinear(_a, _na);
            for (var j = 0; j < _q; j++)
            {
                _b[j] = _e2[j] * _v[j] + _phi[j] * _na[j];
            }

            Nonlinear(_b, _nb);
            for (var j = 0; j < _q; j++)
            {
                _c[j] = _e2[j] * _a[j] + _phi[j] * (2 * _nb[j] - _nv[j]);
            }

            Nonlinear(_c, _nc);
            for (var j = 0; j < _q; j++)
            {
                _v[j] = _e[j] * _v[j] + _f1[j] * _nv[j] + 2 * _f2[j] * (_na[j] + _nb[j]) + _f3[j] * _nc[j];
            }
        }

        /// <summary>N(v) = −(i·k/2)·FFT(real(IFFT(v))²).</summary>
        private void Nonlinear(Complex[] v, Complex[] result)
        {
            Array.Copy(v, _work, _q);
            Fourier.Inverse(_work, FourierOptions.Matlab);
            for (var j = 0; j < _q; j++)
            {
                var u = _work[j].Real;
                _work[j] = u * u;
            }

            Fourier.Forward(_work, FourierOptions.Matlab);
            MakeConjugateSymmetric(_work);
            for (var j = 0; j < _q; j++)
            {
                result[j] = _g[j] * _work[j];
            }
        }

        /// <summary>
        /// Sets coefficient Q − j to the conjugate of coefficient j and the mean and Nyquist coefficients to their real parts,
        /// as they are exactly for a real signal. Without it the rounding of the complex transform leaves an imaginary part in u,
        /// which the unstable modes (k² &gt; k⁴) amplify by up to e^{t/4} until it overflows.
        /// </summary>
        private void MakeConjugateSymmetric(Complex[] coefficients)
        {
            coefficients[0] = coefficients[0].Real;
            coefficients[_q / 2] = coefficients[_q / 2].Real;
            for (var j = 1; j < _q / 2; j++)
            {
                coefficients[_q - j] = Complex.Conjugate(coefficients[j]);
            }
        }

        /// <summary>The wavenumber of mode j: 2π/L·j below Q/2, 0 at Q/2, 2π/L·(j − Q) above.</summary>
        private static double Wavenumber(int j, int q, double domainLength)
        {
            var index = j < q / 2 ? j : j == q / 2 ? 0 : j - q;
            return 2 * Math.PI / domainLength * index;
        }
    }
}
