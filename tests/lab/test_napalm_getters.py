"""The napalm getters a Nornir user calls first (get_facts, get_interfaces, get_lldp_neighbors,
get_config), run by the real napalm drivers against the lab: ``nxos_ssh`` over SSH, ``eos`` over
eAPI (HTTP, as inventories/lab configures it) and ``junos`` over NETCONF.

Shapes alone would pass against any made-up answer, so every test also checks content that
follows from the configuration the module pushed: the inventory host name, the peer-link members
and port-channels of the golden configs, a description and a shutdown pushed on top, the peer
switch as LLDP neighbor of each peer-link member, and a running config that the project's own
driver parses back. One lab serves the whole module (starting it is cheap, pushing is not)."""

from __future__ import annotations

import re

import pytest
from napalm import get_network_driver

from mlagauto.drivers import get_driver
from mlagauto.lab.lab import Lab
from tests.conftest import ROOT
from tests.lab.conftest import SECRET, lab_inventory_copy

GOLDEN = ROOT / "golden_configs"
USER = "netops"

PAIRS = {
    # platform: (napalm driver, switch A, switch B, peer-link members, peer-link port-channel)
    "cisco_nxos": ("nxos_ssh", "nx-1a", "nx-1b", ["Ethernet1/49", "Ethernet1/50"], "port-channel1"),
    "arista_eos": ("eos", "eos-1a", "eos-1b", ["Ethernet49", "Ethernet50"], "Port-Channel10"),
    "juniper_junos": ("junos", "qfx-1a", "qfx-1b", ["et-0/0/48", "et-0/0/49"], "ae0"),
}
PROBE = "napalm-getter-probe"
"""The description pushed on one unused port of every switch A."""
EXTRA = {
    # platform: (config pushed on switch A after the golden config, the described port, the shut port)
    "cisco_nxos": (f"interface Ethernet1/20\n  description {PROBE}\ninterface Ethernet1/21\n  shutdown\n", "Ethernet1/20", "Ethernet1/21"),
    "arista_eos": (f"interface Ethernet20\n   description {PROBE}\ninterface Ethernet21\n   shutdown\n", "Ethernet20", "Ethernet21"),
    "juniper_junos": (f"set interfaces xe-0/0/20 description {PROBE}\nset interfaces xe-0/0/21 disable\n", "xe-0/0/20", "xe-0/0/21"),
}
PLATFORMS = list(PAIRS)
GETTER_KEYS = {"is_up", "is_enabled", "description", "last_flapped", "speed", "mtu", "mac_address"}
MAC = re.compile(r"^([0-9A-F]{2}:){5}[0-9A-F]{2}$")


def _napalm_name(platform: str, name: str) -> str:
    """How napalm nxos_ssh names an NX-OS port-channel (canonical ``Port-channelN``)."""
    return name.replace("port-channel", "Port-channel") if platform == "cisco_nxos" else name


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The lab inventory on free ports, every pair's golden config merged by napalm, plus EXTRA
    on each switch A."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLAGAUTO_USERNAME", USER)
        mp.setenv("MLAGAUTO_PASSWORD", SECRET)
        inv, hosts = lab_inventory_copy(tmp_path_factory.mktemp("napalm_getters"))
        lab = Lab.from_inventory(inv).start()
        try:
            for platform, (_, a, b, _, _) in PAIRS.items():
                for name in (a, b):
                    extra = EXTRA[platform][0] if name == a else ""
                    with _open(lab, hosts, name) as driver:
                        text = (GOLDEN / f"{name}.cfg").read_text()
                        if platform == "juniper_junos":
                            driver.load_merge_candidate(config=text)
                            driver.commit_config()
                            if extra:
                                driver.load_merge_candidate(config=extra)
                                driver.commit_config()
                        else:
                            driver.load_merge_candidate(config=text + extra)
                            driver.commit_config()
            yield lab, hosts
        finally:
            lab.stop()


class _open:
    """A napalm driver of one lab host, opened as Nornir would (the host's port and, for EOS,
    the inventory's napalm optional_args), with a short timeout."""

    def __init__(self, lab: Lab, hosts: dict, name: str):
        host = hosts[name]
        platform = host["platform"]
        args = dict(host.get("connection_options", {}).get("napalm", {}).get("extras", {}).get("optional_args", {}))
        if platform != "arista_eos":
            args["port"] = host["port"]
        self.driver = get_network_driver(PAIRS[platform][0])("127.0.0.1", USER, SECRET, timeout=10, optional_args=args)

    def __enter__(self):
        self.driver.open()
        return self.driver

    def __exit__(self, *exc):
        self.driver.close()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_get_facts_names_the_switch_and_lists_its_interfaces(lab, platform):
    lab_, hosts = lab
    _, a, _, members, port_channel = PAIRS[platform]
    with _open(lab_, hosts, a) as driver:
        facts = driver.get_facts()
    assert set(facts) == {"hostname", "fqdn", "vendor", "model", "serial_number", "os_version", "uptime", "interface_list"}
    assert facts["hostname"] == a
    assert facts["vendor"] == {"cisco_nxos": "Cisco", "arista_eos": "Arista", "juniper_junos": "Juniper"}[platform]
    assert facts["model"] and facts["serial_number"] and facts["serial_number"] != "None" and facts["os_version"]
    assert isinstance(facts["uptime"], float)
    interfaces = facts["interface_list"]
    assert len(interfaces) == len(set(interfaces))
    assert set(members) <= set(interfaces)
    assert _napalm_name(platform, port_channel) in interfaces


