namespace Reservoir.Pipelines;

/// <summary>How a series forecaster turns the echo state network into an H-step forecast.</summary>
public enum SeriesForecastMethod
{
    /// <summary>One readout predicts the next H values at once from the state after the last observation.</summary>
    Direct,

    /// <summary>A one-step readout whose output is fed back as the next input H times.</summary>
    ClosedLoop,
}
