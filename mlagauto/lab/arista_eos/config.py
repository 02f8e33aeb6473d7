"""The EOS running configuration as an indentation tree, edited the way EOS config mode edits it.

A configuration line sent without indentation (napalm strips it) still lands in the right block
because EOS infers the mode: a line the current mode does not know leaves that mode for its
parent, and a global command leaves every sub-mode. ``Editor`` implements that inference, so the
same code loads a saved config file, a pasted config and what a CLI or eAPI client types.

Rendering prints the tree in EOS order (global sections, VLANs, VRFs, interfaces by type and
number, the MLAG block, routing) with ``!`` separators, whatever order the lines arrived in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mlagauto.configtree import Node
from mlagauto.lab import cfgedit

INDENT = "   "

# --- errors -----------------------------------------------------------------------------------


class CliError(Exception):
    """A command EOS refuses. ``kind`` is ``invalid`` (parse error), ``incomplete`` or ``failed``
    (the command parsed but could not run); eAPI reports each kind differently."""

    def __init__(self, message: str, kind: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.kind = kind


def invalid(words: list[str], index: int) -> CliError:
    """EOS's parse error, naming the first token it could not match (0-based, as EOS counts)."""
    index = min(index, len(words) - 1)
    return CliError(f"Invalid input (at token {index}: '{words[index]}')")


# --- value helpers ------------------------------------------------------------------------------

ALL_VLANS = frozenset(range(1, 4095))


def parse_vlans(text: str) -> set[int]:
    """``10,20-22`` -> {10, 20, 21, 22}; ValueError on anything else or ids outside 1-4094."""
    out: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= 4094:
            raise ValueError(part)
        out.update(range(first, last + 1))
    return out


def format_vlans(vlans: Iterable[int]) -> str:
    """{1, 2, 3, 5} -> ``1-3,5`` (EOS's compact range form)."""
    ids = sorted(set(vlans))
    runs: list[str] = []
    start = prev = None
    for vid in ids + [None]:
        if vid is not None and prev is not None and vid == prev + 1:
            prev = vid
            continue
        if start is not None:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = vid
    return ",".join(runs)


_IF_TYPES = (
    ("Port-Channel", "Po"),
    ("Ethernet", "Et"),
    ("Loopback", "Lo"),
    ("Management", "Ma"),
    ("Vlan", "Vl"),
    ("Vxlan", "Vx"),
)
"""Interface types in the order ``show running-config`` prints them, with their short names."""


def interface_name(text: str) -> str | None:
    """Canonical interface name (``po10`` -> ``Port-Channel10``), or None if not an interface."""
    m = re.fullmatch(r"([A-Za-z-]+)\s*(\d+(?:/\d+)*)", text.strip())
    if not m:
        return None
    prefix = m.group(1).lower()
    for name, short in _IF_TYPES:
        if len(prefix) >= 2 and (name.lower().startswith(prefix) or prefix == short.lower()):
            return name + m.group(2)
    return None


def interface_names(spec: str) -> list[str]:
    """Names in an ``interface`` header: one name, a comma list or ranges (``Ethernet1-3``)."""
    names: list[str] = []
    for part in spec.replace(" ,", ",").replace(", ", ",").split(","):
        m = re.fullmatch(r"([A-Za-z-]+\s*(?:\d+/)*)(\d+)-(\d+)", part.strip())
        if m:
            first, last = int(m.group(2)), int(m.group(3))
            parts = [f"{m.group(1)}{n}" for n in range(first, last + 1)] if first <= last else []
        else:
            parts = [part]
        for p in parts:
            name = interface_name(p)
            if name is None:
                raise ValueError(p)
            names.append(name)
    if not names:
        raise ValueError(spec)
    return names


def short_interface(name: str) -> str:
    """``Port-Channel10`` -> ``Po10`` (prompts and table columns)."""
    for long, short in _IF_TYPES:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def interface_sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    for rank, (long, _) in enumerate(_IF_TYPES):
        if name.startswith(long):
            return rank, tuple(int(n) for n in re.findall(r"\d+", name[len(long) :]))
    return len(_IF_TYPES), ()


