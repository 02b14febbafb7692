using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>mg-onestep</c>: the main example's one-step-ahead Mackey–Glass forecast.</summary>
public sealed class MackeyGlassOneStepTask : ReproductionTask
{
    /// <inheritdoc/>
    public override string Name => "mg-onestep";

    /// <inheritdoc/>
    public override string Description => "Mackey-Glass tau=17 one step ahead, the main example's setup (500 units, lr 0.3, rho 1.25, ridge 1e-6)";

    /// <inheritdoc/>
    public override int Order => 10;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var setup = MackeyGlassSetup.CreateFor(settings, report);
        report.Configure("l2_regularization", setup.Options.Readout.L2Regularization)
            .Configure("metric", "NRMSE = RMSE / std(truth) over the teacher-forced test period");
        settings.Report($"{Name}: fitting {setup.Options.Reservoir!.UnitCount} units on {setup.Inputs.Length} steps");
        EchoStateNetwork esn;
        using (report.Time("fit"))
        {
            esn = EchoStateNetwork.Fit(setup.Options, setup.Inputs, setup.Targets);
        }

        double[] prediction;
        using (report.Time("predict"))
        {
            prediction = esn.Predict(setup.TestInputs);
        }

        report.Metric("nrmse", Metrics.Nrmse(setup.Truth, prediction))
            .Metric("rmse", Metrics.Rmse(setup.Truth, prediction));
        return report;
    }
}
