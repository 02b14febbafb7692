using System.Buffers.Binary;
using System.Text;

namespace Reservoir.Pipelines;

/// <summary>The versioned container of every Reservoir model file: a header naming the format version and content kind, a payload and a checksum.</summary>
/// <remarks>
/// <para>Layout (little-endian):</para>
/// <list type="number">
/// <item>the 8 ASCII bytes "RSVRMODL";</item>
/// <item>UInt16 format version (currently <see cref="FormatVersion"/>);</item>
/// <item>the content kind, such as "EchoStateNetwork": Int32 UTF-8 byte count (1 to <see cref="MaxKindBytes"/>) and bytes;</item>
/// <item>UInt64 payload length in bytes, then the payload, written by a <see cref="ModelWriter"/>;</item>
/// <item>UInt64 CRC-64/ECMA-182 (<see cref="Crc64"/>) of every byte before it.</item>
/// </list>
/// <para>
/// Reading checks, in order, the magic, the version, the kind's length, the payload length against the bytes actually
/// present, the checksum and the kind, and only then hands out the payload; every failure is a
/// <see cref="ModelFormatException"/>. Errors of the stream or file system (a missing file, a failing disk) stay the
/// usual <see cref="IOException"/> family.
/// </para>
/// </remarks>
internal static class ModelFile
{
    /// <summary>The newest container format version this library writes and reads.</summary>
    internal const ushort FormatVersion = 1;

    /// <summary>The longest content kind, in UTF-8 bytes.</summary>
    internal const int MaxKindBytes = 64;

    /// <summary>The size of the checksum that ends the file.</summary>
    internal const int ChecksumLength = sizeof(ulong);

    private const string MagicText = "RSVRMODL";

    private const int MagicLength = 8;

    private const int VersionOffset = MagicLength;

    private const int KindOffset = VersionOffset + sizeof(ushort);

    private const int InitialReadChunk = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The magic header bytes.</summary>
    internal static ReadOnlySpan<byte> Magic => "RSVRMODL"u8;

