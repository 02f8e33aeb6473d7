"""Driver registry: one driver per platform, looked up by the platform's name.

Built-in drivers are imported on first use; third-party drivers register through the
``mlagauto.drivers`` entry-point group (``name = "package.module:DriverClass"``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path

from mlagauto.configtree import clean_capture
from mlagauto.drivers.base import MlagDriver

BUILTIN: dict[str, str] = {
    "cisco_nxos": "mlagauto.drivers.cisco_nxos:NxosDriver",
    "arista_eos": "mlagauto.drivers.arista_eos:EosDriver",
    "juniper_junos": "mlagauto.drivers.juniper_junos:JunosDriver",
    "huawei_vrpv8": "mlagauto.drivers.huawei_vrpv8:VrpV8Driver",
}


@lru_cache(maxsize=1)
def _registry() -> dict[str, str]:
    """Built-in and installed drivers, looked up once per process: reading the entry points scans
    the metadata of every installed distribution (milliseconds), and an audit asks for every file."""
    found = dict(BUILTIN)
    for ep in entry_points(group="mlagauto.drivers"):
        found.setdefault(ep.name, ep.value)
    return found


def platforms() -> list[str]:
    """Names of every platform with a driver."""
    return sorted(_registry())


@lru_cache(maxsize=None)
def driver_class(platform: str) -> type[MlagDriver]:
    target = _registry().get(platform)
    if target is None:
        raise KeyError(f"no driver for platform {platform!r}; known: {', '.join(platforms())}")
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)


@lru_cache(maxsize=None)
def _cached(platform: str, template_dir: str | None) -> MlagDriver:
    return driver_class(platform)(template_dir)


def get_driver(platform: str, template_dir: str | Path | None = None) -> MlagDriver:
    """The driver instance for ``platform`` (optionally with a template override directory)."""
    return _cached(platform, str(template_dir) if template_dir else None)


def detect_platform(text: str) -> str | None:
    """The platform whose driver recognises ``text`` best, or None when none does."""
    text = clean_capture(text)
    scores = {p: driver_class(p).detect(text) for p in platforms()}
    best = max(scores, key=lambda p: scores[p])
    return best if scores[best] > 0 else None


__all__ = ["MlagDriver", "detect_platform", "driver_class", "get_driver", "platforms"]
