"""Arista EOS MLAG.

One render variant (``default``): the ``show running-config`` rendering of EOS 4.2x-4.3x, three
spaces of indentation, ``!`` between blocks, blocks in the order the device prints them
(``lacp``, ``spanning-tree``, ``vlan``, ``vrf instance``, interfaces as Port-Channel, Ethernet,
Loopback, Management, Vlan, then ``mlag configuration``).

How the neutral model maps onto EOS:

* ``domain_name`` (else the domain's ``name``) is ``mlag configuration`` / ``domain-id``;
  ``PeerConfig.domain_id`` is that string. The integer ``domain_id`` has no EOS counterpart.
* ``peer_vlan`` + ``peer_address``: ``vlan N`` with ``trunk group MLAG`` (named ``MLAG_PEER``
  unless the domain's VLANs name it), ``no spanning-tree vlan-id N``, the SVI ``interface VlanN``
  (``no autostate``, ``ip address``), ``local-interface VlanN`` and ``peer-address`` = the other
  peer's SVI address. The peer-link port-channel carries ``switchport trunk group MLAG``.
* ``keepalive.destination`` / ``vrf``: ``peer-address heartbeat D [vrf V]`` (``vrf instance V``
  is rendered too; ``default`` means the global table). EOS has no heartbeat source command, so
  ``keepalive.source`` only shows in the configuration through an interface: with
  ``keepalive.interface`` + ``prefix_length`` that interface is rendered (``no switchport`` for an
  Ethernet, ``vrf V``, ``ip address``), and the source is the address of the interface in the
  heartbeat VRF whose subnet holds the destination. Projection and parser apply the same rule,
  so a routed heartbeat, or one without ``keepalive.interface``, has source ``None``.
* ``peer_link.vlans`` unset renders no allowed-VLAN line (EOS default: all VLANs, PeerConfig
  ``None``); set, it renders that list plus the peer VLAN, which the peer-link must carry.
* ``timers.restore_delay`` / ``non_mlag_restore_delay``: ``reload-delay mlag`` / ``non-mlag``.
* ``stp.mode``; ``stp.priority`` as ``spanning-tree mst 0 priority`` (mstp or mode unset: EOS
  defaults to mstp), ``spanning-tree priority`` (rstp) or ``spanning-tree vlan-id 1-4094
  priority`` (rapid-pvst).
* ``system.priority``: global ``lacp system-priority``.
* LAGs: ``interface Port-ChannelN`` with ``mlag <id>`` (the number may differ from the id), members
  ``channel-group N mode active|passive|on`` and ``lacp timer fast``; LACP fallback is
  ``port-channel lacp fallback individual`` (+ ``port-channel lacp fallback timeout N``).

Effective values (the device omits these defaults; projection and parser both fill them in):
LACP rate slow, trunk native VLAN 1, access VLAN 1, fallback timeout 90 s, LACP system priority
32768, STP priority 32768, reload delays 300 s (observed on 722XPM and vEOS; the default is
platform dependent and not verified for every model). VLAN 1 without a name and VLAN names equal
to the default ``VLAN0010`` spelling are not printed, so they are not in the PeerConfig either.

The parser reads what devices print, not only these renders: the ``! Command:`` header, unrelated
blocks at any depth, older ``no spanning-tree vlan N`` and ``vrf forwarding V``, a bare
``reload-delay N`` (the MLAG delay), ``switchport trunk allowed vlan add|remove|except|all|none``
continuation lines, VLAN ranges printed as one block (``vlan 4-5,9``), ``lacp timer normal``;
and what configlets say: interface types in any case, abbreviated or spaced (``port-channel10``,
``Po 10``, ``vlan4094``, also after ``peer-link`` and ``local-interface``), ranges and lists of
interfaces (``Ethernet1-2``, ``Ethernet1/1-2,Ethernet2/1``), an address with a mask, IPv6 peer
and SVI addresses. A line of a setting PeerConfig holds, in the MLAG block, the peer-link, an
MLAG port-channel or one of their members, whose form is unknown is kept in ``PeerConfig.unread``.

Rejected, because EOS has no such setting: ``system.mac`` (the MLAG system-id derives from the
primary's MAC), ``role_priority`` (the election is automatic; ``primary-priority`` is a hidden
command), ``peer_gateway``, ``peer_switch``, ``timers.auto_recovery`` / ``auto_recovery_delay``,
``service_id``, ``authentication``, ``chassis_id``, ``admin_key``, ``stp.mlag_mode``,
``stp.bridge_address``. ``PeerConfig.role`` stays ``None``: EOS configures no role.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Interface, ip_address, ip_interface
from typing import Any, NamedTuple

from mlagauto.configtree import child_value, interface_names, top_blocks
from mlagauto.drivers.base import LagView, MlagDriver, vlan_frozenset, vlan_list
from mlagauto.drivers.showtext import is_json, lacp_mac, no_output, number
from mlagauto.model.finding import Severity
from mlagauto.model.intent import Keepalive, MlagDomain, MlagInterface
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

MLAG_TRUNK_GROUP = "MLAG"
"""Trunk group that confines the peer VLAN to the peer-link."""
PEER_VLAN_NAME = "MLAG_PEER"
"""Name of the peer VLAN when the domain's VLANs do not name it."""
DEFAULT_RELOAD_DELAY = 300
DEFAULT_LACP_PRIORITY = 32768
DEFAULT_STP_PRIORITY = 32768
DEFAULT_FALLBACK_TIMEOUT = 90
MAX_FALLBACK_TIMEOUT = 300
MAX_MTU = 9214
ALL_VLANS = frozenset(range(1, 4095))

_LACP_KEYWORD = {"active": "active", "passive": "passive", "static": "on"}
_LACP_MODE = {keyword: mode for mode, keyword in _LACP_KEYWORD.items()}
_INTERFACE_ORDER = {"Port-Channel": 0, "Ethernet": 1, "Loopback": 2, "Management": 3, "Vlan": 4}
"""Interface types in the order ``show running-config`` prints them."""
_DETECT_MARKERS = (
    ("mlag configuration", 5),
    ("peer-address heartbeat", 3),
    ("local-interface Vlan", 3),
    ("! device:", 3),
    ("interface Port-Channel", 2),
    ("switchport trunk group", 2),
    ("no spanning-tree vlan-id", 2),
    ("vrf instance ", 1),
    ("lacp timer ", 1),
)
"""Substrings only EOS prints (NX-OS spells ``port-channel`` in lower case, ``!Command:``
without a space, and has neither trunk groups nor heartbeats)."""


# --- rendering: what the template needs, decided here ------------------------------------------
class VlanBlock(NamedTuple):
    """One ``vlan`` block. EOS prints VLANs with identical settings as one range line
    (``vlan 4-5,9``), so a block may hold several ids. A named tuple: a switch has hundreds of
    them, and a tuple is built several times faster than a frozen dataclass."""

    ids: str
    name: str | None
    trunk_group: str | None


class InterfaceBlock(NamedTuple):
    """One ``interface`` block; the template prints the set fields in the device's line order. A
    named tuple, as ``VlanBlock``."""

    name: str
    description: str | None = None
    mtu: int | None = None
    routed: bool = False
    access_vlan: int | None = None
    native_vlan: int | None = None
    allowed_vlans: str | None = None
    trunk: bool = False
    trunk_group: str | None = None
    channel_group: int | None = None
    channel_mode: str | None = None
    lacp_fast: bool = False
    vrf: str | None = None
    no_autostate: bool = False
    address: str | None = None
    min_links: int | None = None
    fallback: bool = False
    fallback_timeout: int | None = None
    mlag: int | None = None

    @property
    def sort_key(self) -> tuple[int, tuple[int, ...]]:
        return _interface_sort_key(self.name)


