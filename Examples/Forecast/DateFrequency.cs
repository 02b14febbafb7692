using System.Globalization;

namespace Reservoir.Examples.Forecast;

/// <summary>The spacing of a regular series of dates and the seasonal period that goes with it.</summary>
/// <param name="Name">The frequency's name: half-hourly, hourly, daily, weekly, monthly, quarterly or yearly.</param>
/// <param name="SeasonalPeriod">The usual season in steps: 48, 24, 7, 52, 12, 4 or 1.</param>
/// <param name="Months">The step in calendar months (monthly 1, quarterly 3, yearly 12), or 0 for a fixed step.</param>
/// <param name="FixedStep">The step of a fixed-step frequency (half-hourly to weekly); zero for a calendar frequency.</param>
public sealed record DateFrequency(string Name, int SeasonalPeriod, int Months, TimeSpan FixedStep)
{
    /// <summary>Every frequency that can be inferred, shortest first.</summary>
    public static IReadOnlyList<DateFrequency> All { get; } =
    [
        new("half-hourly", 48, 0, TimeSpan.FromMinutes(30)),
        new("hourly", 24, 0, TimeSpan.FromHours(1)),
        new("daily", 7, 0, TimeSpan.FromDays(1)),
        new("weekly", 52, 0, TimeSpan.FromDays(7)),
        new("monthly", 12, 1, TimeSpan.Zero),
        new("quarterly", 4, 3, TimeSpan.Zero),
        new("yearly", 1, 12, TimeSpan.Zero),
    ];

    /// <summary>The frequency whose step matches the median spacing of increasing dates.</summary>
    /// <param name="dates">At least two dates, strictly increasing.</param>
    /// <returns>The frequency.</returns>
    /// <exception cref="CommandLineException">The median spacing matches no supported frequency.</exception>
    public static DateFrequency Infer(IReadOnlyList<DateTime> dates)
    {
        var spacings = new double[dates.Count - 1];
        for (var i = 1; i < dates.Count; i++)
        {
            spacings[i - 1] = (dates[i] - dates[i - 1]).TotalDays;
        }

        Array.Sort(spacings);
        var middle = spacings.Length / 2;
        var median = spacings.Length % 2 == 1 ? spacings[middle] : (spacings[middle - 1] + spacings[middle]) / 2;
        var frequency = median switch
        {
            _ when Near(median, 1.0 / 48) => All[0],
            _ when Near(median, 1.0 / 24) => All[1],
            _ when Near(median, 1) => All[2],
            _ when Near(median, 7) => All[3],
            >= 28 and <= 31 => All[4],
            >= 89 and <= 92 => All[5],
            >= 365 and <= 366 => All[6],
            _ => null,
        };
        return frequency ?? throw new CommandLineException(string.Create(CultureInfo.InvariantCulture,
            $"cannot infer the frequency of the dates: their median spacing is {median:0.####} days, and only half-hourly, hourly, daily, weekly, monthly, quarterly and yearly dates are supported; give a regular date column, or leave out --date-column."));

        static bool Near(double value, double target) => Math.Abs(value - target) <= 0.01 * target;
    }

    /// <summary>The position of a date on the grid that starts at <paramref name="origin"/>, or null if it falls between two grid dates.</summary>
    /// <param name="origin">The first date of the series.</param>
    /// <param name="date">A later date.</param>
    /// <returns>The number of steps from the origin, or null.</returns>
    public long? StepsFrom(DateTime origin, DateTime date)
    {
        if (Months > 0)
        {
            var months = (date.Year - origin.Year) * 12 + date.Month - origin.Month;
            return months % Months == 0 && SameDayOfMonth(origin, date) && date.TimeOfDay == origin.TimeOfDay ? months / Months : null;
        }

        var ticks = (date - origin).Ticks;
        return ticks % FixedStep.Ticks == 0 ? ticks / FixedStep.Ticks : null;
    }

    /// <summary>The date <paramref name="steps"/> steps after <paramref name="origin"/>; month-end dates stay at month ends.</summary>
    /// <param name="origin">A date on the grid.</param>
    /// <param name="steps">The number of steps, ≥ 0.</param>
    /// <returns>The date.</returns>
    public DateTime Add(DateTime origin, long steps)
    {
        if (Months == 0)
        {
            return origin + FixedStep * steps;
        }

        var date = origin.AddMonths(checked((int)(Months * steps)));
        return IsMonthEnd(origin) ? date.AddDays(DateTime.DaysInMonth(date.Year, date.Month) - date.Day) : date;
    }

    private static bool SameDayOfMonth(DateTime origin, DateTime date) =>
        date.Day == origin.Day || (IsMonthEnd(origin) && IsMonthEnd(date)) || (origin.Day > date.Day && IsMonthEnd(date));

    private static bool IsMonthEnd(DateTime date) => date.Day == DateTime.DaysInMonth(date.Year, date.Month);
}
