using Reservoir.Readouts;

namespace Reservoir.Pipelines;

public static partial class ReservoirSearch
{
    /// <summary>Scores a generation on data, running each distinct reservoir once for all the candidates that share it.</summary>
    /// <remarks>
    /// <para>
    /// A candidate's score depends on its reservoir (leak rates, spectral radius, input scaling, with the template's seed and
    /// other settings) and on its λ. Candidates whose reservoir settings are equal (only λ differs, as when every reservoir
    /// range is fixed, or when two draws coincide) share one run: the sequences go once through the reservoir into the
    /// folds' statistics, and one λ search with all their λ scores them together. Each λ's validation error comes from the
    /// same eigendecomposition of each training system and the same operations as a search with that λ alone, so every
    /// score is bit-identical to fitting the candidate by itself.
    /// </para>
    /// <para>
    /// The statistics of one run (the folds' Gram matrices) are kept into the next generation, for the reservoir shared by
    /// the most candidates of this one, so that a search over λ alone runs its reservoir once in all. At most one such run
    /// is kept: a search whose reservoirs all differ keeps nothing it does not need.
    /// </para>
    /// </remarks>
    private sealed class SharedRunScorer(ReservoirSearchOptions options, IReadOnlyList<double[,]> inputs,
        IReadOnlyList<double[,]> targets, double variance)
    {
        private ReservoirCandidate? _keptKey;
        private SharedRun? _kept;

        /// <summary>Fills <paramref name="scores"/> for <paramref name="candidates"/>; the groups of candidates that share a reservoir run in parallel.</summary>
        internal void Score(ReservoirCandidate[] candidates, ParallelOptions parallel, double[] scores)
        {
            // Group by the reservoir settings: the candidate with λ set aside, in the order of first appearance.
            var keys = new List<ReservoirCandidate>();
            var members = new Dictionary<ReservoirCandidate, List<int>>();
            for (var i = 0; i < candidates.Length; i++)
            {
                var key = candidates[i] with { L2Regularization = 0 };
                if (!members.TryGetValue(key, out var list))
                {
                    members[key] = list = [];
                    keys.Add(key);
                }

                list.Add(i);
            }

            var runs = new SharedRun[keys.Count];
            var threadsPerRun = keys.Count == 1 ? options.MaxDegreeOfParallelism : 1;
            Parallel.For(0, keys.Count, parallel, g =>
            {
                var group = members[keys[g]];
                var run = keys[g].Equals(_keptKey) ? _kept! : Run(candidates[group[0]], threadsPerRun);
                runs[g] = run;
                run.Score(candidates, group, scores, variance);
            });

            var largest = 0;
            for (var g = 1; g < keys.Count; g++)
            {
                largest = members[keys[g]].Count > members[keys[largest]].Count ? g : largest;
            }

            (_keptKey, _kept) = (keys[largest], runs[largest]);
        }

        /// <summary>Runs the reservoir of <paramref name="candidate"/> over the data into the folds' statistics; a failed run scores +∞.</summary>
        private SharedRun Run(ReservoirCandidate candidate, int maxDegreeOfParallelism)
        {
            var network = Network(candidate, [candidate.L2Regularization]);
            try
            {
                return new SharedRun(network, EchoStateNetworkTrainer.AccumulateFolds(network, inputs, targets, maxDegreeOfParallelism));
            }
            catch (InvalidOperationException)
            {
                return new SharedRun(network, null);
            }
        }

        /// <summary>The network a candidate is fitted with: its settings, and a time-blocked λ search over <paramref name="grid"/>.</summary>
        private EchoStateNetworkOptions Network(ReservoirCandidate candidate, double[] grid) => candidate.ApplyTo(options.Network) with
        {
            RegularizationSearch = new RidgeCvOptions
            {
                L2Grid = [.. grid],
                Method = RidgeCvMethod.TimeBlockedKFold,
            },
            CrossValidationFolds = options.ValidationFolds,
        };

        /// <summary>One run of a reservoir: the folds' statistics, or null when the run failed.</summary>
        private sealed class SharedRun(EchoStateNetworkOptions network, GramAccumulator[]? folds)
        {
            /// <summary>Scores the candidates <paramref name="group"/> (all on this reservoir) with one λ search over their λ.</summary>
            internal void Score(ReservoirCandidate[] candidates, List<int> group, double[] scores, double variance)
            {
                var grid = new double[group.Count];
                for (var j = 0; j < grid.Length; j++)
                {
                    grid[j] = candidates[group[j]].L2Regularization;
                }

                IReadOnlyList<RidgeCvPoint>? curve = null;
                if (folds is not null)
                {
                    try
                    {
                        curve = EchoStateNetworkTrainer.ScoreFolds(network with
                        {
                            RegularizationSearch = network.RegularizationSearch! with { L2Grid = [.. grid] },
                        }, folds).Curve;
                    }
                    catch (InvalidOperationException)
                    {
                        curve = null;
                    }
                }

                foreach (var i in group)
                {
                    scores[i] = curve is null ? double.PositiveInfinity : Math.Sqrt(ErrorAt(curve, candidates[i].L2Regularization) / variance);
                }
            }

            private static double ErrorAt(IReadOnlyList<RidgeCvPoint> curve, double lambda)
            {
                foreach (var point in curve)
                {
                    if (point.L2Regularization.Equals(lambda))
                    {
                        return point.ValidationError;
                    }
                }

                throw new InvalidOperationException($"The λ search has no point at λ = {Guard.Format(lambda)}, one of its own grid.");
            }
        }
    }
}
