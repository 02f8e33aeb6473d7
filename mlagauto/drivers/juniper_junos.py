"""Juniper Junos MC-LAG with ICCP, on QFX / EX switches with the Enhanced Layer 2 Software CLI.

One driver reads and writes both renderings Junos prints: ``show configuration`` (curly braces,
the default variant) and ``show configuration | display set``. Both go through
``mlagauto.configtree.junos_set_lines``, so the parser sees one list of statement paths.

How the neutral model maps onto Junos
-------------------------------------
* ``domain_id`` -> mc-ae ``redundancy-group`` and ICCP ``redundancy-group-id-list``; PeerConfig's
  ``domain_id`` is that redundancy group as a string. ``service_id`` (default ``domain_id``) ->
  ``switch-options service-id``.
* ``role`` -> mc-ae ``status-control active|standby`` (primary = active; PeerConfig.role is read back
  from it) and ``chassis-id`` (``MlagDomain.chassis_id_of``: 0 on the primary unless set).
* ``system.mac`` -> per-ae ``lacp system-id``. MC-AE needs one, so it is always rendered: an unset
  MAC becomes ``domain.derived_system_mac``. ``system.priority`` -> per-ae ``lacp system-priority``;
  the effective value when absent is Junos' LACP default 127, or the chassis-wide
  ``chassis aggregated-devices ethernet lacp system-priority`` of a parsed config.
* ``admin_key`` (default ``mlag_id``) -> ``lacp admin-key``. ``lacp_rate`` -> ``lacp periodic``,
  always rendered because Junos' default (fast) is the opposite of the model's (slow); an absent
  ``periodic`` parses as fast.
* ``timers.restore_delay`` -> mc-ae ``init-delay-time`` (1-6000 s). Without the statement the
  MC-AE comes up without delay, so the effective default is 0 (0 renders nothing). Junos asks for
  an ICCP ``session-establishment-hold-time`` at least 100 s above the init delay, so the hold time
  is rendered as init delay + 100.
* ``keepalive.destination`` -> ICCP ``backup-liveness-detection backup-peer-ip``. The source is not
  a Junos statement: it is known only when ``keepalive.interface`` is rendered with its address and
  that subnet holds the destination (the parser attributes an address to the keepalive the same
  way), otherwise it is None on both sides.
* ``peer_address`` -> ``irb.<peer_vlan>`` address and ICCP ``local-ip-addr``; the other peer's
  address -> ICCP ``peer`` and ``multi-chassis multi-chassis-protection``.
* ``peer_link`` -> the ICL, an ae trunk with LACP active/fast. Unrestricted -> ``vlan members all``
  (PeerConfig vlans None); restricted -> the listed VLANs plus the peer VLAN, which ICCP rides.
* ``lacp_fallback`` -> member ``ether-options 802.3ad lacp force-up``, rendered on the
  status-control active peer only. With both halves forced up, each peer would send frames for the
  server out of its own port, so traffic for a MAC learnt on one NIC would also leave through the
  other; with one forced half, the standby's half stays down and its traffic crosses the ICL.
  The halves of such a LAG therefore differ in ``lacp_fallback`` on purpose.
* ``stp.mode`` rstp/mstp -> ``protocols rstp|mstp`` (nothing else: which ports are edge is not in
  the model); ``stp.priority`` -> ``bridge-priority``, printed in Junos' ``Nk`` form.
* VLANs are keyed by name: ``Vlan.name``, else ``VLAN<id>`` (VLAN 1: ``default``, the ELS factory
  name); the peer VLAN is ``ICCP`` unless the domain names it. Interfaces reference VLANs by name.

Rejected because Junos has no equivalent: ``domain_name``, ``role_priority``, ``keepalive.vrf``
(backup liveness has no routing-instance option), ``peer_gateway``, ``peer_switch``,
``authentication`` (ICCP authentication is a TCP-MD5 ``authentication-key``),
``timers.non_mlag_restore_delay``, ``timers.auto_recovery``/``auto_recovery_delay``,
``stp.mode`` rapid-pvst, ``stp.mlag_mode``, ``stp.bridge_address``, static LAGs
(MC-LAG requires LACP system-id and admin-key) and ``lacp_fallback_timeout`` (force-up has no timer).

Statement order inside a block follows Junos' schema order as far as the vendor examples show it;
the relative order of ``system-priority``/``system-id`` in ``lacp``, of ``native-vlan-id``/``mtu``,
of ``lacp { force-up; }`` against the bundle inside ``802.3ad``, of physical interfaces against
ae/em/irb, of the ``vlans`` entries (by name) and of the top-level ``multi-chassis`` stanza is
inferred, not confirmed on a device; so are the ``Nk`` display of ``bridge-priority`` and the set
of characters that make Junos quote a description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from ipaddress import IPv4Interface, IPv6Interface, ip_address, ip_interface
from typing import Any, NamedTuple

from mlagauto.configtree import clean_capture, junos_set_lines
from mlagauto.drivers.base import LagView, MlagDriver
from mlagauto.drivers.showtext import is_json, lacp_mac, no_output
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
from mlagauto.model.vlans import parse_vlan_list

LACP_PERIODIC_DEFAULT = "fast"
"""Junos' LACP ``periodic`` when the statement is absent."""
LACP_SYSTEM_PRIORITY_DEFAULT = 127
"""Junos' LACP system priority when none is configured."""
INIT_DELAY_DEFAULT = 0
"""MC-AE ``init-delay-time`` in effect when the statement is absent (no delay)."""
INIT_DELAY_MAX = 6000
ICCP_HOLD_MARGIN = 100
"""Seconds the ICCP session-establishment hold time must exceed the MC-AE init delay by."""
PEER_VLAN_NAME = "ICCP"
RESERVED_VLAN_NAMES = {"all": "it means every VLAN in 'vlan members all'", "default": "it is the ELS factory name of VLAN 1"}
KEEPALIVE_INTERFACE = re.compile(r"(em\d+|fxp\d+|me\d+|vme|(ge|xe|et|mge)-\d+/\d+/\d+(:\d+)?)(\.\d+)?")
"""Interfaces that may carry the backup-liveness address: management ports or a spare physical port."""
_PORT = re.compile(r"([a-z]+)-(\d+)/(\d+)/(\d+)(?::(\d+))?")
_TRAILING_NUMBER = re.compile(r"(.*?)(\d+)")
_BRACKET_RANGE = re.compile(r"(.*)\[(\d+)-(\d+)\]")
_QUOTE_TRIGGERS = frozenset(" \t;{}[]#'|")
"""Characters that end or change a bare Junos word: whitespace, ``;`` and braces end a
statement, ``[ ]`` open a list, ``#`` a comment, ``'`` a quote and, on the CLI, ``|`` a pipe.
A string with any of them is rendered double-quoted."""
_MC_AE_VALUES: dict[str, Callable[[str], bool]] = {
    "mc-ae-id": str.isdigit,
    "redundancy-group": str.isdigit,
    "chassis-id": ("0", "1").__contains__,
    "init-delay-time": str.isdigit,
    "mode": ("active-active", "active-standby").__contains__,
    "status-control": ("active", "standby").__contains__,
}
"""The mc-ae statements the model reads, each with the values Junos documents for it."""
_MC_AE_OTHER = frozenset({"events", "revert-time", "switchover-mode", "enhanced-convergence"})
"""Documented mc-ae statements the model has no field for: read past, never reported."""
_ICCP_OTHER = frozenset({"session-establishment-hold-time", "authentication-key", "traceoptions"})
_ICCP_PEER_OTHER = frozenset({"session-establishment-hold-time", "authentication-key", "liveness-detection"})
_MULTI_CHASSIS_OTHER = frozenset({"mc-lag", "traceoptions"})
_PROTECTION_OTHER = frozenset({"icl-down-delay"})
_STP_PROTOCOLS = ("rstp", "mstp", "vstp")


# --- small value helpers ---------------------------------------------------------------------
def junos_quote(text: str) -> str:
    """A string as Junos prints it: bare when it is one plain word, double-quoted otherwise."""
    return f'"{text}"' if any(ch in _QUOTE_TRIGGERS for ch in text) else text


def bridge_priority_text(priority: int) -> str:
    """Junos prints bridge priorities in units of 1024 (``8k``); 0 stays ``0``."""
    return f"{priority // 1024}k" if priority else "0"


def parse_bridge_priority(text: str) -> int | None:
    """``8k`` -> 8192, ``8192`` -> 8192; anything else -> None."""
    token = text.lower()
    if token.endswith("k") and _is_number(token[:-1]):
        return int(token[:-1]) * 1024
    return int(token) if _is_number(token) else None


def default_vlan_name(vlan_id: int) -> str:
    """The key an unnamed VLAN gets: ELS calls VLAN 1 ``default``, the rest ``VLAN<id>``."""
    return "default" if vlan_id == 1 else f"VLAN{vlan_id}"


