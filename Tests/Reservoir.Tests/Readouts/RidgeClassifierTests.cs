using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;
using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class RidgeClassifierTests
{
    private const double ExactTolerance = 1e-12;

    /// <summary>Blobs one unit apart per axis with noise σ = 0.35 are separable well above this rate.</summary>
    private const double MinimumBlobAccuracy = 0.95;

    private const int Classes = 3;
    private const int Features = 4;

    private static readonly double[,] Centres = { { 1, 0, 0, 0.5 }, { 0, 1, 0, -0.5 }, { 0, 0, 1, 0 } };

    [Test]
    public void Fit_NoisyGaussianBlobs_HighAccuracyOnFreshSamples()
    {
        var (trainX, trainY) = Blobs(300, seed: 401);
        var (testX, testY) = Blobs(300, seed: 402);

        var model = new RidgeClassifier(Classes).Fit(trainX, trainY);
        var predicted = model.Predict(testX);

        var correct = predicted.Zip(testY, (p, t) => p == t ? 1 : 0).Sum();
        Assert.That((double)correct / testY.Length, Is.GreaterThanOrEqualTo(MinimumBlobAccuracy));
    }

    [Test]
    public void Fit_Matrix_EqualsRidgeReadoutOnOneHotTargets()
    {
        var (x, labels) = Blobs(90, seed: 403);
        var oneHot = new double[labels.Length, Classes];
        for (var r = 0; r < labels.Length; r++)
        {
            oneHot[r, labels[r]] = 1;
        }

        var options = new RidgeClassifierOptions { L2Regularization = 0.5, FitIntercept = false };
        var model = new RidgeClassifier(Classes, options).Fit(x, labels);
        var expected = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0.5, FitIntercept = false }).Fit(x, oneHot);

        Assert.Multiple(() =>
        {
            Assert.That(model.Scores.GetWeights(), Is.EqualTo(expected.GetWeights()).Within(ExactTolerance));
            Assert.That(model.Scores.GetIntercept(), Is.EqualTo(expected.GetIntercept()).Within(ExactTolerance));
            Assert.That(model.ClassCount, Is.EqualTo(Classes));
            Assert.That(model.FeatureCount, Is.EqualTo(Features));
        });
    }

    [Test]
    public void Accumulate_InTwoShards_EqualsFitOnMatrix()
    {
        var (x, labels) = Blobs(600, seed: 405);
        var classifier = new RidgeClassifier(Classes);
        var flat = new double[x.Length];
        Buffer.BlockCopy(x, 0, flat, 0, x.Length * sizeof(double));

        var first = classifier.CreateAccumulator(Features);
        var second = classifier.CreateAccumulator(Features);
        classifier.Accumulate(first, flat.AsSpan(0, 400 * Features), labels.AsSpan(0, 400), 400);
        classifier.Accumulate(second, flat.AsSpan(400 * Features), labels.AsSpan(400), 200);
        first.Add(second);

        var streamed = classifier.Fit(first);
        var batch = classifier.Fit(x, labels);

        Assert.That(streamed.Scores.GetWeights(), Is.EqualTo(batch.Scores.GetWeights()).Within(ExactTolerance));
    }

    [Test]
    public void PredictScores_EqualsScoresReadout()
    {
        var (x, labels) = Blobs(60, seed: 407);
        var model = new RidgeClassifier(Classes).Fit(x, labels);
        double[] row = [0.2, 0.9, -0.1, 0];
        var scores = new double[Classes];
        var expected = new double[Classes];

        model.PredictScores(row, scores);
        model.Scores.Predict(row, expected);

        Assert.Multiple(() =>
        {
            Assert.That(scores, Is.EqualTo(expected));
            Assert.That(model.Predict(row), Is.EqualTo(Array.IndexOf(scores, scores.Max())));
        });
    }

    [Test]
    public void Predict_TiedScores_LowestIndex()
    {
        var model = new RidgeClassifierModel(RidgeSolution.FromWeights(new double[3, 1], [1, 2, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(model.Predict([5.0]), Is.EqualTo(1));
            Assert.That(model.Predict(new double[,] { { 0 }, { 1 } }), Is.EqualTo(new[] { 1, 1 }));
        });
    }

    [Test]
    public void PredictByVotingAndMeanScore_MajorityOfSmallWinsVersusOneLargeScore_Disagree()
    {
        // Scores equal the features. Two steps narrowly vote class 0; one step strongly favours class 1.
        var model = IdentityModel();
        var steps = new double[,] { { 0.6, 0.5, 0 }, { 0.6, 0.5, 0 }, { 0, 5, 0 } };

        Assert.Multiple(() =>
        {
            Assert.That(model.PredictByVoting(steps), Is.EqualTo(0));
            Assert.That(model.PredictByMeanScore(steps), Is.EqualTo(1));
        });
    }

    [Test]
    public void PredictByVoting_TiedVotes_BrokenBySummedScores()
    {
        var model = IdentityModel();

        Assert.Multiple(() =>
        {
            Assert.That(model.PredictByVoting(new double[,] { { 1, 0, 0 }, { 0, 3, 0 } }), Is.EqualTo(1));
            Assert.That(model.PredictByVoting(new double[,] { { 3, 0, 0 }, { 0, 1, 0 } }), Is.EqualTo(0));
        });
    }

    [Test]
    public void PredictByVotingAndMeanScore_CompleteTie_LowestIndex()
    {
        var model = IdentityModel();
        var steps = new double[,] { { 0, 1, 0 }, { 0, 0, 1 } };

        Assert.Multiple(() =>
        {
            Assert.That(model.PredictByVoting(steps), Is.EqualTo(1));
            Assert.That(model.PredictByMeanScore(steps), Is.EqualTo(1));
        });
    }

    [Test]
    public void PredictByMeanScore_OneStep_EqualsPredict()
    {
        var model = IdentityModel();

        Assert.That(model.PredictByMeanScore(new double[,] { { 0.1, 0.2, 0.7 } }), Is.EqualTo(model.Predict([0.1, 0.2, 0.7])));
    }

    /// <summary>Scores = features for 3 classes.</summary>
    private static RidgeClassifierModel IdentityModel() =>
        new(RidgeSolution.FromWeights(new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, new double[3]));

    /// <summary>Samples per class around <see cref="Centres"/> with isotropic Gaussian noise, classes interleaved.</summary>
    private static (double[,] X, int[] Labels) Blobs(int rows, int seed)
    {
        var random = new Xoshiro256StarStar(seed);
        var x = new double[rows, Features];
        var labels = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = r % Classes;
            for (var d = 0; d < Features; d++)
            {
                x[r, d] = Centres[labels[r], d] + Normal.Sample(random, 0, 0.35);
            }
        }

        return (x, labels);
    }
}
