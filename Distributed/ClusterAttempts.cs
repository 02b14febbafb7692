using System.Diagnostics;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Reservoir.Distributed;

/// <summary>Runs work items on the cluster with bounded retries: each attempt is a new grain placed on a chosen live silo.</summary>
/// <remarks>
/// <para>
/// Placement is Orleans' own: the coordinator only hints the silo (<see cref="IPlacementDirector.PlacementHintKey"/> in the
/// request context), choosing among the silos that the cluster's membership lists as active the one with the fewest items of
/// this job in flight, and never a silo on which the item already failed while another is left. Transport, membership and
/// failure detection are Orleans'.
/// </para>
/// <para>
/// An attempt fails when its call throws (the grain's error, or Orleans reporting the silo gone), when the membership stops
/// listing its silo as active (checked every second: Orleans' failure detector declared the silo dead), or when it runs
/// longer than the timeout; it is then re-run on another silo, up to the attempt limit, after which the item fails the job. An attempt
/// given up is not cancelled: <c>onAbandoned</c> gets its task, so that a result arriving late can be offered
/// to the job's ledger (and dropped as a duplicate). Thread-safe.
/// </para>
/// </remarks>
internal sealed class ClusterAttempts(IGrainFactory grains, int maxAttempts, TimeSpan attemptTimeout)
{
    private readonly Dictionary<SiloAddress, int> _inFlight = [];

    /// <summary>How often a running attempt checks that its silo is still in the cluster.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    private readonly object _hostsGate = new();
    private (Task<SiloAddress[]> Hosts, long Stamp)? _hosts;

    /// <summary>The silos the membership lists as active, in a fixed order (asked at most once per <see cref="WatchInterval"/>).</summary>
    internal Task<SiloAddress[]> ActiveSilosAsync()
    {
        lock (_hostsGate)
        {
            if (_hosts is not { } cached || cached.Hosts.IsFaulted || Stopwatch.GetElapsedTime(cached.Stamp) >= WatchInterval)
            {
                _hosts = cached = (QueryHostsAsync(), Stopwatch.GetTimestamp());
            }

            return cached.Hosts;
        }
    }

    private async Task<SiloAddress[]> QueryHostsAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return [.. hosts.Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>Awaits an attempt; fails it when it runs past the timeout or when the membership no longer lists its silo as active (Orleans declared it dead).</summary>
    private async Task<T> WatchAsync<T>(Task<T> task, SiloAddress silo, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var remaining = attemptTimeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The attempt on silo {silo} took longer than {attemptTimeout.TotalSeconds:0.###} s and was given up.");
            }

            var finished = await Task.WhenAny(task, Task.Delay(remaining < WatchInterval ? remaining : WatchInterval, cancellationToken));
            if (finished == task)
            {
                return await task;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!(await ActiveSilosAsync()).Contains(silo))
            {
                throw new SiloUnavailableException($"Silo {silo} left the cluster while it ran the attempt.");
            }
        }
    }

    /// <summary>Runs one item; <paramref name="attempt"/> starts attempt a (from 0) and must make its grain call before its first await.</summary>
    internal async Task<T> RunAsync<T>(string name, int preference, Func<int, Task<T>> attempt, Action<int, string> started,
        Action<int, Exception> failed, Action<Task<T>>? abandoned, CancellationToken cancellationToken)
    {
        var failedOn = new HashSet<SiloAddress>();
        Exception? last = null;
        for (var a = 0; a < maxAttempts; a++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SiloAddress silo;
            try
            {
                silo = Choose(await ActiveSilosAsync(), failedOn, preference + a);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The membership could not be read (the client lost its gateway): a failed attempt like any other.
                last = e;
                failed(a, e);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (a + 1)), cancellationToken);
                continue;
            }

            try
            {
                started(a, silo.ToString());
                Task<T> task;
                RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
                try
                {
                    task = attempt(a);
                }
                finally
                {
                    RequestContext.Remove(IPlacementDirector.PlacementHintKey);
                }

                try
                {
                    return await WatchAsync(task, silo, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    if (!task.IsCompleted)
                    {
                        abandoned?.Invoke(task);
                    }

                    last = e;
                    failedOn.Add(silo);
                    failed(a, e);
                }
            }
            finally
            {
                lock (_inFlight)
                {
                    _inFlight[silo]--;
                }
            }

            if (a + 1 < maxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (a + 1)), cancellationToken);
            }
        }

        throw new ShardFailedException(name, maxAttempts, last!, status: null);
    }

    /// <summary>The active silo with the fewest items in flight, not one that failed this item unless no other is left; ties go round robin from <paramref name="preference"/>.</summary>
    private SiloAddress Choose(SiloAddress[] active, HashSet<SiloAddress> failedOn, int preference)
    {
        if (active.Length == 0)
        {
            throw new InvalidOperationException("The cluster lists no active silo.");
        }

        var usable = active.Where(s => !failedOn.Contains(s)).ToArray();
        if (usable.Length == 0)
        {
            usable = active;
        }

        lock (_inFlight)
        {
            SiloAddress? best = null;
            var fewest = int.MaxValue;
            for (var j = 0; j < usable.Length; j++)
            {
                var silo = usable[(preference + j) % usable.Length];
                var load = _inFlight.GetValueOrDefault(silo);
                if (load < fewest)
                {
                    (best, fewest) = (silo, load);
                }
            }

            _inFlight[best!] = fewest + 1;
            return best!;
        }
    }
}
