"""Migration of a pair to another platform (``mlagauto.migrate``, ``mlagauto migrate``).

The property: from each platform to each other, a generated domain migrates to a pair that
audits clean on the target and keeps every MLAG id, VLAN set, LACP mode and rate and member
count, except the conversions the migration reports (passive LACP and a static LAG's rate on
Huawei, which has neither; a static LAG on Junos, which needs LACP, flagged for review). Then: interface maps and rules, ids brought into the target's
ranges, what the target needs chosen and flagged, refusals that stop the migration, and the CLI.
"""

from __future__ import annotations

import itertools
from ipaddress import IPv4Network

import pytest
import typer
import yaml
from hypothesis import assume, given
from typer.testing import CliRunner

from mlagauto.drivers import get_driver
from mlagauto.inventory import load_fabric
from mlagauto.migrate import PASSWORD_PLACEHOLDER, InterfaceMap, InterfaceRule, MigrationInputError, migrate_domain
from mlagauto.migrate_cli import REPORT_NAME, migrate_command
from mlagauto.model import MlagDomain
from mlagauto.model.finding import Severity
from mlagauto.model.intent import PLATFORMS
from tests.conftest import ROOT
from tests.test_properties import SETTINGS, domains

EXAMPLE = ROOT / "inventories" / "example"
SUBNET = IPv4Network("10.254.0.0/31")
NXOS_RESERVED = range(3968, 4095)


def _surface(domain: MlagDomain) -> dict:
    """What must survive a migration, per host and LAG, from the driver's own projection."""
    driver = get_driver(domain.platform)
    out = {}
    for h in domain.hostnames:
        cfg = driver.peer_config(domain, h)
        out[h] = {lag.mlag_id: (sorted(lag.vlans), lag.mode, lag.lacp_mode, lag.lacp_rate, len(lag.members)) for lag in cfg.mlag_interfaces}
    return out


def _serious(findings) -> list:
    return [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]


def _check_migration(domain: MlagDomain, target: str) -> None:
    lo, hi = get_driver(target).domain_id_range
    chosen = None if lo == hi or lo <= domain.domain_id <= hi else hi  # a range wider than one id needs the user's choice
    m = migrate_domain(domain, target, peer_subnet=SUBNET, dfs_password="Dfs_Key_2024", domain_id=chosen)
    assert m.domain.platform == target
    assert m.domain.domain_id == (chosen or (lo if lo == hi else domain.domain_id))
    assert _serious(m.audit()) == []
    assert m.domain.vlan_ids() == domain.vlan_ids()
    before, after = _surface(domain), _surface(m.domain)
    converted = {n.field for n in m.notes if n.kind == "converted"}
    for host in domain.hostnames:
        assert after[host].keys() == before[host].keys()
        for mlag_id, (vlans, mode, lacp_mode, rate, members) in before[host].items():
            new_vlans, new_mode, new_lacp, new_rate, new_members = after[host][mlag_id]
            assert (new_vlans, new_mode, new_members) == (vlans, mode, members)
            if new_lacp != lacp_mode:
                assert (lacp_mode, new_lacp) in (("passive", "active"), ("static", "active")) and f"mlag_interfaces[{mlag_id}].lacp_mode" in converted
            if new_rate != rate:
                assert lacp_mode == "static" and f"mlag_interfaces[{mlag_id}].lacp_rate" in converted
            if lacp_mode == "static" and new_lacp != "static":
                assert any(n.field == f"mlag_interfaces[{mlag_id}].lacp_mode" and n.review for n in m.notes)


@pytest.mark.parametrize("source,target", [(s, t) for s, t in itertools.permutations(PLATFORMS, 2)])
def test_migrate_generated_domains_keep_the_mlag_surface(source, target):
    @SETTINGS.__class__(SETTINGS, max_examples=40)
    @given(domains(source))
    def check(domain):
        if target == "cisco_nxos":
            assume(not any(v.id in NXOS_RESERVED for v in domain.vlans))  # refused: see test_a_vlan_the_target_reserves...
        _check_migration(domain, target)

    check()


@pytest.mark.parametrize("name", ["nxos_pair", "eos_pair", "junos_pair"])
@pytest.mark.parametrize("target", PLATFORMS)
def test_example_pairs_migrate_and_audit_clean(name, target):
    domain = load_fabric(EXAMPLE).domain(name)
    if target == domain.platform:
        pytest.skip("same platform")
    _check_migration(domain, target)


