using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

/// <summary>Reservoirs, files and byte surgery shared by the model-file tests.</summary>
internal static class ModelFileTestData
{
    /// <summary>The content kind of the test files that hold a reservoir and a state.</summary>
    internal const string ReservoirAndStateKind = "EchoStateReservoir";

    /// <summary>Options that use every multi-time-scale feature: leak-rate groups, two skip delays, clockwork, feedback and state noise.</summary>
    internal static ReservoirOptions RichOptions(int seed = 11) => new()
    {
        UnitCount = 24,
        Seed = seed,
        InputDimension = 2,
        SpectralRadius = 0.85,
        LeakRates = LeakRateDistribution.Groups(new LeakRateGroup(0.5, 0.9), new LeakRateGroup(0.25, 0.3), new LeakRateGroup(0.25, 0.05)),
        InputScalingPerInput = [0.5, 1.5],
        InputConnectivity = 0.6,
        RecurrentInDegree = 4,
        BiasScaling = 0.2,
        StateNoise = 1e-3,
        FeedbackDimension = 1,
        FeedbackScaling = 0.4,
        FeedbackConnectivity = 0.5,
        SkipConnections = [new SkipConnection { Delay = 2, Connectivity = 0.3 }, new SkipConnection { Delay = 5, SpectralRadius = 0.3, Connectivity = 0.3 }],
        Clockwork = new ClockworkOptions { Periods = [1, 2, 4] },
    };

    /// <summary>Writes a file of <paramref name="kind"/> whose payload <paramref name="body"/> writes.</summary>
    internal static byte[] WriteFile(string kind, Action<ModelWriter> body)
    {
        using var stream = new MemoryStream();
        ModelFile.Write(stream, kind, body);
        return stream.ToArray();
    }

    /// <summary>Reads a file of <paramref name="kind"/> with <paramref name="read"/>, checking that the payload is used up.</summary>
    internal static T ReadFile<T>(byte[] file, string kind, Func<ModelReader, T> read)
    {
        using var stream = new MemoryStream(file, writable: false);
        return ModelFile.Read(stream, kind, read);
    }

    /// <summary>A file holding a reservoir followed by a state of it.</summary>
    internal static byte[] SaveReservoirAndState(EchoStateReservoir reservoir, ReservoirState state) =>
        WriteFile(ReservoirAndStateKind, writer =>
        {
            writer.WriteReservoir(reservoir);
            writer.WriteReservoirState(state);
        });

    /// <summary>Reads what <see cref="SaveReservoirAndState"/> wrote.</summary>
    internal static (EchoStateReservoir Reservoir, ReservoirState State) LoadReservoirAndState(byte[] file) =>
        ReadFile(file, ReservoirAndStateKind, reader =>
        {
            var reservoir = reader.ReadReservoir();
            return (reservoir, reader.ReadReservoirState(reservoir));
        });

    /// <summary>A real reservoir-and-state file: the rich reservoir after 37 teacher-forced steps.</summary>
    internal static byte[] RichReservoirAndStateFile()
    {
        var reservoir = new EchoStateReservoir(RichOptions());
        var state = reservoir.CreateState();
        reservoir.Run(state, TestData.Uniform(37, 2, 5), 0, TestData.Uniform(37, 1, 6, 0.5));
        return SaveReservoirAndState(reservoir, state);
    }

    /// <summary>The offset of the first payload byte of a file of <paramref name="kind"/> (ASCII).</summary>
    internal static int PayloadOffset(string kind) => 8 + 2 + 4 + kind.Length + 8;

    /// <summary>Recomputes the checksum so that only the structure and values of the (altered) file are tested.</summary>
    internal static byte[] Reseal(byte[] file)
    {
        var body = file.AsSpan(0, file.Length - ModelFile.ChecksumLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(body.Length), Crc64.Compute(body));
        return file;
    }

