"""The VRP V8 configuration of a simulated CloudEngine: one CLI line applied in a view, and the
tree rendered the way ``display current-configuration`` prints it.

VRP does not print the configuration in the order it was typed: global commands are grouped by
feature between ``#`` lines, interfaces come in a fixed type order, VLAN lists are merged sets
(``vlan batch 10 20`` then ``vlan batch 30`` shows ``vlan batch 10 20 30``) and values equal to
the device default are not shown at all. This module reproduces those rules on a
``mlagauto.configtree.Node`` tree, so that what a client pushes comes back in the device's form.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import ClassVar

from mlagauto.configtree import Node, parse_indented
from mlagauto.lab import cfgedit

SOFTWARE_VERSION = "V300R023C00SPC500"
CIPHER_MARK = "%+%#"
VLAN_ITEMS_PER_LINE = 10

SYSTEM_WORDS = frozenset(
    "sysname vlan stp lacp dfs-group interface ip ipv6 ntp-service info-center snmp-agent ssh stelnet "
    "clock dns header mac-address arp lldp telnet ftp sftp http aaa user-interface bfd evpn "
    "bridge-domain route-policy device license".split()
)
"""First words the system view accepts (a line starting with another word is refused)."""

_INTERFACE_COMMON = "description ip ipv6 shutdown mac-address arp mtu statistics".split()
_SWITCHPORT = "port stp jumboframe portswitch m-lag storm-suppression lldp lacp".split()
VIEW_WORDS: dict[str, frozenset[str]] = {
    "dfs-group": frozenset("priority dual-active authentication-mode m-lag source consistency-check".split()),
    "trunk": frozenset(_INTERFACE_COMMON + _SWITCHPORT + "mode peer-link dfs-group least max trunkport load-balance".split()),
    "port": frozenset(_INTERFACE_COMMON + _SWITCHPORT + "eth-trunk speed negotiation device fec port-mode".split()),
    "l3if": frozenset(_INTERFACE_COMMON + "vrrp source vni".split()),
    "vlan": frozenset("name description".split()),
    "vpn": frozenset("ipv4-family ipv6-family description route-distinguisher vpn-target".split()),
    "vpn-af": frozenset("route-distinguisher vpn-target import export apply-label tnl-policy".split()),
}
"""First words each sub-view accepts; a ``generic`` view (aaa, user-interface ...) takes any word
the system view does not own."""
SYSTEM_ONLY = frozenset({"stp mode", "stp v-stp", "stp bridge-address", "stp instance", "vlan batch"})
"""Commands that share their first word with an interface command but exist only in the system
view, so typing one in an interface view goes back to the system view."""

_KEYS = sorted(
    (
        "sysname", "stp mode", "stp v-stp", "stp bridge-address", "stp instance 0 priority", "stp instance 0 root",
        "stp edged-port", "stp root-protection", "stp", "lacp m-lag system-id", "lacp m-lag priority",
        "lacp priority", "lacp timeout", "priority", "dual-active detection", "source ip", "authentication-mode",
        "m-lag up-delay", "consistency-check", "description", "mode", "peer-link", "port link-type",
        "port default vlan", "port trunk pvid vlan", "dfs-group", "eth-trunk", "name", "jumboframe enable",
        "least active-linknumber", "max active-linknumber", "ip address", "ip binding vpn-instance",
        "route-distinguisher", "shutdown", "load-balance", "portswitch", "undo portswitch",
    ),
    key=len,
    reverse=True,
)
"""Settings that hold one value: typing one replaces the previous line with the same key."""

_KEY_ALIASES = {"undo portswitch": "portswitch"}

DEFAULT_LINES = frozenset(
    {
        "lacp timeout slow", "mode manual load-balance", "port link-type access", "priority 100",
        "m-lag up-delay 240", "stp mode mstp", "jumboframe enable 9216", "least active-linknumber 1",
        "port trunk pvid vlan 1", "port default vlan 1", "lacp m-lag priority 32768", "portswitch",
    }
)
"""Values equal to the device default: setting one removes the line, as VRP never prints them."""

VLAN_SETS = ("vlan batch", "port trunk allow-pass vlan", "port vlan exclude", "port hybrid tagged vlan", "port hybrid untagged vlan")
"""Commands whose VLAN lists add to (and ``undo`` removes from) one set instead of replacing it."""
_UNDO_VLAN1 = "undo port trunk allow-pass vlan 1"

_IF_TYPES = {
    t.lower(): t
    for t in ("Eth-Trunk", "MEth", "Vlanif", "LoopBack", "Nve", "NULL", "Tunnel", "GE", "MultiGE", "10GE", "25GE", "40GE", "50GE", "100GE", "200GE", "400GE")
}
PHYSICAL_TYPES = ("GE", "MultiGE", "10GE", "25GE", "40GE", "50GE", "100GE", "200GE", "400GE")
_IF_ORDER = {"Vlanif": 0, "MEth": 1, "Eth-Trunk": 2, "LoopBack": 4, "Nve": 5}
_IF_NAME = re.compile(r"^(\d*[a-z][a-z-]*?)(\d+(?:/\d+)*(?::\d+)?)$", re.IGNORECASE)


class CliError(Exception):
    """A line the device refuses; ``token`` is the index of the word under the caret (the word
    count means "after the last word")."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "unrecognized": "Unrecognized command found at '^' position.",
        "incomplete": "Incomplete command found at '^' position.",
        "wrong": "Wrong parameter found at '^' position.",
        "too-many": "Too many parameters found at '^' position.",
    }

    def __init__(self, kind: str, token: int):
        super().__init__(self.MESSAGES[kind])
        self.kind = kind
        self.token = token


