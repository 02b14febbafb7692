namespace Reservoir;

/// <summary>Default values of <see cref="ReservoirOptions"/>, shared by every entry point that builds a reservoir.</summary>
public static class ReservoirDefaults
{
    /// <summary>Default input dimension D: one input per step.</summary>
    public const int InputDimension = 1;

    /// <summary>Default spectral radius ρ(W) of the recurrent weights.</summary>
    public const double SpectralRadius = 0.9;

    /// <summary>Default leak rate α of every unit (1 = no leak, the plain echo state network update).</summary>
    public const double LeakRate = 1.0;

    /// <summary>Default scaling of the input weights.</summary>
    public const double InputScaling = 1.0;

    /// <summary>Default probability that an input weight is non-zero.</summary>
    public const double InputConnectivity = 0.1;

    /// <summary>Default probability that a recurrent weight is non-zero.</summary>
    public const double RecurrentConnectivity = 0.1;

    /// <summary>Default scaling of the bias b (0 turns the bias off).</summary>
    public const double BiasScaling = 1.0;

    /// <summary>Default amplitude of the uniform state noise (0 = no noise).</summary>
    public const double StateNoise = 0.0;

    /// <summary>Default dimension of the output fed back into the reservoir (0 = no feedback).</summary>
    public const int FeedbackDimension = 0;

    /// <summary>Default scaling of the feedback weights.</summary>
    public const double FeedbackScaling = 1.0;

    /// <summary>Default probability that a feedback weight is non-zero.</summary>
    public const double FeedbackConnectivity = 1.0;

    /// <summary>Default probability that a skip-connection weight is non-zero.</summary>
    public const double SkipConnectivity = 0.1;

    /// <summary>Default spectral radius of a skip-connection matrix W_skip.</summary>
    public const double SkipSpectralRadius = 0.5;

    /// <summary>Default jump length ℓ of <see cref="ReservoirTopology.CycleWithJumps"/> (ReservoirComputing.jl's default; Rodan and Tino choose ℓ by validation).</summary>
    public const int JumpLength = 3;

    /// <summary>Default jump weight r_j of <see cref="ReservoirTopology.CycleWithJumps"/>.</summary>
    public const double JumpWeight = 0.1;

    /// <summary>Default number K of ring neighbours each unit receives from in <see cref="ReservoirTopology.SmallWorld"/>.</summary>
    public const int SmallWorldNeighbours = 4;

    /// <summary>Default probability that a ring connection of <see cref="ReservoirTopology.SmallWorld"/> is rewired.</summary>
    public const double RewiringProbability = 0.1;
}
