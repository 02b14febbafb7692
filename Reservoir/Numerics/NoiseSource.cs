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

    /// <summary>The generator's four state words, for saving the stream with a state.</summary>
    internal readonly (ulong S0, ulong S1, ulong S2, ulong S3) Words => (_s0, _s1, _s2, _s3);

    /// <summary>Whether the words form a valid Xoshiro256** state (not all zero; an all-zero state only ever yields zero).</summary>
    internal static bool IsValidState(ulong s0, ulong s1, ulong s2, ulong s3) => (s0 | s1 | s2 | s3) != 0;

    /// <summary>A generator that continues from saved state words, which must satisfy <see cref="IsValidState"/>.</summary>
    internal static NoiseSource FromWords(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        System.Diagnostics.Debug.Assert(IsValidState(s0, s1, s2, s3));
        var source = default(NoiseSource);
        source._s0 = s0;
        source._s1 = s1;
        source._s2 = s2;
        source._s3 = s3;
        return source;
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