def _interface_sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    kind = name.rstrip("0123456789/")
    return _INTERFACE_ORDER[kind], tuple(int(n) for n in name[len(kind) :].split("/"))


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _vrf(name: str | None) -> str | None:
    """``default`` is the global table: EOS prints no ``vrf default``, so it reads as None."""
    return None if name in (None, "default") else name


def _default_vlan_name(vid: int) -> str:
    return "default" if vid == 1 else f"VLAN{vid:04d}"


def _vlan_entries(domain: MlagDomain) -> list[tuple[int, str | None, str | None]]:
    """``(id, name, trunk group)`` of every VLAN block the switch prints, sorted by id: the
    domain's VLANs with default names dropped (VLAN 1 left at its defaults is not printed at all),
    plus the peer VLAN."""
    entries: dict[int, tuple[int, str | None, str | None]] = {}
    for v in domain.vlans:
        name = None if v.name == _default_vlan_name(v.id) else v.name
        if v.id != 1 or name is not None:
            entries[v.id] = (v.id, name, None)
    peer_name = entries.get(domain.effective_peer_vlan, (0, None, None))[1] or PEER_VLAN_NAME
    entries[domain.effective_peer_vlan] = (domain.effective_peer_vlan, peer_name, MLAG_TRUNK_GROUP)
    return [entries[v] for v in sorted(entries)]


def _vlan_blocks(domain: MlagDomain) -> list[VlanBlock]:
    groups: dict[tuple[str | None, str | None], list[int]] = {}
    for vid, name, group in _vlan_entries(domain):
        groups.setdefault((name, group), []).append(vid)
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    # Named VLANs mostly stand alone: a lone id needs no range formatting.
    return [VlanBlock(str(ids[0]) if len(ids) == 1 else format_vlan_list(ids), name, group) for (name, group), ids in ordered]


def _peer_link_vlans(domain: MlagDomain, host: str) -> list[int] | None:
    vlans = domain.peer(host).peer_link.vlans
    return None if vlans is None else sorted({*vlans, domain.effective_peer_vlan})


def _heartbeat_source(ka: Keepalive) -> str | None:
    """The source the configuration shows: the keepalive interface's address, when its subnet
    holds the destination (see the module docstring)."""
    if ka.interface is None or ka.prefix_length is None:
        return None
    on_link = ka.destination in IPv4Interface(f"{ka.source}/{ka.prefix_length}").network
    return str(ka.source) if on_link else None


def _native_vlan(itf: MlagInterface) -> int | None:
    return _or(itf.native_vlan, 1) if itf.mode == "trunk" else None


def _fallback_timeout(itf: MlagInterface) -> int | None:
    return _or(itf.lacp_fallback_timeout, DEFAULT_FALLBACK_TIMEOUT) if itf.lacp_fallback else None


