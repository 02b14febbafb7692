using System.Reflection;
using NUnit.Framework;
using Reservoir.Pipelines.MLNet;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>Checks that a [TestCase] table names every parameter, and that defaults are the constants of <see cref="MLNetDefaults"/>.</summary>
internal static class CatalogCoverage
{
    // A parameter or field whose MLNetDefaults constant has a longer name than the parameter.
    private static readonly Dictionary<string, string> ConstantNames = new(StringComparer.Ordinal)
    {
        ["Kind"] = nameof(MLNetDefaults.SequenceFeatureKind),
        ["Method"] = nameof(MLNetDefaults.ForecastMethod),
    };

    /// <summary>The parameter names (first argument) of the [TestCase]s of a test method.</summary>
    internal static IEnumerable<string> Parameters<TFixture>(string testMethod) =>
        typeof(TFixture).GetMethod(testMethod)!.GetCustomAttributes<TestCaseAttribute>().Select(a => (string)a.Arguments[0]!).Distinct();

    /// <summary>Every non-null default of the catalog method's simple overload equals the <see cref="MLNetDefaults"/> constant of that name, and there is one.</summary>
    internal static void AssertDefaultsAreNamed(Type catalogType, string method)
    {
        foreach (var parameter in ApiCalls.SimpleOverload(catalogType, method).GetParameters().Where(p => p.HasDefaultValue && p.DefaultValue is not null))
        {
            var name = char.ToUpperInvariant(parameter.Name![0]) + parameter.Name[1..];
            Assert.That(Constant(name), Is.EqualTo(parameter.DefaultValue), $"default of {method}'s {parameter.Name}");
        }
    }

    /// <summary>Every field of a new <typeparamref name="TOptions"/> with a constant of its name in <see cref="MLNetDefaults"/> starts at that constant or, if nullable, at null; the nullable reservoir fields start at null.</summary>
    internal static void AssertOptionsDefaultsAreNamed<TOptions>()
        where TOptions : new()
    {
        var options = new TOptions();
        var reservoirFields = typeof(EsnReservoirSettings).GetFields().Select(f => f.Name).ToHashSet();
        foreach (var field in typeof(TOptions).GetFields())
        {
            var value = field.GetValue(options);
            if (reservoirFields.Contains(field.Name))
            {
                Assert.That(value, Is.Null, $"{typeof(TOptions)}.{field.Name} is null until the caller sets it");
            }
            else if (value is null && Nullable.GetUnderlyingType(field.FieldType) is not null)
            {
                // A nullable setting left null is chosen from the data, or means its constant (as the field's documentation says).
                continue;
            }
            else if (typeof(MLNetDefaults).GetField(ConstantNames.GetValueOrDefault(field.Name, field.Name)) is { } constant)
            {
                Assert.That(value, Is.EqualTo(constant.GetValue(null)), $"{typeof(TOptions)}.{field.Name}");
            }
        }
    }

    /// <summary>A reservoir built without any hyperparameter has the values of <see cref="MLNetDefaults"/>.</summary>
    internal static void AssertReservoirHasTheDefaults(EchoStateReservoir reservoir)
    {
        var options = reservoir.Options!;
        Assert.That(options.UnitCount, Is.EqualTo(MLNetDefaults.UnitCount));
        Assert.That(options.Seed, Is.EqualTo(MLNetDefaults.Seed));
        Assert.That(options.LeakRates, Is.EqualTo(LeakRateDistribution.Constant(MLNetDefaults.LeakRate)));
        Assert.That(options.SpectralRadius, Is.EqualTo(MLNetDefaults.SpectralRadius));
        Assert.That(options.InputScaling, Is.EqualTo(MLNetDefaults.InputScaling));
        Assert.That(options.InputConnectivity, Is.EqualTo(MLNetDefaults.InputConnectivity));
        Assert.That(options.RecurrentConnectivity, Is.EqualTo(MLNetDefaults.RecurrentConnectivity));
        Assert.That(options.BiasScaling, Is.EqualTo(MLNetDefaults.BiasScaling));
        Assert.That(options.Activation, Is.EqualTo(MLNetDefaults.Activation));
    }

    private static object? Constant(string name)
    {
        var field = typeof(MLNetDefaults).GetField(ConstantNames.GetValueOrDefault(name, name));
        Assert.That(field, Is.Not.Null, $"MLNetDefaults has no constant for '{name}'");
        return field!.GetValue(null);
    }
}
