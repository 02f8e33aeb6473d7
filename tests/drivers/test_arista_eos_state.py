"""Arista EOS live state: ``show mlag detail``, ``show mlag interfaces``, ``show mlag
config-sanity`` and ``show lacp neighbor``, as JSON and as text, read into PeerStates, and the live
rules over the pairs of the fixtures. Where a fixture has both forms, the text must read into the
very PeerState its JSON gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlagauto.checks import validate_pair
from mlagauto.drivers import get_driver
from mlagauto.model.peer_state import LacpMemberState, PeerState

STATE = Path(__file__).resolve().parent.parent / "fixtures" / "arista_eos" / "state"
DRIVER = get_driver("arista_eos")
DETAIL, PORTS, SANITY, LACP = DRIVER.state_commands


def outputs(case: str, host: str, form: str = "json") -> dict[str, str]:
    """The fixture files of one switch in ``form`` (``json`` or ``txt``), by command (``show mlag
    detail | json`` is ``show_mlag_detail.json``); a command without a file is left out."""
    folder = STATE / case / host
    files = {cmd: folder / f"{cmd.split(' | ')[0].replace(' ', '_')}.{form}" for cmd in DRIVER.state_commands}
    return {cmd: path.read_text() for cmd, path in files.items() if path.is_file()}


def state(case: str, host: str) -> PeerState:
    return DRIVER.parse_state(outputs(case, host), hostname=host)


def pair(case: str) -> tuple[PeerState, PeerState]:
    return state(case, "leaf1a"), state(case, "leaf1b")


def rules(case: str) -> dict[str, list[str]]:
    """Rule id -> the hosts of each finding, over the pair of ``case``."""
    out: dict[str, list[str]] = {}
    for f in validate_pair(*pair(case)):
        out.setdefault(f.rule, []).extend(f.hosts)
    return out


def test_commands_are_json_over_the_cli():
    assert DRIVER.state_commands == ("show mlag detail | json", "show mlag interfaces | json", "show mlag config-sanity | json", "show lacp neighbor | json")


def test_healthy_pair_fields():
    a, b = pair("healthy")
    assert (a.platform, a.hostname, a.configured, a.domain_id) == ("arista_eos", "leaf1a", True, "POD1_MLAG")
    for s in (a, b):
        assert (s.peer_status, s.keepalive_status, s.peer_link_status) == ("up", "up", "up")
        assert (s.system_id, s.consistency, s.consistency_reason, s.warnings) == ("2a:99:3a:5e:a0:11", "consistent", None, [])
    assert (a.role, b.role) == ("primary", "secondary")
    assert [(i.mlag_id, i.interface) for i in a.interfaces] == [(5, "Port-Channel105"), (21, "Port-Channel21"), (30, "Port-Channel30")]
    assert {(i.status, i.peer_status, i.consistent, i.reason, i.system_id) for i in a.interfaces + b.interfaces} == {("up", "up", True, None, None)}


def test_healthy_pair_passes_every_live_rule():
    assert validate_pair(*pair("healthy")) == []


def test_domain_mismatch_never_connects():
    a, b = pair("domain_mismatch")
    assert (b.domain_id, b.configured, b.peer_status, b.peer_link_status, b.keepalive_status) == ("POD1_MLAG2", True, "down", "up", "down")
    assert (a.consistency, a.role, b.role) == (None, "primary", "primary")
    assert a.system_id == "2a:99:3a:5e:a0:11" and b.system_id == "2a:99:3a:61:4c:d7"
    port = a.interfaces[0]
    assert (port.status, port.peer_status, port.consistent) == ("down", None, None)
    assert port.reason == "port-channel up, MLAG state configured"
    found = rules("domain_mismatch")
    assert found["live-peer"] == ["leaf1a", "leaf1b"] and found["live-keepalive"] == ["leaf1a", "leaf1b"]
    assert "live-roles" in found and "live-lacp-partner" in found and len(found["live-interfaces"]) == 6
    assert "live-peer-link" not in found and "live-consistency" not in found


def test_keepalive_down_is_the_only_finding():
    a, b = pair("keepalive_down")
    assert (a.keepalive_status, b.keepalive_status, a.peer_status) == ("down", "down", "up")
    assert rules("keepalive_down") == {"live-keepalive": ["leaf1a", "leaf1b"]}


def test_one_sided_mlag_interface():
    a, b = pair("one_sided")
    po30 = a.interfaces[-1]
    assert (po30.mlag_id, po30.status, po30.peer_status, po30.reason) == (30, "up", None, None)
    assert [i.mlag_id for i in b.interfaces] == [5, 21]
    findings = [f for f in validate_pair(a, b) if f.rule == "live-interfaces"]
    assert [(f.hosts, f.object) for f in findings] == [(["leaf1b"], "mlag 30")]
    assert rules("one_sided") == {"live-interfaces": ["leaf1b"]}


def test_config_sanity_reasons():
    a, b = pair("inconsistent")
    assert a.consistency == "inconsistent"
    assert a.consistency_reason == "mlag reload-delay: local 780, peer 600"
    assert b.consistency_reason == "mlag reload-delay: local 600, peer 780"
    po21 = next(i for i in a.interfaces if i.mlag_id == 21)
    assert (po21.status, po21.consistent, po21.reason) == ("up", False, "trunk-native-vlan: local 10, peer 1")
    assert {i.consistent for i in a.interfaces if i.mlag_id != 21} == {True}
    findings = validate_pair(a, b)
    assert {(f.rule, f.object) for f in findings} == {("live-consistency", "domain"), ("live-interfaces", "mlag 21")}
    assert "inconsistent: trunk-native-vlan: local 10, peer 1" in next(f.message for f in findings if f.hosts == ["leaf1a"] and f.rule == "live-interfaces")


def test_interface_only_inconsistency_names_the_interfaces():
    data = outputs("inconsistent", "leaf1a")
    sanity = json.loads(data[SANITY])
    sanity["globalConfiguration"] = {}
    data[SANITY] = json.dumps(sanity)
    assert DRIVER.parse_state(data).consistency_reason == "interface inconsistencies on Port-Channel21"


def test_disabled_mlag_is_not_configured():
    spine = state("disabled", "spine1")
    assert (spine.configured, spine.domain_id, spine.peer_status, spine.system_id, spine.role) == (False, None, None, None, None)
    assert spine.interfaces == [] and spine.warnings == []
    findings = validate_pair(state("healthy", "leaf1a"), spine)
    assert {(f.rule, f.object) for f in findings} == {("live-peer", "domain"), ("live-interfaces", "mlag 5"), ("live-interfaces", "mlag 21"), ("live-interfaces", "mlag 30")}
    assert {h for f in findings for h in f.hosts} == {"spine1"}


def test_peer_link_down():
    data = outputs("healthy", "leaf1a")
    detail = json.loads(data[DETAIL])
    detail.update(state="inactive", negStatus="connecting", peerLinkStatus="lowerLayerDown", localIntfStatus="lowerLayerDown")
    detail.pop("configSanity")
    data[DETAIL] = json.dumps(detail, indent=4)
    s = DRIVER.parse_state(data, hostname="leaf1a")
    assert (s.peer_link_status, s.peer_status, s.consistency) == ("down", "down", None)
    assert {"live-peer", "live-peer-link"} <= {f.rule for f in validate_pair(s, state("healthy", "leaf1b"))}


def test_rows_of_the_peers_half_alone_are_not_this_switchs():
    """A row with no local port-channel (the peer's half only) is an MLAG this switch lacks."""
    data = outputs("healthy", "leaf1b")
    ports = json.loads(data[PORTS])
    ports["interfaces"]["30"] = {"localInterface": "", "peerInterface": "Port-Channel30", "localInterfaceStatus": "n/a", "peerInterfaceStatus": "up", "status": "active-partial"}
    data[PORTS] = json.dumps(ports)
    assert [i.mlag_id for i in DRIVER.parse_state(data).interfaces] == [5, 21]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2a:99:3a:5e:a0:11", "2a:99:3a:5e:a0:11"), ("2A-99-3A-5E-A0-11", "2a:99:3a:5e:a0:11"), ("2a99.3a5e.a011", "2a:99:3a:5e:a0:11"), ("00:00:00:00:00:00", None), ("", None), (None, None), ("zz:99:3a:5e:a0:11", None)],
)
def test_system_id_normalised(value, expected):
    data = outputs("healthy", "leaf1a")
    detail = json.loads(data[DETAIL])
    detail["systemId"] = value
    data[DETAIL] = json.dumps(detail)
    assert DRIVER.parse_state(data).system_id == expected


