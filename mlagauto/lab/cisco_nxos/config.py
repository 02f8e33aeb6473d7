"""The running configuration of a simulated Nexus, edited the way ``configure terminal`` edits it
and printed the way NX-OS 9.3 ``show running-config`` prints it.

The configuration is a ``configtree.Node`` tree whose top level holds one node per statement or
block (``hostname``, ``feature``, one ``vlan N`` node per VLAN, ``vpc domain``, ``interface``).
Editing is line by line through a ``ConfigSession``: NX-OS applies every line at once, so there is
no candidate. Rendering sorts the blocks into the device's own section order, whatever order they
were typed in, which is why a pushed config reads back in the platform's rendering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mlagauto.configtree import Node, parse_indented
from mlagauto.lab import cfgedit

VERSION = "9.3(8)"
VLAN_RESERVED = 3968
"""VLANs 3968-4094 are reserved for internal use by default."""
ETHERNET_PORTS = 64
"""A Nexus 9300v has Ethernet1/1-64."""


class CliError(Exception):
    """A line the device refuses: ``column`` is where NX-OS puts its ``^`` marker (None for
    errors printed without one)."""

    def __init__(self, message: str, column: int | None = 0, word: int | None = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.word = word
        """Set instead of ``column`` where only the index of the offending word is known."""


def invalid(column: int = 0) -> CliError:
    return CliError("% Invalid command at '^' marker.", column)


@dataclass
class Question:
    """A yes/no question the device asks before a destructive change (unless ``terminal
    dont-ask``); ``action`` runs when the answer is yes."""

    text: str
    action: Callable[[], str]
    default_yes: bool = False
    """What an empty answer means."""


# --- VLAN lists and interface names ----------------------------------------------------------------
def parse_vlans(spec: str, limit: int = 4094) -> list[int]:
    """``1-3,10`` -> [1, 2, 3, 10]; ValueError on anything NX-OS would refuse."""
    out: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= limit:
            raise ValueError(spec)
        out.update(range(first, last + 1))
    return sorted(out)


def vlan_ranges(ids: Iterable[int]) -> str:
    """[1, 2, 3, 10] -> ``1-3,10``, the way NX-OS prints VLAN lists."""
    runs: list[list[int]] = []
    for vid in sorted(set(ids)):
        if runs and vid == runs[-1][1] + 1:
            runs[-1][1] = vid
        else:
            runs.append([vid, vid])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


_IF_TYPES: tuple[tuple[str, str, int], ...] = (
    ("vlan", "Vlan", 0),
    ("port-channel", "port-channel", 1),
    ("ethernet", "Ethernet", 2),
    ("mgmt", "mgmt", 3),
    ("loopback", "loopback", 4),
)
"""Interface types as typed (any unambiguous prefix), as printed, and their rank in show run."""
_IF_LIMITS = {"Vlan": (1, 4094), "port-channel": (1, 4096), "mgmt": (0, 0), "loopback": (0, 1023)}
_IF_PART = re.compile(r"^([A-Za-z-]+)\s*(\d+(?:/\d+){0,2})(?:\s*-\s*(\d+))?$")


def interface_names(spec: str) -> list[str]:
    """``Ethernet1/4-5, po11`` -> [Ethernet1/4, Ethernet1/5, port-channel11]; ValueError when
    NX-OS would refuse the name."""
    names: list[str] = []
    for part in spec.split(","):
        match = _IF_PART.match(part.strip())
        if not match:
            raise ValueError(part)
        typed, number, last = match.groups()
        kinds = [shown for full, shown, _ in _IF_TYPES if full.startswith(typed.lower())]
        if len(kinds) != 1:
            raise ValueError(part)
        *head, first = number.split("/")
        for n in range(int(first), int(last or first) + 1):
            names.append(_checked(kinds[0], "/".join([*head, str(n)])))
    return names


def _checked(kind: str, number: str) -> str:
    parts = [int(p) for p in number.split("/")]
    if kind == "Ethernet":
        if len(parts) < 2 or parts[0] != 1 or not 1 <= parts[1] <= ETHERNET_PORTS:
            raise ValueError(number)
    elif len(parts) != 1 or not _IF_LIMITS[kind][0] <= parts[0] <= _IF_LIMITS[kind][1]:
        raise ValueError(number)
    return kind + number


def interface_order(name: str) -> tuple[int, ...]:
    """Sort key: Vlan, port-channel, Ethernet, mgmt, loopback; numbers numerically."""
    for _, shown, rank in _IF_TYPES:
        if name.startswith(shown):
            return (rank, *(int(p) for p in name[len(shown) :].split("/")))
    return (9,)


def short_name(name: str) -> str:
    """``port-channel11`` -> ``Po11``, ``Ethernet1/1`` -> ``Eth1/1`` (show-command columns)."""
    return name.replace("port-channel", "Po").replace("Ethernet", "Eth")


# --- what a line means: keys, defaults, negations -----------------------------------------------------
_VALUED: tuple[tuple[str, ...], ...] = (
    ("switchport", "trunk", "native", "vlan"),
    ("switchport", "trunk", "allowed", "vlan"),
    ("switchport", "access", "vlan"),
    ("delay", "restore", "interface-vlan"),
    ("delay", "restore", "orphan-port"),
    ("switchport", "mode"),
    ("spanning-tree", "port", "type"),
    ("spanning-tree", "mode"),
    ("lacp", "rate"),
    ("lacp", "min-links"),
    ("lacp", "max-bundle"),
    ("lacp", "system-priority"),
    ("role", "priority"),
    ("ip", "address"),
    ("vrf", "member"),
    ("delay", "restore"),
    ("description",),
    ("mtu",),
    ("speed",),
    ("duplex",),
    ("vpc",),
    ("channel-group",),
    ("system-priority",),
    ("system-mac",),
    ("peer-keepalive",),
    ("auto-recovery",),
    ("name",),
    ("hostname",),
    ("bandwidth",),
    ("state",),
    ("load-interval",),
)
"""Statements that hold one value: setting one replaces the previous value (longest first)."""

_DEFAULTS = frozenset(
    {
        "switchport mode access",
        "switchport access vlan 1",
        "switchport trunk native vlan 1",
        "switchport trunk allowed vlan 1-4094",
        "mtu 1500",
        "lacp min-links 1",
        "lacp rate normal",
        "role priority 32667",
        "system-priority 32667",
        "delay restore 30",
        "delay restore interface-vlan 10",
        "spanning-tree mode rapid-pvst",
        "spanning-tree port type normal",
        "state active",
    }
)
"""Lines that restore a default: NX-OS stores nothing for them, so show run leaves them out."""

_STORED_NEGATIONS = frozenset(
    {"switchport", "lacp suspend-individual", "lacp graceful-convergence", "graceful consistency-check", "ip redirects"}
)
"""Settings that are on by default: their ``no`` form is what show run prints."""


def line_key(text: str) -> str:
    """What a line sets, so a new value replaces the old one (``mtu 9216`` replaces ``mtu 1500``)."""
    words = text.split()
    if words[:2] == ["spanning-tree", "vlan"]:
        return " ".join(words[:4])
    for prefix in _VALUED:
        if tuple(words[: len(prefix)]) == prefix:
            return " ".join(prefix)
    return text


_NUMBERS: tuple[tuple[tuple[str, ...], int, int], ...] = (
    (("delay", "restore", "interface-vlan"), 1, 3600),
    (("delay", "restore", "orphan-port"), 0, 300),
    (("switchport", "trunk", "native", "vlan"), 1, 4094),
    (("switchport", "access", "vlan"), 1, 4094),
    (("auto-recovery", "reload-delay"), 240, 3600),
    (("role", "priority"), 1, 65535),
    (("delay", "restore"), 1, 3600),
    (("lacp", "min-links"), 1, 32),
    (("system-priority",), 1, 65535),
    (("mtu",), 576, 9216),
)
"""Numeric arguments and their ranges (longest statement first)."""
_ARGUMENTS: dict[tuple[str, ...], int] = {
    ("system-mac",): 1,
    ("peer-keepalive",): 2,
    ("spanning-tree", "port", "type"): 1,
    ("switchport", "mode"): 1,
    ("description",): 1,
    ("hostname",): 1,
    ("switchname",): 1,
    ("name",): 1,
}
"""Statements and how many arguments they need at least."""


def check_arguments(words: list[str], line: str) -> None:
    """Refuse a missing or out-of-range argument the way NX-OS does, so whatever is stored reads
    back as a valid value."""
    for prefix, low, high in _NUMBERS:
        if tuple(words[: len(prefix)]) == prefix:
            index = len(prefix)
            if index >= len(words):
                raise CliError("% Incomplete command at '^' marker.", len(line.rstrip()))
            if not words[index].isdigit() or not low <= int(words[index]) <= high:
                raise CliError(f"% Invalid number, range is ({low}:{high}) at '^' marker.", column_of(line, index))
            return
    for prefix, count in _ARGUMENTS.items():
        if tuple(words[: len(prefix)]) == prefix and len(words) < len(prefix) + count:
            raise CliError("% Incomplete command at '^' marker.", len(line.rstrip()))


# --- grammar: which statements each mode takes -------------------------------------------------------
_Rule = frozenset[str] | Callable[[list[str]], bool] | None
"""None: any arguments; a set: the allowed second words; a callable: a check of the arguments
(a ``no`` form may leave the arguments out)."""


def _vpc_in_interface(args: list[str]) -> bool:
    return bool(args) and (args[0].isdigit() or args[0] in ("peer-link", "orphan-port"))


def _stp_in_interface(args: list[str]) -> bool:
    words = {"port", "bpduguard", "bpdufilter", "guard", "cost", "port-priority", "link-type"}
    return bool(args) and (args[0] in words or (args[0] == "vlan" and args[-2:-1] != ["priority"]))


GRAMMAR: dict[str, dict[str, _Rule]] = {
    "config": {
        "hostname": None, "switchname": None, "feature": None, "vlan": None, "spanning-tree": None,
        "vrf": frozenset({"context"}), "vpc": frozenset({"domain"}), "interface": None, "port-channel": None,
        "lacp": frozenset({"system-priority"}), "ip": None, "ipv6": None, "username": None, "ntp": None,
        "logging": None, "snmp-server": None, "system": None, "boot": None, "cli": None, "clock": None,
        "errdisable": None, "service": None, "copp": None, "rmon": None, "password": None, "udld": None,
        "lldp": None, "cdp": None, "hardware": None, "power": None, "license": None,
    },
    "config-if": {
        "description": None, "switchport": None, "mtu": None, "speed": None, "duplex": None, "shutdown": None,
        "channel-group": None, "vpc": _vpc_in_interface, "spanning-tree": _stp_in_interface,
        "lacp": frozenset({"rate", "min-links", "max-bundle", "suspend-individual", "graceful-convergence", "port-priority"}),
        "ip": None, "ipv6": None, "vrf": frozenset({"member"}), "bandwidth": None, "load-interval": None, "cdp": None,
        "lldp": None, "udld": None, "storm-control": None, "link": None, "negotiate": None, "fec": None, "delay": None,
    },
    "config-vpc-domain": {
        "peer-switch": None, "role": frozenset({"priority"}), "system-priority": None, "system-mac": None,
        "peer-keepalive": None, "delay": frozenset({"restore"}), "peer-gateway": None, "auto-recovery": None,
        "ip": frozenset({"arp"}), "ipv6": frozenset({"nd"}), "graceful": frozenset({"consistency-check"}),
        "layer3": frozenset({"peer-router"}), "fast-convergence": None, "dual-active": None, "shutdown": None,
        "track": None, "peer-config-check-bypass": None,
    },
    "config-vlan": {"name": None, "state": None, "shutdown": None, "vn-segment": None, "mode": None},
    "config-vrf": {"ip": None, "ipv6": None, "description": None, "rd": None, "vni": None},
}


def accepts(mode: str, words: list[str]) -> int | None:
    """None when ``mode`` takes the statement, else the index of the word NX-OS marks."""
    offset = 1 if words[0] == "no" else 0
    table = GRAMMAR[mode]
    if len(words) <= offset or words[offset] not in table:
        return offset
    rule = table[words[offset]]
    args = words[offset + 1 :]
    if rule is None or (offset and not args):
        return None
    if isinstance(rule, frozenset):
        return None if args and args[0] in rule else offset + 1
    return None if rule(args) else offset + 1


# --- the configuration --------------------------------------------------------------------------------
_TOP_GROUPS: tuple[tuple[str, int], ...] = (
    ("hostname ", 0),
    ("feature ", 1),
    ("vlan ", 3),
    ("spanning-tree ", 4),
    ("vrf context ", 4),
    ("vpc domain ", 4),
    ("interface ", 5),
)
"""Section of show run each top-level statement prints in; anything else goes to section 2."""


def _placement(node: Node) -> tuple[int, int, tuple[int, ...]]:
    """Sort key of a top-level node: section, order inside the section, number."""
    text = node.text
    for prefix, group in _TOP_GROUPS:
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            if group == 5:
                return group, 0, interface_order(rest)
            if prefix == "vlan ":
                return group, 0, (int(rest),)
            return group, ("spanning-tree ", "vrf context ", "vpc domain ").index(prefix) if group == 4 else 0, ()
    return 2, 0, ()


@dataclass
class NxosConfig:
    """The running configuration tree and the operations config mode performs on it."""

    root: Node = field(default_factory=lambda: Node(""))

    # -- reading -----------------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        return self.root.value("hostname") or "switch"

    def blocks(self, prefix: str) -> list[Node]:
        return list(self.root.find(prefix))

    # -- loading -----------------------------------------------------------------------------------
    def load(self, text: str) -> list[str]:
        """Replace everything with ``text`` (a show run listing or a checkpoint file), replaying
        each line through config mode so it is stored exactly as if typed; returns the refused
        lines. What every Nexus has (VLAN 1, VRF management, mgmt0) stays, and so does the
        hostname when ``text`` sets none."""
        hostname = self.root.first("hostname")
        self.root = Node("")
        self.ensure_vlan(1)
        cfgedit.ensure_child(self.root, "vrf context management")
        mgmt = cfgedit.ensure_child(self.root, "interface mgmt0")
        cfgedit.set_line(mgmt, "vrf member management", line_key)
        refused = self.merge(text)
        if hostname is not None and self.root.first("hostname") is None:
            self.root.children.insert(0, hostname)
        return refused

    def merge(self, text: str) -> list[str]:
        """Apply a listing on top of the current config, block by block; returns the lines the
        device refused (a refused block header skips its block)."""
        session = ConfigSession(self, dont_ask=True)
        refused: list[str] = []
        for node in parse_indented(text).children:
            session.mode, session.targets = "config", []
            if node.text.startswith("version "):
                continue
            for line in (node, *node.walk()):
                try:
                    session.apply(line.text)
                except CliError:
                    refused.append(line.text)
                    if line is node:
                        break
        return refused

    # -- editing -----------------------------------------------------------------------------------
    def ensure_vlan(self, vid: int) -> Node:
        return cfgedit.ensure_child(self.root, f"vlan {vid}")

    def remove_top(self, text: str) -> None:
        self.root.children = [c for c in self.root.children if c.text != text]

    def remove_vpc(self) -> None:
        """What ``no feature vpc`` takes along: the domain block and the ``vpc`` statements of
        every port-channel (``no vpc domain`` removes the domain only)."""
        self.root.children = [c for c in self.root.children if not c.text.startswith("vpc domain ")]
        for node in self.root.find("interface"):
            node.children = [c for c in node.children if line_key(c.text) != "vpc"]

    # -- rendering ---------------------------------------------------------------------------------
    def render(self, full: bool = False) -> str:
        """The body of show run (from ``hostname`` on), with ``full`` the ``all`` variant that also
        prints the defaults of the vPC domain, VLANs and interfaces."""
        groups: dict[int, list[Node]] = {}
        for node in _stp_vlan_ranges(sorted(self.root.children, key=_placement)):
            groups.setdefault(_placement(node)[0], []).append(node)
        sections: list[list[str]] = []
        for group in sorted(groups):
            nodes = groups[group]
            if group == 3:
                sections.append(self._render_vlans(nodes, full))
            elif group == 5:
                sections.append([line for node in nodes for line in ["", *self._render_block(node, full)]])
            else:
                sections.append([line for node in nodes for line in self._render_block(node, full)])
        lines: list[str] = []
        for section in sections:
            if lines:
                lines.append("")
            lines.extend(section)
        return "\n".join(lines) + "\n"

    def render_vpc(self) -> str:
        """``show running-config vpc``: the feature, the domain and each interface's vpc line."""
        view = NxosConfig()
        view.root.children = [Node("feature vpc")] if self.root.has("feature vpc") else []
        view.root.children += [cfgedit.clone(n) for n in self.root.find("vpc domain")]
        for node in self.root.find("interface"):
            lines = [cfgedit.clone(c) for c in node.children if line_key(c.text) == "vpc"]
            if lines:
                block = Node(node.text)
                block.children = lines
                view.root.children.append(block)
        return view.render()

    def render_interfaces(self, names: list[str], full: bool) -> str:
        """``show running-config interface X``: those interfaces' blocks."""
        lines: list[str] = []
        for node in sorted(self.root.find("interface"), key=_placement):
            if node.text.split(" ", 1)[1] in names:
                lines += ["", *self._render_block(node, full)]
        return "\n".join(lines) + "\n"

    def _render_vlans(self, nodes: list[Node], full: bool) -> list[str]:
        ids = [int(n.text.split()[1]) for n in nodes]
        out = [f"vlan {vlan_ranges(ids)}"]
        for vid, node in zip(ids, nodes):
            lines = [c.text for c in node.children]
            if full:
                if not node.first("name"):
                    lines.insert(0, "name default" if vid == 1 else f"name VLAN{vid:04d}")
                lines += [] if node.first("state") else ["state active"]
                lines += [] if node.has("shutdown") else ["no shutdown"]
            if lines:
                out += [node.text, *(f"  {line}" for line in lines)]
        return out

    def _render_block(self, node: Node, full: bool) -> list[str]:
        lines = [c.text for c in node.children]
        if full:
            lines += _implicit_lines(node)
        return [node.text, *(f"  {line}" for line in lines)]


