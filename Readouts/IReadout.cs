namespace Reservoir.Readouts;

/// <summary>A trained (or training) readout that maps one row of features to its outputs.</summary>
/// <remarks>
/// Implemented by the closed-form <see cref="RidgeSolution"/> and the online <see cref="RlsReadout"/> and
/// <see cref="LmsReadout"/>. <see cref="Predict"/> must not allocate; whether it is thread-safe depends on the
/// implementation (immutable solutions are, online readouts are not while they are being updated).
/// </remarks>
public interface IReadout
{
    /// <summary>Gets the number of features D the readout expects per row.</summary>
    int FeatureCount { get; }

    /// <summary>Gets the number of outputs K the readout produces per row.</summary>
    int TargetCount { get; }

    /// <summary>Computes the outputs for one row of features without allocating.</summary>
    /// <param name="features">The <see cref="FeatureCount"/> feature values.</param>
    /// <param name="output">Receives the <see cref="TargetCount"/> outputs.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> or <paramref name="output"/> has the wrong length.</exception>
    void Predict(ReadOnlySpan<double> features, Span<double> output);
}
