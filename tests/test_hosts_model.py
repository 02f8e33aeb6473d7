"""The host bond model: validation, the inventory error path, and the defaults derived from the
switch side (``effective_bond``)."""

from __future__ import annotations

import copy

import pytest
import yaml
from pydantic import ValidationError

from mlagauto.inventory import InventoryError, fabric_from_dict, load_fabric
from mlagauto.model.host import HostBond, effective_bond
from tests.conftest import EXAMPLE


def pair(**iface) -> dict:
    """A two-switch NX-OS inventory (plain data) with one MLAG interface built from ``iface``."""
    lag = {"mlag_id": 11, "port_channel": 11, "members": ["Ethernet1/1"], "vlans": "10,20,30", "native_vlan": 10, **iface}
    peer = lambda me, other: {"platform": "cisco_nxos", "groups": ["p"], "mlag": {"keepalive": {"source": me, "destination": other}, "peer_link": {"port_channel": 1, "members": ["Ethernet1/49"]}}}
    return {
        "groups": {"p": {"mlag": {"domain_id": 10, "vlans": [{"id": v} for v in (10, 20, 30, 40)], "mlag_interfaces": [lag]}}},
        "hosts": {"sw-a": peer("192.168.0.1", "192.168.0.2"), "sw-b": peer("192.168.0.2", "192.168.0.1")},
    }


def bond_of(**iface):
    domain = fabric_from_dict(pair(**iface)).domains[0]
    return effective_bond(domain, 0)


def test_lacp_lag_gives_802_3ad_with_its_rate_mtu_and_vlans():
    b = bond_of(lacp_rate="fast", mtu=9216, host={"name": "srv", "nics": ["eno1", "eno2"]})
    assert (b.mode, b.lacp_rate, b.mtu, b.xmit_hash_policy, b.miimon) == ("802.3ad", "fast", 9216, "layer3+4", 100)
    assert [v.id for v in b.vlans] == [20, 30] and b.untagged_vlan == 10
    assert b.explicit == {"name", "nics"}


def test_static_lag_gives_balance_xor_without_lacp_rate():
    b = bond_of(lacp_mode="static", host={"name": "srv", "nics": ["eno1", "eno2"]})
    assert (b.mode, b.lacp_rate) == ("balance-xor", None)


def test_access_lag_tags_nothing_and_its_vlan_is_untagged():
    b = bond_of(mode="access", vlans=[20], native_vlan=None, host={"name": "srv", "nics": ["eno1", "eno2"]})
    assert b.vlans == () and b.untagged_vlan == 20


def test_nics_alternate_between_the_peers_in_order():
    b = bond_of(members=["Ethernet1/1", "Ethernet1/2"], host={"name": "srv", "nics": ["eno1", "eno2", "eno3", "eno4"]})
    assert [(c.nic, c.switch, c.port) for c in b.cables] == [
        ("eno1", "sw-a", "Ethernet1/1"), ("eno2", "sw-b", "Ethernet1/1"), ("eno3", "sw-a", "Ethernet1/2"), ("eno4", "sw-b", "Ethernet1/2")
    ]
    assert all(c.derived for c in b.cables)


def test_written_cabling_is_kept_and_the_rest_fills_around_it():
    b = bond_of(members=["Ethernet1/1", "Ethernet1/2"], host={"name": "srv", "nics": [{"name": "eno1", "switch": "sw-a", "port": "Ethernet1/2"}, "eno2", "eno3"]})
    assert [(c.nic, c.switch, c.port, c.derived) for c in b.cables] == [
        ("eno1", "sw-a", "Ethernet1/2", False), ("eno2", "sw-a", "Ethernet1/1", True), ("eno3", "sw-b", "Ethernet1/1", True)
    ]


def test_explicit_values_win_over_the_lag():
    b = bond_of(lacp_rate="fast", mtu=9216, host={"name": "srv", "nics": ["eno1", "eno2"], "mode": "802.3ad", "lacp_rate": "slow", "mtu": 9000, "vlans": [20, {"id": 30, "dhcp": True}], "untagged_vlan": 10})
    assert (b.lacp_rate, b.mtu, [(v.id, v.dhcp) for v in b.vlans]) == ("slow", 9000, [(20, False), (30, True)])


