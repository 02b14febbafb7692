namespace Reservoir.Readouts;

/// <summary>Chooses, and reports, the implementation of the dense products behind <see cref="GramAccumulator"/>: the managed kernels or a native BLAS.</summary>
/// <remarks>
/// <para>
/// <b>Automatic choice.</b> On first use the backend reads the <c>RESERVOIR_BLAS</c> environment variable
/// (<see cref="EnvironmentVariable"/>): <c>managed</c> forces the managed kernels; <c>mkl</c>, <c>openblas</c> or
/// <c>system</c> picks that library (falling back to managed, with the reason in <see cref="Description"/>, when it
/// cannot be loaded); unset, empty or <c>auto</c> tries Intel MKL (<c>libmkl_rt.so</c>, <c>libmkl_rt.so.2</c>),
/// OpenBLAS (<c>libopenblas.so.0</c>, <c>libopenblas.so</c>) and the system <c>libblas.so.3</c>, in that order, and
/// takes the first that loads, exports <c>cblas_dsyrk</c> and <c>cblas_dgemm</c>, and computes a small known product
/// correctly (this rejects 64-bit-integer builds). Otherwise the managed kernels are used; they need nothing installed.
/// </para>
/// <para>
/// <b>Measured, not assumed.</b> A library found automatically is used only if it is faster than the managed kernels
/// here. The choice is made once per process by a calibration of a few tens of milliseconds: the same 256 × 1536 block
/// (1536 features: the smallest width at which a library found automatically may be used, see below) is accumulated on
/// both backends, alternately, and the best times are compared (<see cref="Calibration"/> holds them).
/// An OpenBLAS whose own report of its kernels (<c>openblas_get_corename</c>) names a generic pre-AVX2 target, as an
/// old OpenBLAS does on a processor it does not know, is not timed at all when the managed kernels have AVX2 or wider.
/// Even when it wins, a native library found automatically serves only accumulators of 1500 features or more, where
/// its fixed costs per call are repaid. A provider named in code or in the environment variable is always used.
/// </para>
/// <para>
/// <b>Forcing a choice in code.</b> <see cref="UseManaged"/> or <see cref="TryUse"/> replace the choice for the rest of
/// the process. A <see cref="GramAccumulator"/> keeps the backend that was current when it was created, so a change
/// never mixes two backends inside one accumulator. Both backends give the same statistics to about 1e-13 relative
/// (the order of summation differs).
/// </para>
/// <para>
/// <b>Solves.</b> This choice covers the Gram products only. The Cholesky factorisation and solve of the ridge system are
/// the toolkit's own managed code whichever backend is chosen. MathNet.Numerics is used only for the eigendecomposition
/// in <see cref="RidgeCv"/>, and its provider is chosen separately: the first <see cref="RidgeCv"/> lets MathNet pick its
/// best provider (so a user who installs MathNet's MKL provider gets it), but never replaces a provider chosen
/// explicitly before, such as <c>Control.UseManaged()</c>; with <c>RESERVOIR_BLAS=managed</c> it selects MathNet's
/// managed provider.
/// </para>
/// <para>Thread safety: all members are thread-safe; the current choice is swapped atomically.</para>
/// </remarks>
public static class LinearAlgebraBackend
{
    /// <summary>Name of the environment variable read on first use: <c>managed</c>, <c>mkl</c>, <c>openblas</c>, <c>system</c> or <c>auto</c> (case-insensitive).</summary>
    public const string EnvironmentVariable = "RESERVOIR_BLAS";

    private static readonly object Gate = new();
    private static readonly NativeBlas?[] Loaded = new NativeBlas?[5];
    private static readonly string?[] LoadFailures = new string?[5];
    private static readonly GramCalibration?[] Calibrations = new GramCalibration?[5];
    private static volatile Selection? _current;

    /// <summary>Gets the provider in use: <see cref="LinearAlgebraProvider.Managed"/> or the native library that was loaded (never <see cref="LinearAlgebraProvider.Automatic"/>).</summary>
    public static LinearAlgebraProvider Provider => Current.Provider;

    /// <summary>Gets a short name of the backend in use: "managed", "MKL", "OpenBLAS" or "system BLAS".</summary>
    public static string Name => NameOf(Current.Provider);

    /// <summary>Gets a value indicating whether the dense products go through a native BLAS.</summary>
    public static bool IsNative => Current.Native is not null;

    /// <summary>Gets the native library file in use (for example <c>libopenblas.so.0</c>), or <see langword="null"/> with the managed kernels.</summary>
    public static string? LibraryName => Current.Native?.LibraryName;

