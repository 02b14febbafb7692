using System.Collections.Immutable;

namespace Reservoir.Tests;

/// <summary>Big reservoirs with a fixed in-degree, built from weights drawn as the options path draws them but without its spectral-radius estimate (also compiled into the benchmarks).</summary>
internal static class DrawnReservoirs
{
    /// <summary>
    /// Draws k normal weights per unit (seed 3, the options path's recurrent stream), scales them by 0.9/√k (the circular
    /// law puts the spectral radius near 0.9), feeds one input to every tenth unit, and builds the reservoir.
    /// </summary>
    /// <param name="units">N.</param>
    /// <param name="inDegree">k, the weights per unit.</param>
    /// <param name="leakRate">The leak rate of every unit.</param>
    /// <param name="precision">The precision of the step; default double.</param>
    /// <returns>The reservoir and the drawn (unscaled) weights.</returns>
    internal static (EchoStateReservoir Reservoir, SparseWeights Drawn) WithInDegree(int units, int inDegree, double leakRate,
        Precision precision = Precision.Double)
    {
        var drawn = WeightFactory.RandomSparse(units, ReservoirDefaults.RecurrentConnectivity, inDegree, WeightDistribution.Normal,
            SeedStreams.Create(3, SeedStreams.Recurrent));
        var input = new double[units, 1];
        for (var i = 0; i < units; i += 10)
        {
            input[i, 0] = 1;
        }

        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = drawn.Scale(0.9 / Math.Sqrt(inDegree)),
            Input = SparseWeights.FromDense(input),
            LeakRates = ImmutableArray.CreateRange(Enumerable.Repeat(leakRate, units)),
            Precision = precision,
        });
        return (reservoir, drawn);
    }
}
