using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Nvar;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

/// <summary>The readout options a network fit accepts: a penalised intercept cannot be combined with a λ search.</summary>
[TestFixture]
public sealed class ReadoutSolversTests
{
    private static readonly RidgeReadoutOptions PenalisedIntercept = new() { L2Regularization = 1e-2, RegularizeIntercept = true };
    private static readonly RidgeCvOptions Search = new() { L2Grid = [1e-6, 1e-3, 1] };

    private static readonly double[] Series = MackeyGlass.Generate(400, seed: 3);

    private static readonly double[,] LorenzInputs = Lorenz63.Generate(300, seed: 4, timeStep: 0.025);

    private static readonly double[,] LorenzTargets = Lorenz63.Generate(300, seed: 5, timeStep: 0.025);

    private static EchoStateNetworkOptions EsnOptions(RidgeCvOptions? search = null) => new()
    {
        Reservoir = new ReservoirOptions { UnitCount = 20, Seed = 1 },
        WashoutSteps = 20,
        Readout = PenalisedIntercept,
        RegularizationSearch = search,
    };

    private static NvarNetworkOptions NvarOptions(RidgeCvOptions? search = null) => new()
    {
        Features = new NvarOptions { InputDimension = 3, DelayCount = 2, DelayStride = 1, PolynomialOrder = 2 },
        Readout = PenalisedIntercept,
        RegularizationSearch = search,
    };

    [Test]
    public void EchoStateNetworkFit_PenalisedInterceptWithSearch_ThrowsNamingRegularizeIntercept()
    {
        var options = EsnOptions(Search);
        var series = Series;

        var error = Assert.Throws<ArgumentException>(() => EchoStateNetwork.Fit(options, series[..^1], series[1..]));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(RidgeReadoutOptions.RegularizeIntercept)));
        Assert.That(error.Message, Does.Contain("RegularizationSearch"));
    }

    [Test]
    public void NvarNetworkFit_PenalisedInterceptWithSearch_ThrowsNamingRegularizeIntercept()
    {
        var (inputs, targets, options) = (LorenzInputs, LorenzTargets, NvarOptions(Search));

        var error = Assert.Throws<ArgumentException>(() => NvarNetwork.Fit(options, inputs, targets));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(RidgeReadoutOptions.RegularizeIntercept)));
    }

    [Test]
    public void EchoStateNetworkFit_PenalisedInterceptWithFixedLambda_UsesThePenalisedReadout()
    {
        var options = EsnOptions();
        var series = Series;

        var penalised = EchoStateNetwork.Fit(options, series[..^1], series[1..]);
        var centred = EchoStateNetwork.Fit(options with { Readout = PenalisedIntercept with { RegularizeIntercept = false } }, series[..^1], series[1..]);

        Assert.That(penalised.Readout.RegularizeIntercept, Is.True);
        Assert.That(penalised.Readout.GetIntercept()[0], Is.Not.EqualTo(centred.Readout.GetIntercept()[0]));
    }

    [Test]
    public void EchoStateNetwork_PenalisedIntercept_SavedAndLoadedWithItsOption()
    {
        var options = EsnOptions();
        var series = Series;
        var network = EchoStateNetwork.Fit(options, series[..^1], series[1..]);
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;

        var loaded = EchoStateNetwork.Load(stream);

        Assert.That(loaded.Options.Readout.RegularizeIntercept, Is.True);
        Assert.That(loaded.Predict(series[..^1]), Is.EqualTo(network.Predict(series[..^1])).AsCollection);
    }

    [Test]
    public void NvarNetwork_PenalisedIntercept_SavedAndLoadedWithItsOption()
    {
        var (inputs, targets, options) = (LorenzInputs, LorenzTargets, NvarOptions());
        var network = NvarNetwork.Fit(options, inputs, targets);
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;

        var loaded = NvarNetwork.Load(stream);

        Assert.That(loaded.Options.Readout.RegularizeIntercept, Is.True);
        Assert.That(loaded.Predict(inputs), Is.EqualTo(network.Predict(inputs)).AsCollection);
    }
}
