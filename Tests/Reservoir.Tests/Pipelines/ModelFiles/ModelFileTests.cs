using System.Buffers.Binary;
using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed partial class ModelFileTests
{
    private const string Kind = "TestModel";
    private const int VersionOffset = 8;
    private const int KindLengthOffset = 10;
    private const int PayloadLengthOffset = KindLengthOffset + 4 + 9;

    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("reservoir-modelfile-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static byte[] SmallFile() => ModelFileTestData.WriteFile(Kind, w =>
    {
        w.WriteInt32(42);
        w.WriteString("payload");
    });

    private static ModelReader Read(byte[] file)
    {
        using var stream = new MemoryStream(file, writable: false);
        return ModelFile.Read(stream, Kind);
    }

    [Test]
    public void Write_Header_HasMagicVersionKindAndPayloadLength()
    {
        var file = SmallFile();

        Assert.That(file.AsSpan(0, 8).ToArray(), Is.EqualTo("RSVRMODL"u8.ToArray()));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(VersionOffset)), Is.EqualTo(ModelFile.FormatVersion));
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(KindLengthOffset)), Is.EqualTo(Kind.Length));
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(PayloadLengthOffset)),
            Is.EqualTo((ulong)(file.Length - ModelFileTestData.PayloadOffset(Kind) - ModelFile.ChecksumLength)));
    }

    [Test]
    public void Read_WrittenFile_ReturnsReaderOverPayload()
    {
        var reader = Read(SmallFile());

        Assert.That(reader.ReadInt32("the number"), Is.EqualTo(42));
        Assert.That(reader.ReadString("the text"), Is.EqualTo("payload"));
        Assert.That(reader.Remaining, Is.Zero);
    }

    [Test]
    public void Read_TwoFilesInOneStream_LeavesStreamAfterTheFirst()
    {
        var file = SmallFile();
        using var stream = new MemoryStream([.. file, .. file]);

        ModelFile.Read(stream, Kind);

        Assert.That(stream.Position, Is.EqualTo(file.Length));
        Assert.That(ModelFile.Read(stream, Kind).ReadInt32("the number"), Is.EqualTo(42));
    }

    [Test]
    public void Read_ZipHeader_ThrowsNotAModelFile()
    {
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00];

        Assert.That(() => Read(zip), Throws.TypeOf<ModelFormatException>().With.Message.EqualTo(
            "Not a Reservoir model file: the magic header is 'PK\\u0003\\u0004\\u0014\\u0000\\u0000\\u0000', expected 'RSVRMODL'."));
    }

    [Test]
    public void Read_EmptyStream_ThrowsEmpty()
    {
        Assert.That(() => Read([]), Throws.TypeOf<ModelFormatException>().With.Message.StartsWith("The model data is empty"));
    }

    [Test]
    public void Read_StartOfMagicOnly_ThrowsTruncated()
    {
        Assert.That(() => Read("RSVR"u8.ToArray()), Throws.TypeOf<ModelFormatException>().With.Message.EqualTo(
            "Truncated: expected 8 bytes for the magic header at offset 0, 4 remain."));
    }

    [Test]
    public void Read_FutureVersion_ThrowsNamingBothVersions()
    {
        const ushort FutureVersion = 3;
        var file = SmallFile();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(VersionOffset), FutureVersion);

        Assert.That(() => Read(ModelFileTestData.Reseal(file)), Throws.TypeOf<ModelFormatException>().With.Message.StartsWith(
            "The file was written by format version 3; this library reads up to version 1."));
    }

    [Test]
    public void Read_VersionZero_Throws()
    {
        var file = SmallFile();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(VersionOffset), 0);

        Assert.That(() => Read(ModelFileTestData.Reseal(file)), Throws.TypeOf<ModelFormatException>().With.Message.Contains(
            "Invalid format version 0"));
    }

    [Test]
    public void Read_OtherKind_ThrowsNamingBothKinds()
    {
        var file = ModelFileTestData.WriteFile("ForecastEngine", w => w.WriteInt32(1));
        using var stream = new MemoryStream(file);

        Assert.That(() => ModelFile.Read(stream, "EchoStateNetwork"), Throws.TypeOf<ModelFormatException>().With.Message.EqualTo(
            "The file holds a 'ForecastEngine' model, but a 'EchoStateNetwork' model was expected."));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MaxValue)]
    public void Read_InvalidKindLength_Throws(int kindLength)
    {
        var file = SmallFile();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(KindLengthOffset), kindLength);

        Assert.That(() => Read(file), Throws.TypeOf<ModelFormatException>().With.Message.StartsWith(
            $"Invalid length {kindLength} for the content kind at offset 10"));
    }

    [TestCase(ulong.MaxValue)]
    [TestCase((ulong)long.MaxValue)]
    public void Read_PayloadLengthBeyondAnyArray_Throws(ulong payloadLength)
    {
        var file = SmallFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(PayloadLengthOffset), payloadLength);

        Assert.That(() => Read(file), Throws.TypeOf<ModelFormatException>().With.Message.StartsWith(
            $"Invalid payload length {payloadLength} at offset {PayloadLengthOffset}"));
    }

    [Test]
    public void Read_PayloadLengthBeyondSeekableStream_ThrowsTruncatedBeforeReading()
    {
        const ulong ClaimedLength = 1UL << 30;
        var file = SmallFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(PayloadLengthOffset), ClaimedLength);

        Assert.That(() => Read(file), Throws.TypeOf<ModelFormatException>().With.Message.StartsWith(
            $"Truncated: expected {ClaimedLength} bytes for the payload and 8 for the checksum at offset {PayloadLengthOffset + 8}"));
    }

    [Test]
    public void Read_PayloadLengthBeyondNonSeekableStream_ThrowsTruncatedAfterTheDataEnds()
    {
        const ulong ClaimedLength = 1UL << 30;
        var file = SmallFile();
        var actual = file.Length - PayloadLengthOffset - 8;
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(PayloadLengthOffset), ClaimedLength);
        using var stream = new ForwardOnlyStream(file);

        Assert.That(() => ModelFile.Read(stream, Kind), Throws.TypeOf<ModelFormatException>().With.Message.EqualTo(
            $"Truncated: expected {ClaimedLength} bytes for the payload and 8 for the checksum at offset {PayloadLengthOffset + 8}, {actual} remain."));
    }

    [Test]
    public void Read_NonSeekableStream_ReadsTheFile()
    {
        using var stream = new ForwardOnlyStream(SmallFile());

        Assert.That(ModelFile.Read(stream, Kind).ReadInt32("the number"), Is.EqualTo(42));
    }

    [Test]
    public void Read_FlippedPayloadByte_ThrowsChecksumMismatch()
    {
        var file = SmallFile();
        file[ModelFileTestData.PayloadOffset(Kind)] ^= 0x10;

        Assert.That(() => Read(file), Throws.TypeOf<ModelFormatException>().With.Message.StartsWith(
            "Checksum mismatch: the file is corrupted."));
    }

    [Test]
    public void ReadOfT_PayloadNotUsedUp_Throws()
    {
        using var stream = new MemoryStream(SmallFile());

        Assert.That(() => ModelFile.Read(stream, Kind, r => r.ReadInt32("the number")), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("unexpected bytes follow the TestModel payload"));
    }

    [Test]
    public void Write_KindLongerThanAllowed_ThrowsArgumentException()
    {
        var kind = new string('k', ModelFile.MaxKindBytes + 1);

        Assert.That(() => ModelFile.Write(Stream.Null, kind, _ => { }), Throws.TypeOf<ArgumentException>()
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo("kind"));
    }

    [Test]
    public void SaveThenLoad_File_RoundTrips()
    {
        var path = Path.Combine(_directory, "model.rsvr");

        ModelFile.Save(path, Kind, w => w.WriteDoubles([1.5, 2.5]));

        Assert.That(ModelFile.Load(path, Kind, r => r.ReadDoubles("the values")), Is.EqualTo(new[] { 1.5, 2.5 }));
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Save_ExistingFile_IsReplaced()
    {
        var path = Path.Combine(_directory, "model.rsvr");
        ModelFile.Save(path, Kind, w => w.WriteInt32(1));

        ModelFile.Save(path, Kind, w => w.WriteInt32(2));

        Assert.That(ModelFile.Load(path, Kind, r => r.ReadInt32("the number")), Is.EqualTo(2));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1));
    }

    [Test]
    public void SaveAtomically_WriterThrowsMidway_LeavesExistingFileIntactAndNoTemporaryFile()
    {
        var path = Path.Combine(_directory, "model.rsvr");
        byte[] original = [1, 2, 3, 4, 5];
        File.WriteAllBytes(path, original);

        Assert.That(() => ModelFile.SaveAtomically(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("Simulated failure after writing part of the file.");
        }), Throws.TypeOf<IOException>().With.Message.StartsWith("Simulated failure"));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(original));
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Save_BodyThrows_CreatesNoFile()
    {
        var path = Path.Combine(_directory, "model.rsvr");

        Assert.That(() => ModelFile.Save(path, Kind, _ => throw new InvalidOperationException("Simulated failure.")),
            Throws.TypeOf<InvalidOperationException>());

        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(_directory, "missing.rsvr");

        Assert.That(() => ModelFile.Load(path, Kind, r => r.ReadInt32("the number")), Throws.TypeOf<FileNotFoundException>());
    }

    [Test]
    public void Load_EmptyFile_ThrowsModelFormatException()
    {
        var path = Path.Combine(_directory, "empty.rsvr");
        File.WriteAllBytes(path, []);

        Assert.That(() => ModelFile.Load(path, Kind, r => r.ReadInt32("the number")), Throws.TypeOf<ModelFormatException>()
            .With.Message.StartsWith("The model data is empty"));
    }

    [Test]
    public void Load_BytesAfterChecksum_Throws()
    {
        var path = Path.Combine(_directory, "model.rsvr");
        File.WriteAllBytes(path, [.. SmallFile(), 0]);

        Assert.That(() => ModelFile.Load(path, Kind, r => r.ReadInt32("the number")), Throws.TypeOf<ModelFormatException>()
            .With.Message.StartsWith("1 unexpected bytes follow the checksum"));
    }

    /// <summary>A read-only stream that cannot seek, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
