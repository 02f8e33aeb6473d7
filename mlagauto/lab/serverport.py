"""The far end of a simulated server's NIC: what a lab switch port presents to the server cabled
to it (``SwitchPort``), platform-neutral.

This is the contract between the lab's switches and its servers (``mlagauto.lab.linux_host``):
a dialect's device answers ``server_port(port) -> SwitchPort`` from its OWN MLAG state and
configuration reading, and the server's bonding driver computes its aggregators from those
answers alone. It lives in the lab's core, not in the server package nor in any dialect, so that
each dialect can answer for its ports without depending on another platform or on the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LACP_DEFAULT_PRIORITY = 32768
"""IEEE 802.1AX's default system (and port) priority."""
NO_SYSTEM = "00:00:00:00:00:00"


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
    (NX-OS), ``lacp timer fast`` (EOS), ``lacp periodic fast`` (Junos), ``lacp timeout fast``
    (Huawei)."""
    system_mac: str = NO_SYSTEM
    """The actor system id, as ``aa:bb:cc:dd:ee:ff`` in lower case (the kernel's format)."""
    system_priority: int = LACP_DEFAULT_PRIORITY
    key: int = 0
    port_number: int = 0
    in_sync: bool = False
    """The switch puts the link in its aggregator (the partner's synchronization bit)."""
    reason: str = ""
    """Why the port is down or runs no LACP (for the lab's own log and tests)."""


def link_down(switch: str, port: str, reason: str) -> SwitchPort:
    """No physical link (the port or its bundle shut down)."""
    return SwitchPort(switch, port, False, reason=reason)


def no_lacp(switch: str, port: str, reason: str) -> SwitchPort:
    """Link up, but no LACPDUs arrive: the server's slave is defaulted."""
    return SwitchPort(switch, port, True, reason=reason)


def port_number(name: str) -> int:
    """The last number of an interface name (``Ethernet1/3`` -> 3, ``Ethernet5`` -> 5)."""
    digits = re.findall(r"\d+", name)
    return int(digits[-1]) if digits else 0


def colon_mac(mac: str) -> str:
    """Any MAC notation (``00e0-fc00-0001``, ``0023.04ee.be0a``, ``00:23:04:EE:BE:0A``) as the
    kernel prints it: ``aa:bb:cc:dd:ee:ff``. Text that is no MAC (a lab config may hold any
    value) comes back as it is, in lower case, so the server shows what the switch was told."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac).lower()
    if len(digits) != 12 or re.search(r"[^0-9a-fA-F:.-]", mac):
        return mac.lower()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
