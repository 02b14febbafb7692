using Reservoir.Pipelines;
using Reservoir.Readouts;

namespace Reservoir.Examples.Reproduce.Tasks;

/// <summary><c>mg-closed-loop</c>: the main example's network generating Mackey–Glass in closed loop from the end of training.</summary>
public sealed class MackeyGlassClosedLoopTask : ReproductionTask
{
    /// <summary>The valid-time threshold, in standard deviations of the series.</summary>
    public const double ValidThreshold = 0.1;

    /// <inheritdoc/>
    public override string Name => "mg-closed-loop";

    /// <inheritdoc/>
    public override string Description => "Mackey-Glass tau=17 generated in closed loop by the main example's network (ridge lambda by cross-validation)";

    /// <inheritdoc/>
    public override int Order => 11;

    /// <inheritdoc/>
    public override TaskReport Run(TaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = new TaskReport(Name, settings.Seed);
        var setup = MackeyGlassSetup.CreateFor(settings, report);
        var options = setup.Options with { RegularizationSearch = new RidgeCvOptions() };
        report.Configure("l2_regularization", "time-blocked cross-validation (RidgeCvOptions defaults)")
            .Configure("cross_validation_folds", options.CrossValidationFolds)
            .Configure("valid_threshold", $"absolute error at most {ValidThreshold} std of the series")
            .Configure("metric", "nrmseH = RMSE over the first H generated steps / std of the series");
        settings.Report($"{Name}: fitting {setup.Options.Reservoir!.UnitCount} units on {setup.Inputs.Length} steps");
        EchoStateNetwork generator;
        using (report.Time("fit"))
        {
            generator = EchoStateNetwork.Fit(options, setup.Inputs, setup.Targets);
        }

        double[] generated;
        using (report.Time("generate_closed_loop"))
        {
            generated = TaskMath.Column(generator.Generate(setup.Truth.Length));
        }

        var std = setup.SeriesStandardDeviation;
        report.Metric("valid_steps", Metrics.ValidPredictionTime(setup.Truth, generated, ValidThreshold * std))
            .Metric("nrmse84", TaskMath.LeadingNrmse(setup.Truth, generated, Math.Min(84, setup.Truth.Length), std))
            .Metric("nrmse500", TaskMath.LeadingNrmse(setup.Truth, generated, Math.Min(500, setup.Truth.Length), std))
            .Metric("l2_regularization", generator.L2Regularization);
        return report;
    }
}
