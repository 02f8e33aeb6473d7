"""Host render: golden files byte for byte, every format parsed back and compared with the model,
DHCP never on a member, the real tools' parsers where installed, and the CLI."""

from __future__ import annotations

import configparser
import json
import shutil
import subprocess

import pytest
import yaml
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.hosts.render import HostRenderError, host_entries, render_hosts, write_hosts
from mlagauto.inventory import fabric_from_dict
from tests.conftest import EXAMPLE, GOLDEN
from tests.test_hosts_model import pair

HOST_GOLDEN = GOLDEN / "hosts"
runner = CliRunner()


@pytest.fixture(scope="module")
def rendered(example_fabric):
    return render_hosts(example_fabric)


@pytest.fixture(scope="module")
def bonds(example_fabric):
    return {e.bond.host: e.bond for e in host_entries(example_fabric)}


def test_render_is_the_golden_files_byte_for_byte(rendered):
    expected = {str(p.relative_to(HOST_GOLDEN)) for p in HOST_GOLDEN.rglob("*") if p.is_file()}
    produced = {f"{h}/{name}" for h, files in rendered.items() for name in files}
    assert produced == expected
    for h, files in rendered.items():
        for name, text in files.items():
            assert text.encode() == (HOST_GOLDEN / h / name).read_bytes(), f"{h}/{name} differs from golden_configs/hosts"


def test_every_linux_host_gets_four_formats_and_truenas_one(rendered):
    assert {name.split("/")[0] for name in rendered["server1"]} == {"netplan", "networkmanager", "ifupdown", "systemd-networkd"}
    assert set(rendered["nas1"]) == {"truenas/bond0.json"}


