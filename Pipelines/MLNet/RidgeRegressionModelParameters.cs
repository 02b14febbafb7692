using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The learned parameters of <see cref="RidgeRegressionTrainer"/>: weights, intercept and the λ used.</summary>
/// <remarks>Immutable and thread-safe; <see cref="Weights"/> is a read-only view.</remarks>
public sealed class RidgeRegressionModelParameters
{
    internal RidgeRegressionModelParameters(RidgeSolution solution, RidgeCvResult? regularizationSearch)
    {
        Solution = solution;
        RegularizationSearch = regularizationSearch;
        var weights = solution.GetWeights();
        _weights = new double[weights.GetLength(1)];
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] = weights[0, i];
        }

        Weights = Array.AsReadOnly(_weights);
        Bias = solution.GetIntercept()[0];
    }

    private readonly double[] _weights;

    /// <summary>The weight of each feature.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The intercept (0 when it was not fitted).</summary>
    public double Bias { get; }

    /// <summary>The ridge penalty λ the weights were fitted with.</summary>
    public double L2Regularization => Solution.L2Regularization;

    /// <summary>The cross-validation that chose λ, or null when λ was given.</summary>
    public RidgeCvResult? RegularizationSearch { get; }

    /// <summary>The underlying readout solution.</summary>
    public RidgeSolution Solution { get; }

    /// <summary>The score of one feature vector: Bias + Σ Weights[i]·features[i].</summary>
    /// <param name="features">The features; length <see cref="Weights"/>.Count.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentException">The length is wrong.</exception>
    public double Score(ReadOnlySpan<double> features)
    {
        if (features.Length != _weights.Length)
        {
            throw new ArgumentException($"features has {features.Length} values but the model has {_weights.Length} weights.", nameof(features));
        }

        var sum = Bias;
        for (var i = 0; i < features.Length; i++)
        {
            sum += _weights[i] * features[i];
        }

        return sum;
    }
}
