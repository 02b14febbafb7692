using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The ML.NET estimator of <see cref="EsnForecastingTransformer"/>: echo state networks that forecast the next H values of a series, shaped like ML.NET's <c>ForecastBySsa</c>.</summary>
/// <remarks>
/// <para><b>The automatic forecaster (the default).</b> With no reservoir setting, <c>Fit</c> hands the series to
/// <see cref="SeriesForecaster"/>: gaps filled (<see cref="Options.MissingValues"/>), a Box–Cox transform chosen by
/// Guerrero's method, the season detected (or <see cref="Options.SeasonalPeriod"/>), a difference where a KPSS test asks
/// for one, units whose time constants are sampled up to the found season, candidates chosen by rolling-origin validation
/// on the end of the series, and an ensemble of reservoirs of different seeds whose forecasts are averaged. Unit count and
/// washout scale with the series' length, so a series of 2H + 16 values forecasts. The bounds come from the validation
/// errors. What was chosen is in <see cref="EsnForecastingTransformer.Model"/>'s configuration.</para>
/// <para><b>One fixed reservoir.</b> Setting any of the reservoir's dynamics (<see cref="EsnReservoirSettings.LeakRate"/>,
/// <see cref="EsnReservoirSettings.SpectralRadius"/>, <see cref="EsnReservoirSettings.InputScaling"/>, the connectivities,
/// <see cref="EsnReservoirSettings.BiasScaling"/>, <see cref="EsnReservoirSettings.Activation"/> or
/// <see cref="EsnReservoirSettings.Reservoir"/>), <see cref="Options.L2Regularization"/> or exogenous columns trains the one
/// network those settings describe, with no preprocessing: the reservoir runs
/// <c>x[t] = (1−a)⊙x[t−1] + a⊙f(W·x[t−1] + Win·u[t] + b)</c> over the standardised inputs u[t] = [y(t); exogenous(t)], and a
/// ridge readout, solved in closed form, maps [1; u[t]; x[t]] to the forecast. With <see cref="EsnForecastMethod.Direct"/>
/// (its default) one readout gives y(t+1), …, y(t+H) at once; with <see cref="EsnForecastMethod.ClosedLoop"/> a one-step
/// readout is fed back H times. Unset fields take the values of <see cref="MLNetDefaults"/>.</para>
/// <para><b>Exogenous columns</b> (one fixed reservoir only). Their future values are unknown when forecasting. The direct
/// method never needs them: the readout maps the state after row t, which has read every exogenous value up to t, straight
/// to y(t+1..t+H) (the multivariate setting of dotnet/machinelearning#5638). The closed loop would have to invent them, so
/// it refuses exogenous columns instead of silently holding them constant.</para>
/// <para><b>Confidence bounds of one fixed reservoir.</b> When bound columns are named, the network is first trained on the
/// series without its last <see cref="Options.HeldOutLength"/> rows (or <see cref="Options.HeldOutFraction"/> of them); it
/// then forecasts from every row of that held-out tail, and for each step k the bounds are the empirical (1−c)/2 and
/// (1+c)/2 quantiles (linear interpolation) of the k-step errors, widened to contain 0 so that lower ≤ forecast ≤ upper.
/// The network is then retrained on the whole series, so the bounds were measured on a model that saw less data: they
/// tend to be slightly wide.</para>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Trains on data?</term><description>Yes: one pass reads the series in row order.</description></item>
/// <item><term>Stateful across rows?</term><description>Yes: <c>Transform</c> reads the rows in order with one cursor; each row's output forecasts the H values after it. The automatic forecaster reads a view as the rows that follow its training series (as <c>ForecastBySsa</c> does); one fixed reservoir starts each view from the zero state.</description></item>
/// <item><term>Input columns</term><description>The series and each exogenous column: <see cref="float"/>. Finite, except that the automatic forecaster fills NaN gaps in its training series.</description></item>
/// <item><term>Output columns</term><description>Forecast, and the optional lower and upper bounds: known-size vectors of <see cref="float"/> of length H.</description></item>
/// <item><term>Deterministic?</term><description>Yes, given <see cref="EsnReservoirSettings.Seed"/> (the MLContext's seed is not used).</description></item>
/// <item><term>Online use</term><description><c>transformer.CreateTimeSeriesEngine&lt;TSrc, TDst&gt;(mlContext)</c> continues after the training series, with <c>CheckPoint</c>; after <c>LoadPipeline</c>, <c>model.CreateEsnTimeSeriesEngine&lt;TSrc, TDst&gt;(mlContext)</c>.</description></item>
/// <item><term>Saving</term><description><c>mlContext.Model.SavePipeline</c> / <c>LoadPipeline</c>; ML.NET's <c>Model.Save</c> throws <see cref="NotSupportedException"/>.</description></item>
/// </list>
/// <para>The estimator is immutable and thread-safe.</para>
/// </remarks>
public sealed class EsnForecastingEstimator : IEstimator<EsnForecastingTransformer>
{
    private readonly Options _options;
    private readonly string[] _exogenous;
    private readonly bool _automatic;

