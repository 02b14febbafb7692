using NUnit.Framework;
using Reservoir.Readouts;

namespace Reservoir.Tests.Readouts;

[TestFixture]
public sealed class LinearAlgebraBackendTests
{
    /// <summary>Native and naive products of small integers are exact; this allows for a different order of summation anyway.</summary>
    private const double RelativeTolerance = 1e-12;

    [TearDown]
    public void RestoreChoice() =>
        Assert.That(LinearAlgebraBackend.TryUse(LinearAlgebraProvider.Automatic), Is.True, "restoring the automatic choice");

    [Test]
    public void NativeForGram_FoundAutomaticallyAndFaster_UsedOnlyFromTheThreshold()
    {
        var native = NativeOrIgnore();
        var faster = LinearAlgebraBackend.Decide(native, new GramCalibration(1024, 384, 0.004, 0.002, "AVX2", null));
        var forced = LinearAlgebraBackend.Choose(LinearAlgebraBackend.SettingOf(native.Provider));

        Assert.Multiple(() =>
        {
            Assert.That(LinearAlgebraBackend.NativeForGram(faster, LinearAlgebraBackend.AutomaticNativeMinimumFeatures - 1), Is.Null,
                "below the threshold the native call's fixed costs dominate");
            Assert.That(LinearAlgebraBackend.NativeForGram(faster, LinearAlgebraBackend.AutomaticNativeMinimumFeatures), Is.SameAs(native));
            Assert.That(LinearAlgebraBackend.NativeForGram(forced, 3), Is.SameAs(native), "a forced provider is always used");
        });
    }

    [Test]
    public void UseManaged_NewAccumulator_UsesManagedKernels()
    {
        LinearAlgebraBackend.UseManaged();
        var gram = new GramAccumulator(3, 1);

        Assert.Multiple(() =>
        {
            Assert.That(LinearAlgebraBackend.IsNative, Is.False);
            Assert.That(LinearAlgebraBackend.Provider, Is.EqualTo(LinearAlgebraProvider.Managed));
            Assert.That(LinearAlgebraBackend.Name, Is.EqualTo("managed"));
            Assert.That(LinearAlgebraBackend.LibraryName, Is.Null);
            Assert.That(gram.UsesNativeBlas, Is.False);
        });
    }

    [Test]
    public void TryUse_NativeProvider_NewAccumulatorsUseIt()
    {
        var native = NativeOrIgnore();

        LinearAlgebraBackend.UseManaged();
        var before = new GramAccumulator(3, 1);

        var switched = LinearAlgebraBackend.TryUse(native.Provider);
        var after = new GramAccumulator(3, 1);

        Assert.Multiple(() =>
        {
            Assert.That(switched, Is.True);
            Assert.That(LinearAlgebraBackend.IsNative, Is.True);
            Assert.That(LinearAlgebraBackend.LibraryName, Is.EqualTo(native.LibraryName));
            Assert.That(before.UsesNativeBlas, Is.False, "an accumulator keeps the backend it was created with");
            Assert.That(after.UsesNativeBlas, Is.True);
        });
    }

    [Test]
    public void TryUse_Automatic_MatchesAutomaticChoice()
    {
        LinearAlgebraBackend.UseManaged();

        var switched = LinearAlgebraBackend.TryUse(LinearAlgebraProvider.Automatic);

        var expected = LinearAlgebraBackend.Choose(Environment.GetEnvironmentVariable(LinearAlgebraBackend.EnvironmentVariable));
        Assert.Multiple(() =>
        {
            Assert.That(switched, Is.True);
            Assert.That(LinearAlgebraBackend.Provider, Is.EqualTo(expected.Provider));
            Assert.That(LinearAlgebraBackend.Description, Is.EqualTo(expected.Description));
        });
    }

    [TestCase(-1)]
    [TestCase(5)]
    public void TryUse_UndefinedProvider_Throws(int value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LinearAlgebraBackend.TryUse((LinearAlgebraProvider)value));

