using System.Globalization;
using System.Text.Json.Nodes;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>mso</c>: closed-loop generation of the multiple superimposed oscillators MSO-k (k = 5, 8, 12) by a leaky ESN and by the edge-of-stability ESN (ES²N).</summary>
/// <remarks>
/// <para>
/// The series is MSO-k, y(t) = Σ_{i=1..k} sin(α_i·t) (<see cref="MultipleSuperimposedOscillators"/>), divided by k so that
/// it stays in [−1, 1]; σ is its standard deviation over the whole generated span. A network is trained teacher-forced
/// to predict y(t+1) from y(t) on the first <c>train_steps</c> steps (washout excluded), then runs in closed loop (each
/// output is the next input). A free run is valid while |y − ŷ| ≤ 0.1σ; the valid steps are those before the first
/// larger error, and NRMSE300 is the RMSE of the first 300 generated steps divided by σ.
/// </para>
/// <para>
/// Tuning uses validation only: every candidate of a small grid (leak rate or β, spectral radius, input scaling, ridge λ)
/// is trained and scored on the free run that follows the end of training (<c>validation_steps</c> steps; most valid
/// steps first, then the lower NRMSE over the whole validation run). The chosen candidate is then reported on a separate
/// test free run: the reservoir is warmed up, teacher-forced, on the <c>warmup_steps</c> values before a later point of
/// the series (<c>test_start</c>, beyond the validation span) and generates <c>test_steps</c> values from there.
/// </para>
/// <para>
/// Published (Ceni and Gallicchio 2024): an ES²N with 300 units stays phase-locked on MSO-8 for 50 000 free-run steps,
/// where a leaky ESN of 3 000 units fails. The two models here have the same size (<c>units</c>), the same sparse W and
/// W_in draws, and differ only in the state carry (<see cref="StateCarry"/>) and their grids.
/// </para>
/// </remarks>
public sealed class MsoTask : ReproductionTask
{
    /// <summary>The valid-time threshold, in standard deviations of the series.</summary>
    public const double ValidThreshold = 0.1;

    /// <summary>The leading generated steps scored by the reported NRMSE.</summary>
    public const int NrmseSteps = 300;

    /// <summary>The reservoir size of the published ES²N.</summary>
    public const int PublishedUnits = 300;

    /// <summary>The free-run length of the published ES²N result.</summary>
    public const int PublishedTestSteps = 50_000;

    /// <summary>The steps between the end of the validation run and the start of the test warm-up.</summary>
    private const int Gap = 1000;

    /// <summary>The numbers of oscillators k.</summary>
    public static IReadOnlyList<int> OscillatorCounts { get; } = [5, 8, 12];

    /// <summary>The leak rates α of the leaky ESN's grid.</summary>
    public static IReadOnlyList<double> LeakyLeakRates { get; } = [0.1, 0.3, 1.0];

    /// <summary>The β of the ES²N's grid.</summary>
    public static IReadOnlyList<double> Es2nBetas { get; } = [0.01, 0.03, 0.1];

    /// <summary>The spectral radii ρ(W) of both grids.</summary>
    public static IReadOnlyList<double> SpectralRadii { get; } = [0.5, 1.0];

    /// <summary>The input scalings of both grids.</summary>
    public static IReadOnlyList<double> InputScalings { get; } = [0.1, 0.5];

    /// <summary>The ridge λ of both grids.</summary>
    public static IReadOnlyList<double> L2Regularizations { get; } = [1e-12, 1e-10];

    /// <inheritdoc/>
    public override string Name => "mso";

    /// <inheritdoc/>
    public override string Description => "MSO-5/8/12 in closed loop: leaky ESN vs ES2N (goal: >= 50 000 valid steps on MSO-8 with <= 300 units), tuned on a validation free run";

