"""The simulated Huawei CloudEngine (VRP V8) driven by the real netmiko ``huawei_vrpv8`` client:
session preparation, two-stage commit, candidate diff, rollback points, save, the M-LAG views of a
pair pushed with the golden configs, and the fault knobs at the commit and display points."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

from mlagauto.lab.device import DeviceSpec, Faults
from mlagauto.lab.lab import Lab
from tests.lab.conftest import free_port

GOLDEN = Path(__file__).resolve().parents[2] / "golden_configs"
PROMPT = r"(?m)^(?:<[^>\n]+>|\[[~*][^\]\n]+\])$"
"""A VRP prompt on a line of its own: ``<ce-1a>``, ``[~ce-1a]``, ``[*ce-1a-Eth-Trunk1]``."""


@pytest.fixture(scope="module")
def lab():
    specs = [DeviceSpec(name, "huawei_vrpv8", free_port(), "admin", "lab-pass") for name in ("ce-1a", "ce-1b")]
    with Lab(specs, [("ce-1a", "ce-1b")]) as running:
        yield running


@pytest.fixture
def fresh(lab):
    """Both switches back to factory state (config, rollback points, saved config, knobs)."""
    for device in lab.devices.values():
        device.faults = Faults()
        device.factory_reset()
    return lab


def connect(lab, name: str, password: str = "lab-pass"):
    return ConnectHandler(
        device_type="huawei_vrpv8", host="127.0.0.1", port=lab.device(name).port, username="admin", password=password
    )


@pytest.fixture(scope="module")
def sessions(lab):
    """One netmiko session per switch, shared by the tests that leave it in the user view."""
    conns = {name: connect(lab, name) for name in ("ce-1a", "ce-1b")}
    yield conns
    for conn in conns.values():
        conn.disconnect()


def golden_lines(name: str) -> list[str]:
    return [line for line in (GOLDEN / f"{name}.cfg").read_text().splitlines() if line.strip() not in ("#", "return")]


def push(conn, lines: list[str]) -> str:
    """The project's transport: system-view, the lines, commit, back to the user view; returns the
    commit output."""
    conn.send_command("system-view", expect_string=PROMPT)
    conn.send_config_set(lines, enter_config_mode=False, exit_config_mode=False)
    output = conn.send_command("commit", expect_string=PROMPT)
    conn.send_command("return", expect_string=PROMPT)
    return output


def show(conn, command: str) -> str:
    return conn.send_command(command, expect_string=PROMPT)


# --- session and configuration ------------------------------------------------------------------------
def test_login_prompt_version_and_errors(fresh, sessions):
    conn = sessions["ce-1a"]
    assert conn.base_prompt == "ce-1a"
    assert conn.find_prompt() == "<ce-1a>"
    assert "VRP (R) software, Version 8.230" in show(conn, "display version")
    assert "VRP (R) software" in show(conn, "dis ver")
    error = conn.send_command("display bogus", expect_string=PROMPT, strip_command=False)
    caret_line, message = error.splitlines()[-2:]
    assert message == "Error: Unrecognized command found at '^' position."
    assert caret_line.index("^") == len("<ce-1a>display ")
    assert show(conn, "display current-configuration").strip() == fresh.device("ce-1a").running.strip()


def test_netmiko_push_diff_commit_rollback_save(fresh, sessions):
    conn = sessions["ce-1a"]
    device = fresh.device("ce-1a")
    factory = show(conn, "display current-configuration")
    conn.send_config_set(golden_lines("ce-1a"), exit_config_mode=False)
    assert conn.find_prompt() == "[*ce-1a-100GE1/0/6]"
    diff = show(conn, "display configuration candidate")
    assert "+interface Eth-Trunk1\n+ description server1" in diff
    assert "+ authentication-mode hmac-sha256 password %+%#" in diff
    assert device.running.strip() == factory.strip()

    conn.commit()
    running = show(conn, "display current-configuration")
    assert "interface Eth-Trunk1\n description server1\n port link-type trunk" in running
    assert "Example_Dfs_Key1" not in running and "password %+%#" in running
    assert running.rstrip().endswith("#\nreturn")
    commits = show(conn, "display configuration commit list")
    assert re.search(r"^1\s+1000000002\s+-\s+admin\s", commits, re.MULTILINE)
    assert re.search(r"^2\s+1000000001\s", commits, re.MULTILINE)
    assert "+interface Eth-Trunk4" in show(conn, "display configuration commit changes at commit-id 1000000002")

    answer = conn.send_command("rollback configuration to commit-id 1000000001", expect_string=r"Continue\?")
    assert "revert configuration changes" in answer
    assert "Succeeded" in conn.send_command("y", expect_string=PROMPT)
    assert show(conn, "display current-configuration").strip() == factory.strip()

    conn.save_config()
    assert device.startup == device.running
    assert show(conn, "display saved-configuration").strip() == factory.strip()


def test_two_stage_views_and_vlan_lists(fresh, sessions):
    conn = sessions["ce-1b"]
    conn.send_command("system-view", expect_string=PROMPT)
    assert conn.send_command("interface eth-trunk 7", expect_string=PROMPT, strip_prompt=False).endswith("[*ce-1b-Eth-Trunk7]")
    conn.send_config_set(
        ["port link-type trunk", "port trunk allow-pass vlan 10 11 12", "port trunk allow-pass vlan 30", "vlan batch 10 to 12", "vlan 30", "name STORAGE"],
        enter_config_mode=False,
        exit_config_mode=False,
    )
    assert conn.find_prompt() == "[*ce-1b-vlan30]"
    answer = conn.send_command("return", expect_string=r"\[Y\(yes\)/N\(no\)/C\(cancel\)\]:")
    assert "Uncommitted configurations found" in answer
    conn.send_command("y", expect_string=PROMPT)
    running = fresh.device("ce-1b").running
    assert "vlan batch 10 to 12 30\n#\nvlan 30\n name STORAGE" in running
    assert "interface Eth-Trunk7\n port link-type trunk\n port trunk allow-pass vlan 10 to 12 30\n#" in running
    assert conn.find_prompt() == "<ce-1b>"


# --- the pair -----------------------------------------------------------------------------------
def test_golden_pair_forms_and_breaks_on_identity_mismatch(fresh, sessions):
    a, b = sessions["ce-1a"], sessions["ce-1b"]
    assert push(a, golden_lines("ce-1a")) == ""
    assert push(b, golden_lines("ce-1b")) == ""

    for conn, state in ((a, "Master"), (b, "Backup")):
        dfs = show(conn, "display dfs-group 1 m-lag")
        assert "Heart beat state      : OK" in dfs
        assert dfs.count("Causation           : -") == 2
        local = dfs[dfs.index(" *\n") :]
        assert re.search(rf"State\s+: {state}", local)
        brief = show(conn, "display dfs-group 1 m-lag brief")
        rows = re.findall(r"^\s+(\d+)\s+Eth-Trunk \d+\s+(\S+)\s+(\S+)\s+(\S+)$", brief, re.MULTILINE)
        assert [r[0] for r in rows] == ["1", "2", "3", "4"]
        assert {(r[1], r[2].replace("(*)", "")) for r in rows} == {("Up", "active-active")}
        assert "Port State        : Up" in show(conn, "display dfs-group 1 peer-link")
        trunk = show(conn, "display eth-trunk 1")
        assert "System ID: 00e0-fc00-0001" in trunk and "Operating Status: up" in trunk

    # The DFS group ID can only be 1; what keeps two CloudEngines apart is the group's password.
    b.send_command("system-view", expect_string=PROMPT)
    assert "Error: Wrong parameter found at '^' position." in b.send_command("dfs-group 2", expect_string=PROMPT)
    b.send_command("return", expect_string=PROMPT)
    push(b, ["dfs-group 1", "authentication-mode hmac-sha256 password Other_Key_22"])
    for conn in (a, b):
        dfs = show(conn, "display dfs-group 1 m-lag")
        assert "Causation           : AUTHENTICATION FAILED" in dfs and dfs.count("Node ") == 1
        assert "inactive" in show(conn, "display dfs-group m-lag brief")
    push(b, ["dfs-group 1", "authentication-mode hmac-sha256 password Example_Dfs_Key1"])
    dfs = show(a, "display dfs-group 1 m-lag")
    assert dfs.count("Causation           : -") == 2 and dfs.count("Node ") == 2


def test_consistency_check_and_one_sided_mlag(fresh, sessions):
    a, b = sessions["ce-1a"], sessions["ce-1b"]
    strict = ["dfs-group 1", "consistency-check enable mode strict"]
    push(a, golden_lines("ce-1a") + strict)
    push(b, golden_lines("ce-1b") + strict)
    assert show(a, "display dfs-group 1 m-lag brief").count("success") == 4

    push(b, ["interface Eth-Trunk1", "mode lacp-dynamic", "interface Eth-Trunk2", "undo dfs-group 1 m-lag 2"])
    brief_a = show(a, "display dfs-group 1 m-lag brief")
    assert re.search(r"^\s+1\s+Eth-Trunk 1\s+Up\s+\S+\s+failed\(4\)$", brief_a, re.MULTILINE)
    assert re.search(r"^\s+2\s+Eth-Trunk 2\s+Up\s+(active\(\*\)-inactive|inactive-active\(\*\))\s+failed\(5\)$", brief_a, re.MULTILINE)
    brief_b = show(b, "display dfs-group 1 m-lag brief")
    assert re.search(r"^\s+1\s+Eth-Trunk 1\s+Down\s+\S*inactive\(\*\)\S*\s+failed\(4\)$", brief_b, re.MULTILINE)
    assert "Operating Status: down" in show(b, "display eth-trunk 1")


# --- fault knobs ----------------------------------------------------------------------------------------
def test_reject_next_commit_keeps_the_candidate(fresh, sessions):
    conn, device = sessions["ce-1a"], fresh.device("ce-1a")
    device.faults.reject_next_commit = True
    before = device.running
    conn.send_command("system-view", expect_string=PROMPT)
    conn.send_command("sysname renamed", expect_string=PROMPT)
    output = conn.send_command("commit", expect_string=PROMPT, strip_prompt=False)
    assert "Failed to generate committed config" in output and output.endswith("[*ce-1a]")
    assert device.running == before and device.faults.reject_next_commit is False
    assert conn.send_command("clear configuration candidate", expect_string=PROMPT, strip_prompt=False).endswith("[~ce-1a]")
    conn.send_command("return", expect_string=PROMPT)


def test_drop_on_commit_cuts_the_session_before_applying(fresh):
    device = fresh.device("ce-1b")
    device.faults.drop_on_commit = True
    before = device.running
    conn = connect(fresh, "ce-1b")
    conn.send_command("system-view", expect_string=PROMPT)
    conn.send_command("sysname renamed", expect_string=PROMPT)
    with pytest.raises(ReadTimeout):
        conn.send_command("commit", expect_string=PROMPT, read_timeout=2)
    assert not conn.is_alive()
    conn.disconnect()
    assert device.running == before and device.faults.drop_on_commit is False


def test_corrupt_output_delay_and_refused_login(fresh, sessions):
    conn, device = sessions["ce-1b"], fresh.device("ce-1b")
    clean = show(conn, "display version")
    device.faults.corrupt_output = True
    assert show(conn, "display version") != clean
    assert show(conn, "display version") == clean
    device.faults.delay = 0.3
    started = time.monotonic()
    show(conn, "display version")
    assert time.monotonic() - started >= 0.3
    device.faults.delay = 0
    device.faults.refuse_login = True
    with pytest.raises(NetmikoAuthenticationException):
        connect(fresh, "ce-1b")


# --- CLI details, on a session object (no network needed) ------------------------------------------
def test_cli_defaults_filters_discard_and_rollback_last():
    from mlagauto.lab.huawei_vrpv8 import VrpDevice

    device = VrpDevice("ce-9", 0, "admin", "lab-pass")
    shell = device.shell()
    run = shell.handle
    run("sys")
    assert shell.prompt() == "[~ce-9]"
    for line in ("dfs-group 1", "priority 100", "m-lag up-delay 240", "consistency-check enable mode loose"):
        run(line)
    assert shell.prompt() == "[*ce-9-dfs-group-1]"
    assert run("display this") == "#\ndfs-group 1\n consistency-check enable mode loose\n#\nreturn"
    assert run("priority 300").endswith("Error: Wrong parameter found at '^' position.")
    assert run("sysname").splitlines()[0] == " " * len("[*ce-9-dfs-group-1]sysname ") + "^"
    run("vlan batch 10 to 13 20")
    run("undo vlan batch 11 20")
    assert shell.prompt() == "[*ce-9]"
    assert run("display configuration candidate merge | include ^vlan") == "vlan batch 10 12 to 13"
    assert "Uncommitted configurations found" in run("quit")
    assert run("n") == "" and shell.prompt() == "<ce-9>"
    assert "dfs-group" not in device.running

    run("system-view")
    run("vlan batch 10")
    run("commit label first")
    run("vlan batch 20")
    run("commit")
    run("return")
    assert re.search(r"^2\s+1000000002\s+first\s", run("display configuration commit list"), re.MULTILINE)
    assert "Continue?" in run("rollback configuration last 1")
    assert "Succeeded" in run("y")
    assert "vlan batch 10\n" in device.running and "20" not in device.running
    assert run("display current-configuration | begin ^vlan").startswith("vlan batch 10\n#\nreturn")
