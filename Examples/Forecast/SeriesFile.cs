using System.Globalization;
using CsvHelper;

namespace Reservoir.Examples.Forecast;

/// <summary>A numeric column of a CSV file, placed on a regular grid of dates when the file has a date column.</summary>
/// <param name="Values">The values, oldest first; NaN marks an empty cell, NA, NaN or a date missing from the grid.</param>
/// <param name="Dates">The grid's dates, one per value; null without a date column.</param>
/// <param name="Frequency">The inferred frequency of the dates; null without a date column.</param>
/// <param name="EmptyCells">The number of rows whose value is missing.</param>
/// <param name="MissingDates">The number of grid dates with no row.</param>
/// <param name="HasTime">Whether any date has a time of day (the output then writes times too).</param>
public sealed record SeriesFile(double[] Values, DateTime[]? Dates, DateFrequency? Frequency, int EmptyCells, int MissingDates, bool HasTime)
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM", "yyyy",
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Reads a numeric column (and optionally a date column) of a CSV file with a header row.</summary>
    /// <param name="path">The CSV file: comma-separated, header row, quoted fields allowed, numbers with a dot as decimal separator.</param>
    /// <param name="column">The header of the numeric column.</param>
    /// <param name="dateColumn">The header of the date column (ISO dates or date-times), or null for none.</param>
    /// <returns>The series.</returns>
    /// <exception cref="CommandLineException">The file cannot be read, a column is missing, a value is not a number, the column has no number, or the dates are not ISO, not increasing or not regular.</exception>
    public static SeriesFile Read(string path, string column, string? dateColumn)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new CommandLineException(Directory.Exists(path) ? $"{path} is a folder, not a CSV file." : $"file not found: {path}");
        }

        var values = new List<double>();
        var dates = new List<DateTime>();
        var lines = new List<long>();
        var hasTime = false;
        try
        {
            using var csv = CsvReader.FromFile(path, CsvReaderOptions.Default with { Separator = ',', TrackLineNumbers = true });
            var header = csv.Headers.ToArray();
            if (header.Length == 0 || (header.Length == 1 && header[0].Length == 0))
            {
                throw new CommandLineException($"{name} is empty; it needs a header row and one row per time step.");
            }

            var valueIndex = ColumnIndex(header, column, "--column", name);
            var dateIndex = dateColumn is null ? -1 : ColumnIndex(header, dateColumn, "--date-column", name);
            while (csv.Read())
            {
                var line = csv.LineNumber;
                lines.Add(line);
                values.Add(ParseValue(csv.GetString(valueIndex), name, line, column));
                if (dateIndex >= 0)
                {
                    var (date, time) = ParseDate(csv.GetString(dateIndex), name, line, dateColumn!);
                    dates.Add(date);
                    hasTime |= time;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvFormatException)
        {
            throw new CommandLineException($"cannot read {name}: {FirstLine(e.Message)}", e);
        }

        var emptyCells = values.Count(double.IsNaN);
        if (values.Count == emptyCells)
        {
            throw new CommandLineException(values.Count == 0
                ? $"{name} has a header but no rows; it needs one row per time step."
                : $"column '{column}' of {name} has no numbers: all {values.Count} cells are empty, NA or NaN.");
        }

        return dateColumn is null
            ? new SeriesFile([.. values], null, null, emptyCells, 0, false)
            : OnGrid(values, dates, lines, emptyCells, hasTime, name, dateColumn);
    }

    /// <summary>The first line of a message, without the parameter name that argument exceptions append.</summary>
    /// <param name="message">An exception's message.</param>
    /// <returns>One line.</returns>
    public static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].TrimEnd('\r', ' ');
        var parameter = line.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter > 0 && line.EndsWith("')", StringComparison.Ordinal) ? line[..parameter] : line;
    }

    private static SeriesFile OnGrid(List<double> values, List<DateTime> dates, List<long> lines, int emptyCells, bool hasTime, string name, string dateColumn)
    {
        if (dates.Count < 2)
        {
            throw new CommandLineException($"{name} has {dates.Count} row; a date column needs at least two rows to tell the frequency.");
        }

        for (var i = 1; i < dates.Count; i++)
        {
            if (dates[i] <= dates[i - 1])
            {
                throw new CommandLineException(
                    $"dates in column '{dateColumn}' of {name} must be increasing, but line {lines[i]} ({Format(dates[i], hasTime)}) is not after line {lines[i - 1]} ({Format(dates[i - 1], hasTime)}); sort the file by date and remove duplicate dates.");
            }
        }

        var frequency = DateFrequency.Infer(dates);
        var origin = dates[0];
        var last = frequency.StepsFrom(origin, dates[^1]) ?? -1;
        var positions = new long[dates.Count];
        for (var i = 0; i < dates.Count; i++)
        {
            positions[i] = frequency.StepsFrom(origin, dates[i]) ?? throw new CommandLineException(
                $"date {Format(dates[i], hasTime)} on line {lines[i]} of {name} is not on the {frequency.Name} grid that starts at {Format(origin, hasTime)}; give one row per {frequency.Name} step.");
        }

        if (last + 1 > 10_000_000)
        {
            throw new CommandLineException($"the {frequency.Name} dates of {name} span {last + 1} steps; that is too long a series.");
        }

        var length = (int)last + 1;
        var series = new double[length];
        Array.Fill(series, double.NaN);
        var grid = new DateTime[length];
        for (var t = 0; t < length; t++)
        {
            grid[t] = frequency.Add(origin, t);
        }

        for (var i = 0; i < positions.Length; i++)
        {
            series[positions[i]] = values[i];
        }

        return new SeriesFile(series, grid, frequency, emptyCells, length - dates.Count, hasTime);
    }

    /// <summary>A date as the output writes it: ISO date, or ISO date and time when the input had times.</summary>
    /// <param name="date">The date.</param>
    /// <param name="withTime">Whether to write the time of day.</param>
    /// <returns>The text.</returns>
    public static string Format(DateTime date, bool withTime) =>
        date.ToString(withTime ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int ColumnIndex(string[] header, string column, string option, string name)
    {
        var index = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.Ordinal));
        if (index < 0)
        {
            index = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
        }

        return index >= 0 ? index : throw new CommandLineException(
            $"{name} has no column '{column}' ({option}); its columns are: {string.Join(", ", header.Select(h => $"'{h}'"))}.");
    }

    private static double ParseValue(string? cell, string name, long row, string column)
    {
        var text = cell?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Equals("NA", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        throw new CommandLineException(
            $"line {row} of {name}: '{text}' in column '{column}' is not a number; write numbers with a dot as the decimal separator, and leave missing values empty or write NA.");
    }

    private static (DateTime Date, bool HasTime) ParseDate(string? cell, string name, long row, string column)
    {
        var text = cell?.Trim() ?? string.Empty;
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            return (date, text.Length > 10);
        }

        throw new CommandLineException(
            $"line {row} of {name}: '{text}' in column '{column}' is not an ISO date; write dates as yyyy-MM-dd or date-times as yyyy-MM-ddTHH:mm:ss.");
    }
}