@pytest.mark.parametrize("platform", PLATFORMS)
def test_get_interfaces_follows_the_pushed_config(lab, platform):
    lab_, hosts = lab
    _, a, _, members, port_channel = PAIRS[platform]
    _, described, shut = EXTRA[platform]
    with _open(lab_, hosts, a) as driver:
        interfaces = driver.get_interfaces()
        facts = driver.get_facts()
    for name, data in interfaces.items():
        assert set(data) == GETTER_KEYS, name
        assert isinstance(data["is_up"], bool) and isinstance(data["is_enabled"], bool), name
        assert isinstance(data["description"], str) and isinstance(data["mtu"], int), name
        assert isinstance(data["speed"], float) and isinstance(data["last_flapped"], float), name
        assert data["mac_address"] == "" or MAC.match(data["mac_address"]), (name, data["mac_address"])
        assert not (data["is_up"] and not data["is_enabled"]), name
    physical = [i for i in facts["interface_list"] if "Management" not in i and i != "em0"]
    assert set(physical) <= set(interfaces)
    for member in members:
        assert interfaces[member]["is_up"] and interfaces[member]["is_enabled"], member
        assert interfaces[member]["speed"] >= 10000.0
    pc = interfaces[_napalm_name(platform, port_channel)]
    assert pc["is_up"] and pc["speed"] >= 2 * interfaces[members[0]]["speed"] * 0.99  # both members up
    assert interfaces[described]["description"] == PROBE and interfaces[described]["is_enabled"]
    assert [n for n, d in interfaces.items() if d["description"] == PROBE] == [described]
    assert interfaces[shut]["is_enabled"] is False and interfaces[shut]["is_up"] is False
    unused = {"cisco_nxos": "Ethernet1/40", "arista_eos": "Ethernet40", "juniper_junos": "xe-0/0/40"}[platform]
    assert interfaces[unused]["is_enabled"] and not interfaces[unused]["is_up"]
    macs = [d["mac_address"] for n, d in interfaces.items() if n in members]
    assert len(set(macs)) == len(macs)  # every port has its own address


@pytest.mark.parametrize("platform", PLATFORMS)
def test_lldp_neighbor_of_each_peer_link_member_is_the_peer(lab, platform):
    lab_, hosts = lab
    _, a, b, members, _ = PAIRS[platform]
    for local, remote in ((a, b), (b, a)):
        with _open(lab_, hosts, local) as driver:
            neighbors = driver.get_lldp_neighbors()
        assert neighbors == {m: [{"hostname": remote, "port": m}] for m in members}, local


def test_lldp_neighbor_goes_away_when_the_peer_shuts_its_port(lab):
    """The neighbor follows both ends' current configs: shut the peer's end of one peer-link
    member and that LLDP entry disappears (and comes back with ``no shutdown``)."""
    lab_, hosts = lab
    with _open(lab_, hosts, "eos-1b") as peer, _open(lab_, hosts, "eos-1a") as driver:
        peer.load_merge_candidate(config="interface Ethernet50\n   shutdown\n")
        peer.commit_config()
        try:
            assert driver.get_lldp_neighbors() == {"Ethernet49": [{"hostname": "eos-1b", "port": "Ethernet49"}]}
            assert driver.get_interfaces()["Ethernet50"]["is_up"] is False
        finally:
            peer.load_merge_candidate(config="interface Ethernet50\n   no shutdown\n")
            peer.commit_config()
        assert set(driver.get_lldp_neighbors()) == {"Ethernet49", "Ethernet50"}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_get_config_running_parses_with_the_project_driver(lab, platform):
    lab_, hosts = lab
    _, a, _, members, port_channel = PAIRS[platform]
    with _open(lab_, hosts, a) as driver:
        config = driver.get_config(retrieve="running")
    assert set(config) == {"running", "startup", "candidate"}
    running = config["running"]
    assert PROBE in running
    parsed = get_driver(platform).parse_config(running, hostname=a)
    assert parsed.platform == platform
    assert parsed.peer_link is not None
    assert parsed.peer_link.interface == port_channel and parsed.peer_link.members == sorted(members)
    assert len(parsed.mlag_interfaces) >= 2
