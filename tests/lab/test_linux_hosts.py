"""The lab's simulated servers end to end: real netmiko (``linux``) and the project's own
``get_bond_state`` task through Nornir read the bonds the lab computes from the pair's current
configs, and the host-live rules judge them against the inventory's expectations.

One lab for the module; each test starts from the golden configs (set on the lab switches
directly: the deploy path has its own tests) and breaks one thing on the switch side.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from netmiko import ConnectHandler

from mlagauto.checks.host_live import validate_bond
from mlagauto.hosts.bonding import parse_ip_link_json, parse_proc_bonding
from mlagauto.hosts.live import inventory_targets
from mlagauto.hosts.tasks import get_bond_states, prepare_servers
from mlagauto.inventory import load_fabric
from mlagauto.lab.lab import Lab
from mlagauto.lab.linux_host.switchside import switch_port
from mlagauto.nornir import init_nornir
from tests.conftest import GOLDEN
from tests.lab.conftest import SECRET, free_port, lab_inventory_copy

SERVERS = ("server1", "pxe1", "nas1")
SWITCHES = ("nx-1a", "nx-1b", "eos-1a", "eos-1b")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("MLAGAUTO_USERNAME", "netops")
    mp.setenv("MLAGAUTO_PASSWORD", SECRET)
    inv, hosts = lab_inventory_copy(tmp_path_factory.mktemp("linux_hosts"))
    lab = Lab.from_inventory(inv).start()
    try:
        yield {"inv": inv, "hosts": hosts, "lab": lab, "fabric": load_fabric(inv)}
    finally:
        lab.stop()
        mp.undo()


@pytest.fixture
def golden(env):
    """The golden configs on the NX-OS and EOS pairs, before every test."""
    for name in SWITCHES:
        env["lab"].device(name).running = (GOLDEN / f"{name}.cfg").read_text()
    return env


def edit(env, switch: str, old: str, new: str) -> None:
    device = env["lab"].device(switch)
    text = device.running
    assert old in text, f"{switch} has no {old!r}"
    device.running = text.replace(old, new, 1)


def read_bonds(env, sudo: bool = True, servers: tuple[str, ...] = SERVERS) -> dict:
    """server -> bond -> BondState, through Nornir and get_bond_states."""
    nr = init_nornir(env["inv"])
    try:
        assert prepare_servers(nr, servers) == []
        targets = inventory_targets(env["fabric"])
        bonds = {t.host: [t.bond] for t in targets}
        results = nr.filter(filter_func=lambda h: h.name in servers).run(task=get_bond_states, bonds=bonds, sudo=sudo)
    finally:
        nr.close_connections()
    assert not results.failed, {h: r[0].result for h, r in results.items() if r.failed}
    return {h: r[0].result for h, r in results.items()}


def findings(env, server: str, states: dict) -> list:
    (target,) = [t for t in inventory_targets(env["fabric"]) if t.host == server]
    return validate_bond(states[server][target.bond], target.expect)


def errors(found) -> set[tuple[str, str]]:
    return {(f.rule, f.object) for f in found if f.severity.value == "error"}


def test_the_lab_starts_the_servers_on_their_ports(env):
    described = {d["name"]: d for d in env["lab"].describe()}
    for server in SERVERS:
        assert described[server]["platform"] == "linux"
        assert described[server]["port"] == env["hosts"][server]["port"]
    assert described["nas1"]["bonds"] == ["bond0"]


def test_netmiko_linux_reads_the_bond_with_and_without_sudo(golden):
    port = golden["hosts"]["server1"]["port"]
    with ConnectHandler(device_type="linux", host="127.0.0.1", port=port, username="netops", password=SECRET, conn_timeout=5) as conn:
        assert conn.find_prompt() == "netops@server1:~$"
        root = parse_proc_bonding(conn.send_command("sudo -n cat /proc/net/bonding/bond0"), name="bond0")
        plain = parse_proc_bonding(conn.send_command("cat /proc/net/bonding/bond0"), name="bond0")
        missing = conn.send_command("cat /proc/net/bonding/bond7")
        links = parse_ip_link_json(conn.send_command("ip -d -j link show"))
    assert root.lacp_details is True and root.warnings == []
    assert [s.name for s in root.slaves] == ["eno1", "eno2"]
    assert plain.lacp_details is False and any("CAP_NET_ADMIN" in w for w in plain.warnings)
    assert "No such file or directory" in missing
    (bond,) = links
    assert bond.name == "bond0" and bond.active_aggregator.partner_mac == "00:23:04:ee:be:0a"
    assert [s.aggregator_id for s in bond.slaves] == [s.aggregator_id for s in root.slaves]


def test_golden_pairs_give_clean_bonds(golden):
    states = read_bonds(golden)
    for server in SERVERS:
        assert [f for f in findings(golden, server, states) if f.severity.value != "info"] == [], server
    server1 = states["server1"]["bond0"]
    assert {s.partner.system_mac for s in server1.slaves} == {"00:23:04:ee:be:0a"}  # NX-OS vPC system MAC of domain 10
    assert {s.partner.port_state.timeout for s in server1.slaves} == {True}  # lacp rate fast on both peers
    nas1 = states["nas1"]["bond0"]
    assert nas1.active_aggregator.ports == 4 and len({s.partner.system_mac for s in nas1.slaves}) == 1
    assert {s.partner.port_state.activity for s in nas1.slaves} == {False}  # the pair is LACP passive


def test_fresh_switches_leave_every_slave_defaulted(env):
    for name in SWITCHES:
        device = env["lab"].device(name)
        device.running = device.initial_config()
    states = read_bonds(env)
    found = errors(findings(env, "server1", states))
    assert {("host-live-lacp-state", "bond0 eno1"), ("host-live-lacp-state", "bond0 eno2")} <= found
    assert all(s.partner.system_mac == "00:00:00:00:00:00" for s in states["server1"]["bond0"].slaves)


def test_static_port_channel_on_one_peer_defaults_that_slave(golden):
    edit(golden, "nx-1b", "channel-group 11 mode active", "channel-group 11")
    states = read_bonds(golden)
    bond = states["server1"]["bond0"]
    eno1, eno2 = bond.slaves
    assert eno1.partner.system_mac == "00:23:04:ee:be:0a" and eno2.partner.port_state.value == 1
    assert eno1.aggregator_id != eno2.aggregator_id and bond.active_aggregator.ports == 1
    found = errors(findings(golden, "server1", states))
    assert ("host-live-lacp-state", "bond0 eno2") in found
    assert ("host-live-aggregator-ports", "bond0") in found
    assert ("host-live-lacp-state", "bond0 eno1") not in found


def test_a_peer_with_another_domain_presents_another_system_id(golden):
    edit(golden, "eos-1b", "domain-id MLAG01", "domain-id MLAG02")
    states = read_bonds(golden)
    pxe1 = states["pxe1"]["bond0"]
    assert len({s.partner.system_mac for s in pxe1.slaves}) == 2
    assert len({s.aggregator_id for s in pxe1.slaves}) == 2
    rules = {rule for rule, _ in errors(findings(golden, "pxe1", states))}
    assert {"host-live-partner-system", "host-live-aggregator"} <= rules
    assert errors(findings(golden, "server1", states)) == set()  # the NX-OS pair is untouched


def test_a_shut_switch_port_is_a_slave_down(golden):
    edit(golden, "nx-1a", "interface Ethernet1/1\n", "interface Ethernet1/1\n  shutdown\n")
    states = read_bonds(golden)
    eno1 = states["server1"]["bond0"].slaves[0]
    assert (eno1.name, eno1.mii_status, eno1.speed_mbps) == ("eno1", "down", None)
    assert ("host-live-slave-down", "bond0 eno1") in errors(findings(golden, "server1", states))


def test_slow_lacp_on_one_peer_is_the_partners_timeout_bit(golden):
    edit(golden, "nx-1a", "  lacp rate fast\n", "")
    states = read_bonds(golden)
    eno1, eno2 = states["server1"]["bond0"].slaves
    assert (eno1.partner.port_state.timeout, eno2.partner.port_state.timeout) == (False, True)
    rate = [f for f in findings(golden, "server1", states) if f.rule == "host-live-lacp-rate"]
    assert [(f.object, f.severity.value) for f in rate] == [("bond0 eno1", "warning")]


def _cli(env, *args: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "mlagauto.cli", "hosts", "validate", "-i", str(env["inv"]), *args], capture_output=True, text=True, timeout=60, env=os.environ.copy())


def test_cli_live_validate_clean_broken_and_unreachable(golden):
    clean = _cli(golden)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "nxos_pair mlag 11 (nx-1a + nx-1b): server1" in clean.stdout and "0 errors" in clean.stdout
    edit(golden, "nx-1b", "channel-group 11 mode active", "channel-group 11")
    broken = _cli(golden, "--host", "server1", "--format", "json")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "host-live-lacp-state" in broken.stdout
    golden["lab"].device("nas1").faults.refuse_login = True
    try:
        gone = _cli(golden, "--format", "json")
    finally:
        golden["lab"].device("nas1").faults.refuse_login = False
    assert gone.returncode == 3, gone.stdout + gone.stderr
    assert "error: nas1:" in gone.stderr and '"live-unreachable"' in gone.stdout


# --- servers on the Junos and Huawei pairs ------------------------------------------------------
# A second lab whose inventory (a temp copy) also hangs a server off MLAG 1 of the Junos pair
# (web1: ens1f0 -> qfx-1a xe-0/0/1, ens1f1 -> qfx-1b xe-0/0/1) and of the Huawei pair (web2:
# ens2f0 -> ce-1a 10GE1/0/1, ens2f1 -> ce-1b 10GE1/0/1); the inventory/lab copy above stays as
# the other tests and the README expect it.
MORE = {"web1": ("junos_pair", ["ens1f0", "ens1f1"]), "web2": ("huawei_pair", ["ens2f0", "ens2f1"])}
MORE_SERVERS = tuple(MORE)
JUNOS, HUAWEI = ("qfx-1a", "qfx-1b"), ("ce-1a", "ce-1b")
JUNOS_ID, HUAWEI_ID = "00:00:00:00:00:01", "00:e0:fc:00:00:01"
"""The pairs' LACP system ids: ``system.mac`` of junos_pair and huawei_pair in the inventory."""
LAB_SESSION = object()


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("MLAGAUTO_USERNAME", "netops")
    mp.setenv("MLAGAUTO_PASSWORD", SECRET)
    inv, hosts = lab_inventory_copy(tmp_path_factory.mktemp("more_hosts"))
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    for server, (group, nics) in MORE.items():
        (iface,) = [i for i in groups[group]["data"]["mlag"]["mlag_interfaces"] if i["mlag_id"] == 1]
        iface["host"] = {"name": server, "nics": nics}
        hosts[server] = {"hostname": "127.0.0.1", "port": free_port(), "platform": "linux", "groups": [], "data": {}}
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups, sort_keys=False))
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    lab = Lab.from_inventory(inv).start()
    try:
        yield {"inv": inv, "hosts": hosts, "lab": lab, "fabric": load_fabric(inv)}
    finally:
        lab.stop()
        mp.undo()


