using System.Collections.Immutable;
using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

public sealed partial class EchoStateNetworkTests
{
    private const double Rounding = 1e-8;

    private static EchoStateNetworkOptions TrainingOptions() => new()
    {
        Reservoir = new ReservoirOptions
        {
            UnitCount = 60, Seed = 11, InputDimension = 2, LeakRates = LeakRateDistribution.Uniform(0.2, 1),
            SpectralRadius = 0.9, RecurrentConnectivity = 0.2, InputConnectivity = 0.5, StateNoise = 1e-4,
        },
        Readout = new RidgeReadoutOptions { L2Regularization = 1e-3 },
        WashoutSteps = 30,
    };

    private static (double[,] Inputs, double[,] Targets) TrainingSequence(int steps, int seed)
    {
        var u = TestData.Uniform(steps, 2, seed, 0.8);
        var y = new double[steps, 1];
        for (var t = 2; t < steps; t++)
        {
            y[t, 0] = 0.5 * u[t - 1, 0] - 0.3 * u[t - 2, 1] + 0.2 * u[t, 0] * u[t, 1];
        }

        return (u, y);
    }

    private static double[,] Probe => TestData.Uniform(100, 2, 999, 0.8);

    [Test]
    public void Fit_ManySequencesInParallel_BitIdenticalToSequential()
    {
        var data = Enumerable.Range(0, 7).Select(i => TrainingSequence(200 + 37 * i, i)).ToList();
        var inputs = data.Select(d => d.Inputs).ToList();
        var targets = data.Select(d => d.Targets).ToList();

        var parallel = EchoStateNetwork.Fit(TrainingOptions(), inputs, targets);
        var sequential = EchoStateNetwork.Fit(TrainingOptions(), inputs, targets, maxDegreeOfParallelism: 1);
        var three = EchoStateNetwork.Fit(TrainingOptions(), inputs, targets, maxDegreeOfParallelism: 3);

        Assert.That(parallel.Readout.GetWeights(), Is.EqualTo(sequential.Readout.GetWeights()));
        Assert.That(three.Readout.GetWeights(), Is.EqualTo(sequential.Readout.GetWeights()));
        Assert.That(parallel.Predict(Probe), Is.EqualTo(sequential.Predict(Probe)));
    }

    [Test]
    public void PartialFit_ChunksAndSequences_EqualsOneFit()
    {
        var first = TrainingSequence(500, 1);
        var second = TrainingSequence(400, 2);
        var oneFit = EchoStateNetwork.Fit(TrainingOptions(), [first.Inputs, second.Inputs], [first.Targets, second.Targets]);

        var trainer = new EchoStateNetworkTrainer(TrainingOptions());
        foreach (var (start, length) in new[] { (0, 20), (20, 200), (220, 280) })
        {
            trainer.PartialFit(Rows(first.Inputs, start, length), Rows(first.Targets, start, length));
        }

        trainer.EndSequence();
        trainer.PartialFit(Rows(second.Inputs, 0, 123), Rows(second.Targets, 0, 123));
        trainer.PartialFit(Rows(second.Inputs, 123, 277), Rows(second.Targets, 123, 277));
        var chunked = trainer.Complete();

        Assert.That(trainer.RowCount, Is.EqualTo(500 - 30 + 400 - 30));
        Assert.That(TestData.MaxAbsDifference(chunked.Readout.GetWeights(), oneFit.Readout.GetWeights()), Is.LessThan(Rounding));
        Assert.That(TestData.MaxAbsDifference(chunked.Predict(Probe), oneFit.Predict(Probe)), Is.LessThan(Rounding));
    }

    [Test]
    public void Complete_NothingAccumulated_Throws()
    {
        var trainer = new EchoStateNetworkTrainer(TrainingOptions());
        trainer.PartialFit(new double[10, 2], new double[10, 1]);

        var error = Assert.Throws<InvalidOperationException>(() => trainer.Complete());

        Assert.That(error!.Message, Does.Contain("WashoutSteps"));
    }

    [Test]
    public void PartialFit_TargetWidthChanges_Throws()
    {
        var trainer = new EchoStateNetworkTrainer(TrainingOptions());
        trainer.PartialFit(new double[40, 2], new double[40, 1]);

        var error = Assert.Throws<ArgumentException>(() => trainer.PartialFit(new double[40, 2], new double[40, 2]));

        Assert.That(error!.ParamName, Is.EqualTo("targets"));
    }

    [Test]
    public void Fit_Standardized_EqualsFittingStandardizedDataByHand()
    {
        var (u, y) = TrainingSequence(600, 3);
        var shiftedInputs = Map(u, v => 100 + 20 * v);
        var shiftedTargets = Map(y, v => -5 + 1000 * v);
        var options = TrainingOptions() with { StandardizeInputs = true, StandardizeTargets = true };

        var esn = EchoStateNetwork.Fit(options, shiftedInputs, shiftedTargets);

        var inputScaler = Standardizer.Fit([shiftedInputs]);
        var targetScaler = Standardizer.Fit([shiftedTargets]);
        var byHand = EchoStateNetwork.Fit(TrainingOptions(), inputScaler.Transform(shiftedInputs), targetScaler.Transform(shiftedTargets));
        var probe = Map(Probe, v => 100 + 20 * v);
        var expected = targetScaler.InverseTransform(byHand.Predict(inputScaler.Transform(probe)));

        Assert.That(esn.InputScaler!.Means.ToArray(), Is.EqualTo(inputScaler.Means.ToArray()));
        Assert.That(TestData.MaxAbsDifference(esn.Predict(probe), expected), Is.LessThan(1e-9 * 1000));
    }

