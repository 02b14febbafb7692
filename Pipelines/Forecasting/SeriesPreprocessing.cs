namespace Reservoir.Pipelines;

/// <summary>The statistics a series forecaster reads off its training series: gaps, Box–Cox, KPSS, autocorrelation and differences.</summary>
internal static class SeriesPreprocessing
{
    /// <summary>The 5 % critical value of the KPSS level-stationarity statistic (Kwiatkowski et al. 1992, table 1).</summary>
    internal const double KpssCritical5Percent = 0.463;

    /// <summary>How far a seasonal peak of the autocorrelation must rise above the lowest value at a shorter lag.</summary>
    private const double PeakProminence = 0.15;

    /// <summary>A copy of <paramref name="series"/> with each missing value (NaN) filled by linear interpolation (the nearest observed value at either end).</summary>
    /// <param name="series">The series, at least one value observed; infinities are refused.</param>
    /// <param name="policy">Whether gaps are filled or refused.</param>
    /// <param name="filled">The number of values filled.</param>
    /// <returns>The filled series.</returns>
    /// <exception cref="ArgumentException">A value is infinite, every value is missing, or a value is missing under <see cref="MissingValuePolicy.Error"/>.</exception>
    internal static double[] FillGaps(ReadOnlySpan<double> series, MissingValuePolicy policy, out int filled)
    {
        var result = series.ToArray();
        filled = 0;
        var previous = -1;
        for (var t = 0; t < result.Length; t++)
        {
            var value = result[t];
            if (double.IsInfinity(value))
            {
                throw new ArgumentException($"series[{t}] is {value}; every observed value must be finite (a missing value is NaN).", nameof(series));
            }

            if (double.IsNaN(value))
            {
                if (policy == MissingValuePolicy.Error)
                {
                    throw new ArgumentException(
                        $"series[{t}] is missing (NaN); fill the gap, or use MissingValues = MissingValuePolicy.Interpolate.", nameof(series));
                }

                continue;
            }

            var gap = t - previous - 1;
            if (gap > 0)
            {
                for (var g = previous + 1; g < t; g++)
                {
                    result[g] = previous < 0 ? value : result[previous] + (value - result[previous]) * (g - previous) / (t - previous);
                }

                filled += gap;
            }

            previous = t;
        }

        if (previous < 0)
        {
            throw new ArgumentException($"series has no observed value: all {result.Length} values are missing (NaN).", nameof(series));
        }

        for (var g = previous + 1; g < result.Length; g++)
        {
            result[g] = result[previous];
            filled++;
        }

        return result;
    }

    /// <summary>The Box–Cox transform (y^λ − 1)/λ, log y for λ = 0; y itself for λ = 1.</summary>
    internal static double BoxCox(double y, double lambda) =>
        lambda == 1 ? y : lambda == 0 ? Math.Log(y) : (Math.Pow(y, lambda) - 1) / lambda;

    /// <summary>The inverse of <see cref="BoxCox"/>; a value below the transform's range maps to 0.</summary>
    internal static double InverseBoxCox(double z, double lambda)
    {
        if (lambda == 1)
        {
            return z;
        }

        if (lambda == 0)
        {
            return Math.Exp(z);
        }

        var b = lambda * z + 1;
        return b <= 0 ? 0 : Math.Pow(b, 1 / lambda);
    }

    /// <summary>
    /// Guerrero's choice of the Box–Cox λ among <paramref name="candidates"/>: the one for which the ratio of each
    /// block's standard deviation to its mean^(1−λ) varies least (blocks of one season, or of two values without a season).
    /// </summary>
    internal static double GuerreroLambda(ReadOnlySpan<double> series, int period, ReadOnlySpan<double> candidates)
    {
        var length = Math.Max(2, period);
        var blocks = series.Length / length;
        if (blocks < 2)
        {
            return 1;
        }

        var means = new double[blocks];
        var deviations = new double[blocks];
        var start = series.Length - blocks * length;
        for (var b = 0; b < blocks; b++)
        {
            var block = series.Slice(start + b * length, length);
            var mean = Mean(block);
            var sum = 0.0;
            foreach (var value in block)
            {
                sum += (value - mean) * (value - mean);
            }

            means[b] = mean;
            deviations[b] = Math.Sqrt(sum / (length - 1));
        }

        var best = 1.0;
        var bestVariation = double.PositiveInfinity;
        var ratios = new double[blocks];
        foreach (var lambda in candidates)
        {
            for (var b = 0; b < blocks; b++)
            {
                ratios[b] = deviations[b] / Math.Pow(means[b], 1 - lambda);
            }

            var mean = Mean(ratios);
            var variation = mean > 0 ? StandardDeviation(ratios, mean) / mean : double.PositiveInfinity;
            if (variation < bestVariation - 1e-12)
            {
                bestVariation = variation;
                best = lambda;
            }
        }

        return best;
    }

