using MathNet.Numerics;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace Reservoir.Readouts;

/// <summary>One-time set-up of MathNet.Numerics for the readouts that use it (the eigendecomposition of <see cref="RidgeCv"/>).</summary>
/// <remarks>
/// <para>
/// The aim of <c>Control.UseBestProviders()</c> at start-up is that a user who installs MathNet's native MKL provider
/// gets it. Calling it unconditionally would be wrong: it would replace a provider the user (or a test fixture, with
/// <c>Control.UseManaged()</c>) chose before the first use. MathNet 5 already chooses lazily: the first read of
/// <c>LinearAlgebraControl.Provider</c> runs its default selection (the <c>MathNetNumericsLAProvider</c> environment
/// variable if set, otherwise the best provider available, exactly as <c>UseBestProviders</c> does for linear algebra),
/// unless a provider was set before, which is kept. So <see cref="EnsureInitialized"/> reads the provider, which
/// gives "best, unless chosen" without overriding anything, and forces MathNet's managed provider only when
/// <c>RESERVOIR_BLAS=managed</c> asks for managed code everywhere.
/// </para>
/// <para>It runs once per process, from the static constructor of <see cref="RidgeCv"/>, and is thread-safe.</para>
/// </remarks>
internal static class ReadoutNumerics
{
    private static readonly Lazy<ILinearAlgebraProvider> Provider = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs the one-time set-up if it has not run yet.</summary>
    internal static void EnsureInitialized() => _ = Provider.Value;

    private static ILinearAlgebraProvider Initialize()
    {
        var setting = Environment.GetEnvironmentVariable(LinearAlgebraBackend.EnvironmentVariable);
        if (string.Equals(setting?.Trim(), "managed", StringComparison.OrdinalIgnoreCase))
        {
            Control.UseManaged();
        }

        return LinearAlgebraControl.Provider;
    }
}
