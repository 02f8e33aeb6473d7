"""Brownfield import (``mlagauto.importer``, ``mlagauto import``).

The property: import then render then parse gives the PeerConfig the original configuration
parses to, on both hosts, for every pair of the example inventory and for generated domains.
Then: what the model cannot express is a review item (never dropped), the merge into an
existing inventory leaves everything else alone, and the CLI's exit codes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from mlagauto.drivers import get_driver
from mlagauto.import_cli import REPORT_NAME, import_command
from mlagauto.importer import import_configs, import_pair, write_inventory
from mlagauto.inventory import load_fabric
from mlagauto.model import MlagDomain
from tests.conftest import ROOT
from tests.test_properties import SETTINGS, domains

FIXTURES = Path(__file__).parent / "fixtures" / "import"
EXAMPLE = ROOT / "inventories" / "example"
SECRETS = {"authentication.password"}
"""Review items a lossless MLAG surface may still carry: a secret the device prints ciphered."""


def _parsed_renders(domain: MlagDomain):
    driver = get_driver(domain.platform)
    return [driver.parse_config(driver.render(domain, h), hostname=h) for h in domain.hostnames]


def _assert_round_trip(domain: MlagDomain, group: str | None = None) -> None:
    a, b = _parsed_renders(domain)
    result = import_pair(a, b, group)
    assert result.domain is not None, result.error
    assert {i.field for i in result.review} <= SECRETS, result.review
    assert _parsed_renders(result.domain) == [a, b]


@pytest.mark.parametrize("name", ["nxos_pair", "eos_pair", "junos_pair", "huawei_pair"])
def test_example_pairs_round_trip(name):
    _assert_round_trip(load_fabric(EXAMPLE).domain(name), name)


def test_example_import_writes_an_inventory_that_loads_to_the_same_surface(tmp_path):
    fabric = load_fabric(EXAMPLE)
    results = [import_pair(*_parsed_renders(d), d.name) for d in fabric.domains]
    write_inventory(results, tmp_path)
    loaded = load_fabric(tmp_path)
    for d in fabric.domains:
        assert _parsed_renders(loaded.domain(d.name)) == _parsed_renders(d)


@SETTINGS.__class__(SETTINGS, max_examples=25)
@given(domains("cisco_nxos"))
def test_generated_nxos_round_trip(domain):
    _assert_round_trip(domain)


@SETTINGS.__class__(SETTINGS, max_examples=25)
@given(domains("arista_eos"))
def test_generated_eos_round_trip(domain):
    _assert_round_trip(domain)


@SETTINGS.__class__(SETTINGS, max_examples=25)
@given(domains("juniper_junos"))
def test_generated_junos_round_trip(domain):
    _assert_round_trip(domain)


@SETTINGS.__class__(SETTINGS, max_examples=25)
@given(domains("huawei_vrpv8"))
def test_generated_huawei_round_trip(domain):
    _assert_round_trip(domain)


@SETTINGS.__class__(SETTINGS, max_examples=25)
@given(domains("juniper_junos"), st.sampled_from(["curly", "set"]))
def test_junos_renders_nothing_the_import_calls_unmodelled(domain, variant):
    """Every MC-LAG statement the driver renders is one the model holds."""
    driver = get_driver("juniper_junos")
    assert [driver.unmodelled_lines(driver.render(domain, h, variant)) for h in domain.hostnames] == [[], []]


def test_junos_statements_without_a_field_are_review_items_as_set_lines():
    junos = load_fabric(EXAMPLE).domain("junos_pair")
    driver = get_driver("juniper_junos")
    extra = {
        "qfx-1a": "protocols {\n    iccp {\n        peer 10.255.255.1 {\n            authentication-key \"$9$k.fz6\";\n            liveness-detection {\n                minimum-interval 300;\n            }\n        }\n    }\n}\n",
        "qfx-1b": "set interfaces ae1 aggregated-ether-options mc-ae events iccp-peer-down force-transition-to-active\nset protocols iccp peer 10.255.255.0 authentication-key secret\ndeactivate protocols iccp peer 10.255.255.0 authentication-key\n",
    }
    texts = [driver.render(junos, h) + extra[h] for h in junos.hostnames]
    a, b = (driver.parse_config(t, hostname=h) for t, h in zip(texts, junos.hostnames))
    result = import_pair(a, b, "junos_pair", texts=tuple(texts))
    unmodelled = {i.host: i.lines for i in result.review if i.field == "unmodelled"}
    assert unmodelled == {
        "qfx-1a": ["set protocols iccp peer 10.255.255.1 authentication-key $9$k.fz6", "set protocols iccp peer 10.255.255.1 liveness-detection minimum-interval 300"],
        "qfx-1b": ["set interfaces ae1 aggregated-ether-options mc-ae events iccp-peer-down force-transition-to-active"],
    }


def test_defaults_are_left_out_of_the_inventory():
    """NX-OS prints no VLAN 1 name, no default restore delay: the import does not spell them out."""
    nxos = load_fabric(EXAMPLE).domain("nxos_pair")
    result = import_pair(*_parsed_renders(nxos), "nxos_pair")
    assert "mode" not in result.group_data["stp"]  # rapid-pvst is the NX-OS default
    assert "vrf" not in result.host_data["nx-1a"]["keepalive"]  # management is the default
    assert result.group_data["mlag_interfaces"][2]["port_channel"] == {"nx-1a": 13, "nx-1b": 113}


def test_disagreeing_shared_value_and_unmodelled_option_are_review_items():
    (result,) = import_configs([FIXTURES])
    assert result.domain is not None and not result.lossless
    by_field = {i.field: i for i in result.review}
    delay = by_field["timers.restore_delay"]
    assert delay.host is None and delay.values == {"leaf1a": 150, "leaf1b": 240, "intent": 150}
    unmodelled = by_field["unmodelled"]
    assert unmodelled.host == "leaf1a" and unmodelled.lines == ["vpc domain 20: ip arp synchronize"]
    assert set(by_field) == {"timers.restore_delay", "unmodelled"}


def test_driver_explained_difference_is_not_a_review_item():
    """Junos renders LACP force-up on the primary only: the peers' configs differ, the intent does not."""
    junos = load_fabric(EXAMPLE).domain("junos_pair")
    a, b = _parsed_renders(junos)
    assert a.mlag_interface(3).lacp_fallback != b.mlag_interface(3).lacp_fallback
    result = import_pair(a, b)
    assert result.lossless
    assert result.domain.mlag_interfaces[2].lacp_fallback is True


