namespace Reservoir.Pipelines;

/// <summary>Writes and reads a <see cref="SeriesForecastModel"/> (configuration, validation errors, transformed series, every network of the ensemble with its state) and a <see cref="SeriesForecastEngine"/> (the model and the observations read since).</summary>
internal static class SeriesForecastModelSerializer
{
    /// <summary>The content kind of a forecaster file.</summary>
    internal const string ModelKind = "SeriesForecastModel";

    /// <summary>The content kind of an engine checkpoint.</summary>
    internal const string EngineKind = "SeriesForecastEngine";

    private const string Tag = "SeriesForecastModel";
    private const string EngineTag = "SeriesForecastEngine";
    private const ushort Version = 3;

    /// <summary>The version of the engine section, which has not changed.</summary>
    private const ushort EngineVersion = 1;

    /// <summary>Writes the model.</summary>
    /// <remarks>
    /// Version 2 adds the benchmark after the number of validation forecasts: its weight, and whether a damped trend follows
    /// (then its α, β and φ). Version 3 adds, after the weight, the kind of benchmark and its Theta share, and after the damped trend whether
    /// the Theta method follows (then its α, its initial level and its seasonal indices). A model is written in the
    /// earliest version that holds it, byte for byte that version's format, so that earlier readers still load it:
    /// version 1 without a benchmark (weight 0, no trend, the default kind), version 2 for the seasonal naive benchmark
    /// with a season or the damped trend without one.
    /// </remarks>
    internal static void Write(ModelWriter writer, SeriesForecastModel model)
    {
        var c = model.Configuration;
        var version = c.BenchmarkWeight == 0 && c.Trend is null && c.Theta is null && c.Benchmark == ImpliedBenchmark(1, c.SeasonalPeriod, false) ? (ushort)1
            : c.Theta is null && c.ThetaShare == 0 && c.Benchmark == ImpliedBenchmark(2, c.SeasonalPeriod, c.Trend is not null) ? (ushort)2
            : Version;
        writer.WriteSectionHeader(Tag, version);
        writer.WriteInt32(c.SeasonalPeriod);
        writer.WriteInt32(c.FilledValues);
        writer.WriteDouble(c.BoxCoxLambda);
        writer.WriteInt32(c.Differences);
        writer.WriteInt32(c.SeasonalDifferences);
        writer.WriteEnum(c.Method);
        writer.WriteInt32(c.UnitCount);
        writer.WriteInt32(c.WashoutSteps);
        writer.WriteDouble(c.MaxTimeConstant);
        writer.WriteInt32(c.EnsembleSize);
        writer.WriteInt32(c.ValidationForecasts);
        if (version >= 2)
        {
            writer.WriteDouble(c.BenchmarkWeight);
            if (version >= 3)
            {
                writer.WriteEnum(c.Benchmark);
                writer.WriteDouble(c.ThetaShare);
            }

            writer.WriteBoolean(c.Trend is not null);
            if (c.Trend is { } trend)
            {
                writer.WriteDouble(trend.Alpha);
                writer.WriteDouble(trend.Beta);
                writer.WriteDouble(trend.Phi);
            }

            if (version >= 3)
            {
                writer.WriteBoolean(c.Theta is not null);
                if (c.Theta is { } theta)
                {
                    writer.WriteDouble(theta.Alpha);
                    writer.WriteDouble(theta.InitialLevel);
                    writer.WriteDoubles(theta.SeasonalIndices.AsSpan());
                }
            }
        }

        writer.WriteInt32(c.Candidates.Length);
        foreach (var candidate in c.Candidates)
        {
            writer.WriteInt32(candidate.SeasonalDifferences);
            writer.WriteInt32(candidate.Differences);
            writer.WriteEnum(candidate.Method);
            writer.WriteDouble(candidate.MaxTimeConstant);
            writer.WriteDouble(candidate.ValidationMase);
        }

        writer.WriteInt32(model.Errors.Count);
        foreach (var errors in model.Errors)
        {
            writer.WriteDoubles(errors);
        }

        var members = model.Members;
        writer.WriteDoubles(members[0].Design.Series);
        writer.WriteInt32(members.Count);
        foreach (var member in members)
        {
            EchoStateNetworkSerializer.Write(writer, member.Network);
            writer.WriteInt32(member.Design.SeasonalDifferences);
            writer.WriteInt32(member.Design.Differences);
            writer.WriteBoolean(member.Direct);
            writer.WriteDouble(member.Range.Low);
            writer.WriteDouble(member.Range.High);
            writer.WriteReservoirState(member.State);
            writer.WriteMatrix(member.Output);
        }
    }

