using System.Collections.Immutable;

namespace Reservoir;

/// <summary>One layer of a <see cref="ComposedReservoirOptions"/>: a whole reservoir and what it reads.</summary>
/// <remarks>
/// <para>
/// Layer k reads the concatenation [x⁽ʲ¹⁾(t); x⁽ʲ²⁾(t); …; u(t)] of the states of the earlier layers it names in
/// <see cref="ReadsLayers"/> (at the same step t, in the order given) followed by the external input when
/// <see cref="ReadsInput"/>. Its <see cref="ReservoirOptions.InputDimension"/> is derived from that width: leave it at
/// the default 1 (or set it to the width).
/// </para>
/// <para>The defaults make a list of layers a stack, as in Gallicchio's DeepESN: the first layer reads the input, every
/// other layer reads the layer just below it.</para>
/// </remarks>
public sealed record ReservoirLayerOptions
{
    private readonly EquatableArray<int>? _readsLayers;

    /// <summary>The layer's hyperparameters: every option of a single reservoir (leak-rate distribution, spectral radius, skip connections, clockwork…); InputDimension is derived.</summary>
    public required ReservoirOptions Reservoir { get; init; }

    /// <summary>The earlier layers (indices below this layer's) whose states this layer reads, in this order; null (the default) reads the layer just below, and none for the first layer; [] reads no layer.</summary>
    public ImmutableArray<int>? ReadsLayers
    {
        get => _readsLayers?.Items;
        init => _readsLayers = value is { } items ? new(items) : null;
    }

    /// <summary>Whether the layer reads the external input u(t) after the layer states; null (the default) reads it exactly when the layer reads no layer.</summary>
    public bool? ReadsInput { get; init; }

    /// <summary>These options with every collection copied.</summary>
    internal ReservoirLayerOptions Copy() => this with
    {
        Reservoir = Reservoir?.Copy()!,
        ReadsLayers = ReadsLayers is { } layers ? ImmutableArrays.Copy(layers) : null,
    };
}
