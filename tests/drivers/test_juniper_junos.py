"""Junos MC-LAG driver: fixtures of real-looking QFX configurations in both renderings, the
rendering of every supported option, the rejection of every unsupported one, token rules, and a
render -> parse property over generated domains."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mlagauto.configtree import junos_set_lines
from mlagauto.drivers import detect_platform, get_driver
from mlagauto.drivers.juniper_junos import _Reader, bridge_priority_text, junos_quote, parse_bridge_priority
from mlagauto.model.intent import MlagDomain
from mlagauto.model.peer_config import KeepaliveConfig, PeerLinkConfig
from mlagauto.model.problems import IntentError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "juniper_junos"
DRIVER = get_driver("juniper_junos")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def parse(name: str):
    return DRIVER.parse_config(fixture(name))


# --- a domain that sets every option Junos supports -----------------------------------------
FULL: dict[str, Any] = {
    "name": "pod7",
    "domain_id": 7,
    "service_id": 70,
    "peer_vlan": 3999,
    "system": {"mac": "02:AA:BB:CC:DD:07", "priority": 200},
    "timers": {"restore_delay": 120},
    "stp": {"mode": "mstp", "priority": 4096},
    "vlans": [{"id": 1}, {"id": 20}, {"id": 30, "name": "VOICE"}, {"id": 40, "name": "PXE"}, {"id": 3999, "name": "MCLAG-CTRL"}],
    "peers": [
        {
            "hostname": "leaf-a",
            "platform": "juniper_junos",
            "role": "secondary",
            "chassis_id": 1,
            "variant": "set",
            "keepalive": {"source": "192.168.0.31", "destination": "192.168.0.32", "interface": "em0", "prefix_length": 24},
            "peer_address": "10.255.255.0/31",
            "peer_link": {"port_channel": 9, "members": ["et-0/0/49", "et-0/0/48"], "vlans": "1,20,30,40", "description": "ICL to leaf-b"},
        },
        {
            "hostname": "leaf-b",
            "platform": "juniper_junos",
            "role": "primary",
            "chassis_id": 0,
            "keepalive": {"source": "192.168.0.32", "destination": "192.168.0.31", "interface": "em0", "prefix_length": 24},
            "peer_address": "10.255.255.1/31",
            "peer_link": {"port_channel": 9, "members": ["et-0/0/48", "et-0/0/49"], "vlans": "1,20,30,40", "description": "ICL to leaf-a"},
        },
    ],
    "mlag_interfaces": [
        {
            "mlag_id": 5,
            "port_channel": {"leaf-a": 15, "leaf-b": 25},
            "description": "db01 bond0; rack {B7} [blue]",
            "members": {"leaf-a": ["xe-0/0/5", "xe-0/0/6"], "leaf-b": ["xe-0/0/7", "xe-0/0/6"]},
            "lacp_mode": "passive",
            "lacp_rate": "fast",
            "min_links": 2,
            "mode": "trunk",
            "vlans": "1,20,30",
            "native_vlan": 20,
            "mtu": 9216,
            "admin_key": 500,
        },
        {"mlag_id": 3, "port_channel": 3, "description": "pxe01", "members": ["xe-0/0/3:1"], "vlans": "20,40", "native_vlan": 40, "lacp_fallback": True},
        {"mlag_id": 4, "port_channel": 4, "members": ["ge-0/0/4"], "mode": "access", "vlans": [30]},
    ],
}


def full(**changes: Any) -> dict[str, Any]:
    """A deep copy of FULL with dotted-path changes (``peers.0.role``)."""
    data = copy.deepcopy(FULL)
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        node: Any = data
        for key in path:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return data


def domain(data: dict[str, Any] | None = None) -> MlagDomain:
    return MlagDomain.model_validate(data if data is not None else FULL)


def problems(data: dict[str, Any]) -> list:
    """The IntentError problems a domain raises (fails when it builds or fails for a type error)."""
    with pytest.raises(ValidationError) as info:
        MlagDomain.model_validate(data)
    error = info.value.errors()[0].get("ctx", {}).get("error")
    assert isinstance(error, IntentError), info.value
    return error.problems


def fields_of(data: dict[str, Any]) -> set[str]:
    return {p.field for p in problems(data)}


def set_lines(text: str) -> list[str]:
    return [" ".join(p) for p in junos_set_lines(text)]


# --- fixtures ------------------------------------------------------------------------------
def test_leaf1_curly_global_values():
    cfg = parse("dc1-leaf1.conf")
    assert cfg.warnings == []
    assert (cfg.hostname, cfg.domain_id, cfg.role, cfg.service_id) == ("dc1-leaf1", "1", "primary", 10)
    assert (cfg.system_mac, cfg.system_priority) == ("00:01:02:03:04:05", 127)
    assert (cfg.local_interface, cfg.local_address, cfg.peer_address, cfg.peer_vlan) == ("irb.4000", "10.0.0.1/30", "10.0.0.2", 4000)
    assert cfg.keepalive == KeepaliveConfig(source="172.16.10.11", destination="172.16.10.12")
    assert cfg.peer_link == PeerLinkConfig(interface="ae0", members=["et-0/0/48", "et-0/0/49"], vlans=None, lacp_mode="active", description="ICL to dc1-leaf2")
    assert (cfg.stp.mode, cfg.stp.priority, cfg.timers.restore_delay) == ("rstp", 8192, 300)
    assert [(v.id, v.name) for v in cfg.vlans] == [
        (1, "default"), (100, "SRV-DATA"), (101, "SRV-APP"), (102, "SRV-WEB"), (105, "SRV-MGMT"),
        (200, "PRINTERS"), (240, "PXE"), (300, "STORAGE"), (4000, "ICCP"),
    ]


LEAF1_LAGS = {
    # mlag_id: interface, members, lacp_mode, lacp_rate, mode, vlans, native, mtu, min_links, fallback, priority
    10: ("ae10", ["xe-0/0/0"], "active", "fast", "trunk", [100, 101, 300], 100, 9216, None, False, 127),
    11: ("ae11", ["xe-0/0/1"], "active", "fast", "access", [200], None, None, None, False, 127),
    12: ("ae12", ["xe-0/0/12"], "active", "slow", "trunk", [100, 240], 240, None, None, True, 127),
    13: ("ae13", ["xe-0/0/13", "xe-0/0/14"], "passive", "fast", "trunk", [100, 101, 102, 300], None, 9216, 1, False, 100),
}


@pytest.mark.parametrize("mlag_id", sorted(LEAF1_LAGS))
def test_leaf1_mc_ae(mlag_id):
    itf = parse("dc1-leaf1.conf").mlag_interface(mlag_id)
    assert itf is not None
    name, members, lacp, rate, mode, vlans, native, mtu, min_links, fallback, priority = LEAF1_LAGS[mlag_id]
    assert (itf.interface, itf.members, itf.lacp_mode, itf.lacp_rate) == (name, members, lacp, rate)
    assert (itf.mode, itf.vlans, itf.native_vlan, itf.mtu, itf.min_links) == (mode, vlans, native, mtu, min_links)
    assert (itf.lacp_fallback, itf.lacp_system_priority, itf.admin_key) == (fallback, priority, mlag_id)
    assert (itf.lacp_system_id, itf.chassis_id, itf.status_control) == ("00:01:02:03:04:05", 0, "active")
    assert (itf.redundancy_group, itf.mc_ae_mode, itf.init_delay) == (1, "active-active", 300)


def test_leaf1_leaves_out_single_homed_and_inactive():
    cfg = parse("dc1-leaf1.conf")
    assert [i.mlag_id for i in cfg.mlag_interfaces] == [10, 11, 12, 13]  # ae20 has no mc-ae
    assert "xe-0/0/30" not in cfg.mlag_interface(13).members  # inactive: interface


def test_leaf2_set_and_curly_parse_the_same():
    curly, flat = parse("dc1-leaf2.conf"), parse("dc1-leaf2.set")
    assert curly == flat
    assert curly.warnings == []
    assert (curly.hostname, curly.role, curly.local_address, curly.peer_address) == ("dc1-leaf2", "secondary", "10.0.0.2/30", "10.0.0.1")
    assert curly.keepalive == KeepaliveConfig(source="172.16.10.12", destination="172.16.10.11")


def test_leaf2_numeric_members_deactivated_leg_and_ranges():
    cfg = parse("dc1-leaf2.set")
    assert cfg.mlag_interface(10).vlans == [100, 101, 300]
    assert cfg.mlag_interface(11).vlans == [200]
    assert cfg.mlag_interface(13).members == ["xe-0/0/13", "xe-0/0/14"]  # xe-0/0/31 is deactivated
    assert cfg.mlag_interface(12).members == ["xe-0/0/12"]
    assert cfg.mlag_interface(12).lacp_fallback is False


def test_the_fixture_pair_mirrors():
    a, b = parse("dc1-leaf1.conf"), parse("dc1-leaf2.conf")
    assert a.keepalive.source == b.keepalive.destination and b.keepalive.source == a.keepalive.destination
    assert a.local_address.split("/")[0] == b.peer_address and b.local_address.split("/")[0] == a.peer_address
    for x in a.mlag_interfaces:
        y = b.mlag_interface(x.mlag_id)
        assert {x.chassis_id, y.chassis_id} == {0, 1}
        assert {x.status_control, y.status_control} == {"active", "standby"}
        assert (x.lacp_system_id, x.admin_key, x.vlans) == (y.lacp_system_id, y.admin_key, y.vlans)


def test_groups_are_inherited_through_wildcards_explicit_values_win():
    cfg = parse("qfx-groups.conf")
    assert cfg.hostname == "qfx-grp-a"  # re0 sets another host-name; the explicit one wins
    assert cfg.warnings == [] and cfg.unread == []
    itf = cfg.mlag_interface(1)
    assert (itf.chassis_id, itf.status_control, itf.lacp_system_id, itf.admin_key) == (0, "active", "00:01:02:03:04:05", 1)
    assert (itf.redundancy_group, itf.mc_ae_mode, itf.init_delay, itf.lacp_mode) == (10, "active-active", 240, "active")
    assert (cfg.role, cfg.domain_id, cfg.peer_vlan) == ("primary", "10", 20)
    assert cfg.peer_link is not None and cfg.peer_link.lacp_mode == "active"  # <ae[1-9]*> does not match ae0


def test_applied_group_missing_from_the_text_is_reported():
    text = "apply-groups BASE;\nset protocols iccp local-ip-addr 10.0.0.1\n"
    assert any("BASE" in w and "not in this text" in w for w in DRIVER.parse_config(text).warnings)


@pytest.mark.parametrize("name", ["dc1-leaf1.conf", "dc1-leaf2.conf", "dc1-leaf2.set", "qfx-groups.conf", "mx-bridge-a.set", "ex-legacy-b.conf"])
def test_fixtures_are_detected_as_junos(name):
    assert detect_platform(fixture(name)) == "juniper_junos"


@pytest.mark.parametrize("cut", [0.1, 0.37, 0.5, 0.81])
def test_truncated_configs_never_raise(cut):
    text = fixture("dc1-leaf1.conf")
    parsed = DRIVER.parse_config(text[: int(len(text) * cut)])
    assert parsed.platform == "juniper_junos"


def test_hostname_argument_when_the_text_has_none():
    text = "set protocols iccp local-ip-addr 10.0.0.1\nset protocols iccp peer 10.0.0.2 redundancy-group-id-list 3\n"
    cfg = DRIVER.parse_config(text, hostname="leaf9")
    assert (cfg.hostname, cfg.domain_id, cfg.local_address, cfg.peer_address) == ("leaf9", "3", "10.0.0.1", "10.0.0.2")


def test_lacp_effective_defaults():
    text = """
