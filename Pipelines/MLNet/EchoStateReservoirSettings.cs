namespace Reservoir.Pipelines.MLNet;

/// <summary>The reservoir hyperparameters shared by the options of every ML.NET component that runs a reservoir, as public fields in ML.NET's style.</summary>
/// <remarks>The simple fields build a reservoir with one leak rate; <see cref="Reservoir"/> gives full control (per-unit leak-rate distributions, skip connections, clockwork modules).</remarks>
public abstract class EchoStateReservoirSettings
{
    /// <summary>The number of units N, at least 1; default 100.</summary>
    public int UnitCount = 100;

    /// <summary>The seed of every weight; default 42. ML.NET's MLContext seed is not reachable from a third-party component, so it is explicit.</summary>
    public int Seed = 42;

    /// <summary>The leak rate a of every unit, in (0, 1]; default 1 (no leak). Use <see cref="Reservoir"/> for per-unit leak-rate distributions.</summary>
    public double LeakRate = ReservoirDefaults.LeakRate;

    /// <summary>The spectral radius of W, greater than 0; default 0.9.</summary>
    public double SpectralRadius = ReservoirDefaults.SpectralRadius;

    /// <summary>The scale of the input weights, greater than 0; default 1.</summary>
    public double InputScaling = ReservoirDefaults.InputScaling;

    /// <summary>The fraction of non-zero input weights, in (0, 1]; default 0.1.</summary>
    public double InputConnectivity = ReservoirDefaults.InputConnectivity;

    /// <summary>The fraction of non-zero recurrent weights, in (0, 1]; default 0.1.</summary>
    public double RecurrentConnectivity = ReservoirDefaults.RecurrentConnectivity;

    /// <summary>The scale of the unit biases, at least 0; default 1.</summary>
    public double BiasScaling = ReservoirDefaults.BiasScaling;

    /// <summary>The activation f; default tanh.</summary>
    public Activation Activation = Activation.Tanh;

    /// <summary>Every reservoir option; when set, it replaces the fields above and its InputDimension is taken from the input column.</summary>
    public ReservoirOptions? Reservoir;

    /// <summary>The number of units of the reservoir these settings build.</summary>
    internal int EffectiveUnitCount => Reservoir?.UnitCount ?? UnitCount;

    /// <summary>A copy of the reservoir fields into <paramref name="target"/> (the options are copied on the way in).</summary>
    internal T CopyReservoirTo<T>(T target)
        where T : EchoStateReservoirSettings
    {
        target.UnitCount = UnitCount;
        target.Seed = Seed;
        target.LeakRate = LeakRate;
        target.SpectralRadius = SpectralRadius;
        target.InputScaling = InputScaling;
        target.InputConnectivity = InputConnectivity;
        target.RecurrentConnectivity = RecurrentConnectivity;
        target.BiasScaling = BiasScaling;
        target.Activation = Activation;
        target.Reservoir = Reservoir;
        return target;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid hyperparameter, or refusing output feedback.</summary>
    /// <param name="inputDimension">The input width to validate with; null for the one <see cref="Reservoir"/> names (or 1).</param>
    internal void Validate(int? inputDimension = null)
    {
        var options = ToReservoirOptions(inputDimension ?? Reservoir?.InputDimension ?? ReservoirDefaults.InputDimension);
        ReservoirBuilder.Validate(options);
        if (options.FeedbackDimension > 0)
        {
            // Nothing would feed the output back: the feedback term would silently stay zero.
            throw new ArgumentException(
                $"Reservoir.FeedbackDimension is {options.FeedbackDimension}, but an ML.NET component has no output to feed back; "
                + "use FeedbackDimension = 0 here, or EchoStateNetwork for a network with output feedback.",
                nameof(Reservoir));
        }
    }

    /// <summary>The reservoir options for an input of the given width.</summary>
    internal ReservoirOptions ToReservoirOptions(int inputDimension) =>
        Reservoir is { } custom
            ? custom with { InputDimension = inputDimension }
            : new ReservoirOptions
            {
                UnitCount = UnitCount,
                Seed = Seed,
                InputDimension = inputDimension,
                LeakRates = LeakRate,
                SpectralRadius = SpectralRadius,
                InputScaling = InputScaling,
                InputConnectivity = InputConnectivity,
                RecurrentConnectivity = RecurrentConnectivity,
                BiasScaling = BiasScaling,
                Activation = Activation,
            };

    /// <summary>Builds the reservoir for an input column of the given width.</summary>
    /// <exception cref="ArgumentException"><see cref="Reservoir"/> names an input dimension that disagrees with the column.</exception>
    internal EchoStateReservoir Build(int inputDimension, string columnName, string paramName)
    {
        if (Reservoir is { } custom && custom.InputDimension != ReservoirDefaults.InputDimension && custom.InputDimension != inputDimension)
        {
            throw new ArgumentException(
                $"Reservoir.InputDimension is {custom.InputDimension} but input column '{columnName}' has width {inputDimension}; leave InputDimension at its default or match the column.",
                paramName);
        }

        return new EchoStateReservoir(ToReservoirOptions(inputDimension));
    }
}
