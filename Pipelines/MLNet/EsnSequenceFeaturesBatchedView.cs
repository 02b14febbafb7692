using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>
/// The data view of <see cref="ColumnAppendingTransformer.Transform"/> of <see cref="EsnSequenceFeaturesTransformer"/>: an ordered cursor reads its rows ahead in
/// blocks and runs each block through the reservoir's batched engine; any other cursor maps row by row.
/// </summary>
/// <remarks>
/// <para>
/// A batched cursor holds two cursors over the source, both without shuffling: the main one, whose row it shows (the
/// passed-through columns, <see cref="DataViewRow.Position"/> and the row id), and a look-ahead one over the sequence
/// column only. When the main cursor leaves the current block, the look-ahead cursor reads the next
/// <see cref="BlockRows"/> rows, and <see cref="EchoStateReservoir.RunStreamed(IReadOnlyList{double[,]}, SequenceBlockHandler, int, IReadOnlyList{double[,]}, int, int)"/>
/// runs their sequences together (groups of up to <see cref="EchoStateReservoir.MaxBatchSize"/> stepped as one block,
/// the groups on all cores). Each sequence's states are bit-identical to its own run from the zero state, and the
/// summaries add them up in the same order as the row-by-row worker, so the features are too.
/// </para>
/// <para>
/// The rows are still computed lazily, one block at a time, and the errors keep their rows: a sequence of a bad length
/// fails when the main cursor reaches it, and a block whose run fails (a state that became non-finite), or a row with a
/// non-finite value, is computed row by row when reached, so its exception is the one the row-by-row worker throws.
/// Each row of a block carries its source row id; if the look-ahead cursor fails or ever shows another row than the
/// main one (a source that does not repeat its order), the cursor computes the remaining rows one by one from the main
/// cursor. The source column is read twice (once by each cursor): put a cache checkpoint before the transform when
/// computing it is costly.
/// </para>
/// <para>
/// A reservoir with state noise (its stream runs through the rows in order), a shuffled cursor, and a cursor without the
/// feature column map row by row, as before. A request for a cursor set without shuffling gets one batched cursor,
/// which uses every core itself.
/// </para>
/// </remarks>
internal sealed class EsnSequenceFeaturesBatchedView : IDataView
{
    /// <summary>The rows read ahead and run together: two groups of <see cref="EchoStateReservoir.MaxBatchSize"/>, one per core of a two-core machine.</summary>
    internal const int BlockRows = 2 * EchoStateReservoir.MaxBatchSize;

    /// <summary>The states handed out per streamed block of one sequence (bounds the buffer of each sequence in a group).</summary>
    private const int StateBlockRows = 64;

    private readonly IDataView _source;
    private readonly EsnSequenceFeaturesTransformer _owner;
    private readonly AddedColumnsMap _map;
    private readonly DataViewSchema.Column _input;
    private readonly Func<DataViewRow, RowWorker> _createRowWorker;
    private readonly AddedColumnsDataView _rowByRow;

    internal EsnSequenceFeaturesBatchedView(IDataView source, EsnSequenceFeaturesTransformer owner, AddedColumnsMap map,
        DataViewSchema.Column input, Func<DataViewRow, RowWorker> createRowWorker)
    {
        _source = source;
        _owner = owner;
        _map = map;
        _input = input;
        _createRowWorker = createRowWorker;
        _rowByRow = new AddedColumnsDataView(source, map);
    }

    public DataViewSchema Schema => _rowByRow.Schema;

    public bool CanShuffle => _rowByRow.CanShuffle;

    public long? GetRowCount() => _rowByRow.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var columns = columnsNeeded.ToList();
        return Batches(columns, rand) ? OpenBatched(columns) : _rowByRow.GetRowCursor(columns, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var columns = columnsNeeded.ToList();
        return Batches(columns, rand) ? [OpenBatched(columns)] : _rowByRow.GetRowCursorSet(columns, n, rand);
    }

