using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;
using Reservoir.Observables;

namespace Reservoir.Tests;

[TestFixture]
public sealed class SpectralAnalysisTests
{
    private const double Accuracy = 1e-6;

    [TestCase(5, 1)]
    [TestCase(50, 2)]
    [TestCase(200, 3)]
    [TestCase(500, 4)]
    public void SpectralRadius_RandomSparse_MatchesDenseEigendecomposition(int n, int seed)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var columns = new List<int>();
        var values = new List<double>();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (random.NextDouble() < Math.Max(0.05, 3.0 / n))
                {
                    rows.Add(i);
                    columns.Add(j);
                    values.Add(random.NextDouble() * 2 - 1);
                }
            }
        }

        var weights = SparseWeights.FromTriplets(n, n, [.. rows], [.. columns], [.. values]);

        var expected = DenseSpectralRadius(weights.ToDense());

        Assert.That(SpectralAnalysis.SpectralRadius(weights), Is.EqualTo(expected).Within(Accuracy * expected));
    }

    [Test]
    public void SpectralRadius_DominantComplexPair_Found()
    {
        // A rotation by 90° scaled by 2 (eigenvalues ±2i) beside smaller real eigenvalues:
        // power iteration oscillates here instead of converging.
        var dense = new double[,]
        {
            { 0, -2, 0, 0, 0 },
            { 2, 0, 0, 0, 0 },
            { 0, 0, 1.9, 0.1, 0 },
            { 0, 0, 0, -1.5, 0 },
            { 0.3, 0, 0, 0, 0.5 },
        };

        Assert.That(SpectralAnalysis.SpectralRadius(SparseWeights.FromDense(dense)), Is.EqualTo(2.0).Within(1e-10));
    }

    [Test]
    public void SpectralRadius_LargeSparse_AgreesWithTheGrowthRateOfPowers()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 3000, Seed = 1, SpectralRadius = 0.95, RecurrentInDegree = 10,
        });

        // Too large for a dense eigendecomposition, so measured another way: ‖W^k·x‖ grows like ρ^k (Gelfand), whatever the
        // phase of the dominant eigenvalues; the rate between k = K and 2K is within a few tenths of a percent at K = 1500.
        Assert.That(GrowthRate(reservoir.RecurrentWeights, 1500), Is.EqualTo(0.95).Within(0.01));
        Assert.That(reservoir.SpectralRadius, Is.EqualTo(0.95).Within(1e-8));
    }

    [TestCase(100, 1)]
    [TestCase(300, 2)]
    public void EffectiveSpectralRadius_PerUnitLeak_MatchesDenseEigendecomposition(int n, int seed)
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = n, Seed = seed, SpectralRadius = 1.1, LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, 50),
        });
        var w = reservoir.RecurrentWeights.ToDense();
        var alpha = reservoir.LeakRates.ToArray();
        var leaky = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                leaky[i, j] = alpha[i] * w[i, j] + (i == j ? 1 - alpha[i] : 0);
            }
        }

        var expected = DenseSpectralRadius(leaky);

        Assert.That(reservoir.EffectiveSpectralRadius, Is.EqualTo(expected).Within(Accuracy * expected));
    }

    [Test]
    public void SpectralRadius_ZeroMatrix_IsZero()
    {
        Assert.That(SpectralAnalysis.SpectralRadius(TestData.Zero(30)), Is.EqualTo(0.0));
    }

    [Test]
    public void SpectralRadius_NotSquare_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SpectralAnalysis.SpectralRadius(SparseWeights.FromDense(new double[2, 3])));

        Assert.That(error!.ParamName, Is.EqualTo("weights"));
    }

    [Test]
    public void EffectiveSpectralRadius_LeakRateOutOfRange_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SpectralAnalysis.EffectiveSpectralRadius(TestData.Zero(2), [0.5, 0.0]));

        Assert.That(error!.ParamName, Is.EqualTo("leakRates"));
    }

    /// <summary>(‖W^(2K)·x‖ / ‖W^K·x‖)^(1/K) for a fixed random x, by products with the sparse matrix only.</summary>
    private static double GrowthRate(SparseWeights weights, int k)
    {
        var random = new Random(11);
        var x = Enumerable.Range(0, weights.RowCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = new double[x.Length];
        var entries = weights.NonZeros().ToArray();
        var logNorm = 0.0;
        var logNormAtK = 0.0;
        for (var step = 1; step <= 2 * k; step++)
        {
            Array.Clear(y);
            foreach (var (row, column, value) in entries)
            {
                y[row] += value * x[column];
            }

            var norm = Math.Sqrt(y.Sum(v => v * v));
            logNorm += Math.Log(norm);
            for (var i = 0; i < y.Length; i++)
            {
                x[i] = y[i] / norm;
            }

            if (step == k)
            {
                logNormAtK = logNorm;
            }
        }

        return Math.Exp((logNorm - logNormAtK) / k);
    }

    private static double DenseSpectralRadius(double[,] dense) =>
        Matrix<double>.Build.DenseOfArray(dense).Evd().EigenValues.Max(c => c.Magnitude);
}
