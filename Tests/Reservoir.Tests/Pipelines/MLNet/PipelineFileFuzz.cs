using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>Damaged variants of a pipeline file and a loader that times and measures each load.</summary>
/// <remarks>
/// Compiled into the test project (small sizes) and into Reservoir.Benchmarks (<c>fuzz-pipelines</c>, full sizes). Uses the
/// public API only, and its own CRC-64 to forge self-consistent files (a bomb whose manifest records its true checksum).
/// <list type="bullet">
/// <item><c>entry-flip</c>: one bit of an entry's inflated content flipped, the zip rebuilt with correct CRC-32s;</item>
/// <item><c>inner-flip</c>: one bit of an entry inside an ML.NET segment (Schema, Model.key, …), both zips rebuilt;</item>
/// <item><c>raw-flip</c>: one bit of the file's bytes, zip left as is (a flip in zip metadata that .NET never reads cannot be detected);</item>
/// <item><c>truncation</c>: the file cut short;</item>
/// <item><c>inflated</c>: an entry with bytes appended, or whose zip header declares fewer bytes than it holds;</item>
/// <item><c>bomb</c>: the manifest, a segment or an entry inside an ML.NET segment replaced by a run of highly compressible bytes,
/// with honest or forged declared sizes, and with the manifest's checksums forged to match.</item>
/// </list>
/// </remarks>
internal static class PipelineFileFuzz
{
    /// <summary>How many variants to make.</summary>
    /// <param name="FlipsPerEntry">Bits flipped per entry (each in its own file); 0 flips every bit.</param>
    /// <param name="RawFlips">Random single-bit flips of the file's bytes.</param>
    /// <param name="Truncations">Lengths to cut the file to (evenly spread).</param>
    /// <param name="BombBytes">How many bytes a bomb entry inflates to.</param>
    /// <param name="Seed">Seed of the sampled bit positions.</param>
    internal sealed record Settings(int FlipsPerEntry, int RawFlips, int Truncations, long BombBytes, int Seed);

    /// <summary>One damaged file.</summary>
    internal sealed record Variant(string Category, string Name, byte[] Bytes, bool MayLoadUnchanged);

    /// <summary>What loading one variant did.</summary>
    /// <param name="Outcome">The exception's type name, or "loaded".</param>
    internal sealed record Result(Variant Variant, string Outcome, string Message, double Seconds, long AllocatedBytes);

