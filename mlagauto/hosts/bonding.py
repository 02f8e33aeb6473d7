"""Readers of the Linux bonding driver's state: ``/proc/net/bonding/<bond>`` text and
``ip -d -j link show`` JSON, into BondStates.

The text format is the one ``drivers/net/bonding/bond_procfs.c`` prints: a version line, the
bond's ``Key: value`` lines (mode, MII, delays, ARP targets), for 802.3ad an ``802.3ad info``
block with the ``Active Aggregator Info`` (tab-indented), then one ``Slave Interface:`` block per
slave, which in 802.3ad mode ends in ``details actor lacp pdu:`` / ``details partner lacp pdu:``
(four-space indented; printed only for a root reader). Lines are read by their key and the block
they are in, not by their indentation, so captures pasted into documents or tickets still read.
A line the parser does not know becomes a warning of the state: kernels add lines over the
years, and a report that says "not understood" is better than a crash or a silent gap.

The JSON form is iproute2's (``ip/iplink_bond.c``, ``ip/iplink_bond_slave.c``): the bond's
``linkinfo.info_data`` (``mode``, ``miimon``, ``ad_lacp_rate``, ``ad_info``...) and each slave's
``linkinfo.info_slave_data`` (``mii_status``, ``ad_aggregator_id``, ``ad_partner_oper_port_state``...).
It has no per-slave partner MAC or key: the rules fall back to the active aggregator's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from mlagauto.configtree import clean_capture
from mlagauto.model.bond_state import ActiveAggregator, BondSlave, BondState, LacpPdu, PortState

MODE_NAMES = {
    "load balancing (round-robin)": "balance-rr",
    "fault-tolerance (active-backup)": "active-backup",
    "load balancing (xor)": "balance-xor",
    "fault-tolerance (broadcast)": "broadcast",
    "IEEE 802.3ad Dynamic link aggregation": "802.3ad",
    "transmit load balancing": "balance-tlb",
    "adaptive load balancing": "balance-alb",
}
"""The kernel's ``bond_mode_name`` words -> the mode names of ``ip`` and the bonding options."""

_IP_MODES = {"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"}

_SHELL_PROMPT = re.compile(
    r"""(?:
        \[[^\[\]]+\]\s*[#$]\s*.*                 # [root@srv1 ~]# cat /proc/net/bonding/bond0
      | [\w.-]+@[\w.-]+(?::[^\s#$]*)?\s*[#$]\s*.*  # admin@srv1:~$ cat ...
      | [#$]\s+(?:sudo\s+)?(?:cat|ip)\s.*        # $ cat /proc/net/bonding/bond0
      | (?:sudo\s+)?cat\s+/proc/net/bonding/\S+   # the bare command echo
      | (?:sudo\s+)?ip\s+(?:-\w+\s+)*link\s+show.*
    )""",
    re.X,
)
"""A Linux shell prompt or the command echo at either end of a capture (the switch prompts are
``clean_capture``'s)."""
_EDGE = 5


class BondParseError(ValueError):
    """Input that is not a bond's state at all (JSON that does not parse, not an ``ip`` link list)."""


def clean_host_capture(text: str) -> str:
    """A capture from a server reduced to what the command printed: ``clean_capture`` (BOM, CRLF,
    pager, switch prompts, constant indentation) plus Linux shell prompts and command echoes in
    the first and last few lines."""
    text = clean_capture(text)
    lines = text.split("\n")
    edges = {k for k in range(len(lines)) if k < _EDGE or k >= len(lines) - _EDGE}
    drop = {k for k in edges if _SHELL_PROMPT.fullmatch(lines[k].strip())}
    return "\n".join(line for k, line in enumerate(lines) if k not in drop)


# --- /proc/net/bonding/<bond> -------------------------------------------------------------------


def _int(value: str) -> int:
    return int(value.split()[0])


def _mac(value: str) -> str:
    return value.strip().lower()


def _churn(value: str) -> str:
    return value.strip().lower()


def _speed(value: str) -> int | None:
    return None if value.strip().lower() == "unknown" else _int(value)


def _duplex(value: str) -> str | None:
    word = value.strip().lower()
    return None if word == "unknown" else word


def _status(value: str) -> str:
    return value.strip().lower()


def _rate(value: str) -> str:
    word = value.strip().lower()
    if word not in ("fast", "slow"):
        raise ValueError(f"LACP rate {value!r}")
    return word


