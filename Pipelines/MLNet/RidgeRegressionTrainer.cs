using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The ML.NET trainer of a linear regression by ridge (Tikhonov) regression, solved in closed form from streamed normal equations.</summary>
/// <remarks>
/// <para>The rows are read once, in blocks, into XᵀX and Xᵀy accumulated in <see cref="double"/> (memory O(D²), not O(D·rows));
/// the weights solve (XᵀX + λI)w = Xᵀy with the intercept unpenalised. With <see cref="Options.L2Regularization"/> null,
/// λ is chosen by time-blocked k-fold cross-validation: the rows, in their order, go to the
/// <see cref="Options.CrossValidationFolds"/> folds in blocks of consecutive rows, round robin, as
/// <see cref="TimeBlockedFolds"/> defines them (the same folds as <see cref="EchoStateNetwork"/>'s), so the choice respects
/// time order (see <see cref="RidgeCv"/>).</para>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Trains on data?</term><description>Yes: one pass over the rows (two when λ is automatic and the row count is unknown).</description></item>
/// <item><term>Stateful across rows?</term><description>No.</description></item>
/// <item><term>Input columns</term><description>Label: <see cref="float"/>. Features: known-size vector of <see cref="float"/> (or a single <see cref="float"/>).</description></item>
/// <item><term>Output column</term><description>Score: <see cref="float"/>, for <c>mlContext.Regression.Evaluate</c>.</description></item>
/// <item><term>Deterministic?</term><description>Yes: no random draws.</description></item>
/// <item><term>Saving</term><description><c>mlContext.Model.SavePipeline</c> / <c>LoadPipeline</c>.</description></item>
/// </list>
/// <para>A NaN or infinite label or feature is an error (the message names the column and row), not a skipped row.</para>
/// </remarks>
/// <example>See Examples/MLNetFeaturizer/Program.cs.</example>
public sealed class RidgeRegressionTrainer : ITrainerEstimator<RidgeRegressionTransformer, RidgeRegressionModelParameters>
{
    /// <summary>The name of the output column, as in ML.NET's regression trainers (<see cref="MLNetDefaults.ScoreColumnName"/>).</summary>
    public const string ScoreColumnName = MLNetDefaults.ScoreColumnName;

    private const int BlockRows = 256;

    // TrainerInfo's constructor is internal; a public ML.NET trainer with the same flags lends its instance (immutable).
    private static readonly Lazy<TrainerInfo> SharedInfo = new(() => new MLContext().BinaryClassification.Trainers.Prior().Info);
    private readonly Options _options;

    /// <summary>Initializes a new instance of the <see cref="RidgeRegressionTrainer"/> class and validates its options.</summary>
    /// <param name="options">The columns and the regularisation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or a column name is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">L2Regularization is negative or not finite, or CrossValidationFolds is below 2.</exception>
    /// <exception cref="ArgumentException">L2Grid is empty or holds a negative or non-finite value.</exception>
    public RidgeRegressionTrainer(Options options)
        : this(options, ParameterNaming.OptionsField)
    {
    }

