"""Huawei CloudEngine VRP V8 driver: fixtures of real-style running configs, every model option
rendered and read back, rejected options, token rules and the exact lines each option produces."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mlagauto.drivers import detect_platform, get_driver
from mlagauto.model.intent import MlagDomain
from mlagauto.model.problems import IntentError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "huawei_vrpv8"
DRIVER = get_driver("huawei_vrpv8")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def base_domain() -> dict[str, Any]:
    """A small valid pair; tests deep-update it."""
    return {
        "name": "ce_pair",
        "domain_id": 1,
        "authentication": {"password": "Dfs_Key_2024"},
        "vlans": [{"id": 10, "name": "DATA"}, {"id": 20}],
        "peers": [
            {
                "hostname": "ce-a",
                "platform": "huawei_vrpv8",
                "keepalive": {"source": "10.1.1.1", "destination": "10.1.1.2"},
                "peer_link": {"port_channel": 0, "members": ["100GE1/0/5", "100GE1/0/6"]},
            },
            {
                "hostname": "ce-b",
                "platform": "huawei_vrpv8",
                "keepalive": {"source": "10.1.1.2", "destination": "10.1.1.1"},
                "peer_link": {"port_channel": 0, "members": ["100GE1/0/5", "100GE1/0/6"]},
            },
        ],
        "mlag_interfaces": [{"mlag_id": 1, "port_channel": 1, "members": ["10GE1/0/1"], "vlans": "10,20"}],
    }


def merged(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``patch`` merged in; ``peers``/``mlag_interfaces`` patches are lists of
    per-index dicts."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if key in ("peers", "mlag_interfaces") and isinstance(value, list):
            for k, item in enumerate(value):
                out[key][k] = merged(out[key][k], item)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def build(patch: dict[str, Any] | None = None) -> MlagDomain:
    return MlagDomain.model_validate(merged(base_domain(), patch or {}))


def problems(patch: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) of every IntentError problem the patched domain raises."""
    with pytest.raises(ValidationError) as info:
        build(patch)
    found = []
    for err in info.value.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, IntentError):
            found += [(p.field, p.message) for p in cause.problems]
    return found


def block(text: str, header: str) -> list[str]:
    """The lines of the ``#``-delimited block that starts with ``header``."""
    lines = text.splitlines()
    start = lines.index(header)
    end = next(i for i in range(start + 1, len(lines)) if lines[i] == "#")
    return lines[start:end]


def round_trips(domain: MlagDomain) -> None:
    for host in domain.hostnames:
        for variant in DRIVER.variants:
            parsed = DRIVER.parse_config(DRIVER.render(domain, host, variant), hostname=host)
            assert parsed.warnings == []
            assert parsed == DRIVER.peer_config(domain, host), (host, variant)


# --- fixtures: what real devices print ------------------------------------------------------------
def test_v300_fixture_domain_and_identity():
    cfg = DRIVER.parse_config(fixture("leaf-1a_v300r023.cfg"))
    assert cfg.warnings == []
    assert cfg.hostname == "LEAF-1A"
    assert cfg.domain_id == "1"
    assert cfg.role_priority == 150
    assert cfg.system_mac == "00:e0:fc:12:34:56"
    assert cfg.system_priority == 1024
    assert cfg.authentication == "hmac-sha256"
    assert cfg.keepalive is not None
    assert (cfg.keepalive.source, cfg.keepalive.destination, cfg.keepalive.vrf) == ("172.31.0.1", "172.31.0.2", "DAD")
    assert (cfg.timers.restore_delay, cfg.timers.auto_recovery, cfg.timers.auto_recovery_delay) == (90, True, 10)
    assert (cfg.stp.mode, cfg.stp.mlag_mode, cfg.stp.priority, cfg.stp.bridge_address) == ("rstp", "v-stp", 32768, None)


def test_v300_fixture_vlans_across_two_batch_lines_and_named_blocks():
    cfg = DRIVER.parse_config(fixture("leaf-1a_v300r023.cfg"))
    assert [v.id for v in cfg.vlans] == [4, 100, 140, 150, 151, 160, 170, 180, 190, 230, 240, 250, 251, 2000]
    names = {v.id: v.name for v in cfg.vlans if v.name}
    assert names == {100: "SRV_PROD", 140: "SRV_BACKUP", 150: "VMOTION", 2000: "NAS"}


def test_v300_fixture_peer_link_excludes_vlan_1():
    cfg = DRIVER.parse_config(fixture("leaf-1a_v300r023.cfg"))
    assert cfg.peer_link is not None
    assert cfg.peer_link.interface == "Eth-Trunk0"
    assert cfg.peer_link.members == ["100GE1/0/3", "100GE1/0/4"]
    assert cfg.peer_link.lacp_mode == "active"
    assert cfg.peer_link.vlans == list(range(2, 4095))


