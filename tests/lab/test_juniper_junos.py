"""The simulated Junos pair driven by the real clients: napalm ``junos`` (PyEZ over NETCONF) and
netmiko ``juniper_junos`` (SSH CLI); the MC-LAG state both switches report as their configs
change; the fault knobs at the commit and show points."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from jnpr.junos.exception import (
    CommitError,
    ConnectAuthError,
    ConnectClosedError,
    RpcError,
)
from napalm import get_network_driver
from napalm.base.exceptions import LockError
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

from mlagauto.configtree import junos_set_lines
from mlagauto.lab.device import DeviceSpec, Faults
from mlagauto.lab.juniper_junos import JunosDevice
from mlagauto.lab.juniper_junos.statements import Config, diff, render_curly
from mlagauto.lab.lab import Lab
from tests.lab.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "golden_configs"
FIXTURES = ROOT / "tests" / "fixtures" / "juniper_junos"
USER, PASSWORD = "admin", "admin"
MINUTE = 0.4
"""Seconds per minute of commit-confirmed timers in these tests."""


@pytest.fixture(scope="module")
def lab():
    specs = [DeviceSpec(n, "juniper_junos", free_port(), USER, PASSWORD, {"minute_seconds": MINUTE}) for n in ("qfx-1a", "qfx-1b")]
    with Lab(specs, [("qfx-1a", "qfx-1b")]) as running:
        yield running


RESET = object()


def reset(device: JunosDevice, text: str | None = None) -> None:
    """Commit ``text`` (default: the factory configuration) as the lab's own session."""
    with device.lock:
        device.faults = Faults()
        device.release(device.lock_holder)
        device.load_text(RESET, text or device.initial_config(), "override")
        device.commit(RESET, "lab", "other")


@pytest.fixture
def qfx(lab):
    for device in lab.devices.values():
        reset(device)
    return lab.device("qfx-1a"), lab.device("qfx-1b")


@pytest.fixture
def pair(qfx):
    """Both switches running their golden configs."""
    for device in qfx:
        reset(device, (GOLDEN / f"{device.name}.cfg").read_text())
    return qfx


def napalm_junos(device: JunosDevice):
    driver = get_network_driver("junos")("127.0.0.1", USER, PASSWORD, timeout=15, optional_args={"port": device.port})
    driver.open()
    return driver


def netmiko_junos(device: JunosDevice, password: str = PASSWORD):
    return ConnectHandler(device_type="juniper_junos", host="127.0.0.1", port=device.port, username=USER, password=password)


def statements(text: str) -> set[tuple[str, ...]]:
    return {tuple(p) for p in junos_set_lines(text)}


def golden(name: str) -> str:
    return (GOLDEN / f"{name}.cfg").read_text()


def mcae_fields(text: str) -> dict[str, dict[str, str]]:
    """``show interfaces mc-ae`` as {member: {label: value}} (first occurrence of each label)."""
    out: dict[str, dict[str, str]] = {}
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            label, _, value = line.partition(":")
            fields.setdefault(label.strip(), value.strip())
        out[fields["Member Link"]] = fields
    return out


# --- the configuration store -------------------------------------------------------------------
@pytest.mark.parametrize("name", ["qfx-1a", "qfx-1b"])
def test_golden_config_renders_back_exactly(name):
    text = golden(name)
    assert "\n".join(render_curly(Config.from_text(text).paths())) == text.strip()


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if p.is_file()))
def test_renderings_read_back_to_the_same_statements(fixture):
    config = Config.from_text((FIXTURES / fixture).read_text())
    assert Config.from_text("\n".join(render_curly(config.paths()))) == config


