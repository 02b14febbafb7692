using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class RidgeSolutionSerializerTests
{
    private const string Kind = "RidgeSolution";
    private const double Lambda = 1e-6;

    private static RidgeSolution Solution() => RidgeSolution.FromWeights(
        new[,] { { 0.5, -1.25, 3e-9 }, { 1.0 / 3, 0, -7.5 } }, [0.1, -0.2], Lambda);

    private static byte[] Save(RidgeSolution solution) =>
        ModelFileTestData.WriteFile(Kind, w => w.WriteRidgeSolution(solution));

    private static RidgeSolution Load(byte[] file) => ModelFileTestData.ReadFile(file, Kind, r => r.ReadRidgeSolution());

    [Test]
    public void RoundTrip_Solution_PredictsIdenticallyAndKeepsLambda()
    {
        var solution = Solution();
        var features = TestData.Uniform(50, solution.FeatureCount, 8);

        var loaded = Load(Save(solution));

        Assert.That(loaded.Predict(features), Is.EqualTo(solution.Predict(features)));
        Assert.That(loaded.GetWeights(), Is.EqualTo(solution.GetWeights()));
        Assert.That(loaded.GetIntercept(), Is.EqualTo(solution.GetIntercept()));
        Assert.That(loaded.L2Regularization, Is.EqualTo(Lambda));
    }

    [Test]
    public void RoundTrip_TrainedSolution_PredictsIdentically()
    {
        var features = TestData.Uniform(40, 4, 1);
        var targets = TestData.Uniform(40, 2, 2);
        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 1e-3 }).Fit(features, targets);

        var loaded = Load(Save(solution));

        Assert.That(loaded.Predict(features), Is.EqualTo(solution.Predict(features)));
    }

    [Test]
    public void RoundTrip_RegularizedInterceptSolution_KeepsTheFlag([Values(false, true)] bool regularizeIntercept)
    {
        var features = TestData.Uniform(40, 4, 1);
        var targets = TestData.Uniform(40, 2, 2);
        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = 0.1, RegularizeIntercept = regularizeIntercept })
            .Fit(features, targets);

        var loaded = Load(Save(solution));

        Assert.That(loaded.RegularizeIntercept, Is.EqualTo(regularizeIntercept));
        Assert.That(loaded.Predict(features), Is.EqualTo(solution.Predict(features)));
        Assert.That(loaded.L2Regularization, Is.EqualTo(0.1));
    }

    [Test]
    public void Read_Version1Section_LoadsWithoutRegularizedIntercept()
    {
        // Version 1 stored weights, intercept and λ, with no intercept-penalty flag.
        var file = ModelFileTestData.WriteFile(Kind, w =>
        {
            w.WriteSectionHeader(Reservoir.Readouts.Persistence.RidgeSolutionSerializer.Tag, 1);
            w.WriteMatrix(new[,] { { 0.5, -1.25 } });
            w.WriteDoubles([0.75]);
            w.WriteDouble(Lambda);
        });

        var loaded = Load(file);

        Assert.That(loaded.RegularizeIntercept, Is.False);
        Assert.That(loaded.GetWeights(), Is.EqualTo(new[,] { { 0.5, -1.25 } }));
        Assert.That(loaded.GetIntercept(), Is.EqualTo(new[] { 0.75 }));
        Assert.That(loaded.L2Regularization, Is.EqualTo(Lambda));
    }

    [Test]
    public void Read_Version3Section_ThrowsNamingTheVersion()
    {
        var file = ModelFileTestData.WriteFile(Kind, w =>
        {
            w.WriteSectionHeader(Reservoir.Readouts.Persistence.RidgeSolutionSerializer.Tag, 3);
            w.WriteMatrix(new[,] { { 0.5 } });
            w.WriteDoubles([0.0]);
            w.WriteBoolean(false);
            w.WriteDouble(0);
        });

        Assert.That(() => Load(file), Throws.TypeOf<ModelFormatException>().With.Message.Contains("has version 3"));
    }

    [Test]
    public void Read_NegativeLambda_Throws()
    {
        var file = Save(Solution());
        BitConverter.GetBytes(-1.0).CopyTo(file, file.Length - ModelFile.ChecksumLength - sizeof(double));

        Assert.That(() => Load(ModelFileTestData.Reseal(file)), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("Invalid ridge penalty").And.Message.Contains("-1 is negative"));
    }

    [Test]
    public void Read_InfiniteWeight_Throws()
    {
        var file = Save(Solution());
        var at = file.AsSpan().IndexOf(BitConverter.GetBytes(-7.5));
        BitConverter.GetBytes(double.PositiveInfinity).CopyTo(file, at);

        Assert.That(() => Load(ModelFileTestData.Reseal(file)), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("readout weights").And.Message.Contains("value 5 is Infinity"));
    }

    [Test]
    public void Read_InterceptLengthDiffersFromOutputs_Throws()
    {
        var file = ModelFileTestData.WriteFile(Kind, w =>
        {
            w.WriteSectionHeader(Reservoir.Readouts.Persistence.RidgeSolutionSerializer.Tag, Reservoir.Readouts.Persistence.RidgeSolutionSerializer.Version);
            w.WriteMatrix(new double[2, 3]);
            w.WriteDoubles([0.0]);
            w.WriteDouble(0);
        });

        Assert.That(() => Load(file), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("1 values are stored but 2 are expected"));
    }

    [Test]
    public void Read_EmptyWeights_Throws()
    {
        var file = ModelFileTestData.WriteFile(Kind, w =>
        {
            w.WriteSectionHeader(Reservoir.Readouts.Persistence.RidgeSolutionSerializer.Tag, Reservoir.Readouts.Persistence.RidgeSolutionSerializer.Version);
            w.WriteMatrix(new double[0, 3]);
            w.WriteDoubles([]);
            w.WriteDouble(0);
        });

        Assert.That(() => Load(file), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("it needs at least one output and one feature"));
    }
}
