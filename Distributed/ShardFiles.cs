using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Reservoir.Distributed;

/// <summary>Writes and reads shard files: CSV (readable, exact through round-trip formatting) and a binary segment (compact, its length in the header).</summary>
/// <remarks>
/// <para>
/// CSV: a header <c>u0,u1,…,y0,y1,…</c> naming the input and target columns, then one line per step of invariant-culture
/// numbers in round-trip form, so a double read back is the double written.
/// </para>
/// <para>
/// Binary: the magic bytes <c>RSHD</c>, a 32-bit version (1), the 64-bit row count T, the 32-bit input and target column
/// counts D and K, then T rows of D inputs and K targets as little-endian IEEE 754 doubles. Thread-safe (no state).
/// </para>
/// </remarks>
public static class ShardFiles
{
    private const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "RSHD"u8;
    private const int HeaderBytes = 4 + 4 + 8 + 4 + 4;

    /// <summary>Writes a shard as CSV.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="inputs">The inputs, T × D.</param>
    /// <param name="targets">The targets, T × K.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The row counts differ or a matrix has no column.</exception>
    public static void WriteCsv(string path, double[,] inputs, double[,] targets)
    {
        CheckPair(inputs, targets);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        var d = inputs.GetLength(1);
        var k = targets.GetLength(1);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, d).Select(i => $"u{i}").Concat(Enumerable.Range(0, k).Select(i => $"y{i}"))));
        var line = new StringBuilder();
        for (var t = 0; t < inputs.GetLength(0); t++)
        {
            line.Clear();
            for (var i = 0; i < d; i++)
            {
                line.Append(inputs[t, i].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            for (var i = 0; i < k; i++)
            {
                line.Append(targets[t, i].ToString("R", CultureInfo.InvariantCulture)).Append(i + 1 < k ? "," : "");
            }

            writer.WriteLine(line);
        }
    }

    /// <summary>Writes a shard as a binary segment.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="inputs">The inputs, T × D.</param>
    /// <param name="targets">The targets, T × K.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The row counts differ or a matrix has no column.</exception>
    public static void WriteBinary(string path, double[,] inputs, double[,] targets)
    {
        CheckPair(inputs, targets);
        var rows = inputs.GetLength(0);
        var d = inputs.GetLength(1);
        var k = targets.GetLength(1);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], rows);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], d);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], k);
        stream.Write(header);
        var row = new byte[(d + k) * sizeof(double)];
        for (var t = 0; t < rows; t++)
        {
            for (var i = 0; i < d; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(row.AsSpan(i * sizeof(double)), inputs[t, i]);
            }

            for (var i = 0; i < k; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(row.AsSpan((d + i) * sizeof(double)), targets[t, i]);
            }

            stream.Write(row);
        }
    }

    /// <summary>Reads a shard file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format"><see cref="ShardFormat.Csv"/> or <see cref="ShardFormat.Binary"/>.</param>
    /// <returns>The inputs and targets.</returns>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a file format.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not a shard of that format (the message names the file and what is wrong).</exception>
    public static (double[,] Inputs, double[,] Targets) Read(string path, ShardFormat format) => format switch
    {
        ShardFormat.Csv => ReadCsv(path),
        ShardFormat.Binary => ReadBinary(path),
        _ => throw new ArgumentException($"format must be Csv or Binary for a file; was {format}.", nameof(format)),
    };

    /// <summary>The number of steps in a shard file (read from the header of a binary segment; counted for CSV).</summary>
    /// <param name="path">The file.</param>
    /// <param name="format"><see cref="ShardFormat.Csv"/> or <see cref="ShardFormat.Binary"/>.</param>
    /// <returns>T.</returns>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a file format.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not a shard of that format.</exception>
    public static long ReadLength(string path, ShardFormat format)
    {
        switch (format)
        {
            case ShardFormat.Binary:
                using (var stream = File.OpenRead(path))
                {
                    return ReadHeader(stream, path).Rows;
                }

            case ShardFormat.Csv:
                return File.ReadLines(path).Skip(1).LongCount(line => line.Length > 0);
            default:
                throw new ArgumentException($"format must be Csv or Binary for a file; was {format}.", nameof(format));
        }
    }

    private static (double[,] Inputs, double[,] Targets) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"Shard file {path} is empty; a CSV shard starts with a header u0,…,y0,….");
        }

        var names = lines[0].Split(',');
        var d = names.Count(n => n.StartsWith('u'));
        var k = names.Count(n => n.StartsWith('y'));
        if (d == 0 || k == 0 || d + k != names.Length)
        {
            throw new InvalidDataException(
                $"Shard file {path} has the header \"{lines[0]}\"; it must name input columns u0, u1, … then target columns y0, y1, ….");
        }

        var body = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        var inputs = new double[body.Length, d];
        var targets = new double[body.Length, k];
        for (var t = 0; t < body.Length; t++)
        {
            var cells = body[t].Split(',');
            if (cells.Length != d + k)
            {
                throw new InvalidDataException($"Shard file {path}, line {t + 2}: {cells.Length} values, but the header names {d + k} columns.");
            }

            for (var c = 0; c < cells.Length; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new InvalidDataException($"Shard file {path}, line {t + 2}, column {c + 1}: \"{cells[c]}\" is not a number.");
                }

                if (c < d)
                {
                    inputs[t, c] = value;
                }
                else
                {
                    targets[t, c - d] = value;
                }
            }
        }

        return (inputs, targets);
    }

    private static (double[,] Inputs, double[,] Targets) ReadBinary(string path)
    {
        using var stream = File.OpenRead(path);
        var (rows, d, k) = ReadHeader(stream, path);
        var expected = HeaderBytes + rows * (d + k) * sizeof(double);
        if (stream.Length != expected)
        {
            throw new InvalidDataException($"Shard file {path} has {stream.Length} bytes but its header ({rows} rows of {d} + {k} values) needs {expected}.");
        }

        var inputs = new double[rows, d];
        var targets = new double[rows, k];
        var row = new byte[(d + k) * sizeof(double)];
        for (var t = 0; t < rows; t++)
        {
            stream.ReadExactly(row);
            for (var i = 0; i < d; i++)
            {
                inputs[t, i] = BinaryPrimitives.ReadDoubleLittleEndian(row.AsSpan(i * sizeof(double)));
            }

            for (var i = 0; i < k; i++)
            {
                targets[t, i] = BinaryPrimitives.ReadDoubleLittleEndian(row.AsSpan((d + i) * sizeof(double)));
            }
        }

        return (inputs, targets);
    }

    private static (long Rows, int D, int K) ReadHeader(Stream stream, string path)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes || !header[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"Shard file {path} is not a binary shard: it does not start with the RSHD header.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var rows = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        var d = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        var k = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        if (version != Version || rows < 0 || rows > int.MaxValue || d < 1 || k < 1)
        {
            throw new InvalidDataException($"Shard file {path} has a bad header: version {version}, {rows} rows, {d} inputs, {k} targets (expected version {Version}, rows ≥ 0, at least one input and one target).");
        }

        return (rows, d, k);
    }

    private static void CheckPair(double[,] inputs, double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.GetLength(0) != targets.GetLength(0) || inputs.GetLength(1) < 1 || targets.GetLength(1) < 1)
        {
            throw new ArgumentException(
                $"inputs is {inputs.GetLength(0)}×{inputs.GetLength(1)} and targets {targets.GetLength(0)}×{targets.GetLength(1)}; give the same rows and at least one column each.",
                nameof(targets));
        }
    }
}
