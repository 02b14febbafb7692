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

/// <summary>Receives one block of states of a streamed run.</summary>
/// <param name="block">The block; its spans are valid only during the call.</param>
public delegate void StateBlockHandler(in StateBlock block);

/// <summary>Receives one block of states of one sequence in a streamed run of many sequences.</summary>
/// <param name="sequence">The index of the sequence in the list given to the run.</param>
/// <param name="block">The block; its spans are valid only during the call.</param>
public delegate void SequenceBlockHandler(int sequence, in StateBlock block);
