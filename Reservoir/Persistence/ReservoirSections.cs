using System.Buffers;

namespace Reservoir.Persistence;

/// <summary>The binary sections in which a model file stores this assembly's types: a reservoir, its options and a state.</summary>
/// <remarks>
/// A container format (the network and pipeline files of Reservoir.Pipelines) writes these sections one after the other
/// and reads them back in the same order. Each section opens with a tag and a version, stores numbers little-endian
/// and every length before the data, and is read back bit for bit. Reading checks every length against the bytes that
/// remain before allocating and every value before use; a problem throws an <see cref="InvalidDataException"/> that
/// names the item and its offset, counted from <c>offset</c>, the position of the section's first byte in the file.
/// </remarks>
public static class ReservoirSections
{
    /// <summary>Appends a reservoir: its options, seed, noise and every weight.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="reservoir">The reservoir to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteReservoir(IBufferWriter<byte> output, EchoStateReservoir reservoir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reservoir);
        SectionFraming.Write(output, writer => EchoStateReservoirSerializer.Write(writer, reservoir));
    }

    /// <summary>Reads a reservoir written by <see cref="WriteReservoir"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on; bytes after the section are left alone.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>A reservoir that runs exactly as the written one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or a size or value is invalid.</exception>
    public static EchoStateReservoir ReadReservoir(ReadOnlyMemory<byte> data, long offset, out int bytesRead) =>
        SectionFraming.Read(data, offset, out bytesRead, EchoStateReservoirSerializer.Read);

    /// <summary>Appends reservoir options.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="options">The options to write; they must be valid.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option.</exception>
    public static void WriteOptions(IBufferWriter<byte> output, ReservoirOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        SectionFraming.Write(output, writer => ReservoirOptionsSerializer.Write(writer, options));
    }

    /// <summary>Reads options written by <see cref="WriteOptions"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>Options equal to the written ones.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or the options are invalid.</exception>
    public static ReservoirOptions ReadOptions(ReadOnlyMemory<byte> data, long offset, out int bytesRead) =>
        SectionFraming.Read(data, offset, out bytesRead, ReservoirOptionsSerializer.Read);

    /// <summary>Appends a state: its values, skip history, last feedback, step count and noise position.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="state">The state to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteState(IBufferWriter<byte> output, ReservoirState state)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        SectionFraming.Write(output, writer => ReservoirStateSerializer.Write(writer, state));
    }

    /// <summary>Reads a state written by <see cref="WriteState"/> as a state of <paramref name="reservoir"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="reservoir">The reservoir the state belongs to; its sizes must match the saved ones.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>A state that continues exactly as the written one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reservoir"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, was written for a reservoir of other sizes, or holds an invalid value.</exception>
    public static ReservoirState ReadState(ReadOnlyMemory<byte> data, long offset, EchoStateReservoir reservoir, out int bytesRead)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        return SectionFraming.Read(data, offset, out bytesRead, reader => ReservoirStateSerializer.Read(reader, reservoir));
    }

    /// <summary>Appends a composed reservoir: what each layer reads, and each layer's reservoir section.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="reservoir">The composition to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteComposedReservoir(IBufferWriter<byte> output, ComposedReservoir reservoir)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reservoir);
        SectionFraming.Write(output, writer => ComposedReservoirSerializer.Write(writer, reservoir));
    }

    /// <summary>Reads a composed reservoir written by <see cref="WriteComposedReservoir"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>A composition that runs exactly as the written one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or a layer is invalid.</exception>
    public static ComposedReservoir ReadComposedReservoir(ReadOnlyMemory<byte> data, long offset, out int bytesRead) =>
        SectionFraming.Read(data, offset, out bytesRead, ComposedReservoirSerializer.Read);

    /// <summary>Appends a composed state: one state section per layer.</summary>
    /// <param name="output">Where the section is written.</param>
    /// <param name="state">The state to write.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void WriteComposedState(IBufferWriter<byte> output, ComposedReservoirState state)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        SectionFraming.Write(output, writer => ComposedReservoirSerializer.WriteState(writer, state));
    }

    /// <summary>Reads a composed state written by <see cref="WriteComposedState"/> as a state of <paramref name="reservoir"/>.</summary>
    /// <param name="data">The bytes from the section's first byte on.</param>
    /// <param name="offset">The offset of the section's first byte in its file, for messages.</param>
    /// <param name="reservoir">The composition the state belongs to.</param>
    /// <param name="bytesRead">The length of the section.</param>
    /// <returns>A state that continues exactly as the written one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reservoir"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, damaged, or written for another composition.</exception>
    public static ComposedReservoirState ReadComposedState(ReadOnlyMemory<byte> data, long offset, ComposedReservoir reservoir,
        out int bytesRead)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        return SectionFraming.Read(data, offset, out bytesRead, reader => ComposedReservoirSerializer.ReadState(reader, reservoir));
    }
}
