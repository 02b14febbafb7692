namespace Reservoir.Tests;

/// <summary>Seeded inputs for tests.</summary>
internal static class TestData
{
    /// <summary>A T×D matrix of uniform values in [−scale, scale] from a seeded generator.</summary>
    internal static double[,] Uniform(int steps, int dimension, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var values = new double[steps, dimension];
        for (var t = 0; t < steps; t++)
        {
            for (var d = 0; d < dimension; d++)
            {
                values[t, d] = scale * (2 * random.NextDouble() - 1);
            }
        }

        return values;
    }

    /// <summary>Row <paramref name="row"/> of a matrix as a new array.</summary>
    internal static double[] Row(double[,] matrix, int row)
    {
        var columns = matrix.GetLength(1);
        var result = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            result[c] = matrix[row, c];
        }

        return result;
    }

    /// <summary>The largest absolute difference between two equally sized matrices.</summary>
    internal static double MaxAbsDifference(double[,] a, double[,] b)
    {
        var max = 0.0;
        for (var r = 0; r < a.GetLength(0); r++)
        {
            for (var c = 0; c < a.GetLength(1); c++)
            {
                max = Math.Max(max, Math.Abs(a[r, c] - b[r, c]));
            }
        }

        return max;
    }

    /// <summary>A sparse N×N matrix with no entries.</summary>
    internal static SparseWeights Zero(int n) => SparseWeights.FromTriplets(n, n, [], [], []);

    /// <summary>A sparse diagonal matrix.</summary>
    internal static SparseWeights Diagonal(int n, double value)
    {
        var index = Enumerable.Range(0, n).ToArray();
        return SparseWeights.FromTriplets(n, n, index, index, Enumerable.Repeat(value, n).ToArray());
    }

    /// <summary>An N×1 matrix of ones.</summary>
    internal static SparseWeights Ones(int n)
    {
        var ones = new double[n, 1];
        for (var i = 0; i < n; i++)
        {
            ones[i, 0] = 1;
        }

        return SparseWeights.FromDense(ones);
    }
}
