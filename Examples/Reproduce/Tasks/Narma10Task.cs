using Reservoir.Datasets;
using Reservoir.Nvar;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>narma10</c>: the standard NARMA-10 (Atiya and Parlos 2000) one step ahead, at 500 and at 100 units.</summary>
/// <remarks>
/// y(t+1) = 0.3·y(t) + 0.05·y(t)·Σ_{i=0..9} y(t−i) + 1.5·u(t−9)·u(t) + 0.1 with u ~ U[0, 0.5]; the network reads u(t)
/// and predicts y(t+1) (<see cref="NarmaSeries.Target"/>). NRMSE = RMSE / std(truth) on the test period, which follows
/// the training period without a reset.
/// <para>
/// NVAR at the 100-unit protocol's size: u(t), …, u(t − 14) and all their quadratic products, 15 + 120 = 135 features
/// (against the ESN's 100 states plus input and intercept), with the readout's intercept and λ chosen by time-blocked
/// cross-validation. It is trained on the same 2200 steps (its warm-up of 14 steps replaces the washout) and predicts the
/// same 3000 test steps, reading the 14 steps before them as context.
/// </para>
/// </remarks>
public sealed class Narma10Task : ReproductionTask
{
    /// <summary>The hyper-parameters used at both sizes (chosen by a coarse grid search on seeds 1 and 2, not the default seed 42; see docs/REPRODUCTION.md).</summary>
    public static NarmaSetting Tuned { get; } = new();

    /// <inheritdoc/>
    public override string Name => "narma10";

    /// <inheritdoc/>
    public override string Description => "standard NARMA-10 one step ahead: 500 units (train 8000 / test 2000) and 100 units (train 2000 / test 3000 / washout 200)";

    /// <inheritdoc/>
    public override int Order => 20;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var large = Tuned with
        {
            UnitCount = settings.Size(500, 100),
            TrainSteps = settings.Size(8000, 1000),
            TestSteps = settings.Size(2000, 500),
            WashoutSteps = settings.Size(200, 100),
        };
        var small = Tuned with
        {
            UnitCount = settings.Size(100, 50),
            TrainSteps = settings.Size(2000, 1000),
            TestSteps = settings.Size(3000, 500),
            WashoutSteps = settings.Size(200, 100),
        };
        report.Configure("series", "NARMA-10 (standard), u ~ U[0, 0.5], generator transient 200")
            .Configure("setting_500units", large.Describe())
            .Configure("setting_100units", small.Describe())
            .Configure("metric", "NRMSE = RMSE / std(truth) over the test period");
        var trials = settings.TrialsOr(5);
        report.Configure("trials", trials)
            .Configure("trial_seeds", $"seed to seed + {trials - 1}: each trial has its own series and reservoir; the metrics are the mean");

        using (report.Time("units_500"))
        {
            settings.Report($"{Name}: {large.UnitCount} units, {large.TrainSteps} training steps");
            report.Metric("nrmse_500units", Average(large, settings.Seed, trials));
        }

        using (report.Time("units_100"))
        {
            settings.Report($"{Name}: {small.UnitCount} units, {small.TrainSteps} training steps");
            report.Metric("nrmse_100units", Average(small, settings.Seed, trials));
        }

        report.Configure("nvar", $"delays {NvarDelays}, stride 1, order 2, no constant ({NvarFeatureCount} features) plus the readout's intercept; lambda by 5-fold time-blocked cross-validation; the 100-unit protocol's steps");
        using (report.Time("nvar"))
        {
            settings.Report($"{Name}: NVAR, {NvarFeatureCount} features, {small.TrainSteps} training steps");
            var sum = 0.0;
            for (var trial = 0; trial < trials; trial++)
            {
                sum += MeasureNvar(small, unchecked(settings.Seed + trial));
            }

            report.Metric("nrmse_nvar135", sum / trials);
        }