def test_set_replaces_single_values_and_delete_keeps_the_parent():
    config = Config.from_text(
        "set interfaces ae1 description a\nset interfaces ae1 aggregated-ether-options lacp active\nset protocols rstp"
    )
    config.set(("interfaces", "ae1", "description", "b"))
    config.set(("interfaces", "ae1", "aggregated-ether-options", "lacp", "passive"))
    config.set(("protocols", "rstp", "interface", "ae1", "edge"))
    assert ("interfaces", "ae1", "description", "a") not in config.paths()
    assert ("interfaces", "ae1", "aggregated-ether-options", "lacp", "active") not in config.paths()
    assert ("protocols", "rstp") not in config.paths()
    assert config.delete(("protocols", "rstp", "interface", "ae1"))
    assert ("protocols", "rstp") in config.paths()
    assert not config.delete(("protocols", "lldp"))


def test_load_replace_tags_and_one_line_braces(qfx):
    a, _ = qfx
    with a.lock:
        a.load_text(RESET, "interfaces { ae1 { description a; mtu 9216; } }", "merge")
        a.load_text(RESET, "interfaces {\n    replace: ae1 {\n        description b;\n    }\n}", "replace")
        assert a.config_text("candidate", ("interfaces", "ae1"), "set") == "set interfaces ae1 description b\n"
        a.load_rollback(RESET, 0)


def test_compare_output_format():
    before = Config.from_text("set interfaces ae1 description a")
    after = Config.from_text("set interfaces ae1 description b\nset interfaces ae2 description c")
    assert diff(before.paths(), after.paths()) == (
        "[edit interfaces]\n+   ae2 {\n+       description c;\n+   }\n[edit interfaces ae1]\n-   description a;\n+   description b;"
    )


# --- napalm junos (PyEZ over NETCONF) --------------------------------------------------------------
def test_napalm_merge_compare_commit_rollback(qfx):
    a, _ = qfx
    driver = napalm_junos(a)
    try:
        configs = driver.get_config(retrieve="all")
        assert configs["running"].lstrip().startswith("## Last commit:")
        assert "host-name qfx-1a;" in configs["running"] and configs["candidate"].count("host-name") == 1
        driver.load_merge_candidate(config=golden("qfx-1a"))
        diff_text = driver.compare_config()
        assert diff_text.startswith("[edit]") and "+   multi-chassis {" in diff_text
        driver.commit_config(message="golden")
        assert driver.compare_config() == ""
        running = driver.get_config(retrieve="running")["running"]
        assert statements(golden("qfx-1a")) <= statements(running)
        assert "host-name qfx-1a;" in running
        driver.rollback()
        assert "mc-ae" not in driver.get_config(retrieve="running")["running"]
        driver.load_merge_candidate(config="set interfaces ae9 description scratch")
        assert "+       ae9 {" in driver.compare_config()
        driver.discard_config()
        assert driver.compare_config() == ""
        assert "ae9" not in a.running
    finally:
        driver.close()


def test_napalm_commit_confirmed_reverts_unless_confirmed(qfx):
    a, _ = qfx
    driver = napalm_junos(a)
    try:
        driver.load_merge_candidate(config="set interfaces ae7 description unconfirmed")
        driver.commit_config(revert_in=60)
        assert "ae7" in driver.get_config(retrieve="running")["running"]
        assert driver.has_pending_commit()
        time.sleep(MINUTE * 2.5)
        assert "ae7" not in driver.get_config(retrieve="running")["running"]
        assert not driver.has_pending_commit()
        driver.load_merge_candidate(config="set interfaces ae8 description confirmed")
        driver.commit_config(revert_in=60)
        driver.confirm_commit()
        time.sleep(MINUTE * 2.5)
        assert "ae8" in driver.get_config(retrieve="running")["running"]
    finally:
        driver.close()


