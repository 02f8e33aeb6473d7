"""The lab's own MC-LAG rules: what a pair of Junos switches shows, computed from their two
committed configurations.

Deliberately simple and independent of the drivers and checks:

* **ICCP session** (``TCP Connection``): each side's ``protocols iccp local-ip-addr`` (or the
  per-peer ``local-ip-addr``) is one of its own inet addresses, each side has a ``peer`` at the
  other's local address. ``Liveliness Detection`` is up with the session when both peers
  configure ``liveness-detection``.
* **Backup liveness**: up when both sides configure ``backup-peer-ip`` and each points at the
  other's management address (em0/fxp0/vme/re0:mgmt inet address). A side with no management
  address configured is taken to answer on whatever address the other side uses, because the lab
  does not know the out-of-band addresses the real switches would have.
* **Redundancy group** (the pair's domain id): up when the session is up and both sides list it
  in ``redundancy-group-id-list``; mismatched lists never form.
* **MC-AE** (matched by ``mc-ae-id``): formed when its redundancy group is up. Then a hard
  mismatch (mode, redundancy-group, LACP system-id/admin-key/mode/periodic, interface-mode,
  native VLAN, MTU, service-id, equal chassis-id or status-control, no ICL for the peer) shows in
  ``Configuration Error Status`` and takes the ``status-control standby`` side down (both sides
  when status-control is not complementary); different VLAN members show as an error but stay up;
  an mc-ae the peer lacks is down. Not formed: the ``status-control active`` side stays up alone,
  the standby side goes down.
* **LACP**: an mc-ae's partner is the dual-homed server (the same system id from both peers); the
  ICL's partner is the peer switch (down when neither end is LACP active); other ae bundles face a
  host that is always in sync.

``groups``/``apply-groups`` are expanded (local statements win, ``<wildcards>`` match existing
names) before the rules read a configuration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from mlagauto.lab.juniper_junos.statements import Config, Path

MGMT_INTERFACES = ("em0", "em1", "fxp0", "vme", "re0:mgmt-0")
HARD_SETTINGS = (
    ("mode", "mc", "mode"),
    ("redundancy-group", "mc", "redundancy-group"),
    ("LACP system-id", "lacp", "system-id"),
    ("LACP system-priority", "lacp", "system-priority"),
    ("LACP admin-key", "lacp", "admin-key"),
    ("LACP mode", "lacp", "mode"),
    ("LACP periodic", "lacp", "periodic"),
    ("interface-mode", "l2", "interface-mode"),
    ("native-vlan-id", "l2", "native-vlan-id"),
    ("MTU", "l2", "mtu"),
)
"""Settings both ends of an mc-ae must share; a difference suspends the standby end."""
DEFAULTS = {"periodic": "slow", "system-priority": "127", "interface-mode": "access"}
"""Junos' values for settings left out, so an explicit default equals an omitted one."""


def inherited(paths: list[Path]) -> Config:
    """The configuration in effect: ``apply-groups`` expanded below the local statements."""
    groups: dict[str, list[Path]] = {}
    local: list[Path] = []
    for path in paths:
        if path[0] == "groups" and len(path) > 2:
            groups.setdefault(path[1], []).append(path[2:])
        else:
            local.append(path)
    config = Config(local)
    for path in local:
        if len(path) >= 2 and path[-2] == "apply-groups":
            context = path[:-2]
            for tail in groups.get(path[-1], []):
                for concrete in _expand(tail, local):
                    if concrete[: len(context)] == context and not config.has_slot(concrete):
                        config.set(concrete)
    return config


def _expand(tail: Path, local: list[Path]) -> list[Path]:
    """A group statement with ``<pattern>`` names resolved against the names configured locally."""
    results: list[Path] = [()]
    for i, token in enumerate(tail):
        if token.startswith("<") and token.endswith(">"):
            pattern = token[1:-1]
            results = [
                pre + (name,)
                for pre in results
                for name in sorted({p[i] for p in local if len(p) > i and p[:i] == pre and fnmatchcase(p[i], pattern)})
            ]
        else:
            results = [pre + (token,) for pre in results]
    return results


def chassis_mac(name: str) -> str:
    """A stable Juniper-OUI MAC per switch, the actor system id of bundles without a system-id."""
    digest = hashlib.sha256(name.encode()).digest()
    return "2c:6b:f5:" + ":".join(f"{b:02x}" for b in digest[:3])


