using Reservoir.Pipelines;
using Example = Reservoir.Examples.MackeyGlass.Program;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary>The main example's Mackey–Glass setup (Examples/MackeyGlass), shared by <c>mg-onestep</c> and <c>mg-closed-loop</c>.</summary>
/// <remarks>
/// Mackey–Glass τ = 17 (Euler δ = 0.1, one sample per time unit) rescaled to [−1, 1]; the first 80 % trains a
/// 500-unit leaky reservoir (leak rate 0.3, spectral radius 1.25, ridge λ = 1e-6, washout 100) to predict the next
/// value; the rest is the test period. The series, split and options come from the example itself, and a smoke
/// test checks that the figures match.
/// </remarks>
internal sealed class MackeyGlassSetup
{
    /// <summary>The length of the series in the example.</summary>
    public const int PublishedSteps = 10_000;

    /// <summary>The reservoir size in the example.</summary>
    public const int PublishedUnits = 500;

    private MackeyGlassSetup(double[] series, int train, EchoStateNetworkOptions options)
    {
        Series = series;
        TrainEnd = train;
        Options = options;
        Inputs = series[..(train - 1)];
        Targets = series[1..train];
        TestInputs = series[(train - 1)..^1];
        Truth = series[train..];
    }

    public double[] Series { get; }

    public int TrainEnd { get; }

    public EchoStateNetworkOptions Options { get; }

    public double[] Inputs { get; }

    public double[] Targets { get; }

    public double[] TestInputs { get; }

    public double[] Truth { get; }

    /// <summary>The population standard deviation of the whole rescaled series (the scale of the closed-loop thresholds).</summary>
    public double SeriesStandardDeviation => TaskMath.StandardDeviation(Series);

    /// <summary>Builds the data and options with the example's own code.</summary>
    /// <param name="seed">The seed of the series and of the reservoir.</param>
    /// <param name="steps">The series length, ≥ 100.</param>
    /// <param name="unitCount">The reservoir size, ≥ 1.</param>
    /// <returns>The setup.</returns>
    public static MackeyGlassSetup Create(int seed, int steps, int unitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(unitCount, 1);
        var series = Example.CreateSeries(seed, steps);
        var train = Example.TrainLength(steps);
        var options = Example.CreateOptions(seed, unitCount);
        return new MackeyGlassSetup(series, train, options);
    }

    /// <summary>Builds the setup at the published or the small size, timing it as the report's <c>generate</c> phase, and records its configuration.</summary>
    /// <param name="settings">The command-line settings (seed, size).</param>
    /// <param name="report">The task's report.</param>
    /// <returns>The setup.</returns>
    public static MackeyGlassSetup CreateFor(TaskSettings settings, TaskReport report)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(report);
        MackeyGlassSetup setup;
        using (report.Time("generate"))
        {
            setup = Create(settings.Seed, settings.Size(PublishedSteps, 2000), settings.Size(PublishedUnits, 100));
        }

        setup.Describe(report);
        return setup;
    }

    /// <summary>Records the shared configuration in a report.</summary>
    /// <param name="report">The report.</param>
    public void Describe(TaskReport report)
    {
        var reservoir = Options.Reservoir!;
        report.Configure("series", "Mackey-Glass tau=17, Euler dt=0.1 subsampled by 10, rescaled to [-1, 1]")
            .Configure("series_steps", Series.Length)
            .Configure("train_pairs", Inputs.Length)
            .Configure("test_steps", Truth.Length)
            .Configure("units", reservoir.UnitCount)
            .Configure("leak_rates", reservoir.LeakRates.ToString())
            .Configure("spectral_radius", reservoir.SpectralRadius)
            .Configure("input_scaling", reservoir.InputScaling)
            .Configure("recurrent_connectivity", reservoir.RecurrentConnectivity)
            .Configure("input_connectivity", reservoir.InputConnectivity)
            .Configure("bias_scaling", reservoir.BiasScaling)
            .Configure("washout_steps", Options.WashoutSteps);
    }
}
