"""Drift rules: the running configuration of one switch against what the intent says it should be.

Both sides are PeerConfigs (``driver.peer_config`` for the intent, ``driver.parse_config`` for the
running config), compared object by object so a finding says which port-channel or which setting
drifted, not just that the text differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlagauto.checks.registry import rule
from mlagauto.model.finding import Finding, Severity, make_finding
from mlagauto.model.peer_config import PeerConfig

E, W = Severity.ERROR, Severity.WARNING

_GLOBAL = (
    "domain_id", "role", "role_priority", "system_mac", "system_priority", "local_interface", "local_address",
    "peer_address", "peer_vlan", "keepalive", "peer_link", "stp", "timers", "peer_gateway", "peer_switch",
    "service_id", "authentication",
)


def _dump(value: Any) -> Any:
    return value.model_dump() if hasattr(value, "model_dump") else value


def _diff(expected: Any, actual: Any) -> dict[str, tuple[Any, Any]]:
    """Leaf-level differences between two dumped values, keyed by dotted path. A leaf the intent
    leaves unset (None) is not managed, so whatever the switch has there is not drift."""
    if expected is None:
        return {}
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = {}
        for key in expected.keys() | actual.keys():
            for sub, pair in _diff(expected.get(key), actual.get(key)).items():
                out[f"{key}.{sub}" if sub else key] = pair
        return out
    return {} if expected == actual else {"": (expected, actual)}


@rule("drift-domain", E, "drift", "Running MLAG domain settings match the intent")
def drift_domain(expected: PeerConfig, actual: PeerConfig) -> Iterator[Finding]:
    host = expected.hostname or actual.hostname or "?"
    for attr in _GLOBAL:
        intended, running = getattr(expected, attr), getattr(actual, attr)
        if intended == running:  # equal values have no differing leaf: spare dumping them
            continue
        for path, (want, have) in sorted(_diff(_dump(intended), _dump(running)).items()):
            name = f"{attr}.{path}" if path else attr
            sev = E if attr in ("domain_id", "keepalive", "peer_link", "system_mac", "system_priority") and name != "peer_link.description" else W
            yield make_finding("drift-domain", severity=sev, hosts=[host], object=name.replace("_", "-"), message=f"running {name} differs from the intent", expected=want, actual=have, fix="deploy the intent (mlagauto deploy) or update the inventory")


@rule("drift-mlag", E, "drift", "Every intended MLAG interface runs as intended, and no other is configured")
def drift_mlag(expected: PeerConfig, actual: PeerConfig) -> Iterator[Finding]:
    host = expected.hostname or actual.hostname or "?"
    have = {i.mlag_id: i for i in actual.mlag_interfaces}
    want = {i.mlag_id: i for i in expected.mlag_interfaces}
    for mid, itf in want.items():
        if mid not in have:
            yield make_finding("drift-mlag", hosts=[host], object=f"mlag {mid}", message=f"MLAG {mid} ({itf.interface}) is missing from the running config", expected=itf.interface, actual=None, fix="deploy the intent")
            continue
        if itf == have[mid]:  # the common case, and equal models have no differing leaf
            continue
        for path, (w, h) in sorted(_diff(itf.model_dump(), have[mid].model_dump()).items()):
            yield make_finding("drift-mlag", severity=W, hosts=[host], object=f"mlag {mid}", message=f"{path} of MLAG {mid} differs from the intent", expected=w, actual=h, fix="deploy the intent")
    for mid, itf in have.items():
        if mid not in want:
            yield make_finding("drift-mlag", severity=W, hosts=[host], object=f"mlag {mid}", message=f"MLAG {mid} ({itf.interface}) is configured but not in the intent", expected=None, actual=itf.interface, fix="remove it with a deploy, or add it to the inventory")


@rule("drift-vlans", W, "drift", "Every intended VLAN exists with its intended name")
def drift_vlans(expected: PeerConfig, actual: PeerConfig) -> Iterator[Finding]:
    host = expected.hostname or actual.hostname or "?"
    have = {v.id: v.name for v in actual.vlans}
    for v in expected.vlans:
        if v.id not in have:
            yield make_finding("drift-vlans", hosts=[host], object=f"vlan {v.id}", message=f"VLAN {v.id} is missing", expected=v.id, actual=None, fix="deploy the intent")
        elif v.name and have[v.id] != v.name:
            yield make_finding("drift-vlans", severity=Severity.INFO, hosts=[host], object=f"vlan {v.id}", message=f"VLAN {v.id} is named {have[v.id]!r}, intent says {v.name!r}", expected=v.name, actual=have[v.id], fix="deploy the intent")
