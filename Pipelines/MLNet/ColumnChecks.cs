using Microsoft.ML;
using Microsoft.ML.Data;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Input column checks with ML.NET's messages, at the estimator level (<see cref="SchemaShape"/>) and the data level (<see cref="DataViewSchema"/>).</summary>
/// <remarks>
/// Messages follow ML.NET's own: "Could not find {role} column '{name}'" and
/// "Schema mismatch for {role} column '{name}': expected {expected}, got {actual}", thrown as
/// <see cref="ArgumentOutOfRangeException"/> with the schema parameter's name.
/// </remarks>
internal static class ColumnChecks
{
    /// <summary>Checks that a scalar <see cref="float"/> column exists in the shape.</summary>
    internal static void Single(SchemaShape schema, string name, string role, string paramName)
    {
        var column = Find(schema, name, role, paramName);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
        {
            throw Mismatch(role, name, "Single", Describe(column), paramName);
        }
    }

    /// <summary>Checks that a <see cref="float"/> vector column of known size exists in the shape (the size is checked at fit time).</summary>
    internal static void SingleVector(SchemaShape schema, string name, string role, string paramName, bool allowScalar = false, bool allowVariableSize = false)
    {
        var column = Find(schema, name, role, paramName);
        var kindOk = column.Kind == SchemaShape.Column.VectorKind.Vector
            || (allowScalar && column.Kind == SchemaShape.Column.VectorKind.Scalar)
            || (allowVariableSize && column.Kind == SchemaShape.Column.VectorKind.VariableVector);
        if (!kindOk || column.ItemType != NumberDataViewType.Single)
        {
            throw Mismatch(role, name, ExpectedVector(allowScalar, allowVariableSize), Describe(column), paramName);
        }
    }

    /// <summary>Finds a scalar <see cref="float"/> column in the schema.</summary>
    internal static DataViewSchema.Column Single(DataViewSchema schema, string name, string role, string paramName)
    {
        var column = Find(schema, name, role, paramName);
        if (column.Type != NumberDataViewType.Single)
        {
            throw Mismatch(role, name, "Single", TypeName(column.Type), paramName);
        }

        return column;
    }

    /// <summary>Finds a <see cref="float"/> column (a scalar or a known-size vector) and returns it with its width.</summary>
    internal static (DataViewSchema.Column Column, int Width) SingleOrVector(DataViewSchema schema, string name, string role, string paramName,
        int? expectedWidth = null, bool allowScalar = true)
    {
        var column = Find(schema, name, role, paramName);
        int width;
        if (allowScalar && column.Type == NumberDataViewType.Single)
        {
            width = 1;
        }
        else if (column.Type is VectorDataViewType { IsKnownSize: true } vector && vector.ItemType == NumberDataViewType.Single)
        {
            width = vector.Size;
        }
        else
        {
            throw Mismatch(role, name, ExpectedVector(allowScalar, false), TypeName(column.Type), paramName);
        }

        if (expectedWidth is { } expected && width != expected)
        {
            var expectedText = expected == 1 && allowScalar ? "Single" : $"Vector<Single, {expected}>";
            throw Mismatch(role, name, expectedText, TypeName(column.Type), paramName);
        }

        return (column, width);
    }

    /// <summary>Finds a variable- or known-size <see cref="float"/> vector column.</summary>
    internal static DataViewSchema.Column AnySingleVector(DataViewSchema schema, string name, string role, string paramName)
    {
        var column = Find(schema, name, role, paramName);
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw Mismatch(role, name, "Vector<Single>", TypeName(column.Type), paramName);
        }

        return column;
    }

    /// <summary>The exception for a missing column.</summary>
    internal static ArgumentOutOfRangeException Missing(string role, string name, string paramName) =>
        new(paramName, $"Could not find {role} column '{name}'");

    /// <summary>The exception for a column of the wrong type.</summary>
    internal static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, string actual, string paramName) =>
        new(paramName, $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}");

    private static SchemaShape.Column Find(SchemaShape schema, string name, string role, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        foreach (var column in schema)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        throw Missing(role, name, paramName);
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        return schema.GetColumnOrNull(name) ?? throw Missing(role, name, paramName);
    }

    private static string TypeName(DataViewType type) => type.ToString() ?? type.GetType().Name;

    private static string ExpectedVector(bool allowScalar, bool allowVariableSize) =>
        (allowScalar, allowVariableSize) switch
        {
            (true, _) => "Single or known-size Vector<Single>",
            (false, true) => "Vector<Single>",
            _ => "known-size Vector<Single>",
        };

    private static string Describe(SchemaShape.Column column)
    {
        var item = column.ItemType?.ToString() ?? "?";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => item,
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            _ => $"VarVector<{item}>",
        };
    }
}
