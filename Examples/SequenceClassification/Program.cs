using System.Globalization;
using Microsoft.ML;
using Reservoir.Readouts;

namespace Reservoir.Examples.SequenceClassification;

/// <summary>Classifies whole variable-length sequences with reservoir features and an ML.NET multiclass trainer.</summary>
/// <remarks>
/// Three classes of noisy waveforms (sine, square, sawtooth) with random period, phase, amplitude and length. Each row
/// holds one whole sequence; <c>EchoStateSequenceFeatures</c> turns it into a fixed-size vector (the reservoir's states at
/// evenly spaced steps and their mean is up to the options), and <c>SdcaMaximumEntropy</c> classifies it.
/// </remarks>
public static class Program
{
    private static readonly string[] ClassNames = ["sine", "square", "sawtooth"];

    /// <summary>Runs the example at full size and prints the test accuracy.</summary>
    /// <param name="args">Unused.</param>
    /// <returns>0 on success.</returns>
    public static int Main(string[] args)
    {
        var result = Run(seed: 42, trainCount: 600, testCount: 300, unitCount: 100);
        Console.WriteLine($"{result.TrainCount} training and {result.TestCount} test sequences of 30 to 80 steps, 3 classes, {result.UnitCount} reservoir units");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {result.MicroAccuracy:F3} (macro {result.MacroAccuracy:F3})"));
        return 0;
    }

    /// <summary>Generates the sequences, trains the pipeline and evaluates it on fresh sequences.</summary>
    /// <param name="seed">The seed of the data and the reservoir.</param>
    /// <param name="trainCount">The number of training sequences.</param>
    /// <param name="testCount">The number of test sequences.</param>
    /// <param name="unitCount">The reservoir size.</param>
    /// <returns>The test accuracy.</returns>
    public static ClassificationResult Run(int seed, int trainCount, int testCount, int unitCount)
    {
        var context = new MLContext(seed: seed);
        var train = context.Data.LoadFromEnumerable(Generate(trainCount, seed));
        var test = context.Data.LoadFromEnumerable(Generate(testCount, seed + 1));

        var pipeline = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", inputDimension: 1,
                SequenceFeatureKind.MeanState, unitCount: unitCount, leakRate: 0.3, spectralRadius: 0.9, seed: seed))
            .Append(context.Transforms.NormalizeMeanVariance("Features"))
            .AppendCacheCheckpoint(context)
            .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 50));
        var model = pipeline.Fit(train);
        var metrics = context.MulticlassClassification.Evaluate(model.Transform(test));
        return new ClassificationResult(trainCount, testCount, unitCount, metrics.MicroAccuracy, metrics.MacroAccuracy);
    }

    private static SequenceRow[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new SequenceRow[count];
        for (var r = 0; r < count; r++)
        {
            var label = r % ClassNames.Length;
            var period = 8 + random.NextDouble() * 12;
            var phase = random.NextDouble();
            var amplitude = 0.5 + random.NextDouble();
            var length = 30 + random.Next(51);
            var sequence = new float[length];
            for (var t = 0; t < length; t++)
            {
                var cycle = (t / period + phase) % 1.0;
                var clean = label switch
                {
                    0 => Math.Sin(2 * Math.PI * cycle),
                    1 => cycle < 0.5 ? 1.0 : -1.0,
                    _ => 2 * cycle - 1,
                };
                sequence[t] = (float)(amplitude * clean + 0.1 * (random.NextDouble() - 0.5));
            }

            rows[r] = new SequenceRow { Label = ClassNames[label], Sequence = sequence };
        }

        return rows;
    }

    private sealed class SequenceRow
    {
        public string Label { get; set; } = "";

        public float[] Sequence { get; set; } = [];
    }
}

/// <summary>What the sequence classification example measured.</summary>
/// <param name="TrainCount">The number of training sequences.</param>
/// <param name="TestCount">The number of test sequences.</param>
/// <param name="UnitCount">The reservoir size.</param>
/// <param name="MicroAccuracy">The fraction of test sequences classified correctly.</param>
/// <param name="MacroAccuracy">The mean per-class accuracy.</param>
public sealed record ClassificationResult(int TrainCount, int TestCount, int UnitCount, double MicroAccuracy, double MacroAccuracy);
