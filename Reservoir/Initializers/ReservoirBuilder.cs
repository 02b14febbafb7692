using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Reservoir.Observables;

namespace Reservoir;

/// <summary>Validates options and draws the weights of a reservoir from them.</summary>
internal static class ReservoirBuilder
{
    /// <summary>Validates the options and draws every matrix from its own seed sub-stream.</summary>
    internal static ReservoirWeights Build(ReservoirOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var n = options.UnitCount;
        var d = options.InputDimension;
        var seed = options.Seed;
        var clockwork = options.Clockwork;
        Func<int, int>? firstAllowed = null;
        if (clockwork is not null)
        {
            var sizes = ModuleSizes(clockwork, n);
            var firstOfModule = new int[n];
            var start = 0;
            foreach (var size in sizes)
            {
                firstOfModule.AsSpan(start, size).Fill(start);
                start += size;
            }

            // Unit i receives only from its own module and slower ones (higher unit indices).
            firstAllowed = row => firstOfModule[row];
        }

        var recurrent = options.Topology switch
        {
            ReservoirTopology.SimpleCycle => SimpleCycle(n, options.SpectralRadius),
            ReservoirTopology.DelayLine => TopologyFactory.DelayLine(n, options.SpectralRadius),
            ReservoirTopology.CycleWithJumps => TopologyFactory.CycleWithJumps(n, options.SpectralRadius,
                options.JumpLength, options.JumpWeight),
            ReservoirTopology.Orthogonal => TopologyFactory.Orthogonal(n, options.SpectralRadius,
                SeedStreams.Create(seed, SeedStreams.Recurrent)),
            ReservoirTopology.SmallWorld => Rescaled(
                TopologyFactory.SmallWorld(n, options.SmallWorldNeighbours, options.RewiringProbability,
                    options.RecurrentWeightDistribution, SeedStreams.Create(seed, SeedStreams.Recurrent)),
                options.SpectralRadius, nameof(options.SmallWorldNeighbours)),
            _ => RescaledRandom(n, options.RecurrentConnectivity, options.RecurrentInDegree,
                options.RecurrentWeightDistribution, options.SpectralRadius,
                SeedStreams.Create(seed, SeedStreams.Recurrent), firstAllowed, nameof(options.RecurrentConnectivity)),
        };

        var input = new double[n, d];
        for (var column = 0; column < d; column++)
        {
            var scale = options.InputScalingPerInput?[column] ?? options.InputScaling;
            var values = WeightFactory.SparseVector(n, options.InputConnectivity, scale, options.InputWeightDistribution,
                SeedStreams.Create(seed, SeedStreams.Input, column));
            for (var row = 0; row < n; row++)
            {
                input[row, column] = values[row];
            }
        }

        var bias = options.BiasScaling == 0
            ? null
            : WeightFactory.SparseVector(n, options.InputConnectivity, options.BiasScaling,
                options.InputWeightDistribution, SeedStreams.Create(seed, SeedStreams.Bias));

        double[,]? feedback = null;
        if (options.FeedbackDimension > 0)
        {
            feedback = new double[n, options.FeedbackDimension];
            for (var column = 0; column < options.FeedbackDimension; column++)
            {
                var values = WeightFactory.SparseVector(n, options.FeedbackConnectivity, options.FeedbackScaling,
                    options.InputWeightDistribution, SeedStreams.Create(seed, SeedStreams.Feedback, column));
                for (var row = 0; row < n; row++)
                {
                    feedback[row, column] = values[row];
                }
            }
        }

        var skips = new DelayedWeights[options.SkipConnections.Length];
        for (var s = 0; s < skips.Length; s++)
        {
            var skip = options.SkipConnections[s];
            var weights = RescaledRandom(n, skip.Connectivity, null, options.RecurrentWeightDistribution,
                skip.SpectralRadius, SeedStreams.Create(seed, SeedStreams.Skip, s), firstAllowed,
                nameof(options.SkipConnections));
            skips[s] = new DelayedWeights(skip.Delay, weights);
        }

        var leakRates = options.LeakRates.Sample(n, SeedStreams.Create(seed, SeedStreams.LeakRates));
        var carry = options.StateCarry == StateCarry.Orthogonal
            ? TopologyFactory.Orthogonal(n, 1.0, SeedStreams.Create(seed, SeedStreams.Carry))
            : null;
        return new ReservoirWeights
        {
            Recurrent = recurrent,
            Input = SparseWeights.FromDense(input),
            LeakRates = ImmutableCollectionsMarshal.AsImmutableArray(leakRates),
            Bias = bias is null ? null : ImmutableCollectionsMarshal.AsImmutableArray(bias),
            Feedback = feedback is null ? null : SparseWeights.FromDense(feedback),
            Skip = ImmutableCollectionsMarshal.AsImmutableArray(skips),
            Carry = carry,
            Clockwork = clockwork,
            Activation = options.Activation,
            StateNoise = options.StateNoise,
            Seed = seed,
            Precision = options.Precision,
        };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option and its value.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "
            + "wrote (e.g. SkipConnections, Clockwork), not the method's parameter.")]
    internal static void Validate(ReservoirOptions options)
    {
        Guard.AtLeast(options.UnitCount, 1);
        Guard.AtLeast(options.InputDimension, 1);
        Guard.Positive(options.SpectralRadius);
        ArgumentNullException.ThrowIfNull(options.LeakRates, nameof(options.LeakRates));
        options.LeakRates.Validate(nameof(options.LeakRates));
        Guard.Positive(options.InputScaling);
        if (options.InputScalingPerInput is { } perInput)
        {
            ImmutableArrays.ThrowIfDefault(perInput, nameof(options.InputScalingPerInput));
            if (perInput.Length != options.InputDimension)
            {
                throw new ArgumentException(
                    $"InputScalingPerInput has {perInput.Length} entries but InputDimension is {options.InputDimension}.",
                    nameof(options.InputScalingPerInput));
            }

            for (var i = 0; i < perInput.Length; i++)
            {
                if (!double.IsFinite(perInput[i]) || perInput[i] <= 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(options.InputScalingPerInput), perInput[i],
                        $"InputScalingPerInput[{i}] must be finite and > 0; was {Guard.Format(perInput[i])}.");
                }
            }
        }

        Guard.InUnitInterval(options.InputConnectivity);
        Guard.InUnitInterval(options.RecurrentConnectivity);
        if (options.RecurrentInDegree is { } inDegree && (inDegree < 1 || inDegree > options.UnitCount))
        {
            throw new ArgumentOutOfRangeException(nameof(options.RecurrentInDegree), inDegree,
                $"RecurrentInDegree must be in [1, UnitCount = {options.UnitCount}]; was {inDegree}.");
        }

        Guard.NonNegative(options.BiasScaling);
        Guard.NonNegative(options.StateNoise);
        Guard.AtLeast(options.FeedbackDimension, 0);
        Guard.Positive(options.FeedbackScaling);
        Guard.InUnitInterval(options.FeedbackConnectivity);
        CheckDefined(options.Activation, nameof(options.Activation));
        CheckDefined(options.Topology, nameof(options.Topology));
        ValidateTopology(options);
        CheckDefined(options.RecurrentWeightDistribution, nameof(options.RecurrentWeightDistribution));
        CheckDefined(options.InputWeightDistribution, nameof(options.InputWeightDistribution));
        CheckDefined(options.Precision, nameof(options.Precision));
        CheckDefined(options.StateCarry, nameof(options.StateCarry));
        ImmutableArrays.ThrowIfDefault(options.SkipConnections, nameof(options.SkipConnections));
        for (var s = 0; s < options.SkipConnections.Length; s++)
        {
            var skip = options.SkipConnections[s] ?? throw new ArgumentException(
                $"SkipConnections[{s}] is null.", nameof(options.SkipConnections));
            if (skip.Delay < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options.SkipConnections), skip.Delay,
                    $"SkipConnections[{s}].Delay must be >= 1; was {skip.Delay}.");
            }

            if (!double.IsFinite(skip.SpectralRadius) || skip.SpectralRadius <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options.SkipConnections), skip.SpectralRadius,
                    $"SkipConnections[{s}].SpectralRadius must be finite and > 0; was {Guard.Format(skip.SpectralRadius)}.");
            }

            if (!double.IsFinite(skip.Connectivity) || skip.Connectivity <= 0 || skip.Connectivity > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options.SkipConnections), skip.Connectivity,
                    $"SkipConnections[{s}].Connectivity must be in (0, 1]; was {Guard.Format(skip.Connectivity)}.");
            }
        }

        if (options.Clockwork is { } clockwork)
        {
            ModuleSizes(clockwork, options.UnitCount);
            var broken = options.Topology switch
            {
                ReservoirTopology.SimpleCycle => "breaks the cycle",
                ReservoirTopology.DelayLine => "cuts the line",
                ReservoirTopology.CycleWithJumps => "breaks the cycle and its jumps",
                ReservoirTopology.Orthogonal => "makes W no longer orthogonal",
                ReservoirTopology.SmallWorld => "breaks the ring lattice",
                _ => null,
            };
            if (broken is not null)
            {
                throw new ArgumentException(
                    $"Clockwork cannot be combined with Topology = {options.Topology}: removing the connections from faster to slower modules {broken}.",
                    nameof(options.Clockwork));
            }

            if (options.StateCarry != StateCarry.Identity)
            {
                throw new ArgumentException(
                    $"Clockwork cannot be combined with StateCarry = {options.StateCarry}: the carry O·x mixes every unit, so a module could not hold its state between its update steps; set StateCarry = Identity or Clockwork = null.",
                    nameof(options.Clockwork));
            }
        }

        CheckMemory(options);
    }

    /// <summary>Checks the options of the structured topologies: their own ranges always, and against UnitCount and the random-W options for the chosen one.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value (JumpLength, SmallWorldNeighbours, "
            + "RecurrentConnectivity, RecurrentInDegree), not the method's parameter.")]
    private static void ValidateTopology(ReservoirOptions options)
    {
        var n = options.UnitCount;
        var topology = options.Topology;
        Guard.AtLeast(options.JumpLength, 2);
        Guard.Positive(options.JumpWeight);
        if (options.SmallWorldNeighbours < 2 || options.SmallWorldNeighbours % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options.SmallWorldNeighbours), options.SmallWorldNeighbours,
                $"SmallWorldNeighbours must be even and >= 2 (K/2 neighbours on each side); was {options.SmallWorldNeighbours}.");
        }

        Guard.InRange(options.RewiringProbability, 0, 1);
        if (topology is ReservoirTopology.RandomSparse or ReservoirTopology.SimpleCycle)
        {
            return;
        }

        if (options.RecurrentInDegree is { } inDegree)
        {
            throw new ArgumentException(
                $"RecurrentInDegree does not apply to Topology = {topology}, which fixes the structure of W; leave it null (was {inDegree}).",
                nameof(options.RecurrentInDegree));
        }

        if (options.RecurrentConnectivity != ReservoirDefaults.RecurrentConnectivity)
        {
            throw new ArgumentException(
                $"RecurrentConnectivity does not apply to Topology = {topology}, which fixes the structure of W; leave it at its default {Guard.Format(ReservoirDefaults.RecurrentConnectivity)} (was {Guard.Format(options.RecurrentConnectivity)}).",
                nameof(options.RecurrentConnectivity));
        }

        if (topology == ReservoirTopology.CycleWithJumps && options.JumpLength > n / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options.JumpLength), options.JumpLength,
                $"JumpLength must be in [2, UnitCount / 2 = {n / 2}] for Topology = CycleWithJumps with UnitCount = {n}; was {options.JumpLength}"
                + (n < 4 ? "; the cycle with jumps needs UnitCount >= 4." : "."));
        }

        if (topology == ReservoirTopology.SmallWorld && options.SmallWorldNeighbours > n - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.SmallWorldNeighbours), options.SmallWorldNeighbours,
                $"SmallWorldNeighbours must be even and in [2, UnitCount − 1 = {n - 1}] for Topology = SmallWorld; was {options.SmallWorldNeighbours}.");
        }
    }

    /// <summary>Throws unless the reservoir the options describe fits in <see cref="ReservoirLimits.MemoryBudgetBytes"/>; see <see cref="ReservoirLimits"/> for the estimate.</summary>
    /// <remarks>Every product is formed in double, which cannot overflow, and compared with the budget before anything is allocated.</remarks>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member whose size is too large (UnitCount, InputDimension, FeedbackDimension, "
            + "SkipConnections), not the method's parameter.")]
    private static void CheckMemory(ReservoirOptions options)
    {
        const double budget = ReservoirLimits.MemoryBudgetBytes;
        double n = options.UnitCount;
        var units = ReservoirLimits.BytesPerUnit * n;
        if (units > budget)
        {
            throw new ArgumentOutOfRangeException(nameof(options.UnitCount), options.UnitCount,
                $"UnitCount = {options.UnitCount} needs at least {ReservoirLimits.FormatBytes(units)} ({ReservoirLimits.BytesPerUnit} bytes per unit before any weight), more than {ReservoirLimits.Budget}; lower UnitCount.");
        }

        var input = 2.0 * sizeof(double) * n * options.InputDimension;
        if (input > budget)
        {
            throw new ArgumentOutOfRangeException(nameof(options.InputDimension), options.InputDimension,
                $"InputDimension = {options.InputDimension} with UnitCount = {options.UnitCount} needs {ReservoirLimits.FormatBytes(input)} for the input weights (N·D doubles, twice while they are drawn), more than {ReservoirLimits.Budget}; lower InputDimension or UnitCount.");
        }

        var feedback = 2.0 * sizeof(double) * n * options.FeedbackDimension;
        if (feedback > budget)
        {
            throw new ArgumentOutOfRangeException(nameof(options.FeedbackDimension), options.FeedbackDimension,
                $"FeedbackDimension = {options.FeedbackDimension} with UnitCount = {options.UnitCount} needs {ReservoirLimits.FormatBytes(feedback)} for the feedback weights (N·F doubles, twice while they are drawn), more than {ReservoirLimits.Budget}; lower FeedbackDimension or UnitCount.");
        }

        var maxDelay = 0;
        var skipWeights = 0.0;
        for (var s = 0; s < options.SkipConnections.Length; s++)
        {
            var skip = options.SkipConnections[s];
            var history = (double)sizeof(double) * skip.Delay * n;
            if (history > budget)
            {
                throw new ArgumentOutOfRangeException(nameof(options.SkipConnections), skip.Delay,
                    $"SkipConnections[{s}].Delay = {skip.Delay} with UnitCount = {options.UnitCount} needs a delay buffer of {skip.Delay}·{options.UnitCount} states ({ReservoirLimits.FormatBytes(history)}) per running state, more than {ReservoirLimits.Budget}; lower the delay or UnitCount.");
            }

            maxDelay = Math.Max(maxDelay, skip.Delay);
            skipWeights += skip.Connectivity * n * n;
        }

        var recurrentWeights = options.Topology switch
        {
            ReservoirTopology.SimpleCycle => n,
            ReservoirTopology.DelayLine => n - 1,
            ReservoirTopology.CycleWithJumps => n + 2.0 * ((options.UnitCount - 1) / options.JumpLength),
            ReservoirTopology.Orthogonal => n * n,
            ReservoirTopology.SmallWorld => n * options.SmallWorldNeighbours,
            _ => WeightFactory.ExpectedNonZerosUnclamped(options.UnitCount, options.RecurrentConnectivity, options.RecurrentInDegree),
        };

        // The orthogonal W and the orthogonal carry O are computed densely: the Gaussian matrix, Q and R, N² doubles each.
        var orthogonalCarry = options.StateCarry == StateCarry.Orthogonal;
        var dense = options.Topology == ReservoirTopology.Orthogonal || orthogonalCarry ? 3.0 * sizeof(double) * n * n : 0.0;
        var carryWeights = orthogonalCarry ? n * n : 0.0;
        var weights = recurrentWeights + skipWeights + carryWeights;
        var single = options.Precision != Precision.Single ? 0.0
            : ReservoirLimits.SingleBytesPerWeight * weights + ReservoirLimits.SingleBytesPerUnit * n
                + (double)sizeof(float) * n * ((double)options.InputDimension + options.FeedbackDimension + options.SkipConnections.Length);
        var total = ReservoirLimits.BytesPerWeight * weights + units + input + feedback
            + (double)sizeof(double) * maxDelay * n + single + dense;
        if (total > budget || weights > Array.MaxLength)
        {
            var drawn = options.Topology switch
            {
                ReservoirTopology.RandomSparse when options.RecurrentInDegree is { } k => $"RecurrentInDegree = {k}",
                ReservoirTopology.RandomSparse => $"RecurrentConnectivity = {Guard.Format(options.RecurrentConnectivity)}",
                ReservoirTopology.Orthogonal => "Topology = Orthogonal, dense, plus N² doubles three times while it is computed",
                _ => $"Topology = {options.Topology}",
            };
            throw new ArgumentOutOfRangeException(nameof(options.UnitCount), options.UnitCount,
                $"UnitCount = {options.UnitCount} needs about {ReservoirLimits.FormatBytes(total)} ({recurrentWeights:G3} recurrent weights with {drawn}"
                + (skipWeights > 0 ? $", {skipWeights:G3} skip weights" : string.Empty)
                + (carryWeights > 0 ? $", {carryWeights:G3} weights of the dense carry O of StateCarry = Orthogonal" : string.Empty)
                + $"), more than {ReservoirLimits.Budget}; lower UnitCount, or the connectivity (a fixed RecurrentInDegree keeps N·k weights).");
        }
    }

    /// <summary>Checks explicit weights: dimensions, finiteness and leak rates.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "Validates a ReservoirWeights record: ParamName is the public member that holds the bad value (Recurrent, "
            + "Input, LeakRates, Skip, Carry), not the method's parameter.")]
    internal static void Validate(ReservoirWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(weights.Recurrent, nameof(weights.Recurrent));
        ArgumentNullException.ThrowIfNull(weights.Input, nameof(weights.Input));
        ImmutableArrays.ThrowIfDefault(weights.LeakRates, nameof(weights.LeakRates));
        var n = weights.Recurrent.RowCount;
        if (n < 1 || weights.Recurrent.ColumnCount != n)
        {
            throw new ArgumentException(
                $"Recurrent must be square with at least one unit; was {n}×{weights.Recurrent.ColumnCount}.",
                nameof(weights.Recurrent));
        }

        Guard.AllFinite(weights.Recurrent.Values, nameof(weights.Recurrent));
        CheckRows(weights.Input, n, nameof(weights.Input));
        if (weights.Input.ColumnCount < 1)
        {
            throw new ArgumentException("Input must have at least one column (input dimension >= 1).", nameof(weights.Input));
        }

        Guard.AllFinite(weights.Input.Values, nameof(weights.Input));
        CheckLength(weights.LeakRates.Length, n, nameof(weights.LeakRates));
        for (var i = 0; i < n; i++)
        {
            var a = weights.LeakRates[i];
            if (!double.IsFinite(a) || a <= 0 || a > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(weights.LeakRates), a,
                    $"LeakRates[{i}] must be in (0, 1]; was {Guard.Format(a)}.");
            }
        }

        if (weights.Bias is { } bias)
        {
            ImmutableArrays.ThrowIfDefault(bias, nameof(weights.Bias));
            CheckLength(bias.Length, n, nameof(weights.Bias));
            Guard.AllFinite(bias.AsSpan(), nameof(weights.Bias));
        }

        if (weights.Feedback is { } feedback)
        {
            CheckRows(feedback, n, nameof(weights.Feedback));
            Guard.AllFinite(feedback.Values, nameof(weights.Feedback));
        }

        ImmutableArrays.ThrowIfDefault(weights.Skip, nameof(weights.Skip));
        foreach (var skip in weights.Skip)
        {
            if (skip is null || skip.Weights is null)
            {
                throw new ArgumentException("Skip contains a null entry.", nameof(weights.Skip));
            }

            if (skip.Delay < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(weights.Skip), skip.Delay, $"Skip delay must be >= 1; was {skip.Delay}.");
            }

            var history = (double)sizeof(double) * skip.Delay * n;
            if (history > ReservoirLimits.MemoryBudgetBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(weights.Skip), skip.Delay,
                    $"Skip delay {skip.Delay} with {n} units needs a delay buffer of {skip.Delay}·{n} states ({ReservoirLimits.FormatBytes(history)}) per running state, more than {ReservoirLimits.Budget}; lower the delay.");
            }

            if (skip.Weights.RowCount != n || skip.Weights.ColumnCount != n)
            {
                throw new ArgumentException(
                    $"Skip weights for delay {skip.Delay} are {skip.Weights.RowCount}×{skip.Weights.ColumnCount}; expected {n}×{n}.",
                    nameof(weights.Skip));
            }

            Guard.AllFinite(skip.Weights.Values, nameof(weights.Skip));
        }

        if (weights.Clockwork is { } clockwork)
        {
            ModuleSizes(clockwork, n);
        }

        if (weights.Carry is { } carry)
        {
            if (carry.RowCount != n || carry.ColumnCount != n)
            {
                throw new ArgumentException(
                    $"Carry is {carry.RowCount}×{carry.ColumnCount}; expected {n}×{n}.", nameof(weights.Carry));
            }

            Guard.AllFinite(carry.Values, nameof(weights.Carry));
            if (weights.Clockwork is not null)
            {
                throw new ArgumentException(
                    "Carry cannot be combined with Clockwork: the carry C·x mixes every unit, so a module could not hold its state between its update steps; set Carry = null or Clockwork = null.",
                    nameof(weights.Carry));
            }
        }

        CheckDefined(weights.Activation, nameof(weights.Activation));
        CheckDefined(weights.Precision, nameof(weights.Precision));
        Guard.NonNegative(weights.StateNoise);
    }

    /// <summary>The validated size of each clockwork module.</summary>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is Clockwork, the options member that holds the invalid ClockworkOptions; the message names its "
            + "property.")]
    internal static int[] ModuleSizes(ClockworkOptions clockwork, int n)
    {
        const string name = nameof(ReservoirOptions.Clockwork);
        var periods = clockwork.Periods;
        if (periods.IsDefault)
        {
            throw new ArgumentException("Clockwork.Periods is a default (uninitialised) ImmutableArray; give the periods.", name);
        }

        if (periods.Length == 0 || periods.Length > n)
        {
            throw new ArgumentException(
                $"Clockwork.Periods must have between 1 and UnitCount = {n} entries; had {periods.Length}.", name);
        }

        for (var i = 0; i < periods.Length; i++)
        {
            if (periods[i] < 1 || (i > 0 && periods[i] <= periods[i - 1]))
            {
                throw new ArgumentException(
                    $"Clockwork.Periods must be >= 1 and strictly increasing; Periods[{i}] was {periods[i]}" +
                    (i > 0 ? $" after {periods[i - 1]}." : "."), name);
            }
        }

        if (clockwork.ModuleSizes is { } given)
        {
            if (given.IsDefault)
            {
                throw new ArgumentException("Clockwork.ModuleSizes is a default (uninitialised) ImmutableArray; give the sizes, or null for an even split.", name);
            }

            if (given.Length != periods.Length)
            {
                throw new ArgumentException(
                    $"Clockwork.ModuleSizes has {given.Length} entries but there are {periods.Length} periods.", name);
            }

            var total = 0;
            for (var i = 0; i < given.Length; i++)
            {
                if (given[i] < 1)
                {
                    throw new ArgumentException($"Clockwork.ModuleSizes[{i}] must be >= 1; was {given[i]}.", name);
                }

                total += given[i];
            }

            if (total != n)
            {
                throw new ArgumentException($"Clockwork.ModuleSizes sum to {total} but UnitCount is {n}.", name);
            }

            return [.. given];
        }

        var sizes = new int[periods.Length];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = n / sizes.Length + (i < n % sizes.Length ? 1 : 0);
        }

        return sizes;
    }

    private static SparseWeights RescaledRandom(int n, double connectivity, int? inDegree, WeightDistribution distribution,
        double targetRadius, MathNet.Numerics.Random.Xoshiro256StarStar random, Func<int, int>? firstAllowed,
        string parameterName)
    {
        var weights = WeightFactory.RandomSparse(n, connectivity, inDegree, distribution, random, firstAllowed);
        return Rescaled(weights, targetRadius, parameterName);
    }

    private static SparseWeights Rescaled(SparseWeights weights, double targetRadius, string parameterName)
    {
        var n = weights.RowCount;
        var radius = SpectralAnalysis.SpectralRadius(weights);
        if (!(radius > 1e-12))
        {
            throw new ArgumentException(
                $"The random recurrent matrix has spectral radius {Guard.Format(radius)} ({weights.NonZeroCount} non-zero weights for {n} units) and cannot be rescaled; raise {parameterName} or UnitCount.",
                parameterName);
        }

        return weights.Scale(targetRadius / radius);
    }

    private static SparseWeights SimpleCycle(int n, double radius)
    {
        var builder = new SparseWeights.Builder(n, n, n);
        for (var row = 0; row < n; row++)
        {
            // Unit i−1 feeds unit i; unit N−1 feeds unit 0.
            builder.AddOrAccumulate(row, row == 0 ? n - 1 : row - 1, radius);
        }

        return builder.Build();
    }

    private static void CheckRows(SparseWeights matrix, int n, string name)
    {
        if (matrix.RowCount != n)
        {
            throw new ArgumentException($"{name} has {matrix.RowCount} rows but there are {n} units.", name);
        }
    }

    private static void CheckLength(int length, int n, string name)
    {
        if (length != n)
        {
            throw new ArgumentException($"{name} has {length} entries but there are {n} units.", name);
        }
    }

    private static void CheckDefined<T>(T value, string name)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<T>())}; was {value}.");
        }
    }
}
