namespace Reservoir.Pipelines;

/// <summary>The settings of a <see cref="ReservoirSearch"/>: the network to tune, the search space, the budget and the seed.</summary>
/// <remarks>
/// Validation runs when the search starts (<see cref="ReservoirSearch.Run(ReservoirSearchOptions, double[,], double[,], IProgress{ReservoirSearchProgress}?, CancellationToken)"/>),
/// not in the init accessors. Every range is searched on a log scale except <see cref="SlowFraction"/>, which is linear.
/// </remarks>
public sealed record ReservoirSearchOptions
{
    /// <summary>The seed of the search's own random draws (the candidates); the reservoir keeps the seed of <see cref="Network"/>.</summary>
    public required int Seed { get; init; }

    /// <summary>
    /// The network to tune: unit count, reservoir seed, topology, washout and every setting not searched are taken from it;
    /// its leak rates, spectral radius, input scaling and ridge λ are replaced by each candidate's.
    /// </summary>
    public required EchoStateNetworkOptions Network { get; init; }

    /// <summary>The budget: the number of candidates scored, ≥ 2; default 60.</summary>
    public int MaxEvaluations { get; init; } = 60;

    /// <summary>Candidates per generation (CMA-ES λ), ≥ 2; null for 4 + ⌊3 ln n⌋ with n the number of searched parameters.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>The initial CMA-ES step size in the unit cube of the normalised parameters, in (0, 1]; default 0.3.</summary>
    public double InitialStepSize { get; init; } = 0.3;

    /// <summary>How many candidates are scored at once: −1 for as many as there are processors, else ≥ 1; default −1. The result does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Which family of leak-rate distributions is searched; default <see cref="LeakRateSearchFamily.LogUniformTimeConstants"/>.</summary>
    public LeakRateSearchFamily LeakRateFamily { get; init; } = LeakRateSearchFamily.LogUniformTimeConstants;

    /// <summary>The range of time constants τ = 1/α in steps, with minimum ≥ 1; default [1, 1000].</summary>
    public SearchRange TimeConstant { get; init; } = new(1, 1000);

    /// <summary>The range of the fraction of slow units (only for <see cref="LeakRateSearchFamily.TwoGroups"/>), inside (0, 1); default [0.1, 0.9].</summary>
    public SearchRange SlowFraction { get; init; } = new(0.1, 0.9);

    /// <summary>The range of the spectral radius of W, &gt; 0; default [0.1, 1.5].</summary>
    public SearchRange SpectralRadius { get; init; } = new(0.1, 1.5);

    /// <summary>The range of the input scaling, &gt; 0; default [0.01, 10].</summary>
    public SearchRange InputScaling { get; init; } = new(0.01, 10);

    /// <summary>The range of the ridge penalty λ, &gt; 0; default [1e-10, 1].</summary>
    public SearchRange L2Regularization { get; init; } = new(1e-10, 1);

    /// <summary>The number of contiguous time blocks of the validation (time-blocked k-fold), ≥ 2; default 5.</summary>
    public int ValidationFolds { get; init; } = 5;
}

/// <summary>A closed interval [Min, Max] of a searched parameter.</summary>
/// <param name="Min">The lower end, finite.</param>
/// <param name="Max">The upper end, finite and ≥ <paramref name="Min"/>; equal ends fix the parameter.</param>
public sealed record SearchRange(double Min, double Max);

/// <summary>The family of leak-rate distributions a <see cref="ReservoirSearch"/> tunes.</summary>
public enum LeakRateSearchFamily
{
    /// <summary>One leak rate α = 1/τ for every unit; searches τ.</summary>
    Constant,

    /// <summary>Time constants log-uniform in [τ_fast, τ_slow]; searches both ends.</summary>
    LogUniformTimeConstants,

    /// <summary>Two groups of units with time constants τ_fast and τ_slow; searches both and the fraction of slow units.</summary>
    TwoGroups,
}
