using System.Numerics.Tensors;

namespace Reservoir.Readouts;

/// <summary>Regression error metrics comparing a prediction with the truth.</summary>
/// <remarks>
/// <para>
/// Every metric has a vector overload and a matrix overload. For matrices (rows = samples, columns = outputs) the
/// metric is computed per column and the mean over columns is returned (a uniform average, like scikit-learn's
/// <c>multioutput="uniform_average"</c>); for <see cref="Rmse(double[,], double[,])"/> that is the mean of the
/// per-column RMSEs, not the RMSE of all values pooled.
/// </para>
/// <para>
/// Inputs must have the same length (or shape), be non-empty and hold only finite values. All methods are pure and
/// thread-safe.
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

    private static void Validate(ReadOnlySpan<double> truth, ReadOnlySpan<double> prediction)
    {
        if (truth.Length != prediction.Length)
        {
            throw new ArgumentException(
                $"prediction has {prediction.Length} values but truth has {truth.Length}; they must have the same length.",
                nameof(prediction));
        }

        if (truth.IsEmpty)
        {
            throw new ArgumentException("truth is empty; at least one value is required.", nameof(truth));
        }

        Guard.AllFinite(truth);
        Guard.AllFinite(prediction);
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