def test_lag_on_one_peer_only_is_a_review_item():
    nxos = load_fabric(EXAMPLE).domain("nxos_pair")
    a, b = _parsed_renders(nxos)
    b = b.model_copy(update={"mlag_interfaces": [i for i in b.mlag_interfaces if i.mlag_id != 12]})
    result = import_pair(a, b)
    item = next(i for i in result.review if i.field == "mlag_interfaces[12]")
    assert item.host == "nx-1a" and item.values == {"nx-1a": "port-channel12", "nx-1b": None}


def test_unpaired_file_is_a_review_item(tmp_path):
    shutil.copy(FIXTURES / "leaf1a.cfg", tmp_path / "leaf1a.cfg")
    shutil.copy(FIXTURES / "leaf1b.cfg", tmp_path / "leaf1b.cfg")
    shutil.copy(ROOT / "golden_configs" / "qfx-1a.cfg", tmp_path / "qfx-1a.cfg")
    results = import_configs([tmp_path])
    assert [r.status for r in results] == ["review", "failed"]
    assert results[1].hosts == ["qfx-1a"] and results[1].review[0].field == "peer"


EXISTING_HOSTS = """\
---
# site A switches; credentials come from the environment
leaf1a:
  hostname: 10.9.0.1   # management address
  platform: cisco_nxos
  groups: [leaf1_pair, site_a]
  data:
    rack: R12
    mlag:
      role: primary
      keepalive: {source: 10.0.0.1, destination: 10.0.0.99}
      peer_link:
        port_channel: 1
        members: [Ethernet1/49]
        description: PEERLINK   # the switch has none: the import takes it out
core1:
  hostname: 10.9.0.100
  platform: cisco_nxos
"""

EXISTING_GROUPS = """\
---
site_a:
  data: {ntp: 10.1.1.1}
# the pair
leaf1_pair:
  connection_options: {netmiko: {extras: {fast_cli: false}}}
  data:
    owner: team-net
    mlag:
      domain_id: 20
      mlag_interfaces:
        - mlag_id: 21       # web01
          port_channel: 21
          members: [Ethernet1/1]
          vlans: "100"
          host: {name: web01, nics: [eno1, eno2]}
"""


