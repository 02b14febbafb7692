using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reservoir.Numerics;

/// <summary>
/// The mutable state of B ≥ 1 sequences of one reservoir, stepped together by <see cref="StepEngine"/>: the state block,
/// the delay ring buffer, the step counter, the fed-back outputs, one noise stream per sequence and the scratch of a step.
/// </summary>
/// <remarks>
/// <para>
/// The block is N rows of <see cref="Stride"/> values, column b holding sequence b (the layout of
/// <see cref="ReservoirKernels"/>): one sequence (B = 1) is a plain vector of N values; several sequences have the
/// stride B rounded up to a multiple of <see cref="ColumnAlignment"/> (8), so that each stored weight of W is loaded once
/// per step for all of them and a row of the block is whole 512-bit vectors.
/// A <see cref="ReservoirState"/> is one of these with B = 1.
/// </para>
/// <para>
/// All sequences share the step counter (clockwork modules update together). Only the first <see cref="ActiveCount"/>
/// sequences advance meaningfully: the engine computes the columns up to the next multiple of 8 and leaves the rest
/// alone, and noise and the finiteness check cover the active ones, so a caller that orders its sequences by decreasing
/// length lowers the count as sequences finish. Not thread-safe.
/// </para>
/// </remarks>
internal sealed partial class StateColumns
{
    private readonly Segment _history;
    private readonly Segment _preActivation;
    private readonly Segment _carried;
    private readonly int _historyLength;
    private readonly NoiseSource[] _noise;
    private Segment _current;
    private Segment _next;
    private StepSplit? _split;
    private int _activeCount;

    /// <summary>Zero states, sequence b drawing its noise from <paramref name="noise"/>[b] (B = its length, ≥ 1).</summary>
    internal StateColumns(EchoStateReservoir owner, NoiseSource[] noise)
        : this(owner, noise, null, null, null, 0)
    {
    }

    /// <summary>One sequence (B = 1) restored from saved parts, which it takes over (not copied); lengths as <see cref="ReservoirState"/> documents.</summary>
    internal StateColumns(EchoStateReservoir owner, double[] values, double[] history, double[] feedback, long stepCount,
        NoiseSource noise)
        : this(owner, [noise], values, history, feedback, stepCount)
    {
    }

    private StateColumns(EchoStateReservoir owner, NoiseSource[] noise, double[]? values, double[]? history,
        double[]? feedback, long stepCount)
    {
        Debug.Assert(noise.Length >= 1 && stepCount >= 0);
        Owner = owner;
        Count = noise.Length;
        Stride = Count == 1 ? 1 : RoundUp(Count);
        var block = checked(owner.UnitCount * Stride);
        _historyLength = owner.MaxDelay;
        Debug.Assert(values is null || (Count == 1 && values.Length == block && history!.Length == _historyLength * block
            && feedback!.Length == owner.FeedbackDimension));
        // A block of several sequences starts on a 64-byte boundary, so that its 512-bit loads never straddle two cache lines.
        var aligned = Count > 1;
        _current = values is null ? Segment.Allocate(block, aligned) : new Segment(values, 0, block);
        _next = Segment.Allocate(block, aligned);
        _preActivation = Segment.Allocate(block, aligned);
        _carried = owner.ComputesCarry ? Segment.Allocate(block, aligned) : Segment.Allocate(0, aligned: false);
        _history = history is null ? Segment.Allocate(checked(_historyLength * block), aligned) : new Segment(history, 0, history.Length);
        Inputs = new double[checked(owner.InputDimension * Stride)];
        Feedback = feedback ?? new double[checked(owner.FeedbackDimension * Stride)];
        ColumnSums = new double[Stride];
        _noise = noise;
        _activeCount = Count;
        StepCount = stepCount;
    }

    private StateColumns(StateColumns other)
        : this(other.Owner, (NoiseSource[])other._noise.Clone(), other._current.Span.ToArray(),
            other._history.Span.ToArray(), (double[])other.Feedback.Clone(), other.StepCount)
    {
        _activeCount = other._activeCount;
        Threads = other.Threads;
    }

    /// <summary>The reservoir the states belong to.</summary>
    internal EchoStateReservoir Owner { get; }

    /// <summary>The multiple of which the stride and the computed width of a block of several sequences are: one 512-bit vector of doubles.</summary>
    internal const int ColumnAlignment = 8;

    /// <summary>The number of sequences B.</summary>
    internal int Count { get; }

    /// <summary>The row length of the block: 1 for one sequence, otherwise B rounded up to a multiple of <see cref="ColumnAlignment"/>.</summary>
    internal int Stride { get; }

    /// <summary>The steps taken.</summary>
    internal long StepCount { get; private set; }

    /// <summary>The number of leading sequences that still step, in [1, <see cref="Count"/>].</summary>
    internal int ActiveCount
    {
        get => _activeCount;
        set
        {
            Debug.Assert(value >= 1 && value <= Count);
            _activeCount = value;
        }
    }

    /// <summary>The columns a step computes: 1 for one sequence, otherwise <see cref="ActiveCount"/> rounded up to a multiple of <see cref="ColumnAlignment"/>.</summary>
    internal int Width => Stride == 1 ? 1 : RoundUp(_activeCount);

    /// <summary>How many threads a step may use (<see cref="StepThreads.Auto"/> unless a caller or test chooses).</summary>
    internal StepThreads Threads { get; set; }

    /// <summary>The current block x, N×<see cref="Stride"/>.</summary>
    internal Span<double> Current => _current.Span;

    /// <summary>The block being computed by a step.</summary>
    internal Span<double> Next => _next.Span;

