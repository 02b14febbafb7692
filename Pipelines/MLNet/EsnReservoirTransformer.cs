using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Runs an echo state reservoir over the rows in order and appends its state as a known-size vector of <see cref="float"/>.</summary>
/// <remarks>
/// <para>Made by <see cref="EsnReservoirEstimator"/>; see it for the characteristics table. Every cursor starts from the zero
/// state and steps once per row, so every pass of a multi-pass trainer sees the same states; the data view hands out one
/// cursor and cannot shuffle. <see cref="ColumnAppendingTransformer.IsRowToRowMapper"/> is true although the state runs across rows,
/// because ML.NET builds a <c>PredictionEngine</c> only over row-to-row mappers; ML.NET then maps one row per <c>Predict</c>, and
/// the mapper, from the zero state, steps once per new input row position.</para>
/// <para>The transformer is immutable and thread-safe; the running state lives in each cursor.</para>
/// </remarks>
public sealed class EsnReservoirTransformer : ColumnAppendingTransformer
{
    // The segment kind is part of the file format: it keeps the type's earlier name, so that files written before the rename load.
    internal const string Kind = "ML.NET EchoStateReservoirTransformer";
    private const ushort Version = 1;

    internal EsnReservoirTransformer(EchoStateReservoir reservoir, string inputColumnName, string outputColumnName)
    {
        Reservoir = reservoir;
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
    }

    /// <summary>The reservoir (weights and dynamics).</summary>
    public EchoStateReservoir Reservoir { get; }

    /// <summary>The input column's name.</summary>
    public string InputColumnName { get; }

    /// <summary>The output column's name.</summary>
    public string OutputColumnName { get; }

    internal override string SegmentKind => Kind;

    internal override void Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Kind, Version);
        writer.WriteString(InputColumnName);
        writer.WriteString(OutputColumnName);
        writer.WriteReservoir(Reservoir);
    }

    internal static EsnReservoirTransformer Read(ModelReader reader)
    {
        reader.ReadSectionHeader(Kind, Version);
        var input = reader.ReadString("the input column name");
        var output = reader.ReadString("the output column name");
        var reservoir = reader.ReadReservoir();
        return new EsnReservoirTransformer(reservoir, input, output);
    }

    private protected override AddedColumnsMap CreateMap(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        var (column, _) = ColumnChecks.SingleOrVector(schema, InputColumnName, "input", paramName, Reservoir.InputDimension);
        return new Map(this, schema, column);
    }

    private sealed class Map(EsnReservoirTransformer owner, DataViewSchema schema, DataViewSchema.Column input)
        : AddedColumnsMap(schema, [(owner.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, owner.Reservoir.UnitCount))])
    {
        internal override bool IsStateful => true;

        internal override IEnumerable<DataViewSchema.Column> RequiredInputs => [input];

        internal override RowWorker CreateWorker(DataViewRow row) => new Worker(owner, new InputReader(row, input), row);
    }

    private sealed class Worker(EsnReservoirTransformer owner, InputReader input, DataViewRow row) : RowWorker
    {
        private readonly ReservoirState _state = owner.Reservoir.CreateState();
        private readonly float[][] _outputs = [new float[owner.Reservoir.UnitCount]];

        internal override float[][] Outputs => _outputs;

        internal override void Advance()
        {
            var values = input.Read(owner.InputColumnName, row.Position);
            owner.Reservoir.Step(_state, values);
            var state = _state.Values;
            var output = _outputs[0];
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = (float)state[i];
            }
        }
    }
}