    /// <summary>Gets one line saying which backend is in use and why, for logs and benchmark reports.</summary>
    public static string Description => Current.Description;

    /// <summary>Gets the vector instruction set of the managed Gram kernels on this machine: "AVX-512", "AVX2", or the vector width when neither is available.</summary>
    public static string ManagedInstructionSet => GramKernels.NameOf(GramKernels.BestInstructionSet);

    /// <summary>Gets the calibration that decided the current choice, or <see langword="null"/> when none was run (no native library found, or a provider named in code or in <c>RESERVOIR_BLAS</c>).</summary>
    public static GramCalibration? Calibration => Current.Calibration;

    /// <summary>Gets the native routines in use, or <see langword="null"/> for the managed kernels.</summary>
    internal static NativeBlas? Native => Current.Native;

    private static Selection Current => _current ?? Initialize();

    /// <summary>Uses the managed kernels for accumulators created from now on.</summary>
    public static void UseManaged() => TryUse(LinearAlgebraProvider.Managed);

    /// <summary>Switches to a provider for accumulators created from now on, if it can be loaded.</summary>
    /// <param name="provider">
    /// The provider; <see cref="LinearAlgebraProvider.Automatic"/> repeats the automatic choice (environment variable
    /// included) and always succeeds.
    /// </param>
    /// <returns><see langword="true"/> if the provider is now in use; <see langword="false"/> if it could not be loaded (the current choice is kept).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="provider"/> is not a defined value.</exception>
    public static bool TryUse(LinearAlgebraProvider provider)
    {
        if (!Enum.IsDefined(provider))
        {
            throw new ArgumentOutOfRangeException(nameof(provider), provider,
                $"provider must be one of {string.Join(", ", Enum.GetNames<LinearAlgebraProvider>())}; was {(int)provider}.");
        }

        lock (Gate)
        {
            if (provider == LinearAlgebraProvider.Automatic)
            {
                _current = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));
                return true;
            }

            if (provider == LinearAlgebraProvider.Managed)
            {
                _current = new Selection(LinearAlgebraProvider.Managed, null, $"managed {ManagedInstructionSet} (chosen in code)");
                return true;
            }

            var native = Load(provider, out _);
            if (native is null)
            {
                return false;
            }