def server_mac(key: str) -> str:
    """The LACP system id of the host behind a bundle (the same from both peers of an mc-ae)."""
    digest = hashlib.sha256(key.encode()).digest()
    return "00:1b:21:" + ":".join(f"{b:02x}" for b in digest[:3])


@dataclass
class Ae:
    """One aggregated interface as far as MC-LAG cares."""

    name: str
    lacp: dict[str, str] = field(default_factory=dict)
    mc: dict[str, str] = field(default_factory=dict)
    l2: dict[str, str] = field(default_factory=dict)
    vlans: frozenset[str] = frozenset()
    members: list[str] = field(default_factory=list)
    has_unit0: bool = False
    bridged: bool = False

    @property
    def mc_ae_id(self) -> str | None:
        return self.mc.get("mc-ae-id")

    @property
    def status(self) -> str:
        """``Local Status``: both ends are active in active-active mode."""
        return "active" if self.mc.get("mode") == "active-active" or self.mc.get("status-control") == "active" else "standby"


@dataclass
class IccpPeer:
    address: str
    local_ip: str | None
    groups: list[str]
    backup_ip: str | None
    liveness: bool


@dataclass
class Chassis:
    """What one switch's effective configuration says about MC-LAG."""

    name: str
    local_ip: str | None = None
    peers: dict[str, IccpPeer] = field(default_factory=dict)
    icl: dict[str, str] = field(default_factory=dict)
    service_id: str | None = None
    addresses: set[str] = field(default_factory=set)
    mgmt: set[str] = field(default_factory=set)
    aes: dict[str, Ae] = field(default_factory=dict)

    @property
    def mac(self) -> str:
        return chassis_mac(self.name)

    def source_for(self, peer: IccpPeer) -> str | None:
        return peer.local_ip or self.local_ip

    def by_mc_id(self, mc_ae_id: str | None) -> Ae | None:
        return next((ae for ae in self.aes.values() if mc_ae_id is not None and ae.mc_ae_id == mc_ae_id), None)


def read_chassis(name: str, config: Config) -> Chassis:
    """Build the MC-LAG view of one switch from its configuration."""
    effective = inherited(config.paths())
    ch = Chassis(name, local_ip=effective.first("protocols", "iccp", "local-ip-addr"))
    ch.service_id = effective.first("switch-options", "service-id")
    for tail in effective.under(("protocols", "iccp", "peer")):
        address = tail[0]
        if address in ch.peers:
            continue
        base = ("protocols", "iccp", "peer", address)
        ch.peers[address] = IccpPeer(
            address,
            effective.first(*base, "local-ip-addr"),
            [t[0] for t in effective.under(base + ("redundancy-group-id-list",))],
            effective.first(*base, "backup-liveness-detection", "backup-peer-ip"),
            any(True for _ in effective.under(base + ("liveness-detection",))),
        )
    for tail in effective.under(("multi-chassis", "multi-chassis-protection")):
        if len(tail) == 3 and tail[1] == "interface":
            ch.icl.setdefault(tail[0], tail[2])
    vlan_ids = {t[0]: t[2] for t in effective.under(("vlans",)) if len(t) == 3 and t[1] == "vlan-id"}
    for tail in effective.under(("interfaces",)):
        _read_interface(ch, tail, vlan_ids)
    return ch


def _read_interface(ch: Chassis, tail: Path, vlan_ids: dict[str, str]) -> None:
    """Fold one ``interfaces ...`` statement into the view."""
    ifname, rest = tail[0], tail[1:]
    if len(rest) >= 6 and rest[0] == "unit" and rest[2:5] == ("family", "inet", "address"):
        host = rest[5].split("/")[0]
        (ch.mgmt if ifname in MGMT_INTERFACES else ch.addresses).add(host)
        return
    if len(rest) == 3 and rest[0] in ("ether-options", "gigether-options") and rest[1] == "802.3ad":
        ch.aes.setdefault(rest[2], Ae(rest[2])).members.append(ifname)
        return
    if not ifname.startswith("ae") or not rest:
        return
    ae = ch.aes.setdefault(ifname, Ae(ifname))
    if rest[:2] == ("aggregated-ether-options", "lacp") and len(rest) >= 3:
        if rest[2] in ("active", "passive"):
            ae.lacp["mode"] = rest[2]
        elif len(rest) == 4:
            ae.lacp[rest[2]] = rest[3]
    elif rest[:2] == ("aggregated-ether-options", "mc-ae") and len(rest) == 4:
        ae.mc[rest[2]] = rest[3]
    elif rest[0] in ("native-vlan-id", "mtu") and len(rest) == 2:
        ae.l2[rest[0]] = rest[1]
    elif rest[:2] == ("unit", "0"):
        ae.has_unit0 = True
        family = rest[2:5]
        if family[:2] in (("family", "ethernet-switching"), ("family", "bridge")):
            ae.bridged = True
            if len(rest) == 6 and rest[4] == "interface-mode":
                ae.l2["interface-mode"] = rest[5]
            elif len(rest) == 7 and rest[4:6] == ("vlan", "members"):
                ae.vlans = ae.vlans | {vlan_ids.get(rest[6], rest[6])}


