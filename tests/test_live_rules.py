"""Live rules: silent on a healthy pair, firing on each failure they guard against."""

from __future__ import annotations

import copy

import pytest

from mlagauto.checks import RULES, validate_pair
from mlagauto.model.peer_state import PeerState


SERVER = "02:00:00:00:00:11"
SERVER_LINK = {"interface": "Ethernet1/1", "bundled": True, "partner_system_id": SERVER, "partner_key": 11, "partner_port": 1}


def healthy() -> tuple[dict, dict]:
    base = {
        "platform": "cisco_nxos", "configured": True, "domain_id": "10", "peer_status": "up", "keepalive_status": "up",
        "peer_link_status": "up", "system_id": "00:23:04:ee:be:0a", "consistency": "consistent",
        "interfaces": [{"mlag_id": 11, "interface": "port-channel11", "status": "up", "consistent": True, "system_id": "00:23:04:ee:be:0a", "members": [SERVER_LINK]}],
    }
    return copy.deepcopy(base) | {"hostname": "a", "role": "primary"}, copy.deepcopy(base) | {"hostname": "b", "role": "secondary"}


def fired(a: dict, b: dict, rule_id: str):
    return [f for f in validate_pair(PeerState.model_validate(a), PeerState.model_validate(b)) if f.rule == rule_id]


def test_healthy_pair_is_silent():
    a, b = healthy()
    assert validate_pair(PeerState.model_validate(a), PeerState.model_validate(b)) == []


MUTATIONS = {
    "live-unreachable": lambda a, b: b.update(unreachable="NetmikoTimeoutException: TCP connection to device failed. (127.0.0.1:22)"),
    "live-state-unreadable": lambda a, b: b.update(warnings=["show vpc: unreadable"]),
    "live-peer": lambda a, b: b.update(peer_status="down"),
    "live-keepalive": lambda a, b: a.update(keepalive_status="down"),
    "live-peer-link": lambda a, b: a.update(peer_link_status="down"),
    "live-roles": lambda a, b: b.update(role="primary"),
    "live-consistency": lambda a, b: b.update(consistency="inconsistent", consistency_reason="STP mode"),
    "live-interfaces": lambda a, b: b["interfaces"][0].update(status="down", reason="Type-1 mismatch"),
    "live-lacp-partner": lambda a, b: b.update(system_id="00:23:04:ee:be:0b"),
    "live-member-partner": lambda a, b: b["interfaces"][0]["members"][0].update(partner_system_id="02:00:00:00:00:99"),
}


def test_every_live_rule_has_a_mutation():
    assert set(MUTATIONS) == {r.id for r in RULES.values() if r.scope == "live"}


@pytest.mark.parametrize("rule_id", sorted(MUTATIONS))
def test_live_rule_fires(rule_id):
    a, b = healthy()
    MUTATIONS[rule_id](a, b)
    assert fired(a, b, rule_id)


def test_unconfigured_peer_and_missing_interface():
    a, b = healthy()
    b.update(configured=False, interfaces=[])
    found = {(f.rule, f.object) for f in validate_pair(PeerState.model_validate(a), PeerState.model_validate(b))}
    assert ("live-peer", "domain") in found
    assert ("live-interfaces", "mlag 11") in found


def test_per_interface_system_ids():
    a, b = healthy()
    b["interfaces"][0]["system_id"] = "02:00:00:00:00:99"
    assert fired(a, b, "live-lacp-partner")[0].object == "mlag 11"


def members(*partners: str | None) -> list[dict]:
    return [{"interface": f"Ethernet1/{k}", "partner_system_id": sid} for k, sid in enumerate(partners, 1)]


def test_member_partner_names_the_odd_member_with_both_ids():
    """Three members see the server, one on the second peer sees another system: that one is
    the error, named with its host, its port and both system ids."""
    a, b = healthy()
    a["interfaces"][0]["members"] = members(SERVER, SERVER)
    b["interfaces"][0]["members"] = members(SERVER, "02:00:00:00:00:22")
    (finding,) = fired(a, b, "live-member-partner")
    assert (finding.hosts, finding.object, finding.expected, finding.actual) == (["b"], "mlag 11 Ethernet1/2", SERVER, "02:00:00:00:00:22")
    assert finding.severity.value == "error"
    assert "b Ethernet1/2" in finding.message and "a Ethernet1/1" in finding.message


def test_member_partner_tie_keeps_the_first_peer_as_reference():
    a, b = healthy()
    b["interfaces"][0]["members"] = members("02:00:00:00:00:22")
    (finding,) = fired(a, b, "live-member-partner")
    assert (finding.hosts, finding.expected, finding.actual) == (["b"], SERVER, "02:00:00:00:00:22")


def test_members_without_partner_are_no_partner_mismatch():
    a, b = healthy()
    b["interfaces"][0]["members"] = members(SERVER, None)
    a["interfaces"][0]["members"] = members(None)
    assert fired(a, b, "live-member-partner") == []


def test_member_partner_compares_halves_of_one_mlag_only():
    a, b = healthy()
    b["interfaces"][0]["mlag_id"] = 12
    b["interfaces"][0]["members"] = members("02:00:00:00:00:22")
    assert fired(a, b, "live-member-partner") == []


@pytest.mark.parametrize(("platform", "severity"), [("cisco_nxos", "error"), ("huawei_vrpv8", "error"), ("arista_eos", "warning")])
def test_a_failed_consistency_check_is_as_severe_as_the_platform_acts_on_it(platform, severity):
    """NX-OS suspends on Type-1 and Huawei error-downs in strict mode; EOS config-sanity only
    reports while MLAG stays active."""
    a, b = healthy()
    for side in (a, b):
        side["platform"] = platform
    b.update(consistency="inconsistent", consistency_reason="STP mode")
    b["interfaces"][0].update(consistent=False)
    assert [f.severity.value for f in fired(a, b, "live-consistency")] == [severity]
    assert [f.severity.value for f in fired(a, b, "live-interfaces")] == [severity]
    b["interfaces"][0].update(status="down")
    assert [f.severity.value for f in fired(a, b, "live-interfaces")] == ["error"]
