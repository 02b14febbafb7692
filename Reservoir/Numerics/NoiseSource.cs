namespace Reservoir.Numerics;

/// <summary>A copyable Xoshiro256** generator (Blackman and Vigna 2018) for the per-step state noise.</summary>
/// <remarks>
/// A value type so that <see cref="ReservoirState.Clone"/> copies the noise stream with the state and a
/// step allocates nothing. Seeded through SplitMix64, as the algorithm's authors recommend.
/// </remarks>
internal struct NoiseSource
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    internal NoiseSource(ulong seed)
    {
        _s0 = SeedStreams.SplitMix64(seed);
        _s1 = SeedStreams.SplitMix64(_s0);
        _s2 = SeedStreams.SplitMix64(_s1);
        _s3 = SeedStreams.SplitMix64(_s2);
    }

    /// <summary>A uniform double in [−1, 1).</summary>
    internal double NextSymmetric() => (NextUInt64() >> 11) * (2.0 / (1UL << 53)) - 1.0;

    private ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
