namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary>Small statistics shared by the tasks.</summary>
internal static class TaskMath
{
    /// <summary>The population standard deviation.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>√(mean((v − mean)²)).</returns>
    public static double StandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("values must hold at least one value; was empty.", nameof(values));
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum / values.Length);
    }

    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>The median.</returns>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("values must hold at least one value; was empty.", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The population variance.</summary>
    /// <param name="values">At least one value.</param>
    /// <returns>mean((v − mean)²).</returns>
    public static double Variance(ReadOnlySpan<double> values)
    {
        var std = StandardDeviation(values);
        return std * std;
    }

    /// <summary>Root mean square of (truth − prediction) over the first <paramref name="count"/> steps, divided by <paramref name="scale"/>.</summary>
    /// <param name="truth">The true values.</param>
    /// <param name="prediction">The predictions, at least as long as <paramref name="count"/>.</param>
    /// <param name="count">How many leading steps to score, ≥ 1.</param>
    /// <param name="scale">The normaliser (a standard deviation), &gt; 0.</param>
    /// <returns>The normalised RMSE.</returns>
    public static double LeadingNrmse(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int count, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (truth.Length < count || prediction.Length < count)
        {
            throw new ArgumentException(
                $"count must be at most the series lengths ({truth.Length}, {prediction.Length}); was {count}.", nameof(count));
        }

        var sum = 0.0;
        for (var t = 0; t < count; t++)
        {
            var e = truth[t] - prediction[t];
            sum += e * e;
        }

        return Math.Sqrt(sum / count) / scale;
    }

    /// <summary>One column of a matrix.</summary>
    /// <param name="matrix">The matrix.</param>
    /// <param name="column">The column index; default 0.</param>
    /// <returns>A new array.</returns>
    public static double[] Column(double[,] matrix, int column = 0)
    {
        var result = new double[matrix.GetLength(0)];
        for (var t = 0; t < result.Length; t++)
        {
            result[t] = matrix[t, column];
        }

        return result;
    }
}