    /// <summary>Whether a cursor over <paramref name="columns"/> runs in blocks: ordered, stateless, and the features requested.</summary>
    private bool Batches(List<DataViewSchema.Column> columns, Random? rand) =>
        rand is null && !_map.IsStateful && columns.Exists(c => _map.IsAdded(c.Index));

    private BlockCursor OpenBatched(List<DataViewSchema.Column> columns)
    {
        var (needed, _) = _map.InputsFor(columns);
        var main = _source.GetRowCursor(needed);
        DataViewRowCursor? ahead = null;
        try
        {
            ahead = _source.GetRowCursor([_input]);
            return new BlockCursor(this, main, ahead);
        }
        catch
        {
            main.Dispose();
            ahead?.Dispose();
            throw;
        }
    }

    /// <summary>How a row of a block is served.</summary>
    private enum RowKind
    {
        /// <summary>Its features were computed by the batched run.</summary>
        Batched,

        /// <summary>It is computed alone when reached (a non-finite value, or its block's run failed), as the row-by-row worker does.</summary>
        Alone,

        /// <summary>Its length is wrong; the error is thrown when reached.</summary>
        Invalid,
    }

    private sealed class BlockCursor : DataViewRowCursor
    {
        private readonly EsnSequenceFeaturesBatchedView _view;
        private readonly DataViewRowCursor _main;
        private readonly ValueGetter<DataViewRowId> _mainId;
        private readonly Action _noRefresh = static () => { };
        private readonly CurrentRow _current;
        private readonly DataViewRowId[] _ids = new DataViewRowId[BlockRows];
        private readonly RowKind[] _kinds = new RowKind[BlockRows];
        private readonly double[,]?[] _sequences = new double[BlockRows][,];
        private readonly string?[] _errors = new string?[BlockRows];
        private readonly float[][] _outputs = new float[BlockRows][];
        private DataViewRowCursor? _ahead;
        private ValueGetter<DataViewRowId>? _aheadId;
        private ValueGetter<VBuffer<float>>? _aheadSequence;
        private VBuffer<float> _buffer;
        private int _count;
        private int _next;
        private RowWorker? _rowByRow;
        private SequenceSummary? _alone;
        private ReservoirState? _aloneState;

        internal BlockCursor(EsnSequenceFeaturesBatchedView view, DataViewRowCursor main, DataViewRowCursor ahead)
        {
            _view = view;
            _main = main;
            _ahead = ahead;
            _mainId = main.GetIdGetter();
            _aheadId = ahead.GetIdGetter();
            _aheadSequence = ahead.GetGetter<VBuffer<float>>(view._input);
            _current = new CurrentRow(view._owner.FeatureCount);
            for (var i = 0; i < BlockRows; i++)
            {
                _outputs[i] = new float[view._owner.FeatureCount];
            }
        }

        public override DataViewSchema Schema => _view._map.OutputSchema;

        public override long Position => _main.Position;

        public override long Batch => _main.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _view._map.IsColumnActive(column, _main, _current);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            _view._map.CreateGetter<TValue>(column, _main, _current, _noRefresh, "was not requested when the cursor was opened.");

