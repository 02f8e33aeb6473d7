"""Operational output in Junos' renderings: CLI text, and the element form behind
``| display xml`` / ``| display json`` and NETCONF ``<command format="xml|json">``.

Text layouts of ``show iccp``, ``show interfaces mc-ae`` and ``show lacp interfaces`` follow
captures of real switches. Junos documents no XML schema for the MC-LAG commands, so their
element names here are the lab's own, chosen the way Junos names elements (lower-case words
joined by hyphens, one element per field of the text output); ``show lacp interfaces`` uses the
element names PyEZ's ``LacpPortTable`` reads.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from mlagauto.lab.juniper_junos.mclag import IccpState, LacpBundle, McAeState

Elem = tuple[str, "str | list[Elem]"]
"""An XML element: tag and either text or child elements."""

JUNOS_NS = "http://xml.juniper.net/junos/21.4R0/junos"


def to_xml(elem: Elem, depth: int = 0) -> str:
    """Indented XML text of an element."""
    tag, content = elem
    pad = "    " * depth
    if isinstance(content, str):
        return f"{pad}<{tag}>{escape(content)}</{tag}>"
    if not content:
        return f"{pad}<{tag}/>"
    inner = "\n".join(to_xml(child, depth + 1) for child in content)
    return f"{pad}<{tag}>\n{inner}\n{pad}</{tag}>"


def _json_item(content: str | list[Elem]) -> dict[str, object]:
    """One element's JSON object: ``{"data": text}`` or its children grouped by tag."""
    if isinstance(content, str):
        return {"data": content}
    grouped: dict[str, list[object]] = {}
    for tag, sub in content:
        grouped.setdefault(tag, []).append(_json_item(sub))
    return dict(grouped)


def to_json(elem: Elem) -> str:
    """``| display json``: Junos' mapping of XML to JSON (every element a list of objects, text
    as ``{"data": ...}``)."""
    tag, content = elem
    return json.dumps({tag: [_json_item(content)]}, indent=4)


def yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def updown(flag: bool) -> str:
    return "Up" if flag else "Down"


# --- show iccp -----------------------------------------------------------------------------------
def _joined(groups: list[str]) -> str:
    return " ".join(groups) if groups else "None"


def iccp_text(states: list[IccpState], joined: list[str]) -> str:
    out: list[str] = []
    for s in states:
        out += [
            "",
            f"Redundancy Group Information for peer {s.peer}",
            f"  TCP Connection       : {'Established' if s.tcp else 'Not established'}",
            f"  Liveliness Detection : {updown(s.liveness)}",
            f"  Backup liveness peer status: {updown(s.backup)}",
            "  Redundancy Group ID          Status",
        ]
        out += [f"    {group:<28}{updown(up)}" for group, up in s.groups]
    if states:
        for client, groups in (("l2ald_iccpd_client", joined), ("mclag_cfgchkd", ["0", *joined]), ("lacpd", joined)):
            out += ["", f"Client Application: {client}", f"  Redundancy Group IDs Joined: {_joined(groups)}"]
    return "\n".join(out)


def _group(group: str, up: bool) -> Elem:
    return ("redundancy-group", [("redundancy-group-id", group), ("redundancy-group-status", updown(up))])


def iccp_elem(states: list[IccpState], joined: list[str]) -> Elem:
    peers: list[Elem] = [
        (
            "iccp-peer-information",
            [
                ("peer-ip-address", s.peer),
                ("tcp-connection-state", "Established" if s.tcp else "Not established"),
                ("liveliness-detection-status", updown(s.liveness)),
                ("backup-liveness-peer-status", updown(s.backup)),
                *[_group(g, up) for g, up in s.groups],
            ],
        )
        for s in states
    ]
    clients: list[Elem] = (
        [
            ("iccp-client-information", [("client-application-name", client), ("redundancy-group-ids-joined", _joined(groups))])
            for client, groups in (("l2ald_iccpd_client", joined), ("mclag_cfgchkd", ["0", *joined]), ("lacpd", joined))
        ]
        if states
        else []
    )
    return ("iccp-information", peers + clients)


# --- show interfaces mc-ae -----------------------------------------------------------------------
def _mcae_fields(s: McAeState) -> list[tuple[str, str]]:
    return [
        ("Member Link", s.name),
        ("Current State Machine's State", s.machine),
        ("Configuration Error Status", s.error),
        ("Local Status", s.local_status),
        ("Local State", "up" if s.local_up else "down"),
        ("Peer Status", s.peer_status),
        ("Peer State", "up" if s.peer_up else "down"),
    ]


def _mcp(s: McAeState) -> str:
    icl = f"{s.icl}.0" if s.icl else "-"
    return f"{s.peer_ip} {icl} {'up' if s.icl and s.peer_status != 'unknown' else 'down'}"


