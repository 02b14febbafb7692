using System.Diagnostics.CodeAnalysis;

namespace Reservoir.Pipelines.MLNet;

/// <summary>The reservoir hyperparameters shared by the options of every ML.NET component that runs a reservoir, as public fields in ML.NET's style.</summary>
/// <remarks>
/// <para>There are two ways to describe the reservoir, and a caller uses one of them: the simple fields (one leak rate for every
/// unit), or <see cref="Reservoir"/>, which gives full control (per-unit leak-rate distributions, skip connections, clockwork
/// modules). The simple fields are nullable: null means the default in <see cref="MLNetDefaults"/>. Setting a simple field and
/// <see cref="Reservoir"/> together is rejected with an <see cref="ArgumentException"/> that names both, so that no value is
/// silently overridden.</para>
/// </remarks>
[SuppressMessage("Design", "CA1051:Do not declare visible instance fields",
    Justification = "ML.NET's convention: Options classes expose their settings as public fields, as ML.NET's own Options do.")]
public abstract class EsnReservoirSettings
{
    private protected EsnReservoirSettings()
    {
    }

    /// <summary>The number of units N, at least 1; null (the default) means <see cref="MLNetDefaults.UnitCount"/> (100).</summary>
    public int? UnitCount;

    /// <summary>The seed of every weight; null (the default) means <see cref="MLNetDefaults.Seed"/> (42). ML.NET's MLContext seed is not reachable from a third-party component, so it is explicit.</summary>
    public int? Seed;

    /// <summary>The leak rate a of every unit, in (0, 1]; null (the default) means <see cref="MLNetDefaults.LeakRate"/> (1, no leak). Use <see cref="Reservoir"/> for per-unit leak-rate distributions.</summary>
    public double? LeakRate;

    /// <summary>The spectral radius of W, greater than 0; null (the default) means <see cref="MLNetDefaults.SpectralRadius"/> (0.9).</summary>
    public double? SpectralRadius;

    /// <summary>The scale of the input weights, greater than 0; null (the default) means <see cref="MLNetDefaults.InputScaling"/> (1).</summary>
    public double? InputScaling;

    /// <summary>The fraction of non-zero input weights, in (0, 1]; null (the default) means <see cref="MLNetDefaults.InputConnectivity"/> (0.1).</summary>
    public double? InputConnectivity;

    /// <summary>The fraction of non-zero recurrent weights, in (0, 1]; null (the default) means <see cref="MLNetDefaults.RecurrentConnectivity"/> (0.1).</summary>
    public double? RecurrentConnectivity;

    /// <summary>The scale of the unit biases, at least 0; null (the default) means <see cref="MLNetDefaults.BiasScaling"/> (1).</summary>
    public double? BiasScaling;

    /// <summary>The activation f; null (the default) means <see cref="MLNetDefaults.Activation"/> (tanh).</summary>
    public Activation? Activation;

    /// <summary>Every reservoir option, instead of the simple fields above (which must then stay null); its InputDimension is taken from the input column. Null (the default) builds the reservoir from the simple fields.</summary>
    public ReservoirOptions? Reservoir;

    /// <summary>The number of units of the reservoir these settings build.</summary>
    internal int EffectiveUnitCount => Reservoir?.UnitCount ?? UnitCount ?? MLNetDefaults.UnitCount;

    /// <summary>Sets the simple fields that every catalog method takes as parameters.</summary>
    internal void SetCatalogParameters(int unitCount, double leakRate, double spectralRadius, double inputScaling, int seed)
    {
        UnitCount = unitCount;
        LeakRate = leakRate;
        SpectralRadius = spectralRadius;
        InputScaling = inputScaling;
        Seed = seed;
    }