def expand(word: str, choices: tuple[str, ...], index: int) -> str:
    """The command a unique abbreviation stands for (``dis`` -> ``display``); VRP accepts any
    unambiguous prefix of a keyword."""
    if word in choices:
        return word
    matches = [c for c in choices if c.startswith(word)]
    if len(matches) != 1:
        raise CliError("unrecognized", index)
    return matches[0]


# --- text <-> tree ------------------------------------------------------------------------------
def parse(text: str) -> Node:
    """The tree of a ``display current-configuration`` text (``#`` / ``!`` lines and the final
    ``return`` dropped; VLAN lists wrapped over several lines merged back into one set)."""
    root = parse_indented(text, "#!")
    root.children = [c for c in root.children if c.text != "return"]
    _merge_vlan_lines(root)
    return root


def _merge_vlan_lines(node: Node) -> None:
    merged: dict[str, Node] = {}
    kept: list[Node] = []
    for child in node.children:
        prefix = vlan_set_prefix(child.text)
        if prefix is None:
            kept.append(child)
            _merge_vlan_lines(child)
            continue
        if prefix in merged:
            values = vlan_values(child.text.split()[len(prefix.split()) :]) | vlan_values(merged[prefix].text.split()[len(prefix.split()) :])
            merged[prefix].text = f"{prefix} {format_vlans(values)}"
            continue
        merged[prefix] = child
        kept.append(child)
    node.children = kept


def render(root: Node) -> str:
    """``display current-configuration`` of a tree: version line, ``#`` between feature groups
    and blocks, one-space indentation, ``return`` at the end."""
    lines = [f"!Software Version {SOFTWARE_VERSION}"]
    previous_group: str | None = None
    for node in sorted(root.children, key=_top_order):
        body = _render_node(node, 0)
        if not body:
            continue
        group = node.text if opens_view(node.text) else node.text.split()[0]
        if group != previous_group or opens_view(node.text):
            lines.append("#")
        previous_group = group
        lines.extend(body)
    lines += ["#", "return"]
    return "\n".join(lines) + "\n"


def same(a: Node, b: Node) -> bool:
    """Whether two trees hold the same configuration (empty port and VLAN views, which print
    nothing, do not count)."""
    shown_a, shown_b = _shown(a), _shown(b)
    return a.text == b.text and len(shown_a) == len(shown_b) and all(map(same, shown_a, shown_b))


def _shown(node: Node) -> list[Node]:
    return [c for c in node.children if c.children or not _prunable(c.text)]


def render_block(node: Node) -> list[str]:
    """One block as ``display this`` / ``display current-configuration interface X`` print it."""
    return _render_node(node, 0)


