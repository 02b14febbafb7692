using BenchmarkDotNet.Running;

namespace Reservoir.Benchmarks;

/// <summary>Benchmark entry point.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the arguments.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
