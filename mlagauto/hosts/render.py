"""Render each dual-homed server's bond in the formats people deploy it with.

One folder per host format under ``vendors/`` (``netplan``, ``networkmanager``, ``ifupdown``,
``systemd_networkd``, ``truenas``), Jinja2 with the switch templates' conventions (strict
undefined, trimmed blocks, no escaping: every string is a validated token). The templates see
an ``EffectiveBond`` (every value decided, see ``mlagauto.model.host``) plus the switch side for
the header comment, so the files say which LAG they face.

Output layout: ``<out>/<host>/<format>/<file>``, each file named as it is installed
(``/etc/netplan/``, ``/etc/NetworkManager/system-connections/``, ``/etc/network/interfaces.d/``,
``/etc/systemd/network/``; the TrueNAS file is the list of API calls to make).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Interface
from pathlib import Path
from typing import Any

import jinja2

from mlagauto.drivers.base import template_environment
from mlagauto.model.host import HOST_FORMATS, LINUX_FORMATS, TRUENAS_PROTOCOLS, EffectiveBond, host_bonds
from mlagauto.model.intent import Fabric, MlagDomain

FORMAT_DIRS = {"netplan": "netplan", "networkmanager": "networkmanager", "ifupdown": "ifupdown", "systemd-networkd": "systemd_networkd", "truenas": "truenas"}
"""Host format -> its template folder under ``vendors/`` (a folder name is a Python-friendly word)."""

_UUID_NAMESPACE = uuid.UUID("4b1d6c52-6a43-5f1e-9a0b-6d6c6167a075")
"""Namespace of the NetworkManager profile UUIDs: the same host and profile always get the same
UUID, so a re-render is byte-identical and NetworkManager sees the same connection."""

_YAML_AMBIGUOUS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


class HostRenderError(ValueError):
    """Host entries that cannot be rendered together (the messages name group and field)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class HostEntry:
    """One bond of one server, with the pair it faces."""

    bond: EffectiveBond
    domain: MlagDomain

    @property
    def formats(self) -> tuple[str, ...]:
        return ("truenas",) if self.bond.os == "truenas" else LINUX_FORMATS


def host_entries(fabric: Fabric) -> list[HostEntry]:
    """Every host bond of the fabric, in inventory order. Refuses (HostRenderError) what would
    write two files to one path or one NIC into two bonds: the same bond of a host twice, a NIC
    in two bonds of a host, or one host declared with two OS families."""
    entries = [HostEntry(b, d) for d in fabric.domains for b in host_bonds(d)]
    problems: list[str] = []
    seen_bond: dict[tuple[str, str], EffectiveBond] = {}
    seen_nic: dict[tuple[str, str], EffectiveBond] = {}
    seen_os: dict[str, EffectiveBond] = {}
    for e in entries:
        b = e.bond
        first = seen_os.setdefault(b.host, b)
        if first.os != b.os:
            problems.append(f"{b.where}.os: host {b.host} is {first.os} in {first.where}, {b.os} here")
        other = seen_bond.setdefault((b.host, b.bond), b)
        if other is not b:
            problems.append(f"{b.where}.bond: {b.bond} of host {b.host} is already {other.where}; give this LAG's bond another name")
        for nic in b.nics:
            owner = seen_nic.setdefault((b.host, nic), b)
            if owner is not b:
                problems.append(f"{b.where}.nics: {nic} of host {b.host} is already a member of {owner.bond} ({owner.where})")
    if problems:
        raise HostRenderError(problems)
    return entries


def _yaml_scalar(value: Any) -> str:
    """A YAML scalar for netplan: names as bare words (validated: no YAML syntax in them), quoted
    where YAML 1.1 would read a boolean or null, addresses always quoted (``:`` in IPv6)."""
    text = str(value)
    if text.lower() in _YAML_AMBIGUOUS or not text.replace(".", "").replace("-", "").replace("_", "").isalnum():
        return json.dumps(text)
    return text


@lru_cache(maxsize=16)
def _environment(fmt: str, override: str | None) -> jinja2.Environment:
    return template_environment(FORMAT_DIRS[fmt], override, {"yaml": _yaml_scalar, "json": json.dumps})


