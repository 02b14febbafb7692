using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>
/// The Theta method in Hyndman and Billah's formulation (2003; R's <c>forecast::thetaf</c>): on a series x, optionally
/// deseasonalised by a classical multiplicative decomposition, simple exponential smoothing with drift equal to half the
/// slope of the least-squares line through x; the forecast h steps after the n-th value is
/// ℓ(n) + (b/2)·(h − 1 + (1 − (1 − α)^n)/α), multiplied by the seasonal index of its phase.
/// </summary>
/// <remarks>
/// The season is used only when the autocorrelation at the period passes thetaf's test (|r(m)| above 1.645 standard
/// errors, the variance of r(m) being (1 + 2·Σ r(k)², k &lt; m)/n), there are more than two seasons and every value is
/// positive. α is the grid value of 0.01, 0.02, …, 1 with the least one-step squared error, the initial level ℓ(0) being
/// the least-squares one for that α; α, ℓ(0) and the seasonal indices are fitted once, and the level and the slope are
/// recomputed from the values read up to each forecast origin.
/// </remarks>
/// <param name="Alpha">α, the smoothing weight of the level, in (0, 1].</param>
/// <param name="InitialLevel">ℓ(0), the level before the first value (on the deseasonalised scale).</param>
internal sealed record ThetaMethod(double Alpha, double InitialLevel)
{
    /// <summary>The one-sided 95 % point of the standard normal distribution, thetaf's threshold for a season.</summary>
    internal const double SeasonalityThreshold = 1.6448536269514722;

    private const int AlphaSteps = 100;

    private readonly EquatableArray<double> _seasonalIndices = EquatableArray<double>.Empty;

    /// <summary>The multiplicative seasonal index of each phase t mod m (m of them, mean 1), or empty without a season.</summary>
    internal ImmutableArray<double> SeasonalIndices { get => _seasonalIndices.Items; init => _seasonalIndices = new(value); }

    /// <summary>Fits the method on x[0 … last] with period m (1: no season).</summary>
    internal static ThetaMethod Fit(ReadOnlySpan<double> x, int last, int period)
    {
        var n = last + 1;
        var indices = period > 1 && n > 2 * period && IsSeasonal(x[..n], period) ? Decompose(x[..n], period) : null;
        var adjusted = new double[n];
        for (var t = 0; t < n; t++)
        {
            adjusted[t] = indices is null ? x[t] : x[t] / indices[t % period];
        }

        var best = new ThetaMethod(1, adjusted[0]);
        var bestError = double.PositiveInfinity;
        for (var step = 1; step <= AlphaSteps; step++)
        {
            var alpha = (double)step / AlphaSteps;
            var (level, error) = BestInitialLevel(adjusted, alpha);
            if (error < bestError * (1 - 1e-12))
            {
                best = new ThetaMethod(alpha, level);
                bestError = error;
            }
        }

        return best with { SeasonalIndices = indices is null ? [] : [.. indices] };
    }

    /// <summary>The forecast of x at steps 1 … H after <paramref name="last"/>, from x[0 … last].</summary>
    internal double[] Forecast(ReadOnlySpan<double> x, int last, int horizon)
    {
        var indices = SeasonalIndices;
        var period = indices.Length;
        var n = last + 1;
        var level = InitialLevel;
        var sumT = 0.0;
        var sumX = 0.0;
        var sumTX = 0.0;
        var sumTT = 0.0;
        for (var t = 0; t < n; t++)
        {
            var value = period > 0 ? x[t] / indices[t % period] : x[t];
            level += Alpha * (value - level);
            sumT += t;
            sumX += value;
            sumTX += t * value;
            sumTT += (double)t * t;
        }

        var denominator = n * sumTT - sumT * sumT;
        var slope = denominator > 0 ? (n * sumTX - sumT * sumX) / denominator : 0;
        var start = (1 - Math.Pow(1 - Alpha, n)) / Alpha;
        var result = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var forecast = level + slope / 2 * (h + start);
            result[h] = period > 0 ? forecast * indices[(n + h) % period] : forecast;
        }

        return result;
    }

    /// <summary>thetaf's test for a season: the autocorrelation at lag m against its standard error under the lower lags.</summary>
    internal static bool IsSeasonal(ReadOnlySpan<double> x, int period)
    {
        var n = x.Length;
        var mean = 0.0;
        foreach (var v in x)
        {
            mean += v / n;
        }

        var variance = 0.0;
        foreach (var v in x)
        {
            variance += (v - mean) * (v - mean);
        }

        if (!(variance > 0))
        {
            return false;
        }

        var sumSquares = 0.0;
        var atPeriod = 0.0;
        for (var k = 1; k <= period; k++)
        {
            var sum = 0.0;
            for (var t = 0; t + k < n; t++)
            {
                sum += (x[t] - mean) * (x[t + k] - mean);
            }

            var r = sum / variance;
            if (k < period)
            {
                sumSquares += r * r;
            }
            else
            {
                atPeriod = r;
            }
        }

        return Math.Abs(atPeriod) / Math.Sqrt((1 + 2 * sumSquares) / n) > SeasonalityThreshold;
    }

    /// <summary>
    /// The seasonal indices of a classical multiplicative decomposition (R's <c>decompose</c>): the ratio of each value to
    /// the centred moving average of one season, averaged by phase and scaled to mean 1; null when a value is not positive.
    /// </summary>
    internal static double[]? Decompose(ReadOnlySpan<double> x, int period)
    {
        var n = x.Length;
        foreach (var v in x)
        {
            if (!(v > 0))
            {
                return null;
            }
        }

        var half = period / 2;
        var sums = new double[period];
        var counts = new int[period];
        for (var t = half; t + half < n; t++)
        {
            double trend;
            if (period % 2 == 0)
            {
                trend = 0.5 * (x[t - half] + x[t + half]);
                for (var j = t - half + 1; j < t + half; j++)
                {
                    trend += x[j];
                }
            }
            else
            {
                trend = 0;
                for (var j = t - half; j <= t + half; j++)
                {
                    trend += x[j];
                }
            }

            sums[t % period] += x[t] / (trend / period);
            counts[t % period]++;
        }

        var indices = new double[period];
        var total = 0.0;
        for (var p = 0; p < period; p++)
        {
            if (counts[p] == 0)
            {
                return null;
            }

            indices[p] = sums[p] / counts[p];
            total += indices[p];
        }

        for (var p = 0; p < period; p++)
        {
            indices[p] /= total / period;
        }

        return indices;
    }

    /// <summary>The ℓ(0) with the least one-step squared error of smoothing with <paramref name="alpha"/>, and that error.</summary>
    /// <remarks>The one-step forecast of x(t) is a(t) + (1 − α)^t·ℓ(0), a(t) being the forecast from ℓ(0) = 0, so the error is linear in ℓ(0).</remarks>
    private static (double Level, double Error) BestInitialLevel(double[] x, double alpha)
    {
        var a = 0.0;
        var c = 1.0;
        var sumCE = 0.0;
        var sumCC = 0.0;
        for (var t = 0; t < x.Length; t++)
        {
            sumCE += c * (x[t] - a);
            sumCC += c * c;
            a += alpha * (x[t] - a);
            c *= 1 - alpha;
        }

        var level = sumCC > 0 ? sumCE / sumCC : x[0];
        var error = 0.0;
        var forecast = level;
        foreach (var v in x)
        {
            error += (v - forecast) * (v - forecast);
            forecast += alpha * (v - forecast);
        }

        return (level, error);
    }
}