class EosDriver(MlagDriver):
    platform = "arista_eos"
    netmiko_device_type = "arista_eos"
    napalm_driver = "eos"
    commit_style = "session"
    hier_config_platform = "ARISTA_EOS"
    vlan_sets = (re.compile(r"(vlan )([\d,\-]+)()"),)
    """EOS prints VLANs with the same settings as one block (``vlan 150,160``)."""
    owned = (re.compile(r"vlan \d+"),)
    idempotent_lines = ((r"^interface ", r"^switchport trunk allowed vlan "),)
    """``switchport trunk allowed vlan LIST`` replaces the list (hier_config's EOS driver has no
    rule for it; its NX-OS driver has)."""
    state_commands = ("show mlag detail | json", "show mlag interfaces | json", "show mlag config-sanity | json", "show lacp neighbor | json")
    """JSON over the CLI session, read in this order by ``parse_state``: the pair, its MLAG ports,
    the peers' configuration comparison (EOS's own consistency check) and the LACP partner each
    member sees. ``parse_state`` reads the text of each command as well."""
    port_template = "Ethernet{n}"
    management_interface = "Management1"
    value_ranges = {"mlag_interfaces[].lacp_fallback_timeout": (0, MAX_FALLBACK_TIMEOUT), "mlag_interfaces[].mtu": (576, MAX_MTU)}
    numbers_domain = False
    domain_id_range = (1, 65535)
    """Unused by EOS (``domain-id`` is a string); kept wide so any inventory id passes."""
    mlag_id_range = (1, 2000)
    port_channel_range = (1, 2000)
    name_pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
    """VLAN names, VRFs and the domain-id: one word, at most 32 characters (EOS VLAN names)."""
    interface_pattern = re.compile(r"Ethernet[1-9]\d*(/[1-9]\d*){0,2}")
    """``Ethernet1``, ``Ethernet1/1`` (modules or breakouts), ``Ethernet3/1/1`` (modular with
    breakout); never abbreviated, never zero."""
    keepalive_interface_pattern = re.compile(r"Ethernet[1-9]\d*(/[1-9]\d*){0,2}|Management\d(/[1-9]\d*)?|Loopback\d{1,4}|Vlan([1-9]\d{0,2}|[1-3]\d{3}|40[0-8]\d|409[0-4])")
    """Routed Ethernet, Management, Loopback or SVI, spelled as the running config prints them."""
    description_max = 240
    description_forbidden = "?"
    """``?`` asks the CLI for help when a description is typed or pasted over SSH."""
    uses_peer_vlan = True
    peer_address_on_link = True
    severities = {
        "keepalive-missing": Severity.INFO,
        "system-identity": Severity.WARNING,
        "live-consistency": Severity.WARNING,
        "live-interfaces.consistency": Severity.WARNING,
    }
    unsupported = {
        "system.mac": "EOS has no system MAC setting: the MLAG system-id is derived from the primary's bridge MAC",
        "peer_gateway": "EOS MLAG has no peer-gateway option",
        "peer_switch": "EOS has no peer-switch option: the primary always runs STP for the pair",
        "timers.auto_recovery": "EOS has no auto-recovery setting: MLAG ports come up when reload-delay expires, peer or not",
        "timers.auto_recovery_delay": "EOS has no auto-recovery delay; use timers.restore_delay (reload-delay mlag)",
        "service_id": "service-id is a Junos setting; EOS MLAG has none",
        "authentication": "EOS MLAG has no peer authentication",
        "stp.mlag_mode": "the M-LAG STP mode is a Huawei setting; EOS runs STP from the primary",
        "stp.bridge_address": "EOS has no shared STP bridge address setting",
        "peers[].role_priority": "EOS elects the MLAG primary itself; there is no configurable role priority",
        "peers[].chassis_id": "chassis-id is a Junos MC-AE setting; EOS has none",
        "mlag_interfaces[].admin_key": "the LACP admin-key is a Junos setting; EOS derives the key from the port-channel",
    }
    """Options of the neutral model EOS does not have."""
    import_blocks = (re.compile(r"mlag configuration"),)
    import_modelled = tuple(
        re.compile(p) for p in (r"domain-id ", r"local-interface ", r"peer-address ", r"peer-link ", r"reload-delay (mlag |non-mlag )?\d+$", r"(no )?shutdown$")
    )
    """``mlag configuration`` lines the model holds; ``dual-primary detection``,
    ``heartbeat-interval`` and the like are reported by an import."""

    def lag_name(self, number: int) -> str:
        return f"Port-Channel{number}"

    def domain_identity(self, value: str) -> dict[str, Any]:
        """EOS names the domain by a string (``domain-id``) and has no domain number: the string
        is the intent's ``domain_name``, and ``domain_id`` is 1, which EOS never shows."""
        return {"domain_id": 1, "domain_name": value}

    # --- validation ----------------------------------------------------------------------
    def validate_platform(self, domain: MlagDomain) -> list[Problem]:
        """EOS peer-VLAN, token, range and addressing rules; options EOS lacks are in ``unsupported``."""
        return self._peer_vlan_rules(domain) + self._token_rules(domain) + self._keepalive_rules(domain) + self._lag_rules(domain)

    def _peer_vlan_rules(self, domain: MlagDomain) -> list[Problem]:
        """The peer VLAN carries only the control session, so it cannot be the default VLAN."""
        if domain.effective_peer_vlan == 1:
            return [Problem("peer_vlan", "VLAN 1 is every switchport's default VLAN; the MLAG peer VLAN must be a dedicated VLAN")]
        return []

    def _token_rules(self, domain: MlagDomain) -> list[Problem]:
        out = []
        if domain.domain_name is None:
            out += [Problem("name", f"used as the EOS domain-id (no domain_name set): {p.message}") for p in self._check_name("name", domain.name)]
        texts = [(f"mlag_interfaces[{k}].description", None, itf.description) for k, itf in enumerate(domain.mlag_interfaces)]
        texts += [("peer_link.description", p.hostname, p.peer_link.description) for p in domain.peers]
        for name, host, text in texts:
            if text is not None and not text.isascii():
                out.append(Problem(name, "EOS descriptions take ASCII characters only", host=host))
        return out

    def _keepalive_rules(self, domain: MlagDomain) -> list[Problem]:
        out = []
        for p in domain.peers:
            ka = p.keepalive
            if ka.interface == f"Vlan{domain.effective_peer_vlan}":
                out.append(Problem("keepalive.interface", "is the peer-VLAN SVI; the heartbeat must not ride the peer-link", host=p.hostname))
            if ka.prefix_length is not None and ka.prefix_length < 31:
                net = IPv4Interface(f"{ka.source}/{ka.prefix_length}").network
                if ka.source in (net.network_address, net.broadcast_address):
                    out.append(Problem("keepalive.source", f"is the network or broadcast address of {net}", host=p.hostname))
        return out

    def _lag_rules(self, domain: MlagDomain) -> list[Problem]:
        out = []
        for k, itf in enumerate(domain.mlag_interfaces):
            if itf.lacp_fallback_timeout is not None and itf.lacp_fallback_timeout > MAX_FALLBACK_TIMEOUT:
                out.append(Problem(f"mlag_interfaces[{k}].lacp_fallback_timeout", f"EOS takes 0-{MAX_FALLBACK_TIMEOUT} seconds"))
            if itf.mtu is not None and itf.mtu > MAX_MTU:
                out.append(Problem(f"mlag_interfaces[{k}].mtu", f"EOS interfaces take an MTU of at most {MAX_MTU}"))
        return out

    # --- rendering -----------------------------------------------------------------------
    def context(self, domain: MlagDomain, host: str) -> dict[str, Any]:
        """Adds the EOS blocks: VLAN blocks grouped as EOS prints them, the interfaces in device
        order with every default already left out, and the values the device omits as None."""
        ctx = super().context(domain, host)
        me = domain.peer(host)
        ctx.update(
            lacp_system_priority=None if domain.system.priority in (None, DEFAULT_LACP_PRIORITY) else domain.system.priority,
            stp_priority=None if domain.stp.priority in (None, DEFAULT_STP_PRIORITY) else domain.stp.priority,
            vlan_blocks=_vlan_blocks(domain),
            heartbeat_vrf=_vrf(me.keepalive.vrf),
            local_interface=f"Vlan{domain.effective_peer_vlan}",
            interfaces=sorted(self._interfaces(domain, host, ctx["lags"]), key=lambda i: i.sort_key),
        )
        return ctx

    def _interfaces(self, domain: MlagDomain, host: str, lags: list[LagView]) -> list[InterfaceBlock]:
        me = domain.peer(host)
        pl = me.peer_link
        peer_link_vlans = _peer_link_vlans(domain, host)
        blocks = [
            InterfaceBlock(
                self.lag_name(pl.port_channel),
                description=pl.description,
                allowed_vlans=None if peer_link_vlans is None else format_vlan_list(peer_link_vlans),
                trunk=True,
                trunk_group=MLAG_TRUNK_GROUP,
            ),
            InterfaceBlock(f"Vlan{domain.effective_peer_vlan}", no_autostate=True, address=str(me.peer_address)),
        ]
        blocks += [InterfaceBlock(m, description=pl.description, channel_group=pl.port_channel, channel_mode="active") for m in pl.members]
        for lag in lags:
            blocks.append(self._lag_block(lag))
            itf = lag.intent
            blocks += [
                InterfaceBlock(m, description=itf.description, channel_group=lag.port_channel, channel_mode=_LACP_KEYWORD[itf.lacp_mode], lacp_fast=itf.lacp_rate == "fast")
                for m in lag.members
            ]
        ka = me.keepalive
        if ka.interface is not None and ka.prefix_length is not None:
            blocks.append(InterfaceBlock(ka.interface, routed=ka.interface.startswith("Ethernet"), vrf=_vrf(ka.vrf), address=f"{ka.source}/{ka.prefix_length}"))
        return blocks

    def _lag_block(self, lag: LagView) -> InterfaceBlock:
        itf = lag.intent
        trunk = itf.mode == "trunk"
        return InterfaceBlock(
            lag.name,
            description=itf.description,
            mtu=itf.mtu,
            access_vlan=None if trunk or itf.vlans[0] == 1 else itf.vlans[0],
            native_vlan=None if itf.native_vlan in (None, 1) else itf.native_vlan,
            allowed_vlans=format_vlan_list(itf.vlans) if trunk else None,
            trunk=trunk,
            min_links=itf.min_links,
            fallback=itf.lacp_fallback,
            fallback_timeout=None if itf.lacp_fallback_timeout in (None, DEFAULT_FALLBACK_TIMEOUT) else itf.lacp_fallback_timeout,
            mlag=lag.mlag_id,
        )

    # --- projection ------------------------------------------------------------------------
    def projected_domain_id(self, domain: MlagDomain) -> str:
        """EOS names the domain (``domain-id NAME``)."""
        return domain.effective_domain_name

    def projected_vlans(self, domain: MlagDomain) -> list[tuple[int, str | None]]:
        """The VLAN blocks EOS prints (``_vlan_entries``), the peer VLAN among them."""
        return [(vid, name) for vid, name, _ in _vlan_entries(domain)]

    def peer_config(self, domain: MlagDomain, host: str) -> PeerConfig:
        """The generic projection with EOS's effective values (see the module docstring)."""
        base = super().peer_config(domain, host)
        me = domain.peer(host)
        return base.model_copy(
            update={
                "system_priority": _or(domain.system.priority, DEFAULT_LACP_PRIORITY),
                "local_interface": f"Vlan{domain.effective_peer_vlan}",
                "peer_vlan": domain.effective_peer_vlan,
                "keepalive": KeepaliveConfig(
                    source=_heartbeat_source(me.keepalive), destination=str(me.keepalive.destination), vrf=_vrf(me.keepalive.vrf)
                ),
                "peer_link": PeerLinkConfig(
                    interface=self.lag_name(me.peer_link.port_channel),
                    members=sorted(me.peer_link.members),
                    vlans=_peer_link_vlans(domain, host),
                    lacp_mode="active",
                    description=me.peer_link.description,
                ),
                "stp": StpConfig(mode=domain.stp.mode, priority=_or(domain.stp.priority, DEFAULT_STP_PRIORITY)),
                "timers": TimersConfig(
                    restore_delay=_or(domain.timers.restore_delay, DEFAULT_RELOAD_DELAY),
                    non_mlag_restore_delay=_or(domain.timers.non_mlag_restore_delay, DEFAULT_RELOAD_DELAY),
                ),
            }
        )

    def interface_config(self, domain: MlagDomain, host: str, lag: LagView) -> MlagInterfaceConfig:
        itf = lag.intent
        return super().interface_config(domain, host, lag).model_copy(
            update={"native_vlan": _native_vlan(itf), "lacp_fallback_timeout": _fallback_timeout(itf)}
        )

    # --- parsing ---------------------------------------------------------------------------
    def _parse_config(self, text: str, hostname: str | None) -> PeerConfig:
        """``show running-config`` -> PeerConfig."""
        return _Parser(text).result(self.platform, hostname)

    @classmethod
    def detect(cls, text: str) -> int:
        if not isinstance(text, str):
            return 0
        return sum(weight for marker, weight in _DETECT_MARKERS if marker in text)

    # --- live state ------------------------------------------------------------------------
    def parse_state(self, outputs: dict[str, str], hostname: str | None = None) -> PeerState:
        """The outputs of ``state_commands``, JSON or text, -> PeerState (see ``_eos_state``).
        Never raises: a missing or unreadable output is a warning, and the fields it would have
        filled stay None."""
        try:
            return _eos_state(self.platform, hostname, [(command, outputs.get(command)) for command in self.state_commands])
        except Exception as exc:  # noqa: BLE001 - validation must report unreadable output, not crash
            return PeerState(platform=self.platform, hostname=hostname, warnings=[f"unreadable EOS MLAG state: {type(exc).__name__}: {exc}"])


