"""A Junos configuration database kept as statement paths, and its renderings.

Every statement is stored as its full token path, the way ``show configuration | display set``
prints it (``interfaces ae1 aggregated-ether-options lacp active``), so curly-brace text, ``set``
commands and NETCONF loads all land in one representation (``mlagauto.configtree.junos_set_lines``
reads both text forms). Printing the curly form needs to know where one hierarchy node ends and
the next begins; Junos knows that from its schema, the lab from a small keyword table
(``split``) that covers the MC-LAG statements exactly and reads anything else with a fallback
rule. Whatever the table gets wrong only changes the layout of the curly rendering: reading a
rendering back always gives the same paths.

The store keeps the two invariants a Junos database has: a single-valued leaf
(``description``, ``mc-ae-id``, ``lacp active|passive``) holds one value, and a statement that
has children is not stored separately from them (``protocols rstp`` is implied by ``protocols
rstp interface ae1 edge``).
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Iterable, Iterator

from mlagauto.configtree import junos_set_lines

Path = tuple[str, ...]
NodeText = tuple[str, ...]
Tree = dict[NodeText, "Tree"]

# fmt: off
NAMED_LISTS = frozenset({"interfaces", "vlans", "groups", "routing-instances", "bridge-domains"})
"""Top-level hierarchies whose children are bare names (``interfaces { ae1 { ... } }``)."""

KEYED = frozenset(
    {
        "unit", "family", "peer", "multi-chassis-protection", "interface", "address", "term",
        "policy-statement", "interface-range", "user", "neighbor", "group", "route", "community",
        "prefix-list", "filter", "server", "host", "file", "class", "instance", "vrrp-group",
    }
)
"""Keywords that name one of many instances: the keyword and its name form one node."""

LEAF_VALUE = frozenset(
    {
        "description", "vlan-id", "l3-interface", "interface-mode", "native-vlan-id", "device-count",
        "periodic", "system-id", "system-priority", "admin-key", "mc-ae-id", "redundancy-group",
        "chassis-id", "mode", "status-control", "init-delay-time", "local-ip-addr",
        "session-establishment-hold-time", "backup-peer-ip", "minimum-interval",
        "minimum-receive-interval", "multiplier", "service-id", "minimum-links", "host-name", "mtu",
        "bridge-priority", "speed", "version", "authentication-key", "icl-down-delay", "revert-time",
        "comparison-delay-time", "domain-name", "time-zone", "encrypted-password", "uid",
        "encapsulation", "802.3ad", "priority", "root-login", "protocol-version", "switchover-mode",
    }
)
"""Single-valued leaves: setting one replaces the previous value."""

MULTI = frozenset(
    {"members", "member", "redundancy-group-id-list", "apply-groups", "vlan-id-list", "permissions", "destination-port"}
)
"""Leaves holding a list; ``display set`` prints one line per value, curly ``kw [ a b ];``."""

LEAF_REST = frozenset({"member-range"})
"""Leaves whose value is every remaining token (``member-range xe-0/0/1 to xe-0/0/5``)."""

CONTAINERS = frozenset(
    {
        "system", "chassis", "aggregated-devices", "ethernet", "services", "netconf", "ssh",
        "ether-options", "gigether-options", "aggregated-ether-options", "lacp", "mc-ae", "protocols",
        "rstp", "mstp", "vstp", "lldp", "lldp-med", "iccp", "liveness-detection", "mc-lag",
        "backup-liveness-detection", "multi-chassis", "switch-options", "events",
        "iccp-peer-down", "login", "syslog", "authentication", "root-authentication", "ntp", "snmp",
        "igmp-snooping", "forwarding-options", "routing-options", "ethernet-switching",
    }
)
"""Keywords that are containers even when followed by a single word (``lacp active``)."""

CHOICES = {("lacp", "active"): "mode", ("lacp", "passive"): "mode"}
"""Flags of which a container holds one (``lacp active`` replaces ``lacp passive``)."""

CONTAINER_OF_VALUE = {
    "802.3ad": frozenset({"lacp", "primary", "backup"}),
    "filter": frozenset({"input", "output", "input-list", "output-list"}),
}
"""Keywords that are a plain container when followed by one of these words, and otherwise take a
value (``802.3ad ae3`` vs ``802.3ad { lacp { force-up; } ae3; }``; ``filter input X`` vs
``filter NAME``)."""

PRESENCE = frozenset({"rstp", "mstp", "vstp", "lldp", "lldp-med", "igmp-snooping", "ssh", "netconf"})
"""Containers that mean something when empty (``protocols { rstp; }`` turns RSTP on)."""

TOP_ORDER = (
    "version", "groups", "apply-groups", "system", "chassis", "services", "security", "interfaces",
    "snmp", "forwarding-options", "event-options", "multi-chassis", "routing-options", "protocols",
    "policy-options", "class-of-service", "firewall", "routing-instances", "switch-options",
    "bridge-domains", "vlans",
)
"""The order Junos prints top-level hierarchies in (its schema order)."""
# fmt: on


def _valueish(token: str) -> bool:
    """A word that reads as a value (number, address, name with capitals) rather than a keyword."""
    return token != token.lower() or any(c.isdigit() or c in ':/."*<' for c in token)


def split(path: Path) -> list[NodeText]:
    """The hierarchy nodes of a statement path: ``interfaces ae1 unit 0 family inet address X``
    -> ``[interfaces] [ae1] [unit 0] [family inet] [address X]``."""
    nodes: list[NodeText] = []
    i, top = 0, True
    while i < len(path):
        rest = path[i:]
        word = rest[0]
        if top and word in NAMED_LISTS and len(rest) >= 2 and rest[1] not in KEYED:
            nodes += [(word,), (rest[1],)]
            i += 2
            top = word == "groups"
            continue
        top = False
        if word in LEAF_REST:
            node = rest
        elif word in CONTAINER_OF_VALUE and len(rest) >= 2 and rest[1] in CONTAINER_OF_VALUE[word]:
            node = rest[:1]
        elif (word in KEYED or word in LEAF_VALUE or word in MULTI) and len(rest) >= 2:
            node = rest[:2]
        elif len(rest) == 2 and (_valueish(rest[1]) or word not in CONTAINERS):
            node = rest
        else:
            node = rest[:1]
        nodes.append(node)
        i += len(node)
    return nodes


def _node_key(parent: NodeText | None, node: NodeText) -> NodeText:
    """What two sibling nodes must share to be the same setting (see the module docstring)."""
    if len(node) == 2 and node[0] in LEAF_VALUE:
        return node[:1]
    if len(node) == 1 and parent is not None and (parent[0], node[0]) in CHOICES:
        return ("<choice>", CHOICES[parent[0], node[0]])
    return node


def _kept_empty(nodes: list[NodeText]) -> bool:
    """Whether a node (the last of ``nodes``) stays in the configuration with no children."""
    last = nodes[-1]
    named_entry = len(nodes) >= 2 and nodes[-2][0] in NAMED_LISTS and len(nodes[-2]) == 1
    return len(last) == 2 or named_entry or last[0] in PRESENCE


def slot(path: Path) -> tuple[NodeText, ...]:
    """Identity of the setting a path makes; a second path with the same slot replaces it."""
    nodes = split(path)
    return tuple(_node_key(nodes[i - 1] if i else None, n) for i, n in enumerate(nodes))


class Config:
    """An ordered set of statement paths with Junos' replace-and-imply rules."""

    __slots__ = ("_by_slot", "_extended", "_slot_of")

    def __init__(self, paths: Iterable[Iterable[str]] = ()):
        self._by_slot: dict[tuple[NodeText, ...], Path] = {}
        self._slot_of: dict[Path, tuple[NodeText, ...]] = {}
        self._extended: Counter[Path] = Counter()
        """Every strict prefix of a stored path, counted, to find implied statements quickly."""
        for path in paths:
            self.set(path)

    @classmethod
    def from_text(cls, text: str) -> Config:
        """Curly-brace or ``set`` text (``inactive:``/``deactivate`` statements are not in effect)."""
        return cls(junos_set_lines(text))

    def _add(self, key: tuple[NodeText, ...], path: Path) -> None:
        self._by_slot[key] = path
        self._slot_of[path] = key
        for k in range(1, len(path)):
            self._extended[path[:k]] += 1

    def _unindex(self, path: Path) -> None:
        for k in range(1, len(path)):
            self._extended[path[:k]] -= 1
            if not self._extended[path[:k]]:
                del self._extended[path[:k]]

    def _drop(self, path: Path) -> None:
        del self._by_slot[self._slot_of.pop(path)]
        self._unindex(path)

    def set(self, path: Iterable[str]) -> None:
        """``set <path>``: add the statement, replacing the single value it overrides."""
        path = tuple(path)
        if not path or path in self._slot_of or path in self._extended:
            return
        for k in range(1, len(path)):
            if path[:k] in self._slot_of:
                self._drop(path[:k])
        key = slot(path)
        old = self._by_slot.get(key)
        if old is not None:  # the new value takes the old one's place in the order
            del self._slot_of[old]
            self._unindex(old)
        self._add(key, path)

    def delete(self, prefix: Iterable[str]) -> bool:
        """``delete <prefix>``: remove every statement at or below it. A parent left empty stays
        when an empty node still means something on Junos (a named entry such as ``ae1;``, or
        ``rstp;``). False when nothing matched (``statement not found``)."""
        prefix = tuple(prefix)
        doomed = [p for p in self._slot_of if p[: len(prefix)] == prefix]
        for path in doomed:
            self._drop(path)
        nodes = split(prefix)[:-1]
        parent = tuple(t for node in nodes for t in node)
        if doomed and parent and _kept_empty(nodes) and not any(p[: len(parent)] == parent for p in self._slot_of):
            self.set(parent)
        return bool(doomed)

    def has_slot(self, path: Iterable[str]) -> bool:
        """True when the setting ``path`` makes is already made, with any value."""
        return slot(tuple(path)) in self._by_slot

    def paths(self) -> list[Path]:
        return list(self._by_slot.values())

    def under(self, prefix: Iterable[str]) -> Iterator[Path]:
        """The tails of every statement below ``prefix``."""
        prefix = tuple(prefix)
        n = len(prefix)
        for path in self._by_slot.values():
            if path[:n] == prefix and len(path) > n:
                yield path[n:]

    def first(self, *prefix: str) -> str | None:
        """The first token after ``prefix`` (a leaf's value), or None."""
        return next((tail[0] for tail in self.under(prefix)), None)

    def copy(self) -> Config:
        return Config(self._by_slot.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and set(self._slot_of) == set(other._slot_of)

    def __len__(self) -> int:
        return len(self._by_slot)


def command_paths(words: str) -> list[Path]:
    """The statements a ``set``/``delete`` argument names; ``kw [ a b ]`` names one per value."""
    try:
        tokens = shlex.split(words)
    except ValueError:
        tokens = words.replace('"', " ").split()
    if "[" in tokens and tokens[-1] == "]":
        at = tokens.index("[")
        return [tuple(tokens[:at] + [value]) for value in tokens[at + 1 : -1]]
    return [tuple(tokens)] if tokens else []


# --- rendering -----------------------------------------------------------------------------------
def build(paths: Iterable[Path]) -> Tree:
    """Nested nodes in statement order, top level in Junos' schema order."""
    root: Tree = {}
    for path in paths:
        level = root
        for node in split(path):
            level = level.setdefault(node, {})
    rank = {word: i for i, word in enumerate(TOP_ORDER)}
    return dict(sorted(root.items(), key=lambda item: rank.get(item[0][0], len(TOP_ORDER))))


def quote(token: str) -> str:
    """A token as Junos prints it: quoted when it holds blanks or syntax characters."""
    if token and not any(c.isspace() or c in "{};#\"'[]$" for c in token):
        return token
    return '"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(node: NodeText) -> str:
    return " ".join(quote(t) for t in node)


def _entries(tree: Tree) -> Iterator[tuple[str, Tree]]:
    """A level's printed entries: list leaves grouped (``members [ a b ]``) and a leaf value folded
    into its container (``802.3ad { lacp {...} ae3; }``)."""
    multi: dict[str, list[str]] = {}
    for node, sub in tree.items():
        if len(node) == 2 and node[0] in MULTI and not sub:
            multi.setdefault(node[0], []).append(node[1])
    done: set[str] = set()
    for node, sub in tree.items():
        if len(node) == 2 and node[0] in MULTI and not sub:
            if node[0] not in done:
                done.add(node[0])
                values = multi[node[0]]
                yield (f"{node[0]} {quote(values[0])}" if len(values) == 1 else f"{node[0]} [ {' '.join(quote(v) for v in values)} ]"), {}
            continue
        if len(node) == 2 and not sub and (node[0],) in tree and tree[(node[0],)]:
            continue
        if len(node) == 1 and sub:
            folded: Tree = {other[1:]: {} for other, leaf in tree.items() if len(other) == 2 and other[0] == node[0] and not leaf}
            if folded:
                yield _text(node), {**sub, **folded}
                continue
        yield _text(node), sub


def render_curly(paths: Iterable[Path], depth: int = 0) -> list[str]:
    """``show configuration`` lines (four spaces per level)."""
    return _render(build(paths), depth)


def _render(tree: Tree, depth: int) -> list[str]:
    out: list[str] = []
    pad = "    " * depth
    for text, sub in _entries(tree):
        if sub:
            out.append(f"{pad}{text} {{")
            out.extend(_render(sub, depth + 1))
            out.append(f"{pad}}}")
        else:
            out.append(f"{pad}{text};")
    return out


def render_set(paths: Iterable[Path]) -> list[str]:
    """``show configuration | display set`` lines, in hierarchy order."""
    out: list[str] = []

    def walk(tree: Tree, prefix: list[str]) -> None:
        for node, sub in tree.items():
            here = prefix + [quote(t) for t in node]
            if sub:
                walk(sub, here)
            else:
                out.append("set " + " ".join(here))

    walk(build(paths), [])
    return out


def subtree(paths: Iterable[Path], prefix: Path) -> list[Path]:
    """The statements below ``prefix``, relative to it (``show interfaces ae1``)."""
    n = len(prefix)
    return [p[n:] for p in paths if p[:n] == prefix and len(p) > n]


# --- show | compare ------------------------------------------------------------------------------
def diff(before: Iterable[Path], after: Iterable[Path]) -> str:
    """``show | compare`` text: a ``[edit ...]`` banner per hierarchy level that changed, then the
    removed (``-``) and added (``+``) statements rendered below it, a replaced value's ``+`` right
    after its ``-``. Empty when equal."""
    out: list[str] = []
    _diff_level(build(before), build(after), [], None, out)
    return "\n".join(out)


def _diff_level(old: Tree, new: Tree, context: list[str], parent: NodeText | None, out: list[str]) -> None:
    lines: list[str] = []
    replacement = {_node_key(parent, n): n for n in new if n not in old}
    shown: set[NodeText] = set()
    for node, sub in old.items():
        if node not in new:
            lines += _marked("-", {node: sub})
            twin = replacement.get(_node_key(parent, node))
            if twin is not None and twin not in shown:
                shown.add(twin)
                lines += _marked("+", {twin: new[twin]})
    for node, sub in new.items():
        if node not in old and node not in shown:
            lines += _marked("+", {node: sub})
    if lines:
        out.append("[edit" + "".join(" " + quote(t) for t in context) + "]")
        out.extend(lines)
    for node, sub in new.items():
        if node in old and (sub or old[node]) and sub != old[node]:
            _diff_level(old[node], sub, context + list(node), node, out)


def _marked(mark: str, tree: Tree) -> list[str]:
    return [mark + line[1:] for line in _render(tree, 1)]


# --- loading -------------------------------------------------------------------------------------
def one_statement_per_line(text: str) -> str:
    """Curly text with every ``{``, ``;`` and ``}`` ending a line, the layout Junos prints and
    ``junos_set_lines`` reads, so ``system { host-name x; }`` on one line loads as on Junos."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(("#", "/*", "*", "set ", "delete ", "deactivate ")):
            out.append(raw)
            continue
        current, quoted = "", False
        for i, char in enumerate(line):
            if char == '"' and (i == 0 or line[i - 1] != "\\"):
                quoted = not quoted
            if not quoted and line.startswith("##", i):
                break
            if not quoted and char == "}" and current.strip():
                out.append(current.strip())
                current = ""
            current += char
            if not quoted and char in "{;}":
                out.append(current.strip())
                current = ""
        if current.strip():
            out.append(current.strip())
    return "\n".join(out)


# --- load-time annotations -----------------------------------------------------------------------
def replace_tags(text: str) -> tuple[str, list[Path]]:
    """Strip ``replace:`` tags from curly text; return the text and the hierarchy each tag
    replaces (a container's whole path, or a leaf's keyword path)."""
    cleaned: list[str] = []
    stack: list[list[str]] = []
    replaced: list[Path] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("replace:"):
            line = line[len("replace:") :].strip()
            opens = line.endswith("{")
            words = (line[:-1] if opens else line.rstrip(";")).split()
            ctx = [t for part in stack for t in part]
            replaced.append(tuple(ctx + (words if opens else words[:1])))
            raw = line
        if line.endswith("{"):
            stack.append(line[:-1].split())
        elif line == "}" and stack:
            stack.pop()
        cleaned.append(raw)
    return "\n".join(cleaned), replaced


def braces_balanced(text: str) -> bool:
    """Curly text whose braces close (quoted strings and comments aside)."""
    depth = 0
    for raw in text.splitlines():
        line = raw.split("##", 1)[0]
        if '"' in line:
            line = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
        depth += line.count("{") - line.count("}")
        if depth < 0:
            return False
    return depth == 0
