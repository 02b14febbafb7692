using Reservoir.Pipelines.MLNet;

namespace Microsoft.ML;

/// <summary>Adds the closed-form ridge trainer to <c>mlContext.Regression.Trainers</c>.</summary>
public static class RidgeRegressionCatalog
{
    /// <summary>A linear regression trained in closed form by ridge regression, with λ chosen automatically when null.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The label column (<see cref="float"/>); default "Label".</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>); default "Features".</param>
    /// <param name="l2Regularization">The ridge penalty λ ≥ 0; null chooses it by time-blocked cross-validation.</param>
    /// <returns>The trainer; see <see cref="RidgeRegressionTrainer"/> for the characteristics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or a column name is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="l2Regularization"/> is negative or not finite (<see cref="ArgumentException.ParamName"/> is "l2Regularization").</exception>
    public static RidgeRegressionTrainer Ridge(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = MLNetDefaults.LabelColumnName,
        string featureColumnName = MLNetDefaults.FeatureColumnName, double? l2Regularization = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RidgeRegressionTrainer(new RidgeRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            L2Regularization = l2Regularization,
        }, ParameterNaming.CatalogParameter);
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
