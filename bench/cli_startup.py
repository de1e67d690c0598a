"""Command-line start-up: time of `python -m annotator --help` and of `users list` on a
small SQLite database, against the floor `python -c pass` (the interpreter alone).

Each is a new process, run alternately with the floor (median of N). Two clocks: wall time,
and the CPU time the process used (user + system, from `getrusage`). On a quiet machine the
two agree (start-up is one thread reading files the page cache holds); on a busy one the wall
time of a longer process grows with the other work sharing its cores, the CPU time much less,
so the CPU time is what the target is judged on. Target (issue 19): `--help` and small
commands in ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import machine

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5


def _seconds(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of `python ARGS`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def run(repeats: int = 15) -> dict[str, float]:
    """Median wall seconds of the floor, `--help` and `users list`, and (`*_cpu`) their
    median CPU seconds."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        _seconds("-m", "annotator", "init", "--no-seeds", "--db", url)
        jobs = {
            "floor": ("-c", "pass"),
            "help": ("-m", "annotator", "--help"),
            "users_list": ("-m", "annotator", "users", "list", "--db", url),
        }
        times: dict[str, list[float]] = {}
        for _ in range(repeats):
            for name, args in jobs.items():
                wall, cpu = _seconds(*args)
                times.setdefault(name, []).append(wall)
                times.setdefault(f"{name}_cpu", []).append(cpu)
    return {name: statistics.median(values) for name, values in times.items()}


def render(result: dict[str, float]) -> str:
    """The start-up section of RESULTS.md."""
    lines = [
        "",
        "## Command-line start-up (`bench/cli_startup.py`)",
        "",
        "A new process each time, median of 15, run alternately with the floor "
        "`python -c pass`: CPU time (user + system; judged against the target) and wall time "
        "(which a busy machine stretches).",
        "",
        "| command | floor CPU | job CPU | ratio | floor wall | job wall | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, shown in (("help", "`--help`"), ("users_list", "`users list` (SQLite)")):
        cpu = result[f"{name}_cpu"]
        lines.append(
            f"| {shown} | {result['floor_cpu']:.3f} s | {cpu:.3f} s | "
            f"{cpu / result['floor_cpu']:.1f}× | {result['floor']:.3f} s | "
            f"{result[name]:.3f} s | ≤ {TARGET_SECONDS} s | "
            f"{'yes' if cpu <= TARGET_SECONDS else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """`python -m bench.cli_startup`: print the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.cli_startup")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"{machine()}")
    print(render(run(args.repeats)))


if __name__ == "__main__":
    main()
