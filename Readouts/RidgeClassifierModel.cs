using System.Buffers;

namespace Reservoir.Readouts;

/// <summary>A fitted linear classifier: one score per class, and the class with the highest score wins.</summary>
/// <remarks>
/// The scores are the outputs of <see cref="Scores"/> (a ridge fit of one-hot class indicators, so they are roughly
/// class-membership estimates, not probabilities). Ties go to the lowest class index. Instances are immutable and
/// thread-safe.
/// </remarks>
public sealed class RidgeClassifierModel
{
    private const int StackScores = 128;

    /// <summary>Initializes a new instance of the <see cref="RidgeClassifierModel"/> class from per-class score weights.</summary>
    /// <param name="scores">A readout with one output per class (at least 2); kept by reference, as it is immutable.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="scores"/> has fewer than 2 outputs.</exception>
    public RidgeClassifierModel(RidgeSolution scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.TargetCount < 2)
        {
            throw new ArgumentException(
                $"scores has {scores.TargetCount} output(s); a classifier needs one per class and at least 2 classes.", nameof(scores));
        }

        Scores = scores;
    }

    /// <summary>Gets the number of classes C.</summary>
    public int ClassCount => Scores.TargetCount;

    /// <summary>Gets the number of features D per row.</summary>
    public int FeatureCount => Scores.FeatureCount;

    /// <summary>Gets the linear readout that computes one score per class.</summary>
    public RidgeSolution Scores { get; }

    /// <summary>Predicts the class of one row of features.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values; all finite.</param>
    /// <returns>The class with the highest score, in [0, <see cref="ClassCount"/>); ties go to the lowest index.</returns>
    /// <exception cref="ArgumentException"><paramref name="features"/> has the wrong length or holds a NaN or infinite value.</exception>
    public int Predict(ReadOnlySpan<double> features)
    {
        CheckRow(features);
        double[]? rented = null;
        var scores = ClassCount <= StackScores
            ? stackalloc double[ClassCount]
            : (rented = ArrayPool<double>.Shared.Rent(ClassCount)).AsSpan(0, ClassCount);
        try
        {
            Scores.Predict(features, scores);
            return ArgMax(scores);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Computes the score of every class for one row of features without allocating.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values, finite (a non-finite score throws, as <see cref="RidgeSolution.Predict(ReadOnlySpan{double}, Span{double})"/> does).</param>
    /// <param name="output">Receives the <see cref="ClassCount"/> scores.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> or <paramref name="output"/> has the wrong length.</exception>
    public void PredictScores(ReadOnlySpan<double> features, Span<double> output) => Scores.Predict(features, output);

    /// <summary>Predicts the class of every row of a feature matrix.</summary>
    /// <param name="features">A rows × <see cref="FeatureCount"/> matrix (rows may be 0); all finite.</param>
    /// <returns>A new array with one class per row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="features"/> has the wrong number of columns or holds a NaN or infinite value.</exception>
    public int[] Predict(double[,] features)
    {
        var scores = ScoreRows(features, requireRows: false);
        var classes = new int[scores.GetLength(0)];
        var flat = scores.AsSpan();
        for (var r = 0; r < classes.Length; r++)
        {
            classes[r] = ArgMax(flat.Slice(r * ClassCount, ClassCount));
        }

        return classes;
    }

    /// <summary>Classifies a whole sequence by majority vote of the per-step predictions.</summary>
    /// <param name="stepFeatures">The steps × <see cref="FeatureCount"/> features of one sequence, at least one step; all finite.</param>
    /// <returns>
    /// The class predicted at the most steps; a tie in votes goes to the tied class with the highest score summed over all
    /// steps, and a remaining tie to the lowest index.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="stepFeatures"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="stepFeatures"/> has no rows, the wrong number of columns, or a NaN or infinite value.
    /// </exception>
    public int PredictByVoting(double[,] stepFeatures)
    {
        var scores = ScoreRows(stepFeatures, requireRows: true);
        var votes = new int[ClassCount];
        var sums = new double[ClassCount];
        var flat = scores.AsSpan();
        for (var r = 0; r < scores.GetLength(0); r++)
        {
            var row = flat.Slice(r * ClassCount, ClassCount);
            votes[ArgMax(row)]++;
            for (var c = 0; c < ClassCount; c++)
            {
                sums[c] += row[c];
            }
        }

        var best = 0;
        for (var c = 1; c < ClassCount; c++)
        {
            if (votes[c] > votes[best] || (votes[c] == votes[best] && sums[c] > sums[best]))
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Classifies a whole sequence by the class with the highest score averaged over its steps.</summary>
    /// <param name="stepFeatures">The steps × <see cref="FeatureCount"/> features of one sequence, at least one step; all finite.</param>
    /// <returns>The class with the highest mean score; ties go to the lowest index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stepFeatures"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="stepFeatures"/> has no rows, the wrong number of columns, or a NaN or infinite value.
    /// </exception>
    public int PredictByMeanScore(double[,] stepFeatures)
    {
        var scores = ScoreRows(stepFeatures, requireRows: true);
        var sums = new double[ClassCount];
        var flat = scores.AsSpan();
        for (var r = 0; r < scores.GetLength(0); r++)
        {
            for (var c = 0; c < ClassCount; c++)
            {
                sums[c] += flat[r * ClassCount + c];
            }
        }

        // The mean is the sum over a common number of steps: the same argmax.
        return ArgMax(sums);
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private void CheckRow(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException(
                $"features has {features.Length} values but the classifier was trained on {FeatureCount}.", nameof(features));
        }

        Guard.AllFinite(features);
    }

    private double[,] ScoreRows(double[,] features, bool requireRows, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(features))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(features, name);
        if (features.GetLength(1) != FeatureCount)
        {
            throw new ArgumentException(
                $"{name} has {features.GetLength(1)} columns but the classifier was trained on {FeatureCount}.", name);
        }

        if (requireRows && features.GetLength(0) == 0)
        {
            throw new ArgumentException($"{name} has no rows; a sequence needs at least one step.", name);
        }

        Guard.AllFinite(features, name);
        return Scores.Predict(features);
    }
}
