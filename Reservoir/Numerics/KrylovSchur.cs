using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace Reservoir.Numerics;

/// <summary>Applies a linear operator: y = A·x.</summary>
internal delegate void LinearOperator(ReadOnlySpan<double> x, Span<double> y);

/// <summary>
/// The largest eigenvalue modulus of a real, non-symmetric operator by a thick-restarted (Krylov–Schur)
/// Arnoldi iteration: only matrix–vector products with A, never a dense N×N matrix.
/// </summary>
/// <remarks>
/// Each cycle extends an orthonormal Krylov basis V to m vectors with B = VᵀAV, takes the eigenpairs of
/// the small B with MathNet, keeps the real span of the half of the Ritz vectors with largest modulus
/// (complex-conjugate pairs kept whole, so a dominant pair does not stall it as it stalls power
/// iteration), and restarts from that span. It stops when the residual of the dominant Ritz pair,
/// |β|·|e_mᵀy|, falls below the tolerance relative to the Ritz value.
/// </remarks>
internal static class KrylovSchur
{
    private const int MaxBasisSize = 40;
    private const double RelativeTolerance = 1e-9;
    private const int MaxRestarts = 2000;
    private const double BreakdownTolerance = 1e-13;

    /// <summary>The spectral radius of the n×n operator.</summary>
    internal static double SpectralRadius(int n, LinearOperator apply, ulong seed)
    {
        if (n == 0)
        {
            return 0.0;
        }

        var m = Math.Min(n, MaxBasisSize);
        var basis = new double[m + 1][];
        for (var i = 0; i <= m; i++)
        {
            basis[i] = new double[n];
        }

        // The vectors a restart combines into, swapped with the old basis each time, so that restarts allocate no N-vectors.
        var spare = new double[m / 2 + 2][];
        var projected = new double[m + 1, m];
        var noise = new NoiseSource(seed);
        var coefficients = new double[m + 1];
        FillRandomOrthonormal(basis, 0, ref noise, coefficients);
        var kept = 0;
        var best = 0.0;
        var largestImage = 0.0;
        for (var restart = 0; restart < MaxRestarts; restart++)
        {
            var operatorNorm = 0.0;
            for (var j = kept; j < m; j++)
            {
                apply(basis[j], basis[j + 1]);
                operatorNorm = Math.Max(operatorNorm, TensorPrimitives.Norm(basis[j + 1]));
                largestImage = Math.Max(largestImage, operatorNorm);
                var beta = Orthogonalize(basis, j + 1, coefficients);
                for (var i = 0; i <= j; i++)
                {
                    projected[i, j] += coefficients[i];
                }

                if (j + 1 == n)
                {
                    // The basis spans the whole space: B is similar to A and its eigenvalues are exact.
                    projected[j + 1, j] = 0.0;
                    break;
                }

                if (beta <= BreakdownTolerance * Math.Max(operatorNorm, 1e-300))
                {
                    // Invariant subspace found: continue from a fresh random direction (no coupling term).
                    FillRandomOrthonormal(basis, j + 1, ref noise, coefficients);
                    projected[j + 1, j] = 0.0;
                }
                else
                {
                    TensorPrimitives.Multiply(basis[j + 1], 1.0 / beta, basis[j + 1]);
                    projected[j + 1, j] = beta;
                }
            }

            if (largestImage == 0.0)
            {
                // A maps every basis vector to zero (A = 0 on the explored space): no eigenvalue but 0 is reachable.
                return 0.0;
            }

            var small = Matrix<double>.Build.Dense(m, m, (r, c) => projected[r, c]);
            var evd = small.Evd(Symmetricity.Asymmetric);
            var values = evd.EigenValues;
            var vectors = evd.EigenVectors;
            var order = Enumerable.Range(0, m).OrderByDescending(i => values[i].Magnitude).ToArray();
            var lead = order[0];
            best = values[lead].Magnitude;
            var coupling = m < n ? projected[m, m - 1] : 0.0;
            var residual = Math.Abs(coupling) * LastComponentShare(vectors, values, lead, m);
            if (coupling == 0.0 || residual <= RelativeTolerance * best)
            {
                return best;
            }

            kept = Restart(basis, spare, projected, small, vectors, values, order, m, coupling);
        }

        return best;
    }