GARBAGE = [
    "",
    "   \n",
    "% Invalid input (at token 3: 'json')",
    "MLAG Configuration:\ndomain-id                          :           POD1_MLAG\n",
    '{"errors": ["This is an unconverted command"]}',
    "[1, 2, 3]",
    '{"state": 7, "interfaces": ["x"], "globalConfiguration": "y", "interfaceConfiguration": {"k": 1}}',
    '{"truncated": ',
    "\x00\xff\ufffd",
]


@pytest.mark.parametrize("text", GARBAGE)
@pytest.mark.parametrize("command", [DETAIL, PORTS, SANITY])
def test_garbage_gives_warnings_never_exceptions(command, text):
    data = outputs("healthy", "leaf1a") | {command: text}
    s = DRIVER.parse_state(data, hostname="leaf1a")
    assert s.warnings, s
    assert s.hostname == "leaf1a"
    if command == SANITY:  # the pair-level fields do not depend on config-sanity
        assert (s.configured, s.peer_status, s.consistency) == (True, "up", "consistent")


def test_missing_and_mistyped_outputs():
    nothing = DRIVER.parse_state({}, hostname="x")
    assert not nothing.configured and len(nothing.warnings) == 3
    assert [f.rule for f in validate_pair(nothing, state("healthy", "leaf1b"))].count("live-state-unreadable") == 3
    odd = DRIVER.parse_state({DETAIL: '{"state": "active", "detail": [], "negStatus": 1}', PORTS: '{"interfaces": {"x": 1, "7": []}}', SANITY: '{"mlagActive": false}'})
    assert (odd.configured, odd.peer_status, odd.keepalive_status, odd.role, odd.interfaces, odd.warnings) == (True, "down", None, None, [], [])
    broken = DRIVER.parse_state(None)  # type: ignore[arg-type]
    assert broken.warnings and broken.warnings[0].startswith("unreadable EOS MLAG state")


