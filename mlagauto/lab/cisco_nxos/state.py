"""vPC state of a simulated pair, computed from the two running configurations.

The rules are deliberately simple and the lab's own (never the project's parsers or checks):

* keepalive: both switches have a domain and mirrored ``peer-keepalive`` addresses (each one's
  destination is the other's source, same VRF) -> ``peer is alive``; alive with different
  domain ids -> ``peer is alive, but domain IDs do not match``;
* adjacency: alive, same domain, a ``vpc peer-link`` port-channel on both, same
  ``system-priority`` and ``system-mac`` -> ``peer adjacency formed ok``, else the peer link is
  down and every vPC with it;
* role: lower ``role priority`` wins, a tie goes to the lower hostname;
* global Type-1: the STP mode must match; on a mismatch the secondary suspends its vPCs;
* per vPC (matched by ``vpc N``): present on both and equal in port mode, native VLAN, MTU, LACP
  mode (active/passive vs on) and STP port type -> up, active VLANs = what both sides allow and
  define; a Type-1 mismatch suspends the secondary's vPC (both, without graceful consistency
  check); a vPC the peer lacks stays down; allowed VLANs are Type 2 (up, intersection);
* auto-recovery: with the peer unreachable on the keepalive as well, a switch with
  ``auto-recovery`` takes the primary role and brings its vPCs up (the reload-delay timer is not
  simulated: state follows the configs at once).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from mlagauto.configtree import Node, parse_indented
from mlagauto.lab.cisco_nxos.config import interface_order, parse_vlans, short_name

DEFAULT_PRIORITY = 32667
ALL_VLANS = frozenset(range(1, 4095))


@dataclass
class Member:
    """A physical port in a channel-group."""

    name: str
    group: int
    mode: str
    """active, passive or on."""
    shutdown: bool


@dataclass
class PortChannel:
    """What the vPC checks read off ``interface port-channelN``."""

    number: int
    mode: str = "access"
    """access, trunk or routed."""
    access_vlan: int = 1
    native_vlan: int = 1
    allowed: frozenset[int] = ALL_VLANS
    mtu: int = 1500
    stp_port_type: str = "normal"
    shutdown: bool = False
    vpc: int | None = None
    peer_link: bool = False
    members: list[Member] = field(default_factory=list)

    @property
    def port(self) -> str:
        return short_name(f"port-channel{self.number}")

    @property
    def lacp_mode(self) -> str:
        """``active`` when the members run LACP (active or passive), ``on`` for a static bundle."""
        return "active" if any(m.mode != "on" for m in self.members) else "on"

    @property
    def has_link(self) -> bool:
        return not self.shutdown and any(not m.shutdown for m in self.members)

    def vlans(self, defined: frozenset[int]) -> frozenset[int]:
        """VLANs the port-channel carries: allowed (or its access VLAN) and defined on the switch."""
        if self.mode == "routed":
            return frozenset()
        carried = self.allowed if self.mode == "trunk" else frozenset({self.access_vlan})
        return carried & defined

    def type1(self) -> dict[str, str]:
        """Interface Type-1 parameters as ``show vpc consistency-parameters vpc`` names them."""
        return {
            "STP Port Type": self.stp_port_type.capitalize() if self.stp_port_type != "normal" else "Default",
            "mode": self.lacp_mode,
            "Port Mode": self.mode,
            "Native Vlan": str(self.native_vlan),
            "MTU": str(self.mtu),
        }


TYPE1_REASONS = {
    "STP Port Type": "STP interface port type",
    "mode": "LACP mode",
    "Port Mode": "Port mode",
    "Native Vlan": "Native Vlan",
    "MTU": "MTU",
}


@dataclass
class Keepalive:
    destination: str
    source: str
    vrf: str = "management"


@dataclass
class Switch:
    """What one running configuration says about vPC."""

    hostname: str
    vpc_feature: bool = False
    domain: int | None = None
    role_priority: int = DEFAULT_PRIORITY
    system_priority: int = DEFAULT_PRIORITY
    system_mac: str | None = None
    keepalive: Keepalive | None = None
    peer_gateway: bool = False
    graceful: bool = True
    auto_recovery: int | None = None
    """reload-delay in seconds while auto-recovery is on."""
    delay_restore: int = 30
    delay_restore_svi: int = 10
    l3_peer_router: bool = False
    stp_mode: str = "rapid-pvst"
    vlans: frozenset[int] = frozenset({1})
    port_channels: dict[int, PortChannel] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)

    @property
    def configured(self) -> bool:
        return self.vpc_feature and self.domain is not None

    @property
    def peer_link(self) -> PortChannel | None:
        return next((pc for pc in self.port_channels.values() if pc.peer_link), None)

    @property
    def vpcs(self) -> dict[int, PortChannel]:
        return dict(sorted((pc.vpc, pc) for pc in self.port_channels.values() if pc.vpc is not None))

    @property
    def local_mac(self) -> str:
        """A stable burned-in MAC per hostname (the lab has no hardware)."""
        digest = hashlib.sha1(self.hostname.encode()).digest()
        return "50:00:" + ":".join(f"{b:02x}" for b in digest[:4])

    @property
    def vpc_mac(self) -> str:
        """``system-mac`` or the one NX-OS derives from the domain id."""
        if self.system_mac:
            return self.system_mac
        low = 0xBE00 | ((self.domain or 0) & 0x3FF)
        return f"00:23:04:ee:{low >> 8:02x}:{low & 0xFF:02x}"


# --- reading a configuration --------------------------------------------------------------------------
def read_switch(text: str) -> Switch:
    """The lab's own reading of a rendered running config."""
    root = parse_indented(text)
    sw = Switch(hostname=root.value("hostname") or "switch")
    sw.vpc_feature = root.has("feature vpc")
    sw.vlans = frozenset(vid for n in root.find("vlan") for vid in parse_vlans(n.text.split()[1]))
    mode = root.value("spanning-tree mode")
    sw.stp_mode = mode or "rapid-pvst"
    domain = root.first("vpc domain")
    if domain is not None:
        sw.domain = int(domain.text.split()[2])
        _read_domain(domain, sw)
    for node in root.find("interface"):
        name = node.text.split(" ", 1)[1]
        if name.startswith("port-channel"):
            pc = _read_port_channel(node, int(name[len("port-channel") :]))
            sw.port_channels[pc.number] = pc
        elif name.startswith("Ethernet"):
            member = _read_member(node, name)
            if member is not None:
                sw.members.append(member)
    for member in sorted(sw.members, key=lambda m: interface_order(m.name)):
        if member.group in sw.port_channels:
            sw.port_channels[member.group].members.append(member)
    return sw


