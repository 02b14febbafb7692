using System.Collections.Immutable;
using MathNet.Numerics.Random;

namespace Reservoir;

/// <summary>The distribution from which each unit's leak rate α is drawn once, at construction, and then fixed.</summary>
/// <remarks>
/// The leak rate is the weight on the new value: x[t] = (1−α)·x[t−1] + α·f(…); the time constant of a unit
/// is τ = 1/α steps. A <see cref="double"/> converts implicitly to <see cref="Constant(double)"/>, so
/// <c>LeakRates = 0.3</c> gives every unit α = 0.3.
/// </remarks>
public abstract record LeakRateDistribution
{
    private protected LeakRateDistribution()
    {
    }

    /// <summary>Every unit has the same leak rate.</summary>
    /// <param name="leakRate">The leak rate, in (0, 1].</param>
    /// <returns>The distribution (validated when the reservoir is built).</returns>
    public static LeakRateDistribution Constant(double leakRate) => new ConstantLeakRate(leakRate);

    /// <summary>Leak rates drawn uniformly in [min, max].</summary>
    /// <param name="min">The smallest leak rate, in (0, 1].</param>
    /// <param name="max">The largest leak rate, in [min, 1].</param>
    /// <returns>The distribution (validated when the reservoir is built).</returns>
    public static LeakRateDistribution Uniform(double min, double max) => new UniformLeakRate(min, max);

    /// <summary>Time constants τ = 1/α drawn log-uniformly in [τ_min, τ_max] steps, so every scale is equally represented.</summary>
    /// <param name="minTimeConstant">The shortest time constant τ_min, in steps, ≥ 1.</param>
    /// <param name="maxTimeConstant">The longest time constant τ_max, in steps, ≥ τ_min.</param>
    /// <returns>The distribution (validated when the reservoir is built).</returns>
    public static LeakRateDistribution LogUniformTimeConstants(double minTimeConstant, double maxTimeConstant) =>
        new LogUniformTimeConstant(minTimeConstant, maxTimeConstant);

    /// <summary>Groups of units, each group a fraction of the units with its own fixed leak rate.</summary>
    /// <param name="groups">The groups; fractions are positive and sum to 1 (within 1e-9).</param>
    /// <returns>The distribution (validated when the reservoir is built).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="groups"/> is null.</exception>
    /// <remarks>
    /// Units are assigned to groups in order (the first group gets the first units), with group sizes rounded
    /// by largest remainder so that they add up to the unit count.
    /// </remarks>
    public static LeakRateDistribution Groups(params LeakRateGroup[] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return new GroupedLeakRates([.. groups]);
    }

    /// <summary>A constant leak rate.</summary>
    /// <param name="leakRate">The leak rate of every unit.</param>
    public static implicit operator LeakRateDistribution(double leakRate) => Constant(leakRate);

    /// <summary>Which family the distribution belongs to, for saving it.</summary>
    internal abstract LeakRateDistributionKind Kind { get; }

    /// <summary>
    /// The parameters, for saving: constant [α]; uniform [min, max]; log-uniform [τ_min, τ_max];
    /// groups [fraction₀, α₀, fraction₁, α₁, …]. A new array.
    /// </summary>
    internal abstract double[] GetParameters();

    /// <summary>The distribution of a family with the parameters of <see cref="GetParameters"/>; null when the count does not fit the family.</summary>
    /// <remarks>The values are not checked here; call <see cref="Validate"/> on the result.</remarks>
    internal static LeakRateDistribution? FromParameters(LeakRateDistributionKind kind, ReadOnlySpan<double> parameters)
    {
        switch (kind)
        {
            case LeakRateDistributionKind.Constant when parameters.Length == 1:
                return Constant(parameters[0]);
            case LeakRateDistributionKind.Uniform when parameters.Length == 2:
                return Uniform(parameters[0], parameters[1]);
            case LeakRateDistributionKind.LogUniformTimeConstants when parameters.Length == 2:
                return LogUniformTimeConstants(parameters[0], parameters[1]);
            case LeakRateDistributionKind.Groups when parameters.Length >= 2 && parameters.Length % 2 == 0:
                var groups = ImmutableArray.CreateBuilder<LeakRateGroup>(parameters.Length / 2);
                for (var g = 0; g < parameters.Length / 2; g++)
                {
                    groups.Add(new LeakRateGroup(parameters[2 * g], parameters[2 * g + 1]));
                }

                return new GroupedLeakRates(groups.MoveToImmutable());
            default:
                return null;
        }
    }

