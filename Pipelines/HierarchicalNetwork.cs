using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Reservoir.Pipelines;

/// <summary>Networks chained through intermediate readouts, each trained on its own targets (ReservoirPy's <c>r1 &gt;&gt; readout1 &gt;&gt; r2 &gt;&gt; readout2</c>).</summary>
/// <remarks>
/// <para>
/// Stage 0 reads the input u(t) and its readout predicts ŷ⁽⁰⁾(t) (trained on the stage's targets); stage k reads
/// v⁽ᵏ⁾(t) = [ŷ⁽ᵏ⁻¹⁾(t); u(t)] (u only when <see cref="HierarchicalStageOptions.ReadsInput"/>), runs its own reservoir (one
/// reservoir or a <see cref="ComposedReservoir"/>) and its readout predicts ŷ⁽ᵏ⁾(t). Each stage is an
/// <see cref="EchoStateNetwork"/> fitted through the one training path (streamed Gram, fixed or automatic λ).
/// </para>
/// <para>
/// Training fits the stages in order: stage k is trained on the teacher-forced predictions of the fitted stage k−1 over the
/// training inputs (from a zero state), which is what it reads when predicting. Every stage keeps its state at the end of
/// training, so <see cref="Predict(double[,])"/> continues right after the training data. Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class HierarchicalNetwork
{
    internal const string Kind = "HierarchicalNetwork";
    private const string Tag = "HierarchicalNetwork";
    private const ushort Version = 1;

    private readonly bool[] _readsInput;

    private HierarchicalNetwork(EchoStateNetwork[] stages, bool[] readsInput)
    {
        Stages = [.. stages];
        _readsInput = readsInput;
    }

    /// <summary>The fitted stages, in order.</summary>
    public ImmutableArray<EchoStateNetwork> Stages { get; }

    /// <summary>The input dimension D.</summary>
    public int InputDimension => Stages[0].InputDimension;

    /// <summary>The output dimension of the last stage.</summary>
    public int OutputDimension => Stages[^1].OutputDimension;

    /// <summary>Whether stage <paramref name="stage"/> reads the external input (always true for stage 0).</summary>
    /// <param name="stage">The stage, in [0, Stages.Length).</param>
    /// <returns>True when the stage reads u(t).</returns>
    public bool ReadsInput(int stage) => stage == 0 || _readsInput[stage];

    /// <summary>Fits the stages in order on one sequence, stage k on its own targets.</summary>
    /// <param name="stages">The stages, at least one.</param>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <param name="targets">One target sequence per stage, each T×K_k, finite.</param>
    /// <returns>The fitted hierarchy.</returns>
    /// <exception cref="ArgumentNullException">An argument, a stage or a target sequence is null.</exception>
    /// <exception cref="ArgumentException">The counts differ, a stage's options are invalid or give an input dimension other than what the stage reads, or the data are invalid; the message names the stage.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite.</exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is stages, the argument that holds the stage whose options are wrong.")]
    public static HierarchicalNetwork Fit(IReadOnlyList<HierarchicalStageOptions> stages, double[,] inputs, IReadOnlyList<double[,]> targets)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (stages.Count == 0)
        {
            throw new ArgumentException("stages is empty; give at least one stage.", nameof(stages));
        }

        if (targets.Count != stages.Count)
        {
            throw new ArgumentException($"targets has {targets.Count} sequences but there are {stages.Count} stages; give one per stage.", nameof(targets));
        }

        var fitted = new EchoStateNetwork[stages.Count];
        var readsInput = new bool[stages.Count];
        var stageInputs = inputs;
        for (var k = 0; k < stages.Count; k++)
        {
            var stage = stages[k] ?? throw new ArgumentNullException(nameof(stages), $"stages[{k}] is null.");
            ArgumentNullException.ThrowIfNull(stage.Network, $"stages[{k}].Network");
            readsInput[k] = k == 0 || stage.ReadsInput;
            if (k > 0)
            {
                // What stage k−1 outputs over the training inputs (teacher-forced, from a zero state) is what stage k reads.
                var previous = fitted[k - 1].Predict(fitted[k - 1].Composition.CreateState(), stageInputs);
                stageInputs = readsInput[k] ? Concatenate(previous, inputs) : previous;
            }

            try
            {
                fitted[k] = EchoStateNetwork.Fit(WithInputDimension(stage.Network, stageInputs.GetLength(1), k), stageInputs,
                    targets[k] ?? throw new ArgumentNullException(nameof(targets), $"targets[{k}] is null."));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentOutOfRangeException(e.ParamName, e.ActualValue, $"Stage {k}: {MLNet.OptionChecks.MessageWithoutParameter(e)}");
            }
            catch (ArgumentException e) when (e is not ArgumentNullException)
            {
                throw new ArgumentException($"Stage {k}: {e.Message}", e.ParamName, e);
            }
        }

        return new HierarchicalNetwork(fitted, readsInput);
    }

    /// <summary>The outputs of the last stage, continuing every stage from its state at the end of training.</summary>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <returns>The outputs, T×K of the last stage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite.</exception>
    public double[,] Predict(double[,] inputs) => PredictStages(inputs)[^1];

    /// <summary>The outputs of every stage, continuing each from its state at the end of training.</summary>
    /// <param name="inputs">The inputs u, T×D, finite.</param>
    /// <returns>One T×K_k array per stage, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentException">The input width differs from D, the sequence is empty, or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">A reservoir state became non-finite.</exception>
    public IReadOnlyList<double[,]> PredictStages(double[,] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outputs = new double[Stages.Length][,];
        var stageInputs = inputs;
        for (var k = 0; k < Stages.Length; k++)
        {
            if (k > 0)
            {
                stageInputs = ReadsInput(k) ? Concatenate(outputs[k - 1], inputs) : outputs[k - 1];
            }

            outputs[k] = Stages[k].Predict(stageInputs);
        }

        return outputs;
    }

    /// <summary>Saves the hierarchy (every stage's network) to a file, atomically, in the model-file format.</summary>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public void Save(string path) => ModelFile.Save(path, Kind, Write);

    /// <summary>Writes the hierarchy to a stream in the model-file format.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    public void Save(Stream stream) => ModelFile.Write(stream, Kind, Write);

    /// <summary>Loads a hierarchy saved by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The hierarchy, predicting bit-identically to the saved one.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The file is not a hierarchy, is damaged, or was written by a newer version.</exception>
    public static HierarchicalNetwork Load(string path) => ModelFile.Load(path, Kind, Read);

    /// <summary>Loads a hierarchy from a stream written by <see cref="Save(Stream)"/>.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The hierarchy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="IOException">Reading fails.</exception>
    /// <exception cref="ModelFormatException">The content is not a hierarchy, is damaged, or was written by a newer version.</exception>
    public static HierarchicalNetwork Load(Stream stream) => ModelFile.Read(stream, Kind, Read);

    private void Write(ModelWriter writer)
    {
        writer.WriteSectionHeader(Tag, Version);
        writer.WriteInt32(Stages.Length);
        for (var k = 0; k < Stages.Length; k++)
        {
            writer.WriteBoolean(ReadsInput(k));
            EchoStateNetworkSerializer.Write(writer, Stages[k]);
        }
    }

    private static HierarchicalNetwork Read(ModelReader reader)
    {
        var start = reader.Offset;
        reader.ReadSectionHeader(Tag, Version);
        var count = reader.ReadCount("stages", minBytesPerItem: 2);
        if (count == 0)
        {
            throw new ModelFormatException($"The hierarchy at offset {start} has no stage.");
        }

        var stages = new EchoStateNetwork[count];
        var readsInput = new bool[count];
        for (var k = 0; k < count; k++)
        {
            readsInput[k] = reader.ReadBoolean($"whether stage {k} reads the input");
            stages[k] = EchoStateNetworkSerializer.Read(reader);
            var expected = k == 0 ? stages[0].InputDimension
                : stages[k - 1].OutputDimension + (readsInput[k] ? stages[0].InputDimension : 0);
            if (stages[k].InputDimension != expected || (k == 0 && !readsInput[0]))
            {
                throw new ModelFormatException(
                    $"Stage {k} of the hierarchy at offset {start} reads {stages[k].InputDimension} values but the stages before it give {expected}.");
            }
        }

        return new HierarchicalNetwork(stages, readsInput);
    }

    /// <summary>The options with the reservoir's (or composition's) input dimension set to <paramref name="width"/>; a different non-default value is refused.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is stages, the argument that holds the stage whose options are wrong.")]
    private static EchoStateNetworkOptions WithInputDimension(EchoStateNetworkOptions options, int width, int stage)
    {
        var given = options.Composition?.InputDimension ?? options.Reservoir?.InputDimension ?? ReservoirDefaults.InputDimension;
        if (given != ReservoirDefaults.InputDimension && given != width)
        {
            throw new ArgumentException(
                $"stages[{stage}].Network gives input dimension {given} but the stage reads {width} values; leave it at 1 to derive it, or set {width}.",
                "stages");
        }

        return options.Composition is { } composition ? options with { Composition = composition with { InputDimension = width } }
            : options.Reservoir is { } reservoir ? options with { Reservoir = reservoir with { InputDimension = width } }
            : options;
    }

    private static double[,] Concatenate(double[,] left, double[,] right)
    {
        var rows = left.GetLength(0);
        var a = left.GetLength(1);
        var b = right.GetLength(1);
        var result = new double[rows, a + b];
        for (var t = 0; t < rows; t++)
        {
            for (var i = 0; i < a; i++)
            {
                result[t, i] = left[t, i];
            }

            for (var i = 0; i < b; i++)
            {
                result[t, a + i] = right[t, i];
            }
        }

        return result;
    }
}
