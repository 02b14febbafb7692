using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reservoir;

/// <summary>Views of rectangular arrays as contiguous row-major spans.</summary>
internal static class ArrayViews
{
    /// <summary>The whole array as one row-major span.</summary>
    internal static Span<double> AsSpan(this double[,] array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>Row <paramref name="row"/> of the array.</summary>
    internal static Span<double> Row(this double[,] array, int row)
    {
        var columns = array.GetLength(1);
        return array.AsSpan().Slice(row * columns, columns);
    }
}
