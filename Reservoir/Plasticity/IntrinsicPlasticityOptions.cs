namespace Reservoir.Plasticity;

/// <summary>Hyperparameters of intrinsic-plasticity pre-training (<see cref="IntrinsicPlasticity"/>); validated by the method that consumes them.</summary>
/// <remarks>
/// The target depends on the reservoir's activation. For tanh units it is the Gaussian N(μ, σ²) of Schrauwen et al. (2008):
/// each unit's output y = tanh(a·z + b) is driven toward mean <see cref="TargetMean"/> and standard deviation
/// <see cref="TargetStdDev"/>. For sigmoid units it is Triesch's (2005) exponential distribution with mean μ: the output
/// y = 1/(1 + e^(−(a·z + b))) is driven toward density ∝ e^(−y/μ) on (0, 1), whose standard deviation is set by μ, so
/// <see cref="TargetStdDev"/> must be left unset.
/// </remarks>
public sealed record IntrinsicPlasticityOptions
{
    /// <summary>
    /// The target mean μ of each unit's output: for tanh units in (−1, 1), default 0 (<see cref="IntrinsicPlasticityDefaults.TargetMean"/>);
    /// for sigmoid units in (0, 1), default 0.2 (<see cref="IntrinsicPlasticityDefaults.SigmoidTargetMean"/>). Null takes the default of the activation.
    /// </summary>
    public double? TargetMean { get; init; }

    /// <summary>
    /// The target standard deviation σ of each unit's output, for tanh units only, in (0, 1); default 0.2
    /// (<see cref="IntrinsicPlasticityDefaults.TargetStdDev"/>). Must be null for sigmoid units, whose exponential target has no separate σ.
    /// </summary>
    public double? TargetStdDev { get; init; }

    /// <summary>The learning rate η of the online gain and bias updates, in (0, 1]; default 5e-4.</summary>
    public double LearningRate { get; init; } = IntrinsicPlasticityDefaults.LearningRate;

    /// <summary>The number of passes over the training sequences, ≥ 1; default 10.</summary>
    public int Epochs { get; init; } = IntrinsicPlasticityDefaults.Epochs;

    /// <summary>The steps at the start of each sequence (in every epoch) that run the reservoir without updating gains and biases, ≥ 0; default 100.</summary>
    public int WashoutSteps { get; init; } = IntrinsicPlasticityDefaults.WashoutSteps;
}

/// <summary>Default values of <see cref="IntrinsicPlasticityOptions"/>.</summary>
public static class IntrinsicPlasticityDefaults
{
    /// <summary>Default target mean μ of a tanh unit's output (Gaussian target).</summary>
    public const double TargetMean = 0.0;

    /// <summary>Default target mean μ of a sigmoid unit's output (exponential target; Schrauwen et al. 2008 use 0.2).</summary>
    public const double SigmoidTargetMean = 0.2;

    /// <summary>Default target standard deviation σ of a tanh unit's output (Schrauwen et al. 2008 use values around 0.2).</summary>
    public const double TargetStdDev = 0.2;

    /// <summary>Default learning rate η.</summary>
    public const double LearningRate = 5e-4;

    /// <summary>Default number of epochs.</summary>
    public const int Epochs = 10;

    /// <summary>Default washout steps per sequence.</summary>
    public const int WashoutSteps = 100;
}
