using System.Collections.Concurrent;
using NUnit.Framework;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    /// <summary>One block handed out by a streamed run: where it starts, its rows, and the bits of its states and inputs.</summary>
    private sealed record Block(int FirstStep, int RowCount, long[] States, double[] Inputs);

    private static List<double[,]> MixedLengths(int count, int dimension, int seed) =>
        Enumerable.Range(0, count).Select(i => TestData.Uniform(9 + (i * 11) % 29, dimension, seed + i)).ToList();

    private static Block Record(in StateBlock block) =>
        new(block.FirstStep, block.RowCount, ReservoirKernelsTests.Bits(block.States), block.Inputs.ToArray());

    private static List<Block> StreamAlone(EchoStateReservoir reservoir, int sequence, double[,] inputs, int washoutSteps,
        double[,]? teacher, int blockSize)
    {
        var blocks = new List<Block>();
        reservoir.RunStreamed(reservoir.CreateState(sequence), inputs, (in StateBlock block) => blocks.Add(Record(block)),
            washoutSteps, teacher, blockSize);
        return blocks;
    }

    private static ConcurrentDictionary<int, List<Block>> StreamMany(EchoStateReservoir reservoir, IReadOnlyList<double[,]> sequences,
        int washoutSteps, IReadOnlyList<double[,]>? teachers, int maxDegreeOfParallelism, int blockSize)
    {
        var blocks = new ConcurrentDictionary<int, List<Block>>();
        reservoir.RunStreamed(sequences, (int sequence, in StateBlock block) =>
            blocks.GetOrAdd(sequence, _ => []).Add(Record(block)), washoutSteps, teachers, maxDegreeOfParallelism, blockSize);
        return blocks;
    }

    [TestCase(1, 7)]
    [TestCase(-1, 7)]
    [TestCase(-1, 1)]
    [TestCase(2, 1000)]
    public void RunStreamed_ManySequencesWithTeachers_BitIdenticalToOneByOne(int maxDegreeOfParallelism, int blockSize)
    {
        var reservoir = new EchoStateReservoir(Featureful(61));
        var sequences = MixedLengths(41, 2, 300);
        var teachers = sequences.Select((s, i) => TestData.Uniform(s.GetLength(0), 1, 700 + i)).ToList();

        var many = StreamMany(reservoir, sequences, 3, teachers, maxDegreeOfParallelism, blockSize);

        Assert.That(many.Keys.Order(), Is.EqualTo(Enumerable.Range(0, sequences.Count)));
        for (var i = 0; i < sequences.Count; i++)
        {
            var alone = StreamAlone(reservoir, i, sequences[i], 3, teachers[i], blockSize);
            Assert.That(many[i], Has.Count.EqualTo(alone.Count), $"sequence {i}");
            for (var k = 0; k < alone.Count; k++)
            {
                Assert.That(many[i][k].FirstStep, Is.EqualTo(alone[k].FirstStep), $"sequence {i}, block {k}");
                Assert.That(many[i][k].RowCount, Is.EqualTo(alone[k].RowCount), $"sequence {i}, block {k}");
                Assert.That(many[i][k].States, Is.EqualTo(alone[k].States), $"sequence {i}, block {k}");
                Assert.That(many[i][k].Inputs, Is.EqualTo(alone[k].Inputs), $"sequence {i}, block {k}");
            }
        }
    }

    [Test]
    public void RunStreamed_ManySequencesWithTeachers_DifferFromZeroFeedback()
    {
        var reservoir = new EchoStateReservoir(Featureful(37));
        var sequences = MixedLengths(6, 2, 40);
        var teachers = sequences.Select((s, i) => TestData.Uniform(s.GetLength(0), 1, 50 + i)).ToList();

        var taught = StreamMany(reservoir, sequences, 0, teachers, 1, 1000);
        var untaught = StreamMany(reservoir, sequences, 0, null, 1, 1000);

        Assert.That(taught[0][0].States, Is.Not.EqualTo(untaught[0][0].States), "the teacher outputs are fed back");
    }

    [TestCase(1)]
    [TestCase(-1)]
    public void RunStreamed_ManySequencesWithoutTeachers_ConcatenatedBlocksEqualRun(int maxDegreeOfParallelism)
    {
        var reservoir = new EchoStateReservoir(Featureful(45));
        var sequences = MixedLengths(37, 2, 500);

        var many = StreamMany(reservoir, sequences, 5, null, maxDegreeOfParallelism, 4);
        var run = reservoir.Run(sequences, 5, maxDegreeOfParallelism);

        for (var i = 0; i < sequences.Count; i++)
        {
            Assert.That(many[i].SelectMany(b => b.States), Is.EqualTo(ReservoirKernelsTests.Bits(Flat(run[i]))), $"sequence {i}");
        }
    }

    [TestCase(1, 20, 5)]
    [TestCase(4, 20, 5)]
    [TestCase(15, 20, 5)]
    [TestCase(16, 20, 5)]
    [TestCase(1000, 20, 0)]
    public void RunStreamed_ManySequences_BlocksCutEveryBlockSizeRowsInStepOrder(int blockSize, int length, int washoutSteps)
    {
        var reservoir = new EchoStateReservoir(Small());
        var sequences = new[] { TestData.Uniform(length, 2, 1), TestData.Uniform(length - 3, 2, 2), TestData.Uniform(length + 1, 2, 3) };

        var many = StreamMany(reservoir, sequences, washoutSteps, null, 1, blockSize);

        for (var i = 0; i < sequences.Length; i++)
        {
            var total = sequences[i].GetLength(0);
            var expectedFirst = new List<int>();
            for (var first = washoutSteps; first < total; first += blockSize)
            {
                expectedFirst.Add(first);
            }

            Assert.That(many[i].Select(b => b.FirstStep), Is.EqualTo(expectedFirst), $"sequence {i}");
            Assert.That(many[i].Select(b => b.RowCount),
                Is.EqualTo(expectedFirst.Select(first => Math.Min(blockSize, total - first))), $"sequence {i}");
            foreach (var block in many[i])
            {
                Assert.That(block.Inputs, Is.EqualTo(Enumerable.Range(block.FirstStep * 2, block.RowCount * 2)
                    .Select(k => sequences[i][k / 2, k % 2])), $"sequence {i} from {block.FirstStep}");
            }
        }
    }

    [Test]
    public void RunStreamed_ManySequencesInParallel_NeverCallsTheHandlerTwiceAtOnceForOneSequence()
    {
        var reservoir = new EchoStateReservoir(Small());
        var sequences = MixedLengths(70, 2, 900);
        var inside = new int[sequences.Count];
        var nextStep = new int[sequences.Count];
        var overlaps = 0;
        var outOfOrder = 0;
        Array.Fill(nextStep, 2);

        reservoir.RunStreamed(sequences, (int sequence, in StateBlock block) =>
        {
            if (Interlocked.Increment(ref inside[sequence]) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            if (block.FirstStep != nextStep[sequence])
            {
                Interlocked.Increment(ref outOfOrder);
            }

            nextStep[sequence] = block.FirstStep + block.RowCount;
            Thread.SpinWait(2000);
            Interlocked.Decrement(ref inside[sequence]);
        }, washoutSteps: 2, maxDegreeOfParallelism: 4, blockSize: 3);

        Assert.That(overlaps, Is.Zero);
        Assert.That(outOfOrder, Is.Zero);
        Assert.That(nextStep, Is.EqualTo(sequences.Select(s => s.GetLength(0))), "every state was handed out");
    }

    [Test]
    public void RunStreamed_HandlerThrows_ExceptionReachesTheCaller()
    {
        var reservoir = new EchoStateReservoir(Small());
        var sequences = MixedLengths(3, 2, 10);

        var error = Assert.Throws<InvalidDataException>(() => reservoir.RunStreamed(sequences,
            (int sequence, in StateBlock block) => throw new InvalidDataException("handler"), maxDegreeOfParallelism: 1));

        Assert.That(error!.Message, Is.EqualTo("handler"));
    }

    [Test]
    public void RunStreamed_ManySequencesOneDiverges_ThrowsNamingSequenceAndStep()
    {
        var reservoir = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = TestData.Diagonal(1, 1e200), Input = TestData.Ones(1), LeakRates = [1.0], Activation = Activation.Identity,
        });
        var calm = new double[5, 1];
        var diverging = new double[5, 1];
        diverging[0, 0] = 1.0;

        var error = Assert.Throws<InvalidOperationException>(() =>
            reservoir.RunStreamed([calm, diverging, calm], (int sequence, in StateBlock block) => { }, maxDegreeOfParallelism: 1));

        Assert.That(error!.Message, Does.Contain("sequence 1").And.Contain("step 3"));
    }

    [Test]
    public void RunStreamed_NoSequences_NeverCallsTheHandler()
    {
        var reservoir = new EchoStateReservoir(Small());
        var calls = 0;

        reservoir.RunStreamed([], (int sequence, in StateBlock block) => calls++);

        Assert.That(calls, Is.Zero);
    }

    private static SequenceBlockHandler Ignore => (int sequence, in StateBlock block) => { };

    [Test]
    public void RunStreamed_NullSequencesOrHandler_Throws()
    {
        var reservoir = new EchoStateReservoir(Small());

        Assert.That(Assert.Throws<ArgumentNullException>(() => reservoir.RunStreamed(null!, Ignore))!.ParamName,
            Is.EqualTo("sequences"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => reservoir.RunStreamed([new double[3, 2]], null!))!.ParamName,
            Is.EqualTo("handler"));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void RunStreamed_ManySequencesBlockSizeBelowOne_Throws(int blockSize)
    {
        var reservoir = new EchoStateReservoir(Small());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            reservoir.RunStreamed([new double[3, 2]], Ignore, blockSize: blockSize));

        Assert.That(error!.ParamName, Is.EqualTo("blockSize"));
        Assert.That(error.Message, Does.Contain($"was {blockSize}"));
    }

    [TestCase(0)]
    [TestCase(-2)]
    public void RunStreamed_ManySequencesBadParallelism_Throws(int maxDegreeOfParallelism)
    {
        var reservoir = new EchoStateReservoir(Small());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            reservoir.RunStreamed([new double[3, 2]], Ignore, maxDegreeOfParallelism: maxDegreeOfParallelism));

        Assert.That(error!.ParamName, Is.EqualTo("maxDegreeOfParallelism"));
    }

    [Test]
    public void RunStreamed_ManySequencesOneBad_ThrowsNamingTheSequence()
    {
        var reservoir = new EchoStateReservoir(Small());
        var calls = 0;
        double[][,] sequences = [new double[5, 2], new double[5, 3]];

        var error = Assert.Throws<ArgumentException>(() =>
            reservoir.RunStreamed(sequences, (int sequence, in StateBlock block) => calls++));

        Assert.That(error!.ParamName, Is.EqualTo("sequences"));
        Assert.That(error.Message, Does.StartWith("sequences[1]").And.Contain("3 features"));
        Assert.That(calls, Is.Zero, "nothing runs before every sequence is checked");
    }

    [Test]
    public void RunStreamed_ManySequencesNullSequence_ThrowsNamingTheSequence()
    {
        var reservoir = new EchoStateReservoir(Small());

        var error = Assert.Throws<ArgumentException>(() => reservoir.RunStreamed([new double[5, 2], null!], Ignore));

        Assert.That(error!.ParamName, Is.EqualTo("sequences"));
        Assert.That(error.Message, Does.StartWith("sequences[1]"));
    }

    [Test]
    public void RunStreamed_ManySequencesTooShortForWashout_ThrowsNamingTheSequence()
    {
        var reservoir = new EchoStateReservoir(Small());

        var error = Assert.Throws<ArgumentException>(() =>
            reservoir.RunStreamed([new double[9, 2], new double[4, 2]], Ignore, washoutSteps: 4));

        Assert.That(error!.ParamName, Is.EqualTo("sequences"));
        Assert.That(error.Message, Does.StartWith("sequences[1]").And.Contain("was 4"));
    }

    [Test]
    public void RunStreamed_TeachersWithoutFeedback_Throws()
    {
        var reservoir = new EchoStateReservoir(Small());

        var error = Assert.Throws<ArgumentException>(() =>
            reservoir.RunStreamed([new double[5, 2]], Ignore, teacherOutputs: [new double[5, 1]]));

        Assert.That(error!.ParamName, Is.EqualTo("teacherOutputs"));
        Assert.That(error.Message, Does.Contain("no feedback"));
    }

    [Test]
    public void RunStreamed_TeacherCountDiffers_Throws()
    {
        var reservoir = new EchoStateReservoir(Featureful(20));

        var error = Assert.Throws<ArgumentException>(() =>
            reservoir.RunStreamed([new double[5, 2], new double[5, 2]], Ignore, teacherOutputs: [new double[5, 1]]));

        Assert.That(error!.ParamName, Is.EqualTo("teacherOutputs"));
        Assert.That(error.Message, Does.Contain("1 sequences but sequences has 2"));
    }

    [Test]
    public void RunStreamed_OneTeacherWrongShape_ThrowsNamingIt()
    {
        var reservoir = new EchoStateReservoir(Featureful(20));

        var error = Assert.Throws<ArgumentException>(() => reservoir.RunStreamed([new double[5, 2], new double[6, 2]], Ignore,
            teacherOutputs: [new double[5, 1], new double[5, 1]]));

        Assert.That(error!.ParamName, Is.EqualTo("teacherOutputs"));
        Assert.That(error.Message, Does.StartWith("teacherOutputs[1]").And.Contain("expected 6×1"));
    }

    [Test]
    public void RunStreamed_OneTeacherNull_ThrowsNamingIt()
    {
        var reservoir = new EchoStateReservoir(Featureful(20));

        var error = Assert.Throws<ArgumentException>(() => reservoir.RunStreamed([new double[5, 2], new double[6, 2]], Ignore,
            teacherOutputs: [null!, new double[6, 1]]));

        Assert.That(error!.ParamName, Is.EqualTo("teacherOutputs"));
        Assert.That(error.Message, Does.StartWith("teacherOutputs[0] is null"));
    }

    [Test]
    public void RunStreamed_OneTeacherNonFinite_ThrowsNamingIt()
    {
        var reservoir = new EchoStateReservoir(Featureful(20));
        var bad = new double[6, 1];
        bad[3, 0] = double.PositiveInfinity;

        var error = Assert.Throws<ArgumentException>(() => reservoir.RunStreamed([new double[5, 2], new double[6, 2]], Ignore,
            teacherOutputs: [new double[5, 1], bad]));

        Assert.That(error!.ParamName, Is.EqualTo("teacherOutputs"));
        Assert.That(error.Message, Does.StartWith("teacherOutputs[1]"));
    }
}