def set_junos(env, switch: str, text: str) -> None:
    """Commit ``text`` as the whole configuration (Junos state follows the committed database)."""
    device = env["lab"].device(switch)
    with device.lock:
        device.release(device.lock_holder)
        device.load_text(LAB_SESSION, text, "override")
        device.commit(LAB_SESSION, "lab", "other")


def golden_text(switch: str, old: str | None = None, new: str = "") -> str:
    text = (GOLDEN / f"{switch}.cfg").read_text()
    if old is None:
        return text
    assert old in text, f"{switch} has no {old!r}"
    return text.replace(old, new, 1)


@pytest.fixture
def more_golden(more):
    """The golden configs on the Junos and Huawei pairs, before every test."""
    for name in JUNOS:
        set_junos(more, name, golden_text(name))
    for name in HUAWEI:
        more["lab"].device(name).running = golden_text(name)
    return more


def test_the_junos_and_huawei_servers_run_in_the_lab(more):
    described = {d["name"]: d for d in more["lab"].describe()}
    for server in MORE_SERVERS:
        assert described[server]["platform"] == "linux" and described[server]["port"] == more["hosts"][server]["port"]
    cables = {(c.nic, c.switch, c.port) for b in more["lab"].device("web1").bonds for c in b.cables}
    assert cables == {("ens1f0", "qfx-1a", "xe-0/0/1"), ("ens1f1", "qfx-1b", "xe-0/0/1")}