def test_napalm_cli_and_lock(qfx):
    a, _ = qfx
    driver = napalm_junos(a)
    try:
        out = driver.cli(["show iccp", "show version"])
        assert out["show iccp"].strip() == ""
        assert "Hostname: qfx-1a" in out["show version"]
        driver.load_merge_candidate(config="set interfaces ae9 description locked")
        other = napalm_junos(a)
        try:
            with pytest.raises(LockError, match="locked"):
                other.load_merge_candidate(config="set interfaces ae9 description other")
        finally:
            other.close()
        driver.discard_config()
    finally:
        driver.close()
    driver = get_network_driver("junos")("127.0.0.1", USER, PASSWORD, optional_args={"port": a.port, "config_private": True})
    driver.open()
    try:
        driver.load_merge_candidate(config="set interfaces ae9 description private")
        driver.commit_config()
        assert "description private;" in a.running
        with pytest.raises(RpcError) as err:
            driver.device.rpc.get_bogus_information()
        assert err.value.rpc_error["bad_element"] == "get-bogus-information"
        assert driver.device.facts["hostname"] == "qfx-1a"
    finally:
        driver.close()


# --- netmiko juniper_junos (SSH CLI) -------------------------------------------------------------
def test_netmiko_session_config_mode_and_commits(qfx):
    a, _ = qfx
    with netmiko_junos(a) as conn:
        assert conn.find_prompt() == "admin@qfx-1a>"
        assert conn.send_command("set cli screen-width 511").strip() == "Screen width set to 511"
        assert conn.send_command("show configuration | display set").splitlines()[0] == "set version 21.4R3-S4.9"
        conn.send_config_set(["set interfaces ae1 description cli-test", "set interfaces ae1 mtu 9216"], exit_config_mode=False)
        compare = conn.send_command("show | compare")
        assert "+       ae1 {" in compare and "+           mtu 9216;" in compare
        assert "configuration check succeeds" in conn.commit(check=True)
        assert "commit complete" in conn.commit(comment="cli test")
        assert "description cli-test;" in a.running
        assert conn.send_command("rollback 1").strip() == "load complete"
        conn.commit()
        assert "cli-test" not in a.running
        conn.send_config_set(["set interfaces ae2 description confirm-me"], exit_config_mode=False)
        out = conn.commit(confirm=True, confirm_delay=1)
        assert "confirm-me" in a.running
        assert "commit confirmed will be automatically rolled back in 1 minutes unless confirmed" in out
        assert "# commit confirmed will be rolled back in 1 minutes\n[edit]" in out
        time.sleep(MINUTE * 2.5)
        assert "confirm-me" not in a.running
        history = conn.send_command("run show system commit")
        assert "commit confirmed, rollback in 1mins" in history
        conn.send_config_set(["set interfaces ae3 description pending"], exit_config_mode=False)
        conn.exit_config_mode()
        assert not conn.check_config_mode()
        assert a.dirty()
    with netmiko_junos(a) as conn:
        assert "The configuration has been changed but not committed" in conn.config_mode()
        conn.send_command("rollback 0")
        conn.exit_config_mode()
    assert not a.dirty()


def test_netmiko_unknown_commands_answer_like_junos(qfx):
    a, _ = qfx
    with netmiko_junos(a) as conn:
        assert conn.send_command("frobnicate").strip("\n").splitlines() == [" " * len("admin@qfx-1a> ") + "^", "unknown command."]
        assert conn.send_command("show frobs").strip().splitlines()[-1] == "syntax error, expecting <command>."
        assert conn.send_command("sh ver").splitlines()[0] == "Hostname: qfx-1a"


