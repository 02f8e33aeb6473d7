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
from netmiko import ConnectHandler

from mlagauto.checks.host_live import validate_bond
from mlagauto.hosts.bonding import parse_ip_link_json, parse_proc_bonding
from mlagauto.hosts.live import inventory_targets
from mlagauto.hosts.tasks import get_bond_states, prepare_servers
from mlagauto.inventory import load_fabric
from mlagauto.lab.lab import Lab
from mlagauto.nornir import init_nornir
from tests.conftest import GOLDEN
from tests.lab.conftest import SECRET, lab_inventory_copy

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


def read_bonds(env, sudo: bool = True) -> dict:
    """server -> bond -> BondState, through Nornir and get_bond_states."""
    nr = init_nornir(env["inv"])
    try:
        assert prepare_servers(nr, SERVERS) == []
        targets = inventory_targets(env["fabric"])
        bonds = {t.host: [t.bond] for t in targets}
        results = nr.filter(filter_func=lambda h: h.name in SERVERS).run(task=get_bond_states, bonds=bonds, sudo=sudo)
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