        return report;
    }

    /// <summary>The NVAR's delays k: 15 inputs and their 120 quadratic products make 135 features.</summary>
    public const int NvarDelays = 15;

    /// <summary>The NVAR's feature count, k + k(k + 1)/2.</summary>
    public const int NvarFeatureCount = NvarDelays + NvarDelays * (NvarDelays + 1) / 2;

    /// <summary>Trains an NVAR on the steps an ESN of <paramref name="setting"/> trains on and returns the test NRMSE.</summary>
    /// <param name="setting">The sizes (WashoutSteps + TrainSteps training steps, TestSteps test steps); the reservoir's values are not used.</param>
    /// <param name="seed">The seed of the series.</param>
    /// <returns>The test NRMSE.</returns>
    public static double MeasureNvar(NarmaSetting setting, int seed)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var total = setting.WashoutSteps + setting.TrainSteps + setting.TestSteps;
        var data = Narma.Generate(total, seed);
        var train = setting.WashoutSteps + setting.TrainSteps;
        var options = new NvarNetworkOptions
        {
            Features = new NvarOptions { InputDimension = 1, DelayCount = NvarDelays, PolynomialOrder = 2 },
            RegularizationSearch = new RidgeCvOptions(),
        };
        var network = NvarNetwork.Fit(options, ColumnOf(data.Input, 0, train), ColumnOf(data.Target, 0, train));
        var warmup = network.WarmupSteps;
        var prediction = network.Predict(ColumnOf(data.Input, train - warmup, total - train + warmup));
        return Metrics.Nrmse(data.Target.AsSpan(train), TaskMath.Column(prediction));
    }

    private static double[,] ColumnOf(double[] values, int start, int count)
    {
        var result = new double[count, 1];
        for (var t = 0; t < count; t++)
        {
            result[t, 0] = values[start + t];
        }

        return result;
    }

    /// <summary>Trains on NARMA-10 and returns the test NRMSE.</summary>
    /// <param name="setting">The sizes and hyper-parameters.</param>
    /// <param name="seed">The seed of the series and of the reservoir.</param>
    /// <returns>The test NRMSE.</returns>
    public static double Measure(NarmaSetting setting, int seed)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var total = setting.WashoutSteps + setting.TrainSteps + setting.TestSteps;
        var data = Narma.Generate(total, seed);
        var train = setting.WashoutSteps + setting.TrainSteps;
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = setting.UnitCount,
                Seed = seed,
                LeakRates = setting.LeakRate,
                SpectralRadius = setting.SpectralRadius,
                InputScaling = setting.InputScaling,
                InputConnectivity = setting.InputConnectivity,
                RecurrentConnectivity = setting.RecurrentConnectivity,
                BiasScaling = setting.BiasScaling,
            },
            Readout = new RidgeReadoutOptions { L2Regularization = setting.L2Regularization },
            WashoutSteps = setting.WashoutSteps,
        };
        var esn = EchoStateNetwork.Fit(options, data.Input[..train], data.Target[..train]);
        var prediction = esn.Predict(data.Input[train..]);
        return Metrics.Nrmse(data.Target.AsSpan(train), prediction);
    }

    private static double Average(NarmaSetting setting, int seed, int trials)
    {
        var sum = 0.0;
        for (var trial = 0; trial < trials; trial++)
        {
            sum += Measure(setting, unchecked(seed + trial));
        }

        return sum / trials;
    }
}

/// <summary>The sizes and hyper-parameters of one NARMA-10 run.</summary>
public sealed record NarmaSetting
{
    /// <summary>N.</summary>
    public int UnitCount { get; init; } = 500;

    /// <summary>Training steps after the washout.</summary>
    public int TrainSteps { get; init; } = 8000;

    /// <summary>Test steps.</summary>
    public int TestSteps { get; init; } = 2000;

    /// <summary>Initial states left out of the fit.</summary>
    public int WashoutSteps { get; init; } = 200;

    /// <summary>The leak rate.</summary>
    public double LeakRate { get; init; } = 1.0;

    /// <summary>The spectral radius.</summary>
    public double SpectralRadius { get; init; } = 0.95;

    /// <summary>The input scaling.</summary>
    public double InputScaling { get; init; } = 0.05;

    /// <summary>The input connectivity.</summary>
    public double InputConnectivity { get; init; } = 1.0;

    /// <summary>The recurrent connectivity.</summary>
    public double RecurrentConnectivity { get; init; } = 0.05;

    /// <summary>The bias scaling.</summary>
    public double BiasScaling { get; init; } = 0.2;

    /// <summary>The ridge λ.</summary>
    public double L2Regularization { get; init; } = 1e-10;

    /// <summary>The setting as a JSON object.</summary>
    /// <returns>Every field, snake_case.</returns>
    public System.Text.Json.Nodes.JsonObject Describe() => new()
    {
        ["units"] = UnitCount,
        ["train_steps"] = TrainSteps,
        ["test_steps"] = TestSteps,
        ["washout_steps"] = WashoutSteps,
        ["leak_rate"] = LeakRate,
        ["spectral_radius"] = SpectralRadius,
        ["input_scaling"] = InputScaling,
        ["input_connectivity"] = InputConnectivity,
        ["recurrent_connectivity"] = RecurrentConnectivity,
        ["bias_scaling"] = BiasScaling,
        ["l2_regularization"] = L2Regularization,
    };
}