# --- state ---------------------------------------------------------------------------------------
@dataclass
class IccpState:
    peer: str
    tcp: bool
    liveness: bool
    backup: bool
    groups: list[tuple[str, bool]]


@dataclass
class McAeState:
    name: str
    error: str
    local_status: str
    local_up: bool
    peer_status: str
    peer_up: bool
    peer_ip: str
    icl: str
    unit: str | None
    topology: str

    @property
    def machine(self) -> str:
        return "mcae active state" if self.local_up else "mcae standby state"


@dataclass
class LacpPort:
    name: str
    up: bool
    fast: bool
    active: bool
    actor_id: str
    actor_priority: int
    actor_key: int
    partner_id: str
    partner_priority: int
    partner_key: int
    number: int


@dataclass
class LacpBundle:
    name: str
    ports: list[LacpPort]


def _session_up(me: Chassis, them: Chassis | None, peer: IccpPeer) -> bool:
    if them is None:
        return False
    mine = me.source_for(peer)
    back = them.peers.get(mine or "")
    return (
        mine is not None
        and mine in me.addresses
        and back is not None
        and them.source_for(back) == peer.address
        and peer.address in them.addresses
    )


def _backup_up(me: Chassis, them: Chassis | None, peer: IccpPeer) -> bool:
    if them is None or peer.backup_ip is None:
        return False
    back = them.peers.get(me.source_for(peer) or "")
    if back is None or back.backup_ip is None:
        return False
    return (not them.mgmt or peer.backup_ip in them.mgmt) and (not me.mgmt or back.backup_ip in me.mgmt)


def _group_up(me: Chassis, them: Chassis | None, peer: IccpPeer, group: str) -> bool:
    if them is None or not _session_up(me, them, peer):
        return False
    back = them.peers.get(me.source_for(peer) or "")
    return back is not None and group in peer.groups and group in back.groups


def iccp_states(me: Chassis, them: Chassis | None) -> list[IccpState]:
    """``show iccp``: one entry per configured ICCP peer."""
    out = []
    for peer in me.peers.values():
        tcp = _session_up(me, them, peer)
        back = them.peers.get(me.source_for(peer) or "") if them is not None and tcp else None
        out.append(
            IccpState(
                peer.address,
                tcp,
                tcp and peer.liveness and back is not None and back.liveness,
                _backup_up(me, them, peer),
                [(g, _group_up(me, them, peer, g)) for g in peer.groups],
            )
        )
    return out


def _peer_for(me: Chassis, ae: Ae) -> IccpPeer | None:
    group = ae.mc.get("redundancy-group")
    listed = [p for p in me.peers.values() if group in p.groups] or list(me.peers.values())
    return listed[0] if listed else None


def _mismatches(me: Chassis, them: Chassis, ae: Ae, twin: Ae, peer: IccpPeer) -> tuple[list[str], list[str]]:
    """(hard, soft) differences between the two ends of one mc-ae."""
    hard = [
        label
        for label, part, key in HARD_SETTINGS
        if getattr(ae, part).get(key, DEFAULTS.get(key)) != getattr(twin, part).get(key, DEFAULTS.get(key))
    ]
    if me.service_id != them.service_id:
        hard.append("service-id")
    if ae.mc.get("chassis-id") == twin.mc.get("chassis-id"):
        hard.append("chassis-id")
    if ae.mc.get("status-control") == twin.mc.get("status-control"):
        hard.append("status-control")
    if peer.address not in me.icl:
        hard.append("ICL")
    soft = ["VLAN membership"] if ae.vlans != twin.vlans else []
    return hard, soft


