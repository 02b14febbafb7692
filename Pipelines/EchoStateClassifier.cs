using System.Diagnostics.CodeAnalysis;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Classifies whole sequences: a fixed reservoir reads each sequence and a ridge classifier decides from its states.</summary>
/// <remarks>
/// Every sequence is run from a zero state (in parallel, with the same result as one by one). With
/// <see cref="SequenceDecision.SequenceFeatures"/> one feature row per sequence (last state, mean state, or k evenly
/// spaced states) is classified; with <see cref="SequenceDecision.StepVoting"/> or
/// <see cref="SequenceDecision.MeanStepScore"/> every step is a training row labelled with its sequence's class, and the
/// steps vote. A fitted classifier is immutable and thread-safe.
/// </remarks>
public sealed class EchoStateClassifier
{
    private EchoStateClassifier(EchoStateReservoir reservoir, RidgeClassifierModel model, EchoStateClassifierOptions options)
    {
        Reservoir = reservoir;
        Model = model;
        Options = options;
    }

    /// <summary>The reservoir.</summary>
    public EchoStateReservoir Reservoir { get; }

    /// <summary>The trained ridge classifier.</summary>
    public RidgeClassifierModel Model { get; }

    /// <summary>The options it was trained with.</summary>
    public EchoStateClassifierOptions Options { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => Model.ClassCount;

    /// <summary>Builds the reservoir and trains the classifier on labelled sequences.</summary>
    /// <param name="options">The hyperparameters.</param>
    /// <param name="sequences">The sequences, each T_i×D with T_i &gt; washout, finite; lengths may differ.</param>
    /// <param name="labels">The class of each sequence, in [0, classCount).</param>
    /// <param name="classCount">The number of classes, ≥ 2.</param>
    /// <param name="maxDegreeOfParallelism">The most sequences run at once; −1 (default) lets the runtime choose.</param>
    /// <returns>The fitted classifier.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range, the counts differ, a label is out of range, or a sequence is too short, of the wrong width or not finite.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite.</exception>
    public static EchoStateClassifier Fit(EchoStateClassifierOptions options, IReadOnlyList<double[,]> sequences,
        IReadOnlyList<int> labels, int classCount, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Reservoir, nameof(options.Reservoir));
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(labels);
        var classifier = new RidgeClassifier(classCount, options.Classifier);
        Validate(options);
        if (labels.Count != sequences.Count || sequences.Count == 0)
        {
            throw new ArgumentException(
                $"labels has {labels.Count} entries but sequences has {sequences.Count}; give one label per sequence (at least one).",
                nameof(labels));
        }

        for (var i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i],
                    $"labels[{i}] must be in [0, {classCount}); was {labels[i]}.");
            }
        }

        var reservoir = new EchoStateReservoir(options.Reservoir);
        var states = reservoir.Run(sequences, options.WashoutSteps, maxDegreeOfParallelism);
        var width = FeatureWidth(reservoir, options);
        var gram = classifier.CreateAccumulator(width);
        for (var i = 0; i < states.Length; i++)
        {
            if (options.Decision == SequenceDecision.SequenceFeatures)
            {
                var row = SequenceFeatures.Extract(states[i], options.Features, options.SampleCount);
                classifier.Accumulate(gram, row, [labels[i]], 1);
            }
            else
            {
                var rows = states[i].GetLength(0);
                var stepLabels = new int[rows];
                Array.Fill(stepLabels, labels[i]);
                classifier.Accumulate(gram, states[i].AsSpan(), stepLabels, rows);
            }
        }

        return new EchoStateClassifier(reservoir, classifier.Fit(gram), options);
    }

    /// <summary>The class of one sequence.</summary>
    /// <param name="sequence">The sequence, T×D with T &gt; washout, finite.</param>
    /// <returns>The class index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequence"/> is null.</exception>
    /// <exception cref="ArgumentException">The sequence is too short, of the wrong width or not finite.</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite.</exception>
    public int Predict(double[,] sequence)
    {
        var states = Reservoir.Run(sequence, Options.WashoutSteps);
        return Options.Decision switch
        {
            SequenceDecision.StepVoting => Model.PredictByVoting(states),
            SequenceDecision.MeanStepScore => Model.PredictByMeanScore(states),
            _ => Model.Predict(SequenceFeatures.Extract(states, Options.Features, Options.SampleCount)),
        };
    }

    /// <summary>The classes of many sequences, run in parallel.</summary>
    /// <param name="sequences">The sequences.</param>
    /// <returns>One class index per sequence.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A sequence is too short, of the wrong width or not finite.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite.</exception>
    public int[] Predict(IReadOnlyList<double[,]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var result = new int[sequences.Count];
        Parallel.For(0, sequences.Count, i => result[i] = Predict(sequences[i]));
        return result;
    }

    private static int FeatureWidth(EchoStateReservoir reservoir, EchoStateClassifierOptions options) =>
        options.Decision == SequenceDecision.SequenceFeatures
            ? SequenceFeatures.Length(reservoir.UnitCount, options.Features, options.SampleCount)
            : reservoir.UnitCount;

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",

        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "

            + "wrote (Decision, Features), not the method's parameter.")]
    private static void Validate(EchoStateClassifierOptions options)
    {
        Guard.AtLeast(options.WashoutSteps, 0);
        Guard.AtLeast(options.SampleCount, 1);
        if (!Enum.IsDefined(options.Decision))
        {
            throw new ArgumentOutOfRangeException(nameof(options.Decision), options.Decision,
                $"Decision must be one of {string.Join(", ", Enum.GetNames<SequenceDecision>())}; was {options.Decision}.");
        }

        if (!Enum.IsDefined(options.Features))
        {
            throw new ArgumentOutOfRangeException(nameof(options.Features), options.Features,
                $"Features must be one of {string.Join(", ", Enum.GetNames<SequenceFeatureKind>())}; was {options.Features}.");
        }
    }
}
