using Reservoir.Nvar;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>The hyperparameters of an <see cref="NvarNetwork"/>: the NVAR features and the ridge readout.</summary>
public sealed record NvarNetworkOptions
{
    /// <summary>The NVAR feature map's hyperparameters.</summary>
    public required NvarOptions Features { get; init; }

    /// <summary>The ridge readout's hyperparameters; default λ = 1e-6 with an unregularised intercept.</summary>
    public RidgeReadoutOptions Readout { get; init; } = new();

    /// <summary>
    /// When set, λ is chosen automatically from a grid by cross-validation on the training rows (time-blocked folds or
    /// generalised cross-validation) and <see cref="RidgeReadoutOptions.L2Regularization"/> is ignored; null (the default)
    /// uses the fixed λ of <see cref="Readout"/>. The criterion is one-step error; see <see cref="NvarNetwork.Generate"/>
    /// for why a closed loop may need a larger λ.
    /// </summary>
    public RidgeCvOptions? RegularizationSearch { get; init; }

    /// <summary>The number of folds of the time-blocked cross-validation when <see cref="RegularizationSearch"/> uses it, ≥ 2; default 5.</summary>
    /// <remarks>Rows go to folds in blocks of consecutive steps, round robin, so every fold spans the training period.</remarks>
    public int CrossValidationFolds { get; init; } = 5;
}
