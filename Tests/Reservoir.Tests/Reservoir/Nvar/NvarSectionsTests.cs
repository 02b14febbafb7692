using System.Buffers;
using NUnit.Framework;
using Reservoir.Nvar;
using Reservoir.Persistence;

namespace Reservoir.Tests.Nvar;

/// <summary>Save and load of <see cref="NvarFeatures"/> and <see cref="NvarState"/> through <see cref="NvarSections"/>.</summary>
[TestFixture]
public sealed class NvarSectionsTests
{
    private static readonly NvarOptions Options = new()
    {
        InputDimension = 3,
        DelayCount = 3,
        DelayStride = 2,
        PolynomialOrder = 3,
        IncludeConstant = true,
    };

    [Test]
    public void FeaturesAndState_SavedMidSequence_LoadAndContinueBitIdentically()
    {
        var features = new NvarFeatures(Options);
        var state = features.CreateState();
        NvarFeaturesTests.StepAll(features, state, NvarFeaturesTests.Ramp(9, 3));
        var output = new ArrayBufferWriter<byte>();
        output.Write(new byte[] { 7, 7 });
        NvarSections.WriteFeatures(output, features);
        NvarSections.WriteState(output, state);

        var data = output.WrittenMemory;
        var position = 2;
        var loaded = NvarSections.ReadFeatures(data[position..], position, out var read);
        position += read;
        var loadedState = NvarSections.ReadState(data[position..], position, loaded, out read);
        position += read;

        var next = NvarFeaturesTests.Ramp(8, 3, scale: -1.5);
        Assert.Multiple(() =>
        {
            Assert.That(position, Is.EqualTo(data.Length));
            Assert.That(loaded.Options, Is.EqualTo(Options));
            Assert.That(loaded.FeatureCount, Is.EqualTo(features.FeatureCount));
            Assert.That(loadedState.StepCount, Is.EqualTo(9));
            Assert.That(NvarFeaturesTests.StepAll(loaded, loadedState, next),
                Is.EqualTo(NvarFeaturesTests.StepAll(features, state, next)).AsCollection);
        });
    }

    [Test]
    public void Features_RoundTrip_RunGivesEqualFeatures()
    {
        var features = new NvarFeatures(Options with { PolynomialOrder = 2, IncludeConstant = false });
        var output = new ArrayBufferWriter<byte>();
        NvarSections.WriteFeatures(output, features);

        var loaded = NvarSections.ReadFeatures(output.WrittenMemory, 0, out _);

        var inputs = NvarFeaturesTests.Ramp(20, 3);
        Assert.That(loaded.Run(inputs), Is.EqualTo(features.Run(inputs)).AsCollection);
    }

    [Test]
    public void ReadFeatures_Truncated_ThrowsInvalidData()
    {
        var output = new ArrayBufferWriter<byte>();
        NvarSections.WriteFeatures(output, new NvarFeatures(Options));

        var truncated = output.WrittenMemory[..^1];

        Assert.That(() => NvarSections.ReadFeatures(truncated, 0, out _), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("Truncated"));
    }

    [Test]
    public void ReadFeatures_InvalidOrder_ThrowsInvalidDataNamingOption()
    {
        var output = new ArrayBufferWriter<byte>();
        NvarSections.WriteFeatures(output, new NvarFeatures(Options));
        var bytes = output.WrittenSpan.ToArray();
        // The order is the fourth Int32 after the header; the constant flag is the last byte.
        bytes[^5] = 9;

        Assert.That(() => NvarSections.ReadFeatures(bytes, 0, out _),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("PolynomialOrder"));
    }

    [Test]
    public void ReadFeatures_StateSection_ThrowsNamingTags()
    {
        var features = new NvarFeatures(Options);
        var output = new ArrayBufferWriter<byte>();
        NvarSections.WriteState(output, features.CreateState());

        Assert.That(() => NvarSections.ReadFeatures(output.WrittenMemory, 0, out _),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("NvarFeatures").And.Message.Contains("NvarState"));
    }

    [Test]
    public void ReadState_OtherSizes_ThrowsInvalidData()
    {
        var output = new ArrayBufferWriter<byte>();
        NvarSections.WriteState(output, new NvarFeatures(Options).CreateState());
        var other = new NvarFeatures(Options with { DelayStride = 1 });

        Assert.That(() => NvarSections.ReadState(output.WrittenMemory, 0, other, out _),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("stored steps"));
    }

    [Test]
    public void ReadState_NonFiniteStore_ThrowsInvalidData()
    {
        var features = new NvarFeatures(Options);
        var state = features.CreateState();
        NvarFeaturesTests.StepAll(features, state, NvarFeaturesTests.Ramp(3, 3));
        var output = new ArrayBufferWriter<byte>();
        NvarSections.WriteState(output, state);
        var bytes = output.WrittenSpan.ToArray();
        BitConverter.GetBytes(double.NaN).CopyTo(bytes, bytes.Length - 8);

        Assert.That(() => NvarSections.ReadState(bytes, 0, features, out _),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("finite"));
    }

    [Test]
    public void Write_NullArguments_Throw()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Multiple(() =>
        {
            Assert.That(() => NvarSections.WriteFeatures(null!, new NvarFeatures(Options)), Throws.ArgumentNullException);
            Assert.That(() => NvarSections.WriteFeatures(output, null!), Throws.ArgumentNullException);
            Assert.That(() => NvarSections.WriteState(output, null!), Throws.ArgumentNullException);
            Assert.That(() => NvarSections.ReadState(ReadOnlyMemory<byte>.Empty, 0, null!, out _), Throws.ArgumentNullException);
        });
    }
}
