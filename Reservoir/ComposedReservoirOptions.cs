using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Reservoir;

/// <summary>The hyperparameters of a <see cref="ComposedReservoir"/>: reservoirs composed into stacks and parallel groups, read out together.</summary>
/// <remarks>
/// <para>Layer k (a whole reservoir with its own options) updates, at every step t and in layer order,</para>
/// <para>x⁽ᵏ⁾(t) = (1−α⁽ᵏ⁾)⊙x⁽ᵏ⁾(t−1) + α⁽ᵏ⁾⊙f(W⁽ᵏ⁾x⁽ᵏ⁾(t−1) + W_in⁽ᵏ⁾·v⁽ᵏ⁾(t) + b⁽ᵏ⁾ + …),</para>
/// <para>
/// where v⁽ᵏ⁾(t) is what the layer reads (<see cref="ReservoirLayerOptions"/>): in a stack [x⁽ᵏ⁻¹⁾(t)] or
/// [x⁽ᵏ⁻¹⁾(t); u(t)], in a parallel group u(t). The other terms (skip connections, clockwork, feedback, noise) are each
/// layer's own, and the step is the reservoir's own step (<see cref="EchoStateReservoir.Step"/>). The composed state read
/// out is [x⁽ʲ¹⁾(t); x⁽ʲ²⁾(t); …] over <see cref="ReadoutLayers"/> (all layers by default, as in DeepESN).
/// </para>
/// <para>
/// Each layer has its own seed (<see cref="ReservoirOptions.Seed"/>); <see cref="Stack"/> and <see cref="Parallel"/> derive
/// them from one seed with <see cref="LayerSeed"/>. The record is immutable, deeply, with value equality.
/// </para>
/// </remarks>
public sealed record ComposedReservoirOptions
{
    private readonly EquatableArray<ReservoirLayerOptions> _layers;
    private readonly EquatableArray<int>? _readoutLayers;

    /// <summary>The layers, updated in this order at every step; at least one.</summary>
    public required ImmutableArray<ReservoirLayerOptions> Layers
    {
        get => _layers.Items;
        init => _layers = new(value);
    }

    /// <summary>The dimension D of the external input u, ≥ 1; default 1.</summary>
    public int InputDimension { get; init; } = ReservoirDefaults.InputDimension;

    /// <summary>The layers whose states the composed state holds (and a readout sees), in this order, each once; null (the default) is every layer.</summary>
    public ImmutableArray<int>? ReadoutLayers
    {
        get => _readoutLayers?.Items;
        init => _readoutLayers = value is { } items ? new(items) : null;
    }

    /// <summary>The seed of layer <paramref name="layer"/> derived from one seed, as <see cref="Stack"/> and <see cref="Parallel"/> set it.</summary>
    /// <param name="seed">The composition's seed.</param>
    /// <param name="layer">The layer's index, ≥ 0.</param>
    /// <returns>A seed from the <see cref="SeedStreams.Layers"/> stream.</returns>
    public static int LayerSeed(int seed, int layer) => (int)(SeedStreams.Mix(seed, SeedStreams.Layers, layer) >> 33);

    /// <summary>A stack: layer 0 reads the input, layer k reads layer k−1 (and the input too when <paramref name="inputToEveryLayer"/>).</summary>
    /// <param name="seed">The seed from which each layer's seed is derived (<see cref="LayerSeed"/>); the layers' own seeds are replaced.</param>
    /// <param name="layers">Each layer's options, bottom first; their InputDimension is derived.</param>
    /// <param name="inputDimension">The input dimension D, ≥ 1; default 1.</param>
    /// <param name="inputToEveryLayer">Whether layers above the first read the input beside the layer below; default false (DeepESN).</param>
    /// <returns>The options, reading out every layer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its elements is null.</exception>
    public static ComposedReservoirOptions Stack(int seed, IReadOnlyList<ReservoirOptions> layers, int inputDimension = 1,
        bool inputToEveryLayer = false) =>
        Compose(seed, layers, inputDimension, k => new ReservoirLayerOptions
        {
            Reservoir = layers[k],
            ReadsInput = k == 0 || inputToEveryLayer,
        });