        public override bool MoveNext()
        {
            if (!RowErrors.MoveNext(_main))
            {
                return false;
            }

            try
            {
                Advance();
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
                _ahead?.Dispose();
                _main.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Advance()
        {
            if (_rowByRow is null)
            {
                if (_next == _count && _ahead is not null)
                {
                    ReadBlock();
                }

                if (_next < _count)
                {
                    var id = default(DataViewRowId);
                    _mainId(ref id);
                    if (id.Equals(_ids[_next]))
                    {
                        Serve(_next++);
                        return;
                    }
                }

                // The look-ahead cursor ended early, failed, or shows another row than the main cursor: go on row by row.
                _ahead?.Dispose();
                _ahead = null;
                _count = _next = 0;
                _rowByRow = _view._createRowWorker(_main);
            }

            _rowByRow.Advance();
            _current.Values = _rowByRow.Outputs[0];
        }

        [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
            Justification = "ParamName is \"input\", the data given to the transform, as the row-by-row worker's error for the same row says.")]
        private void Serve(int row)
        {
            switch (_kinds[row])
            {
                case RowKind.Invalid:
                    throw new ArgumentException(_errors[row], "input");
                case RowKind.Alone:
                    ComputeAlone(_sequences[row]!, _outputs[row]);
                    break;
            }

            _current.Values = _outputs[row];
        }

        /// <summary>Reads up to <see cref="BlockRows"/> rows through the look-ahead cursor and runs their sequences together.</summary>
        private void ReadBlock()
        {
            _count = _next = 0;
            try
            {
                while (_count < BlockRows && _ahead!.MoveNext())
                {
                    _aheadId!(ref _ids[_count]);
                    _aheadSequence!(ref _buffer);
                    Read(_count, _ahead.Position);
                    _count++;
                }
            }
            catch (Exception)
            {
                // The main cursor meets the same row and reports its error itself, row by row; serve the rows read before it.
                _ahead!.Dispose();
                _ahead = null;
            }

            RunBlock();
        }

        /// <summary>Copies the buffered sequence into row <paramref name="row"/> of the block and sorts the row by kind.</summary>
        private void Read(int row, long position)
        {
            var owner = _view._owner;
            var d = owner.Reservoir.InputDimension;
            var length = _buffer.Length;
            _sequences[row] = null;
            if (length == 0 || length % d != 0)
            {
                _kinds[row] = RowKind.Invalid;
                _errors[row] =
                    $"Column '{owner.InputColumnName}' holds {length} values at row {position}; a sequence needs a positive multiple of InputDimension = {d}.";
                return;
            }

            var steps = length / d;
            var sequence = new double[steps, d];
            var flat = sequence.AsSpan();
            var finite = true;
            if (_buffer.IsDense)
            {
                var values = _buffer.GetValues();
                for (var i = 0; i < length; i++)
                {
                    var value = values[i];
                    finite &= float.IsFinite(value);
                    flat[i] = value;
                }
            }
            else
            {
                for (var i = 0; i < length; i++)
                {
                    var value = _buffer.GetItemOrDefault(i);
                    finite &= float.IsFinite(value);
                    flat[i] = value;
                }
            }

            _sequences[row] = sequence;
            _kinds[row] = finite ? RowKind.Batched : RowKind.Alone;
        }

        /// <summary>Runs the block's valid sequences together; if the run fails, they are computed alone when reached.</summary>
        private void RunBlock()
        {
            var rows = new List<int>(_count);
            for (var r = 0; r < _count; r++)
            {
                if (_kinds[r] == RowKind.Batched)
                {
                    rows.Add(r);
                }
            }

            if (rows.Count == 0)
            {
                return;
            }

            var owner = _view._owner;
            var sequences = new double[rows.Count][,];
            var summaries = new SequenceSummary[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                sequences[i] = _sequences[rows[i]]!;
                summaries[i] = new SequenceSummary(owner);
                summaries[i].Begin(_outputs[rows[i]], sequences[i].GetLength(0));
            }

            try
            {
                owner.Reservoir.RunStreamed(sequences, (int sequence, in StateBlock block) =>
                {
                    var n = block.UnitCount;
                    for (var r = 0; r < block.RowCount; r++)
                    {
                        summaries[sequence].Add(block.FirstStep + r, block.States.Slice(r * n, n));
                    }
                }, blockSize: StateBlockRows);
            }
            catch (Exception error) when (error is InvalidOperationException or AggregateException)
            {
                // A state became non-finite: each row then runs alone when reached and throws as the row-by-row worker does.
                foreach (var r in rows)
                {
                    _kinds[r] = RowKind.Alone;
                }

                return;
            }

            foreach (var summary in summaries)
            {
                summary.End();
            }
        }

        /// <summary>Runs one sequence alone exactly as the row-by-row worker does (the same checks, steps and messages).</summary>
        [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
            Justification = "ParamName is \"input\", the data given to the transform, as the row-by-row worker's error for the same row says.")]
        private void ComputeAlone(double[,] sequence, float[] output)
        {
            var owner = _view._owner;
            var reservoir = owner.Reservoir;
            var state = _aloneState ??= reservoir.CreateState();
            var summary = _alone ??= new SequenceSummary(owner);
            var steps = sequence.GetLength(0);
            var d = sequence.GetLength(1);
            var flat = sequence.AsSpan();
            summary.Begin(output, steps);
            state.Reset();
            for (var t = 0; t < steps; t++)
            {
                var input = flat.Slice(t * d, d);
                for (var j = 0; j < d; j++)
                {
                    if (!double.IsFinite(input[j]))
                    {
                        throw new ArgumentException(
                            $"Column '{owner.InputColumnName}' holds {(float)input[j]} at row {_main.Position}, step {t}, element {j}; every value must be finite.",
                            "input");
                    }
                }

                reservoir.Step(state, input);
                summary.Add(t, state.Values);
            }

            summary.End();
        }
    }

