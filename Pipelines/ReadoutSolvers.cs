using System.Diagnostics.CodeAnalysis;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Creates the ridge solver and the λ search that a network's readout options ask for.</summary>
internal static class ReadoutSolvers
{
    /// <summary>The solver for <paramref name="readout"/>, and a λ search when <paramref name="search"/> is given (with the readout's intercept setting).</summary>
    /// <exception cref="ArgumentOutOfRangeException">L2Regularization is negative or not finite.</exception>
    /// <exception cref="ArgumentException">
    /// RegularizeIntercept is true together with a λ search: the search compares λ on centred statistics with an unpenalised
    /// intercept, so it would silently fit another readout; the parameter is "RegularizeIntercept".
    /// </exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value (RegularizeIntercept), the setting the caller wrote.")]
    public static (RidgeReadout Readout, RidgeCv? Search) Create(RidgeReadoutOptions readout, RidgeCvOptions? search)
    {
        if (readout.RegularizeIntercept && search is not null)
        {
            throw new ArgumentException(
                "RegularizeIntercept = true cannot be combined with RegularizationSearch: the λ search fits a centred readout with an "
                + "unpenalised intercept. Give L2Regularization instead of a search, or set RegularizeIntercept = false.",
                nameof(readout.RegularizeIntercept));
        }

        return (new RidgeReadout(readout), search is null ? null : new RidgeCv(search with { FitIntercept = readout.FitIntercept }));
    }
}
