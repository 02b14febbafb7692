using Reservoir.Readouts;
using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds reservoir features of whole sequences to <c>mlContext.Transforms</c>.</summary>
public static class EsnSequenceFeaturesCatalog
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
    /// <returns>The estimator; see <see cref="EsnSequenceFeaturesEstimator"/> for the characteristics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="outputColumnName"/> is null.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range; <see cref="ArgumentException.ParamName"/> is the parameter's name.</exception>
    public static EsnSequenceFeaturesEstimator EchoStateSequenceFeatures(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName, int inputDimension, SequenceFeatureKind kind = MLNetDefaults.SequenceFeatureKind,
        int sampleCount = MLNetDefaults.SampleCount, int unitCount = MLNetDefaults.UnitCount, double leakRate = MLNetDefaults.LeakRate,
        double spectralRadius = MLNetDefaults.SpectralRadius, double inputScaling = MLNetDefaults.InputScaling, int seed = MLNetDefaults.Seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new EsnSequenceFeaturesEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            InputDimension = inputDimension,
            Kind = kind,
            SampleCount = sampleCount,
        };
        options.SetCatalogParameters(unitCount, leakRate, spectralRadius, inputScaling, seed);
        return new EsnSequenceFeaturesEstimator(options, ParameterNaming.CatalogParameter);
    }

    /// <summary>Reservoir features of whole sequences, configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The columns, summary and hyperparameters.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range (<see cref="ArgumentException.ParamName"/> is the field's name), or a simple field is set beside <see cref="EsnReservoirSettings.Reservoir"/>.</exception>
    public static EsnSequenceFeaturesEstimator EchoStateSequenceFeatures(this TransformsCatalog catalog, EsnSequenceFeaturesEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EsnSequenceFeaturesEstimator(options);
    }
}
