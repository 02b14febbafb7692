using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Reservoir.Numerics;

namespace Reservoir;

/// <summary>
/// The states of several independent sequences stepped together: an N×S block (row i holds unit i of every
/// sequence, S = the sequence count rounded up to a multiple of 4), so that each stored weight of W is loaded once
/// per step for all of them.
/// </summary>
/// <remarks>
/// <para>
/// Sequence b's column evolves bit-identically to a <see cref="ReservoirState"/> created with the same noise stream
/// and stepped alone: the block product keeps, per column, the canonical summation order of
/// <see cref="ReservoirKernels"/>, the elementwise terms are the same operations, and each sequence draws its
/// noise from its own stream in unit order. All sequences share the step counter (clockwork modules update together).
/// </para>
/// <para>
/// Only the first <see cref="ActiveCount"/> sequences advance meaningfully: the kernel computes the columns up to
/// the next multiple of 4 and leaves the rest alone, and noise and the finiteness check cover the active ones, so a
/// caller that orders its sequences by decreasing length lowers the count as sequences finish. Not thread-safe.
/// </para>
/// </remarks>
internal sealed class ReservoirBatch
{
    private readonly EchoStateReservoir _reservoir;
    private readonly int _unitCount;
    private readonly double[] _history;
    private readonly int _historyLength;
    private readonly double[] _inputs;
    private readonly double[] _feedback;
    private readonly double[] _columnSums;
    private readonly NoiseSource[] _noise;
    private double[] _current;
    private double[] _next;
    private double[] _pre;
    private int _activeCount;

    /// <summary>A batch of zero states, sequence b drawing its noise from stream <paramref name="noiseStreams"/>[b].</summary>
    internal ReservoirBatch(EchoStateReservoir reservoir, ReadOnlySpan<long> noiseStreams)
    {
        _reservoir = reservoir;
        _unitCount = reservoir.UnitCount;
        Count = noiseStreams.Length;
        Stride = RoundUp(Count);
        var block = _unitCount * Stride;
        _current = new double[block];
        _next = new double[block];
        _pre = new double[block];
        _historyLength = reservoir.MaxDelay;
        _history = new double[_historyLength * block];
        _inputs = new double[reservoir.InputDimension * Stride];
        _feedback = new double[reservoir.FeedbackDimension * Stride];
        _columnSums = new double[Stride];
        _noise = new NoiseSource[Count];
        for (var b = 0; b < Count; b++)
        {
            _noise[b] = new NoiseSource(reservoir.NoiseSeedFor(noiseStreams[b]));
        }

        _activeCount = Count;
    }

    /// <summary>The number of sequences.</summary>
    internal int Count { get; }

    /// <summary>The row length of the state block: <see cref="Count"/> rounded up to a multiple of 4.</summary>
    internal int Stride { get; }

    /// <summary>The steps taken.</summary>
    internal long StepCount { get; private set; }

    /// <summary>The number of leading sequences that still step, in [0, <see cref="Count"/>].</summary>
    internal int ActiveCount
    {
        get => _activeCount;
        set
        {
            System.Diagnostics.Debug.Assert(value >= 0 && value <= Count);
            _activeCount = value;
        }
    }

    /// <summary>The current state block, N×<see cref="Stride"/> row-major; column b is sequence b.</summary>
    internal ReadOnlySpan<double> Values => _current;

    /// <summary>Sets the input of sequence <paramref name="sequence"/> for the next step.</summary>
    internal void SetInput(int sequence, ReadOnlySpan<double> input)
    {
        for (var d = 0; d < input.Length; d++)
        {
            _inputs[d * Stride + sequence] = input[d];
        }
    }

