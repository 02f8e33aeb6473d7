"""Cisco NX-OS vPC.

Rendering follows NX-OS 9.3 ``show running-config``: two-space indentation, no ``!`` separators,
blank lines between sections and before every ``interface`` block, port-channels before Ethernet
ports (numerically), ``mgmt0`` last. Lines the device leaves out because they hold a default are
left out here too: ``switchport`` (layer 2 is the default), ``switchport mode access``, access VLAN
1, native VLAN 1, MTU 1500, ``lacp min-links 1``, ``mode on`` of a static ``channel-group``, and
``vrf management`` of the peer-keepalive.

How the neutral model maps onto NX-OS:

* role: ``role priority`` (lower wins). An unset ``role_priority`` becomes 100 on the primary and
  200 on the secondary, so the configured roles decide the election instead of the MAC addresses;
  a pair whose effective priorities contradict the roles is rejected.
* ``system.mac`` -> ``system-mac``; ``system.priority`` -> ``system-priority``.
* ``timers.restore_delay`` -> ``delay restore``; ``non_mlag_restore_delay`` -> ``delay restore
  interface-vlan``; ``auto_recovery`` / ``auto_recovery_delay`` -> ``auto-recovery [reload-delay
  N]`` (the delay alone is rejected: configuring it switches auto-recovery on).
* ``peer_gateway`` / ``peer_switch`` -> ``peer-gateway`` / ``peer-switch``.
* ``stp.mode``: rapid-pvst is the default and not printed; mstp -> ``spanning-tree mode mst``;
  plain rstp does not exist on NX-OS and is rejected. ``stp.priority`` -> ``spanning-tree vlan
  <VLAN 1 and the domain's VLANs> priority N`` (rapid-pvst) or ``spanning-tree mst 0 priority N``
  (mstp, every VLAN maps to the IST unless an MST region says otherwise). Both peers render the
  same line, as peer-switch requires.
* LACP fallback -> ``no lacp suspend-individual`` on the port-channel; NX-OS has no fallback
  timeout. ``lacp_rate: fast`` -> ``lacp rate fast`` on each member; ``min_links`` -> ``lacp
  min-links N`` (NX-OS accepts it on a static port-channel but only acts on it with LACP).
* keepalive: ``peer-keepalive destination D source S [vrf V]``. With ``interface`` and
  ``prefix_length`` the interface is rendered too: ``mgmt0`` (VRF management only) or a routed
  Ethernet port (``no switchport``, ``vrf member V``, ``ip address``; any VRF but management).
  A non-default keepalive VRF gets its ``vrf context`` line beside ``vrf context management``.
* VLAN 1 exists on every switch; it is printed in the ``vlan`` summary line but never reported
  in PeerConfig (NX-OS cannot rename it, so it carries nothing the intent could ask for). A VLAN
  name equal to the one NX-OS gives by itself (``VLAN0010``) counts as no name.

Effective values, filled by the projection and the parser alike: role priority and system
priority 32667, delay restore 30, delay restore interface-vlan 10, auto-recovery reload-delay 240
(only while auto-recovery is on), keepalive VRF management, STP mode rapid-pvst, STP priority
32768, LACP rate slow, trunk native VLAN 1, access VLAN 1, MTU 1500, min-links 1. So a ``show
running-config all`` listing parses to what the plain listing gives. ``system_mac`` stays None
when not configured: the device then derives one from the domain id, and both peers derive the
same.

Not on NX-OS, hence rejected: EOS ``domain_name``, the peer-VLAN control session (``peer_vlan``
other than its default, ``peer_address``), Junos ``service_id``, ``chassis_id`` and
``admin_key``, Huawei ``authentication``, ``stp.mlag_mode`` and ``stp.bridge_address``,
``lacp_fallback_timeout``, ``lacp_rate: fast`` on a static LAG, and VLANs 3968-4094, which NX-OS
reserves for internal use by default.

The parser also reads what configlets say: interface types in any case, abbreviated or spaced
(``Po10``, ``port-channel 10``, ``eth1/1``), ranges and lists (``Ethernet1/1-4``, ``Ethernet1/1,
Ethernet1/3``) whose lines apply to each port, ``vpc domain`` options in any order, IPv4 or IPv6
keepalives with any of their timer options. A line of a setting PeerConfig holds, in the vPC
domain, the peer-link, a vPC port-channel or one of their members, whose form is unknown is kept
in ``PeerConfig.unread``.

NX-OS layer-2 ports take MTU 1500 or the switch's ``system jumbomtu`` (9216 unless changed); that
global setting is outside the vPC surface, so other MTU values are rendered as asked.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any, NamedTuple, TypeVar

from mlagauto.configtree import child_value, interface_names, top_blocks
from mlagauto.drivers.base import LagView, MlagDriver, vlan_frozenset, vlan_list
from mlagauto.drivers.showtext import is_json, lacp_mac, no_output, ntc_rows, number
from mlagauto.model.finding import Severity
from mlagauto.model.intent import MlagDomain, MlagPeer
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
from mlagauto.model.vlans import format_vlan_list

DEFAULT_ROLE_PRIORITY = 32667
DEFAULT_SYSTEM_PRIORITY = 32667
DEFAULT_RESTORE_DELAY = 30
DEFAULT_INTERFACE_VLAN_DELAY = 10
DEFAULT_AUTO_RECOVERY_DELAY = 240
DEFAULT_KEEPALIVE_VRF = "management"
DEFAULT_STP_MODE = "rapid-pvst"
DEFAULT_STP_PRIORITY = 32768
DEFAULT_MTU = 1500
DEFAULT_MIN_LINKS = 1
DEFAULT_VLAN = 1
DERIVED_ROLE_PRIORITY = {"primary": 100, "secondary": 200}
RESERVED_VLANS = range(3968, 4095)
RESTORE_DELAY_RANGE = (1, 3600)
AUTO_RECOVERY_DELAY_RANGE = (240, 3600)
ALL_VLANS = frozenset(range(1, 4095))
GLOBAL_VRF = "default"
MGMT_INTERFACE = "mgmt0"


def _shown(value: int | None, default: int) -> int | None:
    """The value as ``show running-config`` prints it: None where it is unset or the default."""
    return None if value is None or value == default else value


def _vlan_name(vid: int, name: str | None) -> str | None:
    """A VLAN's name, or None where it is NX-OS's own (``default``, ``VLAN0010``): that is the
    name every VLAN has until it is given one, and ``show running-config all`` prints it."""
    return None if name == ("default" if vid == DEFAULT_VLAN else f"VLAN{vid:04d}") else name


def _ethernet_key(name: str) -> tuple[int, ...]:
    """Ethernet ports sort the way NX-OS prints them: by slot, port and breakout, numerically."""
    return tuple(int(part) for part in name[len("Ethernet") :].split("/"))


# --- render views ------------------------------------------------------------------------------
# Named tuples: a switch has hundreds of ports, and a tuple is built several times faster than a
# frozen dataclass (which sets each field through object.__setattr__).
class SwitchportView(NamedTuple):
    """Layer-2 settings of a port-channel; NX-OS prints them on every member too. ``None`` marks
    a default the device does not print."""

    mode: str
    vlans: list[int]
    native_vlan: int | None = None
    mtu: int | None = None

    @property
    def access_vlan(self) -> int | None:
        return _shown(self.vlans[0], DEFAULT_VLAN) if self.mode == "access" else None


class PortChannelView(NamedTuple):
    """One ``interface port-channelN`` block."""

    name: str
    number: int
    description: str | None
    switchport: SwitchportView
    peer_link: bool = False
    vpc: int | None = None
    min_links: int | None = None
    suspend_individual: bool = True


class RoutedView(NamedTuple):
    """The layer-3 side of a keepalive port: its VRF (None for the global table) and address."""

    vrf: str | None
    address: str


class EthernetView(NamedTuple):
    """One ``interface EthernetX/Y`` block: a LAG member, or the routed keepalive port."""

    name: str
    description: str | None = None
    switchport: SwitchportView | None = None
    lacp_rate_fast: bool = False
    channel_group: int | None = None
    lacp_mode: str = "active"
    routed: RoutedView | None = None


# --- parse state -------------------------------------------------------------------------------
_Failure = tuple[str, str]
"""A line of a block that its reader recognised but could not read, and why."""


@dataclass
class _PortChannel:
    """What one port-channel block says, before defaults are applied."""

    number: int
    description: str | None = None
    routed: bool = False
    mode: str = "access"
    access_vlan: int = DEFAULT_VLAN
    allowed: set[int] | None = None
    native_vlan: int = DEFAULT_VLAN
    mtu: int = DEFAULT_MTU
    min_links: int = DEFAULT_MIN_LINKS
    suspend_individual: bool = True
    vpc: int | None = None
    peer_link: bool = False
    failed: tuple[_Failure, ...] = ()

    @property
    def name(self) -> str:
        return f"port-channel{self.number}"

    def in_mlag(self) -> bool:
        """The peer-link or a vPC, or a port-channel whose ``vpc`` line could not be read."""
        return self.vpc is not None or self.peer_link or any(text.startswith("vpc") for text, _ in self.failed)

    def vlan_list(self) -> list[int]:
        """Effective VLANs: allowed VLANs of a trunk (all when unrestricted), the access VLAN."""
        if self.routed:
            return []
        if self.mode == "trunk":
            return sorted(ALL_VLANS if self.allowed is None else self.allowed)
        return [self.access_vlan] if self.mode == "access" else []


@dataclass
class _Member:
    """An Ethernet port's ``channel-group`` and LACP rate."""

    name: str
    group: int | None = None
    lacp_mode: str = "static"
    fast: bool = False
    failed: tuple[_Failure, ...] = ()