def _render_node(node: Node, depth: int) -> list[str]:
    """Lines of one node; empty physical-port and VLAN views print nothing (the port and the VLAN
    exist without them), VLAN lists wrap after ten items."""
    if not node.children and _prunable(node.text):
        return []
    pad = " " * depth
    prefix = vlan_set_prefix(node.text)
    if prefix is not None:
        items = node.text[len(prefix) :].split()
        chunks = _vlan_items(items)
        out = [f"{pad}{prefix} {' '.join(chunks[i : i + VLAN_ITEMS_PER_LINE])}" for i in range(0, len(chunks), VLAN_ITEMS_PER_LINE)]
    else:
        out = [pad + node.text]
    for child in node.children:
        out.extend(_render_node(child, depth + 1))
    return out


def _prunable(text: str) -> bool:
    if text.startswith("vlan ") and text.split()[1].isdigit():
        return True
    name = text[len("interface ") :] if text.startswith("interface ") else ""
    return interface_type(name) in PHYSICAL_TYPES


def _vlan_items(tokens: list[str]) -> list[str]:
    """``10 to 20`` is one item of a VLAN list, as VRP counts them when wrapping."""
    items: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 2 < len(tokens) and tokens[i + 1] == "to":
            items.append(" ".join(tokens[i : i + 3]))
            i += 3
        else:
            items.append(tokens[i])
            i += 1
    return items


def _top_order(node: Node) -> tuple[int, ...]:
    """VRP's fixed order of global configuration: sysname, DFS group, VLANs, STP, LACP, VLAN
    views, VPN instances, interfaces by type, then everything else in the order it was entered."""
    text = node.text
    words = text.split()
    for rank, prefix in enumerate(("sysname", "dfs-group", "vlan batch", "stp", "lacp")):
        if words[: len(prefix.split())] == prefix.split():
            return (rank,)
    if words[0] == "vlan" and len(words) == 2 and words[1].isdigit():
        return (5, int(words[1]))
    if words[:2] == ["ip", "vpn-instance"]:
        return (6,)
    if words[0] == "interface":
        return (7, *interface_order(text[len("interface ") :]))
    return (8,)


# --- interfaces -----------------------------------------------------------------------------------
def interface_name(words: Iterable[str]) -> str | None:
    """Canonical name of ``eth-trunk 1`` / ``Eth-Trunk1`` / ``10ge 1/0/1``, or None."""
    match = _IF_NAME.match("".join(words))
    if not match or match.group(1).lower() not in _IF_TYPES:
        return None
    return _IF_TYPES[match.group(1).lower()] + match.group(2)


def interface_type(name: str) -> str | None:
    match = _IF_NAME.match(name)
    return _IF_TYPES.get(match.group(1).lower()) if match else None


def interface_order(name: str) -> tuple[int, ...]:
    """Vlanif, MEth, Eth-Trunk, physical ports (slot, card, type, port), LoopBack, Nve, others."""
    kind = interface_type(name) or ""
    numbers = [int(n) for n in re.findall(r"\d+", name[len(kind) :])]
    if kind in PHYSICAL_TYPES:
        slot, card, *rest = numbers + [0, 0]
        return (3, slot, card, PHYSICAL_TYPES.index(kind), *rest)
    return (_IF_ORDER.get(kind, 6), *numbers)


# --- VLAN lists -----------------------------------------------------------------------------------
def vlan_set_prefix(text: str) -> str | None:
    for prefix in VLAN_SETS:
        if text.startswith(prefix + " "):
            return prefix
    return None


def vlan_values(tokens: list[str], first_index: int = 0) -> set[int]:
    """VLAN ids of ``10 20 to 30`` (and ``all``); a bad id raises CliError at its word."""
    values: set[int] = set()
    i = 0
    while i < len(tokens):
        if tokens[i] == "all":
            values.update(range(1, 4095))
            i += 1
            continue
        low = _vlan_id(tokens, i, first_index)
        if i + 1 < len(tokens) and tokens[i + 1] == "to":
            if i + 2 >= len(tokens):
                raise CliError("incomplete", first_index + i + 2)
            high = _vlan_id(tokens, i + 2, first_index)
            if high < low:
                raise CliError("wrong", first_index + i + 2)
            values.update(range(low, high + 1))
            i += 3
        else:
            values.add(low)
            i += 1
    return values


