using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>The sequence featurizer over 2 048 rows of 20–200 steps: the ordered cursor in blocks through the batched engine, and row by row.</summary>
public class SequenceFeaturesBenchmarks
{
    private const int Rows = 2048;

    private readonly MLContext _context = new(seed: 0);
    private IDataView _data = null!;
    private EsnSequenceFeaturesTransformer _transformer = null!;

    /// <summary>Gets or sets the number of units.</summary>
    [Params(100, 500)]
    public int UnitCount { get; set; }

    /// <summary>Builds the rows and the transformer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _data = _context.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(_ => new SequenceRow
        {
            Sequence = Enumerable.Range(0, 20 + random.Next(181)).Select(t => (float)Math.Sin(0.1 * t + random.NextDouble())).ToArray(),
        }).ToArray());
        _transformer = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 1, unitCount: UnitCount, leakRate: 0.5).Fit(_data);
    }

    /// <summary>Reads every row's features through the transform's ordered cursor (blocks of rows through the batched engine).</summary>
    /// <returns>A checksum.</returns>
    [Benchmark]
    public double Batched() => ReadAll(((ITransformer)_transformer).Transform(_data));

    /// <summary>Reads every row's features row by row (the mapping every transform of this library shares).</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(Baseline = true)]
    public double RowByRow() => ReadAll(((ColumnAppendingTransformer)_transformer).Transform(_data));

    private static double ReadAll(IDataView view)
    {
        var column = view.Schema["Features"];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        var sum = 0.0;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            sum += buffer.GetValues()[0];
        }

        return sum;
    }

    private sealed class SequenceRow
    {
        public float[] Sequence { get; set; } = [];
    }
}
