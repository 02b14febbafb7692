using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Reservoir.Readouts;

/// <summary>Error and quality metrics comparing a prediction with the truth: regression and forecast errors, interval coverage, accuracy, memory capacity and valid prediction time.</summary>
/// <remarks>
/// <para>
/// Every regression error (MSE, RMSE, NRMSE, MAE, R²) has a vector overload and a matrix overload. For matrices
/// (rows = samples, columns = outputs) the metric is computed per column and the mean over columns is returned (a uniform average, like scikit-learn's
/// <c>multioutput="uniform_average"</c>); for <see cref="Rmse(double[,], double[,])"/> that is the mean of the
/// per-column RMSEs, not the RMSE of all values pooled.
/// </para>
/// <para>
/// <see cref="MemoryCapacity"/> sums per-column squared correlations instead, and <see cref="ValidPredictionTime(double[,], double[,], double)"/>
/// takes the largest error over the columns at each step.
/// </para>
/// <para>
/// The forecast metrics (<see cref="Mase"/>, <see cref="Smape"/>, <see cref="Mape"/>, <see cref="PinballLoss"/> and
/// <see cref="Coverage"/>) follow the definitions of R's forecast package and the M competitions and take one series
/// (vectors only); percentages are on the 0–100 scale (0–200 for sMAPE).
/// </para>
/// <para>
/// Inputs must have the same length (or shape), be non-empty and hold only finite values; the one exception is the
/// prediction given to <c>ValidPredictionTime</c>, where a NaN or infinity (a diverged forecast) counts as an error
/// above the threshold. All methods are pure and thread-safe.
/// </para>
/// </remarks>
public static class Metrics
{
    private delegate double ColumnMetric(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int column);

