using System.Collections.Immutable;
using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class RidgeCvOptionsTests
{
    [Test]
    public void Equals_EqualGrids_EqualWithEqualHashCodes()
    {
        var a = new RidgeCvOptions { L2Grid = [1e-6, 1e-3, 1] };
        var b = new RidgeCvOptions { L2Grid = [1e-6, 1e-3, 1] };

        Assert.That(b, Is.EqualTo(a));
        Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
    }

    [Test]
    public void Equals_GridsDiffer_NotEqual()
    {
        var a = new RidgeCvOptions { L2Grid = [1e-6, 1e-3, 1] };

        Assert.That(a with { L2Grid = [1e-6, 1e-3] }, Is.Not.EqualTo(a));
        Assert.That(a with { L2Grid = null }, Is.Not.EqualTo(a));
    }

    [Test]
    public void Constructor_DefaultGrid_ThrowsNamingL2Grid()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new RidgeCv(new RidgeCvOptions { L2Grid = default(ImmutableArray<double>) }));

        Assert.That(error!.ParamName, Is.EqualTo("L2Grid"));
        Assert.That(error.Message, Does.StartWith("L2Grid is a default (uninitialised) ImmutableArray"));
    }
}