def test_v300_fixture_mlag_interfaces():
    cfg = DRIVER.parse_config(fixture("leaf-1a_v300r023.cfg"))
    assert [(i.mlag_id, i.interface) for i in cfg.mlag_interfaces] == [
        (10, "Eth-Trunk10"),
        (12, "Eth-Trunk12"),
        (13, "Eth-Trunk13"),
        (110, "Eth-Trunk11"),
    ]
    esx, pxe, fw, backup = (cfg.mlag_interface(n) for n in (10, 12, 13, 110))
    assert esx.members == ["25GE1/0/1", "25GE1/0/2"]
    assert (esx.mode, esx.vlans, esx.native_vlan) == ("trunk", [100, 140, 150, 151, 160, 170, 180], 1)
    assert (esx.lacp_mode, esx.lacp_rate, esx.lacp_fallback) == ("active", "fast", False)
    assert esx.description == "esx01-vmnic0-1"
    assert (pxe.lacp_mode, pxe.lacp_fallback, pxe.native_vlan) == ("active", True, 240)
    assert pxe.vlans == list(range(2, 4095))
    assert (fw.lacp_mode, fw.min_links, fw.mtu, fw.vlans) == ("static", 2, 9000, [4, 230, 240])
    assert (backup.mode, backup.vlans, backup.native_vlan, backup.members) == ("access", [30], None, ["25GE1/0/3"])


def test_v300_fixture_ignores_single_homed_and_l3_trunks():
    cfg = DRIVER.parse_config(fixture("leaf-1a_v300r023.cfg"))
    interfaces = {i.interface for i in cfg.mlag_interfaces}
    assert "Eth-Trunk20" not in interfaces and "Eth-Trunk101" not in interfaces


def test_v300_pair_agrees_where_it_must():
    a = DRIVER.parse_config(fixture("leaf-1a_v300r023.cfg"))
    b = DRIVER.parse_config(fixture("leaf-1b_v300r023.cfg"))
    assert b.role_priority == 120
    assert b.keepalive is not None and a.keepalive is not None
    assert (b.keepalive.source, b.keepalive.destination) == (a.keepalive.destination, a.keepalive.source)
    assert (a.system_mac, a.system_priority) == (b.system_mac, b.system_priority)
    for x, y in zip(a.mlag_interfaces, b.mlag_interfaces):
        assert (x.mlag_id, x.vlans, x.lacp_mode, x.mode) == (y.mlag_id, y.vlans, y.lacp_mode, y.mode)


def test_v200_fixture_source_ip_root_bridge_and_force_up():
    cfg = DRIVER.parse_config(fixture("dc2-agg-a_v200r019.cfg"))
    assert cfg.warnings == []
    assert (cfg.hostname, cfg.domain_id, cfg.role_priority) == ("DC2-AGG-A", "1", 125)
    assert cfg.keepalive is not None
    assert (cfg.keepalive.source, cfg.keepalive.destination, cfg.keepalive.vrf) == ("172.17.8.62", "172.17.8.63", "MGMT")
    assert cfg.authentication is None
    assert (cfg.system_mac, cfg.system_priority) == ("00:13:00:13:00:13", 32768)
    assert (cfg.stp.mlag_mode, cfg.stp.bridge_address, cfg.stp.priority, cfg.stp.mode) == ("root-bridge", "00:13:00:13:00:13", 0, "rstp")
    assert cfg.timers.restore_delay == 240 and cfg.timers.auto_recovery is False
    assert cfg.peer_link is not None
    assert (cfg.peer_link.members, cfg.peer_link.vlans) == (["40GE1/0/1", "40GE1/0/2"], None)
    storage, legacy, bmc = (cfg.mlag_interface(n) for n in (5, 7, 60))
    assert (storage.lacp_mode, storage.lacp_fallback, storage.vlans) == ("active", True, list(range(200, 211)))
    assert (legacy.lacp_mode, legacy.vlans) == ("static", [1, 200, 201])
    assert (bmc.interface, bmc.mode, bmc.vlans, bmc.lacp_rate) == ("Eth-Trunk6", "access", [30], "fast")


def test_v200_fixture_dad_without_peer():
    cfg = DRIVER.parse_config(fixture("dc2-agg-b_v200r019.cfg"))
    assert cfg.keepalive is not None
    assert (cfg.keepalive.source, cfg.keepalive.destination) == ("172.17.8.63", None)
    assert cfg.role_priority == 100


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.cfg")))
def test_fixtures_are_detected_as_huawei(name):
    assert detect_platform(fixture(name)) == "huawei_vrpv8"


@pytest.mark.parametrize("garbage", ["", "#\n#\nreturn\n", "\x00\xff\x01", "hostname x\n!\nend"])
def test_detect_is_zero_on_garbage(garbage):
    assert DRIVER.detect(garbage) == 0


def test_bad_vlan_list_warns_and_keeps_the_rest():
    text = fixture("leaf-1a_v300r023.cfg").replace("port trunk allow-pass vlan 160 170 180", "port trunk allow-pass vlan 160 bogus")
    cfg = DRIVER.parse_config(text)
    assert any("bogus" in w for w in cfg.warnings)
    assert cfg.mlag_interface(10).vlans == [100, 140, 150, 151]
    assert len(cfg.mlag_interfaces) == 4


