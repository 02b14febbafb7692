using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Writes and reads a fitted <see cref="EchoStateNetwork"/>: options, reservoir weights, readout, standardizers, trained state and λ search.</summary>
internal static class EchoStateNetworkSerializer
{
    /// <summary>The content kind of a network file.</summary>
    internal const string Kind = "EchoStateNetwork";

    /// <summary>The tag that opens the section.</summary>
    internal const string Tag = "EchoStateNetwork";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 2;

    /// <summary>The version written for a network on one reservoir, whose layout has not changed since version 1 (so older readers still read it).</summary>
    internal const ushort SingleReservoirVersion = 1;

    /// <summary>Writes the network.</summary>
    internal static void Write(ModelWriter writer, EchoStateNetwork network)
    {
        var options = network.Options;
        var composed = options.Composition is not null;

        // Version 2 (composed reservoirs) stores the composition, with every layer's options and weights, in place of the
        // reservoir options; the reservoir section below is then left out.
        writer.WriteSectionHeader(Tag, composed ? Version : SingleReservoirVersion);
        if (composed)
        {
            writer.WriteComposedReservoir(network.Composition);
        }
        else
        {
            writer.WriteReservoirOptions(options.Reservoir!);
        }

        RidgeSearchSerializer.WriteOptions(writer, options.Readout, options.RegularizationSearch, searchInterceptStored: true);
        writer.WriteInt32(options.CrossValidationFolds);
        writer.WriteInt32(options.WashoutSteps);
        writer.WriteBoolean(options.ReadoutIncludesInput);
        writer.WriteBoolean(options.ReadoutIncludesState);
        writer.WriteBoolean(options.StandardizeInputs);
        writer.WriteBoolean(options.StandardizeTargets);

        if (!composed)
        {
            writer.WriteReservoir(network.Reservoir);
        }

        writer.WriteRidgeSolution(network.Readout);
        WriteScaler(writer, network.InputScaler);
        WriteScaler(writer, network.TargetScaler);
        writer.WriteNetworkState(network.CreateTrainedComposedState());
        writer.WriteDoubles(network.LastInput);
        writer.WriteBoolean(network.LastTarget is not null);
        if (network.LastTarget is { } lastTarget)
        {
            writer.WriteDoubles(lastTarget);
        }

        writer.WriteInt32(network.Horizon);
        RidgeSearchSerializer.WriteResult(writer, network.RegularizationSearch);
    }

    /// <summary>Reads a network written by <see cref="Write"/>; every size and value is checked.</summary>
    /// <exception cref="ModelFormatException">The section is truncated, corrupted, of a newer version or inconsistent.</exception>
    internal static EchoStateNetwork Read(ModelReader reader)
    {
        var start = reader.Offset;
        var version = reader.ReadSectionHeader(Tag, Version);
        var composition = version >= 2 ? reader.ReadComposedReservoir() : null;
        var reservoirOptions = composition is null ? reader.ReadReservoirOptions() : null;
        var (readoutOptions, searchOptions) = RidgeSearchSerializer.ReadOptions(reader, searchInterceptStored: true);
        var options = new EchoStateNetworkOptions
        {
            Reservoir = reservoirOptions,
            Composition = composition?.Options,
            Readout = readoutOptions,
            RegularizationSearch = searchOptions,
            CrossValidationFolds = reader.ReadInt32("the number of folds", 2, int.MaxValue),
            WashoutSteps = reader.ReadInt32("the washout", 0, int.MaxValue),
            ReadoutIncludesInput = reader.ReadBoolean("the readout's input option"),
            ReadoutIncludesState = reader.ReadBoolean("the readout's state option"),
            StandardizeInputs = reader.ReadBoolean("the input standardisation option"),
            StandardizeTargets = reader.ReadBoolean("the target standardisation option"),
        };
        RidgeSearchSerializer.Wrap(start, () => EchoStateNetworkTrainer.CreateSolvers(options));

        var reservoir = composition ?? ComposedReservoir.Of(reader.ReadReservoir());

        // The network reports its reservoir's own options; saved options of another size are corrupt.
        options = RidgeSearchSerializer.Wrap(start, () => EchoStateNetworkTrainer.Describe(reservoir, options));
        var readout = reader.ReadRidgeSolution();

        // Whether the intercept was penalised is stored with the fitted readout; the options report it, so that a refit fits the same way.
        options = options with { Readout = options.Readout with { RegularizeIntercept = readout.RegularizeIntercept } };
        RidgeSearchSerializer.Wrap(start, () => EchoStateNetworkTrainer.CreateSolvers(options));
        var d = reservoir.InputDimension;
        var k = readout.TargetCount;
        var inputScaler = ReadScaler(reader, "the input standardizer", d);
        var targetScaler = ReadScaler(reader, "the target standardizer", -1);
        var state = reader.ReadNetworkState(reservoir);
        var lastInput = reader.ReadFiniteDoubles("the last input", d);
        var lastTarget = reader.ReadBoolean("whether a last target is stored")
            ? reader.ReadFiniteDoubles("the last target", k)
            : null;
        var horizonOffset = reader.Offset;
        var horizon = reader.ReadInt32("the forecast horizon", 1, int.MaxValue);

        var expectedFeatures = FeatureLayout.For(reservoir, options).Width;
        if (readout.FeatureCount != expectedFeatures)
        {
            throw new ModelFormatException(
                $"The readout at offset {start} reads {readout.FeatureCount} features but the reservoir and options give {expectedFeatures}.");
        }

        if (targetScaler is not null && targetScaler.Dimension != (lastTarget is null ? d : k))
        {
            throw new ModelFormatException(
                $"The target standardizer has {targetScaler.Dimension} columns, which does not match the network's outputs.");
        }

        if (lastTarget is null ? horizon * d != k : horizon != 1)
        {
            throw new ModelFormatException(
                $"Inconsistent forecast horizon {horizon} at offset {horizonOffset} for {k} outputs and {d} inputs.");
        }

        RidgeCvResult? searched = null;
        if (reader.ReadBoolean("whether a λ search result is stored"))
        {
            searched = RidgeSearchSerializer.ReadResult(reader, readout, start);
        }

        return new EchoStateNetwork(reservoir, readout, options, inputScaler, targetScaler, state, lastInput, lastTarget,
            horizon, searched);
    }

    private static void WriteScaler(ModelWriter writer, Standardizer? scaler)
    {
        writer.WriteBoolean(scaler is not null);
        if (scaler is not null)
        {
            writer.WriteDoubles(scaler.Means);
            writer.WriteDoubles(scaler.Scales);
        }
    }

    private static Standardizer? ReadScaler(ModelReader reader, string what, int dimension)
    {
        if (!reader.ReadBoolean("whether " + what + " is stored"))
        {
            return null;
        }

        var offset = reader.Offset;
        var means = reader.ReadDoubles(what + " means");
        if (dimension >= 0 && means.Length != dimension)
        {
            throw new ModelFormatException($"Invalid size of {what} at offset {offset}: {means.Length} columns, expected {dimension}.");
        }

        var scales = reader.ReadDoubles(what + " scales");
        if (Standardizer.CheckFitted(means, scales) is { } problem)
        {
            throw new ModelFormatException($"Invalid {what} at offset {offset}: {problem}.");
        }

        return RidgeSearchSerializer.Wrap(offset, () => Standardizer.FromParameters(means, scales));
    }
}
