using System.Diagnostics;
using Reservoir.Pipelines;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>The forecaster with its defaults on a long series: fit (validation of every candidate and the ensemble) plus forecast.</summary>
public static class ForecastWorkload
{
    /// <summary>The series length.</summary>
    public const int Length = 5_000;

    /// <summary>The horizon: one day of half-hourly data.</summary>
    public const int Horizon = 48;

    /// <summary>A half-hourly-like series: a daily season of 48 steps, a slow weekly swing, a trend and noise (seeded).</summary>
    public static double[] Series { get; } = Create();

    /// <summary>The best of three fit-and-forecast times with the defaults (season detected, every candidate validated, nine reservoirs).</summary>
    /// <returns>Seconds.</returns>
    public static double Measure()
    {
        var best = double.PositiveInfinity;
        for (var repeat = 0; repeat < 3; repeat++)
        {
            var clock = Stopwatch.StartNew();
            var forecast = SeriesForecaster.Fit(Series, Horizon).Forecast();
            clock.Stop();
            if (!double.IsFinite(forecast.Mean[^1]))
            {
                throw new InvalidOperationException("The forecast is not finite.");
            }

            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static double[] Create()
    {
        var random = new Random(42);
        var series = new double[Length];
        for (var t = 0; t < Length; t++)
        {
            series[t] = 100 + 0.002 * t + 10 * Math.Sin(2 * Math.PI * t / 48) + 3 * Math.Sin(2 * Math.PI * t / 336)
                + 2 * (random.NextDouble() - 0.5);
        }

        return series;
    }
}