    /// <summary>Writes a complete model file: header, the payload that <paramref name="body"/> writes, and checksum.</summary>
    /// <remarks>The payload is built in memory first, so nothing reaches the stream if <paramref name="body"/> throws.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty or longer than <see cref="MaxKindBytes"/> UTF-8 bytes, or the stream cannot be written.</exception>
    internal static void Write(Stream stream, string kind, Action<ModelWriter> body)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable; it is not.", nameof(stream));
        }

        stream.Write(Assemble(kind, body).WrittenSpan);
    }

    /// <summary>Reads and checks a model file from the stream's current position and returns a reader over its payload.</summary>
    /// <remarks>
    /// Reads exactly the container (header, payload, checksum) and leaves the stream just after it. The payload is read
    /// in growing chunks, so a forged length cannot make it allocate more than about twice the bytes actually present.
    /// Offsets in messages count from the container's first byte.
    /// </remarks>
    /// <returns>A reader positioned at the first payload byte; call <see cref="ModelReader.ExpectEnd"/> after reading the payload.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    /// <exception cref="ModelFormatException">The data is empty, truncated, not a model file, of a newer format version, corrupted (checksum mismatch) or of another kind than <paramref name="expectedKind"/>.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    internal static ModelReader Read(Stream stream, string expectedKind)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(expectedKind);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable; it is not.", nameof(stream));
        }

        var header = new byte[KindOffset + sizeof(int) + MaxKindBytes + sizeof(ulong)];
        ReadMagic(stream, header);
        ReadExactly(stream, header.AsSpan(VersionOffset, sizeof(ushort)), "the format version", VersionOffset);
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(VersionOffset));
        if (version == 0)
        {
            throw new ModelFormatException(
                $"Invalid format version 0 at offset {VersionOffset}; versions start at 1. The file is corrupted.");
        }

        if (version > FormatVersion)
        {
            throw new ModelFormatException(
                $"The file was written by format version {version}; this library reads up to version {FormatVersion}. Update the library to load it.");
        }

        ReadExactly(stream, header.AsSpan(KindOffset, sizeof(int)), "the content kind length", KindOffset);
        var kindLength = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(KindOffset));
        if (kindLength < 1 || kindLength > MaxKindBytes)
        {
            throw new ModelFormatException(
                $"Invalid length {kindLength} for the content kind at offset {KindOffset}: it must be in [1, {MaxKindBytes}] bytes.");
        }

        var kindStart = KindOffset + sizeof(int);
        ReadExactly(stream, header.AsSpan(kindStart, kindLength), "the content kind", kindStart);
        var lengthOffset = kindStart + kindLength;
        ReadExactly(stream, header.AsSpan(lengthOffset, sizeof(ulong)), "the payload length", lengthOffset);
        var headerLength = lengthOffset + sizeof(ulong);
        var payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(lengthOffset));
        var largestPayload = (ulong)(Array.MaxLength - headerLength - ChecksumLength);
        if (payloadLength > largestPayload)
        {
            throw new ModelFormatException(
                $"Invalid payload length {payloadLength} at offset {lengthOffset}: a model file holds at most {largestPayload} payload bytes.");
        }

        var rest = (long)payloadLength + ChecksumLength;
        if (stream.CanSeek)
        {
            var remaining = Math.Max(0, stream.Length - stream.Position);
            if (rest > remaining)
            {
                throw TruncatedPayload(payloadLength, headerLength, remaining);
            }
        }

        var total = headerLength + (int)rest;
        var buffer = ReadRest(stream, header.AsSpan(0, headerLength), total, payloadLength);
        var body = buffer.AsSpan(0, total - ChecksumLength);
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(total - ChecksumLength));
        var computed = Crc64.Compute(body);
        if (stored != computed)
        {
            throw new ModelFormatException(
                $"Checksum mismatch: the file is corrupted. The stored CRC-64 is 0x{stored:X16}; the {body.Length} bytes before it give 0x{computed:X16}.");
        }

        string kind;
        try
        {
            kind = StrictUtf8.GetString(header, kindStart, kindLength);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException($"Invalid content kind at offset {kindStart}: the bytes are not valid UTF-8.", e);
        }

        if (kind != expectedKind)
        {
            throw new ModelFormatException(
                $"The file holds a '{kind}' model, but a '{expectedKind}' model was expected.");
        }

        return new ModelReader(buffer, headerLength, (int)payloadLength, headerLength);
    }

    /// <summary>Reads a model file from the stream with <paramref name="read"/> and checks that it consumed the whole payload.</summary>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read.</exception>
    /// <exception cref="ModelFormatException">The container is invalid (see <see cref="Read(Stream, string)"/>), the payload is, or bytes are left over.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    internal static T Read<T>(Stream stream, string expectedKind, Func<ModelReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = Read(stream, expectedKind);
        var result = read(reader);
        reader.ExpectEnd("the " + expectedKind + " payload");
        return result;
    }

    /// <summary>Writes a model file to <paramref name="path"/> atomically (see <see cref="SaveAtomically"/>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The path or the kind is invalid.</exception>
    /// <exception cref="IOException">The file cannot be written; any existing file at <paramref name="path"/> is left unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the directory or file is denied.</exception>
    internal static void Save(string path, string kind, Action<ModelWriter> body)
    {
        var file = Assemble(kind, body);
        SaveAtomically(path, stream => stream.Write(file.WrittenSpan));
    }

    /// <summary>Loads a model file with <paramref name="read"/>, checking the container, the whole payload and that nothing follows the checksum.</summary>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or invalid.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The content is not a valid model of kind <paramref name="expectedKind"/>.</exception>
    internal static T Load<T>(string path, string expectedKind, Func<ModelReader, T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(read);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = Read(stream, expectedKind);
        if (stream.Position != stream.Length)
        {
            throw new ModelFormatException(
                $"{stream.Length - stream.Position} unexpected bytes follow the checksum at offset {stream.Position}; the file is corrupted.");
        }

        var result = read(reader);
        reader.ExpectEnd("the " + expectedKind + " payload");
        return result;
    }

    /// <summary>Writes a file so that <paramref name="path"/> holds either its old content or the complete new one, never a partial file.</summary>
    /// <remarks>
    /// <paramref name="write"/> writes to a new, uniquely named temporary file in the same directory, which is flushed to
    /// disk and then moved over <paramref name="path"/> (a rename within one volume). If anything throws, the temporary
    /// file is deleted and the exception propagates; an existing file at <paramref name="path"/> is not touched.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, invalid or names a directory root.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    /// <exception cref="IOException">Writing or moving fails.</exception>
    internal static void SaveAtomically(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var fileName = Path.GetFileName(fullPath);
        var directory = Path.GetDirectoryName(fullPath);
        if (string.IsNullOrEmpty(fileName) || directory is null)
        {
            throw new ArgumentException($"path must name a file; '{path}' names a directory.", nameof(path));
        }

        var temporary = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The whole file (header, payload, checksum) in memory.</summary>
    private static ModelWriter Assemble(string kind, Action<ModelWriter> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(body);
        var kindBytes = StrictUtf8.GetByteCount(kind);
        if (kindBytes > MaxKindBytes)
        {
            throw new ArgumentException(
                $"kind must be at most {MaxKindBytes} UTF-8 bytes; '{kind}' has {kindBytes}.", nameof(kind));
        }

        var payload = new ModelWriter();
        body(payload);
        var file = new ModelWriter();
        file.WriteBytes(Magic);
        file.WriteUInt16(FormatVersion);
        file.WriteString(kind);
        file.WriteUInt64((ulong)payload.Length);
        file.WriteBytes(payload.WrittenSpan);
        file.WriteUInt64(Crc64.Compute(file.WrittenSpan));
        return file;
    }

    private static void ReadMagic(Stream stream, byte[] header)
    {
        var count = stream.ReadAtLeast(header.AsSpan(0, MagicLength), MagicLength, throwOnEndOfStream: false);
        if (count == 0)
        {
            throw new ModelFormatException($"The model data is empty; a Reservoir model file starts with '{MagicText}'.");
        }

        var found = header.AsSpan(0, count);
        if (!found.SequenceEqual(Magic[..count]))
        {
            throw new ModelFormatException(
                $"Not a Reservoir model file: the magic header is '{Printable(found)}', expected '{MagicText}'.");
        }

        if (count < MagicLength)
        {
            throw Truncated(MagicLength, "the magic header", 0, count);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> target, string what, long offset)
    {
        var count = stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        if (count < target.Length)
        {
            throw Truncated(target.Length, what, offset, count);
        }
    }

    /// <summary>Reads the payload and checksum after the header, growing the buffer only as data arrives.</summary>
    private static byte[] ReadRest(Stream stream, ReadOnlySpan<byte> header, int total, ulong payloadLength)
    {
        var buffer = new byte[Math.Min(total, header.Length + InitialReadChunk)];
        header.CopyTo(buffer);
        var position = header.Length;
        while (position < total)
        {
            if (position == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
            }

            var read = stream.Read(buffer, position, buffer.Length - position);
            if (read == 0)
            {
                throw TruncatedPayload(payloadLength, header.Length, position - header.Length);
            }

            position += read;
        }

        return buffer;
    }

    private static ModelFormatException Truncated(long expected, string what, long offset, long remaining) =>
        new($"Truncated: expected {expected} bytes for {what} at offset {offset}, {remaining} remain.");

    private static ModelFormatException TruncatedPayload(ulong payloadLength, int offset, long remaining) =>
        new($"Truncated: expected {payloadLength} bytes for the payload and {ChecksumLength} for the checksum at offset {offset}, {remaining} remain.");

    /// <summary>Bytes as text for a message: printable ASCII as is, anything else as a \uXXXX escape.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\' and not (byte)'\'')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{b:X4}");
            }
        }

        return text.ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
