"""The inventory's YAML reader: its fast resolver and builder give what PyYAML's own code gives
with the same type table, aliases included, and refuse what PyYAML refuses and a key given twice;
read in pieces on several processes, a text gives what it gives read whole."""

from __future__ import annotations

import datetime
import gc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mlagauto.inventory import InventoryError, load_fabric
from mlagauto import inventory_yaml
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
    except ValueError:  # PyYAML's constructors on ``!!int ten`` or ``._`` (a float by ruamel's table)
        return ("crashed",)


def _as_pyyaml(ours, reference) -> bool:
    """The inventory's loader reads what PyYAML reads and refuses what it refuses, with a YAML
    error where PyYAML's own constructor crashes (ruamel, and so Nornir, crashes there too)."""
    return ours == reference or (reference == ("crashed",) and ours[0] == "refused")


PLAIN = st.text(alphabet="0123456789+-._:xobeEnNaTtrufFlsyYO~ ", max_size=10)
SCALAR = st.one_of(PLAIN, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False), st.dates())
DATA = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(PLAIN, inner, max_size=4), max_leaves=30)


@given(DATA, st.booleans())
@settings(max_examples=300, deadline=None)
def test_reads_any_document_as_pyyaml_does(data, flow):
    """Dumped data (anchors and aliases where a part is shared), in block or flow style."""
    doc = {"first": data, "again": data, "items": [data, {"nested": data}]}
    text = yaml.dump(doc, default_flow_style=flow)
    assert _as_pyyaml(_read(text, Yaml12Loader), _read(text, REFERENCE)), text


@given(st.lists(PLAIN, min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_plain_scalars_everywhere_read_as_pyyaml_reads_them(values):
    """Plain scalars as keys, sequence items and values (the builder's inline string path)."""
    text = "".join(f"k{n}{v}: [{v}, {{{v}: {v}}}]\n" for n, v in enumerate(values))
    assert _as_pyyaml(_read(text, Yaml12Loader), _read(text, REFERENCE)), text


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
        "x: &d {p: 1, q: 2}\ny: {<<: *d, p: 3}\n",
        "[" * 900 + "]" * 900,
        "",
        "just a string",
    ],
)
def test_every_tag_merge_and_error_as_pyyaml(text):
    assert _as_pyyaml(_read(text, Yaml12Loader), _read(text, REFERENCE))


@pytest.mark.parametrize("text", ["a: !!int ten", "a: !!float abc", "a: !!timestamp soon", "a: [!!int 1x]", "a: {b: !!float .x}"])
def test_a_value_not_of_its_tags_type_is_a_yaml_error(text):
    with pytest.raises(yaml.YAMLError, match="is not a valid"):
        yaml.load(text, Loader=Yaml12Loader)


def test_aliases_are_one_object_and_recursion_is_kept():
    doc = yaml.load("a: &x {b: [1]}\nc: *x\nself: &s [*s]\n", Loader=Yaml12Loader)
    assert doc["a"] is doc["c"]
    assert doc["self"][0] is doc["self"]
    assert yaml.load("t: 2001-12-14", Loader=Yaml12Loader) == {"t": datetime.date(2001, 12, 14)}


def _example_copy(tmp_path):
    inv = tmp_path / "inv"
    inv.mkdir()
    for f in EXAMPLE.iterdir():
        (inv / f.name).write_bytes(f.read_bytes())
    return inv


def test_a_value_not_of_its_tags_type_is_an_inventory_error_naming_the_file(tmp_path):
    inv = _example_copy(tmp_path)
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


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1),
        ("pair:\n  mlag:\n    mlag_interfaces: []\n    domain_id: 1\n    mlag_interfaces: [1]\n", 5, 3),
        ("x: &d {p: 1}\ny:\n  <<: *d\n  q: 1\n  q: 2\n", 5, 4),
        ("a: {1: x, 01: y}\n", 1, 1),
    ],
)
def test_a_key_given_twice_is_a_yaml_error_naming_both_lines(text, line, first):
    """As Nornir's SimpleInventory (ruamel) refuses it; PyYAML would keep the last value and lose
    the first silently. A merged key that the mapping overrides is not given twice."""
    with pytest.raises(yaml.YAMLError, match=f"found duplicate key .* \\(first given on line {first}\\)") as err:
        yaml.load(text, Loader=Yaml12Loader)
    assert f"line {line}," in str(err.value)


def test_a_group_given_twice_is_an_inventory_error_naming_the_file(tmp_path):
    inv = _example_copy(tmp_path)
    groups = inv / "groups.yaml"
    text = groups.read_text()
    groups.write_text(text + "\n" + _first_group(text))  # a pair's group copied to the end
    with pytest.raises(InventoryError) as err:
        load_fabric(inv)
    assert str(groups) in str(err.value) and "found duplicate key" in str(err.value)


def _first_group(text: str) -> str:
    """The first top-level entry of a groups file, as text."""
    lines = text.splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if line[:1].isalpha()]
    return "".join(lines[starts[0] : starts[1]])


