using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Runs a reservoir over each row's sequence, from the zero state, and appends a fixed-size summary of its states.</summary>
/// <remarks>Made by <see cref="EsnSequenceFeaturesEstimator"/>; see it for the characteristics. Immutable and thread-safe;
/// rows are independent, so cursors may run in parallel (unless the reservoir has state noise, whose stream then runs through the rows in order:
/// the data view then hands out one ordered cursor, and <see cref="ColumnAppendingTransformer.IsRowToRowMapper"/> stays true because ML.NET builds a
/// <c>PredictionEngine</c> only over row-to-row mappers; ML.NET then maps one row per <c>Predict</c>, and the noise stream advances once per new row position).</remarks>
public sealed class EsnSequenceFeaturesTransformer : ColumnAppendingTransformer
{
    // The segment kind is part of the file format: it keeps the type's earlier name, so that files written before the rename load.
    internal const string Kind = "ML.NET EchoStateSequenceFeaturesTransformer";
    private const ushort Version = 1;

    internal EsnSequenceFeaturesTransformer(EchoStateReservoir reservoir, string inputColumnName, string outputColumnName,
        SequenceFeatureKind summary, int sampleCount)
    {
        Reservoir = reservoir;
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Summary = summary;
        SampleCount = sampleCount;
        FeatureCount = SequenceFeatures.Length(reservoir.UnitCount, summary, sampleCount);
    }

    /// <summary>The reservoir.</summary>
    public EchoStateReservoir Reservoir { get; }

    /// <summary>The input column (one sequence per row).</summary>
    public string InputColumnName { get; }

    /// <summary>The output column.</summary>
    public string OutputColumnName { get; }

    /// <summary>How the states are summarised.</summary>
    public SequenceFeatureKind Summary { get; }

    /// <summary>The number of evenly spaced states (for <see cref="SequenceFeatureKind.EvenlySpacedStates"/>).</summary>
    public int SampleCount { get; }

    /// <summary>The length of the output vector.</summary>
    public int FeatureCount { get; }

    internal override string SegmentKind => Kind;

    /// <summary>The view <see cref="ColumnAppendingTransformer.Transform"/> returns: the feature column is computed lazily when a cursor reads it, an ordered cursor running its rows in blocks through the batched engine.</summary>
    /// <param name="input">The data, not null.</param>
    /// <returns>The data with the feature column.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type.</exception>
    /// <remarks>
    /// A cursor without shuffling reads the rows ahead in blocks of 64 through a second cursor over the source and runs each
    /// block's sequences together (<see cref="EchoStateReservoir.RunStreamed(IReadOnlyList{double[,]}, SequenceBlockHandler, int, IReadOnlyList{double[,]}, int, int)"/>,
    /// on every core); the features are bit-identical to running each row alone, which a shuffled cursor, a reservoir with
    /// state noise and the <c>PredictionEngine</c> (through <see cref="ColumnAppendingTransformer.GetRowToRowMapper"/>) still do.
    /// The sequence column is then read by both cursors: put a cache checkpoint before this transform when it is costly to compute.
    /// </remarks>
    private protected override IDataView CreateView(IDataView input)
    {
        var column = ColumnChecks.AnySingleVector(input.Schema, InputColumnName, "input", nameof(input));
        var map = new Map(this, input.Schema, column);
        return new EsnSequenceFeaturesBatchedView(input, this, map, column, row => new Worker(this, row, column));
    }

