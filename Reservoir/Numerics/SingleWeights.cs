namespace Reservoir.Numerics;

/// <summary>
/// The float copies of a reservoir's weights used by the step in <see cref="Precision.Single"/>: W and every W_skip in
/// compact CSR form (sharing the row pointers and column indices of the double form), W_in and W_fb column-major, the
/// bias, the leak rates and the carry matrix C.
/// </summary>
/// <remarks>Each value is the double weight rounded to the nearest float. Immutable; built once per reservoir.</remarks>
internal sealed class SingleWeights
{
    internal SingleWeights(EchoStateReservoir reservoir)
    {
        Recurrent = new SingleRows(reservoir.CompactRecurrent);
        Skips = Array.ConvertAll(reservoir.CompactSkips, skip => new SingleRows(skip));
        Bias = SingleKernels.ToSingle(reservoir.Bias);
        InputColumns = SingleKernels.ToSingle(reservoir.InputColumns);
        FeedbackColumns = SingleKernels.ToSingle(reservoir.FeedbackColumns);
        LeakRates = SingleKernels.ToSingle(reservoir.LeakRates);
        Carry = reservoir.ComputesCarry ? new SingleRows(reservoir.CompactCarry!) : null;
    }

    /// <summary>The carry matrix C when a step computes it (<see cref="EchoStateReservoir.ComputesCarry"/>); otherwise null.</summary>
    internal SingleRows? Carry { get; }

    /// <summary>W.</summary>
    internal SingleRows Recurrent { get; }

    /// <summary>Each W_skip, in the order of <see cref="EchoStateReservoir.SkipDelays"/>.</summary>
    internal SingleRows[] Skips { get; }

    /// <summary>b, length N.</summary>
    internal float[] Bias { get; }

    /// <summary>W_in column-major: column d is [d·N, (d + 1)·N).</summary>
    internal float[] InputColumns { get; }

    /// <summary>W_fb column-major, as <see cref="InputColumns"/>.</summary>
    internal float[] FeedbackColumns { get; }

    /// <summary>α, length N.</summary>
    internal float[] LeakRates { get; }
}

/// <summary>A sparse matrix in the compact CSR form of <see cref="CompactRows"/> with float values.</summary>
internal sealed class SingleRows
{
    /// <summary>The float form of <paramref name="rows"/>: its index arrays shared, its values rounded to float.</summary>
    internal SingleRows(CompactRows rows)
    {
        RowPointers = rows.RowPointers;
        NarrowColumns = rows.NarrowColumns;
        WideColumns = rows.WideColumns;
        Values = SingleKernels.ToSingle(rows.Values);
    }

    /// <summary>Row i is [RowPointers[i], RowPointers[i + 1]).</summary>
    internal int[] RowPointers { get; }

    /// <summary>The 16-bit column indices, or null when <see cref="WideColumns"/> is used.</summary>
    internal ushort[]? NarrowColumns { get; }

    /// <summary>The 32-bit column indices, or null when <see cref="NarrowColumns"/> is used.</summary>
    internal int[]? WideColumns { get; }

    /// <summary>The stored weights, row by row, as floats.</summary>
    internal float[] Values { get; }
}
