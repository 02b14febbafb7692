using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.Random;
using Reservoir.Datasets;
using Reservoir.Nvar;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary>What multiple time scales buy: every multi-scale strategy against the best single leak rate, at equal size and tuning effort.</summary>
/// <remarks>
/// <para>
/// Three task families: long-lag recall of a smooth input (u(t−d) for d up to 400), closed-loop generation of MSO-5
/// (five superimposed sines), and a fast–slow target (the last input plus the mean of the last 100 inputs). Every
/// strategy has the same unit count (split over the layers of a composition; NVAR has the same feature count instead),
/// spectral radius, input scaling and connectivity, the same grid size of
/// strategy-specific settings, and the same automatic ridge λ (time-blocked cross-validation over the default grid). For each
/// strategy the grid point with the lowest median validation NRMSE over the trials is chosen, and its median test NRMSE
/// is reported. NRMSE is RMSE divided by the standard deviation of the truth.
/// </para>
/// <para>
/// Plots (written unless <see cref="TaskSettings.Small"/>): <c>multiscale-recall.png</c> (test NRMSE against delay) and
/// <c>multiscale-mso.png</c> (closed-loop forecasts), into <c>docs/</c> when the working folder has one, else into the
/// working folder.
/// </para>
/// </remarks>
public sealed class MultiscaleTask : ReproductionTask
{
    /// <summary>The key of the best single leak rate, the baseline of every improvement ratio.</summary>
    public const string Baseline = "single_leak_rate";

    private const double SpectralRadius = 0.9;
    private const double InputScaling = 0.5;
    private const double InputConnectivity = ReservoirDefaults.InputConnectivity;

    /// <inheritdoc />
    public override string Name => "multiscale";

    /// <inheritdoc />
    public override string Description =>
        "Multi-scale strategies vs the best single leak rate: long-lag recall, MSO-5 closed loop, fast+slow target (docs/MULTISCALE.md).";

    /// <inheritdoc />
    public override int Order => 80;

    /// <inheritdoc />
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var sizes = new Sizes(settings);
        var strategies = Strategies(settings.Small);
        var trials = settings.TrialsOr(published: 3, small: 1);
        report.Configure("unit_count", sizes.Units)
            .Configure("spectral_radius", SpectralRadius)
            .Configure("input_scaling", InputScaling)
            .Configure("input_connectivity", InputConnectivity)
            .Configure("ridge", "time-blocked 5-fold CV over 1e-12 … 1e2 (2 per decade)")
            .Configure("trials", trials)
            .Configure("aggregate", "median over trials; grid point chosen by validation, reported on test")
            .Configure("grid_size", strategies[0].Grid.Count)
            .Configure("strategies", new JsonObject(strategies.Select(s =>
                KeyValuePair.Create(s.Key, (JsonNode?)new JsonArray(s.Grid.Select(g => (JsonNode?)g.Label).ToArray())))));

        var selected = new JsonObject();
        var recall = new RecallFamily(sizes, settings.Seed);
        var recallResult = Evaluate(recall, strategies, trials, settings, report);
        var mso = new MsoFamily(sizes, settings.Seed);
        var msoResult = Evaluate(mso, strategies, trials, settings, report);
        var fastSlow = new FastSlowFamily(sizes, settings.Seed);
        var fastSlowResult = Evaluate(fastSlow, strategies, trials, settings, report);

        foreach (var result in new[] { recallResult, msoResult, fastSlowResult })
        {
            report.Metric(result.Family, result.ToMetric());
            selected[result.Family] = new JsonObject(result.Strategies.Select(s =>
                KeyValuePair.Create(s.Key, (JsonNode?)s.Label)));
            var best = result.BestMultiscale;
            report.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{result.Family}: best single leak rate {result.Baseline.TestNrmse:G4} ({result.Baseline.Label}); best multi-scale {best.Key} {best.TestNrmse:G4} ({best.Label}); ratio {result.ImprovementRatio:G3}"));
        }

