using System.IO.Compression;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The size limits of a pipeline file and the bounded reading of its zip entries.</summary>
/// <remarks>
/// <para>
/// A zip entry's declared length is only a claim, and deflate inflates up to about 1 032 bytes per stored byte, so a
/// small file could otherwise make a load allocate gigabytes. Every byte inflated while loading, in the pipeline's own
/// entries and in the entries of the ML.NET segments inside them, is charged to one budget of
/// <see cref="MaxInflationRatio"/> times the file's size, or <see cref="MinimumInflationBudget"/> bytes if that is more.
/// The sizes the zip declares are checked against the budget and each entry's own limit before anything is inflated,
/// and every entry is read through a loop that takes at most its declared length and then asks for one byte more, so a
/// forged length fails (or, as .NET's zip reader itself stops at the declared length, the excess is never inflated).
/// </para>
/// <para>
/// Measured ratios of files written by <c>SavePipeline</c> (inflated bytes of every entry, nested ones included, over the
/// file's size) are 1.4 for a normalizer, reservoir and ridge pipeline and 2.5 to 4.3 for text featurization and one-hot
/// encoding, so the ratio limit leaves a wide margin.
/// </para>
/// </remarks>
internal static class PipelineFileLimits
{
    /// <summary>The largest inflation ratio (inflated bytes over the file's size) a pipeline file may have.</summary>
    internal const int MaxInflationRatio = 64;

    /// <summary>The inflation budget of a small file: every pipeline file may inflate to this many bytes, whatever its size.</summary>
    internal const long MinimumInflationBudget = 16L << 20;

    /// <summary>The largest manifest: about 8 000 segments.</summary>
    internal const long MaxManifestBytes = 1L << 20;

    /// <summary>The largest input schema entry (an empty ML.NET chain and the input columns with their annotations).</summary>
    internal const long MaxInputSchemaBytes = 16L << 20;

    /// <summary>The largest single entry: the largest array .NET allocates.</summary>
    internal static long MaxEntryBytes => Array.MaxLength;

    /// <summary>The most entries a zip (the pipeline's or an ML.NET segment's) may hold.</summary>
    internal const int MaxEntries = 65_535;

    private const int InitialChunk = 1 << 16;

    /// <summary>The inflation budget of a file of <paramref name="fileLength"/> bytes.</summary>
    internal static long BudgetFor(long fileLength) =>
        Math.Max(MinimumInflationBudget, fileLength > long.MaxValue / MaxInflationRatio ? long.MaxValue : fileLength * MaxInflationRatio);

    /// <summary>Checks that the sizes a zip declares fit the budget, and charges them to it.</summary>
    /// <param name="zip">The archive, whose central directory gives the declared sizes.</param>
    /// <param name="what">The archive in messages: "The pipeline file" or "The ML.NET zip 'segment-000.zip'".</param>
    /// <param name="budget">The bytes that may still be inflated; reduced by the declared total.</param>
    /// <param name="budgetText">How the budget was set, for messages.</param>
    /// <exception cref="ModelFormatException">Too many entries, or the declared total exceeds the budget.</exception>
    internal static void ChargeDeclaredSizes(ZipArchive zip, string what, ref long budget, string budgetText)
    {
        var entries = zip.Entries;
        if (entries.Count > MaxEntries)
        {
            throw new ModelFormatException($"{what} has {entries.Count} zip entries, more than the {MaxEntries} allowed; the file is corrupt.");
        }

        long declared = 0;
        foreach (var entry in entries)
        {
            declared += entry.Length;
            if (declared > budget)
            {
                throw new ModelFormatException(
                    $"{what} declares more than the {budget} bytes left of the inflation limit of {budgetText} "
                    + $"(entry '{entry.FullName}' alone declares {entry.Length}); the file is corrupt or a zip bomb.");
            }
        }

        budget -= declared;
    }

    /// <summary>Inflates a whole entry into memory, refusing it if its declared length exceeds <paramref name="limit"/> or if it inflates to another length.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="name">The entry in messages: its name, prefixed by the segment's for an entry inside an ML.NET segment.</param>
    /// <param name="limit">The most bytes the entry may hold.</param>
    /// <param name="limitName">What the limit is, for messages ("the manifest limit").</param>
    /// <returns>The entry's bytes; never more than its declared length.</returns>
    /// <exception cref="ModelFormatException">The entry is too long, inflates to more or fewer bytes than it declares, or its compressed data is invalid.</exception>
    internal static byte[] ReadEntry(ZipArchiveEntry entry, string name, long limit, string limitName)
    {
        var declared = CheckDeclared(entry, name, limit, limitName);
        try
        {
            using var source = entry.Open();
            var buffer = new byte[(int)Math.Min(declared, InitialChunk)];
            var position = 0;
            while (position < declared)
            {
                if (position == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(declared, 2L * buffer.Length));
                }

                var read = source.Read(buffer, position, buffer.Length - position);
                if (read == 0)
                {
                    throw TooShort(entry, name, position);
                }

                position += read;
            }

            ExpectEnd(source, entry, name);
            return buffer;
        }
        catch (InvalidDataException error)
        {
            throw Invalid(name, error);
        }
    }

    /// <summary>Inflates an entry without keeping it, checking it holds exactly its declared length.</summary>
    /// <exception cref="ModelFormatException">As <see cref="ReadEntry"/>.</exception>
    internal static void CheckEntry(ZipArchiveEntry entry, string name, long limit, string limitName, byte[] scratch)
    {
        var declared = CheckDeclared(entry, name, limit, limitName);
        try
        {
            using var source = entry.Open();
            long position = 0;
            while (position < declared)
            {
                var read = source.Read(scratch, 0, (int)Math.Min(scratch.Length, declared - position));
                if (read == 0)
                {
                    throw TooShort(entry, name, position);
                }

                position += read;
            }

            ExpectEnd(source, entry, name);
        }
        catch (InvalidDataException error)
        {
            throw Invalid(name, error);
        }
    }

    private static long CheckDeclared(ZipArchiveEntry entry, string name, long limit, string limitName)
    {
        var declared = entry.Length;
        limit = Math.Min(limit, MaxEntryBytes);
        if (declared > limit)
        {
            throw new ModelFormatException(
                $"The pipeline entry '{name}' declares {declared} bytes, more than {limitName} of {limit}; the file is corrupt or a zip bomb.");
        }

        return declared;
    }

    private static void ExpectEnd(Stream source, ZipArchiveEntry entry, string name)
    {
        if (source.ReadByte() >= 0)
        {
            throw new ModelFormatException(
                $"The pipeline entry '{name}' inflates to more than the {entry.Length} bytes its zip header declares; reading stopped there. The file is corrupt or a zip bomb.");
        }
    }

    private static ModelFormatException TooShort(ZipArchiveEntry entry, string name, long position) =>
        new($"The pipeline entry '{name}' inflates to {position} bytes, fewer than the {entry.Length} its zip header declares; the file is corrupt or truncated.");

    private static ModelFormatException Invalid(string name, InvalidDataException error) =>
        new($"The pipeline entry '{name}' cannot be inflated: {error.Message} The file is corrupt.", error);
}
