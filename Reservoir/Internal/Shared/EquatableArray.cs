using System.Collections.Immutable;

namespace Reservoir;

/// <summary>Copies and checks of the <see cref="ImmutableArray{T}"/> members of options and records.</summary>
internal static class ImmutableArrays
{
    /// <summary>A copy of <paramref name="items"/> that shares no storage with it (an <see cref="ImmutableArray{T}"/> can wrap a caller's array); default stays default.</summary>
    internal static ImmutableArray<T> Copy<T>(ImmutableArray<T> items) => items.IsDefault ? items : [.. items.AsSpan()];

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> when <paramref name="items"/> is a default (uninitialised) array.</summary>
    internal static void ThrowIfDefault<T>(ImmutableArray<T> items, string name)
    {
        if (items.IsDefault)
        {
            throw new ArgumentException(
                $"{name} is a default (uninitialised) ImmutableArray; give the values, or [] for none.", name);
        }
    }
}

/// <summary>An <see cref="ImmutableArray{T}"/> that compares by its elements, for the backing fields of records.</summary>
/// <remarks>
/// <para>
/// <see cref="ImmutableArray{T}"/> compares by reference, so a record with an <see cref="ImmutableArray{T}"/> member
/// would not have value equality. A record keeps such a member in a field of this type instead
/// (<c>public ImmutableArray&lt;T&gt; Xs { get =&gt; _xs.Items; init =&gt; _xs = new(value); }</c>): the compiler's
/// record equality and hash code compare fields, and so compare the elements, with nothing written by hand.
/// </para>
/// <para>
/// Two default (uninitialised) arrays are equal; a default array equals no initialised one, not even an empty one.
/// Compiled into both the Reservoir and the Readouts assemblies (linked, not referenced).
/// </para>
/// </remarks>
/// <typeparam name="T">The element type; elements compare with <see cref="EqualityComparer{T}.Default"/>.</typeparam>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>
{
    /// <summary>Wraps <paramref name="items"/> (not copied: an <see cref="ImmutableArray{T}"/> is already immutable).</summary>
    internal EquatableArray(ImmutableArray<T> items)
    {
        Items = items;
    }

    /// <summary>The wrapped array (default when the wrapper itself is default).</summary>
    internal ImmutableArray<T> Items { get; }

    /// <summary>An empty array.</summary>
    internal static EquatableArray<T> Empty => new(ImmutableArray<T>.Empty);

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other)
    {
        if (Items.IsDefault || other.Items.IsDefault)
        {
            return Items.IsDefault && other.Items.IsDefault;
        }

        return Items.AsSpan().SequenceEqual(other.Items.AsSpan(), EqualityComparer<T>.Default);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <summary>Whether the two arrays hold equal elements.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Whether the two arrays differ in length or in an element.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (Items.IsDefault)
        {
            return 0;
        }

        var hash = new HashCode();
        hash.Add(Items.Length);
        foreach (var item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
