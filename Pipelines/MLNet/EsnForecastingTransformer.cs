using System.Collections.Immutable;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Forecasts the next H values of a series from every row, with the echo state networks trained by <see cref="EsnForecastingEstimator"/>.</summary>
/// <remarks>
/// <para>See <see cref="EsnForecastingEstimator"/> for the characteristics table. A transformer holds one of two forecasters:
/// the <b>automatic</b> one (<see cref="Model"/>, a <see cref="SeriesForecastModel"/>: the default) or <b>one fixed
/// reservoir</b> (<see cref="Network"/>: when reservoir settings or exogenous columns were given).</para>
/// <para><c>Transform</c> reads the rows in order with one cursor (the data view cannot shuffle); each row's forecast
/// columns hold the forecast of the H values after it. The automatic forecaster reads a view's rows as the values that
/// follow its training series, as <c>ForecastBySsa</c> does: transform the rows after the training data. One fixed
/// reservoir starts each view from the zero state and forecasts from the rows up to and including each row; its first
/// <see cref="EchoStateNetwork.WashoutSteps"/> rows are forecast from a state that is still warming up.</para>
/// <para><see cref="ColumnAppendingTransformer.IsRowToRowMapper"/> is true although the state runs across rows, because ML.NET builds a
/// <c>PredictionEngine</c> only over row-to-row mappers; ML.NET then maps one row per <c>Predict</c>, and the mapper starts
/// where <c>Transform</c> starts and advances once per new input row position, giving the rows of <c>Transform</c>. To continue after the
/// training series, with forecasts on demand and checkpoints, use <c>CreateTimeSeriesEngine</c>.</para>
/// <para>The transformer is immutable and thread-safe; running states live in each cursor and engine.</para>
/// </remarks>
public sealed class EsnForecastingTransformer : ColumnAppendingTransformer
{
    internal const string Kind = "ML.NET EsnForecastingTransformer";

    /// <summary>Version 2 adds the automatic forecaster; version 1 files (one fixed reservoir) still load.</summary>
    private const ushort Version = 2;

    private readonly string[] _exogenous;
    private readonly double[]? _lower;
    private readonly double[]? _upper;
    private readonly ForecastPosition? _end;
    private readonly SeriesForecastEngine? _automaticEnd;

    /// <summary>A transformer over one fixed reservoir, whose time-series engines start at <paramref name="end"/>.</summary>
    internal EsnForecastingTransformer(EchoStateNetwork network, EsnForecastMethod method, int horizon, string inputColumnName,
        string[] exogenousColumnNames, string outputColumnName, string? lowerBoundColumn, string? upperBoundColumn,
        float confidenceLevel, double[]? lowerOffsets, double[]? upperOffsets, ForecastPosition end)
        : this(method, horizon, inputColumnName, exogenousColumnNames, outputColumnName, lowerBoundColumn, upperBoundColumn, confidenceLevel)
    {
        Network = network;
        _lower = lowerOffsets;
        _upper = upperOffsets;
        _end = end;
    }

    /// <summary>A transformer over the automatic forecaster, whose time-series engines start where <paramref name="end"/> is (never moved: engines copy it).</summary>
    internal EsnForecastingTransformer(SeriesForecastEngine end, string inputColumnName, string outputColumnName, string? lowerBoundColumn,
        string? upperBoundColumn, float confidenceLevel)
        : this(end.Model.Configuration.Method == SeriesForecastMethod.Direct ? EsnForecastMethod.Direct : EsnForecastMethod.ClosedLoop,
            end.Model.Horizon, inputColumnName, [], outputColumnName, lowerBoundColumn, upperBoundColumn, confidenceLevel)
    {
        Model = end.Model;
        _automaticEnd = end;
    }

    private EsnForecastingTransformer(EsnForecastMethod method, int horizon, string inputColumnName, string[] exogenousColumnNames,
        string outputColumnName, string? lowerBoundColumn, string? upperBoundColumn, float confidenceLevel)
    {
        Method = method;
        Horizon = horizon;
        InputColumnName = inputColumnName;
        _exogenous = exogenousColumnNames;
        ExogenousColumnNames = [.. exogenousColumnNames];
        OutputColumnName = outputColumnName;
        ConfidenceLowerBoundColumn = lowerBoundColumn;
        ConfidenceUpperBoundColumn = upperBoundColumn;
        ConfidenceLevel = confidenceLevel;
    }

