using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Random;
using Reservoir.Datasets;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>mg84</c>: Jaeger's (2001, GMD Report 148 §6) 84-step Mackey–Glass prediction with a 400-unit leaky network with output feedback.</summary>
/// <remarks>
/// <para>
/// Jaeger's update (eq. 21) is x(n+1) = (1 − δCa)·x(n) + δC·f(W_in·u(n+1) + W·x(n) + W_back·y(n)) with δ = 1,
/// C = 0.44, a = 0.9. Our core's update is z(n+1) = (1 − α)·z(n) + α·f(W′·z(n) + …). With z = a·x, α = δCa and
/// W′ = W / a the two are the same dynamical system (x = z / a at every step, exactly), so his network is
/// expressed without a change to the core: leak rate 0.396 and the recurrent matrix scaled to |λ| = 0.79 / 0.9. The
/// linearisation is unchanged, so the effective spectral radius is the same 0.44·0.79 + 0.604 ≈ 0.952; a linear
/// readout of z is a linear readout of x (the ridge λ acts on weights scaled by 1 / a).
/// </para>
/// <para>
/// Training: teacher forcing from the zero state, the first 1000 states discarded, ridge regression of the
/// teacher on the states (with an unregularised intercept, which plays the part of a readout weight on the constant
/// input). Testing: each trial starts from the zero state, is teacher-forced for 1000 steps of a fresh Mackey–Glass
/// run (consecutive 1084-step blocks of one long run, as Jaeger did), then runs free; the 84th free output is mapped
/// back with arctanh(y) + 1 and compared with the truth. NRMSE84 = √(Σ_i (y_i − ŷ_i)² / (n·σ²)), σ² the variance of
/// the τ = 17 attractor estimated once by <see cref="AttractorVariance"/>. A free-run output outside (−1, 1) is
/// clamped just inside before arctanh, so a run that leaves the attractor counts as a large error, not as NaN.
/// </para>
/// </remarks>
public sealed class Mg84Task : ReproductionTask
{
    /// <summary>The seed of the series from which σ² is estimated (fixed, so that σ² is part of the protocol).</summary>
    public const int VarianceSeed = 2001;

    /// <summary>The number of samples (after the generator's 1000-sample transient) from which σ² is estimated.</summary>
    public const int VarianceSamples = 100_000;

    /// <inheritdoc/>
    public override string Name => "mg84";

    /// <inheritdoc/>
    public override string Description => "Jaeger 2001 (GMD Report 148 sec. 6) Mackey-Glass tau=17 NRMSE84, 400 leaky units with output feedback, train 3000 / 21000; tuned variant, per-fit ridge choice at 21000 and N = 1000";

    /// <inheritdoc/>
    public override int Order => 12;

    /// <summary>σ² of the τ = 17 attractor in original coordinates: the population variance of <see cref="VarianceSamples"/> samples of seed <see cref="VarianceSeed"/>.</summary>
    /// <returns>The variance (about 0.05).</returns>
    public static double AttractorVariance() => TaskMath.Variance(Datasets.MackeyGlass.Generate(VarianceSamples, VarianceSeed));

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var protocol = settings.Small ? Mg84Protocol.Small : new Mg84Protocol();
        var trials = settings.TrialsOr(protocol.Trials, protocol.Trials);
        protocol = protocol with { Trials = trials };
        var report = new TaskReport(Name, settings.Seed);
        protocol.Describe(report);

        double variance;
        using (report.Time("attractor_variance"))
        {
            variance = settings.Small ? TaskMath.Variance(Datasets.MackeyGlass.Generate(20_000, VarianceSeed)) : AttractorVariance();
        }

        report.Configure("sigma2", variance)
            .Configure("sigma2_procedure", $"population variance of {(settings.Small ? 20_000 : VarianceSamples)} samples of the tau=17 series (seed {VarianceSeed}, after the generator transient of 1000 samples), original coordinates");

        var results = new Dictionary<int, Mg84Result>();
        using (report.Time("train_and_test"))
        {
            var lengths = protocol.TrainLengths;
            var measured = new Mg84Result[lengths.Length];
            Parallel.For(0, lengths.Length, i =>
            {
                settings.Report($"{Name}: training on {lengths[i]} steps, testing {trials} trials");
                measured[i] = Measure(protocol, lengths[i], settings.Seed, variance);
            });
            for (var i = 0; i < lengths.Length; i++)
            {
                results[lengths[i]] = measured[i];
            }
        }

