namespace Reservoir.Datasets;

/// <summary>Argument checks specific to the dataset generators, with the same message shape as <see cref="Guard"/>.</summary>
internal static class DatasetGuard
{
    /// <summary>Throws unless <paramref name="value"/> is finite (any sign).</summary>
    internal static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite; was {Guard.Format(value)}.");
        }
    }

    /// <summary>Throws unless [low, high) is a finite, non-empty interval whose width is finite; names the bad bound.</summary>
    internal static void Interval(double low, double high, string lowName, string highName)
    {
        Finite(low, lowName);
        if (!double.IsFinite(high) || high <= low || !double.IsFinite(high - low))
        {
            throw new ArgumentOutOfRangeException(highName, high,
                $"{highName} must be finite and > {lowName} ({Guard.Format(low)}); was {Guard.Format(high)}.");
        }
    }

    /// <summary>Throws unless <paramref name="count"/> + <paramref name="extra"/> fits in one array.</summary>
    internal static void FitsInArray(int count, int extra, string extraName)
    {
        if ((long)count + extra > Array.MaxLength - 1)
        {
            throw new ArgumentOutOfRangeException(extraName, extra,
                $"length + {extraName} must be < {Array.MaxLength}; was {(long)count + extra}.");
        }
    }
}
