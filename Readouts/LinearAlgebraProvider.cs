namespace Reservoir.Readouts;

/// <summary>Which implementation computes the dense products of the readouts (Gram matrices and cross-products).</summary>
/// <remarks>See <see cref="LinearAlgebraBackend"/> for how one is chosen and how to force one.</remarks>
public enum LinearAlgebraProvider
{
    /// <summary>Choose at run time: the <c>RESERVOIR_BLAS</c> environment variable if set, else MKL, OpenBLAS, the system BLAS, then managed.</summary>
    Automatic = 0,

    /// <summary>The built-in managed kernels (blocked, register-tiled FMA code on all cores, with 512-bit vectors where the processor accelerates them and 256-bit otherwise); always available.</summary>
    Managed = 1,

    /// <summary>Intel MKL's single dynamic library (<c>libmkl_rt.so</c> / <c>libmkl_rt.so.2</c>).</summary>
    Mkl = 2,

    /// <summary>OpenBLAS (<c>libopenblas.so.0</c> / <c>libopenblas.so</c>).</summary>
    OpenBlas = 3,

    /// <summary>The system's reference BLAS with CBLAS symbols (<c>libblas.so.3</c>), whatever implementation it points to.</summary>
    System = 4,
}
