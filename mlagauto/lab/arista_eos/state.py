"""MLAG state of a simulated EOS pair, computed from the two current running configs.

The rules are the lab's own and deliberately simple (they never consult the project's parsers or
checks, so end-to-end tests compare two independent readings):

* MLAG is *disabled* without a complete ``mlag configuration`` block (domain-id, local-interface,
  peer-address, peer-link) or with ``shutdown`` in it.
* The peer-link is cabled port to port: EthernetN of one switch faces EthernetN of its peer. A
  member is up when both ends are ``channel-group`` members with compatible LACP modes; the
  peer-link is up with at least ``min-links`` (1) members up.
* The local interface (``VlanN`` SVI) is up when it has an address, VLAN N exists and either
  ``no autostate`` is set or the peer-link carries VLAN N (allowed list, or a trunk group of the
  VLAN on the port-channel).
* The pair *connects* when both sides are up that far, the domain-ids are equal and each
  peer-address is the other's SVI address within the same subnet; otherwise state is inactive.
* Primary: lower ``primary-priority``, then lower system MAC. The MLAG system-id is the
  primary's MAC with the locally administered bit set.
* The UDP heartbeat is alive when the heartbeat address is the peer's management address (any
  ``interface Management*`` address); when the peer has none configured (the lab has no
  out-of-band network), any address that is not the switch's own counts, provided its VRF exists.
* Each ``mlag N`` is cabled to one dual-homed host; a port-channel is up with ``min-links`` (1)
  members not shut down. Inconsistencies are reported by config-sanity and never suspend a port:
  EOS does not suspend on config-sanity findings.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from mlagauto.configtree import Node
from mlagauto.lab.arista_eos.config import allowed_vlans, format_vlans

DEFAULT_RELOAD_DELAY = 300
DEFAULT_HEARTBEAT_INTERVAL = 4000
DEFAULT_PRIMARY_PRIORITY = 32767
DEFAULT_MTU = "9214"


@dataclass(frozen=True)
class PortChannel:
    """What the lab needs of one ``interface Port-ChannelN`` and its members."""

    name: str
    members: tuple[tuple[str, str], ...]
    """(Ethernet name, LACP mode) of each member that is not shut down."""
    shutdown: bool
    min_links: int
    mode: str
    access_vlan: int
    native_vlan: int
    allowed: frozenset[int]
    trunk_groups: frozenset[str]
    mtu: str
    description: str
    mlag: int | None

    @property
    def up(self) -> bool:
        return not self.shutdown and len(self.members) >= max(1, self.min_links)

    @property
    def lacp_mode(self) -> str:
        return ",".join(sorted({mode for _, mode in self.members})) or "-"

    def carries(self, vlan: int, groups: frozenset[str] | None) -> bool:
        """EOS trunk semantics: a VLAN with trunk groups rides only ports of one of its groups."""
        if self.mode != "trunk" or groups is None:
            return False
        return bool(self.trunk_groups & groups) if groups else vlan in self.allowed


@dataclass(frozen=True)
class Side:
    """One switch's MLAG-relevant configuration."""

    name: str
    mac: str
    configured: bool
    domain: str
    local_if: str
    peer_address: str
    peer_link: str
    hb_address: str
    hb_vrf: str
    reload_delay: int
    reload_delay_non_mlag: int
    heartbeat_interval: int
    primary_priority: int
    dual_primary_delay: int | None
    svi: ipaddress.IPv4Interface | None
    svi_no_autostate: bool
    vlans: dict[int, frozenset[str]]
    port_channels: dict[str, PortChannel]
    channels: dict[str, tuple[str, str]]
    """Ethernet -> (Port-Channel name, LACP mode), for members not shut down."""
    addresses: frozenset[str]
    management: frozenset[str]
    vrfs: frozenset[str]
    stp_mode: str

    def by_mlag(self, mlag_id: int) -> PortChannel | None:
        return next((pc for pc in self.port_channels.values() if pc.mlag == mlag_id), None)

    @property
    def svi_vlan(self) -> int | None:
        m = re.fullmatch(r"Vlan(\d+)", self.local_if)
        return int(m.group(1)) if m else None


def _words(node: Node | None) -> list[list[str]]:
    return [c.text.split() for c in node.children] if node is not None else []


def _value(words: list[list[str]], *prefix: str, default: str = "") -> str:
    """Argument of the line starting exactly with ``prefix`` (token-wise, so ``peer-address`` does
    not match ``peer-address heartbeat``)."""
    n = len(prefix)
    for w in words:
        if tuple(w[:n]) == prefix and len(w) > n and (n > 1 or w[1] != "heartbeat"):
            return w[n]
    return default