def test_merge_keeps_unrelated_keys_and_comments(tmp_path):
    (tmp_path / "hosts.yaml").write_text(EXISTING_HOSTS)
    (tmp_path / "groups.yaml").write_text(EXISTING_GROUPS)
    (result,) = import_configs([FIXTURES])
    write_inventory([result], tmp_path)
    hosts, groups = (tmp_path / "hosts.yaml").read_text(), (tmp_path / "groups.yaml").read_text()
    for kept in ("# site A switches", "hostname: 10.9.0.1   # management address", "rack: R12", "core1:", "groups: [leaf1_pair, site_a]"):
        assert kept in hosts
    for kept in ("site_a:", "data: {ntp: 10.1.1.1}", "# the pair", "fast_cli: false", "owner: team-net", "- mlag_id: 21       # web01", "host: {name: web01, nics: [eno1, eno2]}"):
        assert kept in groups
    assert "10.0.0.99" not in hosts  # the stale keepalive destination is replaced
    assert "leaf1b:" in hosts
    fabric = load_fabric(tmp_path)
    domain = fabric.domain("leaf1_pair")
    assert domain.peer("leaf1a").keepalive.destination.compressed == "10.0.0.2"
    assert "PEERLINK" not in hosts and domain.peer("leaf1a").peer_link.description is None  # as the running config says
    assert domain.mlag_interfaces[0].host.name == "web01"
    assert domain.mlag_interfaces[0].vlans == [100, 200]


# --- the CLI -------------------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("import")(import_command)
    app.command("noop")(lambda: None)  # two commands, so that typer keeps the command name
    return app


def _run(*args: str):
    return CliRunner().invoke(_app(), ["import", *args])


def _write_renders(tmp_path: Path, domain: MlagDomain) -> list[Path]:
    driver = get_driver(domain.platform)
    paths = []
    for h in domain.hostnames:
        path = tmp_path / f"{h}.cfg"
        path.write_text(driver.render(domain, h))
        paths.append(path)
    return paths


def test_cli_lossless_pair_exits_0_and_writes(tmp_path):
    a, b = _write_renders(tmp_path, load_fabric(EXAMPLE).domain("eos_pair"))
    out = tmp_path / "inv"
    run = _run(str(a), str(b), "-o", str(out), "--group", "eos_pair")
    assert run.exit_code == 0, run.output
    assert load_fabric(out).domain("eos_pair").domain_name == "MLAG01"
    assert "Nothing to review" in (out / REPORT_NAME).read_text()


def test_cli_review_items_exit_1_and_write_nothing(tmp_path):
    out = tmp_path / "inv"
    run = _run("--configs", str(FIXTURES), "-o", str(out))
    assert run.exit_code == 1, run.output
    assert "timers.restore_delay" in run.output and "ip arp synchronize" in run.output
    assert not out.exists()


def test_cli_accept_partial_writes_inventory_and_report(tmp_path):
    out = tmp_path / "inv"
    run = _run(str(FIXTURES / "leaf1a.cfg"), str(FIXTURES / "leaf1b.cfg"), "-o", str(out), "--accept-partial")
    assert run.exit_code == 0, run.output
    report = (out / REPORT_NAME).read_text()
    assert "`timers.restore_delay`" in report and "leaf1a: 150; leaf1b: 240" in report
    assert "vpc domain 20: ip arp synchronize" in report
    assert load_fabric(out).domain("leaf1_pair").timers.restore_delay in (150, 240)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda d: [d / "missing.cfg", FIXTURES / "leaf1b.cfg"], "missing.cfg: file not found"),
        (lambda d: [_empty(d), FIXTURES / "leaf1b.cfg"], "empty.cfg: no cisco_nxos MLAG configuration"),
        (lambda d: [FIXTURES / "leaf1a.cfg", FIXTURES / "leaf1a.cfg"], "both of host leaf1a"),
        (lambda d: [FIXTURES / "leaf1a.cfg", ROOT / "golden_configs" / "qfx-1a.cfg"], "is cisco_nxos and"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_file(tmp_path, make, needle):
    run = _run(*map(str, make(tmp_path)), "-o", str(tmp_path / "inv"))
    assert run.exit_code == 2
    assert needle in run.output
    assert not (tmp_path / "inv").exists()


def _empty(directory: Path) -> Path:
    path = directory / "empty.cfg"
    path.write_text("hostname lonely\nfeature vpc\n")
    return path


def test_cli_without_configs_exits_2():
    run = _run()
    assert run.exit_code == 2