# --- parsing ---------------------------------------------------------------------------------------
@dataclass
class _Interface:
    """What one ``interface`` block says, in effective terms where EOS omits defaults."""

    name: str
    description: str | None = None
    mtu: int | None = None
    switchport: bool = True
    mode: str = "access"
    access_vlan: int = 1
    native_vlan: int | None = 1
    allowed: set[int] | None = None
    """None while the block has no allowed-VLAN line (all VLANs)."""
    channel_group: int | None = None
    channel_mode: str | None = None
    lacp_rate: str = "slow"
    vrf: str | None = None
    address: str | None = None
    ipv6_address: str | None = None
    min_links: int | None = None
    fallback: bool = False
    fallback_timeout: int | None = None
    mlag: int | None = None
    failed: tuple[tuple[str, str], ...] = ()
    """Lines of a setting this parser reads, in a form it does not know, and why (a tuple, so an
    interface costs no list until one fails)."""

    def in_mlag(self) -> bool:
        """An MLAG port-channel, or one whose ``mlag`` line could not be read."""
        return self.mlag is not None or any(text.startswith("mlag") for text, _ in self.failed)

    def address_for(self, peer: str | None) -> str | None:
        """The address of the family of ``peer`` (``ipv6 address`` where the peer is IPv6)."""
        return self.ipv6_address if peer is not None and ":" in peer else self.address


@dataclass
class _Mlag:
    """The ``mlag configuration`` block; delays kept as printed (``infinity`` is not a number)."""

    domain_id: str | None = None
    local_interface: str | None = None
    peer_address: str | None = None
    heartbeat: str | None = None
    heartbeat_vrf: str | None = None
    peer_link: str | None = None
    reload_delay: str | None = None
    non_mlag_reload_delay: str | None = None
    shutdown: bool = False
    unread: list[str] = field(default_factory=list)


@dataclass
class _Stp:
    mode: str | None = None
    rstp: int | None = None
    mst0: int | None = None
    pvst: int | None = None

    def priority(self) -> int | None:
        """The bridge priority of the configured mode's instance, else any one printed."""
        chosen = {"rstp": self.rstp, "rapid-pvst": self.pvst}.get(self.mode or "", self.mst0)
        for value in (chosen, self.mst0, self.rstp, self.pvst):
            if value is not None:
                return value
        return None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _vlan_id(text: str) -> int:
    value = _int(text)
    if value is None or not 1 <= value <= 4094:
        raise ValueError(f"{text!r} is not a VLAN id")
    return value


def _pc_number(name: str) -> int | None:
    return _int(name[len("Port-Channel") :]) if name.startswith("Port-Channel") else None


_EOS_TYPES = (
    ("ethernet", "Ethernet", 2),
    ("port-channel", "Port-Channel", 2),
    ("vlan", "Vlan", 2),
    ("management", "Management", 2),
    ("loopback", "Loopback", 2),
)
"""Interface types whose names the MLAG parser compares: the type in lower case, as show
running-config prints it, and the shortest abbreviation EOS takes (``Et``, ``Po``, ``Vl``)."""


def _interface_name(text: str) -> str:
    """One interface as show running-config spells it: EOS takes the type in any case,
    abbreviated or followed by a space (``port-channel10``, ``Po 10``, ``vlan4094``); a name
    of another type stays as written."""
    names = _interface_names(text)
    return names[0] if len(names) == 1 else text


def _printed_name(spec: str) -> bool:
    """True for one interface spelt as show running-config prints it (no range, list or space),
    of a type that does not need rewriting."""
    return spec.startswith(("Ethernet", "Port-Channel", "Vlan", "Management", "Loopback")) and "-" not in spec[5:] and "," not in spec and " " not in spec


def _interface_names(spec: str) -> list[str]:
    """Every interface an ``interface`` line names (``configtree.interface_names``); a type
    the parser does not compare stays as written. Raises on a range that runs backwards."""
    if _printed_name(spec):
        return [spec]
    return interface_names(spec, _EOS_TYPES, keep_unknown=True)




def _ipv4_address(words: list[str]) -> str | None:
    """``A.B.C.D/len``, or ``A.B.C.D M.M.M.M`` (EOS takes a mask and prints the length) as
    ``A.B.C.D/len``; None for other forms (``dhcp``, ``virtual A.B.C.D/len``)."""
    if len(words) == 1:
        return words[0] if "/" in words[0] else None
    if words[0][:1].isdigit() and words[1][:1].isdigit() and "/" not in words[0] + words[1]:
        return str(IPv4Interface(f"{words[0]}/{words[1]}"))
    return None


def _address(text: str) -> str:
    """An IPv4 or IPv6 address as written; raises on anything else."""
    ip_address(text)
    return text


def _mlag_line(m: _Mlag, head: str, rest: str, words: list[str]) -> bool:
    """Read one line of ``mlag configuration``; False for a known keyword in an unknown form."""
    if head == "domain-id":
        m.domain_id = rest or None
        return bool(rest)
    if head == "local-interface":
        m.local_interface = _interface_name(rest) if rest else None
        return bool(rest)
    if head == "peer-address" and words[:1] == ["heartbeat"]:
        if len(words) not in (2, 4) or (len(words) == 4 and words[2] != "vrf"):
            return False
        m.heartbeat = _address(words[1])
        m.heartbeat_vrf = _vrf(words[3]) if len(words) == 4 else None
    elif head == "peer-address":
        if len(words) != 1:
            return False
        m.peer_address = _address(words[0])
    elif head == "peer-link":
        m.peer_link = _interface_name(rest) if rest else None
        return bool(rest)
    elif head == "reload-delay":
        return _reload_delay(m, words)
    elif head == "shutdown" and not rest:
        m.shutdown = True
    elif head == "no" and rest == "shutdown":
        m.shutdown = False
    return True


def _reload_delay(m: _Mlag, words: list[str]) -> bool:
    """``reload-delay [mlag] N|infinity`` and ``reload-delay non-mlag N|infinity``; ``reload-delay
    mode ...`` is not a delay."""
    if words[:1] == ["mode"]:
        return True
    if len(words) == 2 and words[0] == "non-mlag":
        m.non_mlag_reload_delay = words[1]
    elif len(words) == 1 or (len(words) == 2 and words[0] == "mlag"):
        m.reload_delay = words[-1]
    else:
        return False
    return True


