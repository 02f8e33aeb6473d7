"""``show interfaces`` and ``show lldp neighbors`` of the simulated EOS switch, computed from its
running configuration (and, for links to the peer, its peer's), in EOS 4.31's text and JSON.

napalm ``eos`` builds ``get_facts``' interface list and ``get_interfaces`` from ``show interfaces``
(``lineProtocolStatus``, ``interfaceStatus``, ``description``, ``mtu``, ``bandwidth`` in bit/s,
``physicalAddress``, ``lastStatusChangeTimestamp``) and ``get_lldp_neighbors`` from ``show lldp
neighbors`` (``lldpNeighbors[].port / neighborDevice / neighborPort``).

The lab's own link rules (it has no patch panel to ask):

* The interfaces are every ``interface`` block of the configuration plus the platform's physical
  ports (Ethernet1-52, Management1), which exist whatever the configuration says.
* The peer-link is cabled port to port, as ``state`` assumes: a port that is a peer-link member in
  this switch's or its peer's configuration faces the same-named port of the peer. Such a port is
  up when neither end is shut down, and LLDP (on by default in EOS) reports the peer there.
* Any other Ethernet port the configuration uses (a block with at least one line) is taken to be
  cabled to a host that sends no LLDP: up unless shut down. An unused port is ``notconnect``.
* A Port-Channel is up with ``min-links`` (1) members up; its bandwidth is theirs added up. An
  SVI is up when its VLAN exists; Management and Loopback interfaces are up unless shut down.
* Defaults: Ethernet and Port-Channel MTU 9214, others 1500 (Loopback 65535); Ethernet 10 Gbit/s
  unless ``speed`` says otherwise; Ethernet N has the system MAC plus N, the logical interfaces
  the system MAC.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlagauto.configtree import Node
from mlagauto.lab.arista_eos.config import CliError, interface_names, interface_sort_key, short_interface
from mlagauto.lab.arista_eos.show import Output, _dotted

if TYPE_CHECKING:
    from mlagauto.lab.arista_eos.device import EosDevice

DEFAULT_BANDWIDTH = 10_000_000_000
LLDP_TTL = 120


@dataclass
class Interface:
    name: str
    node: Node | None
    shutdown: bool
    up: bool
    description: str
    mtu: int
    bandwidth: int
    mac: str | None
    member_of: str | None = None
    address: str | None = None
    members: tuple[str, ...] = ()


def _lines(node: Node | None) -> list[str]:
    return [c.text for c in node.children] if node is not None else []


def _value(lines: list[str], key: str) -> str | None:
    return next((line[len(key) + 1 :] for line in lines if line.startswith(key + " ")), None)


def _speed(lines: list[str]) -> int:
    """``speed 100g``, ``speed forced 40gfull``, ``speed 25gfull``: bit/s; else the default."""
    text = _value(lines, "speed") or ""
    m = re.search(r"(\d+)\s*([gm])", text.lower())
    if not m:
        return DEFAULT_BANDWIDTH
    return int(m.group(1)) * (1_000_000_000 if m.group(2) == "g" else 1_000_000)


def _mac_plus(mac: str, offset: int) -> str:
    value = (int(mac.replace(":", ""), 16) + offset) % (1 << 48)
    h = f"{value:012x}"
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def peer_link_members(root: Node) -> set[str]:
    """Ethernet ports in the channel-group of the ``mlag configuration`` peer-link."""
    mlag = root.first("mlag configuration")
    peer_link = next((c.text.split()[1] for c in mlag.children if c.text.startswith("peer-link ")), None) if mlag else None
    if not peer_link or not peer_link.startswith("Port-Channel"):
        return set()
    number = peer_link[len("Port-Channel") :]
    members = set()
    for node in root.find("interface"):
        name = node.text.split()[1]
        if name.startswith("Ethernet") and any(re.fullmatch(rf"channel-group {number} mode \S+", line) for line in _lines(node)):
            members.add(name)
    return members


def _blocks(root: Node) -> dict[str, Node]:
    return {n.text.split()[1]: n for n in root.find("interface") if len(n.text.split()) == 2}


def cabled_to_peer(device: EosDevice) -> dict[str, bool]:
    """Ports cabled to the peer switch -> whether the link is up (neither end shut down)."""
    from mlagauto.lab.arista_eos.device import EosDevice

    peer = device.peer
    if not isinstance(peer, EosDevice):
        return {}
    mine, theirs = _blocks(device.tree), _blocks(peer.tree)
    ports = peer_link_members(device.tree) | peer_link_members(peer.tree)
    return {
        port: not (port in mine and mine[port].has("shutdown")) and not (port in theirs and theirs[port].has("shutdown"))
        for port in ports
    }


def interfaces(device: EosDevice) -> list[Interface]:
    """Every interface of the switch with its state, in ``show interfaces`` order."""
    from mlagauto.lab.arista_eos.device import ETHERNET_PORTS

    blocks = _blocks(device.tree)
    names = set(blocks) | {f"Ethernet{n}" for n in range(1, ETHERNET_PORTS + 1)} | {"Management1"}
    cabled = cabled_to_peer(device)
    channel_of: dict[str, str] = {}
    for name, node in blocks.items():
        group = next((line.split()[1] for line in _lines(node) if line.startswith("channel-group ")), None)
        if name.startswith("Ethernet") and group:
            channel_of[name] = f"Port-Channel{group}"
    vlans = {int(v) for n in device.tree.find("vlan") for v in _vlan_ids(n.text.split()[1])}
    result: dict[str, Interface] = {}
    for name in sorted(names, key=interface_sort_key):
        node = blocks.get(name)
        lines = _lines(node)
        shut = "shutdown" in lines
        mtu_text = _value(lines, "mtu")
        description = _value(lines, "description") or ""
        if name.startswith("Ethernet"):
            number = int(re.findall(r"\d+", name)[-1])
            up = not shut and (cabled[name] if name in cabled else bool(lines))
            bandwidth, mac, default_mtu = _speed(lines), _mac_plus(device.mac, number), 9214
        elif name.startswith("Management"):
            up, bandwidth, mac, default_mtu = not shut, 1_000_000_000, _mac_plus(device.mac, 0x100), 1500
        elif name.startswith("Vlan"):
            up = not shut and int(name[4:] or 0) in vlans
            bandwidth, mac, default_mtu = 0, device.mac, 1500
        elif name.startswith("Loopback"):
            up, bandwidth, mac, default_mtu = not shut, 0, None, 65535
        else:  # Port-Channel and anything else: settled once the members are known
            up, bandwidth, mac, default_mtu = False, 0, device.mac, 9214 if name.startswith("Port-Channel") else 1500
        address = _value(lines, "ip address")
        result[name] = Interface(
            name, node, shut, up, description, int(mtu_text) if mtu_text and mtu_text.isdigit() else default_mtu,
            bandwidth, mac, channel_of.get(name), address,
        )
    for name, itf in result.items():
        if name.startswith("Port-Channel"):
            members = tuple(m for m, pc in sorted(channel_of.items(), key=lambda kv: interface_sort_key(kv[0])) if pc == name)
            live = [result[m] for m in members if m in result and result[m].up]
            min_links = _value(_lines(itf.node), "port-channel min-links")
            itf.members = members
            itf.up = not itf.shutdown and len(live) >= max(1, int(min_links) if min_links and min_links.isdigit() else 1)
            itf.bandwidth = sum(m.bandwidth for m in live)
    return list(result.values())


def _vlan_ids(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        low, _, high = part.partition("-")
        if low.isdigit() and (high.isdigit() or not high):
            out.extend(range(int(low), int(high or low) + 1))
    return out


def _status(itf: Interface) -> tuple[str, str]:
    """(lineProtocolStatus, interfaceStatus) as EOS reports them."""
    if itf.shutdown:
        return "down", "disabled"
    if itf.up:
        return "up", "connected"
    return ("lowerLayerDown" if itf.name.startswith("Port-Channel") else "down"), "notconnect"


def _hardware(name: str) -> str:
    for prefix, kind in (("Ethernet", "ethernet"), ("Management", "ethernet"), ("Port-Channel", "portChannel"), ("Vlan", "vlan"), ("Loopback", "loopback")):
        if name.startswith(prefix):
            return kind
    return "ethernet"


def _forwarding(itf: Interface) -> str:
    lines = _lines(itf.node)
    if itf.member_of:
        return "dataLink"
    if itf.name.startswith(("Vlan", "Loopback", "Management")) or "no switchport" in lines:
        return "routed"
    return "bridged"


def _address_json(address: str | None) -> list[dict[str, Any]]:
    if not address:
        return []
    try:
        ip = ipaddress.IPv4Interface(address.split()[0])
    except ValueError:
        return []
    primary = {"address": str(ip.ip), "maskLen": ip.network.prefixlen}
    return [{"primaryIp": primary, "secondaryIps": {}, "secondaryIpsOrderedList": [], "virtualIp": {"address": "0.0.0.0", "maskLen": 0}, "broadcastAddress": "255.255.255.255", "dhcp": False}]


def _json(itf: Interface, changed: float) -> dict[str, Any]:
    protocol, status = _status(itf)
    data: dict[str, Any] = {
        "name": itf.name,
        "forwardingModel": _forwarding(itf),
        "lineProtocolStatus": protocol,
        "interfaceStatus": status,
        "hardware": _hardware(itf.name),
        "interfaceAddress": _address_json(itf.address),
        "description": itf.description,
        "bandwidth": itf.bandwidth,
        "mtu": itf.mtu,
        "l3MtuConfigured": False,
        "l2Mru": 0,
        "lastStatusChangeTimestamp": changed,
    }
    if itf.mac is not None:
        data["physicalAddress"] = itf.mac
        data["burnedInAddress"] = itf.mac
    if itf.name.startswith(("Ethernet", "Management")):
        data.update(duplex="duplexFull", autoNegotiate="off" if itf.name.startswith("Ethernet") else "success", loopbackMode="loopbackNone", lanes=0)
    if itf.member_of:
        data["interfaceMembership"] = f"Member of {itf.member_of}"
    if itf.name.startswith("Port-Channel"):
        data["memberInterfaces"] = {m: {"duplex": "duplexFull", "bandwidth": DEFAULT_BANDWIDTH} for m in itf.members}
        data["fallbackEnabled"] = False
    return data


def _text(itf: Interface, uptime: float) -> list[str]:
    protocol, status = _status(itf)
    state = "administratively down" if itf.shutdown else ("up" if itf.up else "down")
    lines = [f"{itf.name} is {state}, line protocol is {'up' if protocol == 'up' else 'down'} ({status})"]
    kind = {"ethernet": "Ethernet", "portChannel": "Port-Channel", "vlan": "Vlan", "loopback": "Loopback"}[_hardware(itf.name)]
    if itf.mac is not None:
        lines.append(f"  Hardware is {kind}, address is {_dotted(itf.mac)} (bia {_dotted(itf.mac)})")
    else:
        lines.append(f"  Hardware is {kind}")
    if itf.description:
        lines.append(f"  Description: {itf.description}")
    if itf.member_of:
        lines.append(f"  Member of {itf.member_of}")
    if itf.address:
        lines.append(f"  Internet address is {itf.address.split()[0]}")
        lines.append("  Broadcast address is 255.255.255.255")
    if itf.name.startswith(("Ethernet", "Port-Channel", "Management")):
        lines.append(f"  Ethernet MTU {itf.mtu} bytes, BW {itf.bandwidth // 1000} kbit")
    else:
        lines.append(f"  IP MTU {itf.mtu} bytes, BW {itf.bandwidth // 1000} kbit")
    if itf.name.startswith(("Ethernet", "Management")):
        lines.append(f"  Full-duplex, {itf.bandwidth // 1_000_000_000 or 1}Gb/s, auto negotiation: off, uni-link: n/a")
    if itf.members:
        lines.append("  Active members in this channel: " + str(sum(1 for _ in itf.members)))
    minutes, seconds = divmod(int(uptime), 60)
    lines.append(f"  {'Up' if itf.up else 'Down'} {minutes} minutes, {seconds} seconds")
    return lines


def show_interfaces(device: EosDevice, args: list[str]) -> Output:
    """``show interfaces [NAME ...]``."""
    every = interfaces(device)
    if args:
        try:
            wanted = set(interface_names(" ".join(args)))
        except ValueError:
            raise CliError(f"Invalid input (at token 2: '{args[0]}')") from None
        every = [i for i in every if i.name in wanted]
        if not every:
            raise CliError("Interface does not exist", "failed")
    changed = device.boot_time
    data = {"interfaces": {i.name: _json(i, changed) for i in every}}
    text = "\n".join(line for i in every for line in _text(i, device.uptime()))
    return Output(text + "\n", data)


def show_lldp_neighbors(device: EosDevice) -> Output:
    """``show lldp neighbors``: the peer switch on each live peer-link port, nothing elsewhere."""
    peer = device.peer
    links = sorted((p for p, up in cabled_to_peer(device).items() if up), key=interface_sort_key)
    rows = [{"port": p, "neighborDevice": peer.hostname, "neighborPort": p, "ttl": LLDP_TTL} for p in links] if peer else []  # type: ignore[attr-defined]
    data = {
        "tablesLastChangeTime": device.boot_time,
        "tablesAgeOuts": 0,
        "tablesInserts": len(rows),
        "tablesDeletes": 0,
        "tablesDrops": 0,
        "lldpNeighbors": rows,
    }
    lines = [
        "Last table change time   : 0:00:01 ago",
        f"Number of table inserts  : {len(rows)}",
        "Number of table deletes  : 0",
        "Number of table drops    : 0",
        "Number of table age-outs : 0",
        "",
        "Port          Neighbor Device ID       Neighbor Port ID    TTL",
        "---------- ------------------------ ---------------------- ---",
    ]
    lines += [f"{short_interface(r['port']):<10} {r['neighborDevice']:<24} {r['neighborPort']:<22} {r['ttl']}" for r in rows]
    return Output("\n".join(lines) + "\n", data)
