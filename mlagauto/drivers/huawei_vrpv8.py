"""Huawei CloudEngine VRP V8 M-LAG.

How the neutral model maps onto ``display current-configuration`` of a CloudEngine switch:

======================================  ============================================================
model                                   VRP V8
======================================  ============================================================
domain_id (must be 1)                   ``dfs-group 1``
role / role_priority                    dfs-group ``priority`` (1-254, higher = master). Unset: 150
                                        on the primary, 120 on the secondary; the device default 100
                                        is not printed.
keepalive source/destination/vrf        ``dual-active detection source ip S [vpn-instance V] peer P``
                                        (v300) or ``source ip S [vpn-instance V] peer P`` (v200); a
                                        VRF also renders ``ip vpn-instance V`` / `` ipv4-family``.
keepalive interface + prefix_length     that interface with `` ip binding vpn-instance V`` and
                                        `` ip address A <dotted mask>``; a physical port also gets
                                        `` undo portswitch`` and `` m-lag unpaired-port reserved``.
authentication                          `` authentication-mode hmac-sha256 password P`` (mandatory
                                        on v300; shown encrypted ``%+%#...%+%#`` by the device)
system.mac / system.priority            ``lacp m-lag system-id H-H-H`` (always rendered, derived
                                        from the domain when unset) / ``lacp m-lag priority N``
timers.restore_delay                    ``m-lag up-delay N`` (device default 240)
timers.auto_recovery(+_delay)           `` auto-recovery interval M`` on the up-delay line (1-180)
stp.mode                                ``stp mode rstp|mstp`` (device default mstp)
stp.mlag_mode v-stp                     ``stp v-stp enable``
stp.mlag_mode root-bridge               ``stp bridge-address H-H-H`` + ``stp instance 0 root
                                        primary``, and `` stp disable`` on the peer-link
stp.priority                            ``stp instance 0 priority N`` (V-STP only; default 32768)
peer_link                               ``interface Eth-TrunkN`` / `` mode lacp-static`` /
                                        `` peer-link 1``; members `` eth-trunk N``. A peer-link
                                        carries every VLAN; an explicit ``vlans`` list renders
                                        `` port vlan exclude`` of all other VLANs.
lacp_mode active / static               `` mode lacp-static`` / no mode line (manual load balancing
                                        is the device default and is not printed)
lacp_fallback                           `` mode lacp-dynamic``: when LACP negotiation fails the
                                        members go Indep and forward individually (the documented
                                        server/PXE case). Members with `` lacp force-up`` on a
                                        lacp-static trunk are read as fallback too.
lacp_rate fast                          `` lacp timeout fast``
min_links                               `` least active-linknumber N`` (default 1)
mtu                                     `` jumboframe enable N`` (maximum frame length 1518-9500,
                                        default 9216)
mode trunk / access, native_vlan        `` port link-type trunk`` + `` port trunk pvid vlan N`` +
                                        `` undo port trunk allow-pass vlan 1`` + `` port trunk
                                        allow-pass vlan ...``; access is the default link type:
                                        `` port default vlan N`` only
======================================  ============================================================

Rejected, because VRP V8 has no such setting: ``lacp_mode: passive`` (lacp-static and
lacp-dynamic both send LACPDUs), ``lacp_fallback_timeout`` (fallback follows the LACP timeout),
``admin_key``, ``chassis_id``, ``peer_address`` and ``peer_vlan`` (the DFS group talks over the
peer-link itself), ``peer_gateway``, ``peer_switch`` (use ``stp.mlag_mode: root-bridge``),
``service_id``, ``domain_name``, ``timers.non_mlag_restore_delay`` and ``stp.mode: rapid-pvst``.

Effective values (see ``mlagauto.model.peer_config``): wherever the device leaves a default out of
its running configuration, projection and parser both fill it in: dfs-group priority 100, LACP
M-LAG priority 32768, up-delay 240, STP mode mstp, STP priority 32768 (0 with ``root primary``),
trunk PVID 1, least active-linknumber 1, jumboframe 9216, LACP timeout slow, link-type access.
VLAN 1 always exists and is never printed in ``vlan batch``; it is listed only when it is named.

Rendering follows the device: ``#`` between blocks, one-space indentation, ``vlan batch`` and
VLAN lists as ``10 20 to 30`` with at most ten items per line (longer lists continue on another
line of the same command), interfaces ordered Vlanif, MEth, Eth-Trunk, physical ports, LoopBack,
``return`` at the end. Seen on real V300R02x output: the dfs-group line order (authentication-mode,
dual-active detection, m-lag up-delay, priority), ``vlan batch`` wrapping after ten items,
`` stp disable`` before `` mode`` on the peer-link, no `` mode`` line on a manual trunk. Not
confirmed and kept in one place each so a correction is one edit: the position of ``lacp m-lag``,
``vlan N`` and ``ip vpn-instance`` between the global blocks, of `` jumboframe enable``,
`` least active-linknumber`` and `` lacp timeout fast`` inside an Eth-Trunk, allow-pass lines
wrapping like ``vlan batch``, the ordering of mixed port types, and the V200R019 dfs-group order
and support of ``authentication-mode`` and ``m-lag up-delay``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from ipaddress import IPv4Interface
from typing import Any, NamedTuple

from mlagauto.configtree import Block, child_value, top_blocks
from mlagauto.drivers.base import CliCommit, LagView, MlagDriver, vlan_frozenset
from mlagauto.drivers.showtext import is_json, lacp_mac
from mlagauto.model.finding import Severity
from mlagauto.model.intent import MlagDomain, MlagInterface, MlagPeer
from mlagauto.model.peer_config import (
    KeepaliveConfig,
    MlagInterfaceConfig,
    PeerConfig,
    PeerLinkConfig,
    StpConfig,
    TimersConfig,
)
from mlagauto.model.peer_state import LacpMemberState, MlagInterfaceState, PeerState
from mlagauto.model.problems import Problem
from mlagauto.model.vlans import vlan_ranges

DEFAULT_DFS_PRIORITY = 100
DERIVED_DFS_PRIORITY = {"primary": 150, "secondary": 120}
DEFAULT_LACP_PRIORITY = 32768
DEFAULT_UP_DELAY = 240
MAX_UP_DELAY = 3600
MAX_AUTO_RECOVERY_INTERVAL = 180
DEFAULT_STP_MODE = "mstp"
DEFAULT_STP_PRIORITY = 32768
ROOT_PRIMARY_STP_PRIORITY = 0
DEFAULT_PVID = 1
DEFAULT_MIN_LINKS = 1
DEFAULT_JUMBOFRAME = 9216
JUMBOFRAME_RANGE = (1518, 9500)
ALL_VLANS = frozenset(range(1, 4095))
ITEMS_PER_LINE = 10
"""VLAN items (an id or ``a to b``) per ``vlan batch`` / ``port vlan exclude`` / allow-pass line."""

_PHYSICAL = r"(?:GE|MultiGE|10GE|25GE|40GE|50GE|100GE|200GE|400GE)\d+/\d+/\d+(?::\d+)?"
_PORT_PARTS = re.compile(r"(\d*[A-Za-z]+)(\d+)/(\d+)/(\d+)(?::(\d+))?")
_PORT_TYPES = ("GE", "MultiGE", "10GE", "25GE", "40GE", "50GE", "100GE", "200GE", "400GE")
_DAD_INTERFACE = re.compile(rf"MEth\d+/\d+/\d+|Vlanif\d+|LoopBack\d+|{_PHYSICAL}")
"""Interfaces that can hold the DAD source address: MEth, a physical port, a Vlanif, a LoopBack."""
_PASSWORD = re.compile(r"[!#->@-~]{8,16}")
"""Clear-text dfs-group password: 8-16 printable ASCII characters without space, ``"`` and ``?``."""