# --- MC-LAG state ------------------------------------------------------------------------------------
def test_pushing_both_golden_configs_forms_the_pair(qfx):
    a, b = qfx
    driver = napalm_junos(a)
    try:
        driver.load_merge_candidate(config=golden("qfx-1a"))
        driver.commit_config()
    finally:
        driver.close()
    with netmiko_junos(b) as conn:
        lines = ["set " + " ".join(f'"{t}"' if " " in t else t for t in path) for path in junos_set_lines(golden("qfx-1b"))]
        conn.send_config_set(lines, exit_config_mode=False)
        conn.commit()
        conn.exit_config_mode()
        iccp = conn.send_command("show iccp")
        mcae = mcae_fields(conn.send_command("show interfaces mc-ae"))
        lacp = conn.send_command("show lacp interfaces ae1 extensive")
        iccp_json = json.loads(conn.send_command("show iccp | display json"))
        mcae_json = json.loads(conn.send_command("show interfaces mc-ae | display json"))
        lacp_json = json.loads(conn.send_command("show lacp interfaces ae1 | display json"))
    assert "Redundancy Group Information for peer 10.255.255.0" in iccp
    assert "TCP Connection       : Established" in iccp and "Backup liveness peer status: Up" in iccp
    assert re.search(r"^    1\s+Up$", iccp, re.MULTILINE)
    assert sorted(mcae) == ["ae1", "ae2", "ae3", "ae4"]
    for fields in mcae.values():
        assert fields["Configuration Error Status"] == "No Error"
        assert (fields["Local State"], fields["Peer State"], fields["Peer Status"]) == ("up", "up", "active")
    assert "Collecting distributing" in lacp and "00:00:00:00:00:01" in lacp
    peer = iccp_json["iccp-information"][0]["iccp-peer-information"][0]
    assert peer["tcp-connection-state"][0]["data"] == "Established"
    members = mcae_json["mcae-interface-information"][0]["mcae-member"]
    assert [m["peer-state"][0]["data"] for m in members] == ["up"] * 4
    states = lacp_json["lacp-interface-information-list"][0]["lacp-interface-information"][0]["lag-lacp-state"]
    assert {s["lacp-synchronization"][0]["data"] for s in states} == {"Yes"}
    driver = napalm_junos(a)
    try:
        seen = driver.cli(["show iccp", "show interfaces mc-ae"])
    finally:
        driver.close()
    assert "TCP Connection       : Established" in seen["show iccp"]
    assert all(f["Local State"] == "up" and f["Peer State"] == "up" for f in mcae_fields(seen["show interfaces mc-ae"]).values())
    partner = re.findall(r"Partner\s+\d+\s+(\S+)", lacp)
    with netmiko_junos(a) as conn:
        assert re.findall(r"Partner\s+\d+\s+(\S+)", conn.send_command("show lacp interfaces ae1 extensive")) == partner


def test_mismatched_redundancy_group_never_forms_and_recovers(pair):
    a, b = pair
    move = [
        "delete protocols iccp peer 10.255.255.0 redundancy-group-id-list 1",
        "set protocols iccp peer 10.255.255.0 redundancy-group-id-list 2",
    ]
    move += [f"set interfaces ae{n} aggregated-ether-options mc-ae redundancy-group 2" for n in range(1, 5)]
    with netmiko_junos(b) as conn_b, netmiko_junos(a) as conn_a:
        formed = conn_a.send_command("show iccp")
        assert re.search(r"^    1\s+Up$", formed, re.MULTILINE)
        conn_b.send_config_set(move, exit_config_mode=False)
        conn_b.commit()
        conn_b.exit_config_mode()
        broken = conn_a.send_command("show iccp")
        assert "TCP Connection       : Established" in broken and re.search(r"^    1\s+Down$", broken, re.MULTILINE)
        side_a = mcae_fields(conn_a.send_command("show interfaces mc-ae"))
        side_b = mcae_fields(conn_b.send_command("show interfaces mc-ae"))
        assert all(f["Peer Status"] == "unknown" and f["Peer State"] == "down" for f in side_a.values())
        assert all(f["Local State"] == "up" for f in side_a.values())
        assert all(f["Local State"] == "down" and f["Current State Machine's State"] == "mcae standby state" for f in side_b.values())
        conn_b.config_mode()
        conn_b.send_command("rollback 1")
        conn_b.commit(and_quit=True)
        fixed = mcae_fields(conn_a.send_command("show interfaces mc-ae"))
        assert all(f["Peer State"] == "up" and f["Configuration Error Status"] == "No Error" for f in fixed.values())


