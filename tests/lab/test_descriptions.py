"""Descriptions with the characters a platform's CLI treats specially: those the platform takes
arrive on the (simulated) switch exactly as written, through the real clients, and read back the
same; those it cannot take are rejected by ``mlagauto check`` (exit 2, naming file, host or group
and field) before anything is rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.drivers import get_driver
from mlagauto.inventory import load_fabric
from mlagauto.lab.lab import Lab
from mlagauto.nornir import deploy_mlag, get_running_config, init_nornir
from tests.conftest import ROOT
from tests.lab.conftest import free_port

PUNCTUATION = "srv-1 bond0 #1 | a;b {x} [y] 'z' (p) <q> ! @ $ % ^ & * = + / ~ , . :"
"""What every platform takes: the characters other CLIs give a meaning (Junos ``; { } [ ] # |``,
shells ``| & $ ! < >``), inside one description."""

ALLOWED = [
    ("cisco_nxos", PUNCTUATION + " \\"),
    ("arista_eos", PUNCTUATION + ' \\ "quoted"'),
    ("juniper_junos", PUNCTUATION),
    ("juniper_junos", "a|b;c{d}#e"),
    ("juniper_junos", "a|b"),
    ("huawei_vrpv8", PUNCTUATION + " \\"),
]
"""Per platform, descriptions with every special character the platform takes (Junos: also one
without a space, which only its special characters make the renderer quote)."""

FORBIDDEN = {
    "cisco_nxos": ["what?", 'say "hi"', "café"],
    "arista_eos": ["what?", "café"],
    "juniper_junos": ['say "hi"', "back\\slash", "a ## b"],
    "huawei_vrpv8": ["what?", 'say "hi"', "café"],
}
"""Per platform, descriptions its CLI would read otherwise than written."""

GROUP = {"cisco_nxos": "nxos_pair", "arista_eos": "eos_pair", "juniper_junos": "junos_pair", "huawei_vrpv8": "huawei_pair"}


def _inventory(folder: Path, platform: str, description: str, peer_link_description: str | None = None) -> Path:
    """The lab inventory of ``platform``'s pair on free ports, with ``description`` on its first
    MLAG interface (and ``peer_link_description`` on its first host's peer-link)."""
    every_host = yaml.safe_load((ROOT / "inventories" / "lab" / "hosts.yaml").read_text())
    groups = yaml.safe_load((ROOT / "inventories" / "example" / "groups.yaml").read_text())
    group = GROUP[platform]
    hosts = {name: h for name, h in every_host.items() if group in h["groups"]}
    for host in hosts.values():
        host["port"] = free_port()
        if "lab" in host["data"]:
            http = host["data"]["lab"]["http_port"] = free_port()
            host["connection_options"]["napalm"]["extras"]["optional_args"]["port"] = http
    groups[group]["data"]["mlag"]["mlag_interfaces"][0]["description"] = description
    if peer_link_description is not None:
        first = next(iter(hosts.values()))
        first["data"]["mlag"]["peer_link"]["description"] = peer_link_description
    folder.mkdir()
    (folder / "groups.yaml").write_text(yaml.safe_dump({group: groups[group]}))
    (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    (folder / "defaults.yaml").write_text((ROOT / "inventories" / "lab" / "defaults.yaml").read_text())
    return folder


@pytest.mark.parametrize(("platform", "description"), ALLOWED)
def test_special_characters_arrive_exactly_as_written(tmp_path, monkeypatch, platform, description):
    monkeypatch.setenv("MLAGAUTO_USERNAME", "netops")
    monkeypatch.setenv("MLAGAUTO_PASSWORD", "Lab-Secret-4711")
    inventory = _inventory(tmp_path / "inv", platform, description)
    fabric = load_fabric(inventory)
    domain = fabric.domains[0]
    host = domain.hostnames[0]
    driver = get_driver(platform)
    with Lab.from_inventory(inventory):
        nr = init_nornir(inventory).filter(name=host)
        try:
            deployed = nr.run(task=deploy_mlag, fabric=fabric)[host]
            assert not deployed.failed, deployed.exception
            running = nr.run(task=get_running_config)[host]
            assert not running.failed, running.exception
        finally:
            nr.close_connections()
    parsed = driver.parse_config(running[0].result, hostname=host)
    lag = next(i for i in parsed.mlag_interfaces if i.mlag_id == domain.mlag_interfaces[0].mlag_id)
    assert lag.description == description


@pytest.mark.parametrize(("platform", "description"), [(p, d) for p, ds in sorted(FORBIDDEN.items()) for d in ds])
def test_forbidden_characters_are_rejected_by_check(tmp_path, platform, description):
    inventory = _inventory(tmp_path / "inv", platform, description)
    result = CliRunner().invoke(app, ["check", "-i", str(inventory)])
    assert result.exit_code == 2, result.output
    assert f"{inventory / 'groups.yaml'}: group {GROUP[platform]}: data.mlag.mlag_interfaces[0].description: " in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("platform", sorted(FORBIDDEN))
def test_a_forbidden_peer_link_description_names_the_host(tmp_path, platform):
    inventory = _inventory(tmp_path / "inv", platform, "server1", peer_link_description=FORBIDDEN[platform][0])
    host = next(iter(yaml.safe_load((inventory / "hosts.yaml").read_text())))
    result = CliRunner().invoke(app, ["check", "-i", str(inventory)])
    assert result.exit_code == 2, result.output
    assert f"{inventory / 'hosts.yaml'}: host {host}: data.mlag.peer_link.description: " in result.stderr


@pytest.mark.parametrize("platform", sorted(FORBIDDEN))
def test_newlines_and_control_characters_are_always_rejected(tmp_path, platform):
    inventory = _inventory(tmp_path / "inv", platform, "server1\nshutdown")
    result = CliRunner().invoke(app, ["check", "-i", str(inventory)])
    assert result.exit_code == 2
    assert "mlag_interfaces[0].description: contains a newline or control character" in result.stderr