    /// <summary>
    /// Seeded corruptions of a file of <paramref name="kind"/>: truncations at about 80 lengths, 100 single-bit flips, and
    /// 80 forged Int32s (−1 or near int.MaxValue) in the payload with the checksum recomputed.
    /// </summary>
    internal static List<(string Name, byte[] File)> CorruptedVariants(byte[] file, string kind, int seed)
    {
        var random = new Random(seed);
        var variants = new List<(string Name, byte[] File)>();
        for (var length = 0; length < file.Length; length += Math.Max(1, file.Length / 80))
        {
            variants.Add(($"truncated to {length}", file[..length]));
        }

        for (var i = 0; i < 100; i++)
        {
            var flipped = (byte[])file.Clone();
            var bit = random.Next(flipped.Length * 8);
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            variants.Add(($"bit {bit} flipped", flipped));
        }

        var payloadStart = PayloadOffset(kind);
        for (var i = 0; i < 80; i++)
        {
            var forged = (byte[])file.Clone();
            var offset = payloadStart + random.Next(forged.Length - payloadStart - 12);
            BitConverter.TryWriteBytes(forged.AsSpan(offset, 4), random.Next(2) == 0 ? -1 : int.MaxValue - random.Next(1000));
            variants.Add(($"forged Int32 at {offset}", Reseal(forged)));
        }

        return variants;
    }

    /// <summary>Loads every variant with <paramref name="load"/> and returns the names of those that loaded; fails if any exception but <see cref="ModelFormatException"/> escapes.</summary>
    internal static List<string> LoadedVariants(IEnumerable<(string Name, byte[] File)> variants, Action<Stream> load)
    {
        var loaded = new List<string>();
        foreach (var (name, bytes) in variants)
        {
            try
            {
                load(new MemoryStream(bytes));
                loaded.Add(name);
            }
            catch (ModelFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{name}: {e.GetType().Name} escaped: {e.Message}");
            }
        }

        return loaded;
    }

    /// <summary>A new file of <paramref name="kind"/> around an arbitrary payload, with a valid header and checksum.</summary>
    internal static byte[] Wrap(string kind, ReadOnlySpan<byte> payload)
    {
        var copy = payload.ToArray();
        return WriteFile(kind, writer => writer.WriteBytes(copy));
    }

    /// <summary>The payload of a file of <paramref name="kind"/>.</summary>
    internal static byte[] Payload(byte[] file, string kind) =>
        file.AsSpan(PayloadOffset(kind), file.Length - PayloadOffset(kind) - ModelFile.ChecksumLength).ToArray();

    /// <summary>Runs both reservoirs from a new state over the same inputs and asserts bit-identical states.</summary>
    internal static void AssertRunsIdentical(EchoStateReservoir expected, EchoStateReservoir actual, int steps, int seed)
    {
        var inputs = TestData.Uniform(steps, expected.InputDimension, seed);
        var teacher = expected.FeedbackDimension > 0 ? TestData.Uniform(steps, expected.FeedbackDimension, seed + 1, 0.5) : null;
        var a = expected.Run(expected.CreateState(), inputs, 0, teacher);
        var b = actual.Run(actual.CreateState(), inputs, 0, teacher);
        Assert.That(b, Is.EqualTo(a));
    }

    /// <summary>Asserts that two options are equal property by property, comparing lists element by element.</summary>
    internal static void AssertOptionsEqual(ReservoirOptions expected, ReservoirOptions actual)
    {
        Assert.That(actual.SkipConnections, Is.EqualTo(expected.SkipConnections));
        Assert.That(actual.InputScalingPerInput, Is.EqualTo(expected.InputScalingPerInput));
        Assert.That(actual.Clockwork?.Periods, Is.EqualTo(expected.Clockwork?.Periods));
        Assert.That(actual.Clockwork?.ModuleSizes, Is.EqualTo(expected.Clockwork?.ModuleSizes));
        var sameLists = actual with
        {
            SkipConnections = expected.SkipConnections,
            InputScalingPerInput = expected.InputScalingPerInput,
            Clockwork = expected.Clockwork,
        };
        Assert.That(sameLists, Is.EqualTo(expected));
    }
}
