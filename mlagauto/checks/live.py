"""Live rules: the two PeerStates of a pair after a change (``mlagauto validate``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mlagauto.checks.registry import RULES, rule
from mlagauto.model.finding import Finding, Severity, make_finding
from mlagauto.model.peer_state import LacpMemberState, MlagInterfaceState, PeerState

E = Severity.ERROR


def _hosts(a: PeerState, b: PeerState) -> list[str]:
    return [a.hostname or "peer A", b.hostname or "peer B"]


@rule("live-unreachable", E, "live", "Both peers answered their show commands")
def unreachable(a: PeerState, b: PeerState) -> Iterator[Finding]:
    """A switch that could not be read is an error: its state is unknown, and a report that
    left it out would show an unverified pair as clean."""
    for me in (a, b):
        if me.unreachable:
            yield make_finding("live-unreachable", hosts=[me.hostname or "?"], object="connection", message=f"the MLAG state could not be read: {me.unreachable}", expected="show commands answered", actual=me.unreachable, fix="check the switch's address, port, credentials and that its management service answers")


@rule("live-state-unreadable", Severity.WARNING, "live", "The show outputs of both peers could be read")
def unreadable(a: PeerState, b: PeerState) -> Iterator[Finding]:
    for me in (a, b):
        for w in me.warnings:
            yield make_finding("live-state-unreadable", hosts=[me.hostname or "?"], object="show output", message=w, fix="check the device's output and the platform")


@rule("live-peer", E, "live", "MLAG is configured and the peer adjacency is up on both peers")
def peer_up(a: PeerState, b: PeerState) -> Iterator[Finding]:
    for me in (a, b):
        if not me.configured:
            yield make_finding("live-peer", hosts=[me.hostname or "?"], object="domain", message="MLAG is not configured on this switch", expected="configured", actual="not configured", fix="deploy the intent")
        elif me.peer_status != "up":
            yield make_finding("live-peer", hosts=[me.hostname or "?"], object="domain", message="the MLAG peer adjacency is not up", expected="up", actual=me.peer_status, fix="check domain ids, the peer-link and the control session")


@rule("live-keepalive", E, "live", "The keepalive / heartbeat is alive on both peers")
def keepalive(a: PeerState, b: PeerState) -> Iterator[Finding]:
    for me in (a, b):
        if me.configured and me.keepalive_status not in (None, "up"):
            yield make_finding("live-keepalive", hosts=[me.hostname or "?"], object="keepalive", message="the keepalive is down: a peer-link failure would now split the pair", expected="up", actual=me.keepalive_status, fix="check the keepalive addresses, VRF and path")


@rule("live-peer-link", E, "live", "The peer-link is up on both peers")
def peer_link(a: PeerState, b: PeerState) -> Iterator[Finding]:
    for me in (a, b):
        if me.configured and me.peer_link_status not in (None, "up"):
            yield make_finding("live-peer-link", hosts=[me.hostname or "?"], object="peer-link", message="the peer-link is down", expected="up", actual=me.peer_link_status, fix="check the peer-link members and their LACP")


@rule("live-roles", E, "live", "The peers agree on one primary and one secondary")
def roles(a: PeerState, b: PeerState) -> Iterator[Finding]:
    if a.configured and b.configured and {a.role, b.role} != {"primary", "secondary"}:
        yield make_finding("live-roles", hosts=_hosts(a, b), object="domain", message="the peers have not elected one primary and one secondary", expected="primary + secondary", actual=f"{a.role} + {b.role}", fix="check role priorities and the peer adjacency")


def _severity(me: PeerState, key: str) -> Severity:
    """The severity of ``key`` on ``me``'s platform (``MlagDriver.severities``)."""
    from mlagauto.drivers import get_driver

    try:
        return get_driver(me.platform).severity(key)
    except KeyError:
        return RULES[key.partition(".")[0]].severity


@rule("live-consistency", E, "live", "The platform's consistency check passes on both peers")
def consistency(a: PeerState, b: PeerState) -> Iterator[Finding]:
    """An error where the platform acts on its check (NX-OS Type-1 suspends, Huawei strict mode
    error-downs); EOS config-sanity only reports, MLAG stays active."""
    for me in (a, b):
        if me.consistency == "inconsistent":
            yield make_finding("live-consistency", severity=_severity(me, "live-consistency"), hosts=[me.hostname or "?"], object="domain", message=f"the platform reports an inconsistent pair: {me.consistency_reason or 'no reason given'}", expected="consistent", actual=me.consistency_reason, fix="run mlagauto audit on the two running configs")


