using Reservoir.Pipelines;
using ScottPlot;

namespace Reservoir.Examples.Forecast;

/// <summary>The PNG plot of a forecast: the history, the forecast and its prediction interval.</summary>
public static class ForecastPlot
{
    /// <summary>Writes the plot.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="data">The history (missing values are left out).</param>
    /// <param name="forecast">The forecast and its bounds.</param>
    /// <param name="dates">The forecast's dates, or null when the history has no dates (steps are numbered then).</param>
    /// <param name="column">The name of the series, for the legend.</param>
    public static void Save(string path, SeriesFile data, SeriesForecast forecast, DateTime[]? dates, string column)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forecast);
        var n = data.Values.Length;
        double X(int t) => data.Dates is { } history
            ? (t < n ? history[t] : dates![t - n]).ToOADate()
            : t + 1;

        var observed = Enumerable.Range(0, n).Where(t => !double.IsNaN(data.Values[t])).ToArray();
        var futureX = Enumerable.Range(n, forecast.Horizon).Select(X).ToArray();
        using var plot = new Plot();
        var band = plot.Add.FillY(futureX, [.. forecast.Lower], [.. forecast.Upper]);
        band.FillStyle.Color = Colors.OrangeRed.WithAlpha(0.2);
        band.LineStyle.Width = 0;
        band.LegendText = $"{forecast.Level:P0} interval";
        var history = plot.Add.ScatterLine(observed.Select(X).ToArray(), observed.Select(t => data.Values[t]).ToArray());
        history.LegendText = column;
        history.Color = Colors.SteelBlue;
        var mean = plot.Add.ScatterLine(futureX, [.. forecast.Mean]);
        mean.LegendText = "forecast";
        mean.Color = Colors.OrangeRed;
        mean.LineWidth = 2;
        if (data.Dates is not null)
        {
            plot.Axes.DateTimeTicksBottom();
        }
        else
        {
            plot.XLabel("step");
        }

        plot.YLabel(column);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 500);
    }
}
