namespace Reservoir.Pipelines;

/// <summary>The quantile function of the standard normal distribution, for the widths of normal prediction intervals.</summary>
/// <remarks>
/// Wichura's algorithm AS 241 (PPND16; Applied Statistics 37(3), 477–484, 1988), the method of R's <c>qnorm</c>:
/// three rational approximations of degree 7 — one for |p − ½| ≤ 0.425, and two in r = √(−ln min(p, 1 − p)) for
/// r ≤ 5 and beyond — with a relative error of about 1e−16. Pipelines does not reference MathNet (only Reservoir and
/// Readouts do), so the few lines live here.
/// </remarks>
internal static class NormalDistribution
{
    /// <summary>Returns z with Φ(z) = <paramref name="p"/>, where Φ is the standard normal distribution function.</summary>
    /// <param name="p">The probability, in (0, 1).</param>
    /// <returns>The quantile; negative below ½ and Quantile(1 − p) = −Quantile(p).</returns>
    internal static double Quantile(double p)
    {
        if (!(p is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"p must be in (0, 1); was {Guard.Format(p)}.");
        }

        var q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var s = 0.180625 - q * q;
            return q * (((((((2509.0809287301226727 * s + 33430.575583588128105) * s + 67265.770927008700853) * s
                        + 45921.953931549871457) * s + 13731.693765509461125) * s + 1971.5909503065514427) * s
                    + 133.14166789178437745) * s + 3.3871328727963666080)
                / (((((((5226.4952788528545610 * s + 28729.085735721942674) * s + 39307.895800092710610) * s
                        + 21213.794301586595867) * s + 5394.1960214247511077) * s + 687.18700749205790830) * s
                    + 42.313330701600911252) * s + 1.0);
        }

        var r = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        double value;
        if (r <= 5)
        {
            r -= 1.6;
            value = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r
                        + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.76949722146069140550) * r
                    + 4.63033784615654529590) * r + 1.42343711074968357734)
                / (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r
                        + 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940) * r
                    + 2.05319162663775882187) * r + 1.0);
        }
        else
        {
            r -= 5;
            value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r
                        + 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580) * r
                    + 5.46378491116411436990) * r + 6.65790464350110377720)
                / (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r
                        + 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                    + 5.99832206555887937690e-1) * r + 1.0);
        }

        return q < 0 ? -value : value;
    }
}
