using System.Buffers.Binary;
using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

/// <summary>Corruption fuzzing of a real reservoir-and-state file: every failure must be a <see cref="ModelFormatException"/>.</summary>
public sealed partial class ModelFileTests
{
    private const int BitFlipCount = 300;
    private const int BitFlipSeed = 20240601;
    private const int GarbageCount = 300;
    private const int GarbageSeed = 77;
    private const string CorruptionKind = ModelFileTestData.ReservoirAndStateKind;

    private static readonly int[] ForgedInt32s = [-1, int.MinValue, int.MaxValue, 1 << 30, 0x7FFFFFF0];

    private static readonly Lazy<byte[]> RichFile = new(ModelFileTestData.RichReservoirAndStateFile);

    /// <summary>The outcome of loading one variant: null when it loaded, else the exception.</summary>
    private static Exception? TryLoad(byte[] file)
    {
        try
        {
            ModelFileTestData.LoadReservoirAndState(file);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Asserts that every variant failed with exactly <see cref="ModelFormatException"/>, listing the first offenders.</summary>
    private static void AssertAllRejected(IReadOnlyList<(string Name, byte[] File)> variants, int minimumCount)
    {
        Assert.That(variants, Has.Count.GreaterThanOrEqualTo(minimumCount));
        var offenders = new List<string>();
        foreach (var (name, file) in variants)
        {
            var outcome = TryLoad(file);
            if (outcome is not ModelFormatException)
            {
                offenders.Add($"{name}: {(outcome is null ? "loaded" : outcome.GetType().Name + ": " + outcome.Message)}");
            }
        }

        Assert.That(offenders, Is.Empty, string.Join(Environment.NewLine, offenders.Take(10)));
    }

    /// <summary>Asserts that no variant failed with anything but <see cref="ModelFormatException"/>; returns the messages of the rejected ones.</summary>
    private static List<string> AssertOnlyModelFormatExceptions(IReadOnlyList<(string Name, byte[] File)> variants, int minimumCount)
    {
        Assert.That(variants, Has.Count.GreaterThanOrEqualTo(minimumCount));
        var offenders = new List<string>();
        var rejected = new List<string>();
        foreach (var (name, file) in variants)
        {
            switch (TryLoad(file))
            {
                case null:
                    break;
                case ModelFormatException e:
                    rejected.Add(e.Message);
                    break;
                case var other:
                    offenders.Add($"{name}: {other.GetType().Name}: {other.Message}");
                    break;
            }
        }

        Assert.That(offenders, Is.Empty, string.Join(Environment.NewLine, offenders.Take(10)));
        return rejected;
    }

    [Test]
    public void Load_RichFile_RoundTripsUnchanged()
    {
        Assert.That(TryLoad(RichFile.Value), Is.Null);
    }

    [Test]
    public void Load_EveryTruncation_ThrowsModelFormatException()
    {
        var file = RichFile.Value;
        var variants = Enumerable.Range(0, file.Length).Select(length => ($"first {length} bytes", file[..length])).ToList();

        AssertAllRejected(variants, minimumCount: 200);
    }

    [Test]
    public void Load_SeededSingleBitFlips_ThrowModelFormatException()
    {
        var file = RichFile.Value;
        var random = new Random(BitFlipSeed);
        var variants = new List<(string, byte[])>();
        for (var i = 0; i < BitFlipCount; i++)
        {
            var bit = random.Next(file.Length * 8);
            var variant = (byte[])file.Clone();
            variant[bit / 8] ^= (byte)(1 << (bit % 8));
            variants.Add(($"bit {bit} flipped", variant));
        }

        AssertAllRejected(variants, minimumCount: BitFlipCount);
    }

    [Test]
    public void Load_HeaderLengthsForged_ThrowModelFormatException()
    {
        var file = RichFile.Value;
        var payloadLengthOffset = ModelFileTestData.PayloadOffset(CorruptionKind) - 8;
        var variants = new List<(string, byte[])>();
        foreach (var forged in ForgedInt32s)
        {
            var variant = (byte[])file.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(variant.AsSpan(KindLengthOffset), forged);
            variants.Add(($"kind length {forged}", variant));
        }

        foreach (var forged in new[] { ulong.MaxValue, (ulong)long.MaxValue, 1UL << 31, (ulong)file.Length, 0UL })
        {
            var variant = (byte[])file.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(variant.AsSpan(payloadLengthOffset), forged);
            variants.Add(($"payload length {forged}", variant));
            variants.Add(($"payload length {forged}, resealed", ModelFileTestData.Reseal((byte[])variant.Clone())));
        }

        AssertAllRejected(variants, minimumCount: 15);
    }

    [Test]
    public void Load_Int32sForgedAtEveryPayloadOffset_ThrowModelFormatException()
    {
        var variants = ForgedInt32Variants(reseal: false);

        AssertAllRejected(variants, minimumCount: 200);
    }

    [Test]
    public void Load_Int32sForgedAtEveryPayloadOffsetWithValidChecksum_ThrowOnlyModelFormatException()
    {
        var variants = ForgedInt32Variants(reseal: true);

        var rejected = AssertOnlyModelFormatExceptions(variants, minimumCount: 200);

        // Most forged values land inside doubles and make other finite weights, which load. The checksum cannot help
        // here, so the rejections must come from the bounds and value checks: negative and oversized length prefixes,
        // CSR layouts, sizes that disagree.
        Assert.That(rejected, Has.Some.StartsWith("Invalid length -1 for"));
        Assert.That(rejected, Has.Some.StartsWith("Truncated: expected"));
        Assert.That(rejected, Has.Some.StartsWith("Invalid CSR layout of the recurrent weights"));
        Assert.That(rejected, Has.Some.Contains("the reservoir has 24, 1 and 5"));
    }

    [Test]
    public void Load_PayloadTruncatedWithValidContainer_ThrowsModelFormatException()
    {
        var payload = ModelFileTestData.Payload(RichFile.Value, CorruptionKind);
        var variants = Enumerable.Range(0, payload.Length)
            .Select(length => ($"payload cut to {length} bytes", ModelFileTestData.Wrap(CorruptionKind, payload.AsSpan(0, length))))
            .ToList();

        AssertAllRejected(variants, minimumCount: 200);
    }

    [Test]
    public void Load_PayloadWithExtraBytesInValidContainer_ThrowsModelFormatException()
    {
        var payload = ModelFileTestData.Payload(RichFile.Value, CorruptionKind);

        Assert.That(TryLoad(ModelFileTestData.Wrap(CorruptionKind, [.. payload, 0])), Is.TypeOf<ModelFormatException>()
            .With.Message.StartsWith("1 unexpected bytes follow"));
    }

    [Test]
    public void Load_SeededGarbageWithValidChecksum_ThrowsOnlyModelFormatException()
    {
        var file = RichFile.Value;
        var payloadStart = ModelFileTestData.PayloadOffset(CorruptionKind);
        var payloadEnd = file.Length - ModelFile.ChecksumLength;
        var random = new Random(GarbageSeed);
        var variants = new List<(string, byte[])>();
        for (var i = 0; i < GarbageCount; i++)
        {
            var variant = (byte[])file.Clone();
            var at = random.Next(payloadStart, payloadEnd);
            var count = Math.Min(random.Next(1, 9), payloadEnd - at);
            random.NextBytes(variant.AsSpan(at, count));
            variants.Add(($"{count} random bytes at {at}", ModelFileTestData.Reseal(variant)));
        }

        var rejected = AssertOnlyModelFormatExceptions(variants, minimumCount: GarbageCount);

        Assert.That(rejected, Is.Not.Empty);
    }

    [Test]
    public void Load_SeededBitFlipsWithValidChecksum_ThrowOnlyModelFormatException()
    {
        var file = RichFile.Value;
        var payloadBits = (file.Length - ModelFile.ChecksumLength) * 8;
        var random = new Random(BitFlipSeed + 1);
        var variants = new List<(string, byte[])>();
        for (var i = 0; i < BitFlipCount; i++)
        {
            var bit = random.Next(payloadBits);
            var variant = (byte[])file.Clone();
            variant[bit / 8] ^= (byte)(1 << (bit % 8));
            variants.Add(($"bit {bit} flipped, resealed", ModelFileTestData.Reseal(variant)));
        }

        var rejected = AssertOnlyModelFormatExceptions(variants, minimumCount: BitFlipCount);

        Assert.That(rejected, Is.Not.Empty);
    }

    /// <summary>The rich file with each forged Int32 written at every payload offset (length prefixes, counts, sizes and everything between).</summary>
    private static List<(string, byte[])> ForgedInt32Variants(bool reseal)
    {
        var file = RichFile.Value;
        var payloadStart = ModelFileTestData.PayloadOffset(CorruptionKind);
        var payloadEnd = file.Length - ModelFile.ChecksumLength;
        var variants = new List<(string, byte[])>();
        for (var at = payloadStart; at + sizeof(int) <= payloadEnd; at++)
        {
            foreach (var forged in ForgedInt32s)
            {
                if (BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at)) == forged)
                {
                    continue;
                }

                var variant = (byte[])file.Clone();
                BinaryPrimitives.WriteInt32LittleEndian(variant.AsSpan(at), forged);
                variants.Add(($"{forged} written at {at}", reseal ? ModelFileTestData.Reseal(variant) : variant));
            }
        }

        return variants;
    }
}
