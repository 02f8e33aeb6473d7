"""The simulated Nexus pair driven by the real clients: netmiko ``cisco_nxos`` and napalm
``nxos_ssh`` (open, get_config, load_merge_candidate, compare_config, commit_config, rollback),
the vPC state the two running configs produce, and the fault knobs at their commit and show
points."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from napalm import get_network_driver
from napalm.base.exceptions import MergeConfigException
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException

from mlagauto.lab.device import DeviceSpec, Faults
from mlagauto.lab.lab import Lab

GOLDEN = Path(__file__).resolve().parents[2] / "golden_configs"
USER, PASSWORD = "admin", "admin"


def golden(host: str) -> str:
    return (GOLDEN / f"{host}.cfg").read_text()


@pytest.fixture(scope="module")
def lab(module_port_factory: Callable[[], int]) -> Iterator[Lab]:
    """One pair shared by the module's tests."""
    specs = [DeviceSpec(name, "cisco_nxos", module_port_factory(), USER, PASSWORD) for name in ("nx-1a", "nx-1b")]
    with Lab(specs, [("nx-1a", "nx-1b")]) as running:
        yield running


@pytest.fixture(autouse=True)
def factory_fresh(lab: Lab) -> None:
    """Every test starts from two unconfigured switches without faults or files."""
    for device in lab.devices.values():
        device.running = device.initial_config()
        device.startup = device.running
        device.faults = Faults()
        device.files.clear()


def connect(lab: Lab, name: str = "nx-1a") -> BaseConnection:
    return ConnectHandler(device_type="cisco_nxos", host="127.0.0.1", port=lab.device(name).port, username=USER, password=PASSWORD)


def napalm_driver(lab: Lab, name: str = "nx-1a", **netmiko_args: object):
    args = {"port": lab.device(name).port, **netmiko_args}
    driver = get_network_driver("nxos_ssh")("127.0.0.1", USER, PASSWORD, timeout=10, optional_args=args)
    driver.open()
    return driver


def push(lab: Lab, name: str, lines: list[str]) -> str:
    with connect(lab, name) as conn:
        return conn.send_config_set(lines)


def show_json(lab: Lab, name: str, command: str) -> dict:
    with connect(lab, name) as conn:
        return json.loads(conn.send_command(f"{command} | json"))


def rows(table: dict, name: str, row: str) -> list[dict]:
    found = table[name][row]
    return [found] if isinstance(found, dict) else found


def form_pair(lab: Lab) -> None:
    """Both golden configs in place (pushing them with the clients is its own test)."""
    for name in ("nx-1a", "nx-1b"):
        lab.device(name).running = golden(name)


# --- netmiko ----------------------------------------------------------------------------------------
def test_netmiko_session_modes_and_errors(lab: Lab) -> None:
    with connect(lab) as conn:
        assert conn.find_prompt() == "nx-1a#"
        conn.send_config_set(["feature vpc", "vpc domain 5", "interface Ethernet1/7-8", "vlan 30"], exit_config_mode=False)
        assert conn.find_prompt() == "nx-1a(config-vlan)#"
        conn.send_config_set(["vpc domain 5"], enter_config_mode=False, exit_config_mode=False)
        assert conn.find_prompt() == "nx-1a(config-vpc-domain)#"
        conn.send_config_set(["interface Ethernet1/7-8"], enter_config_mode=False, exit_config_mode=False)
        assert conn.find_prompt() == "nx-1a(config-if-range)#"
        conn.exit_config_mode()
        assert conn.find_prompt() == "nx-1a#"
        # the marker sits under the unknown word, counted from the start of the prompt line
        assert conn.send_command("show bogus") == " " * len("nx-1a# show ") + "^\n% Invalid command at '^' marker."
        assert "% Invalid command at '^' marker." in conn.send_config_set(["interface Ethernet1/9", "bogus line"])
        assert "Copy complete" in conn.save_config()
        assert "NXOS: version 9.3(8)" in conn.send_command("show version")
        assert conn.send_command("sh hostname").strip() == "nx-1a"
        assert conn.send_command("dir bootflash:nothing.txt") == "No such file or directory"
    assert "vpc domain 5" in lab.device("nx-1a").startup


def test_config_reads_back_in_nxos_rendering(lab: Lab) -> None:
    """Blocks print in the device's own order whatever order they were typed in; default values
    are not printed; ``all`` adds them."""
    push(lab, "nx-1a", [
        "interface Ethernet1/2", "channel-group 7 mode on", "mtu 1500", "switchport mode access",
        "vlan 20", "feature vpc", "vpc domain 3", "peer-keepalive destination 10.0.0.2 source 10.0.0.1 vrf management",
    ])
    with connect(lab) as conn:
        plain = conn.send_command("show running-config")
        full = conn.send_command("show running-config all")
        vpc_view = conn.send_command("show running-config vpc")
    assert plain.startswith("!Command: show running-config\n!Running configuration last done at: ")
    body = plain.split("version 9.3(8) Bios:version", 1)[1]
    assert body.index("feature vpc") < body.index("vlan 1,20") < body.index("vpc domain 3") < body.index("interface port-channel7") < body.index("interface Ethernet1/2")
    assert "  channel-group 7\n" in body and "mtu 1500" not in body and "switchport mode access" not in body
    assert "  peer-keepalive destination 10.0.0.2 source 10.0.0.1\n" in body
    assert "  role priority 32667" in full and "  no auto-recovery" in full and "  mtu 1500" in full
    assert "vpc domain 3" in vpc_view and "interface Ethernet1/2" not in vpc_view


