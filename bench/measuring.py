"""Timing and peak-memory helpers for bench.reports: interleaved median wall times, and the peak growth
of the resident set in a forked child process.
"""

from __future__ import annotations

import os
import statistics
import time
import traceback
from collections.abc import Callable
from pathlib import Path


def interleaved_medians(
    functions: list[Callable[[], object]], repeat: int, *, warm_up: bool = True
) -> list[float]:
    """Median wall-clock seconds of each function, run in turn `repeat` times (after one warm-up round).

    Taking turns within each round keeps the ratios fair when other work on the machine comes and goes.
    """
    if warm_up:
        for function in functions:
            function()
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeat):
        for index, function in enumerate(functions):
            started = time.perf_counter()
            function()
            times[index].append(time.perf_counter() - started)
    return [statistics.median(series) for series in times]


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"/proc/self/status has no {field}")


def peak_memory(function: Callable[[], object]) -> int:
    """Bytes the resident set grows by at its peak while `function` runs, in a forked child process.

    The child resets its high-water mark (Linux: write 5 to /proc/self/clear_refs), so the peak is its
    own, not one inherited from this process.
    """
    from django.db import connections

    connections.close_all()  # the child opens its own database connection
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.close(reader)
        try:
            Path("/proc/self/clear_refs").write_text("5")
            before = _status_kib("VmRSS")
            function()
            os.write(writer, str((_status_kib("VmHWM") - before) * 1024).encode())
        except BaseException:
            traceback.print_exc()  # os._exit skips the usual report: say why before the parent gives up
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    if not answer:
        raise SystemExit("The memory measurement failed in the child process.")
    return max(int(answer), 0)


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"
