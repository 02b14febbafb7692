using System.Globalization;
using System.Text.Json.Nodes;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary>Learns the time constants of a NARMA-10 reservoir from data with <see cref="ReservoirSearch"/> and compares the result with the defaults.</summary>
/// <remarks>
/// The common small NARMA-10 setting: 100 units, 2 000 training steps (200 washout), 3 000 test steps. The search sees the
/// training span only (time-blocked 5-fold validation inside it); the test span is scored once per configuration. Three
/// searches with the same budget: one leak rate, log-uniform time constants, and two groups. The baselines are the
/// library defaults (α = 1, ρ = 0.9, input scaling 1, λ = 1e-6), and the same with λ chosen by cross-validation.
/// </remarks>
public sealed class SearchTask : ReproductionTask
{
    /// <inheritdoc />
    public override string Name => "search";

    /// <inheritdoc />
    public override string Description =>
        "ReservoirSearch (CMA-ES, no backpropagation) learns time constants, ρ, input scaling and λ for NARMA-10 (100 units); test NRMSE vs defaults.";

    /// <inheritdoc />
    public override int Order => 90;

    /// <inheritdoc />
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var units = settings.Size(100, 20);
        var washout = settings.Size(200, 50);
        var train = settings.Size(2000, 400);
        var test = settings.Size(3000, 300);
        var budget = settings.Size(200, 8);
        var series = Narma.Generate(train + test, settings.Seed);
        var trainInputs = Column(series.Input, 0, train);
        var trainTargets = Column(series.Target, 0, train);
        var testInputs = Column(series.Input, train, test);
        var testTargets = series.Target.AsSpan(train, test).ToArray();
        var template = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = units, Seed = settings.Seed },
            WashoutSteps = washout,
        };
        report.Configure("dataset", "NARMA-10 (standard), input U[0, 0.5]")
            .Configure("unit_count", units)
            .Configure("washout_steps", washout)
            .Configure("train_steps", train)
            .Configure("test_steps", test)
            .Configure("search", "CMA-ES, time-blocked 5-fold validation NRMSE on the training span")
            .Configure("budget_per_search", budget);

        double TestNrmse(EchoStateNetworkOptions options)
        {
            var network = EchoStateNetwork.Fit(options, trainInputs, trainTargets);
            var predicted = network.Predict(testInputs);
            return Metrics.Nrmse(testTargets, Enumerable.Range(0, test).Select(t => predicted[t, 0]).ToArray());
        }

        using (report.Time("defaults"))
        {
            report.Metric("default_nrmse", TestNrmse(template));
            report.Metric("default_auto_ridge_nrmse", TestNrmse(template with { RegularizationSearch = new RidgeCvOptions() }));
        }

        var bestValidation = double.PositiveInfinity;
        var best = double.PositiveInfinity;
        var bestFamily = "";
        var families = new[] { LeakRateSearchFamily.Constant, LeakRateSearchFamily.LogUniformTimeConstants, LeakRateSearchFamily.TwoGroups };
        foreach (var family in families)
        {
            var key = family switch
            {
                LeakRateSearchFamily.Constant => "constant",
                LeakRateSearchFamily.LogUniformTimeConstants => "log_uniform",
                _ => "two_groups",
            };
            ReservoirSearchResult result;
            using (report.Time($"search_{key}"))
            {
                var options = new ReservoirSearchOptions
                {
                    Seed = settings.Seed,
                    Network = template,
                    MaxEvaluations = budget,
                    LeakRateFamily = family,
                };
                result = ReservoirSearch.Run(options, trainInputs, trainTargets, new ProgressBar(settings.Progress, key));
            }

            var testNrmse = TestNrmse(result.BestOptions);
            if (result.BestScore < bestValidation)
            {
                bestValidation = result.BestScore;
                best = testNrmse;
                bestFamily = key;
            }

            var c = result.Best;
            report.Metric($"searched_{key}", new JsonObject
            {
                ["validation_nrmse"] = result.BestScore,
                ["test_nrmse"] = testNrmse,
                ["tau_fast"] = c.FastTimeConstant,
                ["tau_slow"] = c.SlowTimeConstant,
                ["slow_fraction"] = c.SlowFraction,
                ["spectral_radius"] = c.SpectralRadius,
                ["input_scaling"] = c.InputScaling,
                ["l2_regularization"] = c.L2Regularization,
                ["trials"] = result.Trials.Length,
            });
        }

        report.Metric("searched_nrmse", best);
        report.Configure("searched_family", bestFamily);
        report.Metric("improvement_over_default", report.Metrics["default_nrmse"]!.GetValue<double>() / best);
        report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"searched_nrmse is the test NRMSE of the search with the lowest validation NRMSE ({bestFamily}); the test span is never used to choose."));
        return report;
    }

    private static double[,] Column(double[] values, int first, int count)
    {
        var result = new double[count, 1];
        for (var t = 0; t < count; t++)
        {
            result[t, 0] = values[first + t];
        }

        return result;
    }

    /// <summary>A one-line progress bar on the progress writer (standard error), redrawn after every generation.</summary>
    private sealed class ProgressBar(TextWriter? writer, string label) : IProgress<ReservoirSearchProgress>
    {
        private const int Width = 30;

        public void Report(ReservoirSearchProgress value)
        {
            if (writer is null)
            {
                return;
            }

            var filled = (int)Math.Round(Width * (double)value.Evaluations / value.MaxEvaluations);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\rsearch {label,-11} [{new string('#', filled)}{new string('.', Width - filled)}] {value.Evaluations}/{value.MaxEvaluations} best validation NRMSE {value.BestScore:F4}"));
            if (value.Evaluations >= value.MaxEvaluations)
            {
                writer.WriteLine();
            }

            writer.Flush();
        }
    }
}
