using System.Diagnostics;

namespace Reservoir;

/// <summary>An immutable sparse weight matrix in compressed sparse row (CSR) form.</summary>
/// <remarks>
/// Row i holds the incoming weights of unit i, so (W·x)_i = Σ_j W[i, j]·x_j. Column indices are sorted
/// within each row and unique. Instances are immutable and thread-safe; the factories copy their input.
/// </remarks>
public sealed class SparseWeights
{
    private readonly int[] _rowPointers;
    private readonly int[] _columnIndices;
    private readonly double[] _values;

    private SparseWeights(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, double[] values)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        _rowPointers = rowPointers;
        _columnIndices = columnIndices;
        _values = values;
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>The number of stored (non-zero) weights.</summary>
    public int NonZeroCount => _values.Length;

    /// <summary>The weight at (row, column); zero when not stored.</summary>
    /// <param name="row">The row, in [0, RowCount).</param>
    /// <param name="column">The column, in [0, ColumnCount).</param>
    /// <exception cref="ArgumentOutOfRangeException">The row or the column is outside the matrix.</exception>
    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {RowCount}); was {row}.");
            }

            if ((uint)column >= (uint)ColumnCount)
            {
                throw new ArgumentOutOfRangeException(nameof(column), column,
                    $"column must be in [0, {ColumnCount}); was {column}.");
            }

            var start = _rowPointers[row];
            var index = _columnIndices.AsSpan(start, _rowPointers[row + 1] - start).BinarySearch(column);
            return index >= 0 ? _values[start + index] : 0.0;
        }
    }

    internal ReadOnlySpan<int> RowPointers => _rowPointers;

    internal ReadOnlySpan<int> ColumnIndices => _columnIndices;

    internal ReadOnlySpan<double> Values => _values;

    /// <summary>The stored entries, row by row, columns ascending.</summary>
    /// <returns>A new sequence of (row, column, value) triples.</returns>
    public IEnumerable<(int Row, int Column, double Value)> NonZeros()
    {
        for (var row = 0; row < RowCount; row++)
        {
            for (var k = _rowPointers[row]; k < _rowPointers[row + 1]; k++)
            {
                yield return (row, _columnIndices[k], _values[k]);
            }
        }
    }

    /// <summary>A dense copy of the matrix.</summary>
    /// <returns>A new RowCount × ColumnCount array.</returns>
    public double[,] ToDense()
    {
        var dense = new double[RowCount, ColumnCount];
        foreach (var (row, column, value) in NonZeros())
        {
            dense[row, column] = value;
        }

        return dense;
    }

    /// <summary>Builds a sparse matrix from a dense one, keeping the non-zero entries; the input is copied.</summary>
    /// <param name="dense">The dense matrix; every entry finite.</param>
    /// <returns>The sparse matrix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dense"/> is null.</exception>
    /// <exception cref="ArgumentException">An entry is NaN or infinite.</exception>
    public static SparseWeights FromDense(double[,] dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        Guard.AllFinite(dense);
        var rows = dense.GetLength(0);
        var columns = dense.GetLength(1);
        var pointers = new int[rows + 1];
        var indices = new List<int>();
        var values = new List<double>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (dense[r, c] != 0)
                {
                    indices.Add(c);
                    values.Add(dense[r, c]);
                }
            }

            pointers[r + 1] = values.Count;
        }

        return new SparseWeights(rows, columns, pointers, [.. indices], [.. values]);
    }

    /// <summary>Builds a sparse matrix from coordinate triples (as exported by SciPy's COO format); duplicates are summed.</summary>
    /// <param name="rowCount">The number of rows, ≥ 0.</param>
    /// <param name="columnCount">The number of columns, ≥ 0.</param>
    /// <param name="rows">The row of each entry.</param>
    /// <param name="columns">The column of each entry.</param>
    /// <param name="values">The value of each entry; finite.</param>
    /// <returns>The sparse matrix; entries that sum to zero are kept as explicit zeros.</returns>
    /// <exception cref="ArgumentException">The three spans differ in length, an index is outside the matrix, or a value is not finite.</exception>
    public static SparseWeights FromTriplets(int rowCount, int columnCount,
        ReadOnlySpan<int> rows, ReadOnlySpan<int> columns, ReadOnlySpan<double> values)
    {
        Guard.AtLeast(rowCount, 0);
        Guard.AtLeast(columnCount, 0);
        if (rows.Length != values.Length || columns.Length != values.Length)
        {
            throw new ArgumentException(
                $"rows, columns and values must have the same length; were {rows.Length}, {columns.Length} and {values.Length}.",
                nameof(values));
        }

        Guard.AllFinite(values);
        var order = new int[values.Length];
        for (var k = 0; k < order.Length; k++)
        {
            if ((uint)rows[k] >= (uint)rowCount)
            {
                throw new ArgumentException($"rows[{k}] = {rows[k]} is outside [0, {rowCount}).", nameof(rows));
            }

            if ((uint)columns[k] >= (uint)columnCount)
            {
                throw new ArgumentException($"columns[{k}] = {columns[k]} is outside [0, {columnCount}).", nameof(columns));
            }

            order[k] = k;
        }

        var keys = new long[values.Length];
        for (var k = 0; k < keys.Length; k++)
        {
            keys[k] = (long)rows[k] * columnCount + columns[k];
        }

        Array.Sort(keys, order);
        var builder = new Builder(rowCount, columnCount, values.Length);
        for (var k = 0; k < keys.Length; k++)
        {
            var row = (int)(keys[k] / Math.Max(columnCount, 1));
            var column = (int)(keys[k] % Math.Max(columnCount, 1));
            builder.AddOrAccumulate(row, column, values[order[k]]);
        }

        return builder.Build();
    }

    /// <summary>A matrix over CSR arrays it takes over (not copied), for example a loaded model's.</summary>
    /// <remarks>
    /// The caller has checked the layout: <paramref name="rowPointers"/> has RowCount + 1 entries, starts at 0, never
    /// decreases and ends at the entry count; columns are in range and strictly increasing within each row.
    /// </remarks>
    internal static SparseWeights FromCompressedRows(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices,
        double[] values)
    {
        Debug.Assert(rowPointers.Length == rowCount + 1 && rowPointers[0] == 0 && rowPointers[rowCount] == values.Length
            && columnIndices.Length == values.Length);
        return new SparseWeights(rowCount, columnCount, rowPointers, columnIndices, values);
    }

    /// <summary>y = A·x for all rows.</summary>
    internal void Multiply(ReadOnlySpan<double> x, Span<double> y) =>
        Numerics.ReservoirKernels.SparseMultiply(_rowPointers, _columnIndices, _values, x, y, 0, RowCount);

    /// <summary>A copy with every value multiplied by <paramref name="factor"/>.</summary>
    internal SparseWeights Scale(double factor)
    {
        var values = new double[_values.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(_values, factor, values);
        return new SparseWeights(RowCount, ColumnCount, _rowPointers, _columnIndices, values);
    }

    /// <summary>A copy with row i's values multiplied by <paramref name="factors"/>[i] (diag(factors)·A).</summary>
    internal SparseWeights ScaleRows(ReadOnlySpan<double> factors)
    {
        var values = new double[_values.Length];
        for (var row = 0; row < RowCount; row++)
        {
            var start = _rowPointers[row];
            var end = _rowPointers[row + 1];
            System.Numerics.Tensors.TensorPrimitives.Multiply(_values.AsSpan(start, end - start), factors[row], values.AsSpan(start, end - start));
        }

        return new SparseWeights(RowCount, ColumnCount, _rowPointers, _columnIndices, values);
    }

    /// <summary>Builds a CSR matrix row by row; rows must be appended in order, columns ascending within a row.</summary>
    internal sealed class Builder
    {
        private readonly int _rowCount;
        private readonly int _columnCount;
        private readonly int[] _rowPointers;
        private readonly List<int> _columns;
        private readonly List<double> _values;
        private int _currentRow;

        internal Builder(int rowCount, int columnCount, int capacity)
        {
            _rowCount = rowCount;
            _columnCount = columnCount;
            _rowPointers = new int[rowCount + 1];
            _columns = new List<int>(capacity);
            _values = new List<double>(capacity);
        }

        /// <summary>Appends an entry; an entry at the same position as the last one is added to it.</summary>
        internal void AddOrAccumulate(int row, int column, double value)
        {
            Debug.Assert(row >= _currentRow && row < _rowCount && column < _columnCount);
            CloseRowsBefore(row);
            var count = _values.Count;
            if (count > _rowPointers[row] && _columns[count - 1] == column)
            {
                _values[count - 1] += value;
                return;
            }

            Debug.Assert(count == _rowPointers[row] || _columns[count - 1] < column);
            _columns.Add(column);
            _values.Add(value);
        }

        internal SparseWeights Build()
        {
            CloseRowsBefore(_rowCount);
            return new SparseWeights(_rowCount, _columnCount, _rowPointers, [.. _columns], [.. _values]);
        }

        private void CloseRowsBefore(int row)
        {
            while (_currentRow < row)
            {
                _rowPointers[_currentRow + 1] = _values.Count;
                _currentRow++;
            }
        }
    }
}