    /// <summary>Reads a model written by <see cref="Write(ModelWriter, SeriesForecastModel)"/>; every size and value is checked.</summary>
    /// <exception cref="ModelFormatException">The section is truncated, corrupted, of a newer version or inconsistent.</exception>
    internal static SeriesForecastModel Read(ModelReader reader)
    {
        var start = reader.Offset;
        var version = reader.ReadSectionHeader(Tag, Version);
        var period = reader.ReadInt32("the seasonal period", 1, int.MaxValue);
        var filled = reader.ReadInt32("the number of filled values", 0, int.MaxValue);
        var lambda = reader.ReadFiniteDouble("the Box-Cox lambda");
        var differences = reader.ReadInt32("the number of differences", 0, 2);
        var seasonalDifferences = reader.ReadInt32("the number of seasonal differences", 0, 1);
        var method = reader.ReadEnum<SeriesForecastMethod>("the forecast method");
        var units = reader.ReadInt32("the unit count", 1, int.MaxValue);
        var washout = reader.ReadInt32("the washout", 0, int.MaxValue);
        var maxTimeConstant = reader.ReadFiniteDouble("the longest time constant");
        var ensembleSize = reader.ReadInt32("the ensemble size", 1, int.MaxValue);
        var validationForecasts = reader.ReadInt32("the number of validation forecasts", 0, int.MaxValue);
        var weightOffset = reader.Offset;
        var weight = version >= 2 ? reader.ReadFiniteDouble("the benchmark weight") : 0;
        if (!(weight is >= 0 and <= 1))
        {
            throw new ModelFormatException($"Invalid benchmark weight at offset {weightOffset}: {weight} is not in [0, 1].");
        }

        var benchmarkOffset = reader.Offset;
        var benchmark = version >= 3 ? reader.ReadEnum<SeriesForecastBenchmark>("the benchmark") : (SeriesForecastBenchmark?)null;
        var share = version >= 3 ? reader.ReadFiniteDouble("the Theta share") : 0;
        if (!(share is >= 0 and <= 1))
        {
            throw new ModelFormatException($"Invalid Theta share at offset {benchmarkOffset}: {share} is not in [0, 1].");
        }
        DampedTrend? trend = null;
        if (version >= 2 && reader.ReadBoolean("whether a damped trend follows"))
        {
            var trendOffset = reader.Offset;
            var alpha = reader.ReadFiniteDouble("the damped trend's alpha");
            var beta = reader.ReadFiniteDouble("the damped trend's beta");
            var phi = reader.ReadFiniteDouble("the damped trend's phi");
            if (!(alpha is > 0 and <= 1 && beta is >= 0 and <= 1 && phi is > 0 and <= 1))
            {
                throw new ModelFormatException(
                    $"Invalid damped trend at offset {trendOffset}: alpha {alpha}, beta {beta} and phi {phi} must be in (0, 1], [0, 1] and (0, 1].");
            }

            trend = new DampedTrend(alpha, beta, phi);
        }

        ThetaMethod? theta = null;
        if (version >= 3 && reader.ReadBoolean("whether the Theta method follows"))
        {
            var thetaOffset = reader.Offset;
            var alpha = reader.ReadFiniteDouble("the Theta method's alpha");
            var level = reader.ReadFiniteDouble("the Theta method's initial level");
            var indices = reader.ReadDoubles("the Theta method's seasonal indices");
            if (!(alpha is > 0 and <= 1) || (indices.Length != 0 && indices.Length != period) || !indices.All(v => double.IsFinite(v) && v > 0))
            {
                throw new ModelFormatException(
                    $"Invalid Theta method at offset {thetaOffset}: alpha {alpha} must be in (0, 1], and the seasonal indices ({indices.Length}) positive, none or one per phase of the period {period}.");
            }

            theta = new ThetaMethod(alpha, level) { SeasonalIndices = [.. indices] };
        }

        var kind = benchmark ?? ImpliedBenchmark(version, period, trend is not null);
        if (weight > 0 && ((kind == SeriesForecastBenchmark.DampedTrend && trend is null)
            || (kind is SeriesForecastBenchmark.Theta or SeriesForecastBenchmark.SeasonalNaiveAndTheta && theta is null)
            || (kind is SeriesForecastBenchmark.SeasonalNaive or SeriesForecastBenchmark.SeasonalNaiveAndTheta && period < 2)))
        {
            throw new ModelFormatException(
                $"Invalid benchmark at offset {benchmarkOffset}: {kind} with weight {weight} and period {period} lacks its parameters or its season.");
        }

        var candidates = new SeriesForecastCandidate[reader.ReadCount("the candidates", 4 + 4 + 1 + 8 + 8)];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new SeriesForecastCandidate(reader.ReadInt32("a candidate's seasonal differences", 0, 1),
                reader.ReadInt32("a candidate's differences", 0, 2), reader.ReadEnum<SeriesForecastMethod>("a candidate's method"),
                reader.ReadFiniteDouble("a candidate's longest time constant"), reader.ReadDouble("a candidate's validation MASE"));
        }

