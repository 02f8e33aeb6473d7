"""Cisco NX-OS driver: running configs as NX-OS prints them, every model option NX-OS has through
render and parse, every option it lacks rejected, injection refused, and the exact lines each
option produces."""

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
from mlagauto.model import IntentError, MlagDomain, PeerConfig

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cisco_nxos"
DRIVER = get_driver("cisco_nxos")
ALL_VLANS = list(range(1, 4095))


def fixture(name: str) -> PeerConfig:
    return DRIVER.parse_config((FIXTURES / name).read_text())


def _peer(host: str, k: int, **extra: Any) -> dict[str, Any]:
    src, dst = (f"192.0.2.{k + 1}", f"192.0.2.{2 - k}")
    return {
        "hostname": host,
        "platform": "cisco_nxos",
        "keepalive": {"source": src, "destination": dst},
        "peer_link": {"port_channel": 1, "members": ["Ethernet1/49", "Ethernet1/50"]},
        **extra,
    }


def base() -> dict[str, Any]:
    """A small valid NX-OS domain; tests change one thing at a time."""
    return {
        "name": "pod1",
        "domain_id": 10,
        "vlans": [{"id": 10, "name": "WEB"}, {"id": 20}],
        "peers": [_peer("sw1", 0), _peer("sw2", 1)],
        "mlag_interfaces": [{"mlag_id": 11, "port_channel": 11, "members": ["Ethernet1/1"], "vlans": "10,20"}],
    }


def full() -> dict[str, Any]:
    """A domain that sets every model option NX-OS has."""
    ka = {"vrf": "VPC_KA", "interface": "Ethernet1/47", "prefix_length": 30}
    pl = {"port_channel": 500, "members": ["Ethernet1/53", "Ethernet1/54"], "vlans": "10-12,20,30", "description": "PEER-LINK"}
    return {
        "name": "pod7",
        "domain_id": 77,
        "system": {"mac": "0200.0077.0001", "priority": 8192},
        "timers": {"restore_delay": 180, "non_mlag_restore_delay": 60, "auto_recovery": True, "auto_recovery_delay": 600},
        "stp": {"mode": "mstp", "priority": 8192},
        "peer_gateway": True,
        "peer_switch": True,
        "vlans": [{"id": 10, "name": "WEB"}, {"id": 11, "name": "APP"}, {"id": 12}, {"id": 20, "name": "PXE"}, {"id": 30, "name": "BMC"}],
        "peers": [
            {"hostname": "leaf7a", "platform": "cisco_nxos", "role": "secondary", "role_priority": 2000,
             "keepalive": {"source": "10.77.0.2", "destination": "10.77.0.1", **ka}, "peer_link": pl},
            {"hostname": "leaf7b", "platform": "cisco_nxos", "role": "primary", "role_priority": 1000,
             "keepalive": {"source": "10.77.0.1", "destination": "10.77.0.2", **ka}, "peer_link": pl},
        ],
        "mlag_interfaces": [
            {"mlag_id": 101, "port_channel": 101, "description": "esx1 vmnic0/1", "members": ["Ethernet1/1"], "vlans": "10-12",
             "native_vlan": 12, "lacp_rate": "fast", "mtu": 9216},
            {"mlag_id": 102, "port_channel": {"leaf7a": 102, "leaf7b": 1102}, "description": "pxe host",
             "members": {"leaf7a": ["Ethernet1/2"], "leaf7b": ["Ethernet1/12"]}, "vlans": "10,20", "native_vlan": 20,
             "lacp_fallback": True, "lacp_mode": "passive"},
            {"mlag_id": 103, "port_channel": 103, "description": "bmc switch", "members": ["Ethernet1/9", "Ethernet1/49/1"],
             "mode": "access", "vlans": [30], "min_links": 2},
            {"mlag_id": 104, "port_channel": 4, "description": "fw static", "members": ["Ethernet1/3", "Ethernet1/4"],
             "vlans": "10,11", "lacp_mode": "static"},
        ],
    }


def domain(data: dict[str, Any]) -> MlagDomain:
    return MlagDomain.model_validate(data)