_MASTER: dict[str, tuple[str, Callable[[str], Any]]] = {
    "MII Status": ("mii_status", _status),
    "MII Polling Interval (ms)": ("miimon_ms", _int),
    "Up Delay (ms)": ("updelay_ms", _int),
    "Down Delay (ms)": ("downdelay_ms", _int),
    "Peer Notification Delay (ms)": ("peer_notification_delay_ms", _int),
    "ARP Polling Interval (ms)": ("arp_interval_ms", _int),
    "LACP rate": ("lacp_rate", _rate),
    "Min links": ("min_links", _int),
    "Aggregator selection policy (ad_select)": ("ad_select", str.strip),
    "System priority": ("system_priority", _int),
    "System MAC address": ("system_mac", _mac),
}
_IGNORED_MASTER = {"ARP Missed Max"}
"""Printed and understood, but no rule needs it."""
_AGGREGATOR = {
    "Aggregator ID": ("id", _int),
    "Number of ports": ("ports", _int),
    "Actor Key": ("actor_key", _int),
    "Partner Key": ("partner_key", _int),
    "Partner Mac Address": ("partner_mac", _mac),
}
_SLAVE = {
    "MII Status": ("mii_status", _status),
    "Speed": ("speed_mbps", _speed),
    "Duplex": ("duplex", _duplex),
    "Link Failure Count": ("link_failure_count", _int),
    "Permanent HW addr": ("permanent_hw_addr", _mac),
    "Slave queue ID": ("queue_id", _int),
    "Actor Churn State": ("actor_churn_state", _churn),
    "Partner Churn State": ("partner_churn_state", _churn),
    "Actor Churned Count": ("actor_churned_count", _int),
    "Partner Churned Count": ("partner_churned_count", _int),
}
_PDU = {
    "system priority": ("system_priority", _int),
    "system mac address": ("system_mac", _mac),
    "port key": ("port_key", _int),
    "oper key": ("port_key", _int),
    "port priority": ("port_priority", _int),
    "port number": ("port_number", _int),
    "port state": ("port_state", lambda v: PortState.from_value(_int(v))),
}


def parse_proc_bonding(text: str, name: str | None = None, hostname: str | None = None) -> BondState:
    """The BondState of one ``/proc/net/bonding/<bond>`` text. ``name`` is the bond's name (the
    file's name; the text itself says it only when there is no active aggregator). Never raises:
    what it cannot read is a warning of the state."""
    lines = clean_host_capture(text).split("\n")
    bond: dict[str, Any] = {"name": name or "bond", "hostname": hostname, "source": "proc"}
    warnings: list[str] = []
    slaves: list[dict[str, Any]] = []
    aggregator: dict[str, Any] | None = None
    block = "master"  # master | 802.3ad | aggregator | slave | actor | partner
    seen_mode = False

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            if block == "aggregator":
                block = "802.3ad"
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        try:
            if line.startswith("Ethernet Channel Bonding Driver"):
                bond["driver_version"] = line.partition(": ")[2].strip() or None
            elif key == "Bonding Mode" and sep:
                seen_mode = True
                _read_mode(value, bond, warnings, number)
            elif key == "Slave Interface" and sep:
                slaves.append({"name": value})
                block = "slave"
            elif line == "802.3ad info":
                block = "802.3ad"
            elif line == "Active Aggregator Info:":
                aggregator = {}
                block = "aggregator"
            elif m := re.fullmatch(r"bond (\S+) has no active aggregator", line):
                bond["no_active_aggregator"] = True
                bond["name"] = name or m.group(1)
            elif line in ("details actor lacp pdu:", "details partner lacp pdu:") and block in ("slave", "actor", "partner"):
                block = "actor" if "actor" in line else "partner"
                slaves[-1][block] = {}
            elif block in ("actor", "partner") and key in _PDU and sep:
                field, convert = _PDU[key]
                slaves[-1][block][field] = convert(value)
            elif block in ("slave", "actor", "partner") and key == "Aggregator ID" and sep:
                slaves[-1]["aggregator_id"] = None if value == "N/A" else _int(value)
                block = "slave"
            elif block in ("slave", "actor", "partner") and key in _SLAVE and sep:
                field, convert = _SLAVE[key]
                slaves[-1][field] = convert(value)
                block = "slave"
            elif block == "aggregator" and key in _AGGREGATOR and sep:
                field, convert = _AGGREGATOR[key]
                aggregator[field] = convert(value)  # type: ignore[index]
            elif block in ("master", "802.3ad", "aggregator") and key in _MASTER and sep:
                field, convert = _MASTER[key]
                bond[field] = convert(value)
            elif block in ("master", "802.3ad") and key == "LACP active" and sep:
                bond["lacp_active"] = value.lower() == "on"
            elif block == "master" and key == "Transmit Hash Policy" and sep:
                bond["transmit_hash_policy"] = re.sub(r"\s*\(\d+\)$", "", value)
            elif block == "master" and key == "Primary Slave" and sep:
                m = re.fullmatch(r"(\S+)(?:\s+\(primary_reselect (\S+)\))?", value)
                if m and m.group(1) != "None":
                    bond["primary_slave"] = m.group(1)
                    bond["primary_reselect"] = m.group(2)
            elif block == "master" and key == "Currently Active Slave" and sep:
                bond["active_slave"] = None if value == "None" else value
            elif block == "master" and key.startswith("ARP IP target/s") and sep:
                bond["arp_targets"] = [t.strip() for t in value.split(",") if t.strip()]
            elif block == "master" and key.startswith("NS IPv6 target/s"):
                pass  # IPv6 neighbour-solicitation targets: understood, no rule needs them
            elif block in ("master", "802.3ad") and key in _IGNORED_MASTER and sep:
                pass
            else:
                warnings.append(f"line {number}: not understood: {line}")
        except (ValueError, IndexError, TypeError) as exc:
            warnings.append(f"line {number}: value not understood ({exc.__class__.__name__}): {line}")

    if aggregator is not None:
        if "id" in aggregator:
            bond["active_aggregator"] = ActiveAggregator(**aggregator)
        else:
            warnings.append("Active Aggregator Info without an Aggregator ID")
    if not seen_mode:
        warnings.append("no 'Bonding Mode' line: this is not the output of cat /proc/net/bonding/<bond>")
    built = []
    for s in slaves:
        for side in ("actor", "partner"):
            if side in s:
                s[side] = LacpPdu(**s[side])
        built.append(BondSlave(**s))
    bond["slaves"] = built
    if bond.get("mode") == "802.3ad":
        bond["lacp_details"] = any(s.actor is not None or s.partner is not None for s in built)
        if built and not bond["lacp_details"] and any(s.aggregator_id is not None for s in built):
            warnings.append("802.3ad without the per-slave LACPDU details: the file was read without CAP_NET_ADMIN (read it as root, e.g. sudo cat), so the partner system and key of each slave cannot be checked")
    bond["warnings"] = warnings
    return _build(bond)