@pytest.mark.parametrize(("given", "mode"), [("LACP", "802.3ad"), ("failover", "active-backup"), ("LOADBALANCE", "balance-xor"), ("balance-alb", "balance-alb")])
def test_truenas_protocol_names_are_accepted_as_modes(given, mode):
    assert HostBond(name="nas", nics=["enp1s0"], mode=given).mode == mode


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"nics": ["eno1", "eno1"]}, "listed twice"),
        ({"nics": ["eno1"], "bond": "eno1"}, "also one of the nics"),
        ({"nics": ["eno1\nauto evil"]}, "newline"),
        ({"nics": ["eno/1"]}, "not a Linux interface name"),
        ({"nics": ["eno1"], "name": "../etc"}, "not a host name"),
        ({"nics": ["eno1"], "mode": "active-backup", "lacp_rate": "fast"}, "802.3ad only"),
        ({"nics": ["eno1"], "mode": "active-backup", "xmit_hash_policy": "layer3+4"}, "does not apply"),
        ({"nics": ["eno1"], "addresses": ["10.0.0.5/24"], "gateway": "10.9.9.1"}, "none of the static addresses"),
        ({"nics": ["eno1"], "os": "truenas", "mode": "balance-alb"}, "no TrueNAS lag_protocol"),
        ({"nics": ["eno1"], "os": "truenas", "bond": "lagg0"}, "bondN"),
        ({"nics": ["eno1"], "bond": "bond-with-long", "vlans": [100]}, "15 characters"),
        ({"nics": []}, "at least 1"),
        ({"nics": ["eno1"], "mtu": True}, "boolean"),
        ({"nics": ["eno1"], "dhcp_on_nics": True}, "Extra inputs"),
    ],
)
def test_bad_host_fields_are_rejected(fields, words):
    with pytest.raises(ValidationError) as exc:
        HostBond.model_validate({"name": "srv", **fields})
    assert words in str(exc.value)


def test_inventory_errors_name_the_file_group_and_host_field(tmp_path):
    inv = tmp_path / "inv"
    inv.mkdir()
    for name in ("hosts.yaml", "defaults.yaml"):
        (inv / name).write_text((EXAMPLE / name).read_text())
    groups = yaml.safe_load((EXAMPLE / "groups.yaml").read_text())
    broken = copy.deepcopy(groups)
    broken["nxos_pair"]["data"]["mlag"]["mlag_interfaces"][0]["host"]["nics"] = ["eno1", "eno 2"]
    broken["eos_pair"]["data"]["mlag"]["mlag_interfaces"][3]["host"]["mode"] = "lacp-please"
    (inv / "groups.yaml").write_text(yaml.safe_dump(broken))
    with pytest.raises(InventoryError) as exc:
        load_fabric(inv)
    msgs = exc.value.messages
    assert any(m.startswith(f"{inv / 'groups.yaml'}: group nxos_pair: data.mlag.mlag_interfaces[0].host.nics[1].name: ") and "'eno 2'" in m for m in msgs), msgs
    assert any("group eos_pair: data.mlag.mlag_interfaces[3].host.mode: Input should be" in m and "lacp-please" in m for m in msgs), msgs


def test_the_example_inventory_names_three_servers_on_two_pairs(example_fabric):
    from mlagauto.model.host import host_bonds

    found = {(b.host, b.domain, b.os, b.mode) for d in example_fabric.domains for b in host_bonds(d)}
    assert found == {("server1", "nxos_pair", "linux", "802.3ad"), ("pxe1", "eos_pair", "linux", "802.3ad"), ("nas1", "eos_pair", "truenas", "802.3ad")}


def test_a_host_changes_nothing_on_the_switch_side():
    """The switch render ignores ``host``: a pair renders the same with and without one."""
    from mlagauto.render import render_fabric

    data = pair(host={"name": "srv", "nics": ["eno1", "eno2"], "mtu": 1500})
    bare = pair()
    assert render_fabric(fabric_from_dict(data)) == render_fabric(fabric_from_dict(bare))
