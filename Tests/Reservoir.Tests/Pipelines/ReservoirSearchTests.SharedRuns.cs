using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

// Candidates that share a reservoir are scored on one run of it; these tests hold every score to fitting the candidate alone.
public sealed partial class ReservoirSearchTests
{
    private static ReservoirSearchOptions FixedReservoir(int evaluations) => Options(seed: 7, evaluations: evaluations, parallelism: 2) with
    {
        LeakRateFamily = LeakRateSearchFamily.Constant,
        TimeConstant = new SearchRange(4, 4),
        SpectralRadius = new SearchRange(0.9, 0.9),
        InputScaling = new SearchRange(0.5, 0.5),
        PopulationSize = 6,
    };

    [Test]
    public void Run_OnlyLambdaSearched_EveryTrialBitIdenticalToFittingItAlone()
    {
        var (inputs, targets) = NarmaSequences(1, 600);
        var options = FixedReservoir(evaluations: 16);

        var shared = ReservoirSearch.Run(options, inputs[0], targets[0]);
        var alone = ReservoirSearch.Run(options, PlainScore(options, inputs, targets));

        Assert.That(shared.Trials.Select(t => t.Candidate with { L2Regularization = 0 }).Distinct().Count(), Is.EqualTo(1), "one reservoir for all");
        Assert.That(shared.Trials.Select(t => t.Candidate.L2Regularization).Distinct().Count(), Is.EqualTo(16));
        Assert.That(shared.Trials, Is.EqualTo(alone.Trials));
        Assert.That(shared.Best, Is.EqualTo(alone.Best));
        Assert.That(shared.BestScore, Is.EqualTo(alone.BestScore));
    }

    [TestCase(LeakRateSearchFamily.Constant)]
    [TestCase(LeakRateSearchFamily.TwoGroups)]
    public void Run_EverythingSearched_EveryTrialBitIdenticalToFittingItAlone(LeakRateSearchFamily family)
    {
        var (inputs, targets) = NarmaSequences(1, 500);
        var options = Options(seed: 8, evaluations: 12, parallelism: 2) with { LeakRateFamily = family };

        var shared = ReservoirSearch.Run(options, inputs[0], targets[0]);
        var alone = ReservoirSearch.Run(options, PlainScore(options, inputs, targets));

        Assert.That(shared.Trials, Is.EqualTo(alone.Trials));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Run_ManySequences_EveryTrialBitIdenticalToFittingItAlone(bool onlyLambda)
    {
        var (inputs, targets) = NarmaSequences(5, 150);
        var options = onlyLambda ? FixedReservoir(evaluations: 12) : Options(seed: 9, evaluations: 12, parallelism: 2);
        options = options with { Network = options.Network with { StandardizeTargets = true } };

        var shared = ReservoirSearch.Run(options, inputs, targets);
        var alone = ReservoirSearch.Run(options, PlainScore(options, inputs, targets));

        Assert.That(shared.Trials, Is.EqualTo(alone.Trials));
        Assert.That(shared.BestScore, Is.GreaterThan(0).And.LessThan(1.5));
    }

    [Test]
    public void Run_OneSequenceInAList_SameSearchAsTheArrays()
    {
        var (inputs, targets) = NarmaSequences(1, 400);
        var options = Options(seed: 10, evaluations: 8, parallelism: 1);

        Assert.That(ReservoirSearch.Run(options, inputs, targets).Trials, Is.EqualTo(ReservoirSearch.Run(options, inputs[0], targets[0]).Trials));
    }

    [Test]
    public void Run_NoSequence_ThrowsNamingInputs()
    {
        var error = Assert.Throws<ArgumentException>(() => ReservoirSearch.Run(Options(), Array.Empty<double[,]>(), Array.Empty<double[,]>()));
        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
    }

    [Test]
    public void Run_SequenceCountsDiffer_ThrowsNamingTargets()
    {
        var (inputs, targets) = NarmaSequences(3, 100);
        var error = Assert.Throws<ArgumentException>(() => ReservoirSearch.Run(Options(), inputs, targets.Take(2).ToArray()));
        Assert.That(error!.ParamName, Is.EqualTo("targets"));
        Assert.That(error.Message, Does.Contain("2 sequences").And.Contain("3"));
    }

    [Test]
    public void Run_SequenceNotLongerThanWashout_ThrowsNamingIt()
    {
        var (inputs, targets) = NarmaSequences(3, 100);
        inputs[1] = new double[20, 1];
        targets[1] = new double[20, 1];
        var error = Assert.Throws<ArgumentException>(() => ReservoirSearch.Run(Options(), inputs, targets));
        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
        Assert.That(error.Message, Does.Contain("inputs[1] has 20 rows"));
    }

    [Test]
    public void Run_NonFiniteValueInASequence_ThrowsNamingTheSequence()
    {
        var (inputs, targets) = NarmaSequences(3, 100);
        targets[2][50, 0] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() => ReservoirSearch.Run(Options(), inputs, targets));
        Assert.That(error!.Message, Does.StartWith("Sequence 2:"));
    }

    // The score as a candidate fitted alone gets it: its own network fit with a one-point λ search, as NRMSE.
    private static Func<ReservoirCandidate, double> PlainScore(ReservoirSearchOptions options, double[][,] inputs, double[][,] targets)
    {
        var scored = targets;
        if (options.Network.StandardizeTargets)
        {
            var scaler = Standardizer.Fit(targets);
            scored = targets.Select(scaler.Transform).ToArray();
        }

        var variance = PooledVariance(scored, options.Network.WashoutSteps);
        return candidate =>
        {
            var network = candidate.ApplyTo(options.Network) with
            {
                RegularizationSearch = new RidgeCvOptions { L2Grid = [candidate.L2Regularization], Method = RidgeCvMethod.TimeBlockedKFold },
                CrossValidationFolds = options.ValidationFolds,
            };
            try
            {
                var fitted = EchoStateNetwork.Fit(network, inputs, targets, maxDegreeOfParallelism: 1);
                return Math.Sqrt(fitted.RegularizationSearch!.Curve[0].ValidationError / variance);
            }
            catch (InvalidOperationException)
            {
                return double.PositiveInfinity;
            }
        };
    }

    // The variance of the kept target rows of all sequences together (one target column).
    private static double PooledVariance(double[][,] targets, int washout)
    {
        var rows = targets.Sum(s => s.GetLength(0) - washout);
        var mean = 0.0;
        foreach (var s in targets)
        {
            for (var t = washout; t < s.GetLength(0); t++)
            {
                mean += s[t, 0];
            }
        }

        mean /= rows;
        var sum = 0.0;
        foreach (var s in targets)
        {
            for (var t = washout; t < s.GetLength(0); t++)
            {
                var d = s[t, 0] - mean;
                sum += d * d;
            }
        }

        return sum / rows;
    }

    // NARMA sequences of different lengths (length, length + 37, …).
    private static (double[][,] Inputs, double[][,] Targets) NarmaSequences(int count, int length)
    {
        var inputs = new double[count][,];
        var targets = new double[count][,];
        for (var i = 0; i < count; i++)
        {
            var series = Narma.Generate(length + 37 * i, seed: 20 + i);
            inputs[i] = ToColumn(series.Input);
            targets[i] = ToColumn(series.Target);
        }

        return (inputs, targets);
    }
}
