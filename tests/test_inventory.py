"""Inventory -> Fabric: the example loads, and bad input names the file, the host or group and
the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mlagauto.inventory import InventoryError, fabric_from_dict, fabric_from_nornir, load_fabric
from tests.conftest import EXAMPLE, ROOT


@pytest.fixture
def inv(tmp_path) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(EXAMPLE, dest)
    return dest


def edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def errors_of(inv: Path) -> list[str]:
    with pytest.raises(InventoryError) as info:
        load_fabric(inv)
    return info.value.messages


def test_example_has_one_pair_per_platform(example_fabric):
    assert sorted(d.platform for d in example_fabric.domains) == ["arista_eos", "cisco_nxos", "huawei_vrpv8", "juniper_junos"]
    for d in example_fabric.domains:
        assert len(d.mlag_interfaces) >= 4
        modes = {(i.mode, i.lacp_mode, i.lacp_fallback) for i in d.mlag_interfaces}
        assert any(m == "access" for m, _, _ in modes)
        assert any(m == "trunk" for m, _, _ in modes)
        assert any(fb for _, _, fb in modes)
        assert any(lacp in ("static", "passive") for _, lacp, _ in modes)
    vlan_sets = [frozenset(d.vlan_ids()) for d in example_fabric.domains]
    assert len(set(vlan_sets)) == len(vlan_sets)


def test_example_files_hold_no_credentials():
    for f in EXAMPLE.glob("*.yaml"):
        data = yaml.safe_load(f.read_text()) or {}
        items = data.values() if f.name != "defaults.yaml" else [data]
        for item in items:
            assert "password" not in (item or {}) and "username" not in (item or {}), f


def test_bad_host_field_names_file_host_and_field(inv):
    edit(inv / "hosts.yaml", lambda d: d["nx-1b"]["data"]["mlag"]["keepalive"].update(source="10.0.0.300"))
    msgs = errors_of(inv)
    assert any("hosts.yaml: host nx-1b: data.mlag.keepalive.source" in m and "10.0.0.300" in m for m in msgs), msgs


def test_bad_group_field_names_file_group_and_field(inv):
    edit(inv / "groups.yaml", lambda d: d["eos_pair"]["data"]["mlag"]["mlag_interfaces"][1].update(mode="hybrid"))
    msgs = errors_of(inv)
    assert any("groups.yaml: group eos_pair: data.mlag.mlag_interfaces[1].mode" in m for m in msgs), msgs


def test_semantic_problem_is_located(inv):
    edit(inv / "hosts.yaml", lambda d: d["qfx-1a"]["data"]["mlag"]["keepalive"].update(destination="192.168.0.99"))
    msgs = errors_of(inv)
    assert any("hosts.yaml: host qfx-1a: data.mlag.keepalive.destination" in m and "mirrored" in m for m in msgs), msgs


def test_unknown_key_is_rejected(inv):
    edit(inv / "groups.yaml", lambda d: d["nxos_pair"]["data"]["mlag"].update(domian_id=3))
    msgs = errors_of(inv)
    assert any("group nxos_pair: data.mlag.domian_id" in m for m in msgs), msgs


def test_host_outside_any_domain_group(inv):
    edit(inv / "hosts.yaml", lambda d: d["ce-1b"].update(groups=[]))
    msgs = errors_of(inv)
    assert any("host ce-1b: groups" in m for m in msgs)
    assert any("group huawei_pair: an MLAG domain needs exactly two hosts in the group, found 1 (ce-1a)" in m for m in msgs), msgs
    assert not any("data.mlag.peers" in m for m in msgs), msgs  # a field nobody writes


def test_injection_in_inventory_is_rejected(inv):
    edit(inv / "groups.yaml", lambda d: d["huawei_pair"]["data"]["mlag"]["mlag_interfaces"][0].update(description="x\nreturn\nsave"))
    msgs = errors_of(inv)
    assert any("group huawei_pair: data.mlag.mlag_interfaces[0].description" in m and "control character" in m for m in msgs), msgs


def test_broken_yaml_names_the_inventory(inv):
    (inv / "groups.yaml").write_text("nxos_pair:\n  data: [unclosed\n")
    msgs = errors_of(inv)
    assert str(inv) in msgs[0]


def test_missing_directory(tmp_path):
    with pytest.raises(InventoryError, match="not found"):
        load_fabric(tmp_path / "nope")


def test_plain_dict_for_library_users():
    fabric = fabric_from_dict(
        {
            "groups": {"p": {"mlag": {"domain_id": 5, "vlans": [{"id": 10}]}}},
            "hosts": {
                h: {
                    "platform": "cisco_nxos",
                    "groups": ["p"],
                    "mlag": {
                        "keepalive": {"source": src, "destination": dst},
                        "peer_link": {"port_channel": 1, "members": ["Ethernet1/1", "Ethernet1/2"]},
                    },
                }
                for h, src, dst in (("a", "10.0.0.1", "10.0.0.2"), ("b", "10.0.0.2", "10.0.0.1"))
            },
        }
    )
    assert fabric.domain_of("b").domain_id == 5


def test_any_nornir_inventory(tmp_path):
    from nornir import InitNornir

    nr = InitNornir(
        runner={"plugin": "serial"},
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(EXAMPLE / "hosts.yaml"),
                "group_file": str(EXAMPLE / "groups.yaml"),
                "defaults_file": str(EXAMPLE / "defaults.yaml"),
            },
        },
        logging={"enabled": False},
    )
    fabric = fabric_from_nornir(nr)
    assert fabric.hosts() == load_fabric(EXAMPLE).hosts()


def test_group_data_that_is_not_a_mapping_names_file_group_and_key(inv):
    edit(inv / "groups.yaml", lambda d: d.update(extra={"data": 1}))
    assert errors_of(inv) == [f"{inv / 'groups.yaml'}: group extra: data: must be a mapping, got int 1"]


def test_hosts_file_that_is_a_list_is_bad_input(inv):
    (inv / "hosts.yaml").write_text("- nx-1a\n- nx-1b\n")
    assert errors_of(inv) == [f"{inv / 'hosts.yaml'}: must map each host name to its settings, got a list"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update({"nx-1a": "cisco"}), "host nx-1a: must be a mapping of settings, got str 'cisco'"),
        (lambda d: d["nx-1a"].update(groups="nxos_pair"), "host nx-1a: groups: must be a list of group names, got str 'nxos_pair'"),
        (lambda d: d["nx-1a"].update(connection_options=[1]), "host nx-1a: connection_options: must be a mapping, got a list"),
    ],
)
def test_host_entries_of_the_wrong_shape(inv, mutate, expected):
    edit(inv / "hosts.yaml", mutate)
    assert errors_of(inv) == [f"{inv / 'hosts.yaml'}: {expected}"]


def test_defaults_data_that_is_not_a_mapping(inv):
    (inv / "defaults.yaml").write_text("data: [1, 2]\n")
    assert errors_of(inv) == [f"{inv / 'defaults.yaml'}: data: must be a mapping, got a list"]


def test_boolean_domain_id_and_empty_vlan_item_name_file_group_and_field(inv):
    def mutate(d):
        d["nxos_pair"]["data"]["mlag"]["domain_id"] = True
        d["nxos_pair"]["data"]["mlag"]["mlag_interfaces"][0]["vlans"] = "10,,20"

    edit(inv / "groups.yaml", mutate)
    msgs = errors_of(inv)
    assert f"{inv / 'groups.yaml'}: group nxos_pair: data.mlag.domain_id: is a boolean (true), not a number" in msgs, msgs
    assert any(m.startswith(f"{inv / 'groups.yaml'}: group nxos_pair: data.mlag.mlag_interfaces[0].vlans: ") and "empty item" in m for m in msgs), msgs


def test_plain_data_of_the_wrong_shape_is_an_inventory_error():
    with pytest.raises(InventoryError) as info:
        fabric_from_dict({"hosts": ["a"], "groups": {"p": 3}})
    assert info.value.messages == ["hosts: must map names to entries, got a list", "groups: p: must be a mapping, got int 3"]


def test_check_exits_2_on_a_scalar_group_data(inv):
    from typer.testing import CliRunner

    from mlagauto.cli import app

    edit(inv / "groups.yaml", lambda d: d.update(extra={"data": 1}))
    result = CliRunner().invoke(app, ["check", "-i", str(inv)])
    assert result.exit_code == 2
    assert "groups.yaml: group extra: data: must be a mapping" in result.stderr
    assert "Traceback" not in result.output


def _nornir_reading(path):
    """The same directory read by Nornir's own SimpleInventory, for comparison."""
    from nornir.plugins.inventory.simple import SimpleInventory

    from mlagauto.inventory import fabric_from_nornir

    inv = SimpleInventory(host_file=str(path / "hosts.yaml"), group_file=str(path / "groups.yaml"), defaults_file=str(path / "defaults.yaml")).load()
    return fabric_from_nornir(inv)


