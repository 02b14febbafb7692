using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Reservoir.Numerics;

/// <summary>
/// tanh of eight doubles at a time in 512-bit registers, written out so that it inlines into the step's loops: the same
/// operations, in the same order, as the 512-bit path of <c>TensorPrimitives.Tanh</c>, so the same bits.
/// </summary>
/// <remarks>
/// <para>
/// <b>Algorithm</b> (that of <c>TensorPrimitives.Tanh</c> for doubles, itself after AMD AOCL-LibM's <c>vrs4_tanhf</c> and
/// <c>vrd2_exp</c>): y = |x|, z = e^(−2y) − 1, tanh x = sign(x)·(−z / (z + 2)). The exponential reduces
/// a = −2y as n = round(a/ln 2), r = a − n·ln 2 (ln 2 in two parts), and evaluates a degree-12 polynomial in r by
/// fused multiply-adds, scaled by 2^n. Each multiply-add is fused, as <c>MultiplyAddEstimate</c> is on processors with
/// FMA; <see cref="IsSupported"/> demands 512-bit vectors and FMA, so elsewhere the callers use
/// <c>TensorPrimitives.Tanh</c> itself.
/// </para>
/// <para>
/// <b>Where it differs.</b> For |x| &gt; 354 (e^(−2y) below the polynomial's range) <c>TensorPrimitives.Tanh</c> computes
/// all eight lanes of that vector with the scalar exponential, so a value's last bit there depends on its neighbours.
/// Here every lane is independent: such lanes are exactly ±1 (what the scalar route gives them) and the others keep the
/// polynomial. So the result of a value never depends on how values are grouped into vectors (one sequence's units, or
/// one unit of eight sequences), and where no value exceeds 354 in magnitude, as in any reservoir that is not driven far
/// into saturation, both give the same bits (tested).
/// </para>
/// </remarks>
internal static class VectorTanh
{
    /// <summary>The largest |x| whose e^(−2|x|) the polynomial covers (|−2x| ≤ 708).</summary>
    private const double MaxPolynomialInput = 354.0;

    /// <summary>
    /// Whether the kernel runs here (512-bit vectors and FMA accelerated). Tests and benchmarks may switch it off to reach the
    /// <c>TensorPrimitives.Tanh</c> path; both give the same bits for |x| ≤ 354.
    /// </summary>
    internal static bool IsSupported { get; set; } = Vector512.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>values[i] = tanh(values[i]) in place, by the kernel where <see cref="IsSupported"/>, otherwise by <c>TensorPrimitives.Tanh</c> (padded as <see cref="ReservoirKernels.Activate"/> describes).</summary>
    internal static void Apply(Span<double> values)
    {
        if (!IsSupported)
        {
            ApplyTensorPrimitives(values);
            return;
        }

        const int W = 8;
        ref var v = ref MemoryMarshal.GetReference(values);
        var i = 0;
        for (; i + W <= values.Length; i += W)
        {
            Tanh(Vector512.LoadUnsafe(ref v, (nuint)i)).StoreUnsafe(ref v, (nuint)i);
        }

        if (i < values.Length)
        {
            Span<double> tail = stackalloc double[W];
            tail.Clear();
            values[i..].CopyTo(tail);
            Tanh(Vector512.Create<double>(tail)).CopyTo(tail);
            tail[..(values.Length - i)].CopyTo(values[i..]);
        }
    }

    /// <summary>tanh of each lane (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Tanh(Vector512<double> x)
    {
        var y = Vector512.Abs(x);
        var z = Exp(Vector512.Create(-2.0) * y) - Vector512<double>.One;
        var sign = x.AsUInt64() & Vector512.Create(0x8000_0000_0000_0000UL);
        var polynomial = (sign ^ (-z / (z + Vector512.Create(2.0))).AsUInt64()).AsDouble();
        var saturated = (sign | Vector512<double>.One.AsUInt64()).AsDouble();
        return Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512.Create(MaxPolynomialInput)), saturated, polynomial);
    }

    /// <summary>e^a for a in [−708, 708] (lanes outside give meaningless values, which <see cref="Tanh"/> replaces).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Exp(Vector512<double> a)
    {
        const double RoundingShift = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer held in the low bits
        var shifted = MultiplyAdd(a, 1.4426950408889634, Vector512.Create(RoundingShift));
        var n = shifted.AsUInt64();
        var dn = shifted - Vector512.Create(RoundingShift);
        var r = MultiplyAdd(dn, 0.00021219444005469057, MultiplyAdd(dn, -355.0 / 512.0, a));
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var high = Vector512.FusedMultiplyAdd(MultiplyAdd(2.499430431958571E-08, r, 2.7632293298250954E-07), r2,
            MultiplyAdd(2.7557622532543023E-06, r, 2.4801486521374483E-05));
        var middle = Vector512.FusedMultiplyAdd(MultiplyAdd(0.00019841269432677495, r, 0.001388888895122404), r2,
            MultiplyAdd(0.008333333333559272, r, 0.04166666666649277));
        var low = Vector512.FusedMultiplyAdd(MultiplyAdd(0.1666666666666617, r, 0.5000000000000018), r2, r + Vector512<double>.One);
        var polynomial = Vector512.FusedMultiplyAdd(high, r8, Vector512.FusedMultiplyAdd(middle, r4, low));
        return polynomial * ((n + Vector512.Create(1023UL)) << 52).AsDouble();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MultiplyAdd(Vector512<double> a, double b, Vector512<double> c) =>
        Vector512.FusedMultiplyAdd(a, Vector512.Create(b), c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MultiplyAdd(double a, Vector512<double> b, double c) =>
        Vector512.FusedMultiplyAdd(Vector512.Create(a), b, Vector512.Create(c));

    /// <summary><c>TensorPrimitives.Tanh</c> in place, spans shorter than <see cref="ReservoirKernels.MinActivationLength"/> padded so that every value takes the vector code.</summary>
    private static void ApplyTensorPrimitives(Span<double> values)
    {
        if (values.Length >= ReservoirKernels.MinActivationLength)
        {
            TensorPrimitives.Tanh(values, values);
            return;
        }

        Debug.Assert(values.Length < ReservoirKernels.MinActivationLength);
        Span<double> padded = stackalloc double[ReservoirKernels.MinActivationLength];
        padded.Clear();
        values.CopyTo(padded);
        TensorPrimitives.Tanh(padded, padded);
        padded[..values.Length].CopyTo(values);
    }
}
