using System.Numerics.Tensors;

namespace Reservoir.Datasets;

/// <summary>Helpers that summarise and rescale one-dimensional series, such as the output of the dataset generators.</summary>
/// <remarks>The methods are pure and thread-safe; they never modify their input.</remarks>
public static class Series
{
    /// <summary>Returns the smallest and largest value of <paramref name="values"/>.</summary>
    /// <param name="values">The series; at least one value, all finite.</param>
    /// <returns>The minimum and the maximum.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or contains NaN or ±∞.</exception>
    public static (double Min, double Max) Range(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("values must contain at least one value; was empty.", nameof(values));
        }

        Guard.AllFinite(values);
        return (TensorPrimitives.Min(values), TensorPrimitives.Max(values));
    }

    /// <summary>Maps <paramref name="values"/> linearly so that its minimum becomes <paramref name="low"/> and its maximum <paramref name="high"/>.</summary>
    /// <remarks>
    /// Each value v becomes low + (high − low)·(v − min)/(max − min); the maximum maps exactly to <paramref name="high"/>.
    /// To apply a training set's scaling to test data, rescale both with the same <see cref="Range"/> by hand.
    /// </remarks>
    /// <param name="values">The series; at least two distinct values, all finite, with a finite max − min.</param>
    /// <param name="low">The value the minimum maps to; finite, default −1.</param>
    /// <param name="high">The value the maximum maps to; finite and &gt; <paramref name="low"/>, default 1.</param>
    /// <returns>A new array of the same length, owned by the caller.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="values"/> is empty, contains NaN or ±∞, has all values equal, or spans more than the largest double.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="low"/> is not finite, or <paramref name="high"/> is not finite, not above <paramref name="low"/>,
    /// or so far from it that high − low overflows.
    /// </exception>
    public static double[] Rescale(ReadOnlySpan<double> values, double low = -1, double high = 1)
    {
        if (!double.IsFinite(low))
        {
            throw new ArgumentOutOfRangeException(nameof(low), low, $"low must be finite; was {Guard.Format(low)}.");
        }

        if (!double.IsFinite(high) || high <= low || !double.IsFinite(high - low))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"high must be finite and > low ({Guard.Format(low)}), with a finite high − low; was {Guard.Format(high)}.");
        }

        var (min, max) = Range(values);
        var span = max - min;
        if (span == 0)
        {
            throw new ArgumentException(
                $"values must contain at least two distinct values to be rescaled; all {values.Length} equal {Guard.Format(min)}.",
                nameof(values));
        }

        if (!double.IsFinite(span))
        {
            throw new ArgumentException(
                $"values span [{Guard.Format(min)}, {Guard.Format(max)}], whose width overflows a double; divide them first.",
                nameof(values));
        }

        var width = high - low;
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var fraction = (values[i] - min) / span;
            result[i] = fraction == 1 ? high : low + width * fraction;
        }

        return result;
    }
}
