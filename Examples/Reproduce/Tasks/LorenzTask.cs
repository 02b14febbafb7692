using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>lorenz</c>: Lorenz-63 one step ahead with 500 units, and the closed-loop valid time in Lyapunov times.</summary>
/// <remarks>
/// The trajectory (σ = 10, ρ = 28, β = 8/3, RK4, sampled every <see cref="LorenzSetting.TimeStep"/>) is split into
/// training and test periods; the network reads (x, y, z)(t), standardised with the training statistics, and predicts
/// (x, y, z)(t+1). One-step: NRMSE per component (RMSE / std of that component on the test period), averaged. Closed
/// loop: from the end of training the outputs are fed back as inputs; the valid time is the first step at which the
/// normalised error ‖ŷ − y‖ / √⟨‖y − ȳ‖²⟩ exceeds <see cref="LorenzSetting.ValidThreshold"/>, times the step and
/// λ_max = 0.906.
/// </remarks>
public sealed class LorenzTask : ReproductionTask
{
    /// <summary>The hyper-parameters (chosen by a coarse search on seeds 1 and 2, not the default seed).</summary>
    public static LorenzSetting Tuned { get; } = new();

    /// <inheritdoc/>
    public override string Name => "lorenz";

    /// <inheritdoc/>
    public override string Description => "Lorenz-63 one step ahead (500 units, mean NRMSE over x, y, z) and closed-loop valid time in Lyapunov times";

    /// <inheritdoc/>
    public override int Order => 40;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var setting = Tuned with
        {
            UnitCount = settings.Size(Tuned.UnitCount, 100),
            TrainSteps = settings.Size(Tuned.TrainSteps, 2000),
            TestSteps = settings.Size(Tuned.TestSteps, 500),
        };
        var report = new TaskReport(Name, settings.Seed);
        report.Configure("series", $"Lorenz-63 sigma=10 rho=28 beta=8/3, RK4, sampling step {setting.TimeStep}, generator transient 1000 samples")
            .Configure("setting", setting.Describe())
            .Configure("max_lyapunov_exponent", Lorenz63.MaxLyapunovExponent)
            .Configure("one_step_metric", "mean over x, y, z of RMSE / std(truth) on the test period")
            .Configure("valid_time_metric", $"first step at which norm(y_hat - y) / sqrt(mean norm(y - mean y)^2) exceeds {setting.ValidThreshold}, times step times 0.906");
        settings.Report($"{Name}: {setting.UnitCount} units, {setting.TrainSteps} training steps");
        LorenzResult result;
        using (report.Time("fit_and_predict"))
        {
            result = Measure(setting, settings.Seed);
        }

        report.Metric("nrmse_mean", result.NrmseMean)
            .Metric("nrmse_x", result.Nrmse[0])
            .Metric("nrmse_y", result.Nrmse[1])
            .Metric("nrmse_z", result.Nrmse[2])
            .Metric("valid_steps", result.ValidSteps)
            .Metric("valid_lyapunov_times", result.ValidLyapunovTimes)
            .Metric("closed_loop_l2_regularization", result.ClosedLoopL2Regularization);
        return report;
    }

    /// <summary>Trains on Lorenz-63 and measures the one-step NRMSE and the closed-loop valid time.</summary>
    /// <param name="setting">The sizes and hyper-parameters.</param>
    /// <param name="seed">The seed of the trajectory and of the reservoir.</param>
    /// <returns>The measured errors.</returns>
    public static LorenzResult Measure(LorenzSetting setting, int seed)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var total = setting.TrainSteps + setting.TestSteps + 1;
        var trajectory = Lorenz63.Generate(total, seed, timeStep: setting.TimeStep);
        var inputs = Rows(trajectory, 0, setting.TrainSteps);
        var targets = Rows(trajectory, 1, setting.TrainSteps);
        var testInputs = Rows(trajectory, setting.TrainSteps, setting.TestSteps);
        var truth = Rows(trajectory, setting.TrainSteps + 1, setting.TestSteps);
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = setting.UnitCount,
                Seed = seed,
                InputDimension = 3,
                LeakRates = setting.LeakRate,
                SpectralRadius = setting.SpectralRadius,
                InputScaling = setting.InputScaling,
                InputConnectivity = setting.InputConnectivity,
                RecurrentConnectivity = setting.RecurrentConnectivity,
                BiasScaling = setting.BiasScaling,
            },
            Readout = new RidgeReadoutOptions { L2Regularization = setting.L2Regularization },
            WashoutSteps = setting.WashoutSteps,
            StandardizeInputs = true,
            StandardizeTargets = true,
        };
        var oneStep = EchoStateNetwork.Fit(options, inputs, targets);
        var prediction = oneStep.Predict(testInputs);
        var nrmse = new double[3];
        for (var c = 0; c < 3; c++)
        {
            nrmse[c] = Metrics.Nrmse(TaskMath.Column(truth, c), TaskMath.Column(prediction, c));
        }

        // Closed loop from the end of training: the last training target is fed back first, so generated row h
        // predicts trajectory[train + 1 + h], the same rows as the one-step truth.
        var generator = setting.ClosedLoopRegularizationSearch
            ? EchoStateNetwork.Fit(options with { RegularizationSearch = new RidgeCvOptions() }, inputs, targets)
            : oneStep;
        var generated = generator.Generate(setting.TestSteps);
        var validSteps = ValidSteps(truth, generated, setting.ValidThreshold);
        return new LorenzResult(nrmse, nrmse.Average(), validSteps,
            validSteps * setting.TimeStep * Lorenz63.MaxLyapunovExponent, generator.L2Regularization);
    }

    private static int ValidSteps(double[,] truth, double[,] generated, double threshold)
    {
        var rows = truth.GetLength(0);
        var columns = truth.GetLength(1);
        var scale = 0.0;
        for (var c = 0; c < columns; c++)
        {
            scale += TaskMath.Variance(TaskMath.Column(truth, c));
        }

        scale = Math.Sqrt(scale);
        for (var t = 0; t < rows; t++)
        {
            var error = 0.0;
            for (var c = 0; c < columns; c++)
            {
                var e = generated[t, c] - truth[t, c];
                error += e * e;
            }

            if (!(Math.Sqrt(error) / scale <= threshold))
            {
                return t;
            }
        }

        return rows;
    }

    private static double[,] Rows(double[,] matrix, int start, int count)
    {
        var columns = matrix.GetLength(1);
        var result = new double[count, columns];
        for (var r = 0; r < count; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[r, c] = matrix[start + r, c];
            }
        }

        return result;
    }
}

