using System.Buffers;

namespace Reservoir.Persistence;

/// <summary>The writing and reading frame shared by the public section classes (<see cref="ReservoirSections"/>, <see cref="NvarSections"/>).</summary>
internal static class SectionFraming
{
    /// <summary>Writes one section into <paramref name="output"/>, directly when it is a <see cref="ModelWriter"/>, else through a buffer.</summary>
    internal static void Write(IBufferWriter<byte> output, Action<ModelWriter> write)
    {
        if (output is ModelWriter direct)
        {
            write(direct);
            return;
        }

        var writer = new ModelWriter();
        write(writer);
        output.Write(writer.WrittenSpan);
    }

    /// <summary>Reads one section from <paramref name="data"/>, whose first byte sits at <paramref name="offset"/> in its file.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    internal static T Read<T>(ReadOnlyMemory<byte> data, long offset, out int bytesRead, Func<ModelReader, T> read)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var reader = ModelReader.Over(data, offset);
        var value = read(reader);
        bytesRead = reader.BytesRead;
        return value;
    }
}
