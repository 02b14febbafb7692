using System.Diagnostics.CodeAnalysis;
using Reservoir.Readouts;

namespace Reservoir.Pipelines;

/// <summary>Learns the time constants (and spectral radius, input scaling and ridge λ) from data by a derivative-free search.</summary>
/// <remarks>
/// <para>
/// The search is CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A Tutorial", default parameters) on the searched
/// parameters mapped to the unit cube: ln τ_fast; the spread s ∈ [0, 1] of ln τ_slow = ln τ_fast + s·(ln τ_max − ln τ_fast),
/// so that τ_slow ≥ τ_fast always holds; the slow fraction (linear); ln ρ; ln input scaling; ln λ. Points outside the cube
/// are reflected back into it and the reflected point is used in the update. The search starts at the centre of the cube
/// with step size <see cref="ReservoirSearchOptions.InitialStepSize"/>.
/// </para>
/// <para>
/// Why CMA-ES rather than random search with successive halving: the space is small (4 to 6 continuous parameters)
/// and its parameters interact (leak rate and spectral radius trade off through the effective spectral radius
/// ρ((1−α)I + αW); input scaling and λ through the size of the features), which CMA-ES learns in its covariance and
/// random search does not. Successive halving scores candidates on short training spans first, but a short span
/// cannot reveal the value of slow units, the very thing searched for, so its early ranking misleads. CMA-ES also
/// converges on an optimum rather than sampling near it, and a whole generation is scored in parallel.
/// </para>
/// <para>
/// Each candidate costs one reservoir run and closed-form ridge fits only (no backpropagation): its score is the
/// time-blocked k-fold validation error of the ridge readout with the candidate's λ (<see cref="RidgeCvMethod.TimeBlockedKFold"/>
/// with a one-point grid), reported as NRMSE, the square root of the validation MSE divided by the mean target variance.
/// Every candidate uses the reservoir seed of <see cref="ReservoirSearchOptions.Network"/> (common random numbers), so
/// the scores differ by the searched parameters only. A candidate whose run fails (a non-finite state) scores +∞.
/// </para>
/// <para>
/// On data, the candidates of a generation whose reservoir settings are equal (only λ differs, as when every reservoir
/// range is fixed) share one run of the reservoir and one λ search over their λ, and the run shared by the most candidates
/// is kept for the next generation, so a search over λ alone runs its reservoir once. Every score is bit-identical to fitting
/// that candidate alone. Data given as many sequences run through the reservoir's batched engine.
/// </para>
/// <para>
/// Deterministic: candidates are drawn on one thread from a stream seeded by <see cref="ReservoirSearchOptions.Seed"/>,
/// scored in parallel into fixed slots, and ranked by (score, index), so the result is bit-identical for any
/// <see cref="ReservoirSearchOptions.MaxDegreeOfParallelism"/> and thread schedule. Progress is reported once per
/// generation, from the calling thread. The class holds no state and is thread-safe.
/// </para>
/// </remarks>
/// <example>See <c>Examples/Reproduce/Tasks/SearchTask.cs</c>.</example>
public static partial class ReservoirSearch
{
    /// <summary>Searches the configuration with the lowest time-blocked validation error on the given data.</summary>
    /// <param name="options">The network to tune, search space, budget and seed.</param>
    /// <param name="inputs">The inputs, one row per step (T × D, D = the reservoir's input dimension); not copied, not changed.</param>
    /// <param name="targets">The targets, one row per step (T × K).</param>
    /// <param name="progress">Told after every generation; null for none.</param>
    /// <param name="cancellationToken">Stops the search between generations.</param>
    /// <returns>The best candidate, its options and the table of every trial.</returns>
    /// <exception cref="ArgumentNullException">An argument or <see cref="ReservoirSearchOptions.Network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and gives its value.</exception>
    /// <exception cref="ArgumentException">The data do not fit the network (column counts, lengths).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ReservoirSearchResult Run(ReservoirSearchOptions options, double[,] inputs, double[,] targets,
        IProgress<ReservoirSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(options);
        CheckData(options, inputs, targets);
        return RunOnData(options, [inputs], [targets], progress, cancellationToken);
    }

    /// <summary>Searches the configuration with the lowest time-blocked validation error on many sequences, each run from a zero state with its own washout.</summary>
    /// <param name="options">The network to tune, search space, budget and seed.</param>
    /// <param name="inputs">The input sequences, each T_i × D with T_i greater than the washout; not copied, not changed.</param>
    /// <param name="targets">The target sequences, each T_i × K, one per input sequence.</param>
    /// <param name="progress">Told after every generation; null for none.</param>
    /// <param name="cancellationToken">Stops the search between generations.</param>
    /// <returns>The best candidate, its options and the table of every trial.</returns>
    /// <remarks>
    /// The rows after each sequence's washout are dealt into the time-blocked folds in sequence order, as
    /// <see cref="EchoStateNetwork.Fit(EchoStateNetworkOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, int)"/>
    /// does, and each candidate's sequences run through the batched engine. The score's variance is that of all kept target
    /// rows together. One sequence gives the same search as <see cref="Run(ReservoirSearchOptions, double[,], double[,], IProgress{ReservoirSearchProgress}?, CancellationToken)"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument or <see cref="ReservoirSearchOptions.Network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and gives its value.</exception>
    /// <exception cref="ArgumentException">The data do not fit the network (no sequence, a null one, counts, column counts, lengths); the message names the sequence.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ReservoirSearchResult Run(ReservoirSearchOptions options, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets,
        IProgress<ReservoirSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(options);
        CheckData(options, inputs, targets);
        return RunOnData(options, inputs, targets, progress, cancellationToken);
    }

    /// <summary>Searches the candidate with the lowest score of a user scoring function (lower is better).</summary>
    /// <param name="options">The search space, budget and seed; <see cref="ReservoirSearchOptions.Network"/> is the template of <see cref="ReservoirSearchResult.BestOptions"/>.</param>
    /// <param name="score">Scores a candidate; called in parallel, so it must be thread-safe; NaN counts as +∞.</param>
    /// <param name="progress">Told after every generation; null for none.</param>
    /// <param name="cancellationToken">Stops the search between generations.</param>
    /// <returns>The best candidate, its options and the table of every trial.</returns>
    /// <exception cref="ArgumentNullException">An argument or <see cref="ReservoirSearchOptions.Network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and gives its value.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ReservoirSearchResult Run(ReservoirSearchOptions options, Func<ReservoirCandidate, double> score,
        IProgress<ReservoirSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(options);
        ArgumentNullException.ThrowIfNull(score);
        return Search(options, (candidates, parallel, scores) =>
            Parallel.For(0, candidates.Length, parallel, i => scores[i] = score(candidates[i])), progress, cancellationToken);
    }

    /// <summary>Searches as the other overloads do, with a caller that scores each generation's candidates (for example on other machines).</summary>
    /// <param name="options">The search space, budget and seed; <see cref="ReservoirSearchOptions.Network"/> is the template of <see cref="ReservoirSearchResult.BestOptions"/>.</param>
    /// <param name="scoreGeneration">Returns the scores of a generation's candidates, one per candidate in their order (lower is better; NaN counts as +∞); called on the calling thread, once per generation.</param>
    /// <param name="progress">Told after every generation; null for none.</param>
    /// <param name="cancellationToken">Stops the search between generations; passed on to <paramref name="scoreGeneration"/>.</param>
    /// <returns>The best candidate, its options and the table of every trial: for scores equal to those of <see cref="ScoreCandidates"/>, the result of <see cref="Run(ReservoirSearchOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, IProgress{ReservoirSearchProgress}?, CancellationToken)"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument or <see cref="ReservoirSearchOptions.Network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and gives its value.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="scoreGeneration"/> returned a number of scores other than the number of candidates.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ReservoirSearchResult RunGenerations(ReservoirSearchOptions options,
        Func<IReadOnlyList<ReservoirCandidate>, CancellationToken, IReadOnlyList<double>> scoreGeneration,
        IProgress<ReservoirSearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(options);
        ArgumentNullException.ThrowIfNull(scoreGeneration);
        return Search(options, (candidates, _, scores) =>
        {
            var scored = scoreGeneration(candidates, cancellationToken);
            if (scored is null || scored.Count != candidates.Length)
            {
                throw new InvalidOperationException(
                    $"scoreGeneration returned {scored?.Count ?? 0} scores for {candidates.Length} candidates; return one score per candidate.");
            }

            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = scored[i];
            }
        }, progress, cancellationToken);
    }

    /// <summary>Scores candidates on data exactly as <see cref="Run(ReservoirSearchOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, IProgress{ReservoirSearchProgress}?, CancellationToken)"/> scores them (bit for bit), without searching.</summary>
    /// <param name="options">The search whose scoring is used (template network, validation folds, parallelism).</param>
    /// <param name="inputs">The input sequences, as for the search.</param>
    /// <param name="targets">The target sequences, as for the search.</param>
    /// <param name="candidates">The candidates; those that share a reservoir share one run of it.</param>
    /// <returns>One score per candidate in their order: validation NRMSE, +∞ for a failed run.</returns>
    /// <exception cref="ArgumentNullException">An argument or <see cref="ReservoirSearchOptions.Network"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The data do not fit the network, or a candidate is null.</exception>
    public static double[] ScoreCandidates(ReservoirSearchOptions options, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets,
        IReadOnlyList<ReservoirCandidate> candidates)
    {
        Validate(options);
        CheckData(options, inputs, targets);
        ArgumentNullException.ThrowIfNull(candidates);
        var array = new ReservoirCandidate[candidates.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = candidates[i] ?? throw new ArgumentException($"candidates[{i}] is null.", nameof(candidates));
        }

        var scores = new double[array.Length];
        CreateScorer(options, inputs, targets).Score(array, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, scores);
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = double.IsNaN(scores[i]) ? double.PositiveInfinity : scores[i];
        }

        return scores;
    }

    /// <summary>The search on data: the candidates of a generation that share a reservoir are scored on one run of it.</summary>
    private static ReservoirSearchResult RunOnData(ReservoirSearchOptions options, IReadOnlyList<double[,]> inputs,
        IReadOnlyList<double[,]> targets, IProgress<ReservoirSearchProgress>? progress, CancellationToken cancellationToken) =>
        Search(options, CreateScorer(options, inputs, targets).Score, progress, cancellationToken);

    /// <summary>The scorer of candidates on data (targets standardised when the template says so, the score's variance over all kept rows).</summary>
    private static SharedRunScorer CreateScorer(ReservoirSearchOptions options, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets)
    {
        // The cross-validation error is in the units the readout is fitted in: standardised ones when the template says so.
        IReadOnlyList<double[,]> scoredTargets = targets;
        if (options.Network.StandardizeTargets)
        {
            var scaler = Standardizer.Fit(targets);
            scoredTargets = [.. targets.Select(scaler.Transform)];
        }

        var variance = TargetVariance(scoredTargets, options.Network.WashoutSteps);
        return new SharedRunScorer(options, inputs, targets, variance);
    }

    /// <summary>The CMA-ES loop; <paramref name="scoreGeneration"/> fills the scores of one generation's candidates (NaN counts as +∞).</summary>
    private static ReservoirSearchResult Search(ReservoirSearchOptions options,
        Action<ReservoirCandidate[], ParallelOptions, double[]> scoreGeneration, IProgress<ReservoirSearchProgress>? progress,
        CancellationToken cancellationToken)
    {
        var space = new SearchSpace(options);
        var strategy = new CmaEs(space.Dimension, options.PopulationSize, options.InitialStepSize,
            SeedStreams.Create(options.Seed, SeedStreams.Search));
        var trials = new List<ReservoirSearchTrial>(options.MaxEvaluations);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        ReservoirSearchTrial? best = null;
        for (var generation = 0; trials.Count < options.MaxEvaluations; generation++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var points = strategy.Sample();
            var count = Math.Min(points.Length, options.MaxEvaluations - trials.Count);
            var candidates = new ReservoirCandidate[count];
            for (var i = 0; i < count; i++)
            {
                candidates[i] = space.ToCandidate(points[i]);
            }

            var scores = new double[count];
            scoreGeneration(candidates, parallel, scores);
            for (var i = 0; i < count; i++)
            {
                scores[i] = double.IsNaN(scores[i]) ? double.PositiveInfinity : scores[i];
            }

            for (var i = 0; i < count; i++)
            {
                var trial = new ReservoirSearchTrial(trials.Count, generation, candidates[i], scores[i]);
                trials.Add(trial);
                if (best is null || trial.Score < best.Score)
                {
                    best = trial;
                }
            }

            if (count == points.Length)
            {
                strategy.Update(points, scores);
            }

            progress?.Report(new ReservoirSearchProgress(trials.Count, options.MaxEvaluations, generation, best!.Score, best.Candidate));
        }

        return new ReservoirSearchResult(best!.Candidate, best.Score, best.Candidate.ApplyTo(options.Network), [.. trials]);
    }

    /// <summary>The mean over the K targets of the variance of the kept rows of all sequences together (one pass for the mean, one for the squares, in row order).</summary>
    private static double TargetVariance(IReadOnlyList<double[,]> targets, int washout)
    {
        var rows = 0L;
        foreach (var sequence in targets)
        {
            rows += sequence.GetLength(0) - washout;
        }

        var columns = targets[0].GetLength(1);
        var total = 0.0;
        for (var k = 0; k < columns; k++)
        {
            var mean = 0.0;
            foreach (var sequence in targets)
            {
                for (var t = washout; t < sequence.GetLength(0); t++)
                {
                    mean += sequence[t, k];
                }
            }

            mean /= rows;
            var sum = 0.0;
            foreach (var sequence in targets)
            {
                for (var t = washout; t < sequence.GetLength(0); t++)
                {
                    var d = sequence[t, k] - mean;
                    sum += d * d;
                }
            }

            total += sum / rows;
        }

        var variance = total / columns;
        if (!(variance > 0))
        {
            throw new ArgumentException("targets are constant after the washout; the validation NRMSE is undefined.", nameof(targets));
        }

        return variance;
    }

    private static void CheckData(ReservoirSearchOptions options, IReadOnlyList<double[,]> inputs, IReadOnlyList<double[,]> targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("inputs must contain at least one sequence; was empty.", nameof(inputs));
        }

        if (targets.Count != inputs.Count)
        {
            throw new ArgumentException(
                $"targets has {targets.Count} sequences but inputs has {inputs.Count}; give one target sequence per input sequence.", nameof(targets));
        }

        var washout = options.Network.WashoutSteps;
        var kept = 0L;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i] ?? throw new ArgumentException($"inputs[{i}] is null; every sequence must be a T×D array.", nameof(inputs));
            var target = targets[i] ?? throw new ArgumentException($"targets[{i}] is null; every sequence must be a T×K array.", nameof(targets));
            if (target.GetLength(1) != targets[0].GetLength(1))
            {
                throw new ArgumentException(
                    $"targets[{i}] has {target.GetLength(1)} columns but targets[0] has {targets[0].GetLength(1)}; every target sequence must have the same.",
                    nameof(targets));
            }

            if (input.GetLength(0) <= washout)
            {
                throw new ArgumentException(
                    $"inputs[{i}] has {input.GetLength(0)} rows; every sequence must be longer than the washout ({washout}).", nameof(inputs));
            }

            try
            {
                CheckSequence(options, input, target);
                Guard.AllFinite(input);
                Guard.AllFinite(target);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Sequence {i}: {e.Message}", e.ParamName, e);
            }

            kept += input.GetLength(0) - washout;
        }

        if (kept < 2L * options.ValidationFolds)
        {
            throw new ArgumentException(
                $"The sequences have {kept} rows after the washout of {washout} each; {options.ValidationFolds} validation folds need at least {2 * options.ValidationFolds}.",
                nameof(inputs));
        }
    }

    private static void CheckData(ReservoirSearchOptions options, double[,] inputs, double[,] targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        CheckSequence(options, inputs, targets);
        var needed = options.Network.WashoutSteps + 2 * options.ValidationFolds;
        if (inputs.GetLength(0) < needed)
        {
            throw new ArgumentException(
                $"inputs has {inputs.GetLength(0)} rows; with washout {options.Network.WashoutSteps} and {options.ValidationFolds} validation folds it needs at least {needed}.",
                nameof(inputs));
        }

        Guard.AllFinite(inputs);
        Guard.AllFinite(targets);
    }

    /// <summary>Checks one pair of sequences against the network: widths and lengths.</summary>
    private static void CheckSequence(ReservoirSearchOptions options, double[,] inputs, double[,] targets)
    {
        var reservoir = options.Network.Reservoir!;
        if (inputs.GetLength(1) != reservoir.InputDimension)
        {
            throw new ArgumentException(
                $"Input has {inputs.GetLength(1)} features but the reservoir was built for {reservoir.InputDimension}.", nameof(inputs));
        }

        if (targets.GetLength(0) != inputs.GetLength(0) || targets.GetLength(1) < 1)
        {
            throw new ArgumentException(
                $"targets is {targets.GetLength(0)}×{targets.GetLength(1)} but inputs has {inputs.GetLength(0)} rows; give one row of at least one target per input row.",
                nameof(targets));
        }

    }

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",

        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "

            + "wrote (MaxEvaluations, PopulationSize, ...), not the method's parameter.")]
    private static void Validate(ReservoirSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        if (options.Network.Composition is not null)
        {
            throw new ArgumentException(
                "The search tunes the leak rates, spectral radius and input scaling of one reservoir; Network.Composition is not supported. Set Network.Reservoir.",
                nameof(options.Network.Composition));
        }

        ArgumentNullException.ThrowIfNull(options.Network.Reservoir, nameof(options.Network.Reservoir));
        if (options.MaxEvaluations < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options.MaxEvaluations), options.MaxEvaluations,
                $"MaxEvaluations must be >= 2; was {options.MaxEvaluations}.");
        }

        if (options.PopulationSize is { } population && population < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options.PopulationSize), population,
                $"PopulationSize must be null or >= 2; was {population}.");
        }

        if (!double.IsFinite(options.InitialStepSize) || options.InitialStepSize <= 0 || options.InitialStepSize > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.InitialStepSize), options.InitialStepSize,
                $"InitialStepSize must be in (0, 1]; was {Guard.Format(options.InitialStepSize)}.");
        }

        if (options.MaxDegreeOfParallelism == 0 || options.MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(options.MaxDegreeOfParallelism), options.MaxDegreeOfParallelism,
                $"MaxDegreeOfParallelism must be -1 or >= 1; was {options.MaxDegreeOfParallelism}.");
        }

        if (!Enum.IsDefined(options.LeakRateFamily))
        {
            throw new ArgumentOutOfRangeException(nameof(options.LeakRateFamily), options.LeakRateFamily,
                $"LeakRateFamily must be Constant, LogUniformTimeConstants or TwoGroups; was {(int)options.LeakRateFamily}.");
        }

        if (options.ValidationFolds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options.ValidationFolds), options.ValidationFolds,
                $"ValidationFolds must be >= 2; was {options.ValidationFolds}.");
        }

        CheckRange(options.TimeConstant, 1, double.PositiveInfinity, "[1, ∞) steps", nameof(options.TimeConstant));
        CheckRange(options.SlowFraction, double.Epsilon, 1 - 1e-12, "(0, 1)", nameof(options.SlowFraction));
        CheckRange(options.SpectralRadius, double.Epsilon, double.PositiveInfinity, "(0, ∞)", nameof(options.SpectralRadius));
        CheckRange(options.InputScaling, double.Epsilon, double.PositiveInfinity, "(0, ∞)", nameof(options.InputScaling));
        CheckRange(options.L2Regularization, double.Epsilon, double.PositiveInfinity, "(0, ∞)", nameof(options.L2Regularization));
    }

    private static void CheckRange(SearchRange? range, double lowest, double highest, string allowed, string name)
    {
        ArgumentNullException.ThrowIfNull(range, name);
        if (!double.IsFinite(range.Min) || range.Min < lowest || range.Min > highest)
        {
            throw new ArgumentOutOfRangeException(name, range.Min, $"{name}.Min must be finite and in {allowed}; was {Guard.Format(range.Min)}.");
        }

        if (!double.IsFinite(range.Max) || range.Max < range.Min || range.Max > highest)
        {
            throw new ArgumentOutOfRangeException(name, range.Max,
                $"{name}.Max must be finite and in [Min = {Guard.Format(range.Min)}, {(double.IsPositiveInfinity(highest) ? "∞" : Guard.Format(highest))}]; was {Guard.Format(range.Max)}.");
        }
    }

    /// <summary>Maps points of the unit cube to candidates.</summary>
    private sealed class SearchSpace(ReservoirSearchOptions options)
    {
        private readonly LeakRateSearchFamily _family = options.LeakRateFamily;

        public int Dimension => _family switch
        {
            LeakRateSearchFamily.Constant => 4,
            LeakRateSearchFamily.LogUniformTimeConstants => 5,
            _ => 6,
        };

        public ReservoirCandidate ToCandidate(double[] x)
        {
            var lowTau = Math.Log(options.TimeConstant.Min);
            var highTau = Math.Log(options.TimeConstant.Max);
            var fast = Math.Exp(lowTau + x[0] * (highTau - lowTau));
            var slow = fast;
            var fraction = 0.0;
            var next = 1;
            if (_family != LeakRateSearchFamily.Constant)
            {
                var logFast = Math.Log(fast);
                slow = Math.Min(options.TimeConstant.Max, Math.Exp(logFast + x[next++] * (highTau - logFast)));
                slow = Math.Max(slow, fast);
            }

            if (_family == LeakRateSearchFamily.TwoGroups)
            {
                fraction = Linear(options.SlowFraction, x[next++]);
            }

            return new ReservoirCandidate(_family, fast, slow, fraction,
                Logarithmic(options.SpectralRadius, x[next]),
                Logarithmic(options.InputScaling, x[next + 1]),
                Logarithmic(options.L2Regularization, x[next + 2]));
        }

        private static double Linear(SearchRange range, double x) => range.Min + x * (range.Max - range.Min);

        private static double Logarithmic(SearchRange range, double x) =>
            Math.Clamp(Math.Exp(Math.Log(range.Min) + x * (Math.Log(range.Max) - Math.Log(range.Min))), range.Min, range.Max);
    }
}