/// <summary>The sizes and hyper-parameters of the Lorenz task.</summary>
public sealed record LorenzSetting
{
    /// <summary>The sampling step, in time units.</summary>
    public double TimeStep { get; init; } = 0.02;

    /// <summary>N.</summary>
    public int UnitCount { get; init; } = 500;

    /// <summary>Training pairs (the first <see cref="WashoutSteps"/> are left out of the fit).</summary>
    public int TrainSteps { get; init; } = 8000;

    /// <summary>Test steps.</summary>
    public int TestSteps { get; init; } = 2000;

    /// <summary>Initial states left out of the fit.</summary>
    public int WashoutSteps { get; init; } = 100;

    /// <summary>The leak rate.</summary>
    public double LeakRate { get; init; } = 1.0;

    /// <summary>The spectral radius.</summary>
    public double SpectralRadius { get; init; } = 0.9;

    /// <summary>The input scaling (inputs are standardised).</summary>
    public double InputScaling { get; init; } = 0.1;

    /// <summary>The input connectivity.</summary>
    public double InputConnectivity { get; init; } = 0.5;

    /// <summary>The recurrent connectivity.</summary>
    public double RecurrentConnectivity { get; init; } = 0.02;

    /// <summary>The bias scaling.</summary>
    public double BiasScaling { get; init; } = 0.5;

    /// <summary>The ridge λ of the one-step readout.</summary>
    public double L2Regularization { get; init; } = 1e-8;

    /// <summary>Whether the closed-loop network chooses λ by time-blocked cross-validation.</summary>
    public bool ClosedLoopRegularizationSearch { get; init; } = true;

    /// <summary>The normalised error at which the closed loop stops being valid.</summary>
    public double ValidThreshold { get; init; } = 0.4;

    /// <summary>The setting as a JSON object.</summary>
    /// <returns>Every field, snake_case.</returns>
    public System.Text.Json.Nodes.JsonObject Describe() => new()
    {
        ["time_step"] = TimeStep,
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
        ["closed_loop_l2_regularization"] = ClosedLoopRegularizationSearch ? "time-blocked cross-validation" : "same as one step",
        ["valid_threshold"] = ValidThreshold,
    };
}

/// <summary>What the Lorenz task measured.</summary>
/// <param name="Nrmse">The one-step NRMSE of x, y and z.</param>
/// <param name="NrmseMean">Their mean.</param>
/// <param name="ValidSteps">The closed-loop valid steps.</param>
/// <param name="ValidLyapunovTimes">The valid time in Lyapunov times.</param>
/// <param name="ClosedLoopL2Regularization">The λ of the closed-loop network.</param>
public sealed record LorenzResult(double[] Nrmse, double NrmseMean, int ValidSteps, double ValidLyapunovTimes, double ClosedLoopL2Regularization);
