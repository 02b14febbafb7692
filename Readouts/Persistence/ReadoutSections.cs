using System.Buffers;

namespace Reservoir.Readouts.Persistence;

/// <summary>The binary section in which a model file stores a <see cref="RidgeSolution"/>: its weights, intercept, intercept-penalty flag and ridge penalty λ.</summary>
/// <remarks>
/// A container format (the network and pipeline files of Reservoir.Pipelines) writes the section among others and
/// reads it back in the same order. It opens with a tag and a version, stores numbers little-endian and every length
/// before the data, and is read back bit for bit. Reading checks every length against the bytes that remain before
/// allocating and every value before use; a problem throws an <see cref="InvalidDataException"/> that names the item
/// and its offset, counted from <c>offset</c>, the position of the section's first byte in the file.
/// </remarks>
public static class ReadoutSections
{
    /// <summary>Appends a ridge solution.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="solution">The solution to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteSolution(IBufferWriter<byte> output, RidgeSolution solution)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(solution);
        var writer = output as ModelWriter ?? new ModelWriter();
        RidgeSolutionSerializer.Write(writer, solution);
        if (!ReferenceEquals(writer, output))
        {
            output.Write(writer.WrittenSpan);
        }
    }

    /// <summary>Reads a solution written by <see cref="WriteSolution"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on; bytes after the section are left alone.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>A solution that predicts exactly as the written one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or a size or value is invalid.</exception>
    public static RidgeSolution ReadSolution(ReadOnlyMemory<byte> data, long offset, out int bytesRead)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var reader = ModelReader.Over(data, offset);
        var solution = RidgeSolutionSerializer.Read(reader);
        bytesRead = reader.BytesRead;
        return solution;
    }
}
