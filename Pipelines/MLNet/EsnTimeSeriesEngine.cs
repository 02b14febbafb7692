using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>A running forecaster over a fitted <see cref="EsnForecastingTransformer"/>, like ML.NET's <c>TimeSeriesPredictionEngine</c>: feed observations one at a time, forecast any time, checkpoint and resume.</summary>
/// <typeparam name="TSrc">The observation type: a public field or property of <see cref="float"/> for the series column and each exogenous column, named like the column (or carrying <c>[ColumnName]</c>).</typeparam>
/// <typeparam name="TDst">The forecast type: a public <see cref="float"/>[] field or property per output column (forecast, and the bounds if any), named like the column; it may leave bound columns out.</typeparam>
/// <remarks>
/// <para>A new engine continues right after the training series (or after the point of the checkpoint it was loaded from),
/// so <see cref="Predict()"/> forecasts what follows the training data. <see cref="Predict(TSrc)"/> feeds the observation
/// and then forecasts, so feeding the rows that follow the training series gives the same forecasts as <c>Transform</c>
/// over those rows for the automatic forecaster (which continues after its training series), and over the training series
/// and those rows for one fixed reservoir (which starts a view from the zero state).</para>
/// <para><see cref="CheckPoint(string)"/> writes one <c>SavePipeline</c> file holding the forecaster (networks and bounds) and the
/// engine's current state; <see cref="Load(MLContext, string)"/> (or <c>LoadPipeline</c> followed by
/// <c>CreateTimeSeriesEngine</c>) resumes with identical forecasts. The fitted transformer is never changed.</para>
/// <para>Not thread-safe: an engine owns one mutable state. Create one per thread or per series; they share the fitted networks.</para>
/// </remarks>
/// <example>See Examples/MLNetForecasting/Program.cs.</example>
public sealed class EsnTimeSeriesEngine<TSrc, TDst>
    where TSrc : class
    where TDst : class, new()
{
    private readonly MLContext _context;
    private readonly EsnForecaster _forecaster;
    private readonly DataViewSchema _inputSchema;
    private readonly Func<TSrc, float>[] _readers;
    private readonly string[] _readNames;
    private readonly Action<TDst, float[]> _setForecast;
    private readonly Action<TDst, float[]>? _setLower;
    private readonly Action<TDst, float[]>? _setUpper;
    private readonly double[] _observation;
    private readonly double[] _forecast;
    private readonly double[] _lower;
    private readonly double[] _upper;

    internal EsnTimeSeriesEngine(MLContext context, EsnForecastingTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformer);
        _context = context;
        Transformer = transformer;
        _inputSchema = context.Data.LoadFromEnumerable(Array.Empty<TSrc>()).Schema;

        var source = SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read);
        _readNames = [transformer.InputColumnName, .. transformer.ExogenousColumnNames];
        _readers = new Func<TSrc, float>[_readNames.Length];
        for (var i = 0; i < _readNames.Length; i++)
        {
            var role = i == 0 ? "input" : "exogenous";
            var column = source.FirstOrDefault(c => c.ColumnName == _readNames[i])
                ?? throw ColumnChecks.Missing(role, _readNames[i], nameof(TSrc));
            if (column.ColumnType != NumberDataViewType.Single)
            {
                throw ColumnChecks.Mismatch(role, _readNames[i], "Single", $"{column.ColumnType}", nameof(TSrc));
            }

            _readers[i] = Getter(column.MemberName);
        }

        Action<TDst, float[]>? forecast = null;
        foreach (var column in SchemaDefinition.Create(typeof(TDst), SchemaDefinition.Direction.Write))
        {
            var name = column.ColumnName;
            var isOutput = name == transformer.OutputColumnName
                || (transformer.HasBounds && (name == transformer.ConfidenceLowerBoundColumn || name == transformer.ConfidenceUpperBoundColumn));
            if (!isOutput)
            {
                throw ColumnChecks.Missing("output", name, nameof(TDst));
            }

            var member = typeof(TDst).GetMember(column.MemberName).Single();
            if (MemberType(member) != typeof(float[]))
            {
                throw ColumnChecks.Mismatch("output", name, "Vector<Single> held in a float[] member", MemberType(member).Name, nameof(TDst));
            }

            var setter = Setter(column.MemberName);
            if (name == transformer.OutputColumnName)
            {
                forecast = setter;
            }
            else if (name == transformer.ConfidenceLowerBoundColumn)
            {
                _setLower = setter;
            }
            else
            {
                _setUpper = setter;
            }
        }

        _setForecast = forecast ?? throw ColumnChecks.Missing("output", transformer.OutputColumnName, nameof(TDst));
        _forecaster = transformer.CreateEngineForecaster();
        _observation = new double[_readers.Length];
        _forecast = new double[transformer.Horizon];
        _lower = transformer.HasBounds ? new double[transformer.Horizon] : [];
        _upper = transformer.HasBounds ? new double[transformer.Horizon] : [];
    }

    /// <summary>The fitted transformer the engine forecasts with (not changed by the engine).</summary>
    public EsnForecastingTransformer Transformer { get; }

    /// <summary>H, the largest number of steps a forecast can have.</summary>
    public int Horizon => Transformer.Horizon;

    /// <summary>The number of observations fed since the training series ended (checkpoints keep it).</summary>
    public long UpdateCount => _forecaster.UpdateCount;

    /// <summary>Forecasts the next <see cref="Horizon"/> values without feeding an observation; the engine is not changed.</summary>
    /// <returns>A new <typeparamref name="TDst"/> holding the forecast (and bounds).</returns>
    /// <exception cref="InvalidOperationException">The closed loop diverged.</exception>
    public TDst Predict() => Forecast(Horizon);

    /// <summary>Feeds the next observation, then forecasts the <see cref="Horizon"/> values after it.</summary>
    /// <param name="example">The observation: the series value and any exogenous values, finite.</param>
    /// <returns>A new <typeparamref name="TDst"/> holding the forecast (and bounds).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="example"/> is null.</exception>
    /// <exception cref="ArgumentException">A value is NaN or infinite, or not positive for an automatic forecaster that took a log or Box–Cox transform; the engine is unchanged.</exception>
    /// <exception cref="InvalidOperationException">The closed loop diverged.</exception>
    public TDst Predict(TSrc example) => Predict(example, Horizon);

    /// <summary>Feeds the next observation, then forecasts the <paramref name="horizon"/> values after it.</summary>
    /// <param name="example">The observation, finite.</param>
    /// <param name="horizon">The number of steps, in [1, <see cref="Horizon"/>] (the bounds were measured up to <see cref="Horizon"/>).</param>
    /// <returns>A new <typeparamref name="TDst"/> whose arrays have <paramref name="horizon"/> values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="example"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> is outside [1, <see cref="Horizon"/>]; the engine is unchanged.</exception>
    /// <exception cref="ArgumentException">A value is NaN or infinite, or not positive for an automatic forecaster that took a log or Box–Cox transform; the engine is unchanged.</exception>
    /// <exception cref="InvalidOperationException">The closed loop diverged.</exception>
    public TDst Predict(TSrc example, int horizon)
    {
        ArgumentNullException.ThrowIfNull(example);
        CheckHorizon(horizon);
        for (var i = 0; i < _readers.Length; i++)
        {
            var value = _readers[i](example);
            if (!float.IsFinite(value))
            {
                throw new ArgumentException(
                    $"Column '{_readNames[i]}' of the example holds {Guard.Format(value)}; every value of the series must be finite.", nameof(example));
            }

            _observation[i] = value;
        }

        try
        {
            _forecaster.Update(_observation);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Column '{_readNames[0]}' of the example: {OptionChecks.MessageWithoutParameter(e)}", nameof(example), e);
        }

        return Forecast(horizon);
    }

    /// <summary>Writes the network, the bounds and this engine's state to one pipeline file, atomically.</summary>
    /// <param name="path">The file; <see cref="Load(MLContext, string)"/> or <c>mlContext.Model.LoadPipeline</c> reads it.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file is left unchanged.</exception>
    public void CheckPoint(string path) => _context.Model.SavePipeline(Snapshot(), _inputSchema, path);

    /// <summary>Writes the network, the bounds and this engine's state to a stream, as one pipeline file.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    public void CheckPoint(Stream stream) => _context.Model.SavePipeline(Snapshot(), _inputSchema, stream);

    /// <summary>Resumes an engine from a checkpoint file.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="path">A file written by <see cref="CheckPoint(string)"/> (or a pipeline holding only an ESN forecaster).</param>
    /// <returns>An engine that forecasts exactly as the one that wrote the checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mlContext"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFormatException">The file is corrupt or does not hold exactly one ESN forecaster.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
        Justification = "Load returns an engine of the caller's TSrc and TDst, which cannot be inferred from (MLContext, path or "
            + "stream); a generic method elsewhere would need them spelled out just the same.")]
    public static EsnTimeSeriesEngine<TSrc, TDst> Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new(mlContext, Forecaster(mlContext.Model.LoadPipeline(path, out _)));
    }

    /// <summary>Resumes an engine from a checkpoint stream.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="stream">A readable, seekable stream written by <see cref="CheckPoint(Stream)"/>.</param>
    /// <returns>An engine that forecasts exactly as the one that wrote the checkpoint.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ModelFormatException">The data is corrupt or does not hold exactly one ESN forecaster.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
        Justification = "Load returns an engine of the caller's TSrc and TDst, which cannot be inferred from (MLContext, path or "
            + "stream); a generic method elsewhere would need them spelled out just the same.")]
    public static EsnTimeSeriesEngine<TSrc, TDst> Load(MLContext mlContext, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new(mlContext, Forecaster(mlContext.Model.LoadPipeline(stream, out _)));
    }

    /// <summary>The only transformer of a loaded pipeline, which must be an ESN forecaster.</summary>
    internal static EsnForecastingTransformer Forecaster(ITransformer model)
    {
        var transformers = PipelineFile.Flatten(model).ToList();
        if (transformers is [EsnForecastingTransformer forecaster])
        {
            return forecaster;
        }

        throw new ModelFormatException(
            $"An engine checkpoint holds exactly one {nameof(EsnForecastingTransformer)}; this pipeline holds {transformers.Count} transformer(s): {string.Join(", ", transformers.Select(t => t.GetType().Name))}.");
    }

    private EsnForecastingTransformer Snapshot() => _forecaster.CheckPoint(Transformer);

    private void CheckHorizon(int horizon)
    {
        if (horizon < 1 || horizon > Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"horizon must be in [1, {Horizon}]; was {horizon}.");
        }
    }

    private TDst Forecast(int horizon)
    {
        var values = new float[horizon];
        var lower = Transformer.HasBounds ? new float[horizon] : null;
        var upper = Transformer.HasBounds ? new float[horizon] : null;
        EsnForecastingTransformer.WriteOutputs(_forecaster, _forecast.AsSpan(0, horizon), _lower.AsSpan(0, lower?.Length ?? 0),
            _upper.AsSpan(0, upper?.Length ?? 0), values, lower, upper);
        var result = new TDst();
        _setForecast(result, values);
        _setLower?.Invoke(result, lower!);
        _setUpper?.Invoke(result, upper!);
        return result;
    }

    private static Type MemberType(System.Reflection.MemberInfo member) => member switch
    {
        System.Reflection.FieldInfo field => field.FieldType,
        System.Reflection.PropertyInfo property => property.PropertyType,
        _ => typeof(void),
    };

    private static Func<TSrc, float> Getter(string memberName)
    {
        var instance = Expression.Parameter(typeof(TSrc), "example");
        var body = Expression.Convert(Expression.PropertyOrField(instance, memberName), typeof(float));
        return Expression.Lambda<Func<TSrc, float>>(body, instance).Compile();
    }

    private static Action<TDst, float[]> Setter(string memberName)
    {
        var instance = Expression.Parameter(typeof(TDst), "prediction");
        var value = Expression.Parameter(typeof(float[]), "values");
        var body = Expression.Assign(Expression.PropertyOrField(instance, memberName), value);
        return Expression.Lambda<Action<TDst, float[]>>(body, instance, value).Compile();
    }
}