def _build(bond: dict[str, Any]) -> BondState:
    """The BondState, with a field the model refuses dropped and named in a warning: the parser
    promises a state and warnings, never an exception."""
    from pydantic import ValidationError

    for _ in range(len(bond)):
        try:
            return BondState(**bond)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"] and e["loc"][0] not in ("name", "slaves", "warnings")}
            if not bad:
                raise
            for field in bad:
                bond["warnings"] = [*bond["warnings"], f"{field}: value not understood: {bond.pop(field)!r}"]
    return BondState(name=bond["name"], warnings=bond["warnings"])


def _read_mode(value: str, bond: dict[str, Any], warnings: list[str], number: int) -> None:
    m = re.fullmatch(r"(.*?)(?:\s+\(fail_over_mac (\S+)\))?", value)
    words, fail_over = (m.group(1), m.group(2)) if m else (value, None)
    mode = MODE_NAMES.get(words) or (words if words in _IP_MODES else None)
    if mode is None:
        warnings.append(f"line {number}: bonding mode not understood: {value}")
    bond["mode"] = mode
    if fail_over:
        bond["fail_over_mac"] = fail_over


# --- ip -d -j link show ---------------------------------------------------------------------------


def parse_ip_link_json(text: str, hostname: str | None = None, bond: str | None = None) -> list[BondState]:
    """The BondStates of ``ip -d -j link show`` (every bond, or only ``bond``). Raises
    BondParseError when the text is not JSON or not a list of links; a missing or odd key is a
    warning of its bond."""
    try:
        links = json.loads(clean_host_capture(text))
    except json.JSONDecodeError as exc:
        raise BondParseError(f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); save the output of ip -d -j link show") from None
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        raise BondParseError("not a list of links: save the output of ip -d -j link show (with -d, so that linkinfo is printed)")
    masters = [link for link in links if _linkinfo(link).get("info_kind") == "bond" and (bond is None or link.get("ifname") == bond)]
    return [_ip_bond(master, links, hostname) for master in masters]


def _linkinfo(link: dict[str, Any]) -> dict[str, Any]:
    info = link.get("linkinfo")
    return info if isinstance(info, dict) else {}


