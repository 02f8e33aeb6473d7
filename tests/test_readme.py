"""Every fenced block of README.md runs as written and does what the text around it says.

How each kind of block is checked
---------------------------------
* ``console`` blocks: every ``$ `` line is one command, run with ``bash -c`` exactly as written
  (trailing comment included). The lines after it, up to the next ``$ ``, are its documented
  output and must be exactly what it prints (an ``ls`` listing is compared as a set of names:
  ``ls`` lays its columns out by terminal width). Each command also has an entry below
  (``OFFLINE``, ``LAB_CLI``, ``ON_THE_LAB``: its exit code, and checks of what it writes);
  ``test_every_block_and_command_is_covered`` fails on a README command without one, and on an
  entry the README no longer has, so no example can slip in untested.
* ``python`` blocks: run as a script (``python -``, the block on stdin) from the workspace.
* ``yaml`` blocks: loaded as YAML; the ``# <file>.yaml`` parts are written as an inventory, which
  must load, pass ``mlagauto check`` and render, as the text says.
* ``bash`` blocks (quick start, benchmarks) are checked, not run: the quick start is CI's own job
  (its test command must be exactly the one ``.ci/run`` runs; the demo it runs is
  ``tests/lab/test_demo.py``'s), and the benchmarks install from the network and take minutes,
  so each benchmark line is checked to name a script whose ``--help`` runs and lists the
  options the line uses, and the ``bench`` extra it installs.
* the plain block (Layout): every path it names exists.

The workspace
-------------
Blocks run in a temporary "repository root" holding copies of ``golden_configs/``,
``inventories/example/`` and the test fixtures the text copies, and ``inventories/lab/``: the
shipped lab inventory with every port rewritten to a free one
(``tests.lab.conftest.lab_inventory_copy``). No block's text is changed: the README says
``inventories/lab``, and that relative path is the free-port copy, so a lab someone runs on the
fixed ports 20101-20108, or a parallel test run, never collides, and the README stays exactly
what a user types at the repository root. The venv's ``bin`` is first on ``PATH`` (as after
``. .venv/bin/activate``), ``XDG_STATE_HOME`` points into the workspace (the background lab's
state file), and ``MLAGAUTO_USERNAME`` / ``MLAGAUTO_PASSWORD`` are unset, so the lab's documented
admin / admin defaults apply, as for a new user.

Blocks that need switches either start the lab themselves (the lab section's commands and its
Python block) or run against a lab this test starts in-process on the workspace's inventory
(the Nornir playbook, the audit of ``backups/latest`` and the servers' live validation after a
deploy).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import yaml

from mlagauto.inventory import load_fabric
from mlagauto.lab.lab import Lab
from mlagauto.model.intent import PLATFORMS
from tests.conftest import GOLDEN, ROOT
from tests.lab.conftest import lab_inventory_copy

README = ROOT / "README.md"
BIN = Path(sys.executable).parent
LAB_PAIRS = {"nxos_pair": ("nx-1a", "nx-1b"), "eos_pair": ("eos-1a", "eos-1b"), "junos_pair": ("qfx-1a", "qfx-1b"), "huawei_pair": ("ce-1a", "ce-1b")}
LAB_HOSTS = [h for pair in LAB_PAIRS.values() for h in pair]
LAB_SERVERS = ("server1", "pxe1", "nas1")
"""The lab's simulated servers (the MLAG interfaces' ``host:`` entries, platform ``linux``)."""
COPIED = ("golden_configs", "inventories/example", "tests/fixtures/arista_eos/state/healthy", "tests/fixtures/cisco_nxos/state/healthy-nx-a", "tests/fixtures/cisco_nxos/state/healthy-nx-b", "tests/fixtures/hosts/bonding")
"""What the workspace copies from the repository: the files the README's offline blocks read."""


# --- reading the README ----------------------------------------------------------------------


@dataclass
class Block:
    lang: str
    text: str
    heading: str
    line: int


@dataclass
class Command:
    line: str
    """As written after ``$ ``, comment included: what runs."""
    output: list[str] = field(default_factory=list)
    where: str = ""

    @property
    def key(self) -> str:
        """The command without its trailing ``# comment``: what the tables below are keyed by."""
        return re.sub(r"\s+#\s.*$", "", self.line).strip()


