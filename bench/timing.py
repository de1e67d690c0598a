"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def best_of(repeats: int, job: Callable[[], object]) -> float:
    """The fastest of `repeats` runs of `job`, in seconds (least disturbed by other load)."""
    return min(_seconds(job) for _ in range(repeats))


def interleaved_medians(
    repeats: int, floor: Callable[[], object], job: Callable[[], object]
) -> tuple[float, float]:
    """Median seconds of `floor` and of `job`, run alternately so that drift in the machine's
    load hits both alike."""
    floors, jobs = [], []
    for _ in range(repeats):
        floors.append(_seconds(floor))
        jobs.append(_seconds(job))
    return statistics.median(floors), statistics.median(jobs)


def _seconds(job: Callable[[], object]) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def machine() -> str:
    """A one-line description of this machine for RESULTS.md."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def peak_rss_mb() -> float:
    """This process's own peak resident memory, in MB (Linux: VmHWM in /proc/self/status).

    Not `ru_maxrss`: Linux carries that across `execve`, so a child started by a large parent
    would report at least the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM line in /proc/self/status")
