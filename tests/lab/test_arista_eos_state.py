"""EOS live state end to end: the golden configs pushed to a simulated pair over netmiko
(``configure session`` ... ``commit``), ``EosDriver.state_commands`` run over the same SSH client,
the outputs read by ``parse_state`` and checked by the live rules. The lab computes MLAG state on
its own, so this compares two independent readings of one pair."""

from __future__ import annotations

from itertools import count
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from mlagauto.checks import validate_pair
from mlagauto.drivers import get_driver
from mlagauto.lab.device import DeviceSpec
from mlagauto.lab.lab import Lab
from mlagauto.model.peer_state import PeerState

GOLDEN = Path(__file__).resolve().parents[2] / "golden_configs"
USER, PASSWORD = "admin", "lab-pass"
HOSTS = ("eos-1a", "eos-1b")
DRIVER = get_driver("arista_eos")
SESSIONS = count(1)
"""EOS takes a session name once: a committed session cannot be entered again."""


@pytest.fixture
def eos_pair(port_factory):
    """A fresh pair with both golden configs committed."""
    specs = [DeviceSpec(name, "arista_eos", port_factory(), USER, PASSWORD, {"http_port": port_factory()}) for name in HOSTS]
    with Lab(specs, [HOSTS]) as lab:
        for name in HOSTS:
            lines = (GOLDEN / f"{name}.cfg").read_text().splitlines()
            configure(lab, name, [ln for ln in lines if ln.strip() and ln.strip() != "!"])
        yield lab


def ssh(lab: Lab, name: str):
    conn = ConnectHandler(device_type="arista_eos", host="127.0.0.1", port=lab.device(name).port, username=USER, password=PASSWORD)
    conn.enable()
    return conn


def configure(lab: Lab, name: str, lines: list[str]) -> None:
    """Commit ``lines`` in a new configuration session, as napalm's EOS driver does over SSH."""
    with ssh(lab, name) as conn:
        conn.send_command(f"configure session state{next(SESSIONS)}", expect_string=r"\)#")
        out = conn.send_config_set([*lines, "commit"], enter_config_mode=False, exit_config_mode=False)
        assert "% " not in out, out


def live(lab: Lab, name: str) -> PeerState:
    with ssh(lab, name) as conn:
        outputs = {cmd: str(conn.send_command(cmd)) for cmd in DRIVER.state_commands}
    return DRIVER.parse_state(outputs, hostname=name)


def findings(lab: Lab) -> set[tuple[str, str, str]]:
    """(rule, host, object) of every live finding on the pair."""
    return {(f.rule, h, f.object) for f in validate_pair(*(live(lab, n) for n in HOSTS)) for h in f.hosts}


def test_golden_pair_is_healthy(eos_pair):
    a, b = (live(eos_pair, n) for n in HOSTS)
    assert (a.domain_id, a.peer_status, a.keepalive_status, a.peer_link_status, a.consistency) == ("MLAG01", "up", "up", "up", "consistent")
    assert {a.role, b.role} == {"primary", "secondary"} and a.system_id == b.system_id is not None
    assert [i.mlag_id for i in a.interfaces] == [i.mlag_id for i in b.interfaces] == [11, 12, 13, 14]
    assert a.warnings == b.warnings == []
    assert validate_pair(a, b) == []


def test_domain_mismatch_breaks_the_peer(eos_pair):
    configure(eos_pair, "eos-1b", ["mlag configuration", "domain-id OTHER"])
    found = findings(eos_pair)
    assert {("live-peer", "eos-1a", "domain"), ("live-peer", "eos-1b", "domain")} <= found
    assert ("live-lacp-partner", "eos-1b", "domain") in found
    configure(eos_pair, "eos-1b", ["mlag configuration", "domain-id MLAG01"])
    assert findings(eos_pair) == set()


def test_heartbeat_into_a_missing_vrf_is_a_dead_keepalive(eos_pair):
    configure(eos_pair, "eos-1b", ["mlag configuration", "peer-address heartbeat 192.168.0.21 vrf OOB"])
    assert findings(eos_pair) == {("live-keepalive", "eos-1b", "keepalive")}


def test_one_sided_and_inconsistent_mlag_interfaces(eos_pair):
    configure(eos_pair, "eos-1b", ["interface Port-Channel14", "no mlag", "interface Port-Channel13", "switchport trunk native vlan 110"])
    a = live(eos_pair, "eos-1a")
    po13 = next(i for i in a.interfaces if i.mlag_id == 13)
    assert (po13.consistent, po13.reason) == (False, "trunk-native-vlan: local 140, peer 110")
    found = findings(eos_pair)
    assert ("live-interfaces", "eos-1b", "mlag 14") in found
    assert {("live-interfaces", h, "mlag 13") for h in HOSTS} <= found
    assert {("live-consistency", h, "domain") for h in HOSTS} <= found
    assert not any(rule in {"live-peer", "live-keepalive", "live-peer-link", "live-roles"} for rule, _, _ in found)


def both_forms(lab: Lab, name: str) -> tuple[PeerState, PeerState]:
    """The PeerState of ``name`` from the JSON of ``state_commands`` and from their text."""
    with ssh(lab, name) as conn:
        data = {cmd: str(conn.send_command(cmd)) for cmd in DRIVER.state_commands}
        text = {cmd: str(conn.send_command(cmd.split(" | ")[0])) for cmd in DRIVER.state_commands}
    return DRIVER.parse_state(data, hostname=name), DRIVER.parse_state(text, hostname=name)


def test_text_forms_read_as_the_json(eos_pair):
    """Healthy, then with a one-sided and an inconsistent MLAG, then split by the domain: the text
    the lab prints reads into the PeerState its JSON gives."""
    changes = [[], ["interface Port-Channel14", "no mlag", "interface Port-Channel13", "switchport trunk native vlan 110"], ["mlag configuration", "domain-id OTHER"]]
    for change in changes:
        if change:
            configure(eos_pair, "eos-1b", change)
        for name in HOSTS:
            data, text = both_forms(eos_pair, name)
            assert text == data, name
            assert text.warnings == []


def test_golden_members_see_one_partner_per_mlag(eos_pair):
    a, b = (live(eos_pair, n) for n in HOSTS)
    mine = {i.mlag_id: i.members for i in b.interfaces}
    with_lacp = [i for i in a.interfaces if i.members]
    assert with_lacp
    for itf in with_lacp:
        ids = {m.partner_system_id for m in itf.members + mine[itf.mlag_id]}
        assert len(ids) == 1 and None not in ids and all(m.bundled for m in itf.members)
