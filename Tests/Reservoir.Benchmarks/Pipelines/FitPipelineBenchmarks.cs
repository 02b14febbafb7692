using BenchmarkDotNet.Attributes;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Benchmarks.Pipelines;

/// <summary>Fits where the reservoir run and the Gram accumulation both weigh: the Mackey–Glass job and one long sequence at N = 1000–2000.</summary>
/// <remarks>Uses the public API only, so that the same file measures a build before and after a change of the fit.</remarks>
public class FitPipelineBenchmarks
{
    private double[] _inputs = [];
    private double[] _targets = [];
    private EchoStateNetworkOptions _options = null!;
    private int _mackeyGlassSeed = 42;

    /// <summary>Gets or sets the fit's size as "N x T" (units × steps).</summary>
    [Params("1000x100000", "2000x20000")]
    public string Size { get; set; } = "1000x100000";

    /// <summary>Builds a seeded series and the options (in-degree 10, fixed λ, washout 100).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x');
        var units = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var steps = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        _inputs = new double[steps];
        _targets = new double[steps];
        for (var t = 0; t < steps; t++)
        {
            _inputs[t] = Math.Sin(0.05 * t) * Math.Cos(0.011 * t);
            _targets[t] = Math.Sin(0.05 * (t + 1)) * Math.Cos(0.011 * (t + 1));
        }

        _mackeyGlassSeed = 42;
        _options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = units, Seed = 1, SpectralRadius = 0.9, LeakRates = 0.3, RecurrentConnectivity = 10.0 / units,
            },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-6 },
            WashoutSteps = 100,
        };
    }

    /// <summary>The whole Mackey–Glass one-step job (500 units, 8 000 training steps, 2 000 predicted).</summary>
    /// <returns>The test NRMSE.</returns>
    [Benchmark]
    public double MackeyGlass() => MackeyGlassJob.Run(_mackeyGlassSeed);

    /// <summary>Builds the reservoir and fits the readout on the whole series.</summary>
    /// <returns>The fitted readout's λ, so that the fit is not optimised away.</returns>
    [Benchmark]
    public double Fit() => EchoStateNetwork.Fit(_options, _inputs, _targets).L2Regularization;
}
