using System.Buffers;
using NUnit.Framework;
using Reservoir.Persistence;
using Reservoir.Readouts;
using Reservoir.Readouts.Persistence;

namespace Reservoir.Tests;

/// <summary>The public sections through which a container format stores the types of Reservoir and Readouts.</summary>
[TestFixture]
public sealed class ReservoirSectionsTests
{
    private static readonly ReservoirOptions Options = new()
    {
        UnitCount = 12,
        InputDimension = 2,
        Seed = 5,
        LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, 10),
        StateNoise = 1e-3,
        SkipConnections = [new SkipConnection { Delay = 3 }],
    };

    [Test]
    public void Sections_WrittenOneAfterAnother_ReadBackInOrderWithTheirLengths()
    {
        var reservoir = new EchoStateReservoir(Options);
        var state = reservoir.CreateState();
        var inputs = new double[40, 2];
        for (var t = 0; t < 40; t++)
        {
            inputs[t, 0] = Math.Sin(0.3 * t);
            inputs[t, 1] = Math.Cos(0.2 * t);
        }

        reservoir.Run(state, inputs);
        var solution = RidgeSolution.FromWeights(new double[,] { { 1, 2, 3 } }, [0.5], 1e-3);
        var output = new ArrayBufferWriter<byte>();
        output.Write(new byte[] { 9, 9, 9 });
        ReservoirSections.WriteOptions(output, Options);
        ReservoirSections.WriteReservoir(output, reservoir);
        ReservoirSections.WriteState(output, state);
        ReadoutSections.WriteSolution(output, solution);

        var data = output.WrittenMemory;
        var position = 3;
        var options = ReservoirSections.ReadOptions(data[position..], position, out var read);
        position += read;
        var loaded = ReservoirSections.ReadReservoir(data[position..], position, out read);
        position += read;
        var loadedState = ReservoirSections.ReadState(data[position..], position, loaded, out read);
        position += read;
        var loadedSolution = ReadoutSections.ReadSolution(data[position..], position, out read);
        position += read;

        var next = new double[,] { { 0.1, -0.2 } };
        Assert.Multiple(() =>
        {
            Assert.That(position, Is.EqualTo(data.Length));
            Assert.That(options, Is.EqualTo(Options));
            Assert.That(loaded.Options, Is.EqualTo(reservoir.Options));
            Assert.That(loadedState.Values.ToArray(), Is.EqualTo(state.Values.ToArray()));
            Assert.That(loaded.Run(loadedState, next), Is.EqualTo(reservoir.Run(state, next)));
            Assert.That(loadedSolution.GetWeights(), Is.EqualTo(solution.GetWeights()));
            Assert.That(loadedSolution.L2Regularization, Is.EqualTo(solution.L2Regularization));
        });
    }

    [Test]
    public void ReadReservoir_TruncatedSection_ThrowsInvalidDataNamingTheFileOffset()
    {
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteReservoir(output, new EchoStateReservoir(Options));
        var truncated = output.WrittenMemory[..(output.WrittenCount / 2)];

        Assert.That(() => ReservoirSections.ReadReservoir(truncated, 1000, out _),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("Truncated").And.Message.Contains("at offset 1"));
    }

    [Test]
    public void ReadState_OfAnotherSize_ThrowsInvalidData()
    {
        var output = new ArrayBufferWriter<byte>();
        ReservoirSections.WriteState(output, new EchoStateReservoir(Options).CreateState());
        var other = new EchoStateReservoir(Options with { UnitCount = 13 });

        Assert.That(() => ReservoirSections.ReadState(output.WrittenMemory, 0, other, out _), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public void ReadSolution_NegativeOffset_Throws()
    {
        Assert.That(() => ReadoutSections.ReadSolution(new byte[4], -1, out _),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("offset"));
    }
}
