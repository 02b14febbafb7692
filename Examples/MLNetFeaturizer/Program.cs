using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Reservoir.Datasets;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Examples.MLNetFeaturizer;

/// <summary>An echo state reservoir as a featurizer in an ML.NET pipeline: NARMA-10 learned by FastTree and by the closed-form Ridge trainer on the same states.</summary>
public static class Program
{
    /// <summary>Runs the comparison at full size and prints both R².</summary>
    /// <param name="args">Unused.</param>
    /// <returns>0 on success.</returns>
    public static int Main(string[] args)
    {
        var result = Run(seed: 42, trainSteps: 4000, testSteps: 1000, unitCount: 200);
        Console.WriteLine($"NARMA-10, {result.UnitCount} reservoir units, train {result.TrainSteps} / test {result.TestSteps} steps");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FastTree on reservoir states: test R^2 = {result.FastTreeRSquared:F4} (fit {result.FastTreeSeconds:F2} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ridge on reservoir states:    test R^2 = {result.RidgeRSquared:F4} (fit {result.RidgeSeconds:F2} s, automatic lambda = {result.RidgeL2Regularization:E1})"));
        return 0;
    }

    /// <summary>Generates NARMA-10, runs a reservoir over it in an ML.NET pipeline and fits FastTree and Ridge on the states.</summary>
    /// <param name="seed">The seed of the series and the reservoir.</param>
    /// <param name="trainSteps">Training rows (the first 100 are a washout).</param>
    /// <param name="testSteps">Test rows, after the training rows.</param>
    /// <param name="unitCount">The reservoir size.</param>
    /// <returns>The test R² of both trainers.</returns>
    public static FeaturizerResult Run(int seed, int trainSteps, int testSteps, int unitCount)
    {
        const int washout = 100;
        var context = new MLContext(seed: seed);
        var narma = Narma.Generate(trainSteps + testSteps, seed);
        var rows = Enumerable.Range(0, narma.Input.Length)
            .Select(t => new NarmaRow { Input = (float)narma.Input[t], Label = (float)narma.Target[t] })
            .ToArray();
        var all = context.Data.LoadFromEnumerable(rows);

        // The reservoir is stateful across rows: run it once over the whole series, in order, and cache the states;
        // then split by position, so the test rows continue from the state at the end of training.
        var reservoir = context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            UnitCount = unitCount,
            LeakRate = 1.0,
            SpectralRadius = 0.9,
            InputScaling = 0.5,
            Seed = seed,
        });
        var featurizer = reservoir.Append(context.Transforms.Concatenate("Features", "States", "Input")).Fit(all);
        var states = context.Data.Cache(featurizer.Transform(all));
        var train = context.Data.SkipRows(context.Data.TakeRows(states, trainSteps), washout);
        var test = context.Data.SkipRows(states, trainSteps);

        var clock = Stopwatch.StartNew();
        var fastTree = context.Regression.Trainers.FastTree(numberOfLeaves: 31, numberOfTrees: 100, minimumExampleCountPerLeaf: 10).Fit(train);
        var fastTreeSeconds = clock.Elapsed.TotalSeconds;
        var fastTreeMetrics = context.Regression.Evaluate(fastTree.Transform(test));

        clock.Restart();
        var ridge = context.Regression.Trainers.Ridge().Fit(train);
        var ridgeSeconds = clock.Elapsed.TotalSeconds;
        var ridgeMetrics = context.Regression.Evaluate(ridge.Transform(test));

        return new FeaturizerResult(unitCount, trainSteps, testSteps, fastTreeMetrics.RSquared, fastTreeSeconds,
            ridgeMetrics.RSquared, ridgeSeconds, ridge.Model.L2Regularization);
    }

    private sealed class NarmaRow
    {
        public float Input { get; set; }

        public float Label { get; set; }
    }
}

/// <summary>What the featurizer example measured.</summary>
/// <param name="UnitCount">The reservoir size.</param>
/// <param name="TrainSteps">The training rows (including the washout).</param>
/// <param name="TestSteps">The test rows.</param>
/// <param name="FastTreeRSquared">FastTree's R² on the test rows.</param>
/// <param name="FastTreeSeconds">FastTree's training time.</param>
/// <param name="RidgeRSquared">Ridge's R² on the test rows.</param>
/// <param name="RidgeSeconds">Ridge's training time, λ search included.</param>
/// <param name="RidgeL2Regularization">The λ chosen by Ridge.</param>
public sealed record FeaturizerResult(int UnitCount, int TrainSteps, int TestSteps, double FastTreeRSquared, double FastTreeSeconds,
    double RidgeRSquared, double RidgeSeconds, double RidgeL2Regularization);