def test_trunkport_and_eth_trunk_members_are_one_list():
    text = "#\ndfs-group 1\n#\ninterface Eth-Trunk3\n trunkport 25GE 1/0/1 to 1/0/3\n mode lacp-static\n dfs-group 1 m-lag 3\n#\ninterface 25GE1/0/1\n eth-trunk 3\n#\nreturn\n"
    assert DRIVER.parse_config(text).mlag_interface(3).members == ["25GE1/0/1", "25GE1/0/2", "25GE1/0/3"]


def test_dad_line_with_udp_port_and_timeout():
    text = "#\ndfs-group 1\n dual-active detection source ip 10.1.0.3 peer 10.1.0.4 udp-port 2048 timeout 30\n#\nreturn\n"
    cfg = DRIVER.parse_config(text, hostname="sw")
    assert cfg.keepalive is not None
    assert (cfg.keepalive.source, cfg.keepalive.destination, cfg.keepalive.vrf) == ("10.1.0.3", "10.1.0.4", None)
    assert (cfg.hostname, cfg.role_priority, cfg.timers.restore_delay) == ("sw", 100, 240)


def test_unreadable_input_never_raises():
    cfg = DRIVER.parse_config(None)  # type: ignore[arg-type]
    assert cfg.is_empty() and cfg.warnings


def test_parses_20k_lines():
    trunk = "#\ninterface Eth-Trunk{n}\n port link-type trunk\n undo port trunk allow-pass vlan 1\n port trunk allow-pass vlan 10 20 to 30\n mode lacp-static\n dfs-group 1 m-lag {n}\n"
    member = "#\ninterface 25GE1/0/{n}\n description srv{n}\n eth-trunk {n}\n"
    text = fixture("leaf-1a_v300r023.cfg").replace("return\n", "") + "".join(trunk.format(n=n) + member.format(n=n) for n in range(200, 2048)) + "return\n"
    assert len(text.splitlines()) > 20000
    cfg = DRIVER.parse_config(text)
    assert len(cfg.mlag_interfaces) == 1852


# --- every supported option: rendered and read back -----------------------------------------------
FULL = {
    "system": {"mac": "00:e0:fc:00:00:01", "priority": 1024},
    "timers": {"restore_delay": 120, "auto_recovery": True, "auto_recovery_delay": 10},
    "stp": {"mode": "mstp", "priority": 4096, "mlag_mode": "v-stp"},
    "vlans": [{"id": 1, "name": "DEFAULT"}, {"id": 10, "name": "DATA"}, {"id": 20}, {"id": 30, "name": "BMC"}],
    "peers": [
        {
            "role": "primary",
            "role_priority": 200,
            "variant": "v300",
            "keepalive": {"vrf": "DAD", "interface": "25GE1/0/48", "prefix_length": 30},
            "peer_link": {"port_channel": 100, "vlans": "1,10,20,30", "description": "PEER LINK A"},
        },
        {
            "role": "secondary",
            "role_priority": 50,
            "variant": "v300",
            "keepalive": {"vrf": "DAD", "interface": "MEth0/0/0", "prefix_length": 24},
            "peer_link": {"port_channel": 100, "vlans": "1,10,20,30", "description": "PEER LINK B"},
        },
    ],
    "mlag_interfaces": [
        {"description": "esx 01", "port_channel": {"ce-a": 1, "ce-b": 11}, "members": {"ce-a": ["25GE1/0/1", "25GE1/0/2"], "ce-b": ["25GE1/0/2", "25GE1/0/3"]},
         "vlans": "1,10,20", "native_vlan": 10, "lacp_rate": "fast", "min_links": 2, "mtu": 9000},
    ],
}
FULL_EXTRA = [
    {"mlag_id": 2, "port_channel": 2, "description": "pxe", "members": ["25GE1/0/4"], "vlans": "10,20", "lacp_fallback": True},
    {"mlag_id": 3, "port_channel": 3, "description": "fw", "members": ["25GE1/0/5"], "vlans": "10,20,30", "lacp_mode": "static", "mtu": 9216},
    {"mlag_id": 2048, "port_channel": 1023, "members": ["25GE1/0/6:1"], "mode": "access", "vlans": [30]},
    {"mlag_id": 5, "port_channel": 5, "members": ["GE1/0/1"], "mode": "access", "vlans": [1]},
]


def full_domain() -> MlagDomain:
    data = merged(base_domain(), FULL)
    data["mlag_interfaces"] += FULL_EXTRA
    return MlagDomain.model_validate(data)


def test_every_supported_option_round_trips():
    round_trips(full_domain())