    /// <summary>The automatic forecaster (its preprocessing, choices and ensemble are in <see cref="SeriesForecastModel.Configuration"/>), or null when the transformer holds one fixed reservoir.</summary>
    public SeriesForecastModel? Model { get; }

    /// <summary>The one fixed reservoir's fitted network (for <see cref="EsnForecastMethod.Direct"/>, its outputs are the H·D next values of every input column), or null when the transformer holds the automatic forecaster (<see cref="Model"/>).</summary>
    public EchoStateNetwork? Network { get; }

    /// <summary>How the forecast is made (for the automatic forecaster, the method of the best candidate of its validation).</summary>
    public EsnForecastMethod Method { get; }

    /// <summary>H, the number of values forecast from each row.</summary>
    public int Horizon { get; }

    /// <summary>The series column's name.</summary>
    public string InputColumnName { get; }

    /// <summary>The exogenous columns' names, in the order the network reads them after the series.</summary>
    public ImmutableArray<string> ExogenousColumnNames { get; }

    /// <summary>The forecast column's name.</summary>
    public string OutputColumnName { get; }

    /// <summary>The lower-bound column's name, or null when there are no bounds.</summary>
    public string? ConfidenceLowerBoundColumn { get; }

    /// <summary>The upper-bound column's name, or null when there are no bounds.</summary>
    public string? ConfidenceUpperBoundColumn { get; }

    /// <summary>The coverage the bounds were measured for.</summary>
    public float ConfidenceLevel { get; }

    /// <summary>The lower bound minus the forecast for each step k = 1..H (at most 0), or empty when there are no bounds or the forecaster is automatic (its bounds follow its Box–Cox transform, see <see cref="SeriesForecastModel"/>); a copy.</summary>
    public double[] LowerBoundOffsets => _lower?.ToArray() ?? [];

    /// <summary>The upper bound minus the forecast for each step k = 1..H (at least 0), or empty when there are no bounds or the forecaster is automatic; a copy.</summary>
    public double[] UpperBoundOffsets => _upper?.ToArray() ?? [];

    internal bool HasBounds => ConfidenceLowerBoundColumn is not null;

    internal override string SegmentKind => Kind;

    /// <summary>A forecaster where time-series engines start: the end of the training series, or the point of a checkpoint.</summary>
    internal EsnForecaster CreateEngineForecaster() =>
        _automaticEnd is { } automatic
            ? new EsnForecaster.Automatic(automatic.Clone(), ConfidenceLevel)
            : new EsnForecaster.OneNetwork(Network!, _end!, _lower, _upper);

    /// <summary>A forecaster where <c>Transform</c> and prediction engines start: after the training series for the automatic forecaster, the zero state for one fixed reservoir.</summary>
    internal EsnForecaster CreateRowForecaster() =>
        _automaticEnd is { } automatic
            ? new EsnForecaster.Automatic(automatic.Clone(), ConfidenceLevel)
            : new EsnForecaster.OneNetwork(Network!, ForecastPosition.Start(Network!), _lower, _upper);

    /// <summary>Writes the forecast (and bounds) of the next <c>forecast.Length</c> values into float buffers; <paramref name="lower"/> and <paramref name="upper"/> are empty when there are no bounds.</summary>
    internal static void WriteOutputs(EsnForecaster forecaster, Span<double> forecast, Span<double> lower, Span<double> upper, Span<float> values,
        Span<float> lowerValues, Span<float> upperValues)
    {
        forecaster.Forecast(forecast, lower, upper);
        for (var k = 0; k < forecast.Length; k++)
        {
            values[k] = (float)forecast[k];
            if (!lower.IsEmpty)
            {
                lowerValues[k] = (float)lower[k];
                upperValues[k] = (float)upper[k];
            }
        }
    }

    /// <summary>A copy of this one-reservoir transformer that starts its time-series engines at <paramref name="end"/>.</summary>
    internal EsnForecastingTransformer WithEnd(ForecastPosition end) =>
        new(Network!, Method, Horizon, InputColumnName, _exogenous, OutputColumnName, ConfidenceLowerBoundColumn, ConfidenceUpperBoundColumn,
            ConfidenceLevel, _lower, _upper, end);