    /// <summary>A parallel group: every layer reads the input and nothing else.</summary>
    /// <param name="seed">The seed from which each layer's seed is derived (<see cref="LayerSeed"/>); the layers' own seeds are replaced.</param>
    /// <param name="layers">Each layer's options; their InputDimension is derived.</param>
    /// <param name="inputDimension">The input dimension D, ≥ 1; default 1.</param>
    /// <returns>The options, reading out every layer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its elements is null.</exception>
    public static ComposedReservoirOptions Parallel(int seed, IReadOnlyList<ReservoirOptions> layers, int inputDimension = 1) =>
        Compose(seed, layers, inputDimension, k => new ReservoirLayerOptions { Reservoir = layers[k], ReadsLayers = [] });

    /// <summary>Checks that these options build a composed reservoir, without building it.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the layer and the option.</exception>
    public void Validate() => Resolve();

    /// <summary>The total number of units over all layers (not only those read out).</summary>
    /// <returns>The sum of the layers' UnitCount.</returns>
    /// <exception cref="ArgumentException">A layer is null or the layers are a default array.</exception>
    public int TotalUnitCount()
    {
        ImmutableArrays.ThrowIfDefault(Layers, nameof(Layers));
        return Layers.Sum(l => l?.Reservoir?.UnitCount ?? 0);
    }

    private static ComposedReservoirOptions Compose(int seed, IReadOnlyList<ReservoirOptions> layers, int inputDimension,
        Func<int, ReservoirLayerOptions> layer)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new ReservoirLayerOptions[layers.Count];
        for (var k = 0; k < result.Length; k++)
        {
            if (layers[k] is null)
            {
                throw new ArgumentNullException(nameof(layers), $"layers[{k}] is null.");
            }

            var built = layer(k);
            result[k] = built with { Reservoir = built.Reservoir with { Seed = LayerSeed(seed, k) } };
        }

