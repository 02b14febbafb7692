using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Reservoir;

/// <summary>Seeded random weight matrices: sparse recurrent and skip matrices, input, bias and feedback weights.</summary>
internal static class WeightFactory
{
    /// <summary>One weight from the distribution, before scaling.</summary>
    internal static double Draw(WeightDistribution distribution, Xoshiro256StarStar random) => distribution switch
    {
        WeightDistribution.Normal => Normal.Sample(random, 0.0, 1.0),
        WeightDistribution.Uniform => 2.0 * random.NextDouble() - 1.0,
        WeightDistribution.Bernoulli => random.NextDouble() < 0.5 ? -1.0 : 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown weight distribution."),
    };

    /// <summary>
    /// A sparse random N×N matrix: row i (the inputs of unit i) may draw from the columns in
    /// [firstAllowedColumn(i), N); each allowed entry is non-zero with probability p (the row's count is
    /// binomial), or exactly <paramref name="inDegree"/> entries per row when it is set.
    /// </summary>
    internal static SparseWeights RandomSparse(int n, double connectivity, int? inDegree,
        WeightDistribution distribution, Xoshiro256StarStar random, Func<int, int>? firstAllowedColumn = null)
    {
        var builder = new SparseWeights.Builder(n, n, ExpectedNonZeros(n, connectivity, inDegree));
        var marks = new bool[n];
        var chosen = new List<int>();
        for (var row = 0; row < n; row++)
        {
            var first = firstAllowedColumn?.Invoke(row) ?? 0;
            var allowed = n - first;
            var count = inDegree is { } k
                ? Math.Min(k, allowed)
                : Binomial.Sample(random, connectivity, allowed);
            ChooseDistinct(first, allowed, count, random, marks, chosen);
            chosen.Sort();
            foreach (var column in chosen)
            {
                builder.AddOrAccumulate(row, column, Draw(distribution, random));
                marks[column] = false;
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// The capacity to reserve for <see cref="RandomSparse"/>: exactly N·k entries with a fixed in-degree k (which ignores
    /// the connectivity), otherwise the binomial mean p·N² with 10 % and N entries of slack; never more than an array holds.
    /// </summary>
    internal static int ExpectedNonZeros(int n, double connectivity, int? inDegree)
    {
        var expected = ExpectedNonZerosUnclamped(n, connectivity, inDegree);
        return (int)Math.Min(Array.MaxLength, inDegree is null ? expected * 1.1 + n : expected);
    }

    /// <summary>The expected number of weights of <see cref="RandomSparse"/>, in double so that it cannot overflow: N·min(k, N), or p·N².</summary>
    internal static double ExpectedNonZerosUnclamped(int n, double connectivity, int? inDegree) =>
        inDegree is { } k ? (double)n * Math.Min(k, n) : connectivity * n * n;

    /// <summary>Dense weights for <paramref name="count"/> units: non-zero with probability p, drawn then multiplied by scale.</summary>
    internal static double[] SparseVector(int count, double connectivity, double scale, WeightDistribution distribution,
        Xoshiro256StarStar random)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < connectivity)
            {
                values[i] = scale * Draw(distribution, random);
            }
        }

        return values;
    }

    /// <summary>Floyd's algorithm: <paramref name="count"/> distinct values from [first, first + range).</summary>
    private static void ChooseDistinct(int first, int range, int count, Xoshiro256StarStar random, bool[] marks,
        List<int> chosen)
    {
        chosen.Clear();
        for (var j = range - count; j < range; j++)
        {
            var candidate = first + random.Next(j + 1);
            if (marks[candidate])
            {
                candidate = first + j;
            }

            marks[candidate] = true;
            chosen.Add(candidate);
        }
    }
}