    /// <summary>Returns the mean squared error, (1/n) Σ (truth − prediction)².</summary>
    /// <param name="truth">The observed values; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>The MSE, ≥ 0, in squared units of the target.</returns>
    /// <exception cref="ArgumentException">The lengths differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Mse(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        return MseCore(truth, prediction, -1);
    }

    /// <summary>Returns the mean over columns of the per-column mean squared error.</summary>
    /// <param name="truth">The observed values, rows × outputs; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same shape as <paramref name="truth"/>, finite.</param>
    /// <returns>The column-averaged MSE, ≥ 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The shapes differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Mse(double[,] truth, double[,] prediction) => ColumnAverage(truth, prediction, MseCore);

    /// <summary>Returns the root mean squared error, √MSE.</summary>
    /// <param name="truth">The observed values; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>The RMSE, ≥ 0, in units of the target.</returns>
    /// <exception cref="ArgumentException">The lengths differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Rmse(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        return RmseCore(truth, prediction, -1);
    }

    /// <summary>Returns the mean over columns of the per-column root mean squared error.</summary>
    /// <param name="truth">The observed values, rows × outputs; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same shape as <paramref name="truth"/>, finite.</param>
    /// <returns>The column-averaged RMSE, ≥ 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The shapes differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Rmse(double[,] truth, double[,] prediction) => ColumnAverage(truth, prediction, RmseCore);

    /// <summary>Returns the normalised root mean squared error: RMSE divided by the population standard deviation of the truth.</summary>
    /// <param name="truth">The observed values (the target); non-empty, finite, not all equal.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>
    /// The NRMSE, ≥ 0 and dimensionless: 0 is perfect and 1 is no better than always predicting the mean of the truth.
    /// </returns>
    /// <remarks>
    /// NRMSE = √((1/n) Σ (truth − prediction)²) / σ, with σ = √((1/n) Σ (truth − mean(truth))²), the population
    /// (not sample) standard deviation of the <em>target</em>, never of the prediction. Other toolkits normalise
    /// differently: some divide the RMSE by the range max − min of the target, others divide the MSE by the variance
    /// (or the RMSE by the mean). Compare published figures only when the normalisation is the same.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the input is empty, a value is NaN or infinite, or the truth has zero variance
    /// (<see cref="ArgumentException.ParamName"/> is "truth").
    /// </exception>
    public static double Nrmse(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        return NrmseCore(truth, prediction, -1);
    }

    /// <summary>Returns the mean over columns of the per-column NRMSE (each column's RMSE over that column's target standard deviation).</summary>
    /// <param name="truth">The observed values, rows × outputs; non-empty, finite, no constant column.</param>
    /// <param name="prediction">The predicted values; same shape as <paramref name="truth"/>, finite.</param>
    /// <returns>The column-averaged NRMSE, ≥ 0.</returns>
    /// <remarks>See <see cref="Nrmse(ReadOnlySpan{double}, ReadOnlySpan{double})"/> for the normalisation (population standard deviation of the target).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The shapes differ, the input is empty, a value is NaN or infinite, or a column of the truth has zero variance.
    /// </exception>
    public static double Nrmse(double[,] truth, double[,] prediction) => ColumnAverage(truth, prediction, NrmseCore);

    /// <summary>Returns the mean absolute error, (1/n) Σ |truth − prediction|.</summary>
    /// <param name="truth">The observed values; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>The MAE, ≥ 0, in units of the target.</returns>
    /// <exception cref="ArgumentException">The lengths differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Mae(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        return MaeCore(truth, prediction, -1);
    }

    /// <summary>Returns the mean over columns of the per-column mean absolute error.</summary>
    /// <param name="truth">The observed values, rows × outputs; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same shape as <paramref name="truth"/>, finite.</param>
    /// <returns>The column-averaged MAE, ≥ 0.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The shapes differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Mae(double[,] truth, double[,] prediction) => ColumnAverage(truth, prediction, MaeCore);

    /// <summary>Returns the coefficient of determination R² = 1 − Σ (truth − prediction)² / Σ (truth − mean(truth))².</summary>
    /// <param name="truth">The observed values; non-empty, finite, not all equal.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>R², at most 1: 1 is perfect, 0 is as good as predicting the mean, and it is negative when worse. R² = 1 − NRMSE².</returns>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the input is empty, a value is NaN or infinite, or the truth has zero variance
    /// (<see cref="ArgumentException.ParamName"/> is "truth").
    /// </exception>
    public static double RSquared(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        return RSquaredCore(truth, prediction, -1);
    }

    /// <summary>Returns the mean over columns of the per-column coefficient of determination R².</summary>
    /// <param name="truth">The observed values, rows × outputs; non-empty, finite, no constant column.</param>
    /// <param name="prediction">The predicted values; same shape as <paramref name="truth"/>, finite.</param>
    /// <returns>The column-averaged R², at most 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The shapes differ, the input is empty, a value is NaN or infinite, or a column of the truth has zero variance.
    /// </exception>
    public static double RSquared(double[,] truth, double[,] prediction) => ColumnAverage(truth, prediction, RSquaredCore);

    /// <summary>Returns the mean absolute scaled error: the MAE of the forecast divided by the in-sample MAE of the seasonal naive forecast on the training series (Hyndman &amp; Koehler 2006).</summary>
    /// <param name="truth">The observed values after the training series; non-empty, finite.</param>
    /// <param name="prediction">The forecasts of <paramref name="truth"/>; same length, finite.</param>
    /// <param name="training">The series the forecaster was trained on, oldest first; more than <paramref name="seasonalPeriod"/> values, finite, not exactly periodic with that period.</param>
    /// <param name="seasonalPeriod">The lag m of the naive forecast that sets the scale, ≥ 1; default 1 (the random walk, for a series without a season).</param>
    /// <returns>
    /// MASE = MAE / s, with s = (1/(n − m)) Σ_{t=m}^{n−1} |training[t] − training[t − m]|, as <c>accuracy()</c> in R's
    /// forecast package. It is ≥ 0 and dimensionless: below 1 the forecast beats the in-sample seasonal naive forecast.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seasonalPeriod"/> is below 1.</exception>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the input is empty, a value is NaN or infinite, or <paramref name="training"/> has at most
    /// <paramref name="seasonalPeriod"/> values or no seasonal naive error (every value equals the one m steps before it),
    /// so the scale is zero (ParamName "training").
    /// </exception>
    public static double Mase(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, ReadOnlySpan<double> training, int seasonalPeriod = 1)
    {
        Validate(truth, prediction);
        var scale = SeasonalNaiveScale(training, seasonalPeriod);
        return MaeCore(truth, prediction, -1) / scale;
    }

    /// <summary>Returns the symmetric mean absolute percentage error on the 0–200 scale, (1/n) Σ 200·|truth − prediction| / (|truth| + |prediction|).</summary>
    /// <param name="truth">The observed values; non-empty, finite.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>
    /// The sMAPE in percent, in [0, 200], as in the M3 and M4 competitions. A pair in which both values are 0 contributes 0
    /// (a perfect forecast); a pair with exactly one zero contributes 200.
    /// </returns>
    /// <exception cref="ArgumentException">The lengths differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double Smape(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            var denominator = Math.Abs(truth[i]) + Math.Abs(prediction[i]);
            if (denominator > 0)
            {
                sum += 200 * Math.Abs(truth[i] - prediction[i]) / denominator;
            }
        }

        return sum / truth.Length;
    }

    /// <summary>Returns the mean absolute percentage error, (1/n) Σ 100·|truth − prediction| / |truth|.</summary>
    /// <param name="truth">The observed values; non-empty, finite, none 0.</param>
    /// <param name="prediction">The predicted values; same length as <paramref name="truth"/>, finite.</param>
    /// <returns>The MAPE in percent, ≥ 0 and unbounded above.</returns>
    /// <remarks>MAPE is undefined when a truth value is 0; use <see cref="Smape"/> or <see cref="Mase"/> for series that can be 0.</remarks>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the input is empty, a value is NaN or infinite, or a truth value is 0
    /// (ParamName "truth"; the message gives the index).
    /// </exception>
    public static double Mape(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        Validate(truth, prediction);
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] == 0)
            {
                throw new ArgumentException(
                    $"truth is 0 at index {i}, so MAPE (which divides by the truth) is undefined; use Smape or Mase for a series that can be 0.",
                    nameof(truth));
            }

            sum += Math.Abs(truth[i] - prediction[i]) / Math.Abs(truth[i]);
        }

        return 100 * sum / truth.Length;
    }

    /// <summary>Returns the mean pinball (quantile) loss of a forecast of the τ-quantile, (1/n) Σ max(τ·(truth − q), (τ − 1)·(truth − q)).</summary>
    /// <param name="truth">The observed values; non-empty, finite.</param>
    /// <param name="quantileForecast">The forecasts q of the <paramref name="quantileLevel"/>-quantile of each truth value; same length, finite.</param>
    /// <param name="quantileLevel">τ, the level of the quantile, in (0, 1); 0.5 gives half the MAE.</param>
    /// <returns>The loss, ≥ 0, in units of the target: a truth above q costs τ per unit, one below costs 1 − τ per unit.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quantileLevel"/> is not in (0, 1), or is NaN.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the input is empty, or a value is NaN or infinite.</exception>
    public static double PinballLoss(ReadOnlySpan<double> truth, ReadOnlySpan<double> quantileForecast, double quantileLevel)
    {
        if (!(quantileLevel is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(quantileLevel), quantileLevel,
                $"quantileLevel must be in (0, 1); was {Guard.Format(quantileLevel)}.");
        }

        Validate(truth, quantileForecast);
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            var error = truth[i] - quantileForecast[i];
            sum += error >= 0 ? quantileLevel * error : (quantileLevel - 1) * error;
        }

        return sum / truth.Length;
    }

    /// <summary>Returns the fraction of truth values inside their prediction interval [lower, upper], bounds included.</summary>
    /// <param name="truth">The observed values; non-empty, finite.</param>
    /// <param name="lower">The lower bounds; same length as <paramref name="truth"/>, finite.</param>
    /// <param name="upper">The upper bounds; same length, finite, and at least <paramref name="lower"/> at every index.</param>
    /// <returns>The empirical coverage in [0, 1], to compare with the nominal level of the intervals.</returns>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the input is empty, a value is NaN or infinite, or an upper bound is below its lower bound
    /// (ParamName "upper"; the message gives the index).
    /// </exception>
    public static double Coverage(ReadOnlySpan<double> truth, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        Validate(truth, lower);
        Validate(truth, upper);
        var inside = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (upper[i] < lower[i])
            {
                throw new ArgumentException(
                    $"upper is {Guard.Format(upper[i])} at index {i}, below lower {Guard.Format(lower[i])}; every interval needs lower ≤ upper.",
                    nameof(upper));
            }

            if (truth[i] >= lower[i] && truth[i] <= upper[i])
            {
                inside++;
            }
        }

        return (double)inside / truth.Length;
    }

    /// <summary>Returns the fraction of predicted labels that equal the true labels.</summary>
    /// <param name="truth">The true class labels; non-empty (any integer values).</param>
    /// <param name="predicted">The predicted class labels; same length as <paramref name="truth"/>.</param>
    /// <returns>The accuracy in [0, 1]: the number of positions where the labels agree divided by the length.</returns>
    /// <exception cref="ArgumentException">The lengths differ (ParamName "predicted") or the input is empty (ParamName "truth").</exception>
    public static double Accuracy(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException(
                $"predicted has {predicted.Length} labels but truth has {truth.Length}; they must have the same length.",
                nameof(predicted));
        }

        if (truth.IsEmpty)
        {
            throw new ArgumentException("truth is empty; at least one label is required.", nameof(truth));
        }

        var correct = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] == predicted[i])
            {
                correct++;
            }
        }

        return (double)correct / truth.Length;
    }

    /// <summary>Returns the short-term memory capacity: the sum over delays of the squared correlation between each delayed input and its reconstruction (Jaeger 2002).</summary>
    /// <param name="delayedInputs">The targets, steps × delays: column k is the input delayed by the k-th delay; at least 2 rows and 1 column, finite.</param>
    /// <param name="predictions">The readout's reconstructions, same shape as <paramref name="delayedInputs"/>, finite.</param>
    /// <returns>MC = Σ_k r_k², between 0 and the number of columns; see <see cref="MemoryCapacityProfile"/> for r_k².</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delayedInputs"/> or <paramref name="predictions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The shapes differ, there are fewer than 2 rows or no column, or a value is NaN or infinite.
    /// </exception>
    public static double MemoryCapacity(double[,] delayedInputs, double[,] predictions)
    {
        var sum = 0.0;
        foreach (var value in MemoryCapacityProfile(delayedInputs, predictions))
        {
            sum += value;
        }

        return sum;
    }

    /// <summary>Returns, per delay, the squared Pearson correlation between the delayed input and its reconstruction.</summary>
    /// <param name="delayedInputs">The targets, steps × delays: column k is the input delayed by the k-th delay; at least 2 rows and 1 column, finite.</param>
    /// <param name="predictions">The readout's reconstructions, same shape as <paramref name="delayedInputs"/>, finite.</param>
    /// <returns>
    /// A new array with one value per column, r_k² = cov(u_k, ŷ_k)² / (var(u_k)·var(ŷ_k)) in [0, 1] (clamped against
    /// rounding). A column in which either matrix is constant contributes 0, since the correlation is undefined and such a
    /// reconstruction carries no memory of the input.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="delayedInputs"/> or <paramref name="predictions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The shapes differ (ParamName "predictions"), there are fewer than 2 rows or no column (ParamName "delayedInputs"),
    /// or a value is NaN or infinite.
    /// </exception>
    public static double[] MemoryCapacityProfile(double[,] delayedInputs, double[,] predictions)
    {
        ArgumentNullException.ThrowIfNull(delayedInputs);
        ArgumentNullException.ThrowIfNull(predictions);
        var rows = delayedInputs.GetLength(0);
        var columns = delayedInputs.GetLength(1);
        if (predictions.GetLength(0) != rows || predictions.GetLength(1) != columns)
        {
            throw new ArgumentException(
                $"predictions is {predictions.GetLength(0)} × {predictions.GetLength(1)} but delayedInputs is {rows} × {columns}; " +
                "they must have the same shape.",
                nameof(predictions));
        }

        if (rows < 2 || columns == 0)
        {
            throw new ArgumentException(
                $"delayedInputs is {rows} × {columns}; a correlation needs at least 2 rows and 1 column.", nameof(delayedInputs));
        }

        Guard.AllFinite(delayedInputs);
        Guard.AllFinite(predictions);

        var profile = new double[columns];
        var input = new double[rows];
        var output = new double[rows];
        for (var c = 0; c < columns; c++)
        {
            for (var r = 0; r < rows; r++)
            {
                input[r] = delayedInputs[r, c];
                output[r] = predictions[r, c];
            }

            profile[c] = SquaredCorrelation(input, output);
        }

        return profile;
    }

    /// <summary>Returns the valid prediction time: the number of leading steps whose absolute error is at most a threshold.</summary>
    /// <param name="truth">The true trajectory; non-empty, finite.</param>
    /// <param name="prediction">The predicted trajectory, same length; a NaN or infinite value (a diverged forecast) counts as exceeding the threshold.</param>
    /// <param name="threshold">The largest tolerated absolute error, in units of the target; finite and ≥ 0.</param>
    /// <returns>
    /// The index of the first step with |truth − prediction| &gt; <paramref name="threshold"/>, or the length when there is
    /// none: a count of steps in [0, length]. Multiply by the sampling interval (and the largest Lyapunov exponent) for time units.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the input is empty, or <paramref name="truth"/> holds a NaN or infinite value.</exception>
    public static int ValidPredictionTime(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, double threshold)
    {
        Guard.NonNegative(threshold);
        if (truth.Length != prediction.Length)
        {
            throw new ArgumentException(
                $"prediction has {prediction.Length} values but truth has {truth.Length}; they must have the same length.",
                nameof(prediction));
        }

        if (truth.IsEmpty)
        {
            throw new ArgumentException("truth is empty; at least one step is required.", nameof(truth));
        }

        Guard.AllFinite(truth);
        for (var i = 0; i < truth.Length; i++)
        {
            // Written so that a NaN error also ends the valid time.
            if (!(Math.Abs(truth[i] - prediction[i]) <= threshold))
            {
                return i;
            }
        }

        return truth.Length;
    }

    /// <summary>Returns the valid prediction time of a multivariate trajectory, using the largest absolute error over the columns at each step.</summary>
    /// <param name="truth">The true trajectory, steps × variables; at least one row and one column, finite.</param>
    /// <param name="prediction">The predicted trajectory, same shape; a NaN or infinite value counts as exceeding the threshold.</param>
    /// <param name="threshold">The largest tolerated absolute error in any variable; finite and ≥ 0.</param>
    /// <returns>The index of the first step where some column's absolute error exceeds <paramref name="threshold"/>, or the number of steps when there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="prediction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The shapes differ, the input is empty, or <paramref name="truth"/> holds a NaN or infinite value.</exception>
    public static int ValidPredictionTime(double[,] truth, double[,] prediction, double threshold)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        Guard.NonNegative(threshold);
        var rows = truth.GetLength(0);
        var columns = truth.GetLength(1);
        if (prediction.GetLength(0) != rows || prediction.GetLength(1) != columns)
        {
            throw new ArgumentException(
                $"prediction is {prediction.GetLength(0)} × {prediction.GetLength(1)} but truth is {rows} × {columns}; " +
                "they must have the same shape.",
                nameof(prediction));
        }

        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException(
                $"truth is {rows} × {columns}; at least one row and one column are required.", nameof(truth));
        }

        Guard.AllFinite(truth);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (!(Math.Abs(truth[r, c] - prediction[r, c]) <= threshold))
                {
                    return r;
                }
            }
        }

        return rows;
    }

    private static double MseCore(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int column) =>
        SumOfSquaredErrors(truth, prediction) / truth.Length;

    private static double RmseCore(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int column) =>
        Math.Sqrt(MseCore(truth, prediction, column));

    private static double NrmseCore(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int column) =>
        Math.Sqrt(SumOfSquaredErrors(truth, prediction) / SumOfSquaredDeviations(truth, column, "NRMSE"));

    private static double RSquaredCore(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int column) =>
        1.0 - SumOfSquaredErrors(truth, prediction) / SumOfSquaredDeviations(truth, column, "R²");

    private static double MaeCore(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction, int column)
    {
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            sum += Math.Abs(truth[i] - prediction[i]);
        }

        return sum / truth.Length;
    }

    private static double SumOfSquaredErrors(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            var error = truth[i] - prediction[i];
            sum += error * error;
        }

        return sum;
    }

    /// <summary>Σ (t − mean)², two-pass; throws if every value is equal, so that rounding never fakes a tiny variance.</summary>
    private static double SumOfSquaredDeviations(ReadOnlySpan<double> truth, int column, string metric)
    {
        if (TensorPrimitives.Max(truth) == TensorPrimitives.Min(truth))
        {
            var where = column < 0 ? "truth (the target)" : $"truth (the target) column {column}";
            throw new ArgumentException(
                $"{where} has zero variance (every value is {Guard.Format(truth[0])}), so {metric} is undefined; " +
                "it needs a target that varies.",
                nameof(truth));
        }

        var mean = TensorPrimitives.Sum(truth) / truth.Length;
        var sum = 0.0;
        for (var i = 0; i < truth.Length; i++)
        {
            var deviation = truth[i] - mean;
            sum += deviation * deviation;
        }

        return sum;
    }

    /// <summary>cov² / (var·var) by two passes; 0 if either series is constant (tested exactly, so rounding never fakes a variance).</summary>
    private static double SquaredCorrelation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (TensorPrimitives.Max(a) == TensorPrimitives.Min(a) || TensorPrimitives.Max(b) == TensorPrimitives.Min(b))
        {
            return 0;
        }

        var meanA = TensorPrimitives.Sum(a) / a.Length;
        var meanB = TensorPrimitives.Sum(b) / b.Length;
        double covariance = 0, varianceA = 0, varianceB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var da = a[i] - meanA;
            var db = b[i] - meanB;
            covariance += da * db;
            varianceA += da * da;
            varianceB += db * db;
        }

        return Math.Min(covariance / varianceA * (covariance / varianceB), 1.0);
    }

    /// <summary>Throws unless the two spans have the same non-zero length and hold only finite values; messages use the caller's names.</summary>
    private static void Validate(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction,
        [CallerArgumentExpression(nameof(prediction))] string? predictionName = null)
    {
        if (truth.Length != prediction.Length)
        {
            throw new ArgumentException(
                $"{predictionName} has {prediction.Length} values but truth has {truth.Length}; they must have the same length.",
                predictionName);
        }

        if (truth.IsEmpty)
        {
            throw new ArgumentException("truth is empty; at least one value is required.", nameof(truth));
        }

        Guard.AllFinite(truth);
        Guard.AllFinite(prediction, predictionName);
    }

    /// <summary>The in-sample mean absolute error of the seasonal naive forecast at lag <paramref name="seasonalPeriod"/>; throws unless it is positive.</summary>
    private static double SeasonalNaiveScale(ReadOnlySpan<double> training, int seasonalPeriod)
    {
        if (seasonalPeriod < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(seasonalPeriod), seasonalPeriod,
                $"seasonalPeriod must be >= 1 (1 for a series without a season); was {seasonalPeriod}.");
        }

        if (training.Length <= seasonalPeriod)
        {
            throw new ArgumentException(
                $"training has {training.Length} values but the seasonal naive scale at seasonalPeriod {seasonalPeriod} needs at least " +
                $"{seasonalPeriod + 1} (seasonalPeriod + 1); give the whole training series.",
                nameof(training));
        }

        Guard.AllFinite(training);
        var sum = 0.0;
        for (var t = seasonalPeriod; t < training.Length; t++)
        {
            sum += Math.Abs(training[t] - training[t - seasonalPeriod]);
        }

        // Two different finite doubles never differ by exactly 0, so a zero sum means every error is exactly 0.
        if (sum == 0)
        {
            throw new ArgumentException(
                $"training has no seasonal naive error at lag {seasonalPeriod} (every value equals the one {seasonalPeriod} steps before it), " +
                "so the MASE scale is 0 and MASE is undefined; use a training series that varies, another seasonalPeriod, or Mae.",
                nameof(training));
        }

        return sum / (training.Length - seasonalPeriod);
    }

    private static double ColumnAverage(double[,] truth, double[,] prediction, ColumnMetric metric)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        var rows = truth.GetLength(0);
        var columns = truth.GetLength(1);
        if (prediction.GetLength(0) != rows || prediction.GetLength(1) != columns)
        {
            throw new ArgumentException(
                $"prediction is {prediction.GetLength(0)} × {prediction.GetLength(1)} but truth is {rows} × {columns}; " +
                "they must have the same shape.",
                nameof(prediction));
        }

        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException(
                $"truth is {rows} × {columns}; at least one row and one column are required.", nameof(truth));
        }

        Guard.AllFinite(truth);
        Guard.AllFinite(prediction);

        var truthColumn = new double[rows];
        var predictionColumn = new double[rows];
        var sum = 0.0;
        for (var c = 0; c < columns; c++)
        {
            for (var r = 0; r < rows; r++)
            {
                truthColumn[r] = truth[r, c];
                predictionColumn[r] = prediction[r, c];
            }

            sum += metric(truthColumn, predictionColumn, c);
        }

        return sum / columns;
    }
}