        return new ComposedReservoirOptions { Layers = [.. result], InputDimension = inputDimension };
    }

    /// <summary>Validates the options and resolves what each layer reads: its layers, whether it reads the input, its input width.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value (Layers, ReadoutLayers, InputDimension).")]
    internal ResolvedLayers Resolve()
    {
        ImmutableArrays.ThrowIfDefault(Layers, nameof(Layers));
        Guard.AtLeast(InputDimension, 1);
        if (Layers.Length == 0)
        {
            throw new ArgumentException("Layers is empty; give at least one layer.", nameof(Layers));
        }

        var count = Layers.Length;
        var reads = new int[count][];
        var readsInput = new bool[count];
        var options = new ReservoirOptions[count];
        for (var k = 0; k < count; k++)
        {
            var layer = Layers[k] ?? throw new ArgumentNullException(nameof(Layers), $"Layers[{k}] is null.");
            var reservoir = layer.Reservoir ?? throw new ArgumentNullException(nameof(Layers), $"Layers[{k}].Reservoir is null.");
            if (layer.ReadsLayers is { IsDefault: true })
            {
                throw new ArgumentException($"Layers[{k}].ReadsLayers is a default (uninitialised) ImmutableArray; give the layers, [] for none, or null for the layer below.", nameof(Layers));
            }

            reads[k] = layer.ReadsLayers is { } given ? [.. given] : k == 0 ? [] : [k - 1];
            readsInput[k] = layer.ReadsInput ?? reads[k].Length == 0;
            var width = readsInput[k] ? InputDimension : 0;
            var seen = new HashSet<int>();
            foreach (var j in reads[k])
            {
                if (j < 0 || j >= k)
                {
                    throw new ArgumentException(
                        $"Layers[{k}].ReadsLayers names layer {j}; a layer reads only earlier layers, in [0, {k}).", nameof(Layers));
                }

                if (!seen.Add(j))
                {
                    throw new ArgumentException($"Layers[{k}].ReadsLayers names layer {j} twice.", nameof(Layers));
                }

                width += Layers[j]?.Reservoir?.UnitCount ?? 0;
            }

            if (width == 0)
            {
                throw new ArgumentException(
                    $"Layers[{k}] reads nothing: ReadsLayers is empty and ReadsInput is false. Let it read the input or an earlier layer.",
                    nameof(Layers));
            }

            if (reservoir.InputDimension != ReservoirDefaults.InputDimension && reservoir.InputDimension != width)
            {
                throw new ArgumentException(
                    $"Layers[{k}].Reservoir.InputDimension is {reservoir.InputDimension} but the layer reads {width} values "
                    + $"({Describe(reads[k], readsInput[k])}); leave it at 1 to derive it, or set {width}.", nameof(Layers));
            }

            options[k] = reservoir with { InputDimension = width };
            try
            {
                options[k].Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layers[{k}].Reservoir: {e.Message}", nameof(Layers), e);
            }
        }

        var feedback = 0;
        for (var k = 0; k < count; k++)
        {
            var f = options[k].FeedbackDimension;
            if (f > 0 && feedback > 0 && f != feedback)
            {
                throw new ArgumentException(
                    $"Layers[{k}].Reservoir.FeedbackDimension is {f} but an earlier layer feeds back {feedback}; every layer with feedback reads the same output y(t−1).",
                    nameof(Layers));
            }

            feedback = Math.Max(feedback, f);
        }

        if (ReadoutLayers is { IsDefault: true })
        {
            throw new ArgumentException("ReadoutLayers is a default (uninitialised) ImmutableArray; give the layers, or null for all.", nameof(ReadoutLayers));
        }

        int[] readout = ReadoutLayers is { } chosen ? [.. chosen] : [.. Enumerable.Range(0, count)];
        if (readout.Length == 0)
        {
            throw new ArgumentException("ReadoutLayers is empty; name at least one layer, or null for all.", nameof(ReadoutLayers));
        }

        foreach (var j in readout)
        {
            if (j < 0 || j >= count)
            {
                throw new ArgumentException($"ReadoutLayers names layer {j}; the layers are 0 to {count - 1}.", nameof(ReadoutLayers));
            }
        }

        if (readout.Distinct().Count() != readout.Length)
        {
            throw new ArgumentException("ReadoutLayers names a layer twice; name each layer once.", nameof(ReadoutLayers));
        }

        return new ResolvedLayers(options, reads, readsInput, readout, feedback);
    }

    private static string Describe(int[] reads, bool readsInput)
    {
        var parts = reads.Select(j => $"layer {j}'s units").ToList();
        if (readsInput)
        {
            parts.Add("the input");
        }

        return string.Join(" + ", parts);
    }

    /// <summary>These options with every collection copied.</summary>
    internal ComposedReservoirOptions Copy() => this with
    {
        Layers = Layers.IsDefault ? Layers : [.. Layers.Select(l => l?.Copy()!)],
        ReadoutLayers = ReadoutLayers is { } readout ? ImmutableArrays.Copy(readout) : null,
    };
}

/// <summary>What the layers of validated composed options read, resolved from the defaults.</summary>
/// <param name="Options">Each layer's options with its InputDimension set to the width it reads.</param>
/// <param name="Reads">Each layer's earlier layers, in order.</param>
/// <param name="ReadsInput">Whether each layer reads the external input (after the layers).</param>
/// <param name="Readout">The layers read out, in order.</param>
/// <param name="FeedbackDimension">The fed-back output's dimension (0 without feedback).</param>
internal sealed record ResolvedLayers(ReservoirOptions[] Options, int[][] Reads, bool[] ReadsInput, int[] Readout, int FeedbackDimension);
