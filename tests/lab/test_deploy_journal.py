"""A deploy that survives its own death: a real ``mlagauto deploy`` process against the lab,
SIGKILLed at a phase boundary of a pair (``MLAGAUTO_TEST_PAUSE_AFTER`` holds it there), and the
next ``deploy`` / ``rollback`` / ``deploy --resume`` leaves the pair at its pre-change config or
fully at the intent, validated. Also: the pair lock and verified backups.

The default suite kills each platform at one phase; ``MLAGAUTO_KILL_MATRIX=1`` runs every phase
boundary on every platform, and the on-demand rollback and the resume on every platform."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.deploy import FAILED, DeployOptions, deploy_fabric, exit_code
from mlagauto.drivers import get_driver
from mlagauto.journal import JOURNAL, LOCKS, pair_records
from mlagauto.validate import validate_fabric
from tests.conftest import ROOT
from tests.lab.conftest import SECRET, intended, running_mlag

PAIRS = {
    "nxos_pair": ("nx-1b", "nx-1a"),
    "eos_pair": ("eos-1b", "eos-1a"),
    "junos_pair": ("qfx-1b", "qfx-1a"),
    "huawei_pair": ("ce-1b", "ce-1a"),
}
"""Each pair's (secondary, primary): the secondary commits first."""
POINTS = ["backup", "staged", "committed:secondary", "committed:primary", "validated", "confirmed:secondary"]
DEFAULT_POINTS = {"nxos_pair": "committed:secondary", "eos_pair": "committed:primary", "junos_pair": "committed:secondary", "huawei_pair": "staged"}
"""One kill point per platform in the default suite, spread over the phases."""
FULL = bool(os.environ.get("MLAGAUTO_KILL_MATRIX"))
MATRIX = [(pair, point) for pair in PAIRS for point in POINTS] if FULL else list(DEFAULT_POINTS.items())
AFTER_KILL = list(PAIRS) if FULL else ["junos_pair", "eos_pair"]
"""Pairs whose dead run is rolled back on demand and resumed: every platform in the full matrix."""


def _pause_value(pair: str, point: str) -> str:
    phase, _, role = point.partition(":")
    secondary, primary = PAIRS[pair]
    return f"{phase}:{secondary if role == 'secondary' else primary if role == 'primary' else ''}".rstrip(":")


def start_deploy(env, pair: str, pause: str, *extra: str) -> subprocess.Popen:
    """``mlagauto deploy`` as its own process, told to wait once ``pause`` is reached."""
    cmd = [sys.executable, "-m", "mlagauto.cli", "deploy", "-i", str(env["inv"]), "--limit", pair, "--backups", str(env["backups"]), "--format", "json", "--confirm-timeout", "600", *extra]
    child_env = {**os.environ, "MLAGAUTO_USERNAME": "netops", "MLAGAUTO_PASSWORD": SECRET, "MLAGAUTO_TEST_PAUSE_AFTER": pause, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(cmd, env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def wait_paused(proc: subprocess.Popen, timeout: float = 90) -> str:
    """Block until the child reports it is paused; the line it printed."""
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if line.startswith("MLAGAUTO_TEST_PAUSED"):
            return line.strip()
    proc.kill()
    raise AssertionError(f"deploy never paused (rc {proc.poll()}): {''.join(seen)[-2000:]}")


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.stderr is not None
    proc.stderr.close()


def cli(env, *args: str):
    return CliRunner().invoke(app, [*args, "-i", str(env["inv"]), "--backups", str(env["backups"]), "--format", "json"], catch_exceptions=False)


def dead_run(env) -> Path:
    runs = [p for p in env["backups"].iterdir() if not p.is_symlink() and (p / JOURNAL).is_file()]
    assert len(runs) == 1, runs
    return runs[0]


def backup_mlag(env, run_dir: Path, host: str):
    driver = get_driver(env["lab"].device(host).platform)
    return driver.parse_config((run_dir / f"{host}.cfg").read_text(), hostname=host)


def assert_at_intent_and_validated(env, pair: str) -> None:
    for host in PAIRS[pair]:
        assert running_mlag(env, host) == intended(env, host), host
    env["nr"].close_connections()
    reports, failures = validate_fabric(env["nr"], env["fabric"], limit=[pair])
    assert failures == {}
    errors = [f for r in reports for f in r.findings if f.severity.value == "error"]
    assert errors == [], errors


def assert_no_leftovers(env, pair: str) -> None:
    """Nothing this project creates is left open on the switches."""
    for host in PAIRS[pair]:
        device = env["lab"].device(host)
        if device.platform == "arista_eos":
            assert [n for n, s in device.sessions.items() if s.state != "completed"] == [], host
        if device.platform == "juniper_junos":
            assert not device.dirty() and device.pending is None and device.lock_holder is None, host


@pytest.mark.parametrize("pair,point", MATRIX)
def test_killed_deploy_is_restored_then_deployed_by_the_next_deploy(lab_env, pair, point):
    proc = start_deploy(lab_env, pair, _pause_value(pair, point))
    wait_paused(proc)
    kill(proc)
    run_dir = dead_run(lab_env)
    assert not pair_records(run_dir)[pair].finished
    result = cli(lab_env, "deploy", "--limit", pair, "--confirm-timeout", "600")
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)["pairs"][0]
    assert outcome["status"] in ("ok", "unchanged") and f"unfinished run {run_dir.name}" in outcome["message"], outcome
    assert pair_records(run_dir)[pair].finished
    assert_at_intent_and_validated(lab_env, pair)
    assert_no_leftovers(lab_env, pair)
    assert not any((lab_env["backups"] / LOCKS).iterdir())


@pytest.mark.parametrize("pair", AFTER_KILL)
def test_rollback_command_restores_the_pre_change_configs(lab_env, pair):
    proc = start_deploy(lab_env, pair, _pause_value(pair, "committed:primary"))
    wait_paused(proc)
    kill(proc)
    run_dir = dead_run(lab_env)
    assert any(running_mlag(lab_env, h) != backup_mlag(lab_env, run_dir, h) for h in PAIRS[pair])
    result = cli(lab_env, "rollback")
    assert result.exit_code == 0, result.output
    assert [p["status"] for p in json.loads(result.output)["pairs"]] == ["rolled-back"]
    for host in PAIRS[pair]:
        assert running_mlag(lab_env, host) == backup_mlag(lab_env, run_dir, host), host
    assert_no_leftovers(lab_env, pair)
    assert pair_records(run_dir)[pair].finished
    again = cli(lab_env, "rollback")
    assert again.exit_code == 0 and "nothing to roll back" in again.output


@pytest.mark.parametrize("pair", AFTER_KILL)
def test_resume_finishes_the_dead_run(lab_env, pair):
    proc = start_deploy(lab_env, pair, _pause_value(pair, "committed:secondary"))
    wait_paused(proc)
    kill(proc)
    run_dir = dead_run(lab_env)
    result = cli(lab_env, "deploy", "--limit", pair, "--resume", "--confirm-timeout", "600")
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)["pairs"][0]
    assert outcome["status"] == "ok" and outcome["message"].startswith(f"resumed run {run_dir.name}"), outcome
    assert pair_records(run_dir)[pair].finished
    assert [p.name for p in lab_env["backups"].iterdir() if p.name != LOCKS and (p / JOURNAL).is_file()] != []
    assert_at_intent_and_validated(lab_env, pair)
    assert_no_leftovers(lab_env, pair)