def _ini(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in both keyfiles and systemd units
    parser.read_string(text)
    return parser


def test_netplan_parses_back_to_the_model(rendered, bonds):
    b = bonds["server1"]
    net = yaml.safe_load(rendered["server1"]["netplan/60-mlagauto-bond0.yaml"])["network"]
    bond = net["bonds"]["bond0"]
    assert bond["interfaces"] == b.nics == ["eno1", "eno2"]
    assert bond["parameters"] == {"mode": "802.3ad", "lacp-rate": "fast", "mii-monitor-interval": 100, "transmit-hash-policy": "layer3+4"}
    assert (bond["mtu"], bond["dhcp4"]) == (9000, True)
    assert all(net["ethernets"][n]["dhcp4"] is False and net["ethernets"][n]["dhcp6"] is False for n in b.nics)
    assert {k: (v["id"], v["link"], v.get("addresses")) for k, v in net["vlans"].items()} == {"bond0.20": (20, "bond0", None), "bond0.30": (30, "bond0", ["10.0.30.11/24"])}


def test_networkmanager_keyfiles_parse_back(rendered, bonds):
    files = rendered["server1"]
    bond = _ini(files["networkmanager/bond0.nmconnection"])
    assert dict(bond["connection"]) | {"uuid": None} == {"id": "bond0", "uuid": None, "type": "bond", "interface-name": "bond0", "autoconnect-slaves": "1"}
    assert dict(bond["bond"]) == {"lacp_rate": "fast", "miimon": "100", "mode": "802.3ad", "xmit_hash_policy": "layer3+4"}
    assert bond["ipv4"]["method"] == "auto" and bond["ethernet"]["mtu"] == "9000"
    uuids = set()
    for nic in bonds["server1"].nics:
        port = _ini(files[f"networkmanager/bond0-port-{nic}.nmconnection"])
        assert (port["connection"]["type"], port["connection"]["master"], port["connection"]["slave-type"], port["connection"]["interface-name"]) == ("ethernet", "bond0", "bond", nic)
        assert not port.has_section("ipv4") and not port.has_section("ipv6"), "no IP (so no DHCP) on a member"
        uuids.add(port["connection"]["uuid"])
    vlan = _ini(files["networkmanager/bond0.30.nmconnection"])
    assert (vlan["vlan"]["id"], vlan["vlan"]["parent"], vlan["ipv4"]["address1"], vlan["ipv4"]["method"]) == ("30", "bond0", "10.0.30.11/24", "manual")
    assert len(uuids | {bond["connection"]["uuid"], vlan["connection"]["uuid"]}) == 4


def test_systemd_networkd_units_parse_back(rendered):
    files = rendered["server1"]
    netdev = _ini(files["systemd-networkd/10-bond0.netdev"])
    assert dict(netdev["NetDev"]) == {"Name": "bond0", "Kind": "bond", "MTUBytes": "9000"}
    assert dict(netdev["Bond"]) == {"Mode": "802.3ad", "LACPTransmitRate": "fast", "TransmitHashPolicy": "layer3+4", "MIIMonitorSec": "100ms"}
    network = _ini(files["systemd-networkd/10-bond0.network"])
    assert network["Match"]["Name"] == "bond0" and network["Network"]["DHCP"] == "ipv4"
    for nic in ("eno1", "eno2"):
        port = _ini(files[f"systemd-networkd/20-bond0-{nic}.network"])
        assert dict(port["Network"]) == {"Bond": "bond0"}, "a member has Bond= and nothing else: no DHCP"
    vlan = _ini(files["systemd-networkd/30-bond0.30.netdev"])
    assert (vlan["NetDev"]["Kind"], vlan["VLAN"]["Id"]) == ("vlan", "30")


def _stanzas(text: str) -> dict[tuple[str, str], list[dict[str, str]]]:
    """A small reader of /etc/network/interfaces: ``{(iface, family): [{"method": ..., option: value}]}``
    and the ``auto`` names under ``("auto", "")``."""
    out: dict[tuple[str, str], list[dict[str, str]]] = {("auto", ""): []}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = line.split()
        if words[0] == "auto":
            out[("auto", "")].append({"name": n for n in words[1:]})
            current = None
        elif words[0] == "iface":
            current = {"method": words[3]}
            out.setdefault((words[1], words[2]), []).append(current)
        else:
            assert current is not None and line.startswith("    "), line
            current[words[0]] = " ".join(words[1:])
    return out


def test_ifupdown_parses_back(rendered, bonds):
    st = _stanzas(rendered["server1"]["ifupdown/bond0"])
    (bond,) = st[("bond0", "inet")]
    assert bond == {"method": "dhcp", "bond-slaves": "eno1 eno2", "bond-mode": "802.3ad", "bond-miimon": "100", "bond-lacp-rate": "fast", "bond-xmit-hash-policy": "layer3+4", "mtu": "9000"}
    for nic in bonds["server1"].nics:
        assert st[(nic, "inet")] == [{"method": "manual", "mtu": "9000"}]
    assert st[("bond0.30", "inet")] == [{"method": "static", "address": "10.0.30.11/24", "vlan-raw-device": "bond0", "mtu": "9000"}]
    assert [a["name"] for a in st[("auto", "")]] == ["bond0", "bond0.20", "bond0.30"]


def test_truenas_payload_parses_back(rendered, bonds):
    calls = json.loads(rendered["nas1"]["truenas/bond0.json"])
    assert [c["method"] for c in calls] == ["interface.create", "interface.create", "network.configuration.update", "interface.commit", "interface.checkin"]
    lag = calls[0]["params"][0]
    assert lag == {
        "type": "LINK_AGGREGATION", "name": "bond0", "description": "storage passive", "lag_protocol": "LACP",
        "lag_ports": bonds["nas1"].nics, "xmit_hash_policy": "LAYER3+4", "lacpdu_rate": "SLOW", "mtu": 9000,
        "ipv4_dhcp": False, "ipv6_auto": False, "aliases": [],
    }
    vlan = calls[1]["params"][0]
    assert (vlan["type"], vlan["vlan_parent_interface"], vlan["vlan_tag"], vlan["aliases"]) == ("VLAN", "bond0", 130, [{"type": "INET", "address": "10.1.30.10", "netmask": 24}])
    assert calls[2]["params"] == [{"ipv4gateway": "10.1.30.1"}]


def test_static_addresses_gateway_and_delays_reach_every_format():
    data = pair(host={"name": "srv", "nics": ["eno1", "eno2"], "addresses": ["10.0.10.5/24", "2001:db8::5/64"], "gateway": "10.0.10.1", "updelay": 200, "downdelay": 100, "ad_select": "bandwidth", "vlans": []})
    files = render_hosts(fabric_from_dict(data))["srv"]
    net = yaml.safe_load(files["netplan/60-mlagauto-bond0.yaml"])["network"]["bonds"]["bond0"]
    assert net["addresses"] == ["10.0.10.5/24", "2001:db8::5/64"] and net["routes"] == [{"to": "default", "via": "10.0.10.1"}]
    assert (net["parameters"]["up-delay"], net["parameters"]["down-delay"], net["parameters"]["ad-select"]) == (200, 100, "bandwidth")
    nm = _ini(files["networkmanager/bond0.nmconnection"])
    assert (nm["ipv4"]["address1"], nm["ipv4"]["gateway"], nm["ipv4"]["method"], nm["ipv6"]["address1"]) == ("10.0.10.5/24", "10.0.10.1", "manual", "2001:db8::5/64")
    assert (nm["bond"]["updelay"], nm["bond"]["downdelay"], nm["bond"]["ad_select"]) == ("200", "100", "bandwidth")
    st = _stanzas(files["ifupdown/bond0"])
    assert st[("bond0", "inet")][0]["address"] == "10.0.10.5/24" and st[("bond0", "inet")][0]["gateway"] == "10.0.10.1"
    assert st[("bond0", "inet6")] == [{"method": "static", "address": "2001:db8::5/64"}]
    network = _ini(files["systemd-networkd/10-bond0.network"])
    assert network["Network"]["Gateway"] == "10.0.10.1" and "DHCP" not in network["Network"]
    assert _ini(files["systemd-networkd/10-bond0.netdev"])["Bond"]["UpDelaySec"] == "200ms"


def test_two_bonds_with_one_name_on_one_host_are_refused():
    data = pair(host={"name": "srv", "nics": ["eno1", "eno2"]})
    second = dict(data["groups"]["p"]["mlag"]["mlag_interfaces"][0], mlag_id=12, port_channel=12, members=["Ethernet1/2"], host={"name": "srv", "nics": ["eno2", "eno3"]})
    data["groups"]["p"]["mlag"]["mlag_interfaces"].append(second)
    with pytest.raises(HostRenderError) as exc:
        host_entries(fabric_from_dict(data))
    text = str(exc.value)
    assert "mlag_interfaces[1].host.bond: bond0 of host srv is already" in text and "mlag_interfaces[1].host.nics: eno2" in text


@pytest.mark.skipif(shutil.which("netplan") is None, reason="netplan is not installed (Debian/Ubuntu: apt-get install netplan.io)")
def test_netplan_generate_accepts_the_files_and_writes_our_bond(tmp_path, rendered):
    for h, files in rendered.items():
        if "netplan/60-mlagauto-bond0.yaml" not in files:
            continue
        root = tmp_path / h
        (root / "etc" / "netplan").mkdir(parents=True)
        target = root / "etc" / "netplan" / "60-mlagauto-bond0.yaml"
        target.write_text(files["netplan/60-mlagauto-bond0.yaml"])
        target.chmod(0o600)
        result = subprocess.run(["netplan", "generate", "--root-dir", str(root)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        generated = _ini((root / "run" / "systemd" / "network" / "10-netplan-bond0.netdev").read_text())
        ours = _ini(files["systemd-networkd/10-bond0.netdev"])
        assert dict(generated["Bond"]) == dict(ours["Bond"]), h  # netplan's own networkd rendering agrees with ours


@pytest.mark.skipif(shutil.which("nmcli") is None, reason="NetworkManager's nmcli is not installed (apt-get install network-manager)")
def test_networkmanager_reads_every_keyfile_unchanged(rendered):
    """``nmcli --offline`` runs NetworkManager's keyfile reader and writer without a daemon: every
    profile must load, and the settings we wrote must come back as written (NetworkManager
    replaces an unknown bond mode silently, so the values are compared, not only the exit code)."""
    for h, files in rendered.items():
        for name, text in files.items():
            if not name.endswith(".nmconnection"):
                continue
            ours = _ini(text)
            result = subprocess.run(["nmcli", "--offline", "connection", "modify", "connection.id", ours["connection"]["id"]], input=text, capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, f"{h}/{name}: {result.stderr}"
            back = _ini(result.stdout)
            for section in ours.sections():
                for key, value in ours[section].items():
                    assert back[section][key] == value, f"{h}/{name}: [{section}] {key}"


def run(*args: str):
    return runner.invoke(app, ["hosts", *args], catch_exceptions=False)


def test_cli_render_writes_the_golden_tree(tmp_path):
    result = run("render", "-i", str(EXAMPLE), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(HOST_GOLDEN) for p in HOST_GOLDEN.rglob("*") if p.is_file())
    assert all(((tmp_path / "out" / p).stat().st_mode & 0o077) == 0 for p in written if p.suffix == ".nmconnection")


def test_cli_render_one_host_one_format_to_stdout():
    result = run("render", "-i", str(EXAMPLE), "--host", "pxe1", "--format", "systemd-networkd")
    assert result.exit_code == 0
    assert result.output.count("### pxe1/systemd-networkd/") == 6 and "Bond=bond0" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["render", "-i", str(EXAMPLE), "--host", "nobody"], ["--host nobody", "server1"]),
        (["render", "-i", str(EXAMPLE), "--format", "yaml"], ["--format yaml", "netplan"]),
        (["render", "-i", "/nonexistent"], ["/nonexistent"]),
        (["check", "-i", str(EXAMPLE), "--format", "html"], ["--format html"]),
    ],
)
def test_cli_bad_input_exits_2_naming_it(args, words):
    result = runner.invoke(app, ["hosts", *args])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.exception
    assert all(w in result.output for w in words), result.output


def test_cli_check_clean_example_and_json_of_a_broken_one(tmp_path):
    assert run("check", "-i", str(EXAMPLE)).exit_code == 0
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE, inv)
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    groups["nxos_pair"]["data"]["mlag"]["mlag_interfaces"][0]["host"]["lacp_rate"] = "slow"
    groups["eos_pair"]["data"]["mlag"]["mlag_interfaces"][2]["lacp_fallback"] = False
    del groups["eos_pair"]["data"]["mlag"]["mlag_interfaces"][2]["lacp_fallback_timeout"]
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups))
    result = run("check", "-i", str(inv), "--format", "json")
    assert result.exit_code == 1
    found = {(p["pair"], f["rule"], f["severity"]) for p in json.loads(result.output)["pairs"] for f in p["findings"]}
    assert found == {("server1 bond0 (nxos_pair mlag 11)", "host-lacp-rate", "warning"), ("pxe1 bond0 (eos_pair mlag 13)", "host-pxe", "error")}


def test_write_hosts_returns_what_it_wrote(tmp_path, rendered):
    paths = write_hosts({"nas1": rendered["nas1"]}, tmp_path)
    assert paths == [tmp_path / "nas1" / "truenas" / "bond0.json"]
