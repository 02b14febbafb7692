using System.Runtime.ExceptionServices;
using Microsoft.ML;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Brings this library's errors about a row back out of ML.NET's parallel cursors.</summary>
/// <remarks>
/// ML.NET reads a row-to-row transform placed after one of our transformers (<c>Concatenate</c>, for one) on worker
/// threads: it splits our single ordered cursor and consolidates the results. An exception thrown there reaches the
/// reader as <see cref="InvalidOperationException"/> "Splitter/consolidator worker encountered exception while consuming
/// source data", with ours one or two inner exceptions down. Our cursors mark the exceptions they let through, and
/// our entry points that read ML.NET cursors (the ridge trainer's <c>Fit</c>, our transformers' cursors)
/// rethrow the marked one with its original stack trace. A reader that is not ours (ML.NET's own trainers,
/// <c>CreateEnumerable</c> on an ML.NET transform's output) still sees ML.NET's wrapper, with ours as its innermost
/// exception.
/// </remarks>
internal static class RowErrors
{
    private const string MarkKey = "Reservoir.RowError";

    /// <summary>The most wrappers to look through.</summary>
    private const int MaxDepth = 8;

    /// <summary>Marks a caller error (<see cref="ArgumentException"/>) raised while reading rows; returns false, for use in an exception filter.</summary>
    internal static bool Mark(Exception error)
    {
        if (error is ArgumentException)
        {
            error.Data[MarkKey] = true;
        }

        return false;
    }

    /// <summary>The marked exception that ML.NET wrapped in <paramref name="error"/> (looking through <see cref="InvalidOperationException"/> and <see cref="AggregateException"/> wrappers only), or null.</summary>
    /// <remarks>Use in an exception filter, then rethrow it with <see cref="ExceptionDispatchInfo.Throw(Exception)"/> to keep its stack trace.</remarks>
    internal static Exception? FindMarked(Exception error)
    {
        var cause = error;
        for (var depth = 0; depth < MaxDepth && cause is InvalidOperationException or AggregateException; depth++)
        {
            cause = cause.InnerException;
            if (cause is not null && cause.Data.Contains(MarkKey))
            {
                return cause;
            }
        }

        return null;
    }

    /// <summary>Moves <paramref name="cursor"/> on; a marked exception that ML.NET wrapped is rethrown as itself, with its original stack trace.</summary>
    internal static bool MoveNext(DataViewRowCursor cursor)
    {
        try
        {
            return cursor.MoveNext();
        }
        catch (Exception error) when (FindMarked(error) is { } marked)
        {
            ExceptionDispatchInfo.Throw(marked);
            throw;
        }
    }
}