def _local(me: Chassis, them: Chassis | None, ae: Ae) -> tuple[bool, str, bool]:
    """(up, error, formed) for this end of an mc-ae."""
    standby = ae.mc.get("status-control") != "active"
    peer = _peer_for(me, ae)
    if peer is None or them is None or not _group_up(me, them, peer, ae.mc.get("redundancy-group", "")):
        return not standby, "No Error", False
    twin = them.by_mc_id(ae.mc_ae_id)
    if twin is None:
        return False, f"mc-ae-id {ae.mc_ae_id} is not configured on the peer", False
    hard, soft = _mismatches(me, them, ae, twin, peer)
    if hard:
        conflict = "status-control" in hard
        return not standby and not conflict, ", ".join(hard) + " mismatch", True
    return True, (", ".join(soft) + " mismatch") if soft else "No Error", True


def mcae_states(me: Chassis, them: Chassis | None) -> list[McAeState]:
    """``show interfaces mc-ae``: one entry per ae with an ``mc-ae-id``."""
    out = []
    for ae in sorted(me.aes.values(), key=lambda a: _ae_number(a.name)):
        if ae.mc_ae_id is None:
            continue
        up, error, formed = _local(me, them, ae)
        twin = them.by_mc_id(ae.mc_ae_id) if them is not None else None
        peer_up = formed and them is not None and twin is not None and _local(them, me, twin)[0]
        peer = _peer_for(me, ae)
        out.append(
            McAeState(
                ae.name,
                error,
                ae.status,
                up,
                twin.status if formed and twin is not None else "unknown",
                peer_up,
                peer.address if peer else "",
                me.icl.get(peer.address, "") if peer else "",
                f"{ae.name}.0" if ae.has_unit0 else None,
                "bridge" if ae.bridged else "inet",
            )
        )
    return out


def _key(ae: Ae) -> int:
    digits = ae.name[2:]
    return int(ae.lacp.get("admin-key") or (int(digits) + 1 if digits.isdigit() else 1))


def lacp_bundles(me: Chassis, them: Chassis | None) -> list[LacpBundle]:
    """``show lacp interfaces``: every ae running LACP, with what its partner sends."""
    mc_up = {s.name: s.local_up for s in mcae_states(me, them)}
    icl_names = set(me.icl.values())
    out = []
    for ae in sorted(me.aes.values(), key=lambda a: _ae_number(a.name)):
        if ae.lacp.get("mode") not in ("active", "passive"):
            continue
        if ae.name in mc_up:
            up, partner_id, partner_key = mc_up[ae.name], server_mac(f"mc-ae {ae.mc_ae_id}"), int(ae.mc_ae_id or 0) + 1
        elif ae.name in icl_names:
            up, partner_id, partner_key = _icl_partner(me, them, ae)
        else:
            up, partner_id, partner_key = True, server_mac(f"{me.name} {ae.name}"), 1
        actor_id = ae.lacp.get("system-id", me.mac)
        priority = int(ae.lacp.get("system-priority", "127"))
        ports = [
            LacpPort(
                m,
                up,
                ae.lacp.get("periodic") == "fast",
                ae.lacp["mode"] == "active",
                actor_id,
                priority,
                _key(ae),
                partner_id,
                127,
                partner_key,
                i + 1,
            )
            for i, m in enumerate(ae.members)
        ]
        out.append(LacpBundle(ae.name, ports))
    return out


def _icl_partner(me: Chassis, them: Chassis | None, ae: Ae) -> tuple[bool, str, int]:
    """The ICL bundle faces the peer's ICL bundle: up when that exists and one end is active."""
    if them is None:
        return False, "00:00:00:00:00:00", 0
    theirs = next((them.aes[n] for n in them.icl.values() if n in them.aes), None)
    if theirs is None or theirs.lacp.get("mode") not in ("active", "passive"):
        return False, "00:00:00:00:00:00", 0
    up = "active" in (ae.lacp.get("mode"), theirs.lacp.get("mode"))
    return up, theirs.lacp.get("system-id", them.mac), _key(theirs)


def _ae_number(name: str) -> tuple[int, str]:
    digits = name[2:]
    return (int(digits), name) if digits.isdigit() else (1 << 30, name)
