namespace Reservoir.Datasets;

/// <summary>Generates orbits of the logistic map x[t+1] = r·x[t]·(1 − x[t]), the simplest chaotic map.</summary>
/// <remarks>
/// <para>
/// <b>Map.</b> x[t+1] = r·x[t]·(1 − x[t]) with r ∈ [0, 4], which maps [0, 1] into itself. The default r = 3.9 is
/// chaotic. At r = 4 the map is conjugate to the tent map: its invariant density is 1 / (π·√(x·(1 − x))) (Ulam and
/// von Neumann 1947), with mean 1/2 and variance 1/8, and its Lyapunov exponent is ln 2 per step.
/// </para>
/// <para>
/// <b>Iteration.</b> The map is iterated exactly as written, in double precision, one sample per iteration. In
/// <see cref="Generate"/> sample 0 is x = 0.05 + 0.9·U[0, 1), drawn from the seed, and the first transientSamples
/// samples are dropped; <see cref="Iterate"/> starts from a value given by the caller and keeps every sample. A
/// finite-precision orbit is eventually periodic, but at r = 4 its statistics match the invariant density over
/// millions of steps.
/// </para>
/// <para>
/// The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.
/// </para>
/// </remarks>
public static class LogisticMap
{
    /// <summary>The largest growth rate r for which the map keeps [0, 1] in itself: 4.</summary>
    public const double MaxGrowthRate = 4;

    /// <summary>Generates a logistic-map orbit of <paramref name="length"/> samples from a seeded initial value.</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="seed">Seed of the initial value; any value. Equal seeds give bit-identical orbits.</param>
    /// <param name="growthRate">The growth rate r; in [0, 4], default 3.9.</param>
    /// <param name="transientSamples">Samples generated first and dropped; &gt;= 0, default 100.</param>
    /// <returns>A new array of <paramref name="length"/> samples in [0, 1], owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above.</exception>
    public static double[] Generate(int length, int seed, double growthRate = 3.9, int transientSamples = 100)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 1, nameof(length));
        Guard.InRange(growthRate, 0, MaxGrowthRate);
        Guard.AtLeast(transientSamples, 0);

        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.LogisticInitialCondition);
        var x = 0.05 + 0.9 * random.NextDouble();
        return Run(length, x, growthRate, transientSamples);
    }

    /// <summary>Iterates the logistic map <paramref name="length"/> − 1 times from <paramref name="initialValue"/>.</summary>
    /// <param name="length">Number of samples returned, the initial value included; &gt;= 1.</param>
    /// <param name="initialValue">The value of sample 0; in [0, 1].</param>
    /// <param name="growthRate">The growth rate r; in [0, 4], default 3.9.</param>
    /// <returns>A new array of <paramref name="length"/> samples in [0, 1], owned by the caller; element 0 is <paramref name="initialValue"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of the range given above.</exception>
    public static double[] Iterate(int length, double initialValue, double growthRate = 3.9)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 1, nameof(length));
        Guard.InRange(initialValue, 0, 1);
        Guard.InRange(growthRate, 0, MaxGrowthRate);
        return Run(length, initialValue, growthRate, 0);
    }

    private static double[] Run(int length, double x, double r, int transientSamples)
    {
        var output = new double[length];
        var totalSamples = (long)transientSamples + length;
        for (long s = 0; s < totalSamples; s++)
        {
            if (s >= transientSamples)
            {
                output[s - transientSamples] = x;
            }

            x = r * x * (1 - x);
        }

        return output;
    }
}
