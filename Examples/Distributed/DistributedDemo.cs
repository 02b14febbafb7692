using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Reservoir.Datasets;
using Reservoir.Distributed;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Distributed;

/// <summary>The demo's sizes.</summary>
public sealed record DemoSettings
{
    /// <summary>Silos started as child processes, ≥ 1 (≥ 2 to kill one).</summary>
    public int Silos { get; init; } = 3;

    /// <summary>Shards of Mackey–Glass written to a temporary folder.</summary>
    public int Shards { get; init; } = 6;

    /// <summary>Steps per shard.</summary>
    public int Steps { get; init; } = 4000;

    /// <summary>Reservoir units.</summary>
    public int Units { get; init; } = 200;

    /// <summary>The seed of the series and of the reservoir.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Whether a silo that is running a shard is killed once half the shards are in.</summary>
    public bool KillOneSilo { get; init; } = true;

    /// <summary>How many times the local and the distributed fit run (≥ 1); every run is timed and the last is reported, so that 2 or more times a warm process (JIT done) is measured.</summary>
    public int Repeats { get; init; } = 1;

    /// <summary>How long one attempt may take before it is re-run elsewhere.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What the demo measured.</summary>
/// <param name="MaxDifference">max |W_distributed − W_local| over the readout's weights and intercepts (NaN when the job failed).</param>
/// <param name="SiloLost">Whether a silo process was killed during the job.</param>
/// <param name="JobCompleted">Whether the distributed fit completed.</param>
/// <param name="DistributedSeconds">The distributed job's wall time in the client (describe, shards, reduce, solve; the client's connection to the cluster not included).</param>
/// <param name="LocalSeconds">The one-machine fit's wall time over the same shard files.</param>
/// <param name="FailedAttempts">Attempts re-run elsewhere.</param>
public sealed record DemoResult(double MaxDifference, bool SiloLost, bool JobCompleted, double DistributedSeconds, double LocalSeconds,
    int FailedAttempts);

/// <summary>Starts N silos as processes on loopback, fits over shards on disk on them, compares with the one-machine fit and kills a silo halfway.</summary>
public static class DistributedDemo
{
    /// <summary>The network of the demo: Mackey–Glass one step ahead, λ chosen by time-blocked 5-fold cross-validation.</summary>
    /// <param name="units">Reservoir units.</param>
    /// <param name="seed">The reservoir's seed.</param>
    /// <returns>The options.</returns>
    public static EchoStateNetworkOptions NetworkOptions(int units, int seed) => new()
    {
        Reservoir = new ReservoirOptions { UnitCount = units, SpectralRadius = 1.25, LeakRates = 0.3, Seed = seed },
        RegularizationSearch = new RidgeCvOptions { L2Grid = [1e-8, 1e-6, 1e-4, 1e-2], Method = RidgeCvMethod.TimeBlockedKFold },
        CrossValidationFolds = 5,
        WashoutSteps = 100,
    };

