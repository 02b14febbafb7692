namespace Reservoir.Readouts.Persistence;

/// <summary>Writes and reads a <see cref="RidgeSolution"/>: its weights, intercept, whether λ penalised the intercept, and λ.</summary>
/// <remarks>
/// Version 1 stores the weights, the intercept and λ. Version 2 stores the <see cref="RidgeSolution.RegularizeIntercept"/>
/// flag (one byte) between the intercept and λ; a version 1 section loads with the flag false, the default.
/// </remarks>
internal static class RidgeSolutionSerializer
{
    /// <summary>The tag that opens the section.</summary>
    internal const string Tag = "RidgeSolution";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 2;

    /// <summary>Writes the solution.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    internal static void Write(ModelWriter writer, RidgeSolution solution)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(solution);
        writer.WriteSectionHeader(Tag, Version);
        writer.WriteMatrix(solution.GetWeights());
        writer.WriteDoubles(solution.GetIntercept());
        writer.WriteBoolean(solution.RegularizeIntercept);
        writer.WriteDouble(solution.L2Regularization);
    }

    /// <summary>Reads a solution written by <see cref="Write"/>.</summary>
    /// <returns>A solution that predicts exactly as the saved one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or a size or value is invalid.</exception>
    internal static RidgeSolution Read(ModelReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var start = reader.Offset;
        var version = reader.ReadSectionHeader(Tag, Version);
        var weightsOffset = reader.Offset;
        var weights = reader.ReadMatrix("the readout weights");
        var targets = weights.GetLength(0);
        var features = weights.GetLength(1);
        if (targets == 0 || features == 0)
        {
            throw new InvalidDataException(
                $"Invalid readout weights at offset {weightsOffset}: the matrix is {targets}×{features}; it needs at least one output and one feature.");
        }

        ModelReader.CheckFinite(weights.AsSpan(), "readout weights", weightsOffset + 2 * sizeof(int));
        var intercept = reader.ReadFiniteDoubles("the readout intercept", targets);
        var regularizeIntercept = version >= 2 && reader.ReadBoolean("the intercept penalty flag");
        var lambdaOffset = reader.Offset;
        var lambda = reader.ReadFiniteDouble("the ridge penalty");
        if (lambda < 0)
        {
            throw new InvalidDataException($"Invalid ridge penalty at offset {lambdaOffset}: {Guard.Format(lambda)} is negative.");
        }

        try
        {
            return RidgeSolution.FromWeights(weights, intercept, lambda, regularizeIntercept);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The readout at offset {start} is invalid: {e.Message}", e);
        }
    }
}