    /// <summary>Validates the options; an exception names the catalog parameter or the Options field, as the caller wrote it.</summary>
    internal RidgeRegressionTrainer(Options options, ParameterNaming naming)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionChecks.ColumnName(options.LabelColumnName, nameof(options.LabelColumnName), naming);
        OptionChecks.ColumnName(options.FeatureColumnName, nameof(options.FeatureColumnName), naming);
        OptionChecks.NonNegative(options.L2Regularization, nameof(options.L2Regularization), naming);
        OptionChecks.AtLeast(options.CrossValidationFolds, 2, nameof(options.CrossValidationFolds), naming);
        _options = new Options
        {
            LabelColumnName = options.LabelColumnName,
            FeatureColumnName = options.FeatureColumnName,
            L2Regularization = options.L2Regularization,
            FitIntercept = options.FitIntercept,
            CrossValidationFolds = options.CrossValidationFolds,
            L2Grid = options.L2Grid is { IsDefault: false } grid ? [.. grid] : options.L2Grid,
        };
        if (_options.L2Grid is not null)
        {
            // The grid is an Options field only (no catalog parameter), and RidgeCv names it "L2Grid" as the field is named.
            _ = new RidgeCv(new RidgeCvOptions { L2Grid = _options.L2Grid });
        }
    }

    /// <summary>What ML.NET needs to know about this trainer: it needs no normalisation and no caching (one pass, closed form).</summary>
    /// <remarks>
    /// ML.NET's <see cref="TrainerInfo"/> has no public constructor, so this is the instance of ML.NET's own <c>PriorTrainer</c>,
    /// whose two flags (<see cref="TrainerInfo.NeedNormalization"/> and <see cref="TrainerInfo.WantCaching"/>, both false) are the same.
    /// </remarks>
    public TrainerInfo Info => SharedInfo.Value;

    /// <summary>Checks the label and feature columns and returns the shape with the <c>Score</c> column added.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ColumnChecks.Single(inputSchema, _options.LabelColumnName, "label", nameof(inputSchema));
        ColumnChecks.SingleVector(inputSchema, _options.FeatureColumnName, "feature", nameof(inputSchema), allowScalar: true);
        return SchemaShapeColumns.Append(inputSchema, SchemaShapeColumns.Single(ScoreColumnName));
    }

    /// <summary>Trains the readout on the rows, in order.</summary>
    /// <param name="input">The training data.</param>
    /// <returns>The prediction transformer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
    /// <exception cref="ArgumentException">The data has no rows (or fewer rows than folds when λ is automatic), or a value is NaN or infinite.</exception>
    public RidgeRegressionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var label = ColumnChecks.Single(input.Schema, _options.LabelColumnName, "label", nameof(input));
        var (features, width) = ColumnChecks.SingleOrVector(input.Schema, _options.FeatureColumnName, "feature", nameof(input));

        var folds = _options.L2Regularization is null ? _options.CrossValidationFolds : 1;
        long? rowCount = folds == 1 ? null : input.GetRowCount() ?? CountRows(input);
        if (rowCount is { } n && n < folds)
        {
            throw new ArgumentException(
                $"The data has {n} rows; choosing L2Regularization automatically needs at least CrossValidationFolds = {folds}. Set L2Regularization or give more rows.",
                nameof(input));
        }

        var assignment = new TimeBlockedFolds(folds, rowCount);
        var accumulators = assignment.CreateAccumulators(width, 1);
        var featureBlock = new double[BlockRows * width];
        var labelBlock = new double[BlockRows];
        var rows = 0;
        long position = 0;
        using (var cursor = input.GetRowCursor([label, features]))
        {
            var reader = new InputReader(cursor, features);
            var labelGetter = cursor.GetGetter<float>(label);
            while (RowErrors.MoveNext(cursor))
            {
                if (rows == BlockRows)
                {
                    assignment.Accumulate(accumulators, position - rows, featureBlock, labelBlock, rows);
                    rows = 0;
                }

                reader.Read(_options.FeatureColumnName, cursor.Position).CopyTo(featureBlock.AsSpan(rows * width));
                var y = 0f;
                labelGetter(ref y);
                if (!float.IsFinite(y))
                {
                    throw new ArgumentException($"Label column '{_options.LabelColumnName}' holds {y} at row {cursor.Position}; every label must be finite.", nameof(input));
                }

                labelBlock[rows++] = y;
                position++;
            }
        }

        assignment.Accumulate(accumulators, position - rows, featureBlock, labelBlock, rows);
        if (position == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(input));
        }

        RidgeSolution solution;
        RidgeCvResult? search = null;
        if (_options.L2Regularization is { } l2)
        {
            solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = l2, FitIntercept = _options.FitIntercept }).Fit(accumulators[0]);
        }
        else
        {
            search = new RidgeCv(new RidgeCvOptions { L2Grid = _options.L2Grid, FitIntercept = _options.FitIntercept }).Fit(accumulators);
            solution = search.Solution;
        }

        var model = new RidgeRegressionModelParameters(solution, search);
        return new RidgeRegressionTransformer(model, _options.FeatureColumnName, width);
    }

    private static long CountRows(IDataView input)
    {
        long count = 0;
        using var cursor = input.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }

    /// <summary>The columns and regularisation of <see cref="RidgeRegressionTrainer"/>, named as in ML.NET's trainers.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields",
        Justification = "ML.NET's convention: Options classes expose their settings as public fields, as ML.NET's own Options do.")]
    public sealed class Options
    {
        /// <summary>The label column (<see cref="float"/>); default "Label".</summary>
        public string LabelColumnName = MLNetDefaults.LabelColumnName;

        /// <summary>The feature column (known-size vector of <see cref="float"/>); default "Features".</summary>
        public string FeatureColumnName = MLNetDefaults.FeatureColumnName;

        /// <summary>The ridge penalty λ ≥ 0; null (the default) chooses it by time-blocked cross-validation over <see cref="L2Grid"/>.</summary>
        public double? L2Regularization;

        /// <summary>Whether to fit an unpenalised intercept; default true.</summary>
        public bool FitIntercept = MLNetDefaults.FitIntercept;

        /// <summary>The number of time-blocked folds for the automatic λ (see <see cref="TimeBlockedFolds"/>), at least 2; default 5.</summary>
        public int CrossValidationFolds = MLNetDefaults.CrossValidationFolds;

        /// <summary>The λ values tried when <see cref="L2Regularization"/> is null; null for <see cref="RidgeCv.DefaultL2Grid"/>.</summary>
        public ImmutableArray<double>? L2Grid;
    }
}