def test_every_supported_option_projects_effective_values():
    domain = full_domain()
    cfg = DRIVER.peer_config(domain, "ce-a")
    assert (cfg.role_priority, cfg.system_mac, cfg.system_priority) == (200, "00:e0:fc:00:00:01", 1024)
    assert cfg.peer_link is not None and cfg.peer_link.vlans == [1, 10, 20, 30]
    assert (cfg.timers.restore_delay, cfg.timers.auto_recovery, cfg.timers.auto_recovery_delay) == (120, True, 10)
    assert (cfg.stp.mode, cfg.stp.priority, cfg.stp.mlag_mode) == ("mstp", 4096, "v-stp")
    assert [v.id for v in cfg.vlans] == [1, 10, 20, 30]
    esx = cfg.mlag_interface(1)
    assert (esx.interface, esx.native_vlan, esx.min_links, esx.mtu, esx.vlans) == ("Eth-Trunk1", 10, 2, 9000, [1, 10, 20])
    assert DRIVER.peer_config(domain, "ce-b").mlag_interface(1).interface == "Eth-Trunk11"
    fw = cfg.mlag_interface(3)
    assert (fw.lacp_mode, fw.native_vlan, fw.min_links, fw.mtu) == ("static", 1, 1, 9216)
    assert cfg.mlag_interface(2048).native_vlan is None


def test_full_render_lines_v300():
    text = DRIVER.render(full_domain(), "ce-a")
    assert block(text, "dfs-group 1") == [
        "dfs-group 1",
        " authentication-mode hmac-sha256 password Dfs_Key_2024",
        " dual-active detection source ip 10.1.1.1 vpn-instance DAD peer 10.1.1.2",
        " m-lag up-delay 120 auto-recovery interval 10",
        " priority 200",
    ]
    assert "stp mode" not in text  # mstp is the default mode and is not printed
    assert block(text, "stp v-stp enable") == ["stp v-stp enable", "stp instance 0 priority 4096"]
    assert block(text, "lacp m-lag priority 1024") == ["lacp m-lag priority 1024", "lacp m-lag system-id 00e0-fc00-0001"]
    assert block(text, "vlan batch 10 20 30") == ["vlan batch 10 20 30"]
    assert block(text, "vlan 1") == ["vlan 1", " name DEFAULT"]
    assert block(text, "ip vpn-instance DAD") == ["ip vpn-instance DAD", " ipv4-family"]
    assert block(text, "interface Eth-Trunk1") == [
        "interface Eth-Trunk1",
        " description esx 01",
        " jumboframe enable 9000",
        " port link-type trunk",
        " port trunk pvid vlan 10",
        " port trunk allow-pass vlan 10 20",
        " mode lacp-static",
        " least active-linknumber 2",
        " lacp timeout fast",
        " dfs-group 1 m-lag 1",
    ]
    assert block(text, "interface Eth-Trunk100") == [
        "interface Eth-Trunk100",
        " description PEER LINK A",
        " mode lacp-static",
        " peer-link 1",
        " port vlan exclude 2 to 9 11 to 19 21 to 29 31 to 4094",
    ]
    assert block(text, "interface 25GE1/0/48") == [
        "interface 25GE1/0/48",
        " undo portswitch",
        " ip binding vpn-instance DAD",
        " ip address 10.1.1.1 255.255.255.252",
        " m-lag unpaired-port reserved",
    ]
    assert block(text, "interface 25GE1/0/1") == ["interface 25GE1/0/1", " description esx 01", " eth-trunk 1"]


def test_full_render_lines_v200():
    text = DRIVER.render(full_domain(), "ce-b", "v200")
    assert block(text, "dfs-group 1") == [
        "dfs-group 1",
        " priority 50",
        " source ip 10.1.1.2 vpn-instance DAD peer 10.1.1.1",
        " authentication-mode hmac-sha256 password Dfs_Key_2024",
        " m-lag up-delay 120 auto-recovery interval 10",
    ]
    assert block(text, "interface MEth0/0/0") == ["interface MEth0/0/0", " ip binding vpn-instance DAD", " ip address 10.1.1.2 255.255.255.0"]
    assert text.index("interface MEth0/0/0") < text.index("interface Eth-Trunk2") < text.index("interface Eth-Trunk11") < text.index("interface GE1/0/1")
    assert text.endswith("#\nreturn\n")


def test_lacp_fallback_compiles_to_lacp_dynamic():
    text = DRIVER.render(full_domain(), "ce-a")
    assert block(text, "interface Eth-Trunk2") == [
        "interface Eth-Trunk2",
        " description pxe",
        " port link-type trunk",
        " undo port trunk allow-pass vlan 1",
        " port trunk allow-pass vlan 10 20",
        " mode lacp-dynamic",
        " dfs-group 1 m-lag 2",
    ]
    assert "lacp force-up" not in text


def test_static_lag_prints_no_mode_line_and_default_mtu():
    lines = block(DRIVER.render(full_domain(), "ce-a"), "interface Eth-Trunk3")
    assert not any(line.startswith(" mode") for line in lines)
    assert not any("jumboframe" in line for line in lines)


