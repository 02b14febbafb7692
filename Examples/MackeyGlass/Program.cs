namespace Reservoir.Examples.MackeyGlass;

/// <summary>Entry point of the main example.</summary>
public static class Program
{
    /// <summary>Runs the example.</summary>
    public static int Main() => 0;
}