# --- reading in pieces ---------------------------------------------------------------------------
ENTRY = st.sampled_from(
    [
        "k{n}: {n}\n",
        "k{n}:\n  a: [x,\ny{n}]\n",  # a flow sequence running over a line at column 0
        'k{n}: "multi\nline{n}: x"\n',  # a quoted scalar continued at column 0, looking like a key
        "k{n}: {{p: 1,\nq{n}: 2}}\n",
        "k{n}: &a{n} {{x: {n}}}\n",
        "k{n}: *a{back}\n",  # an alias, maybe to an anchor in another piece
        "k{n}:\n  <<: *a{back}\n  z: 1\n",
        "# a comment\nk{n}: |\n  text\n\n  more\n",
        "k{n}:\n- 1\n- 2\n",
        '"quoted {n}": v\n',
        "? k{n}\n: v\n",
        "k{back}: again\n",  # a key given twice, maybe in two pieces
        "<<: {{m{n}: 1}}\n",
        "k{n}: x\n  y{n}\n",
        "%YAML 1.2\n---\nk{n}: 1\n",
        "---\nk{n}: 1\n",
        "k{n}: 1\n...\n",  # a document's end: a piece alone reads, the whole text does not
        "k{n}: !!timestamp 2001-12-14\n",
    ]
)


@given(st.lists(st.tuples(ENTRY, st.integers(0, 30)), min_size=2, max_size=30))
@settings(max_examples=150, deadline=None)
def test_a_text_read_in_pieces_reads_as_the_whole(entries):
    """Whatever the pieces hold (constructs continued at column 0, aliases across pieces, keys in
    two pieces, directives, top-level merges), the result or the error is the whole text's."""
    text = "".join(entry.format(n=n, back=min(back, n)) for n, (entry, back) in enumerate(entries))
    whole = _read(text, Yaml12Loader)
    saved = inventory_yaml.PARALLEL_MIN_CHARS
    inventory_yaml.PARALLEL_MIN_CHARS = 0
    try:
        assert _read_pieces(text) == whole, text
    finally:
        inventory_yaml.PARALLEL_MIN_CHARS = saved


def _read_pieces(text: str):
    try:
        return "ok", inventory_yaml.load(text, jobs=2)
    except yaml.YAMLError as exc:
        return "refused", type(exc).__name__, str(exc)


def test_a_plain_inventory_is_read_in_pieces_in_order():
    """The pieces are used (not every text falls back to one piece), cut at top-level keys only,
    and joined in the file's order."""
    text = "---\n# groups\n" + "".join(f"pair{n}:\n  data:\n    mlag:\n      domain_id: {n}\n      vlans: [{{id: 10, name: v}}]\n" for n in range(200))
    pieces = inventory_yaml._pieces(text, 2)
    assert len(pieces) == 8 and "".join(pieces) == text
    assert all(p.startswith("pair") for p in pieces[1:])
    joined = inventory_yaml._load_pieces(pieces, 2)
    assert joined == yaml.load(text, Loader=Yaml12Loader)
    assert list(joined) == [f"pair{n}" for n in range(200)]


def test_pieces_that_cannot_stand_alone_are_not_joined():
    shared = "a: &x {p: 1}\n" + "".join(f"k{n}: {n}\n" for n in range(50)) + "b: *x\n"
    assert inventory_yaml._load_pieces(inventory_yaml._pieces(shared, 2), 2) is None
    twice = "".join(f"k{n}: {n}\n" for n in range(50)) + "k0: again\n"
    assert inventory_yaml._load_pieces(inventory_yaml._pieces(twice, 2), 2) is None
    for after_a_key in ("---\nk99: 1\n", "...\n", "<<: {m: 1}\n", "%YAML 1.2\n"):
        assert inventory_yaml._pieces(twice + after_a_key, 2) == [], after_a_key
    assert len(inventory_yaml._pieces("%YAML 1.2\n---\n" + twice, 2)) > 1  # a header is piece 0's


def test_no_processes_are_started_beside_other_threads():
    import threading

    seen = []
    worker = threading.Thread(target=lambda: seen.append(inventory_yaml._workers(None)))
    worker.start()
    worker.join()
    assert seen == [1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_job_count_reaches_the_reader(monkeypatch, jobs):
    """``load_fabric(..., jobs)`` (the CLI's ``--jobs``) caps the processes that read each file:
    with 1 nothing is started; the inventory read is the same either way."""
    started = []
    real = inventory_yaml._load_pieces
    monkeypatch.setattr(inventory_yaml, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(inventory_yaml, "_load_pieces", lambda pieces, workers, on_piece=None: started.append(workers) or real(pieces, workers, on_piece))
    assert load_fabric(EXAMPLE, jobs) == load_fabric(EXAMPLE, 1)
    if jobs == 1:
        assert started == []
    else:
        assert started and set(started) == {2}