        var tuned = settings.Small
            ? Mg84Protocol.Small with { L2Regularization = Mg84Protocol.Tuned.L2Regularization, TimeConstant = Mg84Protocol.Tuned.TimeConstant, TrainLengths = [1500] }
            : Mg84Protocol.Tuned;
        var tunedLong = settings.Small
            ? tuned with { L2Regularization = Mg84Protocol.TunedLong.L2Regularization, TrainLengths = [2500] }
            : Mg84Protocol.TunedLong;
        var selected = settings.Small
            ? tuned with { L2Candidates = Mg84Protocol.Selected.L2Candidates, SelectionSteps = 500, SelectionStride = 25, TrainLengths = [2500] }
            : Mg84Protocol.Selected;
        var large = settings.Small ? tuned with { UnitCount = 200, RecurrentConnectivity = 0.025 } : Mg84Protocol.Large;
        tuned = tuned with { Trials = trials };
        tunedLong = tunedLong with { Trials = trials };
        selected = selected with { Trials = trials };
        large = large with { Trials = trials };
        report.Configure("protocol_tuned", tuned.Summary())
            .Configure("protocol_tuned_long", tunedLong.Summary())
            .Configure("protocol_selected", selected.Summary())
            .Configure("protocol_n1000", large.Summary());
        var extra = new List<(string Key, Mg84Protocol Protocol, int Length)>();
        extra.AddRange(tuned.TrainLengths.Select(length => ($"tuned_nrmse84_train{length}", tuned, length)));
        extra.AddRange(tunedLong.TrainLengths.Select(length => ($"tuned_nrmse84_train{length}", tunedLong, length)));
        extra.AddRange(selected.TrainLengths.Select(length => ($"selected_nrmse84_train{length}", selected, length)));
        extra.AddRange(large.TrainLengths.Select(length => ($"n{large.UnitCount}_nrmse84_train{length}", large, length)));
        var extraResults = new Mg84Result[extra.Count];
        using (report.Time("tuned_and_n1000"))
        {
            Parallel.For(0, extra.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                settings.Report($"{Name}: {extra[i].Key}");
                extraResults[i] = Measure(extra[i].Protocol, extra[i].Length, settings.Seed, variance);
            });
        }

        foreach (var (length, result) in results)
        {
            report.Metric($"nrmse84_train{length}", result.Nrmse84);
        }

        for (var i = 0; i < extra.Count; i++)
        {
            report.Metric(extra[i].Key, extraResults[i].Nrmse84);
            if (extra[i].Protocol.L2Candidates.Length > 0)
            {
                report.Metric($"selected_l2_train{extra[i].Length}", extraResults[i].L2Regularization);
            }
        }

        foreach (var (length, result) in results)
        {
            report.Metric($"training_nrmse_train{length}", result.TrainingNrmse);
        }

        report.Metric("effective_spectral_radius", results.Values.First().EffectiveSpectralRadius);
        report.Notes.Add("Jaeger 2001 reports NRMSE84 = 2.8e-4 (3000 training steps) and 1.2e-4 (21000), 20 trials; see docs/REPRODUCTION.md.");
        report.Notes.Add("tuned_*: Jaeger's network with C = 0.6 and ridge 1e-15 (3000 steps) or 1e-13 (21000 steps), chosen on validation seeds; n1000_*: the 3000-step setting at N = 1000 (Jaeger and Haas 2004 report 10^-4.2 = 6.3e-5 at N = 1000).");
        report.Notes.Add("selected_*: the tuned network trained on 21000 steps with the ridge chosen per fit from 1e-17 ... 1e-10 by 84-step free runs on the last 4000 rows of its own training sequence (selected_l2_*: the chosen ridge).");
        return report;
    }

    /// <summary>Builds Jaeger's network for a seed, trains it on <paramref name="trainLength"/> steps and measures NRMSE84.</summary>
    /// <param name="protocol">The network and protocol constants.</param>
    /// <param name="trainLength">The length of the training sequence, &gt; <see cref="Mg84Protocol.DiscardSteps"/>.</param>
    /// <param name="seed">The seed of the network, the training series and the test series.</param>
    /// <param name="variance">σ² of the attractor in original coordinates, &gt; 0.</param>
    /// <returns>The measured errors.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainLength"/> is not above the discarded steps, or <paramref name="variance"/> is not positive.</exception>
    public static Mg84Result Measure(Mg84Protocol protocol, int trainLength, int seed, double variance)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (trainLength <= protocol.DiscardSteps + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trainLength), trainLength,
                $"trainLength must exceed the {protocol.DiscardSteps} discarded steps by at least 2; was {trainLength}.");
        }

        if (!double.IsFinite(variance) || variance <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(variance), variance, $"variance must be finite and > 0; was {variance}.");
        }

        // The training run carries the state noise; the test runs use the same weights without it.
        var reservoir = BuildReservoir(protocol, seed);
        var quiet = protocol.StateNoise > 0 ? BuildReservoir(protocol with { StateNoise = 0 }, seed) : reservoir;
        var n = protocol.ReadoutFeatureCount;

        // Training: teacher-forced from the zero state; step t feeds back d(t) and its state should output d(t+1).
        var teacher = Squash(Datasets.MackeyGlass.Generate(trainLength, seed));
        var (features, targets) = Collect(reservoir, protocol, teacher);
        var rows = targets.Length;

        if (protocol.L2Candidates.Length > 0)
        {
            var selection = FitSelected(quiet, protocol, features, n, targets, teacher);
            var chosen = selection.Readouts[selection.ChosenIndex];
            return new Mg84Result(TestNrmse84(quiet, chosen, protocol, seed, variance),
                TrainingNrmse(protocol, chosen, features, n, rows, teacher), reservoir.EffectiveSpectralRadius, chosen.L2Regularization);
        }

        var readout = LeastSquares(features, n, targets, protocol.L2Regularization);
        return new Mg84Result(TestNrmse84(quiet, readout, protocol, seed, variance),
            TrainingNrmse(protocol, readout, features, n, rows, teacher), reservoir.EffectiveSpectralRadius, readout.L2Regularization);
    }

    /// <summary>
    /// For a protocol with <see cref="Mg84Protocol.L2Candidates"/>: trains as <see cref="Measure"/> does and measures
    /// NRMSE84 with the readout of every candidate λ (each refitted on the whole training sequence), and which one the
    /// per-fit rule chose. A diagnostic for choosing the rule's settings on validation seeds.
    /// </summary>
    /// <param name="protocol">The network and protocol constants, with at least one λ candidate.</param>
    /// <param name="trainLength">The length of the training sequence.</param>
    /// <param name="seed">The seed of the network, the training series and the test series.</param>
    /// <param name="variance">σ² of the attractor in original coordinates, &gt; 0.</param>
    /// <returns>The chosen index, the held-out free-run errors and the test result of every candidate.</returns>
    /// <exception cref="ArgumentException">The protocol has no λ candidates.</exception>
    public static Mg84Selection MeasureEachCandidate(Mg84Protocol protocol, int trainLength, int seed, double variance)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol.L2Candidates.Length == 0)
        {
            throw new ArgumentException("protocol.L2Candidates must not be empty.", nameof(protocol));
        }

        var reservoir = BuildReservoir(protocol, seed);
        var quiet = protocol.StateNoise > 0 ? BuildReservoir(protocol with { StateNoise = 0 }, seed) : reservoir;
        var n = protocol.ReadoutFeatureCount;
        var teacher = Squash(Datasets.MackeyGlass.Generate(trainLength, seed));
        var (features, targets) = Collect(reservoir, protocol, teacher);
        var selection = FitSelected(quiet, protocol, features, n, targets, teacher);
        var results = selection.Readouts.Select(readout => new Mg84Result(TestNrmse84(quiet, readout, protocol, seed, variance),
            TrainingNrmse(protocol, readout, features, n, targets.Length, teacher), reservoir.EffectiveSpectralRadius, readout.L2Regularization)).ToArray();
        return new Mg84Selection(selection.ChosenIndex, selection.HoldoutErrors, results);
    }

    private static (double[] Features, double[] Targets) Collect(EchoStateReservoir reservoir, Mg84Protocol protocol, double[] teacher)
    {
        var n = protocol.ReadoutFeatureCount;
        var trainLength = teacher.Length;
        var rows = trainLength - 1 - protocol.DiscardSteps;
        var features = new double[rows * n];
        var targets = new double[rows];
        var state = reservoir.CreateState();
        var input = new[] { protocol.BiasInput };
        for (var t = 0; t < trainLength - 1; t++)
        {
            reservoir.Step(state, input, [teacher[t]]);
            var row = t - protocol.DiscardSteps;
            if (row >= 0)
            {
                protocol.WriteFeatures(state.Values, teacher[t], features.AsSpan(row * n, n));
                targets[row] = protocol.ReadoutTarget(teacher[t + 1]);
            }
        }

        return (features, targets);
    }

    /// <summary>
    /// The per-fit choice of λ: fits the readout on all but the last <see cref="Mg84Protocol.SelectionSteps"/> rows
    /// for every candidate, runs each free from teacher-forced states of the held-out tail (every
    /// <see cref="Mg84Protocol.SelectionStride"/> steps) for <see cref="Mg84Protocol.Horizon"/> steps, takes the λ with
    /// the least summed squared error of the last free output (original coordinates), then refits every candidate on all
    /// rows. One QR of the leading rows, updated with the tail rows; the λ systems are solved on the small R factor.
    /// </summary>
    private static (int ChosenIndex, double[] HoldoutErrors, RidgeSolution[] Readouts) FitSelected(
        EchoStateReservoir reservoir, Mg84Protocol protocol, double[] features, int n, double[] targets, double[] teacher)
    {
        var rows = targets.Length;
        if (protocol.SelectionStride < 1 || protocol.SelectionSteps <= protocol.Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol.SelectionSteps,
                $"protocol.SelectionStride must be >= 1 and protocol.SelectionSteps > protocol.Horizon ({protocol.Horizon}); were {protocol.SelectionStride} and {protocol.SelectionSteps}.");
        }

        var fitRows = rows - protocol.SelectionSteps;
        if (fitRows <= 2 * (n + 1))
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol.SelectionSteps,
                $"protocol.SelectionSteps leaves {fitRows} rows to fit {n + 1} weights; at least {2 * (n + 1) + 1} are needed.");
        }

        var (r1, c1) = ReduceQr(Stack(null, null, features, n, targets, 0, fitRows));
        var candidates = protocol.L2Candidates;
        var holdout = new double[candidates.Length];
        Parallel.For(0, candidates.Length, k =>
        {
            holdout[k] = HoldoutError(reservoir, protocol, SolveReduced(r1, c1, n, candidates[k]), features, n, rows, fitRows, teacher);
        });

        var chosen = 0;
        for (var k = 1; k < candidates.Length; k++)
        {
            if (holdout[k] < holdout[chosen])
            {
                chosen = k;
            }
        }

        var (r, c) = ReduceQr(Stack(r1, c1, features, n, targets, fitRows, rows));
        var readouts = candidates.Select(lambda => SolveReduced(r, c, n, lambda)).ToArray();
        return (chosen, holdout, readouts);
    }

    private static double HoldoutError(EchoStateReservoir reservoir, Mg84Protocol protocol, RidgeSolution readout, double[] features, int n, int rows, int fitRows, double[] teacher)
    {
        var sum = 0.0;
        var state = reservoir.CreateState(noiseStream: 3);
        var input = new[] { protocol.BiasInput };
        var output = new double[1];
        var fed = new double[1];
        var row = new double[n];
        for (var start = fitRows; start + protocol.Horizon < rows + 1; start += protocol.SelectionStride)
        {
            // Row r is the state after feeding teacher[r + discard]; the last free output estimates teacher[r + discard + horizon].
            var t = start + protocol.DiscardSteps;
            state.SetValues(features.AsSpan(start * n, protocol.UnitCount));
            fed[0] = teacher[t];
            var y = 0.0;
            for (var step = 0; step < protocol.Horizon; step++)
            {
                protocol.WriteFeatures(state.Values, fed[0], row);
                readout.Predict(row, output);
                y = protocol.Output(output[0]);
                if (step + 1 < protocol.Horizon)
                {
                    fed[0] = y;
                    reservoir.Step(state, input, fed);
                }
            }

            var error = Math.Atanh(Math.Clamp(y, -1 + 1e-15, 1 - 1e-15)) - Math.Atanh(teacher[t + protocol.Horizon]);
            sum += error * error;
        }

        return sum;
    }

    private static Matrix<double> Stack(Matrix<double>? r, Vector<double>? c, double[] features, int n, double[] targets, int from, int to)
    {
        var top = r?.RowCount ?? 0;
        var system = Matrix<double>.Build.Dense(top + to - from, n + 2);
        if (r is not null && c is not null)
        {
            system.SetSubMatrix(0, 0, r);
            system.SetColumn(n + 1, 0, top, c);
        }

        for (var i = from; i < to; i++)
        {
            var at = top + i - from;
            system[at, 0] = 1;
            for (var j = 0; j < n; j++)
            {
                system[at, j + 1] = features[i * n + j];
            }

            system[at, n + 1] = targets[i];
        }

        return system;
    }

    /// <summary>The R factor of [A b] (its first n + 1 columns, A) and Qᵀb, so that ‖A w − b‖ = ‖R w − Qᵀb‖ + a constant.</summary>
    private static (Matrix<double> R, Vector<double> C) ReduceQr(Matrix<double> augmented)
    {
        var columns = augmented.ColumnCount - 1;
        var a = augmented.SubMatrix(0, augmented.RowCount, 0, columns);
        var b = augmented.Column(columns);
        var qr = a.QR(QRMethod.Thin);
        return (qr.R, qr.Q.TransposeThisAndMultiply(b));
    }

    private static RidgeSolution SolveReduced(Matrix<double> r, Vector<double> c, int n, double l2Regularization)
    {
        var size = r.RowCount;
        var extra = l2Regularization > 0 ? n : 0;
        var system = Matrix<double>.Build.Dense(size + extra, n + 1);
        system.SetSubMatrix(0, 0, r);
        var rhs = Vector<double>.Build.Dense(size + extra);
        rhs.SetSubVector(0, size, c);
        return SolveStacked(system, rhs, size, n, l2Regularization);
    }

    private static double TrainingNrmse(Mg84Protocol protocol, RidgeSolution readout, double[] features, int n, int rows, double[] teacher)
    {
        // Training error (squashed coordinates) of the teacher-forced run, as a sanity figure.
        var fitted = new double[rows];
        var truth = new double[rows];
        var output = new double[1];
        for (var row = 0; row < rows; row++)
        {
            readout.Predict(features.AsSpan(row * n, n), output);
            fitted[row] = protocol.Output(output[0]);
            truth[row] = teacher[protocol.DiscardSteps + 1 + row];
        }

        return Metrics.Nrmse(truth, fitted);
    }

    private static double TestNrmse84(EchoStateReservoir quiet, RidgeSolution readout, Mg84Protocol protocol, int seed, double variance)
    {
        // Testing: consecutive blocks of one fresh run, each teacher-forced then free-running.
        var blockLength = protocol.TeacherForcedSteps + protocol.Horizon;
        var test = Datasets.MackeyGlass.Generate(protocol.Trials * blockLength, unchecked(seed * 7919 + 17));
        var errors = new double[protocol.Trials];
        Parallel.For(0, protocol.Trials, trial =>
        {
            var block = test.AsSpan(trial * blockLength, blockLength);
            var predicted = FreeRun(quiet, readout, protocol, block[..protocol.TeacherForcedSteps]);
            var error = (Math.Atanh(Math.Clamp(predicted, -1 + 1e-15, 1 - 1e-15)) + 1) - block[blockLength - 1];
            errors[trial] = error * error;
        });

        return Math.Sqrt(errors.Sum() / (protocol.Trials * variance));
    }

    /// <summary>Jaeger's network expressed in our core's leaky form (see the type's remarks).</summary>
    /// <param name="protocol">The network constants.</param>
    /// <param name="seed">The seed of every weight.</param>
    /// <returns>The reservoir: leak rate δCa, W scaled to |λ| / a, bias input weights in {0, ±0.14}, feedback U[−0.56, 0.56].</returns>
    public static EchoStateReservoir BuildReservoir(Mg84Protocol protocol, int seed)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var n = protocol.UnitCount;
        var random = new Xoshiro256StarStar(seed, threadSafe: false);
        var rowIndex = new List<int>();
        var columnIndex = new List<int>();
        var values = new List<double>();
        for (var row = 0; row < n; row++)
        {
            for (var column = 0; column < n; column++)
            {
                if (random.NextDouble() < protocol.RecurrentConnectivity)
                {
                    rowIndex.Add(row);
                    columnIndex.Add(column);
                    values.Add(random.NextDouble() < 0.5 ? -1.0 : 1.0);
                }
            }
        }

        var input = new double[n, 1];
        var feedback = new double[n, 1];
        for (var i = 0; i < n; i++)
        {
            var draw = random.NextDouble();
            input[i, 0] = draw < 0.5 ? 0 : draw < 0.75 ? protocol.InputWeight : -protocol.InputWeight;
            feedback[i, 0] = protocol.FeedbackWeight * (2 * random.NextDouble() - 1);
        }

        var leak = protocol.StepSize * protocol.TimeConstant * protocol.Decay;
        var raw = SparseWeights.FromTriplets(n, n, rowIndex.ToArray(), columnIndex.ToArray(), values.ToArray());
        var rawRadius = EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = raw,
            Input = SparseWeights.FromDense(input),
            LeakRates = [.. Enumerable.Repeat(1.0, n)],
        }).SpectralRadius;
        var scale = protocol.SpectralRadius / protocol.Decay / rawRadius;
        var scaled = SparseWeights.FromTriplets(n, n, rowIndex.ToArray(), columnIndex.ToArray(),
            values.Select(v => v * scale).ToArray());
        return EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = scaled,
            Input = SparseWeights.FromDense(input),
            Feedback = SparseWeights.FromDense(feedback),
            LeakRates = [.. Enumerable.Repeat(leak, n)],
            StateNoise = protocol.StateNoise,
            Seed = seed,
        });
    }

    /// <summary>Ridge regression with an unregularised intercept, solved by QR on the stacked system [1 X; 0 √λ·I] (no normal equations, so λ may be 0 or tiny).</summary>
    /// <param name="features">The rows × N states, row-major.</param>
    /// <param name="n">N, the features per row.</param>
    /// <param name="targets">The rows targets.</param>
    /// <param name="l2Regularization">λ ≥ 0.</param>
    /// <returns>The readout.</returns>
    internal static RidgeSolution LeastSquares(double[] features, int n, double[] targets, double l2Regularization)
    {
        var rows = targets.Length;
        var extra = l2Regularization > 0 ? n : 0;
        var system = Matrix<double>.Build.Dense(rows + extra, n + 1);
        var rhs = Vector<double>.Build.Dense(rows + extra);
        for (var r = 0; r < rows; r++)
        {
            system[r, 0] = 1;
            for (var c = 0; c < n; c++)
            {
                system[r, c + 1] = features[r * n + c];
            }

            rhs[r] = targets[r];
        }

        return SolveStacked(system, rhs, rows, n, l2Regularization);
    }

    /// <summary>Fills the √λ·I rows below row <paramref name="top"/> of [1 X; 0 √λ·I] (none when λ = 0), solves it by QR and returns the readout (intercept first in the solution).</summary>
    private static RidgeSolution SolveStacked(Matrix<double> system, Vector<double> rhs, int top, int n, double l2Regularization)
    {
        var root = Math.Sqrt(l2Regularization);
        for (var j = 0; j < system.RowCount - top; j++)
        {
            system[top + j, j + 1] = root;
        }

        var solution = system.QR(QRMethod.Thin).Solve(rhs);
        var weights = new double[1, n];
        for (var j = 0; j < n; j++)
        {
            weights[0, j] = solution[j + 1];
        }

        return RidgeSolution.FromWeights(weights, [solution[0]], l2Regularization);
    }

    private static double[] Squash(double[] series) => series.Select(y => Math.Tanh(y - 1)).ToArray();

    private static double FreeRun(EchoStateReservoir reservoir, RidgeSolution readout, Mg84Protocol protocol, ReadOnlySpan<double> observed)
    {
        var state = reservoir.CreateState(noiseStream: 2);
        var input = new[] { protocol.BiasInput };
        var output = new double[1];
        var fed = new double[1];
        var features = new double[protocol.ReadoutFeatureCount];
        foreach (var value in observed)
        {
            fed[0] = Math.Tanh(value - 1);
            reservoir.Step(state, input, fed);
        }

        var y = 0.0;
        for (var step = 0; step < protocol.Horizon; step++)
        {
            protocol.WriteFeatures(state.Values, fed[0], features);
            readout.Predict(features, output);
            y = protocol.Output(output[0]);
            if (step + 1 < protocol.Horizon)
            {
                fed[0] = y;
                reservoir.Step(state, input, fed);
            }
        }

        return y;
    }
}

