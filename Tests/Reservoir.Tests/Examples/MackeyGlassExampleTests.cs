using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Reservoir.Examples.MackeyGlass;

namespace Reservoir.Tests.Examples;

[TestFixture]
public sealed partial class MackeyGlassExampleTests
{
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

        // The README quotes the printed lines as comments; they must say what the program prints. The closed-loop line
        // (an integer and a λ from the cross-validation grid) matches to the character; the NRMSE, printed to four
        // significant digits, may differ from the text by one unit in its last digit on another machine (SIMD width
        // changes the order of summation), and by no more.
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var documentedNrmseLine = ReadmeComment(readme, "one-step NRMSE: ");
        var documentedClosedLoopLine = ReadmeComment(readme, "closed-loop valid steps: ");
        Assert.That(OnlyLineStartingWith(output.ToString(), "closed-loop valid steps: "), Is.EqualTo(documentedClosedLoopLine),
            "README's closed-loop line");

        var documented = NrmseLine().Match(documentedNrmseLine);
        Assert.That(documented.Success, Is.True, documentedNrmseLine);
        var documentedValue = double.Parse(documented.Groups[1].Value, CultureInfo.InvariantCulture);
        var lastDigit = Math.Pow(10, Math.Floor(Math.Log10(documentedValue)) - 3);
        Assert.That(nrmse, Is.EqualTo(documentedValue).Within(lastDigit * 1.0000001),
            $"README says '{documentedNrmseLine}', the program printed '{printed.Value}'");
    }

    /// <summary>The text of the README's comment line <c>// {prefix}…</c>, without the slashes; exactly one must exist.</summary>
    private static string ReadmeComment(string readme, string prefix) => OnlyLineStartingWith(readme, "// " + prefix)[3..];

    private static string OnlyLineStartingWith(string text, string prefix)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        Assert.That(lines, Has.Length.EqualTo(1), $"exactly one line starts with '{prefix}'");
        return lines[0];
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
