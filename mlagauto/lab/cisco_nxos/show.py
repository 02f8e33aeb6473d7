"""NX-OS 9.3 show outputs of the simulated Nexus, as text and as the ``| json`` dictionaries.

Formats follow real N9K/N9Kv output (column widths, labels, JSON keys of ``show vpc`` /
``show vpc peer-keepalive`` / ``show vpc role``). The JSON of ``show vpc consistency-parameters``
and ``show port-channel summary`` follows the TABLE_x / ROW_x convention of every NX-OS command; a
table with a single row holds a dict instead of a list, as on the device.
"""

from __future__ import annotations

import hashlib
import textwrap
import time
from typing import Any

from mlagauto.configtree import Node
from mlagauto.lab.cisco_nxos.config import ETHERNET_PORTS, VERSION, interface_order, short_name, vlan_ranges
from mlagauto.lab.cisco_nxos.state import PairState, PortChannel, Switch

JsonDict = dict[str, Any]


def _vlans(ids: frozenset[int]) -> str:
    return vlan_ranges(ids) if ids else "-"


def table(name: str, row_name: str, rows: list[JsonDict]) -> JsonDict:
    return {name: {row_name: rows[0] if len(rows) == 1 else rows}}


def _cells(widths: list[int], values: list[str]) -> list[str]:
    """One table row; cells longer than their column (width 0: unlimited) wrap onto
    continuation lines, as NX-OS wraps reasons and parameter values."""
    wrapped = [(textwrap.wrap(v, w - 1) or [""]) if w else [v] for w, v in zip(widths, values)]
    height = max(len(cell) for cell in wrapped)
    lines = []
    for i in range(height):
        parts = [(cell[i] if i < len(cell) else "").ljust(w) for w, cell in zip(widths, wrapped)]
        lines.append("".join(parts).rstrip())
    return lines


def _field(label: str, value: object, width: int = 34) -> str:
    return f"{label:<{width}}: {value}"


# --- show vpc -----------------------------------------------------------------------------------------
def _timer(sw: Switch) -> tuple[str, str, str]:
    auto = "Disabled" if sw.auto_recovery is None else f"Enabled, timer is off.(timeout = {sw.auto_recovery}s)"
    return auto, f"Timer is off.(timeout = {sw.delay_restore}s)", f"Timer is off.(timeout = {sw.delay_restore_svi}s)"


def vpc_text(state: PairState) -> str:
    sw = state.local
    auto, restore, restore_svi = _timer(sw)
    per_vlan = "success" if state.formed or state.recovered else "failed"
    lines = [
        "Legend:",
        "                (*) - local vPC is down, forwarding via vPC peer-link",
        "",
        _field("vPC domain id", sw.domain if sw.configured else "Not configured"),
        _field("Peer status", state.peer_status),
        _field("vPC keep-alive status", state.keepalive),
        _field("Configuration consistency status", state.consistency),
        _field("Per-vlan consistency status", per_vlan),
    ]
    if state.consistency_reason:
        lines.append(_field("Configuration inconsistency reason", state.consistency_reason))
    lines.append(_field("Type-2 consistency status", per_vlan))
    if per_vlan == "failed":
        lines.append(_field("Type-2 inconsistency reason", state.consistency_reason))
    lines += [
        _field("vPC role", state.role),
        _field("Number of vPCs configured", len(state.rows)),
        _field("Peer Gateway", "Enabled" if sw.peer_gateway else "Disabled"),
        _field("Dual-active excluded VLANs", "-"),
        _field("Graceful Consistency Check", "Enabled" if sw.graceful else "Disabled"),
        _field("Auto-recovery status", auto),
        _field("Delay-restore status", restore),
        _field("Delay-restore SVI status", restore_svi),
        _field("Operational Layer3 Peer-router", "Enabled" if sw.l3_peer_router else "Disabled"),
        _field("Virtual-peerlink mode", "Disabled"),
    ]
    if sw.configured and sw.peer_link is not None:
        lines += ["", "vPC Peer-link status", "-" * 69, "id    Port   Status Active vlans", "--    ----   ------ " + "-" * 49]
        lines += _cells([6, 7, 7, 0], ["1", sw.peer_link.port, "up" if state.formed else "down", _vlans(state.peer_link_vlans)])
    if state.rows:
        lines += ["", "", "vPC status", "-" * 76]
        lines += ["Id    Port          Status Consistency Reason                Active vlans", "--    ------------  ------ ----------- ------                " + "-" * 15]
        for row in state.rows:
            lines += _cells([6, 14, 7, 12, 22, 0], [str(row.id), row.port_channel.port, row.status, row.consistency, row.reason, _vlans(row.vlans)])
        lines += [
            "",
            'Please check "show vpc consistency-parameters vpc <vpc-num>" for the',
            "consistency reason of down vpc and for type-2 consistency reasons for",
            "any vpc.",
        ]
    return "\n".join(lines) + "\n"