def readme_blocks() -> list[Block]:
    blocks: list[Block] = []
    heading, lang, start, body = "", None, 0, []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if lang is None:
            fence = re.match(r"^```(\w*)\s*$", line)
            if fence:
                lang, start, body = fence.group(1), number, []
            elif line.startswith("#"):
                heading = line.lstrip("#").strip()
        elif line.strip() == "```":
            blocks.append(Block(lang, "\n".join(body) + "\n", heading, start))
            lang = None
        else:
            body.append(line)
    assert lang is None, f"README.md:{start}: fence never closed"
    return blocks


def console_commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    for offset, line in enumerate(block.text.splitlines(), 1):
        if line.startswith("$ "):
            commands.append(Command(line[2:], where=f"README.md:{block.line + offset}"))
        else:
            assert commands, f"README.md:{block.line + offset}: output before any command: {line!r}"
            commands[-1].output.append(line)
    return commands


def all_commands() -> list[Command]:
    return [c for b in readme_blocks() if b.lang == "console" for c in console_commands(b)]


def command(key: str) -> Command:
    found = [c for c in all_commands() if c.key == key]
    assert len(found) == 1, f"README has {len(found)} commands {key!r}"
    return found[0]


def extra(name: str) -> list[str]:
    """The requirements of the installed distribution's extra ``name`` (works on Python 3.10,
    which has no tomllib)."""
    from importlib.metadata import requires

    marker = re.compile(rf";\s*extra\s*==\s*['\"]{name}['\"]")
    return [r.split(";")[0].strip() for r in requires("mlagauto") or [] if marker.search(r)]


def block(lang: str, heading: str) -> Block:
    found = [b for b in readme_blocks() if b.lang == lang and b.heading == heading]
    assert len(found) == 1, f"README has {len(found)} {lang} blocks under {heading!r}"
    return found[0]


# --- running blocks --------------------------------------------------------------------------


