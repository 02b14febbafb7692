namespace Reservoir.Pipelines.MLNet;

/// <summary>How <see cref="EsnForecastingEstimator"/> turns the echo state network into an H-step forecast.</summary>
public enum EsnForecastMethod
{
    /// <summary>
    /// One readout predicts y(t+1), …, y(t+H) at once from the state after reading row t (direct multi-horizon
    /// forecasting). Exogenous columns are inputs of the reservoir; their future values are never needed, so they are
    /// neither forecast nor held. No error feeds back through the loop, and each row costs one readout.
    /// </summary>
    Direct,

    /// <summary>
    /// A one-step readout whose output is fed back as the next input H times (recursive forecasting, as ReservoirPy's
    /// generation and ML.NET's SSA do). Univariate only: exogenous columns would need their own future values.
    /// </summary>
    ClosedLoop,
}
