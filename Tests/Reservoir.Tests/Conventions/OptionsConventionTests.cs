using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Reservoir.Tests.Conventions;

[TestFixture]
public sealed class OptionsConventionTests
{
    private static IEnumerable<Type> OptionsTypes() =>
        new[]
        {
            typeof(ReservoirOptions).Assembly,
            typeof(global::Reservoir.Readouts.RidgeReadoutOptions).Assembly,
            typeof(global::Reservoir.Pipelines.EchoStateNetworkOptions).Assembly,
        }.SelectMany(a => a.GetExportedTypes()).Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal));

    [TestCaseSource(nameof(OptionsTypes))]
    public void OptionsType_IsSealedRecordWithInitOnlySetters(Type type)
    {
        Assert.That(type.IsSealed, Is.True, "sealed");
        Assert.That(type.GetMethod("<Clone>$"), Is.Not.Null, "a record");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var setter = property.SetMethod;
            if (setter is null)
            {
                continue;
            }

            var isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            Assert.That(isInit, Is.True, $"{type.Name}.{property.Name} has a mutable setter");
        }
    }

    [Test]
    public void OptionsTypes_AreFound()
    {
        Assert.That(OptionsTypes().Select(t => t.Name), Is.SupersetOf(new[] { "ReservoirOptions", "RidgeReadoutOptions", "EchoStateNetworkOptions" }));
    }
}
