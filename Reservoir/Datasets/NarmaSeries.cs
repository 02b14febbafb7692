namespace Reservoir.Datasets;

/// <summary>An input series and its aligned NARMA target, as returned by <see cref="Narma.Generate"/>.</summary>
/// <remarks>
/// <para>
/// <b>Alignment.</b> <c>Target[t] = y(t+1)</c>: the value determined by the inputs up to and including <c>Input[t]</c>.
/// A causal model that has read <c>Input[0..t]</c> predicts <c>Target[t]</c>, so both arrays are fed to a reservoir
/// without any shift.
/// </para>
/// <para>
/// The arrays are not copied: the instance was made for one caller, who owns them and may modify them.
/// </para>
/// </remarks>
public sealed class NarmaSeries
{
    /// <summary>Initializes a new instance that takes ownership of both arrays.</summary>
    internal NarmaSeries(double[] input, double[] target)
    {
        Input = input;
        Target = target;
    }

    /// <summary>Gets the input u(t): i.i.d. uniform samples, one per time step.</summary>
    public double[] Input { get; }

    /// <summary>Gets the target y(t+1), of the same length as <see cref="Input"/>; <c>Target[t]</c> depends on <c>Input[0..t]</c> only.</summary>
    public double[] Target { get; }
}
