using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class SeriesForecastModelPersistenceTests
{
    private static SeriesForecastModel Fit(int seed, SeriesForecastMethod? method = null) =>
        SeriesForecaster.Fit(SeriesForecasterTests.TrendingSeasonal(150, seed), 6,
            new SeriesForecasterOptions { EnsembleSize = 3, Method = method, Transform = SeriesTransform.Log });

    /// <summary>The fitted configuration with the seasonal naive benchmark and no Theta method, whatever the fit chose.</summary>
    private static SeriesForecastConfiguration Plain(SeriesForecastModel fitted) =>
        fitted.Configuration with { Benchmark = SeriesForecastBenchmark.SeasonalNaive, ThetaShare = 0, Theta = null, Trend = null };

    private static byte[] Bytes(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    [TestCase(null)]
    [TestCase(SeriesForecastMethod.ClosedLoop)]
    public void SaveLoad_Stream_ForecastsBitIdentically(SeriesForecastMethod? method)
    {
        var model = Fit(1, method);

        var loaded = SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save)));

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Forecast(0.8), Is.EqualTo(model.Forecast(0.8)));
            Assert.That(loaded.Configuration, Is.EqualTo(model.Configuration));
        });
    }

    [TestCase(0.0)]
    [TestCase(0.45)]
    public void SaveLoad_BenchmarkWeight_KeptAndForecastsBitIdentically(double weight)
    {
        var fitted = Fit(5);
        var model = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = weight }, [.. fitted.Members], [.. fitted.Errors]);

        var loaded = SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save)));

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Configuration.BenchmarkWeight, Is.EqualTo(weight));
            Assert.That(loaded.Forecast(), Is.EqualTo(model.Forecast()));
        });
    }

    [Test]
    public void SaveLoad_DampedTrend_KeptAndForecastsBitIdentically()
    {
        var fitted = Fit(5);
        var configuration = Plain(fitted) with { BenchmarkWeight = 0.4, Benchmark = SeriesForecastBenchmark.DampedTrend, Trend = new DampedTrend(0.3, 0.1, 0.9) };
        var model = new SeriesForecastModel(configuration, [.. fitted.Members], [.. fitted.Errors]);

        var loaded = SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save)));

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Configuration, Is.EqualTo(configuration));
            Assert.That(loaded.Forecast(), Is.EqualTo(model.Forecast()));
        });
    }

    [Test]
    public void Load_DampedTrendOutOfRange_ThrowsModelFormatException()
    {
        var fitted = Fit(5);
        var configuration = Plain(fitted) with { BenchmarkWeight = 0.4, Benchmark = SeriesForecastBenchmark.DampedTrend, Trend = new DampedTrend(0.3, 0.1, 1.5) };
        var model = new SeriesForecastModel(configuration, [.. fitted.Members], [.. fitted.Errors]);

        var exception = Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save))));
        Assert.That(exception!.Message, Does.Contain("damped trend"));
    }

    [Test]
    public void Save_WithoutBenchmark_WritesTheFirstFormatVersion()
    {
        var fitted = Fit(5);
        var without = new SeriesForecastModel(Plain(fitted) with { BenchmarkWeight = 0 }, [.. fitted.Members], [.. fitted.Errors]);
        var with = new SeriesForecastModel(Plain(fitted) with { BenchmarkWeight = 0.5 }, [.. fitted.Members], [.. fitted.Errors]);

        // The weight (8 bytes) and the flag of no trend (1 byte) are the only difference: a model without them keeps the
        // earlier layout, readable by earlier versions.
        Assert.That(Bytes(with.Save).Length - Bytes(without.Save).Length, Is.EqualTo(sizeof(double) + sizeof(bool)));
    }

    [Test]
    public void Save_SeasonalNaiveOrDampedTrend_WritesTheSecondFormatVersion()
    {
        var fitted = Fit(5);
        var second = new SeriesForecastModel(Plain(fitted) with { BenchmarkWeight = 0.5 }, [.. fitted.Members], [.. fitted.Errors]);
        var third = new SeriesForecastModel(Plain(fitted) with { BenchmarkWeight = 0.5, Benchmark = SeriesForecastBenchmark.Naive },
            [.. fitted.Members], [.. fitted.Errors]);

        // Version 3 adds the kind (4 bytes), the Theta share (8) and the flag of no Theta method (1).
        Assert.That(Bytes(third.Save).Length - Bytes(second.Save).Length, Is.EqualTo(sizeof(int) + sizeof(double) + sizeof(bool)));
    }

    [TestCase(SeriesForecastBenchmark.Theta, 0.0)]
    [TestCase(SeriesForecastBenchmark.SeasonalNaiveAndTheta, 0.25)]
    public void SaveLoad_Theta_KeptAndForecastsBitIdentically(SeriesForecastBenchmark kind, double share)
    {
        var fitted = Fit(5);
        var theta = ThetaMethod.Fit(SeriesForecasterTests.TrendingSeasonal(150, 5), 149, fitted.Configuration.SeasonalPeriod);
        var configuration = Plain(fitted) with { BenchmarkWeight = 0.4, Benchmark = kind, ThetaShare = share, Theta = theta };
        var model = new SeriesForecastModel(configuration, [.. fitted.Members], [.. fitted.Errors]);

        var loaded = SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save)));

        Assert.Multiple(() =>
        {
            Assert.That(theta.SeasonalIndices, Is.Not.Empty);
            Assert.That(loaded.Configuration, Is.EqualTo(configuration));
            Assert.That(loaded.Forecast(), Is.EqualTo(model.Forecast()));
            Assert.That(loaded.Forecast(), Is.Not.EqualTo(new SeriesForecastModel(Plain(fitted), [.. fitted.Members], [.. fitted.Errors]).Forecast()));
        });
    }

    [Test]
    public void Load_ThetaBenchmarkWithoutItsParameters_ThrowsModelFormatException()
    {
        var fitted = Fit(5);
        var model = new SeriesForecastModel(Plain(fitted) with { BenchmarkWeight = 0.4, Benchmark = SeriesForecastBenchmark.Theta }, [.. fitted.Members], [.. fitted.Errors]);

        var exception = Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save))));
        Assert.That(exception!.Message, Does.Contain("Invalid benchmark"));
    }

    [Test]
    public void Load_ThetaIndicesNotOnePerPhase_ThrowsModelFormatException()
    {
        var fitted = Fit(5);
        var theta = new ThetaMethod(0.3, 5) { SeasonalIndices = [0.9, 1.1] };
        var model = new SeriesForecastModel(Plain(fitted) with { BenchmarkWeight = 0.4, Benchmark = SeriesForecastBenchmark.Theta, Theta = theta },
            [.. fitted.Members], [.. fitted.Errors]);

        var exception = Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save))));
        Assert.That(exception!.Message, Does.Contain("Theta method"));
    }

    [Test]
    public void Load_BenchmarkWeightOutOfRange_ThrowsModelFormatException()
    {
        var fitted = Fit(5);
        var model = new SeriesForecastModel(fitted.Configuration with { BenchmarkWeight = 1.5 }, [.. fitted.Members], [.. fitted.Errors]);

        var exception = Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(Bytes(model.Save))));
        Assert.That(exception!.Message, Does.Contain("benchmark weight"));
    }

    [Test]
    public void SaveLoad_File_ForecastsBitIdentically()
    {
        var model = Fit(2);
        var path = Path.Combine(Path.GetTempPath(), $"reservoir-forecaster-{Guid.NewGuid():N}.rsvr");
        try
        {
            model.Save(path);

            Assert.That(SeriesForecastModel.Load(path).Forecast(), Is.EqualTo(model.Forecast()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CheckPointLoad_AfterUpdates_ResumesExactly()
    {
        var y = SeriesForecasterTests.TrendingSeasonal(180, 3);
        var engine = Fit(3).CreateEngine();
        for (var t = 150; t < 165; t++)
        {
            engine.Update(y[t]);
        }

        var resumed = SeriesForecastEngine.Load(new MemoryStream(Bytes(engine.CheckPoint)));

        Assert.That(resumed.UpdateCount, Is.EqualTo(15));
        Assert.That(resumed.Forecast(), Is.EqualTo(engine.Forecast()));
        for (var t = 165; t < 180; t++)
        {
            engine.Update(y[t]);
            resumed.Update(y[t]);
        }

        Assert.That(resumed.Forecast(0.5), Is.EqualTo(engine.Forecast(0.5)));
    }

    [Test]
    public void Load_CorruptedOrTruncatedOrOtherKind_ThrowsModelFormatException()
    {
        var bytes = Bytes(Fit(4).Save);
        var corrupted = (byte[])bytes.Clone();
        corrupted[bytes.Length / 2] ^= 0x5A;
        var network = Bytes(EchoStateNetwork.Fit(new EchoStateNetworkOptions { Reservoir = new ReservoirOptions { UnitCount = 5, Seed = 1 } },
            [0.1, 0.2, 0.3, 0.4], [0.2, 0.3, 0.4, 0.5]).Save);

        Assert.Multiple(() =>
        {
            Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(corrupted)));
            Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(bytes[..^9])));
            Assert.Throws<ModelFormatException>(() => SeriesForecastModel.Load(new MemoryStream(network)));
            Assert.Throws<ModelFormatException>(() => SeriesForecastEngine.Load(new MemoryStream(bytes)));
        });
    }
}
