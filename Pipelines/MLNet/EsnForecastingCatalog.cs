using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds echo state network forecasting to <c>mlContext.Forecasting</c>.</summary>
public static class EsnForecastingCatalog
{
    /// <summary>Forecasts the next <paramref name="horizon"/> values of a series from every row with echo state networks, shaped like <c>ForecastBySsa</c>.</summary>
    /// <remarks>
    /// With only the columns and the horizon, this is the automatic forecaster: preprocessing, season, time constants,
    /// method and ensemble are chosen from the training series (see <see cref="EsnForecastingEstimator"/>). Giving
    /// <paramref name="leakRate"/>, <paramref name="spectralRadius"/>, <paramref name="inputScaling"/>,
    /// <paramref name="l2Regularization"/> or <paramref name="exogenousColumnNames"/> trains one fixed reservoir of those
    /// settings instead.
    /// </remarks>
    /// <param name="catalog">The forecasting catalog.</param>
    /// <param name="outputColumnName">The forecast column: a known-size vector of <see cref="float"/> of length <paramref name="horizon"/>.</param>
    /// <param name="inputColumnName">The series column (<see cref="float"/>), read in row order.</param>
    /// <param name="horizon">H, the number of values forecast from each row, at least 1.</param>
    /// <param name="unitCount">The number of reservoir units, at least 1; null (the default): scaled with the series' length by the automatic forecaster, 100 for one fixed reservoir.</param>
    /// <param name="leakRate">One fixed reservoir: the leak rate of every unit, in (0, 1]; null (the default): the automatic forecaster samples per-unit time constants up to the series' season.</param>
    /// <param name="spectralRadius">One fixed reservoir: the spectral radius of W, greater than 0; null (the default) for the automatic forecaster (0.9 when another setting asks for one fixed reservoir).</param>
    /// <param name="inputScaling">One fixed reservoir: the scale of the input weights (inputs are standardised first), greater than 0; null (the default) for the automatic forecaster (1 when another setting asks for one fixed reservoir).</param>
    /// <param name="seed">The seed of every weight; null (the default) means 42.</param>
    /// <param name="washoutSteps">The number of initial states left out of training, at least 0; null (the default): scaled with the series' length by the automatic forecaster, 50 for one fixed reservoir.</param>
    /// <param name="l2Regularization">One fixed reservoir: the ridge penalty λ ≥ 0; null (the default) chooses it by cross-validation.</param>
    /// <param name="exogenousColumnNames">One fixed reservoir: further <see cref="float"/> columns read beside the series (multivariate forecasting); null for none.</param>
    /// <param name="confidenceLowerBoundColumn">The lower-bound column; null for no bounds. Name both bounds or neither.</param>
    /// <param name="confidenceUpperBoundColumn">The upper-bound column; null for no bounds.</param>
    /// <param name="confidenceLevel">The coverage of the bounds, in (0, 1); default 0.95.</param>
    /// <param name="seasonalPeriod">Automatic forecaster: the seasonal period in rows (12 for monthly rows with a yearly season), at least 1 (1: none); null (the default) detects it.</param>
    /// <returns>The estimator; see <see cref="EsnForecastingEstimator"/> for the characteristics and how exogenous columns and bounds are handled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range; <see cref="ArgumentException.ParamName"/> is the parameter's name.</exception>
    /// <exception cref="ArgumentException">A column name is missing or repeated, only one bound column is named, or <paramref name="seasonalPeriod"/> is given with a setting of one fixed reservoir; <see cref="ArgumentException.ParamName"/> is the parameter's name.</exception>
    public static EsnForecastingEstimator ForecastByEsn(this ForecastingCatalog catalog, string outputColumnName, string inputColumnName,
        int horizon, int? unitCount = null, double? leakRate = null, double? spectralRadius = null, double? inputScaling = null, int? seed = null,
        int? washoutSteps = null, double? l2Regularization = null, string[]? exogenousColumnNames = null,
        string? confidenceLowerBoundColumn = null, string? confidenceUpperBoundColumn = null, float confidenceLevel = MLNetDefaults.ConfidenceLevel,
        int? seasonalPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new EsnForecastingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Horizon = horizon,
            UnitCount = unitCount,
            LeakRate = leakRate,
            SpectralRadius = spectralRadius,
            InputScaling = inputScaling,
            Seed = seed,
            WashoutSteps = washoutSteps,
            L2Regularization = l2Regularization,
            ExogenousColumnNames = exogenousColumnNames is null ? null : [.. exogenousColumnNames],
            ConfidenceLowerBoundColumn = confidenceLowerBoundColumn,
            ConfidenceUpperBoundColumn = confidenceUpperBoundColumn,
            ConfidenceLevel = confidenceLevel,
            SeasonalPeriod = seasonalPeriod,
        };
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
