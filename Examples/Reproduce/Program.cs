using System.Globalization;

namespace Reservoir.Examples.Reproduce;

/// <summary>Reproduces published reservoir-computing results, one command per result.</summary>
/// <remarks>
/// <c>dotnet run -c Release --project Examples/Reproduce -- &lt;task&gt; [--json] [--seed S] [--trials K] [--small]</c>.
/// The task <c>all</c> runs every task in turn. With <c>--json</c> each task prints exactly one JSON object (one line)
/// on standard output; progress goes to standard error.
/// </remarks>
public static class Program
{
    /// <summary>Parses the command line and runs the task.</summary>
    /// <param name="args">The task name, then the options.</param>
    /// <returns>0 on success, 2 on a usage error.</returns>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        TaskSettings settings;
        bool json;
        try
        {
            (settings, json) = ParseOptions(args.AsSpan(1));
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine(error.Message);
            PrintUsage(Console.Error);
            return 2;
        }

        IEnumerable<ReproductionTask> tasks;
        if (string.Equals(args[0], "all", StringComparison.OrdinalIgnoreCase))
        {
            tasks = TaskCatalog.All;
        }
        else
        {
            try
            {
                tasks = new[] { TaskCatalog.Find(args[0]) };
            }
            catch (ArgumentException error)
            {
                Console.Error.WriteLine(error.Message);
                return 2;
            }
        }

        settings = settings with { Progress = Console.Error };
        foreach (var task in tasks)
        {
            var report = task.Run(settings);
            if (settings.Trials is not null && !report.Configuration.ContainsKey("trials"))
            {
                Console.Error.WriteLine($"note: task '{task.Name}' has no trials; --trials was ignored.");
            }

            Console.Out.Write(json ? report.ToJson() + Environment.NewLine : report.ToTable() + Environment.NewLine);
            Console.Out.Flush();
        }

        return 0;
    }

    /// <summary>Parses the options after the task name.</summary>
    /// <param name="options">The arguments after the task name.</param>
    /// <returns>The settings and whether JSON output was asked for.</returns>
    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static (TaskSettings Settings, bool Json) ParseOptions(ReadOnlySpan<string> options)
    {
        var settings = new TaskSettings();
        var json = false;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--small":
                    settings = settings with { Small = true };
                    break;
                case "--seed":
                    settings = settings with { Seed = ParseInt(options, ref i, "--seed", minimum: int.MinValue) };
                    break;
                case "--trials":
                    settings = settings with { Trials = ParseInt(options, ref i, "--trials", minimum: 1) };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{options[i]}'.", nameof(options));
            }
        }

        return (settings, json);
    }

    private static int ParseInt(ReadOnlySpan<string> options, ref int i, string name, int minimum)
    {
        if (i + 1 >= options.Length)
        {
            throw new ArgumentException($"{name} needs a value.", nameof(options));
        }

        i++;
        if (!int.TryParse(options[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw new ArgumentException($"{name} must be an integer >= {minimum}; was '{options[i]}'.", nameof(options));
        }

        return value;
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: Reproduce <task|all> [--json] [--seed S] [--trials K] [--small]");
        writer.WriteLine("tasks:");
        foreach (var task in TaskCatalog.All)
        {
            writer.WriteLine($"  {task.Name,-16} {task.Description}");
        }
    }
}