# --- line keys: which lines replace each other ----------------------------------------------------

_KEYS = [
    "description", "mtu", "speed", "load-interval", "switchport mode", "switchport access vlan",
    "switchport trunk native vlan", "switchport trunk allowed vlan", "channel-group", "lacp timer",
    "lacp port-priority", "mlag", "vrf", "ip address", "ip address virtual", "port-channel min-links",
    "port-channel lacp fallback", "port-channel lacp fallback timeout", "spanning-tree portfast",
    "spanning-tree bpduguard", "spanning-tree link-type", "name", "state", "domain-id",
    "local-interface", "peer-address", "peer-address heartbeat", "peer-link", "heartbeat-interval",
    "reload-delay mlag", "reload-delay non-mlag", "dual-primary detection delay",
    "dual-primary recovery delay", "primary-priority", "hostname", "spanning-tree mode",
    "spanning-tree priority", "spanning-tree mst * priority", "lacp system-priority", "dns domain",
    "protocol",
]
_EXACT_KEYS = {"switchport", "shutdown", "autostate"}
"""Keys that match only the bare word (``switchport trunk group X`` is not a ``switchport`` line)."""
_KEY_PATTERNS = [(k, re.compile(re.escape(k).replace(r"\*", r"\S+") + r"(?= |$)")) for k in _KEYS]


def line_key(text: str) -> str:
    """What a line sets, so a new value replaces the old one (``mtu 9214`` replaces ``mtu 1500``;
    ``no autostate`` replaces ``autostate``). Lines without a known key are multi-valued and
    keyed by their full text (``switchport trunk group MLAG``)."""
    body = text.removeprefix("no ")
    if body in _EXACT_KEYS:
        return body
    best = ""
    for _, pattern in _KEY_PATTERNS:
        m = pattern.match(body)
        if m and len(m.group(0)) > len(best):
            best = m.group(0)
    return best or body


# --- modes ------------------------------------------------------------------------------------------

_IF_WORDS = {
    "description", "shutdown", "mtu", "switchport", "channel-group", "lacp", "mlag", "ip", "ipv6", "vrf",
    "spanning-tree", "port-channel", "speed", "load-interval", "autostate", "logging", "storm-control",
    "error-correction", "flowcontrol", "bfd", "arp", "mac", "encapsulation", "vxlan", "sflow",
    "service-policy", "qos", "link-debounce", "dhcp", "pim", "evpn",
}
_MODE_WORDS: dict[str, set[str] | None] = {
    "if": _IF_WORDS,
    "vlan": {"name", "state", "trunk"},
    "mlag": {
        "domain-id", "local-interface", "peer-address", "peer-link", "heartbeat-interval", "reload-delay",
        "dual-primary", "primary-priority", "shutdown",
    },
    "vrf": {"description", "rd"},
    "mgmt-vrf": {"shutdown", "ip", "ipv6"},
    "mgmt": None,
    "router": None,
    "block": None,
}
"""First words each sub-mode accepts; None: the mode takes any line that is not a global command
(routing, management and policy blocks, whose grammar the lab does not model)."""

_DEFAULT_LINES = {
    "if": {
        "switchport mode access", "switchport access vlan 1", "switchport trunk native vlan 1", "switchport",
        "autostate", "no shutdown", "switchport trunk allowed vlan all", "no mlag",
    },
    "mlag": {"no shutdown"},
    "vlan": {"state active"},
    "top": {"aaa root"},
}
"""Lines equal to the default: EOS does not print them, so setting one removes the old value."""

_STORED_NEGATIONS = {
    "if": {"switchport", "autostate"},
    "top": {"aaa root", "spanning-tree vlan-id", "ip routing"},
}
"""Keys whose ``no`` form is itself printed (``no autostate``); other ``no`` lines just remove."""

