namespace Reservoir;

/// <summary>The argument checks of a run (one sequence or many), shared by <see cref="EchoStateReservoir"/> and <see cref="ComposedReservoir"/>.</summary>
internal static class RunArguments
{
    /// <summary>Validates the arguments of a run over many sequences; a bad sequence or teacher sequence is named by its index; <paramref name="subject"/> names the runner in messages.</summary>
    internal static void Sequences(IReadOnlyList<double[,]> sequences, int washoutSteps, IReadOnlyList<double[,]>? teacherOutputs,
        int maxDegreeOfParallelism, int inputDimension, int feedbackDimension, string subject)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism,
                $"maxDegreeOfParallelism must be -1 or >= 1; was {maxDegreeOfParallelism}.");
        }

        if (teacherOutputs is not null)
        {
            if (feedbackDimension == 0)
            {
                throw new ArgumentException($"teacherOutputs were given but the {subject} has no feedback (FeedbackDimension = 0).",
                    nameof(teacherOutputs));
            }

            if (teacherOutputs.Count != sequences.Count)
            {
                throw new ArgumentException(
                    $"teacherOutputs has {teacherOutputs.Count} sequences but sequences has {sequences.Count}; give one teacher sequence per input sequence.",
                    nameof(teacherOutputs));
            }
        }

        for (var i = 0; i < sequences.Count; i++)
        {
            var teacher = teacherOutputs?[i];
            if (teacherOutputs is not null && teacher is null)
            {
                throw new ArgumentException($"teacherOutputs[{i}] is null; give a T×{feedbackDimension} array per sequence.",
                    nameof(teacherOutputs));
            }

            try
            {
                Inputs(sequences[i], washoutSteps, teacher, inputDimension, feedbackDimension, subject);
            }
            catch (ArgumentException e) when (e.ParamName == nameof(teacherOutputs))
            {
                throw new ArgumentException($"teacherOutputs[{i}]: {e.Message}", nameof(teacherOutputs), e);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"sequences[{i}]: {e.Message}", nameof(sequences), e);
            }
        }
    }

    /// <summary>Validates one input sequence (and its teacher outputs) against the runner's dimensions.</summary>
    internal static void Inputs(double[,] inputs, int washoutSteps, double[,]? teacherOutputs, int inputDimension, int feedbackDimension,
        string subject)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var total = inputs.GetLength(0);
        if (total == 0)
        {
            throw new ArgumentException("inputs must contain at least one step; was empty.", nameof(inputs));
        }

        if (inputs.GetLength(1) != inputDimension)
        {
            throw new ArgumentException(
                $"Input has {inputs.GetLength(1)} features but the {subject} was built for {inputDimension}.", nameof(inputs));
        }

        if (washoutSteps < 0 || washoutSteps >= total)
        {
            throw new ArgumentOutOfRangeException(nameof(washoutSteps), washoutSteps,
                $"washoutSteps must be in [0, {total}) for a sequence of {total} steps; was {washoutSteps}. The sequence must be longer than the washout.");
        }

        Guard.AllFinite(inputs);
        if (teacherOutputs is not null)
        {
            if (feedbackDimension == 0)
            {
                throw new ArgumentException($"teacherOutputs were given but the {subject} has no feedback (FeedbackDimension = 0).",
                    nameof(teacherOutputs));
            }

            if (teacherOutputs.GetLength(0) != total || teacherOutputs.GetLength(1) != feedbackDimension)
            {
                throw new ArgumentException(
                    $"teacherOutputs is {teacherOutputs.GetLength(0)}×{teacherOutputs.GetLength(1)}; expected {total}×{feedbackDimension}.",
                    nameof(teacherOutputs));
            }

            Guard.AllFinite(teacherOutputs);
        }
    }
}
