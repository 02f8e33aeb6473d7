"""``mlagauto hosts validate -i INV --outputs DIR``: the expectations come from the inventory (each
server's NICs, its effective mode and LACP rate, the pair's LACP system id as the platform
derives it), and each report names the server and the pair it hangs off."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlagauto.hosts.live import BondOutputsError, inventory_targets, nxos_vpc_system_mac, pair_system_id, validate_inventory_dir
from mlagauto.inventory import load_fabric
from tests.conftest import ROOT

EXAMPLE = ROOT / "inventories" / "example"
FIXTURES = ROOT / "tests" / "fixtures" / "hosts" / "bonding"


def _server1_output(name: str = "8023ad_healthy.txt") -> str:
    """A fixture bond renamed to server1's NICs (its partner is the vPC system MAC of domain
    10, LACP fast: server1's pair)."""
    return (FIXTURES / name).read_text().replace("ens1f0", "eno1").replace("ens1f1", "eno2")


def _outputs(tmp_path: Path, server1: str | None = None) -> Path:
    out = tmp_path / "out"
    (out / "server1").mkdir(parents=True)
    (out / "server1" / "proc_net_bonding_bond0.txt").write_text(server1 or _server1_output())
    for host, nics in (("pxe1", ["enp65s0f0", "enp65s0f1"]), ("nas1", ["enp1s0f0", "enp1s0f1"])):
        (out / host).mkdir()
        text = (FIXTURES / "8023ad_healthy.txt").read_text().replace("ens1f0", nics[0]).replace("ens1f1", nics[1])
        (out / host / "proc_net_bonding_bond0.txt").write_text(text.replace("LACP rate: fast", "LACP rate: slow"))
    return out


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlagauto.cli", "hosts", "validate", *args], capture_output=True, text=True, timeout=60)


def test_nxos_derives_the_vpc_system_mac_from_the_domain_id():
    assert nxos_vpc_system_mac(10) == "00:23:04:ee:be:0a"
    assert nxos_vpc_system_mac(255) == "00:23:04:ee:be:ff"
    assert nxos_vpc_system_mac(1000) == "00:23:04:ee:bf:e8"  # ten bits of domain id


def test_pair_system_id_per_platform():
    fabric = load_fabric(EXAMPLE)
    ids = {d.name: pair_system_id(d) for d in fabric.domains}
    assert ids == {"nxos_pair": "00:23:04:ee:be:0a", "eos_pair": None, "junos_pair": "00:00:00:00:00:01", "huawei_pair": "00:e0:fc:00:00:01"}
    huawei = next(d for d in fabric.domains if d.name == "huawei_pair")
    unset = huawei.model_copy(update={"system": huawei.system.model_copy(update={"mac": None})})
    assert pair_system_id(unset) == huawei.derived_system_mac  # VRP needs one: the driver renders the derived MAC


def test_targets_from_the_example_inventory():
    targets = {t.host: t for t in inventory_targets(load_fabric(EXAMPLE))}
    assert list(targets) == ["server1", "pxe1", "nas1"]
    s1 = targets["server1"]
    assert (s1.bond, s1.pair) == ("bond0", "nxos_pair mlag 11 (nx-1a + nx-1b)")
    assert s1.expect.model_dump() == {"system_id": "00:23:04:ee:be:0a", "lacp_rate": "fast", "slaves": ["eno1", "eno2"], "mode": "802.3ad"}
    assert targets["pxe1"].expect.model_dump() == {"system_id": None, "lacp_rate": "slow", "slaves": ["enp65s0f0", "enp65s0f1"], "mode": "802.3ad"}
    assert targets["nas1"].expect.slaves == ["enp1s0f0", "enp1s0f1", "enp2s0f0", "enp2s0f1"]


def test_static_lag_expects_no_system_id(tmp_path):
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE, inv)
    groups = yaml.safe_load((inv / "groups.yaml").read_text())
    lag = groups["nxos_pair"]["data"]["mlag"]["mlag_interfaces"][3]
    lag["host"] = {"name": "fw1", "nics": ["eth0", "eth1", "eth2", "eth3"]}
    (inv / "groups.yaml").write_text(yaml.safe_dump(groups))
    fw1 = next(t for t in inventory_targets(load_fabric(inv)) if t.host == "fw1")
    assert fw1.expect.model_dump() == {"system_id": None, "lacp_rate": None, "slaves": ["eth0", "eth1", "eth2", "eth3"], "mode": "balance-xor"}


def test_saved_outputs_against_the_inventory(tmp_path):
    reports = validate_inventory_dir(_outputs(tmp_path), inventory_targets(load_fabric(EXAMPLE)))
    assert [(r.pair, r.hosts) for r in reports] == [
        ("nxos_pair mlag 11 (nx-1a + nx-1b)", ["server1"]),
        ("eos_pair mlag 13 (eos-1a + eos-1b)", ["pxe1"]),
        ("eos_pair mlag 14 (eos-1a + eos-1b)", ["nas1"]),
    ]
    assert reports[0].findings == []
    nas1 = {(f.rule, f.object) for f in reports[2].findings if f.severity.value == "error"}
    assert ("host-live-slaves", "bond0 enp2s0f0") in nas1 and ("host-live-aggregator-ports", "bond0") in nas1


def test_a_partner_other_than_the_pairs_system_id_is_an_error(tmp_path):
    text = _server1_output().replace("00:23:04:ee:be:0a", "00:23:04:ee:be:0b")  # domain 11's
    (report, *_) = validate_inventory_dir(_outputs(tmp_path, text), inventory_targets(load_fabric(EXAMPLE)))
    partner = [f for f in report.findings if f.rule == "host-live-partner-system"]
    assert partner and {f.expected for f in partner} == {"00:23:04:ee:be:0a"}


def test_a_server_without_saved_outputs_is_bad_input(tmp_path):
    out = _outputs(tmp_path)
    shutil.rmtree(out / "nas1")
    with pytest.raises(BondOutputsError, match="nas1"):
        validate_inventory_dir(out, inventory_targets(load_fabric(EXAMPLE)))


def test_cli_offline_with_the_inventory(tmp_path):
    out = _outputs(tmp_path)
    ok = _cli("-i", str(EXAMPLE), "--outputs", str(out), "--host", "server1")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "nxos_pair mlag 11 (nx-1a + nx-1b): server1" in ok.stdout and "0 errors, 0 warnings" in ok.stdout
    every = _cli("-i", str(EXAMPLE), "--outputs", str(out), "--format", "json")
    assert every.returncode == 1
    pairs = json.loads(every.stdout)["pairs"]
    assert [p["hosts"] for p in pairs] == [["server1"], ["pxe1"], ["nas1"]]
    rate = _cli("-i", str(EXAMPLE), "--outputs", str(out), "--host", "server1", "--lacp-rate", "slow")
    assert rate.returncode == 0 and "host-live-lacp-rate" in rate.stdout  # the option overrides the inventory's rate
    shutil.rmtree(out / "pxe1")
    missing = _cli("-i", str(EXAMPLE), "--outputs", str(out))
    assert missing.returncode == 2 and "pxe1" in missing.stderr
    unknown = _cli("-i", str(EXAMPLE), "--outputs", str(out), "--host", "nobody")
    assert unknown.returncode == 2 and "the hosts are server1, pxe1, nas1" in unknown.stderr
    neither = _cli()
    assert neither.returncode == 2