def vpc_json(state: PairState) -> JsonDict:
    sw = state.local
    auto, restore, restore_svi = _timer(sw)
    consistent = "consistent" if state.consistency == "success" else "inconsistent"
    peer_status = "peer-ok" if state.formed else "peer-link-down" if sw.configured and sw.peer_link else "peer-not-configured"
    keepalive = {
        "peer is alive": "peer-alive",
        "peer is alive, but domain IDs do not match": "peer-alive-domain-mismatch",
        "Disabled": "disabled",
    }.get(state.keepalive, "peer-not-alive")
    out: JsonDict = {
        "vpc-domain-id": str(sw.domain) if sw.configured else "not configured",
        "vpc-peer-status": peer_status,
        "vpc-peer-status-reason": "SUCCESS" if state.formed else state.consistency_reason,
        "vpc-peer-keepalive-status": keepalive,
        "vpc-peer-consistency": consistent,
        "vpc-per-vlan-peer-consistency": "consistent" if state.formed or state.recovered else "inconsistent",
        "vpc-peer-consistency-status": "SUCCESS" if consistent == "consistent" else state.consistency_reason,
        "vpc-type-2-consistency": "consistent" if state.formed or state.recovered else "inconsistent",
        "vpc-type-2-consistency-status": "SUCCESS" if state.formed or state.recovered else state.consistency_reason,
        "vpc-role": state.role.replace(" ", "-"),
        "num-of-vpcs": str(len(state.rows)),
        "peer-gateway": int(sw.peer_gateway),
        "dual-active-excluded-vlans": "-",
        "vpc-graceful-consistency-check-status": "enabled" if sw.graceful else "disabled",
        "vpc-auto-recovery-status": auto,
        "vpc-delay-restore-status": restore,
        "vpc-delay-restore-svi-status": restore_svi,
        "operational-l3-peer": "Enabled" if sw.l3_peer_router else "Disabled",
        "virtual-peerlink": "Disabled",
    }
    if sw.configured and sw.peer_link is not None:
        out["vpc-peer-link-hdr"] = "Start of vPC peer-link table"
        out.update(table("TABLE_peerlink", "ROW_peerlink", [{
            "peer-link-id": 1,
            "peerlink-ifindex": sw.peer_link.port,
            "peer-link-port-state": int(state.formed),
            "peer-up-vlan-bitset": _vlans(state.peer_link_vlans),
        }]))
    if state.rows:
        out["vpc-end"] = ["End of table"]
        out.update(table("TABLE_vpc", "ROW_vpc", [{
            "vpc-id": row.id,
            "vpc-ifindex": row.port_channel.port,
            "vpc-port-state": int(row.up),
            "phy-port-if-removed": "disabled",
            "vpc-thru-peerlink": int(row.status == "down*"),
            "vpc-consistency": "consistent" if row.consistency == "success" else "inconsistent",
            "vpc-consistency-status": "SUCCESS" if row.consistency == "success" else row.reason,
            "up-vlan-bitset": _vlans(row.vlans),
            "es-attr": "DF: Invalid",
        } for row in state.rows]))
    return out


