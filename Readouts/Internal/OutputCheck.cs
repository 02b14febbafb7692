namespace Reservoir.Readouts;

/// <summary>The finiteness check that every readout's prediction ends with: a scan of the outputs, and a message naming the cause when one is not finite.</summary>
internal static class OutputCheck
{
    /// <summary>Throws unless every output is finite; allocates nothing when they are.</summary>
    /// <param name="output">The outputs just computed.</param>
    /// <param name="features">The features they were computed from.</param>
    /// <param name="weights">The weights of the readout, for the message.</param>
    /// <exception cref="ArgumentException">A feature is NaN or infinite (the caller's data).</exception>
    /// <exception cref="InvalidOperationException">Every feature is finite but an output overflowed (the readout's weights).</exception>
    internal static void ThrowIfNotFinite(ReadOnlySpan<double> output, ReadOnlySpan<double> features, ReadOnlySpan<double> weights)
    {
        for (var k = 0; k < output.Length; k++)
        {
            if (!double.IsFinite(output[k]))
            {
                Throw(k, output[k], features, weights);
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Throw(int k, double value, ReadOnlySpan<double> features, ReadOnlySpan<double> weights)
    {
        for (var i = 0; i < features.Length; i++)
        {
            if (!double.IsFinite(features[i]))
            {
                throw new ArgumentException(
                    $"features contains {Guard.Format(features[i])} at index {i}, so output {k} is {Guard.Format(value)}; every feature must be finite.",
                    nameof(features));
            }
        }

        throw new InvalidOperationException(
            $"Output {k} of the readout is {Guard.Format(value)} although every feature is finite: the sum of the weights times the features "
            + $"leaves the range of a double (largest |weight| {Guard.Format(MaxMagnitude(weights))}, largest |feature| {Guard.Format(MaxMagnitude(features))}). "
            + "The readout's weights are too large for these features; refit it (with a larger L2Regularization) or check the model file.");
    }

    private static double MaxMagnitude(ReadOnlySpan<double> values) =>
        values.IsEmpty ? 0 : Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(values));
}
