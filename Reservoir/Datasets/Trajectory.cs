namespace Reservoir.Datasets;

/// <summary>A deterministic system advanced one sample at a time and recorded into the rows of a trajectory.</summary>
/// <remarks>Implemented by structs, so that <see cref="Trajectory.Sample"/> is specialised and inlined per system.</remarks>
internal interface ISampledSystem
{
    /// <summary>The number of variables written per sample.</summary>
    int Dimension { get; }

    /// <summary>Writes the current sample into <paramref name="output"/>[<paramref name="row"/>, *].</summary>
    void Record(double[,] output, int row);

    /// <summary>Advances from sample <paramref name="sample"/> to the next; throws <see cref="InvalidOperationException"/> if the result is not finite.</summary>
    void Advance(long sample);
}

/// <summary>A three-dimensional vector field dx/dt = f(x, y, z).</summary>
internal interface IVectorField3
{
    /// <summary>The right-hand side at (x, y, z).</summary>
    (double X, double Y, double Z) Derivative(double x, double y, double z);
}

/// <summary>The sampling loop shared by the dataset generators: a transient is dropped, then each sample is recorded.</summary>
internal static class Trajectory
{
    /// <summary>Runs <paramref name="system"/> for <paramref name="transientSamples"/> + <paramref name="length"/> − 1 steps and keeps the last <paramref name="length"/> samples.</summary>
    /// <returns>A new <paramref name="length"/>×Dimension array; row 0 is sample <paramref name="transientSamples"/>.</returns>
    internal static double[,] Sample<TSystem>(ref TSystem system, int length, int transientSamples)
        where TSystem : struct, ISampledSystem
    {
        var output = new double[length, system.Dimension];
        var totalSamples = (long)transientSamples + length;
        for (long s = 0; s < totalSamples; s++)
        {
            if (s >= transientSamples)
            {
                system.Record(output, (int)(s - transientSamples));
            }

            if (s == totalSamples - 1)
            {
                break;
            }

            system.Advance(s);
        }

        return output;
    }

    /// <summary>The exception thrown when an integration leaves the finite numbers.</summary>
    /// <param name="system">The system's name as printed, e.g. "Lorenz-63".</param>
    /// <param name="sample">The sample that was being advanced (the non-finite one is <paramref name="sample"/> + 1).</param>
    /// <param name="seed">The seed of the initial condition.</param>
    /// <param name="h">The Runge-Kutta step.</param>
    /// <param name="fix">What the caller can change, e.g. "reduce timeStep or raise substeps".</param>
    internal static InvalidOperationException Diverged(string system, long sample, int seed, double h, string fix) =>
        new($"The {system} integration diverged at sample {sample + 1} (seed {seed}, step {Guard.Format(h)}); {fix}.");
}

/// <summary>A three-dimensional flow integrated with classic fourth-order Runge-Kutta, <c>substeps</c> steps of size h per sample.</summary>
internal struct RungeKuttaFlow3<TField> : ISampledSystem
    where TField : struct, IVectorField3
{
    private readonly TField _field;
    private readonly double _h;
    private readonly int _substeps;
    private readonly int _seed;
    private readonly string _name;
    private readonly string _fix;
    private double _x;
    private double _y;
    private double _z;

    /// <summary>Starts the flow at (x, y, z); <paramref name="name"/>, <paramref name="seed"/> and <paramref name="fix"/> go into the divergence message.</summary>
    internal RungeKuttaFlow3(TField field, double x, double y, double z, double h, int substeps, int seed, string name, string fix)
    {
        (_field, _x, _y, _z, _h, _substeps, _seed, _name, _fix) = (field, x, y, z, h, substeps, seed, name, fix);
    }

    /// <inheritdoc/>
    public readonly int Dimension => 3;

    /// <inheritdoc/>
    public readonly void Record(double[,] output, int row)
    {
        output[row, 0] = _x;
        output[row, 1] = _y;
        output[row, 2] = _z;
    }

    /// <inheritdoc/>
    public void Advance(long sample)
    {
        for (var k = 0; k < _substeps; k++)
        {
            Step(ref _x, ref _y, ref _z, _h, _field);
        }

        if (!double.IsFinite(_x) || !double.IsFinite(_y) || !double.IsFinite(_z))
        {
            throw Trajectory.Diverged(_name, sample, _seed, _h, _fix);
        }
    }

    /// <summary>One classic Runge-Kutta 4 step of size <paramref name="h"/>, in place.</summary>
    private static void Step(ref double x, ref double y, ref double z, double h, TField p)
    {
        var (k1x, k1y, k1z) = p.Derivative(x, y, z);
        var (k2x, k2y, k2z) = p.Derivative(x + 0.5 * h * k1x, y + 0.5 * h * k1y, z + 0.5 * h * k1z);
        var (k3x, k3y, k3z) = p.Derivative(x + 0.5 * h * k2x, y + 0.5 * h * k2y, z + 0.5 * h * k2z);
        var (k4x, k4y, k4z) = p.Derivative(x + h * k3x, y + h * k3y, z + h * k3z);
        x += h / 6 * (k1x + 2 * k2x + 2 * k3x + k4x);
        y += h / 6 * (k1y + 2 * k2y + 2 * k3y + k4y);
        z += h / 6 * (k1z + 2 * k2z + 2 * k3z + k4z);
    }
}
