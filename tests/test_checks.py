"""Every rule: silent on a consistent pair, firing on a pair mutated the way it guards against.

The pair rules see only PeerConfigs, so these tests build them directly; the per-platform
tests and the CLI tests run the same rules on parsed running configs."""

from __future__ import annotations

import copy

import pytest

from mlagauto.checks import RULES, audit_pair, check_domain, drift
from mlagauto.model import MlagDomain
from mlagauto.model.peer_config import PeerConfig
from tests.test_model import nxos_domain


def clean_pair() -> tuple[dict, dict]:
    itf = {
        "mlag_id": 11, "interface": "Port-Channel11", "members": ["Ethernet1"], "lacp_mode": "active",
        "lacp_rate": "slow", "mode": "trunk", "vlans": [10, 20], "native_vlan": None, "mtu": 9214,
        "min_links": None, "lacp_fallback": False,
    }
    base = {
        "platform": "arista_eos", "domain_id": "MLAG1", "role_priority": 100, "system_priority": 100,
        "peer_vlan": 4094, "local_interface": "Vlan4094",
        "peer_link": {"interface": "Port-Channel10", "members": ["Ethernet49", "Ethernet50"], "vlans": None, "lacp_mode": "active"},
        "mlag_interfaces": [itf, {**itf, "mlag_id": 12, "interface": "Port-Channel12", "members": ["Ethernet2"], "vlans": [20]}],
        "vlans": [{"id": 10, "name": "A"}, {"id": 20, "name": "B"}],
        "stp": {"mode": "mstp", "priority": 4096}, "timers": {"restore_delay": 300, "non_mlag_restore_delay": 300},
    }
    a = copy.deepcopy(base) | {"hostname": "a", "local_address": "10.0.0.0/31", "peer_address": "10.0.0.1", "role_priority": 100,
                               "keepalive": {"source": "192.168.0.1", "destination": "192.168.0.2", "vrf": "MGMT"}}
    b = copy.deepcopy(base) | {"hostname": "b", "local_address": "10.0.0.1/31", "peer_address": "10.0.0.0", "role_priority": 200,
                               "keepalive": {"source": "192.168.0.2", "destination": "192.168.0.1", "vrf": "MGMT"}}
    return a, b


def findings_for(a: dict, b: dict, rule_id: str):
    return [f for f in audit_pair(PeerConfig.model_validate(a), PeerConfig.model_validate(b)) if f.rule == rule_id]


def test_clean_pair_has_no_findings():
    a, b = clean_pair()
    assert audit_pair(PeerConfig.model_validate(a), PeerConfig.model_validate(b)) == []


def _itf(cfg: dict, mlag_id: int = 11) -> dict:
    return next(i for i in cfg["mlag_interfaces"] if i["mlag_id"] == mlag_id)


MUTATIONS = {
    "parse-warning": (lambda a, b: b.update(warnings=["apply-groups G not expanded"]), "info"),
    "platform-mismatch": (lambda a, b: b.update(platform="cisco_nxos"), "error"),
    "domain-missing": (lambda a, b: b.update(domain_id=None), "error"),
    "domain-id": (lambda a, b: b.update(domain_id="MLAG2"), "error"),
    "system-identity": (lambda a, b: b.update(system_priority=200), "warning"),  # EOS presents the primary's identity
    "role-priority-equal": (lambda a, b: b.update(role_priority=100), "info"),
    "role-conflict": (lambda a, b: (a.update(role="primary"), b.update(role="primary")), "error"),
    "keepalive-missing": (lambda a, b: b.update(keepalive=None), "info"),  # EOS: optional heartbeat
    "keepalive-mirror": (lambda a, b: b["keepalive"].update(destination="192.168.0.9"), "warning"),  # EOS: heartbeat only
    "keepalive-over-peer-link": (lambda a, b: a["keepalive"].update(source="10.0.0.0"), "warning"),
    "peer-address": (lambda a, b: a.update(peer_address="10.0.0.5"), "error"),
    "peer-link-missing": (lambda a, b: b.update(peer_link=None), "error"),
    "peer-link-vlans": (lambda a, b: b["peer_link"].update(vlans=[10]), "warning"),
    "peer-link-lacp": (lambda a, b: b["peer_link"].update(lacp_mode="static"), "error"),
    "mlag-orphan": (lambda a, b: b.update(mlag_interfaces=b["mlag_interfaces"][:1]), "error"),
    "mlag-lacp-mode": (lambda a, b: _itf(b).update(lacp_mode="static"), "error"),
    "mlag-type1": (lambda a, b: _itf(b).update(mtu=1500), "warning"),  # Type-1 on NX-OS only
    "mlag-vlans": (lambda a, b: _itf(b).update(vlans=[10]), "warning"),
    "mlag-type2": (lambda a, b: _itf(b).update(lacp_rate="fast"), "warning"),
    "mlag-lacp-identity": (lambda a, b: _itf(b).update(lacp_system_id="00:00:00:00:00:02"), "error"),
    "mc-ae-roles": (lambda a, b: (_itf(a).update(status_control="active"), _itf(b).update(status_control="active")), "error"),
    "mc-ae-params": (lambda a, b: (_itf(a).update(redundancy_group=1), _itf(b).update(redundancy_group=2)), "warning"),
    "vlans": (lambda a, b: b.update(vlans=[{"id": 10, "name": "A"}]), "warning"),
    "stp": (lambda a, b: b["stp"].update(mode="rstp"), "warning"),  # EOS takes the primary's STP
    "timers": (lambda a, b: b["timers"].update(restore_delay=100), "warning"),
    "pair-options": (lambda a, b: b.update(service_id=7), "warning"),
}


