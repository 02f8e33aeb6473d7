"""mlagauto benchmarks, one command: ``python bench/run.py`` (``--quick`` for a smoke run,
``--only render,pyavd`` for some sections). Every table shows medians over repeated runs.

* parse   a generated running config per platform (the render of a large pair, ~5k and ~20k
          lines) parsed into a PeerConfig, against a plain-Python tree of the same text.
          Goal: within 2x.
* render  fabrics of N = 10, 100, 1000 pairs (48 dual-homed LAGs, 500 VLANs each) per platform:
          time per device, growth with N (goal: linear) and the speed-up from 1 to 2 processes.
* pyavd   one EOS MLAG leaf pair, the same intent given to pyavd (validate_inputs ->
          get_avd_facts -> get_device_structured_config -> get_device_config) and to mlagauto;
          both outputs are parsed by mlagauto and their PeerConfigs compared. Goal: 30x.
* audit   1,000 pairs (250 per platform) of ~5k-line running configs on disk, audited as
          ``mlagauto audit -i INV --configs DIR`` does (parse, pair rules, drift against the
          intent) on 1 and 2 processes. Goal: under 20 s.
* startup ``mlagauto --help``, ``render`` and ``audit`` run as commands: wall time, import time
          (``python -X importtime``) and whether the transport libraries were imported.
          Goal: ``--help`` under 0.3 s.
* memory  peak RSS of the 1,000-pair render and audit (main process and largest worker).
* cli     what a user waits for: ``mlagauto render -i INV -o DIR``, ``check -i INV`` and
          ``audit -i INV --configs DIR`` as commands on a generated 1,000-pair SimpleInventory of
          real YAML files (48 LAGs, 500 VLANs per pair), YAML loading included; and the share of
          it that is reading the inventory. Goal: render under 2 s.

pyavd is optional (``pip install -e '.[bench]'``); without it that section says so and the
others run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workload  # noqa: E402
from clirun import peak_rss_mb, run_cli  # noqa: E402
from workload import PLATFORMS  # noqa: E402

from mlagauto.audit import audit_fabric  # noqa: E402
from mlagauto.drivers import get_driver  # noqa: E402
from mlagauto.model import MlagDomain  # noqa: E402
from mlagauto.model.intent import Fabric  # noqa: E402
from mlagauto.render import available_cores, render_fabric, write_configs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("parse", "render", "pyavd", "audit", "startup", "memory", "cli")
TRANSPORT = ("napalm", "netmiko", "paramiko", "ncclient", "pyeapi")


class Sizes:
    """What a full run measures, and the smaller ``--quick`` smoke run."""

    def __init__(self, quick: bool):
        self.quick = quick
        self.parse_lines = (500, 2000) if quick else (5000, 20000)
        self.render_pairs = (2, 10) if quick else (10, 100, 1000)
        self.audit_pairs = 10 if quick else 250  # per platform
        self.audit_lines = 500 if quick else 5000
        self.repeat = 3 if quick else 5
        self.slow_repeat = 1 if quick else 3  # for the runs that take tens of seconds each


def median_of(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn()`` in seconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    print(f"\n## {title}")
    cells = [header] + [[c if isinstance(c, str) else f"{c:.2f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for k, r in enumerate(cells):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            print("  ".join("-" * w for w in widths))


# --- parse -----------------------------------------------------------------------------------------
def bench_parse(s: Sizes) -> None:
    rows = []
    for lines in s.parse_lines:
        for platform in PLATFORMS:
            text, _ = workload.sized_pair(platform, lines)
            driver, base = get_driver(platform), workload.baseline_for(platform)
            ours = median_of(lambda: driver.parse_config(text), s.repeat * 4)
            floor = median_of(lambda: base(text), s.repeat * 4)
            rows.append([platform, text.count("\n"), ours * 1000, floor * 1000, ours / floor])
    table("parse: running config -> PeerConfig, against a plain-Python tree (goal: ratio <= 1.5)", ["platform", "lines", "mlagauto ms", "tree ms", "ratio"], rows)


# --- render ----------------------------------------------------------------------------------------
def bench_render(s: Sizes) -> None:
    rows, speedups = [], []
    for platform in PLATFORMS:
        first = None
        for pairs in s.render_pairs:
            fab = workload.fabric({platform: pairs})
            render_fabric(fab, jobs=1)  # templates compiled once, as in any run after the first host
            repeat = s.repeat if pairs < 1000 else s.slow_repeat
            one = median_of(lambda: render_fabric(fab, jobs=1), repeat)
            per_device = one / (2 * pairs) * 1000
            first = first or per_device
            rows.append([platform, pairs, 2 * pairs, one, per_device, per_device / first])
        two = median_of(lambda: render_fabric(fab, jobs=2), repeat)  # the largest fabric, still in fab
        speedups.append([platform, pairs, one, two, one / two])
    table("render: time per device by fabric size, 1 process (goal: growth ~1.0 = linear)", ["platform", "pairs", "devices", "total s", "ms/device", "growth"], rows)
    table("render: 1 -> 2 processes, largest fabric", ["platform", "pairs", "1 proc s", "2 proc s", "speed-up"], speedups)


# --- pyavd -----------------------------------------------------------------------------------------
def _pyavd_pipeline(inputs: dict[str, dict[str, Any]]) -> tuple[dict[str, str], dict[str, Any]]:
    from pyavd import get_avd_facts, get_device_config, get_device_structured_config, validate_inputs

    validated = {}
    for host, data in inputs.items():
        result = validate_inputs(data)
        if result.validated_data is None or result.validation_result.violations:
            raise SystemExit(f"pyavd rejected the inputs of {host}: {[(v.path, v.message) for v in result.validation_result.violations][:5]}")
        validated[host] = result.validated_data
    facts = get_avd_facts(validated)
    structured = {h: get_device_structured_config(h, validated[h], facts) for h in inputs}
    return {h: get_device_config(structured[h]) for h in inputs}, structured


def bench_pyavd(s: Sizes) -> None:
    try:
        from pyavd import get_device_config
    except ImportError:
        print("\n## pyavd: skipped, pyavd is not installed (pip install -e '.[bench]')")
        return
    data, inputs = workload.eos_leaf_pair(), workload.avd_inputs()
    driver = get_driver("arista_eos")
    domain = MlagDomain.model_validate(data)
    ours = {h: driver.render(domain, h) for h in workload.HOSTS}

    def mlagauto_end_to_end() -> None:
        d = MlagDomain.model_validate(data)
        for h in workload.HOSTS:
            driver.render(d, h)

    # mlagauto first: once pyavd has loaded its schemas, every garbage collection walks them too
    devices = len(workload.HOSTS)
    our_e2e = median_of(mlagauto_end_to_end, s.repeat * 10) / devices
    our_render = median_of(lambda: [driver.render(domain, h) for h in workload.HOSTS], s.repeat * 10) / devices
    theirs, structured = _pyavd_pipeline(inputs)  # first run: pyavd loads its schemas and templates
    e2e = median_of(lambda: _pyavd_pipeline(inputs), s.repeat) / devices
    renderer = median_of(lambda: [get_device_config(structured[h]) for h in workload.HOSTS], s.repeat) / devices
    table(
        f"pyavd vs mlagauto: EOS MLAG leaf pair, {workload.LAGS} LAGs, {workload.VLANS} VLANs, per device (goal: >= 100x end to end)",
        ["pipeline", "ms/device", "pyavd / mlagauto"],
        [
            ["pyavd end to end (validate, facts, structured config, config)", e2e * 1000, "-"],
            ["pyavd renderer alone (get_device_config)", renderer * 1000, "-"],
            ["mlagauto end to end (validate intent, render)", our_e2e * 1000, f"{e2e / our_e2e:.0f}x"],
            ["mlagauto render alone", our_render * 1000, f"{renderer / our_render:.0f}x vs renderer"],
        ],
    )
    print("\nsame MLAG surface? both outputs parsed by mlagauto's EOS parser:")
    for h in workload.HOSTS:
        mine, avd = driver.parse_config(ours[h], hostname=h), driver.parse_config(theirs[h], hostname=h)
        diff = {k: (v, avd.model_dump()[k]) for k, v in mine.model_dump().items() if v != avd.model_dump()[k]}
        lines = (ours[h].count("\n"), theirs[h].count("\n"))
        verdict = "identical PeerConfig" if not diff else f"{len(diff)} fields differ: " + "; ".join(f"{k}: mlagauto {a!r} / pyavd {b!r}"[:300] for k, (a, b) in diff.items())
        print(f"  {h}: {verdict} ({len(mine.mlag_interfaces)} MLAG interfaces, {len(mine.vlans)} VLANs; {lines[0]} lines mlagauto, {lines[1]} lines pyavd)")


# --- audit -----------------------------------------------------------------------------------------
def audit_fabric_of(s: Sizes) -> Fabric:
    """The audited inventory: ``s.audit_pairs`` pairs per platform of ~``s.audit_lines`` lines."""
    lags = {p: workload.lags_for_lines(p, s.audit_lines) for p in PLATFORMS}
    return workload.fabric(dict.fromkeys(PLATFORMS, s.audit_pairs), lags_of=lags, vlans={p: workload.vlans_for(n) for p, n in lags.items()})


def bench_audit(s: Sizes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fab = audit_fabric_of(s)
        write_configs(render_fabric(fab), tmp)
        pairs = len(fab.domains)
        lines = statistics.median(p.read_text().count("\n") for p in Path(tmp).iterdir())
        reports = audit_fabric(fab, tmp, jobs=2)
        findings = sum(len(r.findings) for r in reports)
        rows: list[list[Any]] = []
        for jobs in (1, 2):
            total = median_of(lambda: audit_fabric(fab, tmp, jobs=jobs), s.slow_repeat)
            rows.append([jobs, pairs, total, total / pairs * 1000])
    rows[1].append(f"{rows[0][2] / rows[1][2]:.2f}x")
    rows[0].append("-")
    table(
        f"audit: {pairs} pairs of ~{lines:.0f}-line configs from files: parse, pair rules, drift (goal for the CLI: < 7 s on 2 cores); {findings} findings",
        ["processes", "pairs", "total s", "ms/pair", "speed-up"],
        rows,
    )


# --- start-up --------------------------------------------------------------------------------------
def _import_report(stderr: str) -> tuple[float, set[str]]:
    """Total import time in seconds (top-level imports of ``-X importtime``) and every module
    imported."""
    total, modules = 0, set()
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if m:
            modules.add(m.group(4))
            if not m.group(3):
                total += int(m.group(2))
    return total / 1e6, modules


def bench_startup(s: Sizes) -> None:
    """Wall time of each command as an installed copy runs it: the package's bytecode compiled
    first (pip compiles it on install; a checkout run with PYTHONDONTWRITEBYTECODE would compile
    every module on every start), the wall time taken without ``-X importtime`` (which slows
    imports), the import time from a separate run with it."""
    import compileall

    compileall.compile_dir(str(ROOT / "mlagauto"), quiet=1)
    commands = {
        "mlagauto --help": ["--help"],
        "mlagauto render -i inventories/example": ["render", "-i", "inventories/example"],
        "mlagauto audit -i inventories/example --configs golden_configs": ["audit", "-i", "inventories/example", "--configs", "golden_configs"],
    }
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(ROOT)}
    rows = []
    for name, args in commands.items():
        walls: list[float] = []
        imports: list[float] = []
        modules: set[str] = set()
        for _ in range(s.repeat * 4):
            cmd = [sys.executable, "-c", "from mlagauto.cli import main; main()", *args]
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
            walls.append(time.perf_counter() - t0)
            done = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], cwd=ROOT, env=env, capture_output=True, text=True)
            seconds, modules = _import_report(done.stderr)
            imports.append(seconds)
        heavy = sorted({m.split(".")[0] for m in modules} & set(TRANSPORT))
        rows.append([name, f"{statistics.median(walls):.3f}", f"{statistics.median(imports):.3f}", ", ".join(heavy) or "none"])
    table("start-up: wall time and import time of a command (goal: --help < 0.08 s)", ["command", "wall s", "imports s", "transport libraries imported"], rows)


# --- memory ----------------------------------------------------------------------------------------
def _peak_rss(job: str, configs: str | None, s: Sizes) -> None:
    """Run in a child process: build the inventory, run one job on all cores, then print the peak
    RSS of this process and of its largest worker, in MB. The main process reads its own high-water
    mark (``VmHWM``): ``getrusage`` would report the forking parent's, which Linux keeps across exec."""
    if job == "render":
        render_fabric(workload.fabric(dict.fromkeys(PLATFORMS, s.audit_pairs)))
    else:
        audit_fabric(audit_fabric_of(s), configs or "")
    main_mb, worker_mb = peak_rss_mb()
    print(json.dumps({"main": main_mb, "worker": worker_mb}))