    /// <summary>The KPSS statistic for level stationarity with the Bartlett window of trunc(4 (n/100)^¼) lags (Kwiatkowski et al. 1992).</summary>
    /// <remarks>Above <see cref="KpssCritical5Percent"/> the series is not level-stationary at 5 % (it wants a difference).</remarks>
    internal static double Kpss(ReadOnlySpan<double> series)
    {
        var n = series.Length;
        var mean = Mean(series);
        var lags = (int)(4 * Math.Pow(n / 100.0, 0.25));
        var partial = 0.0;
        var sumSquaredPartial = 0.0;
        var variance = 0.0;
        for (var t = 0; t < n; t++)
        {
            var e = series[t] - mean;
            partial += e;
            sumSquaredPartial += partial * partial;
            variance += e * e;
        }

        for (var j = 1; j <= lags; j++)
        {
            var covariance = 0.0;
            for (var t = j; t < n; t++)
            {
                covariance += (series[t] - mean) * (series[t - j] - mean);
            }

            variance += 2 * (1 - j / (lags + 1.0)) * covariance;
        }

        variance /= n;
        return variance <= 0 ? 0 : sumSquaredPartial / ((double)n * n * variance);
    }

    /// <summary>The autocorrelation r_1 … r_maxLag of <paramref name="series"/> (r_k = c_k / c_0 with the biased covariances).</summary>
    internal static double[] Autocorrelation(ReadOnlySpan<double> series, int maxLag)
    {
        var n = series.Length;
        var mean = Mean(series);
        var c0 = 0.0;
        foreach (var value in series)
        {
            c0 += (value - mean) * (value - mean);
        }

        var result = new double[maxLag + 1];
        result[0] = 1;
        if (c0 <= 0)
        {
            return result;
        }

        for (var k = 1; k <= maxLag && k < n; k++)
        {
            var c = 0.0;
            for (var t = k; t < n; t++)
            {
                c += (series[t] - mean) * (series[t - k] - mean);
            }

            result[k] = c / c0;
        }

        return result;
    }

    /// <summary>
    /// The seasonal period of a series: the lag of the highest local peak of the autocorrelation of the series less its
    /// least-squares line, among lags 2 … <paramref name="maxPeriod"/>, when that peak is significant (above 0.2 and
    /// 2/√n, and 0.15 above the lowest autocorrelation at a shorter lag); 1 otherwise. A series without a season has an autocorrelation that decays without such a peak.
    /// </summary>
    internal static int DetectPeriod(ReadOnlySpan<double> series, int maxPeriod)
    {
        var n = series.Length;
        if (n < 8 || maxPeriod < 2)
        {
            return 1;
        }

        var detrended = Detrend(series);
        var r = Autocorrelation(detrended, Math.Min(maxPeriod + 1, n - 1));
        var threshold = Math.Max(0.2, 2 / Math.Sqrt(n));
        var best = 1;
        var bestValue = threshold;
        var trough = r[1];
        for (var k = 2; k < r.Length - 1 && k <= maxPeriod; k++)
        {
            trough = Math.Min(trough, r[k - 1]);
            if (r[k] > bestValue && r[k] > r[k - 1] && r[k] >= r[k + 1] && r[k] - trough >= PeakProminence)
            {
                best = k;
                bestValue = r[k];
            }
        }

        return best;
    }

    /// <summary>The series less its least-squares line a + b·t.</summary>
    internal static double[] Detrend(ReadOnlySpan<double> series)
    {
        var n = series.Length;
        var meanT = (n - 1) / 2.0;
        var meanY = Mean(series);
        var covariance = 0.0;
        var variance = 0.0;
        for (var t = 0; t < n; t++)
        {
            covariance += (t - meanT) * (series[t] - meanY);
            variance += (t - meanT) * (t - meanT);
        }

        var slope = variance > 0 ? covariance / variance : 0;
        var result = new double[n];
        for (var t = 0; t < n; t++)
        {
            result[t] = series[t] - meanY - slope * (t - meanT);
        }

        return result;
    }

    /// <summary>The lag-<paramref name="lag"/> difference x[t] − x[t − lag], t = lag … n − 1.</summary>
    internal static double[] Difference(ReadOnlySpan<double> series, int lag)
    {
        var result = new double[Math.Max(0, series.Length - lag)];
        for (var t = 0; t < result.Length; t++)
        {
            result[t] = series[t + lag] - series[t];
        }

        return result;
    }

    /// <summary>The mean of the values.</summary>
    internal static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    private static double StandardDeviation(ReadOnlySpan<double> values, double mean)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += (value - mean) * (value - mean);
        }

        return Math.Sqrt(sum / Math.Max(1, values.Length - 1));
    }
}
