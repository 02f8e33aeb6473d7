"""What a server's NIC sees of the lab switch port it is cabled to, read from the lab's own MLAG
state of that switch and its peer (the dialect's state module), never from the project's
parsers or rules: the simulated server is a third, independent reading of the pair.

One ``SwitchPort`` per cable: whether the link is up, whether LACPDUs arrive and what they carry
(the system id and priority, key and port number the switch presents, its LACP activity and
timeout, whether it puts the link in sync). Only the dialects the example inventory hangs servers
off have an adapter (NX-OS, EOS); a port of any other switch is a dead link, said so in
``reason``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlagauto.configtree import parse_indented

if TYPE_CHECKING:
    from mlagauto.lab.device import SimDevice

LACP_DEFAULT_PRIORITY = 32768


@dataclass(frozen=True)
class SwitchPort:
    """The far end of one server NIC, as the switch presents it."""

    switch: str
    port: str
    link: bool
    """The physical link: the port exists on a running lab switch and neither it nor its
    port-channel is shut down."""
    lacpdus: bool = False
    """The switch runs LACP on the port (channel-group active/passive, the port-channel
    configured, the port not suspended): without it the server's slave is defaulted."""
    active: bool = False
    """LACP activity: the switch sends LACPDUs unprompted (``mode active``); passive otherwise."""
    fast: bool = False
    """The switch's short timeout bit (it asks for a LACPDU every second): ``lacp rate fast``
    (NX-OS) / ``lacp timer fast`` (EOS) on the member."""
    system_mac: str = "00:00:00:00:00:00"
    system_priority: int = LACP_DEFAULT_PRIORITY
    key: int = 0
    port_number: int = 0
    in_sync: bool = False
    """The switch puts the link in its aggregator (the partner's synchronization bit)."""
    reason: str = ""
    """Why the port is down or runs no LACP (for the lab's own log and tests)."""


def _port_number(name: str) -> int:
    """The last number of an interface name (``Ethernet1/3`` -> 3, ``Ethernet5`` -> 5)."""
    digits = re.findall(r"\d+", name)
    return int(digits[-1]) if digits else 0


def switch_port(device: SimDevice | None, port: str | None) -> SwitchPort:
    """The far end of a cable to ``port`` of ``device`` (None: a switch the lab does not run)."""
    name = device.name if device is not None else "?"
    if device is None or port is None:
        return SwitchPort(name, port or "?", False, reason="no lab switch at the far end")
    if device.platform == "cisco_nxos":
        return _nxos(device, port)
    if device.platform == "arista_eos":
        return _eos(device, port)
    return SwitchPort(name, port, False, reason=f"the lab simulates no server link to a {device.platform} switch")


def _nxos(device: SimDevice, port: str) -> SwitchPort:
    """NX-OS: the vPC system MAC and priority on a vPC port-channel of a configured domain (the
    switch's own MAC elsewhere); key 0x8000 + the vPC number (the port-channel number off vPC);
    port number 0x100 + N, offset by 0x8000 on the vPC secondary so that the pair's port ids stay
    unique in its one LACP system; a vPC the lab's state has down is suspended: no LACPDUs."""
    state = device.state()  # type: ignore[attr-defined]
    sw = state.local
    root = parse_indented(device.running)
    node = root.first(f"interface {port}")
    if node is not None and node.has("shutdown"):
        return SwitchPort(device.name, port, False, reason="port shut down")
    member = next((m for m in sw.members if m.name == port), None)
    if member is None:
        return SwitchPort(device.name, port, True, reason="not in a channel-group")
    pc = sw.port_channels.get(member.group)
    if pc is None:
        return SwitchPort(device.name, port, True, reason=f"port-channel{member.group} not configured")
    if pc.shutdown:
        return SwitchPort(device.name, port, False, reason=f"port-channel{member.group} shut down")
    if member.mode == "on":
        return SwitchPort(device.name, port, True, reason="static channel-group (mode on): no LACP")
    if state.suspended(pc):
        return SwitchPort(device.name, port, True, reason=f"vPC {pc.vpc} down: member suspended")
    vpc = pc.vpc is not None and sw.configured
    number = 0x100 + _port_number(port) + (0x8000 if vpc and state.role == "secondary" else 0)
    return SwitchPort(
        device.name,
        port,
        True,
        lacpdus=True,
        active=member.mode == "active",
        fast=node is not None and node.has("lacp rate fast"),
        system_mac=sw.vpc_mac if vpc else sw.local_mac,
        system_priority=sw.system_priority if vpc else LACP_DEFAULT_PRIORITY,
        key=0x8000 + (pc.vpc if vpc and pc.vpc is not None else pc.number),
        port_number=number,
        in_sync=True,
    )


def _eos(device: SimDevice, port: str) -> SwitchPort:
    """EOS: the system id the lab's MLAG state advertises on the port-channel (``lacp_actor_id``:
    the MLAG system-id on an ``mlag N`` port-channel of an enabled MLAG, the switch's own MAC
    elsewhere), key = the port-channel number, in sync as the lab's ``bundled`` says (of two
    switches presenting different system ids, the host keeps the lower one's links)."""
    from mlagauto.lab.arista_eos.state import bundled, lacp_actor_id

    pair = device.pair_state()  # type: ignore[attr-defined]
    side = pair.local
    node = device.tree.first(f"interface {port}")  # type: ignore[attr-defined]
    if node is not None and node.has("shutdown"):
        return SwitchPort(device.name, port, False, reason="port shut down")
    channel = side.channels.get(port)
    if channel is None:
        return SwitchPort(device.name, port, True, reason="not in a channel-group")
    pc = side.port_channels.get(channel[0])
    if pc is None:
        return SwitchPort(device.name, port, True, reason=f"{channel[0]} not configured")
    if pc.shutdown:
        return SwitchPort(device.name, port, False, reason=f"{channel[0]} shut down")
    if channel[1] == "on":
        return SwitchPort(device.name, port, True, reason="static channel-group (mode on): no LACP")
    mlag = pc.mlag is not None and pair.state == "active"
    number = _port_number(port) + (0x8000 if mlag and pair.role == "secondary" else 0)
    return SwitchPort(
        device.name,
        port,
        True,
        lacpdus=True,
        active=channel[1] == "active",
        fast=node is not None and node.has("lacp timer fast"),
        system_mac=lacp_actor_id(pair, pc),
        system_priority=LACP_DEFAULT_PRIORITY,
        key=int(pc.name[len("Port-Channel") :] or 0),
        port_number=number,
        in_sync=bundled(pair, device.peer_pair_state(), pc),  # type: ignore[attr-defined]
    )
