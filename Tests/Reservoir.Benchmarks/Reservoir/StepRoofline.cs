using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text.Json.Nodes;

namespace Reservoir.Benchmarks.Reservoir;

/// <summary>
/// Evidence for what limits the step at large N: the bytes of W streamed per step against the read bandwidth this machine
/// gives for a buffer of the same size, on one core and on two.
/// </summary>
/// <remarks>
/// Hardware counters are not available on the reference machine (<c>perf stat</c> reports cycles and cache misses as
/// "not supported"), so the limit is shown the roofline way: each step reads all of W once (values 8 B, column indices
/// 2 B per non-zero, row pointers 4 B per row), so steps/s × bytes per step is the bandwidth the step achieves; a vectorised
/// sum over a buffer of the same size gives the bandwidth available at that cache level. A ratio near 1 means the step is
/// bandwidth-bound and no reordering of arithmetic can make it faster.
/// </remarks>
public static class StepRoofline
{
    /// <summary>Measures every size and prints one JSON object.</summary>
    public static void Run()
    {
        var sizes = new JsonObject();
        foreach (var n in new[] { 100, 500, 1000, 2000, 4000 })
        {
            var reservoir = StepWorkload.CreateReservoir(n);
            var compact = reservoir.CompactRecurrent;
            var bytes = compact.Values.Length * 8L + (compact.NarrowColumns?.Length * 2L ?? compact.WideColumns!.Length * 4L) + compact.RowPointers.Length * 4L;
            var oneCore = StepWorkload.MeasureSingle(n, oneThread: true);
            var twoCores = StepWorkload.MeasureSingle(n);
            var bandwidthOne = ReadBandwidth(bytes, threads: 1);
            var bandwidthTwo = ReadBandwidth(bytes, threads: 2);
            sizes[n.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["non_zeros"] = compact.Values.Length,
                ["w_bytes"] = bytes,
                ["steps_per_s_one_core"] = Math.Round(oneCore),
                ["steps_per_s_two_cores"] = Math.Round(twoCores),
                ["ns_per_non_zero_one_core"] = Math.Round(1e9 / (oneCore * compact.Values.Length), 3),
                ["achieved_gb_per_s_one_core"] = Math.Round(oneCore * bytes / 1e9, 1),
                ["read_bandwidth_gb_per_s_one_core"] = Math.Round(bandwidthOne / 1e9, 1),
                ["fraction_of_bandwidth_one_core"] = Math.Round(oneCore * bytes / bandwidthOne, 2),
                ["achieved_gb_per_s_two_cores"] = Math.Round(twoCores * bytes / 1e9, 1),
                ["read_bandwidth_gb_per_s_two_cores"] = Math.Round(bandwidthTwo / 1e9, 1),
                ["fraction_of_bandwidth_two_cores"] = Math.Round(twoCores * bytes / bandwidthTwo, 2),
            };
        }

        var root = new JsonObject
        {
            ["sizes"] = sizes,
            ["processor_count"] = Environment.ProcessorCount,
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        Console.WriteLine(root.ToJsonString());
    }

    /// <summary>The best read bandwidth (bytes/s) of a vectorised sum over a buffer of <paramref name="bytes"/>, split over the threads.</summary>
    private static double ReadBandwidth(long bytes, int threads)
    {
        var length = (int)Math.Max(1024, bytes / 8);
        var parts = Enumerable.Range(0, threads).Select(_ => new double[length / threads]).ToArray();
        foreach (var part in parts)
        {
            Array.Fill(part, 1.0);
        }

        var passes = (int)Math.Clamp(2_000_000_000L / bytes, 20, 200_000);
        var best = 0.0;
        var sink = 0.0;
        for (var repeat = 0; repeat < 5; repeat++)
        {
            var clock = Stopwatch.StartNew();
            var sums = new double[threads];
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
            {
                var total = Vector256<double>.Zero;
                for (var pass = 0; pass < passes; pass++)
                {
                    total += Sum(parts[p]);
                }

                sums[p] = Vector256.Sum(total);
            });
            clock.Stop();
            sink += sums.Sum();
            best = Math.Max(best, (double)passes * (length / threads) * threads * 8 / clock.Elapsed.TotalSeconds);
        }

        GC.KeepAlive(sink);
        return best;
    }

    private static Vector256<double> Sum(double[] values)
    {
        var a = Vector256<double>.Zero;
        var b = Vector256<double>.Zero;
        var c = Vector256<double>.Zero;
        var d = Vector256<double>.Zero;
        ref var start = ref values[0];
        var i = 0;
        for (; i + 16 <= values.Length; i += 16)
        {
            a += Vector256.LoadUnsafe(ref start, (nuint)i);
            b += Vector256.LoadUnsafe(ref start, (nuint)(i + 4));
            c += Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            d += Vector256.LoadUnsafe(ref start, (nuint)(i + 12));
        }

        return a + b + c + d;
    }
}
