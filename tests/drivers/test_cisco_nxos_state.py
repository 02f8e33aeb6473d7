"""Cisco NX-OS live state: ``show vpc``, ``show vpc role``, ``show port-channel summary`` and
``show lacp neighbor`` as the switch prints them, read into PeerStates that the live rules pass on
a healthy pair and fail on each fault.

Fixtures (``tests/fixtures/cisco_nxos/state/<case>-<host>/``, see the README there) hold one
output per command. ``| json`` prints every value as a string; the ``peer-link-down`` pair is in
the ``| json native`` form (numbers as numbers, rows always in lists, the ``vpc-end`` key printed
twice), which the parser reads just the same. Where a case has the text form too, it must read
into the very PeerState its JSON gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlagauto.checks import validate_pair
from mlagauto.drivers import get_driver
from mlagauto.model.finding import Severity
from mlagauto.model.peer_state import LacpMemberState, MlagInterfaceState, PeerState

STATE = Path(__file__).resolve().parent.parent / "fixtures" / "cisco_nxos" / "state"
DRIVER = get_driver("cisco_nxos")
VPC, ROLE, SUMMARY, LACP = DRIVER.state_commands
STEMS = {VPC: "show_vpc", ROLE: "show_vpc_role", SUMMARY: "show_port-channel_summary", LACP: "show_lacp_neighbor"}
FILES = {command: f"{stem}.json" for command, stem in STEMS.items() if command != LACP}
SYSTEM_MAC = "00:23:04:ee:be:0a"


def outputs(case: str, form: str = "json") -> dict[str, str]:
    """The outputs of one fixture folder in ``form`` (``json`` or ``txt``); ``show lacp neighbor``
    is text in both."""
    folder = STATE / case
    files = {command: folder / f"{stem}.{'txt' if command == LACP else form}" for command, stem in STEMS.items()}
    return {command: path.read_text() for command, path in files.items() if path.is_file()}


def state(case: str, host: str | None = None) -> PeerState:
    return DRIVER.parse_state(outputs(case), hostname=host)


def pair(case: str) -> tuple[PeerState, PeerState]:
    return state(f"{case}-nx-a", "nx-a"), state(f"{case}-nx-b", "nx-b")


def errors(a: PeerState, b: PeerState) -> set[tuple[str, str, str]]:
    """(rule, host, object) of every error the live rules report."""
    return {(f.rule, ",".join(f.hosts), f.object) for f in validate_pair(a, b) if f.severity == Severity.ERROR}


def test_state_commands_are_json_but_the_lacp_neighbors() -> None:
    assert DRIVER.state_commands == ("show vpc | json", "show vpc role | json", "show port-channel summary | json", "show lacp neighbor")


def test_healthy_primary() -> None:
    a = state("healthy-nx-a", "nx-a")
    assert a.model_dump(exclude={"interfaces"}) == {
        "platform": "cisco_nxos",
        "hostname": "nx-a",
        "configured": True,
        "domain_id": "10",
        "peer_status": "up",
        "keepalive_status": "up",
        "peer_link_status": "up",
        "role": "primary",
        "system_id": SYSTEM_MAC,
        "consistency": "consistent",
        "consistency_reason": None,
        "warnings": [],
        "unreachable": None,
    }
    assert [i.model_copy(update={"members": []}) for i in a.interfaces] == [
        MlagInterfaceState(mlag_id=vpc, interface=f"port-channel{vpc}", status="up", consistent=True) for vpc in (11, 12, 14)
    ]


def test_healthy_pair_passes_every_live_rule() -> None:
    a, b = pair("healthy")
    assert all(i.members for i in a.interfaces + b.interfaces)
    assert (a.role, b.role) == ("primary", "secondary")
    assert a.system_id == b.system_id == SYSTEM_MAC
    assert validate_pair(a, b) == []


def test_peer_link_down_in_json_native_form() -> None:
    """Peer-link lost while the keepalive still answers: the primary keeps forwarding, the
    secondary suspends its vPCs."""
    a, b = pair("peer-link-down")
    for me in (a, b):
        assert (me.configured, me.peer_status, me.keepalive_status, me.peer_link_status) == (True, "down", "up", "down")
        assert me.consistency == "consistent"
    assert {i.status for i in a.interfaces} == {"up"}
    assert {(i.status, i.consistent, i.reason) for i in b.interfaces} == {("down", True, None)}
    assert errors(a, b) == {
        ("live-peer", "nx-a", "domain"),
        ("live-peer", "nx-b", "domain"),
        ("live-peer-link", "nx-a", "peer-link"),
        ("live-peer-link", "nx-b", "peer-link"),
        ("live-interfaces", "nx-b", "mlag 11"),
        ("live-interfaces", "nx-b", "mlag 12"),
        ("live-interfaces", "nx-b", "mlag 14"),
    }


def test_keepalive_down() -> None:
    a, b = pair("keepalive-down")
    assert (a.keepalive_status, a.peer_status, a.peer_link_status) == ("down", "up", "up")
    assert errors(a, b) == {("live-keepalive", "nx-a", "keepalive"), ("live-keepalive", "nx-b", "keepalive")}


def test_one_sided_vpc() -> None:
    """vPC 14 exists on nx-a only: down there, with a consistency check NX-OS could not run."""
    a, b = pair("one-sided")
    lone = a.interfaces[-1]
    assert (lone.mlag_id, lone.status, lone.consistent, lone.reason) == (14, "down", None, "Consistency Check Not Performed")
    assert [i.mlag_id for i in b.interfaces] == [11, 12]
    assert errors(a, b) == {("live-interfaces", "nx-a", "mlag 14"), ("live-interfaces", "nx-b", "mlag 14")}


def test_type1_mismatch_on_one_vpc() -> None:
    """MTU differs on vPC 11: both halves report it inconsistent, the secondary suspends its half."""
    a, b = pair("mtu-mismatch")
    reason = "vPC type-1 configuration incompatible - MTU inconsistent"
    assert (a.interfaces[0].status, a.interfaces[0].consistent, a.interfaces[0].reason) == ("up", False, reason)
    assert (b.interfaces[0].status, b.interfaces[0].consistent, b.interfaces[0].reason) == ("down", False, reason)
    assert a.consistency == b.consistency == "consistent"
    assert errors(a, b) == {("live-interfaces", "nx-a", "mlag 11"), ("live-interfaces", "nx-b", "mlag 11")}


def test_global_type1_mismatch() -> None:
    a, b = pair("stp-mismatch")
    for me in (a, b):
        assert (me.consistency, me.consistency_reason) == ("inconsistent", "vPC type-1 configuration incompatible - STP Mode inconsistent")
    assert {i.status for i in b.interfaces} == {"down"}
    found = errors(a, b)
    assert {("live-consistency", "nx-a", "domain"), ("live-consistency", "nx-b", "domain")} <= found
    assert {rule for rule, _, _ in found} == {"live-consistency", "live-interfaces"}


def test_switch_without_vpc_domain() -> None:
    """An unconfigured switch prints failed checks for want of a peer-link: no verdict, and its
    role output (whatever it is) does not matter."""
    s = DRIVER.parse_state({**outputs("unconfigured"), "show vpc role | json": ""}, hostname="nx-a")
    assert (s.configured, s.domain_id, s.role, s.system_id, s.consistency, s.warnings) == (False, None, None, None, None, [])
    assert errors(s, state("healthy-nx-b", "nx-b")) >= {("live-peer", "nx-a", "domain")}


@pytest.mark.parametrize(
    ("value", "role"),
    [("primary", "primary"), ("secondary", "secondary"), ("secondary-primary", "primary"), ("primary-secondary", "secondary"), ("none-established", None)],
)
def test_role_in_force(value: str, role: str | None) -> None:
    """``secondary-primary`` is a configured secondary that has taken over as operational primary."""
    text = outputs("healthy-nx-a")["show vpc | json"].replace('"vpc-role":"primary"', f'"vpc-role":"{value}"')
    roles = '{"vpc-current-role":"none-established","vpc-system-mac":"00:23:04:ee:be:0a"}'
    assert DRIVER.parse_state({"show vpc | json": text, "show vpc role | json": roles}).role == role


def test_keepalive_alive_for_a_peer_of_another_domain() -> None:
    """The keepalive reaches the peer but the domains differ: the keepalive is up, the peer is not."""
    text = outputs("peer-link-down-nx-a")["show vpc | json"].replace('"peer-alive"', '"peer-alive-domain-mismatch"')
    s = DRIVER.parse_state({**outputs("peer-link-down-nx-a"), "show vpc | json": text})
    assert (s.keepalive_status, s.peer_status) == ("up", "down")


@pytest.mark.parametrize(
    "garbage",
    ["", "   \n", " ^\n% Invalid command at '^' marker.", '{"vpc-domain-id": "10", "TABLE_vpc": {', "[1, 2]", "null", "\x00\xff{}}"],
)
def test_unreadable_output_gives_warnings_not_exceptions(garbage: str) -> None:
    s = DRIVER.parse_state({"show vpc | json": garbage, "show vpc role | json": garbage}, hostname="nx-a")
    assert s.configured is False and s.interfaces == []
    assert len(s.warnings) == 2 and all(w.startswith(("show vpc | json:", "show vpc role | json:")) for w in s.warnings)


def test_missing_outputs_are_reported() -> None:
    s = DRIVER.parse_state({})
    assert s.warnings == ["show vpc | json: no output", "show vpc role | json: no output"]
    assert {"live-state-unreadable", "live-peer"} <= {f.rule for f in validate_pair(s, state("healthy-nx-b"))}


def test_unexpected_json_shapes_never_raise() -> None:
    """Rows that are not objects, ids that are not numbers, tables of the wrong type: each bad row
    is dropped with a warning, the rest is still read."""
    good = '{"vpc-id":"12","vpc-ifindex":"Po12","vpc-port-state":"1","vpc-consistency":"consistent","vpc-consistency-status":"SUCCESS"}'
    text = '{"vpc-domain-id":"10","TABLE_peerlink":"x","TABLE_vpc":{"ROW_vpc":[7,{"vpc-id":"eleven"},{"vpc-ifindex":"Po9"},' + good + "]}}"
    s = DRIVER.parse_state({"show vpc | json": text, "show vpc role | json": '{"vpc-system-mac": 5}'})
    assert s.configured and s.peer_link_status is None and s.system_id is None
    assert [(i.mlag_id, i.interface, i.status) for i in s.interfaces] == [(12, "port-channel12", "up")]
    assert len(s.warnings) == 2 and all("ignored vPC row" in w for w in s.warnings)
    assert DRIVER.parse_state({"show vpc | json": '{"vpc-domain-id": {"x": 1}}'}).configured is False
    assert DRIVER.parse_state(None).warnings  # type: ignore[arg-type]


# --- text forms ------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["healthy-nx-a", "healthy-nx-b", "keepalive-down-nx-a", "keepalive-down-nx-b", "mtu-mismatch-nx-a", "mtu-mismatch-nx-b", "unconfigured"])
def test_text_reads_as_the_json(case: str) -> None:
    text, data = outputs(case, "txt"), outputs(case, "json")
    assert set(text) == set(data) and set(text) >= {VPC}
    assert DRIVER.parse_state(text, hostname="nx") == DRIVER.parse_state(data, hostname="nx")


def test_wrapped_reason_of_a_vpc_row_is_joined() -> None:
    """NX-OS wraps a long reason over the lines below its row; the VLAN cell ends the first line."""
    b = DRIVER.parse_state(outputs("mtu-mismatch-nx-b", "txt"))
    assert (b.interfaces[0].status, b.interfaces[0].reason) == ("down", "vPC type-1 configuration incompatible - MTU inconsistent")


def test_text_role_falls_back_on_show_vpc_role() -> None:
    """``show vpc`` names no role yet; ``show vpc role`` gives it, and the vPC system MAC."""
    text = outputs("healthy-nx-b", "txt")
    vpc = text[VPC].replace(": secondary   ", ": none established")
    assert vpc != text[VPC]
    s = DRIVER.parse_state({VPC: vpc, ROLE: text[ROLE]})
    assert (s.role, s.system_id) == ("secondary", SYSTEM_MAC)


def test_members_with_their_partner() -> None:
    """Bundled from ``show port-channel summary``, the partner (system id without NX-OS's dropped
    zeros, hex key and port) from ``show lacp neighbor``."""
    a = state("healthy-nx-a", "nx-a")
    assert a.interfaces[-1].members == [
        LacpMemberState(interface=f"Ethernet1/{k}", bundled=True, partner_system_id="3c:fd:fe:a1:00:14", partner_system_priority=32768, partner_key=14, partner_port=k - 2)
        for k in (3, 4)
    ]
    assert DRIVER.parse_state(outputs("healthy-nx-a", "txt")).interfaces == a.interfaces


def test_member_cabled_to_another_server() -> None:
    """A ticket's text captures: nx-b's Ethernet1/4 of vPC 14 reaches another server (and is left
    individual); the rest of the pair is healthy."""
    a, b = (DRIVER.parse_state(outputs(f"partner-mismatch-{h}", "txt"), hostname=h) for h in ("nx-a", "nx-b"))
    assert a.warnings == b.warnings == []
    odd = b.interfaces[-1].members[1]
    assert (odd.interface, odd.bundled, odd.partner_system_id) == ("Ethernet1/4", False, "3c:fd:fe:a1:00:15")
    (finding,) = [f for f in validate_pair(a, b) if f.severity == Severity.ERROR]
    assert (finding.rule, finding.hosts, finding.object) == ("live-member-partner", ["nx-b"], "mlag 14 Ethernet1/4")
    assert (finding.expected, finding.actual) == ("3c:fd:fe:a1:00:14", "3c:fd:fe:a1:00:15")


def test_member_without_partner_has_none() -> None:
    text = outputs("healthy-nx-a")[LACP].replace("32768,3c-fd-fe-a1-0-12", "0,0-0-0-0-0-0     ")
    members = DRIVER.parse_state({**outputs("healthy-nx-a"), LACP: text}).interfaces[1].members
    assert [(m.interface, m.bundled, m.partner_system_id, m.partner_key) for m in members] == [("Ethernet1/2", True, None, None)]


def test_member_outputs_are_optional() -> None:
    """Without the two member outputs the vPC state is read all the same, without members."""
    s = DRIVER.parse_state({VPC: outputs("healthy-nx-a")[VPC], ROLE: outputs("healthy-nx-a")[ROLE]})
    assert s.warnings == [] and s.interfaces and not any(i.members for i in s.interfaces)


@pytest.mark.parametrize("command", [SUMMARY, LACP])
def test_unreadable_member_output_is_named(command: str) -> None:
    garbage = {SUMMARY: "% Invalid command at '^' marker.", LACP: '{"TABLE_interface": {}}'}[command]
    s = DRIVER.parse_state({**outputs("healthy-nx-a"), command: garbage})
    assert len(s.warnings) == 1 and s.warnings[0].startswith(f"{command}:")
    assert [i.status for i in s.interfaces] == ["up", "up", "up"]
