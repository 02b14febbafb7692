using System.Collections.Immutable;

namespace Reservoir.Readouts;

/// <summary>Hyperparameters of the automatic choice of the ridge penalty λ by <see cref="RidgeCv"/>.</summary>
/// <remarks>
/// The record is only a bag of values; <see cref="RidgeCv"/> validates (and copies) it when it is constructed. It is
/// immutable, deeply: <see cref="L2Grid"/> is an <see cref="ImmutableArray{T}"/> (write it as a collection expression,
/// <c>L2Grid = [1e-6, 1e-4]</c>), and two options with equal grids are equal and have equal hash codes.
/// </remarks>
public sealed record RidgeCvOptions
{
    private readonly EquatableArray<double>? _l2Grid;

    /// <summary>Gets the candidate ridge penalties λ.</summary>
    /// <value>
    /// At least one value, each finite and ≥ 0, in any order (they are scored in ascending order); default
    /// <see langword="null"/> (not set), which means <see cref="RidgeCv.DefaultL2Grid"/>: 29 values from 1e-12 to 1e2 in
    /// half-decade steps. λ is on the scale of the Gram matrix summed over rows, as in <see cref="RidgeReadoutOptions"/>.
    /// A <c>default</c> (uninitialised) <see cref="ImmutableArray{T}"/> is refused by <see cref="RidgeCv"/>.
    /// </value>
    public ImmutableArray<double>? L2Grid
    {
        get => _l2Grid?.Items;
        init => _l2Grid = value is { } items ? new(items) : null;
    }

    /// <summary>Gets how each λ is scored.</summary>
    /// <value>Default <see cref="RidgeCvMethod.TimeBlockedKFold"/> (<see cref="ReadoutDefaults.CvMethod"/>).</value>
    public RidgeCvMethod Method { get; init; } = ReadoutDefaults.CvMethod;

    /// <summary>Gets a value indicating whether an unregularised intercept per output is fitted.</summary>
    /// <value>Default <see cref="ReadoutDefaults.FitIntercept"/> (<see langword="true"/>).</value>
    public bool FitIntercept { get; init; } = ReadoutDefaults.FitIntercept;
}
