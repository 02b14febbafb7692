using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

public sealed class StatePipelineTests
{
    private const int Width = 3;

    // Emits `blocks` blocks of 4 rows whose values are their step and column; throws before block `failAt` (−1: never).
    private static Action<StateRowsHandler> Producer(int blocks, int failAt, Action<int>? produced = null) => emit =>
    {
        var rows = new double[4 * Width];
        for (var b = 0; b < blocks; b++)
        {
            if (b == failAt)
            {
                throw new InvalidOperationException($"producer failed at block {b}");
            }

            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = 4 * b + i / Width + 0.1 * (i % Width);
            }

            emit(4 * b, 4, rows);
            produced?.Invoke(b);
        }
    };

    private static Task Start(Action<StateRowsHandler> produce, StateRowsHandler consume) =>
        Task.Run(() => StatePipeline.Run(4 * Width, produce, consume));

    [Test]
    public void Run_ManyBlocks_ConsumerSeesEveryBlockInOrderWithItsValues()
    {
        var seen = new List<double[]>();
        var firstSteps = new List<int>();
        var run = Start(Producer(50, failAt: -1), (firstStep, rowCount, states) =>
        {
            firstSteps.Add(firstStep);
            seen.Add(states.ToArray());
        });

        Assert.That(run.Wait(TimeSpan.FromMinutes(1)), Is.True, "the pipeline ended");
        Assert.That(firstSteps, Is.EqualTo(Enumerable.Range(0, 50).Select(b => 4 * b)));
        for (var b = 0; b < 50; b++)
        {
            Assert.That(seen[b], Has.Length.EqualTo(4 * Width));
            Assert.That(seen[b][Width + 2], Is.EqualTo(4 * b + 1 + 0.2), $"block {b}");
        }
    }

    [Test]
    public void Run_ProducerFails_ConsumerGetsTheBlocksBeforeAndTheErrorSurfacesAsItself()
    {
        var consumed = 0;
        var run = Start(Producer(50, failAt: 7), (_, _, _) => consumed++);

        var ended = ((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1));
        Assert.That(ended, Is.True, "the pipeline ended");
        var error = Assert.Throws<AggregateException>(() => run.Wait())!.InnerExceptions.Single();
        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Assert.That(error.Message, Is.EqualTo("producer failed at block 7"));
        Assert.That(consumed, Is.EqualTo(7));
    }

    [Test]
    public void Run_ConsumerFails_ProducerStopsAndTheErrorSurfacesAsItself()
    {
        var produced = -1;
        var run = Start(Producer(100_000, failAt: -1, b => produced = b), (firstStep, _, _) =>
        {
            if (firstStep == 4 * 3)
            {
                throw new ArgumentException("consumer failed at block 3", "states");
            }
        });

        var ended = ((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1));
        Assert.That(ended, Is.True, "the pipeline ended");
        var error = Assert.Throws<AggregateException>(() => run.Wait())!.InnerExceptions.Single();
        Assert.That(error, Is.TypeOf<ArgumentException>());
        Assert.That(error.Message, Does.StartWith("consumer failed at block 3"));

        // The producer was stopped within the buffers' reach, and has ended: nothing moves after the call returned.
        var last = produced;
        Assert.That(last, Is.LessThan(3 + StatePipeline.SlotCount + 1));
        Thread.Sleep(50);
        Assert.That(produced, Is.EqualTo(last));
    }
}
