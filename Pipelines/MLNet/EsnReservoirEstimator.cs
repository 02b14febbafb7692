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
/// <para>With <see cref="Options.Composition"/> the transform runs reservoirs composed into stacks and parallel groups
/// (<see cref="ComposedReservoir"/>: layer k updates x⁽ᵏ⁾(t) = (1−α⁽ᵏ⁾)⊙x⁽ᵏ⁾(t−1) + α⁽ᵏ⁾⊙f(W⁽ᵏ⁾x⁽ᵏ⁾(t−1) + W_in⁽ᵏ⁾[x⁽ᵏ⁻¹⁾(t); u(t)] + b⁽ᵏ⁾))
/// and the output column holds the read-out layers' states side by side; it is saved in a pipeline file like one reservoir.</para>
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
            Composition = options.Composition,
        }, naming);
        ValidateComposition(_options);
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
        return SchemaShapeColumns.Append(inputSchema, SchemaShapeColumns.SingleVector(OutputColumnName, OutputWidth(_options)));
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
        if (_options.Composition is { } composition)
        {
            if (composition.InputDimension != ReservoirDefaults.InputDimension && composition.InputDimension != width)
            {
                throw new ArgumentException(
                    $"Composition.InputDimension is {composition.InputDimension} but input column '{InputColumnName}' has width {width}; leave InputDimension at its default or match the column.",
                    nameof(input));
            }

            var composed = new ComposedReservoir(composition with { InputDimension = width });
            return new EsnReservoirTransformer(composed, InputColumnName, OutputColumnName);
        }

        var reservoir = _options.Build(width, InputColumnName, nameof(input));
        return new EsnReservoirTransformer(ComposedReservoir.Of(reservoir), InputColumnName, OutputColumnName);
    }

    /// <summary>The width of the output column: the reservoir's units, or the read-out layers' units of a composition.</summary>
    private static int OutputWidth(Options options) =>
        options.Composition is { } composition
            ? (composition.ReadoutLayers ?? [.. Enumerable.Range(0, composition.Layers.Length)]).Sum(j => composition.Layers[j].Reservoir.UnitCount)
            : options.EffectiveUnitCount;

    /// <summary>Refuses a composition set beside the single-reservoir fields, and checks the composition itself.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is Composition, the Options field that holds the composition.")]
    private static void ValidateComposition(Options options)
    {
        if (options.Composition is not { } composition)
        {
            return;
        }

        if (options.Reservoir is not null || options.UnitCount is not null || options.Seed is not null || options.LeakRate is not null
            || options.SpectralRadius is not null || options.InputScaling is not null || options.InputConnectivity is not null
            || options.RecurrentConnectivity is not null || options.BiasScaling is not null || options.Activation is not null)
        {
            throw new ArgumentException(
                "Both Composition and a single-reservoir field (Reservoir, UnitCount, Seed, LeakRate, …) are set; set the layers' options inside Composition and leave the other reservoir fields null.",
                nameof(Options.Composition));
        }

        // The input width comes from the column, unknown until Fit: a layer that states its InputDimension is checked against
        // the column's width there, so here every layer's InputDimension is left to be derived.
        var check = composition.InputDimension == ReservoirDefaults.InputDimension && !composition.Layers.IsDefault
            && composition.Layers.All(l => l?.Reservoir is not null)
            ? composition with
            {
                Layers = [.. composition.Layers.Select(l => l with { Reservoir = l.Reservoir with { InputDimension = ReservoirDefaults.InputDimension } })],
            }
            : composition;
        try
        {
            check.Validate();
        }
        catch (ArgumentException inner)
        {
            throw new ArgumentException($"Composition: {OptionChecks.MessageWithoutParameter(inner)}", nameof(Options.Composition), inner);
        }

        if (composition.Layers.Any(l => l.Reservoir.FeedbackDimension > 0))
        {
            throw new ArgumentException(
                "A layer of Composition has FeedbackDimension > 0, but an ML.NET component has no output to feed back; use FeedbackDimension = 0 here.",
                nameof(Options.Composition));
        }
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

        /// <summary>Reservoirs composed into stacks and parallel groups (<see cref="ComposedReservoirOptions"/>); the output column holds the composed state of the read-out layers. Null (the default) runs one reservoir; when set, leave the single-reservoir fields null. Its InputDimension is taken from the input column.</summary>
        public ComposedReservoirOptions? Composition;
    }
}
