using System.Buffers;
using Reservoir.Nvar;

namespace Reservoir.Persistence;

/// <summary>The binary sections in which a model file stores NVAR features and an NVAR state.</summary>
/// <remarks>
/// The sections follow the rules of <see cref="ReservoirSections"/>: each opens with a tag and a version, stores numbers
/// little-endian and every length before the data, and is read back bit for bit; reading checks every length and value
/// and throws an <see cref="InvalidDataException"/> that names the item and its offset, counted from <c>offset</c>.
/// </remarks>
public static class NvarSections
{
    /// <summary>Appends NVAR features: their options.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="features">The features to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteFeatures(IBufferWriter<byte> output, NvarFeatures features)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(features);
        SectionFraming.Write(output, writer => NvarSerializer.WriteFeatures(writer, features));
    }

    /// <summary>Reads features written by <see cref="WriteFeatures"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on; bytes after the section are left alone.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>Features equal to the written ones.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or the options are invalid.</exception>
    public static NvarFeatures ReadFeatures(ReadOnlyMemory<byte> data, long offset, out int bytesRead) =>
        SectionFraming.Read(data, offset, out bytesRead, NvarSerializer.ReadFeatures);

    /// <summary>Appends an NVAR state: its delay store and step count.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="state">The state to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteState(IBufferWriter<byte> output, NvarState state)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        SectionFraming.Write(output, writer => NvarSerializer.WriteState(writer, state));
    }

    /// <summary>Reads a state written by <see cref="WriteState"/> as a state of <paramref name="features"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="features">The features the state belongs to; their sizes must match the saved ones.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>A state that continues exactly as the written one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, was written for features of other sizes, or holds an invalid value.</exception>
    public static NvarState ReadState(ReadOnlyMemory<byte> data, long offset, NvarFeatures features, out int bytesRead)
    {
        ArgumentNullException.ThrowIfNull(features);
        return SectionFraming.Read(data, offset, out bytesRead, reader => NvarSerializer.ReadState(reader, features));
    }
}
