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
    public void Automatic_FoundNativeLibrary_UsedForGramOnlyFromTheThreshold()
    {
        LinearAlgebraBackend.TryUse(LinearAlgebraProvider.Automatic);
        if (!LinearAlgebraBackend.IsNative)
        {
            Assert.Ignore("No native BLAS was found automatically here (or RESERVOIR_BLAS forces managed).");
        }

        var small = new GramAccumulator(LinearAlgebraBackend.AutomaticNativeMinimumFeatures - 1, 1);
        var large = new GramAccumulator(LinearAlgebraBackend.AutomaticNativeMinimumFeatures, 1);

        Assert.That(small.UsesNativeBlas, Is.False, "the managed kernel is faster for small Gram matrices");
        Assert.That(large.UsesNativeBlas, Is.True);
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
        var automatic = LinearAlgebraBackend.Choose(null);
        if (automatic.Native is null)
        {
            Assert.Ignore("No native BLAS (libmkl_rt, libopenblas or libblas.so.3) could be loaded here.");
        }

        LinearAlgebraBackend.UseManaged();
        var before = new GramAccumulator(3, 1);

        var switched = LinearAlgebraBackend.TryUse(automatic.Provider);
        var after = new GramAccumulator(3, 1);

        Assert.Multiple(() =>
        {
            Assert.That(switched, Is.True);
            Assert.That(LinearAlgebraBackend.IsNative, Is.True);
            Assert.That(LinearAlgebraBackend.LibraryName, Is.EqualTo(automatic.Native!.LibraryName));
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
    public void Choose_Unset_PrefersMklThenOpenBlasThenSystem()
    {
        var selection = LinearAlgebraBackend.Choose(null);

        LinearAlgebraProvider[] order = [LinearAlgebraProvider.Mkl, LinearAlgebraProvider.OpenBlas, LinearAlgebraProvider.System];
        var firstAvailable = order.FirstOrDefault(p => LinearAlgebraBackend.Choose(p.ToString()).Native is not null, LinearAlgebraProvider.Managed);
        Assert.That(selection.Provider, Is.EqualTo(firstAvailable));
    }

    [TestCase(1, 1)]
    [TestCase(3, 13)]
    [TestCase(700, 130)]
    public void NativeBlas_SyrkAndGemm_MatchNaiveProducts(int rows, int columns)
    {
        var native = LinearAlgebraBackend.Choose(null).Native;
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