# --- keepalive and role -------------------------------------------------------------------------------
def _stamp(now: float) -> str:
    return time.strftime("%Y.%m.%d %H:%M:%S", time.localtime(now)) + f" {int(now * 1000) % 1000} ms"


def keepalive_text(state: PairState, alive_for: float, now: float) -> str:
    ka = state.local.keepalive
    lines = [_field("vPC keep-alive status", state.keepalive)]
    if ka is None:
        return "\n".join(lines) + "\n"
    interface = "mgmt0" if ka.vrf == "management" else "-"
    if state.keepalive_alive:
        lines.append(_field("--Peer is alive for", f"({int(alive_for)}) seconds, ({int(alive_for * 1000) % 1000}) msec", 32))
    lines += [
        _field("--Send status", "Success", 32),
        _field("--Last send at", _stamp(now), 32),
        _field("--Sent on interface", interface, 32),
        _field("--Receive status", "Success" if state.keepalive_alive else "Failed", 32),
    ]
    if state.keepalive_alive:
        lines += [_field("--Last receive at", _stamp(now), 32), _field("--Received on interface", interface, 32), _field("--Last update from peer", "(0) seconds, (420) msec", 32)]
    lines += [
        "",
        "vPC Keep-alive parameters",
        _field("--Destination", ka.destination, 32),
        _field("--Keepalive interval", "1000 msec", 32),
        _field("--Keepalive timeout", "5 seconds", 32),
        _field("--Keepalive hold timeout", "3 seconds", 32),
        _field("--Keepalive vrf", ka.vrf, 32),
        _field("--Keepalive udp port", "3200", 32),
        _field("--Keepalive tos", "192", 32),
    ]
    return "\n".join(lines) + "\n"


def keepalive_json(state: PairState) -> JsonDict:
    ka = state.local.keepalive
    out: JsonDict = {"vpc-peer-keepalive-status": vpc_json(state)["vpc-peer-keepalive-status"]}
    if ka is not None:
        out.update({
            "vpc-keepalive-send-status": "success",
            "vpc-keepalive-send-interface": "mgmt0" if ka.vrf == "management" else "-",
            "vpc-keepalive-recv-status": "success" if state.keepalive_alive else "failed",
            "vpc-keepalive-dest": ka.destination,
            "vpc-keepalive-interval": 1000,
            "vpc-keepalive-timeout": 5,
            "vpc-keepalive-hold-timeout": 3,
            "vpc-keepalive-vrf": ka.vrf,
            "vpc-keepalive-udp-port": 3200,
            "vpc-keepalive-tos": 192,
        })
    return out


def role_json(state: PairState) -> JsonDict:
    sw, peer = state.local, state.peer if state.formed else None
    out: JsonDict = {
        "vpc-peer-status": vpc_json(state)["vpc-peer-status"],
        "vpc-current-role": state.role.replace(" ", "-"),
        "dual-active-detected": 0,
        "vpc-system-mac": sw.vpc_mac if sw.configured else "00:00:00:00:00:00",
        "vpc-system-prio": sw.system_priority,
        "vpc-local-system-mac": sw.local_mac,
        "vpc-local-system-prio": sw.system_priority,
        "vpc-local-role-prio": sw.role_priority,
    }
    if peer is not None:
        out.update({"vpc-peer-system-mac": peer.local_mac, "vpc-peer-system-prio": peer.system_priority, "vpc-peer-role-prio": peer.role_priority})
    return out


