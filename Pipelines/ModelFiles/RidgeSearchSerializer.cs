using System.Collections.Immutable;
using System.Runtime.InteropServices;

using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Writes and reads the readout part shared by the network files: ridge options, λ search options and the λ search result.</summary>
internal static class RidgeSearchSerializer
{
    /// <summary>Writes the ridge options and, if given, the λ search options.</summary>
    /// <param name="writer">Where the items are written.</param>
    /// <param name="readout">The ridge options.</param>
    /// <param name="search">The λ search options, or null for a fixed λ.</param>
    /// <param name="searchInterceptStored">Whether the search's own intercept option is stored (else it equals the readout's).</param>
    internal static void WriteOptions(ModelWriter writer, RidgeReadoutOptions readout, RidgeCvOptions? search, bool searchInterceptStored)
    {
        writer.WriteDouble(readout.L2Regularization);
        writer.WriteBoolean(readout.FitIntercept);
        writer.WriteBoolean(search is not null);
        if (search is not null)
        {
            writer.WriteBoolean(search.L2Grid is not null);
            if (search.L2Grid is { } grid)
            {
                writer.WriteDoubles([.. grid]);
            }

            writer.WriteEnum(search.Method);
            if (searchInterceptStored)
            {
                writer.WriteBoolean(search.FitIntercept);
            }
        }
    }

    /// <summary>Reads options written by <see cref="WriteOptions"/> with the same <paramref name="searchInterceptStored"/>.</summary>
    /// <exception cref="ModelFormatException">An item is truncated or invalid.</exception>
    internal static (RidgeReadoutOptions Readout, RidgeCvOptions? Search) ReadOptions(ModelReader reader, bool searchInterceptStored)
    {
        var l2 = reader.ReadFiniteDouble("the ridge penalty option");
        var fitIntercept = reader.ReadBoolean("the intercept option");
        RidgeCvOptions? search = null;
        if (reader.ReadBoolean("whether λ is searched"))
        {
            ImmutableArray<double>? grid = reader.ReadBoolean("whether a λ grid is given")
                ? ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadDoubles("the λ grid"))
                : null;
            var method = reader.ReadEnum<RidgeCvMethod>("the λ search method");
            search = new RidgeCvOptions
            {
                L2Grid = grid,
                Method = method,
                FitIntercept = searchInterceptStored ? reader.ReadBoolean("the search's intercept option") : fitIntercept,
            };
        }

        return (new RidgeReadoutOptions { L2Regularization = l2, FitIntercept = fitIntercept }, search);
    }

    /// <summary>Writes whether a λ search result is stored and, if so, the result.</summary>
    internal static void WriteResult(ModelWriter writer, RidgeCvResult? result)
    {
        writer.WriteBoolean(result is not null);
        if (result is not null)
        {
            writer.WriteDouble(result.BestL2Regularization);
            writer.WriteEnum(result.Method);
            writer.WriteDoubles([.. result.Curve.Select(p => p.L2Regularization)]);
            writer.WriteDoubles([.. result.Curve.Select(p => p.ValidationError)]);
        }
    }

    /// <summary>Reads the body of a result written by <see cref="WriteResult"/>, after its presence flag.</summary>
    /// <param name="reader">The reader, placed after the presence flag.</param>
    /// <param name="readout">The readout the search chose.</param>
    /// <param name="offset">The offset named when the result is inconsistent.</param>
    /// <exception cref="ModelFormatException">An item is truncated or the result is inconsistent.</exception>
    internal static RidgeCvResult ReadResult(ModelReader reader, RidgeSolution readout, long offset)
    {
        var best = reader.ReadFiniteDouble("the chosen λ");
        var method = reader.ReadEnum<RidgeCvMethod>("the search method");
        var lambdas = reader.ReadDoubles("the searched λ values");
        var errors = reader.ReadFiniteDoubles("the validation errors", lambdas.Length);
        var curve = lambdas.Zip(errors, (l, e) => new RidgeCvPoint(l, e)).ToArray();
        return Wrap(offset, () => RidgeCvResult.Restore(best, method, curve, readout));
    }

    /// <summary>Runs <paramref name="create"/> and turns its <see cref="ArgumentException"/> into a <see cref="ModelFormatException"/> naming <paramref name="offset"/>.</summary>
    internal static T Wrap<T>(long offset, Func<T> create)
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
