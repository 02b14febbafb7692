namespace Reservoir.Pipelines;

/// <summary>The exception thrown when a model file cannot be loaded because its content is not a valid model of the expected kind.</summary>
/// <remarks>
/// Every load failure that comes from the bytes themselves raises this type: an empty, truncated or corrupted file,
/// a wrong magic header (not a model file), a format version newer than this library reads, a file holding another
/// kind of model, or sizes and values that are inconsistent or out of range. The message says what is wrong and,
/// where it applies, at which byte offset. Failures of the file system itself (a missing file, no permission)
/// stay the usual <see cref="IOException"/> and <see cref="UnauthorizedAccessException"/>.
/// </remarks>
public sealed class ModelFormatException : Exception
{
    /// <summary>Initializes a new instance with a generic message.</summary>
    public ModelFormatException()
        : base("The model data is not a valid Reservoir model file.")
    {
    }

    /// <summary>Initializes a new instance with a message that says what is wrong with the data.</summary>
    /// <param name="message">What is wrong, for example "Checksum mismatch: the file is corrupted.".</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception that revealed the problem.</summary>
    /// <param name="message">What is wrong with the data.</param>
    /// <param name="innerException">The exception raised while checking the data, for example by a factory that rejected a value.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