/// <summary>The constants of Jaeger's MG84 network and protocol (GMD Report 148 §6), and our readout choices.</summary>
public sealed record Mg84Protocol
{
    /// <summary>The published protocol at small size (unit tests): 100 units, trains of 1500 and 2500 steps, 500 discarded and teacher-forced, 3 trials.</summary>
    public static Mg84Protocol Small { get; } = new()
    {
        UnitCount = 100,
        RecurrentConnectivity = 0.05,
        TrainLengths = [1500, 2500],
        DiscardSteps = 500,
        TeacherForcedSteps = 500,
        Trials = 3,
    };

    /// <summary>
    /// Jaeger's network with two settings changed, chosen once for every seed on validation seeds 1–6 (never on the
    /// reported seeds): C = 0.6 (core leak rate 0.54) and ridge λ = 1e-15; trained on 3000 steps. See
    /// docs/REPRODUCTION.md for the grid.
    /// </summary>
    public static Mg84Protocol Tuned { get; } = new() { TimeConstant = 0.6, L2Regularization = 1e-15, TrainLengths = [3000] };

    /// <summary>
    /// <see cref="Tuned"/> trained on 21 000 steps with ridge λ = 1e-13, the λ of {1e-15, 1e-14, 1e-13} with the lowest
    /// median NRMSE84 at that length over validation seeds 1–12.
    /// </summary>
    public static Mg84Protocol TunedLong { get; } = Tuned with { L2Regularization = 1e-13, TrainLengths = [21000] };

