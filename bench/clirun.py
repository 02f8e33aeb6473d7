"""Run an mlagauto command as a user does, in its own process, with its peak memory.

The benchmarks build their workloads in their own process (gigabytes at 10,000 pairs), so the
command's peak cannot be read from ``getrusage`` in the benchmark: Linux keeps a process's peak
RSS across ``exec``, and a child forked from the benchmark starts with the benchmark's peak. The
command therefore reports its own figures as it exits: its VmHWM (reset by ``exec``) and the
largest of its waited-for workers.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def peak_rss_mb() -> tuple[float, float]:
    """This process's peak RSS (its ``VmHWM``, which ``exec`` resets, unlike ``getrusage``'s) and
    that of its largest waited-for child, in MB."""
    hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
    return int(hwm.split()[1]) / 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


_CLI_WITH_PEAK_RSS = """
import atexit, sys
from bench.clirun import peak_rss_mb
from mlagauto.cli import main
atexit.register(lambda: sys.stderr.write("\\nPEAK_RSS_MB %r %r\\n" % peak_rss_mb()))
main()
"""
"""The CLI, reporting its peaks as it exits (the callers put the project's root on PYTHONPATH, so ``bench`` imports)."""


@dataclass
class CliRun:
    wall: float
    returncode: int
    main_mb: float
    """Peak RSS of the command's own process."""
    worker_mb: float
    """Peak RSS of its largest worker process (counting the pages it shares with the main
    process since the fork), 0 without workers."""


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> CliRun:
    """``mlagauto ARGS``; raises SystemExit for an exit code other than 0 or 1 (findings)."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CLI_WITH_PEAK_RSS, *args], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise SystemExit(f"mlagauto {' '.join(args)} failed ({done.returncode}): {done.stderr[-800:]}")
    main_mb, worker_mb = done.stderr.rsplit("PEAK_RSS_MB", 1)[1].split()
    return CliRun(wall, done.returncode, float(main_mb), float(worker_mb))