def _ip_bond(master: dict[str, Any], links: list[dict[str, Any]], hostname: str | None) -> BondState:
    warnings: list[str] = []
    data = _linkinfo(master).get("info_data") or {}
    name = str(master.get("ifname") or "bond")
    mode = data.get("mode")
    if mode not in _IP_MODES:
        warnings.append(f"{name}: bonding mode not understood: {mode!r}")
        mode = None
    ad = data.get("ad_info") if isinstance(data.get("ad_info"), dict) else None
    aggregator = None
    if ad and isinstance(ad.get("aggregator"), int):
        aggregator = ActiveAggregator(id=ad["aggregator"], ports=ad.get("num_ports"), actor_key=ad.get("actor_key"), partner_key=ad.get("partner_key"), partner_mac=_mac(ad["partner_mac"]) if isinstance(ad.get("partner_mac"), str) else None)
    rate = data.get("ad_lacp_rate")
    lacp_active = data.get("ad_lacp_active")
    slaves = [_ip_slave(link, warnings) for link in links if link.get("master") == name and _linkinfo(link).get("info_slave_kind") == "bond"]
    return BondState(
        name=name,
        hostname=hostname,
        source="ip-json",
        mode=mode,
        fail_over_mac=data.get("fail_over_mac") if mode == "active-backup" else None,
        transmit_hash_policy=data.get("xmit_hash_policy") if mode in ("802.3ad", "balance-xor") else None,
        primary_slave=data.get("primary"),
        active_slave=data.get("active_slave"),
        mii_status=_link_status(master),
        miimon_ms=data.get("miimon"),
        updelay_ms=data.get("updelay"),
        downdelay_ms=data.get("downdelay"),
        peer_notification_delay_ms=data.get("peer_notify_delay"),
        arp_interval_ms=data.get("arp_interval"),
        arp_targets=[str(t) for t in data.get("arp_ip_target") or []],
        lacp_active=(lacp_active == "on") if isinstance(lacp_active, str) else None,
        lacp_rate=rate if rate in ("fast", "slow") else None,
        min_links=data.get("min_links"),
        ad_select=data.get("ad_select"),
        system_priority=data.get("ad_actor_sys_prio"),
        system_mac=_actor_system(data.get("ad_actor_system"), master.get("address")) if mode == "802.3ad" else None,
        active_aggregator=aggregator,
        no_active_aggregator=mode == "802.3ad" and aggregator is None and bool(slaves),
        lacp_details=False if mode == "802.3ad" else None,
        slaves=slaves,
        warnings=warnings,
    )


def _actor_system(configured: Any, address: Any) -> str | None:
    """``ad_actor_system`` is the configured value: all zeros (the default) means the bond's own
    MAC is the LACP system id."""
    if isinstance(configured, str) and configured.strip("0:") != "":
        return _mac(configured)
    return _mac(address) if isinstance(address, str) else None


def _link_status(link: dict[str, Any]) -> str | None:
    """The bond's carrier, as ``/proc`` prints it: ``operstate`` where given, else LOWER_UP."""
    state = link.get("operstate")
    if isinstance(state, str) and state != "UNKNOWN":
        return "up" if state == "UP" else "down"
    flags = link.get("flags")
    return ("up" if "LOWER_UP" in flags else "down") if isinstance(flags, list) else None


_MII = {"UP": "up", "GOING_DOWN": "going down", "DOWN": "down", "GOING_BACK": "going back"}


def _ip_slave(link: dict[str, Any], warnings: list[str]) -> BondSlave:
    data = _linkinfo(link).get("info_slave_data") or {}
    name = str(link.get("ifname"))
    mii = data.get("mii_status")
    if mii is not None and mii not in _MII:
        warnings.append(f"{name}: mii_status not understood: {mii!r}")
    actor = data.get("ad_actor_oper_port_state")
    partner = data.get("ad_partner_oper_port_state")
    state = data.get("state")
    return BondSlave(
        name=name,
        mii_status=_MII.get(mii, "unknown") if mii is not None else None,
        link_failure_count=data.get("link_failure_count"),
        permanent_hw_addr=_mac(data["perm_hwaddr"]) if isinstance(data.get("perm_hwaddr"), str) else None,
        queue_id=data.get("queue_id"),
        state=state.lower() if isinstance(state, str) else None,
        aggregator_id=data.get("ad_aggregator_id"),
        actor=LacpPdu(port_state=PortState.from_value(actor)) if isinstance(actor, int) else None,
        partner=LacpPdu(port_state=PortState.from_value(partner)) if isinstance(partner, int) else None,
    )