            _current = new Selection(provider, native, $"{NameOf(provider)} ({native.LibraryName}, chosen in code)");
            return true;
        }
    }

    /// <summary>The automatic choice for a value of the environment variable.</summary>
    /// <param name="setting">The variable's value, or <see langword="null"/> when unset.</param>
    /// <returns>The selection.</returns>
    internal static Selection Choose(string? setting)
    {
        var value = setting?.Trim().ToLowerInvariant() ?? string.Empty;
        LinearAlgebraProvider? requested = value switch
        {
            "managed" => LinearAlgebraProvider.Managed,
            "mkl" => LinearAlgebraProvider.Mkl,
            "openblas" => LinearAlgebraProvider.OpenBlas,
            "system" => LinearAlgebraProvider.System,
            "" or "auto" or "automatic" => null,
            _ => LinearAlgebraProvider.Managed,
        };

        if (requested == LinearAlgebraProvider.Managed)
        {
            var why = value == "managed"
                ? $"{EnvironmentVariable}=managed"
                : $"{EnvironmentVariable}={setting} is not one of managed, mkl, openblas, system, auto";
            return new Selection(LinearAlgebraProvider.Managed, null, $"managed {ManagedInstructionSet} ({why})");
        }

        if (requested is { } named)
        {
            var native = Load(named, out var failure);
            return native is null
                ? new Selection(LinearAlgebraProvider.Managed, null, $"managed {ManagedInstructionSet} ({EnvironmentVariable}={value}, but {failure})")
                : new Selection(named, native, $"{NameOf(named)} ({native.LibraryName}, {EnvironmentVariable}={value})");
        }

        var found = FindNative();
        if (found is null)
        {
            return new Selection(LinearAlgebraProvider.Managed, null, $"managed {ManagedInstructionSet} (no native BLAS found)");
        }

        return Decide(found, CalibrationOf(found));
    }

    /// <summary>The first native library of MKL, OpenBLAS and the system BLAS that loads and passes the known-product check, whatever its speed.</summary>
    /// <returns>Its routines, or <see langword="null"/> when none loads.</returns>
    internal static NativeBlas? FindNative()
    {
        foreach (var candidate in new[] { LinearAlgebraProvider.Mkl, LinearAlgebraProvider.OpenBlas, LinearAlgebraProvider.System })
        {
            if (Load(candidate, out _) is { } native)
            {
                return native;
            }
        }

        return null;
    }

    /// <summary>The selection for a native library found automatically, given its calibration: the native library if it was faster, else the managed kernels.</summary>
    /// <param name="native">The library found.</param>
    /// <param name="calibration">Its calibration against the managed kernels.</param>
    /// <returns>The selection, whose description gives the times.</returns>
    internal static Selection Decide(NativeBlas native, GramCalibration calibration)
    {
        var library = native.CoreName is { } core ? $"{native.LibraryName}, core {core}" : native.LibraryName;
        if (calibration.NativeIsFaster)
        {
            return new Selection(native.Provider, native,
                $"{NameOf(native.Provider)} ({library}, found automatically; {calibration}; used from " +
                $"{AutomaticNativeMinimumFeatures} features on)")
            {
                FoundAutomatically = true,
                Calibration = calibration,
            };
        }

        return new Selection(LinearAlgebraProvider.Managed, null,
            $"managed {ManagedInstructionSet} ({NameOf(native.Provider)} {library} found but not used: {calibration}; " +
            $"{EnvironmentVariable}={SettingOf(native.Provider)} forces it)")
        {
            Calibration = calibration,
        };
    }

    /// <summary>Calibrates a native library once per process and remembers the outcome.</summary>
    private static GramCalibration CalibrationOf(NativeBlas native)
    {
        lock (Gate)
        {
            var index = (int)native.Provider;
            return Calibrations[index] ??= GramCalibration.Measure(native);
        }
    }

    private static string NameOf(LinearAlgebraProvider provider) => provider switch
    {
        LinearAlgebraProvider.Mkl => "MKL",
        LinearAlgebraProvider.OpenBlas => "OpenBLAS",
        LinearAlgebraProvider.System => "system BLAS",
        _ => "managed",
    };

    /// <summary>The environment-variable value that forces a provider.</summary>
    internal static string SettingOf(LinearAlgebraProvider provider) => provider switch
    {
        LinearAlgebraProvider.Mkl => "mkl",
        LinearAlgebraProvider.OpenBlas => "openblas",
        LinearAlgebraProvider.System => "system",
        _ => "managed",
    };

    /// <summary>Loads a native provider once per process and remembers the outcome.</summary>
    private static NativeBlas? Load(LinearAlgebraProvider provider, out string failure)
    {
        lock (Gate)
        {
            var index = (int)provider;
            if (Loaded[index] is null && LoadFailures[index] is null)
            {
                Loaded[index] = NativeBlas.TryLoad(provider, out var reason);
                LoadFailures[index] = Loaded[index] is null ? reason : string.Empty;
            }

            failure = LoadFailures[index]!;
            return Loaded[index];
        }
    }

    private static Selection Initialize()
    {
        lock (Gate)
        {
            return _current ??= Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));
        }
    }

    /// <summary>One immutable choice: the provider, its routines (null when managed) and a line saying why.</summary>
    internal sealed record Selection(LinearAlgebraProvider Provider, NativeBlas? Native, string Description)
    {
        /// <summary>Whether the native library was found by the automatic search (not named in code or the environment).</summary>
        internal bool FoundAutomatically { get; init; }

        /// <summary>The calibration behind an automatic choice, or null.</summary>
        internal GramCalibration? Calibration { get; init; }
    }

    /// <summary>
    /// Below this many features an automatically found native BLAS is not used for Gram products, even when it won the
    /// calibration: measured on a Zen 3 machine, the managed kernel was faster for blocks of about a thousand rows up to
    /// D ≈ 1000 (the native call's fixed costs dominate), and on a par at D ≈ 1500. A provider chosen in code or by the
    /// environment variable is always used.
    /// </summary>
    internal const int AutomaticNativeMinimumFeatures = 1500;

    /// <summary>The native BLAS an accumulator of <paramref name="featureCount"/> features should use, or null for the managed kernels.</summary>
    internal static NativeBlas? NativeForGram(int featureCount) => NativeForGram(Current, featureCount);

    /// <summary>The native BLAS an accumulator of <paramref name="featureCount"/> features should use under <paramref name="selection"/>, or null for the managed kernels.</summary>
    internal static NativeBlas? NativeForGram(Selection selection, int featureCount) =>
        selection.FoundAutomatically && featureCount < AutomaticNativeMinimumFeatures ? null : selection.Native;
}