_STP_VLAN_PRIORITY = re.compile(r"spanning-tree vlan (\d+) priority (\d+)")


def _stp_vlan_ranges(nodes: list[Node]) -> list[Node]:
    """The per-VLAN ``spanning-tree vlan N priority P`` statements as show run prints them: one
    line per priority with its VLANs as a range, where the first of them stood."""
    out: list[Node] = []
    ranges: dict[str, tuple[Node, list[int]]] = {}
    for node in nodes:
        match = _STP_VLAN_PRIORITY.fullmatch(node.text)
        if match is None:
            out.append(node)
            continue
        vid, priority = match.groups()
        if priority not in ranges:
            ranges[priority] = (Node(""), [])
            out.append(ranges[priority][0])
        ranges[priority][1].append(int(vid))
    for priority, (line, vids) in ranges.items():
        line.text = f"spanning-tree vlan {vlan_ranges(vids)} priority {priority}"
    return out


def _implicit_lines(node: Node) -> list[str]:
    """Defaults ``show running-config all`` adds to a block."""
    keys = {line_key(c.text) for c in node.children}
    if node.text.startswith("vpc domain "):
        implicit = {
            "role priority": "role priority 32667",
            "system-priority": "system-priority 32667",
            "delay restore": "delay restore 30",
            "delay restore interface-vlan": "delay restore interface-vlan 10",
            "auto-recovery": "no auto-recovery",
            "no graceful consistency-check": "graceful consistency-check",
        }
        return [line for key, line in implicit.items() if key not in keys]
    if node.text.startswith("interface "):
        routed = node.has("no switchport") or node.text in ("interface mgmt0",) or node.text.startswith(("interface loopback", "interface Vlan"))
        implicit = {"mtu": "mtu 1500", "shutdown": "no shutdown"}
        if not routed:
            implicit = {"switchport mode": "switchport mode access", **implicit}
        return [line for key, line in implicit.items() if key not in keys]
    return []


