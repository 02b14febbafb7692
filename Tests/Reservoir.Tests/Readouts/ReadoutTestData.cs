using MathNet.Numerics.Random;

namespace Reservoir.Tests.Readouts;

/// <summary>Seeded test matrices and naive reference statistics for the readout tests.</summary>
internal static class ReadoutTestData
{
    /// <summary>A rows × columns row-major matrix of values uniform in [offset − scale, offset + scale).</summary>
    public static double[] Random(int rows, int columns, int seed, double offset = 0, double scale = 1)
    {
        var random = new Xoshiro256StarStar(seed);
        var values = new double[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = offset + scale * (2 * random.NextDouble() - 1);
        }

        return values;
    }

    /// <summary>Copies a row-major span into a rectangular array.</summary>
    public static double[,] ToMatrix(double[] values, int rows, int columns)
    {
        var matrix = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                matrix[r, c] = values[r * columns + c];
            }
        }

        return matrix;
    }

    /// <summary>Column means by the textbook formula.</summary>
    public static double[] Means(double[] values, int rows, int columns)
    {
        var means = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            var sum = 0.0;
            for (var r = 0; r < rows; r++)
            {
                sum += values[r * columns + c];
            }

            means[c] = sum / rows;
        }

        return means;
    }

    /// <summary>Σ_r (a_r − ā)(b_r − b̄)ᵀ by a naive triple loop over two-pass centred values (row-major aColumns × bColumns).</summary>
    public static double[] Comoments(double[] a, int aColumns, double[] b, int bColumns, int rows)
    {
        var aMeans = Means(a, rows, aColumns);
        var bMeans = Means(b, rows, bColumns);
        var result = new double[aColumns * bColumns];
        for (var i = 0; i < aColumns; i++)
        {
            for (var j = 0; j < bColumns; j++)
            {
                var sum = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    sum += (a[r * aColumns + i] - aMeans[i]) * (b[r * bColumns + j] - bMeans[j]);
                }

                result[i * bColumns + j] = sum;
            }
        }

        return result;
    }

    /// <summary>Largest absolute value, used to turn an absolute tolerance into a relative one.</summary>
    public static double MaxAbs(ReadOnlySpan<double> values)
    {
        var max = 0.0;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }
}
