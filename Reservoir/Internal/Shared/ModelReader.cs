using System.Buffers.Binary;
using System.Text;
#if PIPELINES_ASSEMBLY
using FormatError = Reservoir.Pipelines.ModelFormatException;
#else
using FormatError = System.IO.InvalidDataException;
#endif

#if PIPELINES_ASSEMBLY
namespace Reservoir.Pipelines;
#elif READOUTS_ASSEMBLY
namespace Reservoir.Readouts.Persistence;
#else
namespace Reservoir.Persistence;
#endif

/// <summary>Reads what <see cref="ModelWriter"/> wrote, checking every length against the bytes that remain before reading or allocating.</summary>
/// <remarks>
/// Each read names what it reads (for example "the recurrent values"), and every problem — too few bytes, a negative
/// or oversized length prefix, an undefined enum value, a non-finite number — throws a <see cref="FormatError"/> (an <see cref="InvalidDataException"/> in Reservoir and Readouts, which Pipelines turns into its public <c>ModelFormatException</c> with the same message)
/// naming that item and its offset. Offsets count from the start of the model file. Not thread-safe.
/// </remarks>
internal sealed class ModelReader
{
    /// <summary>The default cap on the UTF-8 byte count of a string.</summary>
    internal const int DefaultMaxStringBytes = 1024;

    /// <summary>
    /// The largest matrix dimension read (2²⁴ = 16 777 216): four times the unit count that fits the reservoirs' memory
    /// budget (ReservoirLimits in the Reservoir assembly), so no saved model reaches it, while a forged dimension with a
    /// zero-sized partner (which no byte count bounds) is refused before anything is allocated.
    /// </summary>
    internal const int MaxDimension = 1 << 24;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _buffer;
    private readonly int _end;
    private readonly long _offsetOfStart;
    private readonly int _start;
    private int _position;

    /// <summary>A reader over a whole array, whose first byte is at offset 0.</summary>
    internal ModelReader(byte[] buffer)
        : this(buffer, 0, buffer.Length, 0)
    {
    }

    /// <summary>A reader over <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="start"/>; the first of them is reported at <paramref name="offsetOfStart"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the buffer, or the offset is negative.</exception>
    internal ModelReader(byte[] buffer, int start, int length, long offsetOfStart)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (start < 0 || length < 0 || start > buffer.Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"The range [{start}, {(long)start + length}) must lie inside the buffer of {buffer.Length} bytes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offsetOfStart);
        _buffer = buffer;
        _start = start;
        _position = start;
        _end = start + length;
        _offsetOfStart = offsetOfStart;
    }

    /// <summary>The offset of the next byte, counted from the start of the model file.</summary>
    internal long Offset => _offsetOfStart + (_position - _start);

    /// <summary>The number of bytes not read yet.</summary>
    internal int Remaining => _end - _position;

    /// <summary>The bytes not read yet, for a section that another assembly reads.</summary>
    internal ReadOnlyMemory<byte> RemainingBytes => _buffer.AsMemory(_position, Remaining);

    /// <summary>A reader over <paramref name="data"/>, whose first byte is reported at <paramref name="offsetOfStart"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative.</exception>
    internal static ModelReader Over(ReadOnlyMemory<byte> data, long offsetOfStart) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is { } array
            ? new ModelReader(array, segment.Offset, segment.Count, offsetOfStart)
            : new ModelReader(data.ToArray(), 0, data.Length, offsetOfStart);