    /// <summary>The pipeline the fuzz damages, NormalizeMinMax → EchoStateReservoir → Concatenate → Ridge, fitted to a noisy sine, and its saved bytes.</summary>
    internal static (ITransformer Model, IDataView Data, byte[] File) SavedPipeline(MLContext context, int rows, int unitCount)
    {
        var random = new Random(1);
        var series = Enumerable.Range(0, rows + 1).Select(t => (float)(Math.Sin(0.2 * t) + 0.05 * (random.NextDouble() - 0.5))).ToArray();
        var data = context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(t => new Row { Input = series[t], Label = series[t + 1] }));
        var model = context.Transforms.NormalizeMinMax("Scaled", "Input")
            .Append(context.Transforms.EchoStateReservoir("States", "Scaled", unitCount: unitCount))
            .Append(context.Transforms.Concatenate("Features", "States", "Scaled"))
            .Append(context.Regression.Trainers.Ridge(l2Regularization: 1e-4))
            .Fit(data);
        using var saved = new MemoryStream();
        context.Model.SavePipeline(model, data.Schema, saved);
        return (model, data, saved.ToArray());
    }

    /// <summary>The Score column of the model's output.</summary>
    internal static float[] Scores(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float>("Score").ToArray();

    /// <summary>Every variant of <paramref name="file"/>, made lazily (a bomb exists in memory only while it is loaded).</summary>
    internal static IEnumerable<Variant> Variants(byte[] file, Settings settings)
    {
        var random = new Random(settings.Seed);
        var entries = ReadZip(file);
        foreach (var (name, content) in entries)
        {
            foreach (var bit in Bits(content.Length, settings.FlipsPerEntry, random))
            {
                yield return new Variant("entry-flip", $"{name} bit {bit}", Rebuild(entries, name, Flip(content, bit)), false);
            }

            if (name.EndsWith(".zip", StringComparison.Ordinal))
            {
                var inner = ReadZip(content);
                foreach (var (innerName, innerContent) in inner)
                {
                    foreach (var bit in Bits(innerContent.Length, settings.FlipsPerEntry, random))
                    {
                        var segment = Rebuild(inner, innerName, Flip(innerContent, bit));
                        yield return new Variant("inner-flip", $"{name}/{innerName} bit {bit}", Rebuild(entries, name, segment), false);
                    }
                }
            }
        }

        for (var i = 0; i < settings.RawFlips; i++)
        {
            var bit = random.NextInt64(file.Length * 8L);
            yield return new Variant("raw-flip", $"byte {bit / 8} bit {bit % 8}", Flip(file, bit), true);
        }

        for (var i = 0; i < settings.Truncations; i++)
        {
            var length = (int)((long)file.Length * i / settings.Truncations);
            yield return new Variant("truncation", $"{length} of {file.Length} bytes", file[..length], false);
        }

        foreach (var (name, content) in entries)
        {
            yield return new Variant("inflated", $"{name} + 4096 bytes", Rebuild(entries, name, [.. content, .. new byte[4096]]), false);
            if (content.Length > 1)
            {
                yield return new Variant("inflated", $"{name} declared {content.Length / 2} of {content.Length} bytes",
                    ForgeDeclaredLength(file, name, (uint)(content.Length / 2)), false);
            }
        }

        foreach (var variant in Bombs(file, settings.BombBytes))
        {
            yield return variant;
        }
    }

    /// <summary>Loads a variant, timing it and counting the bytes the process allocated meanwhile.</summary>
    internal static Result Load(MLContext context, Variant variant, Func<ITransformer, bool> sameAsOriginal)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        string outcome;
        var message = "";
        try
        {
            var model = context.Model.LoadPipeline(new MemoryStream(variant.Bytes, writable: false), out _);
            clock.Stop();
            outcome = sameAsOriginal(model) ? "loaded" : "loaded-different";
        }
        catch (Exception error)
        {
            clock.Stop();
            outcome = error.GetType().Name;
            message = error.Message;
        }

        return new Result(variant, outcome, message, clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    /// <summary>True when the result is what the file guarantees: a ModelFormatException, or, for damage in bytes that no reader inflates (zip metadata .NET ignores, data past a declared length), the unchanged model.</summary>
    internal static bool IsAcceptable(Result result) =>
        result.Outcome == nameof(ModelFormatException) || (result.Variant.MayLoadUnchanged && result.Outcome == "loaded");

    /// <summary>The entries of a zip, in order, inflated.</summary>
    internal static List<(string Name, byte[] Content)> ReadZip(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes, writable: false), ZipArchiveMode.Read);
        var list = new List<(string, byte[])>();
        foreach (var entry in zip.Entries)
        {
            using var source = entry.Open();
            using var content = new MemoryStream();
            source.CopyTo(content);
            list.Add((entry.FullName, content.ToArray()));
        }

        return list;
    }

    /// <summary>A zip of the entries, with <paramref name="name"/>'s content replaced (CRC-32s computed by .NET).</summary>
    internal static byte[] Rebuild(List<(string Name, byte[] Content)> entries, string? name, byte[]? replacement)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entryName, content) in entries)
            {
                using var target = zip.CreateEntry(entryName, CompressionLevel.Optimal).Open();
                target.Write(entryName == name ? replacement! : content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>CRC-64/ECMA-182 (polynomial 0x42F0E1EBA9EA3693, not reflected, initial value 0): an implementation independent of the library's.</summary>
    internal static ulong Crc64(ReadOnlySpan<byte> data, ulong crc = 0)
    {
        var table = CrcTable.Value;
        foreach (var b in data)
        {
            crc = table[(byte)(crc >> 56) ^ b] ^ (crc << 8);
        }

        return crc;
    }

    private static readonly Lazy<ulong[]> CrcTable = new(() =>
    {
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ulong)i << 56;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000000000000000UL) != 0 ? (crc << 1) ^ 0x42F0E1EBA9EA3693UL : crc << 1;
            }

            table[i] = crc;
        }

        return table;
    });

    private static IEnumerable<long> Bits(int length, int count, Random random)
    {
        var bits = length * 8L;
        if (count == 0 || count >= bits)
        {
            for (long bit = 0; bit < bits; bit++)
            {
                yield return bit;
            }

            yield break;
        }

        for (var i = 0; i < count; i++)
        {
            yield return random.NextInt64(bits);
        }
    }

    private static byte[] Flip(byte[] bytes, long bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (int)(bit % 8));
        return copy;
    }

    /// <summary>Rewrites the central directory's uncompressed size of <paramref name="name"/> (and its local header's), leaving the data as is.</summary>
    private static byte[] ForgeDeclaredLength(byte[] zipBytes, string name, uint declared)
    {
        var copy = (byte[])zipBytes.Clone();
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var found = false;
        for (var i = 0; i + 46 <= copy.Length; i++)
        {
            var signature = BitConverter.ToUInt32(copy, i);
            var (nameOffset, sizeOffset) = signature switch
            {
                0x02014b50 => (46, 24), // central directory record
                0x04034b50 => (30, 22), // local file header
                _ => (0, 0),
            };
            if (nameOffset == 0)
            {
                continue;
            }

            var nameLength = BitConverter.ToUInt16(copy, i + nameOffset - (signature == 0x02014b50 ? 18 : 4));
            if (nameLength == nameBytes.Length && i + nameOffset + nameLength <= copy.Length
                && copy.AsSpan(i + nameOffset, nameLength).SequenceEqual(nameBytes))
            {
                BitConverter.TryWriteBytes(copy.AsSpan(i + sizeOffset, 4), declared);
                found |= signature == 0x02014b50;
            }
        }

        if (!found)
        {
            throw new InvalidOperationException($"No central directory record for '{name}'.");
        }

        return copy;
    }

    /// <summary>The zip bombs made from <paramref name="file"/>, each inflating to <paramref name="bombBytes"/>.</summary>
    internal static IEnumerable<Variant> Bombs(byte[] file, long bombBytes)
    {
        var entries = ReadZip(file);
        var manifestIndex = entries.FindIndex(e => e.Name == "manifest.json");
        var manifest = entries[manifestIndex].Content;

        // The manifest followed by whitespace (still valid JSON), with the honest and with a forged declared length.
        var manifestBomb = BuildZip(entries, "manifest.json", manifest, (byte)' ', bombBytes - manifest.Length);
        yield return new Variant("bomb", $"manifest.json inflates to {bombBytes} bytes", manifestBomb, false);
        // .NET's zip reader stops at the declared length, so the whitespace after the manifest is never inflated and
        // the file loads as the original.
        yield return new Variant("bomb", $"manifest.json inflates to {bombBytes} bytes, declares {manifest.Length}",
            ForgeDeclaredLength(manifestBomb, "manifest.json", (uint)manifest.Length), true);

        // A segment replaced by zeros, with the manifest (and its checksum) forged to record the bomb's true length and CRC-64.
        var segment = entries.First(e => e.Name.StartsWith("segment-", StringComparison.Ordinal)).Name;
        var zeroCrc = Crc64Zeros(bombBytes);
        var forged = ForgeManifest(manifest, segment, bombBytes, zeroCrc);
        var segmentBomb = BuildZip(Replace(entries, ("manifest.json", forged)), segment, [], 0, bombBytes);
        yield return new Variant("bomb", $"{segment} inflates to {bombBytes} bytes, manifest forged to match", segmentBomb, false);

        // An ML.NET segment whose Schema entry inflates to the bomb, inner zip consistent, outer manifest forged to match.
        var mlnet = entries.First(e => e.Name.StartsWith("segment-", StringComparison.Ordinal) && e.Name.EndsWith(".zip", StringComparison.Ordinal));
        var inner = ReadZip(mlnet.Content);
        var innerBomb = BuildZip(inner, "Schema", [], 0, bombBytes);
        var innerForged = ForgeDeclaredLength(innerBomb, "Schema", 1024);
        foreach (var (label, segmentBytes) in new[] { ("declared honestly", innerBomb), ("declares 1024", innerForged) })
        {
            var withBomb = Replace(entries, ("manifest.json", ForgeManifest(manifest, mlnet.Name, segmentBytes.Length, Crc64(segmentBytes))));
            withBomb = Replace(withBomb, (mlnet.Name, segmentBytes));
            yield return new Variant("bomb", $"{mlnet.Name}/Schema inflates to {bombBytes} bytes, {label}, manifest forged to match",
                Rebuild(withBomb, null, null), false);
        }
    }

    private static List<(string Name, byte[] Content)> Replace(List<(string Name, byte[] Content)> entries, (string Name, byte[] Content) replacement)
    {
        var copy = entries.ToList();
        var index = copy.FindIndex(e => e.Name == replacement.Name);
        copy[index] = replacement;
        if (replacement.Name == "manifest.json")
        {
            var checksum = copy.FindIndex(e => e.Name == "manifest.crc64");
            if (checksum >= 0)
            {
                copy[checksum] = ("manifest.crc64", Encoding.ASCII.GetBytes(Crc64(replacement.Content).ToString("X16", System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return copy;
    }

    private static byte[] ForgeManifest(byte[] manifest, string entry, long length, ulong crc)
    {
        var root = JsonNode.Parse(manifest)!.AsObject();
        foreach (var node in root["segments"]!.AsArray())
        {
            if ((string?)node!["entry"] == entry && node["length"] is not null)
            {
                node["length"] = length;
                node["crc64"] = crc.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>A zip of the entries with <paramref name="name"/> holding <paramref name="prefix"/> then <paramref name="count"/> copies of <paramref name="fill"/>, streamed.</summary>
    private static byte[] BuildZip(List<(string Name, byte[] Content)> entries, string name, byte[] prefix, byte fill, long count)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, fill);
            foreach (var (entryName, content) in entries)
            {
                using var target = zip.CreateEntry(entryName, CompressionLevel.Optimal).Open();
                if (entryName != name)
                {
                    target.Write(content);
                    continue;
                }

                target.Write(prefix);
                for (var left = count; left > 0; left -= chunk.Length)
                {
                    target.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
                }
            }
        }

        return buffer.ToArray();
    }

    private static ulong Crc64Zeros(long count)
    {
        // A zero byte shifts the CRC through the polynomial 8 times; process a 1 MiB chunk at a time.
        var chunk = new byte[1 << 20];
        ulong crc = 0;
        for (var left = count; left > 0; left -= chunk.Length)
        {
            crc = Crc64(chunk.AsSpan(0, (int)Math.Min(chunk.Length, left)), crc);
        }

        return crc;
    }

    /// <summary>A row of the fuzzed pipeline's data.</summary>
    internal sealed class Row
    {
        public float Input { get; set; }

        public float Label { get; set; }
    }
}
