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
/// The 100-unit protocol is measured twice: with the readout on [1; u; x] and with the readout on [1; u; x; x∘x]
/// (the states and their squares, 201 features besides the intercept).
/// </para>
/// <para>
/// NVAR at the 100-unit protocol's size: u(t), …, u(t − k + 1) and all their quadratic products, k + k(k + 1)/2
/// features for k = 13, 15 and 19 (104, 135 and 209; against the ESN readout's 101 or 201), with the readout's
/// intercept and λ chosen by time-blocked cross-validation. It is trained on the same 2200 steps (its warm-up of k − 1
/// steps replaces the washout) and predicts the same 3000 test steps, reading the k − 1 steps before them as context.
/// </para>
/// </remarks>
public sealed class Narma10Task : ReproductionTask
{
    /// <summary>The hyper-parameters of the 500-unit protocol (chosen by a coarse grid search on seeds 1 and 2, not the default seed 42; see docs/REPRODUCTION.md).</summary>
    public static NarmaSetting Tuned { get; } = new();

    /// <summary>The 100-unit protocol with a linear readout on [1; u; x]: input scaling 0.02, spectral radius 0.9, recurrent connectivity 0.2 (chosen on validation seeds 1–10 from the grid in docs/REPRODUCTION.md).</summary>
    public static NarmaSetting Tuned100Units { get; } = new()
    {
        UnitCount = 100,
        TrainSteps = 2000,
        TestSteps = 3000,
        WashoutSteps = 200,
        InputScaling = 0.02,
        SpectralRadius = 0.9,
        RecurrentConnectivity = 0.2,
        BiasScaling = 0.2,
    };

    /// <summary>The 100-unit protocol with the readout on [1; u; x; x∘x] (201 features): as <see cref="Tuned100Units"/> but bias scaling 0.1 (chosen on validation seeds 1–10).</summary>
    public static NarmaSetting TunedSquared100Units { get; } = Tuned100Units with { BiasScaling = 0.1, SquaredStates = true };

    /// <summary>The NVAR delay counts reported: 13 (104 features, the linear ESN's 102), 15 (135) and 19 (209, the squared-state ESN's 202).</summary>
    public static IReadOnlyList<int> NvarDelayCounts { get; } = [13, NvarDelays, 19];

    /// <inheritdoc/>
    public override string Name => "narma10";

    /// <inheritdoc/>
    public override string Description => "standard NARMA-10 one step ahead: 500 units (train 8000 / test 2000) and 100 units (train 2000 / test 3000 / washout 200; linear and squared-state readouts); NVAR";

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
        var small = Tuned100Units with
        {
            UnitCount = settings.Size(100, 50),
            TrainSteps = settings.Size(2000, 1000),
            TestSteps = settings.Size(3000, 500),
            WashoutSteps = settings.Size(200, 100),
        };
        var squared = small with { BiasScaling = TunedSquared100Units.BiasScaling, SquaredStates = true };
        report.Configure("series", "NARMA-10 (standard), u ~ U[0, 0.5], generator transient 200")
            .Configure("setting_500units", large.Describe())
            .Configure("setting_100units", small.Describe())
            .Configure("setting_100units_squared", squared.Describe())
            .Configure("metric", "NRMSE = RMSE / std(truth) over the test period");
        var trials = settings.TrialsOr(5);
        report.Configure("trials", trials)
            .Configure("trial_seeds", $"seed to seed + {trials - 1}: each trial has its own series and reservoir; the metrics are the mean, the _median metrics the median");

        using (report.Time("units_500"))
        {
            settings.Report($"{Name}: {large.UnitCount} units, {large.TrainSteps} training steps");
            report.Metric("nrmse_500units", Measure(large, settings.Seed, trials, Measure).Average());
        }

        using (report.Time("units_100"))
        {
            settings.Report($"{Name}: {small.UnitCount} units, {small.TrainSteps} training steps");
            var errors = Measure(small, settings.Seed, trials, Measure);
            report.Metric("nrmse_100units", errors.Average())
                .Metric("nrmse_100units_median", TaskMath.Median(errors));
        }

        using (report.Time("units_100_squared"))
        {
            settings.Report($"{Name}: {squared.UnitCount} units, readout on [1; u; x; x^2]");
            var errors = Measure(squared, settings.Seed, trials, Measure);
            report.Metric("nrmse_100units_squared", errors.Average())
                .Metric("nrmse_100units_squared_median", TaskMath.Median(errors));
        }

