using System.Globalization;

namespace Reservoir.Examples.Distributed;

/// <summary>Scale-out on Orleans: start silos, run a fit against them, or run the whole demo on this machine.</summary>
/// <remarks>
/// <code>
/// --demo N  [--shards S] [--steps T] [--units U] [--seed X] [--no-kill] [--repeats R]
///           N silos as child processes on loopback, a fit over S shards of T steps, compared with the one-machine fit;
///           one silo is killed halfway through the first run unless --no-kill (needs N ≥ 2); R runs of each fit, the last reported
/// --silo    --silo-port P --gateway-port G [--primary-port P0]            one silo (localhost clustering; P0 = P for the primary)
/// --client  --gateway-ports G1,G2,… --shards-dir DIR [--make-shards [--shards S] [--steps T]] [--units U] [--seed X]
///           a fit over the *.bin shards of DIR on running silos (--make-shards first writes S Mackey–Glass shards of T steps there)
/// </code>
/// </remarks>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen mode.</summary>
    /// <param name="args">The arguments (see the remarks).</param>
    /// <returns>0 on success, 1 on a failed run, 2 on a bad command line.</returns>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var options = Arguments.Parse(args);
            if (options.Has("silo"))
            {
                await SiloHost.RunAsync(options.Int("silo-port", 11111), options.Int("gateway-port", 30000),
                    options.Int("primary-port", options.Int("silo-port", 11111)), CancellationToken.None);
                return 0;
            }

            if (options.Has("client"))
            {
                var ports = options.Text("gateway-ports", "30000").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                var folder = options.Text("shards-dir", "");
                if (options.Has("make-shards"))
                {
                    Directory.CreateDirectory(folder);
                    DistributedDemo.WriteShards(folder, new DemoSettings
                    {
                        Shards = options.Int("shards", 6),
                        Steps = options.Int("steps", 4000),
                        Seed = options.Int("seed", 42),
                    });
                }

                var shards = Directory.GetFiles(folder, "*.bin").Order(StringComparer.Ordinal).ToArray();
                if (shards.Length == 0)
                {
                    throw new ArgumentException($"--shards-dir {folder} holds no *.bin shard; write some with ShardFiles.WriteBinary, or add --make-shards.", nameof(args));
                }

                var result = await DistributedDemo.FitOnClusterAsync(ports, shards, DistributedDemo.NetworkOptions(options.Int("units", 200),
                    options.Int("seed", 42)), Console.Out, onStatus: null, CancellationToken.None);
                Console.WriteLine($"fitted {result.Status.AcceptedShards} shards, {result.Status.ReducedRowCount} rows, in {result.Status.ElapsedSeconds:F2} s");
                return 0;
            }

            var demo = await DistributedDemo.RunAsync(new DemoSettings
            {
                Silos = options.Int("demo", 3),
                Shards = options.Int("shards", 6),
                Steps = options.Int("steps", 4000),
                Units = options.Int("units", 200),
                Seed = options.Int("seed", 42),
                KillOneSilo = !options.Has("no-kill"),
                Repeats = options.Int("repeats", 1),
            }, Console.Out);
            return demo.JobCompleted ? 0 : 1;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}

/// <summary>A minimal "--name value" / "--flag" command line.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    internal static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument \"{args[i]}\"; options start with --.", nameof(args));
            }

            var name = args[i][2..];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            parsed._values[name] = value;
        }

        return parsed;
    }

    internal bool Has(string name) => _values.ContainsKey(name);

    internal string Text(string name, string fallback) => _values.TryGetValue(name, out var v) && v is not null ? v : fallback;

    internal int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) && v is not null
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} must be an integer; was \"{v}\".", nameof(name))
            : fallback;
}
