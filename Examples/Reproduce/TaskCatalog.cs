namespace Reservoir.Examples.Reproduce;

/// <summary>Finds every <see cref="ReproductionTask"/> in this assembly.</summary>
public static class TaskCatalog
{
    /// <summary>Every task, in <see cref="ReproductionTask.Order"/> then name order.</summary>
    public static IReadOnlyList<ReproductionTask> All { get; } = typeof(TaskCatalog).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(ReproductionTask)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (ReproductionTask)Activator.CreateInstance(t)!)
        .OrderBy(t => t.Order).ThenBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The task with this command-line name.</summary>
    /// <param name="name">The name, e.g. <c>mg84</c> (case-insensitive).</param>
    /// <returns>The task.</returns>
    /// <exception cref="ArgumentException">No task has that name; the message lists the names.</exception>
    public static ReproductionTask Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown task '{name}'; the tasks are: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
}