def test_domain_id_changes_only_after_removal(lab: Lab) -> None:
    push(lab, "nx-1a", ["feature vpc", "vpc domain 10"])
    refused = push(lab, "nx-1a", ["vpc domain 11"])
    assert "ERROR: Cannot change the vPC domain id" in refused
    push(lab, "nx-1a", ["terminal dont-ask", "no vpc domain 10", "vpc domain 11"])
    assert "vpc domain 11" in lab.device("nx-1a").running and "vpc domain 10" not in lab.device("nx-1a").running


# --- napalm nxos_ssh ---------------------------------------------------------------------------------
def test_napalm_merge_compare_commit_rollback(lab: Lab) -> None:
    device = lab.device("nx-1a")
    before = device.running
    driver = napalm_driver(lab)
    try:
        assert driver.is_alive() == {"is_alive": True}
        facts = driver.get_facts()
        assert facts["hostname"] == "nx-1a" and facts["os_version"] == "9.3(8)" and "Ethernet1/49" in facts["interface_list"]
        config = driver.get_config()
        assert config["running"].splitlines()[-1] == "  vrf member management" and "hostname nx-1a" in config["startup"]

        driver.load_merge_candidate(config=golden("nx-1a"))
        diff = driver.compare_config()
        assert "vpc domain 10\n  peer-switch" in diff and "interface port-channel11" in diff
        driver.commit_config()
        assert golden("nx-1a") in device.running and golden("nx-1a") in device.startup
        assert golden("nx-1a").strip() in driver.get_config(retrieve="running")["running"]
        assert "rollback_config.txt" in device.files

        driver.load_merge_candidate(config=golden("nx-1a"))
        assert driver.compare_config() == ""
        driver.discard_config()

        driver.rollback()
        assert device.running == before and device.startup == before
    finally:
        driver.close()


# --- vPC state ----------------------------------------------------------------------------------------
def test_golden_configs_form_the_pair(lab: Lab) -> None:
    for name in ("nx-1a", "nx-1b"):
        push(lab, name, golden(name).splitlines())
    roles = {}
    for name in ("nx-1a", "nx-1b"):
        vpc = show_json(lab, name, "show vpc")
        assert (vpc["vpc-peer-status"], vpc["vpc-peer-keepalive-status"], vpc["vpc-peer-consistency"]) == ("peer-ok", "peer-alive", "consistent")
        vpcs = rows(vpc, "TABLE_vpc", "ROW_vpc")
        assert {r["vpc-id"]: r["vpc-port-state"] for r in vpcs} == {11: 1, 12: 1, 13: 1, 14: 1}
        assert {r["vpc-id"]: r["up-vlan-bitset"] for r in vpcs} == {11: "10,20,30", 12: "20", 13: "30,40", 14: "10,20,30,40"}
        roles[name] = vpc["vpc-role"]
        summary = show_json(lab, name, "show port-channel summary")
        members = [m for row in rows(summary, "TABLE_channel", "ROW_channel") for m in rows(row, "TABLE_member", "ROW_member")]
        assert {m["port-status"] for m in members} == {"P"}
    assert roles == {"nx-1a": "primary", "nx-1b": "secondary"}
    with connect(lab, "nx-1b") as conn:
        text = conn.send_command("show vpc brief")
        role = conn.send_command("show vpc role")
        keepalive = conn.send_command("show vpc peer-keepalive")
    assert "Peer status                       : peer adjacency formed ok" in text
    assert "13    Po113         up     success     success               30,40" in text
    assert "vPC system-mac                  : 00:23:04:ee:be:0a" in role
    assert "--Destination                   : 192.168.0.11" in keepalive


def test_mismatched_domain_id_breaks_the_pair_and_fixing_it_restores_it(lab: Lab) -> None:
    form_pair(lab)
    domain = [line for line in golden("nx-1b").split("vpc domain 10\n", 1)[1].split("\n\n", 1)[0].splitlines()]
    push(lab, "nx-1b", ["terminal dont-ask", "no vpc domain 10", "vpc domain 11", *domain])
    for name in ("nx-1a", "nx-1b"):
        with connect(lab, name) as conn:
            text = conn.send_command("show vpc")
        assert "vPC keep-alive status             : peer is alive, but domain IDs do not match" in text
        assert "Peer status                       : peer link is down" in text
        assert "vPC role                          : none established" in text
        assert "11    Po11          down   failed      Consistency Check" in text
    push(lab, "nx-1b", ["terminal dont-ask", "no vpc domain 11", "vpc domain 10", *domain])
    vpc = show_json(lab, "nx-1a", "show vpc")
    assert vpc["vpc-peer-status"] == "peer-ok"
    assert all(r["vpc-port-state"] == 1 for r in rows(vpc, "TABLE_vpc", "ROW_vpc"))