def _vlan_id(tokens: list[str], i: int, first_index: int) -> int:
    if not tokens[i].isdigit() or not 1 <= int(tokens[i]) <= 4094:
        raise CliError("wrong", first_index + i)
    return int(tokens[i])


def format_vlans(values: Iterable[int]) -> str:
    """``10 20 to 30``: runs of consecutive ids as ``a to b``."""
    runs: list[list[int]] = []
    for v in sorted(set(values)):
        if runs and v == runs[-1][1] + 1:
            runs[-1][1] = v
        else:
            runs.append([v, v])
    return " ".join(str(low) if low == high else f"{low} to {high}" for low, high in runs)


# --- passwords ------------------------------------------------------------------------------------
_CIPHER_CHARS = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"?%\\#<>[]|')
"""Printable characters without the ones that end a VRP prompt or start a comment, so a client
reading up to a prompt pattern never stops inside a password."""


def cipher(password: str) -> str:
    """The ``%+%#...%+%#`` form the device prints instead of a clear-text password. Deterministic
    (no salt), so two switches given the same password print the same string and the lab can
    compare DFS authentication from the running configs alone."""
    if password.startswith(CIPHER_MARK) and password.endswith(CIPHER_MARK) and len(password) > 2 * len(CIPHER_MARK):
        return password
    digest = hashlib.sha256(password.encode()).digest() + hashlib.sha256(b"vrp" + password.encode()).digest()[:12]
    return CIPHER_MARK + "".join(_CIPHER_CHARS[b % len(_CIPHER_CHARS)] for b in digest) + CIPHER_MARK


# --- views ------------------------------------------------------------------------------------------
def opens_view(text: str) -> bool:
    """True for a line that enters a sub-view of the system view (``interface X``, ``dfs-group 1``,
    ``vlan 10``, ``ip vpn-instance V``, ``aaa`` ...)."""
    words = text.split()
    if not words:
        return False
    if words[0] == "interface" or words[:2] == ["ip", "vpn-instance"]:
        return True
    if words[0] in ("dfs-group", "vlan", "bridge-domain") and len(words) == 2:
        return words[1] != "batch"
    return words[0] in ("aaa", "user-interface") or text in ("bfd", "evpn")


def view_kind(path: list[str]) -> str:
    """The kind of view a path of block lines leads to (``system`` for the empty path)."""
    if not path:
        return "system"
    text = path[-1]
    if len(path) == 2 and path[0].startswith("ip vpn-instance"):
        return "vpn-af"
    if text.startswith("interface "):
        kind = interface_type(text.split(maxsplit=1)[1])
        return "trunk" if kind == "Eth-Trunk" else "port" if kind in PHYSICAL_TYPES else "l3if"
    if text.startswith("dfs-group "):
        return "dfs-group"
    if text.startswith("vlan "):
        return "vlan"
    if text.startswith("ip vpn-instance "):
        return "vpn"
    return "generic"


def view_label(path: list[str]) -> str:
    """Suffix of the prompt for a view: ``Eth-Trunk1``, ``dfs-group-1``, ``vlan10``,
    ``vpn-instance-MGMT-af-ipv4``, ``ui-vty0-4``."""
    labels = []
    for text in path:
        words = text.split()
        if words[0] == "interface":
            labels.append(words[1])
        elif words[0] == "dfs-group":
            labels.append(f"dfs-group-{words[1]}")
        elif words[0] == "vlan":
            labels.append(f"vlan{words[1]}")
        elif words[:2] == ["ip", "vpn-instance"]:
            labels.append(f"vpn-instance-{words[2]}")
        elif text.endswith("-family"):
            labels.append("af-" + text.split("-")[0])
        elif words[0] == "user-interface":
            labels.append("ui-" + "".join(words[1:2]) + "-".join(words[2:]))
        else:
            labels.append("-".join(words))
    return "-".join(labels)


