using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds echo state network forecasting to <c>mlContext.Forecasting</c>.</summary>
public static class EsnForecastingCatalog
{
    /// <summary>Forecasts the next <paramref name="horizon"/> values of a series from every row with an echo state network, shaped like <c>ForecastBySsa</c>.</summary>
    /// <param name="catalog">The forecasting catalog.</param>
    /// <param name="outputColumnName">The forecast column: a known-size vector of <see cref="float"/> of length <paramref name="horizon"/>.</param>
    /// <param name="inputColumnName">The series column (<see cref="float"/>), read in row order.</param>
    /// <param name="horizon">H, the number of values forecast from each row, at least 1.</param>
    /// <param name="unitCount">The number of reservoir units, at least 1; default 100.</param>
    /// <param name="leakRate">The leak rate of every unit, in (0, 1]; default 1.</param>
    /// <param name="spectralRadius">The spectral radius of W, greater than 0; default 0.9.</param>
    /// <param name="inputScaling">The scale of the input weights (inputs are standardised first), greater than 0; default 1.</param>
    /// <param name="seed">The seed of every weight; default 42.</param>
    /// <param name="washoutSteps">The number of initial states left out of training, at least 0; default 50.</param>
    /// <param name="l2Regularization">The ridge penalty λ ≥ 0; null (the default) chooses it by time-blocked cross-validation.</param>
    /// <param name="exogenousColumnNames">Further <see cref="float"/> columns read beside the series (multivariate forecasting); null for none.</param>
    /// <param name="confidenceLowerBoundColumn">The lower-bound column; null for no bounds. Name both bounds or neither.</param>
    /// <param name="confidenceUpperBoundColumn">The upper-bound column; null for no bounds.</param>
    /// <param name="confidenceLevel">The coverage of the bounds, in (0, 1); default 0.95.</param>
    /// <returns>The estimator; see <see cref="EsnForecastingEstimator"/> for the characteristics and how exogenous columns and bounds are handled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range; <see cref="ArgumentException.ParamName"/> is the parameter's name.</exception>
    /// <exception cref="ArgumentException">A column name is missing or repeated, or only one bound column is named; <see cref="ArgumentException.ParamName"/> is the parameter's name.</exception>
    public static EsnForecastingEstimator ForecastByEsn(this ForecastingCatalog catalog, string outputColumnName, string inputColumnName,
        int horizon, int unitCount = MLNetDefaults.UnitCount, double leakRate = MLNetDefaults.LeakRate,
        double spectralRadius = MLNetDefaults.SpectralRadius, double inputScaling = MLNetDefaults.InputScaling, int seed = MLNetDefaults.Seed,
        int washoutSteps = MLNetDefaults.WashoutSteps, double? l2Regularization = null, string[]? exogenousColumnNames = null,
        string? confidenceLowerBoundColumn = null, string? confidenceUpperBoundColumn = null, float confidenceLevel = MLNetDefaults.ConfidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new EsnForecastingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Horizon = horizon,
            WashoutSteps = washoutSteps,
            L2Regularization = l2Regularization,
            ExogenousColumnNames = exogenousColumnNames is null ? null : [.. exogenousColumnNames],
            ConfidenceLowerBoundColumn = confidenceLowerBoundColumn,
            ConfidenceUpperBoundColumn = confidenceUpperBoundColumn,
            ConfidenceLevel = confidenceLevel,
        };
        options.SetCatalogParameters(unitCount, leakRate, spectralRadius, inputScaling, seed);
        return new EsnForecastingEstimator(options, ParameterNaming.CatalogParameter);
    }

    /// <summary>An echo state network forecaster configured by <paramref name="options"/>.</summary>
    /// <param name="catalog">The forecasting catalog.</param>
    /// <param name="options">The columns and every hyperparameter.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range; <see cref="ArgumentException.ParamName"/> is the field's name.</exception>
    /// <exception cref="ArgumentException">A column name is missing or repeated, only one bound column is named, exogenous columns are given to the closed loop, or a simple reservoir field is set beside <see cref="EsnReservoirSettings.Reservoir"/>.</exception>
    public static EsnForecastingEstimator ForecastByEsn(this ForecastingCatalog catalog, EsnForecastingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EsnForecastingEstimator(options);
    }
}
