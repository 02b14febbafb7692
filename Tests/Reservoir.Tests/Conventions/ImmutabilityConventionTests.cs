using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using NUnit.Framework;

namespace Reservoir.Tests.Conventions;

/// <summary>Public options and records hold no collection that a caller could change after handing it over.</summary>
[TestFixture]
public sealed class ImmutabilityConventionTests
{
    private static readonly Assembly[] Libraries =
    [
        typeof(ReservoirOptions).Assembly,
        typeof(global::Reservoir.Readouts.RidgeReadoutOptions).Assembly,
        typeof(global::Reservoir.Pipelines.EchoStateNetworkOptions).Assembly,
    ];

    /// <summary>Every public record (class or struct) and every public type named *Options (ML.NET's nested Options classes too).</summary>
    private static IEnumerable<Type> CheckedTypes() =>
        Libraries.SelectMany(a => a.GetExportedTypes())
            .Where(t => IsRecord(t) || t.Name.EndsWith("Options", StringComparison.Ordinal))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [TestCaseSource(nameof(CheckedTypes))]
    public void PublicOptionsOrRecord_HasNoMutableCollectionMember(Type type)
    {
        Assert.That(MutableCollectionMembers(type), Is.Empty);
    }

    [Test]
    public void CheckedTypes_IncludeOptionsRecordsAndMLNetOptions()
    {
        var names = CheckedTypes().Select(t => t.FullName).ToList();

        Assert.That(names, Is.SupersetOf(new[]
        {
            "Reservoir.ReservoirOptions", "Reservoir.ClockworkOptions", "Reservoir.ReservoirWeights", "Reservoir.LeakRateDistribution",
            "Reservoir.Readouts.RidgeCvOptions", "Reservoir.Readouts.RidgeCvPoint",
            "Reservoir.Pipelines.ReservoirSearchResult", "Reservoir.Pipelines.MemoryCapacityResult",
            "Reservoir.Pipelines.MLNet.RidgeRegressionTrainer+Options", "Reservoir.Pipelines.MLNet.EsnForecastingEstimator+Options",
        }));
    }

    [TestCase(nameof(BadRecord.Array))]
    [TestCase(nameof(BadRecord.Matrix))]
    [TestCase(nameof(BadRecord.List))]
    [TestCase(nameof(BadRecord.ReadOnlyList))]
    [TestCase(nameof(BadRecord.ReadOnlyCollection))]
    [TestCase(nameof(BadRecord.Enumerable))]
    [TestCase(nameof(BadRecord.Dictionary))]
    [TestCase(nameof(BadRecord.ReadOnlyDictionary))]
    [TestCase(nameof(BadRecord.Wrapped))]
    [TestCase(nameof(BadRecord.Memory))]
    [TestCase(nameof(BadRecord.ImmutableOfArrays))]
    [TestCase(nameof(BadRecord.NullableImmutableOfLists))]
    public void MutableCollectionMembers_BadRecord_FlagsTheMember(string member)
    {
        Assert.That(MutableCollectionMembers(typeof(BadRecord)), Has.One.StartsWith(member + ":"));
    }

    [Test]
    public void MutableCollectionMembers_BadMLNetStyleOptions_FlagsTheFields()
    {
        Assert.That(MutableCollectionMembers(typeof(BadOptions)).Select(m => m.Split(':')[0]),
            Is.EquivalentTo(new[] { nameof(BadOptions.Names), nameof(BadOptions.Grid) }));
    }

    [Test]
    public void MutableCollectionMembers_ImmutableMembers_FlagsNothing()
    {
        Assert.That(MutableCollectionMembers(typeof(GoodRecord)), Is.Empty);
    }

