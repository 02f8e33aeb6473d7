"""Host rules: a server's bond (``MlagInterface.host``, with the defaults derived from the LAG)
against the MLAG interface it faces on the pair, offline (``mlagauto hosts check``).

Each rule gets the ``EffectiveBond`` and the domain. Severity follows the catalogue's policy:
``error`` where the link cannot carry traffic as intended (LACP on one end only, a
switch-independent bond on a port-channel, a tag the LAG drops, frames larger than the LAG's MTU,
a PXE boot an LACP LAG never lets through), ``warning`` where it works degraded (all NICs on one
switch, asymmetric LACP timers), ``info`` for design advice.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlagauto.checks.registry import rule, rules_of
from mlagauto.model.finding import Finding, Severity, make_finding
from mlagauto.model.host import (
    HASHED_MODES,
    LACP_MODES,
    STATIC_MODES,
    SWITCH_INDEPENDENT_MODES,
    EffectiveBond,
    host_bonds,
    lag_tagged_vlans,
    lag_untagged_vlan,
)
from mlagauto.model.intent import MlagDomain, MlagInterface

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

DEFAULT_MTU = 1500
"""What a port-channel without an ``mtu`` is assumed to carry: the Ethernet default. Platforms
differ (some default to jumbo frames), hence only a warning when a host exceeds it."""


def _iface(domain: MlagDomain, b: EffectiveBond) -> MlagInterface:
    return domain.mlag_interfaces[b.index]


def _object(b: EffectiveBond) -> str:
    return f"{b.bond} (mlag {b.mlag_id})"


def _lag_is_lacp(iface: MlagInterface) -> bool:
    return iface.lacp_mode != "static"


def _field(b: EffectiveBond, name: str) -> str:
    """Where to fix a host setting: the inventory path, or the derived default it came from."""
    return f"{b.where}.{name}"


@rule("host-lacp", E, "host", "The bond and the port-channel agree on LACP (802.3ad on an LACP LAG, a static hash on a static one)")
def host_lacp(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    if b.mode in SWITCH_INDEPENDENT_MODES:
        return  # host-switch-independent reports it
    lag = f"LACP {iface.lacp_mode}" if _lag_is_lacp(iface) else "static (mode on)"
    if _lag_is_lacp(iface) and b.mode in STATIC_MODES:
        yield make_finding(
            "host-lacp", hosts=[b.host, *domain.hostnames], object=_object(b),
            message=f"the bond sends no LACPDUs ({b.mode}) to an LACP port-channel: the switches never bundle the members (suspended or individual ports)",
            expected="802.3ad", actual=b.mode, fix=f"set {_field(b, 'mode')} to 802.3ad (or remove it: it follows the LAG)",
        )
    elif not _lag_is_lacp(iface) and b.mode in LACP_MODES:
        yield make_finding(
            "host-lacp", hosts=[b.host, *domain.hostnames], object=_object(b),
            message=f"the bond runs LACP against a {lag} port-channel: no partner answers, each NIC ends up in its own aggregator and only one carries traffic",
            expected="balance-xor", actual=b.mode, fix=f"set {_field(b, 'mode')} to balance-xor, or run LACP on the port-channel (lacp_mode: active)",
        )


@rule("host-switch-independent", E, "host", "No active-backup / balance-alb / balance-tlb bond on a port-channel")
def host_switch_independent(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    if b.mode not in SWITCH_INDEPENDENT_MODES:
        return
    lag = f"LACP {iface.lacp_mode}" if _lag_is_lacp(iface) else "static"
    why = (
        "the bond sends no LACPDUs, so the switches never bundle its NICs"
        if _lag_is_lacp(iface)
        else "the switches hash frames onto every member while the bond accepts them on its active NIC only"
        if b.mode == "active-backup"
        else "the bond moves MAC addresses between NICs the switches treat as one port-channel"
    )
    want = "802.3ad" if _lag_is_lacp(iface) else "balance-xor"
    yield make_finding(
        "host-switch-independent", hosts=[b.host, *domain.hostnames], object=_object(b),
        message=f"{b.mode} is a switch-independent mode on {'an' if _lag_is_lacp(iface) else 'a'} {lag} port-channel: {why}",
        expected=want, actual=b.mode, fix=f"set {_field(b, 'mode')} to {want}, or take the NICs out of the port-channel (plain switch ports, no MLAG)",
    )


@rule("host-lacp-rate", W, "host", "The bond and the port-channel ask for the same LACPDU rate")
def host_lacp_rate(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    if b.lacp_rate is None or not _lag_is_lacp(iface) or b.lacp_rate == iface.lacp_rate:
        return
    yield make_finding(
        "host-lacp-rate", hosts=[b.host, *domain.hostnames], object=_object(b),
        message=f"the bond asks for {b.lacp_rate} LACPDUs, the switches for {iface.lacp_rate}: one end notices a dead link after 3 s, the other after 90 s",
        expected=iface.lacp_rate, actual=b.lacp_rate, fix=f"set {_field(b, 'lacp_rate')} to {iface.lacp_rate} (or remove it: it follows the LAG)",
    )


@rule("host-mtu", E, "host", "The bond's MTU fits the port-channel's (warning when the LAG leaves its MTU at the platform default)")
def host_mtu(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    if b.mtu is None:
        return
    if iface.mtu is not None and b.mtu > iface.mtu:
        yield make_finding(
            "host-mtu", hosts=[b.host, *domain.hostnames], object=_object(b),
            message=f"the bond sends frames up to {b.mtu} bytes, the port-channel takes {iface.mtu}: larger frames are dropped (small packets pass, bulk transfers stall)",
            expected=f"<= {iface.mtu}", actual=b.mtu, fix=f"set {_field(b, 'mtu')} to {iface.mtu} or less, or raise the LAG's mtu",
        )
    elif iface.mtu is None and b.mtu > DEFAULT_MTU:
        yield make_finding(
            "host-mtu", severity=W, hosts=[b.host, *domain.hostnames], object=_object(b),
            message=f"the bond sends frames up to {b.mtu} bytes and the port-channel sets no mtu: on a platform whose default is {DEFAULT_MTU}, larger frames are dropped",
            expected=f"LAG mtu >= {b.mtu}", actual="platform default", fix=f"set mtu: {b.mtu} (or more) on the MLAG interface",
        )


@rule("host-vlans", E, "host", "Every VLAN the host tags is carried tagged by the LAG, and its untagged VLAN is the LAG's")
def host_vlans(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    hosts = [b.host, *domain.hostnames]
    tagged = set(lag_tagged_vlans(iface))
    untagged = lag_untagged_vlan(iface)
    for v in b.vlans:
        if v.id == untagged:
            yield make_finding(
                "host-vlans", severity=W, hosts=hosts, object=f"{_object(b)} vlan {v.id}",
                message=f"the host tags VLAN {v.id}, which the LAG sends untagged ({'access VLAN' if iface.mode == 'access' else 'native VLAN'}): {b.vlan_interface(v.id)} receives nothing",
                expected="untagged on the bond", actual="tagged", fix=f"drop VLAN {v.id} from {_field(b, 'vlans')} and address the bond itself",
            )
        elif v.id not in tagged:
            where = "an access port-channel carries no tagged VLAN" if iface.mode == "access" else f"the trunk allows {', '.join(map(str, sorted(tagged))) or 'no tagged VLAN'}"
            yield make_finding(
                "host-vlans", hosts=hosts, object=f"{_object(b)} vlan {v.id}",
                message=f"the host tags VLAN {v.id}, which the LAG does not carry ({where}): its frames are dropped",
                expected=sorted(tagged), actual=v.id, fix=f"add VLAN {v.id} to the MLAG interface's vlans, or remove it from {_field(b, 'vlans')}",
            )
    if b.untagged_vlan is not None and untagged is not None and b.untagged_vlan != untagged:
        yield make_finding(
            "host-vlans", hosts=hosts, object=_object(b),
            message=f"the host expects its untagged traffic in VLAN {b.untagged_vlan}, the LAG puts it in VLAN {untagged}",
            expected=untagged, actual=b.untagged_vlan, fix=f"set {_field(b, 'untagged_vlan')} to {untagged}, or the LAG's native VLAN to {b.untagged_vlan}",
        )
    addressed = b.dhcp or bool(b.addresses) or b.pxe
    if addressed and untagged is None:
        yield make_finding(
            "host-vlans", severity=W, hosts=hosts, object=_object(b),
            message="the bond sends untagged traffic (DHCP, a static address or a PXE boot) and the trunk sets no native VLAN: it lands in the platform's default native VLAN, which this LAG does not name",
            expected="a native_vlan", actual=None, fix="set native_vlan on the MLAG interface, or address a tagged VLAN of the host instead",
        )


@rule("host-cabling", E, "host", "Every NIC is cabled to a member of this LAG on one of the two peers (warning for members or NICs left over)")
def host_cabling(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    peers = domain.hostnames
    used: dict[tuple[str, str], str] = {}
    for c in b.cables:
        obj = f"{_object(b)} {c.nic}"
        if c.switch not in peers:
            yield make_finding(
                "host-cabling", hosts=[b.host, str(c.switch)], object=obj,
                message=f"{c.nic} is cabled to {c.switch}, which is not a peer of {domain.name} ({' + '.join(peers)}): its link sees another LACP partner and never joins this MLAG",
                expected=peers, actual=c.switch, fix=f"cable {c.nic} to a member of mlag {b.mlag_id} on {peers[0]} or {peers[1]}, and name it in {_field(b, 'nics')}",
            )
            continue
        members = iface.members_on(c.switch)
        if c.port is None:
            yield make_finding(
                "host-cabling", severity=W, hosts=[b.host, c.switch], object=obj,
                message=f"{c.nic} has no port left on {c.switch}: the LAG has {len(members)} member(s) there ({', '.join(members)}), all taken by other NICs",
                expected="one LAG member per NIC", actual=None, fix=f"add a member to mlag {b.mlag_id} on {c.switch}, or give {c.nic} a switch and port in {_field(b, 'nics')}",
            )
            continue
        if c.port not in members:
            yield make_finding(
                "host-cabling", hosts=[b.host, c.switch], object=obj,
                message=f"{c.nic} is cabled to {c.switch} {c.port}, which is not a member of port-channel {iface.port_channel_on(c.switch)} there ({', '.join(members)}): the link stays outside the LAG",
                expected=members, actual=c.port, fix=f"move the cable to a member, or add {c.port} to the MLAG interface's members",
            )
            continue
        other = used.setdefault((c.switch, c.port), c.nic)
        if other != c.nic:
            yield make_finding(
                "host-cabling", hosts=[b.host, c.switch], object=obj,
                message=f"{c.nic} and {other} are both said to be cabled to {c.switch} {c.port}; a port takes one cable",
                expected="one NIC per port", actual=[other, c.nic], fix=f"correct the port of {c.nic} or {other} in {_field(b, 'nics')}",
            )
    for h in peers:
        idle = [m for m in iface.members_on(h) if (h, m) not in used]
        if idle:
            yield make_finding(
                "host-cabling", severity=W, hosts=[b.host, h], object=_object(b),
                message=f"no NIC of {b.host} reaches {h} {', '.join(idle)}: the member stays down (and counts against min-links)",
                expected="a NIC on every member", actual=idle, fix=f"cable a NIC to it and add it to {_field(b, 'nics')}, or remove the member",
            )


@rule("host-single-switch", W, "host", "The bond's NICs reach both peers (one switch only loses the point of MLAG)")
def host_single_switch(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    reached = {c.switch for c in b.cables if c.switch in domain.hostnames}
    if len(reached) == 1:
        (only,) = reached
        other = domain.other(only).hostname
        yield make_finding(
            "host-single-switch", hosts=[b.host, only], object=_object(b),
            message=f"every NIC of {b.bond} is cabled to {only}: the bond works, but a reload of {only} takes the host offline and {other}'s half of the MLAG stays down",
            expected=domain.hostnames, actual=[only], fix=f"cable one NIC to mlag {b.mlag_id}'s member on {other}",
        )


@rule("host-pxe", E, "host", "A host that boots from the network over an LACP bond has LACP fallback on the pair (warning when its untagged VLAN is unknown)")
def host_pxe(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    iface = _iface(domain, b)
    if not b.pxe:
        return
    hosts = [b.host, *domain.hostnames]
    if _lag_is_lacp(iface) and not iface.lacp_fallback:
        yield make_finding(
            "host-pxe", hosts=hosts, object=_object(b),
            message="the host boots from the network, where its firmware sends no LACPDUs, and the port-channel has no LACP fallback: the members never forward before the installed OS runs LACP, so the boot (and an OS install) never gets an address",
            expected="lacp_fallback: true", actual="lacp_fallback: false", fix=f"set lacp_fallback: true on mlag {b.mlag_id}",
        )
    if lag_untagged_vlan(iface) is None:
        yield make_finding(
            "host-pxe", severity=W, hosts=hosts, object=_object(b),
            message="the host boots from the network with untagged DHCP, and the trunk sets no native VLAN for it",
            expected="a native_vlan (the PXE VLAN)", actual=None, fix=f"set native_vlan on mlag {b.mlag_id} to the PXE VLAN",
        )


@rule("host-miimon", W, "host", "The bond monitors its links (miimon > 0; updelay / downdelay multiples of it)")
def host_miimon(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    hosts = [b.host]
    if b.miimon == 0:
        yield make_finding(
            "host-miimon", hosts=hosts, object=_object(b),
            message="miimon 0 turns link monitoring off: the bond keeps sending on a NIC whose link is down",
            expected=100, actual=0, fix=f"remove {_field(b, 'miimon')} (100 ms) or set it above 0",
        )
        return
    for knob in ("updelay", "downdelay"):
        value = getattr(b, knob)
        if value is not None and value % b.miimon:
            yield make_finding(
                "host-miimon", hosts=hosts, object=_object(b),
                message=f"{knob} {value} ms is not a multiple of miimon {b.miimon} ms: the kernel rounds it down to {value // b.miimon * b.miimon}",
                expected=f"a multiple of {b.miimon}", actual=value, fix=f"set {_field(b, knob)} to {value // b.miimon * b.miimon or b.miimon}",
            )


@rule("host-hash-policy", I, "host", "A hashing bond hashes on layer 3/4, so traffic to one gateway MAC spreads over both switches")
def host_hash_policy(b: EffectiveBond, domain: MlagDomain) -> Iterator[Finding]:
    if b.mode in HASHED_MODES and b.xmit_hash_policy == "layer2":
        yield make_finding(
            "host-hash-policy", hosts=[b.host], object=_object(b),
            message="xmit_hash_policy layer2 hashes on MAC addresses only: everything the host sends to its gateway (one MAC) leaves on one NIC, towards one switch",
            expected="layer3+4 or layer2+3", actual="layer2", fix=f"set {_field(b, 'xmit_hash_policy')} to layer3+4 (or remove it)",
        )


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.object))


def check_bond(b: EffectiveBond, domain: MlagDomain) -> list[Finding]:
    """Every host rule over one bond, errors first."""
    return _sorted([f for r in rules_of("host") for f in r.func(b, domain)])


def check_domain_hosts(domain: MlagDomain) -> list[tuple[EffectiveBond, list[Finding]]]:
    """``(bond, findings)`` for every host bond of ``domain``."""
    return [(b, check_bond(b, domain)) for b in host_bonds(domain)]
