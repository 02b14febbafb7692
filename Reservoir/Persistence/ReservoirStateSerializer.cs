using Reservoir.Numerics;

namespace Reservoir.Persistence;

/// <summary>Writes and reads a <see cref="ReservoirState"/>: everything needed to resume a run bit-identically.</summary>
/// <remarks>
/// The section holds the sizes it was written for (units, fed-back outputs, delay slots), the step count, x, the delay
/// ring buffer, the last fed-back output and the four words of the noise generator. The scratch buffers of a state are
/// not saved: they hold nothing between steps.
/// </remarks>
internal static class ReservoirStateSerializer
{
    /// <summary>The tag that opens the section.</summary>
    internal const string Tag = "ReservoirState";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 1;

    /// <summary>Writes the state.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    internal static void Write(ModelWriter writer, ReservoirState state)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(state);
        var owner = state.Owner;
        writer.WriteSectionHeader(Tag, Version);
        writer.WriteInt32(owner.UnitCount);
        writer.WriteInt32(owner.FeedbackDimension);
        writer.WriteInt32(owner.MaxDelay);
        writer.WriteInt64(state.StepCount);
        writer.WriteDoubles(state.Values);
        writer.WriteDoubles(state.History);
        writer.WriteDoubles(state.LastFeedback);
        var (s0, s1, s2, s3) = state.Noise.Words;
        writer.WriteUInt64(s0);
        writer.WriteUInt64(s1);
        writer.WriteUInt64(s2);
        writer.WriteUInt64(s3);
    }

    /// <summary>Reads a state written by <see cref="Write"/> for <paramref name="reservoir"/>.</summary>
    /// <returns>A state of <paramref name="reservoir"/> that steps exactly as the saved one would have.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, was written for a reservoir of other sizes, or holds an invalid value.</exception>
    internal static ReservoirState Read(ModelReader reader, EchoStateReservoir reservoir)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(reservoir);
        var start = reader.Offset;
        reader.ReadSectionHeader(Tag, Version);
        var n = reader.ReadInt32("the state's unit count");
        var f = reader.ReadInt32("the state's feedback dimension");
        var slots = reader.ReadInt32("the state's delay slots");
        if (n != reservoir.UnitCount || f != reservoir.FeedbackDimension || slots != reservoir.MaxDelay)
        {
            throw new InvalidDataException(
                $"The state at offset {start} is for {n} units, {f} fed-back outputs and {slots} delay slots, but the reservoir has {reservoir.UnitCount}, {reservoir.FeedbackDimension} and {reservoir.MaxDelay}.");
        }

        var stepOffset = reader.Offset;
        var stepCount = reader.ReadInt64("the step count");
        if (stepCount < 0)
        {
            throw new InvalidDataException($"Invalid step count at offset {stepOffset}: {stepCount} is negative.");
        }

        var values = reader.ReadFiniteDoubles("the state values", n);
        var historyLength = (long)slots * n;
        if (historyLength > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"The state at offset {start} needs a delay buffer of {historyLength} values, more than an array can hold.");
        }

        var history = reader.ReadFiniteDoubles("the delay buffer", (int)historyLength);
        var feedback = reader.ReadFiniteDoubles("the last feedback", f);
        var noiseOffset = reader.Offset;
        var s0 = reader.ReadUInt64("the noise generator state");
        var s1 = reader.ReadUInt64("the noise generator state");
        var s2 = reader.ReadUInt64("the noise generator state");
        var s3 = reader.ReadUInt64("the noise generator state");
        if (!NoiseSource.IsValidState(s0, s1, s2, s3))
        {
            throw new InvalidDataException(
                $"Invalid noise generator state at offset {noiseOffset}: all four words are zero, which Xoshiro256** never reaches.");
        }

        return new ReservoirState(reservoir, values, history, feedback, stepCount, NoiseSource.FromWords(s0, s1, s2, s3));
    }
}
