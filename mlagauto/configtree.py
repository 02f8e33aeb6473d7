"""A small, fast text tree for running configurations.

Two shapes cover the four platforms:

* indentation trees (NX-OS two spaces, EOS three spaces with ``!`` separators, Huawei one space
  with ``#`` separators): ``parse_indented(text)`` returns the root ``Node``;
* Junos, in either ``show configuration`` curly-brace form or ``display set`` form:
  ``junos_set_lines(text)`` returns every statement as its full token path, the way
  ``| display set`` prints it, so one parser reads both forms.

hier_config 3 builds a richer tree and is kept for remediation; this one only has to be fast
(one pass, no regular expressions per line) because audits parse thousands of configs.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator


class Node:
    """A configuration line and the lines indented below it."""

    __slots__ = ("text", "children")

    def __init__(self, text: str):
        self.text = text
        self.children: list[Node] = []

    def __repr__(self) -> str:
        return f"Node({self.text!r}, {len(self.children)} children)"

    def __iter__(self) -> Iterator[Node]:
        return iter(self.children)

    def find(self, prefix: str) -> Iterator[Node]:
        """Children whose text is ``prefix`` or starts with ``prefix`` followed by a space."""
        spaced = prefix + " "
        for c in self.children:
            if c.text == prefix or c.text.startswith(spaced):
                yield c

    def first(self, prefix: str) -> Node | None:
        """First child matching ``prefix`` (see ``find``), or None."""
        return next(self.find(prefix), None)

    def value(self, prefix: str) -> str | None:
        """The rest of the first child line after ``prefix``; ``""`` for a bare match."""
        node = self.first(prefix)
        if node is None:
            return None
        return node.text[len(prefix) :].strip()

    def has(self, text: str) -> bool:
        """True when a child line is exactly ``text``."""
        return any(c.text == text for c in self.children)

    def walk(self) -> Iterator[Node]:
        """Every node below this one, depth first."""
        for c in self.children:
            yield c
            yield from c.walk()


def parse_indented(text: str, comment_chars: str = "!#") -> Node:
    """Build a tree from an indentation-structured config.

    Lines whose first non-blank character is in ``comment_chars`` are separators or comments and
    are skipped (NX-OS ``!Command:``, EOS ``!``, Huawei ``#``). Tabs count as one column; a line
    less indented than its predecessor closes every deeper block, as the devices print them.
    """
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped[0] in comment_chars:
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack[-1][0] >= indent:
            stack.pop()
        node = Node(stripped)
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    return root


def _tokens(line: str) -> list[str]:
    if '"' not in line and "'" not in line and "\\" not in line:
        return line.split()
    try:
        return shlex.split(line, posix=True)
    except ValueError:
        return line.replace('"', " ").split()


def junos_set_lines(text: str) -> list[list[str]]:
    """Every statement of a Junos configuration as its token path (``set`` form, without ``set``).

    Accepts ``show configuration`` curly braces, ``display set`` lines, or a mix. ``deactivate``
    and ``inactive:`` statements are dropped (they are not in effect); ``members [ a b ]`` lists
    expand to one path per member, as ``display set`` prints them. Unbalanced braces never raise:
    the remaining text is read as far as it goes.
    """
    out: list[list[str]] = []
    path: list[list[str]] = []
    inactive_depth: int | None = None
    in_comment = False
    for raw in text.splitlines():
        line = raw.strip()
        if in_comment:
            if "*/" in line:
                in_comment = False
                line = line.split("*/", 1)[1].strip()
            else:
                continue
        if line.startswith("/*"):
            if "*/" not in line:
                in_comment = True
            continue
        if not line or line[0] == "#":
            continue
        if line.startswith("set "):
            out.append(_tokens(line[4:]))
            continue
        if line.startswith(("delete ", "deactivate ")):
            continue
        if line == "}":
            if path:
                path.pop()
            if inactive_depth is not None and len(path) < inactive_depth:
                inactive_depth = None
            continue
        inactive = line.startswith("inactive: ")
        if inactive:
            line = line[len("inactive: ") :]
        if line.endswith("{"):
            toks = _tokens(line[:-1])
            path.append(toks)
            if inactive and inactive_depth is None:
                inactive_depth = len(path)
            continue
        if inactive or inactive_depth is not None:
            continue
        stmt = line.split("##", 1)[0].rstrip().rstrip(";").rstrip()
        if not stmt:
            continue
        prefix = [t for part in path for t in part]
        if "[" in stmt and stmt.endswith("]"):
            head, _, rest = stmt.partition("[")
            for item in _tokens(rest[:-1]):
                out.append(prefix + _tokens(head) + [item])
        else:
            out.append(prefix + _tokens(stmt))
    return out