def problems(data: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(field, host, message) of every problem the domain is rejected with; [] when it is valid."""
    try:
        MlagDomain.model_validate(data)
    except ValidationError as exc:
        causes = [(e.get("ctx") or {}).get("error") for e in exc.errors()]
        found = [(p.field, p.host, p.message) for c in causes if isinstance(c, IntentError) for p in c.problems]
        assert found, f"rejected, but not by an IntentError: {exc}"
        return found
    return []


def fields(data: dict[str, Any]) -> set[str]:
    return {f for f, _, _ in problems(data)}


def block(text: str, header: str) -> list[str]:
    """The lines of the top-level block that starts with ``header``, header included."""
    lines = text.splitlines()
    start = lines.index(header)
    out = [header]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        out.append(line)
    return out


def round_trip(d: MlagDomain) -> None:
    for host in d.hostnames:
        text = DRIVER.render(d, host)
        parsed = DRIVER.parse_config(text, hostname=host)
        assert parsed.warnings == []
        assert parsed == DRIVER.peer_config(d, host), text


# --- real running configs ---------------------------------------------------------------------------
class TestLeafPair:
    """dc1-leaf101/102: NX-OS 9.3(8) show running-config with a routed keepalive, a long peer-link
    VLAN list continued with ``add``, a vPC number unlike its port-channel, ``force``, ``none``
    and ``all`` allowed lists, and plenty of unrelated configuration."""

    def test_domain(self):
        a = fixture("dc1-leaf101.cfg")
        assert a.warnings == []
        assert (a.hostname, a.domain_id, a.role_priority) == ("dc1-leaf101", "100", 10)
        assert (a.system_mac, a.system_priority) == ("02:00:0d:c1:01:00", 2000)
        assert (a.keepalive.source, a.keepalive.destination, a.keepalive.vrf) == ("10.255.255.1", "10.255.255.2", "KEEPALIVE")
        assert (a.peer_gateway, a.peer_switch) == (True, True)
        t = a.timers
        assert (t.restore_delay, t.non_mlag_restore_delay, t.auto_recovery, t.auto_recovery_delay) == (120, 45, True, 240)
        assert (a.stp.mode, a.stp.priority) == ("rapid-pvst", 8192)

    def test_peer_link_accumulates_add_lines(self):
        pl = fixture("dc1-leaf101.cfg").peer_link
        assert pl.interface == "port-channel1"
        assert pl.members == ["Ethernet1/53", "Ethernet1/54"]
        assert pl.lacp_mode == "active"
        assert pl.vlans == [*range(10, 16), 20, *range(100, 111), 200, *range(210, 221), 3000]

    def test_vpc_interfaces(self):
        itfs = {i.mlag_id: i for i in fixture("dc1-leaf101.cfg").mlag_interfaces}
        assert sorted(itfs) == [10, 21, 30, 40], "port-channel50 has no vpc line and is single-homed"
        esx = itfs[10]
        assert (esx.interface, esx.description, esx.members) == ("port-channel10", "esx01 vmnic0+1", ["Ethernet1/1"])
        assert (esx.lacp_mode, esx.lacp_rate, esx.mode) == ("active", "fast", "trunk")
        assert (esx.vlans, esx.native_vlan, esx.mtu, esx.min_links, esx.lacp_fallback) == ([10, 11, 12, 13, 14, 15, 20], 10, 9216, 1, False)
        bmc = itfs[21]
        assert (bmc.interface, bmc.members) == ("port-channel20", ["Ethernet1/2", "Ethernet1/3"])
        assert (bmc.lacp_mode, bmc.mode, bmc.vlans, bmc.native_vlan) == ("active", "access", [20], None)
        assert (bmc.min_links, bmc.lacp_fallback) == (2, True)
        quarantine = itfs[30]
        assert (quarantine.vlans, quarantine.lacp_mode) == ([], "passive")
        legacy = itfs[40]
        assert (legacy.vlans, legacy.lacp_mode, legacy.lacp_rate, legacy.members) == (ALL_VLANS, "static", "slow", ["Ethernet1/5", "Ethernet1/6"])

    def test_vlans(self):
        vlans = {v.id: v.name for v in fixture("dc1-leaf101.cfg").vlans}
        assert 1 not in vlans
        assert (vlans[10], vlans[12], vlans[13], vlans[3000]) == ("WEB", "DB", None, "TRANSIT_L3")
        assert sorted(vlans) == [*range(10, 16), 20, *range(100, 111), 200, *range(210, 221), 3000]

    def test_second_peer_mirrors_and_numbers_its_port_channel_differently(self):
        b = fixture("dc1-leaf102.cfg")
        assert (b.hostname, b.role_priority) == ("dc1-leaf102", 20)
        assert (b.keepalive.source, b.keepalive.destination) == ("10.255.255.2", "10.255.255.1")
        assert b.mlag_interface(21).interface == "port-channel21"

    def test_pair_audit_sees_only_the_real_problems(self):
        findings = audit_pair(fixture("dc1-leaf101.cfg"), fixture("dc1-leaf102.cfg"))
        # vPC 30 is passive on both sides. vPC 40 allows every VLAN, but carries only the defined
        # ones, and the peer-link allows all of those: no peer-link finding.
        assert {f.rule for f in findings} == {"mlag-lacp-mode"}


class TestAccessSwitch:
    """acc1-a: MST, keepalive over mgmt0 (no vrf keyword), explicit ``switchport`` lines, and the
    same switch as ``show running-config all`` prints it, defaults spelt out."""

    def test_plain(self):
        a = fixture("acc1-a.cfg")
        assert a.warnings == []
        assert (a.domain_id, a.role_priority, a.system_priority, a.system_mac) == ("7", 32667, 32667, None)
        assert (a.keepalive.vrf, a.keepalive.destination) == ("management", "192.168.50.12")
        assert (a.stp.mode, a.stp.priority) == ("mstp", 24576)
        assert (a.timers.restore_delay, a.timers.non_mlag_restore_delay, a.timers.auto_recovery, a.timers.auto_recovery_delay) == (30, 10, False, None)
        assert (a.peer_gateway, a.peer_switch) == (False, False)
        assert a.peer_link.vlans is None, "no allowed list on the peer-link: every VLAN"
        idf, ap = a.mlag_interfaces
        assert (idf.mlag_id, idf.mode, idf.vlans, idf.native_vlan, idf.lacp_rate) == (101, "trunk", [300, 301, 302, 303, 304, 305], 1, "slow")
        assert (ap.mlag_id, ap.mode, ap.vlans, ap.lacp_mode) == (102, "access", [303], "passive")
        assert [(v.id, v.name) for v in a.vlans] == [(300, "USERS"), (301, "PRINTERS"), (302, None), (303, None), (304, None), (305, None)]

    def test_show_running_config_all_gives_the_same_effective_values(self):
        assert fixture("acc1-a-all.cfg") == fixture("acc1-a.cfg")


class TestConfigletForms:
    """configlet-forms: what people type rather than what show run prints. Interface types in
    any case, abbreviated and spaced, ranges and lists of members, vpc domain options in another
    order, an IPv6 keepalive with every timer option, a bare ``channel-group``, ``vpc orphan-port
    suspend``, and a ``vpc`` line of no documented form."""

    def test_domain_and_keepalive(self):
        a = fixture("configlet-forms.cfg")
        assert a.warnings == []
        assert (a.domain_id, a.role_priority, a.system_mac, a.peer_gateway, a.peer_switch) == ("30", 110, "02:00:00:30:00:01", True, True)
        assert a.keepalive.model_dump() == {"source": "2001:db8:30::1", "destination": "2001:db8:30::2", "vrf": "VPC-KA"}
        t = a.timers
        assert (t.restore_delay, t.auto_recovery, t.auto_recovery_delay) == (90, True, 360)

    def test_interface_spellings_ranges_and_lists(self):
        a = fixture("configlet-forms.cfg")
        assert (a.peer_link.interface, a.peer_link.members, a.peer_link.lacp_mode) == ("port-channel1", ["Ethernet1/49", "Ethernet1/50"], "active")
        trunk, access = a.mlag_interfaces
        assert (trunk.interface, trunk.members, trunk.lacp_mode, trunk.lacp_rate) == ("port-channel31", ["Ethernet1/1", "Ethernet1/2"], "active", "fast")
        assert trunk.vlans == [*range(300, 305), *range(306, 311), 320], "allowed, then remove, then add"
        assert (trunk.mtu, trunk.lacp_fallback) == (9216, True)
        assert (access.interface, access.members, access.lacp_mode, access.vlans) == ("port-channel32", ["Ethernet1/3"], "static", [301])

    def test_a_vpc_line_of_unknown_form_is_unread_not_a_vpc_id(self):
        a = fixture("configlet-forms.cfg")
        assert [i.mlag_id for i in a.mlag_interfaces] == [31, 32], "neither orphan-port suspend nor the unknown form is a vPC"
        assert a.unread == ["vpc bogus-form"]


@pytest.mark.parametrize(
    "spec, names",
    [
        ("port-channel10", ["port-channel10"]),
        ("Port-channel10", ["port-channel10"]),
        ("port-channel 10", ["port-channel10"]),
        ("Po10", ["port-channel10"]),
        ("Ethernet1/1", ["Ethernet1/1"]),
        ("ethernet 1/1", ["Ethernet1/1"]),
        ("Eth101/1/3", ["Ethernet101/1/3"]),
        ("Ethernet1/1-3", ["Ethernet1/1", "Ethernet1/2", "Ethernet1/3"]),
        ("Ethernet1/1, Ethernet1/3", ["Ethernet1/1", "Ethernet1/3"]),
        ("e1/1-2, e1/5", ["Ethernet1/1", "Ethernet1/2", "Ethernet1/5"]),
        ("mgmt0", []),
        ("loopback0", []),
        ("Vlan10", []),
    ],
)
def test_interface_lines_name_ports_as_show_run_spells_them(spec, names):
    from mlagauto.drivers.cisco_nxos import _interface_names

    assert _interface_names(spec) == names


@pytest.mark.parametrize(
    "line",
    [
        "peer-keepalive source 192.0.2.1",
        "peer-keepalive destination 192.0.2.2 source",
        "peer-keepalive destination 192.0.2.2 bogus 1",
        "peer-keepalive destination mgmt-peer",
        "role priority high",
        "delay restore later",
        "auto-recovery reload-delay",
        "system-mac not-a-mac",
    ],
)
def test_vpc_domain_lines_of_unknown_form_are_unread_and_missing_is_no_error(line):
    text = (FIXTURES / "acc1-a.cfg").read_text().replace("  peer-keepalive destination 192.168.50.12 source 192.168.50.11", f"  {line}")
    p = DRIVER.parse_config(text)
    assert p.unread == [line] and p.warnings == []
    assert p.domain_id == "7"
    mine = {f.rule: f.severity.value for f in audit_pair(p, fixture("acc1-a.cfg")) if f.hosts == [p.hostname]}
    assert mine["keepalive-missing"] == "warning", "the keepalive may be the line that could not be read"
    assert mine["parse-warning"] == "warning"


def test_keepalive_options_in_any_order_and_show_running_config_all():
    text = (FIXTURES / "acc1-a.cfg").read_text().replace(
        "  peer-keepalive destination 192.168.50.12 source 192.168.50.11",
        "  peer-keepalive destination 192.168.50.12 source 192.168.50.11 vrf management interval 1000 timeout 5 precedence 6 hold-timeout 3 udp-port 3200",
    )
    assert DRIVER.parse_config(text) == fixture("acc1-a.cfg")


def test_switch_without_vpc_domain_reports_what_it_has_without_warning():
    p = fixture("standalone-no-vpc.cfg")
    assert p.warnings == []
    assert (p.hostname, p.domain_id, p.keepalive, p.peer_link, p.role_priority, p.peer_gateway) == ("lab-sw9", None, None, None, None, None)
    assert p.mlag_interfaces == []
    assert p.timers.restore_delay is None
    assert [(v.id, v.name) for v in p.vlans] == [(50, "LAB_A"), (51, "LAB_B"), (52, None)]


def test_switch_with_nothing_mlag_is_empty_with_a_warning():
    p = fixture("oob-mgmt.cfg")
    assert p.is_empty()
    assert p.hostname == "oob-sw1"
    assert p.warnings


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.cfg")))
def test_fixtures_are_detected_as_nxos(name):
    assert detect_platform((FIXTURES / name).read_text()) == "cisco_nxos"


def test_detect_ignores_other_text():
    assert DRIVER.detect("") == 0
    assert DRIVER.detect("interface Port-Channel10\n   mlag 10\n") == 0


def test_unreadable_lines_of_a_vpc_are_unread_and_the_rest_is_read():
    text = (FIXTURES / "dc1-leaf101.cfg").read_text().replace(
        "  switchport trunk allowed vlan 10-15,20\n  spanning-tree port type edge trunk\n  mtu 9216\n  vpc 10",
        "  switchport trunk allowed vlan 10-5000\n  spanning-tree port type edge trunk\n  mtu jumbo\n  vpc 10",
    )
    p = DRIVER.parse_config(text)
    assert p.warnings == []
    assert p.unread == ["switchport trunk allowed vlan 10-5000", "mtu jumbo"]
    esx = p.mlag_interface(10)
    assert (esx.vlans, esx.mtu, esx.native_vlan) == (ALL_VLANS, 1500, 10)
    assert p.domain_id == "100" and len(p.mlag_interfaces) == 4


def test_a_20k_line_config_parses():
    parts = [(FIXTURES / "dc1-leaf101.cfg").read_text()]
    for i in range(100, 1100):
        parts.append(
            f"interface port-channel{i}\n  description srv{i}\n  switchport mode trunk\n  switchport trunk native vlan 10\n"
            f"  switchport trunk allowed vlan 10-15,20\n  switchport trunk allowed vlan add 100-110\n  mtu 9216\n  vpc {i}\n"
        )
        parts.append(
            f"interface Ethernet{i // 48 + 2}/{i % 48 + 1}\n  description srv{i}\n  lacp rate fast\n  switchport mode trunk\n"
            f"  switchport trunk allowed vlan 10-15,20\n  mtu 9216\n  channel-group {i} mode active\n  no shutdown\n"
        )
    text = "\n".join(parts)
    assert len(text.splitlines()) > 17000
    parsed = DRIVER.parse_config(text)
    assert len(parsed.mlag_interfaces) == 1004


# --- every option NX-OS has -----------------------------------------------------------------------
class TestFullDomain:
    def test_round_trips(self):
        round_trip(domain(full()))

    def test_projection(self):
        d = domain(full())
        a, b = DRIVER.peer_config(d, "leaf7a"), DRIVER.peer_config(d, "leaf7b")
        assert (a.role_priority, b.role_priority) == (2000, 1000)
        assert (a.system_mac, a.system_priority, a.keepalive.vrf) == ("02:00:00:77:00:01", 8192, "VPC_KA")
        assert (a.stp.mode, a.stp.priority) == ("mstp", 8192)
        assert (a.timers.restore_delay, a.timers.non_mlag_restore_delay, a.timers.auto_recovery_delay) == (180, 60, 600)
        assert a.mlag_interface(102).interface == "port-channel102" and b.mlag_interface(102).interface == "port-channel1102"
        assert [v.id for v in a.vlans] == [10, 11, 12, 20, 30]
        assert {f.rule for f in audit_pair(a, b)} == {"mlag-lacp-mode"}, "only the passive/passive warning of vPC 102"

    def test_vpc_domain_block_in_device_order(self):
        text = DRIVER.render(domain(full()), "leaf7b")
        assert block(text, "vpc domain 77") == [
            "vpc domain 77",
            "  peer-switch",
            "  role priority 1000",
            "  system-mac 02:00:00:77:00:01",
            "  system-priority 8192",
            "  peer-keepalive destination 10.77.0.2 source 10.77.0.1 vrf VPC_KA",
            "  delay restore 180",
            "  peer-gateway",
            "  auto-recovery reload-delay 600",
            "  delay restore interface-vlan 60",
        ]

    def test_global_sections(self):
        text = DRIVER.render(domain(full()), "leaf7b")
        head = text.split("vpc domain 77")[0]
        assert head == (
            "feature lacp\nfeature vpc\n\nspanning-tree mode mst\n\nvlan 1,10-12,20,30\n"
            "vlan 10\n  name WEB\nvlan 11\n  name APP\nvlan 20\n  name PXE\nvlan 30\n  name BMC\n\n"
            "spanning-tree mst 0 priority 8192\nvrf context VPC_KA\nvrf context management\n"
        )
        assert "  delay restore interface-vlan 60\n\n\ninterface port-channel4\n" in text

    def test_interfaces_in_device_order(self):
        text = DRIVER.render(domain(full()), "leaf7b")
        headers = [line for line in text.splitlines() if line.startswith("interface ")]
        assert headers == [
            "interface port-channel4", "interface port-channel101", "interface port-channel103", "interface port-channel500",
            "interface port-channel1102", "interface Ethernet1/1", "interface Ethernet1/3", "interface Ethernet1/4",
            "interface Ethernet1/9", "interface Ethernet1/12", "interface Ethernet1/47", "interface Ethernet1/49/1",
            "interface Ethernet1/53", "interface Ethernet1/54",
        ]
        assert text.endswith("  channel-group 500 mode active\n")

    def test_lag_blocks(self):
        text = DRIVER.render(domain(full()), "leaf7b")
        assert block(text, "interface port-channel101") == [
            "interface port-channel101", "  description esx1 vmnic0/1", "  switchport mode trunk", "  switchport trunk native vlan 12",
            "  switchport trunk allowed vlan 10-12", "  mtu 9216", "  vpc 101",
        ]
        assert block(text, "interface Ethernet1/1") == [
            "interface Ethernet1/1", "  description esx1 vmnic0/1", "  lacp rate fast", "  switchport mode trunk",
            "  switchport trunk native vlan 12", "  switchport trunk allowed vlan 10-12", "  mtu 9216", "  channel-group 101 mode active",
        ]
        assert block(text, "interface port-channel1102") == [
            "interface port-channel1102", "  description pxe host", "  switchport mode trunk", "  switchport trunk native vlan 20",
            "  switchport trunk allowed vlan 10,20", "  no lacp suspend-individual", "  vpc 102",
        ]
        assert block(text, "interface Ethernet1/12")[-1] == "  channel-group 1102 mode passive"
        assert block(text, "interface port-channel103") == [
            "interface port-channel103", "  description bmc switch", "  switchport access vlan 30", "  lacp min-links 2", "  vpc 103",
        ]
        assert block(text, "interface Ethernet1/3") == [
            "interface Ethernet1/3", "  description fw static", "  switchport mode trunk", "  switchport trunk allowed vlan 10-11", "  channel-group 4",
        ]

    def test_peer_link_and_keepalive_port(self):
        text = DRIVER.render(domain(full()), "leaf7b")
        assert block(text, "interface port-channel500") == [
            "interface port-channel500", "  description PEER-LINK", "  switchport mode trunk", "  switchport trunk allowed vlan 10-12,20,30",
            "  spanning-tree port type network", "  vpc peer-link",
        ]
        assert block(text, "interface Ethernet1/53")[-1] == "  channel-group 500 mode active"
        assert block(text, "interface Ethernet1/47") == [
            "interface Ethernet1/47", "  no switchport", "  vrf member VPC_KA", "  ip address 10.77.0.1/30", "  no shutdown",
        ]


# --- the lines each option produces ----------------------------------------------------------------
def render(data: dict[str, Any], host: str = "sw1") -> str:
    d = domain(data)
    round_trip(d)
    return DRIVER.render(d, host)


def test_defaults_print_nothing_but_project_effective_values():
    text = render(base())
    assert block(text, "vpc domain 10") == ["vpc domain 10", "  role priority 100", "  peer-keepalive destination 192.0.2.2 source 192.0.2.1"]
    assert "spanning-tree" not in text.replace("spanning-tree port type network", "")
    assert "vrf context management\n" in text and "vrf management" not in text
    pc = DRIVER.peer_config(domain(base()), "sw1")
    assert (pc.system_priority, pc.stp.mode, pc.stp.priority, pc.keepalive.vrf) == (32667, "rapid-pvst", 32768, "management")
    assert (pc.timers.restore_delay, pc.timers.non_mlag_restore_delay, pc.timers.auto_recovery, pc.timers.auto_recovery_delay) == (30, 10, False, None)
    itf = pc.mlag_interfaces[0]
    assert (itf.native_vlan, itf.mtu, itf.min_links, itf.lacp_rate) == (1, 1500, 1, "slow")


def test_roles_derive_distinct_priorities():
    data = base()
    data["peers"][0]["role"] = "secondary"
    assert "  role priority 200" in render(data, "sw1")
    assert "  role priority 100" in render(data, "sw2")


def test_explicit_default_values_are_omitted_like_the_device_does():
    data = base()
    data["peers"][0]["role_priority"] = 100
    data["peers"][1]["role_priority"] = 32667
    data["system"] = {"priority": 32667}
    data["timers"] = {"restore_delay": 30, "non_mlag_restore_delay": 10, "auto_recovery": True, "auto_recovery_delay": 240}
    data["stp"] = {"priority": 32768}
    data["mlag_interfaces"][0].update(mtu=1500, min_links=1, native_vlan=10)
    data["vlans"][0]["name"] = "VLAN0010"
    assert block(render(data, "sw2"), "vpc domain 10") == ["vpc domain 10", "  peer-keepalive destination 192.0.2.1 source 192.0.2.2", "  auto-recovery"]
    text = render(data)
    assert "mtu" not in text and "min-links" not in text and "name VLAN0010" not in text and "spanning-tree vlan" not in text


def test_stp_priority_covers_vlan_1_and_the_domain_vlans():
    data = base()
    data["stp"] = {"mode": "rapid-pvst", "priority": 4096}
    text = render(data)
    assert "\nspanning-tree vlan 1,10,20 priority 4096\n" in text
    assert "spanning-tree mode" not in text


def test_access_port_and_native_vlan_lines():
    data = base()
    data["vlans"].append({"id": 1})
    data["mlag_interfaces"] = [
        {"mlag_id": 11, "port_channel": 11, "members": ["Ethernet1/1"], "mode": "access", "vlans": [20]},
        {"mlag_id": 12, "port_channel": 12, "members": ["Ethernet1/2"], "mode": "access", "vlans": [1]},
    ]
    text = render(data)
    assert block(text, "interface port-channel11") == ["interface port-channel11", "  switchport access vlan 20", "  vpc 11"]
    assert block(text, "interface port-channel12") == ["interface port-channel12", "  vpc 12"]
    assert block(text, "interface Ethernet1/2") == ["interface Ethernet1/2", "  channel-group 12 mode active"]


def test_empty_domain_vlans_give_a_peer_link_allowing_none():
    data = base()
    data["vlans"] = []
    data["mlag_interfaces"] = []
    text = render(data)
    assert "  switchport trunk allowed vlan none" in block(text, "interface port-channel1")
    assert text.startswith("feature lacp\nfeature vpc\n\nvlan 1\n\n")


def test_keepalive_over_mgmt0():
    data = base()
    for k, p in enumerate(data["peers"]):
        p["keepalive"].update(vrf="management", interface="mgmt0", prefix_length=24)
    text = render(data)
    assert text.endswith("\n\ninterface mgmt0\n  vrf member management\n  ip address 192.0.2.1/24\n")


def test_keepalive_in_the_global_table():
    data = base()
    for p in data["peers"]:
        p["keepalive"].update(vrf="default", interface="Ethernet1/48", prefix_length=31)
    text = render(data)
    assert "  peer-keepalive destination 192.0.2.2 source 192.0.2.1 vrf default" in text
    assert block(text, "interface Ethernet1/48") == ["interface Ethernet1/48", "  no switchport", "  ip address 192.0.2.1/31", "  no shutdown"]
    assert "vrf context default" not in text


# --- what NX-OS does not have ------------------------------------------------------------------------
def with_(path: str, value: Any, host: int | None = None) -> dict[str, Any]:
    """base() with one dotted field set (on peer ``host`` when given)."""
    data = copy.deepcopy(base())
    target = data["peers"][host] if host is not None else data
    *parents, leaf = path.split(".")
    for part in parents:
        target = target.setdefault(part, {}) if not part.isdigit() else target[int(part)]
    target[leaf] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "host", "field"),
    [
        ("domain_name", "POD1", None, "domain_name"),
        ("peer_vlan", 4000, None, "peer_vlan"),
        ("service_id", 5, None, "service_id"),
        ("authentication", {"password": "Secret1"}, None, "authentication"),
        ("stp.mode", "rstp", None, "stp.mode"),
        ("stp.mlag_mode", "root-bridge", None, "stp.mlag_mode"),
        ("stp.bridge_address", "02:00:00:00:00:01", None, "stp.bridge_address"),
        ("mlag_interfaces.0.lacp_fallback_timeout", 30, None, "mlag_interfaces[0].lacp_fallback_timeout"),
        ("mlag_interfaces.0.admin_key", 7, None, "mlag_interfaces[0].admin_key"),
        ("timers.restore_delay", 0, None, "timers.restore_delay"),
        ("timers.non_mlag_restore_delay", 3601, None, "timers.non_mlag_restore_delay"),
        ("timers.auto_recovery_delay", 300, None, "timers.auto_recovery_delay"),
        ("vlans", [{"id": 10}, {"id": 20}, {"id": 4000}], None, "vlans[2].id"),
        ("vlans", [{"id": 1, "name": "NATIVE"}, {"id": 10}, {"id": 20}], None, "vlans[0].name"),
        ("peer_link.vlans", [10, 20, 3968], 0, "peer_link.vlans"),
        ("keepalive", {"source": "192.0.2.1", "destination": "192.0.2.2", "interface": "loopback0", "prefix_length": 31}, 0, "keepalive.interface"),
        ("domain_id", 1001, None, "domain_id"),
        ("mlag_interfaces.0.mlag_id", 4097, None, "mlag_interfaces[0].mlag_id"),
    ],
)
def test_unsupported_or_out_of_range_is_rejected_naming_the_field(path, value, host, field):
    data = with_(path, value, host)
    if path == "mlag_interfaces.0.lacp_fallback_timeout":
        data["mlag_interfaces"][0]["lacp_fallback"] = True
    assert field in fields(data)


def test_peer_specific_options_are_rejected_on_the_peer():
    data = base()
    data["peers"][0]["peer_address"] = "10.0.0.0/31"
    data["peers"][1]["peer_address"] = "10.0.0.1/31"
    data["peers"][0]["chassis_id"] = 0
    data["peers"][1]["chassis_id"] = 1
    found = {(f, h) for f, h, _ in problems(data)}
    assert {("peer_address", "sw1"), ("peer_address", "sw2"), ("chassis_id", "sw1"), ("chassis_id", "sw2")} <= found


def test_lacp_rate_fast_needs_lacp():
    data = base()
    data["mlag_interfaces"][0].update(lacp_mode="static", lacp_rate="fast")
    assert fields(data) == {"mlag_interfaces[0].lacp_rate"}


def test_role_priorities_must_agree_with_the_roles():
    data = base()
    data["peers"][0].update(role="primary", role_priority=300)
    [(field, host, message)] = problems(data)
    assert (field, host) == ("role_priority", "sw1") and "lower" in message
    data["peers"][1]["role_priority"] = 400
    assert problems(data) == []


def test_keepalive_interfaces_and_their_vrfs():
    mgmt_elsewhere = base()
    for p in mgmt_elsewhere["peers"]:
        p["keepalive"].update(vrf="KA", interface="mgmt0", prefix_length=24)
    assert fields(mgmt_elsewhere) == {"keepalive.vrf"}
    routed_in_mgmt = base()
    for p in routed_in_mgmt["peers"]:
        p["keepalive"].update(interface="Ethernet1/48", prefix_length=30)
    assert fields(routed_in_mgmt) == {"keepalive.vrf"}


def test_the_example_inventory_is_valid_as_is():
    from mlagauto.inventory import load_fabric

    fabric = load_fabric(Path(__file__).resolve().parents[2] / "inventories" / "example")
    assert fabric.domain("nxos_pair").platform == "cisco_nxos"


# --- injection ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "value", "host"),
    [
        ("mlag_interfaces.0.description", "web\ninterface Ethernet1/9\n  shutdown", None),
        ("mlag_interfaces.0.description", "web\x1b[2J", None),
        ("mlag_interfaces.0.description", "why?", None),
        ("mlag_interfaces.0.description", 'say "hi"', None),
        ("mlag_interfaces.0.description", "caf\u00e9", None),
        ("mlag_interfaces.0.description", "x" * 255, None),
        ("vlans", [{"id": 10, "name": "WEB\n  name X"}, {"id": 20}], None),
        ("vlans", [{"id": 10, "name": "WEB NAME"}, {"id": 20}], None),
        ("vlans", [{"id": 10, "name": "WEB;reload"}, {"id": 20}], None),
        ("vlans", [{"id": 10, "name": "N" * 33}, {"id": 20}], None),
        ("keepalive.vrf", "KA\nfeature telnet", 0),
        ("keepalive.vrf", "KA vrf", 0),
        ("keepalive.vrf", "KA|grep", 0),
        ("mlag_interfaces.0.members", ["Ethernet1/1\n  shutdown"], None),
        ("mlag_interfaces.0.members", ["Ethernet1/1 ; reload"], None),
        ("mlag_interfaces.0.members", ["Eth1/1"], None),
        ("mlag_interfaces.0.members", ["Ethernet1/1;reload"], None),
        ("peer_link.members", ["Ethernet1/49", "Ethernet1/50\r\nreload"], 0),
        ("peer_link.description", "peer\tlink", 0),
        ("name", "pod 1", None),
        ("name", "pod1\nfeature telnet", None),
    ],
)
def test_injection_is_rejected_at_construction(path, value, host):
    with pytest.raises(ValidationError):
        MlagDomain.model_validate(with_(path, value, host))


@pytest.mark.parametrize(
    ("path", "value", "host", "field"),
    [
        ("mlag_interfaces.0.description", "why?", None, "mlag_interfaces[0].description"),
        ("mlag_interfaces.0.description", "caf\u00e9", None, "mlag_interfaces[0].description"),
        ("vlans", [{"id": 10, "name": "WEB;reload"}, {"id": 20}], None, "vlans[0].name"),
        ("keepalive.vrf", "KA|grep", 0, "keepalive.vrf"),
        ("mlag_interfaces.0.members", ["Ethernet1/1;reload"], None, "mlag_interfaces[0].members"),
    ],
)
def test_platform_token_rules_name_the_field(path, value, host, field):
    data = with_(path, value, host)
    if path == "keepalive.vrf":
        data["peers"][1]["keepalive"]["vrf"] = value
    assert field in fields(data)


# --- generated domains with NX-OS options -------------------------------------------------------------
@st.composite
def nxos_domains(draw) -> MlagDomain:
    data = base()
    data["vlans"] = [{"id": v} for v in draw(st.lists(st.integers(2, 3967), min_size=1, max_size=8, unique=True))]
    ids = [v["id"] for v in data["vlans"]]
    data["mlag_interfaces"][0]["vlans"] = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    data["system"] = {"priority": draw(st.one_of(st.none(), st.integers(1, 65535)))}
    data["stp"] = {
        "mode": draw(st.sampled_from([None, "mstp", "rapid-pvst"])),
        "priority": draw(st.one_of(st.none(), st.sampled_from([0, 4096, 32768, 61440]))),
    }
    recovery = draw(st.booleans())
    data["timers"] = {
        "restore_delay": draw(st.one_of(st.none(), st.integers(1, 3600))),
        "non_mlag_restore_delay": draw(st.one_of(st.none(), st.integers(1, 3600))),
        "auto_recovery": recovery,
        "auto_recovery_delay": draw(st.one_of(st.none(), st.integers(240, 3600))) if recovery else None,
    }
    data["peer_gateway"], data["peer_switch"] = draw(st.booleans()), draw(st.booleans())
    vrf = draw(st.sampled_from([None, "management", "KA", "default"]))
    for k, p in enumerate(data["peers"]):
        p["keepalive"]["vrf"] = vrf
        if vrf in (None, "management") and draw(st.booleans()):
            p["keepalive"].update(interface="mgmt0", prefix_length=24)
        elif vrf in ("KA", "default"):
            p["keepalive"].update(interface="Ethernet1/48", prefix_length=30)
        p["role_priority"] = draw(st.one_of(st.none(), st.integers(1, 65535)))
    try:
        return MlagDomain.model_validate(data)
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(nxos_domains())
def test_generated_domains_round_trip(d):
    round_trip(d)