def test_access_ports_and_breakout_members():
    text = DRIVER.render(full_domain(), "ce-a")
    assert block(text, "interface Eth-Trunk1023") == ["interface Eth-Trunk1023", " port default vlan 30", " mode lacp-static", " dfs-group 1 m-lag 2048"]
    assert block(text, "interface Eth-Trunk5") == ["interface Eth-Trunk5", " mode lacp-static", " dfs-group 1 m-lag 5"]
    assert block(text, "interface 25GE1/0/6:1") == ["interface 25GE1/0/6:1", " eth-trunk 1023"]


def test_defaults_are_not_printed():
    text = DRIVER.render(build(), "ce-a")
    assert " priority 150" in block(text, "dfs-group 1")
    for absent in ("m-lag up-delay", "stp mode", "lacp m-lag priority", "port vlan exclude", "ip vpn-instance", "stp instance 0"):
        assert absent not in text
    assert DRIVER.render(build(), "ce-b").count(" priority 120") == 1


def test_role_priority_100_is_the_unprinted_default():
    domain = build({"peers": [{"role_priority": 200}, {"role_priority": 100}]})
    assert " priority" not in "\n".join(block(DRIVER.render(domain, "ce-b"), "dfs-group 1"))
    round_trips(domain)


def test_derived_system_mac_is_rendered_when_unset():
    domain = build()
    mac = domain.derived_system_mac.replace(":", "")
    assert f"lacp m-lag system-id {mac[0:4]}-{mac[4:8]}-{mac[8:12]}" in DRIVER.render(domain, "ce-a")
    assert DRIVER.peer_config(domain, "ce-a").system_mac == domain.derived_system_mac


def test_root_bridge_mode_lines_and_round_trip():
    domain = build({"stp": {"mlag_mode": "root-bridge", "bridge_address": "00e0-fc12-3458", "mode": "rstp"}})
    text = DRIVER.render(domain, "ce-a")
    assert block(text, "stp bridge-address 00e0-fc12-3458") == ["stp bridge-address 00e0-fc12-3458", "stp mode rstp", "stp instance 0 root primary"]
    assert block(text, "interface Eth-Trunk0") == ["interface Eth-Trunk0", " stp disable", " mode lacp-static", " peer-link 1"]
    assert "v-stp" not in text
    assert DRIVER.peer_config(domain, "ce-a").stp.priority == 0
    round_trips(domain)


def test_up_delay_default_with_auto_recovery_is_printed():
    domain = build({"timers": {"auto_recovery": True, "auto_recovery_delay": 5}})
    assert " m-lag up-delay 240 auto-recovery interval 5" in DRIVER.render(domain, "ce-a")
    round_trips(domain)


def test_vlan_lists_wrap_after_ten_items():
    ids = list(range(100, 140, 2))
    domain = build({"vlans": [{"id": v} for v in ids], "mlag_interfaces": [{"vlans": ids}]})
    text = DRIVER.render(domain, "ce-a")
    assert "vlan batch 100 102 104 106 108 110 112 114 116 118\nvlan batch 120 122 124 126 128 130 132 134 136 138\n" in text
    assert " port trunk allow-pass vlan 100 102 104 106 108 110 112 114 116 118\n port trunk allow-pass vlan 120 " in text
    round_trips(domain)


def test_two_vlan_run_prints_with_to():
    domain = build({"vlans": [{"id": 10}, {"id": 11}, {"id": 20}], "mlag_interfaces": [{"vlans": "10-11,20"}]})
    assert "vlan batch 10 to 11 20\n" in DRIVER.render(domain, "ce-a")


def test_unnamed_vlan_1_is_implicit():
    domain = build({"vlans": [{"id": 1}, {"id": 10}], "mlag_interfaces": [{"vlans": "1,10"}]})
    text = DRIVER.render(domain, "ce-a")
    assert "vlan batch 10\n" in text and "undo port trunk allow-pass vlan 1" not in text
    assert [v.id for v in DRIVER.peer_config(domain, "ce-a").vlans] == [10]
    round_trips(domain)


def test_dad_on_vlanif_and_loopback_are_placed_in_device_order():
    domain = build({"peers": [
        {"keepalive": {"interface": "Vlanif4000", "prefix_length": 30}},
        {"keepalive": {"interface": "LoopBack7", "prefix_length": 31}},
    ]})
    a, b = DRIVER.render(domain, "ce-a"), DRIVER.render(domain, "ce-b")
    assert a.index("interface Vlanif4000") < a.index("interface Eth-Trunk0")
    assert block(a, "interface Vlanif4000") == ["interface Vlanif4000", " ip address 10.1.1.1 255.255.255.252"]
    assert b.index("interface 100GE1/0/6") < b.index("interface LoopBack7")
    round_trips(domain)


def test_example_inventory_pair_renders_fallback_and_static():
    from mlagauto.inventory import load_fabric

    fabric = load_fabric(Path(__file__).resolve().parents[2] / "inventories" / "example")
    text = DRIVER.render(fabric.domain_of("ce-1a"), "ce-1a")
    assert " mode lacp-dynamic" in block(text, "interface Eth-Trunk3")
    assert not any(line.startswith(" mode") for line in block(text, "interface Eth-Trunk4"))


