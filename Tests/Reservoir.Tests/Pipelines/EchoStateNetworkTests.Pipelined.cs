using NUnit.Framework;
using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Tests.Pipelines;

// The fit's reservoir run overlapped with its Gram accumulation must give the sequential fit's readout, bit for bit.
public sealed partial class EchoStateNetworkTests
{
    private static EchoStateNetwork FitWith(bool pipelined, Func<EchoStateNetwork> fit)
    {
        PipelinedFit.Override.Value = pipelined;
        try
        {
            return fit();
        }
        finally
        {
            PipelinedFit.Override.Value = null;
        }
    }

    private static void AssertSameReadout(EchoStateNetwork pipelined, EchoStateNetwork sequential)
    {
        Assert.That(pipelined.Readout.GetWeights(), Is.EqualTo(sequential.Readout.GetWeights()));
        Assert.That(pipelined.Readout.GetIntercept(), Is.EqualTo(sequential.Readout.GetIntercept()));
        Assert.That(pipelined.L2Regularization, Is.EqualTo(sequential.L2Regularization));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Fit_Pipelined_BitIdenticalToSequential(bool searchLambda)
    {
        // 5 000 steps: five blocks of 1 024 rows, the washout inside the first.
        var (inputs, targets) = TrainingSequence(5000, seed: 21);
        var options = TrainingOptions() with
        {
            RegularizationSearch = searchLambda ? new RidgeCvOptions { L2Grid = [1e-6, 1e-3, 1] } : null,
        };

        var pipelined = FitWith(true, () => EchoStateNetwork.Fit(options, inputs, targets));
        var sequential = FitWith(false, () => EchoStateNetwork.Fit(options, inputs, targets));

        AssertSameReadout(pipelined, sequential);
        Assert.That(pipelined.CreateTrainedState().Values.ToArray(), Is.EqualTo(sequential.CreateTrainedState().Values.ToArray()));
        if (searchLambda)
        {
            Assert.That(pipelined.RegularizationSearch!.Curve, Is.EqualTo(sequential.RegularizationSearch!.Curve));
        }
    }

    [Test]
    public void Fit_PipelinedWithFeedbackAndManySequences_BitIdenticalToSequential()
    {
        var options = TrainingOptions() with
        {
            Reservoir = TrainingOptions().Reservoir! with { FeedbackDimension = 1, FeedbackScaling = 0.3 },
        };
        var sequences = new[] { TrainingSequence(2600, seed: 22), TrainingSequence(3100, seed: 23) };
        var inputs = sequences.Select(s => s.Inputs).ToArray();
        var targets = sequences.Select(s => s.Targets).ToArray();

        var pipelined = FitWith(true, () => EchoStateNetwork.Fit(options, inputs, targets));
        var sequential = FitWith(false, () => EchoStateNetwork.Fit(options, inputs, targets));

        AssertSameReadout(pipelined, sequential);
    }

    [Test]
    public void PartialFit_PipelinedChunks_BitIdenticalToSequential()
    {
        var (inputs, targets) = TrainingSequence(6000, seed: 24);
        EchoStateNetwork Chunks()
        {
            var trainer = new EchoStateNetworkTrainer(TrainingOptions());
            trainer.PartialFit(Rows(inputs, 0, 2500), Rows(targets, 0, 2500));
            trainer.PartialFit(Rows(inputs, 2500, 3500), Rows(targets, 2500, 3500));
            return trainer.Complete();
        }

        AssertSameReadout(FitWith(true, Chunks), FitWith(false, Chunks));
    }

    [Test]
    public void Fit_PipelinedRunDiverges_ThrowsTheSequentialError()
    {
        // Linear units with spectral radius 3 overflow after a few hundred steps, inside the first block.
        var options = new EchoStateNetworkOptions
        {
            Reservoir = new ReservoirOptions { UnitCount = 30, Seed = 4, SpectralRadius = 3, Activation = Activation.Identity },
            Readout = new RidgeReadoutOptions { L2Regularization = 1e-3 },
        };
        var inputs = new double[4000];
        var targets = new double[4000];
        Array.Fill(inputs, 1.0);

        var pipelined = Assert.Throws<InvalidOperationException>(() => FitWith(true, () => EchoStateNetwork.Fit(options, inputs, targets)));
        var sequential = Assert.Throws<InvalidOperationException>(() => FitWith(false, () => EchoStateNetwork.Fit(options, inputs, targets)));

        Assert.That(pipelined!.Message, Is.EqualTo(sequential!.Message));
        Assert.That(pipelined.Message, Does.Contain("became non-finite"));
    }
}