def role_text(state: PairState) -> str:
    data = role_json(state)
    lines = [
        "vPC Role status",
        "-" * 52,
        _field("vPC role", state.role, 32),
        _field("Dual Active Detection Status", 0, 32),
        _field("vPC system-mac", data["vpc-system-mac"], 32),
        _field("vPC system-priority", data["vpc-system-prio"], 32),
        _field("vPC local system-mac", data["vpc-local-system-mac"], 32),
        _field("vPC local role-priority", data["vpc-local-role-prio"], 32),
        _field("vPC local config role-priority", data["vpc-local-role-prio"], 32),
    ]
    if "vpc-peer-system-mac" in data:
        lines += [
            _field("vPC peer system-mac", data["vpc-peer-system-mac"], 32),
            _field("vPC peer role-priority", data["vpc-peer-role-prio"], 32),
            _field("vPC peer config role-priority", data["vpc-peer-role-prio"], 32),
        ]
    return "\n".join(lines) + "\n"


# --- consistency parameters ---------------------------------------------------------------------------
_LEGEND = ["", "    Legend:", "        Type 1 : vPC will be suspended in case of mismatch", "", "Name                        Type  Local Value            Peer Value             ", "-------------               ----  ---------------------- -----------------------"]


def _global_params(sw: Switch) -> list[tuple[str, str, str]]:
    return [
        ("STP MST Simulate PVST", "1", "Enabled"),
        ("STP Port Type, Edge BPDUFilter, Edge BPDUGuard", "1", "Normal, Disabled, Disabled"),
        ("STP MST Region Name", "1", '""'),
        ("STP Disabled", "1", "None"),
        ("STP Mode", "1", "MST" if sw.stp_mode == "mst" else "Rapid-PVST"),
        ("STP Bridge Assurance", "1", "Enabled"),
        ("STP Loopguard", "1", "Disabled"),
        ("STP MST Region Revision", "1", "0"),
        ("Interface-vlan admin up", "2", ""),
        ("Interface-vlan routing capability", "2", ""),
        ("Allowed VLANs", "-", _vlans(sw.vlans)),
        ("Local suspended VLANs", "-", "-"),
    ]


def _interface_params(pc: PortChannel, sw: Switch) -> list[tuple[str, str, str]]:
    t1 = pc.type1()
    return [
        ("STP Port Type", "1", t1["STP Port Type"]),
        ("STP Port Guard", "1", "Default"),
        ("STP MST Simulate PVST", "1", "Default"),
        ("mode", "1", t1["mode"]),
        ("delayed-lacp", "1", "disabled"),
        ("Speed", "1", "10 Gb/s"),
        ("Duplex", "1", "full"),
        ("Port Mode", "1", t1["Port Mode"]),
        ("Native Vlan", "1", t1["Native Vlan"]),
        ("MTU", "1", t1["MTU"]),
        ("Dot1q Tunnel", "1", "no"),
        ("Shut Lan", "1", "No"),
        ("Allowed VLANs", "-", _vlans(pc.vlans(sw.vlans))),
        ("Local suspended VLANs", "-", "-"),
    ]


def consistency_rows(state: PairState, vpc: int | None) -> list[tuple[str, str, str, str]]:
    """(name, type, local, peer) for the global parameters (``vpc`` None) or one vPC; the peer
    column is ``-`` while the peer is not formed or lacks the vPC."""
    sw, peer = state.local, state.peer if state.formed else None
    if vpc is None:
        local, theirs = _global_params(sw), _global_params(peer) if peer else None
    else:
        pc, peer_pc = sw.vpcs[vpc], peer.vpcs.get(vpc) if peer else None
        local = _interface_params(pc, sw)
        theirs = _interface_params(peer_pc, peer) if peer_pc is not None and peer is not None else None
    return [(name, kind, value, theirs[i][2] if theirs else "-") for i, (name, kind, value) in enumerate(local)]


def consistency_text(rows: list[tuple[str, str, str, str]]) -> str:
    lines = list(_LEGEND)
    for row in rows:
        lines += _cells([28, 6, 23, 23], list(row))
    return "\n".join(lines) + "\n"