_OPENERS: list[tuple[str, re.Pattern[str]]] = [
    ("if", re.compile(r"interface (.+)")),
    ("vlan", re.compile(r"vlan (\d[\d,\-]*)")),
    ("mlag", re.compile(r"mlag(?: configuration)?")),
    ("vrf", re.compile(r"vrf (?:instance|definition) (\S+)")),
    ("mgmt", re.compile(r"management (.+)")),
    ("router", re.compile(r"router (.+)")),
    ("block", re.compile(r"(?:route-map .+|ip(?:v6)? (?:prefix-list|access-list) \S+|daemon \S+|event-handler \S+)")),
]
_TOP_LEAVES = re.compile(
    r"(?:hostname \S+|ip (?:routing|route|name-server|domain|domain-name|host|virtual-router mac-address|igmp|icmp"
    r"|ssh|multicast-routing|prefix-list)\b|ipv6 (?:unicast-routing|route|prefix-list)\b"
    r"|(?:dns|ntp|snmp-server|service|transceiver|username|aaa|clock|errdisable|alias|platform|banner|boot"
    r"|tacacs-server|radius-server|lldp|sflow|queue-monitor)\b"
    r"|spanning-tree (?:mode|mst|priority|vlan-id|vlan|root|transmit|edge-port bpduguard default"
    r"|portfast bpduguard default)\b|lacp system-priority\b|vlan internal\b|load-interval default\b"
    r"|mac address-table\b|switchport default\b"
    r"|logging (?:host|buffered|console|trap|monitor|source-interface|vrf|facility|format|level|synchronous)\b)"
)


@dataclass
class Frame:
    """One level of config sub-mode: the block(s) being edited (several for ``vlan 10-12`` or an
    interface range) and the prompt label (``if-Et1``)."""

    kind: str
    nodes: list[Node]
    label: str
    nested: bool = False


@dataclass
class Editor:
    """Applies configuration lines to a tree, tracking the current sub-mode like EOS does."""

    root: Node
    frames: list[Frame] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.frames[-1].label if self.frames else ""

    def exit(self) -> bool:
        """``exit``: leave one sub-mode; False when already at the top of config mode."""
        if not self.frames:
            return False
        self.frames.pop()
        return True

    def apply(self, line: str, depth: int | None = None) -> None:
        """Apply one line. ``depth`` (indentation level of a saved file) closes deeper blocks first;
        without it the mode is inferred as EOS does for unindented input."""
        words = line.split()
        if not words or words[0].startswith("!"):
            return
        if depth is not None:
            del self.frames[depth:]
        negate = words[0] if words[0] in ("no", "default") else None
        body = words[1:] if negate else words
        if not body:
            raise CliError("Incomplete command", "incomplete")
        text = " ".join(body)
        in_interface = bool(self.frames) and self.frames[-1].kind == "if"
        if (_opener(text) and not (in_interface and text == "mlag")) or _TOP_LEAVES.match(text):
            self.frames.clear()
            self._top(words, negate, text)
            return
        while self.frames:
            frame = self.frames[-1]
            allowed = _MODE_WORDS[frame.kind]
            if allowed is None or body[0] in allowed:
                self._in_frame(frame, words, negate, text)
                return
            self.frames.pop()
        raise invalid(words, 1 if negate else 0)

    # --- global level ----------------------------------------------------------------------
    def _top(self, words: list[str], negate: str | None, text: str) -> None:
        opened = _opener(text)
        if opened is None:
            text = re.sub(r"^spanning-tree vlan (?=\d)", "spanning-tree vlan-id ", text)
            _edit_leaf(self.root, "top", negate, text)
            return
        kind, m = opened
        headers = _headers(kind, m, words)
        if negate:
            for header in headers:
                _remove_block(self.root, header)
            return
        nodes = [cfgedit.ensure_child(self.root, h) for h in headers]
        self.frames = [Frame(kind, nodes, _label(kind, headers))]

    # --- inside a block ------------------------------------------------------------------------
    def _in_frame(self, frame: Frame, words: list[str], negate: str | None, text: str) -> None:
        nested = _nested_opener(frame, text)
        if nested is not None and not negate:
            self.frames.append(Frame(nested, [cfgedit.ensure_child(n, text) for n in frame.nodes], text.split()[0], True))
            return
        if frame.kind == "if":
            text = _interface_line(self.root, frame, words, negate, text)
        elif frame.kind == "mlag":
            text = _mlag_line(words, text)
        if text.startswith("switchport trunk allowed vlan"):
            for node in frame.nodes:
                _allowed_vlans(node, negate, text, words)
            return
        for node in frame.nodes:
            _edit_leaf(node, frame.kind if not frame.nested else "block", negate, text)