def _is_number(token: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts characters ``int`` refuses."""
    return token.isascii() and token.isdigit()


def _int(token: str | None) -> int | None:
    return int(token) if token is not None and _is_number(token) else None


def _mac(token: str | None) -> str | None:
    """``lacp system-id`` normalised to ``aa:bb:cc:dd:ee:ff``; unreadable values are kept as printed."""
    if token is None:
        return None
    digits = re.sub(r"[.:\-]", "", token.lower())
    if len(digits) == 12 and all(c in "0123456789abcdef" for c in digits):
        return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    return token


def _display_key(name: str) -> tuple[int, tuple[int, ...], str]:
    """Order of ``interfaces`` children: physical ports by slot/port, then ae by number, then
    the rest (em0, irb, ...) by name."""
    port = _PORT.fullmatch(name)
    if port:
        kind, fpc, pic, num, chan = port.groups()
        return (0, (int(fpc), int(pic), int(num), int(chan) if chan else -1), kind)
    if name.startswith("ae") and _is_number(name[2:]):
        return (1, (int(name[2:]),), "")
    return (2, (), name)


def _split_unit(name: str) -> tuple[str, int]:
    """``em0.5`` -> (``em0``, 5); a bare name means unit 0."""
    base, dot, unit = name.rpartition(".")
    return (base, int(unit)) if dot and _is_number(unit) else (name, 0)


# --- what the templates receive --------------------------------------------------------------
# Named tuples, as VlanView: built for every port of every switch rendered.
class MemberView(NamedTuple):
    """A physical member of an ae."""

    kind = "member"  # a class attribute, not a field
    name: str
    bundle: str
    force_up: bool = False


class McAeView(NamedTuple):
    """The ``mc-ae`` block of one multichassis ae."""

    mc_ae_id: int
    redundancy_group: int
    chassis_id: int
    status_control: str
    init_delay: int | None


class AeView(NamedTuple):
    """An aggregated Ethernet interface: the ICL or a multichassis ae."""

    kind = "ae"  # a class attribute, not a field
    name: str
    description: str | None
    lacp_mode: str
    periodic: str
    port_mode: str
    vlan_members: tuple[str, ...]
    """VLAN names, or ``("all",)``."""
    native_vlan: int | None = None
    mtu: int | None = None
    min_links: int | None = None
    system_priority: int | None = None
    system_id: str | None = None
    admin_key: int | None = None
    mc_ae: McAeView | None = None


class L3View(NamedTuple):
    """One IPv4 address on a logical unit (the ICCP irb, the keepalive port)."""

    kind = "l3"  # a class attribute, not a field
    name: str
    unit: int
    address: str


class VlanView(NamedTuple):
    """One entry of the ``vlans`` stanza; the peer VLAN carries the ICCP irb. A named tuple: a
    switch has hundreds of them, and a tuple is built several times faster than a frozen dataclass."""

    name: str
    id: int
    l3: str | None


# --- what a parsed configuration says ---------------------------------------------------------
@dataclass
class _Unit:
    switching: bool = False
    mode: str | None = None
    members: list[str] = field(default_factory=list)
    native_vlan: int | None = None
    addresses: list[str] = field(default_factory=list)


@dataclass
class _Ifd:
    """Everything the statements say about one interface (or interface-range)."""

    description: str | None = None
    mtu: int | None = None
    native_vlan: int | None = None
    bundle: str | None = None
    force_up: bool = False
    has_lacp: bool = False
    lacp: dict[str, str] = field(default_factory=dict)
    min_links: int | None = None
    mc_ae: dict[str, str] = field(default_factory=dict)
    units: dict[int, _Unit] = field(default_factory=dict)
    range_members: list[str] = field(default_factory=list)

    def unit(self, number: int) -> _Unit:
        unit = self.units.get(number)
        if unit is None:
            unit = self.units[number] = _Unit()
        return unit


class JunosDriver(MlagDriver):
    """MC-LAG on ELS QFX/EX: curly (``show configuration``) and ``display set`` renderings."""

    platform = "juniper_junos"
    netmiko_device_type = "juniper_junos"
    napalm_driver = "junos"
    commit_style = "candidate"
    severities = {
        "mc-ae-roles.status_control": Severity.WARNING,
    }
    hier_config_platform = "JUNIPER_JUNOS"
    state_commands = ("show iccp", "show interfaces mc-ae", "show lacp interfaces extensive", "show configuration interfaces | display set")
    """Read as text. Junos does answer ``| display json`` here, but its schemas declare the ICCP and
    mc-ae replies as free-form (anyxml), so their element names are documented nowhere, while the
    text layout is known from real switches. The configuration adds what the show commands leave
    out: the mc-ae-id that pairs the two halves, and the status-control that is the role."""
    variants = ("curly", "set")
    port_template = "xe-0/0/{n}"
    first_port = 0
    management_interface = "em0"
    domain_id_range = (1, 4294967294)
    mlag_id_range = (1, 65535)
    port_channel_range = (0, 1023)
    name_pattern = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}")
    interface_pattern = re.compile(r"(ge|xe|et|mge)-\d{1,2}/\d{1,2}/\d{1,3}(:\d)?")
    description_max = 900
    description_forbidden = '"\\'
    uses_peer_vlan = True
    unsupported = {
        "domain_name": "Junos MC-LAG has no domain name; the pair is identified by its redundancy group (domain_id)",
        "peer_gateway": "Junos has no peer-gateway; MC-LAG peers route for each other with IRB MAC synchronisation or VRRP",
        "peer_switch": "Junos has no peer-switch equivalent in the MC-LAG model",
        "authentication": "Junos ICCP authenticates with a TCP-MD5 authentication-key, not hmac-sha256; not modelled",
        "timers.non_mlag_restore_delay": "Junos has no restore delay for non-MC-AE ports",
        "timers.auto_recovery": "Junos has no auto-recovery; 'mc-ae events iccp-peer-down prefer-status-control-active' behaves differently and is not mapped",
        "timers.auto_recovery_delay": "Junos has no auto-recovery delay",
        "stp.mlag_mode": "the M-LAG STP mode is a Huawei setting",
        "stp.bridge_address": "a shared bridge address is Huawei M-LAG only",
        "peers[].keepalive.vrf": "Junos ICCP backup-liveness-detection has no routing-instance; the backup peer is reached in the default table",
        "peers[].role_priority": "Junos MC-LAG has no role priority; the role is the configured status-control (set role)",
        "mlag_interfaces[].lacp_fallback_timeout": "Junos lacp force-up has no timeout",
    }
    """Neutral options without a Junos equivalent: refused, never dropped silently."""

    def lag_name(self, number: int) -> str:
        return f"ae{number}"

    def unmodelled_lines(self, text: str) -> list[str]:
        """The MC-LAG statements (``protocols iccp``, ``multi-chassis``, an ae's ``mc-ae``,
        ``switch-options service-id``) the model has no field for, as ``set`` lines: Junos has no
        one domain block, so the statements in effect are matched against ``import_modelled``."""
        lines = [_set_line(path) for path in effective_paths(clean_capture(text), [])]
        return [line for line in lines if any(p.match(line) for p in self.import_blocks) and not any(p.fullmatch(line) for p in self.import_modelled)]

    import_blocks = tuple(re.compile(p) for p in (r"set protocols iccp( |$)", r"set multi-chassis( |$)", r"set interfaces \S+ aggregated-ether-options mc-ae( |$)", r"set switch-options service-id( |$)"))
    import_modelled = tuple(
        re.compile(p)
        for p in (
            r"set protocols iccp local-ip-addr \S+",
            r"set protocols iccp peer \S+ (redundancy-group-id-list \d+|backup-liveness-detection backup-peer-ip \S+|session-establishment-hold-time \d+)",
            r"set protocols iccp peer \S+ liveness-detection (minimum-interval 1000|multiplier 3)",
            r"set multi-chassis multi-chassis-protection \S+ interface \S+",
            r"set interfaces \S+ aggregated-ether-options mc-ae ((mc-ae-id|redundancy-group|chassis-id|init-delay-time) \d+|mode active-active|status-control (active|standby))",
            r"set switch-options service-id \d+",
        )
    )
    """MC-LAG statements the model holds, whole (the liveness timers the driver renders as
    constants only with those values); ``mc-ae events``, ``mode active-standby``, ICCP
    ``authentication-key`` and the like are reported by an import."""

    # --- deploy: Junos changes travel as statement paths -----------------------------------
    owned = (re.compile(r"vlans \S+"), re.compile(r"protocols (?:rstp|mstp|vstp)"))
    """Every VLAN, and the spanning-tree protocol: one of them runs, so a protocol the intent
    no longer names is deleted."""
    membership = None
    """Statements are flat: a member's ``802.3ad`` goes in the same ``delete`` as the rest."""

    def entries(self, text: str) -> list[tuple[str, str]]:
        """One ``set`` statement per entry (curly or set input), keyed by its first two words
        (``interfaces ae1``, ``protocols iccp``): hier_config reads Junos as ``set`` lines, and
        every member of a ``vlan members [ ... ]`` list is one statement already."""
        return [(" ".join(path[:2]), _set_line(path)) for path in junos_set_lines(text)]

    def interface_entry(self, name: str) -> str:
        return f"set interfaces {name}"

    def collapse(self, removals: list[str], have: list[str], wanted: list[str]) -> list[str]:
        """Deletes that leave a named entry empty become one ``delete`` of the entry (``delete
        vlans PXE``, ``delete interfaces ae4``): Junos keeps an emptied ``vlans PXE;``, which the
        next deploy would find and delete again."""
        gone = [_statement(line, "delete ") for line in removals]
        running = [_statement(line, "set ") for line in have]
        intended = [_statement(line, "set ") for line in wanted]
        out: list[str] = []
        for path in gone:
            wider = next((path[:k] for k in range(2, len(path)) if _only_gone(path[:k], running, gone, intended)), path)
            line = "delete " + _set_line(list(wider))[len("set ") :]
            if line not in out:
                out.append(line)
        return out

    def change_loads(self, removals: str, render: str) -> list[str]:
        """``delete`` statements and the curly render are two loads (set and text format)."""
        return [removals, render] if removals else [render]

    def predict(self, running: str, removals: str, render: str) -> str | None:
        """Statement paths: each ``delete`` takes every statement at or below its path out, then the
        render's statements are added. hier_config's ``future`` applies no Junos ``delete`` and
        cannot tell a single-valued statement from a list; neither is needed here, because the
        removals delete every value the render replaces."""
        gone = [_statement(line, "delete ") for line in removals.splitlines() if line.startswith("delete ")]
        kept = [p for p in map(tuple, junos_set_lines(running)) if not any(p[: len(g)] == g for g in gone)]
        added = [p for p in map(tuple, junos_set_lines(render)) if p not in kept]
        return "\n".join(_set_line(list(p)) for p in kept + added)

    # --- validation ----------------------------------------------------------------------
    def validate_platform(self, domain: MlagDomain) -> list[Problem]:
        out = self._stp_and_timer_rules(domain)
        out += self._vlan_names(domain)
        out += self._peer_link_vlans(domain)
        out += self._lag_rules(domain)
        for p in domain.peers:
            out += self._keepalive_rules(domain, p)
        return out

    def _stp_and_timer_rules(self, d: MlagDomain) -> list[Problem]:
        """STP modes and timer values Junos cannot express."""
        restore = d.timers.restore_delay
        checks: list[tuple[bool, str, str]] = [
            (d.stp.mode == "rapid-pvst", "stp.mode", "Junos has no rapid-pvst; use rstp or mstp"),
            (d.stp.priority is not None and d.stp.mode is None, "stp.priority", "bridge-priority lives under protocols rstp/mstp on Junos; set stp.mode too"),
            (restore is not None and restore > INIT_DELAY_MAX, "timers.restore_delay", f"Junos init-delay-time is at most {INIT_DELAY_MAX} seconds"),
        ]
        return [Problem(f, msg) for bad, f, msg in checks if bad]

    def _vlan_names(self, d: MlagDomain) -> list[Problem]:
        """Junos keys VLANs by name: the effective names must be unique and unambiguous."""
        out: list[Problem] = []
        seen: dict[str, int] = {}
        index = {v.id: k for k, v in enumerate(d.vlans)}
        for vid, name in sorted(self._vlan_name_map(d).items()):
            field_name = f"vlans[{index[vid]}].name" if vid in index else "peer_vlan"
            reserved = RESERVED_VLAN_NAMES.get(name)
            if reserved and not (name == "default" and vid == 1):
                out.append(Problem(field_name, f"VLAN {vid} cannot be named {name!r} on Junos: {reserved}"))
            if name in seen:
                out.append(Problem(field_name, f"VLAN {vid} and VLAN {seen[name]} would both be named {name!r}; Junos keys VLANs by name"))
            seen.setdefault(name, vid)
        return out

    def _peer_link_vlans(self, d: MlagDomain) -> list[Problem]:
        defined = set(d.vlan_ids()) | {d.effective_peer_vlan}
        out = []
        for p in d.peers:
            missing = sorted(set(p.peer_link.vlans or ()) - defined)
            if missing:
                out.append(Problem("peer_link.vlans", f"VLANs {missing} are not in the domain's vlans; a Junos trunk references VLANs that exist by name", host=p.hostname))
        return out

    def _lag_rules(self, d: MlagDomain) -> list[Problem]:
        out = []
        for k, itf in enumerate(d.mlag_interfaces):
            base = f"mlag_interfaces[{k}]"
            if itf.lacp_mode == "static":
                out.append(Problem(f"{base}.lacp_mode", "Junos MC-LAG needs LACP: both peers present one LACP system-id and admin-key; a static MC-AE is not supported"))
            if itf.description and "##" in itf.description:
                out.append(Problem(f"{base}.description", "'##' starts a comment in Junos' configuration display"))
        for p in d.peers:
            desc = p.peer_link.description
            if desc and "##" in desc:
                out.append(Problem("peer_link.description", "'##' starts a comment in Junos' configuration display", host=p.hostname))
        return out

    def _keepalive_rules(self, d: MlagDomain, p: MlagPeer) -> list[Problem]:
        h, ka = p.hostname, p.keepalive
        out = []
        if p.peer_address is not None:
            iccp = p.peer_address.network
            if ka.source in iccp or ka.destination in iccp:
                out.append(Problem("keepalive.destination", f"backup liveness must not run in the ICCP subnet {iccp}: it would share the ICL it is meant to back up", host=h))
        if ka.interface is None:
            return out
        if not KEEPALIVE_INTERFACE.fullmatch(ka.interface):
            out.append(Problem("keepalive.interface", f"{ka.interface!r} is not a management (em/fxp/me/vme) or physical port name ({KEEPALIVE_INTERFACE.pattern})", host=h))
            return out
        port, _ = _split_unit(ka.interface)
        used = set(p.peer_link.members) | {m for itf in d.mlag_interfaces for m in itf.members_on(h)}
        if port in used:
            out.append(Problem("keepalive.interface", f"{port} is an ae member and cannot carry the keepalive address", host=h))
        return out

    # --- derived values ------------------------------------------------------------------
    @staticmethod
    def _vlan_name_map(domain: MlagDomain) -> dict[int, str]:
        """Effective VLAN names by id, the peer VLAN included."""
        names = {v.id: v.name or default_vlan_name(v.id) for v in domain.vlans}
        names.setdefault(domain.effective_peer_vlan, PEER_VLAN_NAME)
        return names

    @staticmethod
    def _init_delay(domain: MlagDomain) -> int:
        return domain.timers.restore_delay or INIT_DELAY_DEFAULT

    @staticmethod
    def _system_mac(domain: MlagDomain) -> str:
        return domain.system.mac or domain.derived_system_mac

    @staticmethod
    def _peer_link_vlans_on(domain: MlagDomain, host: str) -> list[int] | None:
        """ICL VLANs: None for ``members all``, else the listed VLANs plus the peer VLAN."""
        listed = domain.peer(host).peer_link.vlans
        return None if listed is None else sorted(set(listed) | {domain.effective_peer_vlan})

    @staticmethod
    def _keepalive_source(peer: MlagPeer) -> str | None:
        """The keepalive source as a parsed config can know it (see the module docstring)."""
        ka = peer.keepalive
        if ka.interface is None or ka.prefix_length is None:
            return None
        subnet = IPv4Interface(f"{ka.source}/{ka.prefix_length}").network
        return str(ka.source) if ka.destination in subnet else None

    # --- rendering -----------------------------------------------------------------------
    def context(self, domain: MlagDomain, host: str) -> dict[str, Any]:
        ctx = super().context(domain, host)
        me, other = domain.peer(host), domain.other(host)
        assert me.peer_address is not None and other.peer_address is not None
        names = self._vlan_name_map(domain)
        lags = ctx["lags"]
        init_delay = self._init_delay(domain)
        ctx.update(
            device_count=max([me.peer_link.port_channel] + [lag.port_channel for lag in lags]) + 1,
            interfaces=sorted(self._interface_views(domain, host, names, lags), key=lambda v: _display_key(v.name)),
            iccp_local=str(me.peer_address.ip),
            iccp_peer=str(other.peer_address.ip),
            iccp_hold_time=init_delay + ICCP_HOLD_MARGIN,
            backup_peer=str(me.keepalive.destination),
            stp_protocol=domain.stp.mode,
            bridge_priority=None if domain.stp.priority is None else bridge_priority_text(domain.stp.priority),
            service_id=domain.effective_service_id,
            vlan_defs=sorted(
                (VlanView(name, vid, f"irb.{vid}" if vid == domain.effective_peer_vlan else None) for vid, name in names.items()),
                key=lambda v: v.name,
            ),
        )
        return ctx

    def _interface_views(self, domain: MlagDomain, host: str, names: dict[int, str], lags: list[LagView]) -> Iterable[MemberView | AeView | L3View]:
        me = domain.peer(host)
        primary = domain.role_of(host) == "primary"
        icl = self.lag_name(me.peer_link.port_channel)
        yield from (MemberView(m, icl) for m in me.peer_link.members)
        icl_vlans = self._peer_link_vlans_on(domain, host)
        yield AeView(
            name=icl,
            description=junos_quote(me.peer_link.description) if me.peer_link.description else None,
            lacp_mode="active",
            periodic="fast",
            port_mode="trunk",
            vlan_members=("all",) if icl_vlans is None else tuple(names[v] for v in icl_vlans),
        )
        for lag in lags:
            force_up = lag.intent.lacp_fallback and primary
            yield from (MemberView(m, lag.name, force_up) for m in lag.members)
            yield self._mc_ae_view(domain, host, lag, names)
        assert me.peer_address is not None
        yield L3View("irb", domain.effective_peer_vlan, str(me.peer_address))
        ka = me.keepalive
        if ka.interface and ka.prefix_length:
            port, unit = _split_unit(ka.interface)
            yield L3View(port, unit, f"{ka.source}/{ka.prefix_length}")

    def _mc_ae_view(self, domain: MlagDomain, host: str, lag: LagView, names: dict[int, str]) -> AeView:
        itf: MlagInterface = lag.intent
        init_delay = self._init_delay(domain)
        return AeView(
            name=lag.name,
            description=junos_quote(itf.description) if itf.description else None,
            lacp_mode=itf.lacp_mode,
            periodic=itf.lacp_rate,
            port_mode=itf.mode,
            vlan_members=tuple(names[v] for v in itf.vlans),
            native_vlan=itf.native_vlan,
            mtu=itf.mtu,
            min_links=itf.min_links,
            system_priority=domain.system.priority,
            system_id=self._system_mac(domain),
            admin_key=itf.admin_key or itf.mlag_id,
            mc_ae=McAeView(
                mc_ae_id=itf.mlag_id,
                redundancy_group=domain.domain_id,
                chassis_id=domain.chassis_id_of(host),
                status_control="active" if domain.role_of(host) == "primary" else "standby",
                init_delay=init_delay or None,
            ),
        )

    # --- projection ----------------------------------------------------------------------
    def projected_vlans(self, domain: MlagDomain) -> list[tuple[int, str | None]]:
        """Junos VLANs are named blocks: every VLAN by the name it is printed under."""
        return sorted(self._vlan_name_map(domain).items())

    def peer_config(self, domain: MlagDomain, host: str) -> PeerConfig:
        base = super().peer_config(domain, host)
        me = domain.peer(host)
        has_lags = bool(domain.mlag_interfaces)
        return base.model_copy(
            update={
                "role": domain.role_of(host) if has_lags else None,
                "system_mac": self._system_mac(domain) if has_lags else None,
                "system_priority": (domain.system.priority or LACP_SYSTEM_PRIORITY_DEFAULT) if has_lags else None,
                "local_interface": f"irb.{domain.effective_peer_vlan}",
                "peer_vlan": domain.effective_peer_vlan,
                "keepalive": KeepaliveConfig(source=self._keepalive_source(me), destination=str(me.keepalive.destination)),
                "peer_link": PeerLinkConfig(
                    interface=self.lag_name(me.peer_link.port_channel),
                    members=sorted(me.peer_link.members),
                    vlans=self._peer_link_vlans_on(domain, host),
                    lacp_mode="active",
                    description=me.peer_link.description,
                ),
                "timers": TimersConfig(restore_delay=self._init_delay(domain) if has_lags else None),
                "service_id": domain.effective_service_id,
            }
        )

    def interface_config(self, domain: MlagDomain, host: str, lag: LagView) -> MlagInterfaceConfig:
        base = super().interface_config(domain, host, lag)
        itf = lag.intent
        primary = domain.role_of(host) == "primary"
        return base.model_copy(
            update={
                "lacp_fallback": itf.lacp_fallback and primary,
                "lacp_fallback_timeout": None,
                "lacp_system_id": self._system_mac(domain),
                "lacp_system_priority": domain.system.priority or LACP_SYSTEM_PRIORITY_DEFAULT,
                "admin_key": itf.admin_key or itf.mlag_id,
                "chassis_id": domain.chassis_id_of(host),
                "status_control": "active" if primary else "standby",
                "redundancy_group": domain.domain_id,
                "mc_ae_mode": "active-active",
                "init_delay": self._init_delay(domain),
            }
        )

    # --- parsing -------------------------------------------------------------------------
    def _parse_config(self, text: str, hostname: str | None) -> PeerConfig:
        parsed = _Reader(text).peer_config(self.platform, hostname)
        if not (parsed.mlag_interfaces or parsed.vlans) and parsed.is_empty():  # a LAG or a VLAN spares the full dump
            parsed.warnings.append("no Junos MC-LAG configuration found (no ICCP, multi-chassis, mc-ae or VLAN statements)")
        return parsed

    @classmethod
    def detect(cls, text: str) -> int:
        markers = ("ether-options", "family ethernet-switching", "mc-ae", "protocols iccp", "iccp {", "multi-chassis", "switch-options", "host-name", "## Last commit", "vlan-id ")
        score = sum(5 for m in markers if m in text)
        return (score + text.count("\nset ") + text.count(" {\n")) if score else 0

    # --- live state --------------------------------------------------------------------------
    def parse_state(self, outputs: dict[str, str], hostname: str | None = None) -> PeerState:
        """``show iccp`` gives the ICCP adjacency (peer), its BFD liveness, the backup liveness
        (keepalive) and the redundancy group (domain id); ``show interfaces mc-ae`` each MC-AE's
        state, configuration error and the ICL state (``Peer Ip/MCP/State``, the peer-link);
        ``show lacp interfaces extensive`` the actor system id each MC-AE presents and, per member,
        the mux state and the partner. Junos prints no pair-wide consistency verdict or system id,
        so those stay None and inconsistencies show per interface. Every command is read as text
        (see ``state_commands``); a ``| display json`` capture is reported, not read."""
        try:
            return _read_state(self.platform, hostname, outputs, self.state_commands)
        except Exception as exc:  # validation reports an unreadable switch, it never stops on one
            return PeerState(platform=self.platform, hostname=hostname, warnings=[f"unreadable Junos show output ({type(exc).__name__}: {exc})"])


class _Reader:
    """One pass over the statement paths of a Junos configuration, then assembly into a PeerConfig."""

    def __init__(self, text: str):
        self.host_name: str | None = None
        self.chassis_priority: int | None = None
        self.ifds: dict[str, _Ifd] = {}
        self.ranges: dict[str, _Ifd] = {}
        self.protection: dict[str, str] = {}
        self.iccp_local: str | None = None
        self.iccp_peers: dict[str, dict[str, str]] = {}
        self.stp: dict[str, int | None] = {}
        self.stp_disabled: set[str] = set()
        self.service_id: int | None = None
        self.vlan_ids: dict[str, int] = {}
        self.vlan_l3: dict[str, str] = {}
        self.warnings: list[str] = []
        self.unread: list[str] = []
        self._members: list[str] | None = None
        run: list[str] | None = None  # the last statement that added one VLAN member to a unit
        for path in effective_paths(text, self.warnings):
            if run is not None and len(path) == len(run) and path[:-1] == run[:-1]:
                # The next member of the same ``members [ ... ]`` list (a list is one statement per
                # member, a third of a large config's): the same prefix reaches the same unit
                # through the same branches, so it is added without walking them again.
                if path[-1] not in ("[", "]"):
                    self._members.append(path[-1])  # type: ignore[union-attr]
                continue
            run = None
            if len(path) > 1:
                self._members = None
                self._statement(path)
                if self._members is not None:
                    run = path

    # --- statements ------------------------------------------------------------------------
    def _statement(self, path: list[str]) -> None:
        head = path[0]
        if head == "interfaces":
            self._interface(path)
        elif head == "vlans" and len(path) > 3:
            self._vlan(path)
        elif head == "protocols":
            self._protocol(path)
        elif head == "bridge-domains" and len(path) > 3:
            self._vlan(path)
        elif head == "multi-chassis":
            self._multi_chassis(path)
        elif head == "switch-options" and path[1] == "service-id" and len(path) > 2:
            self.service_id = _int(path[2])
        elif head == "system" and path[1] == "host-name" and len(path) > 2:
            self.host_name = path[2]
        elif head == "chassis" and path[1:5] == ["aggregated-devices", "ethernet", "lacp", "system-priority"] and len(path) > 5:
            self.chassis_priority = _int(path[5])

    def _interface(self, path: list[str]) -> None:
        if len(path) < 3:
            return
        if path[1] == "interface-range":
            if len(path) > 4:
                self._ifd_statement(_entry(self.ranges, path[2]), path[3:])
            return
        if not self._ifd_statement(_entry(self.ifds, path[1].lower()), path[2:]):
            self.unread.append(" ".join(path))

    def _ifd_statement(self, ifd: _Ifd, rest: list[str]) -> bool:
        """Read one statement of an interface; False for an mc-ae statement in an unknown form."""
        key, value = rest[0], rest[1] if len(rest) > 1 else None
        if key == "unit" and value is not None and _is_number(value) and len(rest) > 2:
            self._unit(ifd.unit(int(value)), rest[2:])
        elif key in ("ether-options", "gigether-options") and value == "802.3ad" and len(rest) > 2:
            self._bundle(ifd, rest[2:])
        elif key == "aggregated-ether-options" and value is not None:
            return self._ae_options(ifd, rest[1:])
        elif value is None:
            return True
        elif key == "description":
            ifd.description = value
        elif key == "mtu":
            ifd.mtu = _int(value)
        elif key == "native-vlan-id":
            ifd.native_vlan = _int(value)
        elif key == "member":
            ifd.range_members.extend(_expand_member(value, self.warnings))
        elif key == "member-range" and len(rest) > 3:
            ifd.range_members.extend(_expand_member_range(value, rest[3], self.warnings))
        return True

    @staticmethod
    def _bundle(ifd: _Ifd, rest: list[str]) -> None:
        if rest[0] == "lacp":
            ifd.force_up = ifd.force_up or rest[1:2] == ["force-up"]
        elif rest[0][:2].lower() == "ae":
            ifd.bundle = rest[0].lower()

    @staticmethod
    def _ae_options(ifd: _Ifd, rest: list[str]) -> bool:
        """Read ``aggregated-ether-options``; False for an mc-ae statement in an unknown form."""
        block, value = rest[0], rest[1] if len(rest) > 1 else None
        if block == "lacp":
            ifd.has_lacp = True
            if value in ("active", "passive"):
                ifd.lacp["mode"] = value
            elif value == "force-up":
                ifd.force_up = True
            elif value is not None and len(rest) > 2:
                ifd.lacp[value] = rest[2]
        elif block == "mc-ae" and value is not None:
            valid = _MC_AE_VALUES.get(value)
            if valid is None:
                return value in _MC_AE_OTHER
            if len(rest) != 3 or not valid(rest[2]):
                return False
            ifd.mc_ae[value] = rest[2]
        elif block == "minimum-links":
            ifd.min_links = _int(value)
        return True

    def _unit(self, unit: _Unit, rest: list[str]) -> None:
        if rest[0] != "family" or len(rest) < 3:
            return
        family, key = rest[1], rest[2]
        if family in ("inet", "inet6") and key == "address" and len(rest) > 3:
            if rest[3] not in unit.addresses:
                unit.addresses.append(rest[3])
        elif family == "bridge":  # MX: the bridge family stands for ethernet-switching
            unit.switching = True
            if key == "interface-mode" and len(rest) > 3:
                unit.mode = rest[3]
            elif key in ("vlan-id-list", "vlan-id") and len(rest) > 3:
                unit.members += rest[3:]
        elif family == "ethernet-switching":
            unit.switching = True
            if key in ("interface-mode", "port-mode") and len(rest) > 3:
                unit.mode = rest[3]
            elif key == "vlan" and rest[3:4] == ["members"]:
                unit.members += [t for t in rest[4:] if t not in ("[", "]")]
                if len(rest) == 5:
                    self._members = unit.members  # one member: the next of its list may follow
            elif key == "native-vlan-id" and len(rest) > 3:
                unit.native_vlan = _int(rest[3])

    def _vlan(self, path: list[str]) -> None:
        """A ``vlans`` entry (ELS and legacy EX) or an MX ``bridge-domains`` entry. Ports may join a
        VLAN from here (``interface ae1.0``) instead of listing it under their unit."""
        name, key, value = path[1], path[2], path[3]
        if key == "vlan-id" and _is_number(value):
            self.vlan_ids[name] = int(value)
        elif key in ("l3-interface", "routing-interface"):
            self.vlan_l3[name] = value
        elif key == "interface":
            base, unit_number = _split_unit(value.lower())
            unit = _entry(self.ifds, base).unit(unit_number)
            unit.switching = True
            unit.members.append(name)

    def _multi_chassis(self, path: list[str]) -> None:
        """``multi-chassis-protection <peer> interface <icl>``: the ICL towards that peer."""
        rest = path[1:]
        if rest[0] == "multi-chassis-protection" and len(rest) > 2:
            if rest[2] == "interface" and len(rest) == 4:
                self.protection[rest[1]] = rest[3].lower()
            elif rest[2] not in _PROTECTION_OTHER:
                self.unread.append(" ".join(path))
        elif rest[0] not in _MULTI_CHASSIS_OTHER:
            self.unread.append(" ".join(path))

    def _protocol(self, path: list[str]) -> None:
        proto = path[1]
        if proto == "iccp" and len(path) > 3:
            self._iccp(path[2:])
        elif proto in _STP_PROTOCOLS:
            self.stp.setdefault(proto, None)
            if path[2:] == ["disable"]:
                self.stp_disabled.add(proto)
            elif path[2:3] == ["bridge-priority"] and len(path) > 3:
                self.stp[proto] = parse_bridge_priority(path[3])

    def _iccp(self, rest: list[str]) -> None:
        """ICCP: the local address (global or per peer), each peer's redundancy groups and backup
        liveness peer; documented statements the model has no field for are read past."""
        key = rest[0]
        if key == "local-ip-addr" and len(rest) == 2:
            self.iccp_local = rest[1]
        elif key == "peer" and len(rest) > 3:
            if not self._iccp_peer_statement(self.iccp_peers.setdefault(rest[1], {}), rest[2:]):
                self.unread.append(" ".join(["protocols", "iccp", *rest]))
        elif key not in _ICCP_OTHER:
            self.unread.append(" ".join(["protocols", "iccp", *rest]))

    @staticmethod
    def _iccp_peer_statement(peer: dict[str, str], rest: list[str]) -> bool:
        """One ``peer X ...`` statement; False when its form is unknown."""
        key = rest[0]
        if key == "backup-liveness-detection":
            if rest[1:2] != ["backup-peer-ip"] or len(rest) != 3:
                return False
            peer["backup-peer-ip"] = rest[2]
        elif key == "local-ip-addr" and len(rest) == 2:
            peer[key] = rest[1]
        elif key == "redundancy-group-id-list":
            peer.setdefault(key, rest[1])  # a list: the first group is the domain
        else:
            return key in _ICCP_PEER_OTHER
        return True

    # --- assembly ----------------------------------------------------------------------------
    def peer_config(self, platform: str, hostname: str | None) -> PeerConfig:
        """The PeerConfig, validated once: LAGs and VLANs go in as plain dicts, so pydantic builds
        the nested models without a Python call for each of them."""
        self._apply_ranges()
        members = self._members_by_bundle()
        names = dict(self.vlan_ids)
        lags = []
        for name, ifd in self.ifds.items():
            lag = self._mc_ae(name, ifd, members, names) if ifd.mc_ae else None
            if lag is not None:
                lags.append(lag)
        lags.sort(key=lambda c: c["mlag_id"])
        peer_ip, peer = self._iccp_peer()
        local_ip = self.iccp_local or peer.get("local-ip-addr")
        local_itf, local_addr = self._address_of(local_ip)
        delays = {c["init_delay"] for c in lags}
        first = lags[0] if lags else None
        return PeerConfig.model_validate(
            {
                "platform": platform,
                "hostname": self.host_name or hostname,
                "domain_id": self._domain_id(peer, lags),
                "role": None if first is None or first["status_control"] is None else ("primary" if first["status_control"] == "active" else "secondary"),
                "system_mac": first["lacp_system_id"] if first else None,
                "system_priority": first["lacp_system_priority"] if first else None,
                "local_interface": local_itf,
                "local_address": local_addr or local_ip,
                "peer_address": peer_ip,
                "peer_vlan": self._peer_vlan(local_itf),
                "keepalive": self._keepalive(peer, local_itf),
                "peer_link": self._peer_link(peer_ip, members, names),
                "mlag_interfaces": lags,
                "vlans": sorted(({"id": vid, "name": name} for name, vid in names.items()), key=lambda v: (v["id"], v["name"])),
                "stp": self._stp(),
                "timers": TimersConfig(restore_delay=delays.pop() if len(delays) == 1 else None),
                "service_id": self.service_id,
                "warnings": self.warnings,
                "unread": self.unread,
            }
        )

    def _apply_ranges(self) -> None:
        """Interface-range settings reach each member unless the member sets them itself."""
        for rng in self.ranges.values():
            for name in rng.range_members:
                ifd = _entry(self.ifds, name)
                ifd.bundle = ifd.bundle or rng.bundle
                ifd.force_up = ifd.force_up or rng.force_up

    def _members_by_bundle(self) -> dict[str, list[_Member]]:
        out: dict[str, list[_Member]] = {}
        for name, ifd in self.ifds.items():
            if ifd.bundle:
                out.setdefault(ifd.bundle, []).append(_Member(name, ifd.force_up))
        return out

    def _mc_ae(self, name: str, ifd: _Ifd, members: dict[str, list[_Member]], names: dict[str, int]) -> dict[str, Any] | None:
        """The fields of one ``MlagInterfaceConfig``; None (with a warning) without a readable id."""
        mc = ifd.mc_ae
        mlag_id = _int(mc.get("mc-ae-id"))
        if mlag_id is None:
            self.warnings.append(f"{name} has mc-ae settings but no readable mc-ae-id; it is left out")
            return None
        unit = ifd.units.get(0, _Unit())
        mine = members.get(name, [])
        lacp = self._lacp_view(ifd)
        return {
            "mlag_id": mlag_id,
            "interface": name,
            "description": ifd.description,
            "members": sorted(m.name for m in mine),
            "lacp_mode": lacp["mode"],
            "lacp_rate": lacp["rate"],
            "mode": unit.mode or ("access" if unit.switching else None),
            "vlans": sorted(self._vlan_members(name, unit.members, names)),
            "native_vlan": ifd.native_vlan if ifd.native_vlan is not None else unit.native_vlan,
            "mtu": ifd.mtu,
            "min_links": ifd.min_links,
            "lacp_fallback": ifd.force_up or any(m.force_up for m in mine),
            "lacp_system_id": _mac(ifd.lacp.get("system-id")),
            "lacp_system_priority": lacp["priority"],
            "admin_key": _int(ifd.lacp.get("admin-key")),
            "chassis_id": _int(mc.get("chassis-id")),
            "status_control": mc.get("status-control"),
            "redundancy_group": _int(mc.get("redundancy-group")),
            "mc_ae_mode": mc.get("mode"),
            "init_delay": _int(mc.get("init-delay-time")) if "init-delay-time" in mc else INIT_DELAY_DEFAULT,
        }

    def _lacp_view(self, ifd: _Ifd) -> dict[str, Any]:
        """Effective LACP mode/rate/priority; an ae without LACP is a static bundle."""
        if not ifd.has_lacp:
            return {"mode": "static", "rate": None, "priority": None}
        priority = _int(ifd.lacp.get("system-priority"))
        return {
            "mode": ifd.lacp.get("mode", "passive"),
            "rate": ifd.lacp.get("periodic", LACP_PERIODIC_DEFAULT),
            "priority": priority if priority is not None else (self.chassis_priority if self.chassis_priority is not None else LACP_SYSTEM_PRIORITY_DEFAULT),
        }

    def _vlan_members(self, interface: str, tokens: list[str], names: dict[str, int]) -> set[int]:
        """VLAN members by name, id or range; ``all`` is every VLAN the config defines."""
        out: set[int] = set()
        for tok in tokens:
            if tok in names:
                out.add(names[tok])
            elif tok == "all":
                out.update(names.values())
            else:
                try:
                    out.update(parse_vlan_list(tok))
                except ValueError:
                    self.warnings.append(f"{interface}: VLAN member {tok!r} is not a VLAN defined in this configuration")
        return out

    def _iccp_peer(self) -> tuple[str | None, dict[str, str]]:
        if not self.iccp_peers:
            return None, {}
        if len(self.iccp_peers) > 1:
            self.warnings.append(f"several ICCP peers ({', '.join(self.iccp_peers)}); only the first is read")
        ip = next(iter(self.iccp_peers))
        return ip, self.iccp_peers[ip]

    def _address_of(self, ip: str | None) -> tuple[str | None, str | None]:
        """The logical interface and address-with-prefix holding ``ip``."""
        if ip is None:
            return None, None
        for name, ifd in self.ifds.items():
            for number, unit in ifd.units.items():
                for addr in unit.addresses:
                    if _same_ip(addr.split("/", 1)[0], ip):
                        itf = _ip_interface(addr)
                        return f"{name}.{number}", str(itf) if itf else addr
        return None, None

    def _peer_vlan(self, local_itf: str | None) -> int | None:
        for name, l3 in self.vlan_l3.items():
            if l3 == local_itf:
                return self.vlan_ids.get(name)
        return None

    def _keepalive(self, peer: dict[str, str], local_itf: str | None) -> KeepaliveConfig | None:
        dest = peer.get("backup-peer-ip")
        if dest is None:
            return None
        target = _ip_interface(dest)
        for name, ifd in self.ifds.items():
            for number, unit in ifd.units.items():
                if target is None or f"{name}.{number}" == local_itf:
                    continue
                for addr in unit.addresses:
                    itf = _ip_interface(addr)
                    if itf is not None and itf.version == target.version and target.ip in itf.network and itf.ip != target.ip:
                        return KeepaliveConfig(source=str(itf.ip), destination=dest)
        return KeepaliveConfig(destination=dest)

    def _peer_link(self, peer_ip: str | None, members: dict[str, list[_Member]], names: dict[str, int]) -> PeerLinkConfig | None:
        if not self.protection:
            return None
        chosen = self.protection.get(peer_ip) if peer_ip else None
        if chosen is None:
            chosen = next(iter(self.protection.values()))
            if peer_ip:
                self.warnings.append(f"multi-chassis-protection names {', '.join(self.protection)} but the ICCP peer is {peer_ip}")
        icl = chosen.split(".", 1)[0]
        ifd = self.ifds.get(icl, _Ifd())
        unit = ifd.units.get(0, _Unit())
        return PeerLinkConfig(
            interface=icl,
            members=sorted(m.name for m in members.get(icl, [])),
            vlans=None if "all" in unit.members else sorted(self._vlan_members(icl, unit.members, names)),
            lacp_mode=self._lacp_view(ifd)["mode"],
            description=ifd.description,
        )

    def _stp(self) -> StpConfig:
        """The first spanning-tree protocol configured and not disabled, with its bridge priority."""
        mode = next((p for p in self.stp if p not in self.stp_disabled), None)
        return StpConfig(mode=mode, priority=self.stp[mode] if mode else None)

    @staticmethod
    def _domain_id(peer: dict[str, str], lags: list[dict[str, Any]]) -> str | None:
        group = peer.get("redundancy-group-id-list")
        if group is None and lags and lags[0]["redundancy_group"] is not None:
            group = str(lags[0]["redundancy_group"])
        return group


@dataclass(frozen=True)
class _Member:
    name: str
    force_up: bool


def _entry(table: dict[str, _Ifd], name: str) -> _Ifd:
    """The facts of ``name``, created on first sight (without building one per statement)."""
    ifd = table.get(name)
    if ifd is None:
        ifd = table[name] = _Ifd()
    return ifd


def _ip_interface(text: str) -> IPv4Interface | IPv6Interface | None:
    """An ``inet`` or ``inet6`` address (ICCP may run over either)."""
    try:
        return ip_interface(text)
    except ValueError:
        return None


def _same_ip(a: str, b: str) -> bool:
    """Equal addresses; IPv6 has several spellings of one address (``2001:db8::1``, ``2001:DB8:0::1``)."""
    if a == b:
        return True
    if ":" not in a or ":" not in b:
        return False
    try:
        return ip_address(a) == ip_address(b)
    except ValueError:
        return False


def effective_paths(text: str, warnings: list[str]) -> list[list[str]]:
    """The statements in effect: deactivated ones out, apply-groups applied."""
    paths = junos_set_lines(text)
    if "deactivate " in text:
        deactivated = _deactivated(text)
        lengths = sorted({len(p) for p in deactivated})
        paths = [p for p in paths if not _under(p, deactivated, lengths)]
    if "apply-groups" in text:  # else no group is in effect: spares the inheritance pass
        paths = _inherit(paths, warnings)
    return paths


def _inherit(paths: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """The statements in effect once ``apply-groups`` is resolved, as ``show configuration |
    display inheritance`` prints them.

    A group applied at a level hands down its statements at that level and below; a wildcard
    name (``<ae*>``, ``<*>``, ``<xe-0/0/[0-9]>``) only matches objects the configuration itself
    has. ``apply-groups-except`` stops a group below its level. The inherited statements come
    first and in reverse priority (shallow before deep, the last-listed group before the first),
    so that with the reader's last-value-wins rule the explicit statement, then the deeper
    ``apply-groups``, then the first-listed group wins, as Junos documents."""
    groups: dict[str, list[list[str]]] = {}
    explicit: list[list[str]] = []
    for path in paths:
        if path[0] == "groups":
            if len(path) > 2:
                groups.setdefault(path[1], []).append(path[2:])
        else:
            explicit.append(path)
    applied: list[tuple[int, int, list[str], str]] = []
    excepted: dict[str, list[list[str]]] = {}
    for path in explicit:
        if "apply-groups" in path:
            k = path.index("apply-groups")
            applied += [(k, -len(applied) - n, path[:k], name) for n, name in enumerate(path[k + 1 :])]
        elif "apply-groups-except" in path:
            k = path.index("apply-groups-except")
            for name in path[k + 1 :]:
                excepted.setdefault(name, []).append(path[:k])
    index = _NameIndex(explicit)
    inherited: list[list[str]] = []
    for _, _, prefix, name in sorted(applied, key=lambda a: (a[0], a[1])):
        if name == "junos-defaults":
            continue
        if name not in groups:
            warnings.append(f"apply-groups {name}: the group is not in this text; MC-LAG values it sets are missing")
            continue
        stops = [e for e in excepted.get(name, []) if len(e) > len(prefix)]
        for statement in groups[name]:
            for path in _inherited(prefix, statement, index):
                if not any(path[: len(e)] == e for e in stops):
                    inherited.append(path)
    return inherited + explicit if inherited else explicit


class _NameIndex:
    """The names the configuration gives at each level, for wildcard group statements."""

    def __init__(self, paths: list[list[str]]):
        self._paths = paths
        self._levels: dict[int, dict[tuple[str, ...], dict[str, None]]] = {}

    def names(self, parent: list[str]) -> Iterable[str]:
        """The distinct names that follow ``parent`` in some statement, in order of appearance."""
        depth = len(parent)
        level = self._levels.get(depth)
        if level is None:
            level = self._levels[depth] = {}
            for path in self._paths:
                if len(path) > depth + 1:
                    level.setdefault(tuple(path[:depth]), {})[path[depth]] = None
        return level.get(tuple(parent), {})


def _wildcard(token: str) -> str | None:
    """The glob of a group wildcard name ``<ae*>``; None for a plain token."""
    return token[1:-1] if len(token) > 2 and token[0] == "<" and token[-1] == ">" else None


def _inherited(prefix: list[str], statement: list[str], index: _NameIndex) -> list[list[str]]:
    """The concrete statements a group statement gives the level ``prefix``: none when it lies
    elsewhere, one per matching object for each wildcard below the level."""
    if len(statement) <= len(prefix):
        return []
    for token, mine in zip(statement, prefix):
        glob = _wildcard(token)
        if token != mine and (glob is None or not fnmatchcase(mine, glob)):
            return []
    out = [list(prefix)]
    for token in statement[len(prefix) :]:
        glob = _wildcard(token)
        if glob is None:
            for path in out:
                path.append(token)
        else:
            out = [path + [name] for path in out for name in index.names(path) if fnmatchcase(name, glob)]
    return out


def _deactivated(text: str) -> set[tuple[str, ...]]:
    """Paths switched off by ``deactivate`` lines of the set rendering."""
    return {tuple(line.split()[1:]) for line in text.splitlines() if line.startswith("deactivate ")}


def _under(path: list[str], prefixes: set[tuple[str, ...]], lengths: list[int]) -> bool:
    """True when a prefix of ``path`` is deactivated; ``lengths`` are the prefix lengths in use."""
    return any(tuple(path[:k]) in prefixes for k in lengths if k <= len(path))


def _expand_member(name: str, warnings: list[str]) -> list[str]:
    """An interface-range ``member``: one name, or a ``prefix[lo-hi]`` port range."""
    match = _BRACKET_RANGE.fullmatch(name)
    if match:
        prefix, lo, hi = match.group(1), int(match.group(2)), int(match.group(3))
        return [f"{prefix}{n}" for n in range(lo, hi + 1)]
    if "*" in name or "[" in name:
        warnings.append(f"interface-range member {name!r} is a pattern this parser cannot resolve")
        return []
    return [name]


def _expand_member_range(first: str, last: str, warnings: list[str]) -> list[str]:
    """``member-range xe-0/0/2 to xe-0/0/5``: ports counted on the last number of one prefix."""
    a, b = _TRAILING_NUMBER.fullmatch(first), _TRAILING_NUMBER.fullmatch(last)
    if a and b and a.group(1) == b.group(1) and int(a.group(2)) <= int(b.group(2)):
        return [f"{a.group(1)}{n}" for n in range(int(a.group(2)), int(b.group(2)) + 1)]
    warnings.append(f"interface-range member-range {first} to {last} spans more than one slot; it is not resolved")
    return []


def _statement(line: str, verb: str) -> tuple[str, ...]:
    """The token path of one ``set``/``delete`` line."""
    return tuple(junos_set_lines("set " + line.removeprefix(verb))[0])


def _only_gone(prefix: tuple[str, ...], running: list[tuple[str, ...]], gone: list[tuple[str, ...]], intended: list[tuple[str, ...]]) -> bool:
    """Whether every running statement at or below ``prefix`` is deleted and the intent keeps
    none there."""
    def below(path: tuple[str, ...]) -> bool:
        return path[: len(prefix)] == prefix

    return all(p in gone for p in running if below(p)) and not any(below(p) for p in intended)


def _set_line(path: list[str]) -> str:
    """A statement path as a ``set`` line, quoting tokens with spaces as Junos prints them."""
    return "set " + " ".join(f'"{t}"' if (" " in t or not t) else t for t in path)


# --- live state: the show outputs named in JunosDriver.state_commands --------------------------
_STATE_FIELD = re.compile(r"\s*([A-Za-z][^:]*?)\s*:\s*(.*?)\s*")
"""``Label : value`` lines of ``show iccp`` and ``show interfaces mc-ae`` (label widths vary)."""
_ICCP_PEER = re.compile(r"\s*Redundancy Group Information for peer (\S+)\s*")
_ICCP_GROUP = re.compile(r"\s*(\d+)\s+(\S+)\s*")
_LACP_BUNDLE = re.compile(r"\s*Aggregated interface:\s*(\S+)\s*")
_LACP_ACTOR = re.compile(r"\s*\S+\s+Actor\s+\d+\s+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\s+\d+\s+\d+\s+\d+\s*")
"""An actor row of the ``LACP info`` table: port, role, priority, system id, port priority, number, key."""
_LACP_PARTNER = re.compile(r"\s*(\S+)\s+Partner\s+(\d+)\s+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\s+\d+\s+(\d+)\s+(\d+)\s*")
"""A partner row of the ``LACP info`` table: port, role, priority, system id, port priority,
number, key."""
_LACP_MUX = re.compile(r"\s*(\S+)\s+\S.*?\s+(?:Fast|Slow|No) periodic\s+(.*?)\s*")
"""A row of the ``LACP protocol`` table: port, receive state (``Current``, ``Port disabled``),
transmit state, mux state."""
_MC_AE_STATEMENT = re.compile(r"set interfaces (ae\d+) aggregated-ether-options mc-ae (mc-ae-id|status-control|redundancy-group) (\S+)\s*")
_CLI_ERROR = re.compile(r"^\s*((?:error:|syntax error|unknown command).*)$", re.IGNORECASE | re.MULTILINE)
_ROLE_OF_STATUS_CONTROL = {"active": "primary", "standby": "secondary"}


@dataclass
class _IccpPeer:
    """One ``Redundancy Group Information for peer`` block of ``show iccp``."""

    address: str
    fields: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    """Redundancy group id -> its status as printed (``Up`` / ``Down``)."""


@dataclass
class _McAeMember:
    """One ``Member Link`` block of ``show interfaces mc-ae``."""

    name: str
    fields: dict[str, str] = field(default_factory=dict)
    """Fields of the ae itself; its logical-interface block repeats some of the labels."""
    icl_states: list[str] = field(default_factory=list)
    """Last word of each ``Peer Ip/MCP/State`` line: the ICL unit that protects this MC-AE."""


def _read_state(platform: str, hostname: str | None, outputs: dict[str, str], commands: tuple[str, ...]) -> PeerState:
    """The PeerState of one switch from the outputs of ``commands`` (``JunosDriver.state_commands``)."""
    iccp_cmd, mcae_cmd, lacp_cmd, config_cmd = commands
    warnings: list[str] = []
    texts = {cmd: _state_text(cmd, outputs.get(cmd), warnings) for cmd in commands}
    markers = {iccp_cmd: "Redundancy Group Information", mcae_cmd: "Member Link", lacp_cmd: "Aggregated interface", config_cmd: "set "}
    for cmd, marker in markers.items():
        text = texts[cmd].strip()
        if text and marker not in text:
            warnings.append(f"{cmd}: output not understood (it starts {text.splitlines()[0][:80]!r})")
    if not warnings and not any(t.strip() for t in texts.values()):
        warnings.append("every state command answered with nothing; a switch always has some interface configuration")
    peers = _iccp_peers(texts[iccp_cmd])
    members = _mc_ae_members(texts[mcae_cmd])
    actor_ids = _lacp_actor_ids(texts[lacp_cmd])
    lacp_members = _lacp_members(texts[lacp_cmd])
    settings = _mc_ae_settings(texts[config_cmd])
    peer = peers[0] if peers else None
    if peer is not None and len(peers) > 1:
        warnings.append(f"{iccp_cmd}: {len(peers)} ICCP peers; only {peer.address} is read")
    domain = _domain(peer, {s["redundancy-group"] for s in settings.values() if "redundancy-group" in s})
    interfaces = []
    for member in members:
        mlag_id = _int(settings.get(member.name, {}).get("mc-ae-id"))
        if mlag_id is None:
            warnings.append(f"{member.name}: {mcae_cmd} lists it but {config_cmd} shows no mc-ae-id for it (set by a configuration group?); it is left out")
            continue
        interfaces.append(_mc_ae_state(member, mlag_id, actor_ids.get(member.name), lacp_members.get(member.name, [])))
    controls = {s.get("status-control") for s in settings.values() if "mc-ae-id" in s}
    icl = [state for m in members for state in m.icl_states]
    return PeerState(
        platform=platform,
        hostname=hostname,
        configured=bool(peers or members or any("mc-ae-id" in s for s in settings.values())),
        domain_id=domain,
        peer_status=_adjacency(peer, domain) if peer else None,
        keepalive_status=_updown(peer.fields.get("backup liveness peer status")) if peer else None,
        peer_link_status=("up" if all(s == "up" for s in icl) else "down") if icl else None,
        role=_ROLE_OF_STATUS_CONTROL.get(controls.pop() or "") if len(controls) == 1 else None,
        interfaces=sorted(interfaces, key=lambda i: i.mlag_id),
        warnings=warnings,
    )


def _state_text(command: str, text: str | None, warnings: list[str]) -> str:
    """The output to read; empty (with a warning) when it is missing or the CLI refused the command."""
    if text is None:
        warnings.append(no_output(command))
        return ""
    if is_json(text):
        warnings.append(f"{command}: the JSON form is not read; save the text output of `{command}`")
        return ""
    error = _CLI_ERROR.search(text)
    if error:
        warnings.append(f"{command}: the switch answered {error.group(1).strip()!r}")
        return ""
    return text


def _label(text: str) -> str:
    """A field label compared loosely: spacing differs between releases, and ``show iccp`` is seen
    with both ``Liveliness`` and ``Liveness``."""
    return " ".join(text.lower().replace("liveliness", "liveness").split())


def _updown(value: str | None) -> str | None:
    """``Up`` -> ``up``; any other printed state (``Down``, ``Not established``) -> ``down``."""
    return None if value is None else ("up" if value.strip().lower() == "up" else "down")


def _iccp_peers(text: str) -> list[_IccpPeer]:
    peers: list[_IccpPeer] = []
    current: _IccpPeer | None = None
    for line in text.splitlines():
        head = _ICCP_PEER.fullmatch(line)
        if head:
            current = _IccpPeer(head.group(1))
            peers.append(current)
        elif line.lstrip().startswith("Client Application"):
            current = None  # the client list names the groups each daemon joined, not their state
        elif current is not None:
            group, pair = _ICCP_GROUP.fullmatch(line), _STATE_FIELD.fullmatch(line)
            if group:
                current.groups[group.group(1)] = group.group(2)
            elif pair:
                current.fields[_label(pair.group(1))] = pair.group(2)
    return peers


def _mc_ae_members(text: str) -> list[_McAeMember]:
    members: list[_McAeMember] = []
    current: _McAeMember | None = None
    in_unit = False
    for line in text.splitlines():
        pair = _STATE_FIELD.fullmatch(line)
        if pair is None:
            continue
        label, value = _label(pair.group(1)), pair.group(2)
        if label == "member link":
            current, in_unit = _McAeMember(value), False
            members.append(current)
        elif current is None:
            continue
        elif label == "logical interface":
            in_unit = True
        elif label == "peer ip/mcp/state":
            current.icl_states.append(value.split()[-1].lower() if value else "")
        elif not in_unit:
            current.fields.setdefault(label, value)
    return members


def _lacp_actor_ids(text: str) -> dict[str, str]:
    """Bundle -> the system id its first member sends as LACP actor (``LACP info``)."""
    ids: dict[str, str] = {}
    bundle: str | None = None
    for line in text.splitlines():
        head = _LACP_BUNDLE.fullmatch(line)
        if head:
            bundle = head.group(1)
            continue
        actor = _LACP_ACTOR.fullmatch(line)
        if actor and bundle is not None:
            ids.setdefault(bundle, _mac(actor.group(1)) or actor.group(1))
    return ids


def _lacp_members(text: str) -> dict[str, list[LacpMemberState]]:
    """Bundle -> its members from ``show lacp interfaces extensive``: bundled when the mux state is
    ``Collecting distributing``, and the partner row of ``LACP info``. ntc-templates'
    ``juniper_junos_show_lacp_interfaces`` reads the non-extensive form only (it stops at the
    ``LACP info`` table, the one place the partner's system id shows)."""
    mux: dict[str, dict[str, str]] = {}
    partners: dict[str, dict[str, dict[str, Any]]] = {}
    bundle: str | None = None
    for line in text.splitlines():
        head = _LACP_BUNDLE.fullmatch(line)
        if head:
            bundle = head.group(1)
            mux.setdefault(bundle, {})
            continue
        if bundle is None:
            continue
        partner = _LACP_PARTNER.fullmatch(line)
        row = _LACP_MUX.fullmatch(line) if partner is None else None
        if partner:
            port, priority, system, port_number, key = partner.groups()
            mac = lacp_mac(system)
            partners.setdefault(bundle, {})[port] = (
                {"partner_system_id": mac, "partner_system_priority": int(priority), "partner_port": int(port_number), "partner_key": int(key)} if mac else {}
            )
        elif row:
            mux[bundle][row.group(1)] = row.group(2)
    return {
        name: [
            LacpMemberState(interface=port, bundled=ports[port].lower() == "collecting distributing" if port in ports else None, **partners.get(name, {}).get(port, {}))
            for port in sorted(set(ports) | set(partners.get(name, {})))
        ]
        for name, ports in mux.items()
    }


def _mc_ae_settings(text: str) -> dict[str, dict[str, str]]:
    """ae -> its ``mc-ae-id``, ``status-control`` and ``redundancy-group`` from ``display set`` lines."""
    out: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        statement = _MC_AE_STATEMENT.fullmatch(line.strip())
        if statement:
            out.setdefault(statement.group(1), {})[statement.group(2)] = statement.group(3)
    return out


def _domain(peer: _IccpPeer | None, configured: set[str]) -> str | None:
    """The redundancy group the MC-AEs use, as ``show iccp`` lists it for the peer; the configured
    one when ICCP lists none."""
    listed = list(peer.groups) if peer else []
    chosen = next((g for g in listed if g in configured), listed[0] if listed else None)
    if chosen is None and len(configured) == 1:
        chosen = next(iter(configured))
    return chosen


def _adjacency(peer: _IccpPeer, domain: str | None) -> str:
    """``up`` when the ICCP session is established, its BFD liveness is not down and the pair's
    redundancy group is up: the MC-AEs of a group form only then."""
    established = peer.fields.get("tcp connection", "").lower() == "established"
    alive = _updown(peer.fields.get("liveness detection")) != "down"
    group_up = domain is not None and peer.groups.get(domain, "").lower() == "up"
    return "up" if established and alive and group_up else "down"


def _mc_ae_state(member: _McAeMember, mlag_id: int, system_id: str | None, members: list[LacpMemberState]) -> MlagInterfaceState:
    """One MC-AE: a configuration error makes it inconsistent; the state machine says why a half
    without an error is down."""
    fields = member.fields
    error = fields.get("configuration error status")
    consistent = None if error is None else error.lower() == "no error"
    status = _updown(fields.get("local state"))
    reason = error if consistent is False else (fields.get("current state machine's state") if status != "up" else None)
    return MlagInterfaceState(
        mlag_id=mlag_id,
        interface=member.name,
        status=status,
        peer_status=_updown(fields.get("peer state")),
        consistent=consistent,
        reason=reason,
        system_id=system_id,
        members=members,
    )
