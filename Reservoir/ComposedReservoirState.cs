using System.Collections.Immutable;

namespace Reservoir;

/// <summary>The running state of a <see cref="ComposedReservoir"/>: one <see cref="ReservoirState"/> per layer.</summary>
/// <remarks>Created by <see cref="ComposedReservoir.CreateState(long)"/> and owned by the caller. Not thread-safe; use <see cref="Clone"/> to branch a run.</remarks>
public sealed class ComposedReservoirState
{
    private readonly ReservoirState[] _layers;
    private readonly double[][] _layerInputs;
    private readonly double[] _values;

    /// <summary>A state over the given layer states, which it takes over (not copied); the caller has checked their owners.</summary>
    internal ComposedReservoirState(ComposedReservoir owner, ReservoirState[] layers)
    {
        Owner = owner;
        _layers = layers;
        Layers = [.. layers];
        _layerInputs = owner.Layers.Select(l => new double[l.InputDimension]).ToArray();
        _values = owner.IsSingle ? [] : new double[owner.StateWidth];
    }

    /// <summary>The composed reservoir that created this state; only it runs the state.</summary>
    public ComposedReservoir Owner { get; }

    /// <summary>The state of each layer, in layer order; each advances as the composition steps.</summary>
    public ImmutableArray<ReservoirState> Layers { get; }

    /// <summary>The composed state [x⁽ʲ¹⁾; x⁽ʲ²⁾; …] over the read-out layers, length <see cref="ComposedReservoir.StateWidth"/>; a view valid until the next step.</summary>
    public ReadOnlySpan<double> Values
    {
        get
        {
            if (Owner.IsSingle)
            {
                return _layers[Owner.ReadoutLayers[0]].Values;
            }

            var offset = 0;
            foreach (var j in Owner.ReadoutLayers)
            {
                var x = _layers[j].Values;
                x.CopyTo(_values.AsSpan(offset));
                offset += x.Length;
            }

            return _values;
        }
    }

    /// <summary>The number of steps taken since creation or the last <see cref="Reset"/> (the first layer's count).</summary>
    public long StepCount => _layers[0].StepCount;

    /// <summary>The scratch input of layer <paramref name="layer"/>, filled before each of its steps.</summary>
    internal double[] LayerInput(int layer) => _layerInputs[layer];

    /// <summary>The state of layer <paramref name="layer"/>.</summary>
    internal ReservoirState Layer(int layer) => _layers[layer];

    /// <summary>Sets the output that the next step feeds back to every layer with feedback; the values are copied.</summary>
    /// <param name="output">The output, length <see cref="ComposedReservoir.FeedbackDimension"/>, all finite.</param>
    /// <exception cref="ArgumentException">The length differs from FeedbackDimension or a value is not finite.</exception>
    public void SetFeedback(ReadOnlySpan<double> output)
    {
        if (output.Length != Owner.FeedbackDimension)
        {
            throw new ArgumentException(
                $"output has {output.Length} entries but the composed reservoir feeds back {Owner.FeedbackDimension}.", nameof(output));
        }

        foreach (var layer in _layers)
        {
            if (layer.Owner.FeedbackDimension > 0)
            {
                layer.SetFeedback(output);
            }
        }
    }

    /// <summary>Resets every layer (<see cref="ReservoirState.Reset"/>).</summary>
    public void Reset()
    {
        foreach (var layer in _layers)
        {
            layer.Reset();
        }
    }

    /// <summary>An independent copy of every layer's state.</summary>
    /// <returns>The copy, which steps exactly as this state would.</returns>
    public ComposedReservoirState Clone() => new(Owner, _layers.Select(l => l.Clone()).ToArray());

    /// <summary>Makes this state an exact copy of <paramref name="other"/>, layer by layer, without allocating.</summary>
    /// <param name="other">A state of the same composed reservoir.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> was created by another composed reservoir.</exception>
    public void CopyFrom(ComposedReservoirState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other.Owner, Owner))
        {
            throw new ArgumentException("The state to copy was created by another composed reservoir.", nameof(other));
        }

        for (var k = 0; k < _layers.Length; k++)
        {
            _layers[k].CopyFrom(other._layers[k]);
        }
    }
}