    /// <summary>Checks the parameters; throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/>.</summary>
    internal abstract void Validate(string parameterName);

    /// <summary>Draws one leak rate per unit.</summary>
    internal abstract double[] Sample(int unitCount, Xoshiro256StarStar random);

    internal static ArgumentOutOfRangeException OutOfRange(string parameterName, string what, double value, string allowed) =>
        new(parameterName, value, $"{what} must be in {allowed}; was {Guard.Format(value)}.");

    private static bool IsLeakRate(double value) => double.IsFinite(value) && value > 0 && value <= 1;

    private sealed record ConstantLeakRate(double LeakRate) : LeakRateDistribution
    {
        internal override LeakRateDistributionKind Kind => LeakRateDistributionKind.Constant;

        internal override double[] GetParameters() => [LeakRate];

        internal override void Validate(string parameterName)
        {
            if (!IsLeakRate(LeakRate))
            {
                throw OutOfRange(parameterName, "LeakRate", LeakRate, "(0, 1]");
            }
        }

        internal override double[] Sample(int unitCount, Xoshiro256StarStar random)
        {
            var rates = new double[unitCount];
            Array.Fill(rates, LeakRate);
            return rates;
        }
    }

    private sealed record UniformLeakRate(double Min, double Max) : LeakRateDistribution
    {
        internal override LeakRateDistributionKind Kind => LeakRateDistributionKind.Uniform;

        internal override double[] GetParameters() => [Min, Max];

        internal override void Validate(string parameterName)
        {
            if (!IsLeakRate(Min))
            {
                throw OutOfRange(parameterName, "Uniform leak rate min", Min, "(0, 1]");
            }

            if (!IsLeakRate(Max) || Max < Min)
            {
                throw OutOfRange(parameterName, "Uniform leak rate max", Max, $"[{Guard.Format(Min)}, 1]");
            }
        }

        internal override double[] Sample(int unitCount, Xoshiro256StarStar random)
        {
            var rates = new double[unitCount];
            for (var i = 0; i < unitCount; i++)
            {
                rates[i] = Math.Min(Max, Min + (Max - Min) * random.NextDouble());
            }

            return rates;
        }
    }

    private sealed record LogUniformTimeConstant(double MinTimeConstant, double MaxTimeConstant) : LeakRateDistribution
    {
        internal override LeakRateDistributionKind Kind => LeakRateDistributionKind.LogUniformTimeConstants;

        internal override double[] GetParameters() => [MinTimeConstant, MaxTimeConstant];

        internal override void Validate(string parameterName)
        {
            if (!double.IsFinite(MinTimeConstant) || MinTimeConstant < 1)
            {
                throw OutOfRange(parameterName, "Minimum time constant", MinTimeConstant, "[1, ∞) steps");
            }

            if (!double.IsFinite(MaxTimeConstant) || MaxTimeConstant < MinTimeConstant)
            {
                throw OutOfRange(parameterName, "Maximum time constant", MaxTimeConstant,
                    $"[{Guard.Format(MinTimeConstant)}, ∞) steps");
            }
        }

        internal override double[] Sample(int unitCount, Xoshiro256StarStar random)
        {
            var logMin = Math.Log(MinTimeConstant);
            var logMax = Math.Log(MaxTimeConstant);
            var rates = new double[unitCount];
            for (var i = 0; i < unitCount; i++)
            {
                var tau = Math.Exp(logMin + (logMax - logMin) * random.NextDouble());
                rates[i] = Math.Clamp(1.0 / tau, 1.0 / MaxTimeConstant, 1.0 / MinTimeConstant);
            }

            return rates;
        }
    }