_MARKERS = (
    ("dfs-group ", 4),
    ("interface Eth-Trunk", 3),
    ("vlan batch ", 2),
    ("port trunk allow-pass vlan", 2),
    ("!Software Version V", 2),
    ("stp v-stp enable", 2),
    ("\nsysname ", 1),
    ("\n eth-trunk ", 1),
    ("port link-type ", 1),
)


# --- small helpers -----------------------------------------------------------------------------
def huawei_mac(mac: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` -> ``aabb-ccdd-eeff`` (the H-H-H form VRP prints)."""
    digits = mac.replace(":", "")
    return "-".join(digits[i : i + 4] for i in range(0, 12, 4))


def colon_mac(value: str) -> str | None:
    """``aabb-ccdd-eeff`` (or any separator) -> ``aa:bb:cc:dd:ee:ff``; None when not a MAC."""
    digits = re.sub(r"[.:\-]", "", value.strip().lower())
    if len(digits) != 12 or any(c not in "0123456789abcdef" for c in digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def vlan_items(vlans: Iterable[int]) -> list[str]:
    """VLAN ids as VRP's command items: ``10``, ``20 to 30`` (a run of two is ``20 to 21``)."""
    return [str(lo) if lo == hi else f"{lo} to {hi}" for lo, hi in vlan_ranges(vlans)]


def vlan_lines(vlans: Iterable[int]) -> list[str]:
    """VLAN items split into lines of at most ``ITEMS_PER_LINE`` items, as the device prints them."""
    items = vlan_items(vlans)
    return [" ".join(items[i : i + ITEMS_PER_LINE]) for i in range(0, len(items), ITEMS_PER_LINE)]


def port_sort_key(name: str) -> tuple[int, ...]:
    """Order physical ports as the device lists them: by slot and card, then port type, then port."""
    m = _PORT_PARTS.fullmatch(name)
    if not m:
        return (1 << 16,)
    kind, slot, card, port, sub = m.groups()
    rank = _PORT_TYPES.index(kind) if kind in _PORT_TYPES else len(_PORT_TYPES)
    return (int(slot), int(card), rank, int(port), int(sub or 0))


def effective_variant(driver: MlagDriver, peer: MlagPeer) -> str:
    """The variant a peer is rendered in when none is asked for."""
    return peer.variant or driver.variants[0]


# --- render views ---------------------------------------------------------------------------------
# Named tuples: built for every port of every switch rendered, several times faster than frozen
# dataclasses.
class TrunkView(NamedTuple):
    """One ``interface Eth-TrunkN`` block: every line is data, the template only prints."""

    name: str
    description: str | None = None
    jumboframe: int | None = None
    link_type: str | None = None
    pvid: int | None = None
    undo_vlan1: bool = False
    allow_lines: Sequence[str] = ()
    default_vlan: int | None = None
    stp_disable: bool = False
    lacp_mode: str | None = None
    least_links: int | None = None
    lacp_fast: bool = False
    peer_link: bool = False
    exclude_lines: Sequence[str] = ()
    mlag_id: int | None = None
    kind: str = "trunk"


class MemberView(NamedTuple):
    """A physical member: `` description`` and `` eth-trunk N``."""

    name: str
    description: str | None
    trunk: int
    kind: str = "member"


class DadView(NamedTuple):
    """The interface holding the DAD source address."""

    name: str
    vrf: str | None
    address: str
    mask: str
    physical: bool
    kind: str = "dad"


_GROUP = {"Vlanif": 0, "MEth": 1, "Eth-Trunk": 2, "LoopBack": 4}


def interface_order(view: TrunkView | MemberView | DadView) -> tuple[Any, ...]:
    """Device order: Vlanif, MEth, Eth-Trunk by number, physical ports, LoopBack."""
    for prefix, group in _GROUP.items():
        if view.name.startswith(prefix):
            number = view.name[len(prefix) :]
            return (group, int(number) if number.isdigit() else 0)
    return (3, port_sort_key(view.name))


# --- parse state ----------------------------------------------------------------------------------
@dataclass
class Trunk:
    """What one ``interface Eth-TrunkN`` block says."""

    name: str
    description: str | None = None
    link_type: str = "access"
    allow: set[int] = field(default_factory=set)
    disallow: set[int] = field(default_factory=set)
    pvid: int = DEFAULT_PVID
    default_vlan: int = DEFAULT_PVID
    exclude: set[int] = field(default_factory=set)
    lacp: str = "manual"
    lacp_fast: bool = False
    min_links: int = DEFAULT_MIN_LINKS
    mtu: int = DEFAULT_JUMBOFRAME
    peer_link: bool = False
    mlag_id: int | None = None
    system_id: str | None = None
    system_priority: int | None = None
    members: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """M-LAG statements of this trunk in a form the parser does not know (reported only when the
    trunk is the peer-link or an M-LAG member)."""


@dataclass
class Scan:
    """Everything one pass over the top-level blocks collects."""

    hostname: str | None = None
    dfs: Block | None = None
    vlans: set[int] = field(default_factory=set)
    vlan_names: dict[int, str] = field(default_factory=dict)
    stp: dict[str, str] = field(default_factory=dict)
    lacp_priority: int | None = None
    lacp_system_id: str | None = None
    trunks: dict[int, Trunk] = field(default_factory=dict)
    force_up: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def trunk(self, number: int, name: str) -> Trunk:
        """The Eth-Trunk numbered ``number``, created under ``name`` when first seen (and only
        then: a Trunk is built with four containers, and every member port names its trunk)."""
        found = self.trunks.get(number)
        if found is None:
            found = self.trunks[number] = Trunk(name)
        return found

    def vlan_set(self, text: str, where: str) -> frozenset[int]:
        """A VRP VLAN list (``10 20 to 30`` or ``all``); unreadable lists warn and count as empty."""
        if text.strip() == "all":
            return ALL_VLANS
        try:
            return vlan_frozenset(text)
        except ValueError as exc:
            self.warnings.append(f"{where}: unreadable VLAN list {text!r} ({exc})")
            return frozenset()


class VrpV8Driver(MlagDriver):
    platform = "huawei_vrpv8"
    netmiko_device_type = "huawei_vrpv8"
    napalm_driver = None
    commit_style = "two-stage"
    severities = {
        "system-identity": Severity.WARNING,
        "stp.mode": Severity.ERROR,
        "stp.mlag_mode": Severity.ERROR,
        "mlag-type2.lacp_fallback": Severity.ERROR,
        "pair-options.authentication": Severity.ERROR,
    }
    hier_config_platform = "HUAWEI_VRP"
    vlan_sets = (
        re.compile(r"(vlan batch )(\d[\d ]*(?:to[\d ]+)*)()"),
        re.compile(r"(port trunk allow-pass vlan )(\d[\d ]*(?:to[\d ]+)*)()"),
    )
    """VRP adds the VLANs of ``vlan batch`` and ``port trunk allow-pass vlan`` to a set and
    ``undo`` takes single VLANs out; long sets wrap over several lines."""
    owned = (re.compile(r"vlan batch \d+"), re.compile(r"vlan \d+"), re.compile(r"stp mode \S+"))
    """The STP mode is one setting whose default (MSTP) prints nothing: a mode the intent leaves at
    the default goes back with ``undo stp mode``, a changed one is replaced."""
    membership = r"eth-trunk \d+"
    idempotent_lines = ((r"^dfs-group ", r"^authentication-mode "), (r"^stp mode ",))
    """The DFS password reads back ciphered, never as the intent wrote it; a new STP mode replaces
    the old."""
    negate_with = ((r"^stp mode ", "undo stp mode"),)
    state_commands = (
        "display dfs-group 1 m-lag",
        "display dfs-group 1 peer-link",
        "display dfs-group 1 m-lag brief",
        "display dfs-group",
        "display eth-trunk",
    )
    """VRP has no structured output on the CLI: the DFS group and its nodes, the peer-link, the
    M-LAG interfaces of the local node, the global consistency verdict, and the LACP system ID each
    Eth-Trunk sends (the only place a half's LACP identity shows) with the partner each member
    sees."""
    cli_commit = CliCommit(
        enter_config="system-view",
        leave_config="return",
        commit="commit",
        discard="clear configuration candidate",
        show_running="display current-configuration",
        show_candidate_diff="display configuration candidate changes",
        list_commits="display configuration commit list",
        commit_id_pattern=r"^\s*\d+\s+(\d{10})\s",
        rollback_to="rollback configuration to commit-id {id}",
        config_prompt=r"\[[~*][^\]]+\]\s*$",
        user_prompt=r"<[^>]+>\s*$",
        error_markers=("Error:", "Failed to generate committed config"),
    )
    """The V8 two-stage commit, driven over netmiko (the community napalm driver has neither
    replace nor commit-confirm)."""
    variants = ("v300", "v200")
    port_template = "10GE1/0/{n}"
    management_interface = "MEth0/0/0"
    value_ranges = {"timers.restore_delay": (0, MAX_UP_DELAY), "timers.auto_recovery_delay": (1, MAX_AUTO_RECOVERY_INTERVAL)}
    domain_id_range = (1, 1)
    mlag_id_range = (1, 2048)
    port_channel_range = (0, 1023)
    role_priority_range = (1, 254)
    name_pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,30}")
    interface_pattern = re.compile(_PHYSICAL)
    description_max = 242
    description_forbidden = '"?'
    keepalive_interface_pattern = _DAD_INTERFACE
    vlan_list_style = (" ", " to ")
    unsupported = {
        "domain_name": "VRP V8 has no domain name: the DFS group is identified by its id 1 only",
        "peer_vlan": "VRP V8 has no peer VLAN: the DFS group protocol runs over the peer-link itself",
        "peer_gateway": "VRP V8 has no peer-gateway; M-LAG dual-active gateways use the same VLANIF IP and MAC on both peers",
        "peer_switch": "VRP V8 has no peer-switch; present the pair as one root with stp.mlag_mode: root-bridge",
        "service_id": "service_id is a Junos setting; VRP V8 has none",
        "timers.non_mlag_restore_delay": "VRP V8 has no separate delay for non-M-LAG ports (m-lag up-delay covers M-LAG member interfaces only)",
        "peers[].peer_address": "VRP V8 has no peer-VLAN control session: the DFS group talks over the peer-link",
        "peers[].chassis_id": "chassis_id is a Junos MC-AE setting; VRP V8 has none",
        "mlag_interfaces[].lacp_fallback_timeout": "VRP V8 has no fallback timeout: lacp-dynamic falls back when the LACP timeout expires",
        "mlag_interfaces[].admin_key": "admin_key is a Junos setting; VRP V8 derives the LACP key itself",
    }
    """Options of the neutral model VRP V8 does not have."""
    import_blocks = (re.compile(r"dfs-group \d+"),)
    import_modelled = tuple(re.compile(p) for p in (r"priority \d+$", r"dual-active detection ", r"m-lag up-delay ", r"authentication-mode "))
    """``dfs-group`` lines the model holds; the others are reported by an import."""

    def lag_name(self, number: int) -> str:
        return f"Eth-Trunk{number}"

    # --- validation --------------------------------------------------------------------------
    def validate_platform(self, domain: MlagDomain) -> list[Problem]:
        """Values VRP V8 cannot take and its pairing rules; options it lacks altogether are in ``unsupported``."""
        return (
            self._peer_problems(domain)
            + self._interface_problems(domain)
            + self._stp_problems(domain)
            + self._timer_problems(domain)
            + self._identity_problems(domain)
        )

    def _peer_problems(self, d: MlagDomain) -> list[Problem]:
        out: list[Problem] = []
        variants = {effective_variant(self, p) for p in d.peers}
        if len(variants) > 1:
            out.append(Problem("variant", f"both peers must run the same VRP generation, got {sorted(variants)}", host=d.peers[1].hostname))
        if d.authentication is None and "v300" in variants:
            out.append(Problem("authentication", "V300R0xx requires dfs-group authentication (the peers do not pair without it); set authentication.password"))
        out += self._role_priority_problems(d)
        return out

    def _role_priority_problems(self, d: MlagDomain) -> list[Problem]:
        by_role = {d.role_of(p.hostname): p.hostname for p in d.peers}
        primary, secondary = by_role["primary"], by_role["secondary"]
        if self.dfs_priority(d, primary) > self.dfs_priority(d, secondary):
            return []
        return [
            Problem(
                "role_priority",
                f"the primary {primary} must have the higher dfs-group priority (higher is master): "
                f"{self.dfs_priority(d, primary)} vs {self.dfs_priority(d, secondary)}",
                host=secondary,
            )
        ]

    def _interface_problems(self, d: MlagDomain) -> list[Problem]:
        out: list[Problem] = []
        for k, itf in enumerate(d.mlag_interfaces):
            base = f"mlag_interfaces[{k}]"
            if itf.lacp_mode == "passive":
                out.append(Problem(f"{base}.lacp_mode", "VRP V8 has no passive LACP: lacp-static and lacp-dynamic both send LACPDUs; use active"))
            if itf.lacp_mode == "static" and itf.lacp_rate == "fast":
                out.append(Problem(f"{base}.lacp_rate", "lacp timeout fast needs LACP; this LAG is static (manual load balancing)"))
            if itf.mtu is not None and not JUMBOFRAME_RANGE[0] <= itf.mtu <= JUMBOFRAME_RANGE[1]:
                out.append(Problem(f"{base}.mtu", f"jumboframe enable takes a maximum frame length of {JUMBOFRAME_RANGE[0]}-{JUMBOFRAME_RANGE[1]}"))
            out += self._ascii_description(f"{base}.description", itf.description)
        for p in d.peers:
            out += self._ascii_description("peer_link.description", p.peer_link.description, host=p.hostname)
        return out

    @staticmethod
    def _ascii_description(field_name: str, value: str | None, host: str | None = None) -> list[Problem]:
        if value is None or value.isascii():
            return []
        return [Problem(field_name, "VRP V8 descriptions take printable ASCII only", host=host)]

    def _stp_problems(self, d: MlagDomain) -> list[Problem]:
        stp, out = d.stp, []
        if stp.mode == "rapid-pvst":
            out.append(Problem("stp.mode", "VRP V8 has no rapid-pvst; use rstp or mstp (V-VBST is not modelled)"))
        if stp.mlag_mode == "root-bridge":
            if stp.bridge_address is None:
                out.append(Problem("stp.bridge_address", "root-bridge mode needs the bridge MAC both peers share (stp bridge-address)"))
            if stp.priority not in (None, ROOT_PRIMARY_STP_PRIORITY):
                out.append(Problem("stp.priority", "root-bridge mode makes both peers root (stp root primary sets priority 0); leave stp.priority unset"))
        elif stp.bridge_address is not None:
            out.append(Problem("stp.bridge_address", "a shared bridge address belongs to root-bridge mode; in V-STP mode the backup takes the master's bridge MAC itself"))
        if stp.bridge_address == "00:00:00:00:00:00":
            out.append(Problem("stp.bridge_address", "the bridge address cannot be all zeros"))
        return out

    def _timer_problems(self, d: MlagDomain) -> list[Problem]:
        t, out = d.timers, []
        if t.restore_delay is not None and t.restore_delay > MAX_UP_DELAY:
            out.append(Problem("timers.restore_delay", f"m-lag up-delay takes 0-{MAX_UP_DELAY} seconds"))
        if t.auto_recovery and t.auto_recovery_delay is None:
            out.append(Problem("timers.auto_recovery_delay", f"auto-recovery on VRP V8 is an interval of 1-{MAX_AUTO_RECOVERY_INTERVAL} seconds between M-LAG interfaces; set it"))
        if t.auto_recovery_delay is not None:
            if not t.auto_recovery:
                out.append(Problem("timers.auto_recovery_delay", "set without timers.auto_recovery"))
            elif not 1 <= t.auto_recovery_delay <= MAX_AUTO_RECOVERY_INTERVAL:
                out.append(Problem("timers.auto_recovery_delay", f"auto-recovery interval takes 1-{MAX_AUTO_RECOVERY_INTERVAL} seconds"))
        return out

    def _identity_problems(self, d: MlagDomain) -> list[Problem]:
        out = []
        if d.system.mac == "00:00:00:00:00:00":
            out.append(Problem("system.mac", "an LACP M-LAG system-id cannot be all zeros"))
        if d.authentication and not _PASSWORD.fullmatch(d.authentication.password):
            out.append(Problem("authentication.password", 'the dfs-group password takes 8-16 printable ASCII characters without space, " and ?'))
        return out

    # --- derived values shared by rendering and projection -------------------------------------
    def dfs_priority(self, domain: MlagDomain, host: str) -> int:
        """Effective dfs-group priority: explicit, else 150 for the primary and 120 for the secondary."""
        explicit = domain.peer(host).role_priority
        return explicit if explicit is not None else DERIVED_DFS_PRIORITY[domain.role_of(host)]

    @staticmethod
    def system_mac(domain: MlagDomain) -> str:
        """The LACP M-LAG system-id; VRP needs one configured, so it is derived when unset."""
        return domain.system.mac or domain.derived_system_mac

    @staticmethod
    def stp_priority(domain: MlagDomain) -> int:
        """Effective CIST priority: 0 in root-bridge mode (``stp root primary``), else as set."""
        if domain.stp.mlag_mode == "root-bridge":
            return ROOT_PRIMARY_STP_PRIORITY
        return domain.stp.priority if domain.stp.priority is not None else DEFAULT_STP_PRIORITY

    @staticmethod
    def peer_link_vlans(peer: MlagPeer) -> list[int] | None:
        """VLANs of the peer-link as the device states them: None (all) unless restricted."""
        vlans = peer.peer_link.vlans
        if vlans is None or set(vlans) >= ALL_VLANS:
            return None
        return list(vlans)

    # --- rendering -----------------------------------------------------------------------------
    def context(self, domain: MlagDomain, host: str) -> dict[str, Any]:
        ctx = super().context(domain, host)
        me = ctx["peer"]
        priority = self.dfs_priority(domain, host)
        timers = domain.timers
        recovery = timers.auto_recovery_delay if timers.auto_recovery else None
        up_delay = timers.restore_delay if timers.restore_delay is not None else DEFAULT_UP_DELAY
        lacp_priority = domain.system.priority
        ctx.update(
            dfs_priority=None if priority == DEFAULT_DFS_PRIORITY else priority,
            dad={"source": str(me.keepalive.source), "vrf": me.keepalive.vrf, "peer": str(me.keepalive.destination)},
            auth_password=domain.authentication.password if domain.authentication else None,
            up_delay=up_delay if up_delay != DEFAULT_UP_DELAY or recovery else None,
            auto_recovery_interval=recovery,
            vlan_batches=vlan_lines(v for v in domain.vlan_ids() if v != 1),
            named_vlans=[v for v in ctx["vlans"] if v.name],
            stp=self._stp_context(domain),
            lacp_system_id=huawei_mac(self.system_mac(domain)),
            lacp_system_priority=None if lacp_priority in (None, DEFAULT_LACP_PRIORITY) else lacp_priority,
            vpn_instance=me.keepalive.vrf,
            interfaces=self._interface_views(domain, host, ctx["lags"]),
        )
        return ctx

    def _stp_context(self, domain: MlagDomain) -> dict[str, Any]:
        stp = domain.stp
        root = stp.mlag_mode == "root-bridge"
        priority = self.stp_priority(domain)
        return {
            "bridge_address": huawei_mac(stp.bridge_address) if root and stp.bridge_address else None,
            "mode": stp.mode if stp.mode not in (None, DEFAULT_STP_MODE) else None,
            "v_stp": not root,
            "root_primary": root,
            "priority": None if root or priority == DEFAULT_STP_PRIORITY else priority,
        }

    def _interface_views(self, domain: MlagDomain, host: str, lags: list[LagView]) -> list[TrunkView | MemberView | DadView]:
        me = domain.peer(host)
        pl = me.peer_link
        views: list[TrunkView | MemberView | DadView] = [self._peer_link_view(domain, me)]
        views += [MemberView(m, pl.description, pl.port_channel) for m in pl.members]
        for lag in lags:
            views.append(self._lag_view(lag))
            views += [MemberView(m, lag.intent.description, lag.port_channel) for m in lag.members]
        dad = self._dad_view(me)
        if dad:
            views.append(dad)
        return sorted(views, key=interface_order)

    def _peer_link_view(self, domain: MlagDomain, me: MlagPeer) -> TrunkView:
        vlans = self.peer_link_vlans(me)
        return TrunkView(
            name=self.lag_name(me.peer_link.port_channel),
            description=me.peer_link.description,
            stp_disable=domain.stp.mlag_mode == "root-bridge",
            lacp_mode="lacp-static",
            peer_link=True,
            exclude_lines=vlan_lines(ALL_VLANS - set(vlans)) if vlans is not None else [],
        )

    @staticmethod
    def _lag_view(lag: LagView) -> TrunkView:
        itf: MlagInterface = lag.intent
        trunk = itf.mode == "trunk"
        return TrunkView(
            name=lag.name,
            description=itf.description,
            jumboframe=itf.mtu if itf.mtu not in (None, DEFAULT_JUMBOFRAME) else None,
            link_type="trunk" if trunk else None,
            pvid=itf.native_vlan if trunk and itf.native_vlan not in (None, DEFAULT_PVID) else None,
            undo_vlan1=trunk and 1 not in itf.vlans,
            allow_lines=vlan_lines(v for v in itf.vlans if v != 1) if trunk else [],
            default_vlan=itf.vlans[0] if not trunk and itf.vlans[0] != DEFAULT_PVID else None,
            lacp_mode=_lacp_keyword(itf),
            least_links=itf.min_links if itf.min_links not in (None, DEFAULT_MIN_LINKS) else None,
            lacp_fast=itf.lacp_rate == "fast",
            mlag_id=lag.mlag_id,
        )

    @staticmethod
    def _dad_view(me: MlagPeer) -> DadView | None:
        ka = me.keepalive
        if ka.interface is None or ka.prefix_length is None:
            return None
        address = IPv4Interface(f"{ka.source}/{ka.prefix_length}")
        physical = re.fullmatch(_PHYSICAL, ka.interface) is not None
        return DadView(ka.interface, ka.vrf, str(address.ip), str(address.netmask), physical)

    # --- projection ----------------------------------------------------------------------------
    def projected_vlans(self, domain: MlagDomain) -> list[tuple[int, str | None]]:
        """VRP prints VLAN 1 only with a name."""
        return [(vid, name) for vid, name in super().projected_vlans(domain) if vid != 1 or name]

    def peer_config(self, domain: MlagDomain, host: str) -> PeerConfig:
        base = super().peer_config(domain, host)
        me = domain.peer(host)
        assert base.peer_link is not None
        return base.model_copy(
            update={
                "role_priority": self.dfs_priority(domain, host),
                "system_mac": self.system_mac(domain),
                "system_priority": domain.system.priority if domain.system.priority is not None else DEFAULT_LACP_PRIORITY,
                "peer_link": base.peer_link.model_copy(update={"vlans": self.peer_link_vlans(me)}),
                "stp": StpConfig(
                    mode=domain.stp.mode or DEFAULT_STP_MODE,
                    priority=self.stp_priority(domain),
                    mlag_mode=domain.stp.mlag_mode or "v-stp",
                    bridge_address=domain.stp.bridge_address,
                ),
                "timers": TimersConfig(
                    restore_delay=domain.timers.restore_delay if domain.timers.restore_delay is not None else DEFAULT_UP_DELAY,
                    auto_recovery=domain.timers.auto_recovery,
                    auto_recovery_delay=domain.timers.auto_recovery_delay if domain.timers.auto_recovery else None,
                ),
                "authentication": domain.authentication.mode if domain.authentication else None,
            }
        )

    def interface_config(self, domain: MlagDomain, host: str, lag: LagView) -> MlagInterfaceConfig:
        base = super().interface_config(domain, host, lag)
        itf = lag.intent
        trunk = itf.mode == "trunk"
        return base.model_copy(
            update={
                "native_vlan": (itf.native_vlan or DEFAULT_PVID) if trunk else None,
                "mtu": itf.mtu or DEFAULT_JUMBOFRAME,
                "min_links": itf.min_links or DEFAULT_MIN_LINKS,
            }
        )

    # --- parsing -------------------------------------------------------------------------------
    def _parse_config(self, text: str, hostname: str | None) -> PeerConfig:
        """One pass over the top-level blocks, then the PeerConfig, validated once: LAGs and VLANs
        go in as plain dicts, so pydantic builds the nested models without a Python call for each."""
        scan = Scan()
        for head, children in top_blocks(text):
            _read_top(head, children, scan)
        for trunk in scan.trunks.values():
            trunk.members = sorted(set(trunk.members))
        peer_link = next((t for t in scan.trunks.values() if t.peer_link), None)
        mlags = sorted((t for t in scan.trunks.values() if t.mlag_id is not None and not t.peer_link), key=lambda t: t.mlag_id or 0)
        host = scan.hostname or hostname
        unread = [f"interface {t.name}: {text}" for t in scan.trunks.values() for text in t.unread if _on_m_lag(t, text)]
        if scan.dfs is None and peer_link is None and not mlags and not unread:
            return PeerConfig(platform=self.platform, hostname=host, warnings=scan.warnings + ["no M-LAG configuration found (no dfs-group, peer-link or m-lag interface)"])
        dfs = _read_dfs(scan.dfs, unread)
        return PeerConfig.model_validate(
            {
                "platform": self.platform,
                "hostname": host,
                "domain_id": dfs.get("id"),
                "role_priority": int(dfs.get("priority", DEFAULT_DFS_PRIORITY)),
                "system_mac": colon_mac(scan.lacp_system_id) if scan.lacp_system_id else None,
                "system_priority": scan.lacp_priority if scan.lacp_priority is not None else DEFAULT_LACP_PRIORITY,
                "keepalive": _keepalive(dfs),
                "peer_link": _peer_link_config(peer_link) if peer_link else None,
                "mlag_interfaces": [_mlag_config(t, scan.force_up) for t in mlags],
                "vlans": [{"id": v, "name": scan.vlan_names.get(v)} for v in sorted(scan.vlans | set(scan.vlan_names)) if v != 1 or v in scan.vlan_names],
                "stp": _stp_config(scan.stp),
                "timers": _timers_config(dfs),
                "authentication": dfs.get("authentication"),
                "warnings": scan.warnings,
                "unread": unread,
            }
        )

    @classmethod
    def detect(cls, text: str) -> int:
        if not isinstance(text, str):
            return 0
        return sum(weight for marker, weight in _MARKERS if marker in text)

    def parse_state(self, outputs: dict[str, str], hostname: str | None = None) -> PeerState:
        try:
            return _read_state(self.platform, outputs, hostname)
        except Exception as exc:  # a parser must never take a validation down with it
            return PeerState(platform=self.platform, hostname=hostname, warnings=[f"unreadable show output: {type(exc).__name__}: {exc}"])


def _lacp_keyword(itf: MlagInterface) -> str | None:
    """The Eth-Trunk ``mode`` keyword; None for static, manual load balancing being the default."""
    if itf.lacp_mode == "static":
        return None
    return "lacp-dynamic" if itf.lacp_fallback else "lacp-static"


# --- parsing helpers (module level: they keep no driver state) ------------------------------------
def _read_top(text: str, children: list[str], scan: Scan) -> None:
    """Dispatch one top-level line (and its block) into ``scan``."""
    head, _, rest = text.partition(" ")
    if head == "interface":
        _read_interface(interface_name(rest), children, scan)
    elif head == "vlan":
        _read_vlan(rest, children, scan)
    elif head == "sysname" and rest:
        scan.hostname = rest.strip()
    elif head == "dfs-group" and rest.isdigit():
        scan.dfs = (text, children)
    elif head == "stp":
        _read_stp_line(rest, scan)
    elif head == "lacp" and rest.startswith("m-lag "):
        _read_lacp_identity(rest[len("m-lag ") :], scan)


def _read_vlan(rest: str, children: list[str], scan: Scan) -> None:
    if rest.startswith("batch "):
        scan.vlans |= scan.vlan_set(rest[len("batch ") :], "vlan batch")
    elif rest.isdigit():
        vid = int(rest)
        scan.vlans.add(vid)
        name = child_value(children, "name")
        if name:
            scan.vlan_names[vid] = name


def _read_stp_line(rest: str, scan: Scan) -> None:
    """Global STP lines; ``stp instance 0 X`` is the CIST and reads like ``stp X``."""
    if rest.startswith("instance "):
        instance, _, rest = rest[len("instance ") :].partition(" ")
        if instance != "0":
            return
    key, _, value = rest.partition(" ")
    if key in ("mode", "bridge-address", "priority", "root"):
        scan.stp[key] = value
    elif rest == "v-stp enable":
        scan.stp["v-stp"] = "enable"


def _read_lacp_identity(rest: str, scan: Scan) -> None:
    key, _, value = rest.partition(" ")
    if key == "priority" and value.isdigit():
        scan.lacp_priority = int(value)
    elif key == "system-id":
        scan.lacp_system_id = value


_NAMED_TYPE = re.compile(r"\d*[A-Za-z][A-Za-z-]*")
_CANONICAL_TYPES = {kind.lower(): kind for kind in (*_PORT_TYPES, "Eth-Trunk", "MEth", "Vlanif", "LoopBack")}


@lru_cache(maxsize=8192)
def interface_name(text: str) -> str:
    """An interface as ``display current-configuration`` names it: the CLI accepts any case and a
    space after the type (``interface eth-trunk 10``, ``trunkport 100ge 1/0/5``), the display
    prints ``Eth-Trunk10`` and ``100GE1/0/5``. Cached: the same port names recur in every
    configuration of an audit."""
    name = text.replace(" ", "")
    typed = _NAMED_TYPE.match(name)
    kind = _CANONICAL_TYPES.get(typed.group(0).lower()) if typed else None
    return kind + name[len(kind) :] if kind else name


def _read_interface(name: str, children: list[str], scan: Scan) -> None:
    if name.startswith("Eth-Trunk"):
        number = name[len("Eth-Trunk") :]
        if number.isdigit():
            _read_trunk(children, scan.trunk(int(number), name), scan)
        return
    for text in children:
        if text.startswith(("eth-trunk ", "Eth-Trunk ")) and text[10:].isdigit():
            number = int(text[10:])
            scan.trunk(number, f"Eth-Trunk{number}").members.append(name)
        elif text == "lacp force-up":
            scan.force_up.add(name)


def _read_trunk(children: list[str], trunk: Trunk, scan: Scan) -> None:
    """Every line of an Eth-Trunk block that says something about M-LAG; others are ignored."""
    for text in children:
        if text.startswith("description "):
            trunk.description = text[len("description ") :]
        elif text.startswith("port "):
            _read_port_line(text[len("port ") :], trunk, scan)
        elif text.startswith(("undo port trunk allow-pass vlan ", "undo port hybrid vlan ")):
            trunk.disallow |= scan.vlan_set(text.rsplit(" vlan ", 1)[1], trunk.name)
        elif text.startswith("mode "):
            mode = text[len("mode ") :]
            if mode in _TRUNK_MODES:
                trunk.lacp = mode.split()[0]
            else:
                trunk.unread.append(text)
        elif text.startswith("lacp "):
            _read_trunk_lacp(text[len("lacp ") :], trunk)
        elif text.startswith("least active-linknumber "):
            trunk.min_links = _int(text.rsplit(" ", 1)[1], DEFAULT_MIN_LINKS)
        elif text.startswith("jumboframe enable "):
            trunk.mtu = _int(text.rsplit(" ", 1)[1], DEFAULT_JUMBOFRAME)
        elif text in ("peer-link 1", "peer-link 1 virtual-link"):
            trunk.peer_link = True
        elif text.startswith(("peer-link", "dfs-group")):
            _read_trunk_dfs(text, trunk)
        elif text.startswith("trunkport "):
            trunk.members += _trunkport_members(text[len("trunkport ") :])


def _on_m_lag(trunk: Trunk, text: str) -> bool:
    """An unread trunk line counts when the trunk is the peer-link or an M-LAG member, or when the
    line itself is an M-LAG statement (``dfs-group ...``, ``peer-link ...``)."""
    return trunk.peer_link or trunk.mlag_id is not None or text.startswith(("dfs-group", "peer-link"))


_TRUNK_MODES = ("lacp-static", "lacp-dynamic", "manual load-balance", "manual")
"""The Eth-Trunk ``mode`` forms (the bare ``manual`` of older releases included)."""
_TYPED_PORT = re.compile(r"(\d*[A-Za-z]+)(\d+/\d+/\d+(?::\d+)?)")
_M_LAG_MEMBER = re.compile(r"dfs-group 1 m-lag (\d+)(?: active-standby)?")


def _read_trunk_dfs(text: str, trunk: Trunk) -> None:
    """``dfs-group 1 m-lag N [active-standby]`` makes the trunk an M-LAG member; any other
    ``dfs-group`` or ``peer-link`` form of the trunk view is kept as unread."""
    match = _M_LAG_MEMBER.fullmatch(text)
    if match and int(match.group(1)) >= 1:
        trunk.mlag_id = int(match.group(1))
    elif text.startswith("peer-link ") and " source " in text:
        return  # peer-link source ip ... tcp-port: the ARP/ND sync channel, not the link itself
    else:
        trunk.unread.append(text)


def _read_port_line(rest: str, trunk: Trunk, scan: Scan) -> None:
    if rest.startswith("link-type "):
        trunk.link_type = rest[len("link-type ") :]
    elif rest.startswith("trunk allow-pass vlan "):
        trunk.allow |= scan.vlan_set(rest[len("trunk allow-pass vlan ") :], trunk.name)
    elif rest.startswith("trunk pvid vlan "):
        trunk.pvid = _int(rest.rsplit(" ", 1)[1], DEFAULT_PVID)
    elif rest.startswith("default vlan "):
        trunk.default_vlan = _int(rest.rsplit(" ", 1)[1], DEFAULT_PVID)
    elif rest.startswith("vlan exclude "):
        trunk.exclude |= scan.vlan_set(rest[len("vlan exclude ") :], trunk.name)
    elif rest.startswith(("hybrid tagged vlan ", "hybrid untagged vlan ")):
        trunk.allow |= scan.vlan_set(rest.split(" vlan ", 1)[1], trunk.name)
    elif rest.startswith("hybrid pvid vlan "):
        trunk.pvid = _int(rest.rsplit(" ", 1)[1], DEFAULT_PVID)


def _read_trunk_lacp(rest: str, trunk: Trunk) -> None:
    if rest.startswith("timeout "):
        trunk.lacp_fast = rest.split()[1] == "fast"
    elif rest.startswith("m-lag system-id "):
        trunk.system_id = colon_mac(rest.rsplit(" ", 1)[1])
    elif rest.startswith("m-lag priority "):
        trunk.system_priority = _int(rest.rsplit(" ", 1)[1], DEFAULT_LACP_PRIORITY)


def _trunkport_members(rest: str) -> list[str]:
    """``trunkport 100GE 1/0/1 to 1/0/3 1/0/6`` / ``trunkport 100ge1/0/4`` -> member names, as
    the display names them (``100GE1/0/1``): one type, then numbers and ``a to b`` ranges."""
    tokens = rest.split()
    if len(tokens) >= 2 and not tokens[0][-1].isdigit():
        tokens = [tokens[0] + tokens[1], *tokens[2:]]
    if not tokens:
        return []
    typed = _TYPED_PORT.fullmatch(interface_name(tokens[0]))
    if typed is None:
        return [tokens[0]]
    kind = typed.group(1)
    out: list[str] = []
    numbers = [typed.group(2), *tokens[1:]]
    k = 0
    while k < len(numbers):
        if k + 2 < len(numbers) and numbers[k + 1] == "to":
            prefix, _, low = numbers[k].rpartition("/")
            high = numbers[k + 2].rpartition("/")[2]
            if low.isdigit() and high.isdigit():
                out += [f"{kind}{prefix}/{n}" for n in range(int(low), int(high) + 1)]
            k += 3
        else:
            out.append(kind + numbers[k])
            k += 1
    return out


def _int(text: str, default: int) -> int:
    return int(text) if text.isdigit() else default


_DAD_SOURCES = ("dual-active detection source ip ", "dual-active detection source ipv6 ", "source ip ", "source ipv6 ")
"""The DAD source forms: V300R0xx ``dual-active detection source ip|ipv6``, V200R0xx ``source ip|ipv6``."""
_DFS_OTHER = (
    "consistency-check ",
    "dual-active detection delay ",
    "dual-active detection error-down",
    "dual-active detection hold-time ",
    "dual-active detection enhanced ",
    "m-lag active-standby election ",
    "m-lag forward ",
    "peer-link source ",
    "arp ",
    "ipv6 nd ",
)
"""DFS group view commands of the V300R023 reference the model has no field for: read past."""


def _read_dfs(block: Block | None, unread: list[str]) -> dict[str, str]:
    """The dfs-group block as plain values (id, priority, DAD, up-delay, authentication); lines in
    no documented form go to ``unread``."""
    if block is None:
        return {}
    head, children = block
    out = {"id": head.split()[1]}
    for text in children:
        value = _dfs_line(text)
        if value is None:
            unread.append(text)
        else:
            out.update(value)
    return out


def _dfs_line(text: str) -> dict[str, str] | None:
    """The values of one dfs-group line; None when its form is unknown."""
    if text.startswith("priority "):
        value = text[len("priority ") :]
        return {"priority": value} if value.isdigit() else None
    source = next((form for form in _DAD_SOURCES if text.startswith(form)), None)
    if source is not None:
        return _dad(text[len(source) :])
    if text.startswith("m-lag up-delay "):
        return _up_delay(text[len("m-lag up-delay ") :])
    if text.startswith("authentication-mode "):
        return {"authentication": text.split()[1]}
    return {} if text.startswith(_DFS_OTHER) else None


def _dad(rest: str) -> dict[str, str] | None:
    """``S [vpn-instance V] [peer P] [udp-port N] [timeout N]`` -> source / vrf / peer."""
    tokens = rest.split()
    if len(tokens) % 2 == 0:
        return None
    out = {"source": tokens[0]}
    pairs = dict(zip(tokens[1::2], tokens[2::2]))
    if not set(pairs) <= {"vpn-instance", "peer", "udp-port", "timeout"}:
        return None
    if "vpn-instance" in pairs:
        out["vrf"] = pairs["vpn-instance"]
    if "peer" in pairs:
        out["peer"] = pairs["peer"]
    return out


def _up_delay(rest: str) -> dict[str, str] | None:
    """``N [auto-recovery interval M]``; None for another form."""
    tokens = rest.split()
    if not tokens[0].isdigit():
        return None
    out = {"up_delay": tokens[0]}
    if len(tokens) == 1:
        return out
    if tokens[1:3] == ["auto-recovery", "interval"] and len(tokens) == 4 and tokens[3].isdigit():
        out["auto_recovery_interval"] = tokens[3]
        return out
    return None


def _keepalive(dfs: dict[str, str]) -> KeepaliveConfig | None:
    if "source" not in dfs:
        return None
    return KeepaliveConfig(source=dfs["source"], destination=dfs.get("peer"), vrf=dfs.get("vrf"))


def _timers_config(dfs: dict[str, str]) -> TimersConfig:
    interval = _int(dfs.get("auto_recovery_interval", "0"), 0)
    return TimersConfig(
        restore_delay=_int(dfs.get("up_delay", ""), DEFAULT_UP_DELAY),
        auto_recovery=interval > 0,
        auto_recovery_delay=interval or None,
    )


def _stp_config(stp: dict[str, str]) -> StpConfig:
    root = stp.get("root") == "primary"
    v_stp = stp.get("v-stp") == "enable"
    mlag_mode = "v-stp" if v_stp else "root-bridge" if root or "bridge-address" in stp else None
    priority = ROOT_PRIMARY_STP_PRIORITY if root else _int(stp.get("priority", ""), DEFAULT_STP_PRIORITY)
    bridge = stp.get("bridge-address")
    return StpConfig(
        mode=stp.get("mode", DEFAULT_STP_MODE),
        priority=priority,
        mlag_mode=mlag_mode,
        bridge_address=colon_mac(bridge) if bridge else None,
    )


def _peer_link_config(trunk: Trunk) -> PeerLinkConfig:
    return PeerLinkConfig(
        interface=trunk.name,
        members=trunk.members,
        vlans=sorted(ALL_VLANS - trunk.exclude) if trunk.exclude else None,
        lacp_mode=_lacp_mode(trunk.lacp),
        description=trunk.description,
    )


def _lacp_mode(keyword: str) -> str:
    return "static" if keyword == "manual" else "active"


def _mlag_config(trunk: Trunk, force_up: set[str]) -> dict[str, Any]:
    """The fields of one ``MlagInterfaceConfig``."""
    mode = trunk.link_type
    if mode in ("trunk", "hybrid"):  # hybrid: tagged and untagged VLANs, VLAN 1 unless removed
        vlans = sorted(({1} | trunk.allow) - trunk.disallow)
    elif mode == "access":
        vlans = [trunk.default_vlan]
    else:
        vlans = []
    forced = trunk.lacp == "lacp-static" and bool(trunk.members) and all(m in force_up for m in trunk.members)
    return {
        "mlag_id": trunk.mlag_id or 0,
        "interface": trunk.name,
        "description": trunk.description,
        "members": trunk.members,
        "lacp_mode": _lacp_mode(trunk.lacp),
        "lacp_rate": "fast" if trunk.lacp_fast else "slow",
        "mode": mode,
        "vlans": vlans,
        "native_vlan": trunk.pvid if mode in ("trunk", "hybrid") else None,
        "mtu": trunk.mtu,
        "min_links": trunk.min_links,
        "lacp_fallback": trunk.lacp == "lacp-dynamic" or forced,
        "lacp_system_id": trunk.system_id,
        "lacp_system_priority": trunk.system_priority,
    }


# --- live state: the display outputs of ``state_commands`` -----------------------------------------
_DFS, _PEER_LINK, _BRIEF, _SUMMARY, _TRUNKS = VrpV8Driver.state_commands
"""Each state command by what it answers (``state_commands`` keeps the order they run in)."""

_FIELD = re.compile(r"^\s*([A-Za-z][\w /()-]*?)\s*:\s*(.*?)\s*$")
"""A ``Name : value`` line; the value may hold colons (an IPv6 DAD address)."""
_NODE = re.compile(r"^\s*Node\s+(\d+)(\s+\*)?\s*$")
"""A node heading of ``display dfs-group 1 m-lag``; ``*`` marks the local node, which a device may
list first even when it is node 2."""
_BRIEF_ROW = re.compile(r"^\s*(\d+)\s+Eth-Trunk\s*(\d+)\s+(\S.*?)\s*$")
_LEGEND = re.compile(r"^\s*(\d+)\s+--\s+(.*?)\s*$")
_TRUNK_HEAD = re.compile(r"^\s*Eth-Trunk(\d+)'s state information is:")
_SYSTEM_ID = re.compile(r"\bSystem ID:\s*([0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4})")
"""The Local section's ``System ID`` (the partner table's column is ``SystemID``, without space)."""
_ACTOR_ROW = re.compile(r"^\s*(\S+)\s+(Selected|Unselect\w*|Indep\w*)\s+\S+\s+\d+\s+\d+\s+\d+\s+[01]{8}\s+\d+\s*$", re.IGNORECASE)
"""A member row of the Local table: ``ActorPortName Status PortType PortPri PortNo PortKey
PortState Weight``."""
_PARTNER_ROW = re.compile(r"^\s*(\S+)\s+(\d+)\s+([0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4})\s+\d+\s+(\d+)\s+(\d+)\s+[01]{8}\s*$")
"""A row of the Partner table: ``ActorPortName SysPri SystemID PortPri PortNo PortKey PortState``."""
_VERDICT = re.compile(r"Configuration consistency check\s*:\s*(\S+)")
_INCONSISTENT_ITEM = re.compile(r"^\s*(?:Type\s+\d+\s+configuration:)?\s*(\S.*\bis inconsistent)\s*$")
_ROLES = {"master": "primary", "backup": "secondary"}
_VERDICTS = {"success": "consistent", "failed": "inconsistent"}


def _up(value: str | None, *up_words: str) -> str | None:
    """``up`` / ``down`` from a VRP state word; None where the output does not say."""
    if value is None:
        return None
    return "up" if value.strip().lower() in up_words else "down"


def _fields(text: str) -> dict[str, str]:
    """Every ``Name : value`` line of a flat display output, by lower-case name."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        found = _FIELD.match(line)
        if found:
            out.setdefault(found.group(1).lower(), found.group(2))
    return out


def _problem(text: str | None) -> str | None:
    """Why an output cannot be read at all: missing, empty, or the device refused the command."""
    if text is None or not text.strip():
        return "no output"
    if is_json(text):
        return "JSON, which VRP does not print; save the text of the display command"
    return next((line.strip() for line in text.splitlines() if line.strip().startswith("Error:")), None)


def _read_state(platform: str, outputs: dict[str, str], hostname: str | None) -> PeerState:
    """The PeerState of one CloudEngine. The DFS group output decides whether M-LAG is configured
    at all; every other output only adds to it, and one that cannot be read leaves its fields None
    with a warning naming the command. The pair is formed when the DFS group lists both nodes and
    the local node's ``Causation`` is ``-`` (otherwise it names why, e.g. PEERLINKDOWN)."""
    warnings: list[str] = []
    texts: dict[str, str] = {}
    for command in VrpV8Driver.state_commands:
        text = outputs.get(command)
        problem = _problem(text)
        if problem:
            warnings.append(f"{command}: {problem}")
        elif text is not None:
            texts[command] = text
    dfs = _read_dfs_nodes(texts[_DFS], warnings) if _DFS in texts else None
    if dfs is None:
        return PeerState(platform=platform, hostname=hostname, warnings=[w for w in warnings if w.startswith(f"{_DFS}:")])
    heartbeat, nodes, local = dfs
    peer_link = _read_peer_link(texts[_PEER_LINK], warnings) if _PEER_LINK in texts else None
    brief = _read_brief(texts[_BRIEF], warnings) if _BRIEF in texts else []
    consistency, consistency_reason = _read_summary(texts[_SUMMARY], warnings) if _SUMMARY in texts else (None, None)
    system_ids, members = _read_trunks(texts[_TRUNKS], warnings) if _TRUNKS in texts else ({}, {})
    formed = len(nodes) >= 2 and local.get("causation", "-") == "-"
    return PeerState(
        platform=platform,
        hostname=hostname or local.get("sysname"),
        configured=True,
        domain_id=local.get("dfs-group id"),
        peer_status="up" if formed else "down",
        keepalive_status=_up(heartbeat, "ok"),
        peer_link_status=peer_link,
        role=_ROLES.get(local.get("state", "").lower()),
        consistency=consistency,
        consistency_reason=consistency_reason,
        interfaces=[itf.model_copy(update={"system_id": system_ids.get(trunk), "members": members.get(trunk, [])}) for trunk, itf in brief],
        warnings=warnings,
    )


def _read_dfs_nodes(text: str, warnings: list[str]) -> tuple[str | None, list[dict[str, str]], dict[str, str]] | None:
    """``display dfs-group 1 m-lag`` -> (heart beat state, the nodes' fields, the local node's
    fields); None when the switch has no DFS group. The nodes' ``System ID`` is each switch's own
    bridge MAC, not the LACP M-LAG system ID partners see, so it is not read as one."""
    heartbeat: str | None = None
    nodes: list[dict[str, str]] = []
    local: dict[str, str] | None = None
    for line in text.splitlines():
        node = _NODE.match(line)
        if node:
            nodes.append({})
            if node.group(2):
                local = nodes[-1]
            continue
        found = _FIELD.match(line)
        if found is None:
            continue
        name, value = found.group(1).lower(), found.group(2)
        if nodes:
            nodes[-1].setdefault(name, value)
        elif name == "heart beat state":
            heartbeat = value
    if not nodes:
        if "does not exist" not in text:
            warnings.append(f"{_DFS}: no DFS group node in the output")
        return None
    if local is None:
        if len(nodes) > 1:
            warnings.append(f"{_DFS}: no node is marked as the local one")
            return heartbeat, nodes, {}
        local = nodes[0]
    return heartbeat, nodes, local


def _read_peer_link(text: str, warnings: list[str]) -> str | None:
    """``display dfs-group 1 peer-link``: ``Port State``; no peer-link at all is a down one."""
    fields = _fields(text)
    if "port state" in fields:
        return _up(fields["port state"], "up")
    if fields.get("total interface(s)") == "0":
        return "down"
    warnings.append(f"{_PEER_LINK}: no Port State in the output")
    return None


def _read_summary(text: str, warnings: list[str]) -> tuple[str | None, str | None]:
    """``display dfs-group``: the global consistency verdict (``success`` / ``failed``; ``--`` when
    the check is disabled, the device default) and, when failed, the items it names inconsistent."""
    verdict = _VERDICT.search(text)
    if verdict is None:
        if "dfs-group id" not in _fields(text):
            warnings.append(f"{_SUMMARY}: no DFS group summary in the output")
        return None, None
    consistency = _VERDICTS.get(verdict.group(1).lower())
    if consistency != "inconsistent":
        return consistency, None
    items = [m.group(1) for line in text[verdict.end() :].splitlines() if (m := _INCONSISTENT_ITEM.match(line))]
    return consistency, "; ".join(items) or None


def _read_trunks(text: str, warnings: list[str]) -> tuple[dict[int, str], dict[int, list[LacpMemberState]]]:
    """``display eth-trunk``, by trunk number: the LACP system ID each LACP Eth-Trunk sends (on an
    M-LAG member the M-LAG system ID the partner sees; a manual trunk sends none), and its members
    with the partner each one sees (``Selected`` is bundled; a partner of all zeros is none).
    ntc-templates' ``huawei_vrp_display_eth-trunk`` reads the VRP5 layout (``WorkingMode:``,
    ``Operate status``) and stops at CloudEngine's ``Working Mode`` / ``Timeout Period`` lines,
    so the tables are read here."""
    system_ids: dict[int, str] = {}
    selected: dict[int, dict[str, bool]] = {}
    partners: dict[int, dict[str, dict[str, Any]]] = {}
    current: int | None = None
    in_partner = False
    for line in text.splitlines():
        head = _TRUNK_HEAD.match(line)
        if head:
            current, in_partner = int(head.group(1)), False
            continue
        if current is None:
            continue
        found = _SYSTEM_ID.search(line)
        actor, partner = _ACTOR_ROW.match(line), _PARTNER_ROW.match(line)
        if found and (mac := colon_mac(found.group(1))):
            system_ids.setdefault(current, mac)
        elif line.strip() == "Partner:":
            in_partner = True
        elif partner and in_partner:
            port, priority, system, port_number, key = partner.groups()
            mac = lacp_mac(system)
            partners.setdefault(current, {})[port] = (
                {"partner_system_id": mac, "partner_system_priority": int(priority), "partner_port": int(port_number), "partner_key": int(key)} if mac else {}
            )
        elif actor and not in_partner:
            selected.setdefault(current, {})[actor.group(1)] = actor.group(2).lower() == "selected"
    if current is None and "No valid trunk" not in text:
        warnings.append(f"{_TRUNKS}: no Eth-Trunk in the output")
    members = {
        trunk: [LacpMemberState(interface=port, bundled=ports.get(port), **partners.get(trunk, {}).get(port, {})) for port in sorted(set(ports) | set(partners.get(trunk, {})))]
        for trunk, ports in selected.items()
    }
    return system_ids, members


def _read_brief(text: str, warnings: list[str]) -> list[tuple[int, MlagInterfaceState]]:
    """``display dfs-group 1 m-lag brief``: (Eth-Trunk number, state) of each M-LAG interface of
    the local node, by M-LAG id. Columns are found by the header (releases differ: some add a
    ``Mode`` column); the legend under ``Failed reason:`` turns a ``failed(n)`` check into its text."""
    header: list[str] | None = None
    rows: dict[int, tuple[int, dict[str, str]]] = {}
    legend: dict[int, str] = {}
    in_legend = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("*"):
            continue
        if stripped.startswith("M-Lag ID"):
            header = [h.lower() for h in re.split(r"\s{2,}", stripped)[2:]]
        elif stripped.startswith("Failed reason"):
            in_legend = True
        elif in_legend:
            entry = _LEGEND.match(line)
            if entry:
                legend[int(entry.group(1))] = entry.group(2)
        elif (row := _BRIEF_ROW.match(line)) and header is not None:
            rows.setdefault(int(row.group(1)), (int(row.group(2)), dict(zip(header, row.group(3).split(), strict=False))))
        else:
            warnings.append(f"{_BRIEF}: unreadable line {stripped!r}")
    if header is None:
        warnings.append(f"{_BRIEF}: no M-Lag ID table in the output")
    return [(trunk, _mlag_state(mlag_id, trunk, cells, legend)) for mlag_id, (trunk, cells) in sorted(rows.items())]


def _mlag_state(mlag_id: int, trunk: int, cells: dict[str, str], legend: dict[int, str]) -> MlagInterfaceState:
    """One row of the brief table. ``Status`` reads ``node1-node2`` with the local half marked
    ``(*)`` (``active(*)-inactive``); the local half forwards when its port is Up and it is active."""
    mine, theirs = _halves(cells.get("status", ""))
    port = cells.get("port state")
    status = None if port is None else "up" if port.lower() == "up" and mine != "inactive" else "down"
    check = cells.get("consistency-check", "--").lower()
    failed = check.startswith("failed")
    codes = [int(code) for code in re.findall(r"\d+", check)] if failed else []
    return MlagInterfaceState(
        mlag_id=mlag_id,
        interface=f"Eth-Trunk{trunk}",
        status=status,
        peer_status=_up(theirs, "active"),
        consistent=False if failed else True if check == "success" else None,
        reason="; ".join(legend.get(code, f"failed reason {code}") for code in codes) or None,
    )


def _halves(status: str) -> tuple[str | None, str | None]:
    """(local, peer) state words of a ``Status`` cell; (None, None) without a local mark."""
    parts = status.lower().split("-")
    if len(parts) != 2 or sum("(*)" in p for p in parts) != 1:
        return None, None
    mine, theirs = parts if "(*)" in parts[0] else parts[::-1]
    return mine.replace("(*)", ""), theirs
