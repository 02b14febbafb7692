namespace Reservoir;

/// <summary>Explicit weights for a reservoir built by <see cref="EchoStateReservoir.FromWeights(ReservoirWeights)"/>, for example a model trained elsewhere.</summary>
/// <remarks>
/// Nothing is rescaled: the reservoir uses these values as given, so a ReservoirPy model (W, Win, bias, lr)
/// is reproduced exactly. ReservoirPy stores its bias as the first column of Win when input_bias is on:
/// pass that column as <see cref="Bias"/> and the rest as <see cref="Input"/>. Arrays are copied when the
/// reservoir is built.
/// </remarks>
public sealed record ReservoirWeights
{
    /// <summary>The recurrent weights W, N×N; row i holds the inputs of unit i.</summary>
    public required SparseWeights Recurrent { get; init; }

    /// <summary>The input weights W_in, N×D.</summary>
    public required double[,] Input { get; init; }

    /// <summary>The leak rate of each unit, length N, each in (0, 1].</summary>
    public required double[] LeakRates { get; init; }

    /// <summary>The bias b, length N; null for none.</summary>
    public double[]? Bias { get; init; }

    /// <summary>The feedback weights W_fb, N×F; null for no feedback.</summary>
    public double[,]? Feedback { get; init; }

    /// <summary>Skip connections through time, each an N×N matrix with its delay.</summary>
    public IReadOnlyList<DelayedWeights> Skip { get; init; } = [];

    /// <summary>Clockwork update periods (the weights are used as given); null updates every unit every step.</summary>
    public ClockworkOptions? Clockwork { get; init; }

    /// <summary>The activation function f; default tanh.</summary>
    public Activation Activation { get; init; } = Activation.Tanh;

    /// <summary>The amplitude of the uniform state noise, ≥ 0; default 0.</summary>
    public double StateNoise { get; init; }

    /// <summary>The seed of the noise stream (only used when <see cref="StateNoise"/> &gt; 0).</summary>
    public int Seed { get; init; }
}

/// <summary>A skip-connection matrix W_skip with its delay d in steps.</summary>
/// <param name="Delay">The delay d, ≥ 1.</param>
/// <param name="Weights">The N×N matrix applied to x(t−d).</param>
public sealed record DelayedWeights(int Delay, SparseWeights Weights);