def _context(entry: HostEntry) -> dict[str, Any]:
    b, d = entry.bond, entry.domain
    iface = d.mlag_interfaces[b.index]
    lag = ", ".join(f"{h} port-channel {iface.port_channel_on(h)} ({' '.join(iface.members_on(h))})" for h in d.hostnames)
    v4 = [a for a in b.addresses if isinstance(a, IPv4Interface)]
    v6 = [a for a in b.addresses if not isinstance(a, IPv4Interface)]
    vlans = [
        {
            "id": v.id,
            "name": b.vlan_interface(v.id),
            "dhcp": v.dhcp,
            "v4": [a for a in v.addresses if isinstance(a, IPv4Interface)],
            "v6": [a for a in v.addresses if not isinstance(a, IPv4Interface)],
            "addresses": list(v.addresses),
            "gateway": v.gateway,
        }
        for v in b.vlans
    ]
    return {
        "b": b,
        "header": f"{b.host} {b.bond}: the server end of MLAG {b.mlag_id} on {d.name}: {lag}; generated by mlagauto",
        "v4": v4,
        "v6": v6,
        "vlans": vlans,
        "lag_protocol": {mode: proto for proto, mode in TRUENAS_PROTOCOLS.items()}.get(b.mode),
        "gateway": b.gateway or next((v.gateway for v in b.vlans if v.gateway is not None), None),
        "uuid": lambda profile: str(uuid.uuid5(_UUID_NAMESPACE, f"{b.host}/{profile}")),
    }


_FILES: dict[str, list[tuple[str, str]]] = {
    # format -> [(template, output name pattern)]; "{nic}" / "{vlan}" files repeat per NIC / VLAN
    "netplan": [("bond.yaml.j2", "60-mlagauto-{bond}.yaml")],
    "networkmanager": [("bond.nmconnection.j2", "{bond}.nmconnection"), ("port.nmconnection.j2", "{bond}-port-{nic}.nmconnection"), ("vlan.nmconnection.j2", "{bond}.{vlan}.nmconnection")],
    "ifupdown": [("bond.j2", "{bond}")],
    "systemd-networkd": [
        ("bond.netdev.j2", "10-{bond}.netdev"),
        ("bond.network.j2", "10-{bond}.network"),
        ("port.network.j2", "20-{bond}-{nic}.network"),
        ("vlan.netdev.j2", "30-{bond}.{vlan}.netdev"),
        ("vlan.network.j2", "30-{bond}.{vlan}.network"),
    ],
    "truenas": [("bond.json.j2", "{bond}.json")],
}


def render_entry(entry: HostEntry, fmt: str, template_dir: str | Path | None = None) -> dict[str, str]:
    """``{file name: text}`` of one bond in one format."""
    if fmt not in HOST_FORMATS:
        raise KeyError(f"unknown host format {fmt!r}; choose one of {', '.join(HOST_FORMATS)}")
    env = _environment(fmt, str(template_dir) if template_dir else None)
    ctx = _context(entry)
    b = entry.bond
    out: dict[str, str] = {}
    for template, pattern in _FILES[fmt]:
        tpl = env.get_template(template)
        if "{nic}" in pattern:
            for cable in b.cables:
                out[pattern.format(bond=b.bond, nic=cable.nic)] = tpl.render(ctx, nic=cable)
        elif "{vlan}" in pattern:
            for vlan in ctx["vlans"]:
                out[pattern.format(bond=b.bond, vlan=vlan["id"])] = tpl.render(ctx, vlan=vlan)
        else:
            out[pattern.format(bond=b.bond)] = tpl.render(ctx)
    return out


def render_hosts(
    fabric: Fabric,
    hosts: list[str] | None = None,
    formats: list[str] | None = None,
    template_dir: str | Path | None = None,
) -> dict[str, dict[str, str]]:
    """``{host: {"<format>/<file>": text}}`` for ``hosts`` (default: every server, inventory
    order), in each host's formats (its OS family's), limited to ``formats`` when given. A host
    the inventory does not name raises KeyError."""
    entries = host_entries(fabric)
    known = list(dict.fromkeys(e.bond.host for e in entries))
    chosen = hosts or known
    unknown = [h for h in chosen if h not in known]
    if unknown:
        raise KeyError(f"no MLAG interface names host {', '.join(unknown)}")
    out: dict[str, dict[str, str]] = {h: {} for h in chosen}
    for e in entries:
        if e.bond.host not in out:
            continue
        for fmt in e.formats:
            if formats and fmt not in formats:
                continue
            for name, text in render_entry(e, fmt, template_dir).items():
                out[e.bond.host][f"{fmt}/{name}"] = text
    return out


def write_hosts(rendered: dict[str, dict[str, str]], out_dir: str | Path) -> list[Path]:
    """Write ``<out>/<host>/<format>/<file>``; NetworkManager keyfiles get mode 0600 (the keyfile
    plugin ignores a profile others can read). Returns the paths written."""
    out = Path(out_dir)
    written = []
    for host, files in rendered.items():
        for rel, text in files.items():
            path = out / host / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            if path.suffix == ".nmconnection":
                path.chmod(0o600)
            written.append(path)
    return written