    /// <summary>Initializes a new instance of the <see cref="EsnForecastingEstimator"/> class and validates its options.</summary>
    /// <param name="options">The columns and hyperparameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range (Horizon &lt; 1, ConfidenceLevel outside (0, 1), …); the exception names it and its value.</exception>
    /// <exception cref="ArgumentException">A column name is missing or repeated, only one bound column is named, exogenous columns are given to the closed loop, a simple reservoir field is set beside <see cref="EsnReservoirSettings.Reservoir"/>, the reservoir has output feedback, or a setting of the automatic forecaster is given with one fixed reservoir (or the other way round).</exception>
    public EsnForecastingEstimator(Options options)
        : this(options, ParameterNaming.OptionsField)
    {
    }

    /// <summary>Validates the options; an exception names the catalog parameter or the Options field, as the caller wrote it.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "Validates the Options class: ParamName is the Options field that holds the bad value (ExogenousColumnNames),"
            + " as in every check here.")]
    internal EsnForecastingEstimator(Options options, ParameterNaming naming)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionChecks.ColumnName(options.OutputColumnName, nameof(options.OutputColumnName), naming);
        OptionChecks.ColumnName(options.InputColumnName, nameof(options.InputColumnName), naming);
        OptionChecks.AtLeast(options.Horizon, 1, nameof(options.Horizon), naming);
        OptionChecks.InOpenUnitInterval(options.ConfidenceLevel, nameof(options.ConfidenceLevel), naming);
        var lowerBoundSet = !string.IsNullOrEmpty(options.ConfidenceLowerBoundColumn);
        if (lowerBoundSet == string.IsNullOrEmpty(options.ConfidenceUpperBoundColumn))
        {
            var missing = naming.Name(lowerBoundSet ? nameof(options.ConfidenceUpperBoundColumn) : nameof(options.ConfidenceLowerBoundColumn));
            var given = naming.Name(lowerBoundSet ? nameof(options.ConfidenceLowerBoundColumn) : nameof(options.ConfidenceUpperBoundColumn));
            throw new ArgumentException($"{given} is set but {missing} is not; name both bound columns, or neither.", missing);
        }

        if (options.HeldOutFraction is { } heldOutFraction)
        {
            OptionChecks.InOpenUnitInterval(heldOutFraction, nameof(options.HeldOutFraction), naming);
        }

        OptionChecks.AtLeast(options.HeldOutLength, options.Horizon, nameof(options.HeldOutLength), naming);
        OptionChecks.AtLeast(options.WashoutSteps, 0, nameof(options.WashoutSteps), naming);
        OptionChecks.NonNegative(options.L2Regularization, nameof(options.L2Regularization), naming);
        OptionChecks.AtLeast(options.SeasonalPeriod, 1, nameof(options.SeasonalPeriod), naming);
        if (options.MissingValues is { } missingValues)
        {
            OptionChecks.Defined(missingValues, nameof(options.MissingValues), naming);
        }

        if (options.ExogenousColumnNames is { IsDefault: true })
        {
            throw new ArgumentException(
                "ExogenousColumnNames is a default (uninitialised) ImmutableArray; give the names, or null for none.",
                nameof(options.ExogenousColumnNames));
        }

        _exogenous = options.ExogenousColumnNames is { } exogenous ? [.. exogenous] : [];
        if (options.Method is { } method)
        {
            OptionChecks.Defined(method, nameof(options.Method), naming);
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { options.InputColumnName };
        foreach (var name in _exogenous)
        {
            if (string.IsNullOrEmpty(name) || !names.Add(name))
            {
                var parameter = naming.Name(nameof(options.ExogenousColumnNames));
                throw new ArgumentException(
                    $"{parameter} must be non-empty, distinct and differ from the input column '{options.InputColumnName}'; '{name}' is not.", parameter);
            }
        }

        if (options.Method is EsnForecastMethod.ClosedLoop && _exogenous.Length > 0)
        {
            throw new ArgumentException(
                "The closed loop feeds its own forecasts back as inputs and cannot forecast exogenous columns; use EsnForecastMethod.Direct with exogenous columns.",
                naming.Name(nameof(options.ExogenousColumnNames)));
        }

        if (lowerBoundSet
            && (options.ConfidenceLowerBoundColumn == options.OutputColumnName || options.ConfidenceUpperBoundColumn == options.OutputColumnName
                || options.ConfidenceLowerBoundColumn == options.ConfidenceUpperBoundColumn))
        {
            throw new ArgumentException(
                $"The forecast and bound columns must have three different names; they are '{options.OutputColumnName}', "
                + $"'{options.ConfidenceLowerBoundColumn}' and '{options.ConfidenceUpperBoundColumn}'.",
                naming.Name(options.ConfidenceUpperBoundColumn == options.OutputColumnName
                    ? nameof(options.ConfidenceUpperBoundColumn)
                    : nameof(options.ConfidenceLowerBoundColumn)));
        }

        _automatic = CheckMode(options, _exogenous.Length, naming);
        _options = options.CopyReservoirTo(new Options
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = options.InputColumnName,
            Horizon = options.Horizon,
            ExogenousColumnNames = [.. _exogenous],
            ConfidenceLowerBoundColumn = string.IsNullOrEmpty(options.ConfidenceLowerBoundColumn) ? null : options.ConfidenceLowerBoundColumn,
            ConfidenceUpperBoundColumn = string.IsNullOrEmpty(options.ConfidenceUpperBoundColumn) ? null : options.ConfidenceUpperBoundColumn,
            ConfidenceLevel = options.ConfidenceLevel,
            HeldOutFraction = options.HeldOutFraction,
            HeldOutLength = options.HeldOutLength,
            Method = options.Method,
            WashoutSteps = options.WashoutSteps,
            L2Regularization = options.L2Regularization,
            SeasonalPeriod = options.SeasonalPeriod,
            MissingValues = options.MissingValues,
        }, naming, 1 + _exogenous.Length);
    }

    /// <summary>The forecast column's name.</summary>
    public string OutputColumnName => _options.OutputColumnName;

    /// <summary>The series column's name.</summary>
    public string InputColumnName => _options.InputColumnName;

    /// <summary>H, the number of forecast steps.</summary>
    public int Horizon => _options.Horizon;

    /// <summary>Whether <c>Fit</c> trains the automatic forecaster (no reservoir setting given) rather than one fixed reservoir.</summary>
    public bool IsAutomatic => _automatic;

    private bool HasBounds => _options.ConfidenceLowerBoundColumn is not null;

    private EsnForecastMethod FixedMethod => _options.Method ?? MLNetDefaults.ForecastMethod;

    /// <summary>Checks the input shape and returns it with the forecast (and bound) columns added, vectors of <see cref="float"/>.</summary>
    /// <param name="inputSchema">The shape of the data the estimator will be fitted on.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The series or an exogenous column is missing or not <see cref="float"/>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ColumnChecks.Single(inputSchema, InputColumnName, "input", nameof(inputSchema));
        foreach (var name in _exogenous)
        {
            ColumnChecks.Single(inputSchema, name, "exogenous", nameof(inputSchema));
        }

        var added = new List<SchemaShape.Column> { SchemaShapeColumns.SingleVector(OutputColumnName, Horizon) };
        if (HasBounds)
        {
            added.Add(SchemaShapeColumns.SingleVector(_options.ConfidenceLowerBoundColumn!, Horizon));
            added.Add(SchemaShapeColumns.SingleVector(_options.ConfidenceUpperBoundColumn!, Horizon));
        }

        return SchemaShapeColumns.Append(inputSchema, [.. added]);
    }

    /// <summary>Reads the series in row order and trains the automatic forecaster, or the one fixed reservoir (which, when bounds are named, measures the k-step errors on a held-out tail first).</summary>
    /// <param name="input">The training series, one observation per row.</param>
    /// <returns>The transformer, which remembers the end of the series for <c>CreateTimeSeriesEngine</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or not <see cref="float"/>.</exception>
    /// <exception cref="ArgumentException">A value is infinite, or NaN where no gap may be filled (the message names the column and row); or the series is too short (the message gives the length needed).</exception>
    /// <exception cref="InvalidOperationException">The reservoir state or a closed-loop forecast became non-finite.</exception>
    public EsnForecastingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = new DataViewSchema.Column[1 + _exogenous.Length];
        columns[0] = ColumnChecks.Single(input.Schema, InputColumnName, "input", nameof(input));
        for (var i = 0; i < _exogenous.Length; i++)
        {
            columns[i + 1] = ColumnChecks.Single(input.Schema, _exogenous[i], "exogenous", nameof(input));
        }

        var series = ReadSeries(input, columns, allowMissing: _automatic);
        if (_automatic)
        {
            return FitAutomatic(series, columns[0].Name);
        }

        var length = series.GetLength(0);
        var options = NetworkOptions(columns.Length);
        var horizon = Horizon;
        var heldOut = HasBounds
            ? _options.HeldOutLength ?? Math.Max(horizon, (int)Math.Round(length * (_options.HeldOutFraction ?? MLNetDefaults.HeldOutFraction)))
            : 0;
        var needed = MinimumTrainingLength(horizon) + heldOut;
        if (length < needed)
        {
            throw new ArgumentException(
                $"The series has {length} rows; with WashoutSteps {Washout}, Horizon {horizon}"
                + (HasBounds ? $" and a held-out tail of {heldOut} rows for the confidence bounds" : string.Empty)
                + $" it needs at least {needed}. Give a longer series or lower WashoutSteps"
                + (HasBounds ? ", HeldOutFraction or HeldOutLength." : "."),
                nameof(input));
        }

        double[]? lower = null;
        double[]? upper = null;
        if (HasBounds)
        {
            var head = Train(options, Rows(series, 0, length - heldOut));
            (lower, upper) = ErrorQuantiles(head, Rows(series, length - heldOut, heldOut), horizon, _options.ConfidenceLevel);
        }

        var network = Train(options, series);
        return new EsnForecastingTransformer(network, FixedMethod, horizon, InputColumnName, _exogenous, OutputColumnName,
            _options.ConfidenceLowerBoundColumn, _options.ConfidenceUpperBoundColumn, _options.ConfidenceLevel, lower, upper,
            ForecastPosition.AfterTraining(network));
    }

    /// <summary>The k-step forecast errors (truth − forecast) from every row of the tail, and their quantiles, widened to contain 0.</summary>
    internal static (double[] Lower, double[] Upper) ErrorQuantiles(EchoStateNetwork network, double[,] tail, int horizon, double level)
    {
        var rows = tail.GetLength(0);
        var errors = new List<double>[horizon];
        for (var k = 0; k < horizon; k++)
        {
            errors[k] = new List<double>(rows);
        }

        var forecaster = new EsnForecaster.OneNetwork(network, ForecastPosition.AfterTraining(network), null, null);
        var forecast = new double[horizon];
        for (var origin = 0; origin < rows; origin++)
        {
            // The forecaster has read every row before the tail's row `origin`; forecast it and what follows.
            forecaster.Forecast(forecast, default, default);
            for (var k = 0; k < horizon && origin + k < rows; k++)
            {
                errors[k].Add(tail[origin + k, 0] - forecast[k]);
            }

            forecaster.Update(tail.Row(origin));
        }

        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var k = 0; k < horizon; k++)
        {
            var sorted = errors[k].ToArray();
            Array.Sort(sorted);
            lower[k] = Math.Min(0, SeriesForecastModel.Quantile(sorted, (1 - level) / 2));
            upper[k] = Math.Max(0, SeriesForecastModel.Quantile(sorted, (1 + level) / 2));
        }

        return (lower, upper);
    }

    private int Washout => _options.WashoutSteps ?? MLNetDefaults.WashoutSteps;

    private int MinimumTrainingLength(int horizon) =>
        FixedMethod == EsnForecastMethod.Direct
            ? Washout + horizon + 1 // FitDirect needs more than washout + H rows
            : Washout + 2; // Fit reads T − 1 pairs and needs more than the washout

    private EchoStateNetwork Train(EchoStateNetworkOptions options, double[,] series)
    {
        if (FixedMethod == EsnForecastMethod.Direct)
        {
            return EchoStateNetwork.FitDirect(options, [series], Horizon, maxDegreeOfParallelism: 1);
        }

        var length = series.GetLength(0);
        return EchoStateNetwork.Fit(options, Rows(series, 0, length - 1), Rows(series, 1, length - 1));
    }

    private EchoStateNetworkOptions NetworkOptions(int inputDimension) => new()
    {
        Reservoir = _options.ToReservoirOptions(inputDimension),
        Readout = new RidgeReadoutOptions { L2Regularization = _options.L2Regularization ?? 0 },
        RegularizationSearch = _options.L2Regularization is null ? new RidgeCvOptions() : null,
        WashoutSteps = Washout,
        StandardizeInputs = true,
        StandardizeTargets = false,
    };

    /// <summary>The automatic forecaster of the series (column 0 of <paramref name="series"/>, the only one).</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is input, the parameter of Fit whose data holds the fault, as Fit's own checks name it.")]
    private EsnForecastingTransformer FitAutomatic(double[,] series, string columnName)
    {
        var values = new double[series.GetLength(0)];
        for (var t = 0; t < values.Length; t++)
        {
            values[t] = series[t, 0];
        }

        var options = new SeriesForecasterOptions
        {
            SeasonalPeriod = _options.SeasonalPeriod,
            MissingValues = _options.MissingValues ?? MissingValuePolicy.Interpolate,
            Method = _options.Method switch
            {
                EsnForecastMethod.Direct => SeriesForecastMethod.Direct,
                EsnForecastMethod.ClosedLoop => SeriesForecastMethod.ClosedLoop,
                _ => null,
            },
            UnitCount = _options.UnitCount,
            WashoutSteps = _options.WashoutSteps,
            Seed = _options.Seed ?? MLNetDefaults.Seed,
        };
        SeriesForecastModel model;
        try
        {
            model = SeriesForecaster.Fit(values, Horizon, options);
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            // The series' own faults (too short, a gap the policy refuses): reported against the data, naming the column.
            throw new ArgumentException($"Column '{columnName}': {OptionChecks.MessageWithoutParameter(e)}", "input", e);
        }

        return new EsnForecastingTransformer(model.CreateEngine(), InputColumnName, OutputColumnName, _options.ConfidenceLowerBoundColumn,
            _options.ConfidenceUpperBoundColumn, _options.ConfidenceLevel);
    }

    /// <summary>
    /// Whether the options ask for the automatic forecaster: none of the settings that describe one fixed reservoir is
    /// given. A setting that only the other kind reads is rejected, so that nothing is silently ignored.
    /// </summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the Options field (or catalog parameter) that only the other kind of forecaster reads.")]
    private static bool CheckMode(Options options, int exogenousCount, ParameterNaming naming)
    {
        var fixedBy =
            options.Reservoir is not null ? nameof(options.Reservoir)
            : options.LeakRate is not null ? nameof(options.LeakRate)
            : options.SpectralRadius is not null ? nameof(options.SpectralRadius)
            : options.InputScaling is not null ? nameof(options.InputScaling)
            : options.InputConnectivity is not null ? nameof(options.InputConnectivity)
            : options.RecurrentConnectivity is not null ? nameof(options.RecurrentConnectivity)
            : options.BiasScaling is not null ? nameof(options.BiasScaling)
            : options.Activation is not null ? nameof(options.Activation)
            : options.L2Regularization is not null ? nameof(options.L2Regularization)
            : exogenousCount > 0 ? nameof(options.ExogenousColumnNames)
            : null;
        if (fixedBy is not null)
        {
            var automaticOnly = options.SeasonalPeriod is not null ? nameof(options.SeasonalPeriod)
                : options.MissingValues is not null ? nameof(options.MissingValues)
                : null;
            if (automaticOnly is not null)
            {
                var parameter = naming.Name(automaticOnly);
                throw new ArgumentException(
                    $"{parameter} is read by the automatic forecaster only, but {naming.Name(fixedBy)} asks for one fixed reservoir, which "
                    + $"does not detect seasons or fill gaps; remove {parameter}, or {naming.Name(fixedBy)} for the automatic forecaster.",
                    parameter);
            }

            return false;
        }

        var fixedOnly = options.HeldOutFraction is not null ? nameof(options.HeldOutFraction)
            : options.HeldOutLength is not null ? nameof(options.HeldOutLength)
            : null;
        if (fixedOnly is not null)
        {
            var parameter = naming.Name(fixedOnly);
            throw new ArgumentException(
                $"{parameter} is read by one fixed reservoir only; the automatic forecaster (no reservoir setting given) sizes its bounds "
                + "from its own rolling-origin validation. Remove it, or give the reservoir settings of one fixed reservoir.",
                parameter);
        }

        return true;
    }

    private static double[,] ReadSeries(IDataView input, DataViewSchema.Column[] columns, bool allowMissing)
    {
        var values = new List<float>[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            values[c] = [];
        }

        using (var cursor = input.GetRowCursor(columns))
        {
            var getters = columns.Select(c => cursor.GetGetter<float>(c)).ToArray();
            var value = 0f;
            while (cursor.MoveNext())
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    getters[c](ref value);
                    if (!float.IsFinite(value) && !(allowMissing && float.IsNaN(value)))
                    {
                        throw new ArgumentException(
                            $"Column '{columns[c].Name}' holds {OptionChecks.Format(value)} at row {cursor.Position}; every value of the series must be finite"
                            + (allowMissing ? " (NaN marks a missing value)." : "."),
                            nameof(input));
                    }

                    values[c].Add(value);
                }
            }
        }

        var series = new double[values[0].Count, columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            for (var t = 0; t < values[c].Count; t++)
            {
                series[t, c] = values[c][t];
            }
        }

        return series;
    }

    private static double[,] Rows(double[,] matrix, int first, int count)
    {
        var d = matrix.GetLength(1);
        var result = new double[count, d];
        Array.Copy(matrix, (long)first * d, result, 0, (long)count * d);
        return result;
    }

    /// <summary>The columns and hyperparameters of <see cref="EsnForecastingEstimator"/>, named as in ML.NET's <c>SsaForecastingEstimator.Options</c> where they mean the same.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields",
        Justification = "ML.NET's convention: Options classes expose their settings as public fields, as ML.NET's own Options do.")]
    public sealed class Options : EsnReservoirSettings
    {
        /// <summary>The name of the forecast column (a vector of <see cref="float"/> of length <see cref="Horizon"/>). Required.</summary>
        public string OutputColumnName = null!;

        /// <summary>The name of the series column (<see cref="float"/>). Required.</summary>
        public string InputColumnName = null!;

        /// <summary>H, the number of values forecast from each row, at least 1; default 1.</summary>
        public int Horizon = MLNetDefaults.Horizon;

        /// <summary>Further <see cref="float"/> columns read as reservoir inputs beside the series (exogenous regressors); null or empty for none. Direct method only.</summary>
        public ImmutableArray<string>? ExogenousColumnNames;

        /// <summary>The name of the lower-bound column; null for no bounds. Name both bounds or neither.</summary>
        public string? ConfidenceLowerBoundColumn;

        /// <summary>The name of the upper-bound column; null for no bounds.</summary>
        public string? ConfidenceUpperBoundColumn;

        /// <summary>The coverage c of the bounds, in (0, 1); default 0.95.</summary>
        public float ConfidenceLevel = MLNetDefaults.ConfidenceLevel;

        /// <summary>One fixed reservoir only: the fraction of the series held out to measure the forecast errors for the bounds, in (0, 1); null (the default) means <see cref="MLNetDefaults.HeldOutFraction"/> (0.2, at least H rows).</summary>
        public double? HeldOutFraction;

        /// <summary>One fixed reservoir only: the number of rows held out for the bounds, at least H; when set it replaces <see cref="HeldOutFraction"/>.</summary>
        public int? HeldOutLength;

        /// <summary>Direct multi-horizon readout or closed loop (see <see cref="EsnForecastMethod"/>); null (the default): the automatic forecaster chooses by validation, one fixed reservoir uses <see cref="MLNetDefaults.ForecastMethod"/> (direct).</summary>
        public EsnForecastMethod? Method;

        /// <summary>The number of initial states left out of training, at least 0; null (the default): the automatic forecaster scales it with the series' length, one fixed reservoir uses <see cref="MLNetDefaults.WashoutSteps"/> (50).</summary>
        public int? WashoutSteps;

        /// <summary>One fixed reservoir: the ridge penalty λ ≥ 0 (setting it asks for one fixed reservoir); null (the default) chooses it by cross-validation on the training series.</summary>
        public double? L2Regularization;

        /// <summary>Automatic forecaster only: the seasonal period m in rows (12 for monthly rows with a yearly season), at least 1; 1 means no season; null (the default) detects it from the autocorrelation.</summary>
        public int? SeasonalPeriod;

        /// <summary>Automatic forecaster only: what to do with NaN in the training series; null (the default) means <see cref="MissingValuePolicy.Interpolate"/>. One fixed reservoir refuses NaN.</summary>
        public MissingValuePolicy? MissingValues;
    }
}