def test_a_second_deploy_of_a_held_pair_is_refused_and_a_dead_holder_is_taken_over(lab_env):
    proc = start_deploy(lab_env, "eos_pair", "backup")
    wait_paused(proc)
    try:
        started = time.monotonic()
        refused = cli(lab_env, "deploy", "--limit", "eos_pair")
        assert refused.exit_code == 3, refused.output
        message = json.loads(refused.output)["pairs"][0]["message"]
        assert f"pid {proc.pid}" in message and "another deploy holds the pair" in message
        assert time.monotonic() - started < 10
    finally:
        kill(proc)
    taken = cli(lab_env, "deploy", "--limit", "eos_pair", "--confirm-timeout", "600")
    assert taken.exit_code == 0, taken.output
    assert_at_intent_and_validated(lab_env, "eos_pair")


def test_someone_elses_junos_candidate_is_reported_not_discarded(lab_env):
    device = lab_env["lab"].device("qfx-1a")
    with device.lock:
        device.set_statement(object(), ("system", "location", "building-7"))
    result = cli(lab_env, "deploy", "--limit", "junos_pair")
    assert result.exit_code == 3, result.output
    assert "qfx-1a" in json.loads(result.output)["pairs"][0]["message"]
    assert device.dirty()


@pytest.mark.parametrize("pair", list(PAIRS))
def test_a_backup_that_does_not_read_back_the_same_stops_the_pair(lab_env, pair):
    secondary, primary = PAIRS[pair]
    before = {h: lab_env["lab"].device(h).running for h in PAIRS[pair]}
    device = lab_env["lab"].device(primary)
    nr = lab_env["nr"]
    nr.inventory.hosts[primary].get_connection("netmiko" if device.platform == "huawei_vrpv8" else "napalm", nr.config)
    device.faults.corrupt_output = True  # after login, so the first read of the running config is the garbled one
    outcomes = deploy_fabric(nr, lab_env["fabric"], DeployOptions(backup_root=lab_env["backups"]), [pair])
    assert exit_code(outcomes) == 3
    assert outcomes[0].status == FAILED and f"{primary}: backup not verified" in outcomes[0].message, outcomes[0].message
    assert {h: lab_env["lab"].device(h).running for h in PAIRS[pair]} == before
    assert pair_records(dead_run(lab_env))[pair].finished