def _opener(text: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in _OPENERS:
        m = pattern.fullmatch(text)
        if m:
            return kind, m
    return None


def _headers(kind: str, m: re.Match[str], words: list[str]) -> list[str]:
    """Canonical block header(s) for an opener (``vlan 10-11`` -> two VLAN blocks)."""
    arg_at = words.index(m.group(0).split()[0]) + 1
    if kind == "if":
        try:
            return [f"interface {n}" for n in interface_names(m.group(1))]
        except ValueError:
            raise invalid(words, arg_at) from None
    if kind == "vlan":
        try:
            return [f"vlan {v}" for v in sorted(parse_vlans(m.group(1)))]
        except ValueError:
            raise invalid(words, arg_at) from None
    if kind == "mlag":
        return ["mlag configuration"]
    if kind == "vrf":
        return [f"vrf instance {m.group(1)}"]
    return [m.group(0)]


def _label(kind: str, headers: list[str]) -> str:
    """Prompt label of a sub-mode, as EOS prints it (``if-Et1``, ``vlan-110``, ``mlag``)."""
    first = headers[0]
    if kind == "if":
        names = [short_interface(h.split(" ", 1)[1]) for h in headers]
        last = re.sub(r"^\D+", "", names[-1])
        return "if-" + (names[0] if len(names) == 1 else f"{names[0]}-{last}")
    if kind == "vlan":
        ids = [int(h.split()[1]) for h in headers]
        return f"vlan-{format_vlans(ids)}"
    if kind == "vrf":
        return "vrf-" + first.split()[-1]
    if kind == "mgmt":
        return {"management api http-commands": "mgmt-api-http-cmds", "management ssh": "mgmt-ssh"}.get(first, "mgmt")
    if kind == "router":
        return "router-" + first.split()[1]
    return first.split()[0]


def _nested_opener(frame: Frame, text: str) -> str | None:
    """Sub-sub-modes the lab models: ``vrf X`` under management blocks, ``vrf`` and
    ``address-family`` under ``router``."""
    words = text.split()
    if frame.kind == "mgmt" and not frame.nested and len(words) == 2 and words[0] == "vrf":
        return "mgmt-vrf"
    if frame.kind == "router" and words[0] in ("vrf", "address-family") and len(words) >= 2:
        return "block"
    return None


def _remove_block(root: Node, header: str) -> None:
    """``no interface X`` / ``no vlan N`` / ``no mlag configuration``. A physical Ethernet cannot
    be deleted: EOS resets it to defaults instead. Deleting a port-channel also drops its members'
    ``channel-group`` lines, as EOS does."""
    node = cfgedit.find_child(root, header)
    if node is None:
        return
    if header.startswith(("interface Ethernet", "interface Management")):
        node.children = []
        return
    root.children.remove(node)
    m = re.fullmatch(r"interface Port-Channel(\d+)", header)
    if m:
        for itf in (c for c in root.children if c.text.startswith("interface Ethernet")):
            itf.children = [c for c in itf.children if not re.fullmatch(rf"channel-group {m.group(1)} mode \S+", c.text)]


def _edit_leaf(node: Node, kind: str, negate: str | None, text: str) -> None:
    """Set or remove one line in ``node`` with EOS's default/negation rules (see the tables above).
    ``negate`` is ``no``, ``default`` (back to the default: never a printed ``no`` line) or None."""
    key = line_key(text)
    stored = _STORED_NEGATIONS.get(kind)
    if negate == "default":
        cfgedit.remove_lines(node, text, line_key)
        return
    if negate:
        if cfgedit.find_child(node, "no " + text) is not None:
            return  # already negated: re-applying keeps the line where it is
        removed = cfgedit.remove_lines(node, text, line_key)
        listed = stored is not None and any(key == s or (s not in _EXACT_KEYS and key.startswith(s + " ")) for s in stored)
        keep_negation = listed or (kind in ("block", "mgmt", "router") and not removed)
        no_text = "no " + text
        if keep_negation and no_text not in _DEFAULT_LINES.get(kind, ()):
            cfgedit.set_line(node, no_text, line_key)
        return
    if text in _DEFAULT_LINES.get(kind, ()):
        cfgedit.remove_lines(node, text, line_key)
        return
    cfgedit.set_line(node, text, line_key)


def _interface_line(root: Node, frame: Frame, words: list[str], negate: str | None, text: str) -> str:
    """Interface-mode checks and side effects: ``channel-group N mode M`` creates Port-ChannelN."""
    parts = text.split()
    if parts[0] == "channel-group" and not negate:
        if len(parts) != 4 or not parts[1].isdigit() or parts[2] != "mode" or parts[3] not in ("active", "passive", "on"):
            raise invalid(words, words.index(parts[0]) + (1 if len(parts) < 2 or not parts[1].isdigit() else 3))
        for node in frame.nodes:
            if not node.text.startswith("interface Ethernet"):
                raise CliError("Channel-group can only be configured on Ethernet interfaces", "failed")
        cfgedit.ensure_child(root, f"interface Port-Channel{parts[1]}")
    if parts[0] == "mlag" and not negate and (len(parts) != 2 or not parts[1].isdigit() or not 1 <= int(parts[1]) <= 2000):
        raise invalid(words, len(words) - 1)
    if parts[:2] == ["switchport", "mode"] and not negate and (len(parts) != 3 or parts[2] not in ("access", "trunk", "dot1q-tunnel", "tap", "tool")):
        raise invalid(words, len(words) - 1)
    return text


def _mlag_line(words: list[str], text: str) -> str:
    """MLAG-mode normalisation: ``reload-delay N`` is ``reload-delay mlag N``; interface names in
    canonical form; ``vrf default`` is not printed."""
    parts = text.split()
    if parts[0] == "reload-delay" and len(parts) == 2:
        return f"reload-delay mlag {parts[1]}"
    if parts[0] in ("local-interface", "peer-link") and len(parts) == 2:
        name = interface_name(parts[1])
        if name is None:
            raise invalid(words, len(words) - 1)
        return f"{parts[0]} {name}"
    if parts[:2] == ["peer-address", "heartbeat"] and parts[-2:] == ["vrf", "default"]:
        return " ".join(parts[:-2])
    return text


def _allowed_vlans(node: Node, negate: str | None, text: str, words: list[str]) -> None:
    """``switchport trunk allowed vlan [add|remove|except] LIST | all | none``, kept as one line
    holding the resulting set (EOS's semantics; it may print long lists over several lines)."""
    arg = text.split()[4:]
    current_text = next((c.text for c in node.children if c.text.startswith("switchport trunk allowed vlan ")), None)
    current = set(ALL_VLANS) if current_text is None else _allowed_set(current_text.split()[4:])
    if negate or arg == ["all"]:
        result = set(ALL_VLANS)
    elif not arg:
        raise CliError("Incomplete command", "incomplete")
    else:
        try:
            op, values = (arg[0], arg[1:]) if arg[0] in ("add", "remove", "except") else ("set", arg)
            vlans = set() if values == ["none"] else parse_vlans(",".join(values))
        except (ValueError, IndexError):
            raise invalid(words, len(words) - 1) from None
        result = {"add": current | vlans, "remove": current - vlans, "except": set(ALL_VLANS) - vlans, "set": vlans}[op]
    node.children = [c for c in node.children if not c.text.startswith("switchport trunk allowed vlan ")]
    if result != ALL_VLANS:
        cfgedit.set_line(node, "switchport trunk allowed vlan " + (format_vlans(result) or "none"), line_key)


def _allowed_set(arg: list[str]) -> set[int]:
    if arg == ["none"]:
        return set()
    return parse_vlans(",".join(arg))


def allowed_vlans(interface: Node) -> frozenset[int]:
    """VLANs an interface's trunk allows (all when no ``allowed vlan`` line is printed)."""
    for c in interface.children:
        if c.text.startswith("switchport trunk allowed vlan "):
            return frozenset(_allowed_set(c.text.split()[4:]))
    return ALL_VLANS


# --- loading and rendering -------------------------------------------------------------------


def load(text: str, root: Node | None = None) -> Node:
    """Parse a saved or printed EOS configuration (indentation gives the blocks). Lines EOS would
    reject are skipped, as when a startup-config holds a command the image does not know."""
    editor = Editor(root or Node(""))
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("!") or stripped == "end":
            continue
        depth = (len(raw) - len(raw.lstrip())) // len(INDENT)
        try:
            editor.apply(stripped, depth)
        except CliError:
            continue
    return editor.root


_LINE_ORDER = {
    "if": [
        "description", "shutdown", "load-interval", "mtu", "speed", "logging", "flowcontrol", "error-correction",
        "switchport", "vrf", "autostate", "ip address", "ip address virtual", "ip", "ipv6",
        "switchport access vlan", "switchport trunk native vlan", "switchport trunk allowed vlan", "switchport mode",
        "switchport trunk group", "channel-group", "lacp", "port-channel min-links", "port-channel lacp fallback",
        "port-channel lacp fallback timeout", "spanning-tree", "mlag",
    ],
    "mlag": [
        "domain-id", "heartbeat-interval", "local-interface", "peer-address", "peer-address heartbeat", "peer-link",
        "dual-primary detection", "dual-primary recovery", "primary-priority", "reload-delay mlag",
        "reload-delay non-mlag", "shutdown",
    ],
    "vlan": ["name", "state", "trunk group"],
}
"""Line order inside a block as ``show running-config`` prints it (unknown lines keep their place
after the known ones)."""

_TOP_ORDER: list[tuple[str, str]] = [
    ("aaa root", "aaa-root"), ("username", "users"), ("daemon", ""), ("vlan internal", "vlan-internal"),
    ("transceiver", "transceiver"), ("service", "service"), ("lacp system-priority", "lacp"),
    ("hostname", "names"), ("ip name-server", "names"), ("ip domain", "names"), ("dns domain", "names"),
    ("ntp", "ntp"), ("snmp-server", "snmp"), ("spanning-tree", "stp"), ("aaa", "aaa"), ("vlan", ""),
    ("vrf instance", ""), ("management api", ""), ("interface", ""), ("ip virtual-router", "vrouter"),
    ("ip routing", "routing"), ("ipv6 unicast-routing", "routing"), ("ip prefix-list", ""),
    ("mlag configuration", ""), ("ip route", "routes"), ("", "other"), ("route-map", ""), ("router", ""),
    ("management", ""),
]
"""Global sections in print order, and the group that keeps consecutive one-line commands of one
section together between ``!`` separators ("" = a block, always followed by ``!``)."""


def _line_rank(kind: str, text: str) -> int:
    order = _LINE_ORDER[kind]
    body = text.removeprefix("no ")
    best, rank = -1, len(order)
    for i, prefix in enumerate(order):
        if (body == prefix or body.startswith(prefix + " ")) and len(prefix) > best:
            best, rank = len(prefix), i
    return rank


def _top_rank(text: str) -> tuple[int, str]:
    body = text.removeprefix("no ")
    best, found = -1, (len(_TOP_ORDER), "other")
    for i, (prefix, group) in enumerate(_TOP_ORDER):
        if prefix and (body == prefix or body.startswith(prefix + " ")) and len(prefix) > best:
            best, found = len(prefix), (i, group)
    if best < 0:
        found = next((i, g) for i, (p, g) in enumerate(_TOP_ORDER) if p == "")
    return found


def _block_kind(header: str) -> str | None:
    if header.startswith("interface "):
        return "if"
    if header.startswith("vlan ") and header.split()[1][0].isdigit():
        return "vlan"
    if header == "mlag configuration":
        return "mlag"
    return None


def _sorted_children(node: Node, kind: str | None) -> list[Node]:
    if kind in _LINE_ORDER:
        return sorted(node.children, key=lambda c: _line_rank(kind, c.text))
    return list(node.children)


def _render_block(node: Node, depth: int) -> list[str]:
    """A block's lines below its header; nested blocks are preceded by an indented ``!``."""
    out: list[str] = []
    for child in _sorted_children(node, _block_kind(node.text) if depth == 1 else None):
        if child.children and depth >= 1:
            out.append(INDENT * depth + "!")
        out.append(INDENT * depth + child.text)
        out.extend(_render_block(child, depth + 1))
    return out


def _top_sort_key(item: tuple[int, Node]) -> tuple[object, ...]:
    index, node = item
    rank, _ = _top_rank(node.text)
    if node.text.startswith("interface "):
        return rank, interface_sort_key(node.text.split(" ", 1)[1]), index
    if _block_kind(node.text) == "vlan":
        return rank, (int(node.text.split()[1]),), index
    return rank, (), index


def _vlan_groups(vlans: list[Node]) -> list[Node]:
    """VLANs with identical settings print as one block with a range header (``vlan 4-5,9``)."""
    groups: dict[tuple[str, ...], list[int]] = {}
    bodies: dict[tuple[str, ...], Node] = {}
    for node in vlans:
        signature = tuple(_render_block(node, 1))
        groups.setdefault(signature, []).append(int(node.text.split()[1]))
        bodies.setdefault(signature, node)
    merged = []
    for signature, ids in sorted(groups.items(), key=lambda kv: min(kv[1])):
        block = Node(f"vlan {format_vlans(ids)}")
        block.children = bodies[signature].children
        merged.append(block)
    return merged


def render(root: Node) -> str:
    """The configuration body as ``show running-config`` prints it, ending with ``end``."""
    ordered = [node for _, node in sorted(enumerate(root.children), key=_top_sort_key)]
    vlans = [n for n in ordered if _block_kind(n.text) == "vlan"]
    if vlans:
        at = ordered.index(vlans[0])
        ordered = [n for n in ordered if n not in vlans]
        ordered[at:at] = _vlan_groups(vlans)
    lines: list[str] = []
    previous_group: str | None = None
    for node in ordered:
        _, group = _top_rank(node.text)
        block = bool(node.children) or group == "" or _block_kind(node.text) is not None
        if lines and (block or group != previous_group):
            lines.append("!")
        lines.append(node.text)
        lines.extend(_render_block(node, 1))
        previous_group = None if block else group
    if lines:
        lines.append("!")
    lines.append("end")
    return "\n".join(lines) + "\n"


def filter_blocks(text: str, keep: Callable[[str], object]) -> str:
    """``| section X``: the top-level blocks (header and body) with any line ``keep`` accepts."""
    out: list[str] = []
    block: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith(" "):
            block.append(line)
            continue
        if block and any(keep(b) for b in block):
            out.extend(block)
        block = [line] if line and not line.startswith("!") and line != "end" else []
    return "\n".join(out) + ("\n" if out else "")