def _int(text: str, default: int) -> int:
    return int(text) if text.isdigit() else default


def _port_channel(node: Node, members: tuple[tuple[str, str], ...]) -> PortChannel:
    words = _words(node)
    mode = "routed" if ["no", "switchport"] in words else ("trunk" if ["switchport", "mode", "trunk"] in words else "access")
    mlag = _value(words, "mlag")
    description = next((c.text[len("description ") :] for c in node.children if c.text.startswith("description ")), "")
    return PortChannel(
        name=node.text.split()[1],
        members=members,
        shutdown=["shutdown"] in words,
        min_links=_int(_value(words, "port-channel", "min-links"), 1),
        mode=mode,
        access_vlan=_int(_value(words, "switchport", "access", "vlan"), 1),
        native_vlan=_int(_value(words, "switchport", "trunk", "native", "vlan"), 1),
        allowed=allowed_vlans(node),
        trunk_groups=frozenset(w[3] for w in words if w[:3] == ["switchport", "trunk", "group"] and len(w) > 3),
        mtu=_value(words, "mtu", default=DEFAULT_MTU),
        description=description,
        mlag=int(mlag) if mlag.isdigit() else None,
    )


def _address(words: list[list[str]]) -> ipaddress.IPv4Interface | None:
    for w in words:
        if w[:2] == ["ip", "address"] and len(w) == 3:
            try:
                return ipaddress.IPv4Interface(w[2])
            except ValueError:
                return None
    return None


def read_side(name: str, mac: str, root: Node) -> Side:
    """Everything the MLAG rules need from one running configuration."""
    interfaces = {n.text.split()[1]: n for n in root.find("interface")}
    channels: dict[str, tuple[str, str]] = {}
    for itf, node in interfaces.items():
        words = _words(node)
        if itf.startswith("Ethernet") and ["shutdown"] not in words:
            for w in words:
                if w[0] == "channel-group" and len(w) == 4:
                    channels[itf] = (f"Port-Channel{w[1]}", w[3])
    port_channels = {
        itf: _port_channel(node, tuple((eth, mode) for eth, (pc, mode) in sorted(channels.items()) if pc == itf))
        for itf, node in interfaces.items()
        if itf.startswith("Port-Channel")
    }
    vlans: dict[int, frozenset[str]] = {}
    for node in root.find("vlan"):
        if node.text.split()[1].isdigit():
            groups = frozenset(w[2] for w in _words(node) if w[:2] == ["trunk", "group"] and len(w) > 2)
            vlans[int(node.text.split()[1])] = groups
    addresses = {itf: a.ip for itf, a in ((i, _address(_words(n))) for i, n in interfaces.items()) if a is not None}
    mlag_node = root.first("mlag configuration")
    m = _words(mlag_node)
    hb = next((w for w in m if w[:2] == ["peer-address", "heartbeat"] and len(w) > 2), [])
    local_if = _value(m, "local-interface")
    svi_node = interfaces.get(local_if)
    svi_words = _words(svi_node)
    svi = _address(svi_words) if svi_node is not None and ["shutdown"] not in svi_words else None
    dual = next((w for w in m if w[:3] == ["dual-primary", "detection", "delay"] and len(w) > 3), None)
    reload = _value(m, "reload-delay", "mlag")
    reload_non = _value(m, "reload-delay", "non-mlag")
    domain, peer_address, peer_link = _value(m, "domain-id"), _value(m, "peer-address"), _value(m, "peer-link")
    stp = _value([c.text.split() for c in root.find("spanning-tree")], "spanning-tree", "mode", default="mstp")
    return Side(
        name=name,
        mac=mac,
        configured=mlag_node is not None and ["shutdown"] not in m and all((domain, local_if, peer_address, peer_link)),
        domain=domain,
        local_if=local_if,
        peer_address=peer_address,
        peer_link=peer_link,
        hb_address=hb[2] if hb else "",
        hb_vrf=hb[4] if len(hb) > 4 and hb[3] == "vrf" else "",
        reload_delay=_int(reload, DEFAULT_RELOAD_DELAY),
        reload_delay_non_mlag=_int(reload_non, DEFAULT_RELOAD_DELAY),
        heartbeat_interval=_int(_value(m, "heartbeat-interval"), DEFAULT_HEARTBEAT_INTERVAL),
        primary_priority=_int(_value(m, "primary-priority"), DEFAULT_PRIMARY_PRIORITY),
        dual_primary_delay=_int(dual[3], 0) if dual else None,
        svi=svi,
        svi_no_autostate=["no", "autostate"] in svi_words,
        vlans=vlans,
        port_channels=port_channels,
        channels=channels,
        addresses=frozenset(str(ip) for ip in addresses.values()),
        management=frozenset(str(ip) for itf, ip in addresses.items() if itf.startswith("Management")),
        vrfs=frozenset(n.text.split()[-1] for n in root.find("vrf instance")),
        stp_mode=stp,
    )