def accepts(path: list[str], words: list[str]) -> bool:
    """Whether the view at ``path`` has the command (``undo X`` is judged by ``X``)."""
    command = words[1:] if words[0] == "undo" and len(words) > 1 else words
    word = command[0]
    kind = view_kind(path)
    if kind == "system":
        return word in SYSTEM_WORDS
    if " ".join(command[:2]) in SYSTEM_ONLY:
        return False
    if kind == "generic":
        return word not in SYSTEM_WORDS
    return word in VIEW_WORDS[kind]


def line_key(text: str) -> str:
    for key in _KEYS:
        if text == key or text.startswith(key + " "):
            return _KEY_ALIASES.get(key, key)
    return text


# --- applying one command ------------------------------------------------------------------------------
def walk(root: Node, path: list[str]) -> Node:
    """The block a view path names, created where missing (a candidate replayed after another
    session's commit may have lost it)."""
    node = root
    for text in path:
        node = cfgedit.ensure_child(node, text)
    return node


def apply(root: Node, path: list[str], words: list[str]) -> list[str]:
    """Apply one command (already known to belong to the view at ``path``) to the tree; return the
    view path after it (deeper when the command enters a view). Raises CliError before changing
    anything when the command is malformed."""
    if words[0] == "undo":
        if len(words) == 1:
            raise CliError("incomplete", 1)
        try:
            _undo(root, path, words[1:])
        except CliError as error:
            raise CliError(error.kind, error.token + 1) from None
        return path
    opened = _view_line(path, words)
    if opened is not None:
        if opened.startswith("vlan ") and opened.split()[1].isdigit():
            _add_vlans(root, "vlan batch", {int(opened.split()[1])})
        walk(root, path + [opened])
        return path + [opened]
    _set(root, path, words)
    return path


def _view_line(path: list[str], words: list[str]) -> str | None:
    """The canonical block line when ``words`` enters a sub-view of ``path``, else None."""
    kind = view_kind(path)
    if kind == "vpn" and words[0] in ("ipv4-family", "ipv6-family"):
        return words[0]
    if kind != "system" or not opens_view(" ".join(words)):
        return None
    if words[0] == "interface":
        if len(words) < 2:
            raise CliError("incomplete", 1)
        name = interface_name(words[1:3])
        if name is None:
            raise CliError("wrong", 1)
        return f"interface {name}"
    if words[0] == "dfs-group":
        if words[1] != "1":
            raise CliError("wrong", 1)
    elif words[0] == "vlan":
        vlan_values(words[1:2], 1)
    elif words[:2] == ["ip", "vpn-instance"] and len(words) != 3:
        raise CliError("incomplete" if len(words) < 3 else "too-many", min(len(words), 3))
    return " ".join(words)


def _set(root: Node, path: list[str], words: list[str]) -> None:
    _validate(path, words)
    node = walk(root, path)
    text = " ".join(words)
    prefix = vlan_set_prefix(text)
    if prefix is not None:
        values = vlan_values(words[len(prefix.split()) :], len(prefix.split()))
        if prefix == "port trunk allow-pass vlan" and 1 in values:
            node.children = [c for c in node.children if c.text != _UNDO_VLAN1]
            values.discard(1)
        if values:
            _add_vlans(node, prefix, values)
        return
    if words[0] == "trunkport":
        _trunkport(root, path, words)
        return
    if words[:3] == ["authentication-mode", "hmac-sha256", "password"] and len(words) == 4:
        text = f"authentication-mode hmac-sha256 password {cipher(words[3])}"
    if text in DEFAULT_LINES:
        cfgedit.remove_lines(node, text, line_key)
        return
    cfgedit.set_line(node, text, line_key)