def test_golden_junos_and_huawei_pairs_give_clean_bonds(more_golden):
    states = read_bonds(more_golden, servers=MORE_SERVERS)
    for server, system_id, key, priority in (("web1", JUNOS_ID, 1, 100), ("web2", HUAWEI_ID, 301, 100)):
        assert [f for f in findings(more_golden, server, states) if f.severity.value != "info"] == [], server
        bond = states[server]["bond0"]
        assert len({s.aggregator_id for s in bond.slaves}) == 1 and bond.active_aggregator.ports == 2, server
        assert [s.partner.system_mac for s in bond.slaves] == [system_id, system_id], server
        assert {(s.partner.port_key, s.partner.system_priority) for s in bond.slaves} == {(key, priority)}, server
        assert {s.partner.port_state.timeout for s in bond.slaves} == {True}, server  # periodic fast / lacp timeout fast
        assert {s.partner.port_state.synchronization for s in bond.slaves} == {True}, server


def test_a_junos_peer_with_another_system_id(more_golden):
    """A hard MC-AE mismatch: the lab's state takes the status-control standby end (qfx-1b) down,
    so it sends no LACPDUs, and qfx-1a presents the system id it was given."""
    set_junos(more_golden, "qfx-1a", golden_text("qfx-1a", "system-id 00:00:00:00:00:01;", "system-id 00:00:00:00:00:99;"))
    states = read_bonds(more_golden, servers=("web1",))
    ens1f0, ens1f1 = states["web1"]["bond0"].slaves
    assert ens1f0.partner.system_mac == "00:00:00:00:00:99" and ens1f1.actor.port_state.defaulted
    found = errors(findings(more_golden, "web1", states))
    assert {("host-live-partner-system", "bond0 ens1f0"), ("host-live-lacp-state", "bond0 ens1f1"), ("host-live-aggregator-ports", "bond0")} <= found


