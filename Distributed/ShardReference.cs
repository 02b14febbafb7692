namespace Reservoir.Distributed;

/// <summary>How a worker opens a shard.</summary>
public enum ShardFormat
{
    /// <summary>A CSV file written by <see cref="ShardFiles.WriteCsv"/>: a header of input columns u0, u1, … and target columns y0, y1, …, then one row per step.</summary>
    Csv,

    /// <summary>A binary segment written by <see cref="ShardFiles.WriteBinary"/>.</summary>
    Binary,

    /// <summary>A sequence of the <see cref="IShardSource"/> registered in the silo's services, by its id.</summary>
    Source,
}

/// <summary>A reference to one shard of training data that every worker can open: a file path or a sequence id; the data themselves never travel with it.</summary>
/// <remarks>Immutable. A file path must name the same file on every silo (a shared or replicated folder).</remarks>
[GenerateSerializer]
[Immutable]
[Alias("Reservoir.Distributed.ShardReference")]
public sealed record ShardReference
{
    /// <summary>The shard's name in progress reports and errors (the file name, or "sequence N").</summary>
    [Id(0)]
    public required string Name { get; init; }

    /// <summary>How the shard is opened.</summary>
    [Id(1)]
    public ShardFormat Format { get; init; }

    /// <summary>The file's path for <see cref="ShardFormat.Csv"/> and <see cref="ShardFormat.Binary"/>; null for <see cref="ShardFormat.Source"/>.</summary>
    [Id(2)]
    public string? Path { get; init; }

    /// <summary>The sequence id passed to <see cref="IShardSource.Open"/> for <see cref="ShardFormat.Source"/>; 0 otherwise.</summary>
    [Id(3)]
    public int SequenceId { get; init; }

    /// <summary>A CSV file written by <see cref="ShardFiles.WriteCsv"/>.</summary>
    /// <param name="path">The file's path, the same on every silo.</param>
    /// <returns>The reference, named after the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static ShardReference CsvFile(string path) => File(path, ShardFormat.Csv);

    /// <summary>A binary segment written by <see cref="ShardFiles.WriteBinary"/>.</summary>
    /// <param name="path">The file's path, the same on every silo.</param>
    /// <returns>The reference, named after the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static ShardReference BinaryFile(string path) => File(path, ShardFormat.Binary);

    /// <summary>A sequence of the silos' <see cref="IShardSource"/>.</summary>
    /// <param name="sequenceId">The id the source knows the sequence by.</param>
    /// <returns>The reference, named "sequence <paramref name="sequenceId"/>".</returns>
    public static ShardReference FromSource(int sequenceId) =>
        new() { Name = $"sequence {sequenceId}", Format = ShardFormat.Source, SequenceId = sequenceId };

    private static ShardReference File(string path, ShardFormat format)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ShardReference { Name = System.IO.Path.GetFileName(path), Format = format, Path = path };
    }
}

/// <summary>Training sequences that the silos can open by id, registered in each silo's services (for data that are not files: a database, a generator).</summary>
/// <remarks>Implementations are called concurrently from several grains and must be thread-safe; the same id must give the same data on every silo.</remarks>
public interface IShardSource
{
    /// <summary>Opens a sequence.</summary>
    /// <param name="sequenceId">The id of <see cref="ShardReference.SequenceId"/>.</param>
    /// <returns>The inputs (T × D) and targets (T × K); the caller does not change them.</returns>
    (double[,] Inputs, double[,] Targets) Open(int sequenceId);

    /// <summary>The number of steps of a sequence; by default the length of what <see cref="Open"/> returns.</summary>
    /// <param name="sequenceId">The id of <see cref="ShardReference.SequenceId"/>.</param>
    /// <returns>T, the number of steps.</returns>
    long GetLength(int sequenceId) => Open(sequenceId).Inputs.GetLength(0);
}