def _validate(path: list[str], words: list[str]) -> None:
    """The value checks VRP makes on the M-LAG commands (others are taken as typed)."""
    head = words[0]
    if view_kind(path) == "system" and head in ("dfs-group", "vlan"):
        # what is left of these here is not a view: ``vlan batch``, or extra words
        if len(words) == 1:
            raise CliError("incomplete", 1)
        if words[1] != "batch":
            raise CliError("too-many", 2) if words[1].isdigit() else CliError("wrong", 1)
    prefix = vlan_set_prefix(" ".join(words) + " ")
    if prefix is not None and len(words) == len(prefix.split()):
        raise CliError("incomplete", len(words))
    if head in ("sysname", "description", "name", "eth-trunk", "peer-link", "priority", "mode") and len(words) < 2:
        raise CliError("incomplete", 1)
    if head == "priority" and view_kind(path) == "dfs-group" and not (words[1].isdigit() and 1 <= int(words[1]) <= 254):
        raise CliError("wrong", 1)
    if head == "peer-link" and words[1] != "1":
        raise CliError("wrong", 1)
    if head == "mode" and " ".join(words[1:]) not in ("lacp-static", "lacp-dynamic", "manual load-balance"):
        raise CliError("wrong", 1)
    if words[:2] == ["port", "link-type"] and words[2:] not in (["access"], ["trunk"], ["hybrid"], ["dot1q-tunnel"]):
        raise CliError("wrong" if len(words) > 2 else "incomplete", 2)
    if head == "dfs-group":
        if len(words) < 4:
            raise CliError("incomplete", len(words))
        if words[2] != "m-lag":
            raise CliError("wrong", 2)
        if words[1] != "1":
            raise CliError("wrong", 1)
        if not (words[3].isdigit() and 1 <= int(words[3]) <= 2048):
            raise CliError("wrong", 3)
    if words[:3] == ["authentication-mode", "hmac-sha256", "password"]:
        if len(words) < 4:
            raise CliError("incomplete", 3)
        if not words[3].startswith(CIPHER_MARK) and not 8 <= len(words[3]) <= 16:
            raise CliError("wrong", 3)


def _add_vlans(node: Node, prefix: str, values: set[int]) -> None:
    for child in node.children:
        if vlan_set_prefix(child.text) == prefix:
            current = vlan_values(child.text.split()[len(prefix.split()) :])
            child.text = f"{prefix} {format_vlans(current | values)}"
            return
    node.children.append(Node(f"{prefix} {format_vlans(values)}"))


def _remove_vlans(node: Node, prefix: str, values: set[int]) -> None:
    for child in list(node.children):
        if vlan_set_prefix(child.text) == prefix:
            left = vlan_values(child.text.split()[len(prefix.split()) :]) - values
            if left:
                child.text = f"{prefix} {format_vlans(left)}"
            else:
                node.children.remove(child)


def _trunkport(root: Node, path: list[str], words: list[str]) -> None:
    """``trunkport 100ge 1/0/5`` in an Eth-Trunk view: the port joins the trunk."""
    name = interface_name(words[1:3])
    if name is None or interface_type(name) not in PHYSICAL_TYPES:
        raise CliError("wrong" if len(words) > 1 else "incomplete", 1)
    number = path[-1].split("Eth-Trunk", 1)[1]
    cfgedit.set_line(walk(root, [f"interface {name}"]), f"eth-trunk {number}", line_key)


def _undo(root: Node, path: list[str], words: list[str]) -> None:
    """``undo X``: remove a view (``undo interface Eth-Trunk1``, ``undo vlan 10``), VLANs from a
    list, or the setting ``X`` names."""
    node = walk(root, path)
    text = " ".join(words)
    opened = _view_line(path, words)
    if opened is not None:
        node.children = [c for c in node.children if c.text != opened]
        if opened.startswith("vlan ") and opened.split()[1].isdigit():
            _remove_vlans(root, "vlan batch", {int(opened.split()[1])})
        return
    prefix = vlan_set_prefix(text)
    if prefix is not None:
        values = vlan_values(words[len(prefix.split()) :], len(prefix.split()))
        if prefix == "vlan batch":
            root.children = [c for c in root.children if not (c.text.startswith("vlan ") and c.text.split()[1].isdigit() and int(c.text.split()[1]) in values)]
        if prefix == "port trunk allow-pass vlan" and 1 in values and not any(c.text == _UNDO_VLAN1 for c in node.children):
            node.children.append(Node(_UNDO_VLAN1))
        _remove_vlans(node, prefix, values)
        return
    if text == "portswitch":
        cfgedit.set_line(node, "undo portswitch", line_key)
        return
    cfgedit.remove_lines(node, text, line_key)
