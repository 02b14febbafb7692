using System.Globalization;

namespace Reservoir;

/// <summary>The largest sizes the toolkit accepts, all derived from one memory budget.</summary>
/// <remarks>
/// <para>
/// A size that would need more than <see cref="MemoryBudgetBytes"/> is refused where the options are consumed, before
/// anything large is allocated, with an <see cref="ArgumentOutOfRangeException"/> that names the option, its value and
/// the memory it would need. Without the check such a size allocates until the process runs out of memory, or an
/// <see cref="int"/> product wraps around and a buffer of the wrong size is allocated.
/// </para>
/// <para>
/// The estimate of a reservoir counts its stored weights at <see cref="BytesPerWeight"/> bytes each (the expected
/// number, p·N² for a connectivity p or k·N for a fixed in-degree k; N² for <see cref="ReservoirTopology.Orthogonal"/>,
/// plus three dense N×N matrices of doubles while it is computed), <see cref="BytesPerUnit"/> bytes per unit, the
/// dense input and feedback weights (8 bytes per entry, twice while they are drawn) and one state's delay buffer
/// (8·N bytes per step of the longest skip delay), and in <see cref="Precision.Single"/> the float copies
/// (<see cref="SingleBytesPerWeight"/>, <see cref="SingleBytesPerUnit"/>). It is an upper estimate of what building and running one state
/// takes; it does not count the caller's data.
/// </para>
/// </remarks>
public static class ReservoirLimits
{
    /// <summary>The memory one reservoir (weights, one state and the work of building it) or one generated block of values may need: 4 GiB.</summary>
    /// <remarks>Four times the 1 GB within which a reservoir of 100 000 units with 10 inputs per unit must build and run (it allocates about 125 MiB), and below what a 64-bit process on an ordinary machine can allocate.</remarks>
    public const long MemoryBudgetBytes = 4L << 30;

    /// <summary>The bytes counted per stored recurrent or skip weight: 12 in compressed rows, up to 12 in the step engine's copy, 12 more while it is drawn.</summary>
    public const int BytesPerWeight = 36;

    /// <summary>The bytes counted in addition per stored recurrent or skip weight in <see cref="Precision.Single"/>: its float copy.</summary>
    public const int SingleBytesPerWeight = 4;

    /// <summary>
    /// The bytes counted in addition per unit in <see cref="Precision.Single"/>: the float bias, leak rate, state and
    /// pre-activation; each input, fed-back output and skip connection adds 4 bytes per unit more (the float W_in and W_fb
    /// columns and delayed states).
    /// </summary>
    public const int SingleBytesPerUnit = 16;

    /// <summary>The bytes counted per unit: the state, its scratch, the leak rates, the bias, the row pointers and the 63 vectors of the spectral-radius iteration.</summary>
    public const int BytesPerUnit = 640;

    /// <summary>The largest number of values one generated series or forecast may hold: <see cref="MemoryBudgetBytes"/> / 8 (536 870 912).</summary>
    public const int MaxGeneratedValues = (int)(MemoryBudgetBytes / sizeof(double));

    /// <summary>Formats a byte count for a message: "5.6 GiB".</summary>
    internal static string FormatBytes(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0
            ? ((long)bytes).ToString(CultureInfo.InvariantCulture) + " bytes"
            : bytes.ToString(bytes < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>The budget as a message fragment.</summary>
    internal static string Budget => $"the limit of {FormatBytes(MemoryBudgetBytes)} (ReservoirLimits.MemoryBudgetBytes)";

    /// <summary>Throws unless <paramref name="count"/> values of <paramref name="width"/> doubles each fit in the budget (and in one array).</summary>
    /// <param name="count">The number of rows asked for (a length or horizon), already known to be ≥ 1.</param>
    /// <param name="width">The doubles per row, ≥ 1.</param>
    /// <param name="name">The parameter that holds <paramref name="count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">count·width exceeds <see cref="MaxGeneratedValues"/>.</exception>
    internal static void CheckGenerated(int count, int width, string name)
    {
        var values = (long)count * width;
        if (values > MaxGeneratedValues)
        {
            throw new ArgumentOutOfRangeException(name, count,
                $"{name} = {count} asks for {values} values of 8 bytes ({FormatBytes(values * 8.0)}), more than {Budget}, which allows {MaxGeneratedValues / width} rows of {width}; lower {name}.");
        }
    }
}
