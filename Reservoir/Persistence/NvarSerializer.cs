using Reservoir.Nvar;

namespace Reservoir.Persistence;

/// <summary>Writes and reads <see cref="NvarFeatures"/> (its options) and an <see cref="NvarState"/> (its delay store) as versioned sections.</summary>
/// <remarks>
/// The features section holds the five options; reading validates them exactly as <see cref="NvarFeatures(NvarOptions)"/>
/// does. The state section holds the sizes it was written for (input dimension and stored steps), the step count and
/// the delay store, so that a loaded state continues bit-identically.
/// </remarks>
internal static class NvarSerializer
{
    /// <summary>The tag that opens a features section.</summary>
    internal const string FeaturesTag = "NvarFeatures";

    /// <summary>The tag that opens a state section.</summary>
    internal const string StateTag = "NvarState";

    /// <summary>The newest version of either section written and read.</summary>
    internal const ushort Version = 1;

    /// <summary>Writes the options of the features.</summary>
    internal static void WriteFeatures(ModelWriter writer, NvarFeatures features)
    {
        var options = features.Options;
        writer.WriteSectionHeader(FeaturesTag, Version);
        writer.WriteInt32(options.InputDimension);
        writer.WriteInt32(options.DelayCount);
        writer.WriteInt32(options.DelayStride);
        writer.WriteInt32(options.PolynomialOrder);
        writer.WriteBoolean(options.IncludeConstant);
    }

    /// <summary>Reads features written by <see cref="WriteFeatures"/>.</summary>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or the options are invalid.</exception>
    internal static NvarFeatures ReadFeatures(ModelReader reader)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(FeaturesTag, Version);
        var options = new NvarOptions
        {
            InputDimension = reader.ReadInt32("InputDimension"),
            DelayCount = reader.ReadInt32("DelayCount"),
            DelayStride = reader.ReadInt32("DelayStride"),
            PolynomialOrder = reader.ReadInt32("PolynomialOrder"),
            IncludeConstant = reader.ReadBoolean("IncludeConstant"),
        };

        try
        {
            return new NvarFeatures(options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The NVAR options at offset {start} are invalid: {e.Message}", e);
        }
    }

    /// <summary>Writes a state.</summary>
    internal static void WriteState(ModelWriter writer, NvarState state)
    {
        writer.WriteSectionHeader(StateTag, Version);
        writer.WriteInt32(state.Owner.InputDimension);
        writer.WriteInt32(state.Owner.StoredSteps);
        writer.WriteInt64(state.StepCount);
        writer.WriteDoubles(state.Store);
    }

    /// <summary>Reads a state written by <see cref="WriteState"/> as a state of <paramref name="features"/>.</summary>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, was written for features of other sizes, or holds an invalid value.</exception>
    internal static NvarState ReadState(ModelReader reader, NvarFeatures features)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(StateTag, Version);
        var d = reader.ReadInt32("the state's input dimension");
        var rows = reader.ReadInt32("the state's stored steps");
        if (d != features.InputDimension || rows != features.StoredSteps)
        {
            throw new InvalidDataException(
                $"The NVAR state at offset {start} is for {d} inputs and {rows} stored steps, but the features have {features.InputDimension} and {features.StoredSteps}.");
        }

        var stepOffset = reader.Offset;
        var steps = reader.ReadInt64("the state's step count");
        if (steps < 0)
        {
            throw new InvalidDataException($"Invalid step count {steps} at offset {stepOffset}: it cannot be negative.");
        }

        var store = reader.ReadFiniteDoubles("the delay store", rows * d);
        var state = features.CreateState();
        state.Restore(store, steps);
        return state;
    }
}
