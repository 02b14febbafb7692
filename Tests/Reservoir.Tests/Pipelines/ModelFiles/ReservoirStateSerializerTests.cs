using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines.ModelFiles;

[TestFixture]
public sealed class ReservoirStateSerializerTests
{
    private const string Kind = "ReservoirState";
    private const int WarmUpSteps = 23;
    private const int ResumeSteps = 150;
    private const int NoiseWordsLength = 4 * sizeof(ulong);

    private static byte[] SaveState(ReservoirState state) =>
        ModelFileTestData.WriteFile(Kind, w => w.WriteReservoirState(state));

    private static ReservoirState LoadState(byte[] file, EchoStateReservoir reservoir) =>
        ModelFileTestData.ReadFile(file, Kind, r => r.ReadReservoirState(reservoir));

    private static IEnumerable<TestCaseData> ResumeCases()
    {
        var basic = new ReservoirOptions { UnitCount = 30, Seed = 21, InputDimension = 2, LeakRates = 0.4, StateNoise = 0.01 };
        yield return new TestCaseData(basic).SetArgDisplayNames("StateNoise");
        yield return new TestCaseData(basic with { SkipConnections = [new SkipConnection { Delay = 6 }] }).SetArgDisplayNames("SkipConnection");
        yield return new TestCaseData(basic with { Clockwork = new ClockworkOptions { Periods = [1, 3, 5] } }).SetArgDisplayNames("Clockwork");
        yield return new TestCaseData(basic with { FeedbackDimension = 1, FeedbackScaling = 0.5 }).SetArgDisplayNames("Feedback");
        yield return new TestCaseData(ModelFileTestData.RichOptions()).SetArgDisplayNames("EveryFeature");
    }

    [TestCaseSource(nameof(ResumeCases))]
    public void RoundTrip_MidRun_ResumesBitIdentically(ReservoirOptions options)
    {
        var reservoir = new EchoStateReservoir(options);
        var state = reservoir.CreateState();
        var teacher = options.FeedbackDimension > 0 ? TestData.Uniform(WarmUpSteps, options.FeedbackDimension, 4, 0.5) : null;
        reservoir.Run(state, TestData.Uniform(WarmUpSteps, options.InputDimension, 3), 0, teacher);
        var inputs = TestData.Uniform(ResumeSteps, options.InputDimension, 5);

        var loaded = LoadState(SaveState(state), reservoir);

        Assert.That(loaded.StepCount, Is.EqualTo(state.StepCount));
        Assert.That(loaded.LastFeedback.ToArray(), Is.EqualTo(state.LastFeedback.ToArray()));
        Assert.That(reservoir.Run(loaded, inputs), Is.EqualTo(reservoir.Run(state, inputs)));
    }

    [Test]
    public void RoundTrip_WithReservoirInOneFile_ResumesOnTheLoadedReservoir()
    {
        var reservoir = new EchoStateReservoir(ModelFileTestData.RichOptions());
        var state = reservoir.CreateState(noiseStream: 3);
        reservoir.Run(state, TestData.Uniform(WarmUpSteps, 2, 3));
        var inputs = TestData.Uniform(ResumeSteps, 2, 5);

        var (loadedReservoir, loadedState) = ModelFileTestData.LoadReservoirAndState(ModelFileTestData.SaveReservoirAndState(reservoir, state));

        Assert.That(loadedReservoir.Run(loadedState, inputs), Is.EqualTo(reservoir.Run(state, inputs)));
    }

    [Test]
    public void RoundTrip_OtherNoiseStream_WouldDivergeSoTheNoiseWordsMatter()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = 10, Seed = 2, StateNoise = 0.05 });
        var state = reservoir.CreateState();
        reservoir.Run(state, TestData.Uniform(WarmUpSteps, 1, 3));
        var inputs = TestData.Uniform(ResumeSteps, 1, 5);
        var loaded = LoadState(SaveState(state), reservoir);
        var fresh = reservoir.CreateState();
        fresh.SetValues(state.Values);

        var resumed = reservoir.Run(loaded, inputs);

        Assert.That(resumed, Is.EqualTo(reservoir.Run(state, inputs)));
        Assert.That(resumed, Is.Not.EqualTo(reservoir.Run(fresh, inputs)));
    }

    [Test]
    public void Read_ForReservoirOfOtherSize_ThrowsNamingBothSizes()
    {
        var small = new EchoStateReservoir(new ReservoirOptions { UnitCount = 10, Seed = 1 });
        var large = new EchoStateReservoir(new ReservoirOptions { UnitCount = 12, Seed = 1 });
        var file = SaveState(small.CreateState());

        Assert.That(() => LoadState(file, large), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("is for 10 units, 0 fed-back outputs and 0 delay slots, but the reservoir has 12, 0 and 0"));
    }

    [Test]
    public void Read_AllZeroNoiseWords_Throws()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = 5, Seed = 1 });
        var file = SaveState(reservoir.CreateState());
        Array.Clear(file, file.Length - ModelFile.ChecksumLength - NoiseWordsLength, NoiseWordsLength);

        Assert.That(() => LoadState(ModelFileTestData.Reseal(file), reservoir), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("all four words are zero"));
    }

    [Test]
    public void Read_NegativeStepCount_Throws()
    {
        const int StepCountOffset = 4 + 14 + 2 + 3 * sizeof(int);
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = 5, Seed = 1 });
        var file = SaveState(reservoir.CreateState());
        BitConverter.GetBytes(-1L).CopyTo(file, ModelFileTestData.PayloadOffset(Kind) + StepCountOffset);

        Assert.That(() => LoadState(ModelFileTestData.Reseal(file), reservoir), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("Invalid step count").And.Message.Contains("-1 is negative"));
    }
}
