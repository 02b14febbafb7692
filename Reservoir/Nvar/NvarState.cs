namespace Reservoir.Nvar;

/// <summary>The running state of one sequence through <see cref="NvarFeatures"/>: the store of its last (k − 1)·s + 1 inputs.</summary>
/// <remarks>
/// A state belongs to the features that created it (<see cref="NvarFeatures.CreateState"/>) and to one sequence: start
/// each new sequence with a new state or <see cref="Reset"/>, so that no input of one sequence reaches the features of
/// the next. A state is not thread-safe; the features that own it are.
/// </remarks>
public sealed class NvarState
{
    private readonly double[] _store;

    internal NvarState(NvarFeatures owner)
    {
        Owner = owner;
        _store = new double[owner.StoredSteps * owner.InputDimension];
    }

    /// <summary>Gets the features this state belongs to.</summary>
    public NvarFeatures Owner { get; }

    /// <summary>Gets the number of inputs taken since the state was created or reset.</summary>
    public long StepCount { get; private set; }

    /// <summary>Gets whether the features are defined: at least (k − 1)·s + 1 inputs have been taken.</summary>
    public bool IsWarmedUp => StepCount > Owner.WarmupSteps;

    /// <summary>Forgets every stored input, as for a new sequence.</summary>
    public void Reset()
    {
        Array.Clear(_store);
        StepCount = 0;
    }

    /// <summary>Returns an independent copy, which continues exactly as this state would.</summary>
    /// <returns>A new state of the same owner.</returns>
    public NvarState Clone()
    {
        var copy = new NvarState(Owner);
        _store.CopyTo(copy._store, 0);
        copy.StepCount = StepCount;
        return copy;
    }

    /// <summary>The store, (k − 1)·s + 1 rows of D, used as a ring: input n sits in row n mod rows.</summary>
    internal double[] Store => _store;

    /// <summary>Stores <paramref name="input"/> as the newest input.</summary>
    internal void Push(ReadOnlySpan<double> input)
    {
        var d = Owner.InputDimension;
        var row = (int)(StepCount % Owner.StoredSteps);
        input.CopyTo(_store.AsSpan(row * d, d));
        StepCount++;
    }

    /// <summary>The input taken <paramref name="lag"/> steps before the newest one.</summary>
    internal ReadOnlySpan<double> Delayed(int lag)
    {
        var d = Owner.InputDimension;
        var row = (int)((StepCount - 1 - lag) % Owner.StoredSteps);
        return _store.AsSpan(row * d, d);
    }

    /// <summary>Restores a saved store and step count; the sizes are checked by the caller.</summary>
    internal void Restore(ReadOnlySpan<double> store, long stepCount)
    {
        store.CopyTo(_store);
        StepCount = stepCount;
    }
}
