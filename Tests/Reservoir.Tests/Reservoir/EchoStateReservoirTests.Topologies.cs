using System.Buffers;
using NUnit.Framework;
using Reservoir.Persistence;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private const double OrthogonalityTolerance = 1e-12;

    private static readonly ReservoirTopology[] StructuredTopologies =
    [
        ReservoirTopology.DelayLine, ReservoirTopology.CycleWithJumps, ReservoirTopology.Orthogonal, ReservoirTopology.SmallWorld,
    ];

    private static ReservoirOptions Structured(ReservoirTopology topology, int seed = 3) => new()
    {
        UnitCount = 40, Seed = seed, Topology = topology, SpectralRadius = 0.8, InputConnectivity = 0.5,
    };

    [Test]
    public void Constructor_DelayLine_OneWeightFromEachUnitToTheNext()
    {
        var w = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 6, Seed = 1, SpectralRadius = 0.7, Topology = ReservoirTopology.DelayLine,
        }).RecurrentWeights;

        var expected = new double[6, 6];
        expected[1, 0] = expected[2, 1] = expected[3, 2] = expected[4, 3] = expected[5, 4] = 0.7;
        Assert.That(w.NonZeroCount, Is.EqualTo(5));
        Assert.That(w.ToDense(), Is.EqualTo(expected));
    }

    [TestCase(12, 3, new[] { 0, 3, 6, 9 })]
    [TestCase(13, 3, new[] { 0, 3, 6, 9, 12 })]
    [TestCase(10, 5, new[] { 0, 5 })]
    [TestCase(8, 2, new[] { 0, 2, 4, 6 })]
    public void Constructor_CycleWithJumps_CycleAndBidirectionalJumps(int n, int jumpLength, int[] chain)
    {
        var w = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = n, Seed = 1, SpectralRadius = 0.7, Topology = ReservoirTopology.CycleWithJumps,
            JumpLength = jumpLength, JumpWeight = 0.2,
        }).RecurrentWeights;

        var expected = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            expected[(i + 1) % n, i] = 0.7;
        }

        for (var k = 0; k + 1 < chain.Length; k++)
        {
            expected[chain[k], chain[k + 1]] = 0.2;
            expected[chain[k + 1], chain[k]] = 0.2;
        }

        Assert.That(w.NonZeroCount, Is.EqualTo(n + 2 * (chain.Length - 1)));
        Assert.That(w.ToDense(), Is.EqualTo(expected));
    }

    [Test]
    public void Constructor_Orthogonal_TransposeTimesWIsRadiusSquaredTimesIdentity()
    {
        const int n = 50;
        var reservoir = new EchoStateReservoir(Structured(ReservoirTopology.Orthogonal) with { UnitCount = n });
        var w = reservoir.RecurrentWeights.ToDense();

        Assert.That(reservoir.RecurrentWeights.NonZeroCount, Is.EqualTo(n * n));
        var worst = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += w[k, i] * w[k, j];
                }

                worst = Math.Max(worst, Math.Abs(sum - (i == j ? 0.64 : 0.0)));
            }
        }

        Assert.That(worst, Is.LessThan(OrthogonalityTolerance));
        Assert.That(reservoir.SpectralRadius, Is.EqualTo(0.8).Within(1e-8));
    }

    [Test]
    public void Constructor_Orthogonal_TraceHasTheHaarMeanZero()
    {
        // For a Haar orthogonal Q, E[trace Q] = 0 and Var[trace Q] = 1; a QR without the sign fix is biased.
        const int draws = 200;
        var sum = 0.0;
        for (var seed = 0; seed < draws; seed++)
        {
            var w = new EchoStateReservoir(new ReservoirOptions
            {
                UnitCount = 8, Seed = seed, SpectralRadius = 1, Topology = ReservoirTopology.Orthogonal,
            }).RecurrentWeights;
            for (var i = 0; i < 8; i++)
            {
                sum += w[i, i];
            }
        }

        // The mean of 200 draws has standard deviation 1/√200 ≈ 0.07.
        Assert.That(sum / draws, Is.EqualTo(0).Within(0.3));
    }

    [Test]
    public void Constructor_SmallWorldWithoutRewiring_IsTheRingLattice()
    {
        const int n = 30;
        var w = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = n, Seed = 2, Topology = ReservoirTopology.SmallWorld, SmallWorldNeighbours = 4,
            RewiringProbability = 0,
        }).RecurrentWeights;

        Assert.That(w.NonZeroCount, Is.EqualTo(n * 4));
        foreach (var (row, column, _) in w.NonZeros())
        {
            var distance = Math.Min((row - column + n) % n, (column - row + n) % n);
            Assert.That(distance, Is.InRange(1, 2), $"W[{row}, {column}]");
        }
    }

    [Test]
    public void Constructor_SmallWorld_KeepsNTimesKWeightsAndRewiresAboutP()
    {
        const int n = 1000;
        const int k = 6;
        const double p = 0.2;
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = n, Seed = 4, Topology = ReservoirTopology.SmallWorld, SmallWorldNeighbours = k,
            RewiringProbability = p, SpectralRadius = 0.9,
        });
        var w = reservoir.RecurrentWeights;

        var perRow = new int[n];
        var offLattice = 0;
        foreach (var (row, column, _) in w.NonZeros())
        {
            perRow[row]++;
            Assert.That(column, Is.Not.EqualTo(row), "no self-connection");
            var distance = Math.Min((row - column + n) % n, (column - row + n) % n);
            if (distance > k / 2)
            {
                offLattice++;
            }
        }

        Assert.That(w.NonZeroCount, Is.EqualTo(n * k));
        Assert.That(perRow, Is.All.EqualTo(k));

        // The rewired fraction is binomial with standard deviation √(p(1−p)/(N·K)) ≈ 0.005.
        Assert.That((double)offLattice / (n * k), Is.EqualTo(p).Within(0.03));
        Assert.That(reservoir.SpectralRadius, Is.EqualTo(0.9).Within(1e-8));
    }

    [TestCase(7, 4)]
    [TestCase(9, 6)]
    [TestCase(9, 8)]
    public void Constructor_SmallWorldRewiringEverything_KeepsKDistinctInputsPerUnit(int n, int k)
    {
        var w = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = n, Seed = 6, Topology = ReservoirTopology.SmallWorld, SmallWorldNeighbours = k,
            RewiringProbability = 1,
        }).RecurrentWeights;

        var perRow = new int[n];
        foreach (var (row, column, _) in w.NonZeros())
        {
            perRow[row]++;
            Assert.That(column, Is.Not.EqualTo(row), "no self-connection");
        }

        Assert.That(perRow, Is.All.EqualTo(k));
    }

    [TestCaseSource(nameof(StructuredTopologies))]
    public void Constructor_StructuredTopologySameSeed_IdenticalWeightsAndStates(ReservoirTopology topology)
    {
        var options = Structured(topology) with
        {
            LeakRates = LeakRateDistribution.Uniform(0.2, 0.9),
            SkipConnections = [new SkipConnection { Delay = 3 }],
        };
        var a = new EchoStateReservoir(options);
        var b = new EchoStateReservoir(options);
        var inputs = TestData.Uniform(60, 1, 5);

        var states = a.Run(inputs);
        Assert.That(b.RecurrentWeights.ToDense(), Is.EqualTo(a.RecurrentWeights.ToDense()));
        Assert.That(b.Run(inputs), Is.EqualTo(states));
        Assert.That(states.Cast<double>(), Is.All.Matches<double>(double.IsFinite));
        Assert.That(states[59, 0], Is.Not.EqualTo(0.0));
    }

    [TestCase(ReservoirTopology.Orthogonal)]
    [TestCase(ReservoirTopology.SmallWorld)]
    public void Constructor_RandomStructuredTopologyDifferentSeed_DifferentWeights(ReservoirTopology topology)
    {
        var a = new EchoStateReservoir(Structured(topology, seed: 1));
        var b = new EchoStateReservoir(Structured(topology, seed: 2));

        Assert.That(b.RecurrentWeights.ToDense(), Is.Not.EqualTo(a.RecurrentWeights.ToDense()));
    }

    private static IEnumerable<TestCaseData> InvalidTopologyOptions()
    {
        TestCaseData Bad(ReservoirOptions options, string parameter, string value) =>
            new TestCaseData(options, parameter, value).SetArgDisplayNames($"{options.Topology} {parameter} = {value}");

        var cycle = Structured(ReservoirTopology.CycleWithJumps) with { UnitCount = 12 };
        yield return Bad(cycle with { JumpLength = 1 }, "JumpLength", "1");
        yield return Bad(cycle with { JumpLength = 7 }, "JumpLength", "7");
        yield return Bad(cycle with { UnitCount = 3, JumpLength = 2 }, "JumpLength", "2");
        yield return Bad(cycle with { JumpWeight = 0 }, "JumpWeight", "0");
        yield return Bad(cycle with { JumpWeight = double.NaN }, "JumpWeight", "NaN");
        yield return Bad(Valid with { JumpLength = 0 }, "JumpLength", "0");
        var smallWorld = Structured(ReservoirTopology.SmallWorld) with { UnitCount = 12 };
        yield return Bad(smallWorld with { SmallWorldNeighbours = 3 }, "SmallWorldNeighbours", "3");
        yield return Bad(smallWorld with { SmallWorldNeighbours = 0 }, "SmallWorldNeighbours", "0");
        yield return Bad(smallWorld with { SmallWorldNeighbours = 12 }, "SmallWorldNeighbours", "12");
        yield return Bad(smallWorld with { RewiringProbability = 1.5 }, "RewiringProbability", "1.5");
        yield return Bad(smallWorld with { RewiringProbability = double.NaN }, "RewiringProbability", "NaN");
        yield return Bad(Valid with { RewiringProbability = -0.1 }, "RewiringProbability", "-0.1");
        foreach (var topology in StructuredTopologies)
        {
            var options = Structured(topology);
            yield return Bad(options with { RecurrentInDegree = 5 }, "RecurrentInDegree", "5");
            yield return Bad(options with { RecurrentConnectivity = 0.5 }, "RecurrentConnectivity", "0.5");
            yield return Bad(options with { Clockwork = new ClockworkOptions { Periods = [1, 2] } }, "Clockwork", topology.ToString());
        }

        yield return Bad(Structured(ReservoirTopology.Orthogonal) with { UnitCount = 20_000 }, "UnitCount", "20000");
    }

    [TestCaseSource(nameof(InvalidTopologyOptions))]
    public void Constructor_InvalidTopologyOption_ThrowsNamingTheOptionAndValue(ReservoirOptions options, string parameter, string value)
    {
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => _ = new EchoStateReservoir(options));

        Assert.That(((ArgumentException)error!).ParamName, Is.EqualTo(parameter));
        Assert.That(error.Message, Does.Contain(parameter).And.Contain(value));
    }

    [TestCaseSource(nameof(StructuredTopologies))]
    public void Sections_StructuredTopologyOptions_RoundTripAndRebuildTheSameW(ReservoirTopology topology)
    {
        var options = Structured(topology) with { JumpLength = 4, JumpWeight = 0.3, SmallWorldNeighbours = 6, RewiringProbability = 0.25 };
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteOptions(output, options);

        var loaded = ReservoirSections.ReadOptions(output.WrittenMemory, 0, out var read);

        Assert.That(read, Is.EqualTo(output.WrittenCount));
        Assert.That(loaded, Is.EqualTo(options));
        Assert.That(new EchoStateReservoir(loaded).RecurrentWeights.ToDense(),
            Is.EqualTo(new EchoStateReservoir(options).RecurrentWeights.ToDense()));
    }
}
