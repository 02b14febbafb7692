namespace Reservoir.Pipelines;

/// <summary>Per-column standardisation z = (v − mean) / scale, fitted on training data and stored with a model.</summary>
/// <remarks>
/// The scale is the population standard deviation of the column; a constant column gets scale 1, so that it is
/// centred but not blown up. Immutable and thread-safe; arrays are copied in and out.
/// </remarks>
public sealed class Standardizer
{
    private readonly double[] _means;
    private readonly double[] _scales;

    private Standardizer(double[] means, double[] scales)
    {
        _means = means;
        _scales = scales;
    }

    /// <summary>The number of columns.</summary>
    public int Dimension => _means.Length;

    /// <summary>The mean of each column; a read-only view.</summary>
    public ReadOnlySpan<double> Means => _means;

    /// <summary>The scale (standard deviation, or 1 for a constant column) of each column; a read-only view.</summary>
    public ReadOnlySpan<double> Scales => _scales;

    /// <summary>Fits the means and scales on the rows of one or more matrices with the same number of columns.</summary>
    /// <param name="data">The matrices, each rows×D with at least one row overall; every value finite.</param>
    /// <returns>The fitted standardizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or one of its matrices is null.</exception>
    /// <exception cref="ArgumentException">No rows, different column counts, or a non-finite value.</exception>
    public static Standardizer Fit(IReadOnlyList<double[,]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0 || data[0] is null)
        {
            throw new ArgumentException("data must contain at least one matrix.", nameof(data));
        }

        var d = data[0].GetLength(1);
        var means = new double[d];
        var m2 = new double[d];
        long count = 0;
        for (var s = 0; s < data.Count; s++)
        {
            var matrix = data[s] ?? throw new ArgumentNullException(nameof(data), $"data[{s}] is null.");
            if (matrix.GetLength(1) != d)
            {
                throw new ArgumentException($"data[{s}] has {matrix.GetLength(1)} columns but data[0] has {d}.", nameof(data));
            }

            Guard.AllFinite(matrix, nameof(data));
            for (var r = 0; r < matrix.GetLength(0); r++)
            {
                count++;
                for (var c = 0; c < d; c++)
                {
                    // Welford's update: stable for long series with a large mean.
                    var delta = matrix[r, c] - means[c];
                    means[c] += delta / count;
                    m2[c] += delta * (matrix[r, c] - means[c]);
                }
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("data contains no rows.", nameof(data));
        }

        var scales = new double[d];
        for (var c = 0; c < d; c++)
        {
            var std = Math.Sqrt(m2[c] / count);
            scales[c] = std > 0 ? std : 1.0;
        }

        return new Standardizer(means, scales);
    }

    /// <summary>A standardizer with given means and scales; the arrays are copied.</summary>
    /// <param name="means">The column means, finite.</param>
    /// <param name="scales">The column scales, finite and &gt; 0, same length.</param>
    /// <returns>The standardizer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ, a mean is not finite or a scale is not a finite positive number.</exception>
    public static Standardizer FromParameters(double[] means, double[] scales)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(scales);
        if (means.Length != scales.Length || means.Length == 0)
        {
            throw new ArgumentException(
                $"means and scales must have the same non-zero length; were {means.Length} and {scales.Length}.", nameof(scales));
        }

        Guard.AllFinite(means);
        for (var i = 0; i < scales.Length; i++)
        {
            if (!double.IsFinite(scales[i]) || scales[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(scales), scales[i],
                    $"scales[{i}] must be finite and > 0; was {Guard.Format(scales[i])}.");
            }
        }

        return new Standardizer((double[])means.Clone(), (double[])scales.Clone());
    }

    /// <summary>(v − mean) / scale for every row, into a new matrix.</summary>
    /// <param name="values">rows×D values.</param>
    /// <returns>The standardised values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from <see cref="Dimension"/>.</exception>
    public double[,] Transform(double[,] values)
    {
        CheckWidth(values);
        var result = new double[values.GetLength(0), Dimension];
        for (var r = 0; r < result.GetLength(0); r++)
        {
            for (var c = 0; c < Dimension; c++)
            {
                result[r, c] = (values[r, c] - _means[c]) / _scales[c];
            }
        }

        return result;
    }

    /// <summary>v·scale + mean for every row, into a new matrix.</summary>
    /// <param name="values">rows×D standardised values.</param>
    /// <returns>The values in the original units.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from <see cref="Dimension"/>.</exception>
    public double[,] InverseTransform(double[,] values)
    {
        CheckWidth(values);
        var result = new double[values.GetLength(0), Dimension];
        for (var r = 0; r < result.GetLength(0); r++)
        {
            for (var c = 0; c < Dimension; c++)
            {
                result[r, c] = values[r, c] * _scales[c] + _means[c];
            }
        }

        return result;
    }

    /// <summary>Standardises one row in place.</summary>
    internal void TransformInPlace(Span<double> row)
    {
        for (var c = 0; c < row.Length; c++)
        {
            row[c] = (row[c] - _means[c]) / _scales[c];
        }
    }

    /// <summary>Maps one standardised row back to the original units in place.</summary>
    internal void InverseTransformInPlace(Span<double> row)
    {
        for (var c = 0; c < row.Length; c++)
        {
            row[c] = row[c] * _scales[c] + _means[c];
        }
    }

    private void CheckWidth(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(1) != Dimension)
        {
            throw new ArgumentException($"values has {values.GetLength(1)} columns but the standardizer has {Dimension}.",
                nameof(values));
        }
    }
}
