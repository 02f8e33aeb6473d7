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

import re
import shlex
from collections.abc import Iterable, Iterator

_EDGE_LINES = 5
"""How many lines at each end of a capture may be prompts or command echoes."""
_PROMPT = re.compile(
    r"""(?:
        [\w.:/()-]+[\#>]\s*(?:sh(?:o|ow)?|dis(?:p|play)?|term(?:inal)?|more|cat)\b.*  # leaf1# show running-config
      | [\w.:/()-]+[\#>%]                                         # a bare prompt: leaf1#  sw>
      | <[^<>\s]+>.*                                              # Huawei user view: <CE1>display ...
      | \[[~*]?[^\[\]\s]+\].*                                    # Huawei system view [~CE1], Junos [edit]
      | [\w.-]+@[\w.:-]+[>#%].*                                   # Junos: user@qfx1> show configuration
      | \{(?:master|backup|linecard|primary|secondary)[^}]*\}       # Junos routing-engine banner {master:0}
      | -+\s?more\s?-+.*                                           # a pager prompt
    )""",
    re.X | re.I,
)
_PAGER = re.compile(r" *-+ ?more ?-+[ \x08]*", re.I)


def clean_capture(text: str) -> str:
    """A configuration as saved by people and tools, reduced to what the device printed.

    Captures carry what a parser must not read as configuration: a byte-order mark, CRLF or CR
    line ends, the prompt and command echo of the session (``leaf1# show running-config``,
    ``<CE1>display current-configuration``, ``user@qfx> show configuration``, ``{master:0}``) at
    either end, pager prompts with their backspaces, and a constant indentation when the text was
    pasted into a document. Only the first and last few lines are searched for prompts, so a
    configuration line is never taken for one.
    """
    if text[:1] == "\ufeff":
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x08" in text or "ore-" in text or "ORE-" in text:
        text = _PAGER.sub("", text)
    lines = text.split("\n")
    edges = sorted({*range(min(_EDGE_LINES, len(lines))), *range(max(0, len(lines) - _EDGE_LINES), len(lines))})
    drop = {k for k in edges if lines[k] and not lines[k][0].isspace() and _PROMPT.fullmatch(lines[k].rstrip())}
    if drop:
        lines = [line for k, line in enumerate(lines) if k not in drop]
    first = next((line for line in lines if line.strip()), "")
    if first[:1].isspace():
        depth = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
        lines = [line[depth:] for line in lines]
    elif not drop:
        return text
    return "\n".join(lines)


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
        return child_value((c.text for c in self.children), prefix)

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


Block = tuple[str, list[str]]
"""A top-level line and the texts of its direct children."""


MAX_INTERFACE_RANGE = 4096
"""The longest interface range a configlet may name (``Ethernet1/1-4096``)."""


def expand_interface_range(number: str) -> list[str]:
    """``1/1-4`` -> ``1/1`` ... ``1/4``: in an ``interface`` range (NX-OS, EOS configlets) the
    range spans the last number of the name. Raises ValueError on a range that is not one."""
    slot, slash, last = number.rpartition("/")
    if "-" not in last:
        return [number]
    first, _, final = last.partition("-")
    lo, hi = int(first), int(final)
    if not 0 <= hi - lo < MAX_INTERFACE_RANGE:
        raise ValueError(f"interface range {number!r} runs backwards or is too long")
    return [f"{slot}{slash}{n}" for n in range(lo, hi + 1)]


InterfaceType = tuple[str, str, int]
"""An interface type a parser reads: the type in lower case, its spelling in show running-config
(``Port-Channel``), and the shortest abbreviation the platform takes."""
_TYPE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-"


def interface_names(spec: str, types: tuple[InterfaceType, ...], keep_unknown: bool) -> list[str]:
    """Every interface an ``interface`` line of a configlet names, spelt as the platform prints
    it: the type in any case, abbreviated or spaced (``po 10``, ``eth1/1``), ranges and lists
    (``Ethernet1/1-4``, ``Ethernet1/1, Ethernet1/3``; an item without a type keeps the previous
    one). A type not in ``types`` stays as written (``keep_unknown``) or names nothing. Raises
    ValueError on a range that is not one."""
    names: list[str] = []
    printed: str | None = None
    for part in spec.replace(" ", "").split(","):
        number = part.lstrip(_TYPE_CHARS)
        typed = part[: len(part) - len(number)]
        if typed:
            lower = typed.lower()
            known = next((shown for low, shown, shortest in types if len(lower) >= shortest and low.startswith(lower)), None)
            printed = known or (typed if keep_unknown else None)
        if printed is not None and number:
            names += [printed + n for n in expand_interface_range(number)]
    return names


