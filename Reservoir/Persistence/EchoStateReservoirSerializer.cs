using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Reservoir.Persistence;

/// <summary>Writes and reads an <see cref="EchoStateReservoir"/> with every weight as stored, so a loaded reservoir runs bit-identically.</summary>
/// <remarks>
/// The section holds N, D, F, the activation, the state-noise amplitude and the seed of the noise streams, the leak
/// rates, the bias, W in CSR form, W_in, W_fb, each skip matrix with its delay, the clockwork periods and module sizes,
/// the options when the reservoir has them, the precision and the carry matrix. Reading rebuilds the reservoir from these weights without redrawing or
/// rescaling anything, after checking every size and value.
/// <para>
/// Version 2 appends the <see cref="EchoStateReservoir.Precision"/> of the step after the options; a version-1 section
/// (written before precision existed) reads as <see cref="Precision.Double"/>.
/// </para>
/// <para>
/// Version 3 appends the carry matrix (<see cref="EchoStateReservoir.CarryWeights"/>: a presence flag, then the matrix
/// in CSR form); an older section reads as the identity carry, the leaky update.
/// </para>
/// </remarks>
internal static class EchoStateReservoirSerializer
{
    /// <summary>The tag that opens the section.</summary>
    internal const string Tag = "EchoStateReservoir";

    /// <summary>The newest section version written and read.</summary>
    internal const ushort Version = 3;

    // A skip connection is at least its delay, the matrix sizes and three empty length prefixes.
    private const int MinSkipBytes = 6 * sizeof(int);

    /// <summary>Writes the reservoir.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    internal static void Write(ModelWriter writer, EchoStateReservoir reservoir)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reservoir);
        writer.WriteSectionHeader(Tag, Version);
        writer.WriteInt32(reservoir.UnitCount);
        writer.WriteInt32(reservoir.InputDimension);
        writer.WriteInt32(reservoir.FeedbackDimension);
        writer.WriteEnum(reservoir.Activation);
        writer.WriteDouble(reservoir.StateNoise);
        writer.WriteInt32(reservoir.NoiseSeed);
        writer.WriteDoubles(reservoir.LeakRates);
        writer.WriteDoubles(reservoir.Bias);
        WriteSparse(writer, reservoir.RecurrentWeights);
        writer.WriteMatrix(reservoir.GetInputWeights());
        writer.WriteMatrix(reservoir.GetFeedbackWeights());
        writer.WriteInt32(reservoir.SkipWeights.Length);
        foreach (var skip in reservoir.SkipWeights)
        {
            writer.WriteInt32(skip.Delay);
            WriteSparse(writer, skip.Weights);
        }

        var periods = reservoir.ClockworkPeriods;
        var starts = reservoir.ClockworkModuleStarts;
        var sizes = new int[periods.Length];
        for (var m = 0; m < sizes.Length; m++)
        {
            sizes[m] = starts[m + 1] - starts[m];
        }

        writer.WriteInt32s([.. periods]);
        writer.WriteInt32s(sizes);
        writer.WriteBoolean(reservoir.Options is not null);
        if (reservoir.Options is { } options)
        {
            ReservoirOptionsSerializer.Write(writer, options);
        }