set chassis aggregated-devices ethernet lacp system-priority 300
set interfaces ae1 aggregated-ether-options lacp system-id 00:11:22:33:44:55
set interfaces ae1 aggregated-ether-options mc-ae mc-ae-id 1
set interfaces ae2 aggregated-ether-options mc-ae mc-ae-id 2
set interfaces ae2 unit 0 family ethernet-switching vlan members [ V1 V2 ]
set vlans V1 vlan-id 11
set vlans V2 vlan-id 12
"""
    cfg = DRIVER.parse_config(text)
    lacp, static = cfg.mlag_interface(1), cfg.mlag_interface(2)
    assert (lacp.lacp_mode, lacp.lacp_rate, lacp.lacp_system_priority, lacp.init_delay) == ("passive", "fast", 300, 0)
    assert (static.lacp_mode, static.lacp_rate, static.lacp_system_priority) == ("static", None, None)
    assert (static.mode, static.vlans) == ("access", [11, 12])


def test_bridge_priority_forms():
    assert [bridge_priority_text(p) for p in (0, 4096, 8192, 61440)] == ["0", "4k", "8k", "60k"]
    assert [parse_bridge_priority(t) for t in ("0", "8k", "8192", "32K", "eight")] == [0, 8192, 8192, 32768, None]
    cfg = DRIVER.parse_config("protocols {\n    mstp {\n        bridge-priority 12288;\n    }\n}\n")
    assert (cfg.stp.mode, cfg.stp.priority) == ("mstp", 12288)


def test_disabled_spanning_tree_is_no_mode():
    assert DRIVER.parse_config("set protocols rstp disable\nset protocols rstp bridge-priority 4k\n").stp.mode is None


def test_unknown_vlan_name_is_a_warning():
    text = "set interfaces ae1 aggregated-ether-options mc-ae mc-ae-id 1\nset interfaces ae1 unit 0 family ethernet-switching vlan members GHOST\n"
    assert any("GHOST" in w for w in DRIVER.parse_config(text).warnings)


# --- rendering of every supported option -----------------------------------------------------
@pytest.mark.parametrize("host", ["leaf-a", "leaf-b"])
@pytest.mark.parametrize("variant", ["curly", "set"])
def test_full_domain_round_trips(host, variant):
    d = domain()
    parsed = DRIVER.parse_config(DRIVER.render(d, host, variant), hostname=host)
    assert parsed == DRIVER.peer_config(d, host)
    assert parsed.warnings == []


@pytest.mark.parametrize("host", ["leaf-a", "leaf-b"])
def test_curly_and_set_renders_hold_the_same_statements(host):
    d = domain()
    assert set_lines(DRIVER.render(d, host, "curly")) == set_lines(DRIVER.render(d, host, "set"))


def test_peer_variant_picks_the_default_rendering():
    d = domain()
    assert DRIVER.render(d, "leaf-a").startswith("set chassis")
    assert DRIVER.render(d, "leaf-b").startswith("chassis {")


def test_full_domain_projection():
    d = domain()
    a, b = DRIVER.peer_config(d, "leaf-a"), DRIVER.peer_config(d, "leaf-b")
    assert (a.role, b.role, a.domain_id, a.service_id) == ("secondary", "primary", "7", 70)
    assert (a.system_mac, a.system_priority, a.timers.restore_delay) == ("02:aa:bb:cc:dd:07", 200, 120)
    assert a.keepalive == KeepaliveConfig(source="192.168.0.31", destination="192.168.0.32")
    assert a.peer_link.vlans == [1, 20, 30, 40, 3999]
    lag_a, lag_b = a.mlag_interface(5), b.mlag_interface(5)
    assert (lag_a.interface, lag_b.interface, lag_a.members, lag_b.members) == ("ae15", "ae25", ["xe-0/0/5", "xe-0/0/6"], ["xe-0/0/6", "xe-0/0/7"])
    assert (lag_a.chassis_id, lag_a.status_control, lag_b.chassis_id, lag_b.status_control) == (1, "standby", 0, "active")
    assert (a.mlag_interface(3).lacp_fallback, b.mlag_interface(3).lacp_fallback) == (False, True)
    assert [(v.id, v.name) for v in a.vlans] == [(1, "default"), (20, "VLAN20"), (30, "VOICE"), (40, "PXE"), (3999, "MCLAG-CTRL")]


def test_full_domain_lines():
    lines = set(DRIVER.render(domain(), "leaf-b", "set").splitlines())
    expected = {
        "set chassis aggregated-devices ethernet device-count 26",
        "set interfaces em0 unit 0 family inet address 192.168.0.32/24",
        "set interfaces irb unit 3999 family inet address 10.255.255.1/31",
        "set interfaces ae9 description \"ICL to leaf-a\"",
        "set interfaces ae9 unit 0 family ethernet-switching vlan members MCLAG-CTRL",
        "set interfaces ae25 description \"db01 bond0; rack {B7} [blue]\"",
        "set interfaces ae25 native-vlan-id 20",
        "set interfaces ae25 mtu 9216",
        "set interfaces ae25 aggregated-ether-options minimum-links 2",
        "set interfaces ae25 aggregated-ether-options lacp passive",
        "set interfaces ae25 aggregated-ether-options lacp periodic fast",
        "set interfaces ae25 aggregated-ether-options lacp system-priority 200",
        "set interfaces ae25 aggregated-ether-options lacp system-id 02:aa:bb:cc:dd:07",
        "set interfaces ae25 aggregated-ether-options lacp admin-key 500",
        "set interfaces ae25 aggregated-ether-options mc-ae mc-ae-id 5",
        "set interfaces ae25 aggregated-ether-options mc-ae redundancy-group 7",
        "set interfaces ae25 aggregated-ether-options mc-ae chassis-id 0",
        "set interfaces ae25 aggregated-ether-options mc-ae status-control active",
        "set interfaces ae25 aggregated-ether-options mc-ae init-delay-time 120",
        "set interfaces ae25 unit 0 family ethernet-switching vlan members default",
        "set interfaces ae4 unit 0 family ethernet-switching interface-mode access",
        "set interfaces ae4 unit 0 family ethernet-switching vlan members VOICE",
        "set interfaces ae4 aggregated-ether-options lacp periodic slow",
        "set protocols iccp peer 10.255.255.0 session-establishment-hold-time 220",
        "set protocols iccp peer 10.255.255.0 redundancy-group-id-list 7",
        "set protocols iccp peer 10.255.255.0 backup-liveness-detection backup-peer-ip 192.168.0.31",
        "set multi-chassis multi-chassis-protection 10.255.255.0 interface ae9",
        "set protocols mstp bridge-priority 4k",
        "set switch-options service-id 70",
        "set vlans MCLAG-CTRL vlan-id 3999",
        "set vlans MCLAG-CTRL l3-interface irb.3999",
        "set vlans VLAN20 vlan-id 20",
        "set vlans default vlan-id 1",
    }
    assert expected <= lines, sorted(expected - lines)


def test_fallback_is_force_up_on_the_active_peer_only():
    d = domain()
    primary = DRIVER.render(d, "leaf-b", "set").splitlines()
    secondary = DRIVER.render(d, "leaf-a", "set").splitlines()
    assert [line for line in primary if "force-up" in line] == ["set interfaces xe-0/0/3:1 ether-options 802.3ad lacp force-up"]
    assert [line for line in secondary if "force-up" in line] == []
    curly = DRIVER.render(d, "leaf-b", "curly")
    assert "            802.3ad {\n                lacp {\n                    force-up;\n                }\n                ae3;\n            }\n" in curly


def test_defaults_render_minimal_lines():
    data = full(**{"timers": {}, "stp": {}, "system": {}, "peers.0.keepalive": {"source": "192.168.0.31", "destination": "192.168.0.32"}})
    d = domain(data)
    text = DRIVER.render(d, "leaf-a", "set")
    assert "init-delay-time" not in text and "system-priority" not in text and "protocols mstp" not in text
    assert "set protocols iccp peer 10.255.255.1 session-establishment-hold-time 100" in text
    assert f"lacp system-id {d.derived_system_mac}" in text
    assert "em0" not in text
    cfg = DRIVER.peer_config(d, "leaf-a")
    assert (cfg.timers.restore_delay, cfg.system_priority, cfg.keepalive.source) == (0, 127, None)
    assert DRIVER.parse_config(text, hostname="leaf-a") == cfg


def test_spanning_tree_without_priority_is_a_bare_statement():
    d = domain(full(stp={"mode": "rstp"}))
    assert "    rstp;\n" in DRIVER.render(d, "leaf-a", "curly")
    assert "set protocols rstp\n" in DRIVER.render(d, "leaf-a", "set")


def test_keepalive_source_is_known_only_inside_the_interface_subnet():
    data = full(**{"peers.0.keepalive.prefix_length": 30, "peers.1.keepalive.prefix_length": 30})
    d = domain(data)
    assert DRIVER.peer_config(d, "leaf-a").keepalive.source is None
    assert DRIVER.parse_config(DRIVER.render(d, "leaf-a"), hostname="leaf-a") == DRIVER.peer_config(d, "leaf-a")


def test_keepalive_on_a_physical_unit():
    data = full(**{"peers.0.keepalive.interface": "xe-0/0/40.5", "peers.0.keepalive.prefix_length": 24})
    d = domain(data)
    assert "set interfaces xe-0/0/40 unit 5 family inet address 192.168.0.31/24" in DRIVER.render(d, "leaf-a", "set")
    assert DRIVER.parse_config(DRIVER.render(d, "leaf-a"), hostname="leaf-a").keepalive.source == "192.168.0.31"


def test_unrestricted_icl_carries_all():
    d = domain(full(**{"peers.0.peer_link.vlans": None, "peers.1.peer_link.vlans": None}))
    assert "members all;" in DRIVER.render(d, "leaf-a", "curly")
    assert DRIVER.peer_config(d, "leaf-a").peer_link.vlans is None


def test_description_quoting():
    assert [junos_quote(t) for t in ("server1", "nas passive", "a;b", "x{", "it's")] == ["server1", '"nas passive"', '"a;b"', '"x{"', '"it\'s"']


def test_example_golden_is_the_reference_shape():
    text = (Path(__file__).resolve().parents[2] / "golden_configs" / "qfx-1a.cfg").read_text()
    assert text.startswith("chassis {\n    aggregated-devices {\n        ethernet {\n            device-count 5;\n")
    order = [line for line in text.splitlines() if line and not line.startswith(" ") and line != "}"]
    assert order == ["chassis {", "interfaces {", "multi-chassis {", "protocols {", "switch-options {", "vlans {"]


# --- unsupported options and platform rules --------------------------------------------------
UNSUPPORTED = {
    "domain_name": {"domain_name": "POD7"},
    "peer_gateway": {"peer_gateway": True},
    "peer_switch": {"peer_switch": True},
    "authentication": {"authentication": {"password": "Secret_1"}},
    "timers.non_mlag_restore_delay": {"timers": {"non_mlag_restore_delay": 30}},
    "timers.auto_recovery": {"timers": {"auto_recovery": True}},
    "timers.auto_recovery_delay": {"timers": {"auto_recovery_delay": 240}},
    "timers.restore_delay": {"timers": {"restore_delay": 7200}},
    "stp.mode": {"stp": {"mode": "rapid-pvst"}},
    "stp.priority": {"stp": {"priority": 4096}},
    "stp.mlag_mode": {"stp": {"mode": "rstp", "mlag_mode": "root-bridge"}},
    "stp.bridge_address": {"stp": {"mode": "rstp", "bridge_address": "00:11:22:33:44:55"}},
    "keepalive.vrf": {"peers.0.keepalive.vrf": "mgmt_junos", "peers.1.keepalive.vrf": "mgmt_junos"},
    "role_priority": {"peers.0.role_priority": 10},
    "mlag_interfaces[2].lacp_mode": {"mlag_interfaces.2.lacp_mode": "static"},
    "mlag_interfaces[1].lacp_fallback_timeout": {"mlag_interfaces.1.lacp_fallback_timeout": 30},
}


@pytest.mark.parametrize("field", sorted(UNSUPPORTED))
def test_unsupported_option_is_rejected_naming_the_field(field):
    assert field in fields_of(full(**UNSUPPORTED[field]))


def test_static_mc_ae_message_says_why():
    (problem,) = problems(full(**{"mlag_interfaces.2.lacp_mode": "static"}))
    assert "LACP" in problem.message and "system-id" in problem.message


@pytest.mark.parametrize(
    ("vlans", "message"),
    [
        ([{"id": 20, "name": "all"}], "'all'"),
        ([{"id": 20, "name": "default"}], "ELS factory name"),
        ([{"id": 20, "name": "VLAN30"}, {"id": 30}], "both be named 'VLAN30'"),
        ([{"id": 20, "name": "ICCP"}], "both be named 'ICCP'"),
    ],
)
def test_vlan_names_must_be_unique_and_unambiguous(vlans, message):
    data = full(vlans=vlans, peer_vlan=4094, mlag_interfaces=[])
    data["peers"][0]["peer_link"].pop("vlans")
    data["peers"][1]["peer_link"].pop("vlans")
    assert any(message in p.message for p in problems(data))


def test_vlan_name_problems_point_at_the_name():
    data = full(vlans=[{"id": 1}, {"id": 20, "name": "MCLAG"}, {"id": 30, "name": "all"}], mlag_interfaces=[])
    for peer in data["peers"]:
        peer["peer_link"].pop("vlans")
    assert fields_of(data) == {"vlans[2].name"}
    data["vlans"] = [{"id": 20, "name": "ICCP"}]
    assert fields_of(data) == {"peer_vlan"}


def test_peer_link_vlans_must_be_defined():
    data = full(**{"peers.0.peer_link.vlans": "1,20,30,40,41", "peers.1.peer_link.vlans": "1,20,30,40,41"})
    assert any(p.field == "peer_link.vlans" and "[41]" in p.message for p in problems(data))


def test_keepalive_must_not_run_in_the_iccp_subnet():
    data = full(**{"peers.0.keepalive": {"source": "10.255.255.0", "destination": "10.255.255.1"},
                   "peers.1.keepalive": {"source": "10.255.255.1", "destination": "10.255.255.0"}})
    assert {p.host for p in problems(data) if p.field == "keepalive.destination"} == {"leaf-a", "leaf-b"}


@pytest.mark.parametrize("interface", ["irb", "ae9", "lo0", "xe-0/0/5.0"])
def test_keepalive_interface_must_be_a_management_or_spare_port(interface):
    data = full(**{"peers.0.keepalive.interface": interface})
    assert "keepalive.interface" in fields_of(data)


# --- injection and token rules ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mlag_interfaces.0.description": 'db01 "prod"'}, "mlag_interfaces[0].description"),
        ({"mlag_interfaces.0.description": "db01 \\ prod"}, "mlag_interfaces[0].description"),
        ({"mlag_interfaces.0.description": "db01 ## prod"}, "mlag_interfaces[0].description"),
        ({"peers.0.peer_link.description": 'ICL"; delete interfaces'}, "peer_link.description"),
        ({"vlans.1.name": "V20;"}, "vlans[1].name"),
        ({"vlans.1.name": "V{20}"}, "vlans[1].name"),
        ({"vlans.1.name": "20V"}, "vlans[1].name"),
        ({"vlans.1.name": "V20\u00e9"}, "vlans[1].name"),
        ({"mlag_interfaces.1.members": ["xe-0/0/3;"]}, "mlag_interfaces[1].members"),
        ({"mlag_interfaces.1.members": ["ae3"]}, "mlag_interfaces[1].members"),
        ({"mlag_interfaces.1.members": ["xe-0/0/3|display"]}, "mlag_interfaces[1].members"),
        ({"peers.0.peer_link.members": ["et-0/0/48{", "et-0/0/49"]}, "peer_link.members"),
        ({"peers.0.keepalive.vrf": "mgmt;x", "peers.1.keepalive.vrf": "mgmt;x"}, "keepalive.vrf"),
    ],
)
def test_platform_token_rules_reject_injection(changes, field):
    assert field in fields_of(full(**changes))


@pytest.mark.parametrize(
    "changes",
    [
        {"mlag_interfaces.0.description": "db01\nset system root-authentication plain-text-password"},
        {"mlag_interfaces.0.description": "db01\x1b[2J"},
        {"vlans.1.name": "V20 V21"},
        {"vlans.1.name": "V20\nset"},
        {"mlag_interfaces.1.members": ["xe-0/0/3 ae1"]},
        {"mlag_interfaces.1.members": ["xe-0/0/3\r"]},
        {"peers.0.keepalive.vrf": "mgmt junos"},
        {"name": "pod 7"},
        {"name": "pod7\n"},
        {"peers.0.keepalive.interface": "em0\nset"},
    ],
)
def test_control_characters_and_spaces_in_tokens_never_build(changes):
    with pytest.raises(ValidationError):
        MlagDomain.model_validate(full(**changes))


# --- property: render and parse meet for generated domains -------------------------------------
NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,12}", fullmatch=True).filter(lambda n: n not in ("all", "default", "ICCP"))
DESCRIPTIONS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ;{}\[\]#'()/:,.@+=-]{0,40}[A-Za-z0-9)\]}]", fullmatch=True).filter(lambda t: "##" not in t)


@st.composite
def junos_domains(draw) -> MlagDomain:
    peer_vlan = draw(st.integers(2, 4094))
    ids = draw(st.lists(st.integers(1, 4094).filter(lambda v: v != peer_vlan), min_size=1, max_size=8, unique=True))
    vlans = [{"id": v, "name": draw(st.one_of(st.none(), NAMES))} for v in ids]
    ports = iter(range(0, 40))
    lags = []
    n_lags = draw(st.integers(0, 3))
    for mlag_id, pc in zip(draw(st.lists(st.integers(1, 65535), min_size=n_lags, max_size=n_lags, unique=True)),
                           draw(st.lists(st.integers(1, 1023), min_size=n_lags, max_size=n_lags, unique=True))):
        mode = draw(st.sampled_from(["trunk", "access"]))
        allowed = [draw(st.sampled_from(ids))] if mode == "access" else draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        members = [f"xe-0/0/{next(ports)}" for _ in range(draw(st.integers(1, 2)))]
        lags.append({
            "mlag_id": mlag_id, "port_channel": pc, "members": members, "mode": mode, "vlans": allowed,
            "description": draw(st.one_of(st.none(), DESCRIPTIONS)),
            "lacp_mode": draw(st.sampled_from(["active", "passive"])), "lacp_rate": draw(st.sampled_from(["fast", "slow"])),
            "native_vlan": draw(st.sampled_from(allowed)) if mode == "trunk" and draw(st.booleans()) else None,
            "mtu": draw(st.one_of(st.none(), st.integers(576, 9216))),
            "min_links": draw(st.one_of(st.none(), st.integers(1, len(members)))),
            "lacp_fallback": draw(st.booleans()),
            "admin_key": draw(st.one_of(st.none(), st.integers(1, 65535))),
        })
    ka_interface = draw(st.sampled_from([None, "em0", "em1.0", "xe-0/0/45", "vme"]))
    ka_prefix = draw(st.sampled_from([24, 30])) if ka_interface else None
    restricted = draw(st.one_of(st.none(), st.lists(st.sampled_from(ids), unique=True)))
    roles = draw(st.sampled_from([(None, None), ("primary", "secondary"), ("secondary", "primary")]))
    chassis = draw(st.sampled_from([(None, None), (0, 1), (1, 0)]))
    peers = []
    for k in range(2):
        peers.append({
            "hostname": f"qfx{k}", "platform": "juniper_junos", "role": roles[k], "chassis_id": chassis[k],
            "keepalive": {"source": f"172.16.0.{k + 1}", "destination": f"172.16.0.{2 - k}", "interface": ka_interface, "prefix_length": ka_prefix},
            "peer_address": f"10.9.{draw(st.integers(0, 255))}.{k}/31" if k == 0 else None,
            "peer_link": {"port_channel": 0, "members": ["et-0/0/48", "et-0/0/49"], "vlans": restricted,
                          "description": draw(st.one_of(st.none(), DESCRIPTIONS))},
        })
    peers[1]["peer_address"] = peers[0]["peer_address"].replace(".0/31", ".1/31")
    stp_mode = draw(st.sampled_from([None, "rstp", "mstp"]))
    data = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)),
        "domain_id": draw(st.integers(1, 4294967294)),
        "service_id": draw(st.one_of(st.none(), st.integers(1, 65535))),
        "peer_vlan": peer_vlan,
        "vlans": vlans,
        "peers": peers,
        "mlag_interfaces": lags,
        "system": {"mac": draw(st.one_of(st.none(), st.sampled_from(["00:00:5e:00:53:01", "02:00:00:00:00:aa"]))),
                   "priority": draw(st.one_of(st.none(), st.integers(1, 65535)))},
        "timers": {"restore_delay": draw(st.one_of(st.none(), st.integers(0, 6000)))},
        "stp": {"mode": stp_mode, "priority": draw(st.sampled_from([None, 0, 4096, 61440])) if stp_mode else None},
    }
    try:
        return MlagDomain.model_validate(data)
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(junos_domains())
def test_generated_domains_round_trip_in_both_renderings(d):
    for host in d.hostnames:
        expected = DRIVER.peer_config(d, host)
        for variant in DRIVER.variants:
            parsed = DRIVER.parse_config(DRIVER.render(d, host, variant), hostname=host)
            assert parsed == expected, variant
            assert parsed.warnings == []


# --- forms: MX bridge family, legacy EX, groups, ICCP variants, unread MC-LAG statements --------
def test_mx_set_form_bridge_family_and_bridge_domains():
    cfg = parse("mx-bridge-a.set")
    assert (cfg.hostname, cfg.domain_id, cfg.role, cfg.service_id) == ("mx-edge-a", "7", "secondary", 7)
    assert (cfg.local_interface, cfg.local_address, cfg.peer_address) == ("lo0.0", "198.51.100.2/32", "198.51.100.1")  # per-peer local-ip-addr, routed ICCP
    assert cfg.keepalive.model_dump() == {"source": "192.0.2.66", "destination": "192.0.2.65", "vrf": None}
    assert cfg.peer_link.members == ["ge-0/0/0", "ge-0/0/1"] and cfg.peer_link.vlans == list(range(300, 321))
    itf = cfg.mlag_interface(2)
    assert (itf.members, itf.mode, itf.vlans, itf.lacp_rate, itf.mc_ae_mode) == (["xe-1/0/0"], "trunk", [300, 310, 311, 312], "slow", "active-standby")
    assert [(v.id, v.name) for v in cfg.vlans] == [(300, "BD300"), (310, "BD310"), (311, "BD311"), (312, "BD312")]
    assert cfg.unread == [] and cfg.warnings == []


def test_legacy_ex_vlans_stanza_groups_except_and_ipv6_iccp():
    cfg = parse("ex-legacy-b.conf")
    assert (cfg.local_interface, cfg.local_address, cfg.peer_address, cfg.peer_vlan) == ("vlan.49", "2001:db8:49::b/127", "2001:db8:49::a", 49)
    assert cfg.keepalive.model_dump() == {"source": "2001:db8:f00::b", "destination": "2001:db8:f00::a", "vrf": None}
    assert (cfg.peer_link.interface, cfg.peer_link.vlans) == ("ae1", [40, 41, 49])  # members from the vlans stanza
    itf = cfg.mlag_interface(4)
    assert itf.members == ["ge-0/0/10", "ge-0/0/11"]  # interface-range member-range
    assert (itf.mode, itf.vlans, itf.native_vlan, itf.mtu) == ("trunk", [40, 41], 40, 9192)  # port-mode, <*> group
    assert (itf.chassis_id, itf.status_control, itf.lacp_system_id, itf.admin_key, itf.init_delay) == (1, "standby", "02:00:5e:10:00:0b", 4, 120)
    assert (cfg.role, cfg.stp.mode, cfg.unread) == ("secondary", "rstp", [])


def test_apply_groups_except_and_deeper_level_wins():
    text = """set groups MTU interfaces <*> mtu 9000
