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
        }.SelectMany(a => a.GetExportedTypes()).Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && !IsMLNetOptions(t));

    // ML.NET's convention: a component's options are a nested "Options" class with public fields and defaults.
    private static bool IsMLNetOptions(Type type) =>
        type is { IsNested: true, Name: "Options" } && type.DeclaringType!.GetInterfaces().Any(i => i.Name.StartsWith("IEstimator", StringComparison.Ordinal));

    private static IEnumerable<Type> MLNetOptionsTypes() =>
        typeof(global::Reservoir.Pipelines.EchoStateNetworkOptions).Assembly.GetExportedTypes().Where(IsMLNetOptions);

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

    [TestCaseSource(nameof(MLNetOptionsTypes))]
    public void MLNetOptionsType_IsSealedClassWithPublicFieldsOnly(Type type)
    {
        Assert.That(type.IsSealed, Is.True, "sealed");
        Assert.That(type.GetFields(BindingFlags.Public | BindingFlags.Instance), Is.Not.Empty, "public fields");
        Assert.That(type.GetProperties(BindingFlags.Public | BindingFlags.Instance), Is.Empty, "no properties, as in ML.NET");
        Assert.That(type.GetConstructor(Type.EmptyTypes), Is.Not.Null, "a parameterless constructor");
    }

    [Test]
    public void MLNetOptionsTypes_AreFound()
    {
        Assert.That(MLNetOptionsTypes().Count(), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void OptionsTypes_AreFound()
    {
        Assert.That(OptionsTypes().Select(t => t.Name), Is.SupersetOf(new[] { "ReservoirOptions", "RidgeReadoutOptions", "EchoStateNetworkOptions" }));
    }
}
