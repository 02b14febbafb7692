using Microsoft.ML;
using Microsoft.ML.Data;
using Reservoir.Pipelines.MLNet;
using NUnit.Framework;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>A bad row read by one of our transformers behind an ML.NET transform (which reads on worker threads) surfaces as our ArgumentException.</summary>
public sealed class RowErrorsTests
{
    private const int NaNRow = 50;

    [Test]
    public void Fit_NaNRowBehindConcatenate_ThrowsOurArgumentException()
    {
        var context = new MLContext(seed: 0);

        var error = Assert.Throws<ArgumentException>(() => Pipeline(context).Fit(Rows(context, withNaN: true)));

        Assert.That(error!.Message, Does.StartWith($"Column 'Scaled' holds NaN at row {NaNRow}, element 0"));
        Assert.That(error.ParamName, Is.EqualTo("input"));
    }

    [Test]
    public void Transform_NaNRowBehindConcatenate_ThrowsOurArgumentException()
    {
        var context = new MLContext(seed: 0);
        var model = Pipeline(context).Fit(Rows(context, withNaN: false));
        var scored = model.Transform(Rows(context, withNaN: true));

        var error = Assert.Throws<ArgumentException>(() => _ = scored.GetColumn<float>("Score").ToArray());

        Assert.That(error!.Message, Does.StartWith($"Column 'Scaled' holds NaN at row {NaNRow}, element 0"));
    }

    [Test]
    public void Transform_NaNRowReadByMLNetReader_KeepsOurExceptionInnermost()
    {
        // Documented limit: a reader that is not ours (here CreateEnumerable over Concatenate's output) gets ML.NET's wrapper.
        var context = new MLContext(seed: 0);
        var model = context.Transforms.NormalizeMinMax("Scaled", "Input")
            .Append(context.Transforms.EchoStateReservoir("States", "Scaled", unitCount: 20))
            .Append(context.Transforms.Concatenate("Features", "States", "Scaled"))
            .Fit(Rows(context, withNaN: false));
        var features = model.Transform(Rows(context, withNaN: true));

        var error = Assert.Catch<Exception>(() => _ = features.GetColumn<float[]>("Features").ToArray());

        var innermost = error!;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        Assert.That(innermost, Is.TypeOf<ArgumentException>());
        Assert.That(innermost.Message, Does.StartWith($"Column 'Scaled' holds NaN at row {NaNRow}"));
    }

    private static EstimatorChain<RidgeRegressionTransformer> Pipeline(MLContext context) =>
        context.Transforms.NormalizeMinMax("Scaled", "Input")
            .Append(context.Transforms.EchoStateReservoir("States", "Scaled", unitCount: 20))
            .Append(context.Transforms.Concatenate("Features", "States", "Scaled"))
            .Append(context.Regression.Trainers.Ridge(l2Regularization: 1e-4));

    private static IDataView Rows(MLContext context, bool withNaN) =>
        context.Data.LoadFromEnumerable(Enumerable.Range(0, 200).Select(t => new TestData.ScalarRow
        {
            Input = withNaN && t == NaNRow ? float.NaN : (float)Math.Sin(0.2 * t),
            Label = (float)Math.Sin(0.2 * (t + 1)),
        }));
}
