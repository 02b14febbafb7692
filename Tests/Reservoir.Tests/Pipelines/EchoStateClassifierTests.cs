using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class EchoStateClassifierTests
{
    private const double RequiredAccuracy = 0.9;

    /// <summary>Noisy oscillators of three close frequencies, random phase and length: the class is the frequency.</summary>
    private static (List<double[,]> Sequences, List<int> Labels) Oscillators(int count, int seed)
    {
        double[] frequencies = [0.20, 0.26, 0.33];
        var random = new Random(seed);
        var sequences = new List<double[,]>();
        var labels = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var label = i % frequencies.Length;
            var length = 60 + random.Next(40);
            var phase = random.NextDouble() * 2 * Math.PI;
            var sequence = new double[length, 1];
            for (var t = 0; t < length; t++)
            {
                sequence[t, 0] = Math.Sin(frequencies[label] * t + phase) + 0.2 * (2 * random.NextDouble() - 1);
            }

            sequences.Add(sequence);
            labels.Add(label);
        }

        return (sequences, labels);
    }

    private static EchoStateClassifierOptions Options(SequenceDecision decision, SequenceFeatureKind features) => new()
    {
        Reservoir = new ReservoirOptions
        {
            UnitCount = 100, Seed = 3, LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, 10), SpectralRadius = 0.9,
            InputConnectivity = 0.5, BiasScaling = 0.1,
        },
        Classifier = new RidgeClassifierOptions { L2Regularization = 1e-3 },
        Decision = decision,
        Features = features,
        WashoutSteps = 20,
    };

    [TestCase(SequenceDecision.SequenceFeatures, SequenceFeatureKind.MeanState)]
    [TestCase(SequenceDecision.StepVoting, SequenceFeatureKind.MeanState)]
    [TestCase(SequenceDecision.MeanStepScore, SequenceFeatureKind.MeanState)]
    public void Fit_OscillatorsOfDifferentFrequencies_ClassifiesHeldOutSequences(SequenceDecision decision,
        SequenceFeatureKind features)
    {
        var (train, trainLabels) = Oscillators(150, 1);
        var (test, testLabels) = Oscillators(90, 2);

        var classifier = EchoStateClassifier.Fit(Options(decision, features), train, trainLabels, classCount: 3);
        var predicted = classifier.Predict(test);

        Assert.That(Metrics.Accuracy(testLabels.ToArray(), predicted), Is.GreaterThanOrEqualTo(RequiredAccuracy));
    }

    [Test]
    public void Fit_EvenlySpacedStates_TellsWhenAPulseHappened()
    {
        // Class 0: a pulse in the first third; class 1: in the last third. Evenly spaced states see when it happened.
        var random = new Random(7);
        List<double[,]> Make(int count, List<int> labels)
        {
            var sequences = new List<double[,]>();
            for (var i = 0; i < count; i++)
            {
                var label = i % 2;
                var sequence = new double[90, 1];
                var at = label == 0 ? 20 + random.Next(10) : 60 + random.Next(10);
                for (var t = 0; t < 90; t++)
                {
                    sequence[t, 0] = 0.1 * (2 * random.NextDouble() - 1) + (t >= at && t < at + 5 ? 1 : 0);
                }

                sequences.Add(sequence);
                labels.Add(label);
            }

            return sequences;
        }

        var trainLabels = new List<int>();
        var testLabels = new List<int>();
        var train = Make(80, trainLabels);
        var test = Make(40, testLabels);
        var options = Options(SequenceDecision.SequenceFeatures, SequenceFeatureKind.EvenlySpacedStates) with
        {
            SampleCount = 5, WashoutSteps = 0,
        };

        var classifier = EchoStateClassifier.Fit(options, train, trainLabels, classCount: 2);

        Assert.That(Metrics.Accuracy(testLabels.ToArray(), classifier.Predict(test)), Is.GreaterThanOrEqualTo(RequiredAccuracy));
    }

    [Test]
    public void Fit_SameSeed_SamePredictions()
    {
        var (train, labels) = Oscillators(30, 3);
        var options = Options(SequenceDecision.SequenceFeatures, SequenceFeatureKind.LastState);

        var a = EchoStateClassifier.Fit(options, train, labels, 3, maxDegreeOfParallelism: 1);
        var b = EchoStateClassifier.Fit(options, train, labels, 3);

        Assert.That(b.Model.Scores.GetWeights(), Is.EqualTo(a.Model.Scores.GetWeights()));
    }

    [Test]
    public void Fit_LabelOutOfRange_ThrowsNamingIt()
    {
        var (train, labels) = Oscillators(6, 4);
        labels[4] = 3;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            EchoStateClassifier.Fit(Options(SequenceDecision.SequenceFeatures, SequenceFeatureKind.MeanState), train, labels, 3));

        Assert.That(error!.ParamName, Is.EqualTo("labels"));
        Assert.That(error.Message, Does.Contain("labels[4]"));
    }

    [Test]
    public void Fit_CountsDiffer_Throws()
    {
        var (train, labels) = Oscillators(6, 5);

        var error = Assert.Throws<ArgumentException>(() => EchoStateClassifier.Fit(
            Options(SequenceDecision.StepVoting, SequenceFeatureKind.MeanState), train, labels.Take(5).ToList(), 3));

        Assert.That(error!.ParamName, Is.EqualTo("labels"));
    }

    [Test]
    public void Predict_SequenceShorterThanWashout_Throws()
    {
        var (train, labels) = Oscillators(9, 6);
        var classifier = EchoStateClassifier.Fit(Options(SequenceDecision.StepVoting, SequenceFeatureKind.MeanState), train, labels, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Predict(new double[10, 1]));
    }
}
