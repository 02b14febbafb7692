namespace Reservoir.Pipelines;

/// <summary>The layout of a readout's feature row z = [u; x], with either part optional (the intercept is the readout's).</summary>
internal readonly record struct FeatureLayout(int InputWidth, int StateWidth)
{
    /// <summary>The number of features.</summary>
    internal int Width => InputWidth + StateWidth;

    /// <summary>The layout that a network's options give for a reservoir.</summary>
    internal static FeatureLayout For(ComposedReservoir reservoir, EchoStateNetworkOptions options) =>
        new(options.ReadoutIncludesInput ? reservoir.InputDimension : 0, options.ReadoutIncludesState ? reservoir.StateWidth : 0);

    /// <summary>Writes [u; x] into <paramref name="row"/>, leaving out the parts not used.</summary>
    internal void Fill(Span<double> row, ReadOnlySpan<double> input, ReadOnlySpan<double> state)
    {
        input[..InputWidth].CopyTo(row);
        state[..StateWidth].CopyTo(row[InputWidth..]);
    }
}
