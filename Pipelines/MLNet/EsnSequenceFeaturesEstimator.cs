using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The ML.NET estimator of <see cref="EsnSequenceFeaturesTransformer"/>: turns each row's whole sequence into a fixed-size feature vector by running a reservoir over it.</summary>
/// <remarks>
/// <para>Each row holds one sequence of any length T ≥ 1 as a vector of <see cref="float"/> of length T·D, time-major
/// (u₁ then u₂ …, each of <see cref="Options.InputDimension"/> = D values). The reservoir runs over it from the zero state;
/// the output is the last state, the mean state, or the states at k evenly spaced steps (<see cref="SequenceFeatureKind"/>),
/// so any ML.NET multiclass trainer can classify sequences.</para>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Trains on data?</term><description>No: the weights come from the seed; <c>Fit</c> reads only the schema.</description></item>
/// <item><term>Stateful across rows?</term><description>No: every row starts from the zero state, so rows can be read in any order and in parallel.</description></item>
/// <item><term>Input column</term><description>Vector of <see cref="float"/> (variable or known size), length a multiple of D.</description></item>
/// <item><term>Output column</term><description>Known-size vector of <see cref="float"/>: N values, or k·N for evenly spaced states.</description></item>
/// <item><term>Deterministic?</term><description>Yes, given the seed.</description></item>
/// <item><term>Saving</term><description><c>mlContext.Model.SavePipeline</c> / <c>LoadPipeline</c>.</description></item>
/// </list>
/// <para>The estimator is immutable and thread-safe. Multi-pass trainers after it should follow <c>.AppendCacheCheckpoint(mlContext)</c>
/// so that the sequences are run once.</para>
/// </remarks>
/// <example>See Examples/SequenceClassification/Program.cs.</example>
public sealed class EsnSequenceFeaturesEstimator : IEstimator<EsnSequenceFeaturesTransformer>
{
    private readonly Options _options;

    /// <summary>Initializes a new instance of the <see cref="EsnSequenceFeaturesEstimator"/> class and validates its options.</summary>
    /// <param name="options">The columns, the summary and the reservoir hyperparameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its output column name is null.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is outside its range (the exception names the field and its value), or a simple reservoir field is set beside <see cref="EsnReservoirSettings.Reservoir"/>.</exception>
    public EsnSequenceFeaturesEstimator(Options options)
        : this(options, ParameterNaming.OptionsField)
    {
    }

    /// <summary>Validates the options; an exception names the catalog parameter or the Options field, as the caller wrote it.</summary>
    internal EsnSequenceFeaturesEstimator(Options options, ParameterNaming naming)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionChecks.ColumnName(options.OutputColumnName, nameof(options.OutputColumnName), naming);
        OptionChecks.AtLeast(options.InputDimension, 1, nameof(options.InputDimension), naming);
        OptionChecks.Defined(options.Kind, nameof(options.Kind), naming);
        OptionChecks.AtLeast(options.SampleCount, 1, nameof(options.SampleCount), naming);
        _options = options.CopyReservoirTo(new Options
        {
            OutputColumnName = options.OutputColumnName,
            InputColumnName = string.IsNullOrEmpty(options.InputColumnName) ? options.OutputColumnName : options.InputColumnName,
            InputDimension = options.InputDimension,
            Kind = options.Kind,
            SampleCount = options.SampleCount,
        }, naming, options.InputDimension);
    }

    /// <summary>Checks the input shape and returns it with the feature column added.</summary>
    /// <param name="inputSchema">The shape of the data.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of <see cref="float"/>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ColumnChecks.SingleVector(inputSchema, _options.InputColumnName!, "input", nameof(inputSchema), allowVariableSize: true);
        var length = SequenceFeatures.Length(_options.EffectiveUnitCount, _options.Kind, _options.SampleCount);
        return SchemaShapeColumns.Append(inputSchema, SchemaShapeColumns.SingleVector(_options.OutputColumnName, length));
    }

    /// <summary>Builds the reservoir (the rows are not read).</summary>
    /// <param name="input">The data; only its schema is used.</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type.</exception>
    public EsnSequenceFeaturesTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = ColumnChecks.AnySingleVector(input.Schema, _options.InputColumnName!, "input", nameof(input));
        var reservoir = _options.Build(_options.InputDimension, column.Name, nameof(input));
        return new EsnSequenceFeaturesTransformer(reservoir, _options.InputColumnName!, _options.OutputColumnName, _options.Kind, _options.SampleCount);
    }

    /// <summary>The columns, summary and hyperparameters of <see cref="EsnSequenceFeaturesEstimator"/>.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields",
        Justification = "ML.NET's convention: Options classes expose their settings as public fields, as ML.NET's own Options do.")]
    public sealed class Options : EsnReservoirSettings
    {
        /// <summary>The name of the output column. Required.</summary>
        public string OutputColumnName = null!;

        /// <summary>The name of the input column holding one whole sequence per row; null means <see cref="OutputColumnName"/>.</summary>
        public string? InputColumnName;

        /// <summary>The number D ≥ 1 of values per time step; the row's vector length must be a multiple of it. Default 1.</summary>
        public int InputDimension = MLNetDefaults.InputDimension;

        /// <summary>How the states are summarised; default the last state.</summary>
        public SequenceFeatureKind Kind = MLNetDefaults.SequenceFeatureKind;

        /// <summary>The number k ≥ 1 of evenly spaced states for <see cref="SequenceFeatureKind.EvenlySpacedStates"/>; default 1.</summary>
        public int SampleCount = MLNetDefaults.SampleCount;
    }
}
