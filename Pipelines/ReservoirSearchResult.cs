using System.Collections.Immutable;

namespace Reservoir.Pipelines;

/// <summary>One point of the <see cref="ReservoirSearch"/> space: a leak-rate distribution, spectral radius, input scaling and ridge λ.</summary>
/// <param name="Family">The family of leak-rate distributions.</param>
/// <param name="FastTimeConstant">τ_fast in steps, ≥ 1 (the only time constant for <see cref="LeakRateSearchFamily.Constant"/>).</param>
/// <param name="SlowTimeConstant">τ_slow in steps, ≥ <paramref name="FastTimeConstant"/> (equal to it for <see cref="LeakRateSearchFamily.Constant"/>).</param>
/// <param name="SlowFraction">The fraction of units at τ_slow for <see cref="LeakRateSearchFamily.TwoGroups"/>; 0 otherwise.</param>
/// <param name="SpectralRadius">The spectral radius of W, &gt; 0.</param>
/// <param name="InputScaling">The input scaling, &gt; 0.</param>
/// <param name="L2Regularization">The ridge penalty λ, &gt; 0.</param>
public sealed record ReservoirCandidate(LeakRateSearchFamily Family, double FastTimeConstant, double SlowTimeConstant,
    double SlowFraction, double SpectralRadius, double InputScaling, double L2Regularization)
{
    /// <summary>The leak-rate distribution this candidate stands for (α = 1/τ).</summary>
    public LeakRateDistribution LeakRates => Family switch
    {
        LeakRateSearchFamily.Constant => LeakRateDistribution.Constant(1 / FastTimeConstant),
        LeakRateSearchFamily.LogUniformTimeConstants => LeakRateDistribution.LogUniformTimeConstants(FastTimeConstant, SlowTimeConstant),
        _ => LeakRateDistribution.Groups(new LeakRateGroup(1 - SlowFraction, 1 / FastTimeConstant),
            new LeakRateGroup(SlowFraction, 1 / SlowTimeConstant)),
    };

    /// <summary>The network options with this candidate's leak rates, spectral radius, input scaling and λ; everything else from the template.</summary>
    /// <param name="template">The network to tune.</param>
    /// <returns>New options; the template is not changed. Automatic λ search is switched off.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="template"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="template"/> sets a composition instead of one reservoir.</exception>
    public EchoStateNetworkOptions ApplyTo(EchoStateNetworkOptions template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template with
        {
            Reservoir = (template.Reservoir ?? throw new ArgumentException(
                "The template sets Composition; a searched candidate applies to one reservoir (template.Reservoir).", nameof(template))) with
            {
                LeakRates = LeakRates,
                SpectralRadius = SpectralRadius,
                InputScaling = InputScaling,
            },
            Readout = template.Readout with { L2Regularization = L2Regularization },
            RegularizationSearch = null,
        };
    }
}

/// <summary>One scored candidate of a <see cref="ReservoirSearch"/>.</summary>
/// <param name="Index">Its place in the budget, from 0 (the number of candidates scored before it).</param>
/// <param name="Generation">The CMA-ES generation that drew it, from 0.</param>
/// <param name="Candidate">The parameters.</param>
/// <param name="Score">Its score, lower is better: validation NRMSE, or the user function's value; +∞ for a failed run.</param>
public sealed record ReservoirSearchTrial(int Index, int Generation, ReservoirCandidate Candidate, double Score);

/// <summary>Where a <see cref="ReservoirSearch"/> stands after a generation.</summary>
/// <param name="Evaluations">The candidates scored so far.</param>
/// <param name="MaxEvaluations">The budget.</param>
/// <param name="Generation">The generation just finished, from 0.</param>
/// <param name="BestScore">The lowest score so far.</param>
/// <param name="Best">The candidate with that score.</param>
public sealed record ReservoirSearchProgress(int Evaluations, int MaxEvaluations, int Generation, double BestScore,
    ReservoirCandidate Best);

/// <summary>What a <see cref="ReservoirSearch"/> found.</summary>
/// <param name="Best">The candidate with the lowest score (the earliest on a tie).</param>
/// <param name="BestScore">Its score.</param>
/// <param name="BestOptions">The searched network's options with the best candidate applied.</param>
/// <param name="Trials">Every trial in the order scored; its count is the budget spent.</param>
/// <remarks>Immutable, deeply; two results with equal trials are equal and have equal hash codes.</remarks>
public sealed record ReservoirSearchResult(ReservoirCandidate Best, double BestScore, EchoStateNetworkOptions BestOptions,
    ImmutableArray<ReservoirSearchTrial> Trials)
{
    private readonly EquatableArray<ReservoirSearchTrial> _trials = new(Trials);

    /// <summary>Every trial in the order scored; its count is the budget spent.</summary>
    public ImmutableArray<ReservoirSearchTrial> Trials
    {
        get => _trials.Items;
        init => _trials = new(value);
    }
}
