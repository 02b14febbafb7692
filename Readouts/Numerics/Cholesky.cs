using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>Dense Cholesky factorisation A = L·Lᵀ and solves, row-major, blocked over rows and parallel across both cores.</summary>
/// <remarks>
/// Row-oriented (Cholesky–Crout): L[i, j] = (A[i, j] − L[i, 0..j)·L[j, 0..j)) / L[j, j], each dot product over contiguous
/// row prefixes with <see cref="TensorPrimitives.Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>. Rows are processed in blocks:
/// for each earlier column j the block's rows are updated together, so row j is read once per block, and the block's
/// rows are split between threads (a row's arithmetic does not depend on which thread computes it, so the result does
/// not depend on the number of threads). About D³/3 flops.
/// </remarks>
internal static class Cholesky
{
    private const int BlockRows = 64;
    private const int ParallelThreshold = 192;

    /// <summary>Factors the symmetric matrix in place: on success its lower triangle holds L (the strict upper triangle is left as is).</summary>
    /// <param name="a">The D×D matrix, row-major; only the lower triangle is read.</param>
    /// <param name="d">D.</param>
    /// <returns>The index of the first non-positive (or NaN) pivot, or −1 on success.</returns>
    internal static int Factor(double[] a, int d)
    {
        for (var start = 0; start < d; start += BlockRows)
        {
            var end = Math.Min(d, start + BlockRows);
            if (start > 0)
            {
                // Columns [0, start) of the block's rows, from the finished rows above.
                if (d >= ParallelThreshold && end - start > 1)
                {
                    var middle = start + (end - start) / 2;
                    Parallel.Invoke(() => UpdateRows(a, d, start, middle, start), () => UpdateRows(a, d, middle, end, start));
                }
                else
                {
                    UpdateRows(a, d, start, end, start);
                }
            }

            // The diagonal block itself, in order.
            for (var i = start; i < end; i++)
            {
                var row = a.AsSpan(i * d, d);
                for (var j = start; j < i; j++)
                {
                    var rowJ = a.AsSpan(j * d, j);
                    row[j] = (row[j] - TensorPrimitives.Dot<double>(row[..j], rowJ)) / a[j * d + j];
                }

                var pivot = row[i] - TensorPrimitives.Dot<double>(row[..i], row[..i]);
                if (!(pivot > 0))
                {
                    return i;
                }

                row[i] = Math.Sqrt(pivot);
            }
        }

        return -1;
    }

    /// <summary>Solves L·Lᵀ·X = B in place for K right-hand sides (B is D×K row-major).</summary>
    internal static void Solve(double[] l, int d, double[] b, int k)
    {
        // Forward: L·Y = B.
        for (var i = 0; i < d; i++)
        {
            var target = b.AsSpan(i * k, k);
            for (var j = 0; j < i; j++)
            {
                TensorPrimitives.MultiplyAdd(b.AsSpan(j * k, k), -l[i * d + j], target, target);
            }

            TensorPrimitives.Divide(target, l[i * d + i], target);
        }

        // Backward: Lᵀ·X = Y.
        for (var i = d - 1; i >= 0; i--)
        {
            var target = b.AsSpan(i * k, k);
            for (var j = i + 1; j < d; j++)
            {
                TensorPrimitives.MultiplyAdd(b.AsSpan(j * k, k), -l[j * d + i], target, target);
            }

            TensorPrimitives.Divide(target, l[i * d + i], target);
        }
    }

    /// <summary>Computes columns [0, columns) of rows [first, last) from the rows above, column by column.</summary>
    private static void UpdateRows(double[] a, int d, int first, int last, int columns)
    {
        for (var j = 0; j < columns; j++)
        {
            var rowJ = a.AsSpan(j * d, j);
            var pivot = a[j * d + j];
            for (var i = first; i < last; i++)
            {
                var row = a.AsSpan(i * d, d);
                row[j] = (row[j] - TensorPrimitives.Dot<double>(row[..j], rowJ)) / pivot;
            }
        }
    }
}
