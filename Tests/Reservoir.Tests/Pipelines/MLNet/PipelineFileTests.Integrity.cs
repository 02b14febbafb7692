using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed partial class PipelineFileTests
{
    /// <summary>A damaged file must fail within this time.</summary>
    private const double MaxSecondsPerDamagedFile = 1.0;

    /// <summary>The most bytes one load of a damaged file may allocate: the 16 MiB inflation floor plus what ML.NET and the zip reader need.</summary>
    private const long MaxAllocatedBytesPerDamagedFile = 48L << 20;

    [Test]
    public void SavePipeline_Manifest_RecordsLengthAndCrc64OfEveryEntry()
    {
        var context = new MLContext(seed: 0);
        var (_, _, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var entries = PipelineFileFuzz.ReadZip(file).ToDictionary(e => e.Name, e => e.Content);
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsObject();

        Assert.That((int?)manifest["version"], Is.EqualTo(2));
        Assert.That(Encoding.ASCII.GetString(entries["manifest.crc64"]), Is.EqualTo(Hex(PipelineFileFuzz.Crc64(entries["manifest.json"]))));
        var listed = manifest["segments"]!.AsArray().Select(n => n!.AsObject()).Prepend(manifest["inputSchema"]!.AsObject()).ToList();
        Assert.That(listed.Select(n => (string?)n["entry"]), Is.EquivalentTo(entries.Keys.Except(["manifest.json", "manifest.crc64"])));
        foreach (var node in listed)
        {
            var content = entries[(string)node["entry"]!];
            Assert.That((long?)node["length"], Is.EqualTo(content.Length), (string?)node["entry"]);
            Assert.That((string?)node["crc64"], Is.EqualTo(Hex(PipelineFileFuzz.Crc64(content))), (string?)node["entry"]);
        }
    }

    [Test]
    public void LoadPipeline_RebuiltZipWithSameContent_LoadsUnchanged()
    {
        // The fuzz rebuilds zips; this shows a rebuild alone changes nothing, so its failures come from the damage.
        var context = new MLContext(seed: 0);
        var (model, data, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var rebuilt = PipelineFileFuzz.Rebuild(PipelineFileFuzz.ReadZip(file), null, null);

        var loaded = context.Model.LoadPipeline(new MemoryStream(rebuilt), out _);

        Assert.That(PipelineFileFuzz.Scores(loaded, data), Is.EqualTo(PipelineFileFuzz.Scores(model, data)));
    }

    [Test]
    public void LoadPipeline_FuzzedFiles_EachThrowsModelFormatExceptionWithinASecondAndBoundedMemory()
    {
        var context = new MLContext(seed: 0);
        var (model, data, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var expected = PipelineFileFuzz.Scores(model, data);
        _ = context.Model.LoadPipeline(new MemoryStream(file), out _);   // warm-up: JIT and ML.NET's catalogs
        var settings = new PipelineFileFuzz.Settings(FlipsPerEntry: 6, RawFlips: 60, Truncations: 30, BombBytes: 64L << 20, Seed: 7);

        var results = new List<PipelineFileFuzz.Result>();
        var peakBefore = Process.GetCurrentProcess().PeakWorkingSet64;
        foreach (var variant in PipelineFileFuzz.Variants(file, settings))
        {
            results.Add(PipelineFileFuzz.Load(context, variant, m => PipelineFileFuzz.Scores(m, data).SequenceEqual(expected)));
        }

        var peakGrowth = Process.GetCurrentProcess().PeakWorkingSet64 - peakBefore;
        var bad = results.Where(r => !PipelineFileFuzz.IsAcceptable(r)).Select(r => $"{r.Variant.Category} {r.Variant.Name}: {r.Outcome} {r.Message}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(bad, Is.Empty);
            Assert.That(results.Select(r => r.Variant.Category).Distinct(),
                Is.EquivalentTo(new[] { "entry-flip", "inner-flip", "raw-flip", "truncation", "inflated", "bomb" }));
            Assert.That(results.Where(r => !r.Variant.MayLoadUnchanged).Select(r => r.Outcome), Is.All.EqualTo(nameof(ModelFormatException)));
            var slowest = results.MaxBy(r => r.Seconds)!;
            Assert.That(slowest.Seconds, Is.LessThan(MaxSecondsPerDamagedFile), $"{slowest.Variant.Category} {slowest.Variant.Name}");
            var hungriest = results.MaxBy(r => r.AllocatedBytes)!;
            Assert.That(hungriest.AllocatedBytes, Is.LessThan(MaxAllocatedBytesPerDamagedFile), $"{hungriest.Variant.Category} {hungriest.Variant.Name}");
            Assert.That(peakGrowth, Is.LessThan(4 * MaxAllocatedBytesPerDamagedFile), "peak working set growth");
        });
    }

    [Test]
    public void LoadPipeline_ManifestBomb_ThrowsNamingTheEntryAndTheLimit()
    {
        var context = new MLContext(seed: 0);
        var (_, _, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var bomb = PipelineFileFuzz.Bombs(file, 64L << 20).First(v => v.Name.StartsWith("manifest.json", StringComparison.Ordinal) && !v.MayLoadUnchanged);

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ModelFormatException>(() => context.Model.LoadPipeline(new MemoryStream(bomb.Bytes), out _));
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.That(seconds, Is.LessThan(MaxSecondsPerDamagedFile));
        Assert.That(error!.Message, Does.Contain("'manifest.json'"));
        Assert.That(error.Message, Does.Contain("16777216 bytes (64 times the file's"));
    }

    [Test]
    public void LoadPipeline_FlippedBitInMLNetModelKey_ThrowsChecksumMismatchNamingTheSegment()
    {
        // Of all single-bit flips of the NormalizeMinMax segment's Model.key, some loaded silently before this file had checksums.
        var context = new MLContext(seed: 0);
        var (_, _, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var entries = PipelineFileFuzz.ReadZip(file);
        var (segmentName, segment) = entries.First(e => e.Name == "segment-000.zip");
        var inner = PipelineFileFuzz.ReadZip(segment);
        var key = inner.First(e => e.Name.EndsWith("Normalizer_000/Model.key", StringComparison.Ordinal));
        var random = new Random(3);

        for (var trial = 0; trial < 32; trial++)
        {
            var bit = random.Next(key.Content.Length * 8);
            var flipped = (byte[])key.Content.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            var damaged = PipelineFileFuzz.Rebuild(entries, segmentName, PipelineFileFuzz.Rebuild(inner, key.Name, flipped));

            var error = Assert.Throws<ModelFormatException>(() => context.Model.LoadPipeline(new MemoryStream(damaged), out _));
            // The rebuilt segment differs in its bytes (a checksum mismatch) or already in its length.
            Assert.That(error!.Message, Does.StartWith($"Checksum mismatch in '{segmentName}'").Or.StartWith($"The pipeline entry '{segmentName}' declares"), $"bit {bit}");
        }
    }

    [Test]
    public void LoadPipeline_VersionTwoWithoutManifestChecksum_Throws()
    {
        var context = new MLContext(seed: 0);
        var (_, _, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var entries = PipelineFileFuzz.ReadZip(file).Where(e => e.Name != "manifest.crc64").ToList();

        var error = Assert.Throws<ModelFormatException>(() => context.Model.LoadPipeline(new MemoryStream(PipelineFileFuzz.Rebuild(entries, null, null)), out _));

        Assert.That(error!.Message, Does.Contain("manifest.crc64"));
    }

    [Test]
    public void LoadPipeline_VersionOneFile_LoadsAndPredictsAsSaved()
    {
        // Format version 1, as its writer laid it out: input-schema.zip, the segments, then a manifest of kinds and entry
        // names only, with no checksums and no manifest.crc64.
        var context = new MLContext(seed: 0);
        var (model, data, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var version1 = WriteVersionOne(PipelineFileFuzz.ReadZip(file));

        var loaded = new MLContext(seed: 3).Model.LoadPipeline(new MemoryStream(version1), out var schema);

        Assert.That(EstimatorContract.Describe(schema), Is.EqualTo(EstimatorContract.Describe(data.Schema)));
        Assert.That(PipelineFileFuzz.Scores(loaded, data), Is.EqualTo(PipelineFileFuzz.Scores(model, data)));
    }

    [Test]
    public void LoadPipeline_VersionOneManifestBomb_ThrowsWithinASecond()
    {
        // Version 1 has no checksums, but its entries are read with the same size limits.
        var context = new MLContext(seed: 0);
        var (_, _, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);
        var version1 = WriteVersionOne(PipelineFileFuzz.ReadZip(file));
        var bombs = PipelineFileFuzz.Bombs(version1, 64L << 20).Where(v => !v.MayLoadUnchanged).ToList();
        Assert.That(bombs, Has.Count.EqualTo(4));

        foreach (var bomb in bombs)
        {
            var clock = Stopwatch.StartNew();
            Assert.Throws<ModelFormatException>(() => context.Model.LoadPipeline(new MemoryStream(bomb.Bytes), out _), bomb.Name);
            Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(MaxSecondsPerDamagedFile), bomb.Name);
        }
    }

    [Test]
    public void LoadPipeline_NonSeekableStream_Loads()
    {
        var context = new MLContext(seed: 0);
        var (model, data, file) = PipelineFileFuzz.SavedPipeline(context, 60, 10);

        var loaded = context.Model.LoadPipeline(new ForwardOnlyStream(file), out _);

        Assert.That(PipelineFileFuzz.Scores(loaded, data), Is.EqualTo(PipelineFileFuzz.Scores(model, data)));
    }

    private static string Hex(ulong crc) => crc.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] WriteVersionOne(List<(string Name, byte[] Content)> version2)
    {
        var manifest = JsonNode.Parse(version2.Single(e => e.Name == "manifest.json").Content)!.AsObject();
        var segments = new JsonArray();
        foreach (var node in manifest["segments"]!.AsArray())
        {
            segments.Add(new JsonObject { ["kind"] = (string?)node!["kind"], ["entry"] = (string?)node["entry"] });
        }

        var version1Manifest = new JsonObject { ["format"] = "Reservoir.Pipeline", ["version"] = 1, ["segments"] = segments };
        var entries = version2.Where(e => e.Name is not ("manifest.json" or "manifest.crc64")).ToList();
        entries.Add(("manifest.json", Encoding.UTF8.GetBytes(version1Manifest.ToJsonString())));
        return PipelineFileFuzz.Rebuild(entries, null, null);
    }

    /// <summary>A readable stream that cannot seek, as a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
