"""``get-interface-information`` and ``get-lldp-neighbors-information`` (``show interfaces``,
``show lldp neighbors``) of the simulated QFX, computed from its committed configuration and,
for the ICL, its peer's.

napalm ``junos`` reads them through PyEZ tables: ``physical-interface`` items keyed by ``name``
with ``oper-status``, ``admin-status``, ``description``, ``interface-flapped/@seconds``, ``speed``,
``mtu``, ``current-physical-address`` (``get_facts``' interface list and ``get_interfaces``),
``physical-interface/logical-interface`` items for the units, and ``lldp-neighbor-information``
items keyed by ``lldp-local-port-id`` with ``lldp-remote-system-name`` / ``lldp-remote-port-id``.

The lab's own link rules (it has no patch panel to ask):

* Interfaces: em0, xe-0/0/0-47 (10 Gbit/s), et-0/0/48-55 (100 Gbit/s), ae0 up to the
  ``chassis aggregated-devices ethernet device-count``, and every other interface the
  configuration names (irb, lo0, units).
* The ICL is cabled port to port: a member of an ICL bundle (the ``multi-chassis-protection``
  interface) on this switch or its peer faces the same-named port of the peer; it is up unless
  either end is ``disable``\\ d, and LLDP (on by default on QFX) reports the peer there, with the
  port name as port id (``port-id-subtype interface-name``). Other ports have no LLDP neighbor.
* Any other physical port the configuration uses is taken to be cabled (to a host without LLDP):
  up unless ``disable``\\ d; unused ports are down. An ae is up with one member up; its speed is
  the sum of its members that are up. MTU is ``mtu`` or 1514.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from xml.sax.saxutils import escape

from mlagauto.lab.juniper_junos.mclag import Chassis, chassis_mac, read_chassis
from mlagauto.lab.juniper_junos.statements import Config

if TYPE_CHECKING:
    from mlagauto.lab.juniper_junos.device import JunosDevice

IFACE_NS = "http://xml.juniper.net/junos/21.4R0/junos-interface"
LLDP_TTL = 120


@dataclass
class Port:
    name: str
    kind: str
    """physical, ae, em, irb, lo."""
    enabled: bool
    up: bool
    description: str
    mtu: str
    speed: str
    mac: str | None
    index: int
    parent: str | None = None
    units: list[tuple[str, str, bool]] = field(default_factory=list)
    """(unit, description, disabled)."""


def _mac_plus(mac: str, offset: int) -> str:
    value = (int(mac.replace(":", ""), 16) + offset) % (1 << 48)
    h = f"{value:012x}"
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def _physical_speed(name: str) -> int:
    """Gbit/s of a physical port by its name."""
    return {"et": 100, "xe": 10, "ge": 1, "mg": 1}.get(name.split("-")[0], 10)


def icl_members(ch: Chassis) -> set[str]:
    icl = set(ch.icl.values())
    return {m for ae in icl if ae in ch.aes for m in ch.aes[ae].members}


def _disabled(config: Config, name: str) -> bool:
    return config.has_slot(("interfaces", name, "disable"))


def cabled_to_peer(device: JunosDevice) -> dict[str, bool]:
    """ICL member ports -> link up (neither end disabled)."""
    from mlagauto.lab.juniper_junos.device import JunosDevice

    peer = device.peer
    if not isinstance(peer, JunosDevice):
        return {}
    mine, theirs = device.chassis_views()
    ports = icl_members(mine) | (icl_members(theirs) if theirs else set())
    return {p: not _disabled(device.committed, p) and not _disabled(peer.committed, p) for p in ports}


def ports(device: JunosDevice) -> list[Port]:
    config = device.committed
    ch = read_chassis(device.name, config)
    mac = chassis_mac(device.name)
    configured: dict[str, list[tuple[str, ...]]] = {}
    for tail in config.under(("interfaces",)):
        configured.setdefault(tail[0], []).append(tail[1:])
    count = config.first("chassis", "aggregated-devices", "ethernet", "device-count")
    names = {"em0"} | {f"xe-0/0/{n}" for n in range(48)} | {f"et-0/0/{n}" for n in range(48, 56)}
    names |= {f"ae{n}" for n in range(int(count))} if count and count.isdigit() else set()
    names |= set(configured) | set(ch.aes)
    names.discard("interface-range")
    cabled = cabled_to_peer(device)
    parent = {m: ae for ae, bundle in ch.aes.items() for m in bundle.members}
    out: dict[str, Port] = {}
    for name in sorted(names, key=_order):
        tails = configured.get(name, [])
        enabled = not _disabled(config, name)
        description = next((t[1] for t in tails if len(t) == 2 and t[0] == "description"), "")
        mtu = next((t[1] for t in tails if len(t) == 2 and t[0] == "mtu"), "1514")
        units: dict[str, tuple[str, bool]] = {}
        for t in tails:
            if len(t) >= 2 and t[0] == "unit":
                desc, off = units.get(t[1], ("", False))
                if len(t) == 4 and t[2] == "description":
                    desc = t[3]
                if t[2:] == ("disable",):
                    off = True
                units[t[1]] = (desc, off)
        unit_list = [(u, d, off) for u, (d, off) in sorted(units.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)]
        if name.startswith("ae") and name[2:].isdigit():
            port = Port(name, "ae", enabled, False, description, mtu, "Unspecified", _mac_plus(mac, 0x200 + int(name[2:])), 600 + int(name[2:]))
        elif name in ("em0", "em1", "fxp0"):
            port = Port(name, "em", enabled, enabled, description, mtu, "1000mbps", _mac_plus(mac, 0x100), 17)
        elif name == "irb":
            port = Port(name, "irb", enabled, enabled, description, mtu, "Unspecified", mac, 640)
        elif name == "lo0":
            port = Port(name, "lo", enabled, enabled, description, "Unlimited", "Unspecified", None, 6)
        else:
            number = _port_number(name)
            up = enabled and (cabled[name] if name in cabled else bool(tails))
            port = Port(name, "physical", enabled, up, description, mtu, f"{_physical_speed(name)}Gbps", _mac_plus(mac, number + 1), 650 + number)
        port.parent = parent.get(name)
        port.units = unit_list
        out[name] = port
    for name, port in out.items():
        if port.kind == "ae":
            members = ch.aes[name].members if name in ch.aes else []
            live = [out[m] for m in members if m in out and out[m].up]
            port.up = port.enabled and bool(live)
            total = sum(_physical_speed(m.name) for m in live)
            port.speed = f"{total}Gbps" if total else "Unspecified"
    return list(out.values())


def _port_number(name: str) -> int:
    last = name.rsplit("/", 1)[-1]
    return int(last) if last.isdigit() else 0


def _order(name: str) -> tuple[int, str, tuple[int, ...]]:
    rank = 0 if "-" in name and "/" in name else (1 if name.startswith("ae") else 2)
    digits = tuple(int(p) for p in "".join(c if c.isdigit() else " " for c in name).split())
    return rank, name.split("-")[0] if rank == 0 else name.rstrip("0123456789"), digits


def _matches(name: str, wanted: str | None) -> bool:
    return wanted is None or name == wanted or fnmatchcase(name, wanted)


def interface_information(device: JunosDevice, wanted: str | None = None, terse: bool = False) -> str:
    """``<interface-information>`` as ``get-interface-information`` answers it."""
    booted = device.booted
    up_for = int(time.time() - booted)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(booted))
    ago = f"{up_for // 3600:02d}:{up_for % 3600 // 60:02d}:{up_for % 60:02d}"
    style = "terse" if terse else "normal"
    parts = [f'<interface-information xmlns="{IFACE_NS}" junos:style="{style}">']
    for port in ports(device):
        if not _matches(port.name, wanted):
            continue
        admin = "up" if port.enabled else "down"
        oper = "up" if port.up else "down"
        parts.append("<physical-interface>")
        parts.append(f"<name>{escape(port.name)}</name>")
        parts.append(f'<admin-status junos:format="{"Enabled" if port.enabled else "Disabled"}">{admin}</admin-status>')
        parts.append(f"<oper-status>{oper}</oper-status>")
        if not terse:
            parts.append(f"<local-index>{port.index}</local-index>")
            parts.append(f"<snmp-index>{500 + port.index}</snmp-index>")
            if port.description:
                parts.append(f"<description>{escape(port.description)}</description>")
            parts.append(f"<if-type>{'Loopback' if port.kind == 'lo' else 'Ethernet'}</if-type>")
            parts.append(f"<link-level-type>{'Flexible-Ethernet' if port.kind == 'ae' else 'Ethernet'}</link-level-type>")
            parts.append(f"<mtu>{port.mtu}</mtu>")
            parts.append(f"<speed>{port.speed}</speed>")
            if port.mac is not None:
                parts.append(f"<current-physical-address>{port.mac}</current-physical-address>")
                parts.append(f"<hardware-physical-address>{port.mac}</hardware-physical-address>")
            parts.append(f'<interface-flapped junos:seconds="{up_for}">{stamp} ({ago} ago)</interface-flapped>')
        for unit, description, off in port.units:
            parts.append("<logical-interface>")
            parts.append(f"<name>{escape(port.name)}.{escape(unit)}</name>")
            if description and not terse:
                parts.append(f"<description>{escape(description)}</description>")
            parts.append(f"<admin-status>{'down' if off else 'up'}</admin-status>")
            parts.append(f"<oper-status>{'up' if port.up and not off else 'down'}</oper-status>")
            flags = "<iff-down/>" if off else "<iff-up/>"
            parts.append(f"<if-config-flags>\n{flags}\n<iff-snmp-traps/>\n</if-config-flags>")
            parts.append("</logical-interface>")
        parts.append("</physical-interface>")
    parts.append("</interface-information>")
    return "\n".join(parts)


def neighbors(device: JunosDevice) -> list[tuple[str, str | None, str, str, str]]:
    """(local port, parent ae, peer chassis MAC, peer port, peer host name) per LLDP neighbor."""
    from mlagauto.lab.juniper_junos.device import JunosDevice

    peer = device.peer
    if not isinstance(peer, JunosDevice):
        return []
    mine, _ = device.chassis_views()
    parent = {m: ae for ae, bundle in mine.aes.items() for m in bundle.members}
    links = sorted((p for p, up in cabled_to_peer(device).items() if up), key=_order)
    return [(p, parent.get(p), chassis_mac(peer.name), p, peer.hostname()) for p in links]


def lldp_information(device: JunosDevice) -> str:
    parts = ['<lldp-neighbors-information junos:style="brief">']
    for port, parent, chassis, far, host in neighbors(device):
        parts += [
            "<lldp-neighbor-information>",
            f"<lldp-local-port-id>{escape(port)}</lldp-local-port-id>",
            f"<lldp-local-parent-interface-name>{escape(parent or '-')}</lldp-local-parent-interface-name>",
            "<lldp-remote-chassis-id-subtype>Mac address</lldp-remote-chassis-id-subtype>",
            f"<lldp-remote-chassis-id>{chassis}</lldp-remote-chassis-id>",
            "<lldp-remote-port-id-subtype>Interface name</lldp-remote-port-id-subtype>",
            f"<lldp-remote-port-id>{escape(far)}</lldp-remote-port-id>",
            f"<lldp-remote-system-name>{escape(host)}</lldp-remote-system-name>",
            "</lldp-neighbor-information>",
        ]
    parts.append("</lldp-neighbors-information>")
    return "\n".join(parts)


def lldp_text(device: JunosDevice) -> str:
    """``show lldp neighbors``."""
    lines = [f"{'Local Interface':<19}{'Parent Interface':<20}{'Chassis Id':<20}{'Port info':<19}System Name"]
    for port, parent, chassis, far, host in neighbors(device):
        lines.append(f"{port:<19}{parent or '-':<20}{chassis:<20}{far:<19}{host}")
    return "\n".join(lines)


def terse_text(device: JunosDevice) -> str:
    """``show interfaces terse``."""
    lines = [f"{'Interface':<24}{'Admin':<6}{'Link':<5}Proto    Local                 Remote"]
    for port in ports(device):
        lines.append(f"{port.name:<24}{'up' if port.enabled else 'down':<6}{'up' if port.up else 'down'}")
        for unit, _, off in port.units:
            lines.append(f"{port.name + '.' + unit:<24}{'down' if off else 'up':<6}{'up' if port.up and not off else 'down'}")
    return "\n".join(lines)
