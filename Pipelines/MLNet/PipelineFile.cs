using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Writes and reads one zip holding a whole pipeline: ML.NET segments saved by ML.NET, toolkit segments in this library's format.</summary>
/// <remarks>
/// <para>Entries (format version 2):</para>
/// <list type="bullet">
/// <item><c>input-schema.zip</c>: an empty ML.NET transformer chain saved with the pipeline's input schema;</item>
/// <item><c>segment-NNN.zip</c>: a run of consecutive ML.NET transformers, saved by ML.NET's <c>Model.Save</c> with the schema at its start;</item>
/// <item><c>segment-NNN.rsvr</c>: one toolkit transformer in this library's model-file format (versioned, with a CRC-64 of its own);</item>
/// <item><c>manifest.json</c>: the format name and version, the input schema's entry and the ordered list of segments
/// (kind and entry), each entry with its length and CRC-64/ECMA-182 as 16 upper-case hexadecimal digits;</item>
/// <item><c>manifest.crc64</c>: the CRC-64 of <c>manifest.json</c>'s bytes, as 16 upper-case hexadecimal digits.</item>
/// </list>
/// <para>
/// Loading reads and checks every entry before ML.NET or a toolkit reader sees a byte: the manifest against its
/// checksum, then each listed entry's length and CRC-64 against the manifest, and the sizes of the entries inside each
/// ML.NET segment against the inflation budget (<see cref="PipelineFileLimits"/>). .NET does not check a zip entry's
/// CRC-32 when reading, so these checksums are what detects damage. Format version 1 (no checksums, no
/// <c>manifest.crc64</c>) still loads, with the size limits but without the corruption checks.
/// </para>
/// <para>Nested <see cref="TransformerChain{TLastTransformer}"/>s are flattened on saving; loading returns one flat chain.</para>
/// </remarks>
internal static class PipelineFile
{
    internal const string FormatName = "Reservoir.Pipeline";
    internal const int FormatVersion = 2;
    internal const string ManifestEntry = "manifest.json";
    internal const string ManifestChecksumEntry = "manifest.crc64";
    internal const string InputSchemaEntry = "input-schema.zip";
    internal const string MLNetKind = "ML.NET";

    /// <summary>The length of a checksum written as text: 16 hexadecimal digits.</summary>
    private const int ChecksumTextLength = 16;

    internal static void Save(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        // Everything is built in memory first, so nothing reaches the stream if a segment fails to save.
        var entries = new List<(string Name, byte[] Bytes)>();
        var segments = new JsonArray();
        var inputSchemaBytes = Capture(s => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, s));
        entries.Add((InputSchemaEntry, inputSchemaBytes));

        var schema = inputSchema;
        var run = new List<ITransformer>();
        var runSchema = schema;
        foreach (var transformer in Flatten(model))
        {
            if (transformer is ColumnAppendingTransformer toolkit)
            {
                FlushRun(catalog, entries, segments, run, runSchema);
                var entry = $"segment-{segments.Count:D3}.rsvr";
                var bytes = Capture(s => ModelFile.Write(s, toolkit.SegmentKind, toolkit.Write));
                entries.Add((entry, bytes));
                segments.Add(Describe(toolkit.SegmentKind, entry, bytes));
                schema = transformer.GetOutputSchema(schema);
                runSchema = schema;
            }
            else
            {
                if (run.Count == 0)
                {
                    runSchema = schema;
                }

                run.Add(transformer);
                schema = transformer.GetOutputSchema(schema);
            }
        }