def consistency_json(rows: list[tuple[str, str, str, str]]) -> JsonDict:
    keys = ("vpc-param-name", "vpc-param-type", "vpc-param-local-val", "vpc-param-peer-val")
    return table("TABLE_vpc_consistency", "ROW_vpc_consistency", [dict(zip(keys, row)) for row in rows])


# --- port-channels and interfaces ---------------------------------------------------------------------
def _member_flag(state: PairState, pc: PortChannel, shutdown: bool) -> str:
    if shutdown or pc.shutdown:
        return "D"
    return "s" if state.suspended(pc) else "P"


def port_channel_rows(state: PairState) -> list[JsonDict]:
    rows = []
    for pc in sorted(state.local.port_channels.values(), key=lambda p: p.number):
        members = [{"port": m.name, "port-status": _member_flag(state, pc, m.shutdown)} for m in pc.members]
        up = any(m["port-status"] == "P" for m in members)
        row: JsonDict = {
            "group": pc.number,
            "port-channel": f"port-channel{pc.number}",
            "layer": "R" if pc.mode == "routed" else "S",
            "status": "U" if up else "D",
            "type": "Eth",
            "prtcl": "LACP" if pc.members and pc.lacp_mode == "active" else "NONE",
        }
        if members:
            row.update(table("TABLE_member", "ROW_member", members))
        rows.append(row)
    return rows


def port_channel_text(state: PairState) -> str:
    lines = [
        "Flags:  D - Down        P - Up in port-channel (members)",
        "        I - Individual  H - Hot-standby (LACP only)",
        "        s - Suspended   r - Module-removed",
        "        b - BFD Session Wait",
        "        S - Switched    R - Routed",
        "        U - Up (port-channel)",
        "        p - Up in delay-lacp mode (member)",
        "        M - Not in use. Min-links not met",
        "-" * 80,
        "Group Port-       Type     Protocol  Member Ports",
        "      Channel",
        "-" * 80,
    ]
    for row in port_channel_rows(state):
        members = row.get("TABLE_member", {}).get("ROW_member", [])
        members = [members] if isinstance(members, dict) else members
        cells = "".join(f"{short_name(m['port'])}({m['port-status']})".ljust(13) for m in members)
        head = f"{row['group']:<6}{short_name(row['port-channel']) + '(' + row['layer'] + row['status'] + ')':<12}{'Eth':<9}{row['prtcl']:<10}"
        lines.append((head + cells).rstrip())
    return "\n".join(lines) + "\n"


# --- show lacp neighbor -------------------------------------------------------------------------------
_LACP_LEGEND = [
    "Flags:  S - Device is sending Slow LACPDUs F - Device is sending Fast LACPDUs",
    "        A - Device is in Active mode       P - Device is in Passive mode",
    "",
]


def _partner_mac(state: PairState, pc: PortChannel) -> str:
    """The far end of ``pc``: the peer switch on the peer-link, the server behind ``vpc N`` (one
    per vPC number, so both switches see the same one), a single-homed host otherwise."""
    if pc.peer_link and state.peer is not None:
        return state.peer.local_mac
    if pc.vpc is not None:
        return f"52:54:00:10:{pc.vpc >> 8 & 0xFF:02x}:{pc.vpc & 0xFF:02x}"
    digest = hashlib.sha1(f"{state.local.hostname} {pc.number}".encode()).digest()
    return "52:54:01:" + ":".join(f"{b:02x}" for b in digest[:3])


def _unpadded(mac: str) -> str:
    """``52:54:00:10:00:0b`` -> ``52-54-0-10-0-b``, how NX-OS prints a partner's system id."""
    return "-".join(f"{int(part, 16):x}" for part in mac.split(":"))


