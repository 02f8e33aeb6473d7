"""The YAML reader of inventory files: PyYAML's libyaml parser with YAML 1.2 scalar types.

Nornir's SimpleInventory reads these files with ruamel.yaml, YAML 1.2; PyYAML alone is YAML 1.1,
where ``010`` is 8, ``1:20`` is 80, ``on``/``no`` are booleans and ``10:20:30:40:50:59`` is an
integer, so ``mlagauto check`` would judge values other than the ones a Nornir task sees. The
implicit types are taken from ruamel.yaml's own 1.2 table, so the two agree by construction;
ruamel itself is not the parser because its pure-Python reader is several times slower.

On a 1,000-pair inventory (27 MB, a million nodes) PyYAML's own resolver and constructor were
most of the time left after the parser, so the loader has a faster path for both (see
``Yaml12Loader``); what the path does not cover goes through PyYAML's own code. The module is
imported only where an inventory file is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
            return mapping
        return self.construct_object(node, deep=True)


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