def _lacp_compatible(a: str, b: str) -> bool:
    if "on" in (a, b):
        return a == b == "on"
    return "active" in (a, b)


def peer_link_up(side: Side, other: Side | None) -> bool:
    """Port-to-port cabling of the peer-link members to the same-named ports of the peer."""
    pc = side.port_channels.get(side.peer_link)
    if pc is None or pc.shutdown or other is None:
        return False
    up = 0
    for eth, mode in pc.members:
        far = other.channels.get(eth)
        far_pc = other.port_channels.get(far[0]) if far else None
        if far and far_pc is not None and not far_pc.shutdown and _lacp_compatible(mode, far[1]):
            up += 1
    return up >= max(1, pc.min_links)


def local_int_up(side: Side, link_up: bool) -> bool:
    vlan = side.svi_vlan
    if side.svi is None or vlan is None or vlan not in side.vlans:
        return False
    if side.svi_no_autostate:
        return True
    pc = side.port_channels.get(side.peer_link)
    return link_up and pc is not None and pc.carries(vlan, side.vlans.get(vlan))


def _reaches(side: Side, other: Side) -> bool:
    """``side``'s peer-address is ``other``'s SVI address, in the same subnet as ``side``'s SVI."""
    if side.svi is None or other.svi is None:
        return False
    return side.peer_address == str(other.svi.ip) and other.svi.ip in side.svi.network and side.svi.ip != other.svi.ip


def locally_ready(side: Side, other: Side | None) -> tuple[bool, bool]:
    """(peer-link up, local interface up) of one side."""
    link = side.configured and peer_link_up(side, other)
    return link, side.configured and local_int_up(side, link)


def connected(a: Side, b: Side | None) -> bool:
    if b is None or not (a.configured and b.configured):
        return False
    if not all(locally_ready(a, b)) or not all(locally_ready(b, a)):
        return False
    return a.domain == b.domain and _reaches(a, b) and _reaches(b, a)


def system_id(mac: str) -> str:
    """The MLAG system-id: a MAC with the locally administered bit set."""
    first = int(mac[:2], 16) | 0x02
    return f"{first:02x}{mac[2:]}"


@dataclass
class MlagPort:
    """One row of ``show mlag interfaces``."""

    mlag_id: int
    description: str
    local: str
    remote: str
    local_status: str
    remote_status: str
    status: str


@dataclass
class PairState:
    """Everything the show commands print about one switch of the pair."""

    local: Side
    peer: Side | None
    state: str
    connected: bool
    peer_link_up: bool
    local_int_up: bool
    role: str
    peer_role: str
    system_id: str
    heartbeat: bool
    ports: list[MlagPort] = field(default_factory=list)
    global_issues: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    interface_issues: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    """(parameter, mlag id, local interface, local value, peer value)."""

    @property
    def consistent(self) -> bool:
        return not self.global_issues and not self.interface_issues


def evaluate(local: Side, peer: Side | None) -> PairState:
    """The pair's MLAG state as seen from ``local``."""
    link, local_int = locally_ready(local, peer)
    is_connected = connected(local, peer)
    state = "disabled" if not local.configured else ("active" if is_connected else "inactive")
    if is_connected and peer is not None:
        primary = min((local, peer), key=lambda s: (s.primary_priority, s.mac))
        role = "primary" if primary is local else "secondary"
        peer_role = "secondary" if role == "primary" else "primary"
        sys_id = system_id(primary.mac)
    else:
        role, peer_role = ("primary", "unknown") if local.configured else ("disabled", "unknown")
        sys_id = system_id(local.mac) if local.configured else "00:00:00:00:00:00"
    result = PairState(local, peer, state, is_connected, link, local_int, role, peer_role, sys_id, heartbeat_alive(local, peer))
    result.ports = _ports(result)
    if is_connected and peer is not None:
        result.global_issues = _global_issues(local, peer)
        result.interface_issues = _interface_issues(local, peer)
    return result


def heartbeat_alive(local: Side, peer: Side | None) -> bool:
    if peer is None or not (local.configured and peer.configured) or not local.hb_address:
        return False
    if local.hb_vrf and local.hb_vrf not in local.vrfs or local.hb_address in local.addresses:
        return False
    return local.hb_address in peer.management if peer.management else True


