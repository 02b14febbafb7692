using System.Collections.Immutable;
using System.Reflection;

namespace Reservoir.Tests.Pipelines.MLNet;

/// <summary>Calls a catalog method or fills an <c>Options</c> object by parameter or field name, so that one [TestCase] table covers every parameter.</summary>
internal static class ApiCalls
{
    /// <summary>The simple overload (the one without an <c>options</c> parameter) of a catalog method.</summary>
    internal static MethodInfo SimpleOverload(Type catalogType, string method) =>
        catalogType.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == method && m.GetParameters().All(p => p.Name != "options"));

    /// <summary>Calls the simple overload with the named arguments (the first parameter, the catalog, is named "catalog"); the rest keep their defaults.</summary>
    /// <returns>The exception the call threw, or null.</returns>
    internal static Exception? Call(Type catalogType, string method, object? catalog, IReadOnlyDictionary<string, object?> arguments)
    {
        var target = SimpleOverload(catalogType, method);
        var parameters = target.GetParameters();
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            values[i] = arguments.TryGetValue(p.Name!, out var given) ? Convert(given, p.ParameterType)
                : i == 0 ? catalog
                : p.HasDefaultValue ? p.DefaultValue
                : throw new ArgumentException($"The test gives no value for the required parameter '{p.Name}'.", nameof(arguments));
        }

        return Invoke(() => target.Invoke(null, values));
    }

    /// <summary>Sets the named public fields of a new <typeparamref name="TOptions"/> and passes it to <paramref name="create"/>.</summary>
    /// <returns>The exception the call threw, or null.</returns>
    internal static Exception? WithOptions<TOptions>(Func<TOptions, object> create, IReadOnlyDictionary<string, object?> fields)
        where TOptions : new()
    {
        var options = new TOptions();
        foreach (var (name, value) in fields)
        {
            var field = typeof(TOptions).GetField(name) ?? throw new ArgumentException($"{typeof(TOptions)} has no field '{name}'.", nameof(fields));
            field.SetValue(options, Convert(value, field.FieldType));
        }

        return Invoke(() => create(options));
    }

    private static Exception? Invoke(Action call)
    {
        try
        {
            call();
            return null;
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static object? Convert(object? value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return value switch
        {
            null => null,
            string[] strings when target == typeof(ImmutableArray<string>) => ImmutableArray.Create(strings),
            double[] doubles when target == typeof(ImmutableArray<double>) => ImmutableArray.Create(doubles),
            _ when target.IsEnum => Enum.ToObject(target, value),
            _ when target.IsInstanceOfType(value) => value,
            _ => System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
