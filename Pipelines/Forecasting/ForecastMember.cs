namespace Reservoir.Pipelines;

/// <summary>
/// One fitted network of a series forecaster, positioned at a time t of its design: its state has read the input rows
/// up to t, and it forecasts the differenced series after t (directly, or in a closed loop), undone to the transformed scale.
/// </summary>
/// <remarks>Not thread-safe while it advances; <see cref="ForecastZ"/> changes nothing and may run on many threads at once.</remarks>
internal sealed class ForecastMember
{
    private readonly EchoStateNetwork _network;
    private readonly int _horizon;
    private readonly bool _direct;
    private readonly double _low;
    private readonly double _high;
    private ReservoirState _state;
    private double[,] _output;

    private ForecastMember(EchoStateNetwork network, SeriesDesign design, ReservoirState state, double[,] output, int time, int horizon,
        bool direct, double low, double high)
    {
        _network = network;
        Design = design;
        _state = state;
        _output = output;
        Time = time;
        _horizon = horizon;
        _direct = direct;
        _low = low;
        _high = high;
    }

    /// <summary>Restores a member from its saved parts (see <see cref="SeriesForecastModelSerializer"/>).</summary>
    internal static ForecastMember FromParts(EchoStateNetwork network, SeriesDesign design, ReservoirState state, double[,] output, int horizon,
        bool direct, double low, double high) =>
        new(network, design, state, output, design.Length - 1, horizon, direct, low, high);

    /// <summary>The fitted network.</summary>
    internal EchoStateNetwork Network => _network;

    /// <summary>The state after the input row of <see cref="Time"/> (not copied: do not change it).</summary>
    internal ReservoirState State => _state;

    /// <summary>The network's output for the input row of <see cref="Time"/>.</summary>
    internal double[,] Output => _output;

    /// <summary>Whether the member forecasts directly (else in a closed loop).</summary>
    internal bool Direct => _direct;

    /// <summary>The range forecasts of the differenced series are held to.</summary>
    internal (double Low, double High) Range => (_low, _high);

    /// <summary>The series as this member differences it, up to the last value read.</summary>
    internal SeriesDesign Design { get; }

    /// <summary>The time of the last input row read; forecasts are of the values after it.</summary>
    internal int Time { get; private set; }

    /// <summary>
    /// Fits a network on the design's rows whose targets lie at or before <paramref name="cut"/> (the H next values of v,
    /// or the next one for a closed loop), then reads the rows up to <paramref name="cut"/>.
    /// </summary>
    internal static ForecastMember Fit(EchoStateNetworkOptions options, SeriesDesign design, bool direct, int horizon, int cut)
    {
        var lastRow = direct ? cut - horizon : cut - 1;
        var first = design.FirstRow;
        var inputs = design.Rows(first, lastRow);
        var targets = new double[lastRow - first + 1, direct ? horizon : 1];
        for (var t = first; t <= lastRow; t++)
        {
            for (var j = 0; j < targets.GetLength(1); j++)
            {
                targets[t - first, j] = design.Differenced(t + 1 + j);
            }
        }

        var network = EchoStateNetwork.Fit(options, inputs, targets);
        var (low, high) = Plausible(design, design.Offset, cut);
        var member = new ForecastMember(network, design, network.CreateTrainedState(), new double[1, 1], lastRow, horizon, direct, low, high);
        while (member.Time < cut)
        {
            member.Advance();
        }

        return member;
    }

    /// <summary>Reads the next input row of the design (its value must have been read: <see cref="SeriesDesign.Append"/>).</summary>
    /// <exception cref="InvalidOperationException">The reservoir state became non-finite; the member is unchanged.</exception>
    internal void Advance()
    {
        var t = Time + 1;
        var buffer = new double[Design.InputWidth];
        Design.Row(t, Design.DifferencedSpan, 0, buffer);
        _output = _network.Predict(_state, Row(buffer));
        Time = t;
    }

    /// <summary>The forecasts of z after <see cref="Time"/>, H of them.</summary>
    /// <exception cref="InvalidOperationException">The closed loop's state became non-finite.</exception>
    internal double[] ForecastZ()
    {
        var forecast = new double[_horizon];
        if (_direct)
        {
            for (var h = 0; h < _horizon; h++)
            {
                forecast[h] = Math.Clamp(_output[0, h], _low, _high);
            }
        }
        else
        {
            // The loop reads its own forecasts where the inputs reach past Time: window[i] is v(Time − lags + 1 + i).
            var lags = Design.InputLags;
            var start = Time - lags + 1;
            var window = new double[lags + _horizon];
            for (var i = 0; i < lags; i++)
            {
                window[i] = Design.Differenced(start + i);
            }

            var buffer = new double[Design.InputWidth];
            forecast[0] = Math.Clamp(_output[0, 0], _low, _high);
            var loop = _state.Clone();
            for (var h = 1; h < _horizon; h++)
            {
                window[lags - 1 + h] = forecast[h - 1];
                Design.Row(Time + h, window, start, buffer);
                forecast[h] = Math.Clamp(_network.Predict(loop, Row(buffer))[0, 0], _low, _high);
            }
        }

        return Design.Integrate(Time, forecast);
    }

    /// <summary>An independent copy that can read further values without changing this member.</summary>
    internal ForecastMember Clone() =>
        new(_network, Design.Clone(), _state.Clone(), _output, Time, _horizon, _direct, _low, _high);

    /// <summary>Puts back the state, output and time that <see cref="Save"/> returned (an <see cref="Advance"/> undone).</summary>
    internal void Restore(ReservoirState state, double[,] output, int time)
    {
        _state = state;
        _output = output;
        Time = time;
    }

    /// <summary>A copy of the parts <see cref="Advance"/> changes, for <see cref="Restore"/>.</summary>
    internal (ReservoirState State, double[,] Output, int Time) Save() => (_state.Clone(), _output, Time);

    /// <summary>
    /// The range a forecast of the differenced series is held to: the training range widened by half its width on each
    /// side. A forecast beyond it (a closed loop running away, a readout far outside its data) would be extrapolation
    /// that no training value supports, and through the undone differences and transform it would grow without bound.
    /// </summary>
    private static (double Low, double High) Plausible(SeriesDesign design, int first, int last)
    {
        var low = double.PositiveInfinity;
        var high = double.NegativeInfinity;
        for (var t = first; t <= last; t++)
        {
            low = Math.Min(low, design.Differenced(t));
            high = Math.Max(high, design.Differenced(t));
        }

        var margin = (high - low) / 2;
        return (low - margin, high + margin);
    }

    private static double[,] Row(double[] buffer)
    {
        var row = new double[1, buffer.Length];
        for (var j = 0; j < buffer.Length; j++)
        {
            row[0, j] = buffer[j];
        }

        return row;
    }
}