    /// <summary>Moves past <paramref name="count"/> bytes that another reader has read.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than remain.</exception>
    internal void Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Remaining);
        _position += count;
    }

    /// <summary>The number of bytes read so far.</summary>
    internal int BytesRead => _position - _start;

    /// <summary>Reads a UInt16.</summary>
    /// <exception cref="FormatError">Fewer than 2 bytes remain.</exception>
    internal ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(sizeof(ushort), what));

    /// <summary>Reads an Int32.</summary>
    /// <exception cref="FormatError">Fewer than 4 bytes remain.</exception>
    internal int ReadInt32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int), what));

    /// <summary>Reads an Int32 and checks that it lies in [min, max].</summary>
    /// <exception cref="FormatError">Fewer than 4 bytes remain, or the value is outside [min, max].</exception>
    internal int ReadInt32(string what, int min, int max)
    {
        var offset = Offset;
        var value = ReadInt32(what);
        if (value < min || value > max)
        {
            throw new FormatError(
                $"Invalid value for {what} at offset {offset}: {value} is outside [{min}, {max}].");
        }

        return value;
    }

    /// <summary>Reads an Int64.</summary>
    /// <exception cref="FormatError">Fewer than 8 bytes remain.</exception>
    internal long ReadInt64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long), what));

    /// <summary>Reads a UInt64.</summary>
    /// <exception cref="FormatError">Fewer than 8 bytes remain.</exception>
    internal ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong), what));

    /// <summary>Reads a double from its IEEE 754 bits; any value, including NaN and infinities.</summary>
    /// <exception cref="FormatError">Fewer than 8 bytes remain.</exception>
    internal double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double), what));

    /// <summary>Reads a double that must be finite.</summary>
    /// <exception cref="FormatError">Fewer than 8 bytes remain, or the value is NaN or infinite.</exception>
    internal double ReadFiniteDouble(string what)
    {
        var offset = Offset;
        var value = ReadDouble(what);
        if (!double.IsFinite(value))
        {
            throw new FormatError($"Invalid value for {what} at offset {offset}: {Guard.Format(value)} is not finite.");
        }

        return value;
    }

    /// <summary>Reads a Boolean stored as one byte, 0 or 1.</summary>
    /// <exception cref="FormatError">No byte remains, or the byte is neither 0 nor 1.</exception>
    internal bool ReadBoolean(string what)
    {
        var offset = Offset;
        var value = Take(1, what)[0];
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new FormatError(
                $"Invalid value for {what} at offset {offset}: the byte is {value}, but a Boolean is stored as 0 or 1."),
        };
    }

    /// <summary>Reads an enum stored as an Int32 and checks that it names a defined member.</summary>
    /// <exception cref="FormatError">Fewer than 4 bytes remain, or the value is not a member of <typeparamref name="T"/>.</exception>
    internal T ReadEnum<T>(string what)
        where T : struct, Enum
    {
        var offset = Offset;
        var raw = ReadInt32(what);
        var value = (T)Enum.ToObject(typeof(T), raw);
        if (!Enum.IsDefined(value))
        {
            throw new FormatError(
                $"Invalid value for {what} at offset {offset}: {raw} is not a member of {typeof(T).Name}; expected one of {string.Join(", ", Enum.GetNames<T>())}.");
        }

        return value;
    }

    /// <summary>Reads a string stored as its UTF-8 byte count (Int32) and bytes.</summary>
    /// <exception cref="FormatError">The count is negative or above <paramref name="maxBytes"/>, fewer bytes remain, or the bytes are not valid UTF-8.</exception>
    internal string ReadString(string what, int maxBytes = DefaultMaxStringBytes)
    {
        var offset = Offset;
        var count = ReadInt32(what + " length");
        if (count < 0 || count > maxBytes)
        {
            throw new FormatError(
                $"Invalid length {count} for {what} at offset {offset}: a length must be in [0, {maxBytes}] bytes.");
        }

        var bytes = Take(count, what);
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatError($"Invalid value for {what} at offset {offset + sizeof(int)}: the bytes are not valid UTF-8.", e);
        }
    }

    /// <summary>Reads a count of items that follow, each at least <paramref name="minBytesPerItem"/> bytes, so that the count can be trusted for allocation.</summary>
    /// <exception cref="FormatError">The count is negative, or the items could not fit in the bytes that remain.</exception>
    internal int ReadCount(string what, int minBytesPerItem)
    {
        // Items of no bytes would let any count through to the allocation.
        ArgumentOutOfRangeException.ThrowIfLessThan(minBytesPerItem, 1);
        var offset = Offset;
        var count = ReadInt32("the number of " + what);
        CheckLength(count, minBytesPerItem, what, offset);
        return count;
    }

    /// <summary>Reads an array of doubles stored as its length (Int32) and values.</summary>
    /// <exception cref="FormatError">The length is negative or the values would run past the end.</exception>
    internal double[] ReadDoubles(string what)
    {
        var offset = Offset;
        var count = ReadInt32(what + " length");
        CheckLength(count, sizeof(double), what, offset);
        return ReadDoubleValues(count, what);
    }

    /// <summary>Reads an array of doubles of a known length, each of which must be finite.</summary>
    /// <exception cref="FormatError">The stored length differs from <paramref name="expectedLength"/>, the values run past the end, or one is not finite.</exception>
    internal double[] ReadFiniteDoubles(string what, int expectedLength)
    {
        var offset = Offset;
        var count = ReadInt32(what + " length");
        if (count != expectedLength)
        {
            throw new FormatError(
                $"Invalid size of {what} at offset {offset}: {count} values are stored but {expectedLength} are expected.");
        }

        CheckLength(count, sizeof(double), what, offset);
        var values = ReadDoubleValues(count, what);
        CheckFinite(values, what, offset + sizeof(int));
        return values;
    }

    /// <summary>Reads an array of Int32s stored as its length (Int32) and values.</summary>
    /// <exception cref="FormatError">The length is negative or the values would run past the end.</exception>
    internal int[] ReadInt32s(string what)
    {
        var offset = Offset;
        var count = ReadInt32(what + " length");
        CheckLength(count, sizeof(int), what, offset);
        var bytes = Take(count * sizeof(int), what);
        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(i * sizeof(int)));
        }

        return values;
    }

    /// <summary>Reads a matrix stored as rows (Int32), columns (Int32) and entries row by row.</summary>
    /// <exception cref="FormatError">A dimension is negative or above <see cref="MaxDimension"/>, or the entries would run past the end.</exception>
    internal double[,] ReadMatrix(string what) => ReadMatrix(what, -1, -1);

    /// <summary>Reads a matrix of a known size whose entries must all be finite.</summary>
    /// <exception cref="FormatError">The stored size differs, the entries run past the end, or one is not finite.</exception>
    internal double[,] ReadFiniteMatrix(string what, int expectedRows, int expectedColumns)
    {
        var offset = Offset;
        var matrix = ReadMatrix(what, expectedRows, expectedColumns);
        CheckFinite(matrix.AsSpan(), what, offset + 2 * sizeof(int));
        return matrix;
    }

    /// <summary>Reads a matrix, checking its shape (against the expected one when given, ≥ 0) and its byte count before allocating it.</summary>
    private double[,] ReadMatrix(string what, int expectedRows, int expectedColumns)
    {
        var offset = Offset;
        var rows = ReadInt32(what + " row count");
        var columns = ReadInt32(what + " column count");
        if (rows < 0 || columns < 0)
        {
            throw new FormatError(
                $"Invalid size {rows}×{columns} for {what} at offset {offset}: a dimension cannot be negative.");
        }

        if (rows > MaxDimension || columns > MaxDimension)
        {
            throw new FormatError(
                $"Invalid size {rows}×{columns} for {what} at offset {offset}: a dimension cannot exceed {MaxDimension}.");
        }

        if (expectedRows >= 0 && (rows != expectedRows || columns != expectedColumns))
        {
            throw new FormatError(
                $"Invalid size of {what} at offset {offset}: the matrix is {rows}×{columns} but {expectedRows}×{expectedColumns} is expected.");
        }

        var count = checked((long)rows * columns);
        var bytes = checked(count * sizeof(double));
        if (bytes > Remaining)
        {
            throw Truncated(bytes, what, Offset);
        }

        var matrix = new double[rows, columns];
        ReadDoubleValues((int)count, what).CopyTo(matrix.AsSpan());
        return matrix;
    }

    /// <summary>Reads the tag and version that open a section and checks them.</summary>
    /// <returns>The section's version, in [1, <paramref name="highestVersion"/>].</returns>
    /// <exception cref="FormatError">The tag differs from <paramref name="tag"/>, or the version is 0 or newer than <paramref name="highestVersion"/>.</exception>
    internal ushort ReadSectionHeader(string tag, ushort highestVersion)
    {
        var offset = Offset;
        var found = ReadString("the section tag", maxBytes: 256);
        if (found != tag)
        {
            throw new FormatError(
                $"Expected a '{tag}' section at offset {offset} but found '{found}'.");
        }

        var version = ReadUInt16($"the {tag} section version");
        if (version == 0 || version > highestVersion)
        {
            throw new FormatError(
                $"The {tag} section at offset {offset} has version {version}; this library reads versions 1 to {highestVersion}.");
        }

        return version;
    }

    /// <summary>Checks that every byte has been read.</summary>
    /// <exception cref="FormatError">Bytes remain after the last item.</exception>
    internal void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new FormatError(
                $"{Remaining} unexpected bytes follow {what} at offset {Offset}; the sizes in the file are inconsistent.");
        }
    }

    /// <summary>Throws unless every value is finite, naming the first bad one.</summary>
    /// <exception cref="FormatError">A value is NaN or infinite.</exception>
    internal static void CheckFinite(ReadOnlySpan<double> values, string what, long offsetOfFirst)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new FormatError(
                    $"Invalid value in {what} at offset {offsetOfFirst + (long)i * sizeof(double)}: value {i} is {Guard.Format(values[i])}; every value must be finite.");
            }
        }
    }

    private double[] ReadDoubleValues(int count, string what)
    {
        var bytes = Take(count * sizeof(double), what);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * sizeof(double)));
        }

        return values;
    }

    private void CheckLength(int count, int elementSize, string what, long offset)
    {
        if (count < 0)
        {
            throw new FormatError(
                $"Invalid length {count} for {what} at offset {offset}: a length cannot be negative.");
        }

        var bytes = checked((long)count * elementSize);
        if (bytes > Remaining)
        {
            throw Truncated(bytes, what, Offset);
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw Truncated(count, what, Offset);
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private FormatError Truncated(long bytes, string what, long offset) =>
        new($"Truncated: expected {bytes} bytes for {what} at offset {offset}, {Remaining} remain.");
}
