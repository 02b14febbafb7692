namespace Reservoir.Numerics;

internal sealed partial class StateColumns
{
    private SingleScratch? _single;

    /// <summary>The float scratch of a step in <see cref="Precision.Single"/>, created on first use (it holds nothing between steps).</summary>
    internal SingleScratch SingleScratch => _single ??= new SingleScratch(Owner, Stride);
}

/// <summary>
/// The float buffers of one step in <see cref="Precision.Single"/>, in the block layout of <see cref="StateColumns"/> (N rows
/// of the state's stride): the state and each delayed state rounded to float, the inputs and fed-back outputs rounded to
/// float, and the pre-activation.
/// </summary>
/// <remarks>
/// Filled by <see cref="SingleKernels.Prepare"/> on the calling thread before the units are computed, so that the two
/// halves of a split step read the same values; the halves write disjoint ranges of <see cref="PreActivation"/>.
/// </remarks>
internal sealed class SingleScratch
{
    internal SingleScratch(EchoStateReservoir owner, int stride)
    {
        var block = checked(owner.UnitCount * stride);
        Current = new float[block];
        PreActivation = new float[block];
        Carried = owner.ComputesCarry ? new float[block] : [];
        Delayed = Array.ConvertAll(owner.SkipDelays, delay => delay == 1 ? Current : new float[block]);
        Inputs = new float[checked(owner.InputDimension * stride)];
        Feedback = new float[checked(owner.FeedbackDimension * stride)];
    }

    /// <summary>x(t−1) rounded to float, N×stride.</summary>
    internal float[] Current { get; }

    /// <summary>The pre-activation, then the activation and the leaky update, N×stride.</summary>
    internal float[] PreActivation { get; }

    /// <summary>The carried state C·x(t−1) in float, N×stride; empty unless the reservoir computes a carry.</summary>
    internal float[] Carried { get; }

    /// <summary>Per skip connection, x(t−d) rounded to float (the array of <see cref="Current"/> for d = 1).</summary>
    internal float[][] Delayed { get; }

    /// <summary>u(t) rounded to float, D×stride.</summary>
    internal float[] Inputs { get; }

    /// <summary>y(t−1) rounded to float, F×stride.</summary>
    internal float[] Feedback { get; }
}
