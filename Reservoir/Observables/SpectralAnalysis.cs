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
        var alpha = CheckLeakRates(leakRates, weights.RowCount);
        return KrylovSchur.SpectralRadius(weights.RowCount, (x, y) =>
        {
            weights.Multiply(x, y);
            for (var i = 0; i < y.Length; i++)
            {
                y[i] = (1 - alpha[i]) * x[i] + alpha[i] * y[i];
            }
        }, SeedStreams.Mix(StartVectorSeed, SeedStreams.Eigen, 1));
    }

    /// <summary>The effective spectral radius of the update with a carry matrix C, ρ(diag(1−α)·C + diag(α)·W), with α per unit.</summary>
    /// <param name="weights">The square recurrent matrix W.</param>
    /// <param name="leakRates">The leak rate of each unit, length N, each in (0, 1].</param>
    /// <param name="carry">The carry matrix C, N×N (the orthogonal O of <see cref="StateCarry.Orthogonal"/>; the identity gives <see cref="EffectiveSpectralRadius(SparseWeights, ReadOnlySpan{double})"/>).</param>
    /// <returns>The effective spectral radius ≥ 0: the radius of the update's Jacobian at the origin with f′ = 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> or <paramref name="carry"/> is null.</exception>
    /// <exception cref="ArgumentException">A matrix is not square or the two differ in size, or the leak rates have the wrong length or a value outside (0, 1].</exception>
    public static double EffectiveSpectralRadius(SparseWeights weights, ReadOnlySpan<double> leakRates, SparseWeights carry)
    {
        CheckSquare(weights);
        ArgumentNullException.ThrowIfNull(carry);
        if (carry.RowCount != weights.RowCount || carry.ColumnCount != weights.ColumnCount)
        {
            throw new ArgumentException(
                $"carry is {carry.RowCount}×{carry.ColumnCount} but weights is {weights.RowCount}×{weights.ColumnCount}.", nameof(carry));
        }

        var alpha = CheckLeakRates(leakRates, weights.RowCount);
        var carried = new double[weights.RowCount];
        return KrylovSchur.SpectralRadius(weights.RowCount, (x, y) =>
        {
            weights.Multiply(x, y);
            carry.Multiply(x, carried);
            for (var i = 0; i < y.Length; i++)
            {
                y[i] = (1 - alpha[i]) * carried[i] + alpha[i] * y[i];
            }
        }, SeedStreams.Mix(StartVectorSeed, SeedStreams.Eigen, 2));
    }

    private static double[] CheckLeakRates(ReadOnlySpan<double> leakRates, int n)
    {
        if (leakRates.Length != n)
        {
            throw new ArgumentException(
                $"leakRates has {leakRates.Length} entries but the matrix has {n} rows.", nameof(leakRates));
        }

        for (var i = 0; i < leakRates.Length; i++)
        {
            if (!double.IsFinite(leakRates[i]) || leakRates[i] <= 0 || leakRates[i] > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(leakRates), leakRates[i],
                    $"leakRates[{i}] must be in (0, 1]; was {Guard.Format(leakRates[i])}.");
            }
        }

        return leakRates.ToArray();
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
