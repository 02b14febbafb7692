using NUnit.Framework;
using Reservoir.Examples.MLNetForecasting;

namespace Reservoir.Tests.Examples;

[TestFixture]
public sealed class MLNetForecastingExampleTests
{
    [Test]
    public void Run_SmallSize_ForecastsCoversAndWritesEveryFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"reservoir-mlnet-forecasting-{Guid.NewGuid():N}");
        try
        {
            var result = Program.Run(seed: 1, steps: 600, workDirectory: folder, horizon: 6);

            Assert.That(result.TrainRows, Is.EqualTo(480));
            Assert.That(result.Nrmse, Is.LessThan(0.5), "noise is 0.6 against a seasonal amplitude of about 3");
            Assert.That(result.Coverage, Is.InRange(0.75, 0.99), $"bounds for a {result.ConfidenceLevel} level");
            Assert.That(result.ReloadedIdentical, Is.True);
            Assert.That(result.Chosen, Does.StartWith("season 24"), "the daily cycle of hourly data");
            Assert.That(result.NextForecast, Has.Length.EqualTo(6));
            Assert.That(File.Exists(result.CsvPath) && File.Exists(result.ModelPath) && File.Exists(result.CheckpointPath), Is.True);
            Assert.That(File.ReadAllBytes(result.PlotPath).Take(4), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }), "a PNG file");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