    [Test]
    public void IsRecord_RecordClassesAndStructs_AreFoundAndClassesAreNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IsRecord(typeof(BadRecord)), Is.True);
            Assert.That(IsRecord(typeof(global::Reservoir.Readouts.RidgeCvPoint)), Is.True, "a record struct");
            Assert.That(IsRecord(typeof(BadOptions)), Is.False);
            Assert.That(IsRecord(typeof(EchoStateReservoir)), Is.False);
        });
    }

    /// <summary>The public properties and fields of <paramref name="type"/> whose type is a mutable collection, each as "Name: reason".</summary>
    internal static IEnumerable<string> MutableCollectionMembers(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
        var members = type.GetProperties(flags).Select(p => (p.Name, Type: p.PropertyType))
            .Concat(type.GetFields(flags).Where(f => !f.IsLiteral).Select(f => (f.Name, Type: f.FieldType)));
        foreach (var (name, memberType) in members)
        {
            if (MutableReason(memberType) is { } reason)
            {
                yield return $"{name}: {reason}";
            }
        }
    }

    /// <summary>Why a value of <paramref name="type"/> can be changed through, or behind, the member that holds it; null when it cannot.</summary>
    private static string? MutableReason(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return MutableReason(underlying);
        }

        if (type.IsArray)
        {
            return $"{Describe(type)} is an array";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Memory<>) || definition == typeof(ReadOnlyMemory<>)
                || definition == typeof(Span<>) || definition == typeof(ReadOnlySpan<>)))
        {
            return $"{Describe(type)} is a view of storage that someone else can change";
        }

        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.Namespace == typeof(ImmutableArray).Namespace && type.IsGenericType && !type.IsInterface)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                if (MutableReason(argument) is { } inner)
                {
                    return $"{Describe(type)} holds mutable elements ({inner})";
                }
            }

            return null;
        }

        return $"{Describe(type)} is a collection that can be mutable (use ImmutableArray<T>)";
    }

    private static string Describe(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
            : type.Name;

    /// <summary>Whether the compiler generated <paramref name="type"/> from a <c>record</c> or <c>record struct</c> declaration.</summary>
    private static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance, [typeof(StringBuilder)])
            ?.IsDefined(typeof(CompilerGeneratedAttribute)) == true;

    /// <summary>A record with one member of each mutable collection type the convention rejects.</summary>
    private sealed record BadRecord
    {
        public int[] Array { get; init; } = [];

        public double[,] Matrix { get; init; } = new double[0, 0];

        public List<int> List { get; init; } = [];

        public IReadOnlyList<int> ReadOnlyList { get; init; } = [];

        public IReadOnlyCollection<int> ReadOnlyCollection { get; init; } = [];

        public IEnumerable<int> Enumerable { get; init; } = [];

        public Dictionary<string, int> Dictionary { get; init; } = [];

        public IReadOnlyDictionary<string, int> ReadOnlyDictionary { get; init; } = new Dictionary<string, int>();

        public System.Collections.ObjectModel.ReadOnlyCollection<int> Wrapped { get; init; } = new([]);

        public ReadOnlyMemory<int> Memory { get; init; }

        public ImmutableArray<int[]> ImmutableOfArrays { get; init; } = [];

        public ImmutableArray<List<int>>? NullableImmutableOfLists { get; init; }

        public int Count { get; init; }
    }

    /// <summary>An ML.NET-style options class: public fields, two of them mutable collections.</summary>
    private sealed class BadOptions
    {
        public string[]? Names = [];

        public IReadOnlyList<double>? Grid = [];

        public ImmutableArray<double>? GoodGrid = [];

        public string Column = "Features";
    }

    /// <summary>A record whose collections are all immutable.</summary>
    private sealed record GoodRecord
    {
        public ImmutableArray<int> Periods { get; init; } = [];

        public ImmutableArray<double>? Optional { get; init; }

        public ImmutableArray<ImmutableArray<double>> Nested { get; init; } = [];

        public ImmutableArray<SkipConnection> Skips { get; init; } = [];

        public string Name { get; init; } = "";

        public SparseWeights? Weights { get; init; }

        public LeakRateDistribution LeakRates { get; init; } = 0.5;
    }
}
