"""Run an mlagauto command as a user does, in its own process, with its peak memory.

The benchmarks build their workloads in their own process (gigabytes at 10,000 pairs), so the
command's peak cannot be read from ``getrusage`` in the benchmark: Linux keeps a process's peak
RSS across ``exec``, and a child forked from the benchmark starts with the benchmark's peak. The
command therefore reports its own figures as it exits: its VmHWM (reset by ``exec``) and the
largest of its waited-for workers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_CLI_WITH_PEAK_RSS = """
import atexit, resource, sys
from mlagauto.cli import main
hwm = lambda: next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
worker = lambda: resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
atexit.register(lambda: sys.stderr.write(f"\\nPEAK_RSS_KB {hwm()} {worker()}\\n"))
main()
"""


@dataclass
class CliRun:
    wall: float
    returncode: int
    stderr: str
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
    main_kb, worker_kb = done.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()
    return CliRun(wall, done.returncode, done.stderr, int(main_kb) / 1024, int(worker_kb) / 1024)
