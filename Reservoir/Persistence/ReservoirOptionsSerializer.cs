using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Reservoir.Persistence;

/// <summary>Writes and reads every property of a <see cref="ReservoirOptions"/> as a self-contained, versioned section.</summary>
/// <remarks>
/// Enums are stored by their numeric value, so the values of <see cref="Activation"/>, <see cref="WeightDistribution"/>,
/// <see cref="ReservoirTopology"/>, <see cref="StateCarry"/> and <see cref="LeakRateDistributionKind"/> are part of the file format (a test pins
/// them). Reading validates the options exactly as <see cref="EchoStateReservoir(ReservoirOptions)"/> does.
/// <para>
/// Version 2 appends <see cref="ReservoirOptions.Precision"/> after the topology; a version-1 section (written before
/// precision existed) reads as <see cref="Precision.Double"/>.
/// </para>
/// <para>
/// Version 3 appends the options of the structured topologies (<see cref="ReservoirOptions.JumpLength"/>,
/// <see cref="ReservoirOptions.JumpWeight"/>, <see cref="ReservoirOptions.SmallWorldNeighbours"/>,
/// <see cref="ReservoirOptions.RewiringProbability"/>); an older section reads them as their defaults.
/// </para>
/// <para>
/// Version 4 appends <see cref="ReservoirOptions.StateCarry"/>; an older section reads it as <see cref="StateCarry.Identity"/>.
/// </para>
/// </remarks>
internal static class ReservoirOptionsSerializer
{
    /// <summary>The tag that opens the section.</summary>
    internal const string Tag = "ReservoirOptions";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 4;

    // Delay (Int32), spectral radius and connectivity (two doubles).
    private const int SkipConnectionBytes = sizeof(int) + 2 * sizeof(double);

    /// <summary>Writes the options.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (they would be refused by the reservoir, and so by <see cref="Read"/>).</exception>
    internal static void Write(ModelWriter writer, ReservoirOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        writer.WriteSectionHeader(Tag, Version);
        writer.WriteInt32(options.UnitCount);
        writer.WriteInt32(options.Seed);
        writer.WriteInt32(options.InputDimension);
        writer.WriteDouble(options.SpectralRadius);
        writer.WriteEnum(options.LeakRates.Kind);
        writer.WriteDoubles(options.LeakRates.GetParameters());
        writer.WriteDouble(options.InputScaling);
        writer.WriteBoolean(options.InputScalingPerInput is not null);
        if (options.InputScalingPerInput is { } perInput)
        {
            writer.WriteDoubles([.. perInput]);
        }

        writer.WriteDouble(options.InputConnectivity);
        writer.WriteDouble(options.RecurrentConnectivity);
        writer.WriteBoolean(options.RecurrentInDegree.HasValue);
        if (options.RecurrentInDegree is { } inDegree)
        {
            writer.WriteInt32(inDegree);
        }

        writer.WriteDouble(options.BiasScaling);
        writer.WriteEnum(options.Activation);
        writer.WriteEnum(options.RecurrentWeightDistribution);
        writer.WriteEnum(options.InputWeightDistribution);
        writer.WriteDouble(options.StateNoise);
        writer.WriteInt32(options.FeedbackDimension);
        writer.WriteDouble(options.FeedbackScaling);
        writer.WriteDouble(options.FeedbackConnectivity);
        writer.WriteInt32(options.SkipConnections.Length);
        foreach (var skip in options.SkipConnections)
        {
            writer.WriteInt32(skip.Delay);
            writer.WriteDouble(skip.SpectralRadius);
            writer.WriteDouble(skip.Connectivity);
        }

        writer.WriteBoolean(options.Clockwork is not null);
        if (options.Clockwork is { } clockwork)
        {
            writer.WriteInt32s([.. clockwork.Periods]);
            writer.WriteBoolean(clockwork.ModuleSizes is not null);
            if (clockwork.ModuleSizes is { } sizes)
            {
                writer.WriteInt32s([.. sizes]);
            }
        }

        writer.WriteEnum(options.Topology);
        writer.WriteEnum(options.Precision);
        writer.WriteInt32(options.JumpLength);
        writer.WriteDouble(options.JumpWeight);
        writer.WriteInt32(options.SmallWorldNeighbours);
        writer.WriteDouble(options.RewiringProbability);
        writer.WriteEnum(options.StateCarry);
    }

