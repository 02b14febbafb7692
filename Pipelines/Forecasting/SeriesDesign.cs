namespace Reservoir.Pipelines;

/// <summary>
/// A transformed series z prepared for one candidate: its chain of differences (seasonal, then first) kept on the
/// time axis, and the reservoir's input rows: the last values of the differenced series v (<see cref="SeasonalLags"/>
/// or <see cref="NonSeasonalLags"/>) and, with a season, its phase (sine and cosine).
/// </summary>
internal sealed class SeriesDesign
{
    /// <summary>The number of past values of v in an input row without a season (a short autoregression beside the state).</summary>
    internal const int NonSeasonalLags = 4;

    /// <summary>The number of past values of v in an input row with a season (the phase inputs carry the season).</summary>
    internal const int SeasonalLags = 1;

    private readonly int[] _lags;
    private readonly List<double>[] _levels;

    /// <summary>Differences <paramref name="z"/> by seasonal (lag m) and then first (lag 1) differences.</summary>
    internal SeriesDesign(double[] z, int period, int seasonalDifferences, int differences)
    {
        Period = period;
        var lags = new List<int>();
        for (var i = 0; i < seasonalDifferences; i++)
        {
            lags.Add(period);
        }

        for (var i = 0; i < differences; i++)
        {
            lags.Add(1);
        }

        _lags = [.. lags];
        _levels = new List<double>[_lags.Length + 1];
        for (var k = 0; k <= _lags.Length; k++)
        {
            _levels[k] = new List<double>(z.Length);
        }

        var offset = 0;
        foreach (var lag in _lags)
        {
            offset += lag;
        }

        Offset = offset;
        foreach (var value in z)
        {
            Append(value);
        }

        InputLags = LagsFor(period);
        InputWidth = InputLags + (period > 1 ? 2 : 0);
    }

    private SeriesDesign(SeriesDesign other)
    {
        Period = other.Period;
        Offset = other.Offset;
        InputLags = other.InputLags;
        InputWidth = other.InputWidth;
        _lags = other._lags;
        _levels = [.. other._levels.Select(level => new List<double>(level))];
    }

    /// <summary>The number of values of z read so far: the series, then every <see cref="Append"/>.</summary>
    internal int Length => _levels[0].Count;

    /// <summary>An independent copy, which can be appended to without changing this design.</summary>
    internal SeriesDesign Clone() => new(this);

    /// <summary>Reads the next value of z and extends every level of differences (a level is zero before it is defined).</summary>
    internal void Append(double z)
    {
        var t = _levels[0].Count;
        _levels[0].Add(z);
        var defined = 0;
        for (var k = 0; k < _lags.Length; k++)
        {
            defined += _lags[k];
            var previous = _levels[k];
            _levels[k + 1].Add(t >= defined ? previous[t] - previous[t - _lags[k]] : 0);
        }
    }

    /// <summary>Forgets the last value read (an <see cref="Append"/> undone).</summary>
    internal void RemoveLast()
    {
        foreach (var level in _levels)
        {
            level.RemoveAt(level.Count - 1);
        }
    }

    /// <summary>The first time index with a complete input row for a design of these differences, before building it.</summary>
    internal static int FirstRowFor(int period, int seasonalDifferences, int differences) =>
        seasonalDifferences * period + differences + LagsFor(period) - 1;

    /// <summary>The seasonal period (1: none).</summary>
    internal int Period { get; }

    /// <summary>The number of seasonal differences.</summary>
    internal int SeasonalDifferences => _lags.Count(lag => lag == Period && Period > 1);

    /// <summary>The number of first differences.</summary>
    internal int Differences => _lags.Length - SeasonalDifferences;

    /// <summary>The transformed series z read so far (not copied).</summary>
    internal ReadOnlySpan<double> Series => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_levels[0]);

    /// <summary>The first time index at which the differenced series v is defined.</summary>
    internal int Offset { get; }

    /// <summary>The first time index with a complete input row.</summary>
    internal int FirstRow => Offset + InputLags - 1;

    private static int LagsFor(int period) => period > 1 ? SeasonalLags : NonSeasonalLags;

    /// <summary>The number of past values of v in an input row.</summary>
    internal int InputLags { get; }

    /// <summary>The width of an input row.</summary>
    internal int InputWidth { get; }

    /// <summary>v(t), the fully differenced series at time t ≥ <see cref="Offset"/>.</summary>
    internal double Differenced(int t) => _levels[^1][t];

    /// <summary>The differenced series v on the time axis (zero before <see cref="Offset"/>); valid until the next <see cref="Append"/>.</summary>
    internal ReadOnlySpan<double> DifferencedSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_levels[^1]);

    /// <summary>
    /// Writes the input row of time <paramref name="t"/>: v(t), v(t − 1), … read from <paramref name="values"/>, whose
    /// first element is v(<paramref name="valuesStart"/>), then the phase.
    /// </summary>
    internal void Row(int t, ReadOnlySpan<double> values, int valuesStart, Span<double> row)
    {
        for (var j = 0; j < InputLags; j++)
        {
            row[j] = values[t - j - valuesStart];
        }

        if (Period > 1)
        {
            var phase = 2 * Math.PI * (t % Period) / Period;
            row[InputLags] = Math.Sin(phase);
            row[InputLags + 1] = Math.Cos(phase);
        }
    }

    /// <summary>The input rows of times <paramref name="from"/> … <paramref name="to"/> (from ≥ <see cref="FirstRow"/>).</summary>
    internal double[,] Rows(int from, int to)
    {
        var rows = new double[to - from + 1, InputWidth];
        var row = new double[InputWidth];
        for (var t = from; t <= to; t++)
        {
            Row(t, DifferencedSpan, 0, row);
            for (var j = 0; j < InputWidth; j++)
            {
                rows[t - from, j] = row[j];
            }
        }

        return rows;
    }

    /// <summary>
    /// Turns forecasts of v at times origin + 1 … origin + H into forecasts of z, undoing the differences with the
    /// values known up to <paramref name="origin"/> and the forecasts before each step.
    /// </summary>
    internal double[] Integrate(int origin, ReadOnlySpan<double> differenced)
    {
        var horizon = differenced.Length;
        var current = differenced.ToArray();
        for (var k = _lags.Length - 1; k >= 0; k--)
        {
            var lag = _lags[k];
            var known = _levels[k];
            var next = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                var back = h - lag;
                next[h] = current[h] + (back >= 0 ? next[back] : known[origin + 1 + back]);
            }

            current = next;
        }

        return current;
    }
}
