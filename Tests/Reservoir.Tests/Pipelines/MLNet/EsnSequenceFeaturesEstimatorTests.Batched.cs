using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines.MLNet;

// The transform's ordered cursors run blocks of rows through the batched engine; these tests hold them to the row-by-row path.
public sealed partial class EsnSequenceFeaturesEstimatorTests
{
    private const int BatchedRows = 150;

    [TestCase(SequenceFeatureKind.LastState, 1)]
    [TestCase(SequenceFeatureKind.MeanState, 1)]
    [TestCase(SequenceFeatureKind.EvenlySpacedStates, 4)]
    public void Transform_RowsOfDifferentLengths_BitIdenticalToRowByRow(SequenceFeatureKind kind, int samples)
    {
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: -1, nonFiniteRow: -1);
        var transformer = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, kind, samples, unitCount: 37, leakRate: 0.5).Fit(data);

        var batched = transformer.Transform(data);
        var rowByRow = ((ColumnAppendingTransformer)transformer).Transform(data);
        using (var cursor = batched.GetRowCursor(batched.Schema))
        {
            Assert.That(cursor.GetType().DeclaringType, Is.EqualTo(typeof(EsnSequenceFeaturesBatchedView)), "the ordered cursor runs in blocks");
        }

        var expected = EstimatorContract.Read(rowByRow, "Features");
        var actual = EstimatorContract.Read(batched, "Features");
        Assert.That(actual, Has.Count.EqualTo(BatchedRows));
        for (var r = 0; r < BatchedRows; r++)
        {
            Assert.That(actual[r], Is.EqualTo(expected[r]), $"row {r}");
        }
    }

    [Test]
    public void Transform_Batched_LastStateEqualsTheStepLoopOfEachRow()
    {
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: -1, nonFiniteRow: -1);
        var transformer = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 37, leakRate: 0.5).Fit(data);
        var actual = EstimatorContract.Read(transformer.Transform(data), "Features");
        var rows = _context.Data.CreateEnumerable<LabelledSequence>(data, reuseRowObject: false).ToArray();

        var reservoir = transformer.Reservoir;
        var state = reservoir.CreateState();
        for (var r = 0; r < rows.Length; r++)
        {
            state.Reset();
            for (var t = 0; t < rows[r].Sequence.Length / 2; t++)
            {
                reservoir.Step(state, [rows[r].Sequence[2 * t], rows[r].Sequence[2 * t + 1]]);
            }

            Assert.That(actual[r], Is.EqualTo(state.Values.ToArray().Select(v => (float)v)), $"row {r}");
        }
    }

    [Test]
    public void Transform_Batched_PassesThroughColumnsOfTheSameRow()
    {
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: -1, nonFiniteRow: -1);
        var output = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 16).Fit(data).Transform(data);

        using var cursor = output.GetRowCursor(output.Schema);
        var label = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema["Label"]);
        var sequence = cursor.GetGetter<VBuffer<float>>(output.Schema["Sequence"]);
        var features = cursor.GetGetter<VBuffer<float>>(output.Schema["Features"]);
        var text = default(ReadOnlyMemory<char>);
        var values = default(VBuffer<float>);
        var row = 0;
        while (cursor.MoveNext())
        {
            label(ref text);
            sequence(ref values);
            features(ref values);
            Assert.That(text.ToString(), Is.EqualTo($"row {row}"));
            Assert.That(cursor.Position, Is.EqualTo(row));
            row++;
        }

        Assert.That(row, Is.EqualTo(BatchedRows));
    }

    [Test]
    public void Transform_BadLengthInALaterBlock_ThrowsAtThatRowAfterServingTheRowsBefore()
    {
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: 100, nonFiniteRow: -1);
        var output = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 16).Fit(data).Transform(data);

        var (served, error) = ReadUntilError(output);

        Assert.That(served, Is.EqualTo(100));
        Assert.That(error, Is.TypeOf<ArgumentException>());
        Assert.That(error!.Message, Does.Contain("at row 100;").And.Contain("InputDimension = 2"));
        Assert.That(((ArgumentException)error).ParamName, Is.EqualTo("input"));
    }

    [Test]
    public void Transform_NonFiniteValue_ThrowsTheRowByRowError()
    {
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: -1, nonFiniteRow: 70);
        var transformer = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 16).Fit(data);

        var (served, error) = ReadUntilError(transformer.Transform(data));
        var (expectedServed, expected) = ReadUntilError(((ColumnAppendingTransformer)transformer).Transform(data));

        Assert.That(served, Is.EqualTo(70));
        Assert.That(served, Is.EqualTo(expectedServed));
        Assert.That(error, Is.TypeOf<ArgumentException>());
        Assert.That(error!.Message, Is.EqualTo(expected!.Message));
        Assert.That(error.Message, Does.Contain("at row 70, step 3, element 1"));
    }

    [Test]
    public void Transform_DivergingBlock_ThrowsTheRowByRowErrorAtTheFirstDivergingRow()
    {
        // Linear units with spectral radius 3 grow by about 3 per step: the long rows overflow, the short ones do not.
        var rows = Enumerable.Range(0, 80).Select(r => new LabelledSequence
        {
            Label = $"row {r}",
            Sequence = Enumerable.Repeat(1f, r == 50 ? 2000 : 5).ToArray(),
        }).ToArray();
        var data = _context.Data.LoadFromEnumerable(rows);
        var options = new EsnSequenceFeaturesEstimator.Options
        {
            OutputColumnName = "Features",
            InputColumnName = "Sequence",
            Reservoir = new ReservoirOptions { UnitCount = 20, Seed = 3, SpectralRadius = 3, Activation = Activation.Identity },
        };
        var transformer = _context.Transforms.EchoStateSequenceFeatures(options).Fit(data);

        var (served, error) = ReadUntilError(transformer.Transform(data));
        var (expectedServed, expected) = ReadUntilError(((ColumnAppendingTransformer)transformer).Transform(data));

        Assert.That(expectedServed, Is.EqualTo(50));
        Assert.That(served, Is.EqualTo(expectedServed));
        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Assert.That(error!.Message, Is.EqualTo(expected!.Message));
    }

    [Test]
    public void Transform_ShuffledCursor_GivesTheSameFeaturesPerRow()
    {
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: -1, nonFiniteRow: -1);
        var output = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 16).Fit(data).Transform(data);
        var ordered = EstimatorContract.Read(output, "Features");

        using var cursor = output.GetRowCursor(output.Schema, new Random(4));
        var label = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema["Label"]);
        var features = cursor.GetGetter<VBuffer<float>>(output.Schema["Features"]);
        var text = default(ReadOnlyMemory<char>);
        var values = default(VBuffer<float>);
        var count = 0;
        while (cursor.MoveNext())
        {
            label(ref text);
            features(ref values);
            var row = int.Parse(text.ToString()[4..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(values.DenseValues().ToArray(), Is.EqualTo(ordered[row]), $"row {row}");
            count++;
        }

        Assert.That(count, Is.EqualTo(BatchedRows));
    }

    [Test]
    public void Transform_SourceThatReordersItsSecondCursor_StillGivesEachRowItsFeatures()
    {
        // The look-ahead cursor sees the rows shuffled, so its row ids disagree with the main cursor's: the rows are computed one by one.
        var data = LabelledSequences(BatchedRows, dimension: 2, invalidRow: -1, nonFiniteRow: -1);
        var transformer = _context.Transforms.EchoStateSequenceFeatures("Features", "Sequence", 2, unitCount: 16).Fit(data);

        var expected = EstimatorContract.Read(((ColumnAppendingTransformer)transformer).Transform(data), "Features");
        var actual = EstimatorContract.Read(transformer.Transform(new SecondCursorShuffled(data)), "Features");

        Assert.That(actual, Is.EqualTo(expected));
    }

    private static (int Served, Exception? Error) ReadUntilError(IDataView view)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        var values = default(VBuffer<float>);
        var served = 0;
        try
        {
            while (cursor.MoveNext())
            {
                features(ref values);
                served++;
            }
        }
        catch (Exception error)
        {
            return (served, error);
        }

        return (served, null);
    }

    // Rows of lengths 1 to 97 steps, in no order; one row may have a length that is not a multiple of D, one a NaN at step 3.
    private IDataView LabelledSequences(int rows, int dimension, int invalidRow, int nonFiniteRow)
    {
        var random = new Random(11);
        return _context.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(r =>
        {
            var steps = 1 + (r * 37) % 97;
            var values = Enumerable.Range(0, dimension * Math.Max(steps, 4)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            if (r == nonFiniteRow)
            {
                values[3 * dimension + 1] = float.NaN;
            }

            return new LabelledSequence { Label = $"row {r}", Sequence = r == invalidRow ? values[..^1] : values };
        }).ToArray());
    }

    // A source whose every second cursor is shuffled, whatever the caller asked: a source that does not repeat its order.
    private sealed class SecondCursorShuffled(IDataView source) : IDataView
    {
        private int _cursors;

        public bool CanShuffle => source.CanShuffle;

        public DataViewSchema Schema => source.Schema;

        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            source.GetRowCursor(columnsNeeded, ++_cursors % 2 == 0 ? new Random(5) : rand);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];
    }
}