@pytest.mark.parametrize("name", ["example", "lab"])
def test_directory_reading_equals_nornirs_simple_inventory(name):
    path = ROOT / "inventories" / name
    assert load_fabric(path) == _nornir_reading(path)


def test_platform_inherited_from_groups_then_defaults_as_nornir_does(inv):
    """A platform set on a parent group or in defaults.yaml reaches the host, as in Nornir."""
    def move_platforms(hosts):
        for name in ("nx-1a", "nx-1b"):
            hosts[name].pop("platform")
            hosts[name]["groups"] = ["nxos_pair", "cisco"]
        for name in ("eos-1a", "eos-1b"):
            hosts[name].pop("platform")

    edit(inv / "hosts.yaml", move_platforms)
    edit(inv / "groups.yaml", lambda d: d.update(cisco={"platform": "cisco_nxos"}))
    (inv / "defaults.yaml").write_text("platform: arista_eos\n")
    fabric = load_fabric(inv)
    assert fabric == _nornir_reading(inv)
    assert fabric.domain("nxos_pair").platform == "cisco_nxos" and fabric.domain("eos_pair").platform == "arista_eos"


def test_a_group_that_is_its_own_ancestor_is_named(inv):
    edit(inv / "groups.yaml", lambda d: d.update(a={"groups": ["b"]}, b={"groups": ["a"]}))
    msgs = errors_of(inv)
    assert any("group a: groups: the group is its own ancestor" in m for m in msgs), msgs


