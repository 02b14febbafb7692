namespace Reservoir.Datasets;

/// <summary>Sub-stream indices of <see cref="SeedStreams.Dataset"/>, one per generator, so that no two generators share random numbers.</summary>
internal static class DatasetStreams
{
    /// <summary>Jitter of the Mackey-Glass initial history.</summary>
    internal const int MackeyGlassHistory = 1;

    /// <summary>The i.i.d. input of the NARMA task.</summary>
    internal const int NarmaInput = 2;

    /// <summary>Perturbation of the Lorenz-63 initial condition.</summary>
    internal const int LorenzInitialCondition = 3;

    /// <summary>The i.i.d. input of the memory-capacity task.</summary>
    internal const int MemoryCapacityInput = 4;
}
