namespace Reservoir.Pipelines;

/// <summary>
/// Holt's linear method with a damped trend (Gardner and McKenzie 1985) on a series z: level ℓ and trend b updated by
/// ℓ(t) = ℓ(t−1) + φ·b(t−1) + α·e(t) and b(t) = φ·b(t−1) + α·β·e(t), e(t) the one-step error; the forecast h steps
/// ahead is ℓ + (φ + … + φ^h)·b. The smoothing parameters are chosen from a small grid by the in-sample one-step squared error.
/// </summary>
internal readonly record struct DampedTrend(double Alpha, double Beta, double Phi)
{
    private static readonly double[] Alphas = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    private static readonly double[] Betas = [0, 0.05, 0.1, 0.2, 0.3];
    private static readonly double[] Phis = [0.8, 0.85, 0.9, 0.95, 0.98];

    /// <summary>The parameters of the grid with the least one-step squared error on z[0 … last] (the first on a tie).</summary>
    internal static DampedTrend Fit(ReadOnlySpan<double> z, int last)
    {
        var best = new DampedTrend(1, 0, Phis[^1]);
        var bestError = double.PositiveInfinity;
        foreach (var alpha in Alphas)
        {
            foreach (var beta in Betas)
            {
                foreach (var phi in Phis)
                {
                    var candidate = new DampedTrend(alpha, beta, phi);
                    var error = candidate.Run(z, last, out _, out _);
                    if (error < bestError * (1 - 1e-12))
                    {
                        best = candidate;
                        bestError = error;
                    }
                }
            }
        }

        return best;
    }

    /// <summary>The forecast of z at step h + 1 after <paramref name="last"/> (h ≥ 0).</summary>
    internal double[] Forecast(ReadOnlySpan<double> z, int last, int horizon)
    {
        Run(z, last, out var level, out var trend);
        var result = new double[horizon];
        var damping = 0.0;
        var power = 1.0;
        for (var h = 0; h < horizon; h++)
        {
            power *= Phi;
            damping += power;
            result[h] = level + damping * trend;
        }

        return result;
    }

    /// <summary>Runs the recursions over z[0 … last] from ℓ = z[0], b = z[1] − z[0]; returns the sum of squared one-step errors.</summary>
    private double Run(ReadOnlySpan<double> z, int last, out double level, out double trend)
    {
        level = z[0];
        trend = last >= 1 ? z[1] - z[0] : 0;
        var sum = 0.0;
        for (var t = 1; t <= last; t++)
        {
            var forecast = level + Phi * trend;
            var error = z[t] - forecast;
            sum += error * error;
            level = forecast + Alpha * error;
            trend = Phi * trend + Alpha * Beta * error;
        }

        return sum;
    }
}
