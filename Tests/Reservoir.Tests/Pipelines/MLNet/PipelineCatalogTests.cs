using Microsoft.ML;
using NUnit.Framework;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class PipelineCatalogTests
{
    [TestCase("catalog")]
    [TestCase("model")]
    [TestCase("inputSchema")]
    [TestCase("path")]
    [TestCase("stream")]
    public void SavePipeline_NullArgument_ParamNameIsTheParameter(string parameter)
    {
        var context = new MLContext(seed: 0);
        var data = TestData.Sine(context, 10);
        var model = context.Transforms.EchoStateReservoir("States", "Input", unitCount: 20).Fit(data);
        var catalog = parameter == "catalog" ? null : context.Model;
        var schema = parameter == "inputSchema" ? null : data.Schema;
        var transformer = parameter == "model" ? null : model;
        using var stream = new MemoryStream();

        var error = parameter == "path"
            ? Assert.Catch<ArgumentException>(() => catalog!.SavePipeline(transformer!, schema!, (string)null!))
            : Assert.Catch<ArgumentException>(() => catalog!.SavePipeline(transformer!, schema!, parameter == "stream" ? null! : stream));

        Assert.That(error!.ParamName, Is.EqualTo(parameter));
    }

    [TestCase("catalog", false)]
    [TestCase("catalog", true)]
    [TestCase("path", false)]
    [TestCase("stream", true)]
    public void LoadPipeline_NullArgument_ParamNameIsTheParameter(string parameter, bool fromStream)
    {
        var catalog = parameter == "catalog" ? null : new MLContext(seed: 0).Model;

        var error = fromStream
            ? Assert.Catch<ArgumentException>(() => catalog!.LoadPipeline(parameter == "stream" ? null! : new MemoryStream(), out _))
            : Assert.Catch<ArgumentException>(() => catalog!.LoadPipeline(parameter == "path" ? null! : "pipeline.zip", out _));

        Assert.That(error!.ParamName, Is.EqualTo(parameter));
    }
}