        report.Configure("nvar", "delays k, stride 1, order 2, no constant (k + k(k + 1)/2 features) plus the readout's intercept; lambda by 5-fold time-blocked cross-validation; the 100-unit protocol's steps");
        using (report.Time("nvar"))
        {
            foreach (var delays in NvarDelayCounts)
            {
                var features = NvarFeatures(delays);
                settings.Report($"{Name}: NVAR, {features} features, {small.TrainSteps} training steps");
                var errors = Measure(small, settings.Seed, trials, (setting, seed) => MeasureNvar(setting, seed, delays));
                report.Metric($"nrmse_nvar{features}", errors.Average())
                    .Metric($"nrmse_nvar{features}_median", TaskMath.Median(errors));
            }
        }

        return report;
    }

    /// <summary>The NVAR's delays k: 15 inputs and their 120 quadratic products make 135 features.</summary>
    public const int NvarDelays = 15;

    /// <summary>The NVAR's feature count, k + k(k + 1)/2.</summary>
    public const int NvarFeatureCount = NvarDelays + NvarDelays * (NvarDelays + 1) / 2;

    /// <summary>The feature count of an order-2 NVAR without constant: k + k(k + 1)/2.</summary>
    /// <param name="delays">k.</param>
    /// <returns>The number of features.</returns>
    public static int NvarFeatures(int delays) => delays + delays * (delays + 1) / 2;

    /// <summary>Trains an NVAR on the steps an ESN of <paramref name="setting"/> trains on and returns the test NRMSE.</summary>
    /// <param name="setting">The sizes (WashoutSteps + TrainSteps training steps, TestSteps test steps); the reservoir's values are not used.</param>
    /// <param name="seed">The seed of the series.</param>
    /// <param name="delays">The number of delays k (default <see cref="NvarDelays"/>).</param>
    /// <returns>The test NRMSE.</returns>
    public static double MeasureNvar(NarmaSetting setting, int seed, int delays = NvarDelays)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var total = setting.WashoutSteps + setting.TrainSteps + setting.TestSteps;
        var data = Narma.Generate(total, seed);
        var train = setting.WashoutSteps + setting.TrainSteps;
        var options = new NvarNetworkOptions
        {
            Features = new NvarOptions { InputDimension = 1, DelayCount = delays, PolynomialOrder = 2 },
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
        if (setting.SquaredStates)
        {
            return MeasureSquared(setting, options.Reservoir, data);
        }

        var esn = EchoStateNetwork.Fit(options, data.Input[..train], data.Target[..train]);
        var prediction = esn.Predict(data.Input[train..]);
        return Metrics.Nrmse(data.Target.AsSpan(train), prediction);
    }

    /// <summary>The readout on [u; x; x∘x] with an intercept: the reservoir runs over the whole series, the ridge readout is fitted on the training rows after the washout and predicts the test rows.</summary>
    private static double MeasureSquared(NarmaSetting setting, ReservoirOptions reservoirOptions, NarmaSeries data)
    {
        var reservoir = new EchoStateReservoir(reservoirOptions);
        var states = reservoir.Run(data.Input);
        var n = setting.UnitCount;
        var width = 1 + 2 * n;
        double[,] Rows(int start, int count)
        {
            var rows = new double[count, width];
            for (var r = 0; r < count; r++)
            {
                rows[r, 0] = data.Input[start + r];
                for (var j = 0; j < n; j++)
                {
                    var x = states[start + r, j];
                    rows[r, 1 + j] = x;
                    rows[r, 1 + n + j] = x * x;
                }
            }

            return rows;
        }

        var targets = new double[setting.TrainSteps, 1];
        for (var r = 0; r < setting.TrainSteps; r++)
        {
            targets[r, 0] = data.Target[setting.WashoutSteps + r];
        }

        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = setting.L2Regularization })
            .Fit(Rows(setting.WashoutSteps, setting.TrainSteps), targets);
        var train = setting.WashoutSteps + setting.TrainSteps;
        var prediction = TaskMath.Column(readout.Predict(Rows(train, setting.TestSteps)));
        return Metrics.Nrmse(data.Target.AsSpan(train), prediction);
    }

    private static double[] Measure(NarmaSetting setting, int seed, int trials, Func<NarmaSetting, int, double> measure)
    {
        var errors = new double[trials];
        for (var trial = 0; trial < trials; trial++)
        {
            errors[trial] = measure(setting, unchecked(seed + trial));
        }

        return errors;
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

    /// <summary>Whether the readout also reads the squared states, [1; u; x; x∘x] rather than [1; u; x]; default false.</summary>
    public bool SquaredStates { get; init; }

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
        ["readout"] = SquaredStates ? "[1; u; x; x^2]" : "[1; u; x]",
    };
}
