using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class ModelWriterTests
{
    [Test]
    public void Write_EveryPrimitive_ReadsBackExactly()
    {
        const string Text = "Größe τ ✓";
        double[] doubles = [0.0, -0.0, double.Epsilon, -1.5e300, Math.PI];
        int[] ints = [int.MinValue, -1, 0, int.MaxValue];
        var matrix = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var writer = new ModelWriter();

        writer.WriteUInt16(ushort.MaxValue);
        writer.WriteInt32(-123456789);
        writer.WriteInt64(long.MinValue);
        writer.WriteUInt64(ulong.MaxValue);
        writer.WriteDouble(double.NaN);
        writer.WriteBoolean(true);
        writer.WriteBoolean(false);
        writer.WriteString(Text);
        writer.WriteEnum(Activation.Identity);
        writer.WriteDoubles(doubles);
        writer.WriteInt32s(ints);
        writer.WriteMatrix(matrix);
        var reader = new ModelReader(writer.WrittenSpan.ToArray());

        Assert.That(reader.ReadUInt16("u16"), Is.EqualTo(ushort.MaxValue));
        Assert.That(reader.ReadInt32("i32"), Is.EqualTo(-123456789));
        Assert.That(reader.ReadInt64("i64"), Is.EqualTo(long.MinValue));
        Assert.That(reader.ReadUInt64("u64"), Is.EqualTo(ulong.MaxValue));
        Assert.That(reader.ReadDouble("nan"), Is.NaN);
        Assert.That(reader.ReadBoolean("true"), Is.True);
        Assert.That(reader.ReadBoolean("false"), Is.False);
        Assert.That(reader.ReadString("text"), Is.EqualTo(Text));
        Assert.That(reader.ReadEnum<Activation>("activation"), Is.EqualTo(Activation.Identity));
        var readDoubles = reader.ReadDoubles("doubles");
        Assert.That(readDoubles.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(doubles.Select(BitConverter.DoubleToInt64Bits)));
        Assert.That(reader.ReadInt32s("ints"), Is.EqualTo(ints));
        Assert.That(reader.ReadMatrix("matrix"), Is.EqualTo(matrix));
        Assert.DoesNotThrow(() => reader.ExpectEnd("the test data"));
    }

    [Test]
    public void WriteInt32_Value_IsLittleEndian()
    {
        var writer = new ModelWriter();

        writer.WriteInt32(0x01020304);

        Assert.That(writer.WrittenSpan.ToArray(), Is.EqualTo(new byte[] { 4, 3, 2, 1 }));
    }

    [Test]
    public void Write_BeyondInitialCapacity_GrowsAndKeepsEveryByte()
    {
        const int Count = 10_000;
        var writer = new ModelWriter();

        for (var i = 0; i < Count; i++)
        {
            writer.WriteInt32(i);
        }

        var reader = new ModelReader(writer.WrittenSpan.ToArray());
        Assert.That(writer.Length, Is.EqualTo(Count * sizeof(int)));
        for (var i = 0; i < Count; i++)
        {
            Assert.That(reader.ReadInt32("value"), Is.EqualTo(i));
        }
    }

    [Test]
    public void WriteString_UnpairedSurrogate_ThrowsArgumentException()
    {
        var writer = new ModelWriter();

        Assert.That(() => writer.WriteString("\ud800"), Throws.InstanceOf<ArgumentException>());
    }
}
