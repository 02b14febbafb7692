using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Runs an echo state reservoir over the rows in order and appends its state as a known-size vector of <see cref="float"/>.</summary>
/// <remarks>
/// <para>Made by <see cref="EchoStateReservoirEstimator"/>; see it for the characteristics table. Every cursor starts from the zero
/// state and steps once per row, so every pass of a multi-pass trainer sees the same states; the data view hands out one
/// cursor and cannot shuffle. A <c>PredictionEngine</c> starts from the zero state and steps once per <c>Predict</c>.</para>
/// <para>The transformer is immutable and thread-safe; the running state lives in each cursor.</para>
/// </remarks>
public sealed class EchoStateReservoirTransformer : ITransformer, IToolkitTransformer
{
    internal const string Kind = "ML.NET EchoStateReservoirTransformer";
    private const ushort Version = 1;

    internal EchoStateReservoirTransformer(EchoStateReservoir reservoir, string inputColumnName, string outputColumnName)
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

    /// <summary>Always true: a row-to-row mapper keyed on the row position makes <c>PredictionEngine</c> work.</summary>
    public bool IsRowToRowMapper => true;

    string IToolkitTransformer.SegmentKind => Kind;

    /// <summary>The input schema with the state column added.</summary>
    /// <param name="inputSchema">The schema of the data to transform.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type or width.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMap(inputSchema, nameof(inputSchema)).OutputSchema;

    /// <summary>Appends the state column; the states are computed lazily, row by row, when a cursor reads them.</summary>
    /// <param name="input">The data, read in order.</param>
    /// <returns>The data with the state column.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type or width.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new AddedColumnsDataView(input, CreateMap(input.Schema, nameof(input)));
    }

    /// <summary>A mapper whose state advances once per new input row position (for <c>PredictionEngine</c>).</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new AddedColumnsRowMapper(CreateMap(inputSchema, nameof(inputSchema)));

    /// <summary>Not supported: ML.NET's model format cannot carry the reservoir's weights.</summary>
    /// <param name="ctx">Unused.</param>
    /// <exception cref="NotSupportedException">Always; the message names <c>mlContext.Model.SavePipeline</c>.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw ToolkitSegments.SaveNotSupported(nameof(EchoStateReservoirTransformer));

    void IToolkitTransformer.Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Kind, Version);
        writer.WriteString(InputColumnName);
        writer.WriteString(OutputColumnName);
        EchoStateReservoirSerializer.Write(writer, Reservoir);
    }

    internal static EchoStateReservoirTransformer Read(ModelReader reader)
    {
        reader.ReadSectionHeader(Kind, Version);
        var input = reader.ReadString("the input column name");
        var output = reader.ReadString("the output column name");
        var reservoir = EchoStateReservoirSerializer.Read(reader);
        return new EchoStateReservoirTransformer(reservoir, input, output);
    }

    private Map CreateMap(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        var (column, _) = ColumnChecks.SingleOrVector(schema, InputColumnName, "input", paramName, Reservoir.InputDimension);
        return new Map(this, schema, column);
    }

    private sealed class Map(EchoStateReservoirTransformer owner, DataViewSchema schema, DataViewSchema.Column input)
        : AddedColumnsMap(schema, [(owner.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, owner.Reservoir.UnitCount))])
    {
        internal override bool IsStateful => true;

        internal override IEnumerable<DataViewSchema.Column> RequiredInputs => [input];

        internal override RowWorker CreateWorker(DataViewRow row) => new Worker(owner, new InputReader(row, input), row);
    }

    private sealed class Worker(EchoStateReservoirTransformer owner, InputReader input, DataViewRow row) : RowWorker
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