# --- config mode --------------------------------------------------------------------------------------
_BLOCK_HEADS = frozenset({"interface", "vpc", "vlan", "vrf"})
"""Global statements that open a block (and a sub-mode)."""
_PEER_LINK_NOTE = (
    'Please note that spanning tree port type is changed to "network" port type on vPC peer-link.\n'
    "This will enable spanning tree Bridge Assurance on vPC peer-link provided the STP Bridge Assurance\n"
    "(which is enabled by default) is not disabled."
)
_PEER_GATEWAY_NOTE = "Warning: Disable IP redirects on all interface-vlans of this vPC domain for correct operation of this feature."


@dataclass
class ConfigSession:
    """Position of one configure-terminal session: its mode and the blocks it edits (several for
    ``interface Ethernet1/4-5`` or ``vlan 10,20``)."""

    config: NxosConfig
    dont_ask: bool = False
    mode: str = "config"
    targets: list[Node] = field(default_factory=list)
    question: Question | None = None

    @property
    def prompt_mode(self) -> str:
        return "config-if-range" if self.mode == "config-if" and len(self.targets) > 1 else self.mode

    def apply(self, line: str) -> str:
        """Run one configuration line; returns what the device prints (warnings), raises CliError."""
        return self.apply_words(line.split(), line)

    def apply_words(self, words: list[str], line: str) -> str:
        """A line that is not a statement of the current sub-mode leaves it for the global level,
        as on the device, so pasted configs need no ``exit`` lines."""
        if words[0] != "no":
            check_arguments(words, line)
        if self.mode != "config" and accepts(self.mode, words) is None:
            return self._in_block(words, line)
        bad = accepts("config", words)
        if bad is not None:
            if self.mode != "config":
                bad = max(bad, accepts(self.mode, words) or 0)
            raise invalid(column_of(line, bad))
        return self._global(words, line)

    # -- global level ------------------------------------------------------------------------------
    def _global(self, words: list[str], line: str) -> str:
        negate = words[0] == "no"
        body = words[1:] if negate else words
        head = body[0]
        if head in _BLOCK_HEADS:
            return self._block(head, body, negate, line)
        self.mode, self.targets = "config", []
        if head == "switchname":
            body = ["hostname", *body[1:]]
        if negate and body == ["feature", "vpc"]:
            self.config.remove_vpc()
        if body[:2] == ["spanning-tree", "vlan"] and body[3:4] == ["priority"]:
            return self._stp_vlan_priority(body, negate, line)
        self._set(self.config.root, body, negate)
        return ""

    def _stp_vlan_priority(self, body: list[str], negate: bool, line: str) -> str:
        """NX-OS keeps the bridge priority per VLAN: ``spanning-tree vlan 1,10 priority 4096``
        sets it for VLANs 1 and 10 (``no`` resets just those), and show run prints the VLANs
        sharing a priority as one range."""
        try:
            ids = parse_vlans(body[2])
        except ValueError:
            raise CliError("% Invalid range at '^' marker.", column_of(line, 3 if negate else 2)) from None
        for vid in ids:
            self._set(self.config.root, ["spanning-tree", "vlan", str(vid), *body[3:]], negate)
        return ""

    def _block(self, head: str, body: list[str], negate: bool, line: str) -> str:
        arg_column = column_of(line, 2 if negate else 1)
        if head == "vlan":
            return self._vlans(body, negate, arg_column)
        if head == "interface":
            return self._interfaces(" ".join(body[1:]), negate, arg_column)
        if head == "vpc":
            return self._vpc_domain(body, negate, line)
        name = " ".join(body[2:])
        if not name:
            raise CliError("% Incomplete command at '^' marker.", len(line.rstrip()))
        text = f"vrf context {name}"
        if negate:
            self.config.remove_top(text)
            self.mode, self.targets = "config", []
            return ""
        self._enter("config-vrf", [cfgedit.ensure_child(self.config.root, text)])
        return ""

    def _vlans(self, body: list[str], negate: bool, column: int) -> str:
        try:
            ids = parse_vlans(body[1] if len(body) == 2 else "", VLAN_RESERVED - 1)
        except ValueError:
            raise CliError("% Invalid range at '^' marker.", column) from None
        if negate:
            for vid in ids:
                if vid != 1:
                    self.config.remove_top(f"vlan {vid}")
            self.mode, self.targets = "config", []
            return ""
        self._enter("config-vlan", [self.config.ensure_vlan(vid) for vid in ids])
        return ""

    def _interfaces(self, spec: str, negate: bool, column: int) -> str:
        try:
            names = interface_names(spec)
        except ValueError:
            raise CliError("% Invalid interface format at '^' marker.", column) from None
        if negate:
            for name in names:
                self._remove_interface(name)
            self.mode, self.targets = "config", []
            return ""
        self._enter("config-if", [cfgedit.ensure_child(self.config.root, f"interface {n}") for n in names])
        return ""

    def _remove_interface(self, name: str) -> None:
        """Deleting a port-channel also takes its members out of it; a physical port returns to its
        defaults."""
        self.config.remove_top(f"interface {name}")
        if name.startswith("port-channel"):
            group = name[len("port-channel") :]
            for node in self.config.root.find("interface Ethernet"):
                node.children = [c for c in node.children if c.text.split()[:2] != ["channel-group", group]]

    def _vpc_domain(self, body: list[str], negate: bool, line: str) -> str:
        """One domain per switch; the commands exist only with ``feature vpc``."""
        if not self.config.root.has("feature vpc"):
            raise invalid(column_of(line, 1 if negate else 0))
        if len(body) != 3 or not body[2].isdigit() or not 1 <= int(body[2]) <= 1000:
            raise CliError("% Invalid number, range is (1:1000) at '^' marker.", column_of(line, 3 if negate else 2))
        text = f"vpc domain {body[2]}"
        existing = self.config.blocks("vpc domain")
        self.mode, self.targets = "config", []
        if negate:
            if not any(n.text == text for n in existing):
                return ""
            return self._ask("Deleting the vPC domain will bring down the vPC peer-link and all vPCs. Do you want to continue (yes/no)? [no] ", lambda: self.config.remove_top(text))
        if existing and existing[0].text != text:
            current = existing[0].text.split()[-1]
            raise CliError(f"ERROR: Cannot change the vPC domain id, domain {current} is configured. Remove it first (no vpc domain {current})", None)
        self._enter("config-vpc-domain", [cfgedit.ensure_child(self.config.root, text)])
        return ""

    def _ask(self, text: str, action: Callable[[], None]) -> str:
        def run() -> str:
            action()
            return ""

        if self.dont_ask:
            return run()
        self.question = Question(text, run)
        return text

    def _enter(self, mode: str, targets: list[Node]) -> None:
        self.mode, self.targets = mode, targets

    # -- inside a block ----------------------------------------------------------------------------
    def _in_block(self, words: list[str], line: str) -> str:
        negate = words[0] == "no"
        body = words[1:] if negate else words
        notes = [self._block_line(node, body, negate, line) for node in self.targets]
        return next((n for n in notes if n), "")

    def _block_line(self, node: Node, body: list[str], negate: bool, line: str) -> str:
        if self.mode == "config-if":
            return self._interface_line(node, body, negate, line)
        if self.mode == "config-vpc-domain" and body[0] == "peer-keepalive" and not negate:
            body = _without_default_vrf(body)
        self._set(node, body, negate)
        return _PEER_GATEWAY_NOTE if body == ["peer-gateway"] and not negate else ""

    def _interface_line(self, node: Node, body: list[str], negate: bool, line: str) -> str:
        """Interface statements with side effects or checks beyond storing the line."""
        name = node.text.split(" ", 1)[1]
        if body[0] == "vpc":
            if not self.config.root.has("feature vpc") or not name.startswith("port-channel"):
                raise invalid(column_of(line, int(negate)))
        if body[:4] == ["switchport", "trunk", "allowed", "vlan"] and not negate:
            body = _allowed_vlans(node, body, column_of(line, 4))
        if body[0] == "channel-group" and not negate:
            body = self._channel_group(body, line)
        if body == ["switchport"] and negate:
            node.children = [c for c in node.children if not c.text.startswith("switchport ")]
        self._set(node, body, negate)
        return _PEER_LINK_NOTE if body == ["vpc", "peer-link"] and not negate else ""

    def _channel_group(self, body: list[str], line: str) -> list[str]:
        """``channel-group N [mode M]``: creates ``interface port-channelN`` as NX-OS does, and is
        stored without ``mode on`` (show run leaves it out)."""
        if len(body) < 2 or not body[1].isdigit() or not 1 <= int(body[1]) <= 4096:
            raise CliError("% Invalid number, range is (1:4096) at '^' marker.", column_of(line, 1))
        if body[2:3] == ["mode"] and body[3:4] not in (["active"], ["passive"], ["on"]):
            raise invalid(column_of(line, 3))
        cfgedit.ensure_child(self.config.root, f"interface port-channel{body[1]}")
        return body[:2] if body[2:] == ["mode", "on"] else body

    # -- storing -----------------------------------------------------------------------------------
    def _set(self, parent: Node, body: list[str], negate: bool) -> None:
        """Store ``body`` (or its ``no`` form) the way show run will print it."""
        text = " ".join(body)
        if text in _STORED_NEGATIONS:
            if negate:
                cfgedit.set_line(parent, f"no {text}", line_key)
            else:
                cfgedit.remove_lines(parent, f"no {text}", line_key)
            return
        if negate:
            cfgedit.remove_lines(parent, text, line_key)
            return
        if text in _DEFAULTS:
            cfgedit.remove_lines(parent, line_key(text), line_key)
            return
        cfgedit.set_line(parent, text, line_key)


