using MathNet.Numerics.Random;

namespace Reservoir;

/// <summary>Independent random sub-streams derived from one user seed.</summary>
/// <remarks>
/// A (seed, stream, index) triple is mixed with SplitMix64 into the seed of a MathNet
/// <see cref="Xoshiro256StarStar"/> generator, so that each weight matrix has its own stream and
/// changing one option (say the input scaling) never changes another matrix.
/// </remarks>
internal static class SeedStreams
{
    /// <summary>Stream of the recurrent weights W.</summary>
    internal const int Recurrent = 1;

    /// <summary>Stream of the input weights W_in.</summary>
    internal const int Input = 2;

    /// <summary>Stream of the bias b.</summary>
    internal const int Bias = 3;

    /// <summary>Stream of the feedback weights W_fb.</summary>
    internal const int Feedback = 4;

    /// <summary>Stream of the sampled leak rates.</summary>
    internal const int LeakRates = 5;

    /// <summary>Stream of the skip weights W_skip; the index is the position of the skip connection.</summary>
    internal const int Skip = 6;

    /// <summary>Stream of the state noise; the index is the sequence index of a run.</summary>
    internal const int Noise = 7;

    /// <summary>Stream of the start vectors of the eigenvalue estimator.</summary>
    internal const int Eigen = 8;

    /// <summary>Streams used by the dataset generators.</summary>
    internal const int Dataset = 9;

    /// <summary>A 64-bit seed for (seed, stream, index), mixed by SplitMix64.</summary>
    internal static ulong Mix(long seed, int stream, long index = 0)
    {
        var z = SplitMix64((ulong)seed);
        z = SplitMix64(z ^ (ulong)(uint)stream * 0x9E3779B97F4A7C15UL);
        return SplitMix64(z ^ (ulong)index * 0xD1B54A32D192ED03UL);
    }

    /// <summary>A MathNet Xoshiro256** generator for (seed, stream, index); not thread-safe, owned by one caller.</summary>
    internal static Xoshiro256StarStar Create(long seed, int stream, long index = 0)
    {
        var mixed = Mix(seed, stream, index);
        return new Xoshiro256StarStar((int)(mixed ^ (mixed >> 32)), threadSafe: false);
    }

    /// <summary>One step of SplitMix64 (Steele, Lea and Flood 2014).</summary>
    internal static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
