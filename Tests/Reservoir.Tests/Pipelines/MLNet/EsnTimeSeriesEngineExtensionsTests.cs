using Microsoft.ML;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnTimeSeriesEngineExtensionsTests
{
    [TestCase("transformer")]
    [TestCase("mlContext")]
    public void CreateTimeSeriesEngine_NullArgument_ParamNameIsTheParameter(string parameter)
    {
        var context = new MLContext(seed: 0);
        var transformer = parameter == "transformer" ? null : Forecaster(context);

        var error = Assert.Throws<ArgumentNullException>(() =>
            transformer!.CreateTimeSeriesEngine<TestData.ScalarRow, ForecastRow>(parameter == "mlContext" ? null! : context));

        Assert.That(error!.ParamName, Is.EqualTo(parameter));
    }

    [TestCase("model")]
    [TestCase("mlContext")]
    public void CreateEsnTimeSeriesEngine_NullArgument_ParamNameIsTheParameter(string parameter)
    {
        var context = new MLContext(seed: 0);
        ITransformer? model = parameter == "model" ? null : Forecaster(context);

        var error = Assert.Throws<ArgumentNullException>(() =>
            model!.CreateEsnTimeSeriesEngine<TestData.ScalarRow, ForecastRow>(parameter == "mlContext" ? null! : context));

        Assert.That(error!.ParamName, Is.EqualTo(parameter));
    }

    private static EsnForecastingTransformer Forecaster(MLContext context) =>
        context.Forecasting.ForecastByEsn("Forecast", "Input", horizon: 2, unitCount: 10, washoutSteps: 5).Fit(TestData.Sine(context, 40));

    /// <summary>The forecast alone.</summary>
    public sealed class ForecastRow
    {
        public float[] Forecast { get; set; } = [];
    }
}