def mcae_text(states: list[McAeState]) -> str:
    blocks = []
    for s in states:
        lines = [f" {label:<29}: {value}" for label, value in _mcae_fields(s)]
        if s.unit:
            lines += [
                f"     {'Logical Interface':<25}: {s.unit}",
                f"     {'Topology Type':<25}: {s.topology}",
                f"     {'Local State':<25}: {'up' if s.local_up else 'down'}",
                f"     {'Peer State':<25}: {'up' if s.peer_up else 'down'}",
                f"     {'Peer Ip/MCP/State':<25}: {_mcp(s)}",
            ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def mcae_elem(states: list[McAeState]) -> Elem:
    tags = (
        "member-link",
        "current-state-machine-state",
        "configuration-error-status",
        "local-status",
        "local-state",
        "peer-status",
        "peer-state",
    )
    members: list[Elem] = []
    for s in states:
        children: list[Elem] = [(tag, value) for tag, (_, value) in zip(tags, _mcae_fields(s))]
        if s.unit:
            children.append(
                (
                    "mcae-logical-interface",
                    [
                        ("logical-interface-name", s.unit),
                        ("topology-type", s.topology),
                        ("local-state", "up" if s.local_up else "down"),
                        ("peer-state", "up" if s.peer_up else "down"),
                        ("peer-ip-mcp-state", _mcp(s)),
                    ],
                )
            )
        members.append(("mcae-member", children))
    return ("mcae-interface-information", members)


# --- show lacp interfaces ------------------------------------------------------------------------
STATE_HEADER = "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity"
PROTOCOL_HEADER = "    LACP protocol:        Receive State  Transmit State          Mux State "
INFO_HEADER = (
    "    LACP info:        Role     System             System       Port     Port    Port \n"
    "                             priority         identifier   priority   number     key "
)


def _state_row(name: str, role: str, up: bool, fast: bool, active: bool) -> str:
    flag = yes(up)
    timeout, activity = ("Fast" if fast else "Slow"), ("Active" if active else "Passive")
    return f"      {name:<11}{role:>9}{'No':>6}{'No':>6}{flag:>6}{flag:>5}{flag:>5}{'Yes':>6}{timeout:>9}{activity:>10}"


def _mux(up: bool) -> str:
    return "Collecting distributing" if up else "Detached"


def lacp_text(bundles: list[LacpBundle], extensive: bool) -> str:
    blocks = []
    for b in bundles:
        lines = [f"Aggregated interface: {b.name}", STATE_HEADER]
        for p in b.ports:
            lines.append(_state_row(p.name, "Actor", p.up, p.fast, p.active))
            lines.append(_state_row(p.name, "Partner", p.up, p.fast, True))
        lines.append(PROTOCOL_HEADER)
        for p in b.ports:
            lines.append(f"      {p.name:<11}{'Current':>22}{('Fast' if p.fast else 'Slow') + ' periodic':>16}{_mux(p.up):>24}")
        if extensive:
            lines.append(INFO_HEADER)
            for p in b.ports:
                lines.append(f"      {p.name:<11}{'Actor':>9}{p.actor_priority:>11}{p.actor_id:>19}{127:>11}{p.number:>9}{p.actor_key:>8}")
                lines.append(
                    f"      {p.name:<11}{'Partner':>9}{p.partner_priority:>11}{p.partner_id:>19}{127:>11}{p.number:>9}{p.partner_key:>8}"
                )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _lacp_state(name: str, role: str, up: bool, fast: bool, active: bool) -> Elem:
    return (
        "lag-lacp-state",
        [
            ("name", name),
            ("lacp-role", role),
            ("lacp-expired", "No"),
            ("lacp-defaulted", "No"),
            ("lacp-distributing", yes(up)),
            ("lacp-collecting", yes(up)),
            ("lacp-synchronization", yes(up)),
            ("lacp-aggregation", "Yes"),
            ("lacp-timeout", "Fast" if fast else "Slow"),
            ("lacp-activity", "Active" if active else "Passive"),
        ],
    )


def lacp_elem(bundles: list[LacpBundle], extensive: bool) -> Elem:
    items: list[Elem] = []
    for b in bundles:
        children: list[Elem] = [("lag-lacp-header", [("aggregate-name", b.name)])]
        for p in b.ports:
            children.append(_lacp_state(p.name, "Actor", p.up, p.fast, p.active))
            children.append(_lacp_state(p.name, "Partner", p.up, p.fast, True))
        for p in b.ports:
            children.append(
                (
                    "lag-lacp-protocol",
                    [
                        ("name", p.name),
                        ("lacp-receive-state", "Current"),
                        ("lacp-transmit-state", ("Fast" if p.fast else "Slow") + " periodic"),
                        ("lacp-mux-state", _mux(p.up)),
                    ],
                )
            )
        if extensive:
            for p in b.ports:
                for role, prio, sysid, key in (
                    ("Actor", p.actor_priority, p.actor_id, p.actor_key),
                    ("Partner", p.partner_priority, p.partner_id, p.partner_key),
                ):
                    children.append(
                        (
                            "lag-lacp-info",
                            [
                                ("name", p.name),
                                ("lacp-role", role),
                                ("lacp-system-priority", str(prio)),
                                ("lacp-system-id", sysid),
                                ("lacp-port-priority", "127"),
                                ("lacp-port-number", str(p.number)),
                                ("lacp-port-key", str(key)),
                            ],
                        )
                    )
        items.append(("lacp-interface-information", children))
    return ("lacp-interface-information-list", items)
