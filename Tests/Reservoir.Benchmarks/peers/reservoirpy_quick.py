#!/usr/bin/env python3
"""ReservoirPy on the workloads of our quick benchmark, printed as one JSON object.

It measures the same workloads, with the same sizes, as
`dotnet run -c Release --project Tests/Reservoir.Benchmarks -- quick`
(keys `steps_per_s`, `fit_seconds`, `mg_job_seconds`), so that the two can be compared in the same run:

- steps/s of one sequence for N = 100, 500, 1000, 2000 (leak rate 0.3, spectral radius 1.25, recurrent
  connectivity 0.1, input connectivity 0.2, one input; max(2000, 4e6 / N) steps of a seeded input in [-1, 1]),
  timed two ways: the whole sequence through `reservoir.run(X)` (key `steps_per_s`) and one
  `reservoir(x)` call per step (key `steps_per_s_call`);
- the ridge readout fit from 9 900 given states of N = 100, 500, 1000, 2000 features and one target
  (`Ridge.fit`: XᵀX and the solve, as ReservoirPy does it; key `fit_seconds`);
- the whole Mackey-Glass one-step job: build a 500-unit reservoir, run 10⁴ steps, fit the ridge readout on
  7 900 states (washout 100), predict 2 000 steps (key `mg_job_seconds`; the series is generated outside the
  timing, as in ours).

Timing follows ours: a warm-up run, then the best of five timed runs (the readout fit: the best of three after
one warm-up). ReservoirPy's progress bars are switched off (`verbosity(0)`), so they are not timed.

Run it with the ReservoirPy you want to measure on the import path, for example
    PYTHONPATH=/path/to/reservoirpy python3 Tests/Reservoir.Benchmarks/peers/reservoirpy_quick.py
or through `Tests/Reservoir.Benchmarks/peers/same-run.sh`, which also runs ours and prints the ratios.
Needs numpy and scipy (and what ReservoirPy itself imports: tqdm, joblib, dill).
"""
import ctypes
import datetime
import json
import os
import platform
import re
import sys
import time

import numpy as np

import reservoirpy
from reservoirpy.datasets import mackey_glass
from reservoirpy.nodes import Reservoir, Ridge

UNIT_COUNTS = (100, 500, 1000, 2000)
FIT_STATES = 9_900
MG_STEPS = 10_000
MG_TRAIN_STEPS = 8_000
MG_WASHOUT = 100


def load_average():
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return None


def blas_core():
    """The OpenBLAS core numpy runs on (Linux: from the loaded libopenblas), else None."""
    try:
        with open("/proc/self/maps", encoding="ascii", errors="replace") as f:
            libraries = sorted(set(re.findall(r"\S*openblas\S*\.so\S*", f.read())))
    except OSError:
        return None
    for path in libraries:
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_corename.restype = ctypes.c_char_p
            library.openblas_get_config.restype = ctypes.c_char_p
            return {
                "library": os.path.basename(path),
                "core": library.openblas_get_corename().decode(),
                "config": library.openblas_get_config().decode(),
                "threads": library.openblas_get_num_threads(),
            }
        except (OSError, AttributeError):
            continue
    return None


def create_reservoir(units, seed=42):
    return Reservoir(
        units,
        lr=0.3,
        sr=1.25,
        rc_connectivity=0.1,
        input_connectivity=0.2,
        seed=seed,
    )


def seeded_inputs(steps, seed=7):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=(steps, 1))


def best_rate(steps, action, repeats=5):
    action()  # warm-up
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        best = max(best, steps / (time.perf_counter() - start))
    return best


def measure_steps(units):
    steps = max(2000, 4_000_000 // units)
    inputs = seeded_inputs(steps)
    reservoir = create_reservoir(units)
    reservoir.initialize(inputs[:1])

    def run_sequence():
        reservoir.run(inputs)

    def call_each_step():
        for t in range(steps):
            reservoir(inputs[t])

    return best_rate(steps, run_sequence), best_rate(steps, call_each_step)


def measure_fit(units, repeats=3):
    rng = np.random.default_rng(5)
    states = np.tanh(2.0 * rng.random((FIT_STATES, units)) - 1.0)
    targets = rng.random((FIT_STATES, 1))
    best = float("inf")
    for repeat in range(repeats + 1):
        readout = Ridge(ridge=1e-6)
        start = time.perf_counter()
        readout.fit(states, targets)
        elapsed = time.perf_counter() - start
        if repeat > 0:
            best = min(best, elapsed)
    return best


def mackey_glass_series():
    series = mackey_glass(MG_STEPS, tau=17)
    return 2.0 * (series - series.min()) / (series.max() - series.min()) - 1.0


def mackey_glass_job(series, seed=42):
    reservoir = Reservoir(
        500,
        lr=0.3,
        sr=1.25,
        input_scaling=1.0,
        bias_scaling=1.0,
        rc_connectivity=0.1,
        input_connectivity=0.2,
        seed=seed,
    )
    readout = Ridge(ridge=1e-6)
    train_states = reservoir.run(series[: MG_TRAIN_STEPS - 1])
    readout.fit(train_states, series[1:MG_TRAIN_STEPS], warmup=MG_WASHOUT)
    prediction = readout.run(reservoir.run(series[MG_TRAIN_STEPS - 1 : -1]))
    truth = series[MG_TRAIN_STEPS:]
    return float(np.sqrt(np.mean((truth - prediction) ** 2)) / np.std(truth))


def measure_mg_job(repeats=5):
    series = mackey_glass_series()
    mackey_glass_job(series)  # warm-up
    best, nrmse = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        nrmse = mackey_glass_job(series)
        best = min(best, time.perf_counter() - start)
    return best, nrmse


def main():
    reservoirpy.verbosity(0)
    total = time.perf_counter()
    load_before = load_average()
    steps_run, steps_call, fit_seconds = {}, {}, {}
    for units in UNIT_COUNTS:
        rate_run, rate_call = measure_steps(units)
        steps_run[str(units)] = round(rate_run)
        steps_call[str(units)] = round(rate_call)
        fit_seconds[str(units)] = round(measure_fit(units), 4)
    mg_seconds, mg_nrmse = measure_mg_job()
    report = {
        "steps_per_s": steps_run,
        "steps_per_s_call": steps_call,
        "fit_seconds": fit_seconds,
        "mg_job_seconds": round(mg_seconds, 4),
        "mg_job_nrmse": mg_nrmse,
        "reservoirpy_version": getattr(reservoirpy, "__version__", None),
        "numpy_version": np.__version__,
        "blas": blas_core(),
        "python": platform.python_version(),
        "processor_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "peer_run_seconds": round(time.perf_counter() - total, 1),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