# --- options VRP V8 does not have -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"domain_name": "MLAG01"}, "domain_name"),
        ({"peer_vlan": 4000}, "peer_vlan"),
        ({"peer_gateway": True}, "peer_gateway"),
        ({"peer_switch": True}, "peer_switch"),
        ({"service_id": 7}, "service_id"),
        ({"timers": {"non_mlag_restore_delay": 30}}, "timers.non_mlag_restore_delay"),
        ({"stp": {"mode": "rapid-pvst"}}, "stp.mode"),
        ({"peers": [{"peer_address": "10.0.0.0/31"}, {"peer_address": "10.0.0.1/31"}]}, "peer_address"),
        ({"peers": [{"chassis_id": 0}, {"chassis_id": 1}]}, "chassis_id"),
        ({"mlag_interfaces": [{"lacp_mode": "passive"}]}, "mlag_interfaces[0].lacp_mode"),
        ({"mlag_interfaces": [{"lacp_fallback": True, "lacp_fallback_timeout": 30}]}, "mlag_interfaces[0].lacp_fallback_timeout"),
        ({"mlag_interfaces": [{"admin_key": 40}]}, "mlag_interfaces[0].admin_key"),
    ],
)
def test_unsupported_options_are_rejected_naming_the_field(patch, field):
    found = problems(patch)
    assert field in [f for f, _ in found], found


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"domain_id": 2}, "domain_id"),
        ({"authentication": None}, "authentication"),
        ({"peers": [{"variant": "v200"}, {}]}, "variant"),
        ({"peers": [{"role_priority": 255}, {}]}, "role_priority"),
        ({"peers": [{"role": "primary", "role_priority": 100}, {"role": "secondary", "role_priority": 120}]}, "role_priority"),
        ({"peers": [{"role_priority": 120}, {"role_priority": 120}]}, "role_priority"),
        ({"stp": {"mlag_mode": "root-bridge"}}, "stp.bridge_address"),
        ({"stp": {"mlag_mode": "root-bridge", "bridge_address": "00e0-fc12-3458", "priority": 4096}}, "stp.priority"),
        ({"stp": {"bridge_address": "00e0-fc12-3458"}}, "stp.bridge_address"),
        ({"timers": {"restore_delay": 3601}}, "timers.restore_delay"),
        ({"timers": {"auto_recovery": True}}, "timers.auto_recovery_delay"),
        ({"timers": {"auto_recovery": True, "auto_recovery_delay": 181}}, "timers.auto_recovery_delay"),
        ({"timers": {"auto_recovery_delay": 10}}, "timers.auto_recovery_delay"),
        ({"system": {"mac": "00:00:00:00:00:00"}}, "system.mac"),
        ({"mlag_interfaces": [{"mtu": 1500}]}, "mlag_interfaces[0].mtu"),
        ({"mlag_interfaces": [{"lacp_mode": "static", "lacp_rate": "fast"}]}, "mlag_interfaces[0].lacp_rate"),
        ({"mlag_interfaces": [{"mlag_id": 2049}]}, "mlag_interfaces[0].mlag_id"),
        ({"mlag_interfaces": [{"port_channel": 1024}]}, "mlag_interfaces[0].port_channel"),
        ({"peers": [{"keepalive": {"interface": "Eth-Trunk9", "prefix_length": 30}}, {}]}, "keepalive.interface"),
    ],
)
def test_platform_ranges_and_pairing_rules(patch, field):
    found = problems(patch)
    assert field in [f for f, _ in found], found


def test_v200_pair_without_authentication_is_valid():
    domain = build({"authentication": None, "peers": [{"variant": "v200"}, {"variant": "v200"}]})
    text = DRIVER.render(domain, "ce-a")
    assert "authentication-mode" not in text and " source ip 10.1.1.1 peer 10.1.1.2" in text
    assert DRIVER.peer_config(domain, "ce-a").authentication is None
    round_trips(domain)


