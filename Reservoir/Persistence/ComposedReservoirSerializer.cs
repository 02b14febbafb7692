namespace Reservoir.Persistence;

/// <summary>Writes and reads a <see cref="ComposedReservoir"/> and its state as versioned sections.</summary>
/// <remarks>
/// The composition section holds the input dimension, the read-out layers, and per layer what it reads followed by the
/// layer's own reservoir section (options, seed and every weight). The state section holds one reservoir state section
/// per layer. Reading rebuilds the options from the layers' own options and checks them as the constructor does.
/// </remarks>
internal static class ComposedReservoirSerializer
{
    /// <summary>The tag that opens a composition.</summary>
    internal const string Tag = "ComposedReservoir";

    /// <summary>The tag that opens a composed state.</summary>
    internal const string StateTag = "ComposedReservoirState";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 1;

    /// <summary>Writes the composition.</summary>
    internal static void Write(ModelWriter writer, ComposedReservoir reservoir)
    {
        writer.WriteSectionHeader(Tag, Version);
        writer.WriteInt32(reservoir.InputDimension);
        writer.WriteInt32s(reservoir.ReadoutLayers.AsSpan());
        writer.WriteInt32(reservoir.Layers.Length);
        for (var k = 0; k < reservoir.Layers.Length; k++)
        {
            writer.WriteInt32s(reservoir.ReadsLayers(k).AsSpan());
            writer.WriteBoolean(reservoir.ReadsInput(k));
            EchoStateReservoirSerializer.Write(writer, reservoir.Layers[k]);
        }
    }

    /// <summary>Reads a composition written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">A section is damaged, or the layers do not compose as stored.</exception>
    internal static ComposedReservoir Read(ModelReader reader)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(Tag, Version);
        var inputDimension = reader.ReadInt32("the input dimension", 1, int.MaxValue);
        var readout = reader.ReadInt32s("the read-out layers");
        var count = reader.ReadCount("layers", minBytesPerItem: 2 * sizeof(int));
        var layers = new EchoStateReservoir[count];
        var layerOptions = new ReservoirLayerOptions[count];
        for (var k = 0; k < count; k++)
        {
            var reads = reader.ReadInt32s($"the layers read by layer {k}");
            var readsInput = reader.ReadBoolean($"whether layer {k} reads the input");
            layers[k] = EchoStateReservoirSerializer.Read(reader);
            if (layers[k].Options is null)
            {
                if (count == 1 && readsInput && reads.Length == 0)
                {
                    return ComposedReservoir.Of(layers[0]);
                }

                throw new InvalidDataException($"Layer {k} of the composed reservoir at offset {start} was stored without its options.");
            }

            layerOptions[k] = new ReservoirLayerOptions { Reservoir = layers[k].Options!, ReadsLayers = [.. reads], ReadsInput = readsInput };
        }

        var options = new ComposedReservoirOptions { Layers = [.. layerOptions], InputDimension = inputDimension, ReadoutLayers = [.. readout] };
        try
        {
            return ComposedReservoir.FromLayers(options, layers);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Invalid composed reservoir at offset {start}: {e.Message}", e);
        }
    }

    /// <summary>Writes a composed state, layer by layer.</summary>
    internal static void WriteState(ModelWriter writer, ComposedReservoirState state)
    {
        writer.WriteSectionHeader(StateTag, Version);
        writer.WriteInt32(state.Layers.Length);
        foreach (var layer in state.Layers)
        {
            ReservoirStateSerializer.Write(writer, layer);
        }
    }

    /// <summary>Reads a composed state written by <see cref="WriteState"/> as a state of <paramref name="reservoir"/>.</summary>
    /// <exception cref="InvalidDataException">The section is damaged or was written for another number of layers or other sizes.</exception>
    internal static ComposedReservoirState ReadState(ModelReader reader, ComposedReservoir reservoir)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(StateTag, Version);
        var count = reader.ReadInt32("the number of layer states", 0, int.MaxValue);
        if (count != reservoir.Layers.Length)
        {
            throw new InvalidDataException(
                $"The composed state at offset {start} has {count} layers but the composed reservoir has {reservoir.Layers.Length}.");
        }

        var states = new ReservoirState[count];
        for (var k = 0; k < count; k++)
        {
            states[k] = ReservoirStateSerializer.Read(reader, reservoir.Layers[k]);
        }

        return reservoir.CreateState(states);
    }
}
