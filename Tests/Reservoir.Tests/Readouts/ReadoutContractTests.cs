using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

/// <summary>Behaviour every <see cref="IReadout"/> shares, checked for each implementation.</summary>
/// <typeparam name="T">The readout type.</typeparam>
public abstract class ReadoutContractTests<T>
    where T : IReadout
{
    protected const int Features = 3;
    protected const int Targets = 2;

    private static readonly double[] Row = [0.5, -1, 2];

    /// <summary>Creates a readout with <see cref="Features"/> features and <see cref="Targets"/> outputs and non-zero weights.</summary>
    protected abstract T Create();

    [Test]
    public void Counts_ReportConstructionShape()
    {
        var readout = Create();

        Assert.Multiple(() =>
        {
            Assert.That(readout.FeatureCount, Is.EqualTo(Features));
            Assert.That(readout.TargetCount, Is.EqualTo(Targets));
        });
    }

    [TestCase(Features - 1)]
    [TestCase(Features + 1)]
    public void Predict_WrongFeatureLength_Throws(int length)
    {
        var readout = Create();

        var e = Assert.Throws<ArgumentException>(() => readout.Predict(new double[length], new double[Targets]));

        Assert.That(e!.ParamName, Is.EqualTo("features"));
    }

    [TestCase(Targets - 1)]
    [TestCase(Targets + 1)]
    public void Predict_WrongOutputLength_Throws(int length)
    {
        var readout = Create();

        var e = Assert.Throws<ArgumentException>(() => readout.Predict(Row, new double[length]));

        Assert.That(e!.ParamName, Is.EqualTo("output"));
    }

    [Test]
    public void Predict_SameRowTwice_SameOutput()
    {
        var readout = Create();
        var first = new double[Targets];
        var second = new double[Targets];

        readout.Predict(Row, first);
        readout.Predict(Row, second);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first, Has.Some.Not.EqualTo(0.0), "the readout under test has weights");
        });
    }

    [Test]
    public void Predict_AfterWarmUp_AllocatesNothing()
    {
        var readout = Create();
        var output = new double[Targets];
        readout.Predict(Row, output);

        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                readout.Predict(Row, output);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    /// <summary>A few rows of y = A x + c for online readouts to learn from.</summary>
    protected static void Train(Action<double[], double[]> update)
    {
        for (var r = 0; r < 20; r++)
        {
            double[] x = [Math.Sin(r), Math.Cos(0.7 * r), 0.1 * r];
            update(x, [x[0] + 2 * x[1] - 1, x[2] - x[0] + 0.5]);
        }
    }
}

[TestFixture]
public sealed class RidgeSolutionContractTests : ReadoutContractTests<RidgeSolution>
{
    protected override RidgeSolution Create() =>
        RidgeSolution.FromWeights(new double[,] { { 1, 2, 3 }, { -1, 0, 0.5 } }, [0.5, -2]);
}

[TestFixture]
public sealed class RlsReadoutContractTests : ReadoutContractTests<RlsReadout>
{
    protected override RlsReadout Create()
    {
        var readout = new RlsReadout(Features, Targets);
        Train((x, y) => readout.Update(x, y));
        return readout;
    }
}

[TestFixture]
public sealed class LmsReadoutContractTests : ReadoutContractTests<LmsReadout>
{
    protected override LmsReadout Create()
    {
        var readout = new LmsReadout(Features, Targets, new LmsReadoutOptions { LearningRate = 0.5 });
        Train((x, y) => readout.Update(x, y));
        return readout;
    }
}
