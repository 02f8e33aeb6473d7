"""Junos live state end to end: both golden configs pushed to a simulated pair with netmiko, the
driver's ``state_commands`` run over netmiko and read with ``parse_state``, the live rules over the
two PeerStates; then the pair is broken the way the lab's own Junos tests break it, and the
matching live rule must fire."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from mlagauto.checks import validate_pair
from mlagauto.configtree import junos_set_lines
from mlagauto.drivers import get_driver
from mlagauto.lab.device import DeviceSpec, SimDevice
from mlagauto.lab.lab import Lab
from mlagauto.model.finding import Severity
from mlagauto.model.peer_state import PeerState

GOLDEN = Path(__file__).resolve().parents[2] / "golden_configs"
HOSTS = ("qfx-1a", "qfx-1b")
USER, PASSWORD = "admin", "admin"
DRIVER = get_driver("juniper_junos")


def connect(device: SimDevice):
    return ConnectHandler(device_type="juniper_junos", host="127.0.0.1", port=device.port, username=USER, password=PASSWORD)


def commit(device: SimDevice, lines: list[str]) -> None:
    with connect(device) as conn:
        conn.send_config_set(lines, exit_config_mode=False)
        conn.commit(and_quit=True)


def golden_lines(host: str) -> list[str]:
    paths = junos_set_lines((GOLDEN / f"{host}.cfg").read_text())
    return ["set " + " ".join(f'"{t}"' if " " in t else t for t in path) for path in paths]


@pytest.fixture(scope="module")
def lab(module_port_factory):
    specs = [DeviceSpec(n, "juniper_junos", module_port_factory(), USER, PASSWORD) for n in HOSTS]
    with Lab(specs, [HOSTS]) as running:
        for host in HOSTS:
            commit(running.device(host), golden_lines(host))
        yield running


def states(lab: Lab) -> tuple[PeerState, PeerState]:
    out = []
    for host in HOSTS:
        with connect(lab.device(host)) as conn:
            outputs = {cmd: conn.send_command(cmd) for cmd in DRIVER.state_commands}
        out.append(DRIVER.parse_state(outputs, hostname=host))
    return out[0], out[1]


def errors(a: PeerState, b: PeerState) -> set[tuple[str, str, str]]:
    return {(f.rule, f.hosts[0], f.object) for f in validate_pair(a, b) if f.severity == Severity.ERROR}


@contextmanager
def changed(device: SimDevice, lines: list[str]) -> Iterator[None]:
    """``lines`` committed on ``device`` for the block, then rolled back and committed again."""
    commit(device, lines)
    try:
        yield
    finally:
        with connect(device) as conn:
            conn.config_mode()
            conn.send_command("rollback 1")
            conn.commit(and_quit=True)


def test_golden_pair_validates_clean(lab):
    a, b = states(lab)
    assert validate_pair(a, b) == []
    assert (a.role, b.role) == ("primary", "secondary")
    for s in (a, b):
        assert (s.configured, s.domain_id, s.peer_status, s.keepalive_status, s.peer_link_status) == (True, "1", "up", "up", "up")
        assert [(i.mlag_id, i.interface, i.status, i.consistent, i.system_id) for i in s.interfaces] == [
            (n, f"ae{n}", "up", True, "00:00:00:00:00:01") for n in (1, 2, 3, 4)
        ]


def test_mismatched_redundancy_group_fires_live_peer(lab):
    move = [
        "delete protocols iccp peer 10.255.255.0 redundancy-group-id-list 1",
        "set protocols iccp peer 10.255.255.0 redundancy-group-id-list 2",
    ]
    move += [f"set interfaces ae{n} aggregated-ether-options mc-ae redundancy-group 2" for n in range(1, 5)]
    with changed(lab.device("qfx-1b"), move):
        a, b = states(lab)
        assert (a.domain_id, b.domain_id) == ("1", "2")
        assert {("live-peer", "qfx-1a", "domain"), ("live-peer", "qfx-1b", "domain")} <= errors(a, b)
    assert validate_pair(*states(lab)) == []


def test_type1_mismatch_and_one_sided_mc_ae_fire_live_interfaces(lab):
    change = [
        "set interfaces ae2 aggregated-ether-options lacp admin-key 99",
        "delete interfaces ae3 aggregated-ether-options mc-ae",
    ]
    with changed(lab.device("qfx-1b"), change):
        a, b = states(lab)
        live = {(host, obj) for rule, host, obj in errors(a, b) if rule == "live-interfaces"}
        assert live == {("qfx-1a", "mlag 2"), ("qfx-1b", "mlag 2"), ("qfx-1a", "mlag 3"), ("qfx-1b", "mlag 3")}
        assert {i.mlag_id: i.consistent for i in b.interfaces}[2] is False
    assert validate_pair(*states(lab)) == []


def test_golden_members_see_one_partner_per_mc_ae(lab):
    """The lab's ``show lacp interfaces extensive``: every member of an MC-AE, on both peers,
    collecting and distributing towards the one server behind it."""
    a, b = states(lab)
    theirs = {i.mlag_id: i.members for i in b.interfaces}
    for itf in a.interfaces:
        members = itf.members + theirs[itf.mlag_id]
        assert members and all(m.bundled for m in members)
        assert len({m.partner_system_id for m in members}) == 1 and members[0].partner_system_id
