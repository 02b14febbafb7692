using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class RidgeRegressionTrainerTests
{
    private const double Tolerance = 1e-4;
    private readonly MLContext _context = new(seed: 0);

    [Test]
    public void Contract_Holds()
    {
        var trainer = _context.Regression.Trainers.Ridge(labelColumnName: "Label", featureColumnName: "Features", l2Regularization: 1e-3);
        EstimatorContract.Check(trainer, Linear(200, noise: 0.01), TestData.Sine(_context, 5));
    }

    [Test]
    public void Fit_ExactLinearData_RecoversWeights()
    {
        var model = _context.Regression.Trainers.Ridge(l2Regularization: 0).Fit(Linear(100, noise: 0));

        Assert.That(model.Model.Weights, Is.EqualTo(new[] { 2.0, -1.0, 0.5 }).Within(Tolerance));
        Assert.That(model.Model.Bias, Is.EqualTo(0.25).Within(Tolerance));
    }

    [Test]
    public void Weights_CannotBeChangedFromOutside()
    {
        var model = _context.Regression.Trainers.Ridge(l2Regularization: 0).Fit(Linear(50, noise: 0));
        var weights = model.Model.Weights;

        Assert.That(weights, Is.Not.InstanceOf<double[]>());
        Assert.Throws<NotSupportedException>(() => ((IList<double>)weights)[0] = 100);
    }

    [Test]
    public void Fit_SameAsRidgeReadoutOnTheSameRows()
    {
        var data = Linear(150, noise: 0.2);
        var model = _context.Regression.Trainers.Ridge(l2Regularization: 0.5).Fit(data);
        var rows = _context.Data.CreateEnumerable<LinearRow>(data, reuseRowObject: false).ToArray();
        var x = new double[rows.Length, 3];
        var y = new double[rows.Length, 1];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var j = 0; j < 3; j++)
            {
                x[r, j] = rows[r].Features[j];
            }

            y[r, 0] = rows[r].Label;
        }

        var expected = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0.5 }).Fit(x, y);

        Assert.That(model.Model.Weights, Is.EqualTo(Enumerable.Range(0, 3).Select(j => expected.GetWeights()[0, j])).Within(1e-9));
        Assert.That(model.Model.Bias, Is.EqualTo(expected.GetIntercept()[0]).Within(1e-9));
    }

    [Test]
    public void Fit_AutomaticL2_ChoosesFromTheGridAndReportsTheSearch()
    {
        var model = _context.Regression.Trainers.Ridge().Fit(Linear(300, noise: 0.1));

        Assert.That(model.Model.RegularizationSearch, Is.Not.Null);
        Assert.That(RidgeCv.DefaultL2Grid, Does.Contain(model.Model.L2Regularization));
        Assert.That(model.Model.Weights[0], Is.EqualTo(2.0).Within(0.05));
    }

    [Test]
    public void Fit_AutomaticL2_ValidatesOnTheTimeBlockedFolds()
    {
        const int rows = 700;
        var data = Linear(rows, noise: 0.3);
        var table = _context.Data.CreateEnumerable<LinearRow>(data, reuseRowObject: false).ToArray();
        var x = table.SelectMany(r => r.Features.Select(v => (double)v)).ToArray();
        var y = table.Select(r => (double)r.Label).ToArray();
        var folds = new TimeBlockedFolds(5, rows);
        var accumulators = folds.CreateAccumulators(3, 1);
        folds.Accumulate(accumulators, 0, x, y, rows);
        double[] grid = [1e-6, 1e-3, 1e-1, 1, 10, 100];
        var expected = new RidgeCv(new RidgeCvOptions { L2Grid = [.. grid] }).Fit(accumulators);

        var model = new RidgeRegressionTrainer(new RidgeRegressionTrainer.Options { L2Grid = [.. grid] }).Fit(data);

        var curve = model.Model.RegularizationSearch!.Curve;
        Assert.That(model.Model.L2Regularization, Is.EqualTo(expected.BestL2Regularization));
        for (var g = 0; g < grid.Length; g++)
        {
            Assert.That(curve[g].ValidationError, Is.EqualTo(expected.Curve[g].ValidationError).Within(1e-9).Percent, $"λ = {grid[g]}");
        }
    }

    [Test]
    public void Evaluate_And_CrossValidate_Work()
    {
        var data = Linear(300, noise: 0.1);
        var trainer = _context.Regression.Trainers.Ridge(l2Regularization: 1e-3);

        var metrics = _context.Regression.Evaluate(trainer.Fit(data).Transform(data));
        var folds = _context.Regression.CrossValidate(data, trainer, numberOfFolds: 3);

        Assert.That(metrics.RSquared, Is.GreaterThan(0.95));
        Assert.That(folds, Has.Count.EqualTo(3));
        Assert.That(folds.Select(f => f.Metrics.RSquared), Has.All.GreaterThan(0.9));
    }

    [Test]
    public void PermutationFeatureImportance_RanksTheStrongestFeatureFirst()
    {
        var data = Linear(300, noise: 0.05);
        var model = _context.Regression.Trainers.Ridge(l2Regularization: 1e-3).Fit(data);

        var importance = _context.Regression.PermutationFeatureImportance(model, data, permutationCount: 1);
        var drops = importance.Select(m => m.RootMeanSquaredError.Mean).ToArray();

        Assert.That(drops, Has.Length.EqualTo(3));
        Assert.That(drops[0], Is.GreaterThan(drops[1]).And.GreaterThan(drops[2]));
    }

    [Test]
    public void Fit_NaNLabel_ThrowsNamingColumnAndRow()
    {
        var rows = new[] { new LinearRow { Features = [1, 2, 3], Label = 1 }, new LinearRow { Features = [1, 2, 3], Label = float.NaN } };
        var error = Assert.Throws<ArgumentException>(() => _context.Regression.Trainers.Ridge(l2Regularization: 1).Fit(_context.Data.LoadFromEnumerable(rows)));
        Assert.That(error!.Message, Does.Contain("'Label'").And.Contain("row 1"));
    }

    [Test]
    public void Fit_NoRows_Throws()
    {
        var empty = _context.Data.LoadFromEnumerable(Array.Empty<LinearRow>());
        var error = Assert.Throws<ArgumentException>(() => _context.Regression.Trainers.Ridge(l2Regularization: 1).Fit(empty));
        Assert.That(error!.Message, Does.Contain("no rows"));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void Constructor_BadL2_ThrowsNamingIt(double l2)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Regression.Trainers.Ridge(l2Regularization: l2));
        Assert.That(error!.ParamName, Is.EqualTo("l2Regularization"));
    }

    [Test]
    public void Info_IsMLNetTrainerInfo_NoNormalisationNoCaching()
    {
        // TrainerInfo has no public constructor; the trainer reports the flags of a one-pass, closed-form fit.
        var trainer = _context.Regression.Trainers.Ridge();

        Assert.That(trainer.Info.NeedNormalization, Is.False);
        Assert.That(trainer.Info.WantCaching, Is.False);
    }

    [Test]
    public void Options_L2Grid_IsUsedForTheAutomaticChoice()
    {
        var model = _context.Regression.Trainers.Ridge(new RidgeRegressionTrainer.Options { L2Grid = [0.125, 0.25] }).Fit(Linear(300, noise: 0.1));

        Assert.That(model.Model.L2Regularization, Is.AnyOf(0.125, 0.25));
    }

    [Test]
    public void Fit_LabelIsDouble_SchemaMismatchMessage()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Regression.Trainers.Ridge().Fit(Linear(5, 0, labelAsDouble: true)));
        Assert.That(error!.Message, Does.StartWith("Schema mismatch for label column 'Label': expected Single, got Double"));
    }

    private IDataView Linear(int rows, double noise, bool labelAsDouble = false)
    {
        var random = new Random(7);
        var data = Enumerable.Range(0, rows).Select(_ =>
        {
            var x = new[] { (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble() };
            var y = 2 * x[0] - x[1] + 0.5 * x[2] + 0.25 + noise * (random.NextDouble() - 0.5);
            return new LinearRow { Features = x, Label = (float)y };
        }).ToArray();
        return labelAsDouble
            ? _context.Data.LoadFromEnumerable(data.Select(r => new DoubleLabelRow { Features = r.Features, Label = r.Label }))
            : _context.Data.LoadFromEnumerable(data);
    }

    private sealed class LinearRow
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class DoubleLabelRow
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public double Label { get; set; }
    }
}