@rule("live-interfaces", E, "live", "Every MLAG interface is up on both peers")
def interfaces(a: PeerState, b: PeerState) -> Iterator[Finding]:
    ids = sorted({i.mlag_id for i in a.interfaces} | {i.mlag_id for i in b.interfaces})
    for mid in ids:
        for me in (a, b):
            itf = next((i for i in me.interfaces if i.mlag_id == mid), None)
            if itf is None:
                yield make_finding("live-interfaces", hosts=[me.hostname or "?"], object=f"mlag {mid}", message=f"MLAG {mid} is not present on this peer", expected="up", actual=None, fix="deploy the MLAG interface on both peers")
            elif itf.status != "up" or itf.consistent is False:
                why = f": {itf.reason}" if itf.reason else ""
                sev = _severity(me, "live-interfaces.consistency") if itf.status == "up" else E
                yield make_finding("live-interfaces", severity=sev, hosts=[me.hostname or "?"], object=f"mlag {mid}", message=f"MLAG {mid} ({itf.interface}) is {itf.status}{' and inconsistent' if itf.consistent is False else ''}{why}", expected="up", actual=itf.status, fix="compare the two halves with mlagauto audit")


@rule("live-lacp-partner", E, "live", "Both peers present the same LACP system id to partners")
def lacp_partner(a: PeerState, b: PeerState) -> Iterator[Finding]:
    if a.system_id and b.system_id and a.system_id != b.system_id:
        yield make_finding("live-lacp-partner", hosts=_hosts(a, b), object="domain", message="the peers present different LACP system ids: partners see two systems", expected=a.system_id, actual=b.system_id, fix="configure one system MAC / LACP system-id for the pair")
    theirs = {i.mlag_id: i for i in b.interfaces}
    for mine in a.interfaces:
        other = theirs.get(mine.mlag_id)
        if other and mine.system_id and other.system_id and mine.system_id != other.system_id:
            yield make_finding("live-lacp-partner", hosts=_hosts(a, b), object=f"mlag {mine.mlag_id}", message=f"the halves of MLAG {mine.mlag_id} present different LACP system ids: the partner bundles only one", expected=mine.system_id, actual=other.system_id, fix="configure the same LACP system id on both halves")


@rule("live-member-partner", E, "live", "Every member of an MLAG, on both peers, sees one LACP partner system")
def member_partner(a: PeerState, b: PeerState) -> Iterator[Finding]:
    """Both halves of an MLAG must lead to one downstream system: a member whose LACP partner
    differs from the others' is cabled to another device, and that device's link never joins the
    bundle. The system id most members see is taken as the right one (the first peer's on a tie);
    members without a partner are left to the interface rules."""
    theirs = {i.mlag_id: i for i in b.interfaces}
    for mine in a.interfaces:
        other = theirs.get(mine.mlag_id)
        if other is None:
            continue
        seen = _partners(a, mine) + _partners(b, other)
        counts = Counter(member.partner_system_id for _, member in seen)
        if len(counts) < 2:
            continue
        expected = max(counts, key=lambda sid: counts[sid])  # max keeps the first of equal counts
        agreeing = [(h, m) for h, m in seen if m.partner_system_id == expected]
        for odd_host, member in seen:
            if member.partner_system_id != expected:
                # the twin: a member that sees the expected partner, on the other peer where one does
                host, twin = next(((h, m) for h, m in agreeing if h != odd_host), agreeing[0])
                yield make_finding(
                    "live-member-partner",
                    hosts=[odd_host],
                    object=f"mlag {mine.mlag_id} {member.interface}",
                    message=f"{odd_host} {member.interface} (MLAG {mine.mlag_id}) sees LACP partner {member.partner_system_id}, {host} {twin.interface} sees {expected}: the member is cabled to another system",
                    expected=expected,
                    actual=member.partner_system_id,
                    fix=f"check the cabling of {member.interface} on {odd_host}: every member of MLAG {mine.mlag_id} must reach the same device",
                )


def _partners(me: PeerState, itf: MlagInterfaceState) -> list[tuple[str, LacpMemberState]]:
    """(host, member) for each member of ``itf`` that sees a partner."""
    return [(me.hostname or "?", m) for m in itf.members if m.partner_system_id]
