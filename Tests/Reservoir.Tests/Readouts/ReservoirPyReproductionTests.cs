using System.Collections.Immutable;
using System.Text.Json;
using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

/// <summary>
/// A model exported from reservoirpy 0.3 (Fixtures/reservoirpy_0_3_ridge.json: a 10-unit reservoir's weights, 150 input
/// steps, the states reservoirpy computed and the Wout and bias its <c>Ridge(ridge=1e-2)</c> fitted on them, bias first in
/// the augmented rows) is reproduced by <see cref="EchoStateReservoir.FromWeights(ReservoirWeights)"/> and by
/// <see cref="RidgeReadout"/> with <see cref="RidgeReadoutOptions.RegularizeIntercept"/>.
/// </summary>
[TestFixture]
public sealed class ReservoirPyReproductionTests
{
    /// <summary>Our states equal reservoirpy's to this, absolute (tanh states lie in (−1, 1)).</summary>
    private const double StateTolerance = 1e-12;

    /// <summary>Our penalised ridge equals reservoirpy's Wout and bias to this, relative to their largest value.</summary>
    private const double WeightTolerance = 1e-9;

    [Test]
    public void FromWeights_ReservoirPyModel_ReproducesItsStates()
    {
        var fixture = Fixture.Load();

        var states = fixture.Reservoir().Run(fixture.Inputs);

        Assert.That(states.GetLength(0), Is.EqualTo(fixture.Steps));
        Assert.That(states.GetLength(1), Is.EqualTo(fixture.Units));
        for (var t = 0; t < fixture.Steps; t++)
        {
            for (var i = 0; i < fixture.Units; i++)
            {
                Assert.That(states[t, i], Is.EqualTo(fixture.States[t, i]).Within(StateTolerance), $"step {t}, unit {i}");
            }
        }
    }

    [Test]
    public void Fit_RegularizeInterceptOnReservoirPyStates_ReproducesItsWout([Values(false, true)] bool ourStates)
    {
        var fixture = Fixture.Load();
        var states = ourStates ? fixture.Reservoir().Run(fixture.Inputs) : fixture.States;
        var readout = new RidgeReadout(new RidgeReadoutOptions
        {
            L2Regularization = fixture.L2Regularization, RegularizeIntercept = true,
        });

        var solution = readout.Fit(states, fixture.Targets);

        var expected = fixture.OutputWeights.Append(fixture.OutputBias).ToArray();
        var actual = solution.GetWeights().Cast<double>().Append(solution.GetIntercept()[0]).ToArray();
        var scale = ReadoutTestData.MaxAbs(expected);
        Assert.That(actual, Is.EqualTo(expected).Within(WeightTolerance * scale));
    }

    [Test]
    public void Fit_CentredRidgeOnReservoirPyStates_GivesOtherWeights()
    {
        // The default (unpenalised intercept) is a different estimator; the fixture is sensitive to the difference.
        var fixture = Fixture.Load();

        var solution = new RidgeReadout(new RidgeReadoutOptions { L2Regularization = fixture.L2Regularization })
            .Fit(fixture.States, fixture.Targets);

        var difference = solution.GetWeights().Cast<double>().Zip(fixture.OutputWeights, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(difference, Is.GreaterThan(1e3 * WeightTolerance * ReadoutTestData.MaxAbs(fixture.OutputWeights)));
    }

    private sealed record Fixture(
        int Units, int Steps, double LeakRate, double L2Regularization, double[,] Recurrent, double[,] InputWeights,
        double[] Bias, double[,] Inputs, double[,] Targets, double[,] States, double[] OutputWeights, double OutputBias)
    {
        private const string ResourceSuffix = "reservoirpy_0_3_ridge.json";

        public EchoStateReservoir Reservoir() => EchoStateReservoir.FromWeights(new ReservoirWeights
        {
            Recurrent = SparseWeights.FromDense(Recurrent),
            Input = SparseWeights.FromDense(InputWeights),
            LeakRates = Enumerable.Repeat(LeakRate, Units).ToImmutableArray(),
            Bias = [.. Bias],
            Activation = Activation.Tanh,
        });

        public static Fixture Load()
        {
            var assembly = typeof(ReservoirPyReproductionTests).Assembly;
            var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal));
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var json = JsonDocument.Parse(stream);
            var root = json.RootElement;
            var units = root.GetProperty("units").GetInt32();
            var steps = root.GetProperty("steps").GetInt32();
            double[] Values(string property) => root.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            double[,] Matrix(string property, int rows, int columns)
            {
                var values = Values(property);
                Assert.That(values, Has.Length.EqualTo(rows * columns), property);
                return ReadoutTestData.ToMatrix(values, rows, columns);
            }

            var outputWeights = Values("outputWeights");
            var outputBias = Values("outputBias");
            Assert.That(outputWeights, Has.Length.EqualTo(units));
            Assert.That(outputBias, Has.Length.EqualTo(1));
            return new Fixture(
                units, steps, root.GetProperty("leakRate").GetDouble(), root.GetProperty("l2Regularization").GetDouble(),
                Matrix("recurrentWeights", units, units), Matrix("inputWeights", units, 1), Values("bias"),
                Matrix("inputs", steps, 1), Matrix("targets", steps, 1), Matrix("states", steps, units), outputWeights, outputBias[0]);
        }
    }
}
