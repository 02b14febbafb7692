using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

public sealed partial class RidgeClassifierTests
{
    [TestCase(1)]
    [TestCase(0)]
    [TestCase(-3)]
    public void Constructor_FewerThanTwoClasses_Throws(int classCount)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RidgeClassifier(classCount));

        Assert.That(e!.ParamName, Is.EqualTo("classCount"));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Constructor_InvalidL2Regularization_Throws(double lambda)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RidgeClassifier(2, new RidgeClassifierOptions { L2Regularization = lambda }));

        Assert.That(e!.ParamName, Is.EqualTo("L2Regularization"));
    }

    [TestCase(-1)]
    [TestCase(Classes)]
    [TestCase(int.MinValue)]
    public void Accumulate_LabelOutOfRange_ThrowsAndLeavesAccumulatorEmpty(int label)
    {
        var classifier = new RidgeClassifier(Classes);
        var gram = classifier.CreateAccumulator(2);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Accumulate(gram, [1, 2, 3, 4], [0, label], 2));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("labels"));
            Assert.That(e.Message, Does.Contain($"labels[1] must be in [0, {Classes}); was {label}."));
            Assert.That(gram.Count, Is.Zero);
        });
    }

    [Test]
    public void Fit_LabelOutOfRange_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RidgeClassifier(2).Fit(new double[,] { { 1 }, { 2 } }, [0, 2]));

        Assert.That(e!.ParamName, Is.EqualTo("labels"));
    }

    [Test]
    public void Accumulate_NonFiniteFeatureInLaterBlock_ThrowsAndLeavesAccumulatorEmpty()
    {
        var classifier = new RidgeClassifier(2);
        var gram = classifier.CreateAccumulator(1);
        var features = new double[600];
        features[500] = double.NaN;

        var e = Assert.Throws<ArgumentException>(() => classifier.Accumulate(gram, features, new int[600], 600));

        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("features"));
            Assert.That(gram.Count, Is.Zero);
        });
    }

    [TestCase(3, 2, "labels")]
    [TestCase(2, 3, "features")]
    public void Accumulate_WrongLengths_Throws(int labelCount, int rowsOfFeatures, string parameter)
    {
        var classifier = new RidgeClassifier(2);
        var gram = classifier.CreateAccumulator(2);

        var e = Assert.Throws<ArgumentException>(() => classifier.Accumulate(gram, new double[rowsOfFeatures * 2], new int[labelCount], 2));

        Assert.That(e!.ParamName, Is.EqualTo(parameter));
    }

    [Test]
    public void AccumulateAndFit_AccumulatorWithOtherTargetCount_Throws()
    {
        var classifier = new RidgeClassifier(3);
        var gram = new GramAccumulator(2, 2);

        Assert.Multiple(() =>
        {
            Assert.That(() => classifier.Accumulate(gram, [1, 2], [0], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("gram"));
            Assert.That(() => classifier.Fit(gram), Throws.ArgumentException.With.Property("ParamName").EqualTo("gram"));
        });
    }

    [Test]
    public void Fit_EmptyAccumulator_ThrowsInvalidOperation() =>
        Assert.That(() => new RidgeClassifier(2).Fit(new RidgeClassifier(2).CreateAccumulator(3)), Throws.InvalidOperationException);

    [Test]
    public void Fit_LabelsOfWrongLength_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new RidgeClassifier(2).Fit(new double[3, 1], [0, 1]));

        Assert.That(e!.ParamName, Is.EqualTo("labels"));
    }

    [Test]
    public void Predict_NonFiniteFeature_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => IdentityModel().Predict([0, double.NaN, 0]));

        Assert.That(e!.ParamName, Is.EqualTo("features"));
    }

    [Test]
    public void Predict_WrongFeatureCount_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => IdentityModel().Predict([0.0, 1]), Throws.ArgumentException.With.Property("ParamName").EqualTo("features"));
            Assert.That(() => IdentityModel().Predict(new double[1, 2]), Throws.ArgumentException.With.Property("ParamName").EqualTo("features"));
        });
    }

    [Test]
    public void PredictByVotingAndMeanScore_NoSteps_Throw()
    {
        var model = IdentityModel();

        Assert.Multiple(() =>
        {
            Assert.That(() => model.PredictByVoting(new double[0, 3]), Throws.ArgumentException.With.Property("ParamName").EqualTo("stepFeatures"));
            Assert.That(() => model.PredictByMeanScore(new double[0, 3]), Throws.ArgumentException.With.Property("ParamName").EqualTo("stepFeatures"));
        });
    }

    [Test]
    public void PredictByVoting_NonFiniteStep_Throws() =>
        Assert.That(() => IdentityModel().PredictByVoting(new double[,] { { 1, 0, 0 }, { double.PositiveInfinity, 0, 0 } }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("stepFeatures"));

    [Test]
    public void ModelConstructor_SingleOutput_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new RidgeClassifierModel(RidgeSolution.FromWeights(new double[1, 2], [0])));

        Assert.That(e!.ParamName, Is.EqualTo("scores"));
    }
}
