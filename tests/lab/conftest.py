"""Lab test helpers: free loopback ports, so parallel or repeated runs never collide, and a copy
of the lab inventory listening on them."""

from __future__ import annotations

import os
import random
import shutil
import socket
from pathlib import Path

import pytest
import yaml

from mlagauto.drivers import get_driver
from mlagauto.inventory import load_fabric
from mlagauto.lab.lab import Lab
from mlagauto.nornir import init_nornir
from mlagauto.transport import Session, open_session
from tests.conftest import ROOT


_LOW, _HIGH = 20000, 32000
"""Test ports come from below Linux's ephemeral range (32768-60999), so a client connection's
local port can never take a port the lab is about to bind."""
_handed_out: set[int] = set()
_next = [_LOW + random.Random(os.getpid()).randrange(_HIGH - _LOW)]


def free_port() -> int:
    """A loopback port nothing listens on, never handed out twice in this process."""
    for _ in range(_HIGH - _LOW):
        port = _next[0]
        _next[0] = _LOW + (port + 1 - _LOW) % (_HIGH - _LOW)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free loopback port left for the lab tests")


@pytest.fixture
def port_factory():
    return free_port


@pytest.fixture(scope="module")
def module_port_factory():
    """Free ports for a lab shared by the tests of one module."""
    return free_port


SECRET = "Lab-Secret-4711"


def lab_inventory_copy(tmp_path: Path) -> tuple[Path, dict]:
    """A copy of inventories/lab whose switches and servers listen on free ports."""
    inv = tmp_path / "lab"
    inv.mkdir()
    shutil.copy(ROOT / "inventories" / "example" / "groups.yaml", inv / "groups.yaml")
    shutil.copy(ROOT / "inventories" / "lab" / "defaults.yaml", inv / "defaults.yaml")
    hosts = yaml.safe_load((ROOT / "inventories" / "lab" / "hosts.yaml").read_text())
    for host in hosts.values():
        host["port"] = free_port()
        if "http_port" in (host["data"].get("lab") or {}):
            http = free_port()
            host["data"]["lab"]["http_port"] = http
            host["connection_options"]["napalm"]["extras"]["optional_args"]["port"] = http
        if host["platform"] == "juniper_junos":
            host["data"]["lab"] = {"minute_seconds": 2.0}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return inv, hosts


@pytest.fixture
def lab_env(tmp_path, monkeypatch):
    """A copy of inventories/lab on free ports, its lab running in this process, a Nornir over it."""
    monkeypatch.setenv("MLAGAUTO_USERNAME", "netops")
    monkeypatch.setenv("MLAGAUTO_PASSWORD", SECRET)
    inv, hosts = lab_inventory_copy(tmp_path)
    lab = Lab.from_inventory(inv).start()
    nr = init_nornir(inv)
    try:
        yield {"inv": inv, "lab": lab, "nr": nr, "fabric": load_fabric(inv), "backups": tmp_path / "backups", "hosts": hosts}
    finally:
        nr.close_connections()
        lab.stop()


def running_mlag(env, host):
    """The MLAG surface a lab switch of ``lab_env`` runs now, read by the project's parser."""
    device = env["lab"].device(host)
    return get_driver(device.platform).parse_config(device.running, hostname=host)


def intended(env, host):
    """The MLAG surface the inventory of ``lab_env`` intends for ``host``."""
    domain = env["fabric"].domain_of(host)
    return get_driver(domain.platform).peer_config(domain, host)


def session_of(env, host: str) -> Session:
    """A deploy session on a lab switch of ``lab_env``, over its Nornir connections."""
    nornir_host = env["nr"].inventory.hosts[host]
    return open_session(nornir_host, env["nr"].config, get_driver(nornir_host.platform))