@dataclass
class Workspace:
    root: Path
    env: dict[str, str]

    def sh(self, line: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", line], cwd=self.root, env=self.env, capture_output=True, text=True, timeout=timeout)

    def python(self, text: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-"], input=text, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=timeout)

    def run(self, cmd: Command, exit_code: int) -> subprocess.CompletedProcess:
        """Run a README command; check its exit code and, when the README shows output, that."""
        result = self.sh(cmd.line)
        assert result.returncode == exit_code, f"{cmd.where}: `{cmd.line}` exited {result.returncode}, README says {exit_code}\n{result.stdout}\n{result.stderr}"
        if cmd.output:
            if cmd.key.startswith("ls "):
                assert sorted(result.stdout.split()) == sorted(" ".join(cmd.output).split()), f"{cmd.where}: `{cmd.line}` lists\n{result.stdout}"
            else:
                assert result.stdout.rstrip("\n").splitlines() == cmd.output, f"{cmd.where}: `{cmd.line}` printed\n{result.stdout}"
        return result


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Workspace:
    for var in ("MLAGAUTO_USERNAME", "MLAGAUTO_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    root = tmp_path / "repo"
    for rel in COPIED:
        shutil.copytree(ROOT / rel, root / rel)
    lab_inventory_copy(root / "inventories")
    env = {k: v for k, v in os.environ.items() if k not in ("MLAGAUTO_USERNAME", "MLAGAUTO_PASSWORD")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return Workspace(root, env)


def lab_ports(ws: Workspace) -> list[int]:
    """Every port the workspace's lab listens on: SSH per switch, eAPI for EOS."""
    hosts = yaml.safe_load((ws.root / "inventories" / "lab" / "hosts.yaml").read_text())
    return [h["port"] for h in hosts.values()] + [h["data"]["lab"]["http_port"] for h in hosts.values() if "http_port" in h["data"].get("lab", {})]


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- what every command must do --------------------------------------------------------------


def _rendered_is_golden(ws: Workspace, _result) -> None:
    rendered = sorted(p.name for p in (ws.root / "rendered").iterdir())
    assert rendered == sorted(p.name for p in GOLDEN.iterdir() if p.is_file())  # hosts/: the servers' side
    for name in rendered:
        assert (ws.root / "rendered" / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def _saved_pair_is_healthy(_ws: Workspace, result) -> None:
    assert "leaf1a + leaf1b" in result.stdout and "no findings" in result.stdout
    assert "0 errors, 0 warnings, 0 info" in result.stdout


def _junit(path: Path, suite: str) -> None:
    root = ET.parse(path).getroot()
    (found,) = [s for s in root.iter("testsuite") if s.get("name") == suite]
    assert found.get("failures") == "0" and found.get("errors") == "0"
    assert int(found.get("tests")) == len(found.findall("testcase")) > 0


def _live_junit(ws: Workspace, result) -> None:
    assert result.stdout == ""
    _junit(ws.root / "live.xml", "nx-1a + nx-1b")
    names = {c.get("name") for c in ET.parse(ws.root / "live.xml").getroot().iter("testcase")}
    assert {"live-peer", "live-keepalive", "live-peer-link", "live-consistency"} <= names


def _pair_clean(_ws: Workspace, result) -> None:
    assert "nx-1a + nx-1b" in result.stdout and "no findings" in result.stdout


def _audit_junit(ws: Workspace, result) -> None:
    assert result.stdout == ""
    _junit(ws.root / "mlag-audit.xml", "nx-1a + nx-1b")


def _example_markdown(_ws: Workspace, result) -> None:
    assert result.stdout.startswith("## MLAG audit: 0 errors, 0 warnings")
    for pair, hosts in LAB_PAIRS.items():
        assert f"### {pair}: {hosts[0]} + {hosts[1]}" in result.stdout


def _changed_copy(ws: Workspace, _result) -> None:
    changed = (ws.root / "nx-1b-changed.cfg").read_text().splitlines()
    golden = (GOLDEN / "nx-1b.cfg").read_text().splitlines()
    assert [i for i, (a, b) in enumerate(zip(golden, changed)) if a != b] == [golden.index("vpc domain 10")]
    assert len(changed) == len(golden) and "vpc domain 11" in changed


def _truenas_rendered(ws: Workspace, _result) -> None:
    written = sorted(str(p.relative_to(ws.root / "rendered-hosts")) for p in (ws.root / "rendered-hosts").rglob("*") if p.is_file())
    assert written == ["nas1/truenas/bond0.json"]


def _netplan_is_golden(_ws: Workspace, result) -> None:
    header, body = result.stdout.split("\n", 1)
    assert header == "### server1/netplan/60-mlagauto-bond0.yaml"
    assert body == (GOLDEN / "hosts" / "server1" / "netplan" / "60-mlagauto-bond0.yaml").read_text()


def _broken_bond_found(_ws: Workspace, result) -> None:
    rows = [line for line in result.stdout.splitlines() if line.startswith("| error |")]
    assert len(rows) == 1 and "`host-switch-independent`" in rows[0] and "| active-backup |" in rows[0]


def _bond_reaches_another_system(_ws: Workspace, result) -> None:
    rows = [line for line in result.stdout.splitlines() if line.startswith("| error |")]
    assert [r.split(" | ")[2] for r in rows] == ["`host-live-aggregator`", "`host-live-aggregator-ports`", "`host-live-partner-system`"]
    assert "| 00:23:04:ee:be:0a | 00:23:04:ee:be:14 |" in rows[2]  # expected: nxos_pair's derived vPC system MAC


def _imported_lossless(ws: Workspace, _result) -> None:
    report = (ws.root / "adopted" / "import-report.md").read_text()
    assert "1 pair(s): 1 lossless" in report
    assert {d.name: d.platform for d in load_fabric(ws.root / "adopted").domains} == {"nxos_pair": "cisco_nxos"}


def _migrated_to_eos(ws: Workspace, _result) -> None:
    from mlagauto.drivers import get_driver

    domain = load_fabric(ws.root / "migrated").domain("nxos_pair")
    assert domain.platform == "arista_eos"
    for h in domain.hostnames:
        assert (ws.root / "migrated" / "configs" / f"{h}.cfg").read_text() == get_driver("arista_eos").render(domain, h)
    report = (ws.root / "migrated" / "migration-report.md").read_text()
    assert "| dropped | (both) | `peer_gateway` |" in report and "| nx-1a | Ethernet1/49 | Ethernet49 |" in report


OFFLINE: dict[str, tuple[int, Callable | None]] = {
    # command (comment stripped) -> (exit code, check of what it wrote); run in README order
    "mlagauto render -i inventories/example -o rendered/": (0, _rendered_is_golden),
    "diff -r -x hosts rendered golden_configs && echo identical": (0, None),
    "cp -r tests/fixtures/arista_eos/state/healthy saved": (0, None),
    "ls saved/leaf1a": (0, None),
    "mlagauto validate --outputs saved --platform arista_eos": (0, _saved_pair_is_healthy),
    "mkdir outputs && cp -r tests/fixtures/cisco_nxos/state/healthy-nx-a outputs/nx-1a && cp -r tests/fixtures/cisco_nxos/state/healthy-nx-b outputs/nx-1b": (0, None),
    "mlagauto validate --outputs outputs -i inventories/example --limit nxos_pair --format junit -o live.xml": (0, _live_junit),
    "mlagauto audit golden_configs/nx-1a.cfg golden_configs/nx-1b.cfg": (0, _pair_clean),
    "mlagauto audit golden_configs/nx-1a.cfg golden_configs/nx-1b.cfg --format junit -o mlag-audit.xml": (0, _audit_junit),
    "mlagauto audit -i inventories/example --configs golden_configs --format markdown": (0, _example_markdown),
    "mlagauto hosts render -i inventories/example -o rendered-hosts/ --format truenas": (0, _truenas_rendered),
    "diff rendered-hosts/nas1/truenas/bond0.json golden_configs/hosts/nas1/truenas/bond0.json && echo identical": (0, None),
    "mlagauto hosts render -i inventories/example --host server1 --format netplan": (0, _netplan_is_golden),
    "mlagauto hosts check -i inventories/example": (0, None),
    "cp -r inventories/example broken && sed -i 's/mode: LACP/mode: FAILOVER/' broken/groups.yaml": (0, None),
    "mlagauto hosts check -i broken --format markdown": (1, _broken_bond_found),
    "mkdir -p bonds/server1 && sed 's/ens1f0/eno1/; s/ens1f1/eno2/' tests/fixtures/hosts/bonding/8023ad_healthy.txt > bonds/server1/proc_net_bonding_bond0.txt": (0, None),
    "mlagauto hosts validate -i inventories/example --outputs bonds --host server1": (0, None),
    "sed 's/ens1f0/eno1/; s/ens1f1/eno2/' tests/fixtures/hosts/bonding/8023ad_partner_mac_differs.txt > bonds/server1/proc_net_bonding_bond0.txt": (0, None),
    "mlagauto hosts validate -i inventories/example --outputs bonds --host server1 --format markdown": (1, _bond_reaches_another_system),
    "sed 's/^vpc domain 10$/vpc domain 11/' golden_configs/nx-1b.cfg > nx-1b-changed.cfg": (0, _changed_copy),
    "mlagauto import golden_configs/nx-1a.cfg golden_configs/nx-1b.cfg --group nxos_pair -o adopted": (0, _imported_lossless),
    "cat adopted/hosts.yaml": (0, None),
    "mlagauto render -i adopted -o adopted-rendered/ && diff adopted-rendered/nx-1a.cfg golden_configs/nx-1a.cfg && diff adopted-rendered/nx-1b.cfg golden_configs/nx-1b.cfg && echo identical": (0, None),
    "mlagauto migrate -i adopted --pair nxos_pair --to arista_eos --interface-map 'Ethernet1/{n} -> Ethernet{n}' --peer-subnet 10.255.252.0/31 -o migrated": (0, _migrated_to_eos),
    "mlagauto audit migrated/configs/nx-1a.cfg migrated/configs/nx-1b.cfg": (0, None),
    "mlagauto audit golden_configs/nx-1a.cfg nx-1b-changed.cfg --format json": (1, None),
}
LAB_CLI = (
    "mlagauto lab up -i inventories/lab",
    "mlagauto lab up -i inventories/lab --background",
    "mlagauto lab status",
    "mlagauto lab down -i inventories/lab",
)
"""The lab section's commands, run in their own workspace by ``test_lab_commands``."""
BACKUPS_LATEST_AUDIT = "mlagauto audit -i inventories/lab --configs backups/latest --format markdown"
SERVERS_LIVE = "mlagauto hosts validate -i inventories/lab"
ON_THE_LAB = (BACKUPS_LATEST_AUDIT, SERVERS_LIVE)
"""Commands that need the deployed lab, run by ``test_nornir_playbook_deploy_and_backups_latest``."""
BLOCKS = {
    ("bash", "Quick start"): "test_quick_start_is_what_ci_runs",
    ("console", "Quick start"): "test_offline_console_blocks",
    ("yaml", "The inventory"): "test_inventory_example_is_a_complete_inventory",
    ("console", "From saved outputs"): "test_offline_console_blocks",
    ("python", "In your own Nornir playbook"): "test_nornir_playbook_deploy_and_backups_latest",
    ("yaml", "The server side"): "test_server_side_inventory_renders_and_checks",
    ("console", "The server side"): "test_offline_console_blocks",
    ("console", "Auditing running configs"): "test_offline_console_blocks",
    ("console", "Adopting an existing network"): "test_offline_console_blocks",
    ("console", "The simulated lab"): "test_lab_commands",
    ("python", "The simulated lab"): "test_lab_python_block",
    ("python", "Using it as a library"): "test_library_block",
    ("", "Layout"): "test_layout_names_real_paths",
    ("bash", "Benchmarks"): "test_benchmark_commands_exist",
}
"""Every block of the README, by language and heading, and the test that runs it."""


def test_every_block_and_command_is_covered():
    blocks = readme_blocks()
    assert sorted({(b.lang, b.heading) for b in blocks}) == sorted(BLOCKS), "a README block without a test here, or a test of a block the README lost"
    for key in BLOCKS:
        assert key[0] in ("bash", "console", "python", "yaml", "")
    known = set(OFFLINE) | set(LAB_CLI) | set(ON_THE_LAB)
    keys = [c.key for c in all_commands()]
    assert len(keys) == len(set(keys)), "a README command appears twice; give it one entry"
    assert sorted(keys) == sorted(known), f"untested README commands: {sorted(set(keys) - known)}; stale entries: {sorted(known - set(keys))}"


# --- the blocks ----------------------------------------------------------------------------


def test_offline_console_blocks(workspace):
    """Render, saved outputs, audits: every command in README order, from the workspace."""
    ran = 0
    for cmd in all_commands():
        if cmd.key not in OFFLINE:
            continue
        code, check = OFFLINE[cmd.key]
        result = workspace.run(cmd, code)
        if check:
            check(workspace, result)
        ran += 1
    assert ran == len(OFFLINE)


def test_audit_json_example_is_what_the_command_prints(workspace):
    """The JSON example, parsed: one pair, the domain-id error with the documented values, the
    summary (the text itself is compared by ``test_offline_console_blocks``)."""
    import json

    workspace.run(command("sed 's/^vpc domain 10$/vpc domain 11/' golden_configs/nx-1b.cfg > nx-1b-changed.cfg"), 0)
    cmd = command("mlagauto audit golden_configs/nx-1a.cfg nx-1b-changed.cfg --format json")
    shown = json.loads("\n".join(cmd.output))
    printed = json.loads(workspace.run(cmd, 1).stdout)
    assert printed == shown
    assert set(printed) == {"pairs", "summary"}
    (pair,) = printed["pairs"]
    assert pair["hosts"] == ["nx-1a", "nx-1b-changed"] and pair["domain_id"] == "10"
    assert [(f["rule"], f["severity"], f["expected"], f["actual"], f["fix"]) for f in pair["findings"]] == [("domain-id", "error", "10", "11", "vpc domain 10")]
    assert printed["summary"] == {"errors": 1, "warnings": 0, "info": 0}


def test_quick_start_is_what_ci_runs():
    """Not run here (a fresh virtualenv and an install): CI runs the test command, and the demo
    is ``tests/lab/test_demo.py``. Checked: the test command is exactly ``.ci/run``'s, the demo
    line installs the same way, and ``mlagauto demo`` defaults to the paths the text names."""
    import inspect

    from mlagauto.cli import demo

    lines = [line for line in block("bash", "Quick start").text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert len(lines) == 2 and ci[-1] == lines[1]
    assert ci[:-1] == ["bash .ci/optional-tools"]  # tools some tests use when present; never fails the run
    venv, install, run = lines[0].split(" && ")
    ci_venv, ci_install, _ = ci[-1].split(" && ")
    assert venv == ci_venv and install == ci_install.replace(' ".[test]"', " .") and run == ".venv/bin/mlagauto demo"
    params = inspect.signature(demo).parameters
    assert params["inventory"].default.default == Path("inventories/lab")
    assert params["backups"].default.default == Path("backups")
    assert (ROOT / "tests" / "lab" / "test_demo.py").is_file()
    assert any(r.startswith("pytest") for r in extra("test"))


def test_inventory_example_is_a_complete_inventory(workspace):
    text = block("yaml", "The inventory").text
    assert isinstance(yaml.safe_load(text), dict)
    files: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        header = re.fullmatch(r"# (\w+\.yaml)", line)
        if header:
            current = files.setdefault(header.group(1), [])
        else:
            assert current is not None, "YAML before the first # <file>.yaml"
            current.append(line)
    assert sorted(files) == ["groups.yaml", "hosts.yaml"]
    inv = workspace.root / "readme_inventory"
    inv.mkdir()
    for name, lines in files.items():
        assert isinstance(yaml.safe_load("\n".join(lines)), dict), name
        (inv / name).write_text("\n".join(lines) + "\n")
    from mlagauto.inventory import load_fabric

    (domain,) = load_fabric(inv).domains
    assert (domain.name, domain.platform, sorted(domain.hostnames)) == ("nxos_pair", "cisco_nxos", ["nx-1a", "nx-1b"])
    check = workspace.sh("mlagauto check -i readme_inventory")
    assert check.returncode == 0 and "no findings" in check.stdout, check.stdout + check.stderr
    render = workspace.sh("mlagauto render -i readme_inventory -o readme_rendered")
    assert render.returncode == 0, render.stderr
    a, b = ((workspace.root / "readme_rendered" / f"{h}.cfg").read_text() for h in ("nx-1a", "nx-1b"))
    assert "vpc domain 10" in a and "vpc domain 10" in b
    assert "interface port-channel12" in a and "interface port-channel112" in b


def test_server_side_inventory_renders_and_checks(workspace):
    """The two-switch, two-server example: a complete inventory, clean for the switch and the
    host rules, rendering server1 in the four Linux formats and nas1 as the TrueNAS payload."""
    import json

    text = block("yaml", "The server side").text
    head, hosts_part = text.split("# hosts.yaml\n")
    inv = workspace.root / "server_side"
    inv.mkdir()
    (inv / "groups.yaml").write_text(head.removeprefix("# groups.yaml\n"))
    (inv / "hosts.yaml").write_text(hosts_part)
    for line in ("mlagauto check -i server_side", "mlagauto hosts check -i server_side"):
        result = workspace.sh(line)
        assert result.returncode == 0 and "0 errors, 0 warnings, 0 info" in result.stdout, line + result.stdout + result.stderr
    assert workspace.sh("mlagauto hosts check -i server_side").stdout.count("no findings") == 2
    render = workspace.sh("mlagauto hosts render -i server_side -o server_side_rendered")
    assert render.returncode == 0, render.stderr
    out = workspace.root / "server_side_rendered"
    assert sorted(p.name for p in (out / "server1").iterdir()) == ["ifupdown", "netplan", "networkmanager", "systemd-networkd"]
    assert [p.name for p in (out / "nas1").iterdir()] == ["truenas"]
    calls = json.loads((out / "nas1" / "truenas" / "bond0.json").read_text())
    lag = calls[0]["params"][0]
    assert (lag["type"], lag["lag_protocol"], lag["lag_ports"]) == ("LINK_AGGREGATION", "LACP", ["enp1s0f0", "enp1s0f1"])
    assert "lacp-rate: fast" in (out / "server1" / "netplan" / "60-mlagauto-bond0.yaml").read_text()


def test_nornir_playbook_deploy_and_backups_latest(workspace):
    """The playbook on the fresh lab (every switch would change, the EOS pair reports live-peer
    errors), what "What it does" documents for ``diff`` (exit 1 / 0 / 3) and ``deploy --dry-run``
    (no backups), a deploy, the README's audit of ``backups/latest`` (the configs that deploy saved
    before changing anything: drift on every pair, exit 1), and the playbook again (no change,
    nothing found); finally ``diff`` against a lab that is gone."""
    ws = workspace
    backups = ws.root / "backups"
    lab = Lab.from_inventory(ws.root / "inventories" / "lab").start()
    try:
        started = time.monotonic()
        play = ws.python(block("python", "In your own Nornir playbook").text)
        elapsed = time.monotonic() - started
        assert play.returncode == 0, play.stderr
        assert elapsed < 40, f"the playbook took {elapsed:.0f} s: connections left open?"
        assert not (ws.root / "nornir.log").exists(), "the playbook wrote Nornir's log (the fabric, keys included)"
        lines = play.stdout.splitlines()
        for host in LAB_HOSTS:
            (first,) = [line for line in lines if line.split(" ", 1)[0] == host]
            assert first != f"{host} no change", "a fresh lab switch has nothing to change?"
        found = sorted(line for line in lines if line.startswith(("error ", "warning ", "info ")))
        assert [line.split(" not configured")[0] for line in found] == ["error live-peer ['eos-1a'] MLAG is", "error live-peer ['eos-1b'] MLAG is"], found

        diff = ws.sh("mlagauto diff -i inventories/lab")
        assert diff.returncode == 1, diff.stdout + diff.stderr  # some switch would change
        assert all(f"### {h}: changes" in diff.stdout for h in LAB_HOSTS)

        dry = ws.sh("mlagauto deploy -i inventories/lab --dry-run")
        assert dry.returncode == 0, dry.stdout + dry.stderr
        written = [p for p in backups.rglob("*")] if backups.exists() else []
        assert [p for p in written if p.is_file() or p.is_symlink()] == [], "deploy --dry-run wrote backups"

        deploy = ws.sh("mlagauto deploy -i inventories/lab")
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        (run_dir,) = [p for p in backups.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
        latest = backups / "latest"
        assert latest.is_symlink() and latest.resolve() == run_dir.resolve()
        assert sorted(p.name for p in latest.iterdir()) == sorted([f"{h}.cfg" for h in LAB_HOSTS] + ["journal.jsonl"])

        audit = ws.run(command(BACKUPS_LATEST_AUDIT), 1)  # the configs before the change: drift
        sections = re.split(r"^### ", audit.stdout, flags=re.M)
        assert sections[0].startswith("## MLAG audit:")
        for pair, (a, b) in LAB_PAIRS.items():
            (section,) = [s for s in sections if s.startswith(f"{pair}: {a} + {b}")]
            assert "`drift-" in section and "| error |" in section, pair

        ws.run(command(SERVERS_LIVE), 0)  # the simulated servers' bonds on the deployed pairs: clean, as printed

        clean = ws.sh("mlagauto diff -i inventories/lab")
        assert clean.returncode == 0, clean.stdout + clean.stderr  # no switch would change
        assert all(f"### {h}: no change" in clean.stdout for h in LAB_HOSTS)

        again = ws.python(block("python", "In your own Nornir playbook").text)  # as the text says
        assert again.returncode == 0, again.stderr
        assert sorted(again.stdout.splitlines()) == sorted(f"{h} no change" for h in LAB_HOSTS)
    finally:
        lab.stop()
    gone = ws.sh("mlagauto diff -i inventories/lab --limit eos_pair")
    assert gone.returncode == 3, gone.stdout + gone.stderr  # a switch could not be read


def test_lab_commands(workspace):
    """Foreground (stopped with Ctrl-C, i.e. SIGINT to its process group), then background,
    status and down, as the lab section lists them."""
    ws = workspace
    ports = lab_ports(ws)
    assert not any(listening(p) for p in ports)
    fg = command(LAB_CLI[0])
    proc = subprocess.Popen(["bash", "-c", fg.line], cwd=ws.root, env=ws.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not all(listening(p) for p in ports):
            assert proc.poll() is None and time.monotonic() < deadline, "the foreground lab did not come up"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err
    assert "lab running; login admin" in out and "Ctrl-C stops it" in out
    assert not any(listening(p) for p in ports)

    up, status, down = (command(key) for key in LAB_CLI[1:])
    try:
        started = ws.run(up, 0)
        assert "lab running in the background" in started.stdout
        assert all(listening(p) for p in ports)
        listed = ws.run(status, 0).stdout
        assert f"{(ws.root / 'inventories' / 'lab').resolve()}: pid" in listed and "running" in listed
        assert listed.count(" listening") == len(LAB_HOSTS) + len(LAB_SERVERS) and "not listening" not in listed
    finally:
        stopped = ws.run(down, 0)
    assert "lab stopped" in stopped.stdout
    assert not any(listening(p) for p in ports)
    assert "no background lab" in ws.sh("mlagauto lab status").stdout


def test_lab_python_block(workspace):
    """The block starts the lab on inventories/lab's ports, sets a fault knob and stops it; the
    text lists the lab's fault knobs, every one of them, in their order."""
    from dataclasses import fields

    from mlagauto.lab.device import Faults

    result = workspace.python(block("python", "The simulated lab").text)
    assert result.returncode == 0, result.stderr
    assert not any(listening(p) for p in lab_ports(workspace))
    text = README.read_text()
    knobs = re.search(r"`data\.lab\.faults` \((.*?)\); tests", text, re.S).group(1)
    named = re.findall(r"`(\w+)`", knobs)
    assert named == [f.name for f in fields(Faults)]


def test_library_block(workspace):
    result = workspace.python(block("python", "Using it as a library").text)
    assert result.returncode == 0, result.stderr
    code = block("python", "Using it as a library").text
    documented = re.search(r"^print\(.*\)\s+#\s+(.*)$", code, re.M).group(1)
    assert result.stdout.strip() == documented


def test_layout_names_real_paths():
    for line in block("", "Layout").text.splitlines():
        path = line.split()[0]
        if "<platform>" in path:
            for platform in PLATFORMS:
                assert (ROOT / path.replace("<platform>", platform)).is_dir(), path
        else:
            target = ROOT / path
            assert target.is_dir() if path.endswith("/") else target.is_file(), path


def test_benchmark_commands_exist():
    """Not run (``pip install '.[bench]'`` needs the network; the benchmarks take ~6 min on 2
    cores). Checked: the extra exists with pyavd, and every script runs ``--help`` listing the
    options the README gives it (with a number as an option's value)."""
    lines = [line.split("#")[0].strip() for line in block("bash", "Benchmarks").text.splitlines() if line.strip()]
    assert lines[0] == "pip install '.[bench]'" and any(r.startswith("pyavd") for r in extra("bench"))
    helps: dict[str, str] = {}
    for line in lines[1:]:
        words = line.split()
        assert words[0] == "python" and words[1].startswith("bench/") and words[1].endswith(".py"), line
        if words[1] not in helps:
            result = subprocess.run([sys.executable, words[1], "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
            helps[words[1]] = result.stdout
        for k, word in enumerate(words[2:], start=2):
            if word.startswith("--"):
                assert word in helps[words[1]], line
            else:  # an option's value
                assert words[k - 1].startswith("--") and word.isdigit(), line
    assert (ROOT / "bench" / "README.md").is_file()


# --- CLI behaviours the README documents outside the blocks -------------------------------------


def test_version_and_short_help(workspace):
    """``mlagauto --version``, and ``-h`` as ``--help`` at every level, as "What it does" says."""
    from mlagauto import __version__

    version = workspace.sh("mlagauto --version")
    assert version.returncode == 0 and version.stdout.strip() == __version__
    for line, usage in (("mlagauto -h", "Usage: mlagauto [OPTIONS] COMMAND"), ("mlagauto audit -h", "Usage: mlagauto audit"), ("mlagauto lab up -h", "Usage: mlagauto lab up")):
        result = workspace.sh(line)
        assert result.returncode == 0 and usage in result.stdout, (line, result.stdout, result.stderr)


def test_table_report_to_a_file_is_plain_text(workspace):
    """``-o FILE`` with the table format: the report goes to FILE as plain text, nothing to stdout."""
    workspace.run(command("sed 's/^vpc domain 10$/vpc domain 11/' golden_configs/nx-1b.cfg > nx-1b-changed.cfg"), 0)
    audit = workspace.sh("mlagauto audit golden_configs/nx-1a.cfg nx-1b-changed.cfg -o report.txt")
    assert audit.returncode == 1 and audit.stdout == "", audit.stdout + audit.stderr
    report = (workspace.root / "report.txt").read_text()
    assert "\x1b" not in report
    assert "domain-id" in report and "domain ids differ" in report and "1 error" in report
    check = workspace.sh("mlagauto check -i inventories/example -o check.txt")
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr
    text = (workspace.root / "check.txt").read_text()
    assert "\x1b" not in text and "nxos_pair" in text and "0 errors" in text
    validate = workspace.sh("mlagauto validate --outputs tests/fixtures/arista_eos/state/healthy --platform arista_eos -o validate.txt")
    assert validate.returncode == 0 and validate.stdout == "", validate.stdout + validate.stderr
    text = (workspace.root / "validate.txt").read_text()
    assert "\x1b" not in text and "leaf1a + leaf1b" in text and "0 errors" in text