    /// <summary>
    /// <see cref="Tuned"/> trained on 21 000 steps with the ridge λ chosen per fit from 1e-17 … 1e-10 (decades) on the
    /// last 4000 rows of the fit's own training sequence (<see cref="L2Candidates"/>): the same rule for every seed,
    /// assessed on validation seeds 1–30. See docs/REPRODUCTION.md.
    /// </summary>
    public static Mg84Protocol Selected { get; } = Tuned with
    {
        L2Candidates = [1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10],
        TrainLengths = [21000],
    };

    /// <summary>
    /// <see cref="Tuned"/> at N = 1000 with 1 % recurrent connectivity, trained on 3000 steps (the size and training
    /// length of Jaeger and Haas 2004); no setting was re-chosen for this size.
    /// </summary>
    public static Mg84Protocol Large { get; } = Tuned with { UnitCount = 1000, RecurrentConnectivity = 0.01, TrainLengths = [3000] };

    /// <summary>N, default 400.</summary>
    public int UnitCount { get; init; } = 400;

    /// <summary>The fraction of non-zero recurrent weights (each ±1 before rescaling), default 0.0125.</summary>
    public double RecurrentConnectivity { get; init; } = 0.0125;

    /// <summary>|λ_max| of Jaeger's W, default 0.79.</summary>
    public double SpectralRadius { get; init; } = 0.79;

