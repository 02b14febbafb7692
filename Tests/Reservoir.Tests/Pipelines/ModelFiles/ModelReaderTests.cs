using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class ModelReaderTests
{
    private static ModelReader Over(Action<ModelWriter> write)
    {
        var writer = new ModelWriter();
        write(writer);
        return new ModelReader(writer.WrittenSpan.ToArray());
    }

    [TestCase(int.MaxValue, 0)]
    [TestCase(0, int.MaxValue)]
    [TestCase((1 << 24) + 1, 1)]
    public void ReadMatrix_DimensionAboveMaximum_ThrowsBeforeAllocating(int rows, int columns)
    {
        ModelFormatException? e = null;

        var allocated = Allocations.Fewest(() =>
        {
            var reader = Over(w =>
            {
                w.WriteInt32(rows);
                w.WriteInt32(columns);
            });
            e = Assert.Throws<ModelFormatException>(() => reader.ReadMatrix("the readout weights"));
        });

        Assert.That(e!.Message, Is.EqualTo(
            $"Invalid size {rows}×{columns} for the readout weights at offset 0: a dimension cannot exceed {ModelReader.MaxDimension}."));
        Assert.That(allocated, Is.LessThan(1 << 20));
    }

    [Test]
    public void ReadMatrix_EntriesBeyondRemainingBytes_ThrowsTruncatedBeforeAllocating()
    {
        var reader = Over(w =>
        {
            w.WriteInt32(1 << 24);
            w.WriteInt32(1 << 24);
        });

        Assert.That(() => reader.ReadMatrix("the input weights"), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo($"Truncated: expected {(1L << 48) * 8} bytes for the input weights at offset 8, 0 remain."));
    }

    [Test]
    public void ReadFiniteMatrix_OtherShape_ThrowsBeforeReadingEntries()
    {
        var reader = Over(w =>
        {
            w.WriteInt32(3);
            w.WriteInt32(1);
        });

        Assert.That(() => reader.ReadFiniteMatrix("the input weights", 2, 1), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo("Invalid size of the input weights at offset 0: the matrix is 3×1 but 2×1 is expected."));
    }

    [Test]
    public void ReadFiniteDoubles_OtherLength_ThrowsBeforeReadingValues()
    {
        var reader = Over(w => w.WriteInt32(int.MaxValue));

        Assert.That(() => reader.ReadFiniteDoubles("the leak rates", 10), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo("Invalid size of the leak rates at offset 0: 2147483647 values are stored but 10 are expected."));
    }

    [Test]
    public void ReadInt32_ThreeBytesLeft_ThrowsTruncatedNamingItemAndOffset()
    {
        var reader = new ModelReader([1, 2, 3]);

        Assert.That(() => reader.ReadInt32("the unit count"), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo("Truncated: expected 4 bytes for the unit count at offset 0, 3 remain."));
    }

    [Test]
    public void ReadDoubles_LengthBeyondRemainingBytes_ThrowsTruncatedBeforeAllocating()
    {
        var reader = Over(w =>
        {
            w.WriteInt32(100);
            w.WriteDouble(1);
        });

        Assert.That(() => reader.ReadDoubles("the recurrent values"), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo("Truncated: expected 800 bytes for the recurrent values at offset 4, 8 remain."));
    }

    [TestCase(-1)]
    [TestCase(int.MinValue)]
    public void ReadDoubles_NegativeLength_ThrowsNamingTheLength(int length)
    {
        var reader = Over(w => w.WriteInt32(length));

        Assert.That(() => reader.ReadDoubles("the bias"), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo($"Invalid length {length} for the bias at offset 0: a length cannot be negative."));
    }

    [Test]
    public void ReadDoubles_MaximalLength_ThrowsTruncatedWithoutOverflow()
    {
        var reader = Over(w => w.WriteInt32(int.MaxValue));

        Assert.That(() => reader.ReadDoubles("the bias"), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo($"Truncated: expected {(long)int.MaxValue * 8} bytes for the bias at offset 4, 0 remain."));
    }

    [Test]
    public void ReadInt32s_LengthBeyondRemainingBytes_ThrowsTruncated()
    {
        var reader = Over(w =>
        {
            w.WriteInt32(3);
            w.WriteInt32(7);
        });

        Assert.That(() => reader.ReadInt32s("the periods"), Throws.TypeOf<ModelFormatException>()
            .With.Message.StartsWith("Truncated: expected 12 bytes for the periods"));
    }

    [TestCase(-1, 2)]
    [TestCase(2, -1)]
    public void ReadMatrix_NegativeDimension_Throws(int rows, int columns)
    {
        var reader = Over(w =>
        {
            w.WriteInt32(rows);
            w.WriteInt32(columns);
        });

        Assert.That(() => reader.ReadMatrix("the input weights"), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("a dimension cannot be negative"));
    }

    [Test]
    public void ReadMatrix_DimensionsWhoseProductOverflowsInt_ThrowsTruncated()
    {
        var reader = Over(w =>
        {
            w.WriteInt32(65536);
            w.WriteInt32(65536);
        });

        Assert.That(() => reader.ReadMatrix("the input weights"), Throws.TypeOf<ModelFormatException>()
            .With.Message.StartsWith($"Truncated: expected {65536L * 65536 * 8} bytes"));
    }

    [Test]
    public void ReadFiniteMatrix_OtherSize_ThrowsNamingBothSizes()
    {
        var reader = Over(w => w.WriteMatrix(new double[2, 3]));

        Assert.That(() => reader.ReadFiniteMatrix("the input weights", 3, 2), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("the matrix is 2×3 but 3×2 is expected"));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void ReadFiniteDoubles_NonFiniteValue_ThrowsNamingIndexAndOffset(double bad)
    {
        var reader = Over(w => w.WriteDoubles([1.0, bad]));

        Assert.That(() => reader.ReadFiniteDoubles("the leak rates", 2), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("the leak rates at offset 12: value 1 is"));
    }

    [Test]
    public void ReadFiniteDoubles_OtherLength_Throws()
    {
        var reader = Over(w => w.WriteDoubles([1.0, 2.0]));

        Assert.That(() => reader.ReadFiniteDoubles("the bias", 3), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("2 values are stored but 3 are expected"));
    }

    [Test]
    public void ReadFiniteDouble_NaN_Throws()
    {
        var reader = Over(w => w.WriteDouble(double.NaN));

        Assert.That(() => reader.ReadFiniteDouble("the ridge penalty"), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo("Invalid value for the ridge penalty at offset 0: NaN is not finite."));
    }

    [Test]
    public void ReadBoolean_ByteTwo_Throws()
    {
        var reader = new ModelReader([2]);

        Assert.That(() => reader.ReadBoolean("the options flag"), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("the byte is 2, but a Boolean is stored as 0 or 1"));
    }

    [Test]
    public void ReadEnum_UndefinedValue_ThrowsListingTheMembers()
    {
        var reader = Over(w => w.WriteInt32(7));

        Assert.That(() => reader.ReadEnum<Activation>("the activation"), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("7 is not a member of Activation; expected one of Tanh, Identity"));
    }

    [Test]
    public void ReadString_InvalidUtf8_Throws()
    {
        var reader = Over(w => w.WriteBytes([2, 0, 0, 0, 0xC3, 0x28]));

        Assert.That(() => reader.ReadString("the section tag"), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("not valid UTF-8"));
    }

    [Test]
    public void ReadString_LongerThanAllowed_ThrowsBeforeReading()
    {
        const int MaxBytes = 4;
        var reader = Over(w => w.WriteString("ReservoirState"));

        Assert.That(() => reader.ReadString("the section tag", MaxBytes), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("Invalid length 14 for the section tag at offset 0"));
    }

    [Test]
    public void ReadCount_ItemsCannotFit_Throws()
    {
        const int BytesPerItem = 20;
        var reader = Over(w =>
        {
            w.WriteInt32(2);
            w.WriteBytes(new byte[BytesPerItem]);
        });

        Assert.That(() => reader.ReadCount("skip connections", BytesPerItem), Throws.TypeOf<ModelFormatException>()
            .With.Message.StartsWith("Truncated: expected 40 bytes for skip connections"));
    }

    [Test]
    public void ReadInt32_OutsideRange_ThrowsNamingRange()
    {
        var reader = Over(w => w.WriteInt32(0));

        Assert.That(() => reader.ReadInt32("the unit count", 1, int.MaxValue), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo($"Invalid value for the unit count at offset 0: 0 is outside [1, {int.MaxValue}]."));
    }

    [Test]
    public void ReadSectionHeader_OtherTag_ThrowsNamingBoth()
    {
        var reader = Over(w => w.WriteSectionHeader("RidgeSolution", 1));

        Assert.That(() => reader.ReadSectionHeader("ReservoirState", 1), Throws.TypeOf<ModelFormatException>()
            .With.Message.EqualTo("Expected a 'ReservoirState' section at offset 0 but found 'RidgeSolution'."));
    }

    [TestCase((ushort)0)]
    [TestCase((ushort)2)]
    public void ReadSectionHeader_UnsupportedVersion_Throws(ushort version)
    {
        var reader = Over(w => w.WriteSectionHeader("ReservoirState", version));

        Assert.That(() => reader.ReadSectionHeader("ReservoirState", 1), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains($"has version {version}; this library reads versions 1 to 1"));
    }

    [Test]
    public void ExpectEnd_BytesLeft_Throws()
    {
        var reader = new ModelReader([1, 2]);

        Assert.That(() => reader.ExpectEnd("the payload"), Throws.TypeOf<ModelFormatException>()
            .With.Message.StartsWith("2 unexpected bytes follow the payload at offset 0"));
    }

    [Test]
    public void Offset_ReaderOverPartOfBuffer_CountsFromTheGivenFileOffset()
    {
        const long FileOffset = 1000;
        var reader = new ModelReader(new byte[16], 4, 8, FileOffset);

        reader.ReadInt32("value");

        Assert.That(reader.Offset, Is.EqualTo(FileOffset + 4));
        Assert.That(reader.Remaining, Is.EqualTo(4));
    }
}
