using BenchmarkDotNet.Attributes;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Readouts;

/// <summary>The Gram matrix of T = 10⁴ rows (one <see cref="GramAccumulator.Accumulate"/> call), managed kernels against the native BLAS.</summary>
/// <remarks>
/// Flops: T · N · (N + 1) for the triangle (see <see cref="GramWorkload.TriangleFlops"/>). The native case is skipped
/// (reported as NA) when no native BLAS can be loaded. <c>DirectSyrk</c> is one <c>cblas_dsyrk</c> call on the same,
/// uncentred matrix: the reference the native accumulator is compared with.
/// </remarks>
[MemoryDiagnoser]
public class GramBenchmarks
{
    private const int Rows = 10_000;
    private const int Targets = 1;

    private double[] _features = [];
    private double[] _targets = [];
    private double[] _gram = [];
    private GramAccumulator _managed = null!;
    private GramAccumulator? _native;
    private NativeBlas? _blas;

    /// <summary>Gets or sets the feature count N (reservoir units).</summary>
    [Params(100, 500, 1000, 2000)]
    public int UnitCount { get; set; }

    /// <summary>Builds the seeded T × N matrix and one accumulator per backend.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine(LinearAlgebraBackend.Description);
        _features = GramWorkload.CreateFeatures(Rows, UnitCount);
        _targets = new double[Rows * Targets];
        _gram = new double[UnitCount * UnitCount];
        _managed = new GramAccumulator(UnitCount, Targets, native: null);
        _blas = LinearAlgebraBackend.FindNative();
        _native = _blas is null ? null : new GramAccumulator(UnitCount, Targets, _blas);
    }

    /// <summary>Accumulates the matrix with the managed kernels.</summary>
    /// <returns>The row count, so that the work is not optimised away.</returns>
    [Benchmark(Baseline = true)]
    public long Managed()
    {
        _managed.Reset();
        _managed.Accumulate(_features, _targets, Rows);
        return _managed.Count;
    }

    /// <summary>Accumulates the matrix with the native BLAS (cblas_dsyrk and cblas_dgemm).</summary>
    /// <returns>The row count, or -1 without a native BLAS.</returns>
    [Benchmark]
    public long Native()
    {
        if (_native is null)
        {
            return -1;
        }

        _native.Reset();
        _native.Accumulate(_features, _targets, Rows);
        return _native.Count;
    }

    /// <summary>One direct cblas_dsyrk call on the uncentred matrix.</summary>
    /// <returns>One entry of the result, or NaN without a native BLAS.</returns>
    [Benchmark]
    public double DirectSyrk()
    {
        if (_blas is null)
        {
            return double.NaN;
        }

        Array.Clear(_gram);
        _blas.SyrkUpperTransposed(UnitCount, Rows, _features, _gram);
        return _gram[0];
    }
}
