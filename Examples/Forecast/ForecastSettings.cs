namespace Reservoir.Examples.Forecast;

/// <summary>What the command line asked for.</summary>
/// <param name="File">The CSV file.</param>
/// <param name="Column">The header of the numeric column to forecast.</param>
/// <param name="DateColumn">The header of the date column, or null for none.</param>
/// <param name="Horizon">H, the number of steps to forecast, ≥ 1.</param>
/// <param name="Output">The forecast CSV to write, or null for standard output.</param>
/// <param name="Plot">The PNG plot to write, or null for none.</param>
/// <param name="BacktestOrigins">The number of backtest origins, ≥ 1, or null for no backtest.</param>
/// <param name="Level">The coverage of the prediction interval, in (0, 1).</param>
/// <param name="Season">The seasonal period in steps, or null to infer it from the dates or detect it.</param>
/// <param name="Strict">Whether to refuse empty cells and missing dates instead of interpolating them.</param>
public sealed record ForecastSettings(string File, string Column, string? DateColumn, int Horizon, string? Output, string? Plot,
    int? BacktestOrigins, double Level, int? Season, bool Strict);