    /// <inheritdoc/>
    public override int Order => 36;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var setup = new Setup(
            Units: settings.Size(PublishedUnits, 40),
            TrainSteps: settings.Size(10_000, 600),
            WashoutSteps: settings.Size(200, 100),
            ValidationSteps: settings.Size(10_000, 300),
            WarmupSteps: settings.Size(1000, 200),
            TestSteps: settings.Size(PublishedTestSteps, 500),
            Seed: settings.Seed);
        report.Configure("units", setup.Units)
            .Configure("series", "MSO-k divided by k, y(t) = sum_i sin(alpha_i t) / k, t = 0, 1, ...")
            .Configure("train_steps", setup.TrainSteps)
            .Configure("washout_steps", setup.WashoutSteps)
            .Configure("validation_steps", setup.ValidationSteps)
            .Configure("warmup_steps", setup.WarmupSteps)
            .Configure("test_steps", setup.TestSteps)
            .Configure("test_start", setup.TestStart)
            .Configure("valid_threshold", $"absolute error at most {ValidThreshold} std of the series")
            .Configure("metric", $"valid_steps = steps before the first error above the threshold; nrmse{NrmseSteps} = RMSE over the first {NrmseSteps} generated steps / std")
            .Configure("reservoir", "tanh, RecurrentConnectivity 0.1 (W normal), InputConnectivity 0.1 (W_in Bernoulli), bias scaling 1; readout [1; u; x]")
            .Configure("grid", new JsonObject
            {
                ["leaky_esn_leak_rate"] = Json(LeakyLeakRates),
                ["es2n_beta"] = Json(Es2nBetas),
                ["spectral_radius"] = Json(SpectralRadii),
                ["input_scaling"] = Json(InputScalings),
                ["l2_regularization"] = Json(L2Regularizations),
                ["selection"] = "most valid steps on the validation free run, then lowest NRMSE over it",
            });