@dataclass
class _VpcDomain:
    """The ``vpc domain`` block, before defaults are applied."""

    domain_id: str
    role_priority: int = DEFAULT_ROLE_PRIORITY
    system_mac: str | None = None
    system_priority: int = DEFAULT_SYSTEM_PRIORITY
    keepalive: KeepaliveConfig | None = None
    restore_delay: int = DEFAULT_RESTORE_DELAY
    interface_vlan_delay: int = DEFAULT_INTERFACE_VLAN_DELAY
    auto_recovery: bool = False
    auto_recovery_disabled: bool = False
    """``no auto-recovery`` (``show running-config all``) wins over any ``auto-recovery`` line."""
    auto_recovery_delay: int = DEFAULT_AUTO_RECOVERY_DELAY
    peer_gateway: bool = False
    peer_switch: bool = False
    failed: tuple[_Failure, ...] = ()


@dataclass
class _Stp:
    mode: str | None = None
    vlan_priority: dict[int, int] = field(default_factory=dict)
    mst0_priority: int | None = None


@dataclass
class _Parsed:
    """Everything one pass over the running config collects."""

    hostname: str | None = None
    vlans: dict[int, str | None] = field(default_factory=dict)
    stp: _Stp = field(default_factory=_Stp)
    domain: _VpcDomain | None = None
    port_channels: dict[int, _PortChannel] = field(default_factory=dict)
    ethernets: dict[str, _Member] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """Top-level MLAG lines of an unknown form (``vpc domain`` without a number)."""


_T = TypeVar("_T")
_LineReader = Callable[[list[str], str, _T], None]
"""Reads one line of a block (its words and its text) into the block's parse state; raises
ValueError or IndexError on a line it recognises but cannot read."""


def _int(token: str) -> int:
    """A decimal number as the device prints it; anything else raises ValueError."""
    if not (token.isascii() and token.isdigit()):
        raise ValueError(f"{token!r} is not a number")
    return int(token)


def _vlan_id(token: str) -> int:
    vid = _int(token)
    if not 1 <= vid <= 4094:
        raise ValueError(f"VLAN id {vid} is outside 1-4094")
    return vid


def _vlan_set(tokens: list[str]) -> set[int]:
    return set(vlan_frozenset(",".join(tokens)))


def _allowed(current: set[int] | None, words: list[str]) -> set[int] | None:
    """Apply one ``switchport trunk allowed vlan ...`` line; ``None`` means every VLAN. NX-OS
    continues long lists with ``add`` lines, which accumulate."""
    op, rest = words[0], words[1:]
    if op == "all":
        return None
    if op == "none":
        return set()
    if op == "add":
        return None if current is None else current | _vlan_set(rest)
    if op == "remove":
        return (set(ALL_VLANS) if current is None else current) - _vlan_set(rest)
    if op == "except":
        return set(ALL_VLANS) - _vlan_set(rest)
    return _vlan_set(words)