        FlushRun(catalog, entries, segments, run, runSchema);
        var manifest = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["inputSchema"] = Describe(null, InputSchemaEntry, inputSchemaBytes),
            ["segments"] = segments,
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
        entries.Add((ManifestEntry, manifestBytes));
        entries.Add((ManifestChecksumEntry, Encoding.ASCII.GetBytes(ChecksumText(manifestBytes))));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var target = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                target.Write(bytes);
            }
        }

        buffer.Position = 0;
        buffer.CopyTo(stream);
        stream.Flush();
    }

    internal static void Save(ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ModelFile.SaveAtomically(path, stream => Save(catalog, model, inputSchema, stream));
    }

    internal static ITransformer Load(ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        try
        {
            var (schemaBytes, segments) = ReadVerified(stream);
            using (var schemaStream = new MemoryStream(schemaBytes, writable: false))
            {
                catalog.Load(schemaStream, out inputSchema);
            }

            var transformers = new List<ITransformer>();
            foreach (var (kind, bytes) in segments)
            {
                using var entryStream = new MemoryStream(bytes, writable: false);
                if (kind == MLNetKind)
                {
                    transformers.AddRange(Flatten(catalog.Load(entryStream, out _)));
                }
                else
                {
                    transformers.Add(ToolkitSegments.Read(kind, entryStream));
                }
            }

            return new TransformerChain<ITransformer>(transformers.ToArray());
        }
        catch (Exception error) when (error is not (ModelFormatException or OutOfMemoryException or OperationCanceledException))
        {
            // ML.NET's loader reports a damaged segment in many shapes (wrapped in TargetInvocationException, or as a
            // zip, format, end-of-stream or assembly-load error): whatever the shape, the file cannot be used.
            var cause = error;
            while (cause is System.Reflection.TargetInvocationException { InnerException: { } inner })
            {
                cause = inner;
            }

            throw new ModelFormatException($"The pipeline file is corrupt or not a pipeline file: {cause.Message}", error);
        }
    }

    internal static ITransformer Load(ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(catalog, stream, out inputSchema);
    }

    /// <summary>The transformers of a model in order, with nested chains opened.</summary>
    internal static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
            {
                foreach (var leaf in Flatten(inner))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return model;
        }
    }

    /// <summary>The CRC-64 of <paramref name="bytes"/> as written in a pipeline file: 16 upper-case hexadecimal digits.</summary>
    internal static string ChecksumText(ReadOnlySpan<byte> bytes) => Crc64.Compute(bytes).ToString("X16", CultureInfo.InvariantCulture);

    private static void FlushRun(ModelOperationsCatalog catalog, List<(string Name, byte[] Bytes)> entries, JsonArray segments, List<ITransformer> run, DataViewSchema runSchema)
    {
        if (run.Count == 0)
        {
            return;
        }

        var entry = $"segment-{segments.Count:D3}.zip";
        var chain = new TransformerChain<ITransformer>(run.ToArray());
        var bytes = Capture(s => catalog.Save(chain, runSchema, s));
        entries.Add((entry, bytes));
        segments.Add(Describe(MLNetKind, entry, bytes));
        run.Clear();
    }

    /// <summary>What <paramref name="write"/> writes, as bytes (ML.NET writes a zip of its own, which needs a seekable stream).</summary>
    private static byte[] Capture(Action<Stream> write)
    {
        using var content = new MemoryStream();
        write(content);
        return content.ToArray();
    }

    private static JsonObject Describe(string? kind, string entry, byte[] bytes)
    {
        var node = new JsonObject();
        if (kind is not null)
        {
            node["kind"] = kind;
        }

        node["entry"] = entry;
        node["length"] = bytes.Length;
        node["crc64"] = ChecksumText(bytes);
        return node;
    }

    /// <summary>Reads every entry the manifest lists and checks it (sizes, checksums, the sizes inside ML.NET segments) before anything parses it.</summary>
    private static (byte[] InputSchema, List<(string Kind, byte[] Bytes)> Segments) ReadVerified(Stream stream)
    {
        if (!stream.CanSeek)
        {
            // ZipArchive would copy it to memory anyway; doing it here gives the file's size for the inflation budget.
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        var fileLength = stream.Length;
        var budget = PipelineFileLimits.BudgetFor(fileLength);
        var budgetText = $"{budget} bytes ({PipelineFileLimits.MaxInflationRatio} times the file's {fileLength} bytes, "
            + $"at least {PipelineFileLimits.MinimumInflationBudget})";
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        PipelineFileLimits.ChargeDeclaredSizes(zip, "The pipeline file", ref budget, budgetText);

        var manifestBytes = PipelineFileLimits.ReadEntry(GetEntry(zip, ManifestEntry), ManifestEntry, PipelineFileLimits.MaxManifestBytes, "the manifest limit");
        var checksumEntry = zip.GetEntry(ManifestChecksumEntry);
        if (checksumEntry is not null)
        {
            var stored = PipelineFileLimits.ReadEntry(checksumEntry, ManifestChecksumEntry, ChecksumTextLength, "the length of a checksum");
            var computed = ChecksumText(manifestBytes);
            if (!stored.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(computed)))
            {
                throw new ModelFormatException(
                    $"Checksum mismatch in '{ManifestEntry}': '{ManifestChecksumEntry}' holds '{Printable(stored)}', its {manifestBytes.Length} bytes give '{computed}'. The file is corrupt.");
            }
        }

        var manifest = ParseManifest(manifestBytes);
        if (manifest.Version >= 2)
        {
            if (checksumEntry is null)
            {
                throw new ModelFormatException($"The pipeline file has format version {manifest.Version} but no '{ManifestChecksumEntry}'; it is corrupt.");
            }

            CheckEntrySet(zip, manifest);
        }

        var scratch = new byte[1 << 16];
        var inputSchema = ReadListed(zip, manifest.InputSchema, PipelineFileLimits.MaxInputSchemaBytes, "the input schema limit");
        CheckMLNetSegment(inputSchema, manifest.InputSchema.Name, ref budget, budgetText, scratch);
        var segments = new List<(string, byte[])>();
        foreach (var (kind, listed) in manifest.Segments)
        {
            var bytes = ReadListed(zip, listed, PipelineFileLimits.MaxEntryBytes, "the limit of one entry");
            if (kind == MLNetKind)
            {
                CheckMLNetSegment(bytes, listed.Name, ref budget, budgetText, scratch);
            }

            segments.Add((kind, bytes));
        }

        return (inputSchema, segments);
    }

    private static ZipArchiveEntry GetEntry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? throw new ModelFormatException($"The pipeline file has no entry '{name}'; it is corrupt or not a pipeline file.");

    /// <summary>Reads an entry the manifest lists; with a recorded length and checksum (version 2), checks both.</summary>
    private static byte[] ReadListed(ZipArchive zip, ListedEntry listed, long limit, string limitName)
    {
        var entry = GetEntry(zip, listed.Name);
        if (listed.Length is { } length && entry.Length != length)
        {
            throw new ModelFormatException(
                $"The pipeline entry '{listed.Name}' declares {entry.Length} bytes in the zip, but the manifest records {length}; the file is corrupt.");
        }

        var bytes = PipelineFileLimits.ReadEntry(entry, listed.Name, limit, limitName);
        if (listed.Checksum is { } expected)
        {
            var computed = ChecksumText(bytes);
            if (computed != expected)
            {
                throw new ModelFormatException(
                    $"Checksum mismatch in '{listed.Name}': the manifest records CRC-64 {expected}, its {bytes.Length} bytes give {computed}. The file is corrupt.");
            }
        }

        return bytes;
    }

    /// <summary>Checks that an ML.NET zip (a segment or the input schema) is a zip whose entries fit the budget and inflate to exactly their declared lengths, so ML.NET's reading of it is bounded.</summary>
    private static void CheckMLNetSegment(byte[] bytes, string name, ref long budget, string budgetText, byte[] scratch)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException error)
        {
            throw new ModelFormatException($"The ML.NET zip '{name}' is not a valid zip: {error.Message} The file is corrupt.", error);
        }

        using (zip)
        {
            PipelineFileLimits.ChargeDeclaredSizes(zip, $"The ML.NET zip '{name}'", ref budget, budgetText);
            foreach (var entry in zip.Entries)
            {
                PipelineFileLimits.CheckEntry(entry, $"{name}/{entry.FullName}", PipelineFileLimits.MaxEntryBytes, "the limit of one entry", scratch);
            }
        }
    }

    /// <summary>Version 2 lists every entry: the zip must hold exactly those, each once.</summary>
    private static void CheckEntrySet(ZipArchive zip, Manifest manifest)
    {
        var expected = new HashSet<string>(StringComparer.Ordinal) { ManifestEntry, ManifestChecksumEntry };
        foreach (var listed in manifest.Segments.Select(s => s.Entry).Prepend(manifest.InputSchema))
        {
            if (!expected.Add(listed.Name))
            {
                throw new ModelFormatException($"The pipeline manifest lists the entry '{listed.Name}' twice; the file is corrupt.");
            }
        }

        foreach (var entry in zip.Entries)
        {
            if (!expected.Contains(entry.FullName))
            {
                throw new ModelFormatException($"The pipeline file holds an entry '{entry.FullName}' that its manifest does not list; the file is corrupt.");
            }
        }

        if (zip.Entries.Count != expected.Count)
        {
            throw new ModelFormatException(
                $"The pipeline file holds {zip.Entries.Count} zip entries; its manifest accounts for {expected.Count}. The file is corrupt.");
        }
    }

    private static Manifest ParseManifest(byte[] bytes)
    {
        var root = JsonNode.Parse(bytes) as JsonObject ?? throw new ModelFormatException("The pipeline manifest is not a JSON object.");
        if ((string?)root["format"] != FormatName)
        {
            throw new ModelFormatException($"The file is not a {FormatName} file (manifest format '{root["format"]}').");
        }

        var version = (int?)root["version"] ?? 0;
        if (version < 1 || version > FormatVersion)
        {
            throw new ModelFormatException($"The pipeline file has format version {version}; this library reads versions 1 to {FormatVersion}.");
        }

        var checksummed = version >= 2;
        var inputSchema = checksummed
            ? ParseListed(root["inputSchema"] as JsonObject ?? throw new ModelFormatException("The pipeline manifest does not describe the input schema entry."), "the input schema")
            : new ListedEntry(InputSchemaEntry, null, null);
        var list = new List<(string, ListedEntry)>();
        foreach (var node in root["segments"] as JsonArray ?? throw new ModelFormatException("The pipeline manifest has no segment list."))
        {
            var what = $"segment {list.Count}";
            var kind = (string?)node?["kind"];
            if (string.IsNullOrEmpty(kind))
            {
                throw new ModelFormatException($"The pipeline manifest's {what} has no kind.");
            }

            if (kind != MLNetKind && !ToolkitSegments.IsKnown(kind))
            {
                throw new ModelFormatException($"Unknown segment kind '{kind}' in the pipeline manifest.");
            }

            var listed = checksummed
                ? ParseListed(node as JsonObject ?? throw new ModelFormatException($"The pipeline manifest's {what} is not an object."), what)
                : new ListedEntry((string?)node?["entry"] ?? "", null, null);
            if (listed.Name.Length == 0)
            {
                throw new ModelFormatException($"The pipeline manifest's {what} has no entry.");
            }

            list.Add((kind, listed));
        }

        return new Manifest(version, inputSchema, list);
    }

    private static ListedEntry ParseListed(JsonObject node, string what)
    {
        var name = (string?)node["entry"];
        var length = (long?)node["length"];
        var checksum = (string?)node["crc64"];
        if (string.IsNullOrEmpty(name) || length is not >= 0 || checksum is not { Length: ChecksumTextLength })
        {
            throw new ModelFormatException($"The pipeline manifest's entry for {what} needs 'entry', a 'length' ≥ 0 and a 16-digit 'crc64'; the file is corrupt.");
        }

        return new ListedEntry(name, length, checksum);
    }

    /// <summary>Bytes as text for a message: printable ASCII as is, anything else as '?'.</summary>
    private static string Printable(byte[] bytes) => new(bytes.Select(b => b is >= 0x20 and < 0x7F ? (char)b : '?').ToArray());

    /// <summary>An entry the manifest lists, with its length and CRC-64 (null in format version 1).</summary>
    private sealed record ListedEntry(string Name, long? Length, string? Checksum);

    private sealed record Manifest(int Version, ListedEntry InputSchema, List<(string Kind, ListedEntry Entry)> Segments);
}
