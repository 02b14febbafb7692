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
/// An attempt fails when its call throws (the grain's error, or Orleans reporting the silo gone), when a membership read stops
/// listing its silo as active (checked every second: Orleans' failure detector declared the silo dead), or when it runs
/// longer than the timeout; it is then re-run on another silo, up to the attempt limit, after which the item fails the job. An attempt
/// given up is not cancelled: <c>abandoned</c> gets its task, so that a result arriving late can still be offered to the job's
/// ledger; once the ledger holds the item (<c>completed</c>), its retries stop and it succeeds. A membership read that fails or
/// does not answer is no evidence against a silo: the last membership read successfully stands, and every read is bounded by
/// the attempt's remaining time and the cancellation. Thread-safe.
/// </para>
/// </remarks>
internal sealed class ClusterAttempts(IGrainFactory grains, int maxAttempts, TimeSpan attemptTimeout)
{
    private readonly Dictionary<SiloAddress, int> _inFlight = [];

    /// <summary>How often a running attempt checks that its silo is still in the cluster.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    private readonly object _hostsGate = new();
    private (Task<SiloAddress[]> Hosts, long Stamp)? _hosts;
    private SiloAddress[]? _lastKnown;

    /// <summary>
    /// The silos the membership lists as active, in a fixed order (asked at most once per <see cref="WatchInterval"/>); when a read
    /// fails or does not answer within <paramref name="timeout"/>, the last membership read successfully.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="Exception">The read failed and no read has succeeded before: its error, or a <see cref="TimeoutException"/>.</exception>
    internal async Task<SiloAddress[]> ActiveSilosAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<SiloAddress[]> read;
        lock (_hostsGate)
        {
            if (_hosts is not { } cached || cached.Hosts.IsFaulted || Stopwatch.GetElapsedTime(cached.Stamp) >= WatchInterval)
            {
                _hosts = cached = (QueryHostsAsync(), Stopwatch.GetTimestamp());
            }

            read = cached.Hosts;
        }

        try
        {
            // WaitAsync takes at most int.MaxValue ms; a longer AttemptTimeout waits without a bound (the token still stops it).
            var bound = timeout <= TimeSpan.Zero ? TimeSpan.Zero
                : timeout.TotalMilliseconds >= int.MaxValue ? Timeout.InfiniteTimeSpan : timeout;
            return await read.WaitAsync(bound, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _lastKnown) is { } known)
        {
            // A read that failed or hangs says nothing about the silos: keep the last membership read.
            return known;
        }
    }

    private async Task<SiloAddress[]> QueryHostsAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        SiloAddress[] active = [.. hosts.Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal)];
        Volatile.Write(ref _lastKnown, active);
        return active;
    }

    /// <summary>
    /// Awaits an attempt; fails it when it runs past the timeout or when a membership read no longer lists its silo as active
    /// (Orleans declared it dead); returns null when <paramref name="completed"/> finishes first (the item is done elsewhere).
    /// </summary>
    private async Task<(T Value, bool Ran)?> WatchAsync<T>(Task<T> task, Task<T>? completed, SiloAddress silo, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var remaining = attemptTimeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The attempt on silo {silo} took longer than {attemptTimeout.TotalSeconds:0.###} s and was given up.");
            }

            var delay = Task.Delay(remaining < WatchInterval ? remaining : WatchInterval, cancellationToken);
            var finished = completed is null ? await Task.WhenAny(task, delay) : await Task.WhenAny(task, completed, delay);
            if (finished == task)
            {
                return (await task, true);
            }

            if (finished == completed)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            SiloAddress[] active;
            try
            {
                active = await ActiveSilosAsync(attemptTimeout - Stopwatch.GetElapsedTime(started), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // No membership was ever read: no evidence against the silo; the timeout still bounds the attempt.
                continue;
            }

            if (!active.Contains(silo))
            {
                throw new SiloUnavailableException($"Silo {silo} left the cluster while it ran the attempt.");
            }
        }
    }

    /// <summary>Runs one item; <paramref name="attempt"/> starts attempt a (from 0) and must make its grain call before its first await.</summary>
    /// <param name="name">The item's name, for the error.</param>
    /// <param name="preference">Where the round robin over the silos starts.</param>
    /// <param name="attempt">Starts attempt a.</param>
    /// <param name="started">Told each attempt and its silo.</param>
    /// <param name="failed">Told each failed attempt and its error.</param>
    /// <param name="abandoned">Given the task of an attempt given up while it still runs; null to leave it.</param>
    /// <param name="completed">
    /// Finishes when the item's result was accepted from any attempt (a late one included); the retries then stop and its
    /// result is returned. Null when only the attempts themselves finish the item.
    /// </param>
    /// <param name="cancellationToken">Stops the item.</param>
    internal async Task<T> RunAsync<T>(string name, int preference, Func<int, Task<T>> attempt, Action<int, string> started,
        Action<int, Exception> failed, Action<Task<T>>? abandoned, Task<T>? completed, CancellationToken cancellationToken)
    {
        var failedOn = new HashSet<SiloAddress>();
        Exception? last = null;
        for (var a = 0; a < maxAttempts; a++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (completed is { IsCompleted: true })
            {
                return await completed;
            }

            SiloAddress silo;
            try
            {
                silo = Choose(await ActiveSilosAsync(attemptTimeout, cancellationToken), failedOn, preference + a);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The membership could not be read, and never was (the client lost its gateway): a failed attempt like any other.
                last = e;
                failed(a, e);
                await BackOffAsync(a, completed, cancellationToken);
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
                    if (await WatchAsync(task, completed, silo, cancellationToken) is { } ran)
                    {
                        return ran.Value;
                    }

                    // Accepted from another attempt while this one ran: this one is not needed.
                    abandoned?.Invoke(task);
                    return await completed!;
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
                await BackOffAsync(a, completed, cancellationToken);
            }
        }

        if (completed is { IsCompleted: true })
        {
            return await completed;
        }

        throw new ShardFailedException(name, maxAttempts, last!, status: null);
    }

    /// <summary>Waits before attempt a + 1, or until the item is completed.</summary>
    private static async Task BackOffAsync<T>(int a, Task<T>? completed, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(TimeSpan.FromMilliseconds(100 * (a + 1)), cancellationToken);
        await (completed is null ? delay : Task.WhenAny(delay, completed));
        cancellationToken.ThrowIfCancellationRequested();
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
