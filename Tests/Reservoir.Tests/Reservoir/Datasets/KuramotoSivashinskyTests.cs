using System.Numerics;
using NUnit.Framework;
using Reservoir.Datasets;

namespace Reservoir.Tests.Datasets;

/// <summary>Behaviour and argument checks of <see cref="KuramotoSivashinsky.Generate"/>.</summary>
[TestFixture]
public sealed class KuramotoSivashinskyTests
{
    /// <summary>The spatial mean is conserved; the generator's stays within this of zero.</summary>
    private const double MeanTolerance = 1e-10;

    /// <summary>
    /// Largest allowed difference between ETDRK4 at h = 0.25 and a fine-step RK4 of the same semi-discrete system after
    /// 2.5 time units, for |u| of order 1 (measured 2.7e-3 for the seed tested).
    /// </summary>
    private const double EtdrkAgreementTolerance = 5e-3;

    /// <summary>Largest allowed difference when ETDRK4 takes 8 substeps per sample, h = 1/32 (measured 3.1e-6).</summary>
    private const double FineEtdrkAgreementTolerance = 6e-6;

    /// <summary>
    /// The least factor by which the error must fall when h halves from 1/128 to 1/256: fourth order gives 16 in the limit
    /// (measured errors for h = 1/4 … 1/256: 2.7e-3, 3.3e-4, 3.4e-5, 3.1e-6, 2.4e-7, 1.7e-8, 1.1e-9, ratios rising to 15).
    /// </summary>
    private const double FourthOrderRatio = 12;

    /// <summary>The step of the reference RK4; its own error is small enough that the ETDRK4 errors measured against it keep falling as h⁴ down to 1e-9.</summary>
    private const double ReferenceStep = 0.001;

    private const int Seed = 19;
    private const int ValidLength = 10;

