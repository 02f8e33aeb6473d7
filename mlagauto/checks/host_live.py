"""Host-live rules: a server's bond, as its kernel reports it (``/proc/net/bonding/<bond>`` or
``ip -d -j link show``), against what the MLAG pair expects (``mlagauto hosts validate``).

Each rule takes a BondState and a BondExpectation and yields Findings. The MLAG pair looks like
one LACP partner only if every slave sees the same partner system id (the pair's) and key, and
the bond puts every slave into one aggregator: these are the facts of the far end that no
switch-side show command proves. A slave that is down is reported once, by
``host-live-slave-down``; the aggregation rules leave it out, so one cause is one finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mlagauto.checks.registry import rule, rules_of
from mlagauto.model.bond_state import BondExpectation, BondSlave, BondState
from mlagauto.model.finding import Finding, Severity, make_finding

E, W = Severity.ERROR, Severity.WARNING
NO_PARTNER = "00:00:00:00:00:00"


def _host(bond: BondState) -> list[str]:
    return [bond.hostname or "?"]


def _up(bond: BondState) -> list[BondSlave]:
    return [s for s in bond.slaves if s.mii_status == "up"]


def _lacp(bond: BondState) -> bool:
    return bond.mode == "802.3ad"


def _partner_mac(slave: BondSlave) -> str | None:
    """The partner system the slave hears from, or None without one (no details, or the all-zero
    default partner of a defaulted port, which ``host-live-lacp-state`` reports)."""
    mac = slave.partner.system_mac if slave.partner else None
    return mac if mac and mac != NO_PARTNER else None


def _majority(values: list[tuple[BondSlave, object]]) -> object:
    """The value most slaves have (the first slave's on a tie)."""
    counts = Counter(v for _, v in values)
    return max(counts, key=lambda v: counts[v])


@rule("host-live-unreadable", W, "host-live", "The bond's state could be read completely")
def unreadable(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """A line the parser did not understand, or details the reader was not allowed to see: the
    rules below then know less, and the report must say so rather than look clean."""
    for w in bond.warnings:
        yield make_finding("host-live-unreadable", hosts=_host(bond), object=bond.name, message=w, fix="check the saved output (the whole of cat /proc/net/bonding/<bond>, read as root)")


@rule("host-live-mode", E, "host-live", "The bond runs 802.3ad where the pair runs LACP (or the expected mode)")
def mode(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """A bond that does not speak LACP facing an LACP port-channel never aggregates: the switch
    ports stay individual or suspended and carry nothing (or one of them only)."""
    wanted = expect.expected_mode()
    if wanted is None or bond.mode is None or bond.mode == wanted:
        return
    why = " the pair runs LACP toward it" if wanted == "802.3ad" and expect.mode is None else ""
    yield make_finding(
        "host-live-mode",
        hosts=_host(bond),
        object=bond.name,
        message=f"{bond.name} runs {bond.mode}, expected {wanted}{':' + why if why else ''}",
        expected=wanted,
        actual=bond.mode,
        fix=f"set the bond mode: ip link set {bond.name} type bond mode {wanted} (with the slaves released), or bond-mode {wanted} / BONDING_OPTS=\"mode={wanted}\" in the host's network configuration",
    )


@rule("host-live-slave-down", E, "host-live", "The bond and every slave are up")
def slave_down(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """A slave that is down carries nothing: the MLAG interface runs on one switch only and the
    next failure takes the server off the network."""
    if bond.mii_status not in (None, "up"):
        yield make_finding("host-live-slave-down", hosts=_host(bond), object=bond.name, message=f"{bond.name} is {bond.mii_status}: no slave carries traffic", expected="up", actual=bond.mii_status, fix=f"check the slaves of {bond.name} and their cabling to the pair")
    for s in bond.slaves:
        if s.mii_status not in (None, "up"):
            failures = f" ({s.link_failure_count} link failure{'s' if s.link_failure_count != 1 else ''})" if s.link_failure_count else ""
            yield make_finding("host-live-slave-down", hosts=_host(bond), object=f"{bond.name} {s.name}", message=f"slave {s.name} of {bond.name} is {s.mii_status}{failures}", expected="up", actual=s.mii_status, fix=f"ip link set {s.name} up; check its cable, optic and the switch port it reaches")


@rule("host-live-slaves", E, "host-live", "The bond has exactly the expected slaves")
def slaves(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """A NIC missing from the bond carries nothing toward its switch (error); an extra one is
    cabled somewhere nobody planned (warning)."""
    if expect.slaves is None:
        return
    names = [s.name for s in bond.slaves]
    for missing in (n for n in expect.slaves if n not in names):
        yield make_finding("host-live-slaves", hosts=_host(bond), object=f"{bond.name} {missing}", message=f"{missing} is not a slave of {bond.name}", expected=sorted(expect.slaves), actual=names, fix=f"ip link set {missing} down; ip link set {missing} master {bond.name}; ip link set {missing} up (and in the host's network configuration)")
    for extra in (n for n in names if n not in expect.slaves):
        yield make_finding("host-live-slaves", severity=W, hosts=_host(bond), object=f"{bond.name} {extra}", message=f"{extra} is a slave of {bond.name} but not expected", expected=sorted(expect.slaves), actual=names, fix=f"ip link set {extra} nomaster, or add it to the expected slaves")


@rule("host-live-aggregator", E, "host-live", "Every slave that is up is in the bond's active aggregator")
def aggregator(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """802.3ad transmits on one aggregator only: a slave in another one carries nothing. The
    kernel puts a slave into another aggregator when its actor key (speed, duplex) or its
    partner (system id, key) differs, so the message says which, where the output tells."""
    if not _lacp(bond):
        return
    up = _up(bond)
    if bond.no_active_aggregator and up:
        yield make_finding("host-live-aggregator", hosts=_host(bond), object=bond.name, message=f"{bond.name} has no active aggregator: it carries nothing", expected="an active aggregator", actual=None, fix="check that the pair's port-channel runs LACP and that the slaves are cabled to it")
        return
    active = bond.active_aggregator
    ids = [s.aggregator_id for s in up]
    if active is not None:
        target = active.id
    elif ids:
        target = _majority([(s, s.aggregator_id) for s in up])  # type: ignore[assignment]
    else:
        return
    odd = [s for s in up if s.aggregator_id != target]
    if not odd:
        return
    inside = [s.name for s in up if s.aggregator_id == target]
    reference = next((s for s in up if s.aggregator_id == target), None)
    for s in odd:
        where = f"aggregator {s.aggregator_id}" if s.aggregator_id is not None else "no aggregator"
        yield make_finding(
            "host-live-aggregator",
            hosts=_host(bond),
            object=f"{bond.name} {s.name}",
            message=f"{bond.name} is split: {s.name} is in {where}, {', '.join(inside) or 'no slave'} in the active aggregator {target}{_why(s, reference)}: {s.name} carries nothing",
            expected=target,
            actual=s.aggregator_id,
            fix=f"make {s.name} match the others (same speed and duplex, cabled to the same MLAG port-channel, one system id on both switches)",
        )


def _why(slave: BondSlave, reference: BondSlave | None) -> str:
    """Why the kernel put ``slave`` elsewhere, from the differences with a slave in the active
    aggregator; empty when the output does not tell."""
    if reference is None:
        return ""
    reasons = []
    if _partner_mac(slave) and _partner_mac(reference) and _partner_mac(slave) != _partner_mac(reference):
        reasons.append(f"it sees partner system {_partner_mac(slave)}, {reference.name} sees {_partner_mac(reference)}")
    pk, rk = (slave.partner.port_key if slave.partner else None), (reference.partner.port_key if reference.partner else None)
    if not reasons and pk is not None and rk is not None and pk != rk and _partner_mac(slave):
        reasons.append(f"its partner key is {pk}, {reference.name}'s {rk}")
    ak, rak = (slave.actor.port_key if slave.actor else None), (reference.actor.port_key if reference.actor else None)
    if ak is not None and rak is not None and ak != rak:
        speeds = f", {slave.speed_mbps} vs {reference.speed_mbps} Mbps" if slave.speed_mbps != reference.speed_mbps else ""
        reasons.append(f"its actor key is {ak}, {reference.name}'s {rak}: speed or duplex differ{speeds}")
    if slave.partner and slave.partner.system_mac == NO_PARTNER:
        reasons.append("it receives no LACPDUs")
    return f" ({'; '.join(reasons)})" if reasons else ""


@rule("host-live-aggregator-ports", E, "host-live", "The active aggregator holds every slave of the bond")
def aggregator_ports(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """What the bond carries, whatever the cause: an aggregator with fewer ports than the bond
    has slaves (or than the slaves expected) runs the LAG without the redundancy MLAG is for."""
    active = bond.active_aggregator
    if not _lacp(bond) or active is None or active.ports is None:
        return
    wanted = max(len(bond.slaves), len(expect.slaves or []))
    if active.ports < wanted:
        yield make_finding("host-live-aggregator-ports", hosts=_host(bond), object=bond.name, message=f"the active aggregator {active.id} of {bond.name} holds {active.ports} of {wanted} slaves: the bond runs without redundancy toward the pair", expected=wanted, actual=active.ports, fix=f"bring every slave of {bond.name} into aggregator {active.id} (see the slave and aggregator findings)")


@rule("host-live-partner-system", E, "host-live", "Every slave sees one partner system id, the pair's")
def partner_system(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """The pair is one LACP partner only when both switches send one system id: a slave that
    sees another one is cabled to another device, or the two switches do not present one MLAG
    identity. Compared with the expected id where given, else with the one most slaves see.
    Without per-slave details (``ip -j``, a non-root read) the active aggregator's partner is
    checked against the expectation."""
    if not _lacp(bond):
        return
    seen = [(s, _partner_mac(s)) for s in _up(bond) if _partner_mac(s)]
    if not seen:
        active = bond.active_aggregator
        mac = active.partner_mac if active else None
        if expect.system_id and mac and mac != NO_PARTNER and mac != expect.system_id:
            yield make_finding("host-live-partner-system", hosts=_host(bond), object=bond.name, message=f"the active aggregator of {bond.name} has partner system {mac}, the pair's system id is {expect.system_id}: the bond is cabled to another device", expected=expect.system_id, actual=mac, fix=f"check the cabling of {bond.name}'s slaves to the pair, and the pair's LACP system id")
        return
    expected = expect.system_id or _majority(seen)
    agreeing = [s for s, mac in seen if mac == expected]
    for s, mac in seen:
        if mac == expected:
            continue
        other = f"{agreeing[0].name} sees {expected}" if agreeing else f"the pair's system id is {expected}"
        if agreeing and expect.system_id:
            other += ", the pair's system id"
        yield make_finding(
            "host-live-partner-system",
            hosts=_host(bond),
            object=f"{bond.name} {s.name}",
            message=f"slave {s.name} of {bond.name} sees LACP partner system {mac}, {other}: it is cabled to another system, or the pair does not present one system id",
            expected=expected,
            actual=mac,
            fix=f"check the cabling of {s.name}: every slave of {bond.name} must reach the same MLAG pair, and both switches must present the same LACP system id",
        )


@rule("host-live-partner-key", E, "host-live", "Every slave sees the same partner key")
def partner_key(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """Links aggregate only with the same partner key: a slave whose partner sends another key is
    on another port-channel of the pair (one MLAG interface per server, the same id on both
    switches)."""
    if not _lacp(bond):
        return
    seen = [(s, s.partner.port_key) for s in _up(bond) if _partner_mac(s) and s.partner and s.partner.port_key is not None]
    if len({k for _, k in seen}) < 2:
        return
    expected = _majority(seen)
    agreeing = next(s for s, k in seen if k == expected)
    for s, key in seen:
        if key != expected:
            yield make_finding("host-live-partner-key", hosts=_host(bond), object=f"{bond.name} {s.name}", message=f"slave {s.name} of {bond.name} sees partner key {key}, {agreeing.name} sees {expected}: the switches put them in different port-channels", expected=expected, actual=key, fix=f"put the switch ports of {s.name} and {agreeing.name} into the same MLAG port-channel (the same MLAG id on both switches)")


@rule("host-live-lacp-state", E, "host-live", "No slave that is up is churned, defaulted or expired")
def lacp_state(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """Churned (the kernel's churn detection: the LACP state did not settle), defaulted (no
    LACPDU ever received: the switch port does not run LACP) or expired (LACPDUs stopped): the
    slave does not aggregate with the pair, so it carries nothing."""
    if not _lacp(bond):
        return
    for s in _up(bond):
        problems = []
        for side, churn in (("actor", s.actor_churn_state), ("partner", s.partner_churn_state)):
            if churn == "churned":
                problems.append(f"{side} churned")
        for side, pdu in (("actor", s.actor), ("partner", s.partner)):
            state = pdu.port_state if pdu else None
            if state and state.defaulted:
                problems.append(f"{side} defaulted")
            if state and state.expired:
                problems.append(f"{side} expired")
        if problems:
            yield make_finding(
                "host-live-lacp-state",
                hosts=_host(bond),
                object=f"{bond.name} {s.name}",
                message=f"slave {s.name} of {bond.name} is {', '.join(problems)}: it receives no usable LACPDUs from the pair",
                expected="none",
                actual=", ".join(problems),
                fix=f"check that the switch port {s.name} reaches runs LACP (channel-group mode active) in the MLAG port-channel",
            )


@rule("host-live-lacp-rate", W, "host-live", "The bond and its partners run the expected LACP rate")
def lacp_rate(bond: BondState, expect: BondExpectation) -> Iterator[Finding]:
    """A rate mismatch still aggregates (each end sends at the rate the other asks for), but a
    failure is detected after 3 s on one end and 90 s on the other: a warning. The partner's
    rate is its port state's timeout bit (short = fast)."""
    if not _lacp(bond):
        return
    wanted = expect.lacp_rate
    if wanted and bond.lacp_rate and bond.lacp_rate != wanted:
        yield make_finding("host-live-lacp-rate", hosts=_host(bond), object=bond.name, message=f"{bond.name} runs LACP rate {bond.lacp_rate}, the pair runs {wanted}", expected=wanted, actual=bond.lacp_rate, fix=f"ip link set {bond.name} type bond lacp_rate {wanted} (with the slaves released), or bond-lacp-rate {wanted} / BONDING_OPTS=\"lacp_rate={wanted}\"")
    reference = wanted or bond.lacp_rate
    if reference is None:
        return
    for s in _up(bond):
        state = s.partner.port_state if s.partner and _partner_or_unknown(s) else None
        if state is None or state.defaulted:
            continue
        partner = "fast" if state.timeout else "slow"
        if partner != reference:
            whose = "the pair runs" if wanted else f"{bond.name} runs"
            yield make_finding("host-live-lacp-rate", hosts=_host(bond), object=f"{bond.name} {s.name}", message=f"the partner of {s.name} runs LACP rate {partner} (port state {state.value}), {whose} {reference}: a failure is detected at different times on the two ends", expected=reference, actual=partner, fix=f"set the same LACP rate on the pair's port-channel ({'lacp rate ' + reference}) and on {bond.name}")


def _partner_or_unknown(slave: BondSlave) -> bool:
    """A partner port state worth reading: from a real partner, or from ``ip -j`` where the
    partner MAC is not given per slave; never the all-zero default partner."""
    if slave.partner is None:
        return False
    return slave.partner.system_mac is None or slave.partner.system_mac != NO_PARTNER


def validate_bond(bond: BondState, expect: BondExpectation | None = None) -> list[Finding]:
    """Every host-live rule over one bond, errors first."""
    expect = expect or BondExpectation()
    found = [f for r in rules_of("host-live") for f in r.func(bond, expect)]
    return sorted(found, key=lambda f: (f.severity.rank, f.rule, f.object))
