using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>How an <see cref="EchoStateClassifier"/> turns a sequence's states into a decision.</summary>
public enum SequenceDecision
{
    /// <summary>One feature row per sequence (see <see cref="EchoStateClassifierOptions.Features"/>), one ridge classification.</summary>
    SequenceFeatures,

    /// <summary>The readout classifies every step after the washout; the sequence gets the majority vote (ties: the larger summed score).</summary>
    StepVoting,

    /// <summary>The readout scores every step after the washout; the sequence gets the class with the largest mean score.</summary>
    MeanStepScore,
}

/// <summary>The hyperparameters of an <see cref="EchoStateClassifier"/>.</summary>
public sealed record EchoStateClassifierOptions
{
    /// <summary>The reservoir's hyperparameters.</summary>
    public required ReservoirOptions Reservoir { get; init; }

    /// <summary>The ridge classifier's hyperparameters (λ, intercept).</summary>
    public RidgeClassifierOptions Classifier { get; init; } = new();

    /// <summary>How the states of a sequence become a decision; default <see cref="SequenceDecision.SequenceFeatures"/>.</summary>
    public SequenceDecision Decision { get; init; } = SequenceDecision.SequenceFeatures;

    /// <summary>The sequence-level features with <see cref="SequenceDecision.SequenceFeatures"/>; default the mean state.</summary>
    public SequenceFeatureKind Features { get; init; } = SequenceFeatureKind.MeanState;

    /// <summary>The number of evenly spaced states with <see cref="SequenceFeatureKind.EvenlySpacedStates"/>, ≥ 1; default 4.</summary>
    public int SampleCount { get; init; } = 4;

    /// <summary>The initial steps of each sequence left out of the features or the votes, ≥ 0; each sequence must be longer. Default 0.</summary>
    public int WashoutSteps { get; init; }
}