class _Parser:
    """One pass over the tree's top-level blocks, then an assembly step over dictionaries (no
    block is searched twice, so the cost grows linearly with the configuration)."""

    def __init__(self, text: str):
        self.hostname: str | None = None
        self.interfaces: dict[str, _Interface] = {}
        self.vlans: dict[int, str | None] = {}
        self.mlag: _Mlag | None = None
        self.stp = _Stp()
        self.lacp_priority: int | None = None
        self.warnings: list[str] = []
        for head, children in top_blocks(text):
            self._top(head, children)

    # reading ------------------------------------------------------------------------------
    def _top(self, text: str, children: list[str]) -> None:
        head, _, rest = text.partition(" ")
        if head == "interface" and rest:
            self._interface(rest, children)
        elif head == "vlan" and rest and " " not in rest:
            self._vlan(rest, children)
        elif text in ("mlag configuration", "mlag"):
            self.mlag = self._mlag(children)
        elif head == "spanning-tree":
            self._spanning_tree(rest.split())
        elif head == "hostname" and rest:
            self.hostname = rest
        elif head == "lacp" and rest.startswith("system-priority "):
            self.lacp_priority = _int(rest[len("system-priority ") :])

    def _interface(self, spec: str, children: list[str]) -> None:
        """Apply an ``interface`` block to every interface it names. An interface named by
        several blocks (a configlet setting a range, then one port) takes the lines of all."""
        if _printed_name(spec) and spec not in self.interfaces:  # the one-interface block show run prints
            self.interfaces[spec] = self._read_interface(_Interface(spec), children)
            return
        try:
            names = _interface_names(spec)
        except ValueError as exc:
            self.warnings.append(f"interface {spec}: {exc}")
            return
        for name in names:
            self.interfaces[name] = self._read_interface(self.interfaces.get(name) or _Interface(name), children)

    def _read_interface(self, itf: _Interface, children: list[str]) -> _Interface:
        for line in children:
            try:
                self._interface_line(itf, line)
            except (ValueError, IndexError) as exc:
                itf.failed += ((line, str(exc) or type(exc).__name__),)
        return itf

    def _interface_line(self, itf: _Interface, line: str) -> None:
        head, _, rest = line.partition(" ")
        words = rest.split()
        if head == "description":
            itf.description = rest.strip()
        elif head == "mtu":
            itf.mtu = _int(rest)
            if itf.mtu is None:
                raise ValueError("mtu is a number of bytes")
        elif head == "switchport":
            self._switchport(itf, words)
        elif line == "no switchport":
            itf.switchport = False
        elif head == "channel-group":
            group = _int(words[0]) if len(words) == 3 and words[1] == "mode" and words[2] in _LACP_MODE else None
            if group is None:
                raise ValueError("expected channel-group N mode active|passive|on")
            itf.channel_group, itf.channel_mode = group, words[2]
        elif head == "lacp" and words[:1] in (["timer"], ["rate"]) and words[1:2] != ["multiplier"]:
            if len(words) != 2 or words[1] not in ("fast", "normal", "slow"):
                raise ValueError("expected lacp timer fast|normal")
            itf.lacp_rate = "fast" if words[1] == "fast" else "slow"
        elif head == "vrf" and words:
            itf.vrf = _vrf(words[-1])
        elif head == "ip" and words[:1] == ["address"] and len(words) in (2, 3) and words[-1] != "secondary":
            itf.address = _ipv4_address(words[1:]) or itf.address
        elif head == "ipv6" and words[:1] == ["address"] and len(words) == 2 and "/" in words[1]:
            itf.ipv6_address = words[1]
        elif head == "port-channel":
            self._port_channel(itf, words)
        elif head == "mlag":
            itf.mlag = _int(words[0]) if len(words) == 1 else None
            if itf.mlag is None:
                raise ValueError("expected mlag N")

    @staticmethod
    def _switchport(itf: _Interface, words: list[str]) -> None:
        if words[:1] == ["mode"] and len(words) == 2:
            itf.mode = words[1]
        elif words[:2] == ["access", "vlan"] and len(words) == 3:
            itf.access_vlan = _vlan_id(words[2])
        elif words[:3] == ["trunk", "native", "vlan"] and len(words) == 4:
            itf.native_vlan = None if words[3] == "tag" else _vlan_id(words[3])
        elif words[:3] == ["trunk", "allowed", "vlan"] and len(words) > 3:
            itf.allowed = _allowed(itf.allowed, words[3:])

    @staticmethod
    def _port_channel(itf: _Interface, words: list[str]) -> None:
        if words[:1] == ["min-links"] and len(words) == 2:
            itf.min_links = _int(words[1]) or None
        elif words[:3] == ["lacp", "fallback", "timeout"]:
            if len(words) != 4 or _int(words[3]) is None:
                raise ValueError("expected port-channel lacp fallback timeout N")
            itf.fallback_timeout = _int(words[3])
        elif words[:2] == ["lacp", "fallback"]:
            if len(words) != 3 or words[2] not in ("individual", "static"):
                raise ValueError("expected port-channel lacp fallback individual|static")
            itf.fallback = True

    def _vlan(self, ids: str, children: list[str]) -> None:
        try:
            vids = vlan_list(ids)
        except ValueError:
            return
        name = child_value(children, "name") or None
        for vid in vids:
            self.vlans[vid] = name

    @staticmethod
    def _mlag(children: list[str]) -> _Mlag:
        """The ``mlag configuration`` block. A line of a setting PeerConfig holds, in a form EOS
        does not document, goes to ``unread``; other settings (``heartbeat-interval``,
        ``dual-primary ...``, ``reload-delay mode ...``) are passed over."""
        m = _Mlag()
        for line in children:
            head, _, rest = line.partition(" ")
            try:
                if not _mlag_line(m, head, rest, rest.split()):
                    m.unread.append(line)
            except ValueError:
                m.unread.append(line)
        return m

    def _spanning_tree(self, words: list[str]) -> None:
        if words[:1] == ["mode"] and len(words) == 2:
            self.stp.mode = words[1]
        elif words[:1] == ["priority"] and len(words) == 2:
            self.stp.rstp = _int(words[1])
        elif words[:2] == ["mst", "0"] and words[2:3] == ["priority"] and len(words) == 4:
            self.stp.mst0 = _int(words[3])
        elif words[:1] in (["vlan-id"], ["vlan"]) and words[2:3] == ["priority"] and len(words) == 4 and self.stp.pvst is None:
            self.stp.pvst = _int(words[3])

    # assembling ----------------------------------------------------------------------------
    def result(self, platform: str, hostname: str | None) -> PeerConfig:
        """The PeerConfig, validated once: LAGs and VLANs go in as plain dicts, so pydantic builds
        the nested models without a Python call for each of them."""
        members: dict[int, list[_Interface]] = {}
        for itf in self.interfaces.values():
            if itf.channel_group is not None and itf.name.startswith("Ethernet"):
                members.setdefault(itf.channel_group, []).append(itf)
        lags = []
        for itf in self.interfaces.values():
            number = _pc_number(itf.name)
            if itf.mlag is not None and number is not None:
                lags.append(self._lag(itf, itf.mlag, members.get(number, [])))
        fields: dict[str, Any] = {
            "platform": platform,
            "hostname": self.hostname or hostname,
            "mlag_interfaces": sorted(lags, key=lambda i: i["mlag_id"]),
            "vlans": [{"id": vid, "name": self.vlans[vid]} for vid in sorted(self.vlans)],
            "stp": StpConfig(mode=self.stp.mode, priority=self.stp.priority()),
            "system_priority": self.lacp_priority,
        }
        if self.mlag is None:
            self.warnings.append("no 'mlag configuration' block: this switch is not configured as an MLAG peer")
        else:
            fields.update(self._mlag_fields(fields["stp"], self.mlag, members))
        fields["unread"] = self._unread(members)
        return PeerConfig(**fields, warnings=self.warnings)

    def _unread(self, members: dict[int, list[_Interface]]) -> list[str]:
        """The lines that could not be read in ``mlag configuration``, the peer-link, an MLAG
        port-channel or one of their members: MLAG statements whose form is unknown, so the rules
        must not report their setting missing. A line that could not be read elsewhere is a
        plain warning."""
        unread = list(self.mlag.unread) if self.mlag else []
        failing = [itf for itf in self.interfaces.values() if itf.failed]
        if not failing:
            return unread
        peer_link = self.mlag.peer_link if self.mlag else None
        groups = {_pc_number(itf.name) for itf in self.interfaces.values() if itf.name == peer_link or itf.in_mlag()} - {None}
        for itf in failing:
            relevant = itf.name == peer_link or itf.in_mlag() or itf.channel_group in groups
            if relevant or any(text.startswith("channel-group") for text, _ in itf.failed):
                unread += [text for text, _ in itf.failed]
            else:
                self.warnings += [f"interface {itf.name}: cannot read {text!r}: {reason}" for text, reason in itf.failed]
        return unread

    def _mlag_fields(self, stp: StpConfig, m: _Mlag, members: dict[int, list[_Interface]]) -> dict[str, Any]:
        """The MLAG domain settings, with EOS's defaults for what the block leaves out."""
        if m.shutdown:
            self.warnings.append("mlag configuration is shut down: MLAG is disabled on this switch")
        required = {"domain-id": m.domain_id, "local-interface": m.local_interface, "peer-address": m.peer_address, "peer-link": m.peer_link}
        missing = [keyword for keyword, value in required.items() if value is None and not any(line.startswith(keyword) for line in m.unread)]
        if missing:
            self.warnings.append(f"mlag configuration lacks {', '.join(missing)}: MLAG cannot become active")
        local = self.interfaces.get(m.local_interface or "")
        peer_vlan = _int(m.local_interface[len("Vlan") :]) if m.local_interface and m.local_interface.startswith("Vlan") else None
        return {
            "domain_id": m.domain_id,
            "system_priority": _or(self.lacp_priority, DEFAULT_LACP_PRIORITY),
            "local_interface": m.local_interface,
            "local_address": local.address_for(m.peer_address) if local else None,
            "peer_address": m.peer_address,
            "peer_vlan": peer_vlan,
            "keepalive": self._keepalive(m),
            "peer_link": self._peer_link(m.peer_link, members),
            "stp": stp.model_copy(update={"priority": _or(stp.priority, DEFAULT_STP_PRIORITY)}),
            "timers": TimersConfig(restore_delay=self._delay(m.reload_delay), non_mlag_restore_delay=self._delay(m.non_mlag_reload_delay)),
        }

    def _delay(self, printed: str | None) -> int | None:
        if printed is None:
            return DEFAULT_RELOAD_DELAY
        value = _int(printed)
        if value is None:
            self.warnings.append(f"reload-delay {printed!r} is not a number of seconds")
        return value

    def _keepalive(self, m: _Mlag) -> KeepaliveConfig | None:
        if m.heartbeat is None:
            return None
        return KeepaliveConfig(source=self._heartbeat_source(m), destination=m.heartbeat, vrf=m.heartbeat_vrf)

    def _heartbeat_source(self, m: _Mlag) -> str | None:
        """The address of the interface in the heartbeat's VRF whose subnet holds the destination
        (never the peer-VLAN SVI: that is the control session, not the heartbeat)."""
        try:
            dest = ip_address(m.heartbeat or "")
        except ValueError:
            return None
        for itf in self.interfaces.values():
            address = itf.address_for(m.heartbeat)
            if address is None or itf.name == m.local_interface or itf.vrf != m.heartbeat_vrf:
                continue
            try:
                addr = ip_interface(address)
            except ValueError:
                continue
            if dest in addr.network:
                return str(addr.ip)
        return None

    def _peer_link(self, name: str | None, members: dict[int, list[_Interface]]) -> PeerLinkConfig | None:
        if name is None:
            return None
        number = _pc_number(name)
        mine = sorted(members.get(number, []) if number is not None else [], key=lambda i: i.name)
        itf = self.interfaces.get(name)
        allowed = itf.allowed if itf else None
        return PeerLinkConfig(
            interface=name,
            members=[i.name for i in mine],
            vlans=None if allowed is None or allowed == ALL_VLANS else sorted(allowed),
            lacp_mode=self._members_value(name, [_LACP_MODE.get(i.channel_mode or "", i.channel_mode) for i in mine]),
            description=itf.description if itf else None,
        )

    def _lag(self, itf: _Interface, mlag_id: int, members: list[_Interface]) -> dict[str, Any]:
        """The fields of one ``MlagInterfaceConfig``."""
        mine = sorted(members, key=lambda i: i.name)
        trunk = itf.mode == "trunk"
        if not itf.switchport:
            mode, vlans = "routed", []
        elif trunk:
            mode, vlans = "trunk", sorted(ALL_VLANS if itf.allowed is None else itf.allowed)
        else:
            mode, vlans = itf.mode, [itf.access_vlan] if itf.mode == "access" else []
        return {
            "mlag_id": mlag_id,
            "interface": itf.name,
            "description": itf.description,
            "members": [i.name for i in mine],
            "lacp_mode": self._members_value(itf.name, [_LACP_MODE.get(i.channel_mode or "", i.channel_mode) for i in mine]),
            "lacp_rate": self._members_value(itf.name, [i.lacp_rate for i in mine]),
            "mode": mode,
            "vlans": vlans,
            "native_vlan": itf.native_vlan if trunk and itf.switchport else None,
            "mtu": itf.mtu,
            "min_links": itf.min_links,
            "lacp_fallback": itf.fallback,
            "lacp_fallback_timeout": _or(itf.fallback_timeout, DEFAULT_FALLBACK_TIMEOUT) if itf.fallback else None,
        }

    def _members_value(self, lag: str, values: list[str | None]) -> str | None:
        """One value for the LAG from its members (sorted by name); mixed values are reported."""
        if not values:
            return None
        if len(set(values)) > 1:
            self.warnings.append(f"{lag}: members disagree ({', '.join(sorted(str(v) for v in set(values)))}); reporting the first member's")
        return values[0]


