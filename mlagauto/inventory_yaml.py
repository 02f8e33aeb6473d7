"""The YAML reader of inventory files: PyYAML's libyaml parser with YAML 1.2 scalar types.

Nornir's SimpleInventory reads these files with ruamel.yaml, YAML 1.2; PyYAML alone is YAML 1.1,
where ``010`` is 8, ``1:20`` is 80, ``on``/``no`` are booleans and ``10:20:30:40:50:59`` is an
integer, so ``mlagauto check`` would judge values other than the ones a Nornir task sees. The
implicit types are taken from ruamel.yaml's own 1.2 table, so the two agree by construction;
ruamel itself is not the parser because its pure-Python reader is several times slower.

On a 1,000-pair inventory (27 MB, a million nodes) PyYAML's own resolver and constructor were
most of the time left after the parser, so the loader has a faster path for both (see
``Yaml12Loader``); what the path does not cover goes through PyYAML's own code. A file of
megabytes is read in pieces on every core (``load``). The module is imported only where an
inventory file is read.
"""

from __future__ import annotations

import gc
import marshal
import pickle
import re
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import yaml
from ruamel.yaml.resolver import implicit_resolvers
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

_TAG = "tag:yaml.org,2002:"
STR, SEQ, MAP, MERGE = (_TAG + t for t in ("str", "seq", "map", "merge"))


def yaml12_int(text: str) -> int:
    """A YAML 1.2 integer: ``0b``/``0o``/``0x`` prefixes, ``_`` ignored, leading zeros decimal."""
    if text.isdigit():
        return int(text)
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits.lstrip("+-")
    for prefix, radix in (("0b", 2), ("0o", 8), ("0x", 16)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], radix)
    return sign * int(digits)


_SCALARS: dict[str, Callable[[str], Any]] = {
    STR: str,
    _TAG + "int": yaml12_int,
    _TAG + "bool": lambda text: text.lower() == "true",
    _TAG + "null": lambda text: None,
}
"""Scalar tags built without PyYAML's constructor; others (float, timestamp, binary, a local
tag) go through it."""


def _not_of_its_type(node: Any) -> ConstructorError:
    """The YAML error for a text that is not of its explicit tag's type (``!!int ten``,
    ``!!float abc``, ``!!timestamp soon``), where the constructors raise ValueError or worse."""
    return ConstructorError(None, None, f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}", node.start_mark)


def _scalar(make: Callable[[str], Any], node: Any) -> Any:
    """``make(text)`` for a scalar node, a YAML error at the node for anything else."""
    if not isinstance(node.value, str):
        raise ConstructorError(None, None, f"expected a scalar for {node.tag}, found a {node.id}", node.start_mark)
    try:
        return make(node.value)
    except ValueError:
        raise _not_of_its_type(node) from None


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where the wheel has it