def test_scalars_mean_what_they_mean_to_nornir(inv):
    """Nornir reads a SimpleInventory as YAML 1.2 (ruamel.yaml); a YAML 1.1 reader would make
    ``port_channel: 011`` port-channel 9 and ``description: on`` a boolean. The fabric sees what a
    Nornir task sees."""
    from mlagauto.nornir import init_nornir

    text = (inv / "groups.yaml").read_text()
    text = text.replace("          port_channel: 11\n          description: server1 bond0\n", "          port_channel: 011\n          description: on\n", 1)
    (inv / "groups.yaml").write_text(text)
    lag = next(i for i in load_fabric(inv).domain("nxos_pair").mlag_interfaces if i.mlag_id == 11)
    assert (lag.port_channel, lag.description) == (11, "on")
    nornir_lag = init_nornir(inv).inventory.groups["nxos_pair"].data["mlag"]["mlag_interfaces"][0]
    assert (nornir_lag["port_channel"], nornir_lag["description"]) == (11, "on")


SCALARS = st.text(alphabet="0123456789+-._:xobeEnNaTtrufFlsyYO~ ", min_size=0, max_size=12)


@given(st.lists(SCALARS, min_size=1, max_size=6))
@settings(max_examples=400, deadline=None)
def test_every_plain_scalar_reads_as_ruamel_reads_it(values):
    """The inventory loader and Nornir's YAML reader agree on every plain scalar: the same value,
    or both refuse the text."""
    import math

    from ruamel.yaml import YAML

    from mlagauto.inventory_yaml import Yaml12Loader

    text = "".join(f"k{n}: {v}\n" for n, v in enumerate(values))

    def read(load):
        try:
            return load(text)
        except Exception:  # both readers raise their own YAMLError kinds
            return "refused"

    ours, nornirs = read(lambda t: yaml.load(t, Loader=Yaml12Loader)), read(YAML(typ="safe").load)
    if isinstance(ours, dict) and isinstance(nornirs, dict):
        same = lambda a, b: (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) or (a == b and type(a) is type(b))  # noqa: E731
        assert ours.keys() == nornirs.keys() and all(same(ours[k], nornirs[k]) for k in ours), (text, ours, nornirs)
    else:
        assert ours == nornirs, (text, ours, nornirs)