def test_example_huawei_pair_needs_a_map_for_mixed_port_speeds():
    """10GE1/0/5 and 100GE1/0/5 have one last number: the default rule would merge them."""
    domain = load_fabric(EXAMPLE).domain("huawei_pair")
    with pytest.raises(MigrationInputError, match=r"100GE1/0/5 and 10GE1/0/5 both become Ethernet5"):
        migrate_domain(domain, "arista_eos")
    rules = InterfaceMap.from_specs(["10GE1/0/{n} -> Ethernet{n}", "100GE1/0/{n} -> Ethernet{n+48}"])
    m = migrate_domain(domain, "arista_eos", rules, peer_subnet=SUBNET)
    assert _serious(m.audit()) == []
    assert m.renames["ce-1a"]["100GE1/0/5"] == "Ethernet53"
    assert not any(n.kind == "renamed" and n.review for n in m.notes)


# --- interface names -----------------------------------------------------------------------------
def test_rule_maps_numbers_with_shift():
    rule = InterfaceRule.parse("Ethernet{slot}/{n} -> xe-{slot}/0/{n-1}")
    assert rule.apply("Ethernet1/7") == "xe-1/0/6"
    assert rule.apply("ethernet1/7") == "xe-1/0/6"
    assert rule.apply("Ethernet1/7/1") is None


@pytest.mark.parametrize(
    "text,needle",
    [("Ethernet1/{n}", "SOURCE -> TARGET"), ("Ethernet1/{n+1} -> Ethernet{n}", "target side"), ("Ethernet1/{n} -> Ethernet{m}", "{m} is not on the source side"), ("E{n}/{n} -> x{n}", "appears twice")],
)
def test_bad_rules_are_refused(text, needle):
    with pytest.raises(MigrationInputError, match=needle):
        InterfaceRule.parse(text)


