using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Reads a <see cref="float"/> or <see cref="float"/>-vector column of the current row into a reused <see cref="double"/> buffer, checking every value is finite.</summary>
internal sealed class InputReader
{
    private readonly ValueGetter<float>? _scalar;
    private readonly ValueGetter<VBuffer<float>>? _vector;
    private readonly double[] _values;
    private VBuffer<float> _buffer;

    internal InputReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType vector)
        {
            _vector = row.GetGetter<VBuffer<float>>(column);
            _values = new double[vector.Size];
        }
        else
        {
            _scalar = row.GetGetter<float>(column);
            _values = new double[1];
        }
    }

    /// <summary>The width of the column.</summary>
    internal int Width => _values.Length;

    /// <summary>Reads the current row's values.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the message names the column, row and element.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is input, the IDataView parameter of the ML.NET Fit or Transform whose rows are read (as "
            + "RidgeRegressionTrainer names it); Read has no parameter that holds the data.")]
    internal double[] Read(string columnName, long position)
    {
        if (_scalar is not null)
        {
            var value = 0f;
            _scalar(ref value);
            _values[0] = value;
        }
        else
        {
            _vector!(ref _buffer);
            if (_buffer.Length != _values.Length)
            {
                throw new ArgumentException(
                    $"Column '{columnName}' has {_buffer.Length} values at row {position}; {_values.Length} were expected.", "input");
            }

            if (_buffer.IsDense)
            {
                var dense = _buffer.GetValues();
                for (var i = 0; i < _values.Length; i++)
                {
                    _values[i] = dense[i];
                }
            }
            else
            {
                Array.Clear(_values);
                var values = _buffer.GetValues();
                var indices = _buffer.GetIndices();
                for (var k = 0; k < values.Length; k++)
                {
                    _values[indices[k]] = values[k];
                }
            }
        }

        for (var i = 0; i < _values.Length; i++)
        {
            if (!double.IsFinite(_values[i]))
            {
                throw new ArgumentException(
                    $"Column '{columnName}' holds {_values[i]} at row {position}, element {i}; every value must be finite.", "input");
            }
        }

        return _values;
    }
}
