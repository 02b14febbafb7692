namespace Reservoir.Readouts;

/// <summary>Default values of the readout options, shared by the option records and the catalog overloads.</summary>
public static class ReadoutDefaults
{
    /// <summary>Default ridge penalty λ added to the diagonal of the normal equations (reservoirpy's <c>ridge</c>).</summary>
    public const double L2Regularization = 1e-6;

    /// <summary>Default for fitting an unregularised intercept per output (reservoirpy's <c>fit_bias</c>).</summary>
    public const bool FitIntercept = true;
}
