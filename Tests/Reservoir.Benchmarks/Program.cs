using BenchmarkDotNet.Running;
using MathNet.Numerics;

namespace Reservoir.Benchmarks;

/// <summary>Benchmark entry point: BenchmarkDotNet's switcher, <c>quick</c> for one stopwatch pass printed as JSON, or <c>gram</c> for the Gram timings alone.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the arguments.</summary>
    /// <param name="args">BenchmarkDotNet arguments (for example <c>--filter '*Step*'</c>), <c>quick</c>, or <c>gram [features]</c> for the Gram timings alone.</param>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "quick")
        {
            QuickRun.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "gram")
        {
            QuickRun.RunGram(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        Control.UseBestProviders();
        Console.WriteLine(Control.Describe());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
