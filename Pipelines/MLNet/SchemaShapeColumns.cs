using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Makes <see cref="SchemaShape.Column"/> values for new output columns through ML.NET's public API only.</summary>
/// <remarks>
/// <see cref="SchemaShape.Column"/> has no public constructor in Microsoft.ML 5.x. A <c>CustomMapping</c> estimator whose
/// output <see cref="SchemaDefinition"/> is set at run time reports the column we ask for in its
/// <see cref="IEstimator{TTransformer}.GetOutputSchema"/>, so that column is taken from there. This relies on documented
/// behaviour only; a unit test fails loudly if a later ML.NET changes it.
/// </remarks>
internal static class SchemaShapeColumns
{
    private static readonly MLContext Context = new(seed: 0);
    private static readonly object Gate = new();

    /// <summary>A scalar <see cref="float"/> column.</summary>
    internal static SchemaShape.Column Single(string name) => Make<ScalarRow>(name, NumberDataViewType.Single);

    /// <summary>A <see cref="float"/> vector column (a known size in the data view schema; the shape carries no size).</summary>
    internal static SchemaShape.Column SingleVector(string name, int size) =>
        Make<VectorRow>(name, new VectorDataViewType(NumberDataViewType.Single, size));

    /// <summary>The input shape with <paramref name="added"/> appended, replacing columns of the same names.</summary>
    internal static SchemaShape Append(SchemaShape input, params SchemaShape.Column[] added)
    {
        var names = new HashSet<string>(added.Select(c => c.Name), StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    private static SchemaShape.Column Make<TRow>(string name, DataViewType type)
        where TRow : class, new()
    {
        var definition = SchemaDefinition.Create(typeof(TRow));
        definition[0].ColumnName = name;
        definition[0].ColumnType = type;
        SchemaShape shape;
        lock (Gate)
        {
            var estimator = Context.Transforms.CustomMapping<EmptyRow, TRow>(
                static (_, _) => { }, contractName: null, inputSchemaDefinition: null, outputSchemaDefinition: definition);
            shape = estimator.GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
        }

        return shape.Single(c => c.Name == name);
    }

    /// <summary>The input type of the helper mapping: no columns.</summary>
    public sealed class EmptyRow
    {
    }

    /// <summary>One scalar output column.</summary>
    public sealed class ScalarRow
    {
        /// <summary>The value.</summary>
        public float Value;
    }

    /// <summary>One vector output column.</summary>
    public sealed class VectorRow
    {
        /// <summary>The values.</summary>
        public float[] Value = [];
    }
}
