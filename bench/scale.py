"""Scale run: the offline jobs on an estate of many pairs, as commands on generated files.

Writes a Nornir SimpleInventory of ``--pairs`` pairs (the four platforms in equal shares, each
pair with ``--lags`` dual-homed LAGs and ``--vlans`` VLANs), then times what a user runs on it:

* ``mlagauto check -i INV``                       (load and validate the intent)
* ``mlagauto render -i INV -o CONFIGS``            (every switch's configuration to files)
* ``mlagauto audit -i INV --configs CONFIGS``      (parse both peers, pair rules, drift)

and, in-process, how long the inventory's YAML loader (libyaml, the large file in pieces on every
core) takes to read the two YAML files alone.

each once (these take minutes at 10,000 pairs), with wall time, CPU time of the command and its
workers, peak RSS of the largest process, and the per-pair cost. The figures of ``docs/scale.md``
come from ``python bench/scale.py --pairs 10000``; ``--pairs 100`` is a smoke run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import workload  # noqa: E402
from bench.clirun import run_cli  # noqa: E402
from mlagauto.inventory import collector_paused  # noqa: E402
from mlagauto import inventory_yaml  # noqa: E402
from mlagauto.model.intent import PLATFORMS  # noqa: E402


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """Run one mlagauto command: (wall s, CPU s of it and its workers, peak RSS MB of its largest
    process, exit code). The CPU time is the growth of ``RUSAGE_CHILDREN`` over the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_cli(args, ROOT, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return run.wall, cpu, max(run.main_mb, run.worker_mb), run.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=10000, help="pairs in all, split over the four platforms (default 10000)")
    parser.add_argument("--lags", type=int, default=24, help="dual-homed LAGs per pair (default 24)")
    parser.add_argument("--vlans", type=int, default=100, help="VLANs per pair (default 100)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--keep", type=Path, default=None, help="write the inventory and configs here and keep them")
    opts = parser.parse_args()
    share = {p: opts.pairs // len(PLATFORMS) + (1 if k < opts.pairs % len(PLATFORMS) else 0) for k, p in enumerate(PLATFORMS)}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    jobs = ["-j", str(opts.jobs)] if opts.jobs else []
    with tempfile.TemporaryDirectory() as tmp:
        base = opts.keep or Path(tmp)
        inv, configs, report = base / "inv", base / "configs", base / "audit.json"
        t0 = time.perf_counter()
        workload.write_inventory(inv, share, lags=opts.lags, vlans=opts.vlans)
        written = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in inv.iterdir()) / 1e6
        rows = []
        for name, args in (
            ("check -i INV -f json", ["check", "-i", str(inv), "-f", "json"]),
            ("render -i INV -o CONFIGS", ["render", "-i", str(inv), "-o", str(configs), *jobs]),
            ("audit -i INV --configs CONFIGS -f json -o FILE", ["audit", "-i", str(inv), "--configs", str(configs), "-f", "json", "-o", str(report), *jobs]),
        ):
            wall, cpu, rss, code = _run(args, env)
            rows.append((name, wall, cpu, rss, code))
        t0 = time.perf_counter()  # after the commands: what it allocates stays in this process
        with collector_paused():  # as load_fabric reads them
            for f in ("hosts.yaml", "groups.yaml"):
                inventory_yaml.load((inv / f).read_bytes().decode("utf-8"), opts.jobs)
        yaml_s = time.perf_counter() - t0
        files = list(configs.iterdir())
        lines = sum(f.read_text().count("\n") for f in files) / len(files)
        disk = sum(f.stat().st_size for f in files) / 1e6
    print(f"# scale run: {opts.pairs} pairs ({', '.join(f'{n} {p}' for p, n in share.items())}), {opts.lags} LAGs and {opts.vlans} VLANs per pair, {os.cpu_count()} cores")
    print(f"inventory: {size:.0f} MB of YAML (written in {written:.0f} s); configs: {len(files)} files, {lines:.0f} lines each on average, {disk:.0f} MB")
    print(f"{'command':<48} {'wall s':>8} {'cpu s':>8} {'cpu/wall':>8} {'peak MB':>8} {'ms/pair':>8} {'exit':>4}")
    for name, wall, cpu, rss, code in rows:
        print(f"mlagauto {name:<39} {wall:8.1f} {cpu:8.1f} {cpu / wall:8.2f} {rss:8.0f} {wall / opts.pairs * 1000:8.2f} {code:>4}")
    print(f"of which reading the YAML alone (the inventory's reader, in-process): {yaml_s:.1f} s, {yaml_s / opts.pairs * 1000:.2f} ms/pair")
    print("(peak MB: the largest single process, the command or one of its workers)")


if __name__ == "__main__":
    main()
