using System.Collections.ObjectModel;

namespace Reservoir.Datasets;

/// <summary>Generates the multiple superimposed oscillators (MSO) benchmark, a sum of incommensurate sine waves.</summary>
/// <remarks>
/// <para>
/// MSO-k is y(t) = Σ_{i=1..k} sin(α_i·t) at integer time steps t, with the standard angular frequencies
/// α = 0.2, 0.311, 0.42, 0.51, 0.63, 0.74, 0.85, 0.97, 1.08, 1.19, 1.27, 1.32 (radians per step; the first two
/// give the classic MSO-2 of the Evolino work, the full list is the MSO-12 extension of Koryakin, Lohmann and Butz 2012).
/// </para>
/// <para>
/// The series is deterministic and therefore takes no seed: the same arguments always give the same values. The class is
/// stateless and thread-safe.
/// </para>
/// </remarks>
public static class MultipleSuperimposedOscillators
{
    /// <summary>The largest supported number of oscillators, the length of <see cref="Frequencies"/>: 12.</summary>
    public const int MaxOscillatorCount = 12;

    private static readonly double[] FrequencyValues = [0.2, 0.311, 0.42, 0.51, 0.63, 0.74, 0.85, 0.97, 1.08, 1.19, 1.27, 1.32];

    /// <summary>Gets the twelve standard angular frequencies α_1 … α_12, in radians per time step; read-only.</summary>
    public static IReadOnlyList<double> Frequencies { get; } = new ReadOnlyCollection<double>(FrequencyValues);

    /// <summary>Generates <paramref name="length"/> samples of MSO-k, y(t) = Σ_{i=1..k} sin(α_i·t), for t = startStep, startStep + 1, ….</summary>
    /// <param name="length">Number of samples returned; &gt;= 1.</param>
    /// <param name="oscillatorCount">The number k of sine waves, using the first k of <see cref="Frequencies"/>; in [1, 12].</param>
    /// <param name="startStep">The time step t of the first sample; &gt;= 0, default 0 (so the series starts at y(0) = 0).</param>
    /// <returns>A new array of <paramref name="length"/> samples, owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="length"/> is below 1 or above <see cref="ReservoirLimits.MaxGeneratedValues"/>, <paramref name="oscillatorCount"/> is outside [1, 12], or
    /// <paramref name="startStep"/> is negative.
    /// </exception>
    public static double[] Generate(int length, int oscillatorCount, int startStep = 0)
    {
        Guard.AtLeast(length, 1);
        ReservoirLimits.CheckGenerated(length, 1, nameof(length));
        if (oscillatorCount < 1 || oscillatorCount > MaxOscillatorCount)
        {
            throw new ArgumentOutOfRangeException(nameof(oscillatorCount), oscillatorCount,
                $"oscillatorCount must be in [1, {MaxOscillatorCount}]; was {oscillatorCount}.");
        }

        Guard.AtLeast(startStep, 0);

        var output = new double[length];
        for (var j = 0; j < length; j++)
        {
            var t = (double)startStep + j;
            var sum = 0.0;
            for (var i = 0; i < oscillatorCount; i++)
            {
                sum += Math.Sin(FrequencyValues[i] * t);
            }

            output[j] = sum;
        }

        return output;
    }
}
