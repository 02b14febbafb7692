using Reservoir.Numerics;

namespace Reservoir.Observables;

/// <summary>Spectral radii of reservoir matrices, computed matrix-free (no dense N×N matrix is formed).</summary>
/// <remarks>
/// A thick-restarted Arnoldi (Krylov–Schur) iteration on products with the sparse matrix: it handles a
/// complex-conjugate dominant pair, on which plain power iteration oscillates, and scales to N = 10⁴ and
/// beyond. The start vector is seeded, so the result is deterministic.
/// </remarks>
public static class SpectralAnalysis
{
    private const long StartVectorSeed = 0x5EED;

    /// <summary>The spectral radius ρ(W): the largest modulus of an eigenvalue of a square matrix.</summary>
    /// <param name="weights">A square matrix.</param>
    /// <returns>ρ(W) ≥ 0; the residual of the dominant Ritz pair is below 1e-9 relative, which gives ρ to about 1e-9 or better.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentException">The matrix is not square.</exception>
    public static double SpectralRadius(SparseWeights weights)
    {
        CheckSquare(weights);
        return KrylovSchur.SpectralRadius(weights.RowCount, weights.Multiply,
            SeedStreams.Mix(StartVectorSeed, SeedStreams.Eigen));
    }

    /// <summary>The effective spectral radius of the leaky update, ρ((1−α)I + diag(α)·W), with α per unit.</summary>
    /// <param name="weights">The square recurrent matrix W.</param>
    /// <param name="leakRates">The leak rate of each unit, length N, each in (0, 1].</param>
    /// <returns>The effective spectral radius ≥ 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is null.</exception>
    /// <exception cref="ArgumentException">The matrix is not square, or the leak rates have the wrong length or a value outside (0, 1].</exception>
    public static double EffectiveSpectralRadius(SparseWeights weights, ReadOnlySpan<double> leakRates)
    {
        CheckSquare(weights);
        if (leakRates.Length != weights.RowCount)
        {
            throw new ArgumentException(
                $"leakRates has {leakRates.Length} entries but the matrix has {weights.RowCount} rows.", nameof(leakRates));
        }

        for (var i = 0; i < leakRates.Length; i++)
        {
            if (!double.IsFinite(leakRates[i]) || leakRates[i] <= 0 || leakRates[i] > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(leakRates), leakRates[i],
                    $"leakRates[{i}] must be in (0, 1]; was {Guard.Format(leakRates[i])}.");
            }
        }

        var alpha = leakRates.ToArray();
        return KrylovSchur.SpectralRadius(weights.RowCount, (x, y) =>
        {
            weights.Multiply(x, y);
            for (var i = 0; i < y.Length; i++)
            {
                y[i] = (1 - alpha[i]) * x[i] + alpha[i] * y[i];
            }
        }, SeedStreams.Mix(StartVectorSeed, SeedStreams.Eigen, 1));
    }

    private static void CheckSquare(SparseWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.RowCount != weights.ColumnCount)
        {
            throw new ArgumentException(
                $"weights must be square; was {weights.RowCount}×{weights.ColumnCount}.", nameof(weights));
        }
    }
}
