"""Junos live state: session transcripts of a QFX MC-LAG pair (``show iccp``, ``show interfaces
mc-ae``, ``show lacp interfaces extensive``, the interfaces configuration) read as PeerStates, and
the live rules they make fire."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlagauto.checks import validate_pair
from mlagauto.drivers import get_driver
from mlagauto.model.finding import Severity
from mlagauto.model.peer_state import PeerState

STATE = Path(__file__).resolve().parent.parent / "fixtures" / "juniper_junos" / "state"
DRIVER = get_driver("juniper_junos")
PROMPT = re.compile(r"^\S+@[\w.-]+> ?(.*?)\s*$")


def outputs(name: str) -> dict[str, str]:
    """A transcript split at its prompts: {command: what the switch printed}."""
    out: dict[str, str] = {}
    command: str | None = None
    lines: list[str] = []
    for line in (STATE / name).read_text().splitlines():
        prompt = PROMPT.match(line)
        if prompt is None:
            lines.append(line)
            continue
        if command:
            out[command] = "\n".join(lines)
        command, lines = prompt.group(1), []
    return out


def state(name: str) -> PeerState:
    """The PeerState of a transcript named ``<host>-<case>.txt``."""
    return DRIVER.parse_state(outputs(name), hostname="-".join(name.split("-")[:2]))


def fired(a: PeerState, b: PeerState) -> set[tuple[str, str, str]]:
    return {(f.rule, f.hosts[0], f.object) for f in validate_pair(a, b)}


def test_transcripts_hold_every_state_command():
    for path in STATE.iterdir():
        assert set(outputs(path.name)) == set(DRIVER.state_commands), path.name


def test_state_commands_are_text_commands():
    assert all("display json" not in cmd for cmd in DRIVER.state_commands)


def test_healthy_active_peer():
    a = state("dc1-leaf1-healthy.txt")
    assert a.warnings == []
    assert (a.configured, a.domain_id, a.peer_status, a.keepalive_status, a.peer_link_status) == (True, "10", "up", "up", "up")
    assert a.role == "primary"
    assert a.system_id is None and a.consistency is None
    assert [(i.mlag_id, i.interface) for i in a.interfaces] == [(1, "ae1"), (2, "ae2"), (3, "ae3")]
    for itf in a.interfaces:
        assert (itf.status, itf.peer_status, itf.consistent, itf.reason, itf.system_id) == ("up", "up", True, None, "02:00:00:00:00:0a")


def test_healthy_standby_peer_pairs_mc_ae_by_id_not_by_name():
    b = state("dc1-leaf2-healthy.txt")
    assert b.warnings == [] and b.role == "secondary" and b.domain_id == "10"
    assert [(i.mlag_id, i.interface) for i in b.interfaces] == [(1, "ae1"), (2, "ae2"), (3, "ae5")]


def test_healthy_pair_validates_clean():
    assert validate_pair(state("dc1-leaf1-healthy.txt"), state("dc1-leaf2-healthy.txt")) == []


def test_domain_mismatch_keeps_tcp_but_the_group_is_down():
    a, b = state("dc1-leaf1-domain-mismatch.txt"), state("dc1-leaf2-domain-mismatch.txt")
    assert (a.domain_id, b.domain_id) == ("10", "20")
    assert a.peer_status == b.peer_status == "down"
    assert a.keepalive_status == "up" and a.peer_link_status == "up"
    assert all(i.status == "up" and i.peer_status == "down" for i in a.interfaces)
    assert all(i.status == "down" and i.reason == "mcae standby state" and i.consistent for i in b.interfaces)
    found = fired(a, b)
    assert {("live-peer", "dc1-leaf1", "domain"), ("live-peer", "dc1-leaf2", "domain")} <= found
    assert ("live-interfaces", "dc1-leaf2", "mlag 1") in found


def test_keepalive_down():
    b = state("dc1-leaf2-keepalive-down.txt")
    assert (b.peer_status, b.keepalive_status) == ("up", "down")
    assert {f.rule for f in validate_pair(state("dc1-leaf1-healthy.txt"), b)} == {"live-keepalive"}


def test_one_sided_mc_ae():
    a = state("dc1-leaf1-one-sided.txt")
    assert a.interfaces[-1].mlag_id == 4 and (a.interfaces[-1].status, a.interfaces[-1].peer_status) == ("up", "down")
    found = {(f.rule, f.hosts[0], f.object, f.message) for f in validate_pair(a, state("dc1-leaf2-healthy.txt"))}
    assert found == {("live-interfaces", "dc1-leaf2", "mlag 4", "MLAG 4 is not present on this peer")}


def test_inconsistent_mc_ae():
    a, b = state("dc1-leaf1-inconsistent.txt"), state("dc1-leaf2-inconsistent.txt")
    bad = {i.mlag_id: i for i in b.interfaces}[2]
    assert (bad.status, bad.consistent, bad.reason) == ("down", False, "LACP admin-key mismatch")
    assert {i.mlag_id: i for i in a.interfaces}[2].status == "up"
    findings = [f for f in validate_pair(a, b) if f.rule == "live-interfaces"]
    assert {(f.hosts[0], f.object) for f in findings} == {("dc1-leaf1", "mlag 2"), ("dc1-leaf2", "mlag 2")}
    assert all("LACP admin-key mismatch" in f.message for f in findings)


# --- tolerance and unreadable output ------------------------------------------------------------
def test_label_spacing_and_liveness_spelling_vary():
    text = outputs("dc1-leaf1-healthy.txt")
    text["show iccp"] = (
        "Redundancy Group Information for peer 10.255.255.1\n"
        "  TCP Connection         : Established\n"
        "  Liveness Detection     : Down\n"
        "  Redundancy Group ID    Status\n"
        "  10                     Up\n"
    )
    s = DRIVER.parse_state(text)
    assert (s.domain_id, s.peer_status, s.keepalive_status) == ("10", "down", None)


def test_mc_ae_without_a_readable_id_is_left_out_with_a_warning():
    text = outputs("dc1-leaf1-healthy.txt")
    cmd = "show configuration interfaces | display set"
    text[cmd] = "\n".join(line for line in text[cmd].splitlines() if "ae3 aggregated-ether-options mc-ae mc-ae-id" not in line)
    s = DRIVER.parse_state(text)
    assert [i.mlag_id for i in s.interfaces] == [1, 2]
    assert any(w.startswith("ae3: show interfaces mc-ae lists it") for w in s.warnings)


def test_switch_without_mc_lag():
    empty = {"show iccp": "", "show interfaces mc-ae": "", "show lacp interfaces extensive": "", "show configuration interfaces | display set": "set interfaces em0 unit 0 family inet address 192.168.0.31/24\n"}
    s = DRIVER.parse_state(empty, hostname="x")
    assert (s.configured, s.peer_status, s.interfaces, s.warnings) == (False, None, [], [])


@pytest.mark.parametrize(
    "outputs_given",
    [
        {},
        dict.fromkeys(DRIVER.state_commands, ""),
        dict.fromkeys(DRIVER.state_commands, "\x00\xff garbage \x1b[2J"),
        dict.fromkeys(DRIVER.state_commands, "                  ^\nunknown command."),
        {"show iccp": "error: the iccp subsystem is not running"},
        dict.fromkeys(DRIVER.state_commands, None),
        {"show iccp": 42},
    ],
    ids=["nothing", "all-empty", "garbage", "unknown-command", "cli-error", "none-values", "wrong-type"],
)
def test_unreadable_outputs_give_warnings_never_exceptions(outputs_given):
    s = DRIVER.parse_state(outputs_given, hostname="leaf9")
    assert s.warnings and s.hostname == "leaf9" and s.interfaces == []
    peer = state("dc1-leaf1-healthy.txt")
    rules = {f.rule for f in validate_pair(peer, s) if f.severity == Severity.WARNING}
    assert "live-state-unreadable" in rules


def test_members_and_partners_from_lacp_extensive():
    """Each MC-AE member with its mux state and the partner row of ``LACP info``."""
    ae3 = next(i for i in state("dc1-leaf1-healthy.txt").interfaces if i.mlag_id == 3)
    assert [(m.interface, m.bundled, m.partner_system_id, m.partner_key, m.partner_port) for m in ae3.members] == [
        ("xe-0/0/3", True, "00:1b:21:3a:4f:30", 13, 1),
        ("xe-0/0/4", True, "00:1b:21:3a:4f:30", 13, 2),
    ]


def test_member_cabled_to_another_server():
    """dc1-leaf2's xe-0/0/6 (mc-ae 3, on its ae5) reaches another server and stays detached."""
    a, b = state("dc1-leaf1-partner-mismatch.txt"), state("dc1-leaf2-partner-mismatch.txt")
    odd = next(m for i in b.interfaces for m in i.members if m.interface == "xe-0/0/6")
    assert (odd.bundled, odd.partner_system_id) == (False, "00:1b:21:3a:4f:31")
    errors = [f for f in validate_pair(a, b) if f.severity == Severity.ERROR]
    assert [(f.rule, f.hosts, f.object, f.expected, f.actual) for f in errors] == [
        ("live-member-partner", ["dc1-leaf2"], "mlag 3 xe-0/0/6", "00:1b:21:3a:4f:30", "00:1b:21:3a:4f:31")
    ]


def test_json_capture_is_reported_not_read():
    cmd = DRIVER.state_commands[2]
    s = DRIVER.parse_state(outputs("dc1-leaf1-healthy.txt") | {cmd: '{"lacp-interface-information-list": [{}]}'}, hostname="dc1-leaf1")
    assert s.warnings == [f"{cmd}: the JSON form is not read; save the text output of `{cmd}`"]
    assert all(i.members == [] and i.system_id is None for i in s.interfaces)