    /// <summary>Copies the current state of sequence <paramref name="sequence"/> (length N) into <paramref name="destination"/>.</summary>
    internal void CopyState(int sequence, Span<double> destination)
    {
        var stride = Stride;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = _current[i * stride + sequence];
        }
    }

    /// <summary>Advances the active sequences by one step with the inputs set by <see cref="SetInput"/>; the fed-back output stays zero.</summary>
    /// <returns>−1; or, when an active sequence's new state sums to a non-finite value (as a single state's step checks), its position, and the batch is left at the previous step.</returns>
    internal int Step()
    {
        var reservoir = _reservoir;
        var t = StepCount;
        var width = RoundUp(_activeCount);
        var starts = reservoir.ModuleStarts;
        for (var module = 0; module < reservoir.ModuleCount; module++)
        {
            var start = starts[module];
            var end = starts[module + 1];
            if (reservoir.ModuleUpdates(module, t))
            {
                ComputeUnits(start, end, width);
            }
            else
            {
                _current.AsSpan(start * Stride, (end - start) * Stride).CopyTo(_next.AsSpan(start * Stride));
            }
        }

        var amplitude = reservoir.StateNoise;
        if (amplitude > 0)
        {
            for (var b = 0; b < _activeCount; b++)
            {
                ref var noise = ref _noise[b];
                for (var module = 0; module < reservoir.ModuleCount; module++)
                {
                    if (reservoir.ModuleUpdates(module, t))
                    {
                        for (var i = starts[module]; i < starts[module + 1]; i++)
                        {
                            _next[i * Stride + b] += amplitude * noise.NextSymmetric();
                        }
                    }
                }
            }
        }

        var diverged = FirstNonFinite(width);
        if (diverged >= 0)
        {
            return diverged;
        }

        (_current, _next) = (_next, _current);
        StepCount++;
        if (_historyLength > 0)
        {
            var block = _current.Length;
            _current.CopyTo(_history.AsSpan((int)(StepCount % _historyLength) * block, block));
        }

        return -1;
    }

    /// <summary>The pre-activation, activation and leaky update of units [start, end) for columns [0, width), as <see cref="ReservoirKernels.ComputeUnits"/> does for one state.</summary>
    private void ComputeUnits(int start, int end, int width)
    {
        var reservoir = _reservoir;
        var n = _unitCount;
        var stride = Stride;
        var bias = reservoir.Bias;
        var inputColumns = reservoir.InputColumns;
        var feedbackColumns = reservoir.FeedbackColumns;
        var inputDimension = reservoir.InputDimension;
        var feedbackDimension = reservoir.FeedbackDimension;
        ref var pre = ref MemoryMarshal.GetArrayDataReference(_pre);
        ref var inputs = ref MemoryMarshal.GetArrayDataReference(_inputs);
        ref var feedback = ref MemoryMarshal.GetArrayDataReference(_feedback);
        var vector = Vector256<double>.Count;
        for (var i = start; i < end; i++)
        {
            ref var row = ref Unsafe.Add(ref pre, (nint)i * stride);
            var b0 = Vector256.Create(bias[i]);
            for (var j = 0; j < width; j += vector)
            {
                b0.StoreUnsafe(ref row, (nuint)j);
            }

            for (var d = 0; d < inputDimension; d++)
            {
                var w = Vector256.Create(inputColumns[d * n + i]);
                for (var j = 0; j < width; j += vector)
                {
                    var u = Vector256.LoadUnsafe(ref inputs, (nuint)(d * stride + j));
                    (w * u + Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }

            for (var d = 0; d < feedbackDimension; d++)
            {
                var w = Vector256.Create(feedbackColumns[d * n + i]);
                for (var j = 0; j < width; j += vector)
                {
                    var y = Vector256.LoadUnsafe(ref feedback, (nuint)(d * stride + j));
                    (w * y + Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }
        }

        ReservoirKernels.SparseMultiplyAddBlock(reservoir.CompactRecurrent, _current, _pre, stride, width, start, end);
        var skips = reservoir.CompactSkips;
        for (var s = 0; s < skips.Length; s++)
        {
            ReservoirKernels.SparseMultiplyAddBlock(skips[s], DelayedBlock(reservoir.SkipDelays[s]), _pre, stride, width, start, end);
        }

        var preRows = _pre.AsSpan(start * stride, (end - start) * stride);
        ReservoirKernels.Activate(reservoir.Activation, preRows);
        var nextRows = _next.AsSpan(start * stride, (end - start) * stride);
        if (!reservoir.HasUnitLeakRates)
        {
            preRows.CopyTo(nextRows);
            return;
        }

        // next = x + α ⊙ (f(pre) − x), as subtract, multiply, add.
        var leakRates = reservoir.LeakRateSpan;
        ref var x = ref MemoryMarshal.GetArrayDataReference(_current);
        ref var next = ref MemoryMarshal.GetArrayDataReference(_next);
        for (var i = start; i < end; i++)
        {
            var alpha = Vector256.Create(leakRates[i]);
            var offset = (nint)i * stride;
            for (var j = 0; j < width; j += vector)
            {
                var index = (nuint)(offset + j);
                var xv = Vector256.LoadUnsafe(ref x, index);
                ((Vector256.LoadUnsafe(ref pre, index) - xv) * alpha + xv).StoreUnsafe(ref next, index);
            }
        }
    }

    /// <summary>x(t−d) of every sequence for the step being computed; zero before the start.</summary>
    private ReadOnlySpan<double> DelayedBlock(int delay)
    {
        if (delay == 1)
        {
            return _current;
        }

        var index = StepCount + 1 - delay;
        var slot = (int)(((index % _historyLength) + _historyLength) % _historyLength);
        var block = _current.Length;
        return _history.AsSpan(slot * block, block);
    }

    /// <summary>The first active sequence whose next state sums to a non-finite value, or −1.</summary>
    private int FirstNonFinite(int width)
    {
        var sums = _columnSums.AsSpan(0, width);
        sums.Clear();
        var stride = Stride;
        for (var i = 0; i < _unitCount; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(sums, _next.AsSpan(i * stride, width), sums);
        }

        for (var b = 0; b < _activeCount; b++)
        {
            if (!double.IsFinite(sums[b]))
            {
                return b;
            }
        }

        return -1;
    }

    private static int RoundUp(int count) => (count + Vector256<double>.Count - 1) / Vector256<double>.Count * Vector256<double>.Count;
}
