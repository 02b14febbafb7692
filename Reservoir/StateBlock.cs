namespace Reservoir;

/// <summary>A block of consecutive reservoir states handed out by a streamed run, with the inputs that produced them.</summary>
/// <remarks>The spans are valid only during the callback; copy what you keep.</remarks>
public readonly ref struct StateBlock
{
    internal StateBlock(int firstStep, int rowCount, ReadOnlySpan<double> states, ReadOnlySpan<double> inputs,
        int unitCount, int inputDimension)
    {
        FirstStep = firstStep;
        RowCount = rowCount;
        States = states;
        Inputs = inputs;
        UnitCount = unitCount;
        InputDimension = inputDimension;
    }

    /// <summary>The index, in the input sequence, of the first row of this block (in a run of many sequences, the index in that block's sequence).</summary>
    public int FirstStep { get; }

    /// <summary>The number of rows (time steps) in the block.</summary>
    public int RowCount { get; }

    /// <summary>The states, row-major RowCount × N: row r is x after step FirstStep + r.</summary>
    public ReadOnlySpan<double> States { get; }

    /// <summary>The inputs of those steps, row-major RowCount × D.</summary>
    public ReadOnlySpan<double> Inputs { get; }

    /// <summary>The number of units N (the width of a state row).</summary>
    public int UnitCount { get; }

    /// <summary>The input dimension D (the width of an input row).</summary>
    public int InputDimension { get; }
}

/// <summary>Gathers the states of a streamed run of one sequence into blocks and hands each full block (and the last) to a handler.</summary>
internal sealed class StateBlockWriter
{
    private readonly double[,] _inputs;
    private readonly StateBlockHandler _handler;
    private readonly double[] _buffer;
    private readonly int _width;
    private readonly int _lastStep;
    private int _rows;
    private int _first;

    /// <summary>Blocks of up to <paramref name="blockSize"/> rows of <paramref name="width"/> values, for the steps after the washout.</summary>
    internal StateBlockWriter(double[,] inputs, int washoutSteps, int width, int blockSize, StateBlockHandler handler)
    {
        _inputs = inputs;
        _handler = handler;
        _width = width;
        _lastStep = inputs.GetLength(0) - 1;
        _buffer = new double[Math.Min(blockSize, inputs.GetLength(0) - washoutSteps) * width];
        _first = washoutSteps;
    }

    /// <summary>Takes the state after <paramref name="step"/> (steps come in order, from the washout on).</summary>
    internal void Add(int step, ReadOnlySpan<double> state)
    {
        state.CopyTo(_buffer.AsSpan(_rows * _width, _width));
        _rows++;
        if (_rows * _width == _buffer.Length || step == _lastStep)
        {
            var d = _inputs.GetLength(1);
            var block = new StateBlock(_first, _rows, _buffer.AsSpan(0, _rows * _width), _inputs.AsSpan().Slice(_first * d, _rows * d), _width, d);
            _handler(in block);
            _first += _rows;
            _rows = 0;
        }
    }
}

/// <summary>Receives one block of states of a streamed run.</summary>
/// <param name="block">The block; its spans are valid only during the call.</param>
public delegate void StateBlockHandler(in StateBlock block);

/// <summary>Receives one block of states of one sequence in a streamed run of many sequences.</summary>
/// <param name="sequence">The index of the sequence in the list given to the run.</param>
/// <param name="block">The block; its spans are valid only during the call.</param>
public delegate void SequenceBlockHandler(int sequence, in StateBlock block);
