namespace Reservoir.Pipelines;

/// <summary>
/// A transformed series z prepared for one candidate: its chain of differences (seasonal, then first) kept on the
/// time axis, and the reservoir's input rows [v(t); sin; cos] where v is the fully differenced series and the pair is
/// the seasonal phase (only with a season).
/// </summary>
internal sealed class SeriesDesign
{
    private readonly int[] _lags;
    private readonly double[][] _levels;

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
        _levels = new double[_lags.Length + 1][];
        _levels[0] = z;
        for (var k = 0; k < _lags.Length; k++)
        {
            var previous = _levels[k];
            var level = new double[z.Length];
            Offset += _lags[k];
            for (var t = Offset; t < z.Length; t++)
            {
                level[t] = previous[t] - previous[t - _lags[k]];
            }

            _levels[k + 1] = level;
        }

        InputWidth = period > 1 ? 3 : 1;
    }

    /// <summary>The seasonal period (1: none).</summary>
    internal int Period { get; }

    /// <summary>The first time index at which the differenced series v is defined.</summary>
    internal int Offset { get; }

    /// <summary>The width of an input row.</summary>
    internal int InputWidth { get; }

    /// <summary>The transformed series z.</summary>
    internal double[] Series => _levels[0];

    /// <summary>v(t), the fully differenced series at time t ≥ <see cref="Offset"/>.</summary>
    internal double Differenced(int t) => _levels[^1][t];

    /// <summary>Writes the input row of time <paramref name="t"/> with v(t) = <paramref name="value"/>.</summary>
    internal void Row(int t, double value, Span<double> row)
    {
        row[0] = value;
        if (Period > 1)
        {
            var phase = 2 * Math.PI * (t % Period) / Period;
            row[1] = Math.Sin(phase);
            row[2] = Math.Cos(phase);
        }
    }

    /// <summary>The input rows of times <paramref name="from"/> … <paramref name="to"/>.</summary>
    internal double[,] Rows(int from, int to)
    {
        var rows = new double[to - from + 1, InputWidth];
        var row = new double[InputWidth];
        for (var t = from; t <= to; t++)
        {
            Row(t, Differenced(t), row);
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
