"""Host rules: each fires on the mistake it names and stays quiet on the matching good case."""

from __future__ import annotations

import pytest

from mlagauto.checks import RULES, rules_of
from mlagauto.checks.hosts import check_bond
from mlagauto.inventory import fabric_from_dict
from mlagauto.model.host import effective_bond
from tests.test_hosts_model import pair

NICS = ["eno1", "eno2"]


def findings(host: dict | None = None, **iface):
    domain = fabric_from_dict(pair(**iface, host={"name": "srv", "nics": NICS, **(host or {})})).domains[0]
    return check_bond(effective_bond(domain, 0), domain)


def of(rule_id: str, host: dict | None = None, **iface) -> list[tuple[str, str]]:
    return [(f.severity.value, f.message) for f in findings(host, **iface) if f.rule == rule_id]


def test_the_derived_bond_is_clean():
    assert findings() == []
    assert findings(lacp_mode="static") == []
    assert findings(lacp_rate="fast", mtu=9216, host={"mtu": 9000, "dhcp": True}) == []


def test_every_host_rule_is_registered_under_the_host_scope():
    ids = {r.id for r in rules_of("host")}
    assert ids == {"host-lacp", "host-switch-independent", "host-lacp-rate", "host-mtu", "host-vlans", "host-cabling", "host-single-switch", "host-pxe", "host-miimon", "host-hash-policy"}
    assert all(RULES[i].scope == "host" for i in ids)


@pytest.mark.parametrize(("iface", "host"), [({}, {"mode": "balance-xor"}), ({}, {"mode": "balance-rr"}), ({"lacp_mode": "static"}, {"mode": "802.3ad"})])
def test_host_lacp_fires_when_one_end_only_runs_lacp(iface, host):
    (found,) = of("host-lacp", host, **iface)
    assert found[0] == "error"


@pytest.mark.parametrize(("iface", "host"), [({}, {"mode": "802.3ad"}), ({"lacp_mode": "passive"}, {}), ({"lacp_mode": "static"}, {"mode": "balance-rr"}), ({}, {"mode": "active-backup"})])
def test_host_lacp_quiet_when_both_ends_agree_or_another_rule_owns_it(iface, host):
    assert of("host-lacp", host, **iface) == []


@pytest.mark.parametrize("mode", ["active-backup", "balance-alb", "balance-tlb"])
@pytest.mark.parametrize("lacp_mode", ["active", "static"])
def test_switch_independent_modes_on_a_port_channel_are_errors(mode, lacp_mode):
    (found,) = of("host-switch-independent", {"mode": mode}, lacp_mode=lacp_mode)
    assert found[0] == "error" and mode in found[1]
    assert of("host-switch-independent", {"mode": "802.3ad"}) == []


def test_lacp_rate_mismatch_is_a_warning_and_a_match_is_quiet():
    (found,) = of("host-lacp-rate", {"lacp_rate": "slow"}, lacp_rate="fast")
    assert found[0] == "warning" and "3 s" in found[1]
    assert of("host-lacp-rate", {"lacp_rate": "fast"}, lacp_rate="fast") == []
    assert of("host-lacp-rate", lacp_rate="fast") == []  # derived from the LAG


def test_mtu_above_the_lag_is_an_error_below_is_fine_unset_lag_mtu_warns():
    (found,) = of("host-mtu", {"mtu": 9216}, mtu=9000)
    assert found[0] == "error"
    assert of("host-mtu", {"mtu": 9000}, mtu=9216) == []
    assert of("host-mtu", mtu=9216) == []  # derived: equal
    (unset,) = of("host-mtu", {"mtu": 9000})
    assert unset[0] == "warning"
    assert of("host-mtu", {"mtu": 1500}) == []


def test_a_tagged_vlan_the_lag_does_not_carry_is_an_error():
    (found,) = of("host-vlans", {"vlans": [20, 40]})
    assert found[0] == "error" and "VLAN 40" in found[1]
    (access,) = of("host-vlans", {"vlans": [20]}, mode="access", vlans=[20], native_vlan=None)
    assert access[0] == "warning" and "untagged" in access[1]  # 20 is the access VLAN itself
    (on_access,) = of("host-vlans", {"vlans": [30]}, mode="access", vlans=[20], native_vlan=None)
    assert on_access[0] == "error" and "access" in on_access[1]
    assert of("host-vlans", {"vlans": [20, 30]}) == []


