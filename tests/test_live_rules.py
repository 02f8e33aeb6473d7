"""Live rules: silent on a healthy pair, firing on each failure they guard against."""

from __future__ import annotations

import copy

import pytest

from mlagauto.checks import RULES, validate_pair
from mlagauto.model.peer_state import PeerState


def healthy() -> tuple[dict, dict]:
    base = {
        "platform": "cisco_nxos", "configured": True, "domain_id": "10", "peer_status": "up", "keepalive_status": "up",
        "peer_link_status": "up", "system_id": "00:23:04:ee:be:0a", "consistency": "consistent",
        "interfaces": [{"mlag_id": 11, "interface": "port-channel11", "status": "up", "consistent": True, "system_id": "00:23:04:ee:be:0a"}],
    }
    return copy.deepcopy(base) | {"hostname": "a", "role": "primary"}, copy.deepcopy(base) | {"hostname": "b", "role": "secondary"}


def fired(a: dict, b: dict, rule_id: str):
    return [f for f in validate_pair(PeerState.model_validate(a), PeerState.model_validate(b)) if f.rule == rule_id]


def test_healthy_pair_is_silent():
    a, b = healthy()
    assert validate_pair(PeerState.model_validate(a), PeerState.model_validate(b)) == []


MUTATIONS = {
    "live-state-unreadable": lambda a, b: b.update(warnings=["show vpc: unreadable"]),
    "live-peer": lambda a, b: b.update(peer_status="down"),
    "live-keepalive": lambda a, b: a.update(keepalive_status="down"),
    "live-peer-link": lambda a, b: a.update(peer_link_status="down"),
    "live-roles": lambda a, b: b.update(role="primary"),
    "live-consistency": lambda a, b: b.update(consistency="inconsistent", consistency_reason="STP mode"),
    "live-interfaces": lambda a, b: b["interfaces"][0].update(status="down", reason="Type-1 mismatch"),
    "live-lacp-partner": lambda a, b: b.update(system_id="00:23:04:ee:be:0b"),
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
