"""What a server's NIC sees of the lab switch port it is cabled to.

One ``SwitchPort`` per cable (defined in the lab's core, ``mlagauto.lab.serverport``): whether
the link is up, whether LACPDUs arrive and what they carry (the system id and priority, key and
port number the switch presents, its LACP activity and timeout, whether it puts the link in
sync).

The server knows no platform. Each dialect's device answers ``server_port(port)`` itself, from
its own MLAG state of that switch and its peer (the dialect's state module), never from the
project's parsers or rules: the simulated server is a third, independent reading of the pair, and
a vendor's rules live in that vendor's dialect only. Every dialect the lab simulates has one
(NX-OS vPC, EOS MLAG, Junos MC-LAG, Huawei M-LAG); a switch whose device has none (or no lab
switch at all) is a dead link, said so in ``reason``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlagauto.lab.serverport import LACP_DEFAULT_PRIORITY, SwitchPort, link_down

if TYPE_CHECKING:
    from mlagauto.lab.device import SimDevice

__all__ = ["LACP_DEFAULT_PRIORITY", "SwitchPort", "switch_port"]


def switch_port(device: SimDevice | None, port: str | None) -> SwitchPort:
    """The far end of a cable to ``port`` of ``device`` (None: a switch the lab does not run)."""
    name = device.name if device is not None else "?"
    if device is None or port is None:
        return link_down(name, port or "?", "no lab switch at the far end")
    answer = getattr(device, "server_port", None)
    if answer is None:
        return link_down(name, port, f"the lab simulates no server link to a {device.platform} switch")
    return answer(port)