    /// <summary>Runs the demo and prints its lines, ending with the difference line and the fault line.</summary>
    /// <param name="settings">The sizes.</param>
    /// <param name="output">Where the lines go.</param>
    /// <returns>The figures.</returns>
    public static async Task<DemoResult> RunAsync(DemoSettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Silos, 1);
        var folder = Path.Combine(Path.GetTempPath(), "reservoir-distributed-" + Guid.NewGuid().ToString("N"));
        var children = new List<SiloProcess>();
        var siloLost = 0; // 1 once a silo was killed; progress reports may come from several threads at once
        try
        {
            Directory.CreateDirectory(folder);
            var paths = WriteShards(folder, settings);

            // The one-machine reference first, before any silo exists to compete for the cores.
            var options = NetworkOptions(settings.Units, settings.Seed);
            var watch = Stopwatch.StartNew();
            var data = paths.Select(p => ShardFiles.Read(p, ShardFormat.Binary)).ToArray();
            EchoStateNetwork local = null!;
            var localTimes = new List<double>();
            for (var run = 0; run < Math.Max(1, settings.Repeats); run++)
            {
                watch.Restart();
                local = ShardedFit.FitShards(options, [.. data.Select(d => d.Inputs)], [.. data.Select(d => d.Targets)]);
                localTimes.Add(watch.Elapsed.TotalSeconds);
            }

            var localSeconds = localTimes[^1];
            AppDomain.CurrentDomain.ProcessExit += (_, _) => children.ForEach(c => c.Kill());
            var ports = FreePorts(2 * settings.Silos);
            var siloPorts = ports[..settings.Silos];
            var gatewayPorts = ports[settings.Silos..];
            children.Add(SiloProcess.Start(siloPorts[0], gatewayPorts[0], siloPorts[0]));
            await children[0].Ready;
            for (var i = 1; i < settings.Silos; i++)
            {
                children.Add(SiloProcess.Start(siloPorts[i], gatewayPorts[i], siloPorts[0]));
            }

            await Task.WhenAll(children.Select(c => c.Ready));
            output.WriteLine($"silos: {settings.Silos} processes on loopback (ports {string.Join(", ", siloPorts)}), shards: {settings.Shards} × {settings.Steps} steps in {folder}, units: {settings.Units}");


            void OnStatus(DistributedJobStatus status)
            {
                if (!settings.KillOneSilo || settings.Silos < 2 || status.AcceptedShards < (settings.Shards + 1) / 2
                    || Interlocked.CompareExchange(ref siloLost, 1, 0) != 0)
                {
                    return;
                }

                // A non-primary silo that is running a shard right now (the primary holds the demo's membership table).
                var victim = children.Skip(1).FirstOrDefault(c => status.Shards.Any(s => s.State == ShardState.Running && c.Hosts(s.Silo)))
                    ?? children[^1];
                victim.Kill();
                output.WriteLine($"killed the silo on port {victim.SiloPort} with {status.AcceptedShards} of {settings.Shards} shards in");
            }

            DistributedFitResult result = null!;
            var distributedTimes = new List<double>();
            watch.Restart();
            try
            {
                for (var run = 0; run < Math.Max(1, settings.Repeats); run++)
                {
                    result = await FitOnClusterAsync(gatewayPorts, paths, options, output, OnStatus, CancellationToken.None, settings.AttemptTimeout);
                    distributedTimes.Add(result.Status.ElapsedSeconds);
                }
            }
            catch (Exception e) when (e is ShardFailedException or OrleansException or TimeoutException)
            {
                output.WriteLine($"job failed: {e.Message}");
                output.WriteLine("max |W_distributed − W_local|: NaN");
                output.WriteLine($"silo lost: {(Volatile.Read(ref siloLost) == 1 ? "yes" : "no")}, job completed: no");
                return new DemoResult(double.NaN, Volatile.Read(ref siloLost) == 1, false, watch.Elapsed.TotalSeconds, localSeconds, 0);
            }

            // The job's own time (describe, shards, reduce, solve), without the client's connection to the cluster.
            var distributedSeconds = distributedTimes[^1];
            if (distributedTimes.Count > 1)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"runs: local fit {string.Join(", ", localTimes.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} s; distributed fit {string.Join(", ", distributedTimes.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))} s"));
            }

            var difference = MaxDifference(result.Network.Readout, local.Readout);
            var status = result.Status;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"local fit: {localSeconds:F2} s, distributed fit: {distributedSeconds:F2} s ({status.AcceptedShards} shards accepted on {status.Shards.Select(s => s.Silo).Distinct().Count()} silos, workers' own time Σ {status.Shards.Sum(s => s.Seconds):F2} s, {status.ReducedRowCount} rows, {status.FailedAttempts} failed attempts re-run, {status.DuplicatesDiscarded} duplicates discarded, λ = {result.Network.L2Regularization:E0})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |W_distributed − W_local|: {difference:G17}"));
            output.WriteLine($"silo lost: {(Volatile.Read(ref siloLost) == 1 ? "yes" : "no")}, job completed: yes");
            return new DemoResult(difference, Volatile.Read(ref siloLost) == 1, true, distributedSeconds, localSeconds, status.FailedAttempts);
        }
        finally
        {
            foreach (var child in children)
            {
                child.Dispose();
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    /// <summary>Connects a client to the silos' gateways and runs a distributed fit over binary shard files.</summary>
    /// <param name="gatewayPorts">The silos' gateway ports on loopback.</param>
    /// <param name="shardPaths">The shard files, in shard order.</param>
    /// <param name="options">The network.</param>
    /// <param name="output">Where problems are reported.</param>
    /// <param name="onStatus">Told every status change (synchronously); null for none.</param>
    /// <param name="cancellationToken">Stops the job.</param>
    /// <param name="attemptTimeout">How long one attempt may take; null for 30 s.</param>
    /// <returns>The fit and its status.</returns>
    public static async Task<DistributedFitResult> FitOnClusterAsync(int[] gatewayPorts, IReadOnlyList<string> shardPaths, EchoStateNetworkOptions options,
        TextWriter output, Action<DistributedJobStatus>? onStatus, CancellationToken cancellationToken, TimeSpan? attemptTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.UseLocalhostClustering(gatewayPorts, SiloHost.ClusterId, SiloHost.ClusterId);
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
            })
            .Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var trainer = new DistributedTrainer(host.Services.GetRequiredService<IClusterClient>());
            return await trainer.FitAsync(new DistributedFitOptions
            {
                Network = options,
                AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30),
            }, [.. shardPaths.Select(ShardReference.BinaryFile)], onStatus is null ? null : new Reporter(onStatus), cancellationToken);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await host.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                output.WriteLine("the client did not stop within 5 s");
            }
        }
    }

    /// <summary>Writes Mackey–Glass (τ = 17) as consecutive binary shards shard-000.bin, …, input x(t), target x(t + 1).</summary>
    /// <param name="folder">An existing folder.</param>
    /// <param name="settings">The number of shards, their length and the seed.</param>
    /// <returns>The files, in shard order.</returns>
    public static string[] WriteShards(string folder, DemoSettings settings)
    {
        var series = MackeyGlass.Generate(settings.Shards * settings.Steps + 1, settings.Seed);
        var paths = new string[settings.Shards];
        for (var s = 0; s < settings.Shards; s++)
        {
            var inputs = new double[settings.Steps, 1];
            var targets = new double[settings.Steps, 1];
            for (var t = 0; t < settings.Steps; t++)
            {
                inputs[t, 0] = series[s * settings.Steps + t];
                targets[t, 0] = series[s * settings.Steps + t + 1];
            }

            paths[s] = Path.Combine(folder, $"shard-{s:D3}.bin");
            ShardFiles.WriteBinary(paths[s], inputs, targets);
        }

        return paths;
    }

    private static double MaxDifference(RidgeSolution a, RidgeSolution b)
    {
        var max = 0.0;
        var wa = a.GetWeights();
        var wb = b.GetWeights();
        for (var i = 0; i < wa.GetLength(0); i++)
        {
            for (var j = 0; j < wa.GetLength(1); j++)
            {
                max = Math.Max(max, Math.Abs(wa[i, j] - wb[i, j]));
            }
        }

        var ia = a.GetIntercept();
        var ib = b.GetIntercept();
        for (var i = 0; i < ia.Length; i++)
        {
            max = Math.Max(max, Math.Abs(ia[i] - ib[i]));
        }

        return max;
    }

    /// <summary>Free TCP ports on loopback (held together while they are picked, so that they differ).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private sealed class Reporter(Action<DistributedJobStatus> report) : IProgress<DistributedJobStatus>
    {
        public void Report(DistributedJobStatus value) => report(value);
    }

    /// <summary>A silo running as a child process of this program (this program's own executable with --silo).</summary>
    private sealed class SiloProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _log = new();

        private SiloProcess(Process process, int siloPort)
        {
            _process = process;
            SiloPort = siloPort;
        }

        public int SiloPort { get; }

        /// <summary>Completes when the silo accepts work; fails if it exits first or takes over a minute.</summary>
        public Task Ready => _ready.Task.WaitAsync(TimeSpan.FromMinutes(1));

        public static SiloProcess Start(int siloPort, int gatewayPort, int primaryPort)
        {
            var (fileName, prefix) = OwnExecutable();
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in prefix.Concat(["--silo", "--silo-port", Text(siloPort), "--gateway-port", Text(gatewayPort), "--primary-port", Text(primaryPort)]))
            {
                start.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var silo = new SiloProcess(process, siloPort);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.StartsWith(SiloHost.ReadyLine, StringComparison.Ordinal))
                {
                    silo._ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (silo._log)
                {
                    silo._log.AppendLine(e.Data);
                }
            };
            process.Exited += (_, _) =>
            {
                lock (silo._log)
                {
                    silo._ready.TrySetException(new InvalidOperationException($"The silo on port {siloPort} exited before it was ready: {silo._log}"));
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return silo;
        }

        /// <summary>Whether a silo address (as Orleans prints it, "S127.0.0.1:port:generation") is this silo's.</summary>
        public bool Hosts(string siloAddress) => siloAddress.Contains($":{SiloPort}:", StringComparison.Ordinal);

        public void Kill()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Not started, already reaped, or disposed: nothing left to end.
            }
        }

        public void Dispose()
        {
            Kill();
            try
            {
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }

            _process.Dispose();
        }

        /// <summary>This program's executable, or the dotnet host and this program's assembly when it runs inside another host (dotnet, a test runner).</summary>
        private static (string FileName, string[] Prefix) OwnExecutable()
        {
            var assembly = typeof(DistributedDemo).Assembly.Location;
            var current = Environment.ProcessPath;
            if (current is not null && Path.GetFileNameWithoutExtension(current) == Path.GetFileNameWithoutExtension(assembly))
            {
                return (current, []);
            }

            var dotnet = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet"
                ? current
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            return (dotnet, [assembly]);
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
