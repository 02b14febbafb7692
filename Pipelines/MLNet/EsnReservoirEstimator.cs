using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The ML.NET estimator of <see cref="EsnReservoirTransformer"/>: runs an echo state reservoir over the rows in order and outputs its states.</summary>
/// <remarks>
/// <para>Each row's input u(t) (a <see cref="float"/> or a known-size vector of <see cref="float"/>) drives one step of the leaky update
/// <c>x[t] = (1−a)⊙x[t−1] + a⊙f(W·x[t−1] + Win·u[t] + b)</c>; the output column holds x[t] as a known-size vector of
/// <see cref="float"/> (length <see cref="EsnReservoirSettings.UnitCount"/>), ready for <c>Concatenate</c> and any ML.NET trainer.</para>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Trains on data?</term><description>No: <c>Fit</c> reads only the input column's width; the weights come from the seed.</description></item>
/// <item><term>Stateful across rows?</term><description>Yes: rows are read in order by one cursor, from the zero state; a <c>PredictionEngine</c> advances the state once per <c>Predict</c>.</description></item>
/// <item><term>Input column</term><description><see cref="float"/> or known-size vector of <see cref="float"/>.</description></item>
/// <item><term>Output column</term><description>Known-size vector of <see cref="float"/>, one value per unit.</description></item>
/// <item><term>Deterministic?</term><description>Yes, given <see cref="EsnReservoirSettings.Seed"/> (the MLContext's seed is not used).</description></item>
/// <item><term>Saving</term><description><c>mlContext.Model.SavePipeline</c> / <c>LoadPipeline</c>; ML.NET's <c>Model.Save</c> throws <see cref="NotSupportedException"/>.</description></item>
/// </list>
/// <para>Multi-pass trainers (SDCA, L-BFGS, FastTree) re-read their input on every pass; put
/// <c>.AppendCacheCheckpoint(mlContext)</c> after the reservoir so that the states are computed once.</para>
/// <para>The estimator is immutable and thread-safe.</para>
/// </remarks>
/// <example>See Examples/MLNetFeaturizer/Program.cs.</example>
public sealed class EsnReservoirEstimator : IEstimator<EsnReservoirTransformer>
{
    private readonly Options _options;

    /// <summary>Initializes a new instance of the <see cref="EsnReservoirEstimator"/> class and validates its options.</summary>
    /// <param name="options">The columns and hyperparameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its output column name is null.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range (the exception names the field and its value), or a simple reservoir field is set beside <see cref="EsnReservoirSettings.Reservoir"/>.</exception>
    public EsnReservoirEstimator(Options options)
        : this(options, ParameterNaming.OptionsField)
    {
    }

    /// <summary>Validates the options; an exception names the catalog parameter or the Options field, as the caller wrote it.</summary>
    internal EsnReservoirEstimator(Options options, ParameterNaming naming)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionChecks.ColumnName(options.OutputColumnName, nameof(options.OutputColumnName), naming);
        _options = options.CopyReservoirTo(new Options
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = string.IsNullOrEmpty(options.InputColumnName) ? options.OutputColumnName : options.InputColumnName,
        }, naming);
    }

    /// <summary>The output column's name.</summary>
    public string OutputColumnName => _options.OutputColumnName;

    /// <summary>The input column's name.</summary>
    public string InputColumnName => _options.InputColumnName!;

    /// <summary>Checks the input shape and returns it with the state column added (a vector of <see cref="float"/>).</summary>
    /// <param name="inputSchema">The shape of the data the estimator will be fitted on.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not <see cref="float"/> / a known-size vector of <see cref="float"/>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ColumnChecks.SingleVector(inputSchema, InputColumnName, "input", nameof(inputSchema), allowScalar: true);
        return SchemaShapeColumns.Append(inputSchema, SchemaShapeColumns.SingleVector(OutputColumnName, _options.EffectiveUnitCount));
    }

    /// <summary>Builds the reservoir for the input column's width (the rows are not read).</summary>
    /// <param name="input">The data; only its schema is used.</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type.</exception>
    /// <exception cref="ArgumentException"><see cref="EsnReservoirSettings.Reservoir"/> names an input dimension that disagrees with the column's width.</exception>
    public EsnReservoirTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (_, width) = ColumnChecks.SingleOrVector(input.Schema, InputColumnName, "input", nameof(input));
        var reservoir = _options.Build(width, InputColumnName, nameof(input));
        return new EsnReservoirTransformer(reservoir, InputColumnName, OutputColumnName);
    }

    /// <summary>The columns and hyperparameters of <see cref="EsnReservoirEstimator"/>.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields",
        Justification = "ML.NET's convention: Options classes expose their settings as public fields, as ML.NET's own Options do.")]
    public sealed class Options : EsnReservoirSettings
    {
        /// <summary>The name of the output column (a vector of <see cref="float"/>, one value per unit). Required.</summary>
        public string OutputColumnName = null!;

        /// <summary>The name of the input column; null means <see cref="OutputColumnName"/>.</summary>
        public string? InputColumnName;
    }
}
