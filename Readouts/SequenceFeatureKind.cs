namespace Reservoir.Readouts;

/// <summary>How <see cref="SequenceFeatures"/> summarises the states of a whole sequence into one feature row.</summary>
public enum SequenceFeatureKind
{
    /// <summary>The state after the last step.</summary>
    LastState,

    /// <summary>The mean of the states over all steps.</summary>
    MeanState,

    /// <summary>A fixed number of states at evenly spaced steps, first to last, concatenated.</summary>
    EvenlySpacedStates,
}
