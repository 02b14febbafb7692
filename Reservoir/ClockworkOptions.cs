using System.Collections.Immutable;

namespace Reservoir;

/// <summary>Clockwork modules: units split into modules updated at different periods (Koutník et al. 2014).</summary>
/// <remarks>
/// Modules are contiguous blocks of units, fastest first. Module i is updated only at steps t with
/// t mod P_i = 0 (t counts the steps already taken by the state, so the first step updates every module)
/// and holds its state otherwise. Recurrent weights go only from slower (or the same) modules to faster
/// ones: the connections from a faster module into a slower one are removed. Leak rates apply on the
/// steps where a unit is updated.
/// <para>
/// The record is immutable, deeply, and two options with equal periods and module sizes are equal; see
/// <see cref="ReservoirOptions"/> for how collections are written and how "not set" is expressed.
/// </para>
/// </remarks>
public sealed record ClockworkOptions
{
    private readonly EquatableArray<int> _periods;
    private readonly EquatableArray<int>? _moduleSizes;

    /// <summary>The periods P_1 &lt; P_2 &lt; … in steps, each ≥ 1 and strictly increasing.</summary>
    public required ImmutableArray<int> Periods
    {
        get => _periods.Items;
        init => _periods = new(value);
    }

    /// <summary>
    /// The number of units of each module (one per period, each ≥ 1, summing to the unit count);
    /// null (the default) splits the units as evenly as possible, the first modules taking the remainder.
    /// </summary>
    public ImmutableArray<int>? ModuleSizes
    {
        get => _moduleSizes?.Items;
        init => _moduleSizes = value is { } items ? new(items) : null;
    }

    /// <summary>These options with both arrays copied, so that they share no storage with the caller's.</summary>
    internal ClockworkOptions Copy() => this with
    {
        Periods = ImmutableArrays.Copy(Periods),
        ModuleSizes = ModuleSizes is { } sizes ? ImmutableArrays.Copy(sizes) : null,
    };
}
