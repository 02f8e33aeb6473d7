"""The inventory's YAML reader: its fast resolver and builder give what PyYAML's own code gives
with the same type table, aliases included, and refuse what PyYAML refuses."""

from __future__ import annotations

import datetime
import gc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mlagauto.inventory import InventoryError, load_fabric
from mlagauto.inventory_yaml import Yaml12Loader
from tests.conftest import EXAMPLE


REFERENCE = type("Reference", (Yaml12Loader.__mro__[1],), {"yaml_implicit_resolvers": Yaml12Loader.yaml_implicit_resolvers, "yaml_constructors": Yaml12Loader.yaml_constructors})
"""PyYAML's own resolve and construct_document over the same implicit types and scalar
constructors as the inventory's loader."""


def _read(text: str, loader):
    try:
        return "ok", yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        return "refused", type(exc).__name__, str(exc)


PLAIN = st.text(alphabet="0123456789+-._:xobeEnNaTtrufFlsyYO~ ", max_size=10)
SCALAR = st.one_of(PLAIN, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False), st.dates())
DATA = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(PLAIN, inner, max_size=4), max_leaves=30)


@given(DATA, st.booleans())
@settings(max_examples=300, deadline=None)
def test_reads_any_document_as_pyyaml_does(data, flow):
    """Dumped data (anchors and aliases where a part is shared), in block or flow style."""
    doc = {"first": data, "again": data, "items": [data, {"nested": data}]}
    text = yaml.dump(doc, default_flow_style=flow)
    assert _read(text, Yaml12Loader) == _read(text, REFERENCE), text


@given(st.lists(PLAIN, min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_plain_scalars_everywhere_read_as_pyyaml_reads_them(values):
    """Plain scalars as keys, sequence items and values (the builder's inline string path)."""
    text = "".join(f"k{n}{v}: [{v}, {{{v}: {v}}}]\n" for n, v in enumerate(values))
    assert _read(text, Yaml12Loader) == _read(text, REFERENCE), text


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, y: 2}\nover: {<<: *b, y: 3}\nmany: {<<: [*b, {z: 4}], x: 0}\n",
        "when: 2001-12-14\nat: 2001-12-14t21:59:43.10-05:00\nbin: !!binary aGVsbG8=\nset: !!set {a, b}\n",
        "odd: !!omap [a: 1, b: 2]\npairs: !!pairs [a: 1, a: 2]\nstr: !!str 010\nint: !!int '0x10'\n",
        "? [1, 2]\n: unhashable\n",
        "? {a: 1}\n: unhashable\n",
        "a: !!int ten\n",
        "a: !!int [1]\n",
        "a: !!str {b: 1}\n",
        "a: !local 1\n",
        "a: *nowhere\n",
        "a: 1\na: 2\n",
        "[" * 900 + "]" * 900,
        "",
        "just a string",
    ],
)
def test_every_tag_merge_and_error_as_pyyaml(text):
    assert _read(text, Yaml12Loader) == _read(text, REFERENCE)


@pytest.mark.parametrize("text", ["a: !!int ten", "a: !!float abc", "a: !!timestamp soon", "a: [!!int 1x]", "a: {b: !!float .x}"])
def test_a_value_not_of_its_tags_type_is_a_yaml_error(text):
    with pytest.raises(yaml.YAMLError, match="is not a valid"):
        yaml.load(text, Loader=Yaml12Loader)


def test_aliases_are_one_object_and_recursion_is_kept():
    doc = yaml.load("a: &x {b: [1]}\nc: *x\nself: &s [*s]\n", Loader=Yaml12Loader)
    assert doc["a"] is doc["c"]
    assert doc["self"][0] is doc["self"]
    assert yaml.load("t: 2001-12-14", Loader=Yaml12Loader) == {"t": datetime.date(2001, 12, 14)}


def test_a_value_not_of_its_tags_type_is_an_inventory_error_naming_the_file(tmp_path):
    inv = tmp_path / "inv"
    inv.mkdir()
    for f in EXAMPLE.iterdir():
        (inv / f.name).write_bytes(f.read_bytes())
    groups = inv / "groups.yaml"
    groups.write_text(groups.read_text().replace("domain_id: 10", "domain_id: !!int ten", 1))
    with pytest.raises(InventoryError) as err:
        load_fabric(inv)
    assert str(groups) in str(err.value) and "'ten' is not a valid int" in str(err.value)


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        load_fabric(EXAMPLE)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
