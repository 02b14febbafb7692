using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Reservoir.Datasets;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Jaeger's short-term memory capacity of a reservoir: how well linear readouts recall past i.i.d. inputs.</summary>
/// <remarks>
/// The reservoir reads i.i.d. uniform inputs u(t) in [−0.8, 0.8]; for each delay k = 1..K a ridge readout of the
/// states is trained to output u(t−k), and MC = Σ_k r²(u(t−k), ŷ_k(t)) is measured on held-out steps (Jaeger 2002).
/// MC ≤ N for N units with linear readouts; nonlinear (tanh) units and large input scaling lower it.
/// </remarks>
public static class MemoryCapacity
{
    /// <summary>Measures the memory capacity of a univariate reservoir.</summary>
    /// <param name="reservoir">The reservoir; its input dimension must be 1.</param>
    /// <param name="maxDelay">K, the longest delay recalled, ≥ 1 (use about 2N to capture the whole capacity).</param>
    /// <param name="seed">The seed of the input sequence.</param>
    /// <param name="trainSteps">The training steps after the washout, ≥ 10; default 5 000.</param>
    /// <param name="testSteps">The held-out steps, ≥ 10; default 2 000.</param>
    /// <param name="l2Regularization">The ridge λ of the readouts, ≥ 0; default 1e-9.</param>
    /// <returns>The total capacity and its profile over delays.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reservoir"/> is null.</exception>
    /// <exception cref="ArgumentException">The reservoir is not univariate, or an argument is out of range.</exception>
    public static MemoryCapacityResult Measure(EchoStateReservoir reservoir, int maxDelay, int seed, int trainSteps = 5000,
        int testSteps = 2000, double l2Regularization = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(reservoir);
        if (reservoir.InputDimension != 1)
        {
            throw new ArgumentException(
                $"Memory capacity needs a univariate reservoir; this one reads {reservoir.InputDimension} inputs.", nameof(reservoir));
        }

        Guard.AtLeast(maxDelay, 1);
        Guard.AtLeast(trainSteps, 10);
        Guard.AtLeast(testSteps, 10);
        Guard.NonNegative(l2Regularization);
        var washout = Math.Max(maxDelay, 100);
        var data = MemoryCapacityTask.Generate(washout + trainSteps + testSteps, maxDelay, seed);
        var inputs = new double[data.Input.Length, 1];
        data.Input.CopyTo(inputs.AsSpan());
        var states = reservoir.Run(inputs, washout);

        var n = reservoir.UnitCount;
        var gram = new GramAccumulator(n, maxDelay);
        var targets = data.Targets.AsSpan();
        gram.Accumulate(states.AsSpan()[..(trainSteps * n)], targets.Slice(washout * maxDelay, trainSteps * maxDelay), trainSteps);
        var readout = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = l2Regularization }).Fit(gram);

        var testStates = new double[testSteps, n];
        states.AsSpan().Slice(trainSteps * n, testSteps * n).CopyTo(testStates.AsSpan());
        var truth = new double[testSteps, maxDelay];
        targets.Slice((washout + trainSteps) * maxDelay, testSteps * maxDelay).CopyTo(truth.AsSpan());
        var prediction = readout.Predict(testStates);
        var profile = Metrics.MemoryCapacityProfile(truth, prediction);
        return new MemoryCapacityResult(profile.Sum(), ImmutableCollectionsMarshal.AsImmutableArray(profile));
    }
}

/// <summary>A measured memory capacity.</summary>
/// <param name="Total">MC = Σ_k r²_k.</param>
/// <param name="Profile">r²_k for k = 1..K (index k − 1).</param>
/// <remarks>Immutable, deeply; two results with equal profiles are equal and have equal hash codes.</remarks>
public sealed record MemoryCapacityResult(double Total, ImmutableArray<double> Profile)
{
    private readonly EquatableArray<double> _profile = new(Profile);

    /// <summary>r²_k for k = 1..K (index k − 1).</summary>
    public ImmutableArray<double> Profile
    {
        get => _profile.Items;
        init => _profile = new(value);
    }
}
