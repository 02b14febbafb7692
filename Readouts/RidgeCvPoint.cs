namespace Reservoir.Readouts;

/// <summary>One point of a validation curve: a ridge penalty and the error it scored.</summary>
/// <param name="L2Regularization">The ridge penalty λ, ≥ 0.</param>
/// <param name="ValidationError">
/// The score, ≥ 0 (lower is better): the held-out mean squared error per target for
/// <see cref="RidgeCvMethod.TimeBlockedKFold"/>, the GCV value for <see cref="RidgeCvMethod.GeneralizedCrossValidation"/>
/// (+∞ when the effective degrees of freedom reach the row count).
/// </param>
public readonly record struct RidgeCvPoint(double L2Regularization, double ValidationError);
