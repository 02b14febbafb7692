using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>A per-cursor worker that reads the current input row and computes the added columns into <see cref="Outputs"/>.</summary>
/// <remarks>Created once per cursor (or per prediction-engine row), so its buffers and state are never shared between threads.</remarks>
internal abstract class RowWorker
{
    /// <summary>One buffer per added column, in the order of <see cref="AddedColumnsMap.AddedColumns"/> (a scalar has length 1).</summary>
    internal abstract float[][] Outputs { get; }

    /// <summary>Reads the current input row and computes the outputs; a stateful worker advances its state once.</summary>
    internal abstract void Advance();
}

/// <summary>The row-level description of a transform that appends columns to its input: schemas, the inputs it reads and its per-cursor workers.</summary>
internal abstract class AddedColumnsMap
{
    /// <summary>Initializes the map and builds the output schema: the input columns, then the added ones (an input column of the same name becomes hidden).</summary>
    protected AddedColumnsMap(DataViewSchema inputSchema, IReadOnlyList<(string Name, DataViewType Type)> added)
    {
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var (name, type) in added)
        {
            builder.AddColumn(name, type);
        }

        OutputSchema = builder.ToSchema();
        AddedColumns = added;
    }

    /// <summary>The schema of the rows the map reads.</summary>
    internal DataViewSchema InputSchema { get; }

    /// <summary>The input schema followed by the added columns.</summary>
    internal DataViewSchema OutputSchema { get; }

    /// <summary>The added columns' names and types.</summary>
    internal IReadOnlyList<(string Name, DataViewType Type)> AddedColumns { get; }

    /// <summary>True when rows must be visited in order by one cursor (the state carries over from row to row).</summary>
    internal abstract bool IsStateful { get; }

    /// <summary>The input columns the workers read.</summary>
    internal abstract IEnumerable<DataViewSchema.Column> RequiredInputs { get; }

    /// <summary>
    /// The message of the error a stateful map gives for an input row without a position (Position −1): a row that no
    /// ordered pass produced, as a generic engine hands out when it asks for an output without feeding rows first.
    /// </summary>
    internal virtual string UnpositionedRowMessage =>
        "This transform carries its state from row to row, and this input row has no position (Position -1), so nothing "
        + "has been read to compute it from; read rows in order with Transform, or one at a time with CreatePredictionEngine.";

    /// <summary>Creates a worker reading from <paramref name="input"/> (whose schema is <see cref="InputSchema"/>).</summary>
    internal abstract RowWorker CreateWorker(DataViewRow input);

    /// <summary>True when the output column is one of the added ones.</summary>
    internal bool IsAdded(int outputIndex) => outputIndex >= InputSchema.Count;

    /// <summary>The input columns that the given output columns need (the workers' inputs too when an added column is among them), and whether one is.</summary>
    internal (List<DataViewSchema.Column> Needed, bool AnyAdded) InputsFor(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new List<DataViewSchema.Column>();
        var anyAdded = false;
        foreach (var column in outputColumns)
        {
            if (IsAdded(column.Index))
            {
                anyAdded = true;
            }
            else
            {
                needed.Add(InputSchema[column.Index]);
            }
        }

        if (anyAdded)
        {
            needed.AddRange(RequiredInputs);
        }

        return (needed, anyAdded);
    }

    /// <summary>Whether an output column of <paramref name="row"/>'s mapping is active: an input column as in <paramref name="row"/>, an added one when there is a worker.</summary>
    internal bool IsColumnActive(DataViewSchema.Column column, DataViewRow row, RowWorker? worker) =>
        IsAdded(column.Index) ? worker is not null : row.IsColumnActive(row.Schema[column.Index]);

    /// <summary>The getter of an output column: <paramref name="row"/>'s own for an input column, else one that reads the worker's buffer, advancing it first through <paramref name="refresh"/>.</summary>
    /// <exception cref="InvalidOperationException">The column is an added one but there is no worker; the message ends with <paramref name="inactive"/>.</exception>
    internal ValueGetter<TValue> CreateGetter<TValue>(DataViewSchema.Column column, DataViewRow row, RowWorker? worker, Action refresh, string inactive)
    {
        if (!IsAdded(column.Index))
        {
            return row.GetGetter<TValue>(row.Schema[column.Index]);
        }

        if (worker is null)
        {
            throw new InvalidOperationException($"Column '{column.Name}' {inactive}");
        }

        var k = column.Index - InputSchema.Count;
        var type = AddedColumns[k].Type;
        if (type is VectorDataViewType)
        {
            if (typeof(TValue) != typeof(VBuffer<float>))
            {
                throw GetterMismatch<TValue>(k);
            }

            ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) =>
            {
                refresh();
                var source = worker.Outputs[k];
                var editor = VBufferEditor.Create(ref value, source.Length);
                source.AsSpan().CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)vector;
        }

        if (typeof(TValue) != typeof(float))
        {
            throw GetterMismatch<TValue>(k);
        }

        ValueGetter<float> scalar = (ref float value) =>
        {
            refresh();
            value = worker.Outputs[k][0];
        };
        return (ValueGetter<TValue>)(Delegate)scalar;
    }

    private InvalidOperationException GetterMismatch<TValue>(int k) =>
        new($"Invalid TValue in GetGetter: column '{AddedColumns[k].Name}' is {AddedColumns[k].Type}, the getter asked for {typeof(TValue).Name}.");
}