    /// <summary>Reads options written by <see cref="Write"/> and validates them.</summary>
    /// <returns>New options, equal to those written (their arrays are new and owned by the options).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or the options are invalid.</exception>
    internal static ReservoirOptions Read(ModelReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var start = reader.Offset;
        var version = reader.ReadSectionHeader(Tag, Version);
        var unitCount = reader.ReadInt32("UnitCount");
        var seed = reader.ReadInt32("Seed");
        var inputDimension = reader.ReadInt32("InputDimension");
        var spectralRadius = reader.ReadDouble("SpectralRadius");
        var leakRates = ReadLeakRates(reader);
        var inputScaling = reader.ReadDouble("InputScaling");
        ImmutableArray<double>? perInput = reader.ReadBoolean("the InputScalingPerInput presence flag")
            ? ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadDoubles("InputScalingPerInput"))
            : null;
        var inputConnectivity = reader.ReadDouble("InputConnectivity");
        var recurrentConnectivity = reader.ReadDouble("RecurrentConnectivity");
        int? inDegree = reader.ReadBoolean("the RecurrentInDegree presence flag")
            ? reader.ReadInt32("RecurrentInDegree")
            : null;
        var biasScaling = reader.ReadDouble("BiasScaling");
        var activation = reader.ReadEnum<Activation>("Activation");
        var recurrentDistribution = reader.ReadEnum<WeightDistribution>("RecurrentWeightDistribution");
        var inputDistribution = reader.ReadEnum<WeightDistribution>("InputWeightDistribution");
        var stateNoise = reader.ReadDouble("StateNoise");
        var feedbackDimension = reader.ReadInt32("FeedbackDimension");
        var feedbackScaling = reader.ReadDouble("FeedbackScaling");
        var feedbackConnectivity = reader.ReadDouble("FeedbackConnectivity");
        var skips = new SkipConnection[reader.ReadCount("skip connections", SkipConnectionBytes)];
        for (var s = 0; s < skips.Length; s++)
        {
            skips[s] = new SkipConnection
            {
                Delay = reader.ReadInt32($"SkipConnections[{s}].Delay"),
                SpectralRadius = reader.ReadDouble($"SkipConnections[{s}].SpectralRadius"),
                Connectivity = reader.ReadDouble($"SkipConnections[{s}].Connectivity"),
            };
        }

        ClockworkOptions? clockwork = null;
        if (reader.ReadBoolean("the Clockwork presence flag"))
        {
            var periods = ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadInt32s("Clockwork.Periods"));
            ImmutableArray<int>? sizes = reader.ReadBoolean("the Clockwork.ModuleSizes presence flag")
                ? ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadInt32s("Clockwork.ModuleSizes"))
                : null;
            clockwork = new ClockworkOptions { Periods = periods, ModuleSizes = sizes };
        }

        var topology = reader.ReadEnum<ReservoirTopology>("Topology");
        var precision = version >= 2 ? reader.ReadEnum<Precision>("Precision") : Precision.Double;
        var jumpLength = version >= 3 ? reader.ReadInt32("JumpLength") : ReservoirDefaults.JumpLength;
        var jumpWeight = version >= 3 ? reader.ReadDouble("JumpWeight") : ReservoirDefaults.JumpWeight;
        var neighbours = version >= 3 ? reader.ReadInt32("SmallWorldNeighbours") : ReservoirDefaults.SmallWorldNeighbours;
        var rewiring = version >= 3 ? reader.ReadDouble("RewiringProbability") : ReservoirDefaults.RewiringProbability;
        var carry = version >= 4 ? reader.ReadEnum<StateCarry>("StateCarry") : StateCarry.Identity;
        var options = new ReservoirOptions
        {
            UnitCount = unitCount,
            Seed = seed,
            InputDimension = inputDimension,
            SpectralRadius = spectralRadius,
            LeakRates = leakRates,
            InputScaling = inputScaling,
            InputScalingPerInput = perInput,
            InputConnectivity = inputConnectivity,
            RecurrentConnectivity = recurrentConnectivity,
            RecurrentInDegree = inDegree,
            BiasScaling = biasScaling,
            Activation = activation,
            RecurrentWeightDistribution = recurrentDistribution,
            InputWeightDistribution = inputDistribution,
            StateNoise = stateNoise,
            FeedbackDimension = feedbackDimension,
            FeedbackScaling = feedbackScaling,
            FeedbackConnectivity = feedbackConnectivity,
            SkipConnections = ImmutableCollectionsMarshal.AsImmutableArray(skips),
            Clockwork = clockwork,
            Topology = topology,
            Precision = precision,
            JumpLength = jumpLength,
            JumpWeight = jumpWeight,
            SmallWorldNeighbours = neighbours,
            RewiringProbability = rewiring,
            StateCarry = carry,
        };

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The reservoir options at offset {start} are invalid: {e.Message}", e);
        }

        return options;
    }

    private static LeakRateDistribution ReadLeakRates(ModelReader reader)
    {
        var offset = reader.Offset;
        var kind = reader.ReadEnum<LeakRateDistributionKind>("the leak-rate distribution kind");
        var parameters = reader.ReadDoubles("the leak-rate distribution parameters");
        return LeakRateDistribution.FromParameters(kind, parameters) ?? throw new InvalidDataException(
            $"Invalid leak-rate distribution at offset {offset}: {parameters.Length} parameters do not fit a {kind} distribution.");
    }
}