    /// <summary>|e_mᵀy| / ‖y‖ for the (possibly complex) Ritz vector y of eigenvalue index i.</summary>
    private static double LastComponentShare(Matrix<double> vectors, Vector<System.Numerics.Complex> values, int i, int m)
    {
        var (re, im) = RealParts(values, i);
        var last = vectors[m - 1, re] * vectors[m - 1, re];
        var norm = vectors.Column(re).DotProduct(vectors.Column(re));
        if (im >= 0)
        {
            last += vectors[m - 1, im] * vectors[m - 1, im];
            norm += vectors.Column(im).DotProduct(vectors.Column(im));
        }

        return Math.Sqrt(last / norm);
    }

    /// <summary>The columns holding the real and imaginary parts of eigenvector i (imaginary −1 for a real eigenvalue).</summary>
    private static (int Real, int Imaginary) RealParts(Vector<System.Numerics.Complex> values, int i)
    {
        if (values[i].Imaginary == 0.0)
        {
            return (i, -1);
        }

        // MathNet stores a conjugate pair in adjacent columns: real part first, then imaginary part.
        var first = i > 0 && values[i - 1] == System.Numerics.Complex.Conjugate(values[i]) ? i - 1 : i;
        return (first, first + 1);
    }

    /// <summary>Compresses the basis to the real span of the dominant half of the Ritz vectors; returns its size.</summary>
    private static int Restart(double[][] basis, double[][] spare, double[,] projected, Matrix<double> small, Matrix<double> vectors,
        Vector<System.Numerics.Complex> values, int[] order, int m, double coupling)
    {
        var wanted = Math.Max(1, m / 2);
        var columns = new List<int>();
        foreach (var i in order)
        {
            if (columns.Count >= wanted)
            {
                break;
            }

            var (re, im) = RealParts(values, i);
            if (!columns.Contains(re))
            {
                columns.Add(re);
                if (im >= 0)
                {
                    columns.Add(im);
                }
            }
        }

        // Orthonormalise the chosen columns (modified Gram–Schmidt, twice), dropping dependent ones.
        var q = new List<double[]>();
        foreach (var c in columns)
        {
            var v = vectors.Column(c).ToArray();
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var u in q)
                {
                    var dot = TensorPrimitives.Dot(u, v);
                    TensorPrimitives.MultiplyAdd(u, -dot, v, v);
                }
            }

            var norm = TensorPrimitives.Norm(v);
            if (norm > 1e-10)
            {
                TensorPrimitives.Multiply(v, 1.0 / norm, v);
                q.Add(v);
            }
        }

        var k = q.Count;
        var qm = Matrix<double>.Build.Dense(m, k, (r, c) => q[c][r]);
        var s = qm.TransposeThisAndMultiply(small * qm);

        // New basis vectors: V·Q, then the old residual direction v_m as vector k.
        var n = basis[0].Length;
        for (var c = 0; c < k; c++)
        {
            var combined = spare[c] ??= new double[n];
            Array.Clear(combined);
            for (var j = 0; j < m; j++)
            {
                TensorPrimitives.MultiplyAdd(basis[j], q[c][j], combined, combined);
            }
        }

        var residualDirection = basis[m];
        for (var c = 0; c < k; c++)
        {
            (basis[c], spare[c]) = (spare[c], basis[c]);
        }

        residualDirection.CopyTo(basis[k], 0);
        Array.Clear(projected);
        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < k; c++)
            {
                projected[r, c] = s[r, c];
            }

            projected[k, r] = coupling * q[r][m - 1];
        }

        return k;
    }

    /// <summary>Orthogonalises basis[j] against basis[0..j) twice (DGKS); returns its norm; coefficients get the projections.</summary>
    private static double Orthogonalize(double[][] basis, int j, double[] coefficients)
    {
        var w = basis[j];
        Array.Clear(coefficients);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < j; i++)
            {
                var dot = TensorPrimitives.Dot(basis[i], w);
                coefficients[i] += dot;
                TensorPrimitives.MultiplyAdd(basis[i], -dot, w, w);
            }
        }

        return TensorPrimitives.Norm(w);
    }

    private static void FillRandomOrthonormal(double[][] basis, int j, ref NoiseSource noise, double[] scratch)
    {
        var v = basis[j];
        for (var attempt = 0; attempt < 8; attempt++)
        {
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = noise.NextSymmetric();
            }

            var norm = Orthogonalize(basis, j, scratch);
            if (norm > 1e-8)
            {
                TensorPrimitives.Multiply(v, 1.0 / norm, v);
                return;
            }
        }

        throw new InvalidOperationException("Could not extend the Krylov basis with a random vector.");
    }
}
