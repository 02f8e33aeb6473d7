"""VRP V8 live state: ``parse_state`` over CloudEngine display output (V300R023 layout for
leaf-1a, V300R021 for leaf-1b, which lists its own node first), and the live rules over each pair."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlagauto.checks import validate_pair
from mlagauto.drivers import get_driver
from mlagauto.model.peer_state import PeerState

STATE = Path(__file__).resolve().parent.parent / "fixtures" / "huawei_vrpv8" / "state"
DRIVER = get_driver("huawei_vrpv8")
DFS, PEER_LINK, BRIEF, SUMMARY, TRUNKS = DRIVER.state_commands
PROMPT = re.compile(r"^<[^>]+>\s*(.*)$")


def session(name: str) -> dict[str, str]:
    """A saved CLI session (``<host> command`` then its output) as ``{command: output}``."""
    outputs: dict[str, str] = {}
    command, lines = None, []
    for line in (STATE / f"{name}.txt").read_text().splitlines():
        prompt = PROMPT.match(line)
        if prompt is None:
            lines.append(line)
            continue
        if command:
            outputs[command] = "\n".join(lines)
        command, lines = prompt.group(1), []
    return outputs


def pair(scenario: str) -> tuple[PeerState, PeerState]:
    return (
        DRIVER.parse_state(session(f"{scenario}_leaf-1a"), hostname="leaf-1a"),
        DRIVER.parse_state(session(f"{scenario}_leaf-1b"), hostname="leaf-1b"),
    )


def rules(a: PeerState, b: PeerState) -> set[str]:
    return {f.rule for f in validate_pair(a, b)}


def test_fixtures_answer_every_state_command():
    for path in STATE.glob("*.txt"):
        assert set(session(path.stem)) == set(DRIVER.state_commands), path.name


def test_healthy_pair():
    a, b = pair("healthy")
    for state, role in ((a, "primary"), (b, "secondary")):
        assert state.configured and state.domain_id == "1"
        assert (state.peer_status, state.keepalive_status, state.peer_link_status) == ("up", "up", "up")
        assert state.role == role
        assert state.consistency == "consistent" and state.consistency_reason is None
        assert state.system_id is None  # the nodes' System ID is each switch's own MAC
        assert [i.mlag_id for i in state.interfaces] == [1, 2, 4]
        assert [i.interface for i in state.interfaces] == ["Eth-Trunk1", "Eth-Trunk2", "Eth-Trunk4"]
        assert {(i.status, i.peer_status, i.consistent, i.reason) for i in state.interfaces} == {("up", "up", True, None)}
        assert [i.system_id for i in state.interfaces] == ["00:e0:fc:00:00:01", "00:e0:fc:00:00:01", None]
        assert state.warnings == []
    assert validate_pair(a, b) == []


def test_hostname_falls_back_to_the_local_sysname():
    assert DRIVER.parse_state(session("healthy_leaf-1b")).hostname == "leaf-1b"


def test_keepalive_down_with_the_consistency_check_disabled():
    a, b = pair("keepalive_down")
    assert a.keepalive_status == b.keepalive_status == "down"
    assert a.peer_status == "up" and a.consistency is None
    assert {i.consistent for i in a.interfaces + b.interfaces} == {None}
    assert rules(a, b) == {"live-keepalive"}


def test_peer_down_when_the_dfs_group_does_not_pair():
    a, b = pair("peer_down")
    assert a.peer_status == b.peer_status == "down"
    assert a.keepalive_status == "up" and a.peer_link_status == "up"
    assert a.role == b.role == "primary"
    assert {i.peer_status for i in a.interfaces} == {"down"}
    assert {"live-peer", "live-roles"} <= rules(a, b)


def test_peer_link_down_puts_the_backup_halves_down():
    a, b = pair("peer_link_down")
    assert a.peer_link_status == b.peer_link_status == "down"
    assert a.peer_status == "down" and b.role == "secondary"
    assert {(i.status, i.peer_status) for i in a.interfaces} == {("up", "down")}
    assert {(i.status, i.peer_status) for i in b.interfaces} == {("down", "up")}
    assert {"live-peer", "live-peer-link", "live-interfaces"} <= rules(a, b)


def test_one_sided_mlag_interface():
    a, b = pair("one_sided")
    assert [i.mlag_id for i in b.interfaces] == [1, 4]
    two = a.interfaces[1]
    assert (two.mlag_id, two.status, two.peer_status, two.consistent) == (2, "up", "down", False)
    assert two.reason == "M-LAG configuration is inconsistent"
    assert a.consistency == "inconsistent" and a.consistency_reason == "M-LAG configuration is inconsistent"
    missing = [f for f in validate_pair(a, b) if f.rule == "live-interfaces" and f.hosts == ["leaf-1b"]]
    assert [f.object for f in missing] == ["mlag 2"]


def test_inconsistent_interface_lacp_system_id():
    a, b = pair("lacp_system_id")
    one_a, one_b = a.interfaces[0], b.interfaces[0]
    assert (one_a.status, one_a.peer_status, one_a.consistent) == ("up", "down", False)
    assert (one_b.status, one_b.peer_status, one_b.consistent) == ("down", "up", False)
    assert one_b.reason == "LACP system-id of M-LAG is inconsistent"
    assert (one_a.system_id, one_b.system_id) == ("00:e0:fc:00:00:01", "00:e0:fc:00:00:02")
    found = validate_pair(a, b)
    assert {"live-interfaces", "live-lacp-partner", "live-consistency"} <= {f.rule for f in found}
    assert [f.object for f in found if f.rule == "live-lacp-partner"] == ["mlag 1"]


def test_brief_with_a_mode_column_and_several_failure_codes():
    outputs = session("healthy_leaf-1a")
    outputs[BRIEF] = (
        "* - Local node\n\n"
        "M-Lag ID     Interface      Mode             Port State    Status                Consistency-check\n"
        "       6     Eth-Trunk 6    active-active    Down          inactive(*)-inactive  failed(1,6)\n\n"
        "Failed reason:\n    1 -- Relationship between vlan and port is inconsistent\n"
        "    6 -- The number of M-LAG members is inconsistent\n"
    )
    (six,) = DRIVER.parse_state(outputs).interfaces
    assert (six.mlag_id, six.interface, six.status, six.peer_status, six.consistent) == (6, "Eth-Trunk6", "down", "down", False)
    assert six.reason == "Relationship between vlan and port is inconsistent; The number of M-LAG members is inconsistent"


def test_ipv6_dad_address_and_no_peer_link():
    outputs = session("healthy_leaf-1a")
    outputs[DFS] = outputs[DFS].replace("10.1.1.1", "2001:db8:200:1::1")
    outputs[PEER_LINK] = "Peer-link information\n" + "-" * 65 + "\nTotal Interface(s): 0"
    state = DRIVER.parse_state(outputs)
    assert state.peer_status == "up" and state.peer_link_status == "down" and state.warnings == []


def test_no_dfs_group_is_not_configured():
    outputs = {command: "Info: The DFS group 1 does not exist." for command in DRIVER.state_commands}
    state = DRIVER.parse_state(outputs, hostname="leaf-9")
    assert (state.configured, state.warnings, state.interfaces) == (False, [], [])
    assert "live-peer" in rules(state, state)


@pytest.mark.parametrize(
    "outputs",
    [
        {},
        {DFS: ""},
        {command: "garbage \x00\xff <<>> : ::" for command in DRIVER.state_commands},
        {command: "%%%\nNode x\nM-Lag ID\n1 Eth-Trunk" for command in DRIVER.state_commands},
        {DFS: None, BRIEF: 42},
    ],
)
def test_unreadable_output_warns_and_never_raises(outputs):
    state = DRIVER.parse_state(outputs, hostname="leaf-1a")  # type: ignore[arg-type]
    assert state.warnings and not state.configured and state.hostname == "leaf-1a"
    assert "live-state-unreadable" in rules(state, state)


def test_a_rejected_or_garbled_command_is_named_in_a_warning():
    outputs = session("healthy_leaf-1a")
    outputs[SUMMARY] = "           ^\nError: Unrecognized command found at '^' position."
    outputs[BRIEF] = outputs[BRIEF].replace("       2     Eth-Trunk 2", "       #     Eth-Trunk %")
    outputs[TRUNKS] = "lorem ipsum"
    state = DRIVER.parse_state(outputs)
    assert state.configured and state.peer_status == "up" and state.consistency is None
    assert [i.mlag_id for i in state.interfaces] == [1, 4]
    assert {i.system_id for i in state.interfaces} == {None}
    assert [w.split(":")[0] for w in state.warnings] == [SUMMARY, BRIEF, TRUNKS]
    assert state.warnings[0] == f"{SUMMARY}: Error: Unrecognized command found at '^' position."


def test_members_and_partners_from_display_eth_trunk():
    """The Local table says which members are Selected, the Partner table what each one sees; a
    manual trunk has no LACP members."""
    a, _ = pair("healthy")
    members = {i.mlag_id: i.members for i in a.interfaces}
    assert [(m.interface, m.bundled, m.partner_system_id, m.partner_system_priority, m.partner_key) for m in members[1]] == [
        ("10GE1/0/1", True, "3c:fd:fe:00:0a:01", 32768, 20290)
    ]
    assert members[4] == []


def test_member_cabled_to_another_server():
    a, b = pair("partner_mismatch")
    found = [f for f in validate_pair(a, b) if f.rule == "live-member-partner"]
    assert [(f.hosts, f.object, f.expected, f.actual, f.severity.value) for f in found] == [
        (["leaf-1b"], "mlag 2 10GE1/0/2", "3c:fd:fe:00:0a:02", "3c:fd:fe:00:0a:07", "error")
    ]
    assert rules(a, b) == {"live-member-partner"}


def test_zero_partner_is_no_partner():
    outputs = session("healthy_leaf-1b")
    text = outputs[TRUNKS].replace("32768    3cfd-fe00-0a02  32768   1      20291   10111100", "0        0000-0000-0000  0       0      0       10100011")
    assert text != outputs[TRUNKS]
    s = DRIVER.parse_state(outputs | {TRUNKS: text}, hostname="leaf-1b")
    assert [(m.interface, m.partner_system_id) for m in s.interfaces[1].members] == [("10GE1/0/2", None)]


def test_json_capture_is_reported():
    s = DRIVER.parse_state(session("healthy_leaf-1a") | {TRUNKS: '{"eth-trunk": []}'}, hostname="leaf-1a")
    assert len(s.warnings) == 1 and s.warnings[0].startswith(f"{TRUNKS}: JSON")