/// <summary>The data view of a transform that appends columns: a stateful map gets one ordered cursor, a stateless one follows its source.</summary>
internal sealed class AddedColumnsDataView : IDataView
{
    private readonly IDataView _source;
    private readonly AddedColumnsMap _map;

    internal AddedColumnsDataView(IDataView source, AddedColumnsMap map)
    {
        _source = source;
        _map = map;
    }

    public DataViewSchema Schema => _map.OutputSchema;

    public bool CanShuffle => !_map.IsStateful && _source.CanShuffle;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var (needed, anyAdded) = _map.InputsFor(columnsNeeded);
        return Wrap(_source.GetRowCursor(needed, _map.IsStateful ? null : rand), anyAdded);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        if (_map.IsStateful)
        {
            // The state carries from row to row, so the rows must be visited by one cursor, in order.
            return [GetRowCursor(columnsNeeded)];
        }

        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var (needed, anyAdded) = _map.InputsFor(columnsNeeded);
        var sources = _source.GetRowCursorSet(needed, n, rand);
        var cursors = new DataViewRowCursor[sources.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            try
            {
                cursors[i] = Wrap(sources[i], anyAdded);
            }
            catch
            {
                // Wrap disposed sources[i]; close the other sources and the cursors already made.
                for (var j = 0; j < sources.Length; j++)
                {
                    (j < i ? cursors[j] : j > i ? sources[j] : null)?.Dispose();
                }

                throw;
            }
        }

        return cursors;
    }

    /// <summary>Wraps a source cursor, disposing it if the worker cannot be made (so no cursor is left open).</summary>
    private Cursor Wrap(DataViewRowCursor source, bool anyAdded)
    {
        try
        {
            return new Cursor(_map, source, anyAdded);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly AddedColumnsMap _map;
        private readonly DataViewRowCursor _source;
        private readonly RowWorker? _worker;
        private readonly Action _noRefresh = static () => { };

        internal Cursor(AddedColumnsMap map, DataViewRowCursor source, bool anyAdded)
        {
            _map = map;
            _source = source;
            _worker = anyAdded ? map.CreateWorker(source) : null;
        }

        public override DataViewSchema Schema => _map.OutputSchema;

        public override long Position => _source.Position;

        public override long Batch => _source.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _map.IsColumnActive(column, _source, _worker);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            _map.CreateGetter<TValue>(column, _source, _worker, _noRefresh, "was not requested when the cursor was opened.");

        public override bool MoveNext()
        {
            // A transform of ML.NET's between one of ours and this one may run on worker threads and wrap our error.
            if (!RowErrors.MoveNext(_source))
            {
                return false;
            }

            try
            {
                _worker?.Advance();
            }
            catch (Exception error) when (RowErrors.Mark(error))
            {
                // Never entered: Mark returns false and the exception goes on, marked for RowErrors.FindMarked.
                throw;
            }

            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _source.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>The row-to-row mapper of a transform that appends columns, used by <c>PredictionEngine</c>: the worker advances once per new input <see cref="DataViewRow.Position"/>.</summary>
internal sealed class AddedColumnsRowMapper : IRowToRowMapper
{
    private readonly AddedColumnsMap _map;

    internal AddedColumnsRowMapper(AddedColumnsMap map) => _map = map;

    public DataViewSchema InputSchema => _map.InputSchema;

    public DataViewSchema OutputSchema => _map.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var (needed, _) = _map.InputsFor(dependingColumns);
        return needed.Distinct();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        var anyAdded = activeColumns.Any(c => _map.IsAdded(c.Index));
        return new Row(_map, input, anyAdded ? _map.CreateWorker(input) : null);
    }

    private sealed class Row : DataViewRow
    {
        private readonly AddedColumnsMap _map;
        private readonly DataViewRow _input;
        private readonly RowWorker? _worker;
        private readonly Action _refresh;
        private long _lastPosition = -1;

        internal Row(AddedColumnsMap map, DataViewRow input, RowWorker? worker)
        {
            _map = map;
            _input = input;
            _worker = worker;
            _refresh = Refresh;
        }

        public override DataViewSchema Schema => _map.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _map.IsColumnActive(column, _input, _worker);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            _map.CreateGetter<TValue>(column, _input, _worker, _refresh, "is not active in this row.");

        private void Refresh()
        {
            // A stateful map steps once per input row, however many added columns are read from it; a stateless one
            // recomputes on every read, since a caller may change a row's values without moving its position. A row
            // without a position would otherwise never step, and its outputs would be the zeros the buffers start with.
            if (_map.IsStateful && _input.Position < 0)
            {
                throw new InvalidOperationException(_map.UnpositionedRowMessage);
            }

            if (!_map.IsStateful || _input.Position != _lastPosition)
            {
                _lastPosition = _input.Position;
                _worker!.Advance();
            }
        }
    }
}
