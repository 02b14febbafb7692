using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reservoir.Readouts;

/// <summary>Views of rectangular arrays as spans: a <c>double[,]</c> is stored row-major and contiguously.</summary>
internal static class Matrices
{
    /// <summary>Returns the row-major storage of <paramref name="matrix"/> as a read-only span.</summary>
    internal static ReadOnlySpan<double> AsReadOnlySpan(double[,] matrix) => AsSpan(matrix);

    /// <summary>Returns the row-major storage of <paramref name="matrix"/> as a span.</summary>
    internal static Span<double> AsSpan(double[,] matrix) =>
        matrix.Length == 0
            ? Span<double>.Empty
            : MemoryMarshal.CreateSpan(
                ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);
}
