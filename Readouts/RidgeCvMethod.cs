namespace Reservoir.Readouts;

/// <summary>How <see cref="RidgeCv"/> scores each candidate ridge penalty λ.</summary>
public enum RidgeCvMethod
{
    /// <summary>
    /// Time-blocked k-fold cross-validation: each accumulator is one fold of blocks of time (see <see cref="TimeBlockedFolds"/>), held out in turn while the
    /// others are merged for training; the score is the held-out mean squared error.
    /// </summary>
    TimeBlockedKFold,

    /// <summary>
    /// Generalised cross-validation (Golub, Heath and Wahba 1979) on all blocks merged: n·RSS(λ)/(n − df(λ))², a
    /// rotation-invariant approximation of leave-one-out error that needs no held-out data.
    /// </summary>
    GeneralizedCrossValidation,
}
