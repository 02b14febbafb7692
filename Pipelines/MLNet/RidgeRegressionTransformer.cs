using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Scores rows with a ridge readout: appends the <c>Score</c> column (<see cref="float"/>).</summary>
/// <remarks>
/// Made by <see cref="RidgeRegressionTrainer"/>. Stateless across rows and thread-safe. It is an
/// <see cref="ISingleFeaturePredictionTransformer{TModel}"/>, so <c>mlContext.Regression.PermutationFeatureImportance</c>
/// works on it.
/// </remarks>
public sealed class RidgeRegressionTransformer : ColumnAppendingTransformer, ISingleFeaturePredictionTransformer<RidgeRegressionModelParameters>
{
    internal const string Kind = "ML.NET RidgeRegressionTransformer";
    private const ushort Version = 1;

    internal RidgeRegressionTransformer(RidgeRegressionModelParameters model, string featureColumnName, int featureCount)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureCount = featureCount;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
    }

    /// <summary>The learned weights.</summary>
    public RidgeRegressionModelParameters Model { get; }

    /// <summary>The feature column's name.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature column's type: a known-size vector of <see cref="float"/>.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>The number of features.</summary>
    public int FeatureCount { get; }

    internal override string SegmentKind => Kind;

    internal override void Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Kind, Version);
        writer.WriteString(FeatureColumnName);
        writer.WriteInt32(FeatureCount);
        writer.WriteRidgeSolution(Model.Solution);
    }

    internal static RidgeRegressionTransformer Read(ModelReader reader)
    {
        reader.ReadSectionHeader(Kind, Version);
        var feature = reader.ReadString("the feature column name");
        var count = reader.ReadInt32("the feature count", 1, int.MaxValue);
        var solution = reader.ReadRidgeSolution();
        if (solution.FeatureCount != count || solution.TargetCount != 1)
        {
            throw new ModelFormatException(
                $"The ridge segment declares {count} features but its solution has {solution.FeatureCount} features and {solution.TargetCount} targets; the file is corrupt.");
        }

        return new RidgeRegressionTransformer(new RidgeRegressionModelParameters(solution, null), feature, count);
    }

    private protected override AddedColumnsMap CreateMap(DataViewSchema schema, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        var (column, _) = ColumnChecks.SingleOrVector(schema, FeatureColumnName, "feature", paramName, FeatureCount);
        return new Map(this, schema, column);
    }

    private sealed class Map(RidgeRegressionTransformer owner, DataViewSchema schema, DataViewSchema.Column features)
        : AddedColumnsMap(schema, [(RidgeRegressionTrainer.ScoreColumnName, NumberDataViewType.Single)])
    {
        internal override bool IsStateful => false;

        internal override IEnumerable<DataViewSchema.Column> RequiredInputs => [features];

        internal override RowWorker CreateWorker(DataViewRow row) => new Worker(owner, new InputReader(row, features), row);
    }

    private sealed class Worker(RidgeRegressionTransformer owner, InputReader features, DataViewRow row) : RowWorker
    {
        private readonly float[][] _outputs = [new float[1]];

        internal override float[][] Outputs => _outputs;

        internal override void Advance() =>
            _outputs[0][0] = (float)owner.Model.Score(features.Read(owner.FeatureColumnName, row.Position));
    }
}
