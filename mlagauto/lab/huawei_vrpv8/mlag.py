"""M-LAG state of a simulated CloudEngine pair, from the two running configurations, and the
``display dfs-group`` / ``display eth-trunk`` outputs that report it.

The rules are the lab's own and deliberately simple (they never consult the project's parsers or
checks, so an end-to-end test compares two independent readings of the same configs):

* the DFS group forms when both switches have ``dfs-group 1``, an Eth-Trunk with ``peer-link 1``
  and at least one member, and the same authentication password; otherwise ``Causation`` names
  the first missing piece (NOPEERLINK, PEERLINKDOWN, NOAUTHENTICATION, AUTHENTICATION FAILED,
  TIMEOUT when the peer has no DFS group);
* the DAD heartbeat is ``OK`` when each switch's ``dual-active detection source ip`` is the
  other's ``peer`` address (in the same VPN instance), else ``Lost``; it does not decide forming,
  the peer-link does, as on the device;
* the higher DFS ``priority`` is Master, a tie goes to the smaller system MAC; node 1 is the switch
  with the smaller system MAC;
* an M-LAG interface is active on a side whose Eth-Trunk has members and is not shut down; with
  ``consistency-check enable mode strict`` a Type 1 difference (LACP mode, M-LAG LACP system-id or
  priority, STP edge port, active-standby mode) puts the Backup's interface Error-Down; the
  consistency column reads ``--`` unless the check is enabled (the device default is disabled);
* the LACP partner of an M-LAG interface sees the M-LAG system ID: the Eth-Trunk's own ``lacp
  m-lag system-id``, else the Master's global one, else the Master's MAC (the Master synchronises
  it to the Backup once the group forms).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from mlagauto.configtree import Node
from mlagauto.lab.huawei_vrpv8.config import PHYSICAL_TYPES, interface_type, vlan_set_prefix, vlan_values

DEFAULT_DFS_PRIORITY = 100
DEFAULT_LACP_PRIORITY = 32768
DEFAULT_CONSISTENCY_CHECK: str | None = None
"""``consistency-check enable mode`` of a DFS group that does not configure it: disabled, as on
V300R023 (``--`` in the Consistency-check column)."""
FAILED_REASONS = (
    "Relationship between vlan and port is inconsistent",
    "STP configuration under the port is inconsistent",
    "STP port priority configuration is inconsistent",
    "LACP mode of M-LAG is inconsistent",
    "M-LAG configuration is inconsistent",
    "The number of M-LAG members is inconsistent",
    "LACP system-id of M-LAG is inconsistent",
    "LACP priority of M-LAG is inconsistent",
    "STP port edged configuration is inconsistent",
    "M-LAG mode configuration is inconsistent",
)
"""The ``Failed reason`` legend of ``display dfs-group m-lag brief``, numbered from 1."""
TYPE1_REASONS = frozenset({4, 7, 8, 9, 10})


def system_mac(device_name: str) -> str:
    """A stable bridge MAC per switch (Huawei OUI), from the lab host name: renaming the switch
    with ``sysname`` does not change its hardware address."""
    digest = hashlib.sha256(device_name.encode()).hexdigest()
    return f"00e0-fc{digest[:2]}-{digest[2:6]}"


@dataclass
class Trunk:
    """What the lab needs of one Eth-Trunk."""

    number: int
    mode: str = "manual"
    fast: bool = False
    peer_link: bool = False
    mlag_id: int | None = None
    active_standby: bool = False
    link_type: str = "access"
    vlans: frozenset[int] = frozenset({1})
    members: list[str] = field(default_factory=list)
    shutdown: bool = False
    lacp_system_id: str | None = None
    lacp_priority: int | None = None
    edged: bool = False
    least_active: int = 1

    @property
    def up(self) -> bool:
        return bool(self.members) and not self.shutdown


@dataclass
class Dfs:
    priority: int = DEFAULT_DFS_PRIORITY
    source: str | None = None
    peer: str | None = None
    vpn: str | None = None
    password: str | None = None
    consistency: str | None = None
    up_delay: str = "240/0"
    """``m-lag up-delay`` and its auto-recovery interval, as ``display dfs-group`` prints them."""


@dataclass
class Side:
    """One switch of the pair as its running configuration describes it."""

    sysname: str
    mac: str
    dfs: Dfs | None
    trunks: dict[int, Trunk]
    lacp_system_id: str | None = None
    lacp_priority: int | None = None

    @property
    def peer_link(self) -> Trunk | None:
        return next((t for t in self.trunks.values() if t.peer_link), None)

    def mlag(self, mlag_id: int) -> Trunk | None:
        return next((t for t in self.trunks.values() if t.mlag_id == mlag_id), None)

    def mlags(self) -> list[Trunk]:
        return sorted((t for t in self.trunks.values() if t.mlag_id is not None), key=lambda t: t.mlag_id or 0)


def read_side(tree: Node, device_name: str) -> Side:
    trunks: dict[int, Trunk] = {}
    members: dict[int, list[str]] = {}
    for node in tree.find("interface"):
        name = node.text.split()[1]
        kind = interface_type(name)
        if kind == "Eth-Trunk":
            trunk = _read_trunk(int(name[len("Eth-Trunk") :]), node)
            trunks[trunk.number] = trunk
        elif kind in PHYSICAL_TYPES and node.value("eth-trunk") and not node.has("shutdown"):
            members.setdefault(int(node.value("eth-trunk") or 0), []).append(name)
    for number, ports in members.items():
        if number in trunks:
            trunks[number].members = ports
    dfs_node = tree.first("dfs-group 1")
    return Side(
        sysname=tree.value("sysname") or device_name,
        mac=system_mac(device_name),
        dfs=_read_dfs(dfs_node) if dfs_node is not None else None,
        trunks=trunks,
        lacp_system_id=tree.value("lacp m-lag system-id"),
        lacp_priority=_int(tree.value("lacp m-lag priority")),
    )


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _read_dfs(node: Node) -> Dfs:
    dfs = Dfs(priority=_int(node.value("priority")) or DEFAULT_DFS_PRIORITY)
    dad = node.value("dual-active detection source ip") or node.value("source ip")
    if dad:
        words = dad.split()
        dfs.source = words[0]
        options = dict(zip(words[1::2], words[2::2]))
        dfs.vpn, dfs.peer = options.get("vpn-instance"), options.get("peer")
    auth = node.value("authentication-mode")
    if auth and len(auth.split()) >= 3:
        dfs.password = auth.split()[2]
    mode = node.value("consistency-check enable mode")
    dfs.consistency = mode.split()[0] if mode else DEFAULT_CONSISTENCY_CHECK
    up = (node.value("m-lag up-delay") or "").split()
    if up and up[0].isdigit():
        interval = up[up.index("interval") + 1] if "interval" in up and up.index("interval") + 1 < len(up) else "0"
        dfs.up_delay = f"{up[0]}/{interval}"
    return dfs


def _read_trunk(number: int, node: Node) -> Trunk:
    trunk = Trunk(number)
    trunk.mode = (node.value("mode") or "manual").split()[0]
    trunk.fast = (node.value("lacp timeout") or "").startswith("fast")
    trunk.peer_link = node.value("peer-link") == "1"
    dfs = (node.value("dfs-group") or "").split()
    if len(dfs) >= 3 and dfs[1] == "m-lag" and dfs[2].isdigit():
        trunk.mlag_id = int(dfs[2])
        trunk.active_standby = "active-standby" in dfs
    trunk.link_type = node.value("port link-type") or "access"
    trunk.shutdown = node.has("shutdown")
    trunk.lacp_system_id = node.value("lacp m-lag system-id")
    trunk.lacp_priority = _int(node.value("lacp m-lag priority"))
    trunk.edged = node.has("stp edged-port enable")
    trunk.least_active = _int(node.value("least active-linknumber")) or 1
    trunk.vlans = frozenset(_trunk_vlans(node, trunk.link_type))
    return trunk


def _trunk_vlans(node: Node, link_type: str) -> set[int]:
    """The VLANs the trunk carries, with the PVID marked as ``-id`` so a native VLAN difference
    shows as a VLAN difference."""
    if link_type == "access":
        return {_int(node.value("port default vlan")) or 1}
    allowed = set() if node.has("undo port trunk allow-pass vlan 1") else {1}
    for child in node.children:
        if vlan_set_prefix(child.text) == "port trunk allow-pass vlan":
            allowed |= vlan_values(child.text.split()[4:])
    return allowed | {-(_int(node.value("port trunk pvid vlan")) or 1)}


# --- the pair ------------------------------------------------------------------------------------
@dataclass
class Pair:
    """The DFS group as one switch sees it."""

    local: Side
    peer: Side | None
    formed: bool
    causation: str
    heartbeat: str

    @property
    def nodes(self) -> list[Side]:
        """Node 1 and node 2 (only the local switch while the group has not formed)."""
        if not self.formed or self.peer is None:
            return [self.local]
        return sorted([self.local, self.peer], key=lambda s: s.mac)

    @property
    def master(self) -> Side:
        if not self.formed or self.peer is None:
            return self.local
        a, b = self.local, self.peer
        assert a.dfs and b.dfs
        if a.dfs.priority != b.dfs.priority:
            return a if a.dfs.priority > b.dfs.priority else b
        return a if a.mac < b.mac else b

    def state(self, side: Side) -> str:
        return "Master" if side is self.master else "Backup"

    def node_id(self, side: Side) -> int:
        return self.nodes.index(side) + 1 if side in self.nodes else 2

    def other(self, side: Side) -> Side | None:
        return self.peer if side is self.local else self.local

    def reasons(self, side: Side, trunk: Trunk) -> list[int]:
        """Failed-reason numbers of one M-LAG interface against its counterpart."""
        assert trunk.mlag_id is not None
        other_side = self.other(side)
        other = other_side.mlag(trunk.mlag_id) if other_side else None
        if other is None:
            return [5]
        checks = (
            (1, trunk.link_type != other.link_type or trunk.vlans != other.vlans),
            (4, trunk.mode != other.mode),
            (6, len(trunk.members) != len(other.members)),
            (7, trunk.lacp_system_id != other.lacp_system_id),
            (8, trunk.lacp_priority != other.lacp_priority),
            (9, trunk.edged != other.edged),
            (10, trunk.active_standby != other.active_standby),
        )
        return [number for number, failed in checks if failed]

    def error_down(self, side: Side, trunk: Trunk) -> bool:
        """Strict consistency check: a Type 1 difference shuts the Backup's interface."""
        if not self.formed or side is self.master or side.dfs is None or side.dfs.consistency != "strict":
            return False
        return bool(TYPE1_REASONS.intersection(self.reasons(side, trunk)))

    def active(self, side: Side | None, mlag_id: int) -> bool:
        trunk = side.mlag(mlag_id) if side else None
        return trunk is not None and side is not None and trunk.up and not self.error_down(side, trunk)

    def lacp_identity(self, side: Side, trunk: Trunk) -> tuple[int, str]:
        """(priority, system ID) the switch sends on an Eth-Trunk's LACPDUs."""
        if trunk.mlag_id is None:
            return DEFAULT_LACP_PRIORITY, side.mac
        source = self.master if self.formed else side
        priority = trunk.lacp_priority or source.lacp_priority or DEFAULT_LACP_PRIORITY
        return priority, trunk.lacp_system_id or source.lacp_system_id or source.mac


