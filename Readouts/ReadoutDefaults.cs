namespace Reservoir.Readouts;

/// <summary>Default values of the readout options, shared by the option records and the catalog overloads.</summary>
public static class ReadoutDefaults
{
    /// <summary>Default ridge penalty λ added to the diagonal of the normal equations (reservoirpy's <c>ridge</c>).</summary>
    public const double L2Regularization = 1e-6;

    /// <summary>Default for fitting an unregularised intercept per output (reservoirpy's <c>fit_bias</c>).</summary>
    public const bool FitIntercept = true;

    /// <summary>Default for penalising the intercept with λ as reservoirpy 0.3 does (false: the intercept is not penalised).</summary>
    public const bool RegularizeIntercept = false;

    /// <summary>Smallest ridge penalty λ of the default <see cref="RidgeCv"/> grid.</summary>
    public const double L2GridMinimum = 1e-12;

    /// <summary>Largest ridge penalty λ of the default <see cref="RidgeCv"/> grid.</summary>
    public const double L2GridMaximum = 1e2;

    /// <summary>Number of default <see cref="RidgeCv"/> grid points per decade of λ (2: half-decade steps).</summary>
    public const int L2GridPointsPerDecade = 2;

    /// <summary>Default way <see cref="RidgeCv"/> scores each λ.</summary>
    public const RidgeCvMethod CvMethod = RidgeCvMethod.TimeBlockedKFold;

    /// <summary>Default forgetting factor of <see cref="RlsReadout"/> (1: every row weighs the same).</summary>
    public const double ForgettingFactor = 1.0;

    /// <summary>Default scale s of the initial inverse-correlation matrix P₀ = s·I of <see cref="RlsReadout"/>.</summary>
    public const double InitialCovarianceScale = 1.0;

    /// <summary>Default step size μ of the normalised <see cref="LmsReadout"/>.</summary>
    public const double LearningRate = 1e-3;
}
