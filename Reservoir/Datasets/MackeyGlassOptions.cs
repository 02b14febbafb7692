namespace Reservoir.Datasets;

/// <summary>Parameters of the Mackey-Glass delay equation and of its numerical integration; the defaults give the classic chaotic τ = 17 series.</summary>
/// <remarks>
/// <para>
/// The equation is dy/dt = A·y(t−τ) / (1 + y(t−τ)^n) − B·y(t), with τ = <see cref="Tau"/> and n = <see cref="Exponent"/>.
/// </para>
/// <para>
/// With the defaults (Euler, δ = 0.1, keep every 10th step) one sample is one time unit, which is the protocol of
/// Jaeger (2001), "The echo state approach to analysing and training recurrent neural networks".
/// </para>
/// <para>
/// The record only holds values; <see cref="MackeyGlass.Generate"/> validates them and names the bad property.
/// </para>
/// </remarks>
public sealed record MackeyGlassOptions
{
    /// <summary>Gets the delay τ, in time units; finite and &gt; 0, default 17 (chaotic regime).</summary>
    /// <remarks>For <see cref="MackeyGlassIntegrator.Euler"/>, τ / <see cref="StepSize"/> must be an integer.</remarks>
    public double Tau { get; init; } = 17;

    /// <summary>Gets the production coefficient A of the delayed feedback term; finite and &gt;= 0, default 0.2.</summary>
    public double A { get; init; } = 0.2;

    /// <summary>Gets the decay rate B, per time unit; finite and &gt;= 0, default 0.1.</summary>
    public double B { get; init; } = 0.1;

    /// <summary>Gets the exponent n of the nonlinearity 1 + y(t−τ)^n; finite and &gt; 0, default 10.</summary>
    public double Exponent { get; init; } = 10;

    /// <summary>Gets the integration scheme; default <see cref="MackeyGlassIntegrator.Euler"/>.</summary>
    public MackeyGlassIntegrator Integrator { get; init; } = MackeyGlassIntegrator.Euler;

    /// <summary>Gets the integration step (δ for Euler, h for Runge-Kutta), in time units; finite, in (0, <see cref="Tau"/>], default 0.1.</summary>
    public double StepSize { get; init; } = 0.1;

    /// <summary>Gets how many integration steps make one output sample (every k-th step is kept); &gt;= 1, default 10.</summary>
    /// <remarks>One sample spans <see cref="StepSize"/> × <see cref="Subsample"/> time units.</remarks>
    public int Subsample { get; init; } = 10;

    /// <summary>Gets the number of samples generated first and then discarded, so that the output starts on the attractor; &gt;= 0, default 1000.</summary>
    public int TransientSamples { get; init; } = 1000;

    /// <summary>Gets the centre of the constant initial history; finite and &gt; 0, default 1.2.</summary>
    public double InitialValue { get; init; } = 1.2;

    /// <summary>Gets the half-width of the uniform jitter added to each initial history point; in [0, <see cref="InitialValue"/>), default 0.1.</summary>
    /// <remarks>Each history point is <see cref="InitialValue"/> + U[−jitter, jitter], drawn from the seed; 0 gives a constant history that ignores the seed.</remarks>
    public double HistoryJitter { get; init; } = 0.1;
}
