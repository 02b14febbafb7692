using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using System.Text.Json.Nodes;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>memory-capacity</c>: Jaeger's short-term memory capacity of a linear orthogonal reservoir, a tanh reservoir and the edge-of-stability ESN.</summary>
/// <remarks>
/// <para>
/// MC = Σ_k r²(u(t−k), ŷ_k(t)) for k = 1..K with i.i.d. input U[−0.8, 0.8], one ridge readout per delay trained on
/// 5000 steps and scored on 2000 held-out steps (<see cref="MemoryCapacity.Measure"/>). MC ≤ N for i.i.d. input
/// (Jaeger 2002); a linear network with an orthogonal W (scaled just below 1) comes close to N, a tanh network with
/// input scaling 1 sits far below it.
/// </para>
/// <para>
/// The edge-of-stability echo state network (ES²N, Ceni and Gallicchio 2024) is a tanh reservoir whose leaky update carries
/// O·x(t−1), O random orthogonal (<see cref="StateCarry.Orthogonal"/>), with β the leak rate. Its row uses the setting of
/// the authors' ReservoirPy demonstration of the memory-capacity experiment: N = 100, dense W (normal) rescaled to
/// ρ = 0.9, dense W_in uniform in [−1, 1] times 0.1, no bias, β = 0.05, ridge λ = 1e-7, delays up to 200. The same
/// reservoir is measured at other β (and the leaky ESN with α = β and the same W, W_in), together with a non-linearity
/// measure, the cubic capacity Σ_{τ=0..9} r²(P3(u(t−τ)/0.8), ŷ_τ(t)) with P3(x) = (5x³ − 3x)/2 the Legendre polynomial (a degree-3 information processing capacity, Dambre et al. 2012), which is 0 for any linear reservoir: the
/// memory–non-linearity trade-off.
/// </para>
/// </remarks>
public sealed class MemoryCapacityReproductionTask : ReproductionTask
{
    /// <summary>The spectral radius of the linear orthogonal reservoir (0.9 keeps nearly all of the capacity within the 2N delays measured; 0.99 spreads it beyond them).</summary>
    public const double LinearSpectralRadius = 0.9;

    /// <summary>The input scaling of the linear reservoir (irrelevant to MC in exact arithmetic; small keeps states O(1)).</summary>
    public const double LinearInputScaling = 0.1;

    /// <summary>The ridge λ of the linear reservoir's readouts.</summary>
    public const double LinearL2Regularization = 1e-10;

    /// <summary>The ridge λ of the tanh reservoir's readouts (ReservoirPy's documented example uses 1e-4).</summary>
    public const double TanhL2Regularization = 1e-4;

    /// <summary>The β (leak rate) of the ES²N row, as in the authors' demonstration.</summary>
    public const double Es2nBeta = 0.05;

    /// <summary>The spectral radius ρ(W) of the ES²N (and of the leaky ESN of the trade-off curve).</summary>
    public const double Es2nSpectralRadius = 0.9;

    /// <summary>The input scaling of the ES²N (and of the leaky ESN of the trade-off curve).</summary>
    public const double Es2nInputScaling = 0.1;

    /// <summary>The ridge λ of the ES²N readouts (and of the trade-off curve).</summary>
    public const double Es2nL2Regularization = 1e-7;

    /// <summary>The delays τ = 0..CubicDelays − 1 of the cubic capacity, the non-linearity measure.</summary>
    public const int CubicDelays = 10;

