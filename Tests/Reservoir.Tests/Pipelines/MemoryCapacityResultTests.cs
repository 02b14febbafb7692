using NUnit.Framework;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Pipelines;

[TestFixture]
public sealed class MemoryCapacityResultTests
{
    [Test]
    public void Equals_EqualProfiles_EqualWithEqualHashCodes()
    {
        var a = new MemoryCapacityResult(1.5, [0.9, 0.6]);
        var b = new MemoryCapacityResult(1.5, [0.9, 0.6]);

        Assert.That(b, Is.EqualTo(a));
        Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
        Assert.That(new MemoryCapacityResult(1.5, [0.6, 0.9]), Is.Not.EqualTo(a));
    }
}
