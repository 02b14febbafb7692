using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Reservoir.Readouts;

/// <summary>The two CBLAS routines the readouts use (<c>cblas_dsyrk</c>, <c>cblas_dgemm</c>), resolved from a native BLAS library at run time.</summary>
/// <remarks>
/// <para>
/// The library is opened with <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> and the routines are called
/// through unmanaged function pointers, so nothing is needed at build time and a machine without a BLAS simply gets
/// the managed kernels. The library is never unloaded.
/// </para>
/// <para>
/// Only the LP64 interface (32-bit integers) is declared. A library that exports the same names with 64-bit integers
/// (an ILP64 build, or MKL with <c>MKL_INTERFACE_LAYER=ILP64</c>) would read garbage, so <see cref="TryLoad"/> checks
/// a small product with a known answer and rejects the library when it is wrong.
/// </para>
/// <para>
/// Thread safety: instances are immutable. Concurrent calls are safe when the library is (Intel MKL, and OpenBLAS
/// builds with threading or locking, such as Debian's <c>libopenblas0-pthread</c>, are).
/// </para>
/// </remarks>
internal sealed unsafe class NativeBlas
{
    private const int RowMajor = 101;
    private const int NoTranspose = 111;
    private const int Transpose = 112;
    private const int Upper = 121;

    private readonly delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void> _dsyrk;
    private readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> _dgemm;

