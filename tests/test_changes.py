"""Removals without a lab: a running config (the platform's own rendering of the example intent,
plus lines the project does not manage) and an edited intent give the removals a deploy pushes
before the render, per platform."""

from __future__ import annotations

import pytest

from mlagauto.changes import plan_change
from mlagauto.drivers import get_driver
from mlagauto.inventory import load_fabric
from mlagauto.model.intent import MlagDomain
from tests.conftest import EXAMPLE

HOSTS = {"cisco_nxos": "nx-1a", "arista_eos": "eos-1a", "juniper_junos": "qfx-1a", "huawei_vrpv8": "ce-1a"}
UNMANAGED = {
    "cisco_nxos": "hostname nx-1a\nntp server 192.0.2.1\ninterface Ethernet1/40\n  description uplink\n  mtu 9216\n",
    "arista_eos": "hostname eos-1a\n!\ninterface Ethernet40\n   description uplink\n!\nvrf instance OTHER\n!\n",
    "juniper_junos": "system {\n    host-name qfx-1a;\n}\ninterfaces {\n    xe-0/0/40 {\n        description uplink;\n    }\n}\n",
    "huawei_vrpv8": "#\nsysname ce-1a\n#\ninterface 10GE1/0/40\n description uplink\n#\n",
}
"""Configuration outside the MLAG surface: a deploy must never negate any of it."""
UPLINK = {"cisco_nxos": "Ethernet1/40", "arista_eos": "Ethernet40", "juniper_junos": "xe-0/0/40", "huawei_vrpv8": "10GE1/0/40"}


def _domain(platform: str) -> tuple[MlagDomain, str]:
    host = HOSTS[platform]
    return load_fabric(EXAMPLE).domain_of(host), host


def _running(platform: str, domain: MlagDomain, host: str) -> str:
    return UNMANAGED[platform] + get_driver(platform).render(domain, host)


def _without_vlan(domain: MlagDomain, vid: int) -> MlagDomain:
    itfs = [
        i.model_copy(update={"vlans": [v for v in i.vlans if v != vid], "native_vlan": None if i.native_vlan == vid else i.native_vlan})
        for i in domain.mlag_interfaces
        if i.vlans != [vid]
    ]
    return domain.model_copy(update={"vlans": [v for v in domain.vlans if v.id != vid], "mlag_interfaces": itfs})


def _without_interface(domain: MlagDomain, mlag_id: int) -> MlagDomain:
    return domain.model_copy(update={"mlag_interfaces": [i for i in domain.mlag_interfaces if i.mlag_id != mlag_id]})


@pytest.mark.parametrize("platform", sorted(HOSTS))
def test_a_switch_running_the_intent_needs_no_removal(platform):
    domain, host = _domain(platform)
    assert plan_change(get_driver(platform), domain, host, _running(platform, domain, host)).removals == ""


VLAN_REMOVALS = {
    "cisco_nxos": (40, ["no vlan 40", "no spanning-tree vlan 40 priority 4096", "  no switchport trunk native vlan 40"]),
    "arista_eos": (140, ["no vlan 140", "  no switchport trunk native vlan 140"]),
    "juniper_junos": (240, ["delete vlans PXE", "delete interfaces ae3 native-vlan-id", "delete interfaces ae3 unit 0 family ethernet-switching vlan members PXE"]),
    "huawei_vrpv8": (340, ["undo vlan batch 340", "undo vlan 340", "  undo port trunk pvid vlan 340", "  undo port trunk allow-pass vlan 340"]),
}


@pytest.mark.parametrize("platform", sorted(VLAN_REMOVALS))
def test_a_removed_vlan_leaves_every_list_it_was_in_and_only_it(platform):
    domain, host = _domain(platform)
    vid, expected = VLAN_REMOVALS[platform]
    lines = plan_change(get_driver(platform), _without_vlan(domain, vid), host, _running(platform, domain, host)).removals.splitlines()
    for line in expected:
        assert line in lines, (line, lines)
    assert not any(line.lstrip().startswith(("no vlan 1", "no spanning-tree vlan 1", "undo vlan batch 3")) and str(vid) not in line for line in lines), lines


def test_nxos_vlans_leaving_together_are_one_line_per_list():
    domain, host = _domain("cisco_nxos")
    removals = plan_change(get_driver("cisco_nxos"), _without_vlan(_without_vlan(domain, 40), 30), host, _running("cisco_nxos", domain, host)).removals
    assert "no vlan 30,40" in removals.splitlines()
    assert "no spanning-tree vlan 30,40 priority 4096" in removals.splitlines()


STALE = {
    "cisco_nxos": (14, ["interface Ethernet1/4", "  no channel-group 14", "interface Ethernet1/5", "no interface port-channel14"]),
    "arista_eos": (14, ["interface Ethernet4", "  no channel-group 14 mode passive", "interface Ethernet5", "no interface Port-Channel14"]),
    "juniper_junos": (4, ["delete interfaces xe-0/0/4 ether-options", "delete interfaces xe-0/0/5 ether-options", "delete interfaces ae4"]),
    "huawei_vrpv8": (4, ["interface 10GE1/0/4", "  undo eth-trunk 4", "interface 10GE1/0/5", "undo interface Eth-Trunk4"]),
}


