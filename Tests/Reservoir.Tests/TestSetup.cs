using MathNet.Numerics;
using NUnit.Framework;

namespace Reservoir.Tests;

/// <summary>Pins MathNet to its managed provider so that results do not depend on what is installed.</summary>
[SetUpFixture]
public sealed class TestSetup
{
    [OneTimeSetUp]
    public void UseManagedProvider() => Control.UseManaged();
}
