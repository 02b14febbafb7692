using Microsoft.ML.Data;
using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds one-file saving and loading of pipelines that mix ML.NET and Reservoir transformers to <c>mlContext.Model</c>.</summary>
/// <remarks>
/// ML.NET's own <c>Model.Save</c> cannot store the learned parameters of a third-party transformer. <c>SavePipeline</c> writes
/// one zip: the runs of ML.NET transformers are saved by ML.NET itself, each Reservoir transformer in this library's
/// versioned, checksummed format, with a manifest giving their order and the input schema. Saving to a path is atomic.
/// </remarks>
public static class PipelineCatalog
{
    /// <summary>Saves a fitted pipeline (ML.NET and Reservoir transformers, in any mix) and its input schema to a file, atomically.</summary>
    /// <param name="catalog">The model operations catalog.</param>
    /// <param name="model">The fitted pipeline; nested transformer chains are flattened.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads.</param>
    /// <param name="path">The file to write; an existing file is replaced only when the whole pipeline has been written.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file is left unchanged.</exception>
    public static void SavePipeline(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string path) =>
        PipelineFile.Save(catalog, model, inputSchema, path);

    /// <summary>Saves a fitted pipeline and its input schema to a stream.</summary>
    /// <param name="catalog">The model operations catalog.</param>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads.</param>
    /// <param name="stream">A writable stream; nothing is written if saving a segment fails.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    public static void SavePipeline(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, Stream stream) =>
        PipelineFile.Save(catalog, model, inputSchema, stream);

    /// <summary>Loads a pipeline written by <c>SavePipeline</c>.</summary>
    /// <param name="catalog">The model operations catalog (of any <c>MLContext</c>).</param>
    /// <param name="path">The file.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads.</param>
    /// <returns>The pipeline as one flat transformer chain.</returns>
    /// <exception cref="Reservoir.Pipelines.ModelFormatException">The file is corrupt, truncated, not a pipeline file or of a newer version.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ITransformer LoadPipeline(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema) =>
        PipelineFile.Load(catalog, path, out inputSchema);

    /// <summary>Loads a pipeline written by <c>SavePipeline</c> from a stream.</summary>
    /// <param name="catalog">The model operations catalog.</param>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="inputSchema">The schema of the data the pipeline reads.</param>
    /// <returns>The pipeline as one flat transformer chain.</returns>
    /// <exception cref="Reservoir.Pipelines.ModelFormatException">The data is corrupt, truncated, not a pipeline file or of a newer version.</exception>
    public static ITransformer LoadPipeline(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema) =>
        PipelineFile.Load(catalog, stream, out inputSchema);
}
