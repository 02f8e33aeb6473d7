"""Every way a user can hand the CLI bad input, one row each: bad paths, bad inventories, bad
configs and bad options. Each row must exit 2, print no traceback, and name what is wrong (the
file, the host or group, the field) so the user can fix it without reading code.

Rows run in-process with ``catch_exceptions=False``: an exception that escapes the CLI fails the
row instead of becoming an exit code."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from mlagauto.cli import app
from tests.conftest import EXAMPLE, GOLDEN

NX_A, NX_B = str(GOLDEN / "nx-1a.cfg"), str(GOLDEN / "nx-1b.cfg")


def inventory(tmp: Path, edit: Callable[[dict, dict], None] | None = None, name: str = "inv") -> str:
    """A copy of the example inventory, its hosts and groups passed through ``edit``."""
    target = tmp / name
    shutil.copytree(EXAMPLE, target)
    if edit is not None:
        hosts = yaml.safe_load((target / "hosts.yaml").read_text())
        groups = yaml.safe_load((target / "groups.yaml").read_text())
        edit(hosts, groups)
        (target / "hosts.yaml").write_text(yaml.safe_dump(hosts))
        (target / "groups.yaml").write_text(yaml.safe_dump(groups))
    return str(target)


def raw_file(tmp: Path, name: str, data: bytes) -> str:
    path = tmp / name
    path.write_bytes(data)
    return str(path)


def raw_inventory(tmp: Path, file: str, data: bytes) -> str:
    inv = inventory(tmp)
    (Path(inv) / file).write_bytes(data)
    return inv


def _misspell_group(hosts: dict, _groups: dict) -> None:
    hosts["nx-1a"]["groups"] = ["nxos_pari"]


def _drop_peer(hosts: dict, _groups: dict) -> None:
    del hosts["nx-1b"]


def _bad_vlan(_hosts: dict, groups: dict) -> None:
    groups["nxos_pair"]["data"]["mlag"]["vlans"][0]["id"] = 5000


def _bool_domain(_hosts: dict, groups: dict) -> None:
    groups["nxos_pair"]["data"]["mlag"]["domain_id"] = True


def _newline_description(_hosts: dict, groups: dict) -> None:
    groups["eos_pair"]["data"]["mlag"]["mlag_interfaces"][0]["description"] = "server\nreload"


def _bad_keepalive(hosts: dict, _groups: dict) -> None:
    hosts["nx-1a"]["data"]["mlag"]["keepalive"]["source"] = "192.168.0.300"


def _scalar_data(_hosts: dict, groups: dict) -> None:
    groups["extra"] = {"data": 1}


def _hosts_as_list(tmp: Path) -> str:
    inv = inventory(tmp)
    hosts = yaml.safe_load((Path(inv) / "hosts.yaml").read_text())
    (Path(inv) / "hosts.yaml").write_text(yaml.safe_dump([{k: v} for k, v in hosts.items()]))
    return inv


# (id, argv builder given a temp dir, substrings the message must contain)
ROWS: list[tuple[str, Callable[[Path], list[str]], list[str]]] = [
    # paths
    ("render -o under a missing root", lambda t: ["render", "-i", str(EXAMPLE), "-o", "/proc/nope"], ["/proc/nope"]),
    ("render -o an existing file", lambda t: ["render", "-i", str(EXAMPLE), "-o", raw_file(t, "exists.txt", b"x")], ["exists.txt", "not a folder"]),
    ("render --templates missing", lambda t: ["render", "-i", str(EXAMPLE), "--templates", str(t / "nope")], ["--templates", "nope"]),
    ("check -o in a missing folder", lambda t: ["check", "-i", str(EXAMPLE), "-f", "json", "-o", "/missing/x.json"], ["/missing/x.json", "/missing"]),
    ("check -o a folder", lambda t: ["check", "-i", str(EXAMPLE), "-o", str(t)], ["is a folder"]),
    ("check -o unwritable", lambda t: ["check", "-i", str(EXAMPLE), "-o", "/proc/x.txt"], ["/proc/x.txt"]),
    ("audit -o junit under /proc", lambda t: ["audit", NX_A, NX_B, "-f", "junit", "-o", "/proc/nope/x.xml"], ["/proc/nope/x.xml"]),
    ("audit --configs missing", lambda t: ["audit", "-i", str(EXAMPLE), "--configs", str(t / "nope")], ["nope", "not found"]),
    ("audit --configs without the host's file", lambda t: ["audit", "-i", str(EXAMPLE), "--configs", str(t)], ["no running config", "nx-1a"]),
    ("validate --outputs missing", lambda t: ["validate", "--outputs", str(t / "nope"), "-p", "cisco_nxos"], ["nope"]),
    ("validate -o in a missing folder", lambda t: ["validate", "--outputs", str(t), "-p", "cisco_nxos", "-o", str(t / "a" / "b.xml")], ["b.xml"]),
    ("rollback of an unknown run", lambda t: ["rollback", "-i", str(EXAMPLE), "nope", "--backups", str(t)], ["nope", "journal"]),
    ("check -i missing", lambda t: ["check", "-i", str(t / "nope")], ["nope", "not found"]),
    ("check -i without hosts.yaml", lambda t: ["check", "-i", str(t)], ["hosts.yaml", "not found"]),
    # inventories
    ("host in a misspelt group", lambda t: ["check", "-i", inventory(t, _misspell_group)], ["hosts.yaml", "nx-1a", "groups", "nxos_pari", "nxos_pair"]),
    ("hosts.yaml as a list", lambda t: ["check", "-i", _hosts_as_list(t)], ["hosts.yaml", "list"]),
    ("binary groups.yaml", lambda t: ["check", "-i", raw_inventory(t, "groups.yaml", b"\x7fELF\x02\x01\x01\x00\xd0\xc3\xff")], ["groups.yaml", "UTF-8"]),
    ("YAML syntax error", lambda t: ["check", "-i", raw_inventory(t, "hosts.yaml", b"nx-1a: [unclosed\n")], ["hosts.yaml", "YAML"]),
    ("a domain with one peer", lambda t: ["check", "-i", inventory(t, _drop_peer)], ["nxos_pair", "two hosts", "nx-1a"]),
    ("VLAN id out of range", lambda t: ["check", "-i", inventory(t, _bad_vlan)], ["groups.yaml", "nxos_pair", "vlans"]),
    ("boolean domain id", lambda t: ["check", "-i", inventory(t, _bool_domain)], ["nxos_pair", "domain_id"]),
    ("newline in a description", lambda t: ["render", "-i", inventory(t, _newline_description)], ["eos_pair", "description"]),
    ("bad keepalive address", lambda t: ["check", "-i", inventory(t, _bad_keepalive)], ["nx-1a", "keepalive"]),
    ("group data a scalar", lambda t: ["check", "-i", inventory(t, _scalar_data)], ["groups.yaml", "extra", "data"]),
    # configs
    ("audit a missing config", lambda t: ["audit", NX_A, str(t / "nope.cfg")], ["nope.cfg"]),
    ("audit a folder as a config", lambda t: ["audit", NX_A, str(t)], ["Is a directory"]),
    ("audit a binary config", lambda t: ["audit", NX_A, raw_file(t, "bin.cfg", b"\x7fELF\x00\x00")], ["bin.cfg", "not a text file"]),
    ("audit an empty config", lambda t: ["audit", NX_A, raw_file(t, "empty.cfg", b"")], ["empty.cfg", "empty"]),
    ("audit a config of no known platform", lambda t: ["audit", NX_A, raw_file(t, "x.cfg", b"hostname x\n")], ["x.cfg", "--platform"]),
    ("audit two platforms", lambda t: ["audit", NX_A, str(GOLDEN / "eos-1a.cfg")], ["cisco_nxos", "arista_eos"]),
    ("audit one config", lambda t: ["audit", NX_A], ["two running configs"]),
    ("parse a binary file", lambda t: ["parse", raw_file(t, "bin.cfg", b"\x00\x01")], ["bin.cfg"]),
    ("parse with the wrong platform", lambda t: ["parse", NX_A, "-p", "juniper_junos"], ["nx-1a.cfg", "cisco_nxos"]),
    # options
    ("unknown platform", lambda t: ["audit", NX_A, NX_B, "-p", "foo"], ["foo", "cisco_nxos"]),
    ("unknown report format", lambda t: ["check", "-i", str(EXAMPLE), "-f", "yaml"], ["--format", "yaml", "junit"]),
    ("unknown deploy format", lambda t: ["deploy", "-i", str(EXAMPLE), "-f", "junit"], ["--format", "junit", "json"]),
    ("unknown diff format", lambda t: ["diff", "-i", str(EXAMPLE), "-f", "yaml"], ["--format", "yaml", "text"]),
    ("unknown parse format", lambda t: ["parse", NX_A, "-f", "xml"], ["--format", "xml", "table"]),
    ("unknown render variant", lambda t: ["render", "-i", str(EXAMPLE), "--variant", "nope"], ["nope", "juniper_junos: curly, set", "huawei_vrpv8: v300, v200"]),
    ("render an unknown host", lambda t: ["render", "-i", str(EXAMPLE), "--host", "nope"], ["nope"]),
    ("deploy --limit an unknown pair", lambda t: ["deploy", "-i", str(EXAMPLE), "--limit", "nope"], ["--limit", "nope", "nxos_pair"]),
    ("schema of an unknown part", lambda t: ["schema", "--part", "nope"], ["nope", "group"]),
]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_bad_input_exits_2_naming_what_is_wrong(tmp_path, row):
    _, argv, named = row
    args = argv(tmp_path)
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 2, (args, text)
    assert "Traceback" not in text, text
    for part in named:
        assert part in text, (part, text)


def test_the_matrix_covers_every_kind_of_bad_input():
    """The closing note quotes this count; the matrix only grows."""
    assert len(ROWS) >= 40