def test_every_pair_rule_has_a_mutation_test():
    assert set(MUTATIONS) == {r.id for r in RULES.values() if r.scope == "pair"}


@pytest.mark.parametrize("rule_id", sorted(MUTATIONS))
def test_pair_rule_fires_on_its_mutation_and_only_then(rule_id):
    a, b = clean_pair()
    assert findings_for(a, b, rule_id) == []
    mutate, severity = MUTATIONS[rule_id]
    mutate(a, b)
    found = findings_for(a, b, rule_id)
    assert found, f"{rule_id} did not fire"
    assert found[0].severity.value == severity
    assert found[0].message and found[0].hosts and found[0].object


@pytest.mark.parametrize(("platform", "severity"), [("cisco_nxos", "error"), ("arista_eos", "info"), ("juniper_junos", "warning"), ("huawei_vrpv8", "warning")])
def test_missing_keepalive_is_as_severe_as_the_platform_makes_it(platform, severity):
    """NX-OS forms no vPC without a peer-keepalive; elsewhere it is optional dual-active detection."""
    a, b = clean_pair()
    a["platform"] = b["platform"] = platform
    b["keepalive"] = None
    assert [f.severity.value for f in findings_for(a, b, "keepalive-missing")] == [severity]


def test_control_session_subnets_matter_only_where_the_session_is_on_link():
    """EOS reaches its peer-address through local-interface; Junos ICCP may run between loopbacks."""
    a, b = clean_pair()
    a.update(local_address="10.0.0.1/32", peer_address="10.0.0.2")
    b.update(local_address="10.0.0.2/32", peer_address="10.0.0.1")
    assert [f.message for f in findings_for(a, b, "peer-address")] == ["the peers' control-session addresses are not in one subnet"]
    a["platform"] = b["platform"] = "juniper_junos"
    assert findings_for(a, b, "peer-address") == []
    b["peer_address"] = "10.0.0.9"
    assert [f.severity.value for f in findings_for(a, b, "peer-address")] == ["error"]


def test_lacp_compatibility_matrix():
    def sev(x, y):
        a, b = clean_pair()
        _itf(a).update(lacp_mode=x)
        _itf(b).update(lacp_mode=y)
        found = findings_for(a, b, "mlag-lacp-mode")
        return found[0].severity.value if found else None

    assert sev("active", "active") is None
    assert sev("static", "static") is None
    assert sev("active", "static") == "error"
    assert sev("passive", "static") == "error"
    assert sev("active", "passive") == "info"  # one active side is enough for LACP
    assert sev("passive", "passive") == "info"


def test_fallback_on_the_status_control_active_half_only_is_consistent():
    a, b = clean_pair()
    _itf(a).update(status_control="active", lacp_fallback=True)
    _itf(b).update(status_control="standby", lacp_fallback=False)
    assert findings_for(a, b, "mlag-type2") == []
    _itf(a).update(lacp_fallback=False)
    _itf(b).update(lacp_fallback=True)
    assert findings_for(a, b, "mlag-type2"), "fallback on the standby half only is inconsistent"
    _itf(a).update(status_control=None)
    _itf(b).update(status_control=None)
    assert findings_for(a, b, "mlag-type2")


def test_findings_are_sorted_errors_first():
    a, b = clean_pair()
    b.update(role_priority=100, domain_id="X")
    sevs = [f.severity.rank for f in audit_pair(PeerConfig.model_validate(a), PeerConfig.model_validate(b))]
    assert sevs == sorted(sevs) and sevs[0] == 0


