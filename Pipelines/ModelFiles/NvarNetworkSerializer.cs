using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Writes and reads a fitted <see cref="NvarNetwork"/>: NVAR features, readout options, λ search, readout and search result.</summary>
internal static class NvarNetworkSerializer
{
    /// <summary>The content kind of an NVAR network file.</summary>
    internal const string Kind = "NvarNetwork";

    /// <summary>The tag that opens the section.</summary>
    internal const string Tag = "NvarNetwork";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 1;

    /// <summary>Writes the network.</summary>
    internal static void Write(ModelWriter writer, NvarNetwork network)
    {
        writer.WriteSectionHeader(Tag, Version);
        var options = network.Options;
        writer.WriteNvarFeatures(network.Features);
        RidgeSearchSerializer.WriteOptions(writer, options.Readout, options.RegularizationSearch, searchInterceptStored: false);
        writer.WriteInt32(options.CrossValidationFolds);
        writer.WriteRidgeSolution(network.Readout);
        RidgeSearchSerializer.WriteResult(writer, network.RegularizationSearch);
    }

    /// <summary>Reads a network written by <see cref="Write"/>; every size and value is checked before it is used.</summary>
    /// <exception cref="ModelFormatException">The section is truncated, corrupted, of a newer version or inconsistent.</exception>
    internal static NvarNetwork Read(ModelReader reader)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(Tag, Version);
        var features = reader.ReadNvarFeatures();
        var (readoutOptions, searchOptions) = RidgeSearchSerializer.ReadOptions(reader, searchInterceptStored: false);
        var options = new NvarNetworkOptions
        {
            Features = features.Options,
            Readout = readoutOptions,
            RegularizationSearch = searchOptions,
            CrossValidationFolds = reader.ReadInt32("the number of folds", 2, int.MaxValue),
        };
        RidgeSearchSerializer.Wrap(start, () => NvarNetwork.CreateSolvers(options));

        var readoutOffset = reader.Offset;
        var readout = reader.ReadRidgeSolution();
        if (readout.FeatureCount != features.FeatureCount)
        {
            throw new ModelFormatException(
                $"The readout at offset {readoutOffset} reads {readout.FeatureCount} features but the NVAR features give {features.FeatureCount}.");
        }

        // Whether the intercept was penalised is stored with the fitted readout; the options report it, so that a refit fits the same way.
        options = options with { Readout = options.Readout with { RegularizeIntercept = readout.RegularizeIntercept } };
        RidgeSearchSerializer.Wrap(start, () => NvarNetwork.CreateSolvers(options));

        RidgeCvResult? searched = null;
        var searchedOffset = reader.Offset;
        if (reader.ReadBoolean("whether a λ search result is stored"))
        {
            if (searchOptions is null)
            {
                throw new ModelFormatException(
                    $"A λ search result is stored at offset {searchedOffset} but the saved options ask for a fixed λ; the file is corrupted.");
            }

            searched = RidgeSearchSerializer.ReadResult(reader, readout, searchedOffset);
        }

        return new NvarNetwork(options, features, readout, searched);
    }
}