def _read_domain(node: Node, sw: Switch) -> None:
    for child in node.children:
        words = child.text.split()
        if words[:2] == ["role", "priority"]:
            sw.role_priority = int(words[2])
        elif words[0] == "system-priority":
            sw.system_priority = int(words[1])
        elif words[0] == "system-mac":
            sw.system_mac = words[1].lower()
        elif words[0] == "peer-keepalive":
            options = dict(zip(words[1::2], words[2::2]))
            sw.keepalive = Keepalive(options.get("destination", ""), options.get("source", ""), options.get("vrf", "management"))
        elif words == ["peer-gateway"]:
            sw.peer_gateway = True
        elif words == ["no", "graceful", "consistency-check"]:
            sw.graceful = False
        elif words[0] == "auto-recovery":
            sw.auto_recovery = int(words[2]) if words[1:2] == ["reload-delay"] else 240
        elif words[:3] == ["delay", "restore", "interface-vlan"]:
            sw.delay_restore_svi = int(words[3])
        elif words[:2] == ["delay", "restore"] and len(words) == 3:
            sw.delay_restore = int(words[2])
        elif words == ["layer3", "peer-router"]:
            sw.l3_peer_router = True


def _read_port_channel(node: Node, number: int) -> PortChannel:
    pc = PortChannel(number)
    for child in node.children:
        words = child.text.split()
        if words == ["no", "switchport"]:
            pc.mode = "routed"
        elif words[:2] == ["switchport", "mode"]:
            pc.mode = words[2]
        elif words[:3] == ["switchport", "access", "vlan"]:
            pc.access_vlan = int(words[3])
        elif words[:4] == ["switchport", "trunk", "native", "vlan"]:
            pc.native_vlan = int(words[4])
        elif words[:4] == ["switchport", "trunk", "allowed", "vlan"]:
            pc.allowed = frozenset() if words[4] == "none" else frozenset(parse_vlans(words[4]))
        elif words[0] == "mtu":
            pc.mtu = int(words[1])
        elif words[:3] == ["spanning-tree", "port", "type"]:
            pc.stp_port_type = words[3]
        elif words == ["shutdown"]:
            pc.shutdown = True
        elif words == ["vpc", "peer-link"]:
            pc.peer_link = True
            pc.stp_port_type = "network"
        elif words[0] == "vpc" and words[1].isdigit():
            pc.vpc = int(words[1])
    return pc


def _read_member(node: Node, name: str) -> Member | None:
    group = node.first("channel-group")
    if group is None:
        return None
    words = group.text.split()
    mode = words[words.index("mode") + 1] if "mode" in words else "on"
    return Member(name, int(words[1]), mode, node.has("shutdown"))


# --- the pair -----------------------------------------------------------------------------------------
@dataclass
class VpcRow:
    """One line of the ``vPC status`` table."""

    id: int
    port_channel: PortChannel
    status: str
    """up, down or down* (down here, forwarding through the peer's side)."""
    consistency: str
    reason: str
    vlans: frozenset[int] = frozenset()

    @property
    def up(self) -> bool:
        return self.status == "up"