def evaluate(local: Side, peer: Side | None) -> Pair:
    heartbeat = "OK" if peer and _dad_mirrored(local.dfs, peer.dfs) else "Lost"
    causation = _causation(local, peer)
    return Pair(local, peer, causation == "-", causation, heartbeat)


def _dad_mirrored(a: Dfs | None, b: Dfs | None) -> bool:
    return bool(a and b and a.source and b.source and a.peer == b.source and b.peer == a.source and a.vpn == b.vpn)


def _causation(local: Side, peer: Side | None) -> str:
    """Why the DFS group is not formed, or ``-``."""
    if local.peer_link is None or not local.peer_link.up:
        return "NOPEERLINK"
    if peer is None or peer.dfs is None:
        return "TIMEOUT"
    if peer.peer_link is None or not peer.peer_link.up:
        return "PEERLINKDOWN"
    assert local.dfs is not None
    if local.dfs.password is None and peer.dfs.password is None:
        return "NOAUTHENTICATION"
    if local.dfs.password != peer.dfs.password:
        return "AUTHENTICATION FAILED"
    if local.mac == peer.mac and local.dfs.priority == peer.dfs.priority:
        return "SAMEMAC"
    return "-"


# --- show outputs ---------------------------------------------------------------------------------
def show_dfs_group(pair: Pair, version: str, device_type: str) -> str:
    """``display dfs-group 1 m-lag``."""
    lines = [f"{'*':<22}: Local node", f"{'Heart beat state':<22}: {pair.heartbeat}"]
    for side in pair.nodes:
        assert side.dfs is not None
        node_id = pair.node_id(side)
        lines.append(f"Node {node_id}" + (" *" if side is pair.local else ""))
        fields = (
            ("Dfs-Group ID", "1"),
            ("Priority", str(side.dfs.priority)),
            ("Dual-active Address", side.dfs.source or "-"),
            ("VPN-Instance", side.dfs.vpn or "public net"),
            ("State", pair.state(side)),
            ("Causation", pair.causation if side is pair.local else "-"),
            ("System ID", side.mac),
            ("SysName", side.sysname),
            ("Version", version),
            ("Device Type", device_type),
        )
        lines += [f"  {name:<20}: {value}" for name, value in fields]
    return "\n".join(lines)


