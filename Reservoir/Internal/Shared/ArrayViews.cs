using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reservoir;

/// <summary>Views of rectangular arrays as contiguous row-major spans.</summary>
/// <remarks>Compiled into both the Reservoir and the Readouts assemblies (linked, not referenced).</remarks>
internal static class ArrayViews
{
    /// <summary>The whole array as one row-major span (a <c>double[,]</c> is stored row-major and contiguously).</summary>
    internal static Span<double> AsSpan(this double[,] array) =>
        array.Length == 0
            ? Span<double>.Empty
            : MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>A values.Length × 1 matrix holding <paramref name="values"/> (a univariate sequence as a T×1 matrix).</summary>
    internal static double[,] ToColumn(this double[] values)
    {
        var column = new double[values.Length, 1];
        values.CopyTo(column.AsSpan());
        return column;
    }

    /// <summary>Row <paramref name="row"/> of the array.</summary>
    internal static Span<double> Row(this double[,] array, int row)
    {
        var columns = array.GetLength(1);
        return array.AsSpan().Slice(row * columns, columns);
    }
}
