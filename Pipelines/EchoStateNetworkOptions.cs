using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>The hyperparameters of an <see cref="EchoStateNetwork"/>: the reservoir, the ridge readout, the washout and the scaling of the data.</summary>
public sealed record EchoStateNetworkOptions
{
    /// <summary>The reservoir's hyperparameters, for a network on one reservoir; null when <see cref="Composition"/> is set.</summary>
    /// <remarks>
    /// In the options of a fitted <see cref="EchoStateNetwork"/> they describe its reservoir: they are the reservoir's
    /// own options when it has them, and a network is never fitted (or loaded) with options of another size than its
    /// reservoir.
    /// <para>Exactly one of this and <see cref="Composition"/> is set.</para>
    /// </remarks>
    public ReservoirOptions? Reservoir { get; init; }

    /// <summary>Reservoirs composed into stacks and parallel groups (<see cref="ComposedReservoirOptions"/>), run instead of one reservoir; null (the default) runs <see cref="Reservoir"/>.</summary>
    /// <remarks>
    /// The readout reads the composed state [x⁽ʲ¹⁾(t); x⁽ʲ²⁾(t); …] of the read-out layers (and u(t) when
    /// <see cref="ReadoutIncludesInput"/>). Training, prediction, closed-loop generation and model files work as with one
    /// reservoir. In the options of a fitted network this is the composition's own options.
    /// </remarks>
    public ComposedReservoirOptions? Composition { get; init; }

    /// <summary>The ridge readout's hyperparameters; default λ = 1e-6 with an unregularised intercept.</summary>
    public RidgeReadoutOptions Readout { get; init; } = new();

    /// <summary>
    /// When set, λ is chosen automatically from a grid by cross-validation on the training data (time-blocked folds
    /// or generalised cross-validation) and <see cref="RidgeReadoutOptions.L2Regularization"/> is ignored; null
    /// (the default) uses the fixed λ of <see cref="Readout"/>.
    /// </summary>
    public RidgeCvOptions? RegularizationSearch { get; init; }

    /// <summary>The number of folds of the time-blocked cross-validation when <see cref="RegularizationSearch"/> uses it, ≥ 2; default 5.</summary>
    /// <remarks>Rows go to folds in blocks of consecutive steps, round robin, so every fold spans the training period.</remarks>
    public int CrossValidationFolds { get; init; } = 5;

    /// <summary>The number of initial states of each training sequence left out of the fit, ≥ 0; default 0.</summary>
    public int WashoutSteps { get; init; }

    /// <summary>Whether the readout sees the input u(t) beside the state x(t), features [1; u; x]; default true.</summary>
    public bool ReadoutIncludesInput { get; init; } = true;

    /// <summary>Whether the readout sees the reservoir state x(t); default true. False gives a linear model of the input alone (a baseline).</summary>
    /// <remarks>At least one of <see cref="ReadoutIncludesInput"/> and this must be true.</remarks>
    public bool ReadoutIncludesState { get; init; } = true;

    /// <summary>Whether inputs are standardised (per column, with the training mean and standard deviation) before the reservoir; default false.</summary>
    public bool StandardizeInputs { get; init; }

    /// <summary>Whether targets are standardised for training, and outputs mapped back to the original units; default false.</summary>
    public bool StandardizeTargets { get; init; }
}