# --- injection payloads and token rules -------------------------------------------------------------
@pytest.mark.parametrize(
    "patch",
    [
        {"mlag_interfaces": [{"description": "srv\n#\ninterface Eth-Trunk0\n undo peer-link 1"}]},
        {"mlag_interfaces": [{"description": "bell\x07"}]},
        {"mlag_interfaces": [{"description": 'say "hi"'}]},
        {"mlag_interfaces": [{"description": "what?"}]},
        {"mlag_interfaces": [{"description": "caf\u00e9"}]},
        {"mlag_interfaces": [{"description": "x" * 243}]},
        {"peers": [{"peer_link": {"description": "pl\rreturn"}}, {}]},
        {"vlans": [{"id": 10, "name": "DATA VLAN"}]},
        {"vlans": [{"id": 10, "name": "DATA\nvlan 99"}]},
        {"vlans": [{"id": 10, "name": "D" * 32}]},
        {"vlans": [{"id": 10, "name": "DATA?"}]},
        {"peers": [{"keepalive": {"vrf": "MG MT"}}, {"keepalive": {"vrf": "MG MT"}}]},
        {"peers": [{"keepalive": {"vrf": "MGMT\n"}}, {"keepalive": {"vrf": "MGMT\n"}}]},
        {"peers": [{"keepalive": {"vrf": "_public_"}}, {"keepalive": {"vrf": "_public_"}}]},
        {"mlag_interfaces": [{"members": ["10GE1/0/1\n shutdown"]}]},
        {"mlag_interfaces": [{"members": ["Ethernet1/1"]}]},
        {"mlag_interfaces": [{"members": ["10GE 1/0/1"]}]},
        {"peers": [{"peer_link": {"members": ["100GE1/0/5;", "100GE1/0/6"]}}, {}]},
        {"name": "pair\nreturn"},
        {"name": "pair one"},
        {"authentication": {"password": "short"}},
        {"authentication": {"password": "has space1"}},
        {"authentication": {"password": 'quote"d_pass'}},
        {"authentication": {"password": "ask?me_later"}},
        {"authentication": {"password": "x" * 17}},
    ],
)
def test_injection_and_forbidden_tokens_are_rejected(patch):
    with pytest.raises(ValidationError):
        build(patch)


def test_forbidden_description_characters_name_the_field():
    found = problems({"mlag_interfaces": [{"description": "why?"}]})
    assert [f for f, _ in found] == ["mlag_interfaces[0].description"]


def test_ascii_description_with_spaces_is_fine():
    domain = build({"mlag_interfaces": [{"description": "Connect to esx-01 vmnic0 (rack 4/U12)"}]})
    assert " description Connect to esx-01 vmnic0 (rack 4/U12)" in DRIVER.render(domain, "ce-a")


# --- property: every valid domain round-trips -------------------------------------------------------
def _lag(draw: st.DrawFn, mlag_id: int, vlan_pool: list[int], port: int) -> dict[str, Any]:
    mode = draw(st.sampled_from(["trunk", "access"]))
    lacp = draw(st.sampled_from(["active", "static"]))
    vlans = draw(st.lists(st.sampled_from(vlan_pool), min_size=1, max_size=1 if mode == "access" else 25, unique=True))
    itf: dict[str, Any] = {
        "mlag_id": mlag_id,
        "port_channel": draw(st.integers(1, 1023)),
        "members": [f"25GE1/0/{port}", f"25GE1/0/{port + 1}"],
        "mode": mode,
        "vlans": vlans,
        "lacp_mode": lacp,
        "lacp_rate": "slow" if lacp == "static" else draw(st.sampled_from(["slow", "fast"])),
        "lacp_fallback": lacp == "active" and draw(st.booleans()),
        "min_links": draw(st.none() | st.integers(1, 2)),
        "mtu": draw(st.none() | st.integers(1518, 9216)),
        "description": draw(st.none() | st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 _./()-]{0,20}[A-Za-z0-9]", fullmatch=True)),
    }
    if mode == "trunk" and draw(st.booleans()):
        itf["native_vlan"] = draw(st.sampled_from(vlans))
    return itf


@st.composite
def huawei_domains(draw: st.DrawFn) -> dict[str, Any]:
    vlan_pool = sorted(draw(st.sets(st.integers(1, 4094), min_size=1, max_size=40)))
    count = draw(st.integers(0, 4))
    ids = draw(st.lists(st.integers(1, 2048), min_size=count, max_size=count, unique=True))
    lags = [_lag(draw, mid, vlan_pool, 1 + 2 * k) for k, mid in enumerate(ids)]
    channels = [lag["port_channel"] for lag in lags]
    if len(set(channels)) != len(channels):
        for k, lag in enumerate(lags):
            lag["port_channel"] = k + 1
    root = draw(st.booleans())
    variant = draw(st.sampled_from(["v300", "v200"]))
    restricted = draw(st.booleans())
    peer_vlans = sorted(set(vlan_pool) | set(draw(st.sets(st.integers(1, 4094), max_size=5)))) if restricted else None
    auto = draw(st.booleans())
    data = merged(
        base_domain(),
        {
            "vlans": [{"id": v, "name": draw(st.none() | st.sampled_from(["WEB", "APP", "DB_1"]))} for v in vlan_pool],
            "mlag_interfaces": [],
            "system": {"mac": draw(st.none() | st.sampled_from(["00:e0:fc:00:00:01", "c4:e2:87:85:c1:31"])), "priority": draw(st.none() | st.integers(1, 65535))},
            "timers": {"restore_delay": draw(st.none() | st.integers(0, 3600)), "auto_recovery": auto, "auto_recovery_delay": draw(st.integers(1, 180)) if auto else None},
            "stp": {
                "mode": draw(st.none() | st.sampled_from(["rstp", "mstp"])),
                "mlag_mode": "root-bridge" if root else "v-stp",
                "bridge_address": "00:e0:fc:12:34:58" if root else None,
                "priority": None if root else draw(st.none() | st.sampled_from([0, 4096, 32768, 61440])),
            },
            "authentication": {"password": "Dfs_Key_2024"} if variant == "v300" or draw(st.booleans()) else None,
            "peers": [
                {"variant": variant, "role_priority": draw(st.none() | st.integers(128, 254)),
                 "keepalive": {"vrf": draw(st.none() | st.just("DAD"))}, "peer_link": {"vlans": peer_vlans}},
                {"variant": variant, "role_priority": draw(st.none() | st.integers(1, 127))},
            ],
        },
    )
    data["peers"][1]["keepalive"]["vrf"] = data["peers"][0]["keepalive"]["vrf"]
    data["peers"][1]["peer_link"]["vlans"] = peer_vlans
    data["mlag_interfaces"] = lags
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(huawei_domains())
def test_property_render_parse_equals_projection(data):
    round_trips(MlagDomain.model_validate(data))


