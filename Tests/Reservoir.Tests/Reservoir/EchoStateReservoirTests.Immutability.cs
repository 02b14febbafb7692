using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Tests.Pipelines.ModelFiles;

namespace Reservoir.Tests;

public sealed partial class EchoStateReservoirTests
{
    private const string ReservoirKind = "EchoStateReservoir";

    private static EchoStateReservoir SaveAndLoad(EchoStateReservoir reservoir)
    {
        var file = ModelFileTestData.WriteFile(ReservoirKind, w => w.WriteReservoir(reservoir));
        return ModelFileTestData.ReadFile(file, ReservoirKind, r => r.ReadReservoir());
    }

    private static ReservoirOptions Clockwork() => Small() with
    {
        Clockwork = new ClockworkOptions { Periods = [1, 3, 9], ModuleSizes = [10, 20, 30] },
        SkipConnections = [new SkipConnection { Delay = 4, Connectivity = 0.3 }],
    };

    [Test]
    public void Constructor_CallerChangesSkipConnectionsAfterwards_SavedFileStillLoads()
    {
        // The array stays the caller's: wrapping it without a copy is what a mutable list did before.
        var skips = new[] { new SkipConnection { Delay = 10 } };
        var reservoir = new EchoStateReservoir(Small() with { SkipConnections = ImmutableCollectionsMarshal.AsImmutableArray(skips) });

        skips[0] = new SkipConnection { Delay = 3 };
        var loaded = SaveAndLoad(reservoir);

        Assert.That(reservoir.Options!.SkipConnections.Select(s => s.Delay), Is.EqualTo(new[] { 10 }));
        Assert.That(loaded.SkipWeights.Select(s => s.Delay), Is.EqualTo(new[] { 10 }));
        Assert.That(loaded.Options!.SkipConnections.Select(s => s.Delay), Is.EqualTo(new[] { 10 }));
    }

    [Test]
    public void Constructor_CallerChangesEveryOptionArrayAfterwards_OptionsAndStatesUnchanged()
    {
        double[] perInput = [0.5, 2];
        int[] periods = [1, 3, 9];
        int[] sizes = [10, 20, 30];
        var options = Small() with
        {
            InputScalingPerInput = ImmutableCollectionsMarshal.AsImmutableArray(perInput),
            Clockwork = new ClockworkOptions
            {
                Periods = ImmutableCollectionsMarshal.AsImmutableArray(periods),
                ModuleSizes = ImmutableCollectionsMarshal.AsImmutableArray(sizes),
            },
        };
        var expected = new EchoStateReservoir(options with
        {
            InputScalingPerInput = [0.5, 2],
            Clockwork = new ClockworkOptions { Periods = [1, 3, 9], ModuleSizes = [10, 20, 30] },
        });
        var reservoir = new EchoStateReservoir(options);
        var inputs = TestData.Uniform(40, 2, 9);

        perInput[0] = 7;
        periods[1] = 2;
        sizes[0] = 5;
        sizes[1] = 25;

        Assert.That(reservoir.Options, Is.EqualTo(expected.Options));
        Assert.That(reservoir.ClockworkPeriods, Is.EqualTo(new[] { 1, 3, 9 }));
        Assert.That(reservoir.Run(inputs), Is.EqualTo(expected.Run(inputs)));
        Assert.That(SaveAndLoad(reservoir).Options, Is.EqualTo(expected.Options));
    }

    [Test]
    public void ClockworkPeriodsAndModuleStarts_ArraysBehindThemChanged_DynamicsUnchanged()
    {
        var reservoir = new EchoStateReservoir(Clockwork());
        var inputs = TestData.Uniform(40, 2, 3);
        var expected = new EchoStateReservoir(Clockwork()).Run(inputs);

        // ImmutableCollectionsMarshal reaches the array behind an ImmutableArray; the reservoir must not share it.
        ImmutableCollectionsMarshal.AsArray(reservoir.ClockworkPeriods)![1] = 1;
        ImmutableCollectionsMarshal.AsArray(reservoir.ClockworkModuleStarts)![1] = 50;
        ImmutableCollectionsMarshal.AsArray(reservoir.SkipWeights)![0] = new DelayedWeights(1, TestData.Zero(60));

        Assert.That(reservoir.Run(inputs), Is.EqualTo(expected));
    }

    [Test]
    public void ClockworkPeriods_CastToList_CannotBeChanged()
    {
        var reservoir = new EchoStateReservoir(Clockwork());
        object periods = reservoir.ClockworkPeriods;
        object starts = reservoir.ClockworkModuleStarts;

        Assert.Multiple(() =>
        {
            Assert.That(periods, Is.Not.InstanceOf<int[]>());
            Assert.That(() => ((IList<int>)periods)[0] = 5, Throws.InstanceOf<NotSupportedException>());
            Assert.That(() => ((IList<int>)starts)[1] = 5, Throws.InstanceOf<NotSupportedException>());
            Assert.That(reservoir.ClockworkPeriods, Is.EqualTo(new[] { 1, 3, 9 }));
            Assert.That(reservoir.ClockworkModuleStarts, Is.EqualTo(new[] { 0, 10, 30, 60 }));
        });
    }

    [Test]
    public void ClockworkPeriods_NoClockwork_Empty()
    {
        var reservoir = new EchoStateReservoir(Small());

        Assert.That(reservoir.ClockworkPeriods, Is.Empty);
        Assert.That(reservoir.ClockworkModuleStarts, Is.Empty);
        Assert.That(reservoir.SkipWeights, Is.Empty);
    }

    [Test]
    public void FromWeights_CallerChangesTheArraysAfterwards_StatesUnchanged()
    {
        double[] leakRates = [1, 0.5, 0.25];
        double[] bias = [0.1, 0, -0.1];
        var skips = new[] { new DelayedWeights(2, TestData.Diagonal(3, 0.3)) };
        ReservoirWeights Weights(ImmutableArray<double> a, ImmutableArray<double> b, ImmutableArray<DelayedWeights> s) => new()
        {
            Recurrent = TestData.Diagonal(3, 0.5), Input = TestData.Ones(3), LeakRates = a, Bias = b, Skip = s,
        };
        var expected = EchoStateReservoir.FromWeights(Weights([.. leakRates], [.. bias], [.. skips]));
        var reservoir = EchoStateReservoir.FromWeights(Weights(ImmutableCollectionsMarshal.AsImmutableArray(leakRates),
            ImmutableCollectionsMarshal.AsImmutableArray(bias), ImmutableCollectionsMarshal.AsImmutableArray(skips)));
        var inputs = TestData.Uniform(20, 1, 4);

        leakRates[0] = 0.01;
        bias[0] = 5;
        skips[0] = new DelayedWeights(1, TestData.Zero(3));

        Assert.That(reservoir.Run(inputs), Is.EqualTo(expected.Run(inputs)));
        Assert.That(reservoir.SkipWeights.Select(s => s.Delay), Is.EqualTo(new[] { 2 }));
    }
}