        report.Configure("selected", selected);
        report.Metric("recall_nrmse_by_delay", new JsonObject(
            new[] { KeyValuePair.Create("delays", (JsonNode?)new JsonArray(recall.Delays.Select(d => (JsonNode?)d).ToArray())) }
            .Concat(recallResult.Strategies.Select(s => KeyValuePair.Create(s.Key,
                (JsonNode?)new JsonArray(s.Profile!.Select(v => (JsonNode?)Math.Round(v, 5)).ToArray()))))));

        if (!settings.Small)
        {
            using (report.Time("plot"))
            {
                var folder = Directory.Exists("docs") ? "docs" : ".";
                var recallPlot = MultiscalePlots.Recall(recall.Delays, recallResult, Path.Combine(folder, "multiscale-recall.png"));
                var msoPlot = MultiscalePlots.Mso(msoResult, Path.Combine(folder, "multiscale-mso.png"));
                report.Notes.Add($"plots: {recallPlot}, {msoPlot}");
            }
        }

        return report;
    }

    /// <summary>The strategies compared, each with the same number of grid points and the same total units.</summary>
    /// <param name="small">True for the two-point grids of the smoke test.</param>
    /// <returns>The strategies, the single-leak-rate baseline first.</returns>
    public static IReadOnlyList<Strategy> Strategies(bool small)
    {
        double[] leakRates = [1, 0.5, 0.2, 0.1, 0.05, 0.02];
        double[] maxTimeConstants = [3, 10, 30, 100, 300, 1000];
        double[] groupRatios = [1.5, 2, 3, 5, 8, 12];
        int[] clockBases = [2, 3, 4, 5, 6, 8];
        int[] skipDelays = [2, 5, 10, 25, 50, 100];
        int[] nvarStrides = [1, 2, 5, 10, 25, 50];
        double[] carryRates = [0.5, 0.2, 0.1, 0.05, 0.02, 0.01];
        (int Layers, double Value)[] layersByValue = [(2, 0.5), (2, 0.2), (2, 0.05), (4, 0.5), (4, 0.2), (4, 0.05)];
        (int Layers, double Value)[] layersByTimeConstant = [(2, 10), (2, 50), (2, 300), (4, 10), (4, 50), (4, 300)];

        // Strategies on one reservoir: each grid point sets ReservoirOptions. A new option of one reservoir is one more
        // entry of this list, with a grid of the same size.
        var strategies = new List<Strategy>
        {
            new(Baseline, leakRates.Select(a => OneReservoir($"a={Format(a)}", o => o with { LeakRates = a })).ToArray()),
            new("log_uniform_time_constants", maxTimeConstants.Select(t => OneReservoir($"tau=[1,{Format(t)}]",
                o => o with { LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, t) })).ToArray()),
            new("groups", groupRatios.Select(r => OneReservoir($"tau=1,{Format(r)},{Format(r * r)},{Format(r * r * r)}",
                o => o with { LeakRates = FourGroups(r) })).ToArray()),
            new("clockwork", clockBases.Select(b => OneReservoir($"periods=1,{b},{b * b},{b * b * b}",
                o => o with { LeakRates = 1.0, Clockwork = new ClockworkOptions { Periods = [1, b, b * b, b * b * b] } })).ToArray()),
            new("skip_connections", skipDelays.Select(d => OneReservoir($"a=1,d={d}",
                o => o with { LeakRates = 1.0, SkipConnections = [new SkipConnection { Delay = d }] })).ToArray()),
            new("log_uniform_with_skip", maxTimeConstants.Select(t =>
            {
                var d = Math.Max(1, (int)Math.Round(t / 3));
                return OneReservoir($"tau=[1,{Format(t)}],d={d}", o => o with
                {
                    LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, t),
                    SkipConnections = [new SkipConnection { Delay = d }],
                });
            }).ToArray()),
            new("clockwork_with_groups", clockBases.Select(b => OneReservoir($"periods=1,{b},{b * b},{b * b * b};tau=1,{b}",
                o => o with
                {
                    LeakRates = LeakRateDistribution.Groups(new LeakRateGroup(0.5, 1.0), new LeakRateGroup(0.5, 1.0 / b)),
                    Clockwork = new ClockworkOptions { Periods = [1, b, b * b, b * b * b] },
                })).ToArray()),
            new("es2n", carryRates.Select(b => OneReservoir($"beta={Format(b)}",
                o => o with { LeakRates = b, StateCarry = StateCarry.Orthogonal })).ToArray()),
        };

        // Compositions of reservoirs (the same total units, split evenly over the layers) and NVAR at the same feature count.
        strategies.AddRange(
        [
            new("deep_equal", layersByValue.Select(p => new Setting($"layers={p.Layers},a={Format(p.Value)}",
                o => Stack(o, Enumerable.Repeat(p.Value, p.Layers).ToArray()))).ToArray()),
            new("deep_slower", layersByTimeConstant.Select(p => new Setting($"layers={p.Layers},tau=1..{Format(p.Value)}",
                o => Stack(o, SlowerUpwards(p.Layers, p.Value)))).ToArray()),
            new("deep_searched", SearchedTimeConstants().Select(taus => new Setting($"layers={taus.Length},tau={string.Join(",", taus.Select(Format))}",
                o => Stack(o, [.. taus.Select(t => 1 / t)]))).ToArray()),
            new("parallel_groups", layersByTimeConstant.Select(p => new Setting($"groups={p.Layers},tau=1..{Format(p.Value)}",
                o => Candidate.Of(ComposedReservoirOptions.Parallel(o.Seed, Split(o, SlowerUpwards(p.Layers, p.Value)))))).ToArray()),
            new("nvar", nvarStrides.Select(stride => new Setting($"stride={stride}",
                o => Candidate.Of(new NvarOptions { InputDimension = 1, DelayCount = NvarDelays(o.UnitCount), DelayStride = stride }))).ToArray()),
        ]);
        return small
            ? strategies.Select(s => s with { Grid = [s.Grid[1], s.Grid[3]] }).ToArray()
            : strategies;
    }

    /// <summary>A grid point that sets the options of one reservoir.</summary>
    private static Setting OneReservoir(string label, Func<ReservoirOptions, ReservoirOptions> apply) =>
        new(label, o => Candidate.Of(apply(o)));

    /// <summary>A stack of layers with the given leak rates, bottom first, splitting the base options' units evenly.</summary>
    private static Candidate Stack(ReservoirOptions baseOptions, double[] leakRates) =>
        Candidate.Of(ComposedReservoirOptions.Stack(baseOptions.Seed, Split(baseOptions, leakRates)));

    /// <summary>The base options split into one layer per leak rate (units as even as possible, the first layers taking the remainder).</summary>
    private static ReservoirOptions[] Split(ReservoirOptions baseOptions, double[] leakRates)
    {
        var count = leakRates.Length;
        return leakRates.Select((a, k) => baseOptions with
        {
            UnitCount = baseOptions.UnitCount / count + (k < baseOptions.UnitCount % count ? 1 : 0),
            LeakRates = a,
        }).ToArray();
    }

    /// <summary>Leak rates from 1 at the bottom to 1/τ_top at the top, geometric in τ.</summary>
    private static double[] SlowerUpwards(int layers, double topTimeConstant) =>
        [.. Enumerable.Range(0, layers).Select(k => 1 / Math.Pow(topTimeConstant, (double)k / (layers - 1)))];

    /// <summary>
    /// The per-layer time constants tried by <c>deep_searched</c>: a random search of the same size as every grid (2 to 4
    /// layers, τ of each layer log-uniform in [1, 500]), drawn from a fixed seed so that every run tries the same points.
    /// </summary>
    private static double[][] SearchedTimeConstants()
    {
        var random = new Xoshiro256StarStar(20261207, threadSafe: false);
        return [.. Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 2 + i % 3)
            .Select(_ => Math.Round(Math.Exp(random.NextDouble() * Math.Log(500)), 1)).ToArray())];
    }

    /// <summary>The NVAR delay count whose feature count (constant, k linear, k(k+1)/2 quadratic) is closest to the ESN's readout features (intercept, input, units).</summary>
    private static int NvarDelays(int units)
    {
        var target = units + 2;
        return Enumerable.Range(1, 200).MinBy(k => Math.Abs(1 + k + k * (k + 1) / 2 - target));
    }

    private static LeakRateDistribution FourGroups(double ratio) => LeakRateDistribution.Groups(
        new LeakRateGroup(0.25, 1.0), new LeakRateGroup(0.25, 1 / ratio),
        new LeakRateGroup(0.25, 1 / (ratio * ratio)), new LeakRateGroup(0.25, 1 / (ratio * ratio * ratio)));

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static FamilyResult Evaluate(TaskFamily family, IReadOnlyList<Strategy> strategies, int trials, TaskSettings settings,
        TaskReport report)
    {
        var jobs = new List<(int Strategy, int Setting, int Trial)>();
        for (var s = 0; s < strategies.Count; s++)
        {
            for (var g = 0; g < strategies[s].Grid.Count; g++)
            {
                for (var k = 0; k < trials; k++)
                {
                    jobs.Add((s, g, k));
                }
            }
        }

        var outcomes = new Outcome[jobs.Count];
        var done = 0;
        using (report.Time(family.Key))
        {
            Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
            {
                var (s, g, k) = jobs[j];
                var candidate = strategies[s].Grid[g].Build(family.BaseOptions(settings.Seed + 1000 * (k + 1)));
                outcomes[j] = family.Score(candidate);
                var finished = Interlocked.Increment(ref done);
                if (finished % 10 == 0 || finished == jobs.Count)
                {
                    settings.Report($"multiscale {family.Key}: {finished}/{jobs.Count} fits");
                }
            });
        }

        var results = new List<StrategyResult>();
        for (var s = 0; s < strategies.Count; s++)
        {
            StrategyResult? best = null;
            for (var g = 0; g < strategies[s].Grid.Count; g++)
            {
                var mine = Enumerable.Range(0, jobs.Count).Where(j => jobs[j].Strategy == s && jobs[j].Setting == g)
                    .Select(j => outcomes[j]).ToArray();
                var validation = Median(mine.Select(o => o.Validation));
                if (best is null || validation < best.ValidationNrmse)
                {
                    var profile = mine[0].Profile is null ? null
                        : Enumerable.Range(0, mine[0].Profile!.Length).Select(i => Median(mine.Select(o => o.Profile![i]))).ToArray();
                    best = new StrategyResult(strategies[s].Key, strategies[s].Grid[g].Label, validation,
                        Median(mine.Select(o => o.Test)), profile, mine[0].Forecast);
                }
            }

            results.Add(best!);
        }

        return new FamilyResult(family.Key, results);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Select(v => double.IsNaN(v) ? double.PositiveInfinity : v).Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }

    /// <summary>One strategy: a name and its grid of settings.</summary>
    /// <param name="Key">The JSON key.</param>
    /// <param name="Grid">The settings tried; every strategy has the same number.</param>
    public sealed record Strategy(string Key, IReadOnlyList<Setting> Grid);

    /// <summary>One grid point of a strategy.</summary>
    /// <param name="Label">What it sets, for the report.</param>
    /// <param name="Build">Builds the model from the shared base options (units, seed, spectral radius, input scaling, connectivity).</param>
    public sealed record Setting(string Label, Func<ReservoirOptions, Candidate> Build);

    /// <summary>The model of one grid point: one reservoir, a composition of reservoirs, or NVAR features; exactly one is set.</summary>
    /// <param name="Reservoir">One reservoir.</param>
    /// <param name="Composition">Reservoirs composed into a stack or parallel group.</param>
    /// <param name="Nvar">NVAR features (Gauthier et al. 2021) instead of a reservoir.</param>
    public sealed record Candidate(ReservoirOptions? Reservoir, ComposedReservoirOptions? Composition, NvarOptions? Nvar)
    {
        /// <summary>One reservoir.</summary>
        /// <param name="reservoir">Its options.</param>
        /// <returns>The candidate.</returns>
        public static Candidate Of(ReservoirOptions reservoir) => new(reservoir, null, null);

        /// <summary>A composition.</summary>
        /// <param name="composition">Its options.</param>
        /// <returns>The candidate.</returns>
        public static Candidate Of(ComposedReservoirOptions composition) => new(null, composition, null);

        /// <summary>NVAR features.</summary>
        /// <param name="nvar">Their options.</param>
        /// <returns>The candidate.</returns>
        public static Candidate Of(NvarOptions nvar) => new(null, null, nvar);
    }

    internal sealed record Outcome(double Validation, double Test, double[]? Profile, Forecast? Forecast);

    internal sealed record Forecast(double[] Truth, double[] Generated);

    internal sealed record StrategyResult(string Key, string Label, double ValidationNrmse, double TestNrmse, double[]? Profile,
        Forecast? Forecast);

    internal sealed record FamilyResult(string Family, IReadOnlyList<StrategyResult> Strategies)
    {
        public StrategyResult Baseline => Strategies.Single(s => s.Key == MultiscaleTask.Baseline);

        // Chosen on the validation span, like every grid point: the test span only scores the choice.
        public StrategyResult BestMultiscale => Strategies.Where(s => s.Key != MultiscaleTask.Baseline)
            .MinBy(s => s.ValidationNrmse)!;

        public double ImprovementRatio => Baseline.TestNrmse / BestMultiscale.TestNrmse;

        public JsonObject ToMetric()
        {
            var metric = new JsonObject();
            foreach (var s in Strategies)
            {
                metric[s.Key] = Round(s.TestNrmse);
            }

            metric["improvement_ratio"] = Round(ImprovementRatio);
            metric["best_multiscale"] = BestMultiscale.Key;
            metric["validation_nrmse"] = new JsonObject(Strategies.Select(s => KeyValuePair.Create<string, JsonNode?>(s.Key, Round(s.ValidationNrmse))));
            return metric;
        }

        // JSON has no infinity: a closed loop that diverged (or a ratio against one) is null. Six significant digits, so
        // that a near-exact fit (an NVAR's linear recurrence on MSO) keeps its size instead of rounding to 0.
        private static JsonValue? Round(double value) =>
            double.IsFinite(value) ? JsonValue.Create(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null;
    }

    internal sealed class Sizes(TaskSettings settings)
    {
        public int Units { get; } = settings.Size(200, 30);

        public int Washout { get; } = settings.Size(500, 100);

        public int Train { get; } = settings.Size(5000, 500);

        public int Validation { get; } = settings.Size(2000, 200);

        public int Test { get; } = settings.Size(2000, 200);

        public bool Small { get; } = settings.Small;
    }

    internal abstract class TaskFamily(Sizes sizes)
    {
        public abstract string Key { get; }

        protected Sizes Sizes { get; } = sizes;

        public ReservoirOptions BaseOptions(int seed) => new()
        {
            UnitCount = Sizes.Units,
            Seed = seed,
            SpectralRadius = SpectralRadius,
            InputScaling = InputScaling,
            InputConnectivity = InputConnectivity,
        };

        public abstract Outcome Score(Candidate candidate);

        protected EchoStateNetworkOptions Network(Candidate candidate) => new()
        {
            Reservoir = candidate.Reservoir,
            Composition = candidate.Composition,
            RegularizationSearch = new RidgeCvOptions(),
            WashoutSteps = Sizes.Washout,
        };

        protected static NvarNetworkOptions NvarNetwork(NvarOptions features) => new()
        {
            Features = features,
            RegularizationSearch = new RidgeCvOptions(),
        };

        /// <summary>Fits on the first <paramref name="fitLength"/> steps and predicts the following <paramref name="count"/>, continuing after the training data (NVAR rereads its warm-up).</summary>
        protected double[,] FitAndPredict(Candidate candidate, double[,] inputs, double[,] targets, int fitLength, int count)
        {
            if (candidate.Nvar is { } nvar)
            {
                var model = Pipelines.NvarNetwork.Fit(NvarNetwork(nvar), Slice(inputs, 0, fitLength), Slice(targets, 0, fitLength));
                return model.Predict(Slice(inputs, fitLength - model.WarmupSteps, count + model.WarmupSteps));
            }

            var network = EchoStateNetwork.Fit(Network(candidate), Slice(inputs, 0, fitLength), Slice(targets, 0, fitLength));
            return network.Predict(Slice(inputs, fitLength, count));
        }

        protected static double[] Column(double[,] values, int column, int first, int count)
        {
            var result = new double[count];
            for (var t = 0; t < count; t++)
            {
                result[t] = values[first + t, column];
            }

            return result;
        }

        protected static double[,] ToColumn(ReadOnlySpan<double> values)
        {
            var result = new double[values.Length, 1];
            for (var t = 0; t < values.Length; t++)
            {
                result[t, 0] = values[t];
            }

            return result;
        }

        protected static double[] Normalize(double[] values)
        {
            var mean = values.Average();
            var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            return values.Select(v => (v - mean) / std).ToArray();
        }
    }

    /// <summary>Recall u(t−d) of a smooth input (white noise through a one-pole low-pass filter, time constant 10 steps).</summary>
    internal sealed class RecallFamily : TaskFamily
    {
        private readonly double[,] _inputs;
        private readonly double[,] _targets;

        public RecallFamily(Sizes sizes, int seed)
            : base(sizes)
        {
            Delays = sizes.Small ? [1, 10, 50] : [1, 10, 25, 50, 100, 200, 300, 400];
            var extra = Delays[^1];
            var length = sizes.Washout + sizes.Train + sizes.Validation + sizes.Test;
            var random = new Xoshiro256StarStar(seed, threadSafe: false);
            var raw = new double[length + extra];
            var v = 0.0;
            for (var t = -200; t < raw.Length; t++)
            {
                v = 0.9 * v + 0.1 * (2 * random.NextDouble() - 1);
                if (t >= 0)
                {
                    raw[t] = v;
                }
            }

            var u = Normalize(raw);
            _inputs = ToColumn(u.AsSpan(extra));
            _targets = new double[length, Delays.Length];
            for (var t = 0; t < length; t++)
            {
                for (var i = 0; i < Delays.Length; i++)
                {
                    _targets[t, i] = u[extra + t - Delays[i]];
                }
            }
        }

        public override string Key => "recall";

        public int[] Delays { get; }

        public override Outcome Score(Candidate candidate)
        {
            var fitLength = Sizes.Washout + Sizes.Train;
            var rest = Sizes.Validation + Sizes.Test;
            var predicted = FitAndPredict(candidate, _inputs, _targets, fitLength, rest);
            var validation = 0.0;
            var test = 0.0;
            var profile = new double[Delays.Length];
            for (var i = 0; i < Delays.Length; i++)
            {
                validation += Metrics.Nrmse(Column(_targets, i, fitLength, Sizes.Validation), Column(predicted, i, 0, Sizes.Validation));
                profile[i] = Metrics.Nrmse(Column(_targets, i, fitLength + Sizes.Validation, Sizes.Test),
                    Column(predicted, i, Sizes.Validation, Sizes.Test));
                test += profile[i];
            }

            return new Outcome(validation / Delays.Length, test / Delays.Length, profile, null);
        }
    }

    /// <summary>Target: the last input plus the mean of the last W inputs, each normalised (white uniform input).</summary>
    internal sealed class FastSlowFamily : TaskFamily
    {
        private readonly double[,] _inputs;
        private readonly double[,] _targets;

        public FastSlowFamily(Sizes sizes, int seed)
            : base(sizes)
        {
            var window = sizes.Small ? 20 : 100;
            var length = sizes.Washout + sizes.Train + sizes.Validation + sizes.Test;
            var random = new Xoshiro256StarStar(seed + 1, threadSafe: false);
            var u = new double[length + window];
            for (var t = 0; t < u.Length; t++)
            {
                u[t] = 2 * random.NextDouble() - 1;
            }

            var fast = new double[length];
            var slow = new double[length];
            for (var t = 0; t < length; t++)
            {
                fast[t] = u[window + t - 1];
                var sum = 0.0;
                for (var k = 1; k <= window; k++)
                {
                    sum += u[window + t - k];
                }

                slow[t] = sum;
            }

            fast = Normalize(fast);
            slow = Normalize(slow);
            _inputs = ToColumn(u.AsSpan(window));
            _targets = ToColumn(fast.Zip(slow, (f, s) => f + s).ToArray());
        }

        public override string Key => "fast_slow";

        public override Outcome Score(Candidate candidate)
        {
            var fitLength = Sizes.Washout + Sizes.Train;
            var predicted = FitAndPredict(candidate, _inputs, _targets, fitLength, Sizes.Validation + Sizes.Test);
            var validation = Metrics.Nrmse(Column(_targets, 0, fitLength, Sizes.Validation), Column(predicted, 0, 0, Sizes.Validation));
            var test = Metrics.Nrmse(Column(_targets, 0, fitLength + Sizes.Validation, Sizes.Test),
                Column(predicted, 0, Sizes.Validation, Sizes.Test));
            return new Outcome(validation, test, null, null);
        }
    }

    /// <summary>Closed-loop generation of MSO-5 (divided by 5): validation after one training span, test after a longer one.</summary>
    internal sealed class MsoFamily : TaskFamily
    {
        private readonly double[] _series;

        public MsoFamily(Sizes sizes, int seed)
            : base(sizes)
        {
            _ = seed;
            OscillatorCount = sizes.Small ? 2 : 5;
            Horizon = sizes.Small ? 50 : 300;
            TrainSteps = sizes.Small ? 300 : 1000;
            var washout = sizes.Small ? 50 : 200;
            Washout = washout;
            _series = MultipleSuperimposedOscillators.Generate(washout + TrainSteps + 2 * Horizon + 1, OscillatorCount)
                .Select(v => v / OscillatorCount).ToArray();
        }

        public override string Key => "mso";

        public int OscillatorCount { get; }

        public int Horizon { get; }

        public int TrainSteps { get; }

        public int Washout { get; }

        public override Outcome Score(Candidate candidate)
        {
            var validationEnd = Washout + TrainSteps;
            var validation = ClosedLoop(candidate, validationEnd, out _);
            var test = ClosedLoop(candidate, validationEnd + Horizon, out var forecast);
            return new Outcome(validation, test, null, forecast);
        }

        private double[,] Generate(Candidate candidate, int end)
        {
            if (candidate.Nvar is { } nvar)
            {
                var model = Pipelines.NvarNetwork.Fit(NvarNetwork(nvar), ToColumn(_series.AsSpan(0, end - 1)), ToColumn(_series.AsSpan(1, end - 1)));
                return model.Generate(ToColumn(_series.AsSpan(0, end)), Horizon);
            }

            var options = Network(candidate) with { WashoutSteps = Washout };
            return EchoStateNetwork.Fit(options, _series[..(end - 1)], _series[1..end]).Generate(Horizon);
        }

        private double ClosedLoop(Candidate candidate, int end, out Forecast forecast)
        {
            var truth = _series.AsSpan(end, Horizon).ToArray();
            double[] generated;
            try
            {
                var matrix = Generate(candidate, end);
                generated = Enumerable.Range(0, Horizon).Select(t => matrix[t, 0]).ToArray();
            }
            catch (InvalidOperationException)
            {
                forecast = new Forecast(truth, new double[Horizon]);
                return double.PositiveInfinity;
            }

            forecast = new Forecast(truth, generated);
            return Metrics.Nrmse(truth, generated);
        }
    }

    private static double[,] Slice(double[,] values, int first, int count)
    {
        var columns = values.GetLength(1);
        var result = new double[count, columns];
        Array.Copy(values, first * columns, result, 0, count * columns);
        return result;
    }
}
