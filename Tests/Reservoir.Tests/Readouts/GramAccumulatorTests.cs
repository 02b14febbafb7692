using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed partial class GramAccumulatorTests
{
    private const double RelativeTolerance = 1e-12;
    private const int Rows = 1000;
    private const int Features = 37;
    private const int Targets = 3;

    private double[] _features = [];
    private double[] _targets = [];

    [OneTimeSetUp]
    public void CreateData()
    {
        _features = ReadoutTestData.Random(Rows, Features, seed: 1, offset: 0.3);
        _targets = ReadoutTestData.Random(Rows, Targets, seed: 2, offset: -2);
    }

    [Test]
    public void Constructor_Sizes_ExposesShapeAndZeroCount()
    {
        var gram = new GramAccumulator(5, 2);

        Assert.Multiple(() =>
        {
            Assert.That(gram.FeatureCount, Is.EqualTo(5));
            Assert.That(gram.TargetCount, Is.EqualTo(2));
            Assert.That(gram.Count, Is.Zero);
            Assert.That(gram.GetFeatureMeans(), Is.EqualTo(new double[5]));
        });
    }

    [Test]
    public void Accumulate_OneCall_MatchesTwoPassReference()
    {
        var gram = new GramAccumulator(Features, Targets);

        gram.Accumulate(_features, _targets, Rows);

        AssertMatchesReference(gram, _features, _targets, Rows);
    }

    [Test]
    public void Accumulate_LargeFeatureMean_StaysAccurate()
    {
        // A naive Σxxᵀ − n x̄x̄ᵀ would lose all digits here; the centred update keeps them.
        var features = ReadoutTestData.Random(Rows, 4, seed: 5, offset: 1e8);
        var targets = ReadoutTestData.Random(Rows, 1, seed: 6, offset: 1e6);
        var gram = new GramAccumulator(4, 1);

        for (var start = 0; start < Rows; start += 100)
        {
            gram.Accumulate(features.AsSpan(start * 4, 100 * 4), targets.AsSpan(start, 100), 100);
        }

        AssertMatchesReference(gram, features, targets, Rows, relativeTolerance: 1e-8);
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(256)]
    [TestCase(300)]
    public void Accumulate_StreamedInBlocks_EqualsOneShot(int blockRows)
    {
        var oneShot = new GramAccumulator(Features, Targets);
        oneShot.Accumulate(_features, _targets, Rows);
        var streamed = new GramAccumulator(Features, Targets);

        for (var start = 0; start < Rows; start += blockRows)
        {
            var rows = Math.Min(blockRows, Rows - start);
            streamed.Accumulate(_features.AsSpan(start * Features, rows * Features), _targets.AsSpan(start * Targets, rows * Targets), rows);
        }

        AssertSameStatistics(streamed, oneShot);
    }

    [Test]
    public void Accumulate_MixedBlockSizes_EqualsOneShot()
    {
        var oneShot = new GramAccumulator(Features, Targets);
        oneShot.Accumulate(_features, _targets, Rows);
        var streamed = new GramAccumulator(Features, Targets);
        int[] sizes = [1, 2, 3, 250, 17, 300, 64];

        var start = 0;
        for (var b = 0; start < Rows; b++)
        {
            var rows = Math.Min(sizes[b % sizes.Length], Rows - start);
            streamed.Accumulate(_features.AsSpan(start * Features, rows * Features), _targets.AsSpan(start * Targets, rows * Targets), rows);
            start += rows;
        }

        AssertSameStatistics(streamed, oneShot);
    }

    [Test]
    public void Add_Shards_EqualsOneAccumulator()
    {
        var oneShot = new GramAccumulator(Features, Targets);
        oneShot.Accumulate(_features, _targets, Rows);
        int[] boundaries = [0, 1, 333, 700, Rows];
        var merged = new GramAccumulator(Features, Targets);

        for (var s = 0; s + 1 < boundaries.Length; s++)
        {
            var rows = boundaries[s + 1] - boundaries[s];
            var shard = new GramAccumulator(Features, Targets);
            shard.Accumulate(_features.AsSpan(boundaries[s] * Features, rows * Features),
                _targets.AsSpan(boundaries[s] * Targets, rows * Targets), rows);
            merged.Add(shard);
        }

        AssertSameStatistics(merged, oneShot);
    }

    [Test]
    public void Add_Empty_LeavesStatisticsUnchanged()
    {
        var gram = new GramAccumulator(Features, Targets);
        gram.Accumulate(_features, _targets, Rows);

        gram.Add(new GramAccumulator(Features, Targets));

        AssertMatchesReference(gram, _features, _targets, Rows);
    }

    [Test]
    public void Add_Itself_EqualsDataTwice()
    {
        var gram = new GramAccumulator(Features, Targets);
        gram.Accumulate(_features, _targets, Rows);
        var twice = new GramAccumulator(Features, Targets);
        twice.Accumulate(_features, _targets, Rows);
        twice.Accumulate(_features, _targets, Rows);

        gram.Add(gram);

        AssertSameStatistics(gram, twice);
    }

    [Test]
    public void Add_DoesNotChangeOther()
    {
        var other = new GramAccumulator(Features, Targets);
        other.Accumulate(_features, _targets, Rows);
        var gram = new GramAccumulator(Features, Targets);
        gram.Accumulate(_features.AsSpan(0, Features), _targets.AsSpan(0, Targets), 1);

        gram.Add(other);

        AssertMatchesReference(other, _features, _targets, Rows);
    }

    [Test]
    public void Reset_AfterRows_ForgetsEverything()
    {
        var gram = new GramAccumulator(Features, Targets);
        gram.Accumulate(_features, _targets, Rows);

        gram.Reset();
        gram.Accumulate(_features.AsSpan(0, 10 * Features), _targets.AsSpan(0, 10 * Targets), 10);

        AssertMatchesReference(gram, _features[..(10 * Features)], _targets[..(10 * Targets)], 10);
    }

    [Test]
    public void Accumulate_AfterFirstBlock_AllocatesNothing()
    {
        var gram = new GramAccumulator(Features, Targets);
        gram.Accumulate(_features.AsSpan(0, 256 * Features), _targets.AsSpan(0, 256 * Targets), 256);

        var allocated = Allocations.Fewest(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                gram.Accumulate(_features.AsSpan(0, 256 * Features), _targets.AsSpan(0, 256 * Targets), 256);
                gram.Accumulate(_features.AsSpan(0, 5 * Features), _targets.AsSpan(0, 5 * Targets), 5);
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    private static void AssertMatchesReference(GramAccumulator gram, double[] features, double[] targets, int rows,
        double relativeTolerance = RelativeTolerance)
    {
        var d = gram.FeatureCount;
        var k = gram.TargetCount;
        var cxx = ReadoutTestData.Comoments(features, d, features, d, rows);
        var cxy = ReadoutTestData.Comoments(features, d, targets, k, rows);
        var cyy = ReadoutTestData.Comoments(targets, k, targets, k, rows);
        var featureMeans = ReadoutTestData.Means(features, rows, d);
        var targetMeans = ReadoutTestData.Means(targets, rows, k);

        Assert.That(gram.Count, Is.EqualTo(rows));
        AssertClose(gram.FeatureMeans, featureMeans, relativeTolerance, "feature means");
        AssertClose(gram.TargetMeans, targetMeans, relativeTolerance, "target means");
        AssertClose(Upper(gram.FeatureComoments, d), Upper(cxx, d), relativeTolerance, "Cxx");
        AssertClose(gram.CrossComoments, cxy, relativeTolerance, "Cxy");
        var diagonal = new double[k];
        for (var t = 0; t < k; t++)
        {
            diagonal[t] = cyy[t * k + t];
        }

        AssertClose(gram.TargetSquaredDeviations, diagonal, relativeTolerance, "Σ(y − ȳ)²");
    }

    private static void AssertSameStatistics(GramAccumulator actual, GramAccumulator expected,
        double relativeTolerance = RelativeTolerance)
    {
        var d = expected.FeatureCount;
        Assert.That(actual.Count, Is.EqualTo(expected.Count));
        AssertClose(actual.FeatureMeans, expected.FeatureMeans.ToArray(), relativeTolerance, "feature means");
        AssertClose(actual.TargetMeans, expected.TargetMeans.ToArray(), relativeTolerance, "target means");
        AssertClose(Upper(actual.FeatureComoments, d), Upper(expected.FeatureComoments, d), relativeTolerance, "Cxx");
        AssertClose(actual.CrossComoments, expected.CrossComoments.ToArray(), relativeTolerance, "Cxy");
        AssertClose(actual.TargetSquaredDeviations, expected.TargetSquaredDeviations.ToArray(), relativeTolerance, "Σ(y − ȳ)²");
    }

    /// <summary>Each value within relativeTolerance × the largest |expected|.</summary>
    private static void AssertClose(ReadOnlySpan<double> actual, double[] expected, double relativeTolerance, string what)
    {
        var tolerance = relativeTolerance * Math.Max(ReadoutTestData.MaxAbs(expected), double.Epsilon);
        Assert.That(actual.ToArray(), Is.EqualTo(expected).Within(tolerance), what);
    }

    private static double[] Upper(ReadOnlySpan<double> square, int n)
    {
        var upper = new List<double>();
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                upper.Add(square[i * n + j]);
            }
        }

        return [.. upper];
    }
}
