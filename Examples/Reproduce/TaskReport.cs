using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reservoir.Examples.Reproduce;

/// <summary>What a task measured: its configuration, seed, metrics and phase timings, printable as a table or as one JSON object.</summary>
public sealed class TaskReport
{
    // Plain text in strings ("+", "<", "'"): the report is printed, never embedded in HTML.
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, Stopwatch> _running = new(StringComparer.Ordinal);

    /// <summary>Starts an empty report for a task.</summary>
    /// <param name="task">The task's command-line name.</param>
    /// <param name="seed">The seed it ran with.</param>
    public TaskReport(string task, int seed)
    {
        Task = task;
        Seed = seed;
    }

    /// <summary>The task's command-line name.</summary>
    public string Task { get; }

    /// <summary>The seed the task ran with.</summary>
    public int Seed { get; }

    /// <summary>The full configuration (sizes, hyper-parameters, protocol choices), in insertion order.</summary>
    public JsonObject Configuration { get; } = new();

    /// <summary>Every metric, in insertion order; the key names are read by other tools.</summary>
    public JsonObject Metrics { get; } = new();

    /// <summary>Seconds per phase (e.g. <c>generate</c>, <c>fit</c>, <c>predict</c>), in insertion order.</summary>
    public JsonObject Timings { get; } = new();

    /// <summary>Free-text remarks printed under the table (not in the JSON metrics).</summary>
    public List<string> Notes { get; } = new();

    /// <summary>Records a configuration value.</summary>
    /// <param name="key">The key (snake_case).</param>
    /// <param name="value">The value: a number, string, bool, array or object.</param>
    /// <returns>This report.</returns>
    public TaskReport Configure(string key, JsonNode? value)
    {
        Configuration[key] = value;
        return this;
    }

    /// <summary>Records a metric.</summary>
    /// <param name="key">The key (snake_case; the names in docs/REPRODUCTION.md).</param>
    /// <param name="value">The value: a number, or an object of numbers.</param>
    /// <returns>This report.</returns>
    public TaskReport Metric(string key, JsonNode? value)
    {
        Metrics[key] = value;
        return this;
    }

    /// <summary>Times one phase; dispose the result to stop the clock. Repeated phases add up.</summary>
    /// <param name="phase">The phase name (snake_case).</param>
    /// <returns>A handle that stops the clock when disposed.</returns>
    public IDisposable Time(string phase)
    {
        if (!_running.TryGetValue(phase, out var stopwatch))
        {
            stopwatch = new Stopwatch();
            _running[phase] = stopwatch;
        }

        stopwatch.Start();
        return new PhaseClock(this, phase, stopwatch);
    }

    /// <summary>The report as one JSON object: task, configuration, seed, metrics, timings (seconds).</summary>
    /// <returns>The JSON text on one line.</returns>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["task"] = Task,
            ["seed"] = Seed,
            ["configuration"] = Configuration.DeepClone(),
            ["metrics"] = Metrics.DeepClone(),
            ["timings_seconds"] = Timings.DeepClone(),
        };
        return root.ToJsonString(JsonOptions);
    }

    /// <summary>The report as a readable table.</summary>
    /// <returns>The text, ending with a newline.</returns>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"task: {Task} (seed {Seed})");
        AppendSection(text, "configuration", Configuration);
        AppendSection(text, "metrics", Metrics);
        AppendSection(text, "timings (s)", Timings);
        foreach (var note in Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note: {note}");
        }

        return text.ToString();
    }

    private static void AppendSection(StringBuilder text, string title, JsonObject values)
    {
        if (values.Count == 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {title}:");
        var width = values.Max(pair => pair.Key.Length);
        foreach (var (key, value) in values)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {key.PadRight(width)}  {Format(value)}");
        }
    }

    private static string Format(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out double d) => FormatNumber(d),
        JsonObject o => "{ " + string.Join(", ", o.Select(p => $"{p.Key}: {Format(p.Value)}")) + " }",
        JsonArray a => "[" + string.Join(", ", a.Select(Format)) + "]",
        _ => value.ToJsonString(),
    };

    private static string FormatNumber(double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 1e9)
        {
            return value.ToString("F0", CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        return magnitude is >= 1e-2 and < 1e4
            ? value.ToString("G4", CultureInfo.InvariantCulture)
            : value.ToString("E3", CultureInfo.InvariantCulture);
    }

    private sealed class PhaseClock(TaskReport report, string phase, Stopwatch stopwatch) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            stopwatch.Stop();
            report.Timings[phase] = Math.Round(stopwatch.Elapsed.TotalSeconds, 4);
        }
    }
}