    /// <summary>Copies the reservoir fields into <paramref name="target"/> (the options are copied on the way in) and validates the copy with <see cref="Validate"/>.</summary>
    /// <param name="target">The estimator's own options, with its other fields already set.</param>
    /// <param name="naming">Whether the values came through a catalog method's parameters or through the fields of an <c>Options</c> class.</param>
    /// <param name="inputDimension">The input width to validate with; null for the one <see cref="Reservoir"/> names (or 1).</param>
    internal T CopyReservoirTo<T>(T target, ParameterNaming naming, int? inputDimension = null)
        where T : EsnReservoirSettings
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
        target.Validate(naming, inputDimension);
        return target;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid hyperparameter (as the caller wrote it), a simple field set beside <see cref="Reservoir"/>, or output feedback.</summary>
    /// <param name="naming">Whether the values came through a catalog method's parameters or through the fields of an <c>Options</c> class.</param>
    /// <param name="inputDimension">The input width to validate with; null for the one <see cref="Reservoir"/> names (or 1).</param>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is Reservoir, the Options field that holds the invalid ReservoirOptions record; the message names "
            + "the record's property.")]
    private void Validate(ParameterNaming naming, int? inputDimension)
    {
        // Each simple field is rejected when set beside Reservoir, or else checked against its range, in the order of the fields.
        OptionChecks.AtLeast(SimpleField(UnitCount, nameof(UnitCount)), 1, nameof(UnitCount), naming);
        SimpleField(Seed, nameof(Seed));
        OptionChecks.InUnitInterval(SimpleField(LeakRate, nameof(LeakRate)), nameof(LeakRate), naming);
        OptionChecks.Positive(SimpleField(SpectralRadius, nameof(SpectralRadius)), nameof(SpectralRadius), naming);
        OptionChecks.Positive(SimpleField(InputScaling, nameof(InputScaling)), nameof(InputScaling), naming);
        OptionChecks.InUnitInterval(SimpleField(InputConnectivity, nameof(InputConnectivity)), nameof(InputConnectivity), naming);
        OptionChecks.InUnitInterval(SimpleField(RecurrentConnectivity, nameof(RecurrentConnectivity)), nameof(RecurrentConnectivity), naming);
        OptionChecks.NonNegative(SimpleField(BiasScaling, nameof(BiasScaling)), nameof(BiasScaling), naming);
        OptionChecks.Defined(SimpleField(Activation, nameof(Activation)) ?? MLNetDefaults.Activation, nameof(Activation), naming);
        var options = ToReservoirOptions(inputDimension ?? Reservoir?.InputDimension ?? ReservoirDefaults.InputDimension);
        try
        {
            options.Validate();
        }
        catch (ArgumentException inner) when (Reservoir is not null)
        {
            // The record's own property is named in the message; the parameter is the Options field that holds the record.
            var message = OptionChecks.MessageWithoutParameter(inner);
            message = inner.ParamName is not { } property ? $"Reservoir: {message}"
                : message.StartsWith(property, StringComparison.Ordinal) ? $"Reservoir.{message}"
                : $"Reservoir.{property}: {message}";
            throw new ArgumentException(message, nameof(Reservoir), inner);
        }

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
                UnitCount = UnitCount ?? MLNetDefaults.UnitCount,
                Seed = Seed ?? MLNetDefaults.Seed,
                InputDimension = inputDimension,
                LeakRates = LeakRate ?? MLNetDefaults.LeakRate,
                SpectralRadius = SpectralRadius ?? MLNetDefaults.SpectralRadius,
                InputScaling = InputScaling ?? MLNetDefaults.InputScaling,
                InputConnectivity = InputConnectivity ?? MLNetDefaults.InputConnectivity,
                RecurrentConnectivity = RecurrentConnectivity ?? MLNetDefaults.RecurrentConnectivity,
                BiasScaling = BiasScaling ?? MLNetDefaults.BiasScaling,
                Activation = Activation ?? MLNetDefaults.Activation,
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

    /// <summary>The value of a simple field, after rejecting it when it is set beside <see cref="Reservoir"/>.</summary>
    private T? SimpleField<T>(T? value, string field)
        where T : struct
    {
        if (value is not null && Reservoir is not null)
        {
            throw new ArgumentException(
                $"Both {field} and Reservoir are set; the reservoir is described either by the simple fields or by Reservoir, not both. "
                + $"Put the value into Reservoir.{(field == nameof(LeakRate) ? nameof(ReservoirOptions.LeakRates) : field)} and leave {field} null, or leave Reservoir null.",
                field);
        }

        return value;
    }
}