def test_type1_mismatch_suspends_the_standby_side_and_one_sided_is_down(pair):
    a, b = pair
    with b.lock:
        b.set_statement(RESET, ("interfaces", "ae2", "aggregated-ether-options", "lacp", "admin-key", "99"))
        b.delete_statement(RESET, ("interfaces", "ae3", "aggregated-ether-options", "mc-ae"))
        b.commit(RESET, "lab", "other")
    driver = napalm_junos(a)
    try:
        side_a = mcae_fields(driver.cli(["show interfaces mc-ae"])["show interfaces mc-ae"])
    finally:
        driver.close()
    with netmiko_junos(b) as conn:
        side_b = mcae_fields(conn.send_command("show interfaces mc-ae"))
    assert side_a["ae2"]["Configuration Error Status"] == "LACP admin-key mismatch"
    assert (side_a["ae2"]["Local State"], side_a["ae2"]["Peer State"]) == ("up", "down")
    assert (side_b["ae2"]["Local State"], side_b["ae2"]["Configuration Error Status"]) == ("down", "LACP admin-key mismatch")
    assert side_a["ae3"]["Local State"] == "down" and "not configured on the peer" in side_a["ae3"]["Configuration Error Status"]
    assert "ae3" not in side_b
    assert side_a["ae1"]["Peer State"] == "up"


# --- fault knobs ------------------------------------------------------------------------------------
def test_reject_next_commit(qfx):
    a, _ = qfx
    before = a.running
    a.faults.reject_next_commit = True
    with netmiko_junos(a) as conn:
        conn.send_config_set(["set interfaces ae5 description rejected"], exit_config_mode=False)
        with pytest.raises(ValueError, match="configuration check-out failed"):
            conn.commit()
        assert a.running == before
        assert "commit complete" in conn.commit()
    assert "rejected" in a.running
    a.faults.reject_next_commit = True
    driver = napalm_junos(a)
    try:
        driver.load_merge_candidate(config="set interfaces ae6 description rejected-too")
        with pytest.raises(CommitError, match="check-out failed"):
            driver.commit_config()
        driver.discard_config()
    finally:
        driver.close()
    assert "rejected-too" not in a.running


def test_drop_on_commit_cuts_the_session_before_applying(qfx):
    a, _ = qfx
    before = a.running
    a.faults.drop_on_commit = True
    conn = ConnectHandler(
        device_type="juniper_junos", host="127.0.0.1", port=a.port, username=USER, password=PASSWORD, global_cmd_verify=False
    )
    conn.send_config_set(["set interfaces ae5 description dropped"], exit_config_mode=False)
    with pytest.raises(ReadTimeout):
        conn.commit(read_timeout=2)
    assert a.running == before and not a.faults.drop_on_commit
    with a.lock:
        a.load_rollback(RESET, 0)
    a.faults.drop_on_commit = True
    driver = napalm_junos(a)
    driver.load_merge_candidate(config="set interfaces ae6 description dropped-too")
    with pytest.raises(ConnectClosedError):
        driver.commit_config()
    assert a.running == before and a.lock_holder is None


def test_corrupt_output_and_delay(pair):
    a, _ = pair
    with netmiko_junos(a) as conn:
        clean = conn.send_command("show iccp")
        a.faults.corrupt_output = True
        assert conn.send_command("show iccp") != clean
        assert conn.send_command("show iccp") == clean
    driver = napalm_junos(a)
    try:
        clean = driver.get_config(retrieve="running")["running"]
        a.faults.corrupt_output = True
        assert driver.get_config(retrieve="running")["running"] != clean
        a.faults.delay = 0.3
        started = time.monotonic()
        driver.cli(["show iccp"])
        assert time.monotonic() - started >= 0.3
    finally:
        a.faults.delay = 0
        driver.close()


def test_refuse_login(qfx):
    a, _ = qfx
    a.faults.refuse_login = True
    with pytest.raises(NetmikoAuthenticationException):
        netmiko_junos(a)
    driver = get_network_driver("junos")("127.0.0.1", USER, PASSWORD, optional_args={"port": a.port})
    with pytest.raises(ConnectAuthError):
        driver.open()
