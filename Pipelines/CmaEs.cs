namespace Reservoir.Pipelines;

/// <summary>CMA-ES on the unit cube (Hansen 2016, default strategy parameters), sampling on one thread for determinism.</summary>
/// <remarks>Points are reflected into [0, 1]ⁿ and the reflected points enter the update. Not thread-safe.</remarks>
internal sealed class CmaEs
{
    private readonly int _n;
    private readonly int _lambda;
    private readonly int _mu;
    private readonly double[] _weights;
    private readonly double _muEff;
    private readonly double _cSigma;
    private readonly double _dSigma;
    private readonly double _cc;
    private readonly double _c1;
    private readonly double _cMu;
    private readonly double _chiN;
    private readonly Random _random;
    private readonly double[] _mean;
    private readonly double[] _pSigma;
    private readonly double[] _pc;
    private readonly double[,] _c;
    private readonly double[,] _b;
    private readonly double[] _d;
    private double _sigma;
    private int _generation;

    public CmaEs(int dimension, int? populationSize, double initialStepSize, Random random)
    {
        _n = dimension;
        _lambda = populationSize ?? 4 + (int)Math.Floor(3 * Math.Log(dimension));
        _mu = _lambda / 2;
        _weights = new double[_mu];
        for (var i = 0; i < _mu; i++)
        {
            _weights[i] = Math.Log((_lambda + 1) / 2.0) - Math.Log(i + 1);
        }

        var sum = _weights.Sum();
        var sumSquares = 0.0;
        for (var i = 0; i < _mu; i++)
        {
            _weights[i] /= sum;
            sumSquares += _weights[i] * _weights[i];
        }

        _muEff = 1 / sumSquares;
        _cSigma = (_muEff + 2) / (_n + _muEff + 5);
        _dSigma = 1 + 2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (_n + 1)) - 1) + _cSigma;
        _cc = (4 + _muEff / _n) / (_n + 4 + 2 * _muEff / _n);
        _c1 = 2 / ((_n + 1.3) * (_n + 1.3) + _muEff);
        _cMu = Math.Min(1 - _c1, 2 * (_muEff - 2 + 1 / _muEff) / ((_n + 2) * (_n + 2) + _muEff));
        _chiN = Math.Sqrt(_n) * (1 - 1.0 / (4 * _n) + 1.0 / (21.0 * _n * _n));
        _random = random;
        _mean = Enumerable.Repeat(0.5, _n).ToArray();
        _pSigma = new double[_n];
        _pc = new double[_n];
        _c = new double[_n, _n];
        _b = new double[_n, _n];
        _d = Enumerable.Repeat(1.0, _n).ToArray();
        for (var i = 0; i < _n; i++)
        {
            _c[i, i] = 1;
            _b[i, i] = 1;
        }

        _sigma = initialStepSize;
    }

    public int PopulationSize => _lambda;

    /// <summary>Draws one generation: λ points in [0, 1]ⁿ.</summary>
    public double[][] Sample()
    {
        var points = new double[_lambda][];
        var z = new double[_n];
        for (var k = 0; k < _lambda; k++)
        {
            for (var i = 0; i < _n; i++)
            {
                z[i] = Gaussian();
            }

            var x = new double[_n];
            for (var i = 0; i < _n; i++)
            {
                var y = 0.0;
                for (var j = 0; j < _n; j++)
                {
                    y += _b[i, j] * _d[j] * z[j];
                }

                x[i] = Reflect(_mean[i] + _sigma * y);
            }

            points[k] = x;
        }

        return points;
    }

    /// <summary>Updates mean, paths, covariance and step size from a scored generation (lower is better).</summary>
    public void Update(double[][] points, double[] scores)
    {
        var order = Enumerable.Range(0, points.Length).OrderBy(i => scores[i]).ThenBy(i => i).ToArray();
        var old = (double[])_mean.Clone();
        Array.Clear(_mean);
        for (var r = 0; r < _mu; r++)
        {
            for (var i = 0; i < _n; i++)
            {
                _mean[i] += _weights[r] * points[order[r]][i];
            }
        }

        var yw = new double[_n];
        for (var i = 0; i < _n; i++)
        {
            yw[i] = (_mean[i] - old[i]) / _sigma;
        }

        // C^(-1/2)·y_w = B·D⁻¹·Bᵀ·y_w
        var bty = new double[_n];
        for (var j = 0; j < _n; j++)
        {
            for (var i = 0; i < _n; i++)
            {
                bty[j] += _b[i, j] * yw[i];
            }

            bty[j] /= _d[j];
        }

        var normSigma = 0.0;
        var scale = Math.Sqrt(_cSigma * (2 - _cSigma) * _muEff);
        for (var i = 0; i < _n; i++)
        {
            var v = 0.0;
            for (var j = 0; j < _n; j++)
            {
                v += _b[i, j] * bty[j];
            }

            _pSigma[i] = (1 - _cSigma) * _pSigma[i] + scale * v;
            normSigma += _pSigma[i] * _pSigma[i];
        }

        normSigma = Math.Sqrt(normSigma);
        _generation++;
        var hSigma = normSigma / Math.Sqrt(1 - Math.Pow(1 - _cSigma, 2 * _generation)) < (1.4 + 2.0 / (_n + 1)) * _chiN ? 1.0 : 0.0;
        var scaleC = Math.Sqrt(_cc * (2 - _cc) * _muEff);
        for (var i = 0; i < _n; i++)
        {
            _pc[i] = (1 - _cc) * _pc[i] + hSigma * scaleC * yw[i];
        }

        var keep = 1 - _c1 - _cMu + (1 - hSigma) * _c1 * _cc * (2 - _cc);
        for (var i = 0; i < _n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var rankMu = 0.0;
                for (var r = 0; r < _mu; r++)
                {
                    var p = points[order[r]];
                    rankMu += _weights[r] * (p[i] - old[i]) * (p[j] - old[j]);
                }

                var value = keep * _c[i, j] + _c1 * _pc[i] * _pc[j] + _cMu * rankMu / (_sigma * _sigma);
                _c[i, j] = value;
                _c[j, i] = value;
            }
        }

        _sigma *= Math.Exp(_cSigma / _dSigma * (normSigma / _chiN - 1));
        _sigma = Math.Min(_sigma, 1.0);
        Decompose();
    }

    private void Decompose()
    {
        var eigenvalues = SymmetricEigen.Decompose(_c, _b);
        for (var i = 0; i < _n; i++)
        {
            _d[i] = Math.Sqrt(Math.Max(eigenvalues[i], 1e-20));
        }
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Reflect(double x)
    {
        // Triangle wave: folds the real line onto [0, 1].
        var period = x - 2 * Math.Floor(x / 2);
        return period <= 1 ? period : 2 - period;
    }
}

/// <summary>Cyclic Jacobi eigen-decomposition of a small symmetric matrix (no external dependency in this project).</summary>
internal static class SymmetricEigen
{
    /// <summary>Writes the eigenvectors as the columns of <paramref name="vectors"/> and returns the eigenvalues.</summary>
    public static double[] Decompose(double[,] matrix, double[,] vectors)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                vectors[i, j] = i == j ? 1 : 0;
            }
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off < 1e-30)
            {
                break;
            }

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = vectors[k, p];
                        var vkq = vectors[k, q];
                        vectors[k, p] = c * vkp - s * vkq;
                        vectors[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return values;
    }
}