set groups ICL interfaces <ae0> mtu 1600
set apply-groups MTU
set interfaces ae0 apply-groups ICL
set interfaces ae3 apply-groups-except MTU
set interfaces ae3 aggregated-ether-options mc-ae mc-ae-id 3
set interfaces ae5 aggregated-ether-options mc-ae mc-ae-id 5
set interfaces ae0 aggregated-ether-options lacp active
"""
    cfg = DRIVER.parse_config(text)
    assert [(i.mlag_id, i.mtu) for i in cfg.mlag_interfaces] == [(3, None), (5, 9000)]
    assert _Reader(text).ifds["ae0"].mtu == 1600  # the group applied at the interface wins over the top-level one


def test_upper_case_interface_names_are_junos_names():
    text = "set interfaces XE-0/0/1 ether-options 802.3ad AE1\nset interfaces AE1 aggregated-ether-options mc-ae mc-ae-id 1\n"
    assert DRIVER.parse_config(text).mlag_interface(1).members == ["xe-0/0/1"]


def test_unknown_mc_lag_statement_forms_are_unread_known_ones_are_not():
    text = """set interfaces ae1 aggregated-ether-options mc-ae mc-ae-id 1
set interfaces ae1 aggregated-ether-options mc-ae chassis-id 2
set interfaces ae1 aggregated-ether-options mc-ae revert-time 3
set interfaces ae1 aggregated-ether-options mc-ae future-knob on
set protocols iccp peer 10.0.0.2 backup-liveness-detection backup-peer-ip 10.9.0.2
set protocols iccp peer 10.0.0.2 liveness-detection minimum-interval 1000
set protocols iccp peer 10.0.0.2 new-peer-knob 1
set protocols iccp authentication-key "$9$abc"
set protocols iccp other-knob 1
set multi-chassis multi-chassis-protection 10.0.0.2 interface ae0
set multi-chassis multi-chassis-protection 10.0.0.2 icl-down-delay 20
set multi-chassis mc-lag consistency-check
set multi-chassis unknown-thing 1
set protocols lldp interface all
"""
    cfg = DRIVER.parse_config(text)
    assert cfg.unread == [
        "interfaces ae1 aggregated-ether-options mc-ae chassis-id 2",
        "interfaces ae1 aggregated-ether-options mc-ae future-knob on",
        "protocols iccp peer 10.0.0.2 new-peer-knob 1",
        "protocols iccp other-knob 1",
        "multi-chassis unknown-thing 1",
    ]
    assert cfg.mlag_interface(1).chassis_id is None and cfg.peer_link.interface == "ae0"


class _StatementByStatement(_Reader):
    """The reader with every statement walked from the root, no shortcut for the members of a list."""

    def __init__(self, text: str):
        super().__init__("")
        from mlagauto.drivers.juniper_junos import effective_paths

        for path in effective_paths(text, self.warnings):
            if len(path) > 1:
                self._statement(path)


MEMBER_LISTS = """\
interfaces {
    interface-range servers {
        member xe-0/0/1;
        unit 0 {
            family ethernet-switching {
                vlan {
                    members [ V10 V11 ];
                }
            }
        }
    }
    ae1 {
        aggregated-ether-options {
            mc-ae {
                mc-ae-id 1;
            }
        }
        unit 0 {
            family ethernet-switching {
                interface-mode trunk;
                vlan {
                    members [ V10 V11 100-102 ];
                }
            }
        }
        unit 1 {
            family ethernet-switching {
                vlan {
                    members [ V11 V10 ];
                }
            }
        }
    }
    ae2 {
        aggregated-ether-options {
            mc-ae {
                mc-ae-id 2;
            }
        }
        unit 0 {
            family ethernet-switching {
                vlan {
                    members V12;
                    members V10;
                }
            }
        }
    }
}
vlans {
    V10 {
        vlan-id 10;
    }
    V11 {
        vlan-id 11;
    }
    V12 {
        vlan-id 12;
    }
}
set interfaces ae2 unit 0 family ethernet-switching vlan members [ V11 ]
set interfaces ae2 unit 0 family ethernet-switching vlan members V11
set interfaces ae2 unit 0 family ethernet-switching vlan members [
deactivate interfaces ae1 unit 0 family ethernet-switching vlan members V11
"""


@pytest.mark.parametrize("name", [*sorted(p.name for p in FIXTURES.iterdir() if p.is_file()), "member lists"])
def test_members_of_a_list_read_as_every_statement_walked_from_the_root(name):
    text = MEMBER_LISTS if name == "member lists" else fixture(name)
    fast, walked = _Reader(text), _StatementByStatement(text)
    assert fast.peer_config("juniper_junos", "h") == walked.peer_config("juniper_junos", "h")
    assert {n: i.units for n, i in fast.ifds.items()} == {n: i.units for n, i in walked.ifds.items()}
    assert {n: i.units for n, i in fast.ranges.items()} == {n: i.units for n, i in walked.ranges.items()}
    if name == "member lists":
        assert fast.ifds["ae1"].units[0].members == ["V10", "100-102"]  # V11 deactivated
        assert fast.ifds["ae1"].units[1].members == ["V11", "V10"]
        assert fast.ifds["ae2"].units[0].members == ["V12", "V10", "V11", "V11"]
        assert fast.ranges["servers"].units[0].members == ["V10", "V11"]