def _allowed(current: set[int] | None, words: list[str]) -> set[int]:
    """Apply one ``switchport trunk allowed vlan`` line; EOS continues long lists with ``add``."""
    op, args = words[0], " ".join(words[1:])
    if op == "add":
        return set((ALL_VLANS if current is None else current) | vlan_frozenset(args))
    if op == "remove":
        return set((ALL_VLANS if current is None else current) - vlan_frozenset(args))
    if op == "except":
        return set(ALL_VLANS - vlan_frozenset(args))
    if op == "all":
        return set(ALL_VLANS)
    if op == "none":
        return set()
    return set(vlan_frozenset(" ".join(words)))


# --- live state ------------------------------------------------------------------------------------
_EOS_ACTIVE_PORT = ("active-full", "active-partial")
"""``show mlag interfaces`` states in which the port forwards as half of an MLAG."""
_EOS_NO_STATUS = ("", "n/a", "-", "unknown")
"""Status words EOS prints where it has no status to give (no such half, peer not connected)."""
_EOS_FIELD = re.compile(r"^\s*([A-Za-z][\w ()/-]*?)\s*:\s*(.*?)\s*$")
_EOS_DETAIL_KEYS = {
    "domain-id": "domainId",
    "local-interface": "localInterface",
    "peer-address": "peerAddress",
    "peer-link": "peerLink",
    "peer-config": "configSanity",
    "state": "state",
    "negotiation status": "negStatus",
    "peer-link status": "peerLinkStatus",
    "local-int status": "localIntfStatus",
    "system-id": "systemId",
}
"""``show mlag detail`` text labels (above ``MLAG Detailed Status``) -> its JSON keys."""
_EOS_DETAILED_KEYS = {"state": "mlagState", "peer state": "peerMlagState", "udp heartbeat alive": "udpHeartbeatAlive"}
"""Labels of the ``MLAG Detailed Status`` block -> the keys of the JSON's ``detail`` object."""
_EOS_WORDS = ("state", "negStatus", "peerLinkStatus", "localIntfStatus", "configSanity", "mlagState", "peerMlagState")
"""Keys whose text value EOS capitalises (``Active``, ``Connected``) and the JSON prints in lower case."""
_EOS_PORT_ROW = re.compile(r"^\s*(\d+)\s+(?:.*\s)?(active-full|active-partial|inactive|disabled|configured)\s+(\S+)\s+(\S+)\s+([^/\s]+)/(\S+)\s*$")
"""A ``show mlag interfaces`` row: id, description (any words), state, local, remote, status."""
_EOS_LACP_CHANNEL = re.compile(r"^\s*Port Channel (Port-Channel\d+)\*?:\s*$")
_EOS_LACP_ROW = re.compile(r"^\s*(Et\S+)\s+(\S+)\s*\|\s*([0-9A-Fa-f]{1,4},[0-9A-Fa-f:.\-]+)\s+(\d+)\s+\S+\s+(0x[0-9A-Fa-f]+|\d+)\s+(\d+)\s*$")
"""A ``show lacp neighbor`` row: port, status, partner ``priority,system-id``, port, state, key,
port priority."""


