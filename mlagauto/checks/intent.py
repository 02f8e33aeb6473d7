"""Intent rules: design faults in an otherwise renderable MlagDomain.

What makes a domain unrenderable is rejected when it is built (mlagauto.model.validation and the
driver's ``validate``); these rules flag what renders but will hurt in production.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlagauto.checks.registry import rule
from mlagauto.model.finding import Finding, Severity, make_finding
from mlagauto.model.intent import MlagDomain


@rule("intent-peer-link-redundancy", Severity.INFO, "intent", "The peer-link has at least two members")
def peer_link_redundancy(domain: MlagDomain) -> Iterator[Finding]:
    for p in domain.peers:
        if len(p.peer_link.members) < 2:
            yield make_finding("intent-peer-link-redundancy", hosts=[p.hostname], object="peer-link", message="the peer-link has a single member: one optic failure splits the pair", expected=">= 2 members", actual=len(p.peer_link.members), fix="add a second peer-link member on another module")


@rule("intent-keepalive-path", Severity.WARNING, "intent", "The keepalive does not share the peer-link's subnet")
def keepalive_path(domain: MlagDomain) -> Iterator[Finding]:
    for p in domain.peers:
        if p.peer_address is not None and p.keepalive.source in p.peer_address.network:
            yield make_finding("intent-keepalive-path", hosts=[p.hostname], object="keepalive", message="the keepalive source is in the peer-link control subnet: a peer-link failure also kills the keepalive and both peers go active", expected="an out-of-band subnet", actual=str(p.keepalive.source), fix="use management or a dedicated link for the keepalive")


@rule("intent-stp-priority", Severity.INFO, "intent", "With peer-switch the pair's STP priority is explicit")
def stp_priority(domain: MlagDomain) -> Iterator[Finding]:
    """Only for peer-switch: Huawei's root-bridge mode sets priority 0 itself (``stp root
    primary``), and its driver refuses an explicit priority there."""
    if domain.peer_switch and domain.stp.priority is None:
        yield make_finding("intent-stp-priority", hosts=domain.hostnames, object="stp", message="the pair presents itself as one STP root but no bridge priority is set: the root depends on the rest of the network", expected="an explicit priority", actual=None, fix="set stp.priority (e.g. 4096) for the domain")
