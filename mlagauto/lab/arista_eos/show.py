"""EOS show-command output, as text and as the JSON eAPI (and ``| json``) returns.

Formats follow EOS 4.31 output: ``label : value`` columns for ``show mlag`` (35-character label,
value right-aligned in 20), tables for ``show mlag interfaces`` and ``show lacp peer``, and the
JSON keys real devices return (domainId, negStatus, mlagPorts, interfaces.<id>.status, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlagauto.lab.arista_eos.config import short_interface
from mlagauto.lab.arista_eos.state import (
    MlagPort,
    PairState,
    PortChannel,
    bundled,
    host_mac,
    lacp_actor_id,
)

MODEL = "vEOS-lab"
VERSION = "4.31.2F"
INTERNAL_VERSION = "4.31.2F-35442176.4312F"
HEARTBEAT_TIMEOUT_MS = 60000


@dataclass
class Output:
    """A command's answer: text for the CLI and eAPI ``text`` format, and the JSON model (None
    when EOS has no JSON for the command)."""

    text: str = ""
    data: dict[str, Any] | None = None


def _row(label: str, value: object, width: int = 35, value_width: int = 20) -> str:
    return f"{label:<{width}}:{value!s:>{value_width}}"


def _dotted(mac: str) -> str:
    """``50:00:00:d7:ee:0b`` -> ``5000.00d7.ee0b`` (how ``show version`` prints MACs)."""
    h = mac.replace(":", "")
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


# --- show version / hostname -----------------------------------------------------------------------


def version(hostname: str, mac: str, serial: str, uptime: float, boot_time: float) -> Output:
    weeks, rest = divmod(int(uptime), 7 * 86400)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = "\n".join(
        [
            f"Arista {MODEL}",
            "Hardware version: ",
            f"Serial number: {serial}",
            f"Hardware MAC address: {_dotted(mac)}",
            f"System MAC address: {_dotted(mac)}",
            "",
            f"Software image version: {VERSION}",
            "Architecture: x86_64",
            f"Internal build version: {INTERNAL_VERSION}",
            "Image format version: 1.0",
            "Image optimization: None",
            "",
            f"Uptime: {weeks} weeks, {days} days, {hours} hours and {minutes} minutes",
            "Total memory: 2014580 kB",
            "Free memory: 1183844 kB",
            "",
        ]
    )
    data = {
        "mfgName": "Arista",
        "modelName": MODEL,
        "hardwareRevision": "",
        "serialNumber": serial,
        "systemMacAddress": mac,
        "hwMacAddress": mac,
        "configMacAddress": "00:00:00:00:00:00",
        "version": VERSION,
        "architecture": "x86_64",
        "internalVersion": INTERNAL_VERSION,
        "internalBuildId": "lab",
        "imageFormatVersion": "1.0",
        "imageOptimization": "None",
        "bootupTimestamp": boot_time,
        "uptime": uptime,
        "memTotal": 2014580,
        "memFree": 1183844,
        "isIntlVersion": False,
    }
    return Output(text, data)


def hostname(name: str) -> Output:
    return Output(f"Hostname: {name}\nFQDN:     {name}\n", {"hostname": name, "fqdn": name})


# --- show mlag ------------------------------------------------------------------------------------------


def _port_counts(ports: list[MlagPort]) -> dict[str, int]:
    counts = {"Disabled": 0, "Configured": 0, "Inactive": 0, "Active-partial": 0, "Active-full": 0}
    for port in ports:
        counts[port.status.capitalize()] += 1
    return counts


def _mlag_data(pair: PairState) -> dict[str, Any]:
    s = pair.local
    data: dict[str, Any] = {
        "domainId": s.domain,
        "localInterface": s.local_if,
        "peerAddress": s.peer_address,
        "peerLink": s.peer_link,
        "state": pair.state,
        "negStatus": "connected" if pair.connected else "connecting",
        "peerLinkStatus": "up" if pair.peer_link_up else "down",
        "localIntfStatus": "up" if pair.local_int_up else "down",
        "systemId": pair.system_id,
        "dualPrimaryDetectionState": "configured" if s.dual_primary_delay else "disabled",
        "dualPrimaryPortsErrdisabled": False,
        "portsErrdisabled": False,
        "reloadDelay": s.reload_delay,
        "reloadDelayNonMlag": s.reload_delay_non_mlag,
        "mlagPorts": _port_counts(pair.ports),
    }
    if pair.connected:
        data["configSanity"] = "consistent" if pair.consistent else "inconsistent"
    return data


def mlag(pair: PairState, detail: bool = False, uptime: float = 0.0) -> Output:
    data = _mlag_data(pair)
    s = pair.local
    lines = [
        "MLAG Configuration:              ",
        _row("domain-id", s.domain),
        _row("local-interface", s.local_if),
        _row("peer-address", s.peer_address or "0.0.0.0"),
        _row("peer-link", s.peer_link),
        _row("hb-peer-address", s.hb_address or "0.0.0.0"),
    ]
    if s.hb_vrf:
        lines.append(_row("hb-peer-vrf", s.hb_vrf))
    if pair.connected:
        lines.append(_row("peer-config", data["configSanity"]))
    lines += [
        "                                                       ",
        "MLAG Status:                     ",
        _row("state", pair.state.capitalize()),
        _row("negotiation status", data["negStatus"].capitalize()),
        _row("peer-link status", data["peerLinkStatus"].capitalize()),
        _row("local-int status", data["localIntfStatus"].capitalize()),
        _row("system-id", pair.system_id),
        _row("dual-primary detection", data["dualPrimaryDetectionState"].capitalize()),
        _row("dual-primary interface errdisabled", "False"),
        "                                                       ",
        "MLAG Ports:                      ",
    ]
    lines += [_row(k, v) for k, v in data["mlagPorts"].items()]
    if detail:
        detail_data, detail_lines = _detail(pair, uptime)
        data["detail"] = detail_data
        data["dualPrimaryMlagRecoveryDelay"] = 0
        data["dualPrimaryNonMlagRecoveryDelay"] = 0
        lines += ["", "MLAG Detailed Status:             "] + detail_lines
    return Output("\n".join(lines) + "\n", data)


def _detail(pair: PairState, uptime: float) -> tuple[dict[str, Any], list[str]]:
    s, peer = pair.local, pair.peer if pair.connected else None
    beats = int(uptime * 1000 // s.heartbeat_interval) if pair.heartbeat else 0
    data = {
        "mlagState": pair.role,
        "peerMlagState": pair.peer_role,
        "stateChanges": 2 if pair.connected else 0,
        "mlagHwReady": True,
        "failover": False,
        "primaryPriority": s.primary_priority,
        "peerPrimaryPriority": peer.primary_priority if peer else 0,
        "peerMacAddress": peer.mac if peer else "00:00:00:00:00:00",
        "peerMacRoutingSupported": False,
        "heartbeatInterval": s.heartbeat_interval,
        "effectiveHeartbeatInterval": s.heartbeat_interval,
        "heartbeatTimeout": HEARTBEAT_TIMEOUT_MS,
        "udpHeartbeatAlive": pair.heartbeat,
        "udpHeartbeatsSent": beats,
        "udpHeartbeatsReceived": beats,
        "dualPrimaryDetectionDelay": s.dual_primary_delay or 0,
        "dualPrimaryAction": "errdisableAllInterfaces" if s.dual_primary_delay else "none",
        "lacpStandby": False,
    }
    w, vw = 32, 19
    lines = [
        _row("State", pair.role, w, vw),
        _row("Peer State", pair.peer_role, w, vw),
        _row("State changes", data["stateChanges"], w, vw),
        _row("Hardware ready", "True", w, vw),
        _row("Failover", "False", w, vw),
        _row("primary-priority", s.primary_priority, w, vw),
        _row("Peer primary-priority", data["peerPrimaryPriority"], w, vw),
        _row("Peer MAC address", data["peerMacAddress"], w, vw),
        _row("Reload delay", f"{s.reload_delay} seconds", w, vw),
        _row("Non-MLAG reload delay", f"{s.reload_delay_non_mlag} seconds", w, vw),
        _row("Ports errdisabled", "False", w, vw),
        _row("Lacp standby", "False", w, vw),
        _row("Configured heartbeat interval", f"{s.heartbeat_interval} ms", w, vw),
        _row("Effective heartbeat interval", f"{s.heartbeat_interval} ms", w, vw),
        _row("Heartbeat timeout", f"{HEARTBEAT_TIMEOUT_MS} ms", w, vw),
        _row("UDP heartbeat alive", str(pair.heartbeat), w, vw),
        _row("Heartbeats sent/received", f"{beats}/{beats}", w, vw),
    ]
    return data, lines


def mlag_interfaces(pair: PairState) -> Output:
    header = [
        "                                                                 local/remote",
        "   mlag       desc             state       local       remote          status",
        "---------- ---------------- ----------------- ----------- ------------ ------------",
    ]
    rows = [
        f"{p.mlag_id:>10} {p.description[:16]:<16} {p.status:>17} {short_interface(p.local):>11} "
        f"{short_interface(p.remote):>12} {p.local_status + '/' + p.remote_status:>12}"
        for p in pair.ports
    ]
    data = {
        "interfaces": {
            str(p.mlag_id): {
                "localInterface": p.local if p.local != "-" else "",
                "peerInterface": p.remote if p.remote != "-" else "",
                "localInterfaceStatus": p.local_status,
                "peerInterfaceStatus": p.remote_status,
                "localInterfaceDescription": p.description,
                "status": p.status,
            }
            for p in pair.ports
        }
    }
    return Output("\n".join(header + rows) + "\n", data)


def config_sanity(pair: PairState) -> Output:
    data: dict[str, Any] = {
        "mlagActive": pair.state == "active",
        "mlagConnected": pair.connected,
        "globalConfiguration": {
            feature: {"globalParameters": {k: {"localValue": lv, "peerValue": pv} for k, (lv, pv) in params.items()}}
            for feature, params in pair.global_issues.items()
        },
        "interfaceConfiguration": {},
    }
    for param, mlag_id, itf, lv, pv in pair.interface_issues:
        entry = data["interfaceConfiguration"].setdefault(f"{param} mlag{mlag_id}", {"interface": {}})
        entry["interface"][itf] = {"localValue": lv, "peerValue": pv}
    if not pair.connected:
        return Output("MLAG is not connected to its peer: no configuration to compare.\n", data)
    lines: list[str] = []
    if pair.global_issues:
        lines += [
            "Global configuration inconsistencies:",
            "       Feature                         Attribute      Local value       Peer value",
            "-------------- --------------------------------- ---------------- ----------------",
        ]
        for feature, params in pair.global_issues.items():
            lines += [f"{feature:>14} {k:>33} {lv:>16} {pv:>16}" for k, (lv, pv) in params.items()]
    else:
        lines.append("No global configuration inconsistencies found.")
    lines.append("")
    if pair.interface_issues:
        lines += [
            "Interface configuration inconsistencies:",
            "                     Feature       Interface      Local value       Peer value",
            "---------------------------- --------------- ---------------- ----------------",
        ]
        lines += [f"{f'{p} mlag{m}':>28} {itf:>15} {lv:>16} {pv:>16}" for p, m, itf, lv, pv in pair.interface_issues]
    else:
        lines.append("No per interface configuration inconsistencies found.")
    return Output("\n".join(lines) + "\n", data)


# --- show lacp -----------------------------------------------------------------------------------------

_LACP_LEGEND = [
    "State: A = Active, P = Passive; S=ShortTimeout, L=LongTimeout;",
    "       G = Aggregable, I = Individual; s+=InSync, s-=OutOfSync;",
    "       C = Collecting, X = state machine expired,",
    "       D = Distributing, d = default neighbor state",
]


def _lacp_id(mac: str, priority: int = 32768) -> str:
    return f"{priority:04x},{mac.replace(':', '-')}"


def _port_state(in_sync: bool, short: bool) -> tuple[str, dict[str, bool]]:
    flags = "A" + ("S" if short else "L") + "G" + ("s+CD" if in_sync else "s-")
    return flags, {
        "activity": True,
        "timeout": short,
        "aggregation": True,
        "synchronization": in_sync,
        "collecting": in_sync,
        "distributing": in_sync,
        "defaulted": False,
        "expired": False,
    }


def _port_number(eth: str) -> int:
    digits = "".join(c if c.isdigit() else " " for c in eth).split()
    return int(digits[-1]) if digits else 0


def _lacp_channels(pair: PairState) -> list[PortChannel]:
    channels = sorted(pair.local.port_channels.values(), key=lambda p: int(p.name[12:] or 0))
    return [pc for pc in channels if any(mode != "on" for _, mode in pc.members)]


def _partner_mac(pair: PairState, pc: PortChannel) -> str:
    """The far end: the peer switch on the peer-link, the dual-homed host behind ``mlag N``, a
    single-homed host on other port-channels."""
    if pc.name == pair.local.peer_link and pair.peer is not None:
        return pair.peer.mac
    return host_mac(pc.mlag if pc.mlag is not None else 4096 + int(pc.name[12:] or 0))


def _lacp_table(pair: PairState, peer_pair: PairState | None, role: str) -> Output:
    """``show lacp peer`` (role ``partner``) or ``show lacp interface`` (role ``actor``: the
    system-id this switch advertises, i.e. what the partner sees -- the MLAG system-id on MLAG
    port-channels)."""
    lines = list(_LACP_LEGEND) + [
        f"                 |{role.capitalize():>32}",
        " Port   Status   | Sys-id                    Port#   State     OperKey  PortPri",
        "------ ----------|------------------------- ------- --------- --------- -------",
    ]
    channels: dict[str, Any] = {}
    for pc in _lacp_channels(pair):
        in_sync = bundled(pair, peer_pair, pc)
        system = _lacp_id(_partner_mac(pair, pc) if role == "partner" else lacp_actor_id(pair, pc))
        key = f"0x{int(pc.name[12:] or 0):04x}"
        status = "Bundled" if in_sync else "Waiting"
        flags, state = _port_state(in_sync, False)
        lines.append(f"Port Channel {pc.name}:")
        interfaces: dict[str, Any] = {}
        for eth, mode in pc.members:
            if mode == "on":
                continue
            number = _port_number(eth)
            lines.append(f" {short_interface(eth):<6} {status:<9}| {system:<25} {number:>7} {flags:>9} {key:>9} {32768:>7}")
            interfaces[eth] = {
                "actorPortStatus": status.lower(),
                f"{role}SystemId": system,
                f"{role}PortId": number,
                f"{role}PortState": state,
                f"{role}OperKey": key,
                f"{role}PortPriority": 32768,
            }
        channels[pc.name] = {"interfaces": interfaces}
    return Output("\n".join(lines) + "\n", {"portChannels": channels, "orphanPorts": {}})


def lacp_peer(pair: PairState, peer_pair: PairState | None) -> Output:
    return _lacp_table(pair, peer_pair, "partner")


def lacp_interface(pair: PairState, peer_pair: PairState | None) -> Output:
    return _lacp_table(pair, peer_pair, "actor")