def _mac(text: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` from any of the spellings NX-OS accepts; unknown text stays as is."""
    digits = re.sub(r"[.:\-]", "", text.lower())
    if len(digits) == 12 and all(c in "0123456789abcdef" for c in digits):
        return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    return text


_DETECT_MARKERS: tuple[tuple[str, int], ...] = (
    ("\nfeature vpc", 4),
    ("\nvpc domain ", 4),
    ("\n  peer-keepalive destination ", 3),
    ("\nfeature lacp", 2),
    ("!Command: show running-config", 2),
    ("\nvrf context ", 1),
    ("\n  vrf member ", 1),
)
"""Strings only NX-OS prints (``interface port-channel`` is lower case there, ``Port-Channel`` on
EOS)."""


class NxosDriver(MlagDriver):
    platform = "cisco_nxos"
    netmiko_device_type = "cisco_nxos"
    napalm_driver = "nxos_ssh"
    commit_style = "checkpoint"
    severities = {
        "keepalive-missing": Severity.ERROR,
        "keepalive-mirror": Severity.ERROR,
        "mlag-type1": Severity.ERROR,
        "stp.mode": Severity.ERROR,
    }
    hier_config_platform = "CISCO_NXOS"
    vlan_sets = (re.compile(r"(vlan )([\d,\-]+)()"), re.compile(r"(spanning-tree vlan )([\d,\-]+)( priority \d+)"))
    """NX-OS keeps VLANs and per-VLAN STP priorities one by one and prints them as ranges."""
    owned = (re.compile(r"vlan \d+"), re.compile(r"spanning-tree vlan \d+ priority \d+"), re.compile(r"spanning-tree mode \S+"), re.compile(r"vpc domain \d+"))
    """The STP mode is one setting whose default (rapid-pvst) prints nothing: a mode the intent
    leaves at the default is negated, a changed one replaced. A switch has one vPC domain, and NX-OS
    refuses a new domain id until the old domain is removed (``no vpc domain N``)."""
    idempotent_lines = ((r"^spanning-tree vlan (\d+) priority ",), (r"^spanning-tree mode ",))

    def change_loads(self, removals: str, render: str) -> list[str]:
        """``no vpc domain`` asks for confirmation, which a configuration merge cannot answer:
        the change runs under ``terminal dont-ask``, as NX-OS automation does for that command."""
        if any(line.startswith("no vpc domain ") for line in removals.splitlines()):
            return [f"terminal dont-ask\n{removals}\n{render}\nno terminal dont-ask\n"]
        return super().change_loads(removals, render)
    state_commands = ("show vpc | json", "show vpc role | json", "show port-channel summary | json", "show lacp neighbor")
    """``show vpc`` carries the domain, peer, keepalive, peer-link, role, consistency and every vPC
    row; ``show vpc role`` adds the vPC system MAC, the LACP system id partners see; ``show
    port-channel summary`` which members are bundled and ``show lacp neighbor`` the partner each
    member sees. Plain ``| json`` rather than ``| json native`` (NX-OS 9.3 on) so that older
    releases answer too; the parser takes the strings ``| json`` prints as readily as the numbers
    of ``json native``, and the text form of every command as well. ``show lacp neighbor`` is
    collected as text: its JSON keys are documented nowhere public."""
    port_template = "Ethernet1/{n}"
    management_interface = MGMT_INTERFACE
    value_ranges = {"timers.restore_delay": RESTORE_DELAY_RANGE, "timers.non_mlag_restore_delay": RESTORE_DELAY_RANGE, "timers.auto_recovery_delay": AUTO_RECOVERY_DELAY_RANGE}
    default_keepalive_vrf = DEFAULT_KEEPALIVE_VRF
    domain_id_range = (1, 1000)
    mlag_id_range = (1, 4096)
    port_channel_range = (1, 4096)
    role_priority_range = (1, 65535)
    name_pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
    """VLAN and VRF names: NX-OS takes 32 characters for both (VLAN names longer only with
    ``system vlan long-name``)."""
    interface_pattern = re.compile(r"Ethernet[1-9]\d{0,2}/[1-9]\d{0,2}(/[1-9]\d?)?")
    """``EthernetX/Y`` or the breakout ``EthernetX/Y/Z``, exactly as show run spells them."""
    description_max = 254
    description_forbidden = '"?'
    """``?`` opens the CLI help while a line is typed; quotes are read as quoting."""
    unsupported = {
        "domain_name": "NX-OS names a vPC domain by its number only (domain_id); domain_name is an EOS setting",
        "peer_vlan": "vPC peers talk over the peer-link itself (CFS); NX-OS has no peer VLAN",
        "service_id": "service_id is a Junos switch-options setting; NX-OS has none",
        "authentication": "vPC has no peer authentication; this is a Huawei dfs-group setting",
        "stp.mlag_mode": "the M-LAG STP mode is a Huawei setting; on NX-OS use peer_switch with one STP priority",
        "stp.bridge_address": "NX-OS has no shared bridge address; peer_switch makes the pair one STP root",
        "peers[].peer_address": "vPC has no L3 control session on a peer VLAN; leave peer_address unset",
        "peers[].chassis_id": "chassis_id is a Junos MC-AE setting; NX-OS has none",
        "mlag_interfaces[].lacp_fallback_timeout": "NX-OS has no fallback timeout; `no lacp suspend-individual` keeps members up individually without one",
        "mlag_interfaces[].admin_key": "the LACP admin-key is a Junos setting; NX-OS derives the key from the port-channel",
    }
    """Options of the neutral model NX-OS has no equivalent for."""
    import_blocks = (re.compile(r"vpc domain \d+"),)
    import_modelled = tuple(
        re.compile(p)
        for p in (r"peer-switch$", r"peer-gateway$", r"role priority ", r"system-mac ", r"system-priority ", r"peer-keepalive ", r"delay restore \d+$",
                  r"delay restore interface-vlan ", r"auto-recovery( reload-delay \d+)?$", r"no auto-recovery$")
    )
    """``vpc domain`` lines the model holds; ``ip arp synchronize``, ``layer3 peer-router``,
    ``peer-gateway exclude-vlan`` and the like are reported by an import."""

    def lag_name(self, number: int) -> str:
        return f"port-channel{number}"

    # --- validation ----------------------------------------------------------------------
    def validate_platform(self, domain: MlagDomain) -> list[Problem]:
        return (
            self._stp_problems(domain)
            + self._vlan_problems(domain)
            + self._timer_problems(domain)
            + self._keepalive_problems(domain)
            + self._lag_problems(domain)
            + self._description_problems(domain)
            + self._role_problems(domain)
        )

    def _stp_problems(self, d: MlagDomain) -> list[Problem]:
        """NX-OS runs rapid-pvst or MST; plain RSTP does not exist there."""
        if d.stp.mode == "rstp":
            return [Problem("stp.mode", "NX-OS has no plain RSTP; use rapid-pvst (per-VLAN RSTP, the NX-OS default) or mstp")]
        return []

    def _vlan_problems(self, d: MlagDomain) -> list[Problem]:
        out = []
        for k, v in enumerate(d.vlans):
            if v.id in RESERVED_VLANS:
                out.append(Problem(f"vlans[{k}].id", f"VLAN {v.id} is in NX-OS's reserved range 3968-4094 (system vlan reserve)"))
            if v.id == DEFAULT_VLAN and _vlan_name(v.id, v.name) is not None:
                out.append(Problem(f"vlans[{k}].name", "NX-OS cannot rename the default VLAN 1"))
        for p in d.peers:
            reserved = [v for v in p.peer_link.vlans or [] if v in RESERVED_VLANS]
            if reserved:
                out.append(Problem("peer_link.vlans", f"VLANs {format_vlan_list(reserved)} are in NX-OS's reserved range 3968-4094", host=p.hostname))
        return out

    def _timer_problems(self, d: MlagDomain) -> list[Problem]:
        t = d.timers
        out = []
        for name, value, (lo, hi) in (
            ("timers.restore_delay", t.restore_delay, RESTORE_DELAY_RANGE),
            ("timers.non_mlag_restore_delay", t.non_mlag_restore_delay, RESTORE_DELAY_RANGE),
            ("timers.auto_recovery_delay", t.auto_recovery_delay, AUTO_RECOVERY_DELAY_RANGE),
        ):
            if value is not None and not lo <= value <= hi:
                out.append(Problem(name, f"{value} is outside NX-OS's range {lo}-{hi} seconds"))
        if t.auto_recovery_delay is not None and not t.auto_recovery:
            message = "on NX-OS `auto-recovery reload-delay` switches auto-recovery on; set auto_recovery: true or drop the delay"
            out.append(Problem("timers.auto_recovery_delay", message))
        return out

    def _keepalive_problems(self, d: MlagDomain) -> list[Problem]:
        out = []
        for p in d.peers:
            itf, vrf = p.keepalive.interface, self.keepalive_vrf(d, p.hostname)
            if itf is None:
                continue
            if itf == MGMT_INTERFACE:
                if vrf != DEFAULT_KEEPALIVE_VRF:
                    out.append(Problem("keepalive.vrf", f"mgmt0 is always in VRF management, not {vrf}", host=p.hostname))
            elif self.interface_pattern.fullmatch(itf):
                if vrf == DEFAULT_KEEPALIVE_VRF:
                    out.append(Problem("keepalive.vrf", f"only mgmt0 can be in VRF management; put {itf} in its own VRF", host=p.hostname))
            else:
                out.append(Problem("keepalive.interface", f"{itf!r}: the keepalive runs over mgmt0 or a routed EthernetX/Y port", host=p.hostname))
        return out

    def _lag_problems(self, d: MlagDomain) -> list[Problem]:
        out = []
        for k, itf in enumerate(d.mlag_interfaces):
            if itf.lacp_mode == "static" and itf.lacp_rate == "fast":
                out.append(Problem(f"mlag_interfaces[{k}].lacp_rate", "lacp rate fast needs LACP; a static (mode on) LAG sends no LACPDUs"))
        return out

    def _description_problems(self, d: MlagDomain) -> list[Problem]:
        """NX-OS descriptions are ASCII; the base rules only catch control characters."""
        texts = [(f"mlag_interfaces[{k}].description", i.description, None) for k, i in enumerate(d.mlag_interfaces)]
        texts += [("peer_link.description", p.peer_link.description, p.hostname) for p in d.peers]
        return [
            Problem(name, "NX-OS descriptions take printable ASCII only", host=host)
            for name, text, host in texts
            if text is not None and not text.isascii()
        ]

    def _role_problems(self, d: MlagDomain) -> list[Problem]:
        primary = next(p.hostname for p in d.peers if d.role_of(p.hostname) == "primary")
        secondary = d.other(primary).hostname
        mine, theirs = self.role_priority(d, primary), self.role_priority(d, secondary)
        if mine < theirs:
            return []
        return [
            Problem(
                "role_priority",
                f"the primary's role priority {mine} must be lower than the secondary's {theirs} (NX-OS: lower wins); "
                "set role_priority on both peers or on neither",
                host=primary,
            )
        ]

    # --- derived values ------------------------------------------------------------------
    def role_priority(self, domain: MlagDomain, host: str) -> int:
        """Effective ``role priority``: explicit, else derived from the intended role."""
        explicit = domain.peer(host).role_priority
        return explicit if explicit is not None else DERIVED_ROLE_PRIORITY[domain.role_of(host)]

    def keepalive_vrf(self, domain: MlagDomain, host: str) -> str:
        """Effective keepalive VRF: unset means management."""
        return domain.peer(host).keepalive.vrf or DEFAULT_KEEPALIVE_VRF

    def stp_priority(self, domain: MlagDomain) -> int:
        """Effective bridge priority: explicit, else the STP default 32768."""
        priority = domain.stp.priority
        return DEFAULT_STP_PRIORITY if priority is None else priority

    def auto_recovery_delay(self, domain: MlagDomain) -> int | None:
        """Effective reload delay; it exists only while auto-recovery is on."""
        t = domain.timers
        if not t.auto_recovery:
            return None
        return t.auto_recovery_delay if t.auto_recovery_delay is not None else DEFAULT_AUTO_RECOVERY_DELAY

    # --- rendering -----------------------------------------------------------------------
    def context(self, domain: MlagDomain, host: str) -> dict[str, Any]:
        ctx = super().context(domain, host)
        me = domain.peer(host)
        vrf = self.keepalive_vrf(domain, host)
        summary = sorted({DEFAULT_VLAN, *domain.vlan_ids()})
        ctx.update(
            vlan_summary=summary,
            named_vlans=[v for v in ctx["vlans"] if _vlan_name(v.id, v.name)],
            stp_mst=domain.stp.mode == "mstp",
            stp_priority=_shown(self.stp_priority(domain), DEFAULT_STP_PRIORITY),
            vrf_contexts=sorted({vrf, DEFAULT_KEEPALIVE_VRF} - {GLOBAL_VRF}),
            keepalive_vrf=None if vrf == DEFAULT_KEEPALIVE_VRF else vrf,
            role_priority=_shown(self.role_priority(domain, host), DEFAULT_ROLE_PRIORITY),
            system_priority=_shown(domain.system.priority, DEFAULT_SYSTEM_PRIORITY),
            restore_delay=_shown(domain.timers.restore_delay, DEFAULT_RESTORE_DELAY),
            interface_vlan_delay=_shown(domain.timers.non_mlag_restore_delay, DEFAULT_INTERFACE_VLAN_DELAY),
            auto_recovery_delay=_shown(self.auto_recovery_delay(domain), DEFAULT_AUTO_RECOVERY_DELAY),
            port_channels=self._port_channels(domain, host, ctx["lags"]),
            ethernets=self._ethernets(domain, host, ctx["lags"]),
            mgmt0_address=self._keepalive_address(me) if me.keepalive.interface == MGMT_INTERFACE else None,
        )
        return ctx

    def _peer_link_switchport(self, domain: MlagDomain, host: str) -> SwitchportView:
        return SwitchportView("trunk", domain.peer_link_vlans(host))

    def _lag_switchport(self, lag: LagView) -> SwitchportView:
        itf = lag.intent
        return SwitchportView(itf.mode, list(itf.vlans), _shown(itf.native_vlan, DEFAULT_VLAN), _shown(itf.mtu, DEFAULT_MTU))

    def _port_channels(self, domain: MlagDomain, host: str, lags: list[LagView]) -> list[PortChannelView]:
        pl = domain.peer(host).peer_link
        views = [PortChannelView(self.lag_name(pl.port_channel), pl.port_channel, pl.description, self._peer_link_switchport(domain, host), peer_link=True)]
        views += [
            PortChannelView(
                lag.name,
                lag.port_channel,
                lag.intent.description,
                self._lag_switchport(lag),
                vpc=lag.mlag_id,
                min_links=_shown(lag.intent.min_links, DEFAULT_MIN_LINKS),
                suspend_individual=not lag.intent.lacp_fallback,
            )
            for lag in lags
        ]
        return sorted(views, key=lambda v: v.number)

    def _ethernets(self, domain: MlagDomain, host: str, lags: list[LagView]) -> list[EthernetView]:
        me = domain.peer(host)
        pl = me.peer_link
        sp = self._peer_link_switchport(domain, host)
        views = [EthernetView(m, pl.description, sp, channel_group=pl.port_channel) for m in pl.members]
        for lag in lags:
            itf, lag_sp = lag.intent, self._lag_switchport(lag)
            views += [EthernetView(m, itf.description, lag_sp, itf.lacp_rate == "fast", lag.port_channel, itf.lacp_mode) for m in lag.members]
        ka = me.keepalive
        if ka.interface and ka.interface != MGMT_INTERFACE and ka.prefix_length is not None:
            vrf = self.keepalive_vrf(domain, host)
            views.append(EthernetView(ka.interface, routed=RoutedView(None if vrf == GLOBAL_VRF else vrf, self._keepalive_address(me))))
        return sorted(views, key=lambda v: _ethernet_key(v.name))

    @staticmethod
    def _keepalive_address(peer: MlagPeer) -> str | None:
        ka = peer.keepalive
        return f"{ka.source}/{ka.prefix_length}" if ka.prefix_length is not None else None

    # --- projection ----------------------------------------------------------------------
    def projected_vlans(self, domain: MlagDomain) -> list[tuple[int, str | None]]:
        """NX-OS prints no block for VLAN 1, and a default name (``VLAN0010``) as no name."""
        return [(vid, _vlan_name(vid, name)) for vid, name in super().projected_vlans(domain) if vid != DEFAULT_VLAN]

    def peer_config(self, domain: MlagDomain, host: str) -> PeerConfig:
        base = super().peer_config(domain, host)
        me = domain.peer(host)
        t = domain.timers
        return base.model_copy(
            update={
                "role_priority": self.role_priority(domain, host),
                "system_mac": domain.system.mac,
                "system_priority": domain.system.priority or DEFAULT_SYSTEM_PRIORITY,
                "keepalive": KeepaliveConfig(
                    source=str(me.keepalive.source), destination=str(me.keepalive.destination), vrf=self.keepalive_vrf(domain, host)
                ),
                "stp": StpConfig(mode=domain.stp.mode or DEFAULT_STP_MODE, priority=self.stp_priority(domain)),
                "timers": TimersConfig(
                    restore_delay=t.restore_delay if t.restore_delay is not None else DEFAULT_RESTORE_DELAY,
                    non_mlag_restore_delay=t.non_mlag_restore_delay if t.non_mlag_restore_delay is not None else DEFAULT_INTERFACE_VLAN_DELAY,
                    auto_recovery=t.auto_recovery,
                    auto_recovery_delay=self.auto_recovery_delay(domain),
                ),
                "peer_gateway": domain.peer_gateway,
                "peer_switch": domain.peer_switch,
            }
        )

    def interface_config(self, domain: MlagDomain, host: str, lag: LagView) -> MlagInterfaceConfig:
        itf = lag.intent
        return super().interface_config(domain, host, lag).model_copy(
            update={
                "native_vlan": (itf.native_vlan or DEFAULT_VLAN) if itf.mode == "trunk" else None,
                "mtu": itf.mtu or DEFAULT_MTU,
                "min_links": itf.min_links or DEFAULT_MIN_LINKS,
            }
        )

    # --- parsing -------------------------------------------------------------------------
    def _parse_config(self, text: str, hostname: str | None) -> PeerConfig:
        return _assemble(_collect(text), self.platform, hostname)

    @classmethod
    def detect(cls, text: str) -> int:
        padded = "\n" + text
        score = sum(weight for marker, weight in _DETECT_MARKERS if marker in padded)
        return score + 2 * padded.count("\n  vpc ") + padded.count("\ninterface port-channel")

    # --- live state ----------------------------------------------------------------------
    def parse_state(self, outputs: dict[str, str], hostname: str | None = None) -> PeerState:
        """The outputs of ``state_commands`` -> PeerState, each in its ``| json`` form or as text
        (a saved capture): ``_vpc_text`` reads the text into the JSON's keys, so both give the
        same PeerState."""
        try:
            return _peer_state(self.platform, hostname, outputs, self.state_commands)
        except Exception as exc:  # validation must never stop on one switch's output; say why instead
            return PeerState(platform=self.platform, hostname=hostname, warnings=[f"unreadable NX-OS vPC state: {type(exc).__name__}: {exc}"])


# --- one pass over the top-level blocks -----------------------------------------------------------
def _collect(text: str) -> _Parsed:
    """Walk the top-level lines once, handing each to the reader of its section. A line a reader
    cannot read becomes a warning; the rest is still read."""
    out = _Parsed()
    for head, children in top_blocks(text):
        try:
            _read_top(head, children, out)
        except (ValueError, IndexError) as exc:
            out.warnings.append(f"ignored {head!r}: {exc}")
    return out


def _read_block(children: list[str], state: _T, reader: _LineReader[_T], only: tuple[str, ...] = ("",)) -> tuple[_Failure, ...]:
    """Hand each child line to ``reader`` and return the lines it could not read: whether such a
    line is an unread MLAG statement or a plain warning depends on what the block turns out to
    be, which assembly knows. ``only`` names the prefixes of the lines the reader acts on: the
    others (most lines of a member port) are passed over without being split."""
    failed: list[_Failure] = []
    for text in children:
        if text.startswith(only):
            try:
                reader(text.split(), text, state)
            except (ValueError, IndexError) as exc:
                failed.append((text, str(exc)))
    return tuple(failed) if failed else ()


def _read_top(head: str, children: list[str], out: _Parsed) -> None:
    words = head.split()
    key = words[0]
    if key == "interface":
        _read_interface(children, head[len("interface") :].strip(), out)
    elif key == "vlan" and words[1][0].isdigit():
        _read_vlan(children, " ".join(words[1:]), out)
    elif key in ("hostname", "switchname"):
        out.hostname = words[1]
    elif key == "spanning-tree":
        _read_spanning_tree(words[1:], out.stp)
    elif words[:2] == ["vpc", "domain"]:
        if len(words) != 3 or not words[2].isdigit():
            out.unread.append(head)
            return
        domain = _VpcDomain(str(int(words[2])))
        domain.failed = _read_block(children, domain, _vpc_domain_line)
        out.domain = domain


def _read_vlan(children: list[str], spec: str, out: _Parsed) -> None:
    """``vlan 1,10,20`` summary lines and ``vlan N`` blocks with ``name X``."""
    ids = vlan_list(spec)
    for vid in ids:
        out.vlans.setdefault(vid, None)
    name = child_value(children, "name") if len(ids) == 1 else None
    if name:
        out.vlans[ids[0]] = _vlan_name(ids[0], name)


def _read_spanning_tree(words: list[str], stp: _Stp) -> None:
    """``mode mst|rapid-pvst``, ``vlan <list> priority N``, ``mst <instances> priority N``."""
    if words[:1] == ["mode"]:
        stp.mode = {"mst": "mstp"}.get(words[1], words[1])
    elif len(words) == 4 and words[2] == "priority":
        if words[0] == "vlan":
            stp.vlan_priority.update(dict.fromkeys(vlan_frozenset(words[1]), _int(words[3])))
        elif words[0] == "mst" and _covers_instance_zero(words[1]):
            stp.mst0_priority = _int(words[3])


def _covers_instance_zero(spec: str) -> bool:
    """True when an MST instance list (``0``, ``0-1``, ``0,5``) includes the IST."""
    return any(part.split("-")[0] == "0" for part in spec.split(","))


def _vpc_domain_line(words: list[str], text: str, d: _VpcDomain) -> None:
    """One line of ``vpc domain N``, in any order. A line of a setting PeerConfig holds whose
    shape is not one NX-OS documents raises; settings it does not hold (``ip arp synchronize``,
    ``layer3 peer-router``, ``delay restore orphan-port``, ...) are passed over."""
    key = words[0]
    if key == "peer-switch":
        _exactly(words, 1)
        d.peer_switch = True
    elif key == "peer-gateway":  # optionally ``exclude-vlan <list>``, still peer-gateway
        d.peer_gateway = True
    elif key == "role":
        _exactly(words, 3, "priority")
        d.role_priority = _int(words[2])
    elif key == "system-mac":
        _exactly(words, 2)
        d.system_mac = _system_mac_setting(words[1])
    elif key == "system-priority":
        _exactly(words, 2)
        d.system_priority = _int(words[1])
    elif key == "peer-keepalive":
        d.keepalive = _keepalive(words[1:])
    elif words[:2] == ["delay", "restore"]:
        _delay_restore(words[2:], d)
    elif key == "auto-recovery":
        if len(words) > 1:
            _exactly(words, 3, "reload-delay")
            d.auto_recovery_delay = _int(words[2])
        d.auto_recovery = True
    elif words == ["no", "auto-recovery"]:
        d.auto_recovery_disabled = True


def _exactly(words: list[str], count: int, second: str | None = None) -> None:
    """Raise unless the line has ``count`` words, the second one ``second`` where given."""
    if len(words) != count or (second is not None and words[1] != second):
        raise ValueError(f"expected {count} words{f' with {second!r}' if second else ''}")


def _system_mac_setting(text: str) -> str:
    """``system-mac`` in any spelling NX-OS takes (``0200.0000.0001``, ``02:00:...``)."""
    mac = _mac(text)
    if len(mac) != 17 or mac.count(":") != 5:
        raise ValueError(f"{text!r} is not a MAC address")
    return mac


def _delay_restore(words: list[str], d: _VpcDomain) -> None:
    """``delay restore N``, ``delay restore interface-vlan N``; ``orphan-port N`` is not held."""
    if len(words) == 1:
        d.restore_delay = _int(words[0])
    elif len(words) == 2 and words[0] == "interface-vlan":
        d.interface_vlan_delay = _int(words[1])
    elif len(words) != 2 or words[0] != "orphan-port":
        raise ValueError("unknown delay restore form")


_KEEPALIVE_OPTIONS = frozenset(("destination", "source", "vrf", "udp-port", "interval", "timeout", "hold-timeout", "precedence", "tos", "tos-byte"))
"""The options of ``peer-keepalive``, each a keyword and one value, in any order (Cisco's vPC
command reference; ``show running-config all`` prints them all)."""


def _keepalive(words: list[str]) -> KeepaliveConfig:
    """``destination D [source S] [vrf V]`` with IPv4 or IPv6 addresses, plus any of interval,
    timeout, udp-port, precedence, tos, tos-byte, hold-timeout. Another shape raises: the
    keepalive is a fact the audit needs, so a form read wrongly must not pass for a read one."""
    if len(words) % 2:
        raise ValueError("peer-keepalive options come in keyword-value pairs")
    options = dict(zip(words[::2], words[1::2]))
    unknown = set(options) - _KEEPALIVE_OPTIONS
    if unknown or len(options) * 2 != len(words) or "destination" not in options:
        raise ValueError(f"unknown peer-keepalive form (options {sorted(unknown)}, destination required)")
    for role in ("destination", "source"):
        if role in options:
            ip_address(options[role])
    return KeepaliveConfig(source=options.get("source"), destination=options["destination"], vrf=options.get("vrf", DEFAULT_KEEPALIVE_VRF))


def _read_interface(children: list[str], spec: str, out: _Parsed) -> None:
    """Apply an ``interface`` block to every port-channel and Ethernet port it names. A port
    named by several blocks (a configlet setting a range, then one port) takes the lines of all."""
    for name in _interface_names(spec):
        if name[0] == "p":
            number = name[len("port-channel") :]
            if number.isdigit():  # not a subinterface (``port-channel10.100``): those are routed
                pc = out.port_channels.get(int(number)) or _PortChannel(int(number))
                pc.failed += _read_block(children, pc, _port_channel_line)
                out.port_channels[pc.number] = pc
        else:
            member = out.ethernets.get(name) or _Member(name)
            member.failed += _read_block(children, member, _member_line, only=_MEMBER_LINES)
            out.ethernets[name] = member


_INTERFACE_TYPES = (("port-channel", "port-channel", 2), ("ethernet", "Ethernet", 1))
"""The interface types the parser reads: the type in lower case, as show running-config prints
it, and the shortest abbreviation NX-OS takes (``po``, ``e``)."""


def _interface_names(spec: str) -> list[str]:
    """The port-channels and Ethernet ports an ``interface`` line names, spelt as show
    running-config prints them (``port-channel10``, ``Ethernet1/1``), whatever the case,
    abbreviation, range or list (``configtree.interface_names``). Other types give no names."""
    if spec.startswith("Ethernet") and spec[8:].replace("/", "").isdigit():
        return [spec]
    if spec.startswith("port-channel") and spec[12:].isdigit():
        return [spec]
    return interface_names(spec, _INTERFACE_TYPES, keep_unknown=False)




def _port_channel_line(words: list[str], text: str, pc: _PortChannel) -> None:
    key = words[0]
    if key == "description":
        pc.description = text[len("description") :].strip() or None
    elif words == ["no", "switchport"]:
        pc.routed = True
    elif key == "switchport" and len(words) > 1:
        _switchport(words[1:], pc)
    elif key == "mtu":
        pc.mtu = _int(words[1])
    elif words[:2] == ["lacp", "min-links"]:
        pc.min_links = _int(words[2])
    elif words[-2:] == ["lacp", "suspend-individual"]:
        pc.suspend_individual = key != "no"
    elif key == "vpc":
        _vpc_line(words, pc)


def _vpc_line(words: list[str], pc: _PortChannel) -> None:
    """``vpc peer-link`` or ``vpc N`` on a port-channel; ``vpc orphan-port suspend`` marks an
    orphan port, no vPC. Another shape raises."""
    if words == ["vpc", "peer-link"]:
        pc.peer_link = True
    elif len(words) == 2:
        pc.vpc = _int(words[1])
    elif words != ["vpc", "orphan-port", "suspend"]:
        raise ValueError("unknown vpc form")


def _switchport(words: list[str], pc: _PortChannel) -> None:
    """The words after ``switchport``: mode, access vlan, trunk native / allowed vlan."""
    if words[0] == "mode":
        pc.mode = words[1]
    elif words[:2] == ["access", "vlan"]:
        pc.access_vlan = _vlan_id(words[2])
    elif words[:3] == ["trunk", "native", "vlan"]:
        pc.native_vlan = _vlan_id(words[3])
    elif words[:3] == ["trunk", "allowed", "vlan"]:
        pc.allowed = _allowed(pc.allowed, words[3:])


_MEMBER_LINES = ("channel-group", "lacp")
"""Prefixes of the member-port lines ``_member_line`` reads."""


_CHANNEL_MODES = {"active": "active", "passive": "passive", "on": "static"}


def _member_line(words: list[str], text: str, member: _Member) -> None:
    """``channel-group N [force] [mode active|passive|on]``; without ``mode`` the port is a
    static member (show run leaves ``mode on`` out). ``lacp rate fast|normal``."""
    if words[0] == "channel-group":
        group, rest = _int(words[1]), words[2:]
        if rest[:1] == ["force"]:
            rest = rest[1:]
        if rest and (len(rest) != 2 or rest[0] != "mode" or rest[1] not in _CHANNEL_MODES):
            raise ValueError("unknown channel-group form")
        member.group = group
        member.lacp_mode = _CHANNEL_MODES[rest[1]] if rest else "static"
    elif words[:2] == ["lacp", "rate"]:
        if len(words) != 3 or words[2] not in ("fast", "normal"):
            raise ValueError("lacp rate is fast or normal")
        member.fast = words[2] == "fast"


# --- assembly: raw facts -> PeerConfig ------------------------------------------------------------
def _assemble(p: _Parsed, platform: str, hostname: str | None) -> PeerConfig:
    """The PeerConfig, validated once: LAGs and VLANs go in as plain dicts, so pydantic builds the
    nested models without a Python call for each of them."""
    vlans: list[dict[str, Any]] = [{"id": vid, "name": name} for vid, name in sorted(p.vlans.items()) if vid != DEFAULT_VLAN or name]
    members: dict[int, list[_Member]] = {}
    for member in p.ethernets.values():
        if member.group is not None:
            members.setdefault(member.group, []).append(member)
    lags = sorted(
        (_mlag_interface(pc, pc.vpc, members.get(pc.number, [])) for pc in p.port_channels.values() if pc.vpc is not None),
        key=lambda i: (i["mlag_id"], i["interface"]),
    )
    peer_link = _peer_link(p, members)
    fields: dict[str, Any] = {"platform": platform, "hostname": p.hostname or hostname, "vlans": vlans, "peer_link": peer_link, "mlag_interfaces": lags}
    fields["unread"] = _unread(p)
    if p.domain is not None:
        fields.update(_domain_fields(p.domain))
    configured = p.domain is not None or bool(vlans) or fields["peer_link"] is not None or bool(lags)
    stp = p.stp
    if configured or stp.mode or stp.vlan_priority or stp.mst0_priority is not None:
        fields["stp"] = _stp_config(stp, [v["id"] for v in vlans], p.warnings)
    else:
        p.warnings.append("no vPC configuration found (no vpc domain, vPC port-channel, VLAN or spanning-tree setting)")
    return PeerConfig(**fields, warnings=p.warnings)


def _unread(p: _Parsed) -> list[str]:
    """The lines that could not be read in the vPC domain, the peer-link, a vPC port-channel or
    one of their members: MLAG statements whose form is unknown, so the rules must not report
    their setting missing. A line that could not be read elsewhere is a plain warning."""
    unread = list(p.unread)
    if p.domain is not None:
        unread += [text for text, _ in p.domain.failed]
    mlag_groups = {pc.number for pc in p.port_channels.values() if pc.in_mlag()}
    blocks = [(pc.name, pc.failed, pc.number in mlag_groups) for pc in sorted(p.port_channels.values(), key=lambda pc: pc.number) if pc.failed]
    for m in p.ethernets.values():
        if m.failed:  # a member whose channel-group could not be read may belong to a vPC
            blocks.append((m.name, m.failed, m.group in mlag_groups or any(text.startswith("channel-group") for text, _ in m.failed)))
    for owner, failed, relevant in blocks:
        if relevant:
            unread += [text for text, _ in failed]
        else:
            p.warnings += [f"ignored {text!r} under 'interface {owner}': {reason}" for text, reason in failed]
    return unread


def _domain_fields(d: _VpcDomain) -> dict[str, Any]:
    auto_recovery = d.auto_recovery and not d.auto_recovery_disabled
    return {
        "domain_id": d.domain_id,
        "role_priority": d.role_priority,
        "system_mac": d.system_mac,
        "system_priority": d.system_priority,
        "keepalive": d.keepalive,
        "timers": TimersConfig(
            restore_delay=d.restore_delay,
            non_mlag_restore_delay=d.interface_vlan_delay,
            auto_recovery=auto_recovery,
            auto_recovery_delay=d.auto_recovery_delay if auto_recovery else None,
        ),
        "peer_gateway": d.peer_gateway,
        "peer_switch": d.peer_switch,
    }


def _lacp_mode(members: list[_Member]) -> str | None:
    """NX-OS refuses members of one port-channel with different modes, so the first one speaks."""
    return members[0].lacp_mode if members else None


def _peer_link(p: _Parsed, groups: dict[int, list[_Member]]) -> PeerLinkConfig | None:
    pc = next((pc for pc in p.port_channels.values() if pc.peer_link), None)
    if pc is None:
        return None
    members = groups.get(pc.number, [])
    vlans: list[int] | None = pc.vlan_list()
    if pc.mode == "trunk" and (pc.allowed is None or pc.allowed >= ALL_VLANS):
        vlans = None
    return PeerLinkConfig(interface=pc.name, members=sorted(m.name for m in members), vlans=vlans, lacp_mode=_lacp_mode(members), description=pc.description)


def _mlag_interface(pc: _PortChannel, vpc: int, members: list[_Member]) -> dict[str, Any]:
    """The fields of one ``MlagInterfaceConfig``."""
    trunk = pc.mode == "trunk" and not pc.routed
    return {
        "mlag_id": vpc,
        "interface": pc.name,
        "description": pc.description,
        "members": sorted(m.name for m in members),
        "lacp_mode": _lacp_mode(members),
        "lacp_rate": ("fast" if all(m.fast for m in members) else "slow") if members else None,
        "mode": None if pc.routed else pc.mode,
        "vlans": pc.vlan_list(),
        "native_vlan": pc.native_vlan if trunk else None,
        "mtu": pc.mtu,
        "min_links": pc.min_links,
        "lacp_fallback": not pc.suspend_individual,
    }


def _stp_config(stp: _Stp, vlan_ids: list[int], warnings: list[str]) -> StpConfig:
    """Effective mode and bridge priority. Under MST the priority is instance 0's; under
    rapid-pvst it is the one most of the reported VLANs run with (the VLANs the priority lines
    name when none is reported), counting VLANs without a line at the default 32768. A warning
    says when VLANs differ."""
    mode = stp.mode or DEFAULT_STP_MODE
    if mode == "mstp":
        return StpConfig(mode=mode, priority=DEFAULT_STP_PRIORITY if stp.mst0_priority is None else stp.mst0_priority)
    scope = vlan_ids or sorted(stp.vlan_priority)
    counts = Counter(stp.vlan_priority.get(vid, DEFAULT_STP_PRIORITY) for vid in scope)
    if not counts:
        return StpConfig(mode=mode, priority=DEFAULT_STP_PRIORITY)
    priority = min(counts, key=lambda prio: (-counts[prio], prio))
    if len(counts) > 1:
        warnings.append(f"spanning-tree priorities differ per VLAN ({', '.join(str(v) for v in sorted(counts))}); reporting {priority}, the one most VLANs use")
    return StpConfig(mode=mode, priority=priority)


# --- live state: show vpc, show vpc role, show port-channel summary, show lacp neighbor --------------
_NOT_PERFORMED = "consistency check not performed"
"""The reason NX-OS gives for a check it could not run (no peer to compare with): no verdict."""
_GLOBAL_CHECKS: tuple[tuple[str, str | None, str], ...] = (
    ("vpc-peer-consistency", "vpc-peer-consistency-status", "Type-1 consistency check failed"),
    ("vpc-per-vlan-peer-consistency", None, "per-VLAN consistency check failed"),
    ("vpc-type-2-consistency", "vpc-type-2-consistency-status", "Type-2 consistency check failed"),
)
"""The global checks ``show vpc`` reports: verdict key, reason key, the reason where none is printed."""
_ROLES = ("primary", "secondary")
_MAC_FORM = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}")
_NO_MAC = "00:00:00:00:00:00"
_VPC_LABELS = {
    "vpc domain id": "vpc-domain-id",
    "peer status": "vpc-peer-status",
    "vpc keep-alive status": "vpc-peer-keepalive-status",
    "configuration consistency status": "vpc-peer-consistency",
    "configuration consistency reason": "vpc-peer-consistency-status",
    "configuration inconsistency reason": "vpc-peer-consistency-status",
    "per-vlan consistency status": "vpc-per-vlan-peer-consistency",
    "type-2 consistency status": "vpc-type-2-consistency",
    "type-2 inconsistency reason": "vpc-type-2-consistency-status",
    "vpc role": "vpc-role",
}
"""``show vpc`` text labels -> the keys its ``| json`` form prints the same fact under."""
_VERDICT_KEYS = ("vpc-peer-consistency", "vpc-per-vlan-peer-consistency", "vpc-type-2-consistency")
_ROLE_LABELS = {"vpc role": "vpc-current-role", "vpc system-mac": "vpc-system-mac"}
"""``show vpc role`` text labels -> its ``| json`` keys."""
_TEXT_FIELD = re.compile(r"^\s*([A-Za-z][\w /-]*?)\s*:\s*(.*?)\s*$")
_TABLE_ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S+)\s*(.*)$")
_VLAN_CELL = re.compile(r"[\d,.\-]+")
"""An ``Active vlans`` cell (or a wrapped piece of one): ranges, commas, ``-`` for none."""
_CHANNEL_HEAD = re.compile(r"^\s*(port-channel\d+|Po\d+)\s+neighbors\s*$", re.IGNORECASE)
_PARTNER_ROW = re.compile(r"^\s*(Eth\S+)\s+(\d+)\s*,\s*([0-9A-Fa-f.:\-]+)\s+(\S+)\s+\S+\s+\S+\s*$")
"""``Port  System ID  Port Number  Age  Flags`` of ``show lacp neighbor``: member, partner priority
and MAC, partner port number."""
_PARTNER_DETAIL = re.compile(r"^\s*(\d+)\s+(0x[0-9A-Fa-f]+|\d+)\s+(0x[0-9A-Fa-f]+|\d+)\s*$")
"""The second row of a partner block: port priority, oper key, port state."""
_SHORT_NAMES = (("Eth", "Ethernet"), ("Po", "port-channel"))


def _peer_state(platform: str, hostname: str | None, outputs: dict[str, str], commands: tuple[str, ...]) -> PeerState:
    """Everything but the system MAC and the members comes from ``show vpc``; the role falls back
    on ``show vpc role``; ``show port-channel summary`` and ``show lacp neighbor`` give each vPC's
    members and the partner each one sees. Each output may be the ``| json`` form or the text, and
    the text is read into the keys of the JSON, so both give the same PeerState. An output that
    cannot be read leaves its fields None and says so in a warning; the two member outputs are
    optional (a capture without them validates everything else)."""
    vpc_command, role_command, summary_command, lacp_command = commands
    warnings: list[str] = []
    vpc = _facts(outputs, vpc_command, _vpc_text, warnings)
    role_warnings: list[str] = []
    role = _facts(outputs, role_command, _role_text, role_warnings)
    domain = _raw(vpc.get("vpc-domain-id"))
    configured = domain is not None and domain.isdigit()
    if configured or not vpc:  # a switch that says it has no vPC domain may well print no role
        warnings += role_warnings
    interfaces = []
    for row in _rows(vpc, "TABLE_vpc", "ROW_vpc"):
        try:
            interfaces.append(_vpc_interface(row))
        except (KeyError, TypeError, ValueError) as exc:
            warnings.append(f"{vpc_command}: ignored vPC row {row!r}: {type(exc).__name__}: {exc}")
    members = _members(outputs.get(summary_command), summary_command, outputs.get(lacp_command), lacp_command, warnings) if interfaces else {}
    peer_link = next(iter(_rows(vpc, "TABLE_peerlink", "ROW_peerlink")), {})
    peer, keepalive = _text(vpc.get("vpc-peer-status")), _text(vpc.get("vpc-peer-keepalive-status"))
    consistency, reason = _consistency(vpc) if configured else (None, None)
    return PeerState(
        platform=platform,
        hostname=hostname,
        configured=configured,
        domain_id=domain if configured else None,
        peer_status=None if peer is None else "up" if peer == "peer-ok" else "down",
        # every ``peer-alive...`` word is alive, the keepalive that reaches a peer of another domain
        # included (``peer is alive, but domain IDs do not match``): the peer status reports that
        keepalive_status=None if keepalive is None else "up" if keepalive.startswith("peer-alive") else "down",
        peer_link_status=_port_state(peer_link.get("peer-link-port-state")),
        role=_role(vpc.get("vpc-role")) or _role(role.get("vpc-current-role")),
        system_id=_system_mac(role.get("vpc-system-mac")) if configured else None,
        consistency=consistency,
        consistency_reason=reason,
        interfaces=sorted((i.model_copy(update={"members": members.get(i.interface or "", [])}) for i in interfaces), key=lambda i: i.mlag_id),
        warnings=warnings,
    )


def _facts(outputs: dict[str, str], command: str, read_text: Callable[[str], dict[str, Any]], warnings: list[str]) -> dict[str, Any]:
    """The facts a command printed, in the keys of its JSON form: the JSON object itself, or the
    text read by ``read_text``. ``{}`` and a warning where the output is missing, or is neither a
    JSON object nor the command's text (``% Invalid command`` where ``feature vpc`` is off)."""
    text = outputs.get(command)
    if text is None:
        warnings.append(no_output(command))
        return {}
    if not is_json(text):
        facts = read_text(text)
        if not facts:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            warnings.append(f"{command}: not understood: {lines[-1][:100]!r}" if lines else f"{command}: empty output")
        return facts
    try:
        data = json.loads(text)
    except ValueError:
        warnings.append(f"{command}: unreadable JSON: {text.strip().splitlines()[-1][:100]!r}")
        return {}
    if not isinstance(data, dict):
        warnings.append(f"{command}: expected a JSON object, got {type(data).__name__}")
        return {}
    return data


def _vpc_text(text: str) -> dict[str, Any]:
    """``show vpc`` (``show vpc brief`` prints the same) as the facts of ``show vpc | json``.

    Not ntc-templates' ``cisco_nxos_show_vpc``: it keeps the id, port and status of each row only,
    without the domain, peer, keepalive, role and consistency lines or the rows' consistency and
    reason. The labels and words map onto the JSON ones (``peer adjacency formed ok`` is
    ``peer-ok``, ``success`` is ``consistent``, a vPC ``down*`` forwards through the peer-link);
    a reason or VLAN list NX-OS wraps onto the next lines is joined back."""
    facts: dict[str, Any] = {}
    section: str | None = None
    peer_links: list[dict[str, Any]] = []
    vpcs: list[dict[str, Any]] = []
    for raw in text.expandtabs().splitlines():
        line = raw.strip()
        lower = line.lower()
        if lower in ("vpc peer-link status", "vpc status"):
            section = "vpc" if lower == "vpc status" else "peer-link"
            continue
        if section is None:
            found = _TEXT_FIELD.match(line)
            key = _VPC_LABELS.get(found.group(1).lower()) if found else None
            if found and key:
                facts[key] = _vpc_word(key, found.group(2))
            continue
        row = _TABLE_ROW.match(line)
        if row and section == "peer-link":
            peer_links.append({"peer-link-id": row.group(1), "peerlink-ifindex": row.group(2), "peer-link-port-state": row.group(3)})
        elif row:
            vpcs.append(_vpc_row(row))
        elif vpcs and section == "vpc" and line and not line.startswith(("Please check", "consistency reason", "any vpc")):
            _continue_reason(vpcs[-1], line)
    if peer_links:
        facts["TABLE_peerlink"] = {"ROW_peerlink": peer_links}
    if vpcs:
        facts["TABLE_vpc"] = {"ROW_vpc": vpcs}
    return facts


def _vpc_word(key: str, value: str) -> str:
    """A ``show vpc`` text value in the word its JSON prints."""
    lower = value.lower()
    if key == "vpc-peer-status":
        return "peer-ok" if lower == "peer adjacency formed ok" else value
    if key == "vpc-peer-keepalive-status":
        return "peer-alive" + lower[len("peer is alive") :] if lower.startswith("peer is alive") else value
    if key in _VERDICT_KEYS:
        return "consistent" if lower == "success" else "inconsistent"
    return value


def _vpc_row(row: re.Match[str]) -> dict[str, Any]:
    """A ``vPC status`` row: ``Id Port Status Consistency Reason Active-vlans``. A passed check's
    reason is the one word ``success``; a failed one's runs up to the VLAN cell ending the row."""
    status = row.group(3).lower()
    verdict, *cells = row.group(4).split() or [""]
    if verdict.lower() == "success":
        cells = cells[:1]
    elif len(cells) > 1 and _VLAN_CELL.fullmatch(cells[-1]):
        cells = cells[:-1]
    reason = " ".join(cells)
    return {
        "vpc-id": row.group(1),
        "vpc-ifindex": row.group(2),
        "vpc-port-state": "up" if status == "up" else "down",
        "vpc-thru-peerlink": "1" if status == "down*" else "0",
        "vpc-consistency": ("consistent" if verdict.lower() == "success" else "inconsistent") if verdict else None,
        "vpc-consistency-status": "SUCCESS" if reason.lower() == "success" else reason or None,
    }


def _continue_reason(row: dict[str, Any], line: str) -> None:
    """A wrapped line of the vPC table: more words of a failed row's reason, or (no letters) more
    of the VLAN list, which the live rules do not read."""
    if any(c.isalpha() for c in line) and row.get("vpc-consistency-status") not in (None, "SUCCESS"):
        row["vpc-consistency-status"] = f"{row['vpc-consistency-status']} {line}"


def _role_text(text: str) -> dict[str, Any]:
    """``show vpc role`` as the facts of its ``| json``: the role and the vPC system MAC."""
    facts: dict[str, Any] = {}
    for line in text.splitlines():
        found = _TEXT_FIELD.match(line)
        key = _ROLE_LABELS.get(found.group(1).lower()) if found else None
        if found and key:
            facts.setdefault(key, found.group(2))
    return facts


def _rows(data: dict[str, Any], table: str, row: str) -> list[dict[str, Any]]:
    """The rows of a ``TABLE_x`` / ``ROW_x`` pair: NX-OS prints a lone row as an object, several
    as a list."""
    found = data.get(table)
    found = found.get(row) if isinstance(found, dict) else None
    return [r for r in (found if isinstance(found, list) else [found]) if isinstance(r, dict)]


def _raw(value: object) -> str | None:
    """A JSON value as text: ``| json`` prints numbers as strings, ``| json native`` as numbers."""
    return None if value is None else str(value).strip() or None


def _text(value: object) -> str | None:
    text = _raw(value)
    return text.lower() if text else None


def _port_state(value: object) -> str | None:
    """``vpc-port-state`` / ``peer-link-port-state``: 1 (``"1"`` under ``| json``) is up."""
    word = _text(value)
    return None if word is None else "up" if word in ("1", "up") else "down"


def _role(value: object) -> str | None:
    """The role in force: ``primary`` / ``secondary``, or the last word of ``secondary-primary``
    (configured secondary, operational primary); None while none is established."""
    last = re.split(r"[\s,\-]+", _text(value) or "")[-1]
    return last if last in _ROLES else None


def _system_mac(value: object) -> str | None:
    """The vPC system MAC as ``aa:bb:cc:dd:ee:ff``; None where absent or all zero (no domain)."""
    text = _raw(value)
    mac = _mac(text) if text else None
    return mac if mac and _MAC_FORM.fullmatch(mac) and mac != _NO_MAC else None


def _consistency(vpc: dict[str, Any]) -> tuple[str | None, str | None]:
    """The global verdict: ``inconsistent`` with the reason of the first failed check (Type-1,
    per-VLAN, Type-2), ``consistent`` when every check printed passed, None when none is printed
    or a check was not performed (no peer to compare with: the peer rules report that)."""
    passed = False
    for verdict_key, reason_key, fallback in _GLOBAL_CHECKS:
        verdict = _text(vpc.get(verdict_key))
        if verdict is None:
            continue
        reason = _raw(vpc.get(reason_key)) if reason_key else None
        if reason is not None and reason.lower() == _NOT_PERFORMED:
            return None, None
        if verdict != "consistent":
            return "inconsistent", reason if reason and reason.upper() != "SUCCESS" else fallback
        passed = True
    return ("consistent" if passed else None), None


def _long_name(name: object) -> str | None:
    """``Po11`` / ``Eth1/1`` as show output abbreviates them -> ``port-channel11`` /
    ``Ethernet1/1``, the names of the running config."""
    text = _raw(name)
    if text is None:
        return None
    for short, long in _SHORT_NAMES:
        found = re.fullmatch(rf"{short}[a-z\-]*(\d.*)", text, re.IGNORECASE)
        if found:
            return f"{long}{found.group(1)}"
    return text


def _vpc_interface(row: dict[str, Any]) -> MlagInterfaceState:
    """One row of the vPC table. ``vpc-thru-peerlink`` (``down*`` in the text) means the peer's half
    forwards for this vPC; without it the row says nothing about the peer's half."""
    verdict = _text(row.get("vpc-consistency"))
    reason = _raw(row.get("vpc-consistency-status"))
    checked = verdict is not None and (reason or "").lower() != _NOT_PERFORMED
    return MlagInterfaceState(
        mlag_id=int(str(row["vpc-id"])),
        interface=_long_name(row.get("vpc-ifindex")),
        status=_port_state(row.get("vpc-port-state")),
        peer_status="up" if _text(row.get("vpc-thru-peerlink")) == "1" else None,
        consistent=verdict == "consistent" if checked else None,
        reason=reason if reason and reason.upper() != "SUCCESS" else None,
    )


def _members(summary: str | None, summary_command: str, lacp: str | None, lacp_command: str, warnings: list[str]) -> dict[str, list[LacpMemberState]]:
    """Port-channel -> its members: bundled or not from ``show port-channel summary``, the partner
    from ``show lacp neighbor``. Either output may be missing (no members, no warning)."""
    bundled = _summary_members(summary, summary_command, warnings) if summary is not None else {}
    partners = _lacp_partners(lacp, lacp_command, warnings) if lacp is not None else {}
    out: dict[str, list[LacpMemberState]] = {}
    for channel in sorted(set(bundled) | set(partners)):
        ports = bundled.get(channel, {})
        seen = partners.get(channel, {})
        out[channel] = [
            LacpMemberState(interface=port, bundled=ports.get(port), **seen.get(port, {})) for port in sorted(set(ports) | set(seen))
        ]
    return out


def _summary_members(text: str, command: str, warnings: list[str]) -> dict[str, dict[str, bool]]:
    """``show port-channel summary``: port-channel -> member -> bundled (flag ``P``, up in the
    port-channel), from its JSON or, for the text, ntc-templates' ``cisco_nxos_show_port-channel_summary``."""
    try:
        flags = _summary_json(json.loads(text)) if is_json(text) else _summary_text(text)
    except Exception as exc:  # json's and textfsm's errors share no base below Exception
        warnings.append(f"{command}: not understood: {type(exc).__name__}: {exc}")
        return {}
    out: dict[str, dict[str, bool]] = {}
    for channel, port, flag in flags:
        channel_name, port_name = _long_name(channel), _long_name(port)
        if channel_name and port_name and port_name[:1].isalpha():
            out.setdefault(channel_name, {})[port_name] = str(flag).strip() == "P"
    return out


def _summary_json(data: object) -> list[tuple[object, object, object]]:
    if not isinstance(data, dict) or "TABLE_channel" not in data:
        raise ValueError("no TABLE_channel")
    return [(row.get("port-channel"), m.get("port"), m.get("port-status")) for row in _rows(data, "TABLE_channel", "ROW_channel") for m in _rows(row, "TABLE_member", "ROW_member")]


def _summary_text(text: str) -> list[tuple[object, object, object]]:
    if "Member Ports" not in text:
        raise ValueError("no port-channel table")
    records = ntc_rows("cisco_nxos_show_port-channel_summary.textfsm", text)
    return [(r["bundle_name"], port, flag) for r in records for port, flag in zip(r["member_interface"], r["member_interface_status"])]


def _lacp_partners(text: str, command: str, warnings: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """``show lacp neighbor`` text: port-channel -> member -> the partner's system id, priority,
    port and key. No ntc-templates template reads it; its ``| json`` keys are documented nowhere
    public, so the JSON form is reported rather than guessed at."""
    if is_json(text):
        warnings.append(f"{command}: the JSON form is not read; save the text output of `{command}`")
        return {}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    channel: str | None = None
    last: dict[str, Any] | None = None
    for line in text.splitlines():
        head = _CHANNEL_HEAD.match(line)
        partner = _PARTNER_ROW.match(line)
        detail = _PARTNER_DETAIL.match(line)
        if head:
            channel = _long_name(head.group(1))
        elif partner and channel:
            mac = lacp_mac(partner.group(3))
            last = {"partner_system_id": mac, "partner_system_priority": number(partner.group(2)) if mac else None, "partner_port": number(partner.group(4)) if mac else None}
            out.setdefault(channel, {})[_long_name(partner.group(1)) or ""] = last
        elif detail and last is not None:
            if last["partner_system_id"]:
                last["partner_key"] = number(detail.group(2))
            last = None
    if not out and "neighbors" not in text:
        warnings.append(f"{command}: no LACP neighbor in the output")
    return out
