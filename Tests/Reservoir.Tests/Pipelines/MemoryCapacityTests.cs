using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class MemoryCapacityTests
{
    [Test]
    public void Measure_LinearOrthogonalReservoir_IsCloseToTheUnitCount()
    {
        // A simple cycle reservoir is a scaled permutation: orthogonal up to its spectral radius.
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 50, Seed = 1, Topology = ReservoirTopology.SimpleCycle, SpectralRadius = 0.95,
            Activation = Activation.Identity, InputScaling = 0.1, InputConnectivity = 1, BiasScaling = 0,
        });

        var result = MemoryCapacity.Measure(reservoir, maxDelay: 100, seed: 3);

        Assert.That(result.Total, Is.GreaterThanOrEqualTo(0.9 * 50));
        Assert.That(result.Total, Is.LessThanOrEqualTo(50 + 1), "bounded by N (up to estimation noise)");
        Assert.That(result.Profile[0], Is.GreaterThan(0.99), "the last input is recalled almost perfectly");
    }

    [Test]
    public void Measure_TanhReservoirWithInputScalingOne_IsClearlyBelowTheUnitCount()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions
        {
            UnitCount = 50, Seed = 1, SpectralRadius = 0.9, InputScaling = 1, BiasScaling = 0,
        });

        var result = MemoryCapacity.Measure(reservoir, maxDelay: 100, seed: 3);

        Assert.That(result.Total, Is.LessThan(0.5 * 50));
        Assert.That(result.Total, Is.GreaterThan(3), "it still remembers a few steps");
        Assert.That(result.Profile, Has.Length.EqualTo(100));
    }

    [Test]
    public void Measure_MultivariateReservoir_Throws()
    {
        var reservoir = new EchoStateReservoir(new ReservoirOptions { UnitCount = 10, Seed = 1, InputDimension = 2 });

        var error = Assert.Throws<ArgumentException>(() => MemoryCapacity.Measure(reservoir, 5, 1));

        Assert.That(error!.ParamName, Is.EqualTo("reservoir"));
    }
}
