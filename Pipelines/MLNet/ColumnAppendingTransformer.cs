using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The ML.NET plumbing shared by this library's transformers: each appends columns computed row by row from its input.</summary>
/// <remarks>
/// <para><see cref="Transform"/> returns a lazy data view (a stateful transformer's view hands out one ordered cursor and
/// cannot shuffle); <see cref="GetRowToRowMapper"/> gives a mapper keyed on the input row's position, so
/// <c>PredictionEngine</c> works. ML.NET's own <c>Model.Save</c> cannot carry the learned parameters: save with
/// <c>mlContext.Model.SavePipeline</c>.</para>
/// <para>A row the transformer cannot use (a NaN or infinite input) raises <see cref="ArgumentException"/> when a cursor
/// reaches it. When an ML.NET transform such as <c>Concatenate</c> follows, ML.NET reads through it on worker threads and
/// wraps that exception twice in <see cref="InvalidOperationException"/>; this library's readers (the ridge trainer, the
/// cursors of the transformers that follow) rethrow the original <see cref="ArgumentException"/>, and for ML.NET's own
/// readers it stays the innermost exception.</para>
/// <para>Only this library derives from it (the constructor is not accessible outside).</para>
/// </remarks>
public abstract class ColumnAppendingTransformer : ITransformer
{
    private protected ColumnAppendingTransformer()
    {
    }

    /// <summary>Always true, also for the stateful transformers: ML.NET builds a <c>PredictionEngine</c> only over row-to-row mappers.</summary>
    /// <remarks>
    /// The reservoir and forecasting transformers carry a state across rows and claim this because ML.NET's
    /// <c>PredictionEngine</c> requires it: ML.NET then calls <see cref="GetRowToRowMapper"/> once and maps its one reused input
    /// row, whose position grows by one per <c>Predict</c>, and the mapper steps the state once per new position, so successive
    /// <c>Predict</c> calls give the rows of <see cref="Transform"/>. ML.NET's <c>Transform</c>, trainers and evaluators read the
    /// data view instead, which for a stateful transformer hands out one ordered cursor and cannot shuffle.
    /// </remarks>
    public bool IsRowToRowMapper => true;

    /// <summary>The kind written in the toolkit segment of a pipeline file; <see cref="ToolkitSegments"/> maps it back to a reader.</summary>
    internal abstract string SegmentKind { get; }

    /// <summary>The input schema with the appended columns.</summary>
    /// <param name="inputSchema">The schema of the data to transform.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type or size (ML.NET's messages).</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMap(inputSchema, nameof(inputSchema)).OutputSchema;

    /// <summary>Appends the columns; they are computed lazily, row by row, when a cursor reads them.</summary>
    /// <param name="input">The data.</param>
    /// <returns>The data with the appended columns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type or size.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return CreateView(input);
    }

    /// <summary>The lazily computed view <see cref="Transform"/> returns; by default it maps one row at a time.</summary>
    /// <param name="input">The data, not null.</param>
    /// <returns>The data with the appended columns.</returns>
    private protected virtual IDataView CreateView(IDataView input) => new AddedColumnsDataView(input, CreateMap(input.Schema, nameof(input)));

    /// <summary>A mapper that computes the appended columns of one row at a time, advancing any state once per new input row position.</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type or size.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new AddedColumnsRowMapper(CreateMap(inputSchema, nameof(inputSchema)));

    /// <summary>Not supported: ML.NET's model format cannot carry this transformer's parameters.</summary>
    /// <param name="ctx">Unused.</param>
    /// <exception cref="NotSupportedException">Always; the message names <c>mlContext.Model.SavePipeline</c>.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw ToolkitSegments.SaveNotSupported(GetType().Name);

    /// <summary>Writes every parameter needed to rebuild an equal transformer (a toolkit segment of a pipeline file).</summary>
    internal abstract void Write(ModelWriter writer);

    /// <summary>Checks the schema and describes the appended columns and how to compute them.</summary>
    private protected abstract AddedColumnsMap CreateMap(DataViewSchema schema, string paramName);
}