        Assert.That(e!.ParamName, Is.EqualTo("provider"));
    }

    [TestCase("managed")]
    [TestCase(" MANAGED ")]
    public void Choose_Managed_SelectsManagedAndSaysWhy(string setting)
    {
        var selection = LinearAlgebraBackend.Choose(setting);

        Assert.Multiple(() =>
        {
            Assert.That(selection.Provider, Is.EqualTo(LinearAlgebraProvider.Managed));
            Assert.That(selection.Native, Is.Null);
            Assert.That(selection.Description, Does.Contain("RESERVOIR_BLAS=managed"));
        });
    }

    [Test]
    public void Choose_UnknownValue_FallsBackToManagedNamingTheValue()
    {
        var selection = LinearAlgebraBackend.Choose("cuda");

        Assert.Multiple(() =>
        {
            Assert.That(selection.Provider, Is.EqualTo(LinearAlgebraProvider.Managed));
            Assert.That(selection.Description, Does.Contain("RESERVOIR_BLAS=cuda"));
        });
    }

    [TestCase("openblas", LinearAlgebraProvider.OpenBlas, "libopenblas")]
    [TestCase("mkl", LinearAlgebraProvider.Mkl, "libmkl_rt")]
    [TestCase("system", LinearAlgebraProvider.System, "libblas")]
    public void Choose_NamedLibrary_LoadsItOrFallsBackToManagedSayingWhy(string setting, LinearAlgebraProvider provider, string file)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("The library names checked here are the Linux ones.");
        }

        var selection = LinearAlgebraBackend.Choose(setting);

        if (selection.Native is null)
        {
            Assert.Multiple(() =>
            {
                Assert.That(selection.Provider, Is.EqualTo(LinearAlgebraProvider.Managed));
                Assert.That(selection.Description, Does.Contain($"RESERVOIR_BLAS={setting}, but").And.Contain(file));
            });
        }
        else
        {
            Assert.Multiple(() =>
            {
                Assert.That(selection.Provider, Is.EqualTo(provider));
                Assert.That(selection.Native.LibraryName, Does.StartWith(file));
            });
        }
    }

    [Test]
    public void FindNative_Unset_PrefersMklThenOpenBlasThenSystem()
    {
        var found = LinearAlgebraBackend.FindNative();

        LinearAlgebraProvider[] order = [LinearAlgebraProvider.Mkl, LinearAlgebraProvider.OpenBlas, LinearAlgebraProvider.System];
        var firstAvailable = order.FirstOrDefault(p => LinearAlgebraBackend.Choose(p.ToString()).Native is not null, LinearAlgebraProvider.Managed);
        Assert.That(found?.Provider ?? LinearAlgebraProvider.Managed, Is.EqualTo(firstAvailable));
    }

    [Test]
    public void Choose_Unset_UsesTheFoundLibraryOnlyIfItsCalibrationIsFaster()
    {
        var found = LinearAlgebraBackend.FindNative();

        var selection = LinearAlgebraBackend.Choose(null);

        if (found is null)
        {
            Assert.That(selection.Calibration, Is.Null);
            Assert.That(selection.Provider, Is.EqualTo(LinearAlgebraProvider.Managed));
            return;
        }

        var calibration = selection.Calibration!;
        Assert.Multiple(() =>
        {
            Assert.That(calibration.ManagedSeconds, Is.GreaterThan(0));
            Assert.That(calibration.NativeSeconds, Is.GreaterThan(0).Or.NaN);
            Assert.That(selection.Provider, Is.EqualTo(calibration.NativeIsFaster ? found.Provider : LinearAlgebraProvider.Managed));
            Assert.That(selection.Description, Does.Contain("calibration"));
            Assert.That(LinearAlgebraBackend.Choose(null), Is.EqualTo(selection), "the calibration is done once per process");
        });
    }

    [Test]
    public void Decide_NativeSlowerInCalibration_SelectsManagedSayingHowToForce()
    {
        var native = NativeOrIgnore();
        var calibration = new GramCalibration(1024, 384, ManagedSeconds: 0.002, NativeSeconds: 0.004, "AVX-512", "Prescott");

        var selection = LinearAlgebraBackend.Decide(native, calibration);

        Assert.Multiple(() =>
        {
            Assert.That(selection.Provider, Is.EqualTo(LinearAlgebraProvider.Managed));
            Assert.That(selection.Native, Is.Null);
            Assert.That(selection.Calibration, Is.SameAs(calibration));
            Assert.That(selection.Description, Does.Contain("2.00 ms").And.Contain("4.00 ms").And.Contain("RESERVOIR_BLAS="));
        });
    }

    [Test]
    public void Decide_NativeFasterInCalibration_SelectsNativeFromTheThreshold()
    {
        var native = NativeOrIgnore();
        var calibration = new GramCalibration(1024, 384, ManagedSeconds: 0.004, NativeSeconds: 0.002, "AVX2", null);

        var selection = LinearAlgebraBackend.Decide(native, calibration);

        Assert.Multiple(() =>
        {
            Assert.That(selection.Provider, Is.EqualTo(native.Provider));
            Assert.That(selection.Native, Is.SameAs(native));
            Assert.That(selection.FoundAutomatically, Is.True);
            Assert.That(selection.Description, Does.Contain("found automatically"));
        });
    }

    [TestCase("Prescott", true)]
    [TestCase("core2", true)]
    [TestCase("Haswell", false)]
    [TestCase("Zen", false)]
    [TestCase("SkylakeX", false)]
    [TestCase("Cooperlake", false)]
    [TestCase(null, false)]
    public void IsOutclassedCore_CoreName_TrueOnlyForPreAvx2Kernels(string? coreName, bool outclassed)
    {
        var expected = outclassed && System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;

        Assert.That(GramCalibration.IsOutclassedCore(coreName), Is.EqualTo(expected));
    }

    [Test]
    public void GramCalibration_Measure_TimesBothBackendsOrSkipsAnOutclassedCore()
    {
        var native = NativeOrIgnore();

        var calibration = GramCalibration.Measure(native, rows: 64, features: 30);

        Assert.Multiple(() =>
        {
            Assert.That(calibration.ManagedSeconds, Is.GreaterThan(0));
            Assert.That(calibration.ManagedInstructionSet, Is.EqualTo(LinearAlgebraBackend.ManagedInstructionSet));
            Assert.That(calibration.NativeCoreName, Is.EqualTo(native.CoreName));
            if (GramCalibration.IsOutclassedCore(native.CoreName))
            {
                Assert.That(calibration.NativeSeconds, Is.NaN);
                Assert.That(calibration.NativeIsFaster, Is.False);
            }
            else
            {
                Assert.That(calibration.NativeSeconds, Is.GreaterThan(0));
            }
        });
    }

    private static NativeBlas NativeOrIgnore()
    {
        var native = LinearAlgebraBackend.FindNative();
        if (native is null)
        {
            Assert.Ignore("No native BLAS (libmkl_rt, libopenblas or libblas.so.3) could be loaded here.");
        }

        return native!;
    }

    [TestCase(1, 1)]
    [TestCase(3, 13)]
    [TestCase(700, 130)]
    public void NativeBlas_SyrkAndGemm_MatchNaiveProducts(int rows, int columns)
    {
        var native = LinearAlgebraBackend.FindNative();
        if (native is null)
        {
            Assert.Ignore("No native BLAS (libmkl_rt, libopenblas or libblas.so.3) could be loaded here.");
        }

        const int Targets = 2;
        const double Sentinel = -3.5;
        var a = ReadoutTestData.Random(rows, columns, seed: 41);
        var b = ReadoutTestData.Random(rows, Targets, seed: 42);
        var syrk = new double[columns * columns];
        var gemm = new double[columns * Targets];
        Array.Fill(syrk, Sentinel);
        Array.Fill(gemm, Sentinel);

        native!.SyrkUpperTransposed(columns, rows, a, syrk);
        native.GemmTransposedA(columns, Targets, rows, a, b, gemm);

        var tolerance = RelativeTolerance * rows;
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var expected = Sentinel;
                if (j >= i)
                {
                    for (var r = 0; r < rows; r++)
                    {
                        expected += a[r * columns + i] * a[r * columns + j];
                    }
                }

                Assert.That(syrk[i * columns + j], Is.EqualTo(expected).Within(tolerance), $"AᵀA[{i}, {j}]");
            }

            for (var t = 0; t < Targets; t++)
            {
                var expected = Sentinel;
                for (var r = 0; r < rows; r++)
                {
                    expected += a[r * columns + i] * b[r * Targets + t];
                }

                Assert.That(gemm[i * Targets + t], Is.EqualTo(expected).Within(tolerance), $"AᵀB[{i}, {t}]");
            }
        }
    }
}
