using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>Small data views for the ML.NET layer's tests.</summary>
internal static class TestData
{
    /// <summary>A row with a scalar input and a label.</summary>
    public sealed class ScalarRow
    {
        public float Input { get; set; }

        public float Label { get; set; }
    }

    /// <summary>A row with a two-wide input vector and a label.</summary>
    public sealed class VectorRow
    {
        [VectorType(2)]
        public float[] Input { get; set; } = new float[2];

        public float Label { get; set; }
    }

    /// <summary>A row whose input is a double (a type mismatch for the reservoir).</summary>
    public sealed class DoubleRow
    {
        public double Input { get; set; }

        public float Label { get; set; }
    }

    /// <summary>A sine series with its next value as the label.</summary>
    internal static IDataView Sine(MLContext context, int rows, int seed = 1)
    {
        var random = new Random(seed);
        var data = Enumerable.Range(0, rows + 1).Select(t => (float)(Math.Sin(0.2 * t) + 0.05 * (random.NextDouble() - 0.5))).ToArray();
        return context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(t => new ScalarRow { Input = data[t], Label = data[t + 1] }));
    }

    /// <summary>A two-input series.</summary>
    internal static IDataView Vector(MLContext context, int rows) =>
        context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(t => new VectorRow
        {
            Input = [(float)Math.Sin(0.1 * t), (float)Math.Cos(0.3 * t)],
            Label = (float)Math.Sin(0.1 * (t + 1)),
        }));

    /// <summary>Rows with a Double input column.</summary>
    internal static IDataView Doubles(MLContext context, int rows) =>
        context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(t => new DoubleRow { Input = t, Label = t }));
}