class Yaml12Loader(_Base):  # type: ignore[misc,valid-type]
    """The loader, for ``yaml.load(text, Loader=Yaml12Loader)``.

    ``resolve`` looks the candidate types up by first character in one table built once (PyYAML
    concatenates two lists per scalar and walks its path resolvers, which inventories never use).
    ``construct_document`` builds plain maps, sequences and the common scalars with one call per
    node; PyYAML's constructor makes a generator for every collection and then drains them in
    rounds. A merge key, a non-standard tag, or any other scalar type is handed to PyYAML's
    constructor for that node, sharing its table of built nodes, so an alias resolves to the same
    object either way."""

    yaml_implicit_resolvers: dict[Any, Any] = {}
    yaml_constructors = dict(_Base.yaml_constructors)
    _by_first: dict[str, tuple[tuple[str, Any], ...]] = {}
    _anywhere: tuple[tuple[str, Any], ...] = ()

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], self._anywhere):
                    if regexp.match(value):
                        return tag
            return STR
        return SEQ if kind is SequenceNode else MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def construct_document(self, node: Any) -> Any:
        try:
            return self._build(node)
        except RecursionError:  # nested deeper than the stack: PyYAML's builder needs no stack
            self.constructed_objects = {}
            return super().construct_document(node)
        finally:
            self.constructed_objects, self.recursive_objects, self.state_generators = {}, {}, []

    def _stock_scalar(self, node: Any) -> Any:
        """PyYAML's constructor for a float, a timestamp, a binary or a local tag."""
        try:
            return self.construct_object(node, deep=True)
        except (ValueError, AttributeError):
            raise _not_of_its_type(node) from None

    def _build(self, node: Any) -> Any:
        kind, tag = type(node), node.tag
        if kind is ScalarNode:
            if tag == STR:
                return node.value
            make = _SCALARS.get(tag)
            return _scalar(make, node) if make is not None else self._stock_scalar(node)
        built = self.constructed_objects
        if node in built:
            return built[node]
        build = self._build
        if kind is SequenceNode and tag == SEQ:
            items: list[Any] = []
            built[node] = items
            items.extend([child.value if type(child) is ScalarNode and child.tag == STR else build(child) for child in node.value])
            return items
        if kind is MappingNode and tag == MAP and not any(key.tag == MERGE for key, _ in node.value):
            mapping: dict[Any, Any] = {}
            built[node] = mapping
            for key_node, value_node in node.value:
                key = key_node.value if type(key_node) is ScalarNode and key_node.tag == STR else build(key_node)
                try:
                    hash(key)
                except TypeError:
                    raise ConstructorError("while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark) from None
                mapping[key] = value_node.value if type(value_node) is ScalarNode and value_node.tag == STR else build(value_node)
            if len(mapping) != len(node.value):
                _refuse_duplicate(node, [(key_node, build(key_node)) for key_node, _ in node.value])
            return mapping
        if kind is MappingNode:
            explicit = [(key_node, build(key_node)) for key_node, _ in node.value if key_node.tag != MERGE]
            try:
                unique = len({key for _, key in explicit}) == len(explicit)
            except TypeError:  # an unhashable key: PyYAML's constructor names it
                unique = True
            if not unique:
                _refuse_duplicate(node, explicit)
        return self.construct_object(node, deep=True)


def _refuse_duplicate(node: Any, keys: list[tuple[Any, Any]]) -> None:
    """Raise the YAML error for the first key given twice in a mapping. Nornir's SimpleInventory
    (ruamel) refuses such a file; PyYAML keeps the last value, so a group copied and edited, or a
    ``mlag_interfaces`` list given twice, would silently lose the first one."""
    first: dict[Any, Any] = {}
    for key_node, key in keys:
        if key in first:
            line = first[key].start_mark.line + 1
            raise ConstructorError("while constructing a mapping", node.start_mark, f"found duplicate key {key!r} (first given on line {line})", key_node.start_mark)
        first[key] = key_node


def _fill_tables() -> None:
    """ruamel's YAML 1.2 implicit types (compiled here: ruamel compiles lazily, behind a proxy
    consulted on every match), the scalar constructors, and the by-first-character table."""
    wanted = {_TAG + t for t in ("bool", "float", "int", "merge", "null", "timestamp")}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions and tag in wanted:
            Yaml12Loader.add_implicit_resolver(tag, re.compile(regexp.pattern, regexp.flags), first)
    for tag, make in _SCALARS.items():
        Yaml12Loader.add_constructor(tag, lambda loader, node, make=make: _scalar(make, node))
    anywhere = tuple(Yaml12Loader.yaml_implicit_resolvers.get(None, ()))
    Yaml12Loader._anywhere = anywhere
    Yaml12Loader._by_first = {first: (*map(tuple, found), *anywhere) for first, found in Yaml12Loader.yaml_implicit_resolvers.items() if first is not None}


_fill_tables()


PARALLEL_MIN_CHARS = 2_000_000
"""A text this long is read in pieces on several cores (libyaml reads about 3 MB a second here;
starting the worker processes costs a few tens of milliseconds)."""

_PIECE_START = re.compile(r"^[^\s#\-?:.%&*!|><\[\]{},@`]", re.M)
"""A line that can only be a key of the top-level block mapping: it starts at column 0 with a
character that begins a plain or quoted key, not a comment, a sequence entry, an explicit key or
value, a document marker, a directive, an anchor, alias or tag, a block scalar indicator, a merge
key or a flow indicator. In block context nothing else continues at column 0 (a multi-line plain
scalar's next line must be indented), so only a construct left open (a quoted scalar or a flow
collection running over such a line) makes the line anything else, and then the piece before it
fails to parse."""

_SERIAL_ONLY = re.compile(r"^(?:%|<<|---|\.\.\.)", re.M)
"""After the first top-level key: a directive or a document marker (a piece would read as a
document of its own where the whole text has two), or a top-level merge key (its keys come first
in the mapping). The text is then read in one piece."""


def load(text: str, jobs: int | None = None, on_piece: Callable[[dict[Any, Any]], None] | None = None) -> Any:
    """The document in ``text``, as ``yaml.load(text, Loader=Yaml12Loader)`` gives it.

    A long text whose top level is a block mapping (a SimpleInventory hosts or groups file) is cut
    at top-level keys into pieces that worker processes parse at once; their mappings are joined
    in order. Whatever the pieces cannot give exactly as the whole would (a piece that fails to
    parse or is not a mapping, an alias to an anchor in another piece, a key in two pieces), the
    text is read again in one piece, so the result and any error (its line numbers included) are
    the ones the whole text gives. ``jobs`` caps the processes (default: one per core; 1 reads
    in this process).

    ``on_piece`` is called in this process with each piece's mapping as it arrives, in order,
    while the workers still parse the pieces after it, so the caller can start on the entries.
    It is a head start only: the pieces may yet be discarded for the whole text, so what the
    caller makes of them must be checked against the result (``inventory`` reuses a domain
    validated ahead only where its inputs are the very objects of the result)."""
    workers = _workers(jobs) if len(text) >= PARALLEL_MIN_CHARS else 1
    pieces = _pieces(text, workers)
    if len(pieces) > 1:
        joined = _load_pieces(pieces, workers, on_piece)
        if joined is not None:
            return joined
    return yaml.load(text, Loader=Yaml12Loader)


def _workers(jobs: int | None) -> int:
    """Processes for a parallel read: none while other threads run (a process forked from a
    threaded one can inherit a lock held by another thread, forever)."""
    if threading.active_count() > 1:
        return 1
    from mlagauto.render import available_cores

    return max(1, min(jobs or available_cores(), available_cores()))  # more processes than cores only add start-ups


def _pieces(text: str, workers: int) -> list[str]:
    """``text`` cut at top-level keys into about four pieces per worker, in order."""
    if workers < 2:
        return []
    first_key = _PIECE_START.search(text)
    if first_key is None or _SERIAL_ONLY.search(text, first_key.start()):
        return []
    cuts = [0]
    for n in range(1, workers * 4):
        found = _PIECE_START.search(text, max(cuts[-1] + 1, len(text) * n // (workers * 4)))
        if found is None:
            break
        if found.start() > cuts[-1]:
            cuts.append(found.start())
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


def _load_pieces(pieces: list[str], workers: int, on_piece: Callable[[dict[Any, Any]], None] | None = None) -> dict[Any, Any] | None:
    """The pieces' mappings joined in order, or None where reading in pieces cannot be trusted
    to give what the whole text gives. Each mapping goes to ``on_piece`` as it arrives."""
    try:
        pool = ProcessPoolExecutor(min(workers, len(pieces)))
    except Exception:  # no processes here (a daemon process, a sandbox): read in one piece
        return None
    joined: dict[Any, Any] = {}
    with pool:
        try:
            blobs = pool.map(_load_piece, pieces)
        except Exception:  # the workers could not start
            return None
        while True:
            try:
                blob = next(blobs)
            except StopIteration:
                return joined
            except Exception:  # a worker died
                return None
            if blob is None:
                return None
            part = marshal.loads(memoryview(blob)[1:]) if blob[:1] == b"m" else pickle.loads(memoryview(blob)[1:])
            del blob  # the bytes are garbage once read; a piece's validation should not hold them
            if not joined.keys().isdisjoint(part):
                return None
            joined.update(part)
            if on_piece is not None:
                on_piece(part)


def _load_piece(text: str) -> bytes | None:
    """One piece's mapping, serialized to go back to the reading process (``marshal`` where the
    values are plain types, much faster than pickle for millions of small objects), or None if
    the piece is not a mapping on its own."""
    gc.disable()  # the worker only builds objects that live until it sends them
    try:
        data = yaml.load(text, Loader=Yaml12Loader)
    except yaml.YAMLError:
        return None
    if type(data) is not dict:
        return None
    try:
        return b"m" + marshal.dumps(data)
    except ValueError:  # a timestamp, or another type marshal does not know
        return b"p" + pickle.dumps(data)
