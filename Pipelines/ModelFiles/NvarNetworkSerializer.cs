using System.Collections.Immutable;
using System.Runtime.InteropServices;

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
        writer.WriteDouble(options.Readout.L2Regularization);
        writer.WriteBoolean(options.Readout.FitIntercept);
        writer.WriteBoolean(options.RegularizationSearch is not null);
        if (options.RegularizationSearch is { } search)
        {
            writer.WriteBoolean(search.L2Grid is not null);
            if (search.L2Grid is { } grid)
            {
                writer.WriteDoubles([.. grid]);
            }

            writer.WriteEnum(search.Method);
        }

        writer.WriteInt32(options.CrossValidationFolds);
        writer.WriteRidgeSolution(network.Readout);
        writer.WriteBoolean(network.RegularizationSearch is not null);
        if (network.RegularizationSearch is { } result)
        {
            writer.WriteDouble(result.BestL2Regularization);
            writer.WriteEnum(result.Method);
            writer.WriteDoubles([.. result.Curve.Select(p => p.L2Regularization)]);
            writer.WriteDoubles([.. result.Curve.Select(p => p.ValidationError)]);
        }
    }

    /// <summary>Reads a network written by <see cref="Write"/>; every size and value is checked before it is used.</summary>
    /// <exception cref="ModelFormatException">The section is truncated, corrupted, of a newer version or inconsistent.</exception>
    internal static NvarNetwork Read(ModelReader reader)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(Tag, Version);
        var features = reader.ReadNvarFeatures();
        var l2 = reader.ReadFiniteDouble("the ridge penalty option");
        var fitIntercept = reader.ReadBoolean("the intercept option");
        RidgeCvOptions? searchOptions = null;
        if (reader.ReadBoolean("whether λ is searched"))
        {
            ImmutableArray<double>? grid = reader.ReadBoolean("whether a λ grid is given")
                ? ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadDoubles("the λ grid"))
                : null;
            searchOptions = new RidgeCvOptions
            {
                L2Grid = grid, Method = reader.ReadEnum<RidgeCvMethod>("the λ search method"), FitIntercept = fitIntercept,
            };
        }

        var options = new NvarNetworkOptions
        {
            Features = features.Options,
            Readout = new RidgeReadoutOptions { L2Regularization = l2, FitIntercept = fitIntercept },
            RegularizationSearch = searchOptions,
            CrossValidationFolds = reader.ReadInt32("the number of folds", 2, int.MaxValue),
        };
        Wrap(start, () => NvarNetwork.CreateSolvers(options));

        var readoutOffset = reader.Offset;
        var readout = reader.ReadRidgeSolution();
        if (readout.FeatureCount != features.FeatureCount)
        {
            throw new ModelFormatException(
                $"The readout at offset {readoutOffset} reads {readout.FeatureCount} features but the NVAR features give {features.FeatureCount}.");
        }

        RidgeCvResult? searched = null;
        var searchedOffset = reader.Offset;
        if (reader.ReadBoolean("whether a λ search result is stored"))
        {
            if (searchOptions is null)
            {
                throw new ModelFormatException(
                    $"A λ search result is stored at offset {searchedOffset} but the saved options ask for a fixed λ; the file is corrupted.");
            }

            var best = reader.ReadFiniteDouble("the chosen λ");
            var method = reader.ReadEnum<RidgeCvMethod>("the search method");
            var lambdas = reader.ReadDoubles("the searched λ values");
            var errors = reader.ReadFiniteDoubles("the validation errors", lambdas.Length);
            var curve = lambdas.Zip(errors, (l, e) => new RidgeCvPoint(l, e)).ToArray();
            searched = Wrap(searchedOffset, () => RidgeCvResult.Restore(best, method, curve, readout));
        }

        return new NvarNetwork(options, features, readout, searched);
    }

    private static T Wrap<T>(long offset, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"Invalid content at offset {offset}: {e.Message}", e);
        }
    }
}
