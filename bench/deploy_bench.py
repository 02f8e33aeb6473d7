"""Deploy benchmark: wall time to deploy 50 simulated pairs against one pair.

The lab runs in its own process (``python -m mlagauto.lab serve``), as switches would be separate
from the controller; both runs start from factory-fresh switches. Goal: 50 pairs within 1.2x the
time of the slowest single pair, with the client's CPU under 50% of the wall time. The CPU
figures count the deploy call alone, for the client and for the lab, so what the machine's cores
spend is in view. Run: ``python bench/deploy_bench.py [--pairs 50] [--workers 50]``.

``--journal-cost N`` measures what the crash-safety costs instead: N runs of the 50-pair deploy
each with the journal and pair locks as shipped and with both replaced by no-ops (the backups then
written without fsync), alternated so the machine's drift hits both alike; medians and their
ratio. Goal: the journal costs at most 5% of a 50-pair deploy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lab_bench import free_ports  # noqa: E402
import mlagauto.deploy as deploy_module  # noqa: E402
from mlagauto.deploy import DeployOptions, deploy_fabric  # noqa: E402
from mlagauto.inventory import load_fabric  # noqa: E402
from mlagauto.nornir import init_nornir  # noqa: E402


def write_inventory(directory: Path, pairs: int) -> None:
    """``pairs`` copies of the example's four pairs (round robin over the platforms)."""
    example_groups = yaml.safe_load((ROOT / "inventories" / "example" / "groups.yaml").read_text())
    lab_hosts = yaml.safe_load((ROOT / "inventories" / "lab" / "hosts.yaml").read_text())
    templates = list(example_groups)
    ports = iter(free_ports(pairs * 4))
    groups, hosts = {}, {}
    for k in range(pairs):
        template = templates[k % len(templates)]
        group = f"{template}_{k}"
        data = json.loads(json.dumps(example_groups[template]))
        for itf in data["data"]["mlag"]["mlag_interfaces"]:
            for key in ("port_channel", "members"):
                if isinstance(itf[key], dict):
                    itf[key] = {f"{name}-{k}": value for name, value in itf[key].items()}
        groups[group] = data
        members = [n for n, h in lab_hosts.items() if template in h["groups"]]
        for name in members:
            host = json.loads(json.dumps(lab_hosts[name]))
            host["groups"] = [group]
            host["port"] = next(ports)
            if "lab" in host["data"]:
                http = next(ports)
                host["data"]["lab"]["http_port"] = http
                host["connection_options"]["napalm"]["extras"]["optional_args"]["port"] = http
            hosts[f"{name}-{k}"] = host
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "groups.yaml").write_text(yaml.safe_dump(groups))
    (directory / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    shutil.copy(ROOT / "inventories" / "lab" / "defaults.yaml", directory / "defaults.yaml")


def timed_deploy(inventory: Path, workers: int, limit: list[str] | None) -> tuple[float, list[str], dict[str, float]]:
    """Deploy on a fresh lab: the wall time of ``deploy_fabric``, each pair's status, and the CPU
    seconds the client (this process) and the lab spent during that call alone (the inventory
    load and Nornir's set-up before it are not counted)."""
    state = inventory / "state.json"
    lab = subprocess.Popen([sys.executable, "-m", "mlagauto.lab", "serve", "-i", str(inventory), "--state", str(state)], cwd=ROOT)
    try:
        while not state.exists():
            if lab.poll() is not None:
                raise SystemExit("the lab did not start")
            time.sleep(0.1)
        fabric = load_fabric(inventory)
        nr = init_nornir(inventory, workers=workers)
        cpu0, lab0 = _own_cpu(), _cpu_of(lab.pid)
        t0 = time.perf_counter()
        outcomes = deploy_fabric(nr, fabric, DeployOptions(backup_root=inventory / "backups", workers=workers), limit)
        elapsed = time.perf_counter() - t0
        cpu = {"client": _own_cpu() - cpu0, "lab": _cpu_of(lab.pid) - lab0}
        nr.close_connections()
        return elapsed, [o.status for o in outcomes], cpu
    finally:
        lab.send_signal(signal.SIGTERM)
        lab.wait(30)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _NoJournal:
    """The journal's interface, doing nothing: what a deploy costs without its crash-safety."""

    def __init__(self, _directory: Path, run: str):
        self.run = run

    def record(self, *_args: object, **_fields: object) -> None:
        pass

    @contextmanager
    def step(self, *_args: object, **_fields: object) -> Iterator[None]:
        yield

    def close(self) -> None:
        pass


class _NoLock:
    def __init__(self, *_args: object):
        pass

    def acquire(self) -> None:
        pass

    def release(self) -> None:
        pass


@contextmanager
def journal_off() -> Iterator[None]:
    saved = deploy_module.Journal, deploy_module.PairLock, deploy_module.write_durably
    deploy_module.Journal, deploy_module.PairLock = _NoJournal, _NoLock  # type: ignore[assignment,misc]
    deploy_module.write_durably = lambda path, text: path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        deploy_module.Journal, deploy_module.PairLock, deploy_module.write_durably = saved


def journal_cost(pairs: int, workers: int, repeat: int) -> None:
    """Alternate journaled and unjournaled 50-pair deploys on fresh labs; print the medians."""
    times: dict[bool, list[float]] = {True: [], False: []}
    for k in range(repeat):
        for journaled in (k % 2 == 0, k % 2 == 1):
            with tempfile.TemporaryDirectory() as tmp:
                inv = Path(tmp) / "inv"
                write_inventory(inv, pairs)
                with nullcontext() if journaled else journal_off():
                    t, statuses, _ = timed_deploy(inv, workers, None)
            if statuses.count("ok") != pairs:
                raise SystemExit(f"a run did not deploy every pair: {statuses}")
            times[journaled].append(t)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print("runs (s), journaled:", " ".join(f"{t:.2f}" for t in times[True]), "| without:", " ".join(f"{t:.2f}" for t in times[False]))
    print(f"{pairs} pairs, median of {repeat}: journaled {on:.2f} s, without journal and locks {off:.2f} s; the journal costs {100 * (on / off - 1):+.1f}% (goal <= 5%)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=50)
    ap.add_argument("--workers", type=int, default=50)
    ap.add_argument("--journal-cost", type=int, metavar="N", default=0, help="measure the journal's cost over N runs of each kind")
    opts = ap.parse_args()
    if opts.journal_cost:
        journal_cost(opts.pairs, opts.workers, opts.journal_cost)
        return
    with tempfile.TemporaryDirectory() as tmp:
        inv = Path(tmp) / "inv"
        write_inventory(inv, opts.pairs)
        fabric = load_fabric(inv)
        firsts = {}
        for d in fabric.domains:
            firsts.setdefault(d.platform, d.name)
        single = []
        for name in firsts.values():  # one pair of each platform
            t, status, _ = timed_deploy(inv, opts.workers, [name])
            single.append((name, t, status))
        t_all, statuses, cpu = timed_deploy(inv, opts.workers, None)
    slowest = max(t for _, t, _ in single)
    for name, t, status in single:
        print(f"one pair {name:<22} {t:6.2f} s  {status}")
    ok = sum(s == "ok" for s in statuses)
    print(f"{opts.pairs} pairs ({opts.workers} workers): {t_all:.2f} s, {ok}/{len(statuses)} ok; ratio to the slowest single pair {t_all / slowest:.2f}x (goal <= 1.2x)")
    print(
        f"CPU during the {opts.pairs}-pair deploy: client {cpu['client']:.2f} s ({100 * cpu['client'] / t_all:.0f}% of wall), "
        f"lab {cpu['lab']:.2f} s, of {t_all:.2f} s wall on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
