using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Nvar;
using Reservoir.Pipelines;
using Reservoir.Readouts;
using Reservoir.Tests.Pipelines.ModelFiles;

namespace Reservoir.Tests.Pipelines;

/// <summary>Save and load of <see cref="NvarNetwork"/>, and the automatic choice of λ.</summary>
public sealed partial class NvarNetworkTests
{
    private static readonly double[] SearchGrid = [1e-8, 1e-4, 1e-1, 1e3];

    private static NvarNetwork SearchedNetwork(int folds = 3)
    {
        var series = Lorenz63.Generate(801, seed: 12, timeStep: 0.025);
        var (inputs, targets) = Shifted(series, 0, 800);
        var options = new NvarNetworkOptions
        {
            Features = new NvarOptions { InputDimension = 3, DelayCount = 3, DelayStride = 2, PolynomialOrder = 2, IncludeConstant = true },
            Readout = new RidgeReadoutOptions { L2Regularization = 0.5, FitIntercept = false },
            RegularizationSearch = new RidgeCvOptions { L2Grid = [.. SearchGrid] },
            CrossValidationFolds = folds,
        };
        return NvarNetwork.Fit(options, inputs, targets);
    }

    private static byte[] Bytes(NvarNetwork network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    [Test]
    public void SaveLoad_SearchedNetwork_PredictionsAndGenerationBitIdentical()
    {
        var network = SearchedNetwork();
        var probe = Rows(Lorenz63.Generate(100, seed: 5, timeStep: 0.025), 0, 100);

        var loaded = NvarNetwork.Load(new MemoryStream(Bytes(network)));

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Predict(probe), Is.EqualTo(network.Predict(probe)));
            Assert.That(loaded.Generate(probe, 10), Is.EqualTo(network.Generate(probe, 10)));
            Assert.That(loaded.Options, Is.EqualTo(network.Options with { RegularizationSearch = loaded.Options.RegularizationSearch }));
            Assert.That(loaded.Options.RegularizationSearch!.L2Grid!.Value, Is.EqualTo(SearchGrid));
            Assert.That(loaded.L2Regularization, Is.EqualTo(network.L2Regularization));
            Assert.That(loaded.RegularizationSearch!.Curve, Is.EqualTo(network.RegularizationSearch!.Curve));
            Assert.That(Bytes(loaded), Is.EqualTo(Bytes(network)), "saving the loaded network writes the same bytes");
        });
    }

    [Test]
    public void SaveLoad_File_FixedRidgeRoundTrips()
    {
        var series = Lorenz63.Generate(401, seed: 3, timeStep: 0.025);
        var (inputs, targets) = Shifted(series, 0, 400);
        var network = NvarNetwork.Fit(LorenzOptions, inputs, targets);
        var path = Path.Combine(Path.GetTempPath(), $"reservoir-nvar-{Guid.NewGuid():N}.rsvr");
        try
        {
            network.Save(path);
            var loaded = NvarNetwork.Load(path);

            Assert.That(loaded.Predict(inputs), Is.EqualTo(network.Predict(inputs)));
            Assert.That(loaded.RegularizationSearch, Is.Null);
            Assert.That(loaded.Options, Is.EqualTo(LorenzOptions));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Load_EveryCorruptedVariant_ThrowsModelFormatException()
    {
        // With the checksum recomputed, the checks of sizes and values must reject what the checksum no longer can.
        var variants = ModelFileTestData.CorruptedVariants(Bytes(SearchedNetwork()), "NvarNetwork", seed: 23);
        var loaded = ModelFileTestData.LoadedVariants(variants, stream => NvarNetwork.Load(stream));

        // A forged Int32 inside a stored double can still be a valid double; every other variant is rejected.
        Assert.That(loaded, Has.All.StartsWith("forged"));
        Assert.That(loaded, Has.Count.LessThan(70));
    }

    [Test]
    public void Load_EchoStateNetworkFile_ThrowsNamingTheKinds()
    {
        var esn = EchoStateNetwork.Fit(new EchoStateNetworkOptions { Reservoir = new ReservoirOptions { UnitCount = 10, Seed = 1 } },
            Enumerable.Range(0, 50).Select(t => Math.Sin(0.3 * t)).ToArray(), Enumerable.Range(1, 50).Select(t => Math.Sin(0.3 * t)).ToArray());
        using var stream = new MemoryStream();
        esn.Save(stream);

        Assert.That(() => NvarNetwork.Load(new MemoryStream(stream.ToArray())),
            Throws.InstanceOf<ModelFormatException>().With.Message.Contains("'EchoStateNetwork'").And.Message.Contains("'NvarNetwork'"));
    }

    [Test]
    public void Fit_RegularizationSearch_UsesTheBestLambdaOfTheCurve()
    {
        var network = SearchedNetwork();
        var search = network.RegularizationSearch!;
        var best = search.Curve.MinBy(p => p.ValidationError)!;

        var series = Lorenz63.Generate(801, seed: 12, timeStep: 0.025);
        var (inputs, targets) = Shifted(series, 0, 800);
        var fixedOptions = network.Options with
        {
            RegularizationSearch = null,
            Readout = network.Options.Readout with { L2Regularization = best.L2Regularization },
        };
        var refitted = NvarNetwork.Fit(fixedOptions, inputs, targets);

        Assert.Multiple(() =>
        {
            Assert.That(search.Curve.Select(p => p.L2Regularization), Is.EqualTo(SearchGrid));
            Assert.That(search.BestL2Regularization, Is.EqualTo(best.L2Regularization));
            Assert.That(network.L2Regularization, Is.EqualTo(best.L2Regularization), "the fixed λ of 0.5 in the options is ignored");
            Assert.That(best.L2Regularization, Is.Not.EqualTo(SearchGrid[^1]), "λ = 1e3 over-smooths the one-step map");
            // The folds' Gram matrices are summed in another order than one accumulator's, so the ill-conditioned solve
            // agrees to rounding in the predictions, not bit for bit in the weights.
            Assert.That(network.Predict(inputs), Is.EqualTo(refitted.Predict(inputs)).AsCollection.Within(1e-7));
        });
    }

    [TestCase(1)]
    [TestCase(0)]
    public void Fit_CrossValidationFoldsBelowTwo_Throws(int folds)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => SearchedNetwork(folds));

        Assert.That(exception!.ParamName, Does.Contain("CrossValidationFolds"));
    }
}