@pytest.mark.parametrize("platform", sorted(STALE))
def test_a_removed_mlag_interface_frees_its_members_before_it_goes(platform):
    domain, host = _domain(platform)
    mlag_id, expected = STALE[platform]
    change = plan_change(get_driver(platform), _without_interface(domain, mlag_id), host, _running(platform, domain, host))
    lines = change.removals.splitlines()
    assert change.stale == [mlag_id]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions), lines
    if platform != "juniper_junos":  # a port leaves its LAG before any of its settings changes
        assert lines[positions[0] + 1] == expected[1], lines
    assert not any(line.startswith(("no interface Ethernet", "undo interface 10GE", "delete interfaces xe-0/0/4\n")) for line in lines), lines


@pytest.mark.parametrize("platform", sorted(HOSTS))
def test_nothing_outside_the_mlag_surface_is_negated(platform):
    domain, host = _domain(platform)
    edited = _without_interface(_without_vlan(domain, sorted(v.id for v in domain.vlans)[-1]), max(i.mlag_id for i in domain.mlag_interfaces))
    removals = plan_change(get_driver(platform), edited, host, _running(platform, domain, host)).removals
    assert removals
    for word in ("uplink", "ntp", "OTHER", "host-name", "sysname", "hostname", UPLINK[platform]):
        assert word not in removals, (word, removals)


def _edited(domain: MlagDomain, host: str) -> MlagDomain:
    """A member leaves, LACP mode and rate, description, native VLAN and MTU change, a VLAN goes."""
    d = _without_vlan(domain, sorted(v.id for v in domain.vlans)[-1])
    itfs = list(d.mlag_interfaces)
    multi = next(k for k, i in enumerate(itfs) if len(i.members_on(host)) > 1)
    itfs[multi] = itfs[multi].model_copy(update={"members": itfs[multi].members_on(host)[:1]})
    mode = "static" if domain.platform == "huawei_vrpv8" else "passive"  # VRP has no passive LACP
    itfs[0] = itfs[0].model_copy(update={"description": "moved", "lacp_rate": "slow", "lacp_mode": mode, "mtu": None, "native_vlan": None})
    return d.model_copy(update={"mlag_interfaces": itfs})


@pytest.mark.parametrize("platform", sorted(HOSTS))
def test_the_predicted_running_config_is_the_intent(platform):
    domain, host = _domain(platform)
    driver = get_driver(platform)
    edited = _edited(domain, host)
    assert driver.validate(edited) == []
    running = _running(platform, domain, host)
    change = plan_change(driver, edited, host, running)
    predicted = driver.predict(running, change.removals, change.render)
    assert driver.parse_config(predicted, hostname=host) == driver.peer_config(edited, host)


def test_huawei_ciphered_dfs_password_is_not_a_removal():
    domain, host = _domain("huawei_vrpv8")
    running = _running("huawei_vrpv8", domain, host).replace("password Example_Dfs_Key1", "password %+%#_=Lp6*mSV}`B0z`WQ,61B=4!$Q%+%#")
    assert plan_change(get_driver("huawei_vrpv8"), domain, host, running).removals == ""


def test_eos_allowed_vlans_are_replaced_not_negated():
    domain, host = _domain("arista_eos")
    removals = plan_change(get_driver("arista_eos"), _without_vlan(domain, 140), host, _running("arista_eos", domain, host)).removals
    assert "switchport trunk allowed vlan" not in removals


STP_CHANGES = {
    "cisco_nxos": ("mstp", "rapid-pvst", "no spanning-tree mode mst"),
    "juniper_junos": ("rstp", "mstp", "delete protocols rstp"),
    "huawei_vrpv8": ("rstp", "mstp", "undo stp mode"),
}
"""(running mode, intended mode, the removal): the intended mode prints nothing (NX-OS rapid-pvst
and VRP MSTP are the defaults) or is another protocol statement (Junos)."""


@pytest.mark.parametrize("platform", sorted(STP_CHANGES))
def test_a_changed_stp_mode_takes_the_old_one_away(platform):
    domain, host = _domain(platform)
    before, after, removal = STP_CHANGES[platform]
    running = _running(platform, domain.model_copy(update={"stp": domain.stp.model_copy(update={"mode": before})}), host)
    intended = domain.model_copy(update={"stp": domain.stp.model_copy(update={"mode": after})})
    driver = get_driver(platform)
    change = plan_change(driver, intended, host, running)
    assert removal in change.removals.splitlines(), change.removals
    assert driver.parse_config(driver.predict(running, change.removals, change.render), hostname=host) == driver.peer_config(intended, host)
    assert plan_change(driver, intended, host, _running(platform, intended, host)).removals == ""


def test_a_new_vpc_domain_id_removes_the_old_domain_under_dont_ask():
    """NX-OS has one vPC domain per switch and refuses a new id while the old domain exists;
    ``no vpc domain`` asks for confirmation, which a merge cannot answer."""
    domain, host = _domain("cisco_nxos")
    driver = get_driver("cisco_nxos")
    running = _running("cisco_nxos", domain, host)
    moved = domain.model_copy(update={"domain_id": 11})
    change = plan_change(driver, moved, host, running)
    assert change.removals.splitlines() == ["no vpc domain 10"]
    (load,) = change.loads(driver)
    lines = load.splitlines()
    assert lines[0] == "terminal dont-ask" and lines[1] == "no vpc domain 10" and lines[-1] == "no terminal dont-ask"
    assert driver.parse_config(driver.predict(running, change.removals, change.render), hostname=host) == driver.peer_config(moved, host)
    assert plan_change(driver, domain, host, running).loads(driver) == [driver.render(domain, host)]
