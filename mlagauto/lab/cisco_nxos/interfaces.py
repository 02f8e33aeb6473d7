"""``show interface`` and ``show lldp neighbors [detail]`` of the simulated Nexus, computed from
its running configuration (and its peer's for the peer-link), in NX-OS 9.3's text layout.

napalm ``nxos_ssh`` reads these as text: ``get_interfaces`` splits ``show interface`` at the
``NAME is STATE`` / ``admin state is`` lines and reads ``Hardware: ..., address: MAC (bia ...)``,
``Description:`` and ``MTU N bytes, BW N Kbit``; ``get_lldp_neighbors`` runs ``show lldp neighbors
detail`` through napalm's TextFSM template (``Chassis id`` ... ``Enabled Capabilities``).

The lab's own link rules, shared with ``show interface status``:

* The interfaces are mgmt0, Ethernet1/1-64, the port-channels and any other ``interface`` block
  of the configuration (SVIs, loopbacks). Link states are those of ``show interface status``
  (a port the configuration uses is taken to be cabled; an unused one is not connected).
* The vPC peer-link is cabled port to port: a port in the peer-link's channel-group on this switch
  or on its peer faces the same-named port of the peer. LLDP (``feature lldp`` is on in the lab)
  reports the peer there while neither end is shut down; other ports have no LLDP neighbor.
* Defaults: MTU 1500, Ethernet 10 Gbit/s, a port-channel the sum of its members that are up;
  Ethernet1/N has the switch's MAC plus N, everything else the switch's MAC.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mlagauto.configtree import Node
from mlagauto.lab.cisco_nxos.config import VERSION, interface_order, short_name
from mlagauto.lab.cisco_nxos.show import interface_rows
from mlagauto.lab.cisco_nxos.state import Switch

if TYPE_CHECKING:
    from mlagauto.lab.cisco_nxos.device import NxosDevice

ETHERNET_KBIT = 10_000_000
LLDP_HOLD = 120
_DOWN_REASON = {
    "disabled": "Administratively down",
    "notconnec": "Link not connected",
    "suspnd": "suspended(no LACP PDUs)",
    "noOperMem": "No operational members",
}


def _dotted(mac: str) -> str:
    h = mac.replace(":", "")
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def _mac_plus(mac: str, offset: int) -> str:
    value = (int(mac.replace(":", ""), 16) + offset) % (1 << 48)
    h = f"{value:012x}"
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def _peer_link_ports(sw: Switch) -> dict[str, bool]:
    """Peer-link member -> shut down?"""
    pc = sw.peer_link
    return {m.name: m.shutdown for m in pc.members} if pc is not None else {}


def peer_links(device: NxosDevice) -> list[str]:
    """Ports on which LLDP sees the peer switch: peer-link cabling with both ends not shut down."""
    state = device.state()
    if state.peer is None:
        return []
    mine, theirs = _peer_link_ports(state.local), _peer_link_ports(state.peer)
    blocks = {n.text.split(" ", 1)[1]: n for n in device.config.root.find("interface")}
    peer = device.peer
    peer_blocks = {n.text.split(" ", 1)[1]: n for n in peer.config.root.find("interface")} if peer is not None else {}  # type: ignore[attr-defined]

    def shut(table: dict[str, Node], port: str) -> bool:
        return port in table and table[port].has("shutdown")

    ports = set(mine) | set(theirs)
    return sorted((p for p in ports if not shut(blocks, p) and not shut(peer_blocks, p)), key=interface_order)


def _mtu(node: Node | None) -> int:
    value = node.value("mtu") if node is not None else None
    return int(value) if value and value.isdigit() else 1500


def _sections(device: NxosDevice) -> list[tuple[str, list[str], dict[str, Any]]]:
    """(name, text lines, JSON row) per interface, in ``show interface`` order."""
    root = device.config.root
    state = device.state()
    mac = state.local.local_mac
    blocks = {n.text.split(" ", 1)[1]: n for n in root.find("interface")}
    rows = {r["interface"]: r for r in interface_rows(root, state)}
    members = {m.name: pc for pc in state.local.port_channels.values() for m in pc.members}
    names = set(rows) | set(blocks)
    out = []
    for name in sorted(names, key=lambda n: (0 if n == "mgmt0" else 1, interface_order(n))):
        node = blocks.get(name)
        description = (node.value("description") if node is not None else None) or ""
        shut = node is not None and node.has("shutdown")
        row = rows.get(name)
        if name.startswith(("Vlan", "loopback")):
            up = not shut and (not name.startswith("Vlan") or int(name[4:]) in state.local.vlans)
            status = "up" if up else ("down (Administratively down)" if shut else "down (VLAN/BD is down)")
            proto = "up" if up else "down"
            lines = [f"{name} is {status}, line protocol is {proto}" + (", autostate enabled" if name.startswith("Vlan") else "")]
            kind = "EtherSVI" if name.startswith("Vlan") else "Loopback"
            lines.append(f"  Hardware is {kind}, address is  {_dotted(mac)}" if kind == "EtherSVI" else "  Hardware: Loopback")
            if description:
                lines.append(f"  Description: {description}")
            address = node.value("ip address") if node is not None else None
            if address:
                lines.append(f"  Internet Address is {address}")
            bw = 1_000_000 if kind == "EtherSVI" else 8_000_000
            lines.append(f"  MTU {_mtu(node)} bytes, BW {bw} Kbit, DLY 10 usec")
            out.append((name, lines, _json_row(name, up, shut, description, _mtu(node), bw, mac)))
            continue
        state_word = row["state"] if row else "notconnec"
        up = state_word == "connected"
        head = f"{name} is up" if up else f"{name} is down ({_DOWN_REASON.get(state_word, 'Link not connected')})"
        admin = "down" if shut else "up"
        if name.startswith("Ethernet"):
            number = int(name.split("/")[-1])
            port_mac, bw = _mac_plus(mac, number), ETHERNET_KBIT
            lines = [head, f"admin state is {admin}, Dedicated Interface"]
            if name in members:
                lines.append(f"  Belongs to {short_name(f'port-channel{members[name].number}')}")
            lines.append(f"  Hardware: 100/1000/10000/25000 Ethernet, address: {_dotted(port_mac)} (bia {_dotted(port_mac)})")
        elif name.startswith("port-channel"):
            pc = state.local.port_channels.get(int(name[len("port-channel") :]))
            live = [m for m in (pc.members if pc else []) if rows.get(m.name, {}).get("state") == "connected"]
            port_mac, bw = mac, ETHERNET_KBIT * len(live) or 100_000
            lines = [head, f"admin state is {admin},"]
            if live:
                lines.append("  Members in this channel: " + ", ".join(short_name(m.name) for m in live))
            lines.append(f"  Hardware: Port-Channel, address: {_dotted(port_mac)} (bia {_dotted(port_mac)})")
        else:  # mgmt0
            port_mac, bw = _mac_plus(mac, 0x100), 1_000_000
            lines = [head, f"admin state is {admin},", f"  Hardware: GigabitEthernet, address: {_dotted(port_mac)} (bia {_dotted(port_mac)})"]
        if description:
            lines.append(f"  Description: {description}")
        address = node.value("ip address") if node is not None else None
        if address:
            lines.append(f"  Internet Address is {address}")
        lines.append(f"  MTU {_mtu(node)} bytes, BW {bw} Kbit , DLY 10 usec")
        lines.append("  reliability 255/255, txload 1/255, rxload 1/255")
        lines.append("  Encapsulation ARPA, medium is broadcast")
        if name != "mgmt0":
            lines.append(f"  full-duplex, {bw // 1_000_000} Gb/s" if up else "  auto-duplex, auto-speed")
        out.append((name, lines, _json_row(name, up, shut, description, _mtu(node), bw, port_mac)))
    return out


def _json_row(name: str, up: bool, shut: bool, description: str, mtu: int, bw: int, mac: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "interface": name,
        "state": "up" if up else "down",
        "admin_state": "down" if shut else "up",
        "eth_hw_addr": _dotted(mac),
        "eth_bia_addr": _dotted(mac),
        "eth_mtu": str(mtu),
        "eth_bw": bw,
    }
    if description:
        row["desc"] = description
    return row


def show_interface(device: NxosDevice, names: list[str] | None = None) -> tuple[str, dict[str, Any]]:
    """``show interface [NAME]``: text and the ``| json`` table."""
    sections = [s for s in _sections(device) if names is None or s[0] in names]
    text = "\n\n".join("\n".join(lines) for _, lines, _ in sections)
    return "\n" + text + "\n", {"TABLE_interface": {"ROW_interface": [row for _, _, row in sections]}}


_CAPABILITY_LEGEND = [
    "Capability codes:",
    "  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
    "  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
]


def _neighbors(device: NxosDevice) -> list[tuple[str, str, str, str]]:
    """(local port, peer hostname, peer port, peer chassis MAC) per LLDP neighbor."""
    peer = device.peer
    if peer is None:
        return []
    peer_state = peer.state()  # type: ignore[attr-defined]
    return [(p, peer_state.local.hostname, p, _mac_plus(peer_state.local.local_mac, int(p.split("/")[-1]))) for p in peer_links(device)]


def lldp_neighbors_text(device: NxosDevice) -> str:
    rows = _neighbors(device)
    lines = _CAPABILITY_LEGEND + ["", "Device ID            Local Intf      Hold-time  Capability  Port ID  "]
    lines += [f"{host[:20]:<21}{short_name(port):<16}{LLDP_HOLD:<11}{'BR':<12}{far}" for port, host, far, _ in rows]
    lines += ["", f"Total entries displayed: {len(rows)}"]
    return "\n".join(lines) + "\n"


def lldp_neighbors_detail_text(device: NxosDevice) -> str:
    rows = _neighbors(device)
    lines = _CAPABILITY_LEGEND + ["Device ID            Local Intf      Hold-time  Capability  Port ID  ", ""]
    peer = device.peer
    peer_mgmt = None
    if peer is not None:
        mgmt = peer.config.root.first("interface mgmt0")  # type: ignore[attr-defined]
        peer_mgmt = mgmt.value("ip address") if mgmt is not None else None
    for port, host, far, chassis in rows:
        peer_node = peer.config.root.first(f"interface {far}") if peer is not None else None  # type: ignore[attr-defined]
        far_description = (peer_node.value("description") if peer_node is not None else None) or "not advertised"
        lines += [
            f"Chassis id: {_dotted(chassis)}",
            f"Port id: {far}",
            f"Local Port id: {short_name(port)}",
            f"Port Description: {far_description}",
            f"System Name: {host}",
            f"System Description: Cisco Nexus Operating System (NX-OS) Software {VERSION}",
            "TAC support: http://www.cisco.com/tac",
            "Copyright (c) 2002-2021, Cisco Systems, Inc. All rights reserved.",
            f"Time remaining: {LLDP_HOLD - 15} seconds",
            "System Capabilities: B, R",
            "Enabled Capabilities: B, R",
            f"Management Address: {re.sub(r'/.*', '', peer_mgmt) if peer_mgmt else 'not advertised'}",
            "Management Address IPV6: not advertised",
            "Vlan ID: 1",
            "",
        ]
    lines.append(f"Total entries displayed: {len(rows)}")
    return "\n".join(lines) + "\n"
