"""Render every switch of a Fabric to its configuration text."""

from __future__ import annotations

from pathlib import Path

from mlagauto.drivers import get_driver
from mlagauto.model.intent import Fabric


def render_host(fabric: Fabric, host: str, variant: str | None = None, template_dir: str | Path | None = None) -> str:
    """The MLAG configuration of one switch."""
    domain = fabric.domain_of(host)
    return get_driver(domain.platform, template_dir).render(domain, host, variant)


def render_fabric(
    fabric: Fabric,
    hosts: list[str] | None = None,
    variant: str | None = None,
    template_dir: str | Path | None = None,
) -> dict[str, str]:
    """``{host: config}`` for ``hosts`` (default: every MLAG switch), in inventory order."""
    chosen = hosts if hosts is not None else fabric.hosts()
    return {h: render_host(fabric, h, variant, template_dir) for h in chosen}


def write_configs(configs: dict[str, str], out_dir: str | Path) -> list[Path]:
    """Write ``<host>.cfg`` files; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for host, text in configs.items():
        path = out / f"{host}.cfg"
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
