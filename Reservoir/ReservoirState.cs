using Reservoir.Numerics;

namespace Reservoir;

/// <summary>The mutable part of a running reservoir: the state x, the delay buffer, the step counter, the last fed-back output and the noise stream.</summary>
/// <remarks>
/// Created by <see cref="EchoStateReservoir.CreateState"/> and owned by the caller. Not thread-safe: one
/// state belongs to one sequence at a time; use <see cref="Clone"/> to branch a run.
/// </remarks>
public sealed class ReservoirState
{
    private readonly double[] _history;
    private readonly int _historyLength;
    private readonly double[] _lastFeedback;
    private double[] _current;
    private double[] _next;
    private NoiseSource _noise;
    private StepSplit? _split;

    internal ReservoirState(EchoStateReservoir owner, ulong noiseSeed)
    {
        Owner = owner;
        var n = owner.UnitCount;
        _current = new double[n];
        _next = new double[n];
        PreActivationBuffer = new double[n];
        _historyLength = owner.MaxDelay;
        _history = new double[_historyLength * n];
        _lastFeedback = new double[owner.FeedbackDimension];
        _noise = new NoiseSource(noiseSeed);
    }

    /// <summary>A state restored from saved parts, which it takes over (not copied); the caller has checked every length and value.</summary>
    /// <param name="owner">The reservoir the state belongs to.</param>
    /// <param name="values">x, length N.</param>
    /// <param name="history">The delay ring buffer, length MaxDelay·N, slot t mod MaxDelay holding x(t).</param>
    /// <param name="lastFeedback">The last fed-back output, length FeedbackDimension.</param>
    /// <param name="stepCount">The steps taken, ≥ 0.</param>
    /// <param name="noise">The noise generator, positioned where the saved state left it.</param>
    internal ReservoirState(EchoStateReservoir owner, double[] values, double[] history, double[] lastFeedback,
        long stepCount, NoiseSource noise)
    {
        var n = owner.UnitCount;
        System.Diagnostics.Debug.Assert(values.Length == n && history.Length == owner.MaxDelay * n
            && lastFeedback.Length == owner.FeedbackDimension && stepCount >= 0);
        Owner = owner;
        _current = values;
        _next = new double[n];
        PreActivationBuffer = new double[n];
        _historyLength = owner.MaxDelay;
        _history = history;
        _lastFeedback = lastFeedback;
        _noise = noise;
        StepCount = stepCount;
    }

    private ReservoirState(ReservoirState other)
    {
        Owner = other.Owner;
        _current = (double[])other._current.Clone();
        _next = new double[_current.Length];
        PreActivationBuffer = new double[_current.Length];
        _historyLength = other._historyLength;
        _history = (double[])other._history.Clone();
        _lastFeedback = (double[])other._lastFeedback.Clone();
        _noise = other._noise;
        StepCount = other.StepCount;
    }

    /// <summary>The number of steps taken since the state was created or reset.</summary>
    public long StepCount { get; private set; }

    /// <summary>The current state x (length N); a view that changes as the state steps.</summary>
    public ReadOnlySpan<double> Values => _current;

    /// <summary>The last output fed back through W_fb (length FeedbackDimension, zero at the start).</summary>
    public ReadOnlySpan<double> LastFeedback => _lastFeedback;

    internal EchoStateReservoir Owner { get; }

    internal double[] CurrentBuffer => _current;

    internal double[] NextBuffer => _next;

    internal double[] PreActivationBuffer { get; }

    internal ref NoiseSource Noise => ref _noise;

    /// <summary>The reusable two-thread form of this state's step, created on first use.</summary>
    internal StepSplit Split => _split ??= new StepSplit(Owner, this);

    /// <summary>The delay ring buffer (MaxDelay·N values; slot t mod MaxDelay holds x(t)), for saving the state.</summary>
    internal ReadOnlySpan<double> History => _history;

    /// <summary>Sets the current state x, for example to start from a chosen initial condition; the values are copied.</summary>
    /// <param name="values">The new state, length N, all finite.</param>
    /// <exception cref="ArgumentException">The length differs from N or a value is not finite.</exception>
    public void SetValues(ReadOnlySpan<double> values)
    {
        if (values.Length != _current.Length)
        {
            throw new ArgumentException(
                $"values has {values.Length} entries but the reservoir has {_current.Length} units.", nameof(values));
        }

        Guard.AllFinite(values);
        values.CopyTo(_current);
        RecordHistory();
    }

    /// <summary>Sets the output that the next step feeds back through W_fb; the values are copied.</summary>
    /// <param name="output">The output, length FeedbackDimension, all finite.</param>
    /// <exception cref="ArgumentException">The length differs from FeedbackDimension or a value is not finite.</exception>
    public void SetFeedback(ReadOnlySpan<double> output)
    {
        if (output.Length != _lastFeedback.Length)
        {
            throw new ArgumentException(
                $"output has {output.Length} entries but the reservoir feeds back {_lastFeedback.Length}.", nameof(output));
        }

        Guard.AllFinite(output);
        output.CopyTo(_lastFeedback);
    }

    /// <summary>Resets x, the delay buffer, the fed-back output and the step counter to zero; the noise stream goes on.</summary>
    public void Reset()
    {
        Array.Clear(_current);
        Array.Clear(_history);
        Array.Clear(_lastFeedback);
        StepCount = 0;
    }

    /// <summary>An independent copy: state, delay buffer, step counter, fed-back output and noise stream.</summary>
    /// <returns>The copy, which steps exactly as this state would.</returns>
    public ReservoirState Clone() => new(this);

    /// <summary>Makes this state an exact copy of <paramref name="other"/> (state, delay buffer, counter, fed-back output, noise stream) without allocating.</summary>
    /// <param name="other">A state of the same reservoir.</param>
    internal void CopyFrom(ReservoirState other)
    {
        System.Diagnostics.Debug.Assert(ReferenceEquals(other.Owner, Owner));
        other._current.CopyTo(_current, 0);
        other._history.CopyTo(_history, 0);
        other._lastFeedback.CopyTo(_lastFeedback, 0);
        _noise = other._noise;
        StepCount = other.StepCount;
    }

    /// <summary>x(t−d) for the step being computed (t = StepCount + 1); zero before the start.</summary>
    internal ReadOnlySpan<double> DelayedState(int delay)
    {
        var index = StepCount + 1 - delay;
        if (delay == 1)
        {
            return _current;
        }

        var n = _current.Length;
        var slot = (int)(((index % _historyLength) + _historyLength) % _historyLength);
        return _history.AsSpan(slot * n, n);
    }

    internal void CopyFeedback(ReadOnlySpan<double> output) => output.CopyTo(_lastFeedback);

    /// <summary>Makes the computed next state current and advances the counter.</summary>
    internal void Commit()
    {
        (_current, _next) = (_next, _current);
        StepCount++;
        RecordHistory();
    }

    private void RecordHistory()
    {
        if (_historyLength == 0)
        {
            return;
        }

        var n = _current.Length;
        var slot = (int)(StepCount % _historyLength);
        _current.CopyTo(_history.AsSpan(slot * n, n));
    }
}
