namespace Reservoir;

/// <summary>Clockwork modules: units split into modules updated at different periods (Koutník et al. 2014).</summary>
/// <remarks>
/// Modules are contiguous blocks of units, fastest first. Module i is updated only at steps t with
/// t mod P_i = 0 (t counts the steps already taken by the state, so the first step updates every module)
/// and holds its state otherwise. Recurrent weights go only from slower (or the same) modules to faster
/// ones: the connections from a faster module into a slower one are removed. Leak rates apply on the
/// steps where a unit is updated.
/// </remarks>
public sealed record ClockworkOptions
{
    /// <summary>The periods P_1 &lt; P_2 &lt; … in steps, each ≥ 1 and strictly increasing.</summary>
    public required IReadOnlyList<int> Periods { get; init; }

    /// <summary>
    /// The number of units of each module (one per period, each ≥ 1, summing to the unit count);
    /// null splits the units as evenly as possible, the first modules taking the remainder.
    /// </summary>
    public IReadOnlyList<int>? ModuleSizes { get; init; }
}
