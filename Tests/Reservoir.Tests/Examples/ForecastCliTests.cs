using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using Reservoir.Examples.Forecast;
using Reservoir.Pipelines;

namespace Reservoir.Tests.Examples;

[TestFixture]
public sealed class ForecastCliTests
{
    private const int Horizon = 12;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private string _folder = string.Empty;

    private static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Reservoir.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new InvalidOperationException("Reservoir.sln not found above the test folder.");
        }
    }

    private static string ShippedCsv => Path.Combine(RepositoryRoot, "Examples", "Forecast", "monthly-sales.csv");

    [OneTimeSetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"reservoir-forecast-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Run_ShippedCsvWithDates_WritesHorizonRowsWithContinuedDatesAndPlot()
    {
        var output = Path.Combine(_folder, "forecast.csv");
        var plot = Path.Combine(_folder, "forecast.png");

        var (code, stdout, stderr) = Run(ShippedCsv, "--column", "sales", "--date-column", "date", "--horizon", "12",
            "--output", output, "--plot", plot, "--level", "0.9");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.Empty, "the forecast goes to --output");
        var lines = File.ReadAllLines(output);
        Assert.That(lines[0], Is.EqualTo("date,forecast,lower,upper"));
        Assert.That(lines, Has.Length.EqualTo(Horizon + 1));
        for (var h = 1; h <= Horizon; h++)
        {
            var fields = lines[h].Split(',');
            Assert.That(fields[0], Is.EqualTo($"2025-{h:00}-01"), "continues monthly after 2024-12-01");
            var (mean, lower, upper) = (Number(fields[1]), Number(fields[2]), Number(fields[3]));
            Assert.That(lower, Is.LessThan(mean));
            Assert.That(upper, Is.GreaterThan(mean));
            Assert.That(mean, Is.InRange(300.0, 450.0), "the series ends near 365 with a rising trend");
        }

        Assert.That(File.ReadAllBytes(plot).Take(PngSignature.Length), Is.EqualTo(PngSignature), "a PNG file");
        Assert.That(stderr, Does.Contain("seasonal period: 12 (from the monthly dates)"));
        Assert.That(stderr, Does.Contain("validation MASE:"));
        Assert.That(stderr, Does.Contain("method:"));
    }

    [Test]
    public void Run_NoDateColumn_WritesNumberedStepsOnStandardOutput()
    {
        var (code, stdout, stderr) = Run(ShippedCsv, "--column", "sales", "--horizon", "3", "--season", "12");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(Lines(stdout)[0], Is.EqualTo("step,forecast,lower,upper"));
        Assert.That(Lines(stdout).Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(stderr, Does.Contain("seasonal period: 12 (given by --season)"));
    }

    [Test]
    public void Run_MissingDateAndEmptyCell_InterpolatesThem()
    {
        var csv = WriteShippedWith("gaps.csv", lines => lines.Where((_, i) => i != 20).Select((l, i) => i == 30 ? l.Split(',')[0] + "," : l));

        var (code, stdout, stderr) = Run(csv, "--column", "sales", "--date-column", "date", "--horizon", "6");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stderr, Does.Contain("1 empty cells, 1 missing dates"));
        Assert.That(stderr, Does.Contain("filled values: 2"));
        Assert.That(Lines(stdout), Has.Length.EqualTo(7));
    }

    [Test]
    public void Run_Backtest_PrintsTableOfBothForecasters()
    {
        var (code, stdout, stderr) = Run(ShippedCsv, "--column", "sales", "--date-column", "date", "--horizon", "6", "--backtest", "3");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(Lines(stdout), Has.Length.EqualTo(7));
        var table = Lines(stderr).SkipWhile(l => !l.StartsWith("forecaster", StringComparison.Ordinal)).ToArray();
        Assert.That(table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "forecaster", "MASE", "sMAPE", "%", "coverage" }));
        Assert.That(table.Skip(1).Select(l => l[..16].Trim()), Is.EqualTo(new[] { "reservoir", "seasonal naive" }));
        var reservoir = table[1][16..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Number).ToArray();
        var naive = table[2][16..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Number).ToArray();
        Assert.That(reservoir[0], Is.LessThan(naive[0]), "MASE: the trend makes seasonal naive lag behind");
        Assert.That(reservoir[2], Is.InRange(0.0, 1.0), "coverage");
    }

    [Test]
    public void Run_Help_PrintsUsageAndSucceeds()
    {
        var (code, stdout, _) = Run("--help");

        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("reservoir-forecast").And.Contain("--horizon").And.Contain("--strict"));
    }

    private static IEnumerable<TestCaseData> BadInputs()
    {
        TestCaseData Case(string name, string expected, params string[] args) => new TestCaseData(args, expected).SetName($"Run_{name}_OneLineNamingIt");
        yield return Case("MissingFile", "file not found", "{dir}/no-such.csv", "--column", "sales", "--horizon", "12");
        yield return Case("MissingColumn", "its columns are: 'date', 'sales'", "{csv}", "--column", "revenue", "--horizon", "12");
        yield return Case("MissingDateColumn", "no column 'when' (--date-column)", "{csv}", "--column", "sales", "--date-column", "when", "--horizon", "12");
        yield return Case("NoNumbers", "has no numbers", "{dir}/empty-values.csv", "--column", "sales", "--horizon", "1");
        yield return Case("NotANumber", "'abc' in column 'sales' is not a number", "{dir}/text.csv", "--column", "sales", "--horizon", "1");
        yield return Case("TooShort", $"needs at least {SeriesForecaster.MinimumLength(Horizon)}", "{dir}/short.csv", "--column", "sales", "--horizon", "12");
        yield return Case("BadDate", "is not an ISO date", "{dir}/bad-date.csv", "--column", "sales", "--date-column", "date", "--horizon", "1");
        yield return Case("UnsortedDates", "must be increasing", "{dir}/unsorted.csv", "--column", "sales", "--date-column", "date", "--horizon", "1");
        yield return Case("IrregularDates", "cannot infer the frequency", "{dir}/irregular.csv", "--column", "sales", "--date-column", "date", "--horizon", "1");
        yield return Case("StrictWithGap", "--strict", "{dir}/gap.csv", "--column", "sales", "--date-column", "date", "--horizon", "12", "--strict");
        yield return Case("HorizonZero", "--horizon must be at least 1", "{csv}", "--column", "sales", "--horizon", "0");
        yield return Case("HorizonNotANumber", "'x'", "{csv}", "--column", "sales", "--horizon", "x");
        yield return Case("LevelOutOfRange", "--level must be in (0, 1)", "{csv}", "--column", "sales", "--horizon", "12", "--level", "1.5");
        yield return Case("SeasonZero", "--season must be at least 1", "{csv}", "--column", "sales", "--horizon", "12", "--season", "0");
        yield return Case("BacktestTooManyOrigins", "--backtest 9 needs at least 148 time steps", "{csv}", "--column", "sales", "--horizon", "12", "--backtest", "9");
        yield return Case("BacktestZero", "--backtest must be at least 1", "{csv}", "--column", "sales", "--horizon", "12", "--backtest", "0");
        yield return Case("ColumnOptionMissing", "--column", "{csv}", "--horizon", "12");
        yield return Case("UnknownOption", "--bogus", "{csv}", "--column", "sales", "--horizon", "12", "--bogus");
        yield return Case("OutputFolderMissing", "does not exist", "{csv}", "--column", "sales", "--horizon", "12", "--output", "{dir}/nowhere/out.csv");
    }

    [TestCaseSource(nameof(BadInputs))]
    public void Run_BadInput_ExitsNonZeroWithOneLine(string[] args, string expected)
    {
        WriteBadFiles();
        var resolved = args.Select(a => a.Replace("{dir}", _folder, StringComparison.Ordinal).Replace("{csv}", ShippedCsv, StringComparison.Ordinal)).ToArray();

        var (code, stdout, stderr) = Run(resolved);

        Assert.That(code, Is.Not.Zero);
        Assert.That(stdout, Is.Empty);
        var lines = Lines(stderr);
        Assert.That(lines, Has.Length.EqualTo(1), stderr);
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(expected));
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
    }

    [TestCase(0.5 / 24, "half-hourly", 48)]
    [TestCase(1.0 / 24, "hourly", 24)]
    [TestCase(1.0, "daily", 7)]
    [TestCase(7.0, "weekly", 52)]
    public void Infer_FixedSpacing_FrequencyAndSeason(double days, string name, int season)
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var dates = Enumerable.Range(0, 10).Select(i => start.AddDays(days * i)).ToArray();

        var frequency = DateFrequency.Infer(dates);

        Assert.That((frequency.Name, frequency.SeasonalPeriod), Is.EqualTo((name, season)));
    }

    [TestCase(1, "monthly", 12)]
    [TestCase(3, "quarterly", 4)]
    [TestCase(12, "yearly", 1)]
    public void Infer_CalendarSpacing_FrequencyAndSeason(int months, string name, int season)
    {
        var start = new DateTime(2020, 1, 31, 0, 0, 0, DateTimeKind.Utc);
        var dates = Enumerable.Range(0, 10).Select(i => start.AddMonths(months * i)).ToArray();

        var frequency = DateFrequency.Infer(dates);

        Assert.That((frequency.Name, frequency.SeasonalPeriod), Is.EqualTo((name, season)));
    }

    [Test]
    public void Add_MonthEnds_StayAtMonthEnds()
    {
        var monthly = DateFrequency.Infer([new DateTime(2024, 1, 31), new DateTime(2024, 2, 29), new DateTime(2024, 3, 31)]);

        Assert.That(monthly.Add(new DateTime(2024, 1, 31), 3), Is.EqualTo(new DateTime(2024, 4, 30)));
        Assert.That(monthly.StepsFrom(new DateTime(2024, 1, 31), new DateTime(2024, 2, 29)), Is.EqualTo(1));
    }

    [Test]
    [Category("Slow")]
    public void Pack_InstalledTool_ForecastsTheShippedCsv()
    {
        var work = Path.Combine(_folder, "pack");
        var packages = Path.Combine(work, "packages");
        var tools = Path.Combine(work, "tools");
        var root = RepositoryRoot;
        foreach (var project in new[] { "Examples/Forecast/Forecast.csproj", "Pipelines/Pipelines.csproj", "Readouts/Readouts.csproj", "Reservoir/Reservoir.csproj" })
        {
            Dotnet(work, root, "pack", Path.Combine(root, project), "-c", "Release", "-o", packages, "--nologo");
        }

        var packed = Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName).ToArray();
        Assert.That(packed, Is.SupersetOf(new[] { "Reservoir.0.1.0.nupkg", "Reservoir.Readouts.0.1.0.nupkg", "Reservoir.Pipelines.0.1.0.nupkg", "Reservoir.Forecast.0.1.0.nupkg" }));
        Assert.That(Directory.GetFiles(packages, "*.snupkg"), Has.Length.EqualTo(4), "symbol packages");

        var version = packed.Single(p => p!.StartsWith("Reservoir.Forecast.", StringComparison.Ordinal))!["Reservoir.Forecast.".Length..^".nupkg".Length];
        Dotnet(work, root, "tool", "install", "--tool-path", tools, "--add-source", packages, "Reservoir.Forecast", "--version", version);
        var installed = Path.Combine(tools, OperatingSystem.IsWindows() ? "reservoir-forecast.exe" : "reservoir-forecast");
        var (code, stdout, stderr) = Execute(work, installed, ShippedCsv, "--column", "sales", "--date-column", "date", "--horizon", "12");

        Assert.That(code, Is.Zero, stderr);
        var lines = Lines(stdout);
        Assert.That(lines[0], Is.EqualTo("date,forecast,lower,upper"));
        Assert.That(lines, Has.Length.EqualTo(Horizon + 1));
        Assert.That(lines[^1], Does.StartWith("2025-12-01,"));
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void Dotnet(string work, string root, params string[] args)
    {
        var (code, stdout, stderr) = Execute(work, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", args, root);
        Assert.That(code, Is.Zero, $"dotnet {string.Join(' ', args)}\n{stdout}\n{stderr}");
    }

    private static (int Code, string Stdout, string Stderr) Execute(string work, string fileName, params string[] args) =>
        Execute(work, fileName, args, Directory.GetCurrentDirectory());

    /// <summary>Runs a process with a package cache of its own (so a package packed just now is the one installed) and without the variables the test host's MSBuild set.</summary>
    private static (int Code, string Stdout, string Stderr) Execute(string work, string fileName, string[] args, string directory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["NUGET_PACKAGES"] = Path.Combine(work, "nuget-packages");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', args)} did not finish in 3 minutes.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private string WriteShippedWith(string name, Func<string[], IEnumerable<string>> change)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, change(File.ReadAllLines(ShippedCsv)));
        return path;
    }

    private void WriteBadFiles()
    {
        File.WriteAllText(Path.Combine(_folder, "empty-values.csv"), "date,sales\n2020-01-01,NA\n2020-02-01,\n2020-03-01,NaN\n");
        File.WriteAllText(Path.Combine(_folder, "text.csv"), "date,sales\n2020-01-01,1.5\n2020-02-01,abc\n");
        File.WriteAllText(Path.Combine(_folder, "bad-date.csv"), "date,sales\n01/02/2020,1\n02/02/2020,2\n");
        File.WriteAllText(Path.Combine(_folder, "unsorted.csv"), "date,sales\n2020-01-01,1\n2020-03-01,2\n2020-02-01,3\n");
        File.WriteAllText(Path.Combine(_folder, "irregular.csv"), "date,sales\n2020-01-01,1\n2020-01-04,2\n2020-01-07,3\n");
        WriteShippedWith("short.csv", lines => lines.Take(31));
        WriteShippedWith("gap.csv", lines => lines.Where((_, i) => i != 20));
    }
}
