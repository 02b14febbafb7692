using System.Diagnostics;

namespace Reservoir.Numerics;

/// <summary>
/// The kernels' copy of a sparse matrix in CSR form with the narrowest column index that fits: 16-bit when the
/// matrix has at most 65 536 columns, 32-bit otherwise.
/// </summary>
/// <remarks>
/// A step streams every stored weight once, so the bytes per non-zero set its speed once W leaves the L1 cache:
/// 16-bit indices make that 10 bytes instead of 12. Exactly one of <see cref="NarrowColumns"/> and
/// <see cref="WideColumns"/> is non-null. Immutable; built once per reservoir.
/// </remarks>
internal sealed class CompactRows
{
    /// <summary>The largest column count stored with 16-bit indices.</summary>
    internal const int MaxNarrowColumns = ushort.MaxValue + 1;

    private CompactRows(int rowCount, int[] rowPointers, ushort[]? narrow, int[]? wide, double[] values)
    {
        RowCount = rowCount;
        RowPointers = rowPointers;
        NarrowColumns = narrow;
        WideColumns = wide;
        Values = values;
    }

    /// <summary>The number of rows.</summary>
    internal int RowCount { get; }

    /// <summary>RowCount + 1 offsets into the columns and values; row i is [RowPointers[i], RowPointers[i + 1]).</summary>
    internal int[] RowPointers { get; }

    /// <summary>The column indices as 16-bit values, or null when the wide form is used.</summary>
    internal ushort[]? NarrowColumns { get; }

    /// <summary>The column indices as 32-bit values, or null when the narrow form is used.</summary>
    internal int[]? WideColumns { get; }

    /// <summary>The stored weights, row by row.</summary>
    internal double[] Values { get; }

    /// <summary>The number of stored weights.</summary>
    internal int NonZeroCount => Values.Length;

    /// <summary>A compact copy of <paramref name="weights"/>.</summary>
    /// <param name="weights">The matrix.</param>
    /// <param name="forceWide">True keeps 32-bit indices whatever the size (for tests of that path).</param>
    internal static CompactRows From(SparseWeights weights, bool forceWide = false)
    {
        var rowPointers = weights.RowPointers.ToArray();
        var values = weights.Values.ToArray();
        var columns = weights.ColumnIndices;
        if (!forceWide && weights.ColumnCount <= MaxNarrowColumns)
        {
            var narrow = new ushort[columns.Length];
            for (var k = 0; k < narrow.Length; k++)
            {
                Debug.Assert((uint)columns[k] < MaxNarrowColumns);
                narrow[k] = (ushort)columns[k];
            }

            return new CompactRows(weights.RowCount, rowPointers, narrow, null, values);
        }

        return new CompactRows(weights.RowCount, rowPointers, null, columns.ToArray(), values);
    }

    /// <summary>The number of stored weights in rows [start, end).</summary>
    internal int NonZerosIn(int start, int end) => RowPointers[end] - RowPointers[start];
}
