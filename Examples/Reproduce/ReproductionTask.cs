namespace Reservoir.Examples.Reproduce;

/// <summary>One published result (or study) that the command line reproduces: <c>Reproduce -- &lt;Name&gt;</c>.</summary>
/// <remarks>
/// Every non-abstract subclass in this assembly with a public parameterless constructor is a task: the
/// catalogue finds it by reflection, so adding a task is adding one file.
/// </remarks>
public abstract class ReproductionTask
{
    /// <summary>The command-line name, e.g. <c>mg84</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what is reproduced and where the published figure comes from.</summary>
    public abstract string Description { get; }

    /// <summary>Where the task sits in the list printed by <c>--help</c> (smaller first).</summary>
    public virtual int Order => 100;

    /// <summary>Runs the task and returns every metric with the configuration that produced it.</summary>
    /// <param name="settings">Seed, trial count, size and where to report progress.</param>
    /// <returns>The report; printed as a table or as one JSON object.</returns>
    public abstract TaskReport Run(TaskSettings settings);
}
