using NUnit.Framework;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    /// <summary>
    /// The bound on what building and running a reservoir of 100 000 units with in-degree 10 may allocate: 512 MiB, half
    /// the 1 GB it must fit in. It needs about 125 MiB (1 000 000 weights, the state and the spectral-radius vectors);
    /// before the reservation followed the in-degree, it allocated about 15 GiB.
    /// </summary>
    private const long LargeReservoirAllocationBound = 512L << 20;

    [Test]
    [Category("Slow")]
    public void Constructor_HundredThousandUnitsInDegreeTen_BuildsAndRunsWithinMemoryBound()
    {
        const int units = 100_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = units, Seed = 3, RecurrentInDegree = 10 });
        var state = reservoir.CreateState();
        var input = new double[1];
        for (var t = 0; t < 300; t++)
        {
            input[0] = Math.Sin(0.1 * t);
            reservoir.Step(state, input);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(reservoir.RecurrentWeights.NonZeroCount, Is.EqualTo(units * 10));
        Assert.That(allocated, Is.LessThan(LargeReservoirAllocationBound), $"{allocated / (1 << 20)} MiB allocated");
        Assert.That(state.Values.ToArray(), Has.All.Matches<double>(double.IsFinite));
        Assert.That(state.Values.ToArray(), Has.Some.Not.EqualTo(0.0));
    }
}
