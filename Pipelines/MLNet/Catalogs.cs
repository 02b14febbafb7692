using Microsoft.ML.Data;
using Reservoir;
using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds the echo state reservoir to <c>mlContext.Transforms</c>.</summary>
public static class EchoStateReservoirCatalog
{
    /// <summary>Runs an echo state reservoir over the rows in order and outputs its state, a known-size vector of <see cref="float"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The state column's name.</param>
    /// <param name="inputColumnName">The input column (<see cref="float"/> or known-size vector of <see cref="float"/>); null means <paramref name="outputColumnName"/>.</param>
    /// <param name="unitCount">The number of units, at least 1; default 100.</param>
    /// <param name="leakRate">The leak rate of every unit, in (0, 1]; default 1.</param>
    /// <param name="spectralRadius">The spectral radius of W, greater than 0; default 0.9.</param>
    /// <param name="inputScaling">The scale of the input weights, greater than 0; default 1.</param>
    /// <param name="seed">The seed of every weight; default 42.</param>
    /// <returns>The estimator; see <see cref="EchoStateReservoirEstimator"/> for the characteristics.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range.</exception>
    public static EchoStateReservoirEstimator EchoStateReservoir(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        int unitCount = 100, double leakRate = ReservoirDefaults.LeakRate, double spectralRadius = ReservoirDefaults.SpectralRadius,
        double inputScaling = ReservoirDefaults.InputScaling, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EchoStateReservoirEstimator(new EchoStateReservoirEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            UnitCount = unitCount,
            LeakRate = leakRate,
            SpectralRadius = spectralRadius,
            InputScaling = inputScaling,
            Seed = seed,
        });
    }

    /// <summary>Runs an echo state reservoir configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The columns and every hyperparameter.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range.</exception>
    public static EchoStateReservoirEstimator EchoStateReservoir(this TransformsCatalog catalog, EchoStateReservoirEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EchoStateReservoirEstimator(options);
    }
}

/// <summary>Adds the closed-form ridge trainer to <c>mlContext.Regression.Trainers</c>.</summary>
public static class RidgeRegressionCatalog
{
    /// <summary>A linear regression trained in closed form by ridge regression, with λ chosen automatically when null.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column (<see cref="float"/>); default "Label".</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>); default "Features".</param>
    /// <param name="l2Regularization">The ridge penalty λ ≥ 0; null chooses it by time-blocked cross-validation.</param>
    /// <returns>The trainer; see <see cref="RidgeRegressionTrainer"/> for the characteristics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l2Regularization"/> is negative or not finite.</exception>
    public static RidgeRegressionTrainer Ridge(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label",
        string featureColumnName = "Features", double? l2Regularization = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RidgeRegressionTrainer(new RidgeRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            L2Regularization = l2Regularization,
        });
    }

    /// <summary>A ridge trainer configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="options">The columns and regularisation.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static RidgeRegressionTrainer Ridge(this RegressionCatalog.RegressionTrainers catalog, RidgeRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RidgeRegressionTrainer(options);
    }
}

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

/// <summary>Adds reservoir features of whole sequences to <c>mlContext.Transforms</c>.</summary>
public static class EchoStateSequenceFeaturesCatalog
{
    /// <summary>Turns each row's whole sequence (a vector of T·D <see cref="float"/>s, time-major) into a fixed-size feature vector of reservoir states.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The feature column's name.</param>
    /// <param name="inputColumnName">The column holding one sequence per row; null means <paramref name="outputColumnName"/>.</param>
    /// <param name="inputDimension">The number D ≥ 1 of values per time step.</param>
    /// <param name="kind">The summary: last state (default), mean state or evenly spaced states.</param>
    /// <param name="sampleCount">The number k ≥ 1 of evenly spaced states; default 1.</param>
    /// <param name="unitCount">The number of units, at least 1; default 100.</param>
    /// <param name="leakRate">The leak rate of every unit, in (0, 1]; default 1.</param>
    /// <param name="spectralRadius">The spectral radius of W, greater than 0; default 0.9.</param>
    /// <param name="inputScaling">The scale of the input weights, greater than 0; default 1.</param>
    /// <param name="seed">The seed of every weight; default 42.</param>
    /// <returns>The estimator; see <see cref="EchoStateSequenceFeaturesEstimator"/> for the characteristics.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range.</exception>
    public static EchoStateSequenceFeaturesEstimator EchoStateSequenceFeatures(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName, int inputDimension, Reservoir.Readouts.SequenceFeatureKind kind = Reservoir.Readouts.SequenceFeatureKind.LastState,
        int sampleCount = 1, int unitCount = 100, double leakRate = ReservoirDefaults.LeakRate, double spectralRadius = ReservoirDefaults.SpectralRadius,
        double inputScaling = ReservoirDefaults.InputScaling, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EchoStateSequenceFeaturesEstimator(new EchoStateSequenceFeaturesEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            InputDimension = inputDimension,
            Kind = kind,
            SampleCount = sampleCount,
            UnitCount = unitCount,
            LeakRate = leakRate,
            SpectralRadius = spectralRadius,
            InputScaling = inputScaling,
            Seed = seed,
        });
    }

    /// <summary>Reservoir features of whole sequences, configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The columns, summary and hyperparameters.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range.</exception>
    public static EchoStateSequenceFeaturesEstimator EchoStateSequenceFeatures(this TransformsCatalog catalog, EchoStateSequenceFeaturesEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EchoStateSequenceFeaturesEstimator(options);
    }
}