@dataclass
class PairState:
    """Everything the vPC show commands print, for one switch of the pair."""

    local: Switch
    peer: Switch | None
    keepalive: str
    peer_status: str
    formed: bool
    role: str
    consistency: str
    consistency_reason: str | None
    recovered: bool = False
    """auto-recovery brought the vPCs up without a peer."""
    peer_link_vlans: frozenset[int] = frozenset()
    rows: list[VpcRow] = field(default_factory=list)

    @property
    def keepalive_alive(self) -> bool:
        return self.keepalive.startswith("peer is alive")

    def row(self, vpc: int) -> VpcRow | None:
        return next((r for r in self.rows if r.id == vpc), None)

    def suspended(self, pc: PortChannel) -> bool:
        """A vPC port-channel whose vPC is down keeps its members suspended."""
        row = self.row(pc.vpc) if pc.vpc is not None else None
        return row is not None and not row.up


def pair_state(local: Switch, peer: Switch | None) -> PairState:
    """Apply the lab's vPC rules to one switch and its peer's configuration."""
    other = peer if peer is not None and peer.configured else None
    if not local.configured:
        state = PairState(local, other, "Disabled", "peer link not configured", False, "none established", "failed", "vPC peer-link does not exist")
        state.rows = [_row(pc, "down", "failed", "Consistency Check Not Performed") for pc in local.vpcs.values()]
        return state
    keepalive = _keepalive_status(local, other)
    formed = (
        keepalive == "peer is alive"
        and other is not None
        and local.peer_link is not None
        and other.peer_link is not None
        and (local.system_priority, local.system_mac) == (other.system_priority, other.system_mac)
    )
    if formed:
        assert other is not None
        return _formed(local, other, keepalive)
    return _not_formed(local, other, keepalive)


def _keepalive_status(local: Switch, other: Switch | None) -> str:
    if local.keepalive is None:
        return "Disabled"
    ka, theirs = local.keepalive, other.keepalive if other else None
    if other is None or theirs is None or (ka.destination, ka.source, ka.vrf) != (theirs.source, theirs.destination, theirs.vrf):
        return "peer is not reachable through peer-keepalive"
    if other.domain != local.domain:
        return "peer is alive, but domain IDs do not match"
    return "peer is alive"


def _not_formed(local: Switch, other: Switch | None, keepalive: str) -> PairState:
    if local.peer_link is None:
        status, reason = "peer link not configured", "vPC peer-link does not exist"
    elif other is not None and keepalive == "peer is alive" and (local.system_priority, local.system_mac) != (other.system_priority, other.system_mac):
        status, reason = "peer link is down", "vPC domain/system id /system priority mismatch"
    else:
        status, reason = "peer link is down", "Consistency Check Not Performed"
    recovered = local.auto_recovery is not None and local.peer_link is not None and not keepalive.startswith("peer is alive")
    state = PairState(local, other, keepalive, status, False, "primary" if recovered else "none established", "failed", reason, recovered)
    defined = local.vlans
    for pc in local.vpcs.values():
        if recovered and pc.has_link:
            state.rows.append(_row(pc, "up", "success", "success", pc.vlans(defined)))
        else:
            state.rows.append(_row(pc, "down", "failed", "Consistency Check Not Performed"))
    return state


def _formed(local: Switch, other: Switch, keepalive: str) -> PairState:
    primary = (local.role_priority, local.hostname) <= (other.role_priority, other.hostname)
    stp_ok = local.stp_mode == other.stp_mode
    state = PairState(
        local,
        other,
        keepalive,
        "peer adjacency formed ok",
        True,
        "primary" if primary else "secondary",
        "success" if stp_ok else "failed",
        None if stp_ok else "vPC type-1 configuration incompatible - STP Mode inconsistent",
    )
    assert local.peer_link is not None and other.peer_link is not None
    state.peer_link_vlans = local.peer_link.vlans(local.vlans) & other.peer_link.vlans(other.vlans)
    graceful = local.graceful and other.graceful
    theirs = other.vpcs
    for vpc, pc in local.vpcs.items():
        peer_pc = theirs.get(vpc)
        if peer_pc is None:
            state.rows.append(_row(pc, "down", "failed", "Consistency Check Not Performed"))
            continue
        reason = "Global compat check failed" if not stp_ok else _type1_reason(pc, peer_pc)
        # graceful consistency check: only the secondary suspends on a Type-1 mismatch
        local_suspended = reason is not None and (not primary or not graceful)
        peer_suspended = reason is not None and (primary or not graceful)
        if pc.has_link and not local_suspended:
            status = "up"
        else:
            status = "down*" if peer_pc.has_link and not peer_suspended else "down"
        vlans = pc.vlans(local.vlans) & peer_pc.vlans(other.vlans) if status == "up" else frozenset()
        state.rows.append(_row(pc, status, "failed" if reason else "success", reason or "success", vlans))
    return state


def _type1_reason(pc: PortChannel, peer_pc: PortChannel) -> str | None:
    theirs = peer_pc.type1()
    mismatch = next((name for name, value in pc.type1().items() if theirs[name] != value), None)
    return f"vPC type-1 configuration incompatible - {TYPE1_REASONS[mismatch]} inconsistent" if mismatch else None


def _row(pc: PortChannel, status: str, consistency: str, reason: str, vlans: frozenset[int] = frozenset()) -> VpcRow:
    assert pc.vpc is not None
    return VpcRow(pc.vpc, pc, status, consistency, reason, vlans)