    /// <summary>δ, default 1.</summary>
    public double StepSize { get; init; } = 1;

    /// <summary>C, default 0.44.</summary>
    public double TimeConstant { get; init; } = 0.44;

    /// <summary>a, default 0.9.</summary>
    public double Decay { get; init; } = 0.9;

    /// <summary>The constant input u, default 0.2.</summary>
    public double BiasInput { get; init; } = 0.2;

    /// <summary>The magnitude of the non-zero input weights (0 with probability 0.5, ± this with 0.25 each), default 0.14.</summary>
    public double InputWeight { get; init; } = 0.14;

    /// <summary>The half-width of the uniform feedback weights, default 0.56.</summary>
    public double FeedbackWeight { get; init; } = 0.56;

    /// <summary>The uniform state-noise amplitude (on our state z = a·x) during training only, default 0 (Jaeger used none for τ = 17); the test runs are noise-free.</summary>
    public double StateNoise { get; init; }

    /// <summary>Whether the readout also reads the fed-back output y(n), as in Jaeger's general output equation y(n+1) = f(W_out·(u(n+1), x(n+1), y(n))); default false.</summary>
    public bool ReadoutReadsFeedback { get; init; }

    /// <summary>The number of readout weights besides the intercept: N, plus one when <see cref="ReadoutReadsFeedback"/>.</summary>
    public int ReadoutFeatureCount => UnitCount + (ReadoutReadsFeedback ? 1 : 0);