def show_dfs_summary(pair: Pair) -> str:
    """``display dfs-group``: the local node's DFS settings and the global consistency verdict
    (``--`` while the consistency check is off, the device default)."""
    side = pair.local
    assert side.dfs is not None
    fields = (
        ("Dfs-Group ID", "1"),
        ("Priority", str(side.dfs.priority)),
        ("Dual-active Address", side.dfs.source or "-"),
        ("VPN-Instance", side.dfs.vpn or "public net"),
        ("System ID", side.mac),
        ("SysName", side.sysname),
        ("Up-delay/Interval", side.dfs.up_delay),
        ("Switch-delay", "0"),
    )
    if side.dfs.consistency is None or not pair.formed:
        verdict = "--"
    else:
        verdict = "failed" if any(pair.reasons(side, t) for t in side.mlags()) else "success"
    return "\n".join([f"  {name:<20}: {value}" for name, value in fields] + ["", f"  Configuration consistency check: {verdict}"])


def show_mlag_brief(pair: Pair, side: Side | None) -> str:
    """``display dfs-group 1 [node N] m-lag brief``: the M-LAG interfaces of one node."""
    lines = ["* - Local node", "", f"{'M-Lag ID':<13}{'Interface':<15}{'Port State':<14}{'Status':<22}Consistency-check"]
    for trunk in side.mlags() if side else []:
        assert trunk.mlag_id is not None
        up = pair.active(side, trunk.mlag_id)
        lines.append(
            f"{trunk.mlag_id:>8}     {'Eth-Trunk ' + str(trunk.number):<15}{'Up' if up else 'Down':<14}"
            f"{_status(pair, trunk.mlag_id):<22}{_consistency(pair, side, trunk)}"
        )
    lines += ["", "Failed reason:"] + [f"    {i} -- {text}" for i, text in enumerate(FAILED_REASONS, 1)]
    return "\n".join(lines)


