using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Random;

namespace Reservoir;

/// <summary>Recurrent matrices W of a fixed structure: the delay line, the cycle with jumps, the orthogonal and the small-world W.</summary>
/// <remarks>Row i of every matrix holds the inputs of unit i. The arguments are validated by <see cref="ReservoirBuilder.Validate(ReservoirOptions)"/>.</remarks>
internal static class TopologyFactory
{
    /// <summary>The delay line: unit i feeds unit i+1 with <paramref name="weight"/>; N−1 weights, no wrap-around.</summary>
    internal static SparseWeights DelayLine(int n, double weight)
    {
        var builder = new SparseWeights.Builder(n, n, Math.Max(n - 1, 0));
        for (var row = 1; row < n; row++)
        {
            builder.AddOrAccumulate(row, row - 1, weight);
        }

        return builder.Build();
    }

    /// <summary>
    /// The cycle with regular jumps (Rodan and Tino 2012): unit i feeds unit i+1 (and N−1 feeds 0) with
    /// <paramref name="cycleWeight"/>, and units kℓ and (k+1)ℓ feed each other with <paramref name="jumpWeight"/> for every
    /// k with (k+1)ℓ &lt; N.
    /// </summary>
    /// <remarks>With 2 ≤ ℓ ≤ N/2 no jump coincides with a cycle connection, so each weight is exactly one of the two.</remarks>
    internal static SparseWeights CycleWithJumps(int n, double cycleWeight, int jumpLength, double jumpWeight)
    {
        var jumps = (n - 1) / jumpLength;
        var rows = new int[n + 2 * jumps];
        var columns = new int[rows.Length];
        var values = new double[rows.Length];
        var k = 0;
        for (var row = 0; row < n; row++)
        {
            rows[k] = row;
            columns[k] = row == 0 ? n - 1 : row - 1;
            values[k++] = cycleWeight;
        }

        for (var from = 0; from + jumpLength < n; from += jumpLength)
        {
            var to = from + jumpLength;
            rows[k] = to;
            columns[k] = from;
            values[k++] = jumpWeight;
            rows[k] = from;
            columns[k] = to;
            values[k++] = jumpWeight;
        }

        return SparseWeights.FromTriplets(n, n, rows, columns, values);
    }

    /// <summary>
    /// A Haar-distributed orthogonal matrix times <paramref name="radius"/>: Q of the QR decomposition of an N×N matrix of
    /// standard normal entries (drawn row by row from <paramref name="random"/>), with column j multiplied by the sign of
    /// R[j, j] so that the decomposition is unique and Q is uniform on the orthogonal group (Mezzadri 2007).
    /// </summary>
    internal static SparseWeights Orthogonal(int n, double radius, Xoshiro256StarStar random)
    {
        var gaussian = Matrix<double>.Build.Dense(n, n);
        for (var row = 0; row < n; row++)
        {
            for (var column = 0; column < n; column++)
            {
                gaussian[row, column] = WeightFactory.Draw(WeightDistribution.Normal, random);
            }
        }

        var qr = gaussian.QR(QRMethod.Full);
        var q = qr.Q;
        var r = qr.R;
        var signs = new double[n];
        for (var j = 0; j < n; j++)
        {
            signs[j] = r[j, j] < 0 ? -radius : radius;
        }

        var builder = new SparseWeights.Builder(n, n, (int)Math.Min(Array.MaxLength, (long)n * n));
        for (var row = 0; row < n; row++)
        {
            for (var column = 0; column < n; column++)
            {
                var value = q[row, column] * signs[column];
                if (value != 0)
                {
                    builder.AddOrAccumulate(row, column, value);
                }
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// A directed Watts–Strogatz matrix before rescaling: row i receives from the <paramref name="neighbours"/> units nearest
    /// to i on the ring (K/2 on each side); each of these connections, in the order i−K/2, …, i−1, i+1, …, i+K/2, is moved
    /// with probability <paramref name="rewiring"/> to a unit drawn uniformly among those that are neither i nor already an
    /// input of i. Every row keeps K inputs, whose weights are then drawn in column order from <paramref name="distribution"/>.
    /// </summary>
    internal static SparseWeights SmallWorld(int n, int neighbours, double rewiring, WeightDistribution distribution,
        Xoshiro256StarStar random)
    {
        var half = neighbours / 2;
        var free = n - 1 - neighbours;
        var builder = new SparseWeights.Builder(n, n, (int)Math.Min(Array.MaxLength, (long)n * neighbours));
        var marks = new bool[n];
        var sources = new int[neighbours];
        for (var row = 0; row < n; row++)
        {
            for (var j = 0; j < half; j++)
            {
                sources[j] = (row - half + j + n) % n;
                sources[half + j] = (row + 1 + j) % n;
            }

            foreach (var source in sources)
            {
                marks[source] = true;
            }

            for (var s = 0; s < neighbours; s++)
            {
                if (random.NextDouble() >= rewiring || free == 0)
                {
                    continue;
                }

                var target = DrawFree(n, row, free, marks, random);
                marks[sources[s]] = false;
                marks[target] = true;
                sources[s] = target;
            }

            Array.Sort(sources);
            foreach (var source in sources)
            {
                builder.AddOrAccumulate(row, source, WeightFactory.Draw(distribution, random));
                marks[source] = false;
            }
        }

        return builder.Build();
    }

    /// <summary>A column drawn uniformly among the <paramref name="free"/> columns that are neither <paramref name="row"/> nor marked.</summary>
    private static int DrawFree(int n, int row, int free, bool[] marks, Xoshiro256StarStar random)
    {
        if (2L * free >= n)
        {
            // At least half the columns are free: rejection takes fewer than two draws on average.
            while (true)
            {
                var candidate = random.Next(n);
                if (candidate != row && !marks[candidate])
                {
                    return candidate;
                }
            }
        }

        var rank = random.Next(free);
        for (var column = 0; column < n; column++)
        {
            if (column != row && !marks[column] && rank-- == 0)
            {
                return column;
            }
        }

        throw new InvalidOperationException("No free column, although the count of free columns was positive.");
    }
}
