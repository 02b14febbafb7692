using Reservoir.Persistence;
using Reservoir.Readouts;
using Reservoir.Readouts.Persistence;

namespace Reservoir.Pipelines;

/// <summary>Reads and writes the sections that Reservoir and Readouts define for their own types, inside this assembly's model files.</summary>
/// <remarks>
/// Each project persists its own types (<see cref="ReservoirSections"/>, <see cref="ReadoutSections"/>); this class
/// only places their sections in the container and turns their <see cref="InvalidDataException"/> into the
/// <see cref="ModelFormatException"/> that every load of this assembly throws, with the same message.
/// </remarks>
internal static class ModelSections
{
    /// <summary>Appends a reservoir section.</summary>
    internal static void WriteReservoir(this ModelWriter writer, EchoStateReservoir reservoir) =>
        ReservoirSections.WriteReservoir(writer, reservoir);

    /// <summary>Reads a reservoir section.</summary>
    /// <exception cref="ModelFormatException">The section is invalid; the message names the item and its offset.</exception>
    internal static EchoStateReservoir ReadReservoir(this ModelReader reader) =>
        reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) => ReservoirSections.ReadReservoir(data, offset, out read));

    /// <summary>Appends a reservoir-options section.</summary>
    internal static void WriteReservoirOptions(this ModelWriter writer, ReservoirOptions options) =>
        ReservoirSections.WriteOptions(writer, options);

    /// <summary>Reads a reservoir-options section.</summary>
    /// <exception cref="ModelFormatException">The section is invalid; the message names the item and its offset.</exception>
    internal static ReservoirOptions ReadReservoirOptions(this ModelReader reader) =>
        reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) => ReservoirSections.ReadOptions(data, offset, out read));

    /// <summary>Appends a reservoir-state section.</summary>
    internal static void WriteReservoirState(this ModelWriter writer, ReservoirState state) =>
        ReservoirSections.WriteState(writer, state);

    /// <summary>Reads a reservoir-state section as a state of <paramref name="reservoir"/>.</summary>
    /// <exception cref="ModelFormatException">The section is invalid or was written for a reservoir of other sizes.</exception>
    internal static ReservoirState ReadReservoirState(this ModelReader reader, EchoStateReservoir reservoir) =>
        reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) => ReservoirSections.ReadState(data, offset, reservoir, out read));

    /// <summary>Writes a network's state: as one reservoir's state for a network on one reservoir (the format of version-1 files), else as a composed state.</summary>
    internal static void WriteNetworkState(this ModelWriter writer, ComposedReservoirState state)
    {
        if (state.Owner.Options is null)
        {
            writer.WriteReservoirState(state.Layers[0]);
            return;
        }

        ReservoirSections.WriteComposedState(writer, state);
    }

    /// <summary>Reads a state written by <see cref="WriteNetworkState"/> as a state of <paramref name="reservoir"/>.</summary>
    internal static ComposedReservoirState ReadNetworkState(this ModelReader reader, ComposedReservoir reservoir) =>
        reservoir.Options is null
            ? reservoir.CreateState([reader.ReadReservoirState(reservoir.Layers[0])])
            : reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) =>
                ReservoirSections.ReadComposedState(data, offset, reservoir, out read));

    /// <summary>Writes a composed reservoir section.</summary>
    internal static void WriteComposedReservoir(this ModelWriter writer, ComposedReservoir reservoir) =>
        ReservoirSections.WriteComposedReservoir(writer, reservoir);

    /// <summary>Reads a composed reservoir section.</summary>
    internal static ComposedReservoir ReadComposedReservoir(this ModelReader reader) =>
        reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) => ReservoirSections.ReadComposedReservoir(data, offset, out read));

    /// <summary>Appends a ridge-solution section.</summary>
    internal static void WriteRidgeSolution(this ModelWriter writer, RidgeSolution solution) =>
        ReadoutSections.WriteSolution(writer, solution);

    /// <summary>Reads a ridge-solution section.</summary>
    /// <exception cref="ModelFormatException">The section is invalid; the message names the item and its offset.</exception>
    internal static RidgeSolution ReadRidgeSolution(this ModelReader reader) =>
        reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) => ReadoutSections.ReadSolution(data, offset, out read));

    /// <summary>Appends an NVAR-features section.</summary>
    internal static void WriteNvarFeatures(this ModelWriter writer, Nvar.NvarFeatures features) =>
        NvarSections.WriteFeatures(writer, features);

    /// <summary>Reads an NVAR-features section.</summary>
    /// <exception cref="ModelFormatException">The section is invalid; the message names the item and its offset.</exception>
    internal static Nvar.NvarFeatures ReadNvarFeatures(this ModelReader reader) =>
        reader.ReadSection((ReadOnlyMemory<byte> data, long offset, out int read) => NvarSections.ReadFeatures(data, offset, out read));

    private delegate T SectionRead<T>(ReadOnlyMemory<byte> data, long offset, out int bytesRead);

    private static T ReadSection<T>(this ModelReader reader, SectionRead<T> read)
    {
        T value;
        int bytesRead;
        try
        {
            value = read(reader.RemainingBytes, reader.Offset, out bytesRead);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(e.Message, e);
        }

        reader.Skip(bytesRead);
        return value;
    }
}