def test_map_file_sections_and_precedence(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text(yaml.safe_dump({"interfaces": {"Ethernet1/1": "Ethernet9"}, "hosts": {"nx-1b": {"Ethernet1/1": "Ethernet10"}}, "rules": ["Ethernet1/{n} -> Ethernet{n}"]}))
    imap = InterfaceMap.from_specs([str(path)])
    assert imap.lookup("nx-1a", "Ethernet1/1") == "Ethernet9"
    assert imap.lookup("nx-1b", "Ethernet1/1") == "Ethernet10"
    assert imap.lookup("nx-1a", "Ethernet1/2") == "Ethernet2"
    plain = tmp_path / "plain.yaml"
    plain.write_text("Ethernet1/1: Ethernet3\n")
    assert InterfaceMap.from_specs([str(plain)]).lookup("x", "Ethernet1/1") == "Ethernet3"


@pytest.mark.parametrize("content,needle", [("[a, b]", "expected a mapping"), ("Ethernet1/1: [x]", "expected an interface name"), ("Ethernet1/1: \"a\\nb\"", "expected an interface name"), ("rules: Ethernet", "rules: expected a list"), ("{{", "not readable YAML")])
def test_bad_map_files_name_the_file(tmp_path, content, needle):
    path = tmp_path / "map.yaml"
    path.write_text(content)
    with pytest.raises(MigrationInputError, match=needle) as exc:
        InterfaceMap.load(path)
    assert str(path) in str(exc.value)


def test_interfaces_missing_from_an_explicit_map_stop_the_migration():
    domain = load_fabric(EXAMPLE).domain("nxos_pair")
    with pytest.raises(MigrationInputError, match=r"does not name: nx-1a Ethernet1/49, nx-1a Ethernet1/50"):
        migrate_domain(domain, "arista_eos", InterfaceMap(shared={"Ethernet1/1": "Ethernet1"}), peer_subnet=SUBNET)


def test_per_host_maps_make_per_host_members():
    domain = load_fabric(EXAMPLE).domain("nxos_pair")
    imap = InterfaceMap(hosts={"nx-1b": {"Ethernet1/1": "Ethernet31"}}, rules=[InterfaceRule.parse("Ethernet1/{n} -> Ethernet{n}")])
    m = migrate_domain(domain, "arista_eos", imap, peer_subnet=SUBNET)
    lag = next(i for i in m.domain.mlag_interfaces if i.mlag_id == 11)
    assert lag.members_on("nx-1a") == ["Ethernet1"] and lag.members_on("nx-1b") == ["Ethernet31"]
    assert _serious(m.audit()) == []


def test_management_keepalive_port_maps_to_the_targets_own():
    domain = load_fabric(EXAMPLE).domain("junos_pair")
    peers = [p.model_copy(update={"keepalive": p.keepalive.model_copy(update={"interface": "em0", "prefix_length": 24})}) for p in domain.peers]
    m = migrate_domain(domain.model_copy(update={"peers": peers}), "cisco_nxos")
    assert {p.keepalive.interface for p in m.domain.peers} == {"mgmt0"}


# --- numbers, choices and refusals -----------------------------------------------------------------
def _nxos(**changes) -> MlagDomain:
    data = load_fabric(EXAMPLE).domain("nxos_pair").model_dump(exclude_defaults=True)
    data.update(changes)
    return MlagDomain.model_validate(data)


def test_huawei_target_gets_domain_1_and_a_flagged_placeholder_password():
    m = migrate_domain(_nxos(timers={}), "huawei_vrpv8")
    assert m.domain.domain_id == 1 and m.domain.authentication.password == PASSWORD_PLACEHOLDER
    assert {n.field for n in m.review} >= {"authentication.password", "interfaces"}
    assert next(n for n in m.notes if n.field == "domain_id").before == 10
    m = migrate_domain(_nxos(timers={}), "huawei_vrpv8", dfs_password="Pair_Key_77")
    assert m.domain.authentication.password == "Pair_Key_77"
    assert "authentication.password" not in {n.field for n in m.review}


def test_timers_are_brought_into_the_targets_range():
    m = migrate_domain(_nxos(), "huawei_vrpv8")
    note = next(n for n in m.notes if n.field == "timers.auto_recovery_delay")
    assert (note.kind, note.before, note.after) == ("converted", 300, 180)
    assert m.domain.timers.auto_recovery is True


def test_junos_numbers_outside_the_targets_ranges_are_renumbered():
    domain = load_fabric(EXAMPLE).domain("junos_pair")
    data = domain.model_dump(exclude_defaults=True)
    for p in data["peers"]:
        p["peer_link"]["port_channel"] = 0
    data["mlag_interfaces"][0]["mlag_id"] = 5000
    m = migrate_domain(MlagDomain.model_validate(data), "arista_eos")
    assert all(p.peer_link.port_channel >= 1 for p in m.domain.peers)
    assert sum(n.field == "peer_link.port_channel" and n.before == 0 for n in m.notes) == 2
    assert 5000 not in {i.mlag_id for i in m.domain.mlag_interfaces}
    assert any(n.field == "mlag_interfaces[5000].mlag_id" and n.kind == "converted" for n in m.notes)
    assert _serious(m.audit()) == []


def test_domain_id_outside_nxos_range_needs_a_choice():
    domain = load_fabric(EXAMPLE).domain("junos_pair").model_copy(update={"domain_id": 5000})
    with pytest.raises(MigrationInputError, match=r"--domain-id"):
        migrate_domain(domain, "cisco_nxos")
    assert migrate_domain(domain, "cisco_nxos", domain_id=50).domain.domain_id == 50
    with pytest.raises(MigrationInputError, match=r"takes 1-1000"):
        migrate_domain(domain, "cisco_nxos", domain_id=2000)


def test_a_vlan_the_target_reserves_stops_the_migration_naming_it():
    data = load_fabric(EXAMPLE).domain("eos_pair").model_dump(exclude_defaults=True)
    data["vlans"].append({"id": 4000})
    with pytest.raises(MigrationInputError, match=r"vlans\[4000\]\.id: VLAN 4000 is in NX-OS's reserved range"):
        migrate_domain(MlagDomain.model_validate(data), "cisco_nxos")


def test_peer_vlan_and_addresses_are_chosen_for_a_peer_vlan_platform():
    data = load_fabric(EXAMPLE).domain("huawei_pair").model_dump(exclude_defaults=True)
    data["vlans"].append({"id": 4094, "name": "USED"})
    ports = InterfaceMap.from_specs(["10GE1/0/{n} -> xe-0/0/{n}", "100GE1/0/{n} -> et-0/0/{n}"])
    m = migrate_domain(MlagDomain.model_validate(data), "juniper_junos", ports, peer_subnet=IPv4Network("10.9.9.0/30"))
    assert m.domain.peer_vlan == 4093
    assert [str(p.peer_address) for p in m.domain.peers] == ["10.9.9.1/30", "10.9.9.2/30"]
    assert not any(n.field == "peer_address" and n.review for n in m.notes)
    default = migrate_domain(MlagDomain.model_validate(data), "juniper_junos", ports)
    assert any(n.field == "peer_address" and n.review for n in default.notes)


def test_every_dropped_option_is_a_note_with_the_targets_reason():
    m = migrate_domain(_nxos(), "arista_eos", peer_subnet=SUBNET)
    dropped = {n.field: n for n in m.notes if n.kind == "dropped"}
    assert {"peer_gateway", "peer_switch", "timers.auto_recovery", "timers.auto_recovery_delay"} <= dropped.keys()
    assert "peer-gateway" in dropped["peer_gateway"].message
    assert dropped["peer_gateway"].before is True
    assert m.domain.peer_gateway is False


def test_same_or_unknown_platform_is_refused():
    domain = load_fabric(EXAMPLE).domain("eos_pair")
    with pytest.raises(MigrationInputError, match="already runs"):
        migrate_domain(domain, "arista_eos")
    with pytest.raises(MigrationInputError, match="unknown platform"):
        migrate_domain(domain, "cisco_ios")


# --- the command ------------------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("migrate")(migrate_command)
    app.command("noop")(lambda: None)  # two commands, so that typer keeps the command name
    return app


def _run(*args: str):
    return CliRunner().invoke(_app(), ["migrate", *args])


def test_cli_clean_migration_exits_0_and_writes_inventory_configs_report(tmp_path):
    out = tmp_path / "new"
    result = _run("-i", str(EXAMPLE), "--pair", "eos_pair", "--to", "juniper_junos", "-m", "Ethernet{n} -> xe-0/0/{n-1}", "--domain-id", "7", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "eos_pair on juniper_junos: audit 0 errors, 0 warnings" in result.output
    loaded = load_fabric(out).domain("eos_pair")
    assert loaded.platform == "juniper_junos" and loaded.domain_id == 7
    driver = get_driver("juniper_junos")
    for h in loaded.hostnames:
        assert (out / "configs" / f"{h}.cfg").read_text() == driver.render(loaded, h)
    report = (out / REPORT_NAME).read_text()
    assert "| dropped | (both) | `domain_name` |" in report and "xe-0/0/48" in report
    assert "None" not in result.output


def test_cli_review_items_exit_1_with_files_written(tmp_path):
    result = _run("-i", str(EXAMPLE), "--pair", "nxos_pair", "--to", "huawei_vrpv8", "-o", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "review chosen authentication.password" in result.output
    assert load_fabric(tmp_path).domain("nxos_pair").platform == "huawei_vrpv8"


def test_cli_in_place_migration_keeps_the_rest_of_the_inventory(tmp_path):
    inv = tmp_path / "inv"
    inv.mkdir()
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        if (EXAMPLE / name).is_file():
            (inv / name).write_text((EXAMPLE / name).read_text())
    hosts_before = yaml.safe_load((inv / "hosts.yaml").read_text())
    result = _run("-i", str(inv), "--pair", "nxos_pair", "--to", "arista_eos", "--peer-subnet", "10.254.0.0/31", "-o", str(inv))
    assert result.exit_code == 1, result.output  # the default interface rename is flagged
    hosts_after = yaml.safe_load((inv / "hosts.yaml").read_text())
    for h in ("nx-1a", "nx-1b"):
        assert hosts_after[h]["platform"] == "arista_eos"
        assert {k: v for k, v in hosts_after[h].items() if k not in ("platform", "data")} == {k: v for k, v in hosts_before[h].items() if k not in ("platform", "data")}
        assert "variant" not in hosts_after[h]["data"]["mlag"]
    for h in set(hosts_before) - {"nx-1a", "nx-1b"}:
        assert hosts_after[h] == hosts_before[h]
    fabric = load_fabric(inv)
    assert {d.name: d.platform for d in fabric.domains}["nxos_pair"] == "arista_eos"


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--pair", "nope", "--to", "arista_eos"], "no MLAG pair 'nope'"),
        (["--pair", "nxos_pair", "--to", "ios"], "unknown platform"),
        (["--pair", "nxos_pair", "--to", "arista_eos", "--peer-subnet", "10.0.0.1/31"], "--peer-subnet"),
        (["--pair", "nxos_pair", "--to", "arista_eos", "-m", "missing.yaml"], "missing.yaml: file not found"),
        (["--pair", "huawei_pair", "--to", "arista_eos"], "both become Ethernet5"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, args, needle):
    out = tmp_path / "out"
    result = _run("-i", str(EXAMPLE), *args, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert not out.exists()


def test_cli_is_registered():
    from mlagauto.cli import app

    result = CliRunner().invoke(app, ["migrate", "--help"])
    assert result.exit_code == 0 and "--interface-map" in result.output