def lacp_neighbor_text(state: PairState) -> str:
    """``show lacp neighbor``: every LACP member with a link, and what its partner sends."""
    lines = list(_LACP_LEGEND)
    for pc in sorted(state.local.port_channels.values(), key=lambda p: p.number):
        linked = [(k, m) for k, m in enumerate(pc.members, 1) if m.mode != "on" and not m.shutdown and not pc.shutdown]
        if not linked:
            continue
        lines.append(f"port-channel{pc.number} neighbors")
        partner = _unpadded(_partner_mac(state, pc))
        key = pc.vpc if pc.vpc is not None else pc.number
        for index, member in linked:
            port_state = "0x3d" if _member_flag(state, pc, member.shutdown) == "P" else "0xd"
            lines += [
                "Partner's information",
                "            Partner                Partner                     Partner",
                "Port        System ID              Port Number     Age         Flags",
                f"{short_name(member.name):<12}{'32768,' + partner:<23}{f'0x{index:x}':<16}{725:<12}SA",
                "",
                "            LACP Partner           Partner                     Partner",
                "            Port Priority          Oper Key                    Port State",
                f"            {32768:<23}{f'0x{key:x}':<28}{port_state}",
                "",
            ]
        lines.append("")
    return "\n".join(lines) + "\n"


def _switchport(node: Node | None) -> str:
    """The Vlan column of show interface status."""
    if node is None:
        return "1"
    if node.has("no switchport"):
        return "routed"
    if node.has("switchport mode trunk"):
        return "trunk"
    return node.value("switchport access vlan") or "1"


def interface_rows(root: Node, state: PairState) -> list[JsonDict]:
    """mgmt0, every front-panel port, then the port-channels, as show interface status lists them."""
    blocks = {n.text.split(" ", 1)[1]: n for n in root.find("interface")}
    ports = {f"Ethernet1/{i}" for i in range(1, ETHERNET_PORTS + 1)} | {n for n in blocks if n.startswith("Ethernet")}
    members = {m.name: pc for pc in state.local.port_channels.values() for m in pc.members}
    rows = [_row("mgmt0", blocks.get("mgmt0"), "connected", "routed", "1000", "--")]
    for name in sorted(ports, key=interface_order):
        node = blocks.get(name)
        pc = members.get(name)
        if node is not None and node.has("shutdown"):
            status = "disabled"
        elif pc is not None and _member_flag(state, pc, False) != "P":
            status = "suspnd" if state.suspended(pc) else "disabled"
        else:
            status = "connected" if node is not None and node.children else "notconnec"
        rows.append(_row(name, node, status, _switchport(node), "10G", "10Gbase-SR"))
    for row in port_channel_rows(state):
        name = row["port-channel"]
        status = "connected" if row["status"] == "U" else "noOperMem"
        rows.append(_row(name, blocks.get(name), status, _switchport(blocks.get(name)), "10G", "--"))
    return rows


def _row(name: str, node: Node | None, status: str, vlan: str, speed: str, kind: str) -> JsonDict:
    description = (node.value("description") if node is not None else None) or "--"
    return {"interface": name, "name": description, "state": status, "vlan": vlan, "duplex": "full", "speed": speed, "type": kind}


def interface_status_text(rows: list[JsonDict]) -> str:
    lines = ["", "-" * 80, "Port          Name               Status    Vlan      Duplex  Speed   Type", "-" * 80]
    for r in rows:
        lines.append(f"{short_name(r['interface']):<14}{r['name'][:18]:<19}{r['state']:<10}{r['vlan']:<10}{r['duplex']:<8}{r['speed']:<8}{r['type']}".rstrip())
    return "\n".join(lines) + "\n"


# --- platform -----------------------------------------------------------------------------------------
def serial_number(hostname: str) -> str:
    return "9" + hashlib.sha1(hostname.encode()).hexdigest()[:10].upper()


def _uptime(seconds: float) -> tuple[int, int, int, int]:
    s = int(seconds)
    return s // 86400, s % 86400 // 3600, s % 3600 // 60, s % 60


