using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Reservoir.Examples.Forecast;

/// <summary>reservoir-forecast: forecasts a column of a CSV file with <c>SeriesForecaster</c> and writes the forecast with its prediction interval.</summary>
/// <example><c>reservoir-forecast Examples/Forecast/monthly-sales.csv --column sales --date-column date --horizon 12 --plot sales.png</c></example>
public static class Program
{
    /// <summary>The exit code of a run that forecast.</summary>
    public const int Success = 0;

    /// <summary>The exit code when the input file or the forecast failed.</summary>
    public const int InputError = 1;

    /// <summary>The exit code when the command line is wrong.</summary>
    public const int UsageError = 2;

    /// <summary>The name of the installed command.</summary>
    public const string ToolName = "reservoir-forecast";

    /// <summary>Runs the tool on the process's console.</summary>
    /// <param name="args">The command line (see <c>--help</c>).</param>
    /// <returns>0 on success, 1 for bad input, 2 for a bad command line.</returns>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the tool with the given writers, in-process.</summary>
    /// <param name="args">The command line (see <c>--help</c>).</param>
    /// <param name="stdout">Receives the forecast CSV (unless <c>--output</c> is given) and the help.</param>
    /// <param name="stderr">Receives the progress, the chosen configuration, the backtest table and errors (one line each).</param>
    /// <returns>0 on success, 1 for bad input, 2 for a bad command line.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ForecastSettings? settings = null;
        var command = BuildCommand(s => settings = s);
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {SeriesFile.FirstLine(parsed.Errors[0].Message)} (see {ToolName} --help)");
            return UsageError;
        }

        var code = parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        if (settings is null)
        {
            return code; // --help or --version
        }

        try
        {
            ForecastRunner.Execute(settings, stdout, stderr);
            return Success;
        }
        catch (CommandLineException e)
        {
            stderr.WriteLine($"error: {SeriesFile.FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            stderr.WriteLine($"error: cannot forecast column '{settings.Column}': {SeriesFile.FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot write: {SeriesFile.FirstLine(e.Message)}");
        }

        return InputError;
    }

    /// <summary>The command line: one file argument and the options; the action hands the parsed settings on.</summary>
    private static Command BuildCommand(Action<ForecastSettings> onParsed)
    {
        var file = new Argument<string>("file.csv") { Description = "The CSV file: header row, comma-separated, numbers with a dot." };
        var column = new Option<string>("--column", "-c") { Description = "The header of the column to forecast.", Required = true };
        var dateColumn = new Option<string?>("--date-column", "-d")
        {
            Description = "The header of the date column (ISO dates or date-times, increasing); gives the frequency, the season and the output dates.",
        };
        var horizon = new Option<int>("--horizon", "-H") { Description = "The number of steps to forecast, >= 1.", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "The forecast CSV to write (default: standard output)." };
        var plot = new Option<string?>("--plot", "-p") { Description = "A PNG plot of the history, the forecast and its interval." };
        var backtest = new Option<int?>("--backtest", "-b")
        {
            Description = "Also backtest from this many rolling origins, H steps apart at the end of the series, against seasonal naive.",
        };
        var level = new Option<double>("--level", "-l")
        {
            Description = "The coverage of the prediction interval, in (0, 1).",
            DefaultValueFactory = _ => 0.95,
        };
        var season = new Option<int?>("--season", "-m")
        {
            Description = "The seasonal period in steps, >= 1 (1: none); default from the date frequency, else detected.",
        };
        var strict = new Option<bool>("--strict") { Description = "Refuse empty cells and missing dates instead of interpolating them." };

        AtLeast(horizon, 1);
        AtLeast(season, 1);
        AtLeast(backtest, 1);
        level.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && double.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var value) && !(value is > 0 and < 1))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--level must be in (0, 1), e.g. 0.9; was {value}."));
            }
        });

        var command = new Command(ToolName,
            "Forecasts a column of a CSV file with Reservoir's SeriesForecaster: the forecast, its prediction interval and the chosen configuration.")
        {
            file, column, dateColumn, horizon, output, plot, backtest, level, season, strict, new HelpOption(), new VersionOption(),
        };
        command.SetAction(result => onParsed(new ForecastSettings(
            result.GetRequiredValue(file), result.GetRequiredValue(column), result.GetValue(dateColumn), result.GetValue(horizon),
            result.GetValue(output), result.GetValue(plot), result.GetValue(backtest), result.GetValue(level), result.GetValue(season),
            result.GetValue(strict))));
        return command;
    }

    private static void AtLeast<T>(Option<T> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var value) && value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}; was {value}.");
            }
        });
    }
}