        var horizon = reader.ReadCount("the steps of the validation errors", 4);
        if (horizon < 1)
        {
            throw new ModelFormatException($"Invalid forecaster at offset {start}: the horizon is {horizon}.");
        }

        var errors = new double[horizon][];
        for (var h = 0; h < horizon; h++)
        {
            var values = reader.ReadDoubles("the validation errors of a step");
            errors[h] = values.All(double.IsFinite) ? values : throw new ModelFormatException(
                $"Invalid forecaster at offset {start}: a validation error of step {h + 1} is not finite.");
        }

        var offset = reader.Offset;
        var z = reader.ReadDoubles("the transformed series");
        if (!z.All(double.IsFinite))
        {
            throw new ModelFormatException($"Invalid transformed series at offset {offset}: a value is not finite.");
        }

        var count = reader.ReadCount("the ensemble", 1);
        if (count != ensembleSize)
        {
            throw new ModelFormatException($"Invalid forecaster at offset {start}: {count} networks for an ensemble of {ensembleSize}.");
        }

        var members = new ForecastMember[count];
        for (var k = 0; k < count; k++)
        {
            var network = EchoStateNetworkSerializer.Read(reader);
            var memberOffset = reader.Offset;
            var memberSeasonal = reader.ReadInt32("a member's seasonal differences", 0, period > 1 ? 1 : 0);
            var memberDifferences = reader.ReadInt32("a member's differences", 0, 2);
            var direct = reader.ReadBoolean("whether a member forecasts directly");
            var low = reader.ReadFiniteDouble("a member's lowest forecast");
            var high = reader.ReadFiniteDouble("a member's highest forecast");
            var state = reader.ReadReservoirState(network.Reservoir);
            var output = reader.ReadFiniteMatrix("a member's last output", 1, direct ? horizon : 1);
            var design = new SeriesDesign(z, period, memberSeasonal, memberDifferences);
            if (z.Length <= design.FirstRow || network.InputDimension != design.InputWidth || network.OutputDimension != output.GetLength(1)
                || !(low <= high))
            {
                throw new ModelFormatException(
                    $"Invalid ensemble member at offset {memberOffset}: it does not fit the series ({z.Length} values), its inputs or its outputs.");
            }

            members[k] = ForecastMember.FromParts(network, design, state, output, horizon, direct, low, high);
        }

        var configuration = new SeriesForecastConfiguration
        {
            SeasonalPeriod = period,
            FilledValues = filled,
            BoxCoxLambda = lambda,
            Differences = differences,
            SeasonalDifferences = seasonalDifferences,
            Method = method,
            UnitCount = units,
            WashoutSteps = washout,
            MaxTimeConstant = maxTimeConstant,
            EnsembleSize = ensembleSize,
            ValidationForecasts = validationForecasts,
            BenchmarkWeight = weight,
            Benchmark = kind,
            ThetaShare = share,
            Trend = trend,
            Theta = theta,
            Candidates = [.. candidates],
        };
        return new SeriesForecastModel(configuration, members, errors);
    }

    /// <summary>
    /// The benchmark a file of version 1 or 2, which names none, implies: in version 1 (weight 0) the first benchmark
    /// <see cref="SeriesForecaster.Fit"/> tries (seasonal naive with a season, the damped trend without); in version 2 the
    /// damped trend when the file holds one, else the seasonal naive forecast (the naive one without a season).
    /// </summary>
    private static SeriesForecastBenchmark ImpliedBenchmark(int version, int period, bool trend) =>
        version < 2 ? SeriesForecaster.BenchmarksFor(period)[0]
        : trend ? SeriesForecastBenchmark.DampedTrend : period > 1 ? SeriesForecastBenchmark.SeasonalNaive : SeriesForecastBenchmark.Naive;

    /// <summary>Writes an engine: its model and the observations it has read.</summary>
    internal static void Write(ModelWriter writer, SeriesForecastEngine engine)
    {
        Write(writer, engine.Model);
        writer.WriteSectionHeader(EngineTag, EngineVersion);
        writer.WriteDoubles(engine.Observations);
    }

    /// <summary>Reads an engine written by <see cref="Write(ModelWriter, SeriesForecastEngine)"/> and reads its observations again.</summary>
    /// <exception cref="ModelFormatException">The data is truncated, corrupted or does not fit the model.</exception>
    internal static SeriesForecastEngine ReadEngine(ModelReader reader)
    {
        var model = Read(reader);
        reader.ReadSectionHeader(EngineTag, EngineVersion);
        var offset = reader.Offset;
        var observations = reader.ReadDoubles("the observations");
        var engine = model.CreateEngine();
        try
        {
            foreach (var observation in observations)
            {
                engine.Update(observation);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"Invalid observations at offset {offset}: {e.Message}", e);
        }

        return engine;
    }
}
