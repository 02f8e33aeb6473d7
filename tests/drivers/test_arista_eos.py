"""Arista EOS driver: running configs as the device prints them, every model option EOS has
through render and parse, every option it lacks rejected, injection refused, exact lines."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mlagauto.checks import audit_pair
from mlagauto.drivers import detect_platform, get_driver
from mlagauto.model import IntentError, MlagDomain

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "arista_eos"
DRIVER = get_driver("arista_eos")


def _peer(host: str, k: int, **extra: Any) -> dict[str, Any]:
    src, dst = (f"192.0.2.{k + 1}", f"192.0.2.{2 - k}")
    return {
        "hostname": host,
        "platform": "arista_eos",
        "keepalive": {"source": src, "destination": dst, "vrf": "MGMT"},
        "peer_address": f"10.255.0.{k}/31",
        "peer_link": {"port_channel": 10, "members": ["Ethernet47", "Ethernet48"]},
        **extra,
    }


def base() -> dict[str, Any]:
    """A small valid EOS domain; tests change one thing at a time."""
    return {
        "name": "pod1",
        "domain_id": 1,
        "vlans": [{"id": 10, "name": "WEB"}, {"id": 20, "name": "DB"}],
        "peers": [_peer("sw1", 0), _peer("sw2", 1)],
        "mlag_interfaces": [{"mlag_id": 11, "port_channel": 11, "members": ["Ethernet1"], "vlans": [10, 20]}],
    }


FULL: dict[str, Any] = {
    "name": "pod7",
    "domain_id": 7,
    "domain_name": "POD7_MLAG",
    "peer_vlan": 4000,
    "system": {"priority": 4096},
    "timers": {"restore_delay": 600, "non_mlag_restore_delay": 660},
    "stp": {"mode": "rstp", "priority": 8192},
    "vlans": [
        {"id": 10, "name": "WEB"},
        {"id": 11, "name": "WEB"},
        {"id": 20},
        {"id": 21},
        {"id": 30, "name": "DB"},
        {"id": 4000, "name": "PEERVLAN"},
    ],
    "peers": [
        {
            **_peer("sw1", 0),
            "role": "primary",
            "keepalive": {"source": "192.0.2.0", "destination": "192.0.2.1", "vrf": "HB", "interface": "Ethernet48", "prefix_length": 31},
            "peer_link": {"port_channel": 100, "members": ["Ethernet49/1", "Ethernet50/1"], "vlans": "10-11,20-21,30", "description": "PEER_LINK"},
        },
        {
            **_peer("sw2", 1),
            "role": "secondary",
            "keepalive": {"source": "192.0.2.1", "destination": "192.0.2.0", "vrf": "HB", "interface": "Ethernet48", "prefix_length": 31},
            "peer_link": {"port_channel": 100, "members": ["Ethernet49/1", "Ethernet50/1"], "vlans": "10-11,20-21,30", "description": "PEER_LINK"},
        },
    ],
    "mlag_interfaces": [
        {
            "mlag_id": 1,
            "port_channel": {"sw1": 1, "sw2": 101},
            "members": {"sw1": ["Ethernet1"], "sw2": ["Ethernet2"]},
            "description": "srv-1 bond0",
            "lacp_rate": "fast",
            "vlans": "10-11,20",
            "native_vlan": 20,
            "mtu": 9000,
            "min_links": 1,
            "lacp_fallback": True,
            "lacp_fallback_timeout": 45,
        },
        {"mlag_id": 2, "port_channel": 2, "members": ["Ethernet3", "Ethernet4"], "mode": "access", "vlans": [30], "lacp_mode": "passive"},
        {"mlag_id": 3, "port_channel": 3, "members": ["Ethernet5"], "lacp_mode": "static", "vlans": [21]},
    ],
}


def build(data: dict[str, Any]) -> MlagDomain:
    return MlagDomain.model_validate(data)


def render(data: dict[str, Any], host: str = "sw1") -> str:
    return DRIVER.render(build(data), host)


def block(text: str, header: str) -> list[str]:
    """The lines of the block that starts with ``header``, up to its ``!``."""
    lines = text.splitlines()
    start = lines.index(header)
    end = lines.index("!", start)
    return lines[start:end]


def problems(data: dict[str, Any]) -> dict[str, str]:
    """``{field: message}`` of the IntentError a domain raises (fails if it builds)."""
    with pytest.raises(ValidationError) as info:
        build(data)
    error = info.value.errors()[0].get("ctx", {}).get("error")
    assert isinstance(error, IntentError), info.value
    return {p.field: p.message for p in error.problems}


def parse_fixture(name: str):
    return DRIVER.parse_config((FIXTURES / name).read_text(), hostname=Path(name).stem)


# --- fixtures: what real EOS prints --------------------------------------------------------------
def test_leaf1a_full_running_config():
    cfg = parse_fixture("leaf1a.cfg")
    assert cfg.warnings == []
    assert cfg.hostname == "leaf1a"
    assert cfg.domain_id == "POD1_MLAG"
    assert (cfg.local_interface, cfg.local_address, cfg.peer_address, cfg.peer_vlan) == ("Vlan4094", "10.255.252.0/31", "10.255.252.1", 4094)
    assert cfg.keepalive.model_dump() == {"source": "192.168.0.21", "destination": "192.168.0.22", "vrf": "MGMT"}
    assert cfg.peer_link.model_dump() == {"interface": "Port-Channel10", "members": ["Ethernet47", "Ethernet48"], "vlans": None, "lacp_mode": "active", "description": "MLAG_PEER_leaf1b_Po10"}
    assert cfg.system_priority == 1024 and cfg.system_mac is None and cfg.role is None
    assert (cfg.stp.mode, cfg.stp.priority) == ("mstp", 8192)
    assert (cfg.timers.restore_delay, cfg.timers.non_mlag_restore_delay, cfg.timers.auto_recovery) == (780, 1020, None)
    assert [(v.id, v.name) for v in cfg.vlans] == [(10, "SERVERS"), (20, "STORAGE"), (30, None), (31, None), (35, None), (4094, "MLAG_PEER")]
    by_id = {i.mlag_id: i for i in cfg.mlag_interfaces}
    assert list(by_id) == [5, 21, 30], "sorted by MLAG id; the routed uplink Port-Channel50 is no MLAG"
    pxe = by_id[5]
    assert (pxe.interface, pxe.members, pxe.mode, pxe.vlans, pxe.native_vlan) == ("Port-Channel105", ["Ethernet2"], "access", [20], None)
    assert (pxe.lacp_mode, pxe.lacp_rate, pxe.lacp_fallback, pxe.lacp_fallback_timeout) == ("active", "slow", True, 20)
    srv = by_id[21]
    assert (srv.description, srv.mode, srv.vlans, srv.native_vlan, srv.lacp_rate) == ("server1_bond0", "trunk", [10, 20, 30, 31, 35], 1, "fast")
    fw = by_id[30]
    assert (fw.members, fw.lacp_mode, fw.native_vlan, fw.vlans, fw.mtu, fw.min_links, fw.lacp_fallback) == (["Ethernet3", "Ethernet4"], "static", 10, [10, 20], 9000, 2, False)


def test_leaf1b_mirrors_leaf1a_and_the_pair_audits_clean():
    a, b = parse_fixture("leaf1a.cfg"), parse_fixture("leaf1b.cfg")
    assert b.keepalive.model_dump() == {"source": "192.168.0.22", "destination": "192.168.0.21", "vrf": "MGMT"}
    assert (b.local_address, b.peer_address) == ("10.255.252.1/31", "10.255.252.0")
    assert b.mlag_interface(5).interface == "Port-Channel205"
    findings = audit_pair(a, b)
    assert [f for f in findings if f.severity.value != "info"] == [], findings


def test_legacy_veos_without_vrf_delays_or_vlan_id_keyword():
    cfg = parse_fixture("legacy-veos-4.21.cfg")
    assert cfg.warnings == []
    assert (cfg.domain_id, cfg.peer_vlan, cfg.local_interface) == ("mlag1", 4093, "Vlan4093")
    assert cfg.keepalive.model_dump() == {"source": "10.0.0.5", "destination": "10.0.0.6", "vrf": None}
    assert (cfg.timers.restore_delay, cfg.timers.non_mlag_restore_delay) == (300, 300), "EOS defaults when reload-delay is not printed"
    assert (cfg.stp.mode, cfg.stp.priority, cfg.system_priority) == ("rapid-pvst", 16384, 32768)
    assert cfg.peer_link.interface == "Port-Channel1000" and cfg.peer_link.members == ["Ethernet1", "Ethernet2"]
    assert [(v.id, v.name) for v in cfg.vlans] == [(100, "USERS"), (200, "PRINTERS"), (4093, None)]
    access, trunk = cfg.mlag_interfaces
    assert (access.mlag_id, access.mode, access.vlans, access.lacp_mode) == (7, "access", [100], "active")
    assert (trunk.mlag_id, trunk.mode, trunk.vlans, trunk.lacp_mode, trunk.native_vlan) == (8, "trunk", [100, 200], "passive", 1)


def test_quirks_ranges_add_except_tag_and_warnings():
    cfg = parse_fixture("quirks.cfg")
    assert [(v.id, v.name) for v in cfg.vlans] == [(4, None), (5, None), (9, None), (10, None), (509, "customer-5b32e5"), (510, "customer-5b32e5"), (3999, "PEER")]
    assert cfg.peer_link.vlans == [4, 5, 9, 10, 509, 510, 3999], "'none' followed by 'add' lines"
    assert cfg.peer_link.members == ["Ethernet1/1", "Ethernet1/2"]
    assert (cfg.stp.mode, cfg.stp.priority) == ("rstp", 12288)
    assert cfg.keepalive.model_dump() == {"source": "10.99.99.0", "destination": "10.99.99.1", "vrf": "HB"}
    assert cfg.timers.restore_delay == 600, "bare 'reload-delay N' is the MLAG reload delay"
    assert cfg.timers.non_mlag_restore_delay is None
    mixed, access, tagged = cfg.mlag_interfaces
    assert mixed.vlans == sorted(set(range(1, 4095)) - {1, 2, 3, 6, 7, 8})
    assert (mixed.lacp_mode, mixed.lacp_rate) == ("active", "fast")
    assert (access.mode, access.vlans) == ("access", [1]), "no access VLAN line means VLAN 1"
    assert (tagged.native_vlan, tagged.lacp_fallback, tagged.lacp_fallback_timeout) == (None, True, 90)
    text = " | ".join(cfg.warnings)
    for expected in ("members disagree (active, passive)", "members disagree (fast, slow)", "shut down", "'infinity'"):
        assert expected in text


def test_configlet_forms():
    """configlet-forms: interface types in any case, abbreviated and spaced (``port-channel10``,
    ``Port-Channel 41``, ``Po42``, ``vlan4094``), member ranges, an IPv6 peer address on the
    SVI, a heartbeat source on an address-mask interface, and an ``mlag`` line of no
    documented form."""
    cfg = parse_fixture("configlet-forms.cfg")
    assert cfg.warnings == []
    assert (cfg.domain_id, cfg.local_interface, cfg.peer_vlan) == ("POD4", "Vlan4094", 4094)
    assert (cfg.local_address, cfg.peer_address) == ("fd00:4:94::1/64", "fd00:4:94::2")
    assert cfg.keepalive.model_dump() == {"source": "192.0.2.41", "destination": "192.0.2.42", "vrf": None}
    assert (cfg.peer_link.interface, cfg.peer_link.members, cfg.peer_link.lacp_mode) == ("Port-Channel10", ["Ethernet1", "Ethernet2"], "active")
    assert (cfg.timers.restore_delay, cfg.timers.non_mlag_restore_delay) == (240, 270)
    assert (cfg.stp.mode, cfg.stp.priority) == ("mstp", 8192)
    (lag,) = cfg.mlag_interfaces
    assert (lag.mlag_id, lag.interface, lag.members) == (41, "Port-Channel41", ["Ethernet3/1", "Ethernet3/2"])
    assert (lag.lacp_mode, lag.lacp_rate, lag.vlans, lag.lacp_fallback, lag.lacp_fallback_timeout) == ("active", "fast", [40, 41], True, 30)
    assert cfg.unread == ["mlag forty-two"], "Po42 means to be an MLAG; its id is not readable"


@pytest.mark.parametrize(
    "spec, names",
    [
        ("Port-Channel10", ["Port-Channel10"]),
        ("port-channel10", ["Port-Channel10"]),
        ("Port-Channel 10", ["Port-Channel10"]),
        ("Po10", ["Port-Channel10"]),
        ("Et1", ["Ethernet1"]),
        ("ethernet1/1", ["Ethernet1/1"]),
        ("Ethernet1-3", ["Ethernet1", "Ethernet2", "Ethernet3"]),
        ("Ethernet1/1-2", ["Ethernet1/1", "Ethernet1/2"]),
        ("Ethernet1,3", ["Ethernet1", "Ethernet3"]),
        ("Ethernet1/1-2, Ethernet2/1", ["Ethernet1/1", "Ethernet1/2", "Ethernet2/1"]),
        ("vlan4094", ["Vlan4094"]),
        ("Management1", ["Management1"]),
        ("Vxlan1", ["Vxlan1"]),
    ],
)
def test_interface_names_as_show_run_spells_them(spec, names):
    from mlagauto.drivers.arista_eos import _interface_names

    assert _interface_names(spec) == names


@pytest.mark.parametrize(
    "line",
    [
        "peer-address heartbeat 192.0.2.2 vrf",
        "peer-address heartbeat 192.0.2.2 MGMT",
        "peer-address leaf2",
        "peer-address 10.0.0.1 10.0.0.2",
        "reload-delay soon 300",
        "domain-id",
    ],
)
def test_mlag_lines_of_unknown_form_are_unread(line):
    text = (FIXTURES / "leaf1a.cfg").read_text()
    cfg = DRIVER.parse_config(text.replace("mlag configuration\n", f"mlag configuration\n   {line}\n"))
    assert cfg.unread == [line]
    assert cfg.domain_id == "POD1_MLAG", "the rest of the block is read"


def test_reload_delay_mode_and_dual_primary_are_not_unread():
    text = (FIXTURES / "leaf1a.cfg").read_text()
    extra = "   reload-delay mode lacp standby\n   dual-primary recovery delay mlag 60 non-mlag 0\n   heartbeat-interval 2000\n"
    cfg = DRIVER.parse_config(text.replace("mlag configuration\n", "mlag configuration\n" + extra))
    assert cfg == parse_fixture("leaf1a.cfg")


def test_config_without_mlag_says_so():
    cfg = DRIVER.parse_config("hostname plain\n!\nspanning-tree mode mstp\n!\nvlan 10\n   name A\n!\nend\n")
    assert cfg.hostname == "plain" and cfg.domain_id is None and cfg.timers.restore_delay is None
    assert [(v.id, v.name) for v in cfg.vlans] == [(10, "A")]
    assert any("no 'mlag configuration'" in w for w in cfg.warnings)


@pytest.mark.parametrize("name", ["leaf1a.cfg", "leaf1b.cfg", "legacy-veos-4.21.cfg", "quirks.cfg", "configlet-forms.cfg"])
def test_fixtures_are_detected_as_eos(name):
    assert detect_platform((FIXTURES / name).read_text()) == "arista_eos"


def test_detection_is_zero_on_other_text():
    assert DRIVER.detect("") == 0
    assert DRIVER.detect("interface port-channel1\n  vpc peer-link\n!\nvpc domain 10\n") == 0
    assert DRIVER.detect("dfs-group 1\n#\ninterface Eth-Trunk1\n") == 0


# --- every option EOS has ------------------------------------------------------------------------
def test_full_domain_round_trips_on_both_peers():
    domain = build(FULL)
    for host in domain.hostnames:
        text = DRIVER.render(domain, host)
        assert DRIVER.parse_config(text, hostname=host) == DRIVER.peer_config(domain, host)


def test_full_domain_renders_each_option_as_eos_prints_it():
    text = render(FULL)
    assert text.splitlines()[:6] == [
        "lacp system-priority 4096",
        "!",
        "spanning-tree mode rstp",
        "no spanning-tree vlan-id 4000",
        "spanning-tree priority 8192",
        "!",
    ]
    assert block(text, "vlan 10-11") == ["vlan 10-11", "   name WEB"], "EOS prints VLANs with identical settings as one range"
    assert block(text, "vlan 20-21") == ["vlan 20-21"]
    assert block(text, "vlan 4000") == ["vlan 4000", "   name PEERVLAN", "   trunk group MLAG"]
    assert "vrf instance HB" in text.splitlines()
    assert block(text, "interface Port-Channel1") == [
        "interface Port-Channel1",
        "   description srv-1 bond0",
        "   mtu 9000",
        "   switchport trunk native vlan 20",
        "   switchport trunk allowed vlan 10-11,20",
        "   switchport mode trunk",
        "   port-channel min-links 1",
        "   port-channel lacp fallback individual",
        "   port-channel lacp fallback timeout 45",
        "   mlag 1",
    ]
    assert block(text, "interface Port-Channel2") == ["interface Port-Channel2", "   switchport access vlan 30", "   mlag 2"]
    assert block(text, "interface Port-Channel100") == [
        "interface Port-Channel100",
        "   description PEER_LINK",
        "   switchport trunk allowed vlan 10-11,20-21,30,4000",
        "   switchport mode trunk",
        "   switchport trunk group MLAG",
    ]
    assert block(text, "interface Ethernet1") == ["interface Ethernet1", "   description srv-1 bond0", "   channel-group 1 mode active", "   lacp timer fast"]
    assert block(text, "interface Ethernet3") == ["interface Ethernet3", "   channel-group 2 mode passive"]
    assert block(text, "interface Ethernet5") == ["interface Ethernet5", "   channel-group 3 mode on"]
    assert block(text, "interface Ethernet48") == ["interface Ethernet48", "   no switchport", "   vrf HB", "   ip address 192.0.2.0/31"]
    assert block(text, "interface Vlan4000") == ["interface Vlan4000", "   no autostate", "   ip address 10.255.0.0/31"]
    assert block(text, "mlag configuration") == [
        "mlag configuration",
        "   domain-id POD7_MLAG",
        "   local-interface Vlan4000",
        "   peer-address 10.255.0.1",
        "   peer-address heartbeat 192.0.2.1 vrf HB",
        "   peer-link Port-Channel100",
        "   reload-delay mlag 600",
        "   reload-delay non-mlag 660",
    ]
    assert "hostname" not in text


def test_second_peer_uses_its_own_port_channel_and_members():
    text = render(FULL, "sw2")
    assert block(text, "interface Port-Channel101")[-1] == "   mlag 1"
    assert block(text, "interface Ethernet2")[2] == "   channel-group 101 mode active"
    assert "interface Ethernet1" not in text.splitlines()


def test_interfaces_in_device_order():
    text = render(FULL)
    order = [line for line in text.splitlines() if line.startswith("interface ")]
    assert order == [
        "interface Port-Channel1",
        "interface Port-Channel2",
        "interface Port-Channel3",
        "interface Port-Channel100",
        "interface Ethernet1",
        "interface Ethernet3",
        "interface Ethernet4",
        "interface Ethernet5",
        "interface Ethernet48",
        "interface Ethernet49/1",
        "interface Ethernet50/1",
        "interface Vlan4000",
    ]


def test_full_projection_values():
    cfg = DRIVER.peer_config(build(FULL), "sw1")
    assert cfg.domain_id == "POD7_MLAG" and cfg.system_priority == 4096 and cfg.peer_vlan == 4000
    assert cfg.keepalive.model_dump() == {"source": "192.0.2.0", "destination": "192.0.2.1", "vrf": "HB"}
    assert cfg.peer_link.vlans == [10, 11, 20, 21, 30, 4000], "the peer VLAN rides the peer-link"
    assert [(v.id, v.name) for v in cfg.vlans] == [(10, "WEB"), (11, "WEB"), (20, None), (21, None), (30, "DB"), (4000, "PEERVLAN")]
    lag = cfg.mlag_interface(1)
    assert (lag.interface, lag.native_vlan, lag.lacp_fallback_timeout, lag.lacp_rate) == ("Port-Channel1", 20, 45, "fast")
    assert cfg.mlag_interface(2).native_vlan is None, "access ports have no native VLAN"
    assert cfg.timers.auto_recovery is None and cfg.peer_gateway is None and cfg.role is None


# --- option by option: the lines each produces ---------------------------------------------------
@pytest.mark.parametrize(
    ("stp", "expected"),
    [
        ({"mode": "mstp", "priority": 4096}, ["spanning-tree mode mstp", "no spanning-tree vlan-id 4094", "spanning-tree mst 0 priority 4096"]),
        ({"priority": 4096}, ["no spanning-tree vlan-id 4094", "spanning-tree mst 0 priority 4096"]),
        ({"mode": "rstp", "priority": 0}, ["spanning-tree mode rstp", "no spanning-tree vlan-id 4094", "spanning-tree priority 0"]),
        ({"mode": "rapid-pvst", "priority": 61440}, ["spanning-tree mode rapid-pvst", "no spanning-tree vlan-id 4094", "spanning-tree vlan-id 1-4094 priority 61440"]),
        ({"mode": "mstp", "priority": 32768}, ["spanning-tree mode mstp", "no spanning-tree vlan-id 4094"]),
        ({}, ["no spanning-tree vlan-id 4094"]),
    ],
)
def test_stp_lines(stp, expected):
    data = base() | {"stp": stp}
    text = render(data)
    assert text.splitlines()[: len(expected) + 1] == expected + ["!"]
    assert DRIVER.parse_config(text, hostname="sw1") == DRIVER.peer_config(build(data), "sw1")


def test_lacp_fallback_lines():
    data = base()
    data["mlag_interfaces"][0].update(lacp_fallback=True)
    assert block(render(data), "interface Port-Channel11")[-2:] == ["   port-channel lacp fallback individual", "   mlag 11"]
    data["mlag_interfaces"][0].update(lacp_fallback_timeout=5)
    assert block(render(data), "interface Port-Channel11")[-3:] == [
        "   port-channel lacp fallback individual",
        "   port-channel lacp fallback timeout 5",
        "   mlag 11",
    ]


def test_keepalive_without_vrf_or_in_default_vrf():
    for vrf in (None, "default"):
        data = base()
        for p in data["peers"]:
            p["keepalive"]["vrf"] = vrf
        text = render(data)
        assert "   peer-address heartbeat 192.0.2.2" in text.splitlines()
        assert "vrf instance" not in text
        assert DRIVER.parse_config(text).keepalive.vrf is None
        assert DRIVER.peer_config(build(data), "sw1").keepalive.vrf is None


def test_keepalive_management_interface_is_rendered_and_gives_the_source():
    data = base()
    for p in data["peers"]:
        p["keepalive"].update(interface="Management1", prefix_length=24)
    text = render(data)
    assert block(text, "interface Management1") == ["interface Management1", "   vrf MGMT", "   ip address 192.0.2.1/24"]
    assert DRIVER.parse_config(text).keepalive.source == "192.0.2.1"
    assert DRIVER.peer_config(build(data), "sw1").keepalive.source == "192.0.2.1"


def test_routed_heartbeat_has_no_source_in_the_config():
    data = base()
    for p in data["peers"]:
        p["keepalive"].update(interface="Loopback9", prefix_length=31)
    data["peers"][0]["keepalive"].update(source="192.0.2.10", destination="198.51.100.10")
    data["peers"][1]["keepalive"].update(source="198.51.100.10", destination="192.0.2.10")
    text = render(data)
    assert block(text, "interface Loopback9") == ["interface Loopback9", "   vrf MGMT", "   ip address 192.0.2.10/31"]
    assert DRIVER.peer_config(build(data), "sw1").keepalive.source is None
    assert DRIVER.parse_config(text, hostname="sw1") == DRIVER.peer_config(build(data), "sw1")


def test_peer_vlan_named_by_the_domain_and_defaults_left_out():
    data = base() | {"peer_vlan": 3000}
    data["vlans"] += [{"id": 3000, "name": "MY_PEER"}, {"id": 1}, {"id": 30, "name": "VLAN0030"}]
    text = render(data)
    assert block(text, "vlan 3000") == ["vlan 3000", "   name MY_PEER", "   trunk group MLAG"]
    assert "vlan 1" not in text.splitlines(), "VLAN 1 at its defaults is never printed"
    assert block(text, "vlan 30") == ["vlan 30"], "the default name VLAN0030 is not printed"
    assert [(v.id, v.name) for v in DRIVER.peer_config(build(data), "sw1").vlans] == [(10, "WEB"), (20, "DB"), (30, None), (3000, "MY_PEER")]


def test_explicit_defaults_equal_omitted_ones():
    implicit = base()
    implicit["vlans"] += [{"id": 1}, {"id": 30}]
    implicit["mlag_interfaces"] = [
        {"mlag_id": 11, "port_channel": 11, "members": ["Ethernet1"], "vlans": [1, 10], "lacp_fallback": True},
        {"mlag_id": 12, "port_channel": 12, "members": ["Ethernet2"], "mode": "access", "vlans": [1]},
    ]
    explicit = copy.deepcopy(implicit)
    explicit["vlans"][3]["name"] = "VLAN0030"
    explicit |= {"system": {"priority": 32768}, "timers": {"restore_delay": 300, "non_mlag_restore_delay": 300}, "stp": {"priority": 32768}}
    explicit["mlag_interfaces"][0].update(native_vlan=1, lacp_fallback_timeout=90, lacp_rate="slow")
    assert render(explicit) != render(implicit), "explicit reload-delays are printed"
    a, b = DRIVER.peer_config(build(explicit), "sw1"), DRIVER.peer_config(build(implicit), "sw1")
    assert a == b
    assert (a.system_priority, a.stp.priority, a.timers.restore_delay, a.timers.non_mlag_restore_delay) == (32768, 32768, 300, 300)
    assert (a.mlag_interface(11).native_vlan, a.mlag_interface(11).lacp_fallback_timeout, a.mlag_interface(12).vlans) == (1, 90, [1])
    lines = render(explicit).splitlines()
    for omitted in ("lacp system-priority 32768", "   switchport trunk native vlan 1", "   port-channel lacp fallback timeout 90", "   switchport access vlan 1"):
        assert omitted not in lines
    for data in (explicit, implicit):
        assert DRIVER.parse_config(render(data), hostname="sw1") == DRIVER.peer_config(build(data), "sw1")


# --- what EOS does not have ---------------------------------------------------------------------
def _set(path: str, value: Any, host: int | None = None):
    def apply(data: dict[str, Any]) -> None:
        target = data["peers"][host] if host is not None else data
        *parents, leaf = path.split(".")
        for key in parents:
            target = target.setdefault(key, {}) if not key.isdigit() else target[int(key)]
        target[leaf] = value

    return apply


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("system.mac", "02:00:00:00:00:01"), "system.mac"),
        (_set("peer_gateway", True), "peer_gateway"),
        (_set("peer_switch", True), "peer_switch"),
        (_set("timers.auto_recovery", True), "timers.auto_recovery"),
        (_set("timers.auto_recovery_delay", 240), "timers.auto_recovery_delay"),
        (_set("service_id", 5), "service_id"),
        (_set("authentication", {"password": "Secret_1"}), "authentication"),
        (_set("stp.mlag_mode", "v-stp"), "stp.mlag_mode"),
        (_set("stp.bridge_address", "02:00:00:00:00:02"), "stp.bridge_address"),
        (_set("role_priority", 100, host=0), "role_priority"),
        (_set("chassis_id", 0, host=0), "chassis_id"),
        (_set("mlag_interfaces.0.admin_key", 40), "mlag_interfaces[0].admin_key"),
        (_set("peer_vlan", 1), "peer_vlan"),
        (_set("mlag_interfaces.0.mtu", 9216), "mlag_interfaces[0].mtu"),
    ],
)
def test_unsupported_options_are_rejected_by_name(change, field):
    data = base()
    if field == "chassis_id":
        data["peers"][1]["chassis_id"] = 1
    change(data)
    found = problems(data)
    assert field in found, found
    assert found[field]


def test_fallback_timeout_beyond_eos_range_is_rejected():
    data = base()
    data["mlag_interfaces"][0].update(lacp_fallback=True, lacp_fallback_timeout=301)
    assert "0-300" in problems(data)["mlag_interfaces[0].lacp_fallback_timeout"]


def test_fallback_on_a_static_lag_is_rejected():
    data = base()
    data["mlag_interfaces"][0].update(lacp_mode="static", lacp_fallback=True)
    assert "mlag_interfaces[0].lacp_fallback" in problems(data)


@pytest.mark.parametrize("interface", ["Port-Channel5", "Vlan4094", "Vlan4095", "Et1", "mgmt0", "Management1/0"])
def test_bad_keepalive_interfaces_are_rejected(interface):
    data = base()
    for p in data["peers"]:
        p["keepalive"].update(interface=interface, prefix_length=24)
    assert "keepalive.interface" in problems(data)


def test_keepalive_source_must_be_a_host_address():
    data = base()
    data["peers"][0]["keepalive"].update(source="192.0.2.0", interface="Management1", prefix_length=24)
    data["peers"][1]["keepalive"].update(destination="192.0.2.0", interface="Management1", prefix_length=24)
    assert "keepalive.source" in problems(data)


# --- injection and EOS token rules --------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        _set("mlag_interfaces.0.description", "srv\n   shutdown"),
        _set("mlag_interfaces.0.description", "srv\x1b[2J"),
        _set("vlans.0.name", "WEB NET"),
        _set("vlans.0.name", "WEB\nvlan 99"),
        _set("keepalive.vrf", "MGMT\nno mlag configuration", host=0),
        _set("keepalive.vrf", "MG MT", host=0),
        _set("mlag_interfaces.0.members", ["Ethernet1\n   shutdown"]),
        _set("mlag_interfaces.0.members", ["Ethernet 1"]),
        _set("domain_name", "POD 1"),
        _set("domain_name", "POD1\r\nend"),
        _set("name", "pod\t1"),
    ],
)
def test_injection_payloads_are_rejected(change):
    data = base()
    change(data)
    with pytest.raises(ValidationError):
        build(data)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("mlag_interfaces.0.description", "why?"), "mlag_interfaces[0].description"),
        (_set("mlag_interfaces.0.description", "café"), "mlag_interfaces[0].description"),
        (_set("mlag_interfaces.0.description", "x" * 241), "mlag_interfaces[0].description"),
        (_set("vlans.0.name", "WEB#1"), "vlans[0].name"),
        (_set("vlans.0.name", "W" * 33), "vlans[0].name"),
        (_set("keepalive.vrf", "MGMT!", host=0), "keepalive.vrf"),
        (_set("mlag_interfaces.0.members", ["Et1"]), "mlag_interfaces[0].members"),
        (_set("mlag_interfaces.0.members", ["Ethernet0"]), "mlag_interfaces[0].members"),
        (_set("mlag_interfaces.0.members", ["ethernet1"]), "mlag_interfaces[0].members"),
        (_set("domain_name", "POD;1"), "domain_name"),
        (_set("name", "pod!1"), "name"),
        (_set("mlag_interfaces.0.mlag_id", 2001), "mlag_interfaces[0].mlag_id"),
        (_set("mlag_interfaces.0.port_channel", 2001), "mlag_interfaces[0].port_channel"),
    ],
)
def test_eos_token_rules(change, field):
    data = base()
    change(data)
    assert field in problems(data)


# --- robustness and speed -----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "!\n!\nend\n", "interface\n   \nvlan\n", "\x00\xff\x1b", "vlan internal order ascending range 1006 1199\n"])
def test_nothing_mlag_gives_an_empty_config_with_a_warning(text):
    cfg = DRIVER.parse_config(text)
    assert cfg.is_empty()
    assert cfg.warnings


def test_incomplete_mlag_block_is_reported():
    cfg = DRIVER.parse_config("mlag configuration\n   domain-id X\n   peer-address heartbeat 192.0.2.2\n!\n")
    assert cfg.domain_id == "X" and cfg.keepalive.destination == "192.0.2.2" and cfg.keepalive.source is None
    assert cfg.warnings == ["mlag configuration lacks local-interface, peer-address, peer-link: MLAG cannot become active"]


def test_unreadable_input_never_raises():
    cfg = DRIVER.parse_config(None)  # type: ignore[arg-type]
    assert cfg.is_empty() and "unreadable" in cfg.warnings[0]


def test_bad_values_are_reported_not_fatal():
    text = (
        "interface Port-Channel1\n   switchport access vlan 5000\n   mlag 1\n!\n"
        "interface Port-Channel2\n   switchport access vlan 6000\n!\nmlag configuration\n   domain-id X\n!\n"
    )
    cfg = DRIVER.parse_config(text)
    assert cfg.domain_id == "X" and cfg.mlag_interface(1).vlans == [1]
    assert cfg.unread == ["switchport access vlan 5000"], "a line of an MLAG port-channel"
    assert any("6000" in w for w in cfg.warnings), "a line of a port-channel that is no MLAG"


def test_twenty_thousand_lines_parse():
    text = (FIXTURES / "leaf1a.cfg").read_text()
    head, _, tail = text.partition("interface Loopback0\n")
    filler = "".join(f"interface Ethernet{100 + n}\n   description host{n}\n   switchport access vlan 20\n   spanning-tree portfast\n!\n" for n in range(4000))
    big = head + filler + "interface Loopback0\n" + tail
    assert len(big.splitlines()) > 20000
    cfg = DRIVER.parse_config(big)
    assert len(cfg.mlag_interfaces) == 3


# --- render and parse meet on generated domains -------------------------------------------------
KEEPALIVE_INTERFACES = st.sampled_from([None, "Management1", "Management0", "Ethernet40", "Loopback7", "Vlan3900"])


@st.composite
def eos_domains(draw) -> MlagDomain:
    """Domains that exercise what the shared property test leaves out: keepalive interfaces,
    VRFs, peer-link VLAN lists, per-host port-channels, default values given explicitly, VLAN 1,
    default and shared VLAN names, every STP mode."""
    peer_vlan = draw(st.sampled_from([4094, 4093, 3900, 2]))
    vlan_ids = draw(st.lists(st.integers(1, 4094).filter(lambda v: v != peer_vlan), min_size=1, max_size=10, unique=True))
    name = st.one_of(st.none(), st.sampled_from(["A", "B", "default", "VLAN0005", "MLAG_PEER"]))
    vlans = [{"id": v, "name": draw(name)} for v in vlan_ids]
    if draw(st.booleans()):
        vlans.append({"id": peer_vlan, "name": draw(name)})
    port = iter(range(1, 40))
    interfaces = []
    for k, mid in enumerate(draw(st.lists(st.integers(1, 2000), max_size=4, unique=True))):
        mode = draw(st.sampled_from(["trunk", "access"]))
        lacp = draw(st.sampled_from(["active", "passive", "static"]))
        itf: dict[str, Any] = {
            "mlag_id": mid,
            "port_channel": {"sw1": 100 + k, "sw2": draw(st.integers(100 + k, 100 + k + 1000))} if draw(st.booleans()) else 100 + k,
            "members": [f"Ethernet{next(port)}" for _ in range(draw(st.integers(1, 3)))],
            "mode": mode,
            "lacp_mode": lacp,
            "lacp_rate": draw(st.sampled_from(["fast", "slow"])),
            "description": draw(st.one_of(st.none(), st.sampled_from(["srv 1", "a:b/c-d", "x"]))),
            "mtu": draw(st.one_of(st.none(), st.sampled_from([1500, 9214]))),
            "min_links": draw(st.one_of(st.none(), st.just(1))),
        }
        if mode == "access":
            itf["vlans"] = [draw(st.sampled_from(vlan_ids))]
        else:
            itf["vlans"] = draw(st.lists(st.sampled_from(vlan_ids), min_size=1, unique=True))
            itf["native_vlan"] = draw(st.one_of(st.none(), st.sampled_from(itf["vlans"])))
        if lacp != "static" and draw(st.booleans()):
            itf["lacp_fallback"] = True
            itf["lacp_fallback_timeout"] = draw(st.one_of(st.none(), st.sampled_from([0, 30, 90, 300])))
        interfaces.append(itf)
    vrf = draw(st.sampled_from([None, "default", "MGMT"]))
    ka_itf = draw(KEEPALIVE_INTERFACES)
    prefix = draw(st.sampled_from([24, 30, 31]))
    peer_link_vlans = draw(st.one_of(st.none(), st.just(sorted({v for i in interfaces for v in i["vlans"]}))))
    peers = []
    for k, (src, dst) in enumerate((("192.0.2.1", "192.0.2.2"), ("192.0.2.2", "192.0.2.1"))):
        keepalive: dict[str, Any] = {"source": src, "destination": dst, "vrf": vrf}
        if ka_itf:
            keepalive |= {"interface": ka_itf, "prefix_length": prefix}
        peers.append(
            {
                "hostname": f"sw{k + 1}",
                "platform": "arista_eos",
                "keepalive": keepalive,
                "peer_address": f"10.255.0.{k}/31",
                "peer_link": {"port_channel": 1, "members": ["Ethernet47", "Ethernet48"], "vlans": peer_link_vlans, "description": draw(st.one_of(st.none(), st.just("PEER LINK")))},
            }
        )
    data = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)),
        "domain_id": 1,
        "domain_name": draw(st.one_of(st.none(), st.just("MLAG_X"))),
        "peer_vlan": peer_vlan,
        "vlans": vlans,
        "peers": peers,
        "mlag_interfaces": interfaces,
        "system": {"priority": draw(st.one_of(st.none(), st.sampled_from([1, 32768, 65535])))},
        "stp": {"mode": draw(st.sampled_from([None, "mstp", "rstp", "rapid-pvst"])), "priority": draw(st.one_of(st.none(), st.sampled_from([0, 4096, 32768])))},
        "timers": {k: draw(st.one_of(st.none(), st.sampled_from([0, 300, 900]))) for k in ("restore_delay", "non_mlag_restore_delay")},
    }
    try:
        return MlagDomain.model_validate(data)
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(eos_domains())
def test_render_and_parse_meet_on_generated_domains(domain):
    for host in domain.hostnames:
        text = DRIVER.render(domain, host)
        parsed = DRIVER.parse_config(text, hostname=host)
        assert parsed == DRIVER.peer_config(domain, host), text
        assert parsed.warnings == []
        assert detect_platform(text) == "arista_eos"