        writer.WriteEnum(reservoir.Precision);
        writer.WriteBoolean(reservoir.CarryWeights is not null);
        if (reservoir.CarryWeights is { } carry)
        {
            WriteSparse(writer, carry);
        }
    }

    /// <summary>Reads a reservoir written by <see cref="Write"/>.</summary>
    /// <returns>A reservoir with the saved weights, noise seed and options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="InvalidDataException">The section is truncated, of another tag or a newer version, or a size or value is invalid.</exception>
    internal static EchoStateReservoir Read(ModelReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var start = reader.Offset;
        var version = reader.ReadSectionHeader(Tag, Version);
        var n = reader.ReadInt32("the unit count", 1, int.MaxValue);
        var d = reader.ReadInt32("the input dimension", 1, int.MaxValue);
        var f = reader.ReadInt32("the feedback dimension", 0, int.MaxValue);
        var activation = reader.ReadEnum<Activation>("the activation");
        var noiseOffset = reader.Offset;
        var stateNoise = reader.ReadFiniteDouble("the state noise amplitude");
        if (stateNoise < 0)
        {
            throw new InvalidDataException(
                $"Invalid state noise amplitude at offset {noiseOffset}: {Guard.Format(stateNoise)} is negative.");
        }

        var seed = reader.ReadInt32("the noise seed");
        var leakOffset = reader.Offset;
        var leakRates = reader.ReadFiniteDoubles("the leak rates", n);
        for (var i = 0; i < n; i++)
        {
            if (leakRates[i] <= 0 || leakRates[i] > 1)
            {
                throw new InvalidDataException(
                    $"Invalid leak rate of unit {i} in the leak rates at offset {leakOffset}: {Guard.Format(leakRates[i])} is outside (0, 1].");
            }
        }

        var bias = reader.ReadFiniteDoubles("the bias", n);
        var recurrent = ReadSparse(reader, "the recurrent weights", n);
        var input = reader.ReadFiniteMatrix("the input weights", n, d);
        var feedback = reader.ReadFiniteMatrix("the feedback weights", n, f);
        var skips = new DelayedWeights[reader.ReadCount("skip connections", MinSkipBytes)];
        for (var s = 0; s < skips.Length; s++)
        {
            var delayOffset = reader.Offset;
            var delay = reader.ReadInt32($"the delay of skip connection {s}", 1, int.MaxValue);
            if ((long)delay * n > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"Invalid delay of skip connection {s} at offset {delayOffset}: a delay of {delay} steps for {n} units needs a buffer of {(long)delay * n} values, more than an array can hold.");
            }

            skips[s] = new DelayedWeights(delay, ReadSparse(reader, $"the weights of skip connection {s}", n));
        }

        var clockworkOffset = reader.Offset;
        var periods = reader.ReadInt32s("the clockwork periods");
        var sizes = reader.ReadInt32s("the clockwork module sizes");
        if (sizes.Length != periods.Length)
        {
            throw new InvalidDataException(
                $"Invalid clockwork at offset {clockworkOffset}: {periods.Length} periods but {sizes.Length} module sizes.");
        }

        var clockwork = periods.Length == 0 ? null : new ClockworkOptions
        {
            Periods = ImmutableCollectionsMarshal.AsImmutableArray(periods),
            ModuleSizes = ImmutableCollectionsMarshal.AsImmutableArray(sizes),
        };
        var options = reader.ReadBoolean("the options presence flag") ? ReservoirOptionsSerializer.Read(reader) : null;
        var precision = version >= 2 ? reader.ReadEnum<Precision>("the precision") : Precision.Double;
        var carry = version >= 3 && reader.ReadBoolean("the carry presence flag")
            ? ReadSparse(reader, "the carry weights", n)
            : null;
        var weights = new ReservoirWeights
        {
            Recurrent = recurrent,
            Input = SparseWeights.FromDense(input),
            LeakRates = ImmutableCollectionsMarshal.AsImmutableArray(leakRates),
            Bias = ImmutableCollectionsMarshal.AsImmutableArray(bias),
            Feedback = f == 0 ? null : SparseWeights.FromDense(feedback),
            Skip = ImmutableCollectionsMarshal.AsImmutableArray(skips),
            Carry = carry,
            Clockwork = clockwork,
            Activation = activation,
            StateNoise = stateNoise,
            Seed = seed,
            Precision = precision,
        };

        if (options is not null)
        {
            CheckOptionsDescribe(options, weights, n, d, f, start);
        }

        try
        {
            return EchoStateReservoir.FromWeights(weights, options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The reservoir at offset {start} is invalid: {e.Message}", e);
        }
    }

    /// <summary>Writes a sparse matrix as its sizes and CSR arrays.</summary>
    internal static void WriteSparse(ModelWriter writer, SparseWeights matrix)
    {
        writer.WriteInt32(matrix.RowCount);
        writer.WriteInt32(matrix.ColumnCount);
        writer.WriteInt32s(matrix.RowPointers);
        writer.WriteInt32s(matrix.ColumnIndices);
        writer.WriteDoubles(matrix.Values);
    }

    /// <summary>Reads an n×n sparse matrix and checks its CSR layout: pointers from 0, never decreasing, columns in range and ascending in each row, values finite.</summary>
    /// <exception cref="InvalidDataException">The layout or a value is invalid.</exception>
    internal static SparseWeights ReadSparse(ModelReader reader, string what, int n)
    {
        var offset = reader.Offset;
        var rows = reader.ReadInt32(what + " row count");
        var columns = reader.ReadInt32(what + " column count");
        if (rows != n || columns != n)
        {
            throw new InvalidDataException($"Invalid size of {what} at offset {offset}: the matrix is {rows}×{columns} but {n}×{n} is expected.");
        }

        var pointers = reader.ReadInt32s(what + " row pointers");
        var indices = reader.ReadInt32s(what + " column indices");
        var valuesOffset = reader.Offset;
        var values = reader.ReadDoubles(what + " values");
        if (pointers.Length != n + 1 || indices.Length != values.Length)
        {
            throw new InvalidDataException(
                $"Invalid CSR layout of {what} at offset {offset}: {pointers.Length} row pointers, {indices.Length} column indices and {values.Length} values; expected {n + 1} row pointers and as many indices as values.");
        }

        if (pointers[0] != 0 || pointers[n] != values.Length)
        {
            throw new InvalidDataException(
                $"Invalid CSR layout of {what} at offset {offset}: the row pointers run from {pointers[0]} to {pointers[n]}; they must run from 0 to the {values.Length} stored values.");
        }

        for (var row = 0; row < n; row++)
        {
            var first = pointers[row];
            var end = pointers[row + 1];
            if (end < first || end > values.Length)
            {
                throw new InvalidDataException(end < first
                    ? $"Invalid CSR layout of {what} at offset {offset}: row pointer {row + 1} is {end} after {first}; the pointers must not decrease."
                    : $"Invalid CSR layout of {what} at offset {offset}: row pointer {row + 1} is {end}, past the {values.Length} stored values.");
            }

            for (var k = first; k < end; k++)
            {
                var column = indices[k];
                if ((uint)column >= (uint)n || (k > first && column <= indices[k - 1]))
                {
                    throw new InvalidDataException(
                        $"Invalid CSR layout of {what} at offset {offset}: row {row} has column index {column} at entry {k}; columns must be in [0, {n}) and strictly increasing within a row.");
                }
            }
        }

        ModelReader.CheckFinite(values, what + " values", valuesOffset + sizeof(int));
        return SparseWeights.FromCompressedRows(n, n, pointers, indices, values);
    }

    /// <summary>Checks that stored options describe the stored weights, so a loaded reservoir never reports options it does not follow.</summary>
    private static void CheckOptionsDescribe(ReservoirOptions options, ReservoirWeights weights, int n, int d, int f, long offset)
    {
        string? problem = null;
        if (options.UnitCount != n || options.InputDimension != d || options.FeedbackDimension != f)
        {
            problem = $"they give {options.UnitCount} units, {options.InputDimension} inputs and {options.FeedbackDimension} fed-back outputs, the weights {n}, {d} and {f}";
        }
        else if (options.Activation != weights.Activation)
        {
            problem = $"they give the activation {options.Activation}, the weights {weights.Activation}";
        }
        else if (options.StateNoise.CompareTo(weights.StateNoise) != 0 || options.Seed != weights.Seed)
        {
            problem = $"they give state noise {Guard.Format(options.StateNoise)} with seed {options.Seed}, the weights {Guard.Format(weights.StateNoise)} with seed {weights.Seed}";
        }
        else if (!SameDelays(options.SkipConnections, weights.Skip))
        {
            problem = $"they give {options.SkipConnections.Length} skip connections, the weights {weights.Skip.Length} with other delays";
        }
        else if (!SamePeriods(options.Clockwork, weights.Clockwork))
        {
            problem = "their clockwork periods differ from the weights'";
        }
        else if (options.Precision != weights.Precision)
        {
            problem = $"they give the precision {options.Precision}, the weights {weights.Precision}";
        }
        else if ((options.StateCarry == StateCarry.Orthogonal) != (weights.Carry is not null))
        {
            problem = $"they give StateCarry = {options.StateCarry}, the weights {(weights.Carry is null ? "no" : "a")} carry matrix";
        }

        if (problem is not null)
        {
            throw new InvalidDataException($"The reservoir at offset {offset} is inconsistent: the saved options do not describe the saved weights; {problem}.");
        }
    }

    private static bool SameDelays(ImmutableArray<SkipConnection> options, ImmutableArray<DelayedWeights> weights)
    {
        if (options.Length != weights.Length)
        {
            return false;
        }

        for (var s = 0; s < options.Length; s++)
        {
            if (options[s].Delay != weights[s].Delay)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SamePeriods(ClockworkOptions? options, ClockworkOptions? weights) =>
        options is null || weights is null
            ? options is null && weights is null
            : options.Periods.SequenceEqual(weights.Periods);
}
