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
    // Version 2 stores a composed reservoir; a single reservoir is still written as version 1.
    private const ushort Version = 2;

    internal EsnReservoirTransformer(ComposedReservoir reservoir, string inputColumnName, string outputColumnName)
    {
        Composition = reservoir;
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
    }

    /// <summary>The reservoir (weights and dynamics), for a transform of one reservoir.</summary>
    /// <exception cref="InvalidOperationException">The transform runs a composition; use <see cref="Composition"/>.</exception>
    public EchoStateReservoir Reservoir => Composition.Options is null ? Composition.Layers[0]
        : throw new InvalidOperationException($"This transform runs a composition of {Composition.Layers.Length} reservoirs; use Composition.");

    /// <summary>The reservoirs the transform runs: the composition, or one layer (the reservoir itself) without one.</summary>
    public ComposedReservoir Composition { get; }

    /// <summary>The input column's name.</summary>
    public string InputColumnName { get; }

    /// <summary>The output column's name.</summary>
    public string OutputColumnName { get; }

    internal override string SegmentKind => Kind;

    internal override void Write(ModelWriter writer)
    {
        var composed = Composition.Options is not null;
        writer.WriteSectionHeader(Kind, composed ? Version : (ushort)1);
        writer.WriteString(InputColumnName);
        writer.WriteString(OutputColumnName);
        if (composed)
        {
            writer.WriteComposedReservoir(Composition);
        }
        else
        {
            writer.WriteReservoir(Reservoir);
        }
    }

    internal static EsnReservoirTransformer Read(ModelReader reader)
    {
        var version = reader.ReadSectionHeader(Kind, Version);
        var input = reader.ReadString("the input column name");
        var output = reader.ReadString("the output column name");
        var reservoir = version >= 2 ? reader.ReadComposedReservoir() : ComposedReservoir.Of(reader.ReadReservoir());
        return new EsnReservoirTransformer(reservoir, input, output);
    }

    private protected override AddedColumnsMap CreateMap(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        var (column, _) = ColumnChecks.SingleOrVector(schema, InputColumnName, "input", paramName, Composition.InputDimension);
        return new Map(this, schema, column);
    }

    private sealed class Map(EsnReservoirTransformer owner, DataViewSchema schema, DataViewSchema.Column input)
        : AddedColumnsMap(schema, [(owner.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, owner.Composition.StateWidth))])
    {
        internal override bool IsStateful => true;

        internal override IEnumerable<DataViewSchema.Column> RequiredInputs => [input];

        internal override RowWorker CreateWorker(DataViewRow row) => new Worker(owner, new InputReader(row, input), row);
    }

    private sealed class Worker(EsnReservoirTransformer owner, InputReader input, DataViewRow row) : RowWorker
    {
        private readonly ComposedReservoirState _state = owner.Composition.CreateState();
        private readonly float[][] _outputs = [new float[owner.Composition.StateWidth]];

        internal override float[][] Outputs => _outputs;

        internal override void Advance()
        {
            var values = input.Read(owner.InputColumnName, row.Position);
            owner.Composition.Step(_state, values);
            var state = _state.Values;
            var output = _outputs[0];
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = (float)state[i];
            }
        }
    }
}