def _status(pair: Pair, mlag_id: int) -> str:
    """``active(*)-active``: node 1's state, then node 2's, the local one marked ``(*)``."""
    nodes = pair.nodes if pair.formed else [pair.local, pair.peer]
    parts = []
    for node in nodes:
        state = "active" if node is not None and (node is pair.local or pair.formed) and pair.active(node, mlag_id) else "inactive"
        parts.append(state + ("(*)" if node is pair.local else ""))
    return "-".join(parts)


def _consistency(pair: Pair, side: Side | None, trunk: Trunk) -> str:
    if side is None or not pair.formed or pair.local.dfs is None or pair.local.dfs.consistency is None:
        return "--"
    reasons = pair.reasons(side, trunk)
    return f"failed({reasons[0]})" if reasons else "success"


def show_peer_link(pair: Pair) -> str:
    trunk = pair.local.peer_link
    lines = ["Peer-link information", "-" * 65, f"Total Interface(s): {1 if trunk else 0}"]
    if trunk:
        up = trunk.up and pair.peer is not None and pair.peer.peer_link is not None and pair.peer.peer_link.up
        lines += [
            f"{'Peer-link Id':<18}: 1",
            f"{'Port Name':<18}: Eth-Trunk{trunk.number}",
            f"{'Port State':<18}: {'Up' if up else 'Down'}",
            f"{'Link Type':<18}: Physical link",
        ]
    return "\n".join(lines)


def show_eth_trunk(pair: Pair, numbers: list[int]) -> str:
    """``display eth-trunk [N]``: actor and partner LACP identities per member port."""
    blocks = []
    for number in numbers:
        trunk = pair.local.trunks[number]
        blocks.append(_lacp_trunk(pair, trunk) if trunk.mode != "manual" else _manual_trunk(pair, trunk))
    return "\n\n".join(blocks)