def test_drift_silent_on_equal_and_precise_on_difference():
    a, _ = clean_pair()
    expected = PeerConfig.model_validate(a)
    assert drift(expected, expected) == []
    changed = copy.deepcopy(a)
    _itf(changed).update(vlans=[10])
    changed["mlag_interfaces"].append({**_itf(changed), "mlag_id": 99, "interface": "Port-Channel99"})
    changed["vlans"] = [{"id": 10, "name": "A"}]
    changed["keepalive"]["destination"] = "192.168.0.77"
    found = drift(expected, PeerConfig.model_validate(changed))
    by = {(f.rule, f.object): f for f in found}
    assert by[("drift-mlag", "mlag 11")].expected == [10, 20]
    assert by[("drift-mlag", "mlag 99")].severity.value == "warning"
    assert ("drift-vlans", "vlan 20") in by
    assert by[("drift-domain", "keepalive.destination")].severity.value == "error"
    missing = copy.deepcopy(a)
    missing["mlag_interfaces"] = missing["mlag_interfaces"][:1]
    assert any(f.rule == "drift-mlag" and f.severity.value == "error" for f in drift(expected, PeerConfig.model_validate(missing)))


def test_intent_rules():
    data = nxos_domain()
    data["peers"][0]["peer_link"]["members"] = ["Ethernet1/49"]
    rules = {f.rule for f in check_domain(MlagDomain.model_validate(data))}
    assert "intent-peer-link-redundancy" in rules
    data = nxos_domain()
    data["peer_switch"] = True
    rules = {f.rule for f in check_domain(MlagDomain.model_validate(data))}
    assert "intent-stp-priority" in rules
    data["stp"] = {"priority": 4096}
    assert "intent-stp-priority" not in {f.rule for f in check_domain(MlagDomain.model_validate(data))}
    data = nxos_domain()
    for p in data["peers"]:
        p["platform"] = "arista_eos"
        p["peer_link"]["members"] = ["Ethernet49", "Ethernet50"]
    for k, itf in enumerate(data["mlag_interfaces"]):
        itf["members"] = [f"Ethernet{k + 1}"]
    for p, own in zip(data["peers"], ("10.9.0.0/31", "10.9.0.1/31")):
        p["peer_address"] = own
    data["peers"][0]["keepalive"].update(source="10.9.0.0", destination="10.9.0.1")
    data["peers"][1]["keepalive"].update(source="10.9.0.1", destination="10.9.0.0")
    assert "intent-keepalive-path" in {f.rule for f in check_domain(MlagDomain.model_validate(data))}


UNSETTABLE = {
    "": {"domain_id": "MLAG1", "role": "primary", "role_priority": 100, "system_mac": "00:1c:73:00:00:01", "system_priority": 100, "local_address": "10.0.0.0/31", "peer_address": "10.0.0.1", "peer_vlan": 4094, "peer_gateway": True, "peer_switch": True, "service_id": 1, "authentication": "hmac-sha256"},
    "stp": {"mode": "mstp", "priority": 4096, "mlag_mode": "v-stp", "bridge_address": "00:1c:73:00:00:02"},
    "timers": {"restore_delay": 300, "non_mlag_restore_delay": 300, "auto_recovery": True, "auto_recovery_delay": 240},
    "keepalive": {"source": "192.168.0.1", "destination": "192.168.0.2", "vrf": "MGMT"},
    "peer_link": {"interface": "Port-Channel10", "vlans": [10, 20], "lacp_mode": "active"},
    "mlag_interfaces[0]": {"lacp_mode": "active", "lacp_rate": "slow", "mode": "trunk", "native_vlan": 10, "mtu": 9214, "min_links": 1, "lacp_fallback_timeout": 30, "lacp_system_id": "00:1c:73:00:00:03", "lacp_system_priority": 1, "admin_key": 1, "chassis_id": 0, "status_control": "active", "redundancy_group": 1, "mc_ae_mode": "active-active", "init_delay": 10},
}


@pytest.mark.parametrize("platform", ["cisco_nxos", "arista_eos", "juniper_junos", "huawei_vrpv8"])
@pytest.mark.parametrize(("where", "field"), [(w, f) for w, fields in UNSETTABLE.items() for f in fields])
@pytest.mark.parametrize("unset_on", ["a", "b"])
def test_a_setting_unset_on_one_peer_never_prints_none(platform, where, field, unset_on):
    """Messages and fixes speak of an unset value in words: never ``None``."""
    a, b = clean_pair()
    value = UNSETTABLE[where][field]
    for side, v in ((a, None if unset_on == "a" else value), (b, None if unset_on == "b" else value)):
        side["platform"] = platform
        target = side if not where else (side["mlag_interfaces"][0] if where.startswith("mlag") else side[where])
        target[field] = v
    for f in audit_pair(PeerConfig.model_validate(a), PeerConfig.model_validate(b)):
        assert "None" not in f.message and "None" not in f.fix, (f.rule, f.message, f.fix)