def test_type1_mismatch_suspends_the_secondary_only(lab: Lab) -> None:
    form_pair(lab)
    push(lab, "nx-1b", ["interface port-channel11", "mtu 1500"])
    primary = show_json(lab, "nx-1a", "show vpc")
    secondary = show_json(lab, "nx-1b", "show vpc")
    p11 = next(r for r in rows(primary, "TABLE_vpc", "ROW_vpc") if r["vpc-id"] == 11)
    s11 = next(r for r in rows(secondary, "TABLE_vpc", "ROW_vpc") if r["vpc-id"] == 11)
    assert p11["vpc-port-state"] == 1 and p11["vpc-consistency"] == "inconsistent"
    assert s11["vpc-port-state"] == 0 and s11["vpc-consistency-status"] == "vPC type-1 configuration incompatible - MTU inconsistent"
    with connect(lab, "nx-1b") as conn:
        assert "11    Po11(SD)    Eth      LACP      Eth1/1(s)" in conn.send_command("show port-channel summary")
        params = conn.send_command("show vpc consistency-parameters vpc 11")
    assert "MTU                         1     1500                   9216" in params


def test_allowed_vlans_are_type2_and_a_one_sided_vpc_stays_down(lab: Lab) -> None:
    form_pair(lab)
    push(lab, "nx-1b", ["interface port-channel11", "switchport trunk allowed vlan remove 30", "interface port-channel14", "no vpc"])
    vpcs = {r["vpc-id"]: r for r in rows(show_json(lab, "nx-1a", "show vpc"), "TABLE_vpc", "ROW_vpc")}
    assert (vpcs[11]["vpc-port-state"], vpcs[11]["up-vlan-bitset"]) == (1, "10,20")
    assert (vpcs[14]["vpc-port-state"], vpcs[14]["vpc-consistency-status"]) == (0, "Consistency Check Not Performed")


def test_system_priority_mismatch_keeps_the_peer_link_down(lab: Lab) -> None:
    form_pair(lab)
    push(lab, "nx-1b", ["vpc domain 10", "system-priority 8192"])
    vpc = show_json(lab, "nx-1a", "show vpc")
    assert vpc["vpc-peer-status"] == "peer-link-down"
    assert vpc["vpc-peer-status-reason"] == "vPC domain/system id /system priority mismatch"


def test_equal_role_priorities_elect_the_lower_hostname(lab: Lab) -> None:
    form_pair(lab)
    lab.device("nx-1b").running = golden("nx-1b").replace("role priority 200", "role priority 100")
    assert show_json(lab, "nx-1a", "show vpc role")["vpc-current-role"] == "primary"
    assert show_json(lab, "nx-1b", "show vpc role")["vpc-current-role"] == "secondary"


def test_unconfigured_switch_reports_no_domain(lab: Lab) -> None:
    with connect(lab) as conn:
        text = conn.send_command("show vpc")
    assert "vPC domain id                     : Not configured" in text
    assert "Peer status                       : peer link not configured" in text


# --- faults -------------------------------------------------------------------------------------------
def test_reject_next_commit_fails_the_merge_and_napalm_rolls_back(lab: Lab) -> None:
    device = lab.device("nx-1a")
    before = device.running
    device.faults.reject_next_commit = True
    driver = napalm_driver(lab)
    try:
        driver.load_merge_candidate(config=golden("nx-1a"))
        with pytest.raises(MergeConfigException, match="automatic rollback attempted"):
            driver.commit_config()
    finally:
        driver.close()
    assert device.running == before and device.faults.reject_next_commit is False


def test_drop_on_commit_cuts_the_session_before_anything_changes(lab: Lab) -> None:
    device = lab.device("nx-1a")
    before = device.running
    device.faults.drop_on_commit = True
    # netmiko notices a closed channel only when a read times out: keep that short
    driver = napalm_driver(lab, read_timeout_override=2)
    driver.load_merge_candidate(config=golden("nx-1a"))
    with pytest.raises(Exception):
        driver.commit_config()
    assert device.running == before and device.faults.drop_on_commit is False
    assert napalm_driver(lab).get_config(retrieve="running")["running"].endswith("vrf member management")


def test_corrupt_output_garbles_one_show(lab: Lab) -> None:
    lab.device("nx-1a").faults.corrupt_output = True
    with connect(lab) as conn:
        first = conn.send_command("show vpc")
        second = conn.send_command("show vpc")
    assert first != second and "vPC domain id" in second


def test_delay_and_refused_login(lab: Lab) -> None:
    device = lab.device("nx-1a")
    with connect(lab) as conn:
        device.faults.delay = 0.3
        start = time.monotonic()
        conn.send_command("show hostname")
        assert time.monotonic() - start >= 0.3
        device.faults.delay = 0
    device.faults.refuse_login = True
    with pytest.raises(NetmikoAuthenticationException):
        connect(lab)
    with pytest.raises(NetmikoAuthenticationException):
        napalm_driver(lab)
