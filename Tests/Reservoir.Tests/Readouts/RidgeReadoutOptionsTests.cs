using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class RidgeReadoutOptionsTests
{
    [Test]
    public void Constructor_NoInit_UsesReadoutDefaults()
    {
        var options = new RidgeReadoutOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.L2Regularization, Is.EqualTo(ReadoutDefaults.L2Regularization));
            Assert.That(options.FitIntercept, Is.EqualTo(ReadoutDefaults.FitIntercept));
            Assert.That(ReadoutDefaults.L2Regularization, Is.EqualTo(1e-6));
            Assert.That(ReadoutDefaults.FitIntercept, Is.True);
        });
    }

    [Test]
    public void With_ChangedValue_LeavesOriginalUnchanged()
    {
        var original = new RidgeReadoutOptions();

        var changed = original with { L2Regularization = 0.5 };

        Assert.Multiple(() =>
        {
            Assert.That(original.L2Regularization, Is.EqualTo(ReadoutDefaults.L2Regularization));
            Assert.That(changed.L2Regularization, Is.EqualTo(0.5));
            Assert.That(changed, Is.Not.EqualTo(original));
        });
    }
}
