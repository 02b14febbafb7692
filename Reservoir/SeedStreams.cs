using MathNet.Numerics.Random;

namespace Reservoir;

/// <summary>Independent random sub-streams derived from one user seed.</summary>
/// <remarks>
/// A (seed, stream, index) triple is mixed with SplitMix64 into the seed of a MathNet
/// <see cref="Xoshiro256StarStar"/> generator, so that each weight matrix has its own stream and
/// changing one option (say the input scaling) never changes another matrix. Every stream the toolkit draws from,
/// Pipelines' included, is defined here, so that no two components ever share random numbers.
/// </remarks>
public static class SeedStreams
{
    /// <summary>Stream of the recurrent weights W.</summary>
    public const int Recurrent = 1;

    /// <summary>Stream of the input weights W_in.</summary>
    public const int Input = 2;

    /// <summary>Stream of the bias b.</summary>
    public const int Bias = 3;

    /// <summary>Stream of the feedback weights W_fb.</summary>
    public const int Feedback = 4;

    /// <summary>Stream of the sampled leak rates.</summary>
    public const int LeakRates = 5;

    /// <summary>Stream of the skip weights W_skip; the index is the position of the skip connection.</summary>
    public const int Skip = 6;

    /// <summary>Stream of the state noise; the index is the sequence index of a run.</summary>
    public const int Noise = 7;

    /// <summary>Stream of the start vectors of the eigenvalue estimator.</summary>
    public const int Eigen = 8;

    /// <summary>Streams used by the dataset generators.</summary>
    public const int Dataset = 9;

    /// <summary>Stream of the hyper-parameter search's sampler (CMA-ES).</summary>
    public const int Search = 10;

    /// <summary>Stream of the orthogonal carry matrix O of <see cref="StateCarry.Orthogonal"/>.</summary>
    public const int Carry = 11;

    /// <summary>Stream of the layer seeds of a composed reservoir (<see cref="ComposedReservoirOptions.LayerSeed"/>); the index is the layer.</summary>
    public const int Layers = 16;

    /// <summary>A 64-bit seed for (seed, stream, index), mixed by SplitMix64.</summary>
    /// <param name="seed">The user seed.</param>
    /// <param name="stream">The stream, one of the constants of this class.</param>
    /// <param name="index">The index within the stream, for example the column of a matrix.</param>
    /// <returns>The mixed seed.</returns>
    public static ulong Mix(long seed, int stream, long index = 0)
    {
        var z = SplitMix64((ulong)seed);
        z = SplitMix64(z ^ (ulong)(uint)stream * 0x9E3779B97F4A7C15UL);
        return SplitMix64(z ^ (ulong)index * 0xD1B54A32D192ED03UL);
    }

    /// <summary>A MathNet Xoshiro256** generator for (seed, stream, index); not thread-safe, owned by one caller.</summary>
    /// <param name="seed">The user seed.</param>
    /// <param name="stream">The stream, one of the constants of this class.</param>
    /// <param name="index">The index within the stream.</param>
    /// <returns>A new generator at the start of the stream.</returns>
    public static Xoshiro256StarStar Create(long seed, int stream, long index = 0)
    {
        var mixed = Mix(seed, stream, index);
        return new Xoshiro256StarStar((int)(mixed ^ (mixed >> 32)), threadSafe: false);
    }

    /// <summary>One step of SplitMix64 (Steele, Lea and Flood 2014).</summary>
    /// <param name="x">The value to mix.</param>
    /// <returns>The mixed value.</returns>
    public static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
