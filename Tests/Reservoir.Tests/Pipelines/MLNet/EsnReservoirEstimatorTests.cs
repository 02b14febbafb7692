using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

public sealed class EsnReservoirEstimatorTests
{
    private readonly MLContext _context = new(seed: 0);

    [Test]
    public void Contract_ScalarInput_Holds()
    {
        var estimator = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 20, leakRate: 0.5, seed: 3);
        EstimatorContract.Check(estimator, TestData.Sine(_context, 50), TestData.Doubles(_context, 5));
    }

    [Test]
    public void Contract_VectorInput_Holds()
    {
        var estimator = _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            Reservoir = new ReservoirOptions { UnitCount = 15, Seed = 4, LeakRates = LeakRateDistribution.Uniform(0.1, 0.9) },
        });
        EstimatorContract.Check(estimator, TestData.Vector(_context, 40), TestData.Doubles(_context, 5));
    }

    [Test]
    public void Contract_EdgeOfStabilityReservoirOnCycleWithJumps_Holds()
    {
        // Every ReservoirOptions member reaches the transform, and its model file, through Options.Reservoir.
        var estimator = _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            Reservoir = new ReservoirOptions
            {
                UnitCount = 16, Seed = 6, LeakRates = 0.1, StateCarry = StateCarry.Orthogonal, Topology = ReservoirTopology.CycleWithJumps,
            },
        });
        EstimatorContract.Check(estimator, TestData.Sine(_context, 40), TestData.Doubles(_context, 5));
        var transformer = estimator.Fit(TestData.Sine(_context, 40));
        Assert.That(transformer.Reservoir.CarryWeights, Is.Not.Null, "the transform runs the ES2N update");
    }

    [Test]
    public void Transform_States_EqualTheReservoirRun()
    {
        var data = TestData.Sine(_context, 60);
        var transformer = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 12, leakRate: 0.3, seed: 5).Fit(data);
        var inputs = _context.Data.CreateEnumerable<TestData.ScalarRow>(data, reuseRowObject: false).Select(r => (double)r.Input).ToArray();

        var expected = transformer.Reservoir.Run(inputs);
        var states = EstimatorContract.Read(transformer.Transform(data), "States");

        Assert.That(states, Has.Count.EqualTo(inputs.Length));
        for (var t = 0; t < inputs.Length; t++)
        {
            for (var i = 0; i < 12; i++)
            {
                Assert.That(states[t][i], Is.EqualTo((float)expected[t, i]), $"t={t}, i={i}");
            }
        }
    }

    private static EsnReservoirEstimator.Options ComposedOptions() => new()
    {
        OutputColumnName = "States",
        InputColumnName = "Input",
        Composition = ComposedReservoirOptions.Stack(9, [
            new ReservoirOptions { UnitCount = 12, Seed = 0, LeakRates = 0.8 },
            new ReservoirOptions { UnitCount = 8, Seed = 0, LeakRates = 0.2 },
        ]),
    };

    [Test]
    public void Contract_ComposedReservoir_Holds()
    {
        EstimatorContract.Check(_context.Transforms.EchoStateReservoir(ComposedOptions()), TestData.Sine(_context, 50), TestData.Doubles(_context, 5));
    }

    [Test]
    public void Transform_ComposedReservoir_StatesEqualTheCompositionRun()
    {
        var data = TestData.Sine(_context, 60);
        var transformer = _context.Transforms.EchoStateReservoir(ComposedOptions()).Fit(data);
        var inputs = _context.Data.CreateEnumerable<TestData.ScalarRow>(data, reuseRowObject: false).Select(r => (double)r.Input).ToArray();

        var expected = new ComposedReservoir(ComposedOptions().Composition!).Run(ToColumn(inputs));
        var states = EstimatorContract.Read(transformer.Transform(data), "States");

        Assert.That(transformer.Composition.StateWidth, Is.EqualTo(20));
        Assert.That(((VectorDataViewType)transformer.Transform(data).Schema["States"].Type).Size, Is.EqualTo(20));
        for (var t = 0; t < inputs.Length; t++)
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.That(states[t][i], Is.EqualTo((float)expected[t, i]), $"t={t}, i={i}");
            }
        }

        Assert.Throws<InvalidOperationException>(() => _ = transformer.Reservoir);
    }

    [Test]
    public void Constructor_CompositionBesideSimpleField_ThrowsNamingComposition()
    {
        var options = ComposedOptions();
        options.UnitCount = 10;

        var error = Assert.Throws<ArgumentException>(() => _context.Transforms.EchoStateReservoir(options));

        Assert.That(error!.ParamName, Is.EqualTo("Composition"));
        Assert.That(error.Message, Does.Contain("Both Composition and a single-reservoir field"));
    }

    [Test]
    public void Fit_CompositionWhoseLayerStatesTheColumnWidth_IsAccepted()
    {
        var layer = new ReservoirOptions { UnitCount = 10, Seed = 0, InputDimension = 2 };
        var options = new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            Composition = new ComposedReservoirOptions
            {
                Layers = [new ReservoirLayerOptions { Reservoir = layer }, new ReservoirLayerOptions { Reservoir = layer with { InputDimension = 1 } }],
            },
        };

        var transformer = _context.Transforms.EchoStateReservoir(options).Fit(TestData.Vector(_context, 20));

        Assert.That(transformer.Composition.InputDimension, Is.EqualTo(2));
    }

    [Test]
    public void Constructor_InvalidComposition_ThrowsNamingTheLayer()
    {
        var options = ComposedOptions();
        options.Composition = options.Composition! with { ReadoutLayers = [3] };

        var error = Assert.Throws<ArgumentException>(() => _context.Transforms.EchoStateReservoir(options));

        Assert.That(error!.ParamName, Is.EqualTo("Composition"));
        Assert.That(error.Message, Does.StartWith("Composition: ReadoutLayers names layer 3"));
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

    [Test]
    public void Transform_TwoPasses_SameStates()
    {
        var data = TestData.Sine(_context, 30);
        var output = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 8).Fit(data).Transform(data);

        Assert.That(EstimatorContract.Read(output, "States"), Is.EqualTo(EstimatorContract.Read(output, "States")));
        Assert.That(output.CanShuffle, Is.False);
        Assert.That(output.GetRowCursorSet(output.Schema, 4), Has.Length.EqualTo(1));
    }

    [Test]
    public void PredictionEngine_OneRowAtATime_EqualsBatchTransform()
    {
        var data = TestData.Sine(_context, 40);
        var transformer = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 10, leakRate: 0.4).Fit(data);
        var batch = EstimatorContract.Read(transformer.Transform(data), "States");

        var engine = _context.Model.CreatePredictionEngine<TestData.ScalarRow, StatesRow>(transformer);
        var rows = _context.Data.CreateEnumerable<TestData.ScalarRow>(data, reuseRowObject: false).ToArray();
        for (var t = 0; t < rows.Length; t++)
        {
            Assert.That(engine.Predict(rows[t]).States, Is.EqualTo(batch[t]), $"row {t}");
        }
    }

    [Test]
    public void Transform_NaNInput_ThrowsNamingColumnAndRow()
    {
        var rows = new[] { new TestData.ScalarRow { Input = 1 }, new TestData.ScalarRow { Input = float.NaN } };
        var data = _context.Data.LoadFromEnumerable(rows);
        var output = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 20).Fit(data).Transform(data);

        var error = Assert.Throws<ArgumentException>(() => EstimatorContract.Read(output, "States"));
        Assert.That(error!.Message, Does.Contain("'Input'").And.Contain("row 1").And.Contain("NaN"));
    }

    [Test]
    public void GetOutputSchema_MissingColumn_MessageLikeMLNet()
    {
        var estimator = _context.Transforms.EchoStateReservoir("States", "Nope", unitCount: 20);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(TestData.Sine(_context, 3)));
        Assert.That(error!.Message, Does.StartWith("Could not find input column 'Nope'"));
    }

    [Test]
    public void Fit_DoubleColumn_SchemaMismatchMessage()
    {
        var estimator = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 20);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(TestData.Doubles(_context, 3)));
        Assert.That(error!.Message, Does.StartWith("Schema mismatch for input column 'Input': expected Single or known-size Vector<Single>, got Double"));
    }

    [Test]
    public void Transform_WrongVectorSize_SchemaMismatch()
    {
        var transformer = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 20).Fit(TestData.Sine(_context, 3));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(TestData.Vector(_context, 3)));
        Assert.That(error!.Message, Does.Contain("Schema mismatch for input column 'Input'"));
    }

    [TestCase(0.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void Constructor_BadLeakRate_ThrowsNamingTheParameter(double leakRate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Transforms.EchoStateReservoir("States", leakRate: leakRate));
        Assert.That(error!.ParamName, Is.EqualTo("leakRate"));
        Assert.That(error.Message, Does.StartWith("leakRate must be in (0, 1]; was "));
    }

    [Test]
    public void Constructor_ReservoirWithOutputFeedback_ThrowsNamingReservoir()
    {
        var error = Assert.Throws<ArgumentException>(() => _context.Transforms.EchoStateReservoir(new EsnReservoirEstimator.Options
        {
            OutputColumnName = "States",
            InputColumnName = "Input",
            Reservoir = new ReservoirOptions { UnitCount = 20, Seed = 1, FeedbackDimension = 1 },
        }));
        Assert.That(error!.ParamName, Is.EqualTo("Reservoir"));
        Assert.That(error.Message, Does.Contain("FeedbackDimension is 1"));
    }

    [Test]
    public void Pipeline_ReservoirThenSdca_Trains()
    {
        var data = TestData.Sine(_context, 300);
        var pipeline = _context.Transforms.EchoStateReservoir("Features", "Input", unitCount: 30, leakRate: 0.5)
            .AppendCacheCheckpoint(_context)
            .Append(_context.Regression.Trainers.Sdca(labelColumnName: "Label", featureColumnName: "Features", maximumNumberOfIterations: 20));
        var model = pipeline.Fit(data);
        var metrics = _context.Regression.Evaluate(model.Transform(data));

        Assert.That(metrics.RSquared, Is.GreaterThan(0.5));
    }

    [Test]
    public void RowMapper_RowWithoutPosition_ThrowsInsteadOfZeroStates()
    {
        var data = TestData.Sine(_context, 30);
        var mapper = _context.Transforms.EchoStateReservoir("States", "Input", unitCount: 12, leakRate: 0.3, seed: 5).Fit(data)
            .GetRowToRowMapper(data.Schema);
        using var cursor = data.GetRowCursor(data.Schema);
        var row = mapper.GetRow(cursor, mapper.OutputSchema);
        var getter = row.GetGetter<Microsoft.ML.Data.VBuffer<float>>(row.Schema["States"]);
        var states = default(Microsoft.ML.Data.VBuffer<float>);

        var error = Assert.Throws<InvalidOperationException>(() => getter(ref states));

        Assert.That(error!.Message, Does.Contain("Position -1").And.Contain("CreatePredictionEngine"));
    }

    private sealed class StatesRow
    {
        [VectorType(10)]
        public float[] States { get; set; } = [];
    }
}

public sealed class EsnReservoirCursorAllocationTests
{
    [Test]
    public void Cursor_ReadingStatesRowByRow_AllocatesNothingPerRow()
    {
        var context = new MLContext(seed: 0);
        var data = TestData.Sine(context, 3000);
        var output = context.Transforms.EchoStateReservoir("States", "Input", unitCount: 50).Fit(data).Transform(data);

        // The source view (LoadFromEnumerable) may allocate a little per row; our cursor and getter must add nothing
        // that grows with the rows beyond it: 2 000 more rows may cost at most a few bytes each.
        var perRow = EstimatorContract.AllocatedBytesPerRow(output, "States");
        Assert.That(perRow, Is.LessThan(64), $"bytes per row: {perRow}");
    }
}
