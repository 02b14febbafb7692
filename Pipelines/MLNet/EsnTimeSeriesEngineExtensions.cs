using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Creates time-series engines over fitted ESN forecasters, as ML.NET's <c>CreateTimeSeriesEngine</c> does for SSA.</summary>
public static class EsnTimeSeriesEngineExtensions
{
    /// <summary>Creates an engine that continues right after the training series: <c>Predict(example)</c> feeds an observation and forecasts, <c>CheckPoint</c> saves model and state in one file.</summary>
    /// <typeparam name="TSrc">The observation type, with a <see cref="float"/> member per input column.</typeparam>
    /// <typeparam name="TDst">The forecast type, with a <see cref="float"/>[] member per output column.</typeparam>
    /// <param name="transformer">The fitted forecaster (from <c>Fit</c>, or from a checkpoint loaded with <c>LoadPipeline</c>).</param>
    /// <param name="mlContext">The ML.NET context, used to write checkpoints.</param>
    /// <returns>The engine; not thread-safe.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><typeparamref name="TSrc"/> lacks an input column or <typeparamref name="TDst"/> has a member that is not an output column, or a member has the wrong type.</exception>
    public static EsnTimeSeriesEngine<TSrc, TDst> CreateTimeSeriesEngine<TSrc, TDst>(this EsnForecastingTransformer transformer, MLContext mlContext)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(mlContext);
        return new(mlContext, transformer);
    }

    /// <summary>Creates an engine from a pipeline loaded with <c>LoadPipeline</c> (for example an engine checkpoint), which must hold exactly one ESN forecaster.</summary>
    /// <typeparam name="TSrc">The observation type.</typeparam>
    /// <typeparam name="TDst">The forecast type.</typeparam>
    /// <param name="model">The loaded pipeline.</param>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <returns>The engine, resuming where the checkpoint was written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="Reservoir.Pipelines.ModelFormatException">The pipeline does not hold exactly one ESN forecaster.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The types do not match the forecaster's columns.</exception>
    public static EsnTimeSeriesEngine<TSrc, TDst> CreateEsnTimeSeriesEngine<TSrc, TDst>(this ITransformer model, MLContext mlContext)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(mlContext);
        return new(mlContext, EsnTimeSeriesEngine<TSrc, TDst>.Forecaster(model));
    }
}