def column_of(line: str, word_index: int) -> int:
    """Column of the ``word_index``-th word of ``line`` (its end when there are fewer words)."""
    pos = 0
    for i, match in enumerate(re.finditer(r"\S+", line)):
        pos = match.start()
        if i == word_index:
            return pos
    return len(line.rstrip()) + 1


def _without_default_vrf(body: list[str]) -> list[str]:
    """``vrf management`` is the keepalive default and show run leaves it out."""
    for i in range(len(body) - 1):
        if body[i : i + 2] == ["vrf", "management"]:
            return body[:i] + body[i + 2 :]
    return body


def _allowed_vlans(node: Node, body: list[str], column: int) -> list[str]:
    """``switchport trunk allowed vlan [add|remove|except|all|none] LIST`` -> the resulting list."""
    current_text = node.value("switchport trunk allowed vlan")
    current = set(range(1, 4095)) if current_text in (None, "") else set() if current_text == "none" else set(parse_vlans(current_text))
    args = body[4:]
    try:
        if args in (["all"], ["none"]):
            result = set(range(1, 4095)) if args == ["all"] else set()
        elif len(args) == 2 and args[0] in ("add", "remove", "except"):
            ids = set(parse_vlans(args[1]))
            result = {"add": current | ids, "remove": current - ids, "except": set(range(1, 4095)) - ids}[args[0]]
        elif len(args) == 1:
            result = set(parse_vlans(args[0]))
        else:
            raise ValueError(args)
    except ValueError:
        raise CliError("% Invalid range at '^' marker.", column) from None
    return [*body[:4], vlan_ranges(result) if result else "none"]
