"""The simulated Nexus: its configuration, flash files and vPC state."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mlagauto.configtree import parse_indented
from mlagauto.lab.cisco_nxos.cli import NxosShell
from mlagauto.lab.cisco_nxos.config import VERSION, NxosConfig
from mlagauto.lab.cisco_nxos.state import PairState, pair_state, read_switch
from mlagauto.lab.device import SimDevice
from mlagauto.lab.serverport import LACP_DEFAULT_PRIORITY, SwitchPort, link_down, no_lacp, port_number
from mlagauto.lab.shell import Shell

if TYPE_CHECKING:
    from mlagauto.lab.lab import Lab


class NxosDevice(SimDevice):
    """A Nexus 9300v running NX-OS 9.3(8), reached over SSH (netmiko ``cisco_nxos``, napalm
    ``nxos_ssh``).

    ``running`` is the show run body (from ``hostname`` on); assigning text to it replays the
    text through config mode, so a test can preload any listing.
    """

    platform = "cisco_nxos"

    def __init__(self, name: str, port: int, username: str, password: str, lab: Lab | None = None, **options: Any):
        self.config = NxosConfig()
        self.booted = time.time()
        self.changed_at = self.booted
        self.saved_at = self.booted
        self.file_times: dict[str, float] = {}
        super().__init__(name, port, username, password, lab, **options)
        self.startup = self.running

    @property  # type: ignore[override]
    def running(self) -> str:
        return self.config.render()

    @running.setter
    def running(self, text: str) -> None:
        with self.lock:
            self.config.load(text)
            self.mark_changed()

    def initial_config(self) -> str:
        return f"hostname {self.name}\n\nvrf context management\n\ninterface mgmt0\n  vrf member management\n"

    def shell(self) -> Shell:
        return NxosShell(self)

    # --- state ------------------------------------------------------------------------------------
    @property
    def uptime(self) -> float:
        return time.time() - self.booted

    def mark_changed(self) -> None:
        self.changed_at = time.time()

    def state(self) -> PairState:
        """vPC state from this switch's running config and its peer's, read afresh each time so
        it follows every change on either side."""
        peer = self.peer
        return pair_state(read_switch(self.running), read_switch(peer.running) if peer is not None else None)

    def server_port(self, port: str) -> SwitchPort:
        """What a server cabled to ``port`` sees (``mlagauto.lab.linux_host``), from this
        switch's vPC state: the vPC system MAC and priority on a vPC port-channel of a configured
        domain (the switch's own MAC elsewhere); key 0x8000 + the vPC number (the port-channel
        number off vPC); port number 0x100 + N, offset by 0x8000 on the vPC secondary so that the
        pair's port ids stay unique in its one LACP system; a vPC the lab's state has down is
        suspended: no LACPDUs."""
        state = self.state()
        sw = state.local
        node = parse_indented(self.running).first(f"interface {port}")
        if node is not None and node.has("shutdown"):
            return link_down(self.name, port, "port shut down")
        member = next((m for m in sw.members if m.name == port), None)
        if member is None:
            return no_lacp(self.name, port, "not in a channel-group")
        pc = sw.port_channels.get(member.group)
        if pc is None:
            return no_lacp(self.name, port, f"port-channel{member.group} not configured")
        if pc.shutdown:
            return link_down(self.name, port, f"port-channel{member.group} shut down")
        if member.mode == "on":
            return no_lacp(self.name, port, "static channel-group (mode on): no LACP")
        if state.suspended(pc):
            return no_lacp(self.name, port, f"vPC {pc.vpc} down: member suspended")
        vpc = pc.vpc is not None and sw.configured
        number = 0x100 + port_number(port) + (0x8000 if vpc and state.role == "secondary" else 0)
        return SwitchPort(
            self.name,
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

    # --- flash ------------------------------------------------------------------------------------
    def save(self) -> None:
        """``copy running-config startup-config``."""
        self.startup = self.running
        self.saved_at = time.time()

    def checkpoint_text(self) -> str:
        """A checkpoint file: the running config with the header NX-OS writes into it."""
        stamp = time.strftime("%a %b %d %H:%M:%S %Y")
        return f"\n!Command: Checkpoint cmd vdc 1\n!Time: {stamp}\n\nversion {VERSION} Bios:version  \n" + self.running

    def write_file(self, name: str, text: str) -> None:
        self.files[name] = text
        self.file_times[name] = time.time()