    /// <summary>The pre-activation scratch of a step.</summary>
    internal Span<double> PreActivation => _preActivation.Span;

    /// <summary>The carried state C·x(t−1) of a step, N×<see cref="Stride"/>; empty unless the reservoir computes a carry (<see cref="EchoStateReservoir.ComputesCarry"/>).</summary>
    internal Span<double> Carried => _carried.Span;

    /// <summary>Per-column sums of the finiteness check, length <see cref="Stride"/>.</summary>
    internal double[] ColumnSums { get; }

    /// <summary>Where a run of several sequences stages the inputs of a step, D rows of <see cref="Stride"/> values.</summary>
    internal double[] Inputs { get; }

    /// <summary>The fed-back outputs, F rows of <see cref="Stride"/> values: for one sequence the last output fed back, for a run of several the outputs of the next step.</summary>
    internal double[] Feedback { get; }

    /// <summary>The delay ring buffer: MaxDelay blocks, slot t mod MaxDelay holding the block after step t.</summary>
    internal ReadOnlySpan<double> History => _history.Span;

    /// <summary>The reusable two-thread form of a step of these states, created on first use.</summary>
    internal StepSplit Split => _split ??= new StepSplit(this);

    /// <summary>Whether a step of these states has been split over two threads (the split form exists).</summary>
    internal bool SplitCreated => _split is not null;

    /// <summary>The noise stream of sequence <paramref name="column"/>.</summary>
    internal ref NoiseSource Noise(int column) => ref _noise[column];

    /// <summary>An independent copy (block, delay buffer, counter, fed-back outputs, noise streams), which steps exactly as this would.</summary>
    internal StateColumns Clone() => new(this);

    /// <summary>Makes these states an exact copy of <paramref name="other"/> (of the same reservoir and size) without allocating.</summary>
    internal void CopyFrom(StateColumns other)
    {
        Debug.Assert(ReferenceEquals(other.Owner, Owner) && other.Count == Count);
        other._current.Span.CopyTo(_current.Span);
        other._history.Span.CopyTo(_history.Span);
        other.Feedback.CopyTo(Feedback, 0);
        other._noise.CopyTo(_noise, 0);
        _activeCount = other._activeCount;
        StepCount = other.StepCount;
    }

    /// <summary>Sets the input of sequence <paramref name="column"/> for the next step.</summary>
    internal void SetInput(int column, ReadOnlySpan<double> input) => SetColumn(Inputs, column, input);

    /// <summary>Sets the fed-back output of sequence <paramref name="column"/> for the next step.</summary>
    internal void SetFeedback(int column, ReadOnlySpan<double> output) => SetColumn(Feedback, column, output);

    /// <summary>Resets the block, the delay buffer, the fed-back outputs and the step counter to zero; the noise streams go on.</summary>
    internal void Reset()
    {
        _current.Span.Clear();
        _history.Span.Clear();
        Array.Clear(Feedback);
        StepCount = 0;
    }

    /// <summary>x(t−d) for the step being computed (t = StepCount + 1); zero before the start.</summary>
    internal ReadOnlySpan<double> Delayed(int delay)
    {
        if (delay == 1)
        {
            return _current.Span;
        }

        var index = StepCount + 1 - delay;
        var slot = (int)(((index % _historyLength) + _historyLength) % _historyLength);
        var block = _current.Length;
        return _history.Span.Slice(slot * block, block);
    }

    /// <summary>Makes the computed next block current, advances the counter and records the block in the delay buffer.</summary>
    internal void Commit()
    {
        (_current, _next) = (_next, _current);
        StepCount++;
        RecordHistory();
    }

    /// <summary>Copies the current block into the delay buffer slot of the current step (after the state was set).</summary>
    internal void RecordHistory()
    {
        if (_historyLength == 0)
        {
            return;
        }

        var block = _current.Length;
        _current.Span.CopyTo(_history.Span.Slice((int)(StepCount % _historyLength) * block, block));
    }

    private static int RoundUp(int columns) => (columns + ColumnAlignment - 1) / ColumnAlignment * ColumnAlignment;

    private void SetColumn(double[] rows, int column, ReadOnlySpan<double> values)
    {
        Debug.Assert(column < Count && values.Length * Stride == rows.Length);
        for (var d = 0; d < values.Length; d++)
        {
            rows[d * Stride + column] = values[d];
        }
    }

    /// <summary>A run of doubles inside an array: the whole array, or for a block of several sequences a run that starts on a 64-byte boundary of a pinned array.</summary>
    private readonly struct Segment
    {
        private const int Alignment = 64;

        private readonly double[] _array;
        private readonly int _offset;

        internal Segment(double[] array, int offset, int length)
        {
            Debug.Assert(offset >= 0 && offset + length <= array.Length);
            _array = array;
            _offset = offset;
            Length = length;
        }

        internal int Length { get; }

        internal Span<double> Span => _array.AsSpan(_offset, Length);

        /// <summary>Zeros of <paramref name="length"/> values; when <paramref name="aligned"/>, in a pinned array (never moved) from its first 64-byte boundary.</summary>
        internal static Segment Allocate(int length, bool aligned)
        {
            if (!aligned)
            {
                return new Segment(new double[length], 0, length);
            }

            var padding = Alignment / sizeof(double) - 1;
            var array = GC.AllocateArray<double>(checked(length + padding), pinned: true);
            nuint address;
            unsafe
            {
                address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            }

            var offset = (int)((Alignment - address % Alignment) % Alignment / sizeof(double));
            return new Segment(array, offset, length);
        }
    }
}
