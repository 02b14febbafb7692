using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using Reservoir.Pipelines;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>memory-capacity</c>: Jaeger's short-term memory capacity of a linear orthogonal reservoir and of a tanh reservoir.</summary>
/// <remarks>
/// MC = Σ_k r²(u(t−k), ŷ_k(t)) for k = 1..K with i.i.d. input U[−0.8, 0.8], one ridge readout per delay trained on
/// 5000 steps and scored on 2000 held-out steps (<see cref="MemoryCapacity.Measure"/>). MC ≤ N for i.i.d. input
/// (Jaeger 2002); a linear network with an orthogonal W (scaled just below 1) comes close to N, a tanh network with
/// input scaling 1 sits far below it.
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

    /// <inheritdoc/>
    public override string Name => "memory-capacity";

    /// <inheritdoc/>
    public override string Description => "Jaeger's memory capacity: linear orthogonal reservoir (N = 100, goal >= 90) and tanh reservoir with input scaling 1";

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

        report.Metric("linear_capacity", linear.Total)
            .Metric("tanh_capacity", tanh.Total)
            .Metric("linear_capacity_first_n_delays", linear.Profile.Take(n).Sum())
            .Metric("tanh_capacity_first_50_delays", tanh.Profile.Take(Math.Min(50, maxDelay)).Sum());
        return report;
    }

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
