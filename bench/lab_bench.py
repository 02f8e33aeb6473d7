"""Lab start-up benchmark: how long 100 simulated switches (25 pairs per platform) take to start
listening, and how much memory the process holds with them running.

Goals: start in under 5 s, under 500 MB. Run: ``python bench/lab_bench.py [--devices 100]``.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlagauto.lab.device import DeviceSpec  # noqa: E402
from mlagauto.lab.lab import Lab  # noqa: E402

PLATFORMS = ("cisco_nxos", "arista_eos", "juniper_junos", "huawei_vrpv8")


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_ports(n: int) -> list[int]:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def build(devices: int) -> Lab:
    ports = iter(free_ports(devices * 2))
    specs, pairs = [], []
    for k in range(devices // 2):
        platform = PLATFORMS[k % len(PLATFORMS)]
        names = (f"sw{k}a", f"sw{k}b")
        for name in names:
            options = {"http_port": next(ports)} if platform == "arista_eos" else {}
            specs.append(DeviceSpec(name, platform, next(ports), "admin", "admin", options))
        pairs.append(names)
    return Lab(specs, pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--devices", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    opts = ap.parse_args()
    times, mems = [], []
    base = rss_mb()
    for _ in range(opts.repeat):
        t0 = time.perf_counter()
        lab = build(opts.devices).start()
        times.append(time.perf_counter() - t0)
        mems.append(rss_mb())
        lab.stop()
    print(f"{opts.devices} devices: start median {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)}); "
          f"RSS with the lab running {max(mems):.0f} MB (process before: {base:.0f} MB)")


if __name__ == "__main__":
    main()
