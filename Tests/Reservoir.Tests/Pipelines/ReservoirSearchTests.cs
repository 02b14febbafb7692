using NUnit.Framework;
using Reservoir.Datasets;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

public sealed partial class ReservoirSearchTests
{
    private const double OptimumTolerance = 0.02;

    private static readonly EchoStateNetworkOptions Template = new()
    {
        Reservoir = new ReservoirOptions { UnitCount = 20, Seed = 3 },
        WashoutSteps = 20,
    };

    // A bowl in log coordinates with its minimum at τ_fast = 2, τ_slow = 50, ρ = 0.8, input scaling 0.3, λ = 1e-6.
    private static double Bowl(ReservoirCandidate c) =>
        Square(Math.Log10(c.FastTimeConstant) - Math.Log10(2)) + Square(Math.Log10(c.SlowTimeConstant) - Math.Log10(50))
        + Square(Math.Log10(c.SpectralRadius) - Math.Log10(0.8)) + Square(Math.Log10(c.InputScaling) - Math.Log10(0.3))
        + Square((Math.Log10(c.L2Regularization) + 6) / 4);

    private static double Square(double x) => x * x;

    private static ReservoirSearchOptions Options(int seed = 1, int evaluations = 400, int parallelism = -1) => new()
    {
        Seed = seed,
        Network = Template,
        MaxEvaluations = evaluations,
        MaxDegreeOfParallelism = parallelism,
    };

    [Test]
    public void Run_BowlWithKnownMinimum_FindsIt()
    {
        var result = ReservoirSearch.Run(Options(), Bowl);

        Assert.That(result.BestScore, Is.LessThan(OptimumTolerance * OptimumTolerance));
        Assert.That(Math.Log10(result.Best.FastTimeConstant), Is.EqualTo(Math.Log10(2)).Within(OptimumTolerance));
        Assert.That(Math.Log10(result.Best.SlowTimeConstant), Is.EqualTo(Math.Log10(50)).Within(OptimumTolerance));
        Assert.That(result.Best.SpectralRadius, Is.EqualTo(0.8).Within(0.05));
        Assert.That(result.Best.InputScaling, Is.EqualTo(0.3).Within(0.02));
        Assert.That(result.Trials, Has.Length.EqualTo(400));
        Assert.That(result.BestScore, Is.EqualTo(result.Trials.Min(t => t.Score)));
    }

    [Test]
    public void Run_BowlWithKnownMinimum_BeatsTheBestOfTheFirstGeneration()
    {
        var result = ReservoirSearch.Run(Options(), Bowl);
        var first = result.Trials.Where(t => t.Generation == 0).Min(t => t.Score);

        Assert.That(result.BestScore, Is.LessThan(first / 100));
    }

    [Test]
    public void Run_SameSeed_IdenticalTable()
    {
        var a = ReservoirSearch.Run(Options(seed: 5, evaluations: 50), Bowl);
        var b = ReservoirSearch.Run(Options(seed: 5, evaluations: 50), Bowl);

        Assert.That(b.Trials, Is.EqualTo(a.Trials));
    }

    [Test]
    public void Run_DifferentSeed_DifferentTable()
    {
        var a = ReservoirSearch.Run(Options(seed: 5, evaluations: 50), Bowl);
        var b = ReservoirSearch.Run(Options(seed: 6, evaluations: 50), Bowl);

        Assert.That(b.Trials.Select(t => t.Candidate), Is.Not.EqualTo(a.Trials.Select(t => t.Candidate)));
    }

    [Test]
    public void Run_ParallelAndSequential_IdenticalTable()
    {
        var sequential = ReservoirSearch.Run(Options(evaluations: 60, parallelism: 1), Bowl);
        var parallel = ReservoirSearch.Run(Options(evaluations: 60, parallelism: 4), Bowl);

        Assert.That(parallel.Trials, Is.EqualTo(sequential.Trials));
    }

