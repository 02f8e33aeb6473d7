"""Finding: one result of a rule, in the shape every report and exit code is computed from."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(str, Enum):
    """``error``: the pair, the peer-link or a port-channel would go down or be suspended (Cisco
    Type-1 semantics); ``warning``: inconsistent or degraded (Type-2); ``info``: worth knowing."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Finding(BaseModel):
    """What a rule found about one object of one pair or host."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    rule: str
    """Stable rule id (see docs/rules.md)."""
    severity: Severity
    hosts: list[str] = Field(default_factory=list)
    """Hosts concerned."""
    object: str = ""
    """Object concerned (``domain``, ``peer-link``, ``mlag 11``, ``vlan 10`` ...)."""
    message: str
    """One line saying what is wrong."""
    expected: Any = None
    actual: Any = None
    fix: str = ""
    """One-line fix, in the platform's syntax where there is one."""


def make_finding(rule_id: str, **fields: Any) -> Finding:
    """A Finding for a registered rule, with the rule's severity unless ``severity`` is given."""
    from mlagauto.checks.registry import RULES

    fields.setdefault("severity", RULES[rule_id].severity)
    return Finding(rule=rule_id, **fields)


def count(findings: list[Finding]) -> dict[str, int]:
    """``{"errors": N, "warnings": N, "info": N}``."""
    out = {"errors": 0, "warnings": 0, "info": 0}
    key = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
    for f in findings:
        out[key[f.severity]] += 1
    return out
