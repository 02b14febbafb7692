using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>The contract every estimator of the ML.NET layer keeps (after ML.NET's own TestEstimatorCore).</summary>
internal static class EstimatorContract
{
    /// <summary>
    /// Checks that the propagated shape equals the actual output schema, that a bad input fails in both
    /// <c>GetOutputSchema</c> and <c>Fit</c>, that ML.NET's own <c>Model.Save</c> refuses with a pointer to
    /// <c>SavePipeline</c>, and that <c>SavePipeline</c>/<c>LoadPipeline</c> in a fresh context gives equal output.
    /// </summary>
    /// <returns>The fitted transformer.</returns>
    internal static TTransformer Check<TTransformer>(IEstimator<TTransformer> estimator, IDataView valid, IDataView? invalid)
        where TTransformer : class, ITransformer
    {
        var shape = estimator.GetOutputSchema(Shapes.Of(valid));
        var transformer = estimator.Fit(valid);
        var output = transformer.Transform(valid);
        AssertShapeMatches(shape, output.Schema);
        Assert.That(Describe(transformer.GetOutputSchema(valid.Schema)), Is.EqualTo(Describe(output.Schema)), "transformer.GetOutputSchema vs Transform");

        if (invalid is not null)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(Shapes.Of(invalid)), "GetOutputSchema with a bad input");
            Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(invalid), "Fit with a bad input");
            Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(invalid), "Transform with a bad input");
        }

        var context = new MLContext(seed: 1);
        var refused = Assert.Throws<NotSupportedException>(() => context.Model.Save(transformer, valid.Schema, new MemoryStream()));
        Assert.That(refused!.Message, Does.Contain("SavePipeline"));

        using var stream = new MemoryStream();
        context.Model.SavePipeline(transformer, valid.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 2).Model.LoadPipeline(stream, out var loadedSchema);
        Assert.That(Describe(loadedSchema), Is.EqualTo(Describe(valid.Schema)), "loaded input schema");
        AssertSameFloatColumns(output, loaded.Transform(valid));
        return transformer;
    }

    /// <summary>Every column of the shape is in the schema with the same kind and item type, and every visible column of the schema is in the shape.</summary>
    internal static void AssertShapeMatches(SchemaShape shape, DataViewSchema schema)
    {
        var visible = schema.Where(c => !c.IsHidden).ToList();
        Assert.That(shape.Select(c => c.Name).OrderBy(n => n), Is.EqualTo(visible.Select(c => c.Name).OrderBy(n => n)), "column names");
        foreach (var column in visible)
        {
            var found = shape.Single(c => c.Name == column.Name);
            var (kind, item) = column.Type switch
            {
                VectorDataViewType { IsKnownSize: true } v => (SchemaShape.Column.VectorKind.Vector, v.ItemType),
                VectorDataViewType v => (SchemaShape.Column.VectorKind.VariableVector, v.ItemType),
                var t => (SchemaShape.Column.VectorKind.Scalar, t),
            };
            Assert.That(found.Kind, Is.EqualTo(kind), $"kind of '{column.Name}'");
            Assert.That(found.ItemType, Is.EqualTo(item), $"item type of '{column.Name}'");
        }
    }

    /// <summary>Every Single and Vector&lt;Single&gt; column of the two views holds the same values, row by row.</summary>
    internal static void AssertSameFloatColumns(IDataView expected, IDataView actual)
    {
        Assert.That(Describe(actual.Schema), Is.EqualTo(Describe(expected.Schema)), "schemas");
        var names = expected.Schema.Where(c => !c.IsHidden && IsFloat(c.Type)).Select(c => c.Name).ToArray();
        Assert.That(names, Is.Not.Empty);
        foreach (var name in names)
        {
            Assert.That(Read(actual, name), Is.EqualTo(Read(expected, name)), $"column '{name}'");
        }
    }

    /// <summary>All values of a Single or Vector&lt;Single&gt; column, row after row.</summary>
    internal static List<float[]> Read(IDataView view, string name)
    {
        var column = view.Schema[name];
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                rows.Add(buffer.DenseValues().ToArray());
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(column);
            var value = 0f;
            while (cursor.MoveNext())
            {
                getter(ref value);
                rows.Add([value]);
            }
        }

        return rows;
    }

    /// <summary>The bytes allocated per row while a cursor reads a vector column, from the difference of two runs (so per-cursor set-up cancels out).</summary>
    internal static double AllocatedBytesPerRow(IDataView view, string name)
    {
        var column = view.Schema[name];

        long Measure(int rows)
        {
            using var cursor = view.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            cursor.MoveNext();
            getter(ref buffer);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var r = 1; r < rows && cursor.MoveNext(); r++)
            {
                getter(ref buffer);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return (Measure(2200) - Measure(200)) / 2000.0;
    }

    /// <summary>The schema's visible columns as "name:type" text.</summary>
    internal static string Describe(DataViewSchema schema) =>
        string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}:{c.Type}"));

    private static bool IsFloat(DataViewType type) =>
        type == NumberDataViewType.Single || type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single;
}

/// <summary>Gets the <see cref="SchemaShape"/> ML.NET itself derives from a data view (SchemaShape.Create is not public).</summary>
internal static class Shapes
{
    /// <summary>The shape ML.NET's <see cref="EstimatorChain{TLastTransformer}"/> passes to its first estimator for this data.</summary>
    internal static SchemaShape Of(IDataView data)
    {
        var capture = new CaptureEstimator();
        try
        {
            new EstimatorChain<ITransformer>().Append(capture).Fit(data);
        }
        catch (CapturedException)
        {
        }

        return capture.Shape ?? throw new InvalidOperationException("EstimatorChain did not ask for the output schema.");
    }

    private sealed class CapturedException : Exception;

    private sealed class CaptureEstimator : IEstimator<ITransformer>
    {
        internal SchemaShape? Shape { get; private set; }

        public ITransformer Fit(IDataView input) => throw new CapturedException();

        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            Shape = inputSchema;
            return inputSchema;
        }
    }
}
