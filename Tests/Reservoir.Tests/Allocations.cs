namespace Reservoir.Tests;

/// <summary>Measures what code allocates on the calling thread.</summary>
internal static class Allocations
{
    /// <summary>How many times <see cref="Fewest"/> runs the code at most.</summary>
    private const int Attempts = 3;

    /// <summary>The fewest bytes <paramref name="action"/> allocated on this thread over up to three runs (stopping at the first run that allocated nothing).</summary>
    /// <remarks>
    /// Inside a busy test run the runtime now and then allocates on a thread for its own reasons (a few hundred bytes
    /// once, while other tests run beside it), and a single measurement counts that against the code. An allocation of
    /// the code itself comes back in every run, so the fewest bytes over a few runs is what the code allocates.
    /// </remarks>
    internal static long Fewest(Action action)
    {
        var fewest = long.MaxValue;
        for (var attempt = 0; attempt < Attempts && fewest > 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
