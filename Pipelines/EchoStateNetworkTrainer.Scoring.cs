using Reservoir.Readouts;

namespace Reservoir.Pipelines;

public sealed partial class EchoStateNetworkTrainer
{
    /// <summary>
    /// Runs the reservoir of <paramref name="options"/> over whole sequences and returns the folds' statistics exactly as
    /// <see cref="EchoStateNetwork.Fit(EchoStateNetworkOptions, IReadOnlyList{double[,]}, IReadOnlyList{double[,]}, int)"/>
    /// holds them before its solve, so that many λ can be scored on one run (<see cref="ScoreFolds"/>).
    /// </summary>
    /// <param name="options">The network; its <see cref="EchoStateNetworkOptions.RegularizationSearch"/> decides the folds.</param>
    /// <param name="inputs">The input sequences.</param>
    /// <param name="targets">The target sequences.</param>
    /// <param name="maxDegreeOfParallelism">As for the fit; the statistics do not depend on it.</param>
    /// <returns>One accumulator per fold; not shared with anything else.</returns>
    /// <exception cref="ArgumentException">As the fit throws before its solve (options, data, diverged linear units).</exception>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite, or no row was kept.</exception>
    internal static GramAccumulator[] AccumulateFolds(EchoStateNetworkOptions options, IReadOnlyList<double[,]> inputs,
        IReadOnlyList<double[,]> targets, int maxDegreeOfParallelism)
    {
        CreateSolvers(options);
        var reservoir = BuildReservoir(options);
        CheckSequences(inputs, targets, reservoir, options.WashoutSteps);
        var trainer = AccumulateSequences(reservoir, options, inputs, targets, maxDegreeOfParallelism);
        if (trainer.RowCount == 0)
        {
            throw new InvalidOperationException(
                "No training rows were accumulated: call PartialFit with sequences longer than WashoutSteps before Complete.");
        }

        var accumulation = trainer._accumulation!;
        trainer.CheckDivergence(accumulation);
        return accumulation.Folds;
    }

    /// <summary>The λ search of <paramref name="options"/> on folds from <see cref="AccumulateFolds"/>: the result its fit would report.</summary>
    /// <param name="options">The network whose <see cref="EchoStateNetworkOptions.RegularizationSearch"/> is scored.</param>
    /// <param name="folds">The folds; not changed.</param>
    /// <returns>The search's result (its curve has one point per λ of the grid, ascending).</returns>
    internal static RidgeCvResult ScoreFolds(EchoStateNetworkOptions options, IReadOnlyList<GramAccumulator> folds)
    {
        var (_, search) = CreateSolvers(options);
        return (search ?? throw new ArgumentException("options.RegularizationSearch is null; there is no λ to score.", nameof(options)))
            .Fit(folds);
    }
}
