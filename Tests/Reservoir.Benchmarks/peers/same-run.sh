#!/usr/bin/env bash
# Runs our quick benchmark and ReservoirPy on the same workloads in one go, and prints both JSON objects and
# the ratios as one JSON object.
#
# Usage, from the repository root:
#   Tests/Reservoir.Benchmarks/peers/same-run.sh [--peer-first] [RESERVOIRPY_PATH]
# RESERVOIRPY_PATH is the folder that holds the `reservoirpy` package (it is put on PYTHONPATH); it may also be
# given as the environment variable RESERVOIRPY_PATH. Without either, the `reservoirpy` already importable by
# the Python interpreter is used. PYTHON chooses the interpreter (default: python3); it needs numpy and scipy.
# --peer-first runs ReservoirPy before ours (to alternate the order between runs on a shared machine).
set -euo pipefail

order="ours-first"
if [[ "${1:-}" == "--peer-first" ]]; then
  order="peer-first"
  shift
fi
peer_path="${1:-${RESERVOIRPY_PATH:-}}"
python="${PYTHON:-python3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run_ours() {
  echo "ours: dotnet run -c Release --project Tests/Reservoir.Benchmarks -- quick" >&2
  (cd "$root" && dotnet run -c Release --project Tests/Reservoir.Benchmarks -- quick) > "$work/ours.txt"
  grep '^{' "$work/ours.txt" | tail -n 1 > "$work/ours.json"
}

run_peer() {
  echo "ReservoirPy: $python $here/reservoirpy_quick.py (PYTHONPATH=${peer_path:-unchanged})" >&2
  if [[ -n "$peer_path" ]]; then
    PYTHONPATH="$peer_path${PYTHONPATH:+:$PYTHONPATH}" "$python" "$here/reservoirpy_quick.py" > "$work/peer.json"
  else
    "$python" "$here/reservoirpy_quick.py" > "$work/peer.json"
  fi
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)"
if [[ "$order" == "ours-first" ]]; then
  run_ours
  run_peer
else
  run_peer
  run_ours
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)"

"$python" - "$work/ours.json" "$work/peer.json" "$order" "$load_before" "$load_after" <<'EOF'
import json
import sys

ours = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))
order, load_before, load_after = sys.argv[3:6]

# Goals: steps/s at least this many times ReservoirPy's; the readout fit at N = 2000 at most a third of
# ReservoirPy's time; the Mackey-Glass job at most 0.2 s.
step_goals = {"100": 10, "500": 5, "1000": 4, "2000": 3}


def ratio(a, b):
    return round(a / b, 2) if a and b else None


steps = {}
for n, goal in step_goals.items():
    ours_rate = ours["steps_per_s"].get(n)
    run_ratio = ratio(ours_rate, peer["steps_per_s"].get(n))
    call_ratio = ratio(ours_rate, peer["steps_per_s_call"].get(n))
    steps[n] = {
        "ours": ours_rate,
        "reservoirpy_run": peer["steps_per_s"].get(n),
        "reservoirpy_call": peer["steps_per_s_call"].get(n),
        "ratio_to_run": run_ratio,
        "ratio_to_call": call_ratio,
        "goal": goal,
        "met_against_run": run_ratio is not None and run_ratio >= goal,
    }

fit = {}
for n, ours_seconds in ours["fit_seconds"].items():
    fit[n] = {
        "ours": ours_seconds,
        "reservoirpy": peer["fit_seconds"].get(n),
        "ratio": ratio(peer["fit_seconds"].get(n), ours_seconds),
    }
fit["2000"]["goal"] = 3
fit["2000"]["met"] = fit["2000"]["ratio"] is not None and fit["2000"]["ratio"] >= 3

mg = {
    "ours": ours["mg_job_seconds"],
    "reservoirpy": peer["mg_job_seconds"],
    "ratio": ratio(peer["mg_job_seconds"], ours["mg_job_seconds"]),
    "goal_seconds": 0.2,
    "met": ours["mg_job_seconds"] <= 0.2,
}

print(json.dumps({
    "order": order,
    "load_average_before": load_before,
    "load_average_after": load_after,
    "ratios": {"steps_per_s": steps, "fit_seconds": fit, "mg_job_seconds": mg},
    "ours": ours,
    "reservoirpy": peer,
}, indent=1))
EOF