    /// <summary>The β (for the leaky ESN, α) of the trade-off curve.</summary>
    public static IReadOnlyList<double> TradeOffBetas { get; } = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0];

    /// <inheritdoc/>
    public override string Name => "memory-capacity";

    /// <inheritdoc/>
    public override string Description => "Jaeger's memory capacity: linear orthogonal reservoir (N = 100, goal >= 90), tanh reservoir with input scaling 1, and ES2N (goal >= 97) with its memory / non-linearity trade-off";

    /// <inheritdoc/>
    public override int Order => 30;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var n = settings.Size(100, 30);
        var maxDelay = 2 * n;
        var trainSteps = settings.Size(5000, 2000);
        var testSteps = settings.Size(2000, 1000);
        var tanhOptions = TanhOptions(n, settings.Seed);
        report.Configure("units", n)
            .Configure("max_delay", maxDelay)
            .Configure("input", "i.i.d. U[-0.8, 0.8]")
            .Configure("train_steps", trainSteps)
            .Configure("test_steps", testSteps)
            .Configure("washout_steps", Math.Max(maxDelay, 100))
            .Configure("linear_reservoir", $"identity activation, leak rate 1, W = {LinearSpectralRadius} x random orthogonal (QR of a Gaussian matrix), dense input weights of magnitude {LinearInputScaling} and random sign, no bias")
            .Configure("linear_l2_regularization", LinearL2Regularization)
            .Configure("tanh_reservoir", $"tanh, leak rate 1, spectral radius {tanhOptions.SpectralRadius}, input scaling {tanhOptions.InputScaling}, connectivity {tanhOptions.RecurrentConnectivity} (W normal) and {tanhOptions.InputConnectivity} (W_in Bernoulli), bias scaling {tanhOptions.BiasScaling}")
            .Configure("tanh_l2_regularization", TanhL2Regularization)
            .Configure("metric", "MC = sum over delays of squared correlation on the held-out steps");

        MemoryCapacityResult linear;
        using (report.Time("linear"))
        {
            settings.Report($"{Name}: linear orthogonal reservoir, {n} units, delays 1..{maxDelay}");
            linear = MemoryCapacity.Measure(LinearOrthogonal(n, settings.Seed), maxDelay, settings.Seed, trainSteps, testSteps,
                LinearL2Regularization);
        }

        MemoryCapacityResult tanh;
        using (report.Time("tanh"))
        {
            settings.Report($"{Name}: tanh reservoir, {n} units");
            tanh = MemoryCapacity.Measure(new EchoStateReservoir(tanhOptions), maxDelay, settings.Seed, trainSteps, testSteps,
                TanhL2Regularization);
        }

        report.Configure("es2n_reservoir", $"tanh, StateCarry = Orthogonal, beta (leak rate) {Es2nBeta}, dense W (normal) with spectral radius {Es2nSpectralRadius}, dense W_in uniform in [-1, 1] times {Es2nInputScaling}, no bias")
            .Configure("es2n_l2_regularization", Es2nL2Regularization)
            .Configure("tradeoff", $"ES2N and the leaky ESN (alpha = beta, same W and W_in) at each beta; non-linearity = cubic capacity, sum over tau = 0..{CubicDelays - 1} of r^2(P3(u(t-tau)/0.8), readout), P3(x) = (5x^3 - 3x)/2");

        MemoryCapacityResult es2n;
        using (report.Time("es2n"))
        {
            settings.Report($"{Name}: ES2N, {n} units, beta {Es2nBeta}");
            es2n = MemoryCapacity.Measure(new EchoStateReservoir(Es2nOptions(n, settings.Seed, Es2nBeta, StateCarry.Orthogonal)),
                maxDelay, settings.Seed, trainSteps, testSteps, Es2nL2Regularization);
        }

        report.Metric("linear_capacity", linear.Total)
            .Metric("tanh_capacity", tanh.Total)
            .Metric("es2n_capacity", es2n.Total)
            .Metric("linear_capacity_first_n_delays", linear.Profile.Take(n).Sum())
            .Metric("tanh_capacity_first_50_delays", tanh.Profile.Take(Math.Min(50, maxDelay)).Sum());

        TradeOff tradeOff;
        using (report.Time("tradeoff"))
        {
            settings.Report($"{Name}: memory / non-linearity trade-off over {TradeOffBetas.Count} values of beta");
            tradeOff = MeasureTradeOff(n, maxDelay, settings.Seed, trainSteps, testSteps);
        }

        JsonArray Array(IEnumerable<double> values) => [.. values.Select(v => (JsonNode?)Math.Round(v, 4))];
        report.Metric("tradeoff", new JsonObject
        {
            ["beta"] = Array(TradeOffBetas),
            ["es2n_capacity"] = Array(tradeOff.Es2nCapacity),
            ["es2n_cubic_capacity"] = Array(tradeOff.Es2nCubic),
            ["leaky_capacity"] = Array(tradeOff.LeakyCapacity),
            ["leaky_cubic_capacity"] = Array(tradeOff.LeakyCubic),
        });

        if (!settings.Small)
        {
            using (report.Time("plot"))
            {
                var folder = Directory.Exists("docs") ? "docs" : ".";
                var plot = Es2nPlots.TradeOff(TradeOffBetas, tradeOff, Path.Combine(folder, "es2n-memory-tradeoff.png"));
                report.Notes.Add($"plot: {plot}");
            }
        }

        return report;
    }

    /// <summary>The ES²N of the memory-capacity experiment, or with <see cref="StateCarry.Identity"/> the leaky ESN with the same W and W_in.</summary>
    /// <param name="unitCount">N.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="beta">β, the leak rate, in (0, 1].</param>
    /// <param name="carry">The state carry: <see cref="StateCarry.Orthogonal"/> for the ES²N.</param>
    /// <returns>The options.</returns>
    public static ReservoirOptions Es2nOptions(int unitCount, int seed, double beta, StateCarry carry) => new()
    {
        UnitCount = unitCount,
        Seed = seed,
        SpectralRadius = Es2nSpectralRadius,
        RecurrentConnectivity = 1.0,
        InputConnectivity = 1.0,
        InputWeightDistribution = WeightDistribution.Uniform,
        InputScaling = Es2nInputScaling,
        BiasScaling = 0,
        LeakRates = beta,
        StateCarry = carry,
    };

    /// <summary>MC and cubic capacity of the ES²N and of the leaky ESN at each β of <see cref="TradeOffBetas"/>.</summary>
    internal static TradeOff MeasureTradeOff(int n, int maxDelay, int seed, int trainSteps, int testSteps)
    {
        var count = TradeOffBetas.Count;
        var result = new TradeOff(new double[count], new double[count], new double[count], new double[count]);
        for (var i = 0; i < count; i++)
        {
            var es2n = new EchoStateReservoir(Es2nOptions(n, seed, TradeOffBetas[i], StateCarry.Orthogonal));
            var leaky = new EchoStateReservoir(Es2nOptions(n, seed, TradeOffBetas[i], StateCarry.Identity));
            result.Es2nCapacity[i] = MemoryCapacity.Measure(es2n, maxDelay, seed, trainSteps, testSteps, Es2nL2Regularization).Total;
            result.LeakyCapacity[i] = MemoryCapacity.Measure(leaky, maxDelay, seed, trainSteps, testSteps, Es2nL2Regularization).Total;
            result.Es2nCubic[i] = CubicCapacity(es2n, seed, trainSteps, testSteps);
            result.LeakyCubic[i] = CubicCapacity(leaky, seed, trainSteps, testSteps);
        }

        return result;
    }

    /// <summary>
    /// The cubic capacity Σ_{τ=0..9} r²(P3(u(t−τ)/0.8), ŷ_τ(t)): ridge readouts of the states (with an intercept) trained to output
    /// the Legendre polynomial P3(x) = (5x³ − 3x)/2 of the input τ steps back (rescaled to [−1, 1]), scored by squared correlation on held-out steps, on the i.i.d. U[−0.8, 0.8] input of
    /// the memory-capacity experiment. 0 for a linear reservoir (P3 of a uniform input is uncorrelated with every linear function of the inputs).
    /// </summary>
    internal static double CubicCapacity(EchoStateReservoir reservoir, int seed, int trainSteps, int testSteps)
    {
        const int washout = 200;
        var length = washout + trainSteps + testSteps;
        var input = Reservoir.Datasets.MemoryCapacityTask.Generate(length, 1, seed).Input;
        var inputs = new double[length, 1];
        for (var t = 0; t < length; t++)
        {
            inputs[t, 0] = input[t];
        }

        var states = reservoir.Run(inputs, washout);
        var n = reservoir.UnitCount;
        var gram = new GramAccumulator(n, CubicDelays);
        var features = new double[n];
        var target = new double[CubicDelays];
        var testStates = new double[testSteps, n];
        var truth = new double[testSteps, CubicDelays];
        for (var t = 0; t < trainSteps + testSteps; t++)
        {
            for (var tau = 0; tau < CubicDelays; tau++)
            {
                // The Legendre polynomial P3 of the input rescaled to [−1, 1]: orthogonal to every linear function of the
                // inputs. (An even target such as u² would be uncorrelated with every state of a tanh reservoir without
                // bias too, the states being odd functions of the inputs.)
                var x = input[washout + t - tau] / 0.8;
                target[tau] = 0.5 * (5 * x * x * x - 3 * x);
            }

            for (var i = 0; i < n; i++)
            {
                features[i] = states[t, i];
            }

            if (t < trainSteps)
            {
                gram.Accumulate(features, target, 1);
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                testStates[t - trainSteps, i] = features[i];
            }

            for (var tau = 0; tau < CubicDelays; tau++)
            {
                truth[t - trainSteps, tau] = target[tau];
            }
        }

        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = Es2nL2Regularization }).Fit(gram);
        return Metrics.MemoryCapacity(truth, readout.Predict(testStates));
    }

    /// <summary>The trade-off curve: per β, MC and cubic capacity of the ES²N and of the leaky ESN.</summary>
    internal sealed record TradeOff(double[] Es2nCapacity, double[] Es2nCubic, double[] LeakyCapacity, double[] LeakyCubic);

    /// <summary>A linear reservoir whose W is <see cref="LinearSpectralRadius"/> times a random orthogonal matrix.</summary>
    /// <param name="unitCount">N, ≥ 1.</param>
    /// <param name="seed">The seed of W and W_in.</param>
    /// <param name="spectralRadius">The scale of the orthogonal matrix, in (0, 1]; default <see cref="LinearSpectralRadius"/>.</param>
    /// <returns>The reservoir (identity activation, leak rate 1, no bias).</returns>
    public static EchoStateReservoir LinearOrthogonal(int unitCount, int seed, double spectralRadius = LinearSpectralRadius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unitCount, 1);
        if (!(spectralRadius > 0 && spectralRadius <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spectralRadius), spectralRadius,
                $"spectralRadius must be in (0, 1]; was {spectralRadius}.");
        }

        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        var gaussian = Matrix<double>.Build.Dense(unitCount, unitCount,
            (_, _) => MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1));
        var orthogonal = gaussian.QR().Q * spectralRadius;
        var input = new double[unitCount, 1];
        for (var i = 0; i < unitCount; i++)
        {
            input[i, 0] = random.NextDouble() < 0.5 ? -LinearInputScaling : LinearInputScaling;
        }

        return EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = SparseWeights.FromDense(orthogonal.ToArray()),
            Input = SparseWeights.FromDense(input),
            LeakRates = [.. Enumerable.Repeat(1.0, unitCount)],
            Activation = Activation.Identity,
        });
    }

    /// <summary>The tanh reservoir: the library's defaults (ReservoirPy's) with input scaling 1 and spectral radius 1.</summary>
    /// <param name="unitCount">N.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The options.</returns>
    public static ReservoirOptions TanhOptions(int unitCount, int seed) => new()
    {
        UnitCount = unitCount,
        Seed = seed,
        SpectralRadius = 1.0,
        InputScaling = 1.0,
        LeakRates = 1.0,
    };
}
