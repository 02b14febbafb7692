using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed partial class EsnSequenceFeaturesEstimatorTests
{
    private readonly MLContext _context = new(seed: 0);

    [TestCase(SequenceFeatureKind.LastState, 1)]
    [TestCase(SequenceFeatureKind.MeanState, 1)]
    [TestCase(SequenceFeatureKind.EvenlySpacedStates, 3)]
    public void Contract_Holds(SequenceFeatureKind kind, int samples)
    {
        var estimator = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", inputDimension: 2, kind, samples, unitCount: 16);
        EstimatorContract.Check(estimator, Sequences(12, dimension: 2), TestData.Sine(_context, 3));
    }

    [TestCase(SequenceFeatureKind.LastState, 1)]
    [TestCase(SequenceFeatureKind.MeanState, 1)]
    [TestCase(SequenceFeatureKind.EvenlySpacedStates, 4)]
    public void Transform_EqualsSequenceFeaturesOfTheReservoirRun(SequenceFeatureKind kind, int samples)
    {
        var data = Sequences(6, dimension: 2);
        var transformer = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, kind, samples, unitCount: 16, leakRate: 0.5).Fit(data);
        var features = EstimatorContract.Read(transformer.Transform(data), "Features");
        var rows = _context.Data.CreateEnumerable<SequenceRow>(data, reuseRowObject: false).ToArray();

        for (var r = 0; r < rows.Length; r++)
        {
            var steps = rows[r].Sequence.Length / 2;
            var inputs = new double[steps, 2];
            for (var t = 0; t < steps; t++)
            {
                inputs[t, 0] = rows[r].Sequence[2 * t];
                inputs[t, 1] = rows[r].Sequence[2 * t + 1];
            }

            var expected = SequenceFeatures.Extract(transformer.Reservoir.Run(inputs), kind, samples).Select(v => (float)v);
            Assert.That(features[r], Is.EqualTo(expected).Within(1e-6), $"row {r}");
        }
    }

    [Test]
    public void Transform_LengthNotAMultipleOfDimension_ThrowsNamingRow()
    {
        var data = _context.Data.LoadFromEnumerable(new[] { new SequenceRow { Sequence = [1, 2] }, new SequenceRow { Sequence = [1, 2, 3] } });
        var output = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 16).Fit(data).Transform(data);

        var error = Assert.Throws<ArgumentException>(() => EstimatorContract.Read(output, "Features"));
        Assert.That(error!.Message, Does.Contain("row 1").And.Contain("InputDimension = 2"));
    }

    [Test]
    public void Constructor_BadInputDimension_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Transforms.EchoStateSequenceFeatures("F", "S", inputDimension: 0));
        Assert.That(error!.ParamName, Is.EqualTo("inputDimension"));
    }

    [Test]
    public void Pipeline_WithMulticlassTrainer_ClassifiesSequences()
    {
        var data = Classes(120, seed: 1);
        var pipeline = _context.Transforms.Conversion.MapValueToKey("Label")
            .Append(_context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 1, SequenceFeatureKind.MeanState, unitCount: 30, leakRate: 0.2))
            .Append(_context.Transforms.NormalizeMeanVariance("Features"))
            .AppendCacheCheckpoint(_context)
            .Append(_context.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 30));
        var model = pipeline.Fit(data);
        var metrics = _context.MulticlassClassification.Evaluate(model.Transform(Classes(60, seed: 2)));

        Assert.That(metrics.MacroAccuracy, Is.GreaterThan(0.8));
    }

    private IDataView Sequences(int rows, int dimension)
    {
        var random = new Random(3);
        return _context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(r => new SequenceRow
        {
            Sequence = Enumerable.Range(0, dimension * (3 + r % 5)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray(),
        }).ToArray());
    }

    // Two classes: a slow sine or a fast sine, each of random length and phase.
    private IDataView Classes(int rows, int seed)
    {
        var random = new Random(seed);
        return _context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(r =>
        {
            var label = r % 2;
            var frequency = label == 0 ? 0.15 : 0.6;
            var phase = random.NextDouble() * 2 * Math.PI;
            var length = 20 + random.Next(20);
            return new LabelledSequence
            {
                Label = label == 0 ? "slow" : "fast",
                Sequence = Enumerable.Range(0, length).Select(t => (float)Math.Sin(frequency * t + phase)).ToArray(),
            };
        }).ToArray());
    }

    private sealed class SequenceRow
    {
        public float[] Sequence { get; set; } = [];
    }

    private sealed class LabelledSequence
    {
        public string Label { get; set; } = "";

        public float[] Sequence { get; set; } = [];
    }
}