def child_value(children: Iterable[str], prefix: str) -> str | None:
    """The rest of the first of ``children`` that is ``prefix`` or starts with ``prefix`` and a
    space (``""`` for a bare match), None when none does: ``Node.value`` for the child texts of a
    ``top_blocks`` block."""
    spaced = prefix + " "
    for text in children:
        if text == prefix or text.startswith(spaced):
            return text[len(prefix) :].strip()
    return None


def top_blocks(text: str, comment_chars: str = "!#") -> list[Block]:
    """The first two levels of ``parse_indented(text, comment_chars)``: each top-level line with
    the texts of its children, in order; deeper lines are left out.

    The drivers read no deeper than that, and audits parse thousands of configs: building no
    object per line makes this about twice as fast as the full tree. The nesting is the same:
    a line opens a new top-level block when it is indented no deeper than the last top-level
    line, and it is a child when it is indented no deeper than the block's last child.
    """
    blocks: list[Block] = []
    children: list[str] = []
    top = child = 1 << 30
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped[0] in comment_chars:
            continue
        indent = len(raw) - len(raw.lstrip())
        if indent <= top:
            top, child, children = indent, 1 << 30, []
            blocks.append((stripped, children))
        elif indent <= child:
            child = indent
            children.append(stripped)
    return blocks


def _tokens(line: str) -> list[str]:
    """Words of a Junos line, quoted strings kept whole (POSIX shell rules); an unbalanced quote
    reads as a space."""
    if '"' not in line and "'" not in line and "\\" not in line:
        return line.split()
    try:
        if "'" in line or "\\" in line:
            return shlex.split(line, posix=True)
        return _double_quoted_tokens(line)
    except ValueError:
        return line.replace('"', " ").split()


def _double_quoted_tokens(line: str) -> list[str]:
    """``shlex.split(line)`` for a line whose only quoting is double quotes (Junos quotes every
    description that way): the same tokens about ten times faster than shlex, which reads the line
    one character at a time. Raises ValueError on an unbalanced quote, as shlex does."""
    parts = line.split('"')
    if len(parts) % 2 == 0:
        raise ValueError("No closing quotation")
    tokens: list[str] = []
    current: str | None = None
    for k, part in enumerate(parts):
        if k % 2:
            current = part if current is None else current + part
            continue
        pieces = part.replace("\t", " ").split(" ")
        if pieces[0]:
            current = pieces[0] if current is None else current + pieces[0]
        for piece in pieces[1:]:
            if current is not None:
                tokens.append(current)
            current = piece or None
    if current is not None:
        tokens.append(current)
    return tokens


def junos_set_lines(text: str) -> list[list[str]]:
    """Every statement of a Junos configuration as its token path (``set`` form, without ``set``).

    Accepts ``show configuration`` curly braces, ``display set`` lines, or a mix. ``deactivate``
    and ``inactive:`` statements are dropped (they are not in effect); ``members [ a b ]`` lists
    expand to one path per member, as ``display set`` prints them. Unbalanced braces never raise:
    the remaining text is read as far as it goes.
    """
    out: list[list[str]] = []
    prefixes: list[list[str]] = [[]]  # the token path of the top level, then of each open block
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
        if line == "}":
            if len(prefixes) > 1:
                prefixes.pop()
            if inactive_depth is not None and len(prefixes) <= inactive_depth:
                inactive_depth = None
            continue
        if not line or line[0] == "#":
            continue
        inactive = False
        if line[0] in "/sdi":  # the first letters of comments and of set, delete, deactivate, inactive
            if line.startswith("/*"):
                if "*/" not in line:
                    in_comment = True
                continue
            if line.startswith("set "):
                out.append(_tokens(line[4:]))
                continue
            if line.startswith(("delete ", "deactivate ")):
                continue
            inactive = line.startswith("inactive: ")
            if inactive:
                line = line[len("inactive: ") :]
        if line.endswith("{"):
            prefixes.append(prefixes[-1] + _tokens(line[:-1]))
            if inactive and inactive_depth is None:
                inactive_depth = len(prefixes) - 1
            continue
        if inactive or inactive_depth is not None:
            continue
        if "##" in line:
            line = line.split("##", 1)[0].rstrip()
        stmt = line.rstrip(";").rstrip()
        if not stmt:
            continue
        if "[" in stmt and stmt.endswith("]"):
            head, _, rest = stmt.partition("[")
            path = prefixes[-1] + _tokens(head)
            out += [path + [item] for item in _tokens(rest[:-1])]
        else:
            out.append(prefixes[-1] + _tokens(stmt))
    return out
