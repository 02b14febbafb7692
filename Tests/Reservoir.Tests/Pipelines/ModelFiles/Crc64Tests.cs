using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class Crc64Tests
{
    /// <summary>The catalogued check value of CRC-64/ECMA-182 (CRC RevEng) for the ASCII bytes "123456789".</summary>
    private const ulong CheckValue = 0x6C40DF5F0B497347UL;

    [Test]
    public void Compute_CatalogueCheckInput_GivesCheckValue()
    {
        Assert.That(Crc64.Compute("123456789"u8), Is.EqualTo(CheckValue));
    }

    [Test]
    public void Compute_Empty_IsInitialValueZero()
    {
        Assert.That(Crc64.Compute([]), Is.EqualTo(0UL));
    }

    [Test]
    public void Append_InTwoParts_EqualsOneComputation()
    {
        var data = "123456789"u8.ToArray();

        var crc = Crc64.Append(Crc64.Compute(data.AsSpan(0, 4)), data.AsSpan(4));

        Assert.That(crc, Is.EqualTo(CheckValue));
    }

    [Test]
    public void Compute_EverySingleBitFlip_ChangesTheCrc()
    {
        const int Length = 64;
        var data = new byte[Length];
        new Random(3).NextBytes(data);
        var original = Crc64.Compute(data);

        for (var bit = 0; bit < Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.That(Crc64.Compute(data), Is.Not.EqualTo(original), $"bit {bit}");
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
