namespace Reservoir.Datasets;

/// <summary>Generates seeded data for the short-term memory-capacity task (Jaeger 2001): recall the input k steps back, for each k.</summary>
/// <remarks>
/// <para>
/// The input u(t) is i.i.d. uniform on [inputLow, inputHigh); the target for delay k is u(t − k), for k = 1 … maxDelay.
/// A readout is trained per delay, and the memory capacity is MC = Σ_k r²(ŷ_k(t), u(t − k)), the sum of squared
/// correlations between prediction and delayed input (at most maxDelay, and at most the number of reservoir units for a
/// linear readout).
/// </para>
/// <para>
/// Before the series starts (t − k &lt; 0) the target is 0, which is not a real input value: use a washout of at least
/// maxDelay steps.
/// </para>
/// <para>The class is stateless and thread-safe. The same arguments give bit-identical arrays within one process.</para>
/// </remarks>
public static class MemoryCapacityTask
{
    /// <summary>Generates an input series of <paramref name="length"/> steps and its delayed copies for delays 1 … <paramref name="maxDelay"/>.</summary>
    /// <param name="length">Number of time steps; &gt; <paramref name="maxDelay"/>.</param>
    /// <param name="maxDelay">The largest delay, and the number of target columns; &gt;= 1.</param>
    /// <param name="seed">Seed of the input; any value. Equal seeds give bit-identical data.</param>
    /// <param name="inputLow">Lower bound of the uniform input; finite, default −0.8.</param>
    /// <param name="inputHigh">Upper bound (exclusive) of the uniform input; finite and &gt; <paramref name="inputLow"/>, default 0.8.</param>
    /// <returns>New data whose arrays are owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxDelay"/> is below 1, <paramref name="length"/> is not above it, the targets would not fit in one
    /// array, an input bound is not finite, or <paramref name="inputHigh"/> is not above <paramref name="inputLow"/>.
    /// </exception>
    public static MemoryCapacityData Generate(int length, int maxDelay, int seed, double inputLow = -0.8, double inputHigh = 0.8)
    {
        Guard.AtLeast(maxDelay, 1);
        if (length <= maxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"length must be > maxDelay ({maxDelay}); was {length}.");
        }

        if ((long)length * maxDelay > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay,
                $"length × maxDelay must be at most {Array.MaxLength} target values; was {(long)length * maxDelay}.");
        }

        ReservoirLimits.CheckGenerated(length, maxDelay + 1, nameof(length));

        DatasetGuard.Interval(inputLow, inputHigh, nameof(inputLow), nameof(inputHigh));

        var random = SeedStreams.Create(seed, SeedStreams.Dataset, DatasetStreams.MemoryCapacityInput);
        var width = inputHigh - inputLow;
        var input = new double[length];
        for (var t = 0; t < length; t++)
        {
            input[t] = inputLow + width * random.NextDouble();
        }

        var targets = new double[length, maxDelay];
        for (var t = 0; t < length; t++)
        {
            var delays = Math.Min(t, maxDelay);
            for (var k = 1; k <= delays; k++)
            {
                targets[t, k - 1] = input[t - k];
            }
        }

        return new MemoryCapacityData(input, targets, maxDelay);
    }
}
