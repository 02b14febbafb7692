using System.Runtime.CompilerServices;

namespace Reservoir;

/// <summary>Argument checks shared by the public entry points; every message names the parameter and the value.</summary>
/// <remarks>
/// This file is compiled into both the Reservoir and the Readouts assemblies (linked, not referenced),
/// so that neither library depends on the other.
/// </remarks>
internal static class Guard
{
    /// <summary>Throws unless <paramref name="value"/> is finite and in [min, max].</summary>
    internal static void InRange(double value, double min, double max,
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(Short(name), value,
                $"{Short(name)} must be in [{Format(min)}, {Format(max)}]; was {Format(value)}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and in (0, 1].</summary>
    internal static void InUnitInterval(double value,
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value <= 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(Short(name), value,
                $"{Short(name)} must be in (0, 1]; was {Format(value)}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    internal static void Positive(double value,
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(Short(name), value,
                $"{Short(name)} must be finite and > 0; was {Format(value)}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    internal static void NonNegative(double value,
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(Short(name), value,
                $"{Short(name)} must be finite and >= 0; was {Format(value)}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    internal static void AtLeast(int value, int min,
        [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value < min)
        {
            throw new ArgumentOutOfRangeException(Short(name), value,
                $"{Short(name)} must be >= {min}; was {value}.");
        }
    }

    /// <summary>Throws if any value is NaN or infinite, naming the first bad index.</summary>
    internal static void AllFinite(ReadOnlySpan<double> values,
        [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"{Short(name)} contains {Format(values[i])} at index {i}; every value must be finite.", Short(name));
            }
        }
    }

    /// <summary>Throws if any value of a rows×columns matrix is NaN or infinite, naming the row and column.</summary>
    internal static void AllFinite(double[,] values,
        [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        var rows = values.GetLength(0);
        var columns = values.GetLength(1);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var v = values[r, c];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException(
                        $"{Short(name)} contains {Format(v)} at row {r}, column {c}; every value must be finite.", Short(name));
                }
            }
        }
    }

    /// <summary>Formats a number for a message: round-trippable, invariant culture.</summary>
    internal static string Format(double value) =>
        value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The last segment of a caller expression, so that <c>options.LeakRate</c> reads <c>LeakRate</c>.</summary>
    internal static string Short(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "value";
        }

        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }
}