    [Test]
    public void Fit_RegularizationSearch_ChoosesFromTheGridAndReportsTheCurve()
    {
        var (u, y) = TrainingSequence(3000, 4);
        ImmutableArray<double> grid = [1e-8, 1e-5, 1e-2, 1e1, 1e4];
        var options = TrainingOptions() with { RegularizationSearch = new RidgeCvOptions { L2Grid = grid }, CrossValidationFolds = 4 };

        var esn = EchoStateNetwork.Fit(options, u, y);

        Assert.That(esn.RegularizationSearch, Is.Not.Null);
        Assert.That(grid, Does.Contain(esn.L2Regularization));
        Assert.That(esn.RegularizationSearch!.Curve.Select(p => p.L2Regularization), Is.EqualTo(grid));
        var best = esn.RegularizationSearch.Curve.MinBy(p => p.ValidationError);
        Assert.That(esn.L2Regularization, Is.EqualTo(best.L2Regularization));
        Assert.That(esn.L2Regularization, Is.LessThan(1e4), "a huge λ cannot be best on a learnable task");
    }

    [Test]
    public void Fit_RegularizationSearch_ValidatesOnTheTimeBlockedFoldsOfTheRows()
    {
        var (u, y) = TrainingSequence(1500, 5);
        double[] grid = [1e-8, 1e-5, 1e-2, 1e1];
        var options = TrainingOptions() with { RegularizationSearch = new RidgeCvOptions { L2Grid = [.. grid] }, CrossValidationFolds = 4 };

        var esn = EchoStateNetwork.Fit(options, u, y);

        // By hand: the features [u; x] of every step after the washout, dealt to the folds by TimeBlockedFolds.
        var reservoir = new EchoStateReservoir(options.Reservoir!);
        var states = reservoir.Run(reservoir.CreateState(0), u, options.WashoutSteps);
        var rows = states.GetLength(0);
        var features = new double[rows * (2 + 60)];
        var targets = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            features[r * 62] = u[options.WashoutSteps + r, 0];
            features[r * 62 + 1] = u[options.WashoutSteps + r, 1];
            for (var i = 0; i < 60; i++)
            {
                features[r * 62 + 2 + i] = states[r, i];
            }

            targets[r] = y[options.WashoutSteps + r, 0];
        }

        var folds = new TimeBlockedFolds(4, rows);
        var accumulators = folds.CreateAccumulators(62, 1);
        folds.Accumulate(accumulators, 0, features, targets, rows);
        var expected = new RidgeCv(options.RegularizationSearch! with { FitIntercept = options.Readout.FitIntercept }).Fit(accumulators);

        Assert.That(folds.BlockRows, Is.EqualTo(rows / 16));
        Assert.That(esn.L2Regularization, Is.EqualTo(expected.BestL2Regularization));
        Assert.That(esn.RegularizationSearch!.Curve.Select(p => p.ValidationError),
            Is.EqualTo(expected.Curve.Select(p => p.ValidationError)).Within(1e-7).Percent);
    }

    [TestCase(1)]
    [TestCase(0)]
    public void Fit_CrossValidationFoldsBelowTwo_Throws(int folds)
    {
        var options = TrainingOptions() with { RegularizationSearch = new RidgeCvOptions(), CrossValidationFolds = folds };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EchoStateNetwork.Fit(options, new double[100, 2], new double[100, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("CrossValidationFolds"));
    }

    [Test]
    public void Fit_SequenceCountsDiffer_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            EchoStateNetwork.Fit(TrainingOptions(), [new double[50, 2], new double[50, 2]], [new double[50, 1]]));

        Assert.That(error!.ParamName, Is.EqualTo("targets"));
    }

    [Test]
    public void Fit_SecondSequenceHasNaN_ThrowsNamingTheTrainingSequence()
    {
        var bad = new double[50, 1];
        bad[7, 0] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() =>
            EchoStateNetwork.Fit(TrainingOptions(), [new double[50, 2], new double[50, 2]], [new double[50, 1], bad]));

        Assert.That(error!.Message, Does.StartWith("Sequence 1:").And.Contain("row 7"));
    }

    private static double[,] Rows(double[,] matrix, int start, int count)
    {
        var result = new double[count, matrix.GetLength(1)];
        for (var r = 0; r < count; r++)
        {
            for (var c = 0; c < matrix.GetLength(1); c++)
            {
                result[r, c] = matrix[start + r, c];
            }
        }

        return result;
    }

    private static double[,] Map(double[,] matrix, Func<double, double> f)
    {
        var result = new double[matrix.GetLength(0), matrix.GetLength(1)];
        for (var r = 0; r < result.GetLength(0); r++)
        {
            for (var c = 0; c < result.GetLength(1); c++)
            {
                result[r, c] = f(matrix[r, c]);
            }
        }

        return result;
    }
}
