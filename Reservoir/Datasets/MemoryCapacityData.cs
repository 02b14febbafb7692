namespace Reservoir.Datasets;

/// <summary>An i.i.d. input series and its delayed copies, as returned by <see cref="MemoryCapacityTask.Generate"/>.</summary>
/// <remarks>
/// <para>
/// <c>Targets[t, k − 1] = Input[t − k]</c> for delays k = 1 … <see cref="MaxDelay"/>, and 0 where t − k &lt; 0.
/// Discard a washout of at least <see cref="MaxDelay"/> steps before fitting or scoring, so that no zero padding enters.
/// </para>
/// <para>The arrays are not copied: the instance was made for one caller, who owns them and may modify them.</para>
/// </remarks>
public sealed class MemoryCapacityData
{
    /// <summary>Initializes a new instance that takes ownership of both arrays.</summary>
    internal MemoryCapacityData(double[] input, double[,] targets, int maxDelay)
    {
        Input = input;
        Targets = targets;
        MaxDelay = maxDelay;
    }

    /// <summary>Gets the input u(t): i.i.d. uniform samples, one per time step.</summary>
    public double[] Input { get; }

    /// <summary>Gets the delayed inputs, a length×<see cref="MaxDelay"/> array with <c>Targets[t, k − 1] = u(t − k)</c> (0 before the series starts).</summary>
    public double[,] Targets { get; }

    /// <summary>Gets the largest delay k, which is also the number of target columns; &gt;= 1.</summary>
    public int MaxDelay { get; }
}
