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
    /// <exception cref="InvalidOperationException">A finite value maps to ±∞ (the parameters are too extreme for it).</exception>
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

            CheckFinite(values.Row(r), result.Row(r), inverse: false);
        }

        return result;
    }

    /// <summary>v·scale + mean for every row, into a new matrix.</summary>
    /// <param name="values">rows×D standardised values.</param>
    /// <returns>The values in the original units.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from <see cref="Dimension"/>.</exception>
    /// <exception cref="InvalidOperationException">A finite value maps to ±∞ (the parameters are too extreme for it).</exception>
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

            CheckFinite(values.Row(r), result.Row(r), inverse: true);
        }

        return result;
    }

    /// <summary>Standardises one row in place.</summary>
    /// <exception cref="InvalidOperationException">A finite value maps to ±∞.</exception>
    internal void TransformInPlace(Span<double> row)
    {
        for (var c = 0; c < row.Length; c++)
        {
            var value = row[c];
            row[c] = (value - _means[c]) / _scales[c];
            if (!double.IsFinite(row[c]) && double.IsFinite(value))
            {
                throw Overflow(c, value, row[c], inverse: false);
            }
        }
    }

    /// <summary>Maps one standardised row back to the original units in place.</summary>
    /// <exception cref="InvalidOperationException">A finite value maps to ±∞.</exception>
    internal void InverseTransformInPlace(Span<double> row)
    {
        for (var c = 0; c < row.Length; c++)
        {
            var value = row[c];
            row[c] = value * _scales[c] + _means[c];
            if (!double.IsFinite(row[c]) && double.IsFinite(value))
            {
                throw Overflow(c, value, row[c], inverse: true);
            }
        }
    }

    /// <summary>
    /// Throws unless the parameters could come from <see cref="Fit"/>: the lengths agree, every mean is finite, every scale is
    /// a normal positive double (so 1/scale is finite), and |mean| / scale is at most <see cref="MaxMeanToScale"/>.
    /// </summary>
    /// <remarks>
    /// A fitted scale is 1 or the standard deviation of T finite values, which is at least about |mean|·2⁻⁵²/√T, so |mean| / scale
    /// stays below 2⁵²·√T &lt; 10²¹ for any T an array can hold. A stored standardizer beyond that bound cannot have been fitted,
    /// and it would map ordinary finite inputs to ±∞.
    /// </remarks>
    /// <returns>null when the parameters are plausible, otherwise what is wrong.</returns>
    internal static string? CheckFitted(ReadOnlySpan<double> means, ReadOnlySpan<double> scales)
    {
        if (means.Length != scales.Length || means.IsEmpty)
        {
            return $"{means.Length} means and {scales.Length} scales; they must have the same non-zero length";
        }

        for (var c = 0; c < means.Length; c++)
        {
            if (!double.IsFinite(means[c]))
            {
                return $"mean {c} is {Guard.Format(means[c])}; every mean must be finite";
            }

            if (!double.IsNormal(scales[c]) || scales[c] <= 0)
            {
                return $"scale {c} is {Guard.Format(scales[c])}; every scale must be a positive normal double (at least {Guard.Format(double.BitIncrement(0) * (1L << 52))}) and finite";
            }

            if (Math.Abs(means[c]) / scales[c] > MaxMeanToScale)
            {
                return $"column {c} has mean {Guard.Format(means[c])} and scale {Guard.Format(scales[c])}, a ratio of {Guard.Format(Math.Abs(means[c]) / scales[c])}; "
                    + $"a fitted standardizer never exceeds {Guard.Format(MaxMeanToScale)}";
            }
        }

        return null;
    }

    /// <summary>The largest |mean| / scale that <see cref="CheckFitted"/> accepts: 10³⁰, far above the 2⁵²·√T &lt; 10²¹ that a fit can reach.</summary>
    internal const double MaxMeanToScale = 1e30;

    private void CheckFinite(ReadOnlySpan<double> values, ReadOnlySpan<double> result, bool inverse)
    {
        for (var c = 0; c < result.Length; c++)
        {
            if (!double.IsFinite(result[c]) && double.IsFinite(values[c]))
            {
                throw Overflow(c, values[c], result[c], inverse);
            }
        }
    }

    private InvalidOperationException Overflow(int column, double value, double result, bool inverse) => new(
        $"The standardizer maps the finite value {Guard.Format(value)} of column {column} to {Guard.Format(result)} "
        + $"({(inverse ? "v·scale + mean" : "(v − mean) / scale")} with mean {Guard.Format(_means[column])} and scale {Guard.Format(_scales[column])}): "
        + "its parameters are too extreme for this value, which lies far outside the data it was fitted on.");

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
