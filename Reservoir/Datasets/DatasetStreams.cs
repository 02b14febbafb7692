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

    /// <summary>Perturbation of the Rössler initial condition.</summary>
    internal const int RosslerInitialCondition = 5;

    /// <summary>Perturbation of the Lorenz-96 initial condition.</summary>
    internal const int Lorenz96InitialCondition = 6;

    /// <summary>The initial point of the Hénon map.</summary>
    internal const int HenonInitialCondition = 7;

    /// <summary>The initial value of the logistic map.</summary>
    internal const int LogisticInitialCondition = 8;

    /// <summary>The Fourier coefficients of the Kuramoto–Sivashinsky initial condition.</summary>
    internal const int KuramotoSivashinskyInitialCondition = 9;
}
