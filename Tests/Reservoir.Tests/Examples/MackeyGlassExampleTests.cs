using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Reservoir.Examples.MackeyGlass;

namespace Reservoir.Tests.Examples;

[TestFixture]
public sealed partial class MackeyGlassExampleTests
{
    /// <summary>Golden values across machines differ in the last digits (SIMD width changes summation order).</summary>
    private const double ReadmeRelativeTolerance = 0.05;

    [Test]
    public void Run_SmallSize_PredictsWellAndWritesThePlot()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reservoir-mg-{Guid.NewGuid():N}.png");
        try
        {
            var result = Program.Run(seed: 1, steps: 2000, unitCount: 100, plotPath: path);

            Assert.That(result.OneStepNrmse, Is.LessThan(0.02));
            Assert.That(result.ClosedLoopValidSteps, Is.GreaterThan(20));
            Assert.That(result.PlotPath, Is.EqualTo(path));
            Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
            Assert.That(File.ReadAllBytes(path).Take(4), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }), "a PNG file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Main_FullSize_MeetsTheGoalAndMatchesTheReadme()
    {
        var plot = Path.Combine(Path.GetTempPath(), $"reservoir-mg-{Guid.NewGuid():N}.png");
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var original = Console.Out;
        try
        {
            Console.SetOut(output);
            Assert.That(Program.Main([plot]), Is.Zero);
        }
        finally
        {
            Console.SetOut(original);
            File.Delete(plot);
        }

        var printed = NrmseLine().Match(output.ToString());
        Assert.That(printed.Success, Is.True, output.ToString());
        Assert.That(output.ToString(), Does.Contain($"plot: {plot}"));
        var nrmse = double.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(nrmse, Is.LessThanOrEqualTo(1.5e-3), "the goal: ReservoirPy gets 9.3e-4 on this setup");

        var closedLoop = ClosedLoopLine().Match(output.ToString());
        Assert.That(closedLoop.Success, Is.True, output.ToString());
        Assert.That(int.Parse(closedLoop.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(500),
            "the goal: ReservoirPy's closed loop stays within 0.1 std for 398 steps on this setup");

        var readme = NrmseLine().Match(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")));
        Assert.That(readme.Success, Is.True, "README shows the printed line");
        var documented = double.Parse(readme.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(nrmse, Is.EqualTo(documented).Within(ReadmeRelativeTolerance * documented));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reservoir.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Reservoir.sln not found above the test folder.");
    }

    [GeneratedRegex(@"one-step NRMSE: ([0-9.]+E[-+][0-9]+)")]
    private static partial Regex NrmseLine();

    [GeneratedRegex(@"^closed-loop valid steps: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ClosedLoopLine();
}