def _eos_state(platform: str, hostname: str | None, outputs: list[tuple[str, str | None]]) -> PeerState:
    """PeerState from ``show mlag detail``, ``show mlag interfaces``, ``show mlag config-sanity``
    and ``show lacp neighbor`` (in that order, as ``(command, output)``), each the JSON or the
    text: the text is read into the keys of the JSON, so both give the same PeerState.

    EOS says ``state`` ``active`` / ``inactive`` for a configured MLAG and ``disabled`` when there
    is none (or it is shut down). The peer is up when the MLAG is active and negotiation reached
    ``connected``; the keepalive is ``detail.udpHeartbeatAlive``; the role is ``detail.mlagState``
    and the pair's LACP system id the MLAG ``systemId``. The consistency verdict is the detail's
    ``configSanity`` (printed only while connected); config-sanity supplies the reasons. ``show
    lacp neighbor`` adds the partner each member sees; without it the members stay unknown.
    """
    warnings: list[str] = []
    (detail_cmd, detail_out), (ports_cmd, ports_out), (sanity_cmd, sanity_out), (lacp_cmd, lacp_out) = outputs
    detail = _eos_facts(detail_cmd, detail_out, _eos_detail_text, warnings)
    ports = _eos_facts(ports_cmd, ports_out, _eos_ports_text, warnings)
    sanity = _eos_facts(sanity_cmd, sanity_out, _eos_sanity_text, warnings)
    lacp = _eos_facts(lacp_cmd, lacp_out, _eos_lacp_text, warnings) if lacp_out is not None else None
    fields: dict[str, Any] = {}
    if detail is not None:
        state = detail.get("state")
        if not isinstance(state, str):
            warnings.append(f"{detail_cmd}: no MLAG 'state'")
        elif state != "disabled":
            fields = _eos_domain_fields(detail)
    if sanity is not None and not isinstance(sanity.get("mlagActive"), bool):
        warnings.append(f"{sanity_cmd}: no 'mlagActive'")
    global_issues, interface_issues = _eos_sanity(sanity)
    if fields.get("consistency") == "inconsistent":
        fields["consistency_reason"] = "; ".join(global_issues) or (
            f"interface inconsistencies on {', '.join(sorted(interface_issues))}" if interface_issues else None
        )
    compared = sanity is not None and sanity.get("mlagConnected") is True
    members = _eos_members(lacp, lacp_cmd, warnings)
    interfaces = [
        itf.model_copy(update={"members": members.get(itf.interface or "", [])})
        for itf in _eos_interfaces(ports, interface_issues, compared, ports_cmd, warnings)
    ]
    return PeerState(platform=platform, hostname=hostname, **fields, interfaces=interfaces, warnings=warnings)


def _eos_facts(command: str, text: str | None, read_text: Callable[[str], dict[str, Any]], warnings: list[str]) -> dict[str, Any] | None:
    """What a command printed, in the keys of its JSON form: the JSON object, or the text read by
    ``read_text``; None with a warning where the output is missing, a CLI error (``% Invalid
    input``), EOS's ``{"errors": [...]}`` for a command it cannot print as JSON, or text the reader
    does not recognise."""
    if text is None or not text.strip():
        warnings.append(no_output(command))
        return None
    if not is_json(text):
        facts = read_text(text)
        if not facts:
            warnings.append(f"{command}: not understood: {text.strip().splitlines()[0][:80]!r}")
            return None
        return facts
    try:
        data = json.loads(text)
    except ValueError:
        warnings.append(f"{command}: unreadable JSON: {text.strip().splitlines()[0][:80]!r}")
        return None
    if not isinstance(data, dict):
        warnings.append(f"{command}: expected a JSON object, got {type(data).__name__}")
        return None
    if data.get("errors"):
        warnings.append(f"{command}: {'; '.join(str(e) for e in data['errors'])}")
        return None
    return data


def _eos_detail_text(text: str) -> dict[str, Any]:
    """``show mlag detail`` (or ``show mlag``) as the facts of its JSON. ntc-templates'
    ``arista_eos_show_mlag`` keeps the domain, local interface, peer address, peer-link and state
    only; the live rules also need the negotiation, the link statuses, the system id, the role and
    the heartbeat, so the ``label : value`` lines are read here, the ``MLAG Detailed Status``
    block into ``detail`` as in the JSON."""
    facts: dict[str, Any] = {}
    detail: dict[str, Any] = {}
    detailed = False
    for line in text.splitlines():
        if line.strip().lower().startswith("mlag detailed status"):
            detailed = True
            continue
        found = _EOS_FIELD.match(line)
        key = (_EOS_DETAILED_KEYS if detailed else _EOS_DETAIL_KEYS).get(found.group(1).lower()) if found and found.group(2) else None
        if found and key:
            value = found.group(2)
            word = value.lower() if key in _EOS_WORDS else {"true": True, "false": False}.get(value.lower(), value)
            (detail if detailed else facts).setdefault(key, word)
    if detail:
        facts["detail"] = detail
    return facts if "state" in facts else {}


def _eos_ports_text(text: str) -> dict[str, Any]:
    """``show mlag interfaces`` as the ``interfaces`` object of its JSON (``Po5`` ->
    ``Port-Channel5``, ``-`` for no interface). No ntc-templates template reads it."""
    rows: dict[str, Any] = {}
    for line in text.splitlines():
        row = _EOS_PORT_ROW.match(line)
        if row:
            mlag_id, status, local, remote, local_status, remote_status = row.groups()
            rows[mlag_id] = {
                "localInterface": _eos_long_name(local),
                "peerInterface": _eos_long_name(remote),
                "localInterfaceStatus": local_status,
                "peerInterfaceStatus": remote_status,
                "status": status,
            }
    return {"interfaces": rows} if rows or "local/remote" in text else {}


