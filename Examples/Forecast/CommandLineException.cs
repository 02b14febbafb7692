namespace Reservoir.Examples.Forecast;

/// <summary>A mistake in the command line or the input file, reported as one line on stderr with a non-zero exit code.</summary>
public sealed class CommandLineException : Exception
{
    /// <summary>Creates the exception with the line to print.</summary>
    /// <param name="message">What is wrong and how to fix it, on one line.</param>
    public CommandLineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the line to print and its cause.</summary>
    /// <param name="message">What is wrong and how to fix it, on one line.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public CommandLineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CommandLineException()
    {
    }
}
