using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using MathNet.Numerics.LinearAlgebra;

namespace Reservoir.Readouts;

/// <summary>Chooses the ridge penalty λ from a grid by cross-validation on streamed statistics, then fits the readout with it.</summary>
/// <remarks>
/// <para>
/// The caller streams its data into k <see cref="GramAccumulator"/>s, one per time-blocked fold (blocks of consecutive
/// rows dealt out round robin, as <see cref="TimeBlockedFolds"/> assigns them), so that no raw rows are kept. For a training system A (D × D) and right-hand side B (D × K) — the centred
/// comoments Cxx, Cxy with an intercept, the raw XᵀX, XᵀY without — A = QΛQᵀ is diagonalised once
/// (<c>Evd(Symmetricity.Symmetric)</c>), eigenvalues below 0 from rounding are clamped to 0, and every λ then costs only
/// W(λ) = Q(Λ + λI)⁻¹QᵀB, O(D²·K), with no new factorisation. A direction with σᵢ + λ = 0 (only possible for λ = 0)
/// is dropped, as in the pseudo-inverse.
/// </para>
/// <para>
/// <see cref="RidgeCvMethod.TimeBlockedKFold"/>: for each fold with rows, the other folds are merged into the training
/// statistics and the fold is held out. Its squared error Σ‖y − ŷ‖² is expanded from its own statistics (count n_v,
/// means x̄_v, ȳ_v, comoments Cxx_v, Cxy_v, Σ(y − ȳ_v)²): with e = ȳ_v − Wᵀx̄_v − b,
/// Σ‖y − ŷ‖² = n_v‖e‖² + Σ_t (Syy_t − 2 w_tᵀ Cxy_v[:, t] + w_tᵀ Cxx_v w_t), where the intercept b = ȳ − Wᵀx̄ uses the
/// training means. The validation error is the squared error summed over all held-out rows and targets, divided by
/// (held-out rows · K): the mean squared error per target, every row weighing the same.
/// </para>
/// <para>
/// <see cref="RidgeCvMethod.GeneralizedCrossValidation"/>: all folds are merged (n rows) and
/// GCV(λ) = n·RSS(λ)/(n − df(λ))², with RSS the residual sum of squares of the ridge fit on all rows, averaged over
/// the K targets, and df(λ) = Σᵢ σᵢ/(σᵢ + λ) the trace of the hat matrix, plus 1 for the unregularised intercept when
/// one is fitted. With z = Qᵀb for each target column b of B, RSS = Syy − Σᵢ zᵢ²(σᵢ + 2λ)/(σᵢ + λ)², so each λ
/// costs O(D·K). When df ≥ n the value is +∞.
/// </para>
/// <para>
/// The λ with the lowest validation error wins; on an exact tie the larger λ (the simpler model) wins. The returned
/// <see cref="RidgeCvResult.Solution"/> is <see cref="RidgeReadout"/> fitted on all folds merged with that λ.
/// The object holds only validated options: it is immutable and thread-safe, and <see cref="Fit"/> changes no accumulator.
/// </para>
/// </remarks>
public sealed class RidgeCv
{
    /// <summary>Initializes static members of the <see cref="RidgeCv"/> class: lets MathNet pick its provider once (see <see cref="LinearAlgebraBackend"/>).</summary>
    static RidgeCv() => ReadoutNumerics.EnsureInitialized();

    private static readonly ImmutableArray<double> DefaultGrid = [.. CreateDefaultGrid()];

    private readonly double[] _grid;

