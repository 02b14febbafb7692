using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed partial class PipelineFileTests
{
    [Test]
    public void SavePipeline_MixedPipeline_RoundTripsInAFreshContext()
    {
        var context = new MLContext(seed: 0);
        var data = TestData.Sine(context, 200);
        var pipeline = context.Transforms.NormalizeMinMax("Scaled", "Input")
            .Append(context.Transforms.EchoStateReservoir("States", "Scaled", unitCount: 25, leakRate: 0.5))
            .Append(context.Transforms.Concatenate("Features", "States", "Scaled"))
            .AppendCacheCheckpoint(context)
            .Append(context.Regression.Trainers.Sdca(maximumNumberOfIterations: 10))
            .Append(context.Transforms.CopyColumns("SdcaScore", "Score"))
            .Append(context.Regression.Trainers.Ridge(l2Regularization: 1e-4));
        var model = pipeline.Fit(data);
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"mixed-{Guid.NewGuid():N}.zip");
        try
        {
            context.Model.SavePipeline(model, data.Schema, path);
            var fresh = new MLContext(seed: 5);
            var loaded = fresh.Model.LoadPipeline(path, out var schema);

            Assert.That(EstimatorContract.Describe(schema), Is.EqualTo(EstimatorContract.Describe(data.Schema)));
            EstimatorContract.AssertSameFloatColumns(model.Transform(data), loaded.Transform(data));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadPipeline_CorruptedBytes_ThrowsModelFormatException()
    {
        // ML.NET segments (normalizer, SDCA) and toolkit segments (reservoir, ridge): a flipped byte or a cut anywhere
        // must either leave every entry intact (and the model unchanged) or fail as ModelFormatException.
        var context = new MLContext(seed: 0);
        var data = TestData.Sine(context, 60);
        var model = context.Transforms.NormalizeMinMax("Scaled", "Input")
            .Append(context.Transforms.EchoStateReservoir("Features", "Scaled", unitCount: 20))
            .Append(context.Regression.Trainers.Sdca(maximumNumberOfIterations: 5))
            .Append(context.Transforms.CopyColumns("SdcaScore", "Score"))
            .Append(context.Regression.Trainers.Ridge(l2Regularization: 1e-3)).Fit(data);
        using var saved = new MemoryStream();
        context.Model.SavePipeline(model, data.Schema, saved);
        var bytes = saved.ToArray();
        var expected = model.Transform(data);

        var random = new Random(11);
        var failures = 0;
        const int trials = 150;
        for (var trial = 0; trial < trials; trial++)
        {
            var corrupted = (byte[])bytes.Clone();
            if (trial % 3 != 2)
            {
                corrupted[random.Next(corrupted.Length)] ^= (byte)(1 + random.Next(255));
            }
            else
            {
                Array.Resize(ref corrupted, random.Next(corrupted.Length));
            }

            ITransformer loaded;
            try
            {
                loaded = context.Model.LoadPipeline(new MemoryStream(corrupted), out _);
            }
            catch (ModelFormatException)
            {
                failures++;
                continue;
            }

            EstimatorContract.AssertSameFloatColumns(expected, loaded.Transform(data));
        }

        Assert.That(failures, Is.GreaterThan(trials / 2));
    }

    [Test]
    public void LoadPipeline_NotAZip_ThrowsModelFormatException()
    {
        var context = new MLContext(seed: 0);
        var error = Assert.Throws<ModelFormatException>(() => context.Model.LoadPipeline(new MemoryStream([1, 2, 3, 4]), out _));
        Assert.That(error!.Message, Does.Contain("pipeline"));
    }

    [Test]
    public void SavePipeline_ToPath_FailingModelLeavesExistingFileUnchanged()
    {
        var context = new MLContext(seed: 0);
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"keep-{Guid.NewGuid():N}.zip");
        File.WriteAllText(path, "old");
        try
        {
            Assert.Throws<NotSupportedException>(() => context.Model.SavePipeline(new UnsavableTransformer(), TestData.Sine(context, 3).Schema, path));
            Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class UnsavableTransformer : ITransformer
    {
        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public void Save(ModelSaveContext ctx) => throw new NotSupportedException("cannot save");

        public IDataView Transform(IDataView input) => input;
    }
}