    /// <summary>The worker the map's getters read: it only holds the current row's features.</summary>
    private sealed class CurrentRow : RowWorker
    {
        private readonly float[][] _outputs;

        internal CurrentRow(int featureCount) => _outputs = [new float[featureCount]];

        internal float[] Values
        {
            set => _outputs[0] = value;
        }

        internal override float[][] Outputs => _outputs;

        internal override void Advance() =>
            throw new InvalidOperationException("The batched cursor sets the current row itself; this worker is not advanced.");
    }
}

/// <summary>Sums up one sequence's states, step by step, into its features, in the row-by-row worker's order of operations.</summary>
internal sealed class SequenceSummary
{
    private readonly SequenceFeatureKind _kind;
    private readonly int _sampleCount;
    private readonly double[]? _sum;
    private float[] _output = [];
    private int _steps;
    private int _sample;
    private int _nextSampleStep;

    internal SequenceSummary(EsnSequenceFeaturesTransformer owner)
    {
        _kind = owner.Summary;
        _sampleCount = owner.SampleCount;
        _sum = _kind == SequenceFeatureKind.MeanState ? new double[owner.Reservoir.UnitCount] : null;
    }

    /// <summary>Starts a sequence of <paramref name="steps"/> steps whose features go to <paramref name="output"/>.</summary>
    internal void Begin(float[] output, int steps)
    {
        _output = output;
        _steps = steps;
        _sample = 0;
        _nextSampleStep = NextSampleStep();
        if (_sum is not null)
        {
            Array.Clear(_sum);
        }
    }

    /// <summary>Takes the state after step <paramref name="step"/>; the steps come in order, 0 to steps − 1.</summary>
    internal void Add(int step, ReadOnlySpan<double> x)
    {
        var n = x.Length;
        switch (_kind)
        {
            case SequenceFeatureKind.MeanState:
                for (var i = 0; i < n; i++)
                {
                    _sum![i] += x[i];
                }

                break;
            case SequenceFeatureKind.EvenlySpacedStates:
                while (step == _nextSampleStep)
                {
                    Copy(x, _output.AsSpan(_sample * n, n));
                    _sample++;
                    _nextSampleStep = NextSampleStep();
                }

                break;
            default:
                if (step == _steps - 1)
                {
                    Copy(x, _output);
                }

                break;
        }
    }

    /// <summary>Finishes the sequence (the mean divides by the step count).</summary>
    internal void End()
    {
        if (_sum is null)
        {
            return;
        }

        for (var i = 0; i < _sum.Length; i++)
        {
            _output[i] = (float)(_sum[i] / _steps);
        }
    }

    private int NextSampleStep() =>
        _kind == SequenceFeatureKind.EvenlySpacedStates && _sample < _sampleCount
            ? SequenceFeatures.SampleStep(_sample, _sampleCount, _steps)
            : -1;

    private static void Copy(ReadOnlySpan<double> source, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }
}