    /// <summary>Writes the readout's features for one step: the state, then the fed-back output when <see cref="ReadoutReadsFeedback"/>.</summary>
    /// <param name="state">The reservoir state after the step, length <see cref="UnitCount"/>.</param>
    /// <param name="fedBack">The output y(n) fed back in that step (squashed coordinates).</param>
    /// <param name="features">The destination, length <see cref="ReadoutFeatureCount"/>.</param>
    public void WriteFeatures(ReadOnlySpan<double> state, double fedBack, Span<double> features)
    {
        state.CopyTo(features);
        if (ReadoutReadsFeedback)
        {
            features[state.Length] = fedBack;
        }
    }

    /// <summary>The ridge λ of the readout (on our state z = a·x), default 1e-13 (chosen on seeds 1 and 2 from 1e-10 … 1e-14 and linear or tanh output); solved by QR, so 0 is allowed.</summary>
    public double L2Regularization { get; init; } = 1e-13;

    /// <summary>
    /// The ridge λ candidates of the per-fit choice, ascending; default empty (the fixed <see cref="L2Regularization"/>
    /// is used). When set, every fit chooses its own λ from these on the tail of its own training sequence (see
    /// <see cref="SelectionSteps"/>), the same rule for every seed, and <see cref="L2Regularization"/> is not used.
    /// </summary>
    public double[] L2Candidates { get; init; } = Array.Empty<double>();