        foreach (var k in OscillatorCounts)
        {
            double[] series;
            using (report.Time($"mso{k}_generate"))
            {
                series = MultipleSuperimposedOscillators.Generate(setup.TestStart + setup.TestSteps, k);
                for (var t = 0; t < series.Length; t++)
                {
                    series[t] /= k;
                }
            }

            var std = TaskMath.StandardDeviation(series);
            var results = new JsonObject();
            foreach (var (model, carry, leakRates) in new[]
            {
                ("leaky_esn", StateCarry.Identity, LeakyLeakRates),
                ("es2n", StateCarry.Orthogonal, Es2nBetas),
            })
            {
                Candidate best;
                using (report.Time($"mso{k}_{model}_validation"))
                {
                    settings.Report($"{Name}: MSO-{k}, {model}, {Grid(leakRates).Count()} candidates on the validation free run");
                    best = Select(setup, series, std, carry, leakRates);
                }

                Score test;
                using (report.Time($"mso{k}_{model}_test"))
                {
                    settings.Report($"{Name}: MSO-{k}, {model}, test free run of {setup.TestSteps} steps");
                    test = Test(setup, series, std, carry, best);
                }

                results[model] = new JsonObject
                {
                    ["valid_steps"] = test.ValidSteps,
                    [$"nrmse{NrmseSteps}"] = Finite(test.LeadingNrmse),
                    ["validation_valid_steps"] = best.Validation.ValidSteps,
                    ["validation_nrmse"] = Finite(best.Validation.Nrmse),
                    [carry == StateCarry.Orthogonal ? "beta" : "leak_rate"] = best.LeakRate,
                    ["spectral_radius"] = best.SpectralRadius,
                    ["input_scaling"] = best.InputScaling,
                    ["l2_regularization"] = best.L2Regularization,
                };
                report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"MSO-{k} {model}: {test.ValidSteps} valid test steps of {setup.TestSteps}, nrmse{NrmseSteps} {test.LeadingNrmse:G3} (validation {best.Validation.ValidSteps} of {setup.ValidationSteps})"));
            }

            report.Metric($"mso{k}", results);
        }

        return report;
    }

    /// <summary>Trains every candidate of the grid and returns the one with the best validation free run (deterministic: ties keep the grid order).</summary>
    internal static Candidate Select(Setup setup, double[] series, double std, StateCarry carry, IReadOnlyList<double> leakRates)
    {
        var candidates = Grid(leakRates).ToArray();
        var truth = series.AsSpan(setup.TrainSteps, setup.ValidationSteps).ToArray();
        Parallel.For(0, candidates.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var candidate = candidates[i];
            Score score;
            try
            {
                var network = Fit(setup, series, carry, candidate);
                var generated = FreeRun(network, network.CreateTrainedState(), series[setup.TrainSteps - 1], setup.ValidationSteps);
                score = Evaluate(truth, generated, std);
            }
            catch (ArgumentException error) when (error.ParamName == nameof(RidgeReadoutOptions.L2Regularization))
            {
                // λ too small for this reservoir's states: the ridge system is not numerically positive definite.
                score = new Score(0, double.PositiveInfinity, double.PositiveInfinity);
            }

            candidates[i] = candidate with { Validation = score };
        });

        var best = candidates[0];
        foreach (var candidate in candidates.Skip(1))
        {
            if (candidate.Validation.ValidSteps > best.Validation.ValidSteps
                || (candidate.Validation.ValidSteps == best.Validation.ValidSteps && candidate.Validation.Nrmse < best.Validation.Nrmse))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>The test free run of a chosen candidate: warm up teacher-forced before <see cref="Setup.TestStart"/>, then generate.</summary>
    internal static Score Test(Setup setup, double[] series, double std, StateCarry carry, Candidate candidate)
    {
        var network = Fit(setup, series, carry, candidate);
        var warmup = new double[setup.WarmupSteps - 1, 1];
        for (var t = 0; t < setup.WarmupSteps - 1; t++)
        {
            warmup[t, 0] = series[setup.TestStart - setup.WarmupSteps + t];
        }

        // Teacher-forced warm-up on the values before the test start (there is no output feedback and no scaling), then the loop
        // starts from the last of them, as EchoStateNetwork.Generate(warmup, horizon) does.
        var state = network.Reservoir.CreateState();
        network.Reservoir.Run(state, warmup);
        var truth = series.AsSpan(setup.TestStart, setup.TestSteps).ToArray();
        return Evaluate(truth, FreeRun(network, state, series[setup.TestStart - 1], setup.TestSteps), std);
    }

    /// <summary>
    /// Generates <paramref name="horizon"/> values in closed loop from <paramref name="state"/>, in chunks; if the state becomes
    /// non-finite the rest is NaN (an error above every threshold), so the valid steps before it still count.
    /// </summary>
    private static double[] FreeRun(EchoStateNetwork network, ReservoirState state, double first, int horizon)
    {
        const int chunk = 1000;
        var generated = new double[horizon];
        var last = first;
        for (var done = 0; done < horizon; done += chunk)
        {
            var count = Math.Min(chunk, horizon - done);
            double[,] part;
            try
            {
                part = network.Generate(state, [last], count);
            }
            catch (InvalidOperationException)
            {
                generated.AsSpan(done).Fill(double.NaN);
                break;
            }

            for (var t = 0; t < count; t++)
            {
                generated[done + t] = part[t, 0];
            }

            last = part[count - 1, 0];
        }

        return generated;
    }

    private static EchoStateNetwork Fit(Setup setup, double[] series, StateCarry carry, Candidate candidate)
    {
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions
            {
                UnitCount = setup.Units,
                Seed = setup.Seed,
                SpectralRadius = candidate.SpectralRadius,
                InputScaling = candidate.InputScaling,
                LeakRates = candidate.LeakRate,
                StateCarry = carry,
            },
            Readout = new RidgeReadoutOptions { L2Regularization = candidate.L2Regularization },
            WashoutSteps = setup.WashoutSteps,
        };
        return EchoStateNetwork.Fit(options, series[..(setup.TrainSteps - 1)], series[1..setup.TrainSteps]);
    }

    private static Score Evaluate(double[] truth, double[] generated, double std)
    {
        // A run that diverged holds NaN: its NRMSE is +∞ (never chosen over a finite one, and reported as null).
        static double OrInfinity(double value) => double.IsNaN(value) ? double.PositiveInfinity : value;
        var valid = Metrics.ValidPredictionTime(truth, generated, ValidThreshold * std);
        return new Score(valid, OrInfinity(TaskMath.LeadingNrmse(truth, generated, Math.Min(NrmseSteps, truth.Length), std)),
            OrInfinity(TaskMath.LeadingNrmse(truth, generated, truth.Length, std)));
    }

    private static IEnumerable<Candidate> Grid(IReadOnlyList<double> leakRates) =>
        from leak in leakRates
        from radius in SpectralRadii
        from scaling in InputScalings
        from l2 in L2Regularizations
        select new Candidate(leak, radius, scaling, l2, default);

    /// <summary>The value rounded to six digits, or null for a run that diverged (JSON has no infinity).</summary>
    private static JsonNode? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;

    private static JsonArray Json(IEnumerable<double> values) => [.. values.Select(v => (JsonNode?)v)];

    /// <summary>The sizes of the experiment.</summary>
    internal sealed record Setup(int Units, int TrainSteps, int WashoutSteps, int ValidationSteps, int WarmupSteps, int TestSteps, int Seed)
    {
        /// <summary>The first step of the test free run: after the validation run, a gap, and the warm-up.</summary>
        public int TestStart => TrainSteps + ValidationSteps + Gap + WarmupSteps;
    }

    /// <summary>One point of the grid, with its validation score once measured.</summary>
    internal sealed record Candidate(double LeakRate, double SpectralRadius, double InputScaling, double L2Regularization, Score Validation);

    /// <summary>A free run's valid steps, its NRMSE over the leading steps and over the whole run.</summary>
    internal readonly record struct Score(int ValidSteps, double LeadingNrmse, double Nrmse);
}