# --- text forms and LACP members ---------------------------------------------------------------------
@pytest.mark.parametrize("host", ["leaf1a", "leaf1b"])
@pytest.mark.parametrize("case", ["healthy", "keepalive_down"])
def test_text_reads_as_the_json(case, host):
    text, data = outputs(case, host, "txt"), outputs(case, host)
    assert set(text) == set(data) >= {DETAIL, PORTS, SANITY}
    assert DRIVER.parse_state(text, hostname=host) == DRIVER.parse_state(data, hostname=host)


def test_keepalive_down_in_text():
    a = DRIVER.parse_state(outputs("keepalive_down", "leaf1a", "txt"), hostname="leaf1a")
    assert (a.keepalive_status, a.peer_status, a.role) == ("down", "up", "primary")


def test_members_with_their_partner():
    """``show lacp neighbor``: bundled, and the partner's ``8000,3c-ec-..`` (hex priority, MAC),
    hex key and port; the peer-link and the routed uplink are not MLAG interfaces."""
    a = state("healthy", "leaf1a")
    assert {i.interface: i.members for i in a.interfaces}["Port-Channel21"] == [
        LacpMemberState(interface="Ethernet1", bundled=True, partner_system_id="3c:ec:ef:21:00:21", partner_system_priority=32768, partner_key=21, partner_port=1)
    ]
    assert {i.interface: i.members for i in a.interfaces}["Port-Channel30"] == []  # static: no LACP partner
    assert validate_pair(*pair("healthy")) == []


