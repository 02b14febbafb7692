using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Reservoir.Pipelines;

/// <summary>Receives one block of states: rows <paramref name="firstStep"/> … firstStep + rowCount − 1, row-major.</summary>
/// <param name="firstStep">The step of the block's first row.</param>
/// <param name="rowCount">The number of rows.</param>
/// <param name="states">The rows, rowCount × N; valid only during the call.</param>
internal delegate void StateRowsHandler(int firstStep, int rowCount, ReadOnlySpan<double> states);

/// <summary>
/// A bounded producer/consumer over blocks of states: a worker thread runs the producer (the reservoir), the calling thread
/// consumes each block (the Gram accumulation) while the worker computes the next one.
/// </summary>
/// <remarks>
/// <para>
/// The producer's blocks are copied into a fixed set of reusable buffers (<see cref="SlotCount"/>, each of the largest block),
/// handed to the consumer in order and returned to the producer when consumed; the producer waits when every buffer is
/// full, so memory stays bounded whatever the length of the run. The consumer sees exactly the blocks, in exactly the order,
/// it would see if it were called from the producer, so the result is the same, bit for bit.
/// </para>
/// <para>
/// Failures: when the producer throws, the consumer finishes the blocks already handed over and the producer's exception
/// is rethrown as itself (its message and stack trace). When the consumer throws, the producer is stopped at its next
/// block, the call waits for it to end (so nothing still runs on the caller's state afterwards) and the consumer's
/// exception is rethrown. Neither side can wait forever on the other.
/// </para>
/// </remarks>
internal static class StatePipeline
{
    /// <summary>Two buffers: the producer fills one while the consumer reads the other.</summary>
    internal const int SlotCount = 2;

    /// <summary>Runs <paramref name="produce"/> on a worker thread and consumes its blocks on the calling thread.</summary>
    /// <param name="slotLength">The values of the largest block (rows × N).</param>
    /// <param name="produce">Runs the producer; calls its argument once per block, in order.</param>
    /// <param name="consume">Called on the calling thread once per block, in the producer's order.</param>
    internal static void Run(int slotLength, Action<StateRowsHandler> produce, StateRowsHandler consume)
    {
        using var free = new BlockingCollection<Slot>(SlotCount);
        using var full = new BlockingCollection<Slot>(SlotCount);
        using var stop = new CancellationTokenSource();
        for (var i = 0; i < SlotCount; i++)
        {
            free.Add(new Slot(slotLength));
        }

        var token = stop.Token;
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                produce((firstStep, rowCount, states) =>
                {
                    var slot = free.Take(token);
                    states.CopyTo(slot.States);
                    slot.FirstStep = firstStep;
                    slot.RowCount = rowCount;
                    slot.Length = states.Length;
                    full.Add(slot, token);
                });
            }
            finally
            {
                full.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var slot in full.GetConsumingEnumerable())
            {
                consume(slot.FirstStep, slot.RowCount, slot.States.AsSpan(0, slot.Length));
                free.Add(slot);
            }
        }
        catch
        {
            // Stop the producer at its next block and wait for it, so that it no longer touches the caller's state.
            stop.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
                // The consumer's exception is the one to report; the producer's is only its cancellation or a consequence.
            }

            throw;
        }

        try
        {
            producer.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    private sealed class Slot(int length)
    {
        internal double[] States { get; } = new double[length];

        internal int FirstStep { get; set; }

        internal int RowCount { get; set; }

        internal int Length { get; set; }
    }
}
