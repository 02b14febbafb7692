using System.Text.Json.Nodes;
using NUnit.Framework;
using Reservoir.Examples.Reproduce;

namespace Reservoir.Tests.Examples;

public sealed class ReproduceCommandLineTests
{
    [Test]
    public void ParseOptions_AllOptions_Parsed()
    {
        var (settings, json) = Program.ParseOptions(new[] { "--json", "--seed", "7", "--trials", "3", "--small" });

        Assert.That(json, Is.True);
        Assert.That(settings.Seed, Is.EqualTo(7));
        Assert.That(settings.Trials, Is.EqualTo(3));
        Assert.That(settings.Small, Is.True);
    }

    [TestCase("--trials", "0")]
    [TestCase("--seed", "x")]
    [TestCase("--bogus", "1")]
    public void ParseOptions_BadOption_ThrowsNamingIt(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Program.ParseOptions(new[] { option, value }));
        Assert.That(error!.Message, Does.Contain(option));
    }

    [Test]
    public void Main_Json_PrintsExactlyOneJsonObjectOnStandardOutput()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        int exitCode;
        try
        {
            Console.SetOut(output);
            Console.SetError(errors);
            exitCode = Program.Main(["memory-capacity", "--small", "--json", "--trials", "2"]);
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(exitCode, Is.Zero);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That((string?)JsonNode.Parse(lines[0])!["task"], Is.EqualTo("memory-capacity"));
        Assert.That(errors.ToString(), Does.Contain("--trials was ignored"));
    }

    [Test]
    public void Find_UnknownTask_ThrowsListingTasks()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskCatalog.Find("no-such-task"));
        Assert.That(error!.Message, Does.Contain("no-such-task"));
    }

    [Test]
    public void ToJson_OneObjectWithAllSections()
    {
        var report = new TaskReport("demo", seed: 3).Configure("units", 10).Configure("rule", "x + y < 'z'").Metric("nrmse", 0.25);
        using (report.Time("fit"))
        {
        }

        var json = report.ToJson();
        var root = JsonNode.Parse(json)!.AsObject();

        Assert.That(json, Does.Not.Contain("\n"));
        Assert.That(json, Does.Contain("x + y < 'z'"), "plain characters are not escaped");
        Assert.That((string?)root["task"], Is.EqualTo("demo"));
        Assert.That((int?)root["seed"], Is.EqualTo(3));
        Assert.That((int?)root["configuration"]!["units"], Is.EqualTo(10));
        Assert.That((double?)root["metrics"]!["nrmse"], Is.EqualTo(0.25));
        Assert.That(root["timings_seconds"]!["fit"], Is.Not.Null);
        Assert.That(report.ToTable(), Does.Contain("nrmse").And.Contain("0.25"));
    }
}
