using System.Globalization;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Which API a value came through, so that an exception names the parameter the caller wrote.</summary>
internal enum ParameterNaming
{
    /// <summary>A field of an <c>Options</c> class: the exception names the field (<c>LeakRate</c>), as ML.NET's <c>nameof(options.X)</c> does.</summary>
    OptionsField,

    /// <summary>A parameter of a catalog method: the exception names the parameter (<c>leakRate</c>).</summary>
    CatalogParameter,
}

/// <summary>Argument checks of the ML.NET layer; every message names the parameter as the caller wrote it, what is allowed and the value.</summary>
internal static class OptionChecks
{
    /// <summary>The name of an <c>Options</c> field as the caller wrote it: the field itself, or the catalog parameter (the field in camel case).</summary>
    internal static string Name(this ParameterNaming naming, string field) =>
        naming == ParameterNaming.CatalogParameter ? char.ToLowerInvariant(field[0]) + field[1..] : field;

    /// <summary>Throws <see cref="ArgumentNullException"/> or <see cref="ArgumentException"/> unless the column name is set.</summary>
    internal static void ColumnName(string? value, string field, ParameterNaming naming) =>
        ArgumentException.ThrowIfNullOrEmpty(value, naming.Name(field));

    /// <summary>Throws unless <paramref name="value"/> is null or at least <paramref name="min"/>.</summary>
    internal static void AtLeast(int? value, int min, string field, ParameterNaming naming)
    {
        if (value is { } v && v < min)
        {
            throw OutOfRange(v, $">= {min}; was {v}", field, naming);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is null, or finite and greater than 0.</summary>
    internal static void Positive(double? value, string field, ParameterNaming naming)
    {
        if (value is { } v && (!double.IsFinite(v) || v <= 0))
        {
            throw OutOfRange(v, $"finite and > 0; was {Format(v)}", field, naming);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is null, or finite and at least 0.</summary>
    internal static void NonNegative(double? value, string field, ParameterNaming naming)
    {
        if (value is { } v && (!double.IsFinite(v) || v < 0))
        {
            throw OutOfRange(v, $"finite and >= 0; was {Format(v)}", field, naming);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is null or in (0, 1].</summary>
    internal static void InUnitInterval(double? value, string field, ParameterNaming naming)
    {
        if (value is { } v && (!double.IsFinite(v) || v <= 0 || v > 1))
        {
            throw OutOfRange(v, $"in (0, 1]; was {Format(v)}", field, naming);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is in the open interval (0, 1).</summary>
    internal static void InOpenUnitInterval(double value, string field, ParameterNaming naming)
    {
        if (!double.IsFinite(value) || value <= 0 || value >= 1)
        {
            throw OutOfRange(value, $"in (0, 1); was {Format(value)}", field, naming);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a named member of its enum.</summary>
    internal static void Defined<TEnum>(TEnum value, string field, ParameterNaming naming)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw OutOfRange(value, $"one of {string.Join(", ", Enum.GetNames<TEnum>())}; was {value}", field, naming);
        }
    }

    /// <summary>The message of <paramref name="error"/> without the " (Parameter '…')" that <see cref="ArgumentException.Message"/> appends, to be rethrown under another parameter's name.</summary>
    internal static string MessageWithoutParameter(ArgumentException error)
    {
        var message = error.Message;
        var suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }

    /// <summary>The value as the messages print it: round-trip, culture-invariant.</summary>
    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The exception for a value outside its range, whose message says that the parameter, named as the caller wrote it, must be <paramref name="rule"/>.</summary>
    private static ArgumentOutOfRangeException OutOfRange(object value, string rule, string field, ParameterNaming naming)
    {
        var name = naming.Name(field);
        return new ArgumentOutOfRangeException(name, value, $"{name} must be {rule}.");
    }
}
