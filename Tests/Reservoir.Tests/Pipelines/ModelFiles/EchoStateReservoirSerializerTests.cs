using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class EchoStateReservoirSerializerTests
{
    private const string Kind = "EchoStateReservoir";
    private const int Steps = 200;
    private const int InputSeed = 17;

    /// <summary>A leak rate no other weight uses, so that its bytes can be found in the file.</summary>
    private const double MarkerLeakRate = 0.4375;

    private static EchoStateReservoir RoundTrip(EchoStateReservoir reservoir)
    {
        var file = ModelFileTestData.WriteFile(Kind, w => w.WriteReservoir(reservoir));
        return ModelFileTestData.ReadFile(file, Kind, r => r.ReadReservoir());
    }

    private static IEnumerable<TestCaseData> OptionsCases()
    {
        var basic = new ReservoirOptions { UnitCount = 40, Seed = 3, InputDimension = 2, LeakRates = 0.3 };
        yield return new TestCaseData(basic).SetArgDisplayNames("ConstantLeakRate");
        yield return new TestCaseData(basic with { LeakRates = LeakRateDistribution.LogUniformTimeConstants(1, 50) })
            .SetArgDisplayNames("PerUnitLeakRates");
        yield return new TestCaseData(basic with { SkipConnections = [new SkipConnection { Delay = 3 }, new SkipConnection { Delay = 7 }] })
            .SetArgDisplayNames("SkipConnections");
        yield return new TestCaseData(basic with { Clockwork = new ClockworkOptions { Periods = [1, 2, 8] } })
            .SetArgDisplayNames("Clockwork");
        yield return new TestCaseData(basic with { FeedbackDimension = 2, FeedbackScaling = 0.3 })
            .SetArgDisplayNames("Feedback");
        yield return new TestCaseData(basic with { StateNoise = 0.05 }).SetArgDisplayNames("StateNoise");
        yield return new TestCaseData(ModelFileTestData.RichOptions()).SetArgDisplayNames("EveryFeature");
        yield return new TestCaseData(basic with { Activation = Activation.Identity, SpectralRadius = 0.5, BiasScaling = 0 })
            .SetArgDisplayNames("LinearWithoutBias");
        yield return new TestCaseData(basic with { Activation = Activation.Sigmoid }).SetArgDisplayNames("Sigmoid");
    }

    [TestCaseSource(nameof(OptionsCases))]
    public void RoundTrip_BuiltFromOptions_RunsIdenticallyAndKeepsOptions(ReservoirOptions options)
    {
        var original = new EchoStateReservoir(options);

        var loaded = RoundTrip(original);

        ModelFileTestData.AssertRunsIdentical(original, loaded, Steps, InputSeed);
        Assert.That(loaded.Options, Is.Not.Null);
        ModelFileTestData.AssertOptionsEqual(options, loaded.Options!);
    }

    [Test]
    public void RoundTrip_EveryFeature_WeightsAndObservablesIdentical()
    {
        var original = new EchoStateReservoir(ModelFileTestData.RichOptions());

        var loaded = RoundTrip(original);

        Assert.That(loaded.RecurrentWeights.NonZeros(), Is.EqualTo(original.RecurrentWeights.NonZeros()));
        Assert.That(loaded.GetInputWeights(), Is.EqualTo(original.GetInputWeights()));
        Assert.That(loaded.GetFeedbackWeights(), Is.EqualTo(original.GetFeedbackWeights()));
        Assert.That(loaded.LeakRates.ToArray(), Is.EqualTo(original.LeakRates.ToArray()));
        Assert.That(loaded.Bias.ToArray(), Is.EqualTo(original.Bias.ToArray()));
        Assert.That(loaded.SkipWeights.Select(s => s.Delay), Is.EqualTo(original.SkipWeights.Select(s => s.Delay)));
        for (var s = 0; s < original.SkipWeights.Length; s++)
        {
            Assert.That(loaded.SkipWeights[s].Weights.NonZeros(), Is.EqualTo(original.SkipWeights[s].Weights.NonZeros()));
        }

        Assert.That(loaded.ClockworkPeriods, Is.EqualTo(original.ClockworkPeriods));
        Assert.That(loaded.ClockworkModuleStarts, Is.EqualTo(original.ClockworkModuleStarts));
        Assert.That(loaded.Activation, Is.EqualTo(original.Activation));
        Assert.That(loaded.StateNoise, Is.EqualTo(original.StateNoise));
        Assert.That(loaded.SpectralRadius, Is.EqualTo(original.SpectralRadius));
    }

    [Test]
    public void RoundTrip_FromWeightsWithNoise_KeepsNullOptionsAndNoiseSeed()
    {
        const int NoiseSeed = 987654;
        var original = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = SparseWeights.FromTriplets(3, 3, [0, 1, 2, 2], [1, 2, 0, 2], [0.5, -0.4, 0.3, 0.0]),
            Input = SparseWeights.FromDense(new double[,] { { 1 }, { -0.5 }, { 0.25 } }),
            LeakRates = [1.0, 0.5, 0.1],
            Feedback = SparseWeights.FromDense(new double[,] { { 0.1 }, { 0 }, { -0.2 } }),
            Skip = [new DelayedWeights(4, TestData.Diagonal(3, 0.2))],
            Clockwork = new ClockworkOptions { Periods = [1, 2], ModuleSizes = [1, 2] },
            Activation = Activation.Tanh,
            StateNoise = 0.02,
            Seed = NoiseSeed,
        });

        var loaded = RoundTrip(original);

        Assert.That(loaded.Options, Is.Null);
        Assert.That(loaded.NoiseSeed, Is.EqualTo(NoiseSeed));
        Assert.That(loaded.RecurrentWeights.NonZeroCount, Is.EqualTo(4), "the explicit zero is kept");
        ModelFileTestData.AssertRunsIdentical(original, loaded, Steps, InputSeed);
    }

    [Test]
    public void RoundTrip_StateNoise_DiffersFromANoiselessRunSoTheNoiseIsExercised()
    {
        var options = new ReservoirOptions { UnitCount = 20, Seed = 9, StateNoise = 0.05 };
        var inputs = TestData.Uniform(Steps, 1, InputSeed);
        var loaded = RoundTrip(new EchoStateReservoir(options));

        var noisy = loaded.Run(inputs);
        var quiet = new EchoStateReservoir(options with { StateNoise = 0 }).Run(inputs);

        Assert.That(noisy, Is.Not.EqualTo(quiet));
    }

    [Test]
    public void Read_LeakRateAboveOne_ThrowsModelFormatException()
    {
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Zero(2), Input = TestData.Ones(2), LeakRates = [1.0, MarkerLeakRate],
        });
        var file = ModelFileTestData.WriteFile(Kind, w => w.WriteReservoir(reservoir));
        var at = file.AsSpan().IndexOf(BitConverter.GetBytes(MarkerLeakRate));
        BitConverter.GetBytes(1.5).CopyTo(file, at);

        Assert.That(() => ModelFileTestData.ReadFile(ModelFileTestData.Reseal(file), Kind, r => r.ReadReservoir()),
            Throws.TypeOf<ModelFormatException>().With.Message.StartsWith("Invalid leak rate of unit 1").And.Message.Contains("1.5 is outside (0, 1]"));
    }

    [Test]
    public void Read_OptionsThatDoNotDescribeTheWeights_ThrowsModelFormatException()
    {
        var options = new ReservoirOptions { UnitCount = 10, Seed = 1 };
        var reservoir = new EchoStateReservoir(options);
        var file = ModelFileTestData.WriteFile(Kind, w => w.WriteReservoir(reservoir));
        var seedBytes = new byte[] { 1, 0, 0, 0 };
        var optionsUnitCount = file.AsSpan().IndexOf("ReservoirOptions"u8) + "ReservoirOptions"u8.Length + sizeof(ushort);
        BitConverter.GetBytes(11).CopyTo(file, optionsUnitCount);

        Assert.That(file.AsSpan(optionsUnitCount + sizeof(int), sizeof(int)).ToArray(), Is.EqualTo(seedBytes), "layout: seed follows the unit count");
        Assert.That(() => ModelFileTestData.ReadFile(ModelFileTestData.Reseal(file), Kind, r => r.ReadReservoir()),
            Throws.TypeOf<ModelFormatException>().With.Message.Contains("the saved options do not describe the saved weights"));
    }

    // The sparse layout is read inside Reservoir, by its own copy of the model reader.
    private static Reservoir.Persistence.ModelReader Csr(int[] pointers, int[] columns, double[] values, int n = 2)
    {
        var writer = new Reservoir.Persistence.ModelWriter();
        writer.WriteInt32(n);
        writer.WriteInt32(n);
        writer.WriteInt32s(pointers);
        writer.WriteInt32s(columns);
        writer.WriteDoubles(values);
        return new Reservoir.Persistence.ModelReader(writer.WrittenSpan.ToArray());
    }

    [Test]
    public void ReadSparse_ValidLayout_ReadsTheMatrix()
    {
        var matrix = Reservoir.Persistence.EchoStateReservoirSerializer.ReadSparse(Csr([0, 1, 3], [1, 0, 1], [0.5, -1, 2]), "W", 2);

        Assert.That(matrix.ToDense(), Is.EqualTo(new double[,] { { 0, 0.5 }, { -1, 2 } }));
    }

    private static IEnumerable<TestCaseData> InvalidCsrCases()
    {
        yield return new TestCaseData(new[] { 0, 1 }, new[] { 0 }, new[] { 1.0 }, "row pointers").SetArgDisplayNames("TooFewRowPointers");
        yield return new TestCaseData(new[] { 1, 1, 2 }, new[] { 0, 1 }, new[] { 1.0, 2.0 }, "run from 1").SetArgDisplayNames("FirstPointerNotZero");
        yield return new TestCaseData(new[] { 0, 1, 1 }, new[] { 0, 1 }, new[] { 1.0, 2.0 }, "row pointers run from 0 to 1").SetArgDisplayNames("LastPointerNotEntryCount");
        yield return new TestCaseData(new[] { 0, 3, 2 }, new[] { 0, 1 }, new[] { 1.0, 2.0 }, "row pointer 1 is 3, past the 2 stored values").SetArgDisplayNames("PointerPastTheEntries");
        yield return new TestCaseData(new[] { 0, 1, 2 }, new[] { 0, 2 }, new[] { 1.0, 2.0 }, "column index 2").SetArgDisplayNames("ColumnOutOfRange");
        yield return new TestCaseData(new[] { 0, 1, 2 }, new[] { -1, 0 }, new[] { 1.0, 2.0 }, "column index -1").SetArgDisplayNames("NegativeColumn");
        yield return new TestCaseData(new[] { 0, 2, 2 }, new[] { 1, 0 }, new[] { 1.0, 2.0 }, "strictly increasing").SetArgDisplayNames("UnsortedColumns");
        yield return new TestCaseData(new[] { 0, 2, 2 }, new[] { 1, 1 }, new[] { 1.0, 2.0 }, "strictly increasing").SetArgDisplayNames("DuplicateColumns");
        yield return new TestCaseData(new[] { 0, 1, 2 }, new[] { 0, 1 }, new[] { 1.0 }, "as many indices as values").SetArgDisplayNames("IndexAndValueCountsDiffer");
        yield return new TestCaseData(new[] { 0, 1, 2 }, new[] { 0, 1 }, new[] { 1.0, double.NaN }, "value 1 is NaN").SetArgDisplayNames("NaNValue");
    }

    [TestCaseSource(nameof(InvalidCsrCases))]
    public void ReadSparse_InvalidLayout_ThrowsNamingTheProblem(int[] pointers, int[] columns, double[] values, string expected)
    {
        Assert.That(() => Reservoir.Persistence.EchoStateReservoirSerializer.ReadSparse(Csr(pointers, columns, values), "W", 2),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(expected));
    }

    [Test]
    public void ReadSparse_DecreasingPointers_Throws()
    {
        Assert.That(() => Reservoir.Persistence.EchoStateReservoirSerializer.ReadSparse(Csr([0, 2, 1, 2], [0, 1], [1.0, 2.0], n: 3), "W", 3),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("row pointer 2 is 1 after 2; the pointers must not decrease"));
    }

    [Test]
    public void ReadSparse_OtherSize_Throws()
    {
        Assert.That(() => Reservoir.Persistence.EchoStateReservoirSerializer.ReadSparse(Csr([0, 0, 0, 0], [], [], n: 3), "W", 2),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("the matrix is 3×3 but 2×2 is expected"));
    }
}
