"""Editing an indentation-style running configuration the way a CLI config mode does.

Dialects with a mode-based CLI (NX-OS, EOS, Huawei) keep their running config as a
``mlagauto.configtree.Node`` tree and change it line by line: a line that opens a mode (``interface
X``) finds or creates that block and enters it; any other line sets itself in the current block,
replacing a line with the same *key* (``description ...`` replaces the old description); ``no X`` /
``undo X`` removes what ``X`` set. What counts as a key is platform data the dialect passes in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from mlagauto.configtree import Node, parse_indented


def clone(node: Node) -> Node:
    """Deep copy of a tree (a candidate or checkpoint)."""
    return copy.deepcopy(node)


def from_text(text: str, comment_chars: str = "!#") -> Node:
    return parse_indented(text, comment_chars)


def find_child(parent: Node, text: str) -> Node | None:
    for child in parent.children:
        if child.text == text:
            return child
    return None


def ensure_child(parent: Node, text: str, order: Callable[[Node, Node], bool] | None = None) -> Node:
    """The child block ``text`` of ``parent``, appended (or inserted where ``order`` says it belongs:
    ``order(new, existing)`` is True when ``new`` goes before ``existing``) if missing."""
    found = find_child(parent, text)
    if found is not None:
        return found
    node = Node(text)
    if order is not None:
        for i, existing in enumerate(parent.children):
            if order(node, existing):
                parent.children.insert(i, node)
                return node
    parent.children.append(node)
    return node


def set_line(parent: Node, text: str, key: Callable[[str], str]) -> Node:
    """Set a leaf line in ``parent``: replace the child with the same key, or append."""
    k = key(text)
    for i, child in enumerate(parent.children):
        if key(child.text) == k:
            if child.text != text:
                replacement = Node(text)
                replacement.children = child.children
                parent.children[i] = replacement
                return replacement
            return child
    node = Node(text)
    parent.children.append(node)
    return node


def remove_lines(parent: Node, text: str, key: Callable[[str], str]) -> bool:
    """``no <text>``: remove the exact child, else every child with the same key. True if any went."""
    before = len(parent.children)
    exact = [c for c in parent.children if c.text == text]
    if exact:
        parent.children = [c for c in parent.children if c.text != text]
    else:
        k = key(text)
        parent.children = [c for c in parent.children if key(c.text) != k]
    return len(parent.children) != before


def render(node: Node, indent: str, block_separator: str | None = None, depth: int = 0) -> list[str]:
    """Lines of a tree with ``indent`` per level; ``block_separator`` (``!``, ``#`` or ``""``)
    printed after every top-level block."""
    out: list[str] = []
    for child in node.children:
        out.append(indent * depth + child.text)
        out.extend(render(child, indent, None, depth + 1))
        if depth == 0 and block_separator is not None:
            out.append(block_separator)
    return out


def diff_lines(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """A unified-style line diff (``+``/``-``) of two renderings, for compare/diff commands."""
    import difflib

    return [
        line
        for line in difflib.unified_diff(list(before), list(after), lineterm="", n=3)
        if not line.startswith(("---", "+++"))
    ]