    [TestCase(22.0, 64)]
    [TestCase(32 * Math.PI, 128)]
    public void Generate_ZeroMeanInitialCondition_StaysZeroMean(double domainLength, int gridPoints)
    {
        var solution = KuramotoSivashinsky.Generate(400, Seed, domainLength, gridPoints, transientSamples: 0);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < solution.GetLength(0); t++)
            {
                var mean = Enumerable.Range(0, gridPoints).Average(j => solution[t, j]);
                Assert.That(mean, Is.EqualTo(0).Within(MeanTolerance), $"sample {t}");
            }
        });
    }

    [TestCase(1, EtdrkAgreementTolerance)]
    [TestCase(8, FineEtdrkAgreementTolerance)]
    public void Generate_ShortHorizon_AgreesWithFineStepRungeKutta(int substeps, double tolerance)
    {
        const double domainLength = 22;
        const int gridPoints = 32;
        const int samples = 10;
        const double timeStep = 0.25;
        var solution = KuramotoSivashinsky.Generate(samples + 1, Seed, domainLength, gridPoints, timeStep, substeps, transientSamples: 0);

        var u = Enumerable.Range(0, gridPoints).Select(j => solution[0, j]).ToArray();
        var reference = new PseudoSpectralRungeKutta(domainLength, gridPoints).Integrate(u, samples * timeStep, ReferenceStep);

        var error = Enumerable.Range(0, gridPoints).Max(j => Math.Abs(solution[samples, j] - reference[j]));
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.LessThan(tolerance));
            Assert.That(reference.Max(Math.Abs), Is.GreaterThan(0.1), "the solution must not have decayed");
        });
    }

    [Test]
    public void Generate_HalvedStep_ErrorFallsAsFourthOrder()
    {
        const double domainLength = 22;
        const int gridPoints = 32;
        const double duration = 2.5;
        var coarse = KuramotoSivashinsky.Generate(2, Seed, domainLength, gridPoints, duration, substeps: 320, transientSamples: 0);
        var fine = KuramotoSivashinsky.Generate(2, Seed, domainLength, gridPoints, duration, substeps: 640, transientSamples: 0);

        var u = Enumerable.Range(0, gridPoints).Select(j => coarse[0, j]).ToArray();
        var reference = new PseudoSpectralRungeKutta(domainLength, gridPoints).Integrate(u, duration, ReferenceStep);

        var coarseError = Enumerable.Range(0, gridPoints).Max(j => Math.Abs(coarse[1, j] - reference[j]));
        var fineError = Enumerable.Range(0, gridPoints).Max(j => Math.Abs(fine[1, j] - reference[j]));
        Assert.That(coarseError / fineError, Is.GreaterThan(FourthOrderRatio));
    }

    [Test]
    public void Generate_Defaults_ChaoticWithBoundedAmplitude()
    {
        var solution = KuramotoSivashinsky.Generate(2000, Seed);

        var values = solution.Cast<double>().ToArray();
        var rms = Math.Sqrt(values.Average(v => v * v));
        Assert.Multiple(() =>
        {
            Assert.That(solution.GetLength(1), Is.EqualTo(64));
            Assert.That(values, Is.All.InRange(-4.5, 4.5));
            Assert.That(rms, Is.InRange(0.8, 1.6), "the measured root mean square is about 1.18");
            Assert.That(FirstRow(solution, 0), Is.Not.EqualTo(FirstRow(solution, 1999)).AsCollection.Within(0.5));
        });
    }

    [Test]
    public void Generate_DifferentSeeds_Differ()
    {
        var first = KuramotoSivashinsky.Generate(1, Seed);
        var second = KuramotoSivashinsky.Generate(1, Seed + 1);

        var difference = Enumerable.Range(0, 64).Max(j => Math.Abs(first[0, j] - second[0, j]));
        Assert.That(difference, Is.GreaterThan(0.5));
    }

    [Test]
    public void Generate_SameSeed_BitIdentical() =>
        Assert.That(KuramotoSivashinsky.Generate(50, Seed), Is.EqualTo(KuramotoSivashinsky.Generate(50, Seed)).AsCollection);

    [Test]
    public void Generate_TransientSamples_DropsLeadingSamples()
    {
        var full = KuramotoSivashinsky.Generate(30, Seed, transientSamples: 0);
        var trimmed = KuramotoSivashinsky.Generate(20, Seed, transientSamples: 10);

        Assert.Multiple(() =>
        {
            for (var t = 0; t < 20; t++)
            {
                Assert.That(FirstRow(trimmed, t), Is.EqualTo(FirstRow(full, t + 10)).AsCollection, $"sample {t}");
            }
        });
    }

    [Test]
    public void Generate_UnstableStep_ThrowsInvalidOperation()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => KuramotoSivashinsky.Generate(ValidLength, Seed, timeStep: 20));

        Assert.That(exception!.Message, Does.Contain("timeStep").And.Contain("substeps"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_LengthBelowOne_Throws(int length) =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(length, Seed), "length");

    [TestCase(0.0)]
    [TestCase(-22.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_DomainLengthNotPositive_Throws(double domainLength) =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(ValidLength, Seed, domainLength), "domainLength");

    [TestCase(14)]
    [TestCase(63)]
    [TestCase(0)]
    [TestCase(-64)]
    [TestCase(KuramotoSivashinsky.MaxGridPoints + 2)]
    public void Generate_GridPointsOddOrOutOfRange_Throws(int gridPoints) =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(ValidLength, Seed, gridPoints: gridPoints), "gridPoints");

    [TestCase(0.0)]
    [TestCase(-0.25)]
    [TestCase(double.NaN)]
    public void Generate_TimeStepNotPositive_Throws(double timeStep) =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(ValidLength, Seed, timeStep: timeStep), "timeStep");

    [TestCase(0)]
    [TestCase(-1)]
    public void Generate_SubstepsBelowOne_Throws(int substeps) =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(ValidLength, Seed, substeps: substeps), "substeps");

    [Test]
    public void Generate_NegativeTransientSamples_Throws() =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(ValidLength, Seed, transientSamples: -1), "transientSamples");

    [Test]
    public void Generate_TooManyValues_ThrowsNamingLength() =>
        AssertOutOfRange(() => KuramotoSivashinsky.Generate(ReservoirLimits.MaxGeneratedValues / 32, Seed), "length");

    [Test]
    public void Generate_OddGridPoints_MessageStatesRangeAndValue()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => KuramotoSivashinsky.Generate(ValidLength, Seed, gridPoints: 63));

        Assert.That(exception!.Message, Does.Contain("gridPoints must be even and in [16, 65536]; was 63."));
    }

    private static double[] FirstRow(double[,] values, int row) =>
        Enumerable.Range(0, values.GetLength(1)).Select(j => values[row, j]).ToArray();

    private static void AssertOutOfRange(TestDelegate generate, string parameterName)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(generate);

        Assert.That(exception!.ParamName, Is.EqualTo(parameterName));
    }

    /// <summary>
    /// An independent reference: classic RK4 on dv/dt = (k² − k⁴)·v − (i·k/2)·DFT(IDFT(v)²) with a direct O(Q²) DFT,
    /// the same semi-discrete system as the generator (Nyquist wavenumber 0), for small steps only.
    /// </summary>
    private sealed class PseudoSpectralRungeKutta
    {
        private readonly int _q;
        private readonly double[] _k;
        private readonly Complex[,] _twiddle;

        public PseudoSpectralRungeKutta(double domainLength, int gridPoints)
        {
            _q = gridPoints;
            _k = new double[_q];
            for (var j = 0; j < _q; j++)
            {
                var index = j < _q / 2 ? j : j == _q / 2 ? 0 : j - _q;
                _k[j] = 2 * Math.PI / domainLength * index;
            }

            _twiddle = new Complex[_q, _q];
            for (var j = 0; j < _q; j++)
            {
                for (var m = 0; m < _q; m++)
                {
                    _twiddle[j, m] = Complex.FromPolarCoordinates(1, -2 * Math.PI * ((long)j * m % _q) / _q);
                }
            }
        }

        public double[] Integrate(double[] u, double duration, double h)
        {
            var v = Forward(u.Select(x => new Complex(x, 0)).ToArray());
            var steps = (int)Math.Round(duration / h);
            for (var s = 0; s < steps; s++)
            {
                var k1 = Rate(v);
                var k2 = Rate(Axpy(v, k1, h / 2));
                var k3 = Rate(Axpy(v, k2, h / 2));
                var k4 = Rate(Axpy(v, k3, h));
                for (var j = 0; j < _q; j++)
                {
                    v[j] += h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
                }
            }

            return Inverse(v).Select(c => c.Real).ToArray();
        }

        private Complex[] Rate(Complex[] v)
        {
            var u = Inverse(v);
            var squared = Forward(u.Select(c => new Complex(c.Real * c.Real, 0)).ToArray());
            var rate = new Complex[_q];
            for (var j = 0; j < _q; j++)
            {
                var k = _k[j];
                rate[j] = (k * k - k * k * k * k) * v[j] + new Complex(0, -0.5 * k) * squared[j];
            }

            return rate;
        }

        private Complex[] Forward(Complex[] x)
        {
            var result = new Complex[_q];
            for (var m = 0; m < _q; m++)
            {
                for (var j = 0; j < _q; j++)
                {
                    result[m] += _twiddle[m, j] * x[j];
                }
            }

            return result;
        }

        private Complex[] Inverse(Complex[] v)
        {
            var result = new Complex[_q];
            for (var j = 0; j < _q; j++)
            {
                for (var m = 0; m < _q; m++)
                {
                    result[j] += Complex.Conjugate(_twiddle[j, m]) * v[m];
                }

                result[j] /= _q;
            }

            return result;
        }

        private static Complex[] Axpy(Complex[] v, Complex[] k, double scale)
        {
            var result = new Complex[v.Length];
            for (var j = 0; j < v.Length; j++)
            {
                result[j] = v[j] + scale * k[j];
            }

            return result;
        }
    }
}
