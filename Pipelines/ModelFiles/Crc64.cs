namespace Reservoir.Pipelines;

/// <summary>CRC-64/ECMA-182: the 64-bit cyclic redundancy check of ECMA-182, as catalogued by Greg Cook's CRC RevEng.</summary>
/// <remarks>
/// Parameters: width 64, polynomial 0x42F0E1EBA9EA3693, initial value 0, input and output not reflected, final XOR 0;
/// the check value of the ASCII bytes "123456789" is 0x6C40DF5F0B497347. It detects every error burst of up to
/// 64 bits, hence every single-bit flip. Table-driven, one byte per step.
/// </remarks>
internal static class Crc64
{
    /// <summary>The generator polynomial, without its leading x^64 term.</summary>
    internal const ulong Polynomial = 0x42F0E1EBA9EA3693UL;

    private static readonly ulong[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    internal static ulong Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC computed over earlier bytes with <paramref name="data"/>.</summary>
    internal static ulong Append(ulong crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (var b in data)
        {
            crc = table[(int)((crc >> 56) ^ b)] ^ (crc << 8);
        }

        return crc;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (var i = 0; i < table.Length; i++)
        {
            var crc = (ulong)i << 56;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000000000000000UL) != 0 ? (crc << 1) ^ Polynomial : crc << 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