def version_json(hostname: str, uptime: float) -> JsonDict:
    days, hours, mins, secs = _uptime(uptime)
    return {
        "header_str": "Cisco Nexus Operating System (NX-OS) Software",
        "bios_ver_str": "",
        "nxos_ver_str": VERSION,
        "nxos_file_name": "bootflash:///nxos.9.3.8.bin",
        "nxos_cmpl_time": "8/27/2021 10:00:00",
        "chassis_id": "Nexus9000 C9300v Chassis",
        "cpu_name": "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz",
        "memory": 16409064,
        "mem_type": "kB",
        "proc_board_id": serial_number(hostname),
        "host_name": hostname,
        "bootflash_size": 4287040,
        "kern_uptm_days": days,
        "kern_uptm_hrs": hours,
        "kern_uptm_mins": mins,
        "kern_uptm_secs": secs,
        "rr_reason": "Unknown",
        "rr_sys_ver": "",
        "rr_service": "",
        "plugins": "Core Plugin, Ethernet Plugin",
        "manufacturer": "Cisco Systems, Inc.",
    }


def version_text(hostname: str, uptime: float) -> str:
    v = version_json(hostname, uptime)
    return "\n".join([
        "Cisco Nexus Operating System (NX-OS) Software",
        "TAC support: http://www.cisco.com/tac",
        "Copyright (C) 2002-2021, Cisco and/or its affiliates.",
        "All rights reserved.",
        "",
        "Nexus 9000v is a demo version of the Nexus Operating System",
        "",
        "Software",
        "  BIOS: version ",
        f" NXOS: version {VERSION}",
        "  BIOS compile time:  ",
        f"  NXOS image file is: {v['nxos_file_name']}",
        f"  NXOS compile time:  {v['nxos_cmpl_time']} [08/28/2021 04:24:16]",
        "",
        "",
        "Hardware",
        f"  cisco {v['chassis_id']} ",
        f"  {v['cpu_name']} with {v['memory']} kB of memory.",
        f"  Processor Board ID {v['proc_board_id']}",
        "",
        f"  Device name: {hostname}",
        f"  bootflash:    {v['bootflash_size']} kB",
        f"Kernel uptime is {v['kern_uptm_days']} day(s), {v['kern_uptm_hrs']} hour(s), {v['kern_uptm_mins']} minute(s), {v['kern_uptm_secs']} second(s)",
        "",
        "Last reset ",
        "  Reason: Unknown",
        "  System version: ",
        "  Service: ",
        "",
        "plugin",
        "  Core Plugin, Ethernet Plugin",
        "",
        "Active Package(s):",
        "",
    ]) + "\n"


def inventory_json(hostname: str) -> JsonDict:
    serial = serial_number(hostname)
    rows = [
        {"name": "Chassis", "desc": "Nexus9000 C9300v Chassis", "productid": "N9K-C9300v", "vendorid": "", "serialnum": serial},
        {"name": "Slot 1", "desc": "Nexus 9000v 64 port Ethernet Module", "productid": "N9K-X9364v", "vendorid": "", "serialnum": serial[::-1]},
    ]
    return table("TABLE_inv", "ROW_inv", rows)


def inventory_text(hostname: str) -> str:
    lines = []
    for row in inventory_json(hostname)["TABLE_inv"]["ROW_inv"]:
        lines += [f'NAME: "{row["name"]}",  DESCR: "{row["desc"]}"', f"PID: {row['productid']:<20},  VID:      ,  SN: {row['serialnum']}", ""]
    return "\n".join(lines) + "\n"


def hosts_text(domain: str | None) -> str:
    lines = ["DNS lookup enabled"]
    if domain:
        lines.append(f"Default domain for vrf:default is {domain}")
    lines += ["Name/address lookup uses domain service", "Name servers are 255.255.255.255", "", "Host                      Address"]
    return "\n".join(lines) + "\n"