def test_a_junos_peer_with_another_admin_key(more_golden):
    set_junos(more_golden, "qfx-1b", golden_text("qfx-1b", "admin-key 1;", "admin-key 9;"))
    states = read_bonds(more_golden, servers=("web1",))
    ens1f0, ens1f1 = states["web1"]["bond0"].slaves
    assert (ens1f0.partner.system_mac, ens1f0.partner.port_key) == (JUNOS_ID, 1)
    assert ens1f1.partner.system_mac == "00:00:00:00:00:00"
    found = errors(findings(more_golden, "web1", states))
    assert {("host-live-lacp-state", "bond0 ens1f1"), ("host-live-aggregator-ports", "bond0")} <= found
    assert ("host-live-lacp-state", "bond0 ens1f0") not in found
    far = switch_port(more_golden["lab"].device("qfx-1b"), "xe-0/0/1")
    assert (far.link, far.lacpdus) == (True, False) and "mc-ae 1 (ae1) down" in far.reason and "admin-key" in far.reason


def test_junos_without_a_system_id_presents_each_switch_mac(more_golden):
    """No ``lacp system-id`` on either end (no mismatch, both mc-ae ends up): each switch sends
    its own chassis MAC, so the server sees two partner systems and splits the bond."""
    for name in JUNOS:
        set_junos(more_golden, name, golden_text(name, "                system-id 00:00:00:00:00:01;\n"))
    states = read_bonds(more_golden, servers=("web1",))
    bond = states["web1"]["bond0"]
    macs = [s.partner.system_mac for s in bond.slaves]
    assert len(set(macs)) == 2 and JUNOS_ID not in macs
    assert len({s.aggregator_id for s in bond.slaves}) == 2
    rules = {rule for rule, _ in errors(findings(more_golden, "web1", states))}
    assert {"host-live-partner-system", "host-live-aggregator"} <= rules


