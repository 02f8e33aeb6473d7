"""No false green: ``mlagauto validate`` against a lab pair where one switch cannot be read (its
port is closed, or it refuses the password) reports that switch as a ``live-unreachable`` error in
every report format, counted in the summary, and exits 3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.lab.lab import Lab
from tests.conftest import ROOT
from tests.lab.conftest import free_port

PAIR = ("nx-1a", "nx-1b")
SHORT_TIMEOUTS = {"conn_timeout": 3, "auth_timeout": 3, "banner_timeout": 3}
"""netmiko waits 10-15 s by default before it gives up on a login."""


def _write_inventory(folder: Path, hosts: dict) -> Path:
    """An inventory of ``hosts`` and their domain group only."""
    folder.mkdir()
    groups = yaml.safe_load((ROOT / "inventories" / "example" / "groups.yaml").read_text())
    names = {g for host in hosts.values() for g in host["groups"]}
    (folder / "groups.yaml").write_text(yaml.safe_dump({name: groups[name] for name in names}))
    shutil.copy(ROOT / "inventories" / "lab" / "defaults.yaml", folder / "defaults.yaml")
    (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return folder


@pytest.fixture
def nxos_pair(tmp_path, monkeypatch):
    """The lab's NX-OS pair running on free ports: (the hosts as the lab has them, a function
    writing a client inventory of those hosts changed by ``edit(hosts)``)."""
    monkeypatch.setenv("MLAGAUTO_USERNAME", "netops")
    monkeypatch.setenv("MLAGAUTO_PASSWORD", "Lab-Secret-4711")
    every = yaml.safe_load((ROOT / "inventories" / "lab" / "hosts.yaml").read_text())
    hosts = {name: every[name] for name in PAIR}
    for host in hosts.values():
        host["port"] = free_port()
    lab = Lab.from_inventory(_write_inventory(tmp_path / "lab", hosts)).start()

    def client_inventory(edit) -> Path:
        changed = yaml.safe_load(yaml.safe_dump(hosts))
        for host in changed.values():
            host["connection_options"] = {"netmiko": {"extras": dict(SHORT_TIMEOUTS)}}
        edit(changed)
        return _write_inventory(tmp_path / f"client{free_port()}", changed)

    try:
        yield client_inventory
    finally:
        lab.stop()


def _closed_port(hosts: dict) -> None:
    hosts["nx-1b"]["port"] = free_port()  # nothing listens there


def _wrong_password(hosts: dict) -> None:
    hosts["nx-1b"]["password"] = "not-the-password"


def _validate(inventory: Path, *args: str):
    return CliRunner().invoke(app, ["validate", "-i", str(inventory), *args], env={"COLUMNS": "300"})


@pytest.mark.parametrize("fault", [_closed_port, _wrong_password], ids=["closed-port", "wrong-password"])
def test_an_unreadable_switch_is_an_error_in_json_and_exits_3(nxos_pair, fault):
    result = _validate(nxos_pair(fault), "--format", "json")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 1
    (pair,) = report["pairs"]
    (finding,) = pair["findings"]
    assert finding["rule"] == "live-unreachable"
    assert finding["severity"] == "error"
    assert finding["hosts"] == ["nx-1b"]
    stderr_lines = [line for line in result.stderr.splitlines() if line.startswith("error: nx-1b: ")]
    assert len(stderr_lines) == 1, result.stderr
    assert finding["actual"] == stderr_lines[0].removeprefix("error: nx-1b: ")


def test_junit_reports_the_unreadable_switch_as_an_error_element(nxos_pair):
    result = _validate(nxos_pair(_closed_port), "--format", "junit")
    assert result.exit_code == 3
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None and suite.get("errors") == "1" and suite.get("failures") == "0"
    (case,) = [c for c in suite.iter("testcase") if c.find("error") is not None]
    assert case.get("name") == "live-unreachable"
    assert "nx-1b" in (case.find("error").text or "")
    assert int(suite.get("tests", "0")) == 1, "rules that could not run must not pass"


def test_table_and_markdown_count_the_unreadable_switch(nxos_pair):
    inventory = nxos_pair(_wrong_password)
    table = _validate(inventory)
    assert table.exit_code == 3
    assert "no findings" not in table.stdout
    assert "live-unreachable" in table.stdout
    assert "1 error," in table.stdout
    markdown = _validate(inventory, "--format", "markdown")
    assert markdown.exit_code == 3
    assert "1 error," in markdown.stdout.splitlines()[0]
    assert "| `live-unreachable` |" in markdown.stdout and "| error | nx-1b | `live-unreachable` |" in markdown.stdout
    assert "No findings." not in markdown.stdout


def test_both_switches_readable_gives_no_unreachable_finding(nxos_pair):
    result = _validate(nxos_pair(lambda hosts: None), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    rules = {f["rule"] for p in json.loads(result.stdout)["pairs"] for f in p["findings"]}
    assert "live-unreachable" not in rules
