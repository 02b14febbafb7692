using Reservoir.Readouts;

namespace Reservoir.Pipelines.MLNet;

/// <summary>Default values of the ML.NET layer, shared by the catalog parameters and the fields of every <c>Options</c> class.</summary>
/// <remarks>Where the ML.NET layer uses the core's default, the constant is <see cref="ReservoirDefaults"/>' or <see cref="ReadoutDefaults"/>' own.</remarks>
public static class MLNetDefaults
{
    /// <summary>Default number of reservoir units N.</summary>
    public const int UnitCount = 100;

    /// <summary>Default seed of every weight (ML.NET's MLContext seed is not reachable from a third-party component, so the seed is explicit).</summary>
    public const int Seed = 42;

    /// <summary>Default leak rate of every unit: the core's <see cref="ReservoirDefaults.LeakRate"/> (1, no leak).</summary>
    public const double LeakRate = ReservoirDefaults.LeakRate;

    /// <summary>Default spectral radius of W: the core's <see cref="ReservoirDefaults.SpectralRadius"/> (0.9).</summary>
    public const double SpectralRadius = ReservoirDefaults.SpectralRadius;

    /// <summary>Default scale of the input weights: the core's <see cref="ReservoirDefaults.InputScaling"/> (1).</summary>
    public const double InputScaling = ReservoirDefaults.InputScaling;

    /// <summary>Default fraction of non-zero input weights: the core's <see cref="ReservoirDefaults.InputConnectivity"/> (0.1).</summary>
    public const double InputConnectivity = ReservoirDefaults.InputConnectivity;

    /// <summary>Default fraction of non-zero recurrent weights: the core's <see cref="ReservoirDefaults.RecurrentConnectivity"/> (0.1).</summary>
    public const double RecurrentConnectivity = ReservoirDefaults.RecurrentConnectivity;

    /// <summary>Default scale of the unit biases: the core's <see cref="ReservoirDefaults.BiasScaling"/> (1).</summary>
    public const double BiasScaling = ReservoirDefaults.BiasScaling;

    /// <summary>Default activation f: tanh, as in <see cref="ReservoirOptions.Activation"/>.</summary>
    public const Activation Activation = Reservoir.Activation.Tanh;

    /// <summary>Default number D of values per time step of a sequence: the core's <see cref="ReservoirDefaults.InputDimension"/> (1).</summary>
    public const int InputDimension = ReservoirDefaults.InputDimension;

    /// <summary>Default summary of a sequence's states: the last state.</summary>
    public const SequenceFeatureKind SequenceFeatureKind = Readouts.SequenceFeatureKind.LastState;

    /// <summary>Default number k of evenly spaced states of a sequence.</summary>
    public const int SampleCount = 1;

    /// <summary>Default number H of values forecast from each row (the <c>Options</c> field's default; the catalog method asks for it).</summary>
    public const int Horizon = 1;

    /// <summary>Default number of initial states left out of a forecaster's training.</summary>
    public const int WashoutSteps = 50;

    /// <summary>Default way a forecaster turns the network into an H-step forecast.</summary>
    public const EsnForecastMethod ForecastMethod = EsnForecastMethod.Direct;

    /// <summary>Default coverage of a forecaster's confidence bounds.</summary>
    public const float ConfidenceLevel = 0.95f;

    /// <summary>Default fraction of the series a forecaster holds out to measure the errors behind its bounds.</summary>
    public const double HeldOutFraction = 0.2;

    /// <summary>Default label column of a trainer, as in ML.NET.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>Default feature column of a trainer, as in ML.NET.</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>The score column a regression trainer appends, as in ML.NET.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Default for fitting an unpenalised intercept: the core's <see cref="ReadoutDefaults.FitIntercept"/> (true).</summary>
    public const bool FitIntercept = ReadoutDefaults.FitIntercept;

    /// <summary>Default number of contiguous blocks of rows when the ridge penalty is chosen by cross-validation.</summary>
    public const int CrossValidationFolds = 5;
}
