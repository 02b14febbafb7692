namespace Reservoir.Examples.Reproduce;

/// <summary>The command-line settings shared by every task.</summary>
public sealed record TaskSettings
{
    /// <summary>The seed of every random draw (series, reservoir, trials); default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The number of independent trials (fresh reservoirs) where the task averages; null for the task's default.</summary>
    public int? Trials { get; init; }

    /// <summary>True to run at a small size (unit tests); the figures are then not the published protocol.</summary>
    public bool Small { get; init; }

    /// <summary>Where progress lines go (standard error on the command line, so that standard output stays one JSON object); null for none.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>The trial count to use: <see cref="Trials"/> when given, else <paramref name="published"/>, or <paramref name="small"/> when <see cref="Small"/>.</summary>
    /// <param name="published">The protocol's own trial count.</param>
    /// <param name="small">The trial count at small size.</param>
    /// <returns>The number of trials to run.</returns>
    public int TrialsOr(int published, int small = 1) => Trials ?? (Small ? small : published);

    /// <summary>Picks the published size or the small one.</summary>
    /// <param name="published">The value of the published protocol.</param>
    /// <param name="small">The value used when <see cref="Small"/> is set.</param>
    /// <returns><paramref name="small"/> when <see cref="Small"/>, else <paramref name="published"/>.</returns>
    public int Size(int published, int small) => Small ? small : published;

    /// <summary>Writes one progress line when a progress writer is set.</summary>
    /// <param name="message">The line.</param>
    public void Report(string message) => Progress?.WriteLine(message);
}
