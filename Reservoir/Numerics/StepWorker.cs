using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Reservoir.Numerics;

/// <summary>Work that splits into two parts which touch disjoint data and may run on two threads at once.</summary>
internal abstract class SplitWork
{
    /// <summary>Runs part 0 (on the calling thread) or part 1 (on the worker).</summary>
    internal abstract void Execute(int part);
}

/// <summary>How many threads one step of a state may use; set per state, so that tests can force either choice.</summary>
internal enum StepThreads
{
    /// <summary>Two when the step is large enough and the machine allows it (see <see cref="StepWorker"/>), otherwise one.</summary>
    Auto,

    /// <summary>Always the calling thread alone.</summary>
    One,

    /// <summary>Always split in two, whatever the size of the step, the environment or the core count.</summary>
    Two,
}

/// <summary>
/// Intra-step parallelism: the rule that decides when a single step is split over two cores, and the one
/// persistent background thread that runs the second half.
/// </summary>
/// <remarks>
/// <para>
/// Under <see cref="StepThreads.Auto"/> a step is split only when it computes at least <see cref="MinWork"/>
/// weight-column products (stored weights of the updated rows times the columns computed; below that the hand-over
/// costs more than it saves), when <see cref="Threads"/> is 2, and when the caller allows it (a run of many
/// sequences that already keeps every core busy does not). The environment variable <c>RESERVOIR_STEP_THREADS=1</c>,
/// read once at start-up, makes <see cref="Threads"/> 1; so does a single-core machine.
/// </para>
/// <para>
/// The worker is created on first use, as a background thread, and serves one step at a time: a caller that
/// finds it busy (another thread is stepping) runs both halves itself, and a caller that finishes its half before
/// the worker has claimed the other (the worker was descheduled on a loaded machine) runs that half too. After a step it spins for
/// <see cref="SpinMicroseconds"/> µs waiting for the next one, then blocks on a semaphore. Results never depend on
/// any of this: the halves write disjoint rows, and the noise is drawn afterwards by the calling thread.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "One instance lives as long as the process, and its thread waits on the semaphore until the process ends; there is no point at which disposing it would be safe.")]
internal sealed class StepWorker
{
    /// <summary>The environment variable that sets the most threads per step (1 disables the split).</summary>
    internal const string ThreadsVariable = "RESERVOIR_STEP_THREADS";

    /// <summary>The least work (weight-column products) of a step for <see cref="StepThreads.Auto"/> to split it.</summary>
    internal const long MinWork = 20_000;

    /// <summary>How long the worker spins for the next step before it blocks.</summary>
    internal const int SpinMicroseconds = 200;

    /// <summary>The most threads an automatic step may use, read once from <c>RESERVOIR_STEP_THREADS</c>: 2 (default on multi-core machines) or 1.</summary>
    internal static readonly int Threads = ThreadsFrom(Environment.GetEnvironmentVariable(ThreadsVariable), Environment.ProcessorCount);

    private static readonly Lazy<StepWorker> Instance = new(() => new StepWorker(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SemaphoreSlim _wake = new(0);
    private SplitWork? _work;
    private Exception? _error;
    private long _posted;
    private long _claimed;
    private long _completed;
    private int _sleeping;
    private int _busy;

    private StepWorker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "Reservoir step worker" };
        thread.Start();
    }

    /// <summary>Whether a step of <paramref name="work"/> weight-column products, run under <paramref name="mode"/>, is split.</summary>
    internal static bool ShouldSplit(StepThreads mode, long work) => mode switch
    {
        StepThreads.One => false,
        StepThreads.Two => true,
        _ => Threads >= 2 && work >= MinWork,
    };

    /// <summary>Runs both parts of <paramref name="work"/>, part 1 on the worker when it is free, and returns when both are done.</summary>
    /// <remarks>An exception from either part is rethrown on the calling thread after both parts have finished.</remarks>
    internal static void Execute(SplitWork work)
    {
        var worker = Instance.Value;
        if (Interlocked.CompareExchange(ref worker._busy, 1, 0) != 0)
        {
            work.Execute(0);
            work.Execute(1);
            return;
        }

        try
        {
            worker.RunWith(work);
        }
        finally
        {
            Volatile.Write(ref worker._busy, 0);
        }
    }

    /// <summary>The threads per step for a value of <c>RESERVOIR_STEP_THREADS</c> (null or unparsable: 2), at most 2, and 1 on one core.</summary>
    internal static int ThreadsFrom(string? text, int processorCount)
    {
        var threads = int.TryParse(text, System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 2;
        return processorCount < 2 ? 1 : Math.Clamp(threads, 1, 2);
    }

    private void RunWith(SplitWork work)
    {
        _work = work;
        var ticket = _posted + 1;
        Interlocked.Exchange(ref _posted, ticket);
        if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
        {
            _wake.Release();
        }

        Exception? own = null;
        try
        {
            work.Execute(0);
        }
        catch (Exception e)
        {
            own = e;
        }

        if (Interlocked.CompareExchange(ref _claimed, ticket, ticket - 1) == ticket - 1)
        {
            // The worker has not started (descheduled on a busy machine): run part 1 here rather than wait.
            try
            {
                work.Execute(1);
            }
            catch (Exception e)
            {
                own ??= e;
            }
        }
        else
        {
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _completed) != ticket)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        _work = null;
        var error = own ?? _error;
        _error = null;
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private void Loop()
    {
        long seen = 0;
        var spinLimit = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            var spinStart = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _posted) == seen)
            {
                if (Stopwatch.GetTimestamp() - spinStart < spinLimit)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _posted) != seen
                    && Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
                {
                    break;
                }

                // Either nothing is posted, or a caller has cleared the flag and released the semaphore once.
                _wake.Wait();
                spinStart = Stopwatch.GetTimestamp();
            }

            seen = Volatile.Read(ref _posted);
            if (Interlocked.CompareExchange(ref _claimed, seen, seen - 1) != seen - 1)
            {
                continue; // the caller ran part 1 itself
            }

            try
            {
                _work!.Execute(1);
            }
            catch (Exception e)
            {
                _error = e;
            }

            Volatile.Write(ref _completed, seen);
        }
    }
}
