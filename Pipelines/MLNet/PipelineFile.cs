using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Writes and reads one zip holding a whole pipeline: ML.NET segments saved by ML.NET, toolkit segments in this library's format.</summary>
/// <remarks>
/// <para>Entries:</para>
/// <list type="bullet">
/// <item><c>manifest.json</c>: the format name and version and the ordered list of segments (kind and entry name);</item>
/// <item><c>input-schema.zip</c>: an empty ML.NET transformer chain saved with the pipeline's input schema;</item>
/// <item><c>segment-NNN.zip</c>: a run of consecutive ML.NET transformers, saved by ML.NET's <c>Model.Save</c> with the schema at its start;</item>
/// <item><c>segment-NNN.rsvr</c>: one toolkit transformer in this library's model-file format (versioned, with a CRC-64).</item>
/// </list>
/// <para>Nested <see cref="TransformerChain{TLastTransformer}"/>s are flattened on saving; loading returns one flat chain.</para>
/// </remarks>
internal static class PipelineFile
{
    internal const string FormatName = "Reservoir.Pipeline";
    internal const int FormatVersion = 1;
    internal const string ManifestEntry = "manifest.json";
    internal const string InputSchemaEntry = "input-schema.zip";
    internal const string MLNetKind = "ML.NET";
    private const long MaxEntryBytes = 1L << 31;

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
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var segments = new JsonArray();
            WriteEntry(zip, InputSchemaEntry, s => catalog.Save(new TransformerChain<ITransformer>(), inputSchema, s));

            var schema = inputSchema;
            var run = new List<ITransformer>();
            var runSchema = schema;
            foreach (var transformer in Flatten(model))
            {
                if (transformer is ColumnAppendingTransformer toolkit)
                {
                    FlushRun(catalog, zip, segments, run, runSchema);
                    var entry = $"segment-{segments.Count:D3}.rsvr";
                    WriteEntry(zip, entry, s => ModelFile.Write(s, toolkit.SegmentKind, toolkit.Write));
                    segments.Add(new JsonObject { ["kind"] = toolkit.SegmentKind, ["entry"] = entry });
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

            FlushRun(catalog, zip, segments, run, runSchema);
            var manifest = new JsonObject
            {
                ["format"] = FormatName,
                ["version"] = FormatVersion,
                ["segments"] = segments,
            };
            WriteEntry(zip, ManifestEntry, s => s.Write(JsonSerializer.SerializeToUtf8Bytes(manifest)));
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
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var segments = ReadManifest(zip);
            using (var schemaStream = ReadEntry(zip, InputSchemaEntry))
            {
                catalog.Load(schemaStream, out inputSchema);
            }

            var transformers = new List<ITransformer>();
            foreach (var (kind, entry) in segments)
            {
                using var entryStream = ReadEntry(zip, entry);
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

    private static void FlushRun(ModelOperationsCatalog catalog, ZipArchive zip, JsonArray segments, List<ITransformer> run, DataViewSchema runSchema)
    {
        if (run.Count == 0)
        {
            return;
        }

        var entry = $"segment-{segments.Count:D3}.zip";
        var chain = new TransformerChain<ITransformer>(run.ToArray());
        WriteEntry(zip, entry, s => catalog.Save(chain, runSchema, s));
        segments.Add(new JsonObject { ["kind"] = MLNetKind, ["entry"] = entry });
        run.Clear();
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        // ML.NET writes a zip of its own, which needs a seekable stream: write to memory, then copy into the entry.
        using var content = new MemoryStream();
        write(content);
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var target = entry.Open();
        content.Position = 0;
        content.CopyTo(target);
    }

    private static MemoryStream ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new ModelFormatException($"The pipeline file has no entry '{name}'; it is corrupt or not a pipeline file.");
        if (entry.Length > MaxEntryBytes)
        {
            throw new ModelFormatException($"The pipeline entry '{name}' claims {entry.Length} bytes, more than the {MaxEntryBytes} allowed; the file is corrupt.");
        }

        var content = new MemoryStream();
        using (var source = entry.Open())
        {
            source.CopyTo(content);
        }

        content.Position = 0;
        return content;
    }

    private static List<(string Kind, string Entry)> ReadManifest(ZipArchive zip)
    {
        using var stream = ReadEntry(zip, ManifestEntry);
        var root = JsonNode.Parse(stream) as JsonObject ?? throw new ModelFormatException("The pipeline manifest is not a JSON object.");
        if ((string?)root["format"] != FormatName)
        {
            throw new ModelFormatException($"The file is not a {FormatName} file (manifest format '{root["format"]}').");
        }

        var version = (int?)root["version"] ?? 0;
        if (version < 1 || version > FormatVersion)
        {
            throw new ModelFormatException($"The pipeline file has format version {version}; this library reads versions 1 to {FormatVersion}.");
        }

        var list = new List<(string, string)>();
        foreach (var node in root["segments"] as JsonArray ?? throw new ModelFormatException("The pipeline manifest has no segment list."))
        {
            var kind = (string?)node?["kind"];
            var entry = (string?)node?["entry"];
            if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(entry))
            {
                throw new ModelFormatException("A segment of the pipeline manifest has no kind or entry.");
            }

            if (kind != MLNetKind && !ToolkitSegments.IsKnown(kind))
            {
                throw new ModelFormatException($"Unknown segment kind '{kind}' in the pipeline manifest.");
            }

            list.Add((kind, entry));
        }

        return list;
    }
}