    private sealed record GroupedLeakRates : LeakRateDistribution
    {
        private const double FractionTolerance = 1e-9;

        private readonly EquatableArray<LeakRateGroup> _items;

        internal GroupedLeakRates(ImmutableArray<LeakRateGroup> items)
        {
            _items = new(items);
        }

        internal ImmutableArray<LeakRateGroup> Items => _items.Items;

        internal override LeakRateDistributionKind Kind => LeakRateDistributionKind.Groups;

        internal override double[] GetParameters()
        {
            var parameters = new double[2 * Items.Length];
            for (var g = 0; g < Items.Length; g++)
            {
                parameters[2 * g] = Items[g].Fraction;
                parameters[2 * g + 1] = Items[g].LeakRate;
            }

            return parameters;
        }

        internal override void Validate(string parameterName)
        {
            if (Items.Length == 0)
            {
                throw new ArgumentException("Leak-rate groups must contain at least one group; was empty.", parameterName);
            }

            var sum = 0.0;
            for (var g = 0; g < Items.Length; g++)
            {
                var group = Items[g] ?? throw new ArgumentException($"Leak-rate group {g} is null.", parameterName);
                if (!IsLeakRate(group.LeakRate))
                {
                    throw OutOfRange(parameterName, $"Leak rate of group {g}", group.LeakRate, "(0, 1]");
                }

                if (!double.IsFinite(group.Fraction) || group.Fraction <= 0 || group.Fraction > 1)
                {
                    throw OutOfRange(parameterName, $"Fraction of group {g}", group.Fraction, "(0, 1]");
                }

                sum += group.Fraction;
            }

            if (Math.Abs(sum - 1) > FractionTolerance)
            {
                throw new ArgumentException(
                    $"Leak-rate group fractions must sum to 1; they sum to {Guard.Format(sum)}.", parameterName);
            }
        }

        internal override double[] Sample(int unitCount, Xoshiro256StarStar random)
        {
            var counts = GroupSizes(unitCount);
            var rates = new double[unitCount];
            var start = 0;
            for (var g = 0; g < Items.Length; g++)
            {
                rates.AsSpan(start, counts[g]).Fill(Items[g].LeakRate);
                start += counts[g];
            }

            return rates;
        }

        private int[] GroupSizes(int unitCount)
        {
            var counts = new int[Items.Length];
            var remainders = new double[Items.Length];
            var assigned = 0;
            for (var g = 0; g < Items.Length; g++)
            {
                var exact = Items[g].Fraction * unitCount;
                counts[g] = (int)Math.Floor(exact);
                remainders[g] = exact - counts[g];
                assigned += counts[g];
            }

            // Largest remainder first; ties go to the earlier group.
            while (assigned < unitCount)
            {
                var best = 0;
                for (var g = 1; g < Items.Length; g++)
                {
                    if (remainders[g] > remainders[best])
                    {
                        best = g;
                    }
                }

                counts[best]++;
                remainders[best] = -1;
                assigned++;
            }

            return counts;
        }
    }
}

/// <summary>The family of a <see cref="LeakRateDistribution"/>; the values are part of the model file format and never change.</summary>
internal enum LeakRateDistributionKind
{
    /// <summary><see cref="LeakRateDistribution.Constant"/>.</summary>
    Constant = 0,

    /// <summary><see cref="LeakRateDistribution.Uniform"/>.</summary>
    Uniform = 1,

    /// <summary><see cref="LeakRateDistribution.LogUniformTimeConstants"/>.</summary>
    LogUniformTimeConstants = 2,

    /// <summary><see cref="LeakRateDistribution.Groups"/>.</summary>
    Groups = 3,
}

/// <summary>A group of units sharing one fixed leak rate.</summary>
/// <param name="Fraction">The fraction of the units in this group, in (0, 1].</param>
/// <param name="LeakRate">The leak rate α of the group, in (0, 1]; its time constant is 1/α steps.</param>
public sealed record LeakRateGroup(double Fraction, double LeakRate);