def test_tagging_the_native_vlan_warns_and_a_wrong_untagged_vlan_is_an_error():
    (native,) = of("host-vlans", {"vlans": [10, 20]})
    assert native[0] == "warning" and "VLAN 10" in native[1]
    (untagged,) = of("host-vlans", {"untagged_vlan": 40})
    assert untagged[0] == "error" and "VLAN 40" in untagged[1]
    assert of("host-vlans", {"untagged_vlan": 10}) == []


def test_untagged_addressing_without_a_native_vlan_warns():
    (found,) = of("host-vlans", {"dhcp": True}, native_vlan=None)
    assert found[0] == "warning"
    assert of("host-vlans", {}, native_vlan=None) == []


def test_a_nic_on_another_switch_or_port_is_an_error():
    (other,) = [f for f in of("host-cabling", {"nics": ["eno1", {"name": "eno2", "switch": "sw-c", "port": "Ethernet1/1"}]}) if "sw-c" in f[1]]
    assert other[0] == "error"
    wrong_port = of("host-cabling", {"nics": ["eno1", {"name": "eno2", "switch": "sw-b", "port": "Ethernet1/9"}]})
    assert ("error" in {s for s, _ in wrong_port}) and any("Ethernet1/9" in m for _, m in wrong_port)
    twice = of("host-cabling", {"nics": [{"name": "eno1", "switch": "sw-a", "port": "Ethernet1/1"}, {"name": "eno2", "switch": "sw-a", "port": "Ethernet1/1"}]})
    assert any(s == "error" and "both said" in m for s, m in twice)
    assert of("host-cabling") == []


def test_members_without_a_nic_and_nics_without_a_port_warn():
    idle = of("host-cabling", members=["Ethernet1/1", "Ethernet1/2"])
    assert [s for s, _ in idle] == ["warning", "warning"] and all("Ethernet1/2" in m for _, m in idle)
    spare = of("host-cabling", {"nics": ["eno1", "eno2", "eno3"]})
    assert [s for s, m in spare if "no port left" in m] == ["warning"]


def test_all_nics_on_one_switch_is_a_warning():
    one = {"nics": [{"name": "eno1", "switch": "sw-a"}, {"name": "eno2", "switch": "sw-a"}]}
    (found,) = of("host-single-switch", one, members=["Ethernet1/1", "Ethernet1/2"])
    assert found[0] == "warning" and "sw-b" in found[1]
    assert of("host-single-switch") == []


def test_pxe_on_lacp_needs_fallback():
    (found,) = of("host-pxe", {"pxe": True})
    assert found[0] == "error" and "fallback" in found[1]
    assert of("host-pxe", {"pxe": True}, lacp_fallback=True) == []
    assert of("host-pxe", {"pxe": True}, lacp_mode="static") == []
    assert of("host-pxe", {}) == []
    (untagged,) = of("host-pxe", {"pxe": True}, lacp_fallback=True, native_vlan=None)
    assert untagged[0] == "warning"


def test_miimon_off_and_delays_that_are_not_multiples_warn():
    (off,) = of("host-miimon", {"miimon": 0})
    assert off[0] == "warning"
    (odd,) = of("host-miimon", {"updelay": 250})
    assert odd[0] == "warning" and "200" in odd[1]
    assert of("host-miimon", {"updelay": 200, "downdelay": 100}) == []


def test_layer2_hashing_is_advice():
    (found,) = of("host-hash-policy", {"xmit_hash_policy": "layer2"})
    assert found[0] == "info"
    assert of("host-hash-policy", {"xmit_hash_policy": "layer2+3"}) == []
    assert of("host-hash-policy") == []


def test_findings_name_the_host_the_switches_and_the_inventory_field():
    (f,) = [f for f in findings({"mode": "balance-alb"}) if f.rule == "host-switch-independent"]
    assert f.hosts == ["srv", "sw-a", "sw-b"] and f.object == "bond0 (mlag 11)"
    assert "group p: data.mlag.mlag_interfaces[0].host.mode" in f.fix


def test_the_example_inventory_is_clean(example_fabric):
    from mlagauto.checks.hosts import check_domain_hosts

    assert [f for d in example_fabric.domains for _, fs in check_domain_hosts(d) for f in fs] == []
