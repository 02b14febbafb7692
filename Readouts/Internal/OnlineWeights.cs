using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>The weights shared by the online readouts: K rows of D feature weights plus an optional intercept weight.</summary>
/// <remarks>Row t of <see cref="Weights"/> holds w_t (length <see cref="Width"/>); with an intercept its last entry is b_t.</remarks>
internal sealed class OnlineWeights
{
    /// <summary>Largest feature count whose augmented square matrix fits in one array with int indexing.</summary>
    internal const int MaxFeatureCount = 46339;

    internal OnlineWeights(int featureCount, int targetCount, bool fitIntercept)
    {
        Guard.AtLeast(featureCount, 1);
        Guard.AtLeast(targetCount, 1);
        if (featureCount > MaxFeatureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount,
                $"featureCount must be <= {MaxFeatureCount} so that the weights fit in one array; was {featureCount}.");
        }

        var width = featureCount + (fitIntercept ? 1 : 0);
        if ((long)width * targetCount > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount,
                $"(featureCount + intercept) × targetCount must be <= {int.MaxValue}; was {width} × {targetCount}.");
        }

        FeatureCount = featureCount;
        TargetCount = targetCount;
        FitIntercept = fitIntercept;
        Width = width;
        Weights = new double[width * targetCount];
        Augmented = new double[width];
        Errors = new double[targetCount];
    }

    internal int FeatureCount { get; }

    internal int TargetCount { get; }

    internal bool FitIntercept { get; }

    /// <summary>Gets D plus 1 with an intercept.</summary>
    internal int Width { get; }

    /// <summary>Gets the row-major K × <see cref="Width"/> weights.</summary>
    internal double[] Weights { get; }

    /// <summary>Gets scratch for the features with the constant 1 appended.</summary>
    internal double[] Augmented { get; }

    /// <summary>Gets scratch for the a-priori errors y − ŷ of the current row.</summary>
    internal double[] Errors { get; }

    /// <summary>Validates one training row, copies the augmented features and computes the a-priori errors, allocating nothing.</summary>
    internal void Prepare(ReadOnlySpan<double> features, ReadOnlySpan<double> targets)
    {
        CheckLength(features, FeatureCount, nameof(features), "features");
        CheckLength(targets, TargetCount, nameof(targets), "targets");
        CheckFinite(features, nameof(features));
        CheckFinite(targets, nameof(targets));

        features.CopyTo(Augmented);
        if (FitIntercept)
        {
            Augmented[FeatureCount] = 1;
        }

        for (var t = 0; t < TargetCount; t++)
        {
            Errors[t] = targets[t] - TensorPrimitives.Dot<double>(Weights.AsSpan(t * Width, Width), Augmented);
        }
    }

    /// <summary>ŷ_t = w_tᵀx + b_t for one row, allocating nothing.</summary>
    internal void Predict(ReadOnlySpan<double> features, Span<double> output)
    {
        CheckLength(features, FeatureCount, nameof(features), "features");
        if (output.Length != TargetCount)
        {
            throw new ArgumentException(
                $"output has {output.Length} values but the readout has {TargetCount} outputs.", nameof(output));
        }

        for (var t = 0; t < TargetCount; t++)
        {
            var row = Weights.AsSpan(t * Width, Width);
            var value = TensorPrimitives.Dot(row[..FeatureCount], features);
            output[t] = FitIntercept ? value + row[FeatureCount] : value;
        }

        OutputCheck.ThrowIfNotFinite(output, features, Weights);
    }

    /// <summary>Copies the current weights into an immutable solution.</summary>
    internal RidgeSolution ToSolution(double l2Regularization)
    {
        var weights = new double[TargetCount * FeatureCount];
        var intercept = new double[TargetCount];
        for (var t = 0; t < TargetCount; t++)
        {
            Weights.AsSpan(t * Width, FeatureCount).CopyTo(weights.AsSpan(t * FeatureCount, FeatureCount));
            intercept[t] = FitIntercept ? Weights[t * Width + FeatureCount] : 0;
        }

        return new RidgeSolution(weights, intercept, FeatureCount, l2Regularization);
    }

    private static void CheckLength(ReadOnlySpan<double> values, int expected, string name, string what)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException(
                $"{what} has {values.Length} values but the readout was built for {expected}.", name);
        }
    }

    private static void CheckFinite(ReadOnlySpan<double> values, string name)
    {
        if (!TensorPrimitives.IsFiniteAll(values))
        {
            Guard.AllFinite(values, name);
        }
    }
}
