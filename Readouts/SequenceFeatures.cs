namespace Reservoir.Readouts;

/// <summary>Turns the T × N states of one sequence into one feature row, for classifying whole sequences.</summary>
/// <remarks>All methods are pure and thread-safe; the result is a new array.</remarks>
public static class SequenceFeatures
{
    /// <summary>Summarises the states of one sequence.</summary>
    /// <param name="states">The T × N states (one row per step), T ≥ 1, N ≥ 1, all finite; not changed.</param>
    /// <param name="kind">Which summary to take.</param>
    /// <param name="sampleCount">
    /// The number k ≥ 1 of states taken by <see cref="SequenceFeatureKind.EvenlySpacedStates"/>; default 1. Row i (0 ≤ i &lt; k)
    /// is the state at step round(i·(T − 1)/(k − 1)), halves rounded up, for k ≥ 2, and the last state for k = 1; when
    /// k &gt; T some steps repeat. The other kinds ignore it (it must still be ≥ 1).
    /// </param>
    /// <returns>
    /// A new array of <see cref="Length"/>(N, kind, sampleCount) values: the last row, the column means, or the k chosen
    /// rows one after another.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="states"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="states"/> has no rows or no columns, or holds a NaN or infinite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="kind"/> is not defined, or <paramref name="sampleCount"/> is less than 1 or makes the result too long.
    /// </exception>
    public static double[] Extract(double[,] states, SequenceFeatureKind kind, int sampleCount = 1)
    {
        ArgumentNullException.ThrowIfNull(states);
        var steps = states.GetLength(0);
        var width = states.GetLength(1);
        if (steps == 0 || width == 0)
        {
            throw new ArgumentException(
                $"states is {steps} × {width}; it needs at least one step (row) and one unit (column).", nameof(states));
        }

        var result = new double[Length(width, kind, sampleCount)];
        Guard.AllFinite(states);
        switch (kind)
        {
            case SequenceFeatureKind.LastState:
                CopyRow(states, steps - 1, result, 0);
                break;
            case SequenceFeatureKind.MeanState:
                for (var r = 0; r < steps; r++)
                {
                    for (var c = 0; c < width; c++)
                    {
                        result[c] += states[r, c];
                    }
                }

                for (var c = 0; c < width; c++)
                {
                    result[c] /= steps;
                }

                break;
            default:
                for (var i = 0; i < sampleCount; i++)
                {
                    CopyRow(states, SampleStepUnchecked(i, sampleCount, steps), result, i * width);
                }

                break;
        }

        return result;
    }

    /// <summary>Returns the length of the feature row that <see cref="Extract"/> produces.</summary>
    /// <param name="stateWidth">The number of columns N of the states, ≥ 1.</param>
    /// <param name="kind">Which summary is taken.</param>
    /// <param name="sampleCount">The number of states k ≥ 1 for <see cref="SequenceFeatureKind.EvenlySpacedStates"/>; ignored (but checked) otherwise.</param>
    /// <returns>N for <see cref="SequenceFeatureKind.LastState"/> and <see cref="SequenceFeatureKind.MeanState"/>; k·N for <see cref="SequenceFeatureKind.EvenlySpacedStates"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="stateWidth"/> or <paramref name="sampleCount"/> is less than 1, <paramref name="kind"/> is not
    /// defined, or k·N exceeds the largest array length (ParamName "sampleCount").
    /// </exception>
    public static int Length(int stateWidth, SequenceFeatureKind kind, int sampleCount)
    {
        Guard.AtLeast(stateWidth, 1);
        Guard.AtLeast(sampleCount, 1);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind,
                $"kind must be LastState, MeanState or EvenlySpacedStates; was {(int)kind}.");
        }

        if (kind != SequenceFeatureKind.EvenlySpacedStates)
        {
            return stateWidth;
        }

        var length = (long)stateWidth * sampleCount;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount,
                $"sampleCount × stateWidth must be <= {Array.MaxLength}; was {sampleCount} × {stateWidth}.");
        }

        return (int)length;
    }

    /// <summary>round(i·(T − 1)/(k − 1)) with halves rounded up, in exact integer arithmetic; T − 1 when k = 1.</summary>
    /// <summary>Returns the step whose state <see cref="SequenceFeatureKind.EvenlySpacedStates"/> takes as its <paramref name="index"/>-th sample.</summary>
    /// <param name="index">The sample, 0 ≤ index &lt; <paramref name="sampleCount"/>.</param>
    /// <param name="sampleCount">The number of samples k ≥ 1.</param>
    /// <param name="steps">The length T ≥ 1 of the sequence.</param>
    /// <returns>round(index·(T − 1)/(k − 1)), halves rounded up, for k ≥ 2; T − 1 for k = 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static int SampleStep(int index, int sampleCount, int steps)
    {
        Guard.AtLeast(sampleCount, 1);
        Guard.AtLeast(steps, 1);
        if (index < 0 || index >= sampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {sampleCount}); was {index}.");
        }

        return SampleStepUnchecked(index, sampleCount, steps);
    }

    private static int SampleStepUnchecked(int i, int sampleCount, int steps)
    {
        if (sampleCount == 1)
        {
            return steps - 1;
        }

        var gaps = (long)sampleCount - 1;
        return (int)((2L * i * (steps - 1) + gaps) / (2 * gaps));
    }

    private static void CopyRow(double[,] states, int row, double[] destination, int offset)
    {
        for (var c = 0; c < states.GetLength(1); c++)
        {
            destination[offset + c] = states[row, c];
        }
    }
}