    /// <summary>The last training rows held out for the per-fit choice of λ (the readout of each candidate is fitted on the rows before them, then every candidate is refitted on all rows), default 4000.</summary>
    public int SelectionSteps { get; init; } = 4000;

    /// <summary>The spacing of the held-out free runs of the per-fit choice of λ (each starts from a teacher-forced state of the held-out rows and is scored at <see cref="Horizon"/>), default 50.</summary>
    public int SelectionStride { get; init; } = 50;

    /// <summary>Whether the output unit is tanh (readout trained on arctanh of the teacher) rather than linear; default false.</summary>
    public bool TanhOutput { get; init; }

    /// <summary>The training sequence lengths, default 3000 and 21000.</summary>
    public int[] TrainLengths { get; init; } = [3000, 21000];

    /// <summary>The initial training states discarded, default 1000.</summary>
    public int DiscardSteps { get; init; } = 1000;

    /// <summary>The teacher-forced steps of each test trial, default 1000.</summary>
    public int TeacherForcedSteps { get; init; } = 1000;

    /// <summary>The free-running step scored, default 84.</summary>
    public int Horizon { get; init; } = 84;

    /// <summary>The number of test trials, default 20 (Jaeger's for τ = 17).</summary>
    public int Trials { get; init; } = 20;

    /// <summary>The readout's regression target for a teacher value.</summary>
    /// <param name="teacher">The squashed teacher value, in (−1, 1).</param>
    /// <returns>arctanh(teacher) with a tanh output unit, else the value itself.</returns>
    public double ReadoutTarget(double teacher) => TanhOutput ? Math.Atanh(teacher) : teacher;

