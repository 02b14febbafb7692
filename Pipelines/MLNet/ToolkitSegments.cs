using Microsoft.ML;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The readers of every toolkit segment kind, and the message of the <c>ICanSaveModel.Save</c> that ML.NET cannot use.</summary>
internal static class ToolkitSegments
{
    private static readonly Dictionary<string, Func<ModelReader, ITransformer>> Readers = new(StringComparer.Ordinal)
    {
        [EsnReservoirTransformer.Kind] = EsnReservoirTransformer.Read,
        [RidgeRegressionTransformer.Kind] = RidgeRegressionTransformer.Read,
        [EsnSequenceFeaturesTransformer.Kind] = EsnSequenceFeaturesTransformer.Read,
        [EsnForecastingTransformer.Kind] = EsnForecastingTransformer.Read,
    };

    /// <summary>The exception thrown by our transformers' <c>ICanSaveModel.Save</c>.</summary>
    internal static NotSupportedException SaveNotSupported(string transformer) => new(
        $"{transformer} holds learned parameters that ML.NET's Model.Save cannot store. "
        + "Save the pipeline with mlContext.Model.SavePipeline(model, inputSchema, path) and load it with mlContext.Model.LoadPipeline(path, out inputSchema).");

    /// <summary>True when a reader exists for the kind.</summary>
    internal static bool IsKnown(string kind) => Readers.ContainsKey(kind);

    /// <summary>Reads a toolkit segment of the given kind.</summary>
    /// <exception cref="ModelFormatException">The kind is unknown or the segment is corrupt.</exception>
    internal static ITransformer Read(string kind, Stream stream)
    {
        if (!Readers.TryGetValue(kind, out var read))
        {
            throw new ModelFormatException($"Unknown toolkit segment kind '{kind}'; it was written by a newer version of this library or the file is corrupt.");
        }

        return ModelFile.Read(stream, kind, read);
    }
}
