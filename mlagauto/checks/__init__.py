"""The rule catalogue and the three ways to run it.

* ``check_domain(domain)``: intent rules, plus the pair rules over the two projected PeerConfigs
  (a domain whose intent is already inconsistent is caught before anything is rendered);
* ``audit_pair(a, b)``: pair rules over two PeerConfigs (parsed running configs);
* ``drift(expected, actual)``: one switch's running PeerConfig against its intended one;
* ``validate_pair(a, b)``: live rules over the PeerStates parsed from the two peers' show output.
"""

from __future__ import annotations

from mlagauto.checks import drift as _drift_rules  # noqa: F401  (registers rules)
from mlagauto.checks import host_live as _host_live_rules  # noqa: F401
from mlagauto.checks import hosts as _host_rules  # noqa: F401
from mlagauto.checks import intent as _intent_rules  # noqa: F401
from mlagauto.checks import live as _live_rules  # noqa: F401
from mlagauto.checks import pair as _pair_rules  # noqa: F401
from mlagauto.checks.registry import RULES, Rule, rules_of
from mlagauto.model.finding import Finding
from mlagauto.model.intent import MlagDomain
from mlagauto.model.peer_config import PeerConfig
from mlagauto.model.peer_state import PeerState


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.object))


def audit_pair(a: PeerConfig, b: PeerConfig) -> list[Finding]:
    """Pair rules over the PeerConfigs of the two peers, errors first."""
    return _sorted([f for r in rules_of("pair") for f in r.func(a, b)])


def drift(expected: PeerConfig, actual: PeerConfig) -> list[Finding]:
    """Drift rules: ``actual`` (running) against ``expected`` (intent) for one switch."""
    return _sorted([f for r in rules_of("drift") for f in r.func(expected, actual)])


def validate_pair(a: PeerState, b: PeerState) -> list[Finding]:
    """Live rules over the two PeerStates of a pair."""
    return _sorted([f for r in rules_of("live") for f in r.func(a, b)])


def check_domain(domain: MlagDomain) -> list[Finding]:
    """Intent rules plus pair rules over the projected PeerConfigs."""
    from mlagauto.drivers import get_driver

    driver = get_driver(domain.platform)
    a, b = (driver.peer_config(domain, h) for h in domain.hostnames)
    found = [f for r in rules_of("intent") for f in r.func(domain)]
    return _sorted(found + audit_pair(a, b))


__all__ = ["RULES", "Rule", "audit_pair", "check_domain", "drift", "rules_of", "validate_pair"]