    /// <summary>Initializes a new instance of the <see cref="RidgeCv"/> class and validates its options.</summary>
    /// <param name="options">The grid, scoring method and intercept choice; <see langword="null"/> uses the defaults of <see cref="RidgeCvOptions"/>.</param>
    /// <exception cref="ArgumentException"><see cref="RidgeCvOptions.L2Grid"/> is empty (<see cref="ArgumentException.ParamName"/> is "L2Grid").</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A value of <see cref="RidgeCvOptions.L2Grid"/> is negative, NaN or infinite (ParamName "L2Grid"), or
    /// <see cref="RidgeCvOptions.Method"/> is not a defined <see cref="RidgeCvMethod"/> (ParamName "Method").
    /// </exception>
    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "ParamName is the options member that holds the bad value, so that the error names the setting the caller "
            + "wrote (RidgeCvOptions.Method, L2Grid), as documented, not the constructor's parameter.")]
    public RidgeCv(RidgeCvOptions? options = null)
    {
        options ??= new RidgeCvOptions();
        if (!Enum.IsDefined(options.Method))
        {
            throw new ArgumentOutOfRangeException(nameof(RidgeCvOptions.Method), options.Method,
                $"Method must be {nameof(RidgeCvMethod.TimeBlockedKFold)} or {nameof(RidgeCvMethod.GeneralizedCrossValidation)}; " +
                $"was {(int)options.Method}.");
        }

        var grid = options.L2Grid ?? DefaultGrid;
        ImmutableArrays.ThrowIfDefault(grid, nameof(RidgeCvOptions.L2Grid));
        if (grid.Length == 0)
        {
            throw new ArgumentException(
                "L2Grid is empty; give at least one λ >= 0, or leave it null for the default grid.", nameof(RidgeCvOptions.L2Grid));
        }

        _grid = new double[grid.Length];
        for (var i = 0; i < _grid.Length; i++)
        {
            var value = grid[i];
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(RidgeCvOptions.L2Grid), value,
                    $"L2Grid[{i}] must be finite and >= 0; was {Guard.Format(value)}.");
            }

            _grid[i] = value;
        }

        Array.Sort(_grid);
        Options = options with { L2Grid = [.. _grid] };
    }

    /// <summary>Gets the default grid: 29 values of λ from 1e-12 to 1e2 in half-decade steps, 10^(−12 + i/2) for i = 0…28.</summary>
    public static ImmutableArray<double> DefaultL2Grid => DefaultGrid;

    /// <summary>Gets the validated options; <see cref="RidgeCvOptions.L2Grid"/> is a copy of the grid, sorted ascending.</summary>
    public RidgeCvOptions Options { get; }

    /// <summary>Scores every λ of the grid on the folds, picks the best and fits the readout on all folds with it.</summary>
    /// <param name="folds">
    /// One accumulator per fold (for example those of <see cref="TimeBlockedFolds.Accumulate"/>), all of the same shape; not changed. Time-blocked
    /// k-fold needs at least 2 folds with rows (empty folds are skipped); GCV needs at least one row in total.
    /// </param>
    /// <returns>The chosen λ, the validation curve (ascending λ) and the readout fitted on all rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folds"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="folds"/> is empty, holds a <see langword="null"/> or a consumed accumulator (<see cref="GramAccumulator.IsConsumed"/>), holds accumulators of different shapes, or has
    /// too few rows for the method (ParamName "folds"); or the final ridge system with the chosen λ is not positive
    /// definite, which can happen only when λ = 0 is chosen (ParamName "L2Regularization"). A chosen λ &gt; 0 too small for
    /// the Cholesky factorisation is solved through the eigendecomposition instead.
    /// </exception>
    public RidgeCvResult Fit(IReadOnlyList<GramAccumulator> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        CheckFolds(folds);

        var all = Merged(folds);

        var errors = Options.Method == RidgeCvMethod.TimeBlockedKFold
            ? ScoreTimeBlockedKFold(folds)
            : ScoreGeneralizedCrossValidation(all);

        var curve = new RidgeCvPoint[_grid.Length];
        var best = 0;
        for (var g = 0; g < _grid.Length; g++)
        {
            curve[g] = new RidgeCvPoint(_grid[g], errors[g]);

            // The grid is ascending, so "<=" keeps the larger λ on a tie.
            if (errors[g] <= errors[best])
            {
                best = g;
            }
        }

        var bestLambda = _grid[best];
        RidgeSolution solution;
        try
        {
            solution = new RidgeReadout(new RidgeReadoutOptions
            {
                L2Regularization = bestLambda,
                FitIntercept = Options.FitIntercept,
            }).Fit(all);
        }
        catch (ArgumentException) when (bestLambda > 0)
        {
            // The scores came from eigendecompositions, which handle a λ far below the rounding of the Cholesky pivots;
            // the final fit then takes the same route, so a chosen λ > 0 always gives a solution.
            solution = SolveByEigendecomposition(all, bestLambda);
        }

        return new RidgeCvResult(bestLambda, Options.Method, curve, solution);
    }

    /// <summary>The ridge solution W = Q(Λ + λI)⁻¹QᵀB from the eigendecomposition of the normal equations, with the intercept from the means.</summary>
    private RidgeSolution SolveByEigendecomposition(GramAccumulator all, double lambda)
    {
        var d = all.FeatureCount;
        var k = all.TargetCount;
        var (system, rightHandSide) = NormalEquations(all, Options.FitIntercept);
        var (eigenvectors, eigenvalues) = Diagonalise(system);
        var rotated = eigenvectors.TransposeThisAndMultiply(rightHandSide);
        var scaled = Matrix<double>.Build.Dense(d, k);
        Shrink(rotated, eigenvalues, lambda, scaled);
        var solved = eigenvectors.Multiply(scaled);

        var weights = new double[k, d];
        var intercept = new double[k];
        var featureMeans = all.FeatureMeans;
        var targetMeans = all.TargetMeans;
        for (var t = 0; t < k; t++)
        {
            var dot = 0.0;
            for (var i = 0; i < d; i++)
            {
                weights[t, i] = solved[i, t];
                dot += solved[i, t] * featureMeans[i];
            }

            intercept[t] = Options.FitIntercept ? targetMeans[t] - dot : 0;
        }

        return RidgeSolution.FromWeights(weights, intercept, lambda);
    }

    /// <summary>All folds in one accumulator, read only: the only fold with rows itself when there is one (merging it into an empty accumulator would copy it bitwise), else a new merged one.</summary>
    private static GramAccumulator Merged(IReadOnlyList<GramAccumulator> folds)
    {
        GramAccumulator? single = null;
        foreach (var fold in folds)
        {
            if (fold.Count > 0)
            {
                if (single is not null)
                {
                    single = null;
                    break;
                }

                single = fold;
            }
        }

        if (single is not null)
        {
            return single;
        }

        var all = new GramAccumulator(folds[0].FeatureCount, folds[0].TargetCount);
        foreach (var fold in folds)
        {
            all.Add(fold);
        }

        return all;
    }

    private static double[] CreateDefaultGrid()
    {
        var lowest = Math.Log10(ReadoutDefaults.L2GridMinimum);
        var count = (int)Math.Round((Math.Log10(ReadoutDefaults.L2GridMaximum) - lowest) * ReadoutDefaults.L2GridPointsPerDecade) + 1;
        var grid = new double[count];
        for (var i = 0; i < count; i++)
        {
            grid[i] = Math.Pow(10, lowest + (double)i / ReadoutDefaults.L2GridPointsPerDecade);
        }

        return grid;
    }

    private void CheckFolds(IReadOnlyList<GramAccumulator> folds)
    {
        if (folds.Count == 0)
        {
            throw new ArgumentException("folds is empty; give one GramAccumulator per time-blocked fold (see TimeBlockedFolds).", nameof(folds));
        }

        var nonEmpty = 0;
        long total = 0;
        for (var i = 0; i < folds.Count; i++)
        {
            var fold = folds[i] ?? throw new ArgumentException($"folds[{i}] is null; every fold must be a GramAccumulator.", nameof(folds));
            if (fold.IsConsumed)
            {
                throw new ArgumentException(
                    $"folds[{i}] was consumed by RidgeReadout.FitAndConsume, which factored its statistics in place; accumulate it again after Reset.",
                    nameof(folds));
            }

            if (fold.FeatureCount != folds[0].FeatureCount || fold.TargetCount != folds[0].TargetCount)
            {
                throw new ArgumentException(
                    $"folds[{i}] has {fold.FeatureCount} features and {fold.TargetCount} targets but folds[0] has " +
                    $"{folds[0].FeatureCount} and {folds[0].TargetCount}; every fold must have the same shape.",
                    nameof(folds));
            }

            if (fold.Count > 0)
            {
                nonEmpty++;
                total += fold.Count;
            }
        }

        if (Options.Method == RidgeCvMethod.TimeBlockedKFold && nonEmpty < 2)
        {
            throw new ArgumentException(
                $"Time-blocked k-fold needs at least 2 folds with rows; {nonEmpty} of the {folds.Count} folds have any. " +
                "Accumulate each time-blocked fold (see TimeBlockedFolds) into its own GramAccumulator, or use GeneralizedCrossValidation.",
                nameof(folds));
        }

        if (total == 0)
        {
            throw new ArgumentException(
                $"None of the {folds.Count} folds has rows; accumulate data before Fit.", nameof(folds));
        }
    }

    private double[] ScoreTimeBlockedKFold(IReadOnlyList<GramAccumulator> folds)
    {
        var d = folds[0].FeatureCount;
        var k = folds[0].TargetCount;
        var fitIntercept = Options.FitIntercept;
        var squaredErrors = new double[_grid.Length];
        long heldOutRows = 0;

        var training = new GramAccumulator(d, k);
        var scaled = Matrix<double>.Build.Dense(d, k);
        var weights = Matrix<double>.Build.Dense(d, k);
        var heldOutTimesWeights = Matrix<double>.Build.Dense(d, k);
        for (var v = 0; v < folds.Count; v++)
        {
            var heldOut = folds[v];
            if (heldOut.Count == 0)
            {
                continue;
            }

            training.Reset();
            for (var j = 0; j < folds.Count; j++)
            {
                if (j != v)
                {
                    training.Add(folds[j]);
                }
            }

            var (system, rightHandSide) = NormalEquations(training, fitIntercept);
            var (eigenvectors, eigenvalues) = Diagonalise(system);
            var rotated = eigenvectors.TransposeThisAndMultiply(rightHandSide);

            // The held-out fold's own statistics: these, not its rows, give its squared error for any W.
            var heldOutComoments = Symmetric(heldOut.FeatureComoments, d);
            var heldOutCross = heldOut.CrossComoments;
            var heldOutDeviations = heldOut.TargetSquaredDeviations;
            var n = (double)heldOut.Count;
            var trainingFeatureMeans = training.FeatureMeans;
            var trainingTargetMeans = training.TargetMeans;
            var heldOutFeatureMeans = heldOut.FeatureMeans;
            var heldOutTargetMeans = heldOut.TargetMeans;

            for (var g = 0; g < _grid.Length; g++)
            {
                Shrink(rotated, eigenvalues, _grid[g], scaled);
                eigenvectors.Multiply(scaled, weights);
                heldOutComoments.Multiply(weights, heldOutTimesWeights);

                var sum = 0.0;
                for (var t = 0; t < k; t++)
                {
                    // Mean error e_t = ȳ_v − w_tᵀx̄_v − b_t, with b_t = ȳ − w_tᵀx̄ on the training means (0 without intercept).
                    var error = heldOutTargetMeans[t];
                    var cross = 0.0;
                    var quadratic = 0.0;
                    for (var i = 0; i < d; i++)
                    {
                        var w = weights[i, t];
                        var shift = fitIntercept ? heldOutFeatureMeans[i] - trainingFeatureMeans[i] : heldOutFeatureMeans[i];
                        error -= w * shift;
                        cross += w * heldOutCross[i * k + t];
                        quadratic += w * heldOutTimesWeights[i, t];
                    }

                    if (fitIntercept)
                    {
                        error -= trainingTargetMeans[t];
                    }

                    sum += n * error * error + heldOutDeviations[t] - 2 * cross + quadratic;
                }

                squaredErrors[g] += Math.Max(sum, 0);
            }

            heldOutRows += heldOut.Count;
        }

        var denominator = (double)heldOutRows * k;
        for (var g = 0; g < squaredErrors.Length; g++)
        {
            squaredErrors[g] /= denominator;
        }

        return squaredErrors;
    }

    private double[] ScoreGeneralizedCrossValidation(GramAccumulator all)
    {
        var d = all.FeatureCount;
        var k = all.TargetCount;
        var n = (double)all.Count;
        var fitIntercept = Options.FitIntercept;
        var (system, rightHandSide) = NormalEquations(all, fitIntercept);
        var (eigenvectors, eigenvalues) = Diagonalise(system);
        var rotated = eigenvectors.TransposeThisAndMultiply(rightHandSide);

        // Σ_t zᵢₜ² per eigen-direction, and the total sum of squares the fit starts from.
        var energy = new double[d];
        for (var i = 0; i < d; i++)
        {
            for (var t = 0; t < k; t++)
            {
                energy[i] += rotated[i, t] * rotated[i, t];
            }
        }

        var total = 0.0;
        for (var t = 0; t < k; t++)
        {
            total += all.TargetSquaredDeviations[t];
            if (!fitIntercept)
            {
                total += n * all.TargetMeans[t] * all.TargetMeans[t];
            }
        }

        var scores = new double[_grid.Length];
        for (var g = 0; g < _grid.Length; g++)
        {
            var lambda = _grid[g];
            var explained = 0.0;
            var degreesOfFreedom = fitIntercept ? 1.0 : 0.0;
            for (var i = 0; i < d; i++)
            {
                var denominator = eigenvalues[i] + lambda;
                if (denominator > 0)
                {
                    explained += energy[i] * (eigenvalues[i] + 2 * lambda) / (denominator * denominator);
                    degreesOfFreedom += eigenvalues[i] / denominator;
                }
            }

            var residual = Math.Max(total - explained, 0) / k;
            var remaining = n - degreesOfFreedom;
            scores[g] = remaining > 0 ? n * residual / (remaining * remaining) : double.PositiveInfinity;
        }

        return scores;
    }

    /// <summary>A = Cxx, B = Cxy with an intercept; A = XᵀX = Cxx + n x̄x̄ᵀ, B = XᵀY = Cxy + n x̄ȳᵀ without one.</summary>
    private static (Matrix<double> System, Matrix<double> RightHandSide) NormalEquations(GramAccumulator gram, bool fitIntercept)
    {
        var d = gram.FeatureCount;
        var k = gram.TargetCount;
        var (system, rightHandSide) = gram.NormalEquations(fitIntercept);

        // The system is symmetric, so its row-major array is also its column-major one.
        return (Matrix<double>.Build.Dense(d, d, system), Matrix<double>.Build.Dense(d, k, (i, t) => rightHandSide[i * k + t]));
    }

    /// <summary>Builds the full symmetric matrix from a row-major upper triangle.</summary>
    private static Matrix<double> Symmetric(ReadOnlySpan<double> upper, int d)
    {
        var values = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                values[i * d + j] = upper[i * d + j];
                values[j * d + i] = upper[i * d + j];
            }
        }

        return Matrix<double>.Build.Dense(d, d, values);
    }

    /// <summary>One symmetric eigendecomposition A = QΛQᵀ; eigenvalues made negative by rounding are clamped to 0.</summary>
    private static (Matrix<double> Eigenvectors, double[] Eigenvalues) Diagonalise(Matrix<double> system)
    {
        var evd = system.Evd(Symmetricity.Symmetric);
        var eigenvalues = new double[system.RowCount];
        for (var i = 0; i < eigenvalues.Length; i++)
        {
            eigenvalues[i] = Math.Max(evd.EigenValues[i].Real, 0);
        }

        return (evd.EigenVectors, eigenvalues);
    }

    /// <summary>scaled = (Λ + λI)⁻¹ QᵀB, dropping directions with σᵢ + λ = 0.</summary>
    private static void Shrink(Matrix<double> rotated, double[] eigenvalues, double lambda, Matrix<double> scaled)
    {
        for (var i = 0; i < eigenvalues.Length; i++)
        {
            var denominator = eigenvalues[i] + lambda;
            var factor = denominator > 0 ? 1 / denominator : 0;
            for (var t = 0; t < rotated.ColumnCount; t++)
            {
                scaled[i, t] = factor * rotated[i, t];
            }
        }
    }
}
