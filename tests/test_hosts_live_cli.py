"""``mlagauto hosts validate --outputs DIR``: exit codes, every error path exits 2 naming the file
or option, and the JUnit report parses."""

from __future__ import annotations

import json
import shutil
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from mlagauto.cli import app
from tests.conftest import FIXTURES

BONDING = FIXTURES / "hosts" / "bonding"
PAIR = "00:23:04:ee:be:0a"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["hosts", "validate", *args], catch_exceptions=False)


def _host(root, host: str, fixture: str, target: str = "proc_net_bonding_bond0.txt"):
    folder = root / host
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BONDING / fixture, folder / target)
    return folder


@pytest.fixture
def clean(tmp_path):
    _host(tmp_path, "srv1", "8023ad_healthy.txt")
    _host(tmp_path, "srv2", "ip_8023ad_healthy.json", "ip_-d_-j_link_show.json")
    return tmp_path


def test_clean_outputs_exit_0(clean):
    result = run("--outputs", str(clean), "--system-id", PAIR, "--lacp-rate", "fast")
    assert result.exit_code == 0, result.output
    assert "srv1: no findings" in result.output and "srv2: no findings" in result.output


def test_error_findings_exit_1_and_a_warning_alone_exits_0(clean):
    _host(clean, "srv3", "8023ad_lacp_rate_mismatch.txt")
    assert run("--outputs", str(clean), "--system-id", PAIR).exit_code == 0
    _host(clean, "srv4", "8023ad_partner_mac_differs.txt")
    result = run("--outputs", str(clean), "--system-id", PAIR, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [p["hosts"] for p in data["pairs"]] == [["srv1"], ["srv2"], ["srv3"], ["srv4"]]
    assert {f["rule"] for f in data["pairs"][3]["findings"]} >= {"host-live-partner-system"}


def test_the_expected_system_id_decides(clean):
    result = run("--outputs", str(clean), "--system-id", "0011.2233.4455", "-f", "json")
    assert result.exit_code == 1
    actual = {f["actual"] for p in json.loads(result.output)["pairs"] for f in p["findings"] if f["rule"] == "host-live-partner-system"}
    assert actual == {PAIR}


def test_a_non_lacp_bond_fails_only_against_a_lacp_expectation(tmp_path):
    _host(tmp_path, "srv1", "active_backup_healthy.txt")
    assert run("--outputs", str(tmp_path)).exit_code == 0
    assert run("--outputs", str(tmp_path), "--system-id", PAIR).exit_code == 1
    assert run("--outputs", str(tmp_path), "--system-id", PAIR, "--mode", "active-backup").exit_code == 0


def test_junit_to_a_file_parses(clean, tmp_path):
    _host(clean, "srv3", "8023ad_slave_down.txt")
    report = tmp_path / "report.xml"
    result = run("--outputs", str(clean), "--system-id", PAIR, "-f", "junit", "-o", str(report))
    assert result.exit_code == 1 and result.output == ""
    root = ET.parse(report).getroot()
    suites = {s.get("name"): s.get("failures") for s in root.iter("testsuite")}
    assert suites == {"srv1": "0", "srv2": "0", "srv3": "2"}


def test_a_capture_with_prompts_and_crlf_validates(tmp_path):
    _host(tmp_path, "srv1", "8023ad_healthy_capture.txt")
    assert run("--outputs", str(tmp_path), "--system-id", PAIR).exit_code == 0


@pytest.mark.parametrize(
    ("setup", "args", "named"),
    [
        (lambda d: None, ["--outputs", "{d}/nowhere"], "{d}/nowhere"),
        (lambda d: None, ["--outputs", "{d}"], "holds no host folder"),
        (lambda d: (d / "srv1").mkdir(), ["--outputs", "{d}"], "{d}/srv1"),
        (lambda d: (_host(d, "srv1", "8023ad_healthy.txt") / "ip_-d_-j_link_show.json").write_text("1: lo: <LOOPBACK>"), ["--outputs", "{d}"], "{d}/srv1/ip_-d_-j_link_show.json"),
        (lambda d: (_host(d, "srv1", "8023ad_healthy.txt") / "proc_net_bonding_bond1.txt").write_text("cat: /proc/net/bonding/bond1: No such file or directory\n"), ["--outputs", "{d}"], "{d}/srv1/proc_net_bonding_bond1.txt"),
        (lambda d: _host(d, "srv1", "8023ad_healthy.txt"), ["--outputs", "{d}", "--system-id", "01:00:5e:00:00:01"], "--system-id 01:00:5e:00:00:01"),
        (lambda d: _host(d, "srv1", "8023ad_healthy.txt"), ["--outputs", "{d}", "--system-id", "not-a-mac"], "--system-id not-a-mac"),
        (lambda d: _host(d, "srv1", "8023ad_healthy.txt"), ["--outputs", "{d}", "--lacp-rate", "medium"], "--lacp-rate medium"),
        (lambda d: _host(d, "srv1", "8023ad_healthy.txt"), ["--outputs", "{d}", "--mode", "lacp"], "--mode lacp"),
        (lambda d: _host(d, "srv1", "8023ad_healthy.txt"), ["--outputs", "{d}", "--format", "yaml"], "--format yaml"),
        (lambda d: _host(d, "srv1", "8023ad_healthy.txt"), ["--outputs", "{d}", "-o", "{d}/no/such/report.json"], "{d}/no"),
    ],
    ids=["no-folder", "no-host-folder", "empty-host-folder", "bad-json", "not-bonding", "multicast-system-id", "bad-system-id", "bad-rate", "bad-mode", "bad-format", "bad-output-folder"],
)
def test_bad_input_exits_2_naming_the_file_or_option(tmp_path, setup, args, named):
    setup(tmp_path)
    result = run(*(a.format(d=tmp_path) for a in args))
    assert result.exit_code == 2, result.output
    assert named.format(d=tmp_path) in result.output
    assert "Traceback" not in result.output
