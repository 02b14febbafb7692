using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Reservoir.Tests.Pipelines.MLNet;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>The pipeline-file fuzz at full size (the <c>fuzz-pipelines</c> argument): every bit of every entry and of every entry inside the ML.NET segments, 1.5 GB bombs.</summary>
/// <remarks>
/// Prints one line per category (files, outcomes, slowest load, most bytes allocated by one load), then the bombs one by
/// one, then the process's peak working set, and exits with status 1 if a damaged file did not throw
/// <c>ModelFormatException</c> (or load unchanged where the damage is in bytes no reader inflates). Each load runs with a
/// time limit; a load that passes it is reported as hung and ends the run.
/// Options: <c>--bomb-bytes N</c> (default 1.5 GB), <c>--flips-per-entry K</c> (default 0: every bit), <c>--raw-flips N</c>,
/// <c>--truncations N</c>, <c>--only category</c>, <c>--name text</c> (variants whose name contains it, such as
/// <c>Normalizer_000/Model.key</c>), <c>--timeout seconds</c> (default 30).
/// </remarks>
internal static class PipelineFuzzRun
{
    public static int Run(string[] args)
    {
        var bombBytes = Option(args, "--bomb-bytes", 1_500_000_000L);
        var flips = (int)Option(args, "--flips-per-entry", 0);
        var rawFlips = (int)Option(args, "--raw-flips", 2000);
        var truncations = (int)Option(args, "--truncations", 500);
        var timeout = TimeSpan.FromSeconds(Option(args, "--timeout", 30));
        var only = Text(args, "--only");
        var nameFilter = Text(args, "--name");

        var context = new MLContext(seed: 0);
        var (model, data, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var expected = PipelineFileFuzz.Scores(model, data);
        _ = context.Model.LoadPipeline(new MemoryStream(file), out _);
        Console.WriteLine($"pipeline file: {file.Length} bytes; bombs inflate to {bombBytes} bytes; time limit {timeout.TotalSeconds} s per load");

        var variants = only == "bomb"
            ? PipelineFileFuzz.Bombs(file, bombBytes)
            : PipelineFileFuzz.Variants(file, new PipelineFileFuzz.Settings(flips, rawFlips, truncations, bombBytes, Seed: 7));
        var byCategory = new SortedDictionary<string, List<PipelineFileFuzz.Result>>(StringComparer.Ordinal);
        var failures = 0;
        foreach (var variant in variants)
        {
            if ((only is not null && variant.Category != only) || (nameFilter is not null && !variant.Name.Contains(nameFilter, StringComparison.Ordinal)))
            {
                continue;
            }

            var load = Task.Factory.StartNew(
                () => PipelineFileFuzz.Load(context, variant, m => PipelineFileFuzz.Scores(m, data).SequenceEqual(expected)),
                TaskCreationOptions.LongRunning);
            if (!load.Wait(timeout))
            {
                Console.WriteLine($"HUNG: {variant.Category} {variant.Name} ({variant.Bytes.Length} bytes) did not return within {timeout.TotalSeconds} s");
                Summarize(byCategory);
                Environment.Exit(2);
            }

            var result = load.Result;
            if (!byCategory.TryGetValue(variant.Category, out var list))
            {
                byCategory[variant.Category] = list = [];
            }

            list.Add(result);
            if (!PipelineFileFuzz.IsAcceptable(result))
            {
                failures++;
                if (failures <= 20)
                {
                    Console.WriteLine($"NOT REFUSED: {variant.Category} {variant.Name}: {result.Outcome} {result.Message}");
                }
            }

            if (variant.Category == "bomb")
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"bomb: {variant.Name} ({variant.Bytes.Length} bytes): {result.Outcome} in {result.Seconds:F3} s, {result.AllocatedBytes / 1048576.0:F1} MiB allocated; {result.Message}"));
            }
        }

        Summarize(byCategory);
        Console.WriteLine($"{failures} damaged files not refused");
        return failures == 0 ? 0 : 1;
    }

    private static void Summarize(SortedDictionary<string, List<PipelineFileFuzz.Result>> byCategory)
    {
        foreach (var (category, results) in byCategory)
        {
            var outcomes = string.Join(", ", results.GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            var slowest = results.Max(r => r.Seconds);
            var hungriest = results.Max(r => r.AllocatedBytes);
            Console.WriteLine(FormattableString.Invariant(
                $"{category}: {results.Count} files; {outcomes}; slowest load {slowest:F3} s; most allocated by one load {hungriest / 1048576.0:F1} MiB"));
        }

        using var process = Process.GetCurrentProcess();
        Console.WriteLine(FormattableString.Invariant($"peak working set: {process.PeakWorkingSet64 / 1048576.0:F0} MiB"));
    }

    private static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var index and >= 0 && index + 1 < args.Length ? args[index + 1] : null;

    private static long Option(string[] args, string name, long fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? long.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