def test_a_huawei_peer_in_manual_load_balance_defaults_that_slave(more_golden):
    device = more_golden["lab"].device("ce-1b")
    device.running = golden_text("ce-1b", " mode lacp-static\n lacp timeout fast\n", " mode manual load-balance\n")
    states = read_bonds(more_golden, servers=("web2",))
    ens2f0, ens2f1 = states["web2"]["bond0"].slaves
    assert ens2f0.partner.system_mac == HUAWEI_ID and ens2f1.partner.port_state.value == 1
    found = errors(findings(more_golden, "web2", states))
    assert {("host-live-lacp-state", "bond0 ens2f1"), ("host-live-aggregator-ports", "bond0")} <= found
    assert ("host-live-lacp-state", "bond0 ens2f0") not in found
    assert "manual load-balance" in switch_port(device, "10GE1/0/1").reason
    assert errors(findings(more_golden, "web1", read_bonds(more_golden, servers=("web1",)))) == set()  # the Junos pair is untouched


def test_a_huawei_trunk_system_id_overrides_the_global_one(more_golden):
    """``lacp m-lag system-id`` in one peer's Eth-Trunk view wins over the global one there (the
    consistency check is off by default, so both ends stay up)."""
    device = more_golden["lab"].device("ce-1b")
    device.running = golden_text("ce-1b", " dfs-group 1 m-lag 1\n", " lacp m-lag system-id 00e0-fc00-0099\n dfs-group 1 m-lag 1\n")
    states = read_bonds(more_golden, servers=("web2",))
    assert [s.partner.system_mac for s in states["web2"]["bond0"].slaves] == [HUAWEI_ID, "00:e0:fc:00:00:99"]
    found = errors(findings(more_golden, "web2", states))
    assert {("host-live-partner-system", "bond0 ens2f1"), ("host-live-aggregator", "bond0 ens2f1")} <= found


def test_a_shut_huawei_port_and_a_disabled_junos_port_are_slaves_down(more_golden):
    device = more_golden["lab"].device("ce-1a")
    device.running = golden_text("ce-1a", "interface 10GE1/0/1\n", "interface 10GE1/0/1\n shutdown\n")
    set_junos(more_golden, "qfx-1b", golden_text("qfx-1b", "    xe-0/0/1 {\n", "    xe-0/0/1 {\n        disable;\n"))
    states = read_bonds(more_golden, servers=MORE_SERVERS)
    assert [s.mii_status for s in states["web2"]["bond0"].slaves] == ["down", "up"]
    assert [s.mii_status for s in states["web1"]["bond0"].slaves] == ["up", "down"]
    assert ("host-live-slave-down", "bond0 ens2f0") in errors(findings(more_golden, "web2", states))
    assert ("host-live-slave-down", "bond0 ens1f1") in errors(findings(more_golden, "web1", states))


def test_a_switch_without_a_server_adapter_is_a_dead_link(more):
    not_a_switch = more["lab"].device("web1")  # a linux device has no server_port
    far = switch_port(not_a_switch, "eth0")
    assert (far.link, far.lacpdus) == (False, False) and "linux" in far.reason
    assert switch_port(None, None).reason == "no lab switch at the far end"
