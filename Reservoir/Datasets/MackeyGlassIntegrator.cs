namespace Reservoir.Datasets;

/// <summary>The numerical scheme that <see cref="MackeyGlass.Generate"/> uses to integrate the delay equation.</summary>
public enum MackeyGlassIntegrator
{
    /// <summary>Explicit Euler with step δ, reading the delayed value straight from the history; τ/δ must be an integer (Jaeger 2001).</summary>
    Euler,

    /// <summary>Classic fourth-order Runge-Kutta with step h, reading delayed values at half steps by linear interpolation of the history.</summary>
    RungeKutta4,
}