def bench_memory(s: Sizes) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        write_configs(render_fabric(audit_fabric_of(s)), tmp)
        for job, label in (("render", f"{workload.LAGS} LAGs, {workload.VLANS} VLANs"), ("audit", f"~{s.audit_lines}-line configs")):
            cmd = [sys.executable, __file__, "--peak-rss", job, tmp] + (["--quick"] if s.quick else [])
            peak = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
            rows.append([f"{job} {s.audit_pairs * len(PLATFORMS)} pairs ({label}), all cores", peak["main"], peak["worker"]])
    table("memory: peak RSS (the inventory built in the process, as the CLI loads it)", ["job", "main MB", "largest worker MB"], rows)
    print("(a worker's RSS counts the pages it shares with the main process since the fork)")


# --- the CLI on a YAML inventory --------------------------------------------------------------------
def bench_cli(s: Sizes) -> None:
    from mlagauto.inventory import load_fabric

    pairs = s.audit_pairs  # per platform: 1,000 pairs in all on a full run
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        inv = workload.write_inventory(Path(tmp) / "inv", dict.fromkeys(PLATFORMS, pairs))
        size = sum(f.stat().st_size for f in inv.iterdir()) / 1e6
        configs = Path(tmp) / "configs"
        commands = {
            "render -i INV -o DIR": ["render", "-i", str(inv), "-o", str(configs)],
            "check -i INV -f json": ["check", "-i", str(inv), "-f", "json"],
            "audit -i INV --configs DIR -f json": ["audit", "-i", str(inv), "--configs", str(configs), "-f", "json"],
        }
        rows = []
        for name, args in commands.items():
            runs = [run_cli(args, ROOT, env) for _ in range(s.slow_repeat)]
            rows.append([f"mlagauto {name}", statistics.median(r.wall for r in runs), max(r.main_mb for r in runs), max(r.worker_mb for r in runs)])
        load = median_of(lambda: load_fabric(inv), s.repeat)
    for row in rows:
        row.insert(2, f"{100 * load / row[1]:.0f}%")
    table(
        f"cli: commands on a {pairs * len(PLATFORMS)}-pair YAML inventory ({size:.1f} MB; {workload.LAGS} LAGs, {workload.VLANS} VLANs per pair), 2 cores (goals: render < 2 s, audit < 7 s)",
        ["command", "wall s", "of it reading the inventory", "peak MB main", "largest worker MB"],
        rows,
    )
    print(f"reading the inventory (load_fabric, in-process): {load:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes and few repeats: a smoke run")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections ({', '.join(SECTIONS)})")
    ap.add_argument("--peak-rss", nargs="+", metavar=("JOB", "CONFIGS"), help=argparse.SUPPRESS)
    opts = ap.parse_args()
    sizes = Sizes(opts.quick)
    if opts.peak_rss:
        _peak_rss(opts.peak_rss[0], opts.peak_rss[1] if len(opts.peak_rss) > 1 else None, sizes)
        return
    chosen = [name.strip() for name in opts.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        ap.error(f"unknown sections {unknown}; choose from {', '.join(SECTIONS)}")
    print(f"# mlagauto benchmarks: {time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, {available_cores()} cores, {'quick' if opts.quick else 'full'} run")
    for name in chosen:
        t0 = time.perf_counter()
        globals()[f"bench_{name}"](sizes)
        print(f"({name}: {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