    [Test]
    public void Run_OnData_ParallelAndSequentialIdenticalAndBetterThanFirstTrial()
    {
        var series = Narma.Generate(700, seed: 2);
        var inputs = ToColumn(series.Input);
        var targets = ToColumn(series.Target);
        var sequential = ReservoirSearch.Run(Options(evaluations: 16, parallelism: 1), inputs, targets);
        var parallel = ReservoirSearch.Run(Options(evaluations: 16, parallelism: 2), inputs, targets);

        Assert.That(parallel.Trials, Is.EqualTo(sequential.Trials));
        Assert.That(sequential.BestScore, Is.LessThan(sequential.Trials[0].Score).Or.EqualTo(sequential.Trials[0].Score));
        Assert.That(sequential.BestScore, Is.GreaterThan(0).And.LessThan(1));
        Assert.That(sequential.BestOptions.Reservoir!.SpectralRadius, Is.EqualTo(sequential.Best.SpectralRadius));
        Assert.That(sequential.BestOptions.Readout.L2Regularization, Is.EqualTo(sequential.Best.L2Regularization));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Run_TargetsScaled_SameNrmseScores(bool standardizeTargets)
    {
        // The score is an NRMSE, so multiplying the targets by 10 must not change it, whether or not the readout is
        // fitted on standardised targets.
        var series = Narma.Generate(500, seed: 4);
        var inputs = ToColumn(series.Input);
        var targets = ToColumn(series.Target);
        var scaled = ToColumn(series.Target.Select(v => 10 * v).ToArray());
        var options = Options(evaluations: 6, parallelism: 1) with { Network = Template with { StandardizeTargets = standardizeTargets } };

        var original = ReservoirSearch.Run(options, inputs, targets);
        var tenfold = ReservoirSearch.Run(options, inputs, scaled);

        Assert.That(tenfold.Trials.Select(t => t.Score), Is.EqualTo(original.Trials.Select(t => t.Score)).Within(1e-6));
        Assert.That(original.BestScore, Is.GreaterThan(0.1).And.LessThan(1.5));
    }

    [Test]
    public void Run_Progress_ReportedOncePerGenerationUpToTheBudget()
    {
        var reports = new List<ReservoirSearchProgress>();
        ReservoirSearch.Run(Options(evaluations: 30), Bowl, new SynchronousProgress(reports.Add));

        Assert.That(reports, Is.Not.Empty);
        Assert.That(reports[^1].Evaluations, Is.EqualTo(30));
        Assert.That(reports.Select(r => r.Evaluations), Is.Ordered.Ascending);
        Assert.That(reports.Select(r => r.BestScore), Is.Ordered.Descending);
    }

    [TestCase(LeakRateSearchFamily.Constant)]
    [TestCase(LeakRateSearchFamily.TwoGroups)]
    public void Run_Family_CandidatesInsideTheRanges(LeakRateSearchFamily family)
    {
        var options = Options(evaluations: 40) with { LeakRateFamily = family, TimeConstant = new SearchRange(2, 20) };
        var result = ReservoirSearch.Run(options, c => c.SlowFraction + 1 / c.FastTimeConstant);

        foreach (var trial in result.Trials)
        {
            var c = trial.Candidate;
            Assert.That(c.FastTimeConstant, Is.InRange(2.0, 20.0));
            Assert.That(c.SlowTimeConstant, Is.InRange(c.FastTimeConstant, 20.0));
            Assert.That(c.SpectralRadius, Is.InRange(0.1, 1.5));
            Assert.That(c.LeakRates, Is.Not.Null);
            if (family == LeakRateSearchFamily.Constant)
            {
                Assert.That(c.SlowTimeConstant, Is.EqualTo(c.FastTimeConstant));
            }
            else
            {
                Assert.That(c.SlowFraction, Is.InRange(0.1, 0.9));
            }
        }
    }

    [Test]
    public void Run_ScoreReturnsNaN_CountsAsInfinity()
    {
        var result = ReservoirSearch.Run(Options(evaluations: 10), c => c.SpectralRadius > 0.5 ? double.NaN : c.SpectralRadius);

        Assert.That(result.Trials.Where(t => t.Candidate.SpectralRadius > 0.5).Select(t => t.Score),
            Is.All.EqualTo(double.PositiveInfinity));
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        var valid = Options();
        yield return new TestCaseData(valid with { MaxEvaluations = 1 }, "MaxEvaluations");
        yield return new TestCaseData(valid with { PopulationSize = 1 }, "PopulationSize");
        yield return new TestCaseData(valid with { InitialStepSize = 0 }, "InitialStepSize");
        yield return new TestCaseData(valid with { InitialStepSize = double.NaN }, "InitialStepSize");
        yield return new TestCaseData(valid with { MaxDegreeOfParallelism = 0 }, "MaxDegreeOfParallelism");
        yield return new TestCaseData(valid with { LeakRateFamily = (LeakRateSearchFamily)9 }, "LeakRateFamily");
        yield return new TestCaseData(valid with { ValidationFolds = 1 }, "ValidationFolds");
        yield return new TestCaseData(valid with { TimeConstant = new SearchRange(0.5, 10) }, "TimeConstant");
        yield return new TestCaseData(valid with { TimeConstant = new SearchRange(10, 5) }, "TimeConstant");
        yield return new TestCaseData(valid with { SlowFraction = new SearchRange(0, 0.5) }, "SlowFraction");
        yield return new TestCaseData(valid with { SpectralRadius = new SearchRange(0, 1) }, "SpectralRadius");
        yield return new TestCaseData(valid with { InputScaling = new SearchRange(1, double.PositiveInfinity) }, "InputScaling");
        yield return new TestCaseData(valid with { L2Regularization = new SearchRange(double.NaN, 1) }, "L2Regularization");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Run_BadOption_ThrowsNamingIt(ReservoirSearchOptions options, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReservoirSearch.Run(options, Bowl));

        Assert.That(error!.ParamName, Is.EqualTo(name));
        Assert.That(error.Message, Does.Contain(name).And.Contain("was"));
    }

    [Test]
    public void Run_NullNetwork_Throws()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ReservoirSearch.Run(Options() with { Network = null! }, Bowl));

        Assert.That(error!.ParamName, Is.EqualTo("Network"));
    }

    [Test]
    public void Run_DataTooShortForWashout_ThrowsWithLengths()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ReservoirSearch.Run(Options(), new double[25, 1], new double[25, 1]));

        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
        Assert.That(error.Message, Does.Contain("25"));
    }

    private static double[,] ToColumn(double[] values)
    {
        var result = new double[values.Length, 1];
        for (var t = 0; t < values.Length; t++)
        {
            result[t, 0] = values[t];
        }

        return result;
    }

    private sealed class SynchronousProgress(Action<ReservoirSearchProgress> report) : IProgress<ReservoirSearchProgress>
    {
        public void Report(ReservoirSearchProgress value) => report(value);
    }
}
