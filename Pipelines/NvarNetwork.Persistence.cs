namespace Reservoir.Pipelines;

public sealed partial class NvarNetwork
{
    /// <summary>Saves the network (NVAR options, readout options and λ search, readout weights and intercepts) to one file, atomically.</summary>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <remarks>
    /// The format is that of every model file of this assembly: a magic header, a format version, the content kind
    /// "NvarNetwork", the payload and a CRC-64. The file is written to a temporary file in the same folder and then moved
    /// into place, so a failed save never leaves a partial file. Predictions of the loaded network are bit-identical.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file is left unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public void Save(string path) => ModelFile.Save(path, NvarNetworkSerializer.Kind, w => NvarNetworkSerializer.Write(w, this));

    /// <summary>Writes the network to a stream in the model-file format.</summary>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="IOException">Writing fails.</exception>
    public void Save(Stream stream) => ModelFile.Write(stream, NvarNetworkSerializer.Kind, w => NvarNetworkSerializer.Write(w, this));

    /// <summary>Loads a network saved by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The network, predicting bit-identically to the saved one.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or invalid.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The file is not an NVAR network model file, is truncated or corrupted, holds inconsistent sizes, or was written by a newer format version; the message says which.</exception>
    public static NvarNetwork Load(string path) => ModelFile.Load(path, NvarNetworkSerializer.Kind, NvarNetworkSerializer.Read);

    /// <summary>Loads a network from a stream written by <see cref="Save(Stream)"/>; the stream is left after the model.</summary>
    /// <param name="stream">A readable stream.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="IOException">Reading fails.</exception>
    /// <exception cref="ModelFormatException">The content is not an NVAR network model, is truncated or corrupted, or was written by a newer format version.</exception>
    public static NvarNetwork Load(Stream stream) => ModelFile.Read(stream, NvarNetworkSerializer.Kind, NvarNetworkSerializer.Read);
}
