"""`mlagauto lab up/down/status` on the lab inventory, in the background, with the real netmiko
client logging in to one switch of every platform."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from netmiko import ConnectHandler

from tests.lab.conftest import lab_inventory_copy

DEVICE_TYPE = {"cisco_nxos": "cisco_nxos", "arista_eos": "arista_eos", "juniper_junos": "juniper_junos", "huawei_vrpv8": "huawei_vrpv8"}


@pytest.fixture
def lab_inventory(tmp_path):
    """The shipped lab inventory with free ports, so the test never collides with a running lab."""
    return lab_inventory_copy(tmp_path)


def mlagauto(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlagauto.cli", *args], capture_output=True, text=True, timeout=60, env=env)


def test_background_lab_up_status_down(lab_inventory, tmp_path, monkeypatch):
    inv, hosts = lab_inventory
    env = {**__import__("os").environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    up = mlagauto("lab", "up", "-i", str(inv), "--background", env=env)
    try:
        assert up.returncode == 0, up.stderr + up.stdout
        status = mlagauto("lab", "status", env=env)
        assert status.stdout.count("listening") == len(hosts), status.stdout
        assert "not listening" not in status.stdout
        for platform in DEVICE_TYPE:
            name, host = next((n, h) for n, h in hosts.items() if h["platform"] == platform)
            with ConnectHandler(device_type=DEVICE_TYPE[platform], host="127.0.0.1", port=host["port"], username="admin", password="admin") as conn:
                assert name in conn.find_prompt()
        again = mlagauto("lab", "up", "-i", str(inv), "--background", env=env)
        assert again.returncode == 2 and "already runs" in again.stderr
    finally:
        down = mlagauto("lab", "down", "-i", str(inv), env=env)
    assert down.returncode == 0, down.stderr
    assert "no background lab" in mlagauto("lab", "status", env=env).stdout
    assert mlagauto("lab", "down", "-i", str(inv), env=env).returncode == 1


def test_lab_refuses_a_non_loopback_inventory(lab_inventory):
    inv, hosts = lab_inventory
    for host in hosts.values():
        host["hostname"] = "10.0.0.1"
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    result = mlagauto("lab", "up", "-i", str(inv), "--background")
    assert result.returncode == 2
    assert "loopback" in result.stderr


def test_fault_knobs_and_options_from_the_inventory(lab_inventory):
    from mlagauto.lab.lab import Lab

    inv, hosts = lab_inventory
    hosts["nx-1a"]["data"]["lab"] = {"faults": {"delay": 0.25, "reject_next_commit": True}}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    lab = Lab.from_inventory(inv)
    assert lab.device("nx-1a").faults.delay == 0.25
    assert lab.device("nx-1a").faults.reject_next_commit is True
    assert lab.device("nx-1b").faults.delay == 0
    assert lab.device("eos-1a").http_port() == hosts["eos-1a"]["data"]["lab"]["http_port"]
    assert lab.device("nx-1a").peer is lab.device("nx-1b")
    hosts["nx-1a"]["data"]["lab"] = {"faults": {"explode": True}}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    with pytest.raises(ValueError, match="nx-1a: data.lab.faults.explode"):
        Lab.from_inventory(inv)
