"""The rule catalogue: every rule has a stable id, a severity, a scope and a one-line summary.

Rules are plain functions registered with ``@rule``; they receive vendor-neutral objects
(PeerConfigs, or an MlagDomain for intent rules) and yield Findings. ``docs/rules.md`` documents
each id; a test keeps that file and this registry in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from mlagauto.model.finding import Finding, Severity

Scope = Literal["intent", "pair", "drift", "live", "host", "host-live"]
"""``host``: a dual-homed server's bond against its MLAG interface on the pair (offline);
``host-live``: the bond's kernel state (``/proc/net/bonding``) against the pair."""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    scope: Scope
    summary: str
    func: Callable[..., Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, scope: Scope, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a rule function under a stable id."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if rule_id in RULES:
            raise ValueError(f"rule id {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, scope, summary, func)
        return func

    return register


def rules_of(scope: Scope) -> list[Rule]:
    return [r for r in RULES.values() if r.scope == scope]
