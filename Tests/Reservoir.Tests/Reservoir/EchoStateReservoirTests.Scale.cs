using NUnit.Framework;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private const int LargeUnitCount = 100_000;

    private const int LargeInDegree = 10;

    /// <summary>
    /// The bound on what drawing, building and running a reservoir of 100 000 units with in-degree 10 may allocate:
    /// 512 MiB, half the 1 GB it must fit in. It needs about 125 MiB (10⁶ weights, the state and the vectors of the
    /// spectral-radius iteration); while the reservation ignored the in-degree it allocated about 15 GiB.
    /// </summary>
    private const long LargeReservoirAllocationBound = 512L << 20;

    /// <summary>Draws the recurrent weights as the options path does, builds the reservoir from them and runs 300 steps: everything but the spectral-radius rescaling, in about a second (the whole path from options is the Benchmarks project's <c>large-reservoir</c> mode, about a minute).</summary>
    [Test]
    public void FromWeights_HundredThousandUnitsInDegreeTen_DrawsBuildsAndRunsWithinMemoryBound()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var (reservoir, drawn) = DrawnReservoirs.WithInDegree(LargeUnitCount, LargeInDegree, leakRate: 1);
        var state = RunSteps(reservoir);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"{allocated >> 20} MiB allocated");

        Assert.That(drawn.NonZeroCount, Is.EqualTo(LargeUnitCount * LargeInDegree));
        Assert.That(allocated, Is.LessThan(LargeReservoirAllocationBound), $"{allocated >> 20} MiB allocated");
        Assert.That(state.Values.ToArray(), Has.All.Matches<double>(double.IsFinite).And.Some.Not.EqualTo(0.0));
    }

    /// <summary>Runs 300 steps of a sine input on a new state and returns the state.</summary>
    private static ReservoirState RunSteps(EchoStateReservoir reservoir)
    {
        var state = reservoir.CreateState();
        var input = new double[1];
        for (var t = 0; t < 300; t++)
        {
            input[0] = Math.Sin(0.1 * t);
            reservoir.Step(state, input);
        }

        return state;
    }
}