    private NativeBlas(LinearAlgebraProvider provider, string libraryName, IntPtr dsyrk, IntPtr dgemm, string? coreName = null)
    {
        Provider = provider;
        LibraryName = libraryName;
        CoreName = coreName;
        _dsyrk = (delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)dsyrk;
        _dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)dgemm;
    }

    /// <summary>Gets the kind of library (MKL, OpenBLAS or the system BLAS).</summary>
    public LinearAlgebraProvider Provider { get; }

    /// <summary>Gets the file name that was loaded, for example <c>libopenblas.so.0</c>.</summary>
    public string LibraryName { get; }

    /// <summary>Gets the kernel target the library reports (OpenBLAS's <c>openblas_get_corename</c>, for example "Haswell", "SkylakeX" or "Prescott"), or <see langword="null"/> when it exports no such report.</summary>
    public string? CoreName { get; }

    /// <summary>Library file names tried for a provider, in order.</summary>
    /// <param name="provider">A native provider.</param>
    /// <returns>The names passed to the dynamic loader.</returns>
    internal static string[] CandidateNames(LinearAlgebraProvider provider) => provider switch
    {
        LinearAlgebraProvider.Mkl => OperatingSystem.IsWindows() ? ["mkl_rt.2.dll", "mkl_rt.dll"]
            : OperatingSystem.IsMacOS() ? ["libmkl_rt.dylib", "libmkl_rt.2.dylib"]
            : ["libmkl_rt.so", "libmkl_rt.so.2"],
        LinearAlgebraProvider.OpenBlas => OperatingSystem.IsWindows() ? ["libopenblas.dll", "openblas.dll"]
            : OperatingSystem.IsMacOS() ? ["libopenblas.0.dylib", "libopenblas.dylib"]
            : ["libopenblas.so.0", "libopenblas.so"],
        LinearAlgebraProvider.System => OperatingSystem.IsWindows() ? ["cblas.dll", "blas.dll"]
            : OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/Accelerate.framework/Accelerate", "libblas.3.dylib"]
            : ["libblas.so.3", "libcblas.so.3"],
        _ => [],
    };

    /// <summary>Loads the first library of a provider that exports both routines and passes the known-product check.</summary>
    /// <param name="provider">A native provider (not <see cref="LinearAlgebraProvider.Managed"/> or <see cref="LinearAlgebraProvider.Automatic"/>).</param>
    /// <param name="failure">When <see langword="null"/> is returned, why (one line).</param>
    /// <returns>The loaded routines, or <see langword="null"/>.</returns>
    internal static NativeBlas? TryLoad(LinearAlgebraProvider provider, out string failure)
    {
        var names = CandidateNames(provider);
        failure = $"none of {string.Join(", ", names)} could be loaded";
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(NativeBlas).Assembly, null, out var handle))
            {
                continue;
            }

            if (!NativeLibrary.TryGetExport(handle, "cblas_dsyrk", out var dsyrk)
                || !NativeLibrary.TryGetExport(handle, "cblas_dgemm", out var dgemm))
            {
                failure = $"{name} does not export cblas_dsyrk and cblas_dgemm";
                continue;
            }

            var blas = new NativeBlas(provider, name, dsyrk, dgemm, ReadCoreName(handle));
            if (!blas.ComputesKnownProducts())
            {
                failure = $"{name} gave a wrong answer for a known product (an ILP64 build?)";
                continue;
            }

            failure = string.Empty;
            return blas;
        }

        return null;
    }

    /// <summary>Reads OpenBLAS's report of the kernel target it chose for this processor, if the library exports one.</summary>
    private static string? ReadCoreName(IntPtr handle)
    {
        if (!NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var export))
        {
            return null;
        }

        var name = ((delegate* unmanaged<byte*>)export)();
        return name is null ? null : Marshal.PtrToStringUTF8((IntPtr)name)?.Trim();
    }

    /// <summary>Adds AᵀA to the upper triangle of a row-major n × n matrix C, where A is a row-major k × n matrix (<c>cblas_dsyrk</c>).</summary>
    /// <param name="n">Order of C (columns of A), ≥ 1.</param>
    /// <param name="k">Rows of A, ≥ 1.</param>
    /// <param name="a">The k × n matrix, row-major.</param>
    /// <param name="c">The n × n matrix, row-major; only entries j ≥ i are read and written.</param>
    public void SyrkUpperTransposed(int n, int k, ReadOnlySpan<double> a, Span<double> c)
    {
        Debug.Assert(n >= 1 && k >= 1 && a.Length >= (long)k * n && c.Length >= (long)n * n);
        fixed (double* aPointer = a)
        fixed (double* cPointer = c)
        {
            _dsyrk(RowMajor, Upper, Transpose, n, k, 1.0, aPointer, n, 1.0, cPointer, n);
        }
    }

    /// <summary>Adds AᵀB to a row-major m × n matrix C, where A is row-major k × m and B row-major k × n (<c>cblas_dgemm</c>).</summary>
    /// <param name="m">Rows of C (columns of A), ≥ 1.</param>
    /// <param name="n">Columns of C (columns of B), ≥ 1.</param>
    /// <param name="k">Rows of A and B, ≥ 1.</param>
    /// <param name="a">The k × m matrix, row-major.</param>
    /// <param name="b">The k × n matrix, row-major.</param>
    /// <param name="c">The m × n matrix, row-major.</param>
    public void GemmTransposedA(int m, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        Debug.Assert(m >= 1 && n >= 1 && k >= 1);
        Debug.Assert(a.Length >= (long)k * m && b.Length >= (long)k * n && c.Length >= (long)m * n);
        fixed (double* aPointer = a)
        fixed (double* bPointer = b)
        fixed (double* cPointer = c)
        {
            _dgemm(RowMajor, Transpose, NoTranspose, m, n, k, 1.0, aPointer, m, bPointer, n, 1.0, cPointer, n);
        }
    }

    /// <summary>Checks both routines on a 3 × 5 matrix whose products are known exactly, with sentinels that must stay untouched.</summary>
    private bool ComputesKnownProducts()
    {
        const int Rows = 3;
        const int Columns = 5;
        const double Sentinel = -7;
        var a = new double[Rows * Columns];
        var b = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            b[r] = r + 1;
            for (var c = 0; c < Columns; c++)
            {
                a[r * Columns + c] = r * Columns + c + 1;
            }
        }

        var syrk = new double[Columns * Columns + 1];
        var gemm = new double[Columns + 1];
        Array.Fill(syrk, Sentinel);
        Array.Fill(gemm, 1.0);
        gemm[Columns] = Sentinel;
        try
        {
            SyrkUpperTransposed(Columns, Rows, a, syrk);
            GemmTransposedA(Columns, 1, Rows, a, b, gemm);
        }
        catch (SEHException)
        {
            return false;
        }

        for (var i = 0; i < Columns; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                var expected = Sentinel;
                if (j >= i)
                {
                    for (var r = 0; r < Rows; r++)
                    {
                        expected += a[r * Columns + i] * a[r * Columns + j];
                    }
                }

                if (syrk[i * Columns + j] != expected)
                {
                    return false;
                }
            }

            var cross = 1.0;
            for (var r = 0; r < Rows; r++)
            {
                cross += a[r * Columns + i] * b[r];
            }

            if (gemm[i] != cross)
            {
                return false;
            }
        }

        return syrk[Columns * Columns] == Sentinel && gemm[Columns] == Sentinel;
    }
}