    /// <summary>A copy of this automatic transformer that starts its time-series engines where <paramref name="end"/> is.</summary>
    internal EsnForecastingTransformer WithEnd(SeriesForecastEngine end) =>
        new(end, InputColumnName, OutputColumnName, ConfidenceLowerBoundColumn, ConfidenceUpperBoundColumn, ConfidenceLevel);

    internal override void Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Kind, Version);
        writer.WriteBoolean(_automaticEnd is not null);
        writer.WriteEnum(Method);
        writer.WriteInt32(Horizon);
        writer.WriteString(InputColumnName);
        writer.WriteInt32(_exogenous.Length);
        foreach (var name in _exogenous)
        {
            writer.WriteString(name);
        }

        writer.WriteString(OutputColumnName);
        writer.WriteBoolean(HasBounds);
        if (HasBounds)
        {
            writer.WriteString(ConfidenceLowerBoundColumn!);
            writer.WriteString(ConfidenceUpperBoundColumn!);
            writer.WriteDouble(ConfidenceLevel);
            if (_automaticEnd is null)
            {
                writer.WriteDoubles(_lower!);
                writer.WriteDoubles(_upper!);
            }
        }

        if (_automaticEnd is { } automatic)
        {
            SeriesForecastModelSerializer.Write(writer, automatic);
            return;
        }

        EchoStateNetworkSerializer.Write(writer, Network!);
        _end!.Write(writer);
    }

    internal static EsnForecastingTransformer Read(ModelReader reader)
    {
        var version = reader.ReadSectionHeader(Kind, Version);
        var automatic = version >= 2 && reader.ReadBoolean("whether the forecaster is automatic");
        var method = reader.ReadEnum<EsnForecastMethod>("the forecast method");
        var horizon = reader.ReadInt32("the horizon", 1, int.MaxValue);
        var input = reader.ReadString("the input column name");
        var exogenous = new string[reader.ReadInt32("the exogenous column count", 0, 4096)];
        for (var i = 0; i < exogenous.Length; i++)
        {
            exogenous[i] = reader.ReadString("an exogenous column name");
        }

        var output = reader.ReadString("the output column name");
        string? lowerColumn = null;
        string? upperColumn = null;
        double[]? lower = null;
        double[]? upper = null;
        var level = 0.95f;
        if (reader.ReadBoolean("whether there are bounds"))
        {
            lowerColumn = reader.ReadString("the lower-bound column name");
            upperColumn = reader.ReadString("the upper-bound column name");
            var levelOffset = reader.Offset;
            var storedLevel = reader.ReadFiniteDouble("the confidence level");
            if (storedLevel <= 0 || storedLevel >= 1)
            {
                throw new ModelFormatException($"Invalid confidence level at offset {levelOffset}: {storedLevel} is outside (0, 1).");
            }

            level = (float)storedLevel;
            if (!automatic)
            {
                lower = reader.ReadFiniteDoubles("the lower-bound offsets", horizon);
                upper = reader.ReadFiniteDoubles("the upper-bound offsets", horizon);
            }
        }

        if (automatic)
        {
            return ReadAutomatic(reader, method, horizon, input, exogenous, output, lowerColumn, upperColumn, level);
        }

        var network = EchoStateNetworkSerializer.Read(reader);
        var expectedOutputs = method == EsnForecastMethod.Direct ? horizon * network.InputDimension : network.InputDimension;
        if (network.InputDimension != 1 + exogenous.Length || network.OutputDimension != expectedOutputs
            || (method == EsnForecastMethod.Direct) != (network.Horizon == horizon && network.IsDirect))
        {
            throw new ModelFormatException(
                $"The forecaster's network reads {network.InputDimension} values and writes {network.OutputDimension}, which does not fit {method} forecasting of {horizon} steps with {exogenous.Length} exogenous columns.");
        }

        return new EsnForecastingTransformer(network, method, horizon, input, exogenous, output, lowerColumn, upperColumn, level, lower, upper,
            ForecastPosition.Read(reader, network));
    }

    private static EsnForecastingTransformer ReadAutomatic(ModelReader reader, EsnForecastMethod method, int horizon, string input,
        string[] exogenous, string output, string? lowerColumn, string? upperColumn, float level)
    {
        var offset = reader.Offset;
        var end = SeriesForecastModelSerializer.ReadEngine(reader);
        var transformer = new EsnForecastingTransformer(end, input, output, lowerColumn, upperColumn, level);
        if (exogenous.Length > 0 || transformer.Horizon != horizon || transformer.Method != method)
        {
            throw new ModelFormatException(
                $"The automatic forecaster at offset {offset} forecasts {transformer.Horizon} steps by {transformer.Method} with no exogenous columns, "
                + $"which does not fit the segment's {method} forecasting of {horizon} steps with {exogenous.Length} exogenous columns.");
        }

        return transformer;
    }

    private protected override AddedColumnsMap CreateMap(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        var columns = new DataViewSchema.Column[1 + _exogenous.Length];
        columns[0] = ColumnChecks.Single(schema, InputColumnName, "input", paramName);
        for (var i = 0; i < _exogenous.Length; i++)
        {
            columns[i + 1] = ColumnChecks.Single(schema, _exogenous[i], "exogenous", paramName);
        }

        var type = new VectorDataViewType(NumberDataViewType.Single, Horizon);
        var added = new List<(string, DataViewType)> { (OutputColumnName, type) };
        if (HasBounds)
        {
            added.Add((ConfidenceLowerBoundColumn!, type));
            added.Add((ConfidenceUpperBoundColumn!, type));
        }

        return new Map(this, schema, columns, added);
    }

    private sealed class Map(EsnForecastingTransformer owner, DataViewSchema schema, DataViewSchema.Column[] inputs,
        IReadOnlyList<(string, DataViewType)> added) : AddedColumnsMap(schema, added)
    {
        internal override bool IsStateful => true;

        internal override IEnumerable<DataViewSchema.Column> RequiredInputs => inputs;

        internal override string UnpositionedRowMessage =>
            "The ESN forecaster forecasts from the rows it has read, and this input row has no position (Position -1): it "
            + "was asked for a forecast without the series' history, which a generic engine such as Microsoft.ML.TimeSeries' "
            + "CreateTimeSeriesEngine does. To continue after the training series, use this toolkit's engine: "
            + "transformer.CreateTimeSeriesEngine<TSrc, TDst>(mlContext) on the fitted forecaster, or "
            + "model.CreateEsnTimeSeriesEngine<TSrc, TDst>(mlContext) on a pipeline from LoadPipeline.";

        internal override RowWorker CreateWorker(DataViewRow row) => new Worker(owner, inputs, row);
    }

    private sealed class Worker : RowWorker
    {
        private readonly EsnForecastingTransformer _owner;
        private readonly DataViewSchema.Column[] _inputs;
        private readonly ValueGetter<float>[] _getters;
        private readonly DataViewRow _row;
        private readonly EsnForecaster _forecaster;
        private readonly double[] _observation;
        private readonly double[] _forecast;
        private readonly double[] _lower;
        private readonly double[] _upper;
        private readonly float[][] _outputs;

        internal Worker(EsnForecastingTransformer owner, DataViewSchema.Column[] inputs, DataViewRow row)
        {
            _owner = owner;
            _inputs = inputs;
            _row = row;
            _getters = inputs.Select(row.GetGetter<float>).ToArray();
            _forecaster = owner.CreateRowForecaster();
            _observation = new double[inputs.Length];
            _forecast = new double[owner.Horizon];
            _lower = owner.HasBounds ? new double[owner.Horizon] : [];
            _upper = owner.HasBounds ? new double[owner.Horizon] : [];
            _outputs = owner.HasBounds
                ? [new float[owner.Horizon], new float[owner.Horizon], new float[owner.Horizon]]
                : [new float[owner.Horizon]];
        }

        internal override float[][] Outputs => _outputs;

        internal override void Advance()
        {
            var value = 0f;
            for (var c = 0; c < _getters.Length; c++)
            {
                _getters[c](ref value);
                if (!float.IsFinite(value))
                {
                    throw new ArgumentException(
                        $"Column '{_inputs[c].Name}' holds {Guard.Format(value)} at row {_row.Position}; every value of the series must be finite.",
                        "input");
                }

                _observation[c] = value;
            }

            try
            {
                _forecaster.Update(_observation);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Column '{_inputs[0].Name}' at row {_row.Position}: {OptionChecks.MessageWithoutParameter(e)}", "input", e);
            }

            var bounds = _owner.HasBounds;
            WriteOutputs(_forecaster, _forecast, _lower, _upper, _outputs[0], bounds ? _outputs[1] : default, bounds ? _outputs[2] : default);
        }
    }
}