    internal override void Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Kind, Version);
        writer.WriteString(InputColumnName);
        writer.WriteString(OutputColumnName);
        writer.WriteEnum(Summary);
        writer.WriteInt32(SampleCount);
        writer.WriteReservoir(Reservoir);
    }

    internal static EsnSequenceFeaturesTransformer Read(ModelReader reader)
    {
        reader.ReadSectionHeader(Kind, Version);
        var input = reader.ReadString("the input column name");
        var output = reader.ReadString("the output column name");
        var summary = reader.ReadEnum<SequenceFeatureKind>("the summary kind");
        var samples = reader.ReadInt32("the sample count", 1, int.MaxValue);
        var reservoir = reader.ReadReservoir();
        return new EsnSequenceFeaturesTransformer(reservoir, input, output, summary, samples);
    }

    private protected override AddedColumnsMap CreateMap(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        var column = ColumnChecks.AnySingleVector(schema, InputColumnName, "input", paramName);
        return new Map(this, schema, column);
    }

    private sealed class Map(EsnSequenceFeaturesTransformer owner, DataViewSchema schema, DataViewSchema.Column input)
        : AddedColumnsMap(schema, [(owner.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, owner.FeatureCount))])
    {
        internal override bool IsStateful => owner.Reservoir.StateNoise != 0;

        internal override IEnumerable<DataViewSchema.Column> RequiredInputs => [input];

        internal override RowWorker CreateWorker(DataViewRow row) => new Worker(owner, row, input);
    }

    private sealed class Worker : RowWorker
    {
        private readonly EsnSequenceFeaturesTransformer _owner;
        private readonly DataViewRow _row;
        private readonly ValueGetter<VBuffer<float>> _getter;
        private readonly ReservoirState _state;
        private readonly double[] _input;
        private readonly double[] _sum;
        private readonly float[][] _outputs;
        private VBuffer<float> _sequence;

        internal Worker(EsnSequenceFeaturesTransformer owner, DataViewRow row, DataViewSchema.Column column)
        {
            _owner = owner;
            _row = row;
            _getter = row.GetGetter<VBuffer<float>>(column);
            _state = owner.Reservoir.CreateState();
            _input = new double[owner.Reservoir.InputDimension];
            _sum = new double[owner.Reservoir.UnitCount];
            _outputs = [new float[owner.FeatureCount]];
        }

        internal override float[][] Outputs => _outputs;

        internal override void Advance()
        {
            _getter(ref _sequence);
            var d = _input.Length;
            var length = _sequence.Length;
            if (length == 0 || length % d != 0)
            {
                throw new ArgumentException(
                    $"Column '{_owner.InputColumnName}' holds {length} values at row {_row.Position}; a sequence needs a positive multiple of InputDimension = {d}.",
                    "input");
            }

            var steps = length / d;
            var n = _sum.Length;
            var output = _outputs[0];
            var sample = 0;
            var nextSampleStep = NextSampleStep(sample, steps);
            Array.Clear(_sum);
            _state.Reset();
            var dense = _sequence.IsDense ? _sequence.GetValues() : default;
            for (var t = 0; t < steps; t++)
            {
                for (var j = 0; j < d; j++)
                {
                    var value = _sequence.IsDense ? dense[t * d + j] : _sequence.GetItemOrDefault(t * d + j);
                    if (!float.IsFinite(value))
                    {
                        throw new ArgumentException(
                            $"Column '{_owner.InputColumnName}' holds {value} at row {_row.Position}, step {t}, element {j}; every value must be finite.", "input");
                    }

                    _input[j] = value;
                }

                _owner.Reservoir.Step(_state, _input);
                var x = _state.Values;
                if (_owner.Summary == SequenceFeatureKind.MeanState)
                {
                    for (var i = 0; i < n; i++)
                    {
                        _sum[i] += x[i];
                    }
                }

                while (_owner.Summary == SequenceFeatureKind.EvenlySpacedStates && t == nextSampleStep)
                {
                    Copy(x, output.AsSpan(sample * n, n));
                    sample++;
                    nextSampleStep = NextSampleStep(sample, steps);
                }
            }

            switch (_owner.Summary)
            {
                case SequenceFeatureKind.LastState:
                    Copy(_state.Values, output);
                    break;
                case SequenceFeatureKind.MeanState:
                    for (var i = 0; i < n; i++)
                    {
                        output[i] = (float)(_sum[i] / steps);
                    }

                    break;
            }
        }

        private int NextSampleStep(int sample, int steps) =>
            sample < _owner.SampleCount && _owner.Summary == SequenceFeatureKind.EvenlySpacedStates
                ? SequenceFeatures.SampleStep(sample, _owner.SampleCount, steps)
                : -1;

        private static void Copy(ReadOnlySpan<double> source, Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)source[i];
            }
        }
    }
}
