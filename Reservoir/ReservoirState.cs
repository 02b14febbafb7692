using Reservoir.Numerics;

namespace Reservoir;

/// <summary>The mutable part of a running reservoir: the state x, the delay buffer, the step counter, the last fed-back output and the noise stream.</summary>
/// <remarks>
/// Created by <see cref="EchoStateReservoir.CreateState"/> and owned by the caller. Not thread-safe: one
/// state belongs to one sequence at a time; use <see cref="Clone"/> to branch a run.
/// </remarks>
public sealed class ReservoirState
{
    internal ReservoirState(EchoStateReservoir owner, ulong noiseSeed)
    {
        Columns = new StateColumns(owner, [new NoiseSource(noiseSeed)]);
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
        Columns = new StateColumns(owner, values, history, lastFeedback, stepCount, noise);
    }

    private ReservoirState(StateColumns columns)
    {
        Columns = columns;
    }

    /// <summary>The number of steps taken since the state was created or reset.</summary>
    public long StepCount => Columns.StepCount;

    /// <summary>The current state x (length N); a view that changes as the state steps.</summary>
    public ReadOnlySpan<double> Values => Columns.Current;

    /// <summary>The last output fed back through W_fb (length FeedbackDimension, zero at the start).</summary>
    public ReadOnlySpan<double> LastFeedback => Columns.Feedback;

    /// <summary>The reservoir that created this state; only that reservoir runs it.</summary>
    public EchoStateReservoir Owner => Columns.Owner;

    /// <summary>The storage and step of this state: one column (B = 1) of the step engine.</summary>
    internal StateColumns Columns { get; }

    /// <summary>The noise generator of the state.</summary>
    internal ref NoiseSource Noise => ref Columns.Noise(0);

    /// <summary>How many threads a step of this state may use; <see cref="StepThreads.Auto"/> unless a test or benchmark chooses.</summary>
    internal StepThreads Threads
    {
        get => Columns.Threads;
        set => Columns.Threads = value;
    }

    /// <summary>The delay ring buffer (MaxDelay·N values; slot t mod MaxDelay holds x(t)), for saving the state.</summary>
    internal ReadOnlySpan<double> History => Columns.History;

    /// <summary>Sets the current state x, for example to start from a chosen initial condition; the values are copied.</summary>
    /// <param name="values">The new state, length N, all finite.</param>
    /// <exception cref="ArgumentException">The length differs from N or a value is not finite.</exception>
    public void SetValues(ReadOnlySpan<double> values)
    {
        var current = Columns.Current;
        if (values.Length != current.Length)
        {
            throw new ArgumentException(
                $"values has {values.Length} entries but the reservoir has {current.Length} units.", nameof(values));
        }

        Guard.AllFinite(values);
        values.CopyTo(current);
        Columns.RecordHistory();
    }

    /// <summary>Sets the output that the next step feeds back through W_fb; the values are copied.</summary>
    /// <param name="output">The output, length FeedbackDimension, all finite.</param>
    /// <exception cref="ArgumentException">The length differs from FeedbackDimension or a value is not finite.</exception>
    public void SetFeedback(ReadOnlySpan<double> output)
    {
        var feedback = Columns.Feedback;
        if (output.Length != feedback.Length)
        {
            throw new ArgumentException(
                $"output has {output.Length} entries but the reservoir feeds back {feedback.Length}.", nameof(output));
        }

        Guard.AllFinite(output);
        output.CopyTo(feedback);
    }

    /// <summary>Resets x, the delay buffer, the fed-back output and the step counter to zero; the noise stream goes on.</summary>
    public void Reset() => Columns.Reset();

    /// <summary>An independent copy: state, delay buffer, step counter, fed-back output and noise stream.</summary>
    /// <returns>The copy, which steps exactly as this state would.</returns>
    public ReservoirState Clone() => new(Columns.Clone());

    /// <summary>Makes this state an exact copy of <paramref name="other"/> (state, delay buffer, counter, fed-back output, noise stream) without allocating.</summary>
    /// <param name="other">A state of the same reservoir.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> was created by another reservoir.</exception>
    public void CopyFrom(ReservoirState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other.Owner, Owner))
        {
            throw new ArgumentException("The state to copy was created by another reservoir.", nameof(other));
        }

        Columns.CopyFrom(other.Columns);
    }

    internal void CopyFeedback(ReadOnlySpan<double> output) => output.CopyTo(Columns.Feedback);
}
