namespace Reservoir.Pipelines;

/// <summary>One stage of a <see cref="HierarchicalNetwork"/>: a network (one reservoir or a composition) with its readout, trained on its own targets.</summary>
public sealed record HierarchicalStageOptions
{
    /// <summary>The stage's network; its input dimension (of Reservoir or Composition) is derived from what the stage reads: leave it at 1 or set the width.</summary>
    public required EchoStateNetworkOptions Network { get; init; }

    /// <summary>Whether a stage after the first reads the external input u(t) beside the previous stage's output; default false. The first stage always reads u(t) alone.</summary>
    public bool ReadsInput { get; init; }
}