def _trunk_up(pair: Pair, trunk: Trunk) -> bool:
    return trunk.up and not (trunk.mlag_id is not None and pair.error_down(pair.local, trunk))


def _manual_trunk(pair: Pair, trunk: Trunk) -> str:
    up = _trunk_up(pair, trunk)
    lines = [
        f"Eth-Trunk{trunk.number}'s state information is:",
        f"{'WorkingMode: NORMAL':<30}Hash arithmetic: profile default",
        f"{'Least Active-linknumber: ' + str(trunk.least_active):<30}Max Bandwidth-affected-linknumber: 32",
        f"{'Operating status: ' + ('up' if up else 'down'):<30}Number Of Up Port In Trunk: {len(trunk.members) if up else 0}",
        "-" * 80,
        f"{'PortName':<30}{'Status':<12}Weight",
    ]
    lines += [f"{port:<30}{'Up' if up else 'Down':<12}1" for port in trunk.members]
    return "\n".join(lines)


def _lacp_trunk(pair: Pair, trunk: Trunk) -> str:
    up = _trunk_up(pair, trunk)
    priority, system_id = pair.lacp_identity(pair.local, trunk)
    partner_priority, partner_id = _partner(pair, trunk)
    port_key = lacp_port_key(trunk)
    state = "10111100" if up else "10100000"
    lines = [
        f"Eth-Trunk{trunk.number}'s state information is:",
        "Local:",
        f"{'LAG ID: ' + str(trunk.number):<32}Working Mode: {'Static' if trunk.mode == 'lacp-static' else 'Dynamic'}",
        f"{'Preempt Delay: Disabled':<32}Hash Arithmetic: profile default",
        f"{'System Priority: ' + str(priority):<32}System ID: {system_id}",
        f"{'Least Active-linknumber: ' + str(trunk.least_active):<32}Max Active-linknumber: 32",
        f"{'Operating Status: ' + ('up' if up else 'down'):<32}Number Of Up Ports In Trunk: {len(trunk.members) if up else 0}",
        f"Timeout Period: {'Fast' if trunk.fast else 'Slow'}",
        "-" * 80,
        "ActorPortName          Status   PortType PortPri PortNo PortKey PortState Weight",
    ]
    for index, port in enumerate(trunk.members, 1):
        kind = interface_type(port) or ""
        lines.append(f"{port:<23}{'Selected' if up else 'Unselect':<9}{kind:<9}{DEFAULT_LACP_PRIORITY:<8}{index:<7}{port_key:<8}{state:<10}1")
    lines += ["", "Partner:", "-" * 80, "ActorPortName          SysPri   SystemID        PortPri PortNo PortKey PortState"]
    for index, port in enumerate(trunk.members, 1):
        if up and partner_id:
            lines.append(f"{port:<23}{partner_priority:<9}{partner_id:<16}{DEFAULT_LACP_PRIORITY:<8}{index:<7}{port_key:<8}{state}")
        else:
            lines.append(f"{port:<23}{0:<9}{'0000-0000-0000':<16}{0:<8}{0:<7}{0:<8}10100011")
    return "\n".join(lines)


def lacp_port_key(trunk: Trunk) -> int:
    """The operational key the lab's CloudEngine sends on an Eth-Trunk's LACPDUs (``PortKey``
    of ``display eth-trunk``): one per Eth-Trunk number, so the two M-LAG peers send the same key
    when they use the same Eth-Trunk number for the M-LAG."""
    return 300 + trunk.number


def _partner(pair: Pair, trunk: Trunk) -> tuple[int, str | None]:
    """Who answers LACP on the far end: the peer switch on the peer-link, otherwise the dual-homed
    server of an M-LAG (the same host behind both switches) or a single-homed host."""
    if trunk.peer_link:
        if pair.peer and pair.peer.peer_link and pair.peer.peer_link.up and pair.peer.peer_link.mode != "manual":
            return DEFAULT_LACP_PRIORITY, pair.peer.mac
        return 0, None
    host = trunk.mlag_id if trunk.mlag_id is not None else 0x1000 + trunk.number
    return DEFAULT_LACP_PRIORITY, f"0000-5e00-{host:04x}"