# --- forms: IPv6 DAD, trunkport members, hybrid ports, spellings, unread M-LAG lines ----------------
def test_forms_fixture_dfs_group_with_ipv6_dad_and_trailing_spaces():
    cfg = DRIVER.parse_config(fixture("agg-7b_forms.cfg"))
    assert (cfg.hostname, cfg.domain_id, cfg.role_priority, cfg.authentication) == ("agg-7b", "1", 90, "hmac-sha256")
    assert cfg.keepalive.model_dump() == {"source": "2001:db8:7::b", "destination": "2001:db8:7::a", "vrf": None}
    assert cfg.timers.model_dump() == {"restore_delay": 420, "non_mlag_restore_delay": None, "auto_recovery": True, "auto_recovery_delay": 60}
    assert (cfg.system_mac, cfg.system_priority, cfg.stp.priority) == ("00:e0:fc:70:00:07", 4096, 8192)
    assert cfg.unread == [] and cfg.warnings == []


def test_forms_fixture_trunks():
    cfg = DRIVER.parse_config(fixture("agg-7b_forms.cfg"))
    assert cfg.peer_link.members == ["100GE1/0/7", "100GE1/0/8"]  # trunkport ... to ...
    assert cfg.peer_link.vlans == sorted(set(range(1, 4095)) - {80})
    trunk = cfg.mlag_interface(21)
    assert (trunk.members, trunk.vlans, trunk.native_vlan, trunk.mtu, trunk.lacp_rate, trunk.lacp_fallback) == (["25GE1/0/21"], [70, 71, 72], 70, 9000, "fast", True)
    hybrid = cfg.mlag_interface(22)  # dfs-group 1 m-lag 22 active-standby, manual load-balance
    assert (hybrid.mode, hybrid.vlans, hybrid.native_vlan, hybrid.lacp_mode) == ("hybrid", [70, 71, 73], 73, "static")


def test_v200_source_ipv6_dad():
    cfg = DRIVER.parse_config("#\ndfs-group 1\n source ipv6 2001:db8:9::1 vpn-instance OOB peer 2001:db8:9::2\n#\n")
    assert cfg.keepalive.model_dump() == {"source": "2001:db8:9::1", "destination": "2001:db8:9::2", "vrf": "OOB"}


def test_typed_spellings_read_as_the_display_names():
    text = "#\ninterface eth-trunk 3\n trunkport 10ge 1/0/1 to 1/0/2 1/0/4\n dfs-group 1 m-lag 3\n#\ninterface 25ge1/0/9\n Eth-Trunk 3\n#\n"
    trunk = DRIVER.parse_config(text).mlag_interface(3)
    assert (trunk.interface, trunk.members) == ("Eth-Trunk3", ["10GE1/0/1", "10GE1/0/2", "10GE1/0/4", "25GE1/0/9"])


def test_unknown_m_lag_forms_are_unread_documented_ones_are_not():
    text = """#
dfs-group 1
 priority high
 dual-active detection source ip 10.9.9.1 peer 10.9.9.2 retry 3
 dual-active detection hold-time 500
 consistency-check enable mode strict
 m-lag future-knob 3
#
interface Eth-Trunk3
 mode lacp-static
 dfs-group 1 m-lag 3 standby-only
#
interface Eth-Trunk4
 mode lacp-turbo
 dfs-group 1 m-lag 4
#
interface Eth-Trunk5
 mode lacp-turbo
#
"""
    cfg = DRIVER.parse_config(text)
    assert cfg.unread == [
        "interface Eth-Trunk3: dfs-group 1 m-lag 3 standby-only",
        "interface Eth-Trunk4: mode lacp-turbo",
        "priority high",
        "dual-active detection source ip 10.9.9.1 peer 10.9.9.2 retry 3",
        "m-lag future-knob 3",
    ]
    assert [t.mlag_id for t in cfg.mlag_interfaces] == [4]
