using System.Buffers;
using System.Buffers.Binary;
using System.Text;

#if PIPELINES_ASSEMBLY
namespace Reservoir.Pipelines;
#elif READOUTS_ASSEMBLY
namespace Reservoir.Readouts.Persistence;
#else
namespace Reservoir.Persistence;
#endif

/// <summary>Appends little-endian primitives, length-prefixed strings and arrays to a growable in-memory buffer.</summary>
/// <remarks>
/// The layout matches <see cref="ModelReader"/>: integers and doubles are little-endian (doubles as their IEEE 754
/// bits, so every value, including −0 and NaN payloads, round-trips exactly); a Boolean is one byte 0 or 1; enums are
/// Int32; a string is an Int32 byte count and UTF-8; an array is an Int32 element count and the elements; a matrix is
/// Int32 rows, Int32 columns and the entries row by row. Not thread-safe.
/// </remarks>
internal sealed class ModelWriter : IBufferWriter<byte>
{
    private const int InitialCapacity = 256;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[InitialCapacity];
    private int _length;

    /// <summary>The number of bytes written so far.</summary>
    internal int Length => _length;

    /// <summary>The bytes written so far; valid until the next write.</summary>
    internal ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Appends raw bytes, without a length prefix.</summary>
    internal void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Appends a UInt16.</summary>
    internal void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(sizeof(ushort)), value);

    /// <summary>Appends an Int32.</summary>
    internal void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), value);

    /// <summary>Appends an Int64.</summary>
    internal void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);

    /// <summary>Appends a UInt64.</summary>
    internal void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(sizeof(ulong)), value);

    /// <summary>Appends a double as its IEEE 754 bits.</summary>
    internal void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(sizeof(double)), value);

    /// <summary>Appends a Boolean as one byte, 0 or 1.</summary>
    internal void WriteBoolean(bool value) => Reserve(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Appends an enum value as an Int32.</summary>
    internal void WriteEnum<T>(T value)
        where T : struct, Enum => WriteInt32(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Appends a string as its UTF-8 byte count (Int32) and bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> holds an unpaired surrogate, which UTF-8 cannot encode.</exception>
    internal void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var count = Utf8.GetByteCount(value);
        WriteInt32(count);
        Utf8.GetBytes(value, Reserve(count));
    }

    /// <summary>Appends an array of doubles as its length (Int32) and values.</summary>
    internal void WriteDoubles(ReadOnlySpan<double> values)
    {
        WriteInt32(values.Length);
        WriteDoubleValues(values);
    }

    /// <summary>Appends an array of Int32s as its length (Int32) and values.</summary>
    internal void WriteInt32s(ReadOnlySpan<int> values)
    {
        WriteInt32(values.Length);
        var target = Reserve(checked(values.Length * sizeof(int)));
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target.Slice(i * sizeof(int)), values[i]);
        }
    }

    /// <summary>Appends a matrix as its rows (Int32), columns (Int32) and entries row by row.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    internal void WriteMatrix(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        WriteInt32(matrix.GetLength(0));
        WriteInt32(matrix.GetLength(1));
        WriteDoubleValues(matrix.AsSpan());
    }

    /// <summary>Appends the tag and version that open a self-contained section (see <see cref="ModelReader.ReadSectionHeader"/>).</summary>
    internal void WriteSectionHeader(string tag, ushort version)
    {
        WriteString(tag);
        WriteUInt16(version);
    }

    private void WriteDoubleValues(ReadOnlySpan<double> values)
    {
        var target = Reserve(checked(values.Length * sizeof(double)));
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(target.Slice(i * sizeof(double)), values[i]);
        }
    }

    /// <summary>Grows the buffer if needed and returns the next <paramref name="count"/> bytes, now counted as written.</summary>
    /// <exception cref="InvalidOperationException">The model would exceed the largest array .NET can allocate.</exception>
    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    private Span<byte> Reserve(int count)
    {
        EnsureCapacity(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void EnsureCapacity(int count)
    {
        var required = (long)_length + count;
        if (required > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The model needs {required} bytes, more than the {Array.MaxLength} bytes a model file can hold.");
        }

        if (required > _buffer.Length)
        {
            var capacity = Math.Max(required, Math.Min(2L * _buffer.Length, Array.MaxLength));
            Array.Resize(ref _buffer, (int)capacity);
        }
    }
}