def _ports(pair: PairState) -> list[MlagPort]:
    local, peer = pair.local, pair.peer if pair.connected else None
    ids = {pc.mlag for pc in local.port_channels.values() if pc.mlag is not None}
    ids |= {pc.mlag for pc in peer.port_channels.values() if pc.mlag is not None} if peer else set()
    rows = []
    for mlag_id in sorted(ids):
        lp = local.by_mlag(mlag_id)
        rp = peer.by_mlag(mlag_id) if peer else None
        l_up = "up" if lp is not None and lp.up else "down"
        r_up = ("up" if rp.up else "down") if rp is not None else "n/a"
        if pair.state == "disabled":
            status = "disabled"
        elif not pair.connected:
            status = "configured"
        else:
            ups = [s for s in (l_up, r_up) if s == "up"]
            status = {2: "active-full", 1: "active-partial"}.get(len(ups), "inactive")
        either = lp or rp
        rows.append(
            MlagPort(
                mlag_id,
                either.description if either else "",
                lp.name if lp else "-",
                rp.name if rp else "-",
                l_up if lp else "n/a",
                r_up,
                status,
            )
        )
    return rows


def _global_issues(a: Side, b: Side) -> dict[str, dict[str, tuple[str, str]]]:
    """config-sanity's global parameters that differ (local, peer)."""
    mlag = {
        "reload-delay": (str(a.reload_delay), str(b.reload_delay)),
        "reload-delay-non-mlag": (str(a.reload_delay_non_mlag), str(b.reload_delay_non_mlag)),
        "heartbeat-interval": (str(a.heartbeat_interval), str(b.heartbeat_interval)),
        "dual-primary-detection-delay": (str(a.dual_primary_delay or 0), str(b.dual_primary_delay or 0)),
    }
    bridging = {
        f"admin-state vlan {v}": ("active" if v in a.vlans else "-", "active" if v in b.vlans else "-")
        for v in sorted(set(a.vlans) ^ set(b.vlans))
    }
    stp = {"mode": (a.stp_mode, b.stp_mode)}
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for feature, params in (("mlag", mlag), ("bridging", bridging), ("stp", stp)):
        differing = {k: v for k, v in params.items() if v[0] != v[1]}
        if differing:
            out[feature] = differing
    return out


def _interface_values(pc: PortChannel) -> dict[str, str]:
    values = {"switchport-mode": pc.mode, "mtu": pc.mtu, "lacp-mode": pc.lacp_mode}
    if pc.mode == "access":
        values["access-vlan"] = str(pc.access_vlan)
    if pc.mode == "trunk":
        values["trunk-native-vlan"] = str(pc.native_vlan)
        values["trunk-allowed-vlans"] = format_vlans(pc.allowed) or "none"
    return values


def _interface_issues(a: Side, b: Side) -> list[tuple[str, int, str, str, str]]:
    issues = []
    for pc in sorted(a.port_channels.values(), key=lambda p: p.mlag or 0):
        other = b.by_mlag(pc.mlag) if pc.mlag is not None else None
        if pc.mlag is None or other is None:
            continue
        mine, theirs = _interface_values(pc), _interface_values(other)
        for param in mine.keys() | theirs.keys():
            lv, pv = mine.get(param, "-"), theirs.get(param, "-")
            if lv != pv:
                issues.append((param, pc.mlag, pc.name, lv, pv))
    return sorted(issues, key=lambda i: (i[1], i[0]))


def lacp_actor_id(pair: PairState, pc: PortChannel) -> str:
    """System-id a port-channel advertises: the MLAG system-id on MLAG ports of an active MLAG,
    the switch's own MAC elsewhere."""
    if pc.mlag is not None and pair.state != "disabled":
        return pair.system_id
    return pair.local.mac


def host_mac(mlag_id: int) -> str:
    """The dual-homed host behind ``mlag N`` (one per MLAG id, shared by both switches)."""
    return f"52:54:00:00:{mlag_id >> 8:02x}:{mlag_id & 0xFF:02x}"


def bundled(pair: PairState, peer_pair: PairState | None, pc: PortChannel) -> bool:
    """Whether the far end aggregates this port-channel's links. A host aggregates links from one
    LACP system only: when both switches of its MLAG advertise different system-ids, it keeps the
    links of the lower one and the other switch's links stay out of sync."""
    if not pc.up:
        return False
    if pc.name == pair.local.peer_link:
        return pair.peer_link_up
    if pc.mlag is None or peer_pair is None:
        return True
    other = peer_pair.local.by_mlag(pc.mlag)
    if other is None or not other.up:
        return True
    return lacp_actor_id(pair, pc) <= lacp_actor_id(peer_pair, other)
