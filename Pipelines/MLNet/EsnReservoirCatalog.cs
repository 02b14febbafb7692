using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds the echo state reservoir to <c>mlContext.Transforms</c>.</summary>
public static class EsnReservoirCatalog
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
    /// <returns>The estimator; see <see cref="EsnReservoirEstimator"/> for the characteristics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="outputColumnName"/> is null.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range; <see cref="ArgumentException.ParamName"/> is the parameter's name.</exception>
    public static EsnReservoirEstimator EchoStateReservoir(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        int unitCount = MLNetDefaults.UnitCount, double leakRate = MLNetDefaults.LeakRate, double spectralRadius = MLNetDefaults.SpectralRadius,
        double inputScaling = MLNetDefaults.InputScaling, int seed = MLNetDefaults.Seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new EsnReservoirEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName };
        options.SetCatalogParameters(unitCount, leakRate, spectralRadius, inputScaling, seed);
        return new EsnReservoirEstimator(options, ParameterNaming.CatalogParameter);
    }

    /// <summary>Runs an echo state reservoir configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The columns and every hyperparameter.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range (<see cref="ArgumentException.ParamName"/> is the field's name), or a simple field is set beside <see cref="EsnReservoirSettings.Reservoir"/>.</exception>
    public static EsnReservoirEstimator EchoStateReservoir(this TransformsCatalog catalog, EsnReservoirEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EsnReservoirEstimator(options);
    }
}