    /// <summary>The output unit's value for a readout value.</summary>
    /// <param name="readout">W_out·z + b.</param>
    /// <returns>tanh(readout) with a tanh output unit, else the value itself.</returns>
    public double Output(double readout) => TanhOutput ? Math.Tanh(readout) : readout;

    /// <summary>The protocol's settings as one JSON object.</summary>
    /// <returns>Every field, snake_case.</returns>
    public JsonObject Summary() => new()
    {
        ["units"] = UnitCount,
        ["recurrent_connectivity"] = RecurrentConnectivity,
        ["jaeger_spectral_radius"] = SpectralRadius,
        ["jaeger_update"] = $"delta={StepSize}, C={TimeConstant}, a={Decay}",
        ["core_leak_rate"] = StepSize * TimeConstant * Decay,
        ["bias_input"] = BiasInput,
        ["input_weight"] = InputWeight,
        ["feedback_weight"] = FeedbackWeight,
        ["state_noise"] = StateNoise,
        ["l2_regularization"] = L2Candidates.Length > 0 ? "chosen per fit" : L2Regularization,
        ["l2_candidates"] = new JsonArray(L2Candidates.Select(l => (JsonNode)l).ToArray()),
        ["l2_selection"] = L2Candidates.Length > 0
            ? $"least summed squared error of the {Horizon}th free-run output from teacher-forced states every {SelectionStride} steps of the last {SelectionSteps} training rows, readout fitted on the rows before them; then refitted on all rows"
            : "fixed",
        ["output_unit"] = TanhOutput ? "tanh" : "linear",
        ["readout_reads_feedback"] = ReadoutReadsFeedback,
        ["train_lengths"] = new JsonArray(TrainLengths.Select(l => (JsonNode)l).ToArray()),
        ["discarded_steps"] = DiscardSteps,
        ["teacher_forced_steps"] = TeacherForcedSteps,
        ["trials"] = Trials,
    };

    /// <summary>Records the protocol in a report.</summary>
    /// <param name="report">The report.</param>
    public void Describe(TaskReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Configure("units", UnitCount)
            .Configure("recurrent_connectivity", RecurrentConnectivity)
            .Configure("jaeger_update", $"Jaeger eq. 21 with delta={StepSize}, C={TimeConstant}, a={Decay}")
            .Configure("jaeger_spectral_radius", SpectralRadius)
            .Configure("core_leak_rate", StepSize * TimeConstant * Decay)
            .Configure("core_spectral_radius", SpectralRadius / Decay)
            .Configure("bias_input", BiasInput)
            .Configure("input_weights", $"0 or plus/minus {InputWeight} with probabilities 0.5, 0.25, 0.25")
            .Configure("feedback_weights", $"U[-{FeedbackWeight}, {FeedbackWeight}]")
            .Configure("state_noise", StateNoise)
            .Configure("l2_regularization", L2Regularization)
            .Configure("output_unit", TanhOutput ? "tanh" : "linear")
            .Configure("series", "Mackey-Glass tau=17, Euler dt=0.1 subsampled by 10, squashed by tanh(y - 1)")
            .Configure("train_lengths", new JsonArray(TrainLengths.Select(l => (JsonNode)l).ToArray()))
            .Configure("discarded_steps", DiscardSteps)
            .Configure("teacher_forced_steps", TeacherForcedSteps)
            .Configure("horizon", Horizon)
            .Configure("trials", Trials)
            .Configure("series_seeds", "training series: the seed; test series: seed * 7919 + 17 (32-bit wrap-around)");
    }
}

/// <summary>What one MG84 training run measured.</summary>
/// <param name="Nrmse84">NRMSE84 in original coordinates.</param>
/// <param name="TrainingNrmse">The teacher-forced one-step NRMSE on the training data (squashed coordinates).</param>
/// <param name="EffectiveSpectralRadius">The effective spectral radius of the linearised update.</param>
/// <param name="L2Regularization">The ridge λ used.</param>
public sealed record Mg84Result(double Nrmse84, double TrainingNrmse, double EffectiveSpectralRadius, double L2Regularization);

/// <summary>What <see cref="Mg84Task.MeasureEachCandidate"/> measured for every λ candidate.</summary>
/// <param name="ChosenIndex">The index of the candidate that the per-fit rule chose.</param>
/// <param name="HoldoutErrors">The summed squared held-out free-run error of each candidate (original coordinates).</param>
/// <param name="Results">The test result of each candidate, refitted on the whole training sequence.</param>
public sealed record Mg84Selection(int ChosenIndex, double[] HoldoutErrors, Mg84Result[] Results);