def test_member_cabled_to_another_host():
    """Text captures saved with spaces in their names; leaf1b's Ethernet2 (mlag 5) reaches another
    host while both halves stay active-full, which only the partner comparison sees."""
    folder = STATE / "partner_mismatch"
    a, b = (DRIVER.parse_state({cmd: (folder / h / f"{cmd.split(' | ')[0]}.txt").read_text() for cmd in DRIVER.state_commands}, hostname=h) for h in ("leaf1a", "leaf1b"))
    assert a.warnings == b.warnings == []
    assert {i.status for i in a.interfaces + b.interfaces} == {"up"}
    (finding,) = validate_pair(a, b)
    assert (finding.rule, finding.severity.value, finding.hosts, finding.object) == ("live-member-partner", "error", ["leaf1b"], "mlag 5 Ethernet2")
    assert (finding.expected, finding.actual) == ("3c:ec:ef:21:00:05", "3c:ec:ef:21:00:06")


def test_port_without_partner_has_none():
    original = outputs("healthy", "leaf1a", "txt")[LACP]
    text = original.replace("Bundled | 8000,3c-ec-ef-21-00-21          1   ASGs+CD   0x0015", "Waiting | 0000,00-00-00-00-00-00          0   ASGs-     0x0000")
    assert text != original
    members = {i.interface: i.members for i in DRIVER.parse_state(outputs("healthy", "leaf1a") | {LACP: text}).interfaces}["Port-Channel21"]
    assert [(m.interface, m.bundled, m.partner_system_id, m.partner_key, m.partner_port) for m in members] == [("Ethernet1", False, None, None, None)]


def test_description_with_spaces_and_one_sided_rows_in_text():
    text = outputs("healthy", "leaf1a", "txt")[PORTS].replace("server1_bond0   ", "srv 1 bond 0    ").replace("Po30         Po30        up/up", "   -         Po30        -/up")
    interfaces = DRIVER.parse_state(outputs("healthy", "leaf1a") | {PORTS: text}).interfaces
    assert [(i.mlag_id, i.interface) for i in interfaces] == [(5, "Port-Channel105"), (21, "Port-Channel21")]


def test_config_sanity_tables_in_text_read_as_the_json():
    """An inconsistent pair's config-sanity in EOS's table layout gives the reasons its JSON gives."""
    text = "\n".join([
        "Global configuration inconsistencies:",
        "       Feature                         Attribute      Local value       Peer value",
        "-------------- --------------------------------- ---------------- ----------------",
        "          mlag                      reload-delay              780              300",
        "",
        "Interface configuration inconsistencies:",
        "                     Feature       Interface      Local value       Peer value",
        "---------------------------- --------------- ---------------- ----------------",
        "   trunk-native-vlan mlag21  Port-Channel21               10               20",
        "",
    ])
    data = {
        "mlagActive": True, "mlagConnected": True,
        "globalConfiguration": {"mlag": {"globalParameters": {"reload-delay": {"localValue": "780", "peerValue": "300"}}}},
        "interfaceConfiguration": {"trunk-native-vlan mlag21": {"interface": {"Port-Channel21": {"localValue": "10", "peerValue": "20"}}}},
    }
    detail = json.loads(outputs("healthy", "leaf1a")[DETAIL]) | {"configSanity": "inconsistent"}
    base = outputs("healthy", "leaf1a") | {DETAIL: json.dumps(detail)}
    from_text, from_json = (DRIVER.parse_state(base | {SANITY: form}) for form in (text, json.dumps(data)))
    assert from_text == from_json
    assert from_text.consistency_reason == "mlag reload-delay: local 780, peer 300"
    assert {i.mlag_id: i.consistent for i in from_text.interfaces} == {5: True, 21: False, 30: True}


@pytest.mark.parametrize("text", GARBAGE)
def test_lacp_garbage_gives_a_warning_and_keeps_the_rest(text):
    s = DRIVER.parse_state(outputs("healthy", "leaf1a") | {LACP: text}, hostname="leaf1a")
    assert s.warnings and all(w.startswith(f"{LACP}:") for w in s.warnings), s.warnings
    assert (s.configured, s.peer_status) == (True, "up")