@pytest.fixture
def read_in_pieces(monkeypatch):
    """Every inventory file read in pieces on two workers (as a large one is), and a count of the
    domains the build took from those validated while the pieces arrived."""
    from mlagauto import inventory, inventory_yaml, render

    monkeypatch.setattr(inventory_yaml, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(render, "available_cores", lambda: 2)
    taken: list[str] = []
    matches = inventory._Ahead.matches
    monkeypatch.setattr(inventory._Ahead, "matches", lambda self, data, hosts: matches(self, data, hosts) and not taken.append(self.domain.name))
    return taken


def test_domains_validated_while_the_groups_file_is_read_are_the_ones_built(inv, read_in_pieces):
    assert load_fabric(inv) == load_fabric(inv, 1)
    assert sorted(read_in_pieces) == ["eos_pair", "huawei_pair", "junos_pair", "nxos_pair"]


def test_a_platform_from_a_group_read_later_is_validated_again(inv, read_in_pieces):
    """The guess takes the platform from the groups read so far: the NX-OS pair's platform group
    comes after it in the file, so its early guess (the default platform) is not the build's."""
    def platform_from_group(hosts):
        for name in ("nx-1a", "nx-1b"):
            hosts[name].pop("platform")
            hosts[name]["groups"] = ["nxos_pair", "cisco"]

    edit(inv / "hosts.yaml", platform_from_group)
    edit(inv / "groups.yaml", lambda d: d.update(cisco={"platform": "cisco_nxos"}))
    (inv / "defaults.yaml").write_text("platform: arista_eos\n")
    fabric = load_fabric(inv)
    assert fabric == load_fabric(inv, 1) == _nornir_reading(inv)
    assert fabric.domain("nxos_pair").platform == "cisco_nxos"
    assert "nxos_pair" not in read_in_pieces and "eos_pair" in read_in_pieces


def test_members_through_a_parent_group_are_validated_by_the_build(inv, read_in_pieces):
    def via_site(hosts):
        for name in ("eos-1a", "eos-1b"):
            hosts[name]["groups"] = ["site_b"]

    edit(inv / "hosts.yaml", via_site)
    edit(inv / "groups.yaml", lambda d: d.update(site_b={"groups": ["eos_pair"]}))
    assert load_fabric(inv) == load_fabric(inv, 1) == _nornir_reading(inv)
    assert "eos_pair" not in read_in_pieces


def test_errors_are_the_build_s_own_when_read_in_pieces(inv, read_in_pieces):
    edit(inv / "groups.yaml", lambda d: d["junos_pair"]["data"]["mlag"].update(domain_id=True))
    edit(inv / "hosts.yaml", lambda d: d["nx-1b"]["data"]["mlag"].update(role="primary"))
    in_pieces = errors_of(inv)
    with pytest.raises(InventoryError) as serial:
        load_fabric(inv, 1)
    assert in_pieces == serial.value.messages and len(in_pieces) == 2


def test_pieces_read_again_as_a_whole_are_never_taken_ahead(inv, read_in_pieces):
    """An alias to an anchor of an earlier group: that piece does not parse alone, so the file is
    read again in one piece after the first pieces' domains were validated. Those were validated
    from objects the result does not hold, and the build validates every domain itself."""
    groups = inv / "groups.yaml"
    text = groups.read_text()
    assert "    domain_id: 10\n" in text.split("eos_pair:")[0]
    groups.write_text(text.replace("    domain_id: 10\n", "    domain_id: &nx 10\n", 1) + "\nnotes:\n  data: {ticket: *nx}\n")
    assert load_fabric(inv) == load_fabric(inv, 1)
    assert read_in_pieces == []


def test_a_domain_validated_ahead_is_taken_only_for_the_very_same_inputs(example_fabric):
    from mlagauto.inventory import _Ahead, _Host

    group, a, b = {"domain_id": 1}, {"role": "primary"}, {"role": "secondary"}
    platform = "cisco_nxos"
    ahead = _Ahead(group, [("sw1", platform, a), ("sw2", platform, b)], example_fabric.domains[0])
    hosts = [_Host("sw1", platform, [], a), _Host("sw2", platform, [], b)]
    assert ahead.matches(group, hosts)
    assert not ahead.matches(dict(group), hosts)  # equal, but read again
    assert not ahead.matches(group, hosts[:1])
    assert not ahead.matches(group, [hosts[0], _Host("sw2", platform, [], dict(b))])
    assert not ahead.matches(group, [hosts[0], _Host("sw2", "".join(["cisco_", "nxos"]), [], b)])  # another platform object
    assert not ahead.matches(group, hosts[::-1])