def _eos_sanity_text(text: str) -> dict[str, Any]:
    """``show mlag config-sanity`` as its JSON: each table row, cut at the columns of its dash
    line, becomes a ``localValue`` / ``peerValue`` pair. Output that says MLAG is not connected
    or not active is read as not compared. No ntc-templates template reads it."""
    lower = text.lower()
    compared = "configuration inconsistencies" in lower
    if not compared and not re.search(r"\bnot (?:connected|active)\b|\binactive\b|\bdisabled\b", lower):
        return {}
    facts: dict[str, Any] = {"mlagActive": compared, "mlagConnected": compared, "globalConfiguration": {}, "interfaceConfiguration": {}}
    table: str | None = None
    spans: list[tuple[int, int]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.lower().startswith(("global configuration inconsistencies", "interface configuration inconsistencies")):
            table, spans = stripped.split()[0].lower(), []
        elif table and not spans and stripped.startswith("-"):
            spans = [(m.start(), m.end()) for m in re.finditer(r"-+", line)]
        elif table and spans and stripped:
            cells = [line[start : end if k < len(spans) - 1 else len(line)].strip() for k, (start, end) in enumerate(spans)]
            if len(cells) == 4 and all(cells):
                _eos_sanity_row(facts, table, cells)
        elif not stripped:
            table = None
    return facts


def _eos_sanity_row(facts: dict[str, Any], table: str, cells: list[str]) -> None:
    """One config-sanity row into the JSON's layout: ``feature attribute local peer`` under
    ``globalConfiguration``, ``parameter interface local peer`` under ``interfaceConfiguration``."""
    first, second, local, peer = cells
    values = {"localValue": local, "peerValue": peer}
    if table == "global":
        facts["globalConfiguration"].setdefault(first, {"globalParameters": {}})["globalParameters"][second] = values
    else:
        facts["interfaceConfiguration"].setdefault(first, {"interface": {}})["interface"][second] = values


def _eos_lacp_text(text: str) -> dict[str, Any]:
    """``show lacp neighbor`` (``show lacp peer`` before EOS 4.2x) as the ``portChannels`` object
    of its JSON. No ntc-templates template reads it."""
    channels: dict[str, Any] = {}
    current: dict[str, Any] | None = None
    for line in text.splitlines():
        head = _EOS_LACP_CHANNEL.match(line)
        row = _EOS_LACP_ROW.match(line)
        if head:
            current = channels.setdefault(head.group(1), {"interfaces": {}})["interfaces"]
        elif row and current is not None:
            port, status, system, partner_port, key, priority = row.groups()
            current[_eos_long_name(port)] = {
                "actorPortStatus": status.lower(),
                "partnerSystemId": system,
                "partnerPortId": int(partner_port),
                "partnerOperKey": key,
                "partnerPortPriority": int(priority),
            }
    return {"portChannels": channels} if channels or "Sys-id" in text else {}


def _eos_long_name(name: str) -> str:
    """``Po5`` / ``Et5`` as EOS tables abbreviate them -> ``Port-Channel5`` / ``Ethernet5``; ``-``
    (no interface) -> ``""`` as in the JSON."""
    if name in _EOS_NO_STATUS:
        return ""
    for short, long in (("Po", "Port-Channel"), ("Et", "Ethernet")):
        found = re.fullmatch(rf"{short}[a-z\-]*(\d.*)", name, re.IGNORECASE)
        if found:
            return f"{long}{found.group(1)}"
    return name


def _eos_members(lacp: dict[str, Any] | None, command: str, warnings: list[str]) -> dict[str, list[LacpMemberState]]:
    """Port-channel -> its members as ``show lacp neighbor`` lists them: bundled or not, and the
    partner's system id (``8000,aa-bb-..``: hex priority, MAC), key and port."""
    if lacp is None:
        return {}
    channels = lacp.get("portChannels")
    if not isinstance(channels, dict):
        warnings.append(f"{command}: no 'portChannels' object")
        return {}
    return {
        str(name): sorted((_eos_member(str(port), _eos_dict(info)) for port, info in _eos_dict(_eos_dict(channel).get("interfaces")).items()), key=lambda m: m.interface)
        for name, channel in channels.items()
    }


def _eos_member(port: str, info: dict[str, Any]) -> LacpMemberState:
    priority, _, mac = str(info.get("partnerSystemId", "")).partition(",")
    partner = lacp_mac(mac)
    status = info.get("actorPortStatus")
    return LacpMemberState(
        interface=port,
        bundled=status == "bundled" if isinstance(status, str) else None,
        partner_system_id=partner,
        partner_system_priority=number(f"0x{priority}") if partner else None,
        partner_key=number(info.get("partnerOperKey")) if partner else None,
        partner_port=number(info.get("partnerPortId")) if partner else None,
    )


def _eos_domain_fields(detail: dict[str, Any]) -> dict[str, Any]:
    """The pair-level PeerState fields of a configured MLAG's ``show mlag detail``."""
    more = _eos_dict(detail.get("detail"))
    alive = more.get("udpHeartbeatAlive")
    role = more.get("mlagState")
    verdict = detail.get("configSanity")
    return {
        "configured": True,
        "domain_id": detail.get("domainId") or None,
        "peer_status": "up" if detail.get("state") == "active" and detail.get("negStatus") == "connected" else "down",
        "keepalive_status": ("up" if alive else "down") if isinstance(alive, bool) else None,
        "peer_link_status": _eos_status(detail.get("peerLinkStatus")),
        "role": role if role in ("primary", "secondary") else None,
        "system_id": _eos_mac(detail.get("systemId")),
        "consistency": verdict if verdict in ("consistent", "inconsistent") else None,
    }


def _eos_status(value: object) -> str | None:
    """``up`` / ``down`` from an EOS status word (``up``, ``down``, ``lowerLayerDown``, ...);
    None where EOS has none to give."""
    if not isinstance(value, str) or value.strip().lower() in _EOS_NO_STATUS:
        return None
    return "up" if value.strip().lower() == "up" else "down"


def _eos_mac(value: object) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` from a MAC in colon, dash or dotted form; None for the all-zero MAC EOS
    prints when it has none."""
    digits = re.sub(r"[:.\-]", "", value).lower() if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9a-f]{12}", digits) or not int(digits, 16):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _eos_sanity(sanity: dict[str, Any] | None) -> tuple[list[str], dict[str, list[str]]]:
    """config-sanity's differences: global ones as ``feature parameter: local X, peer Y``, and
    per local port-channel as ``parameter: local X, peer Y`` (EOS keys them ``<parameter>
    mlag<id>`` -> ``interface`` -> the local port-channel)."""
    if sanity is None:
        return [], {}
    global_issues = [
        f"{feature} {param}: {_eos_values(values)}"
        for feature, block in _eos_dict(sanity.get("globalConfiguration")).items()
        for param, values in _eos_dict(_eos_dict(block).get("globalParameters")).items()
    ]
    interface_issues: dict[str, list[str]] = {}
    for key, block in _eos_dict(sanity.get("interfaceConfiguration")).items():
        param = re.sub(r"\s+mlag\d+$", "", str(key))
        for name, values in _eos_dict(_eos_dict(block).get("interface")).items():
            interface_issues.setdefault(str(name), []).append(f"{param}: {_eos_values(values)}")
    return global_issues, interface_issues


def _eos_dict(value: object) -> dict[str, Any]:
    """A JSON object, or an empty one where EOS left the field out or printed something else."""
    return value if isinstance(value, dict) else {}


def _eos_values(values: object) -> str:
    """One config-sanity difference as text (``localValue`` / ``peerValue``)."""
    pair = _eos_dict(values)
    return f"local {pair.get('localValue', '?')}, peer {pair.get('peerValue', '?')}"


def _eos_interfaces(
    ports: dict[str, Any] | None, issues: dict[str, list[str]], compared: bool, command: str, warnings: list[str]
) -> list[MlagInterfaceState]:
    """One MlagInterfaceState per ``show mlag interfaces`` row this switch has a half of. A half
    is up when its port-channel is up and EOS counts the MLAG port active (``active-full`` or
    ``active-partial``; ``configured`` means the peers are not connected). A row without a local
    interface is the peer's half alone: this switch does not have that MLAG. ``consistent`` is
    known only when config-sanity compared the connected peers."""
    if ports is None:
        return []
    rows = ports.get("interfaces")
    if not isinstance(rows, dict):
        warnings.append(f"{command}: no 'interfaces' object")
        return []
    out = []
    for key, row in rows.items():
        if not str(key).isdigit() or not isinstance(row, dict) or not row.get("localInterface"):
            continue
        name, status = str(row["localInterface"]), row.get("status")
        up = _eos_status(row.get("localInterfaceStatus")) == "up" and status in _EOS_ACTIVE_PORT
        found = issues.get(name, [])
        reasons = ([] if up else [f"port-channel {row.get('localInterfaceStatus')}, MLAG state {status}"]) + found
        out.append(
            MlagInterfaceState(
                mlag_id=int(key),
                interface=name,
                status="up" if up else "down",
                peer_status=_eos_status(row.get("peerInterfaceStatus")),
                consistent=False if found else (True if compared else None),
                reason="; ".join(reasons) or None,
            )
        )
    return sorted(out, key=lambda i: i.mlag_id)
