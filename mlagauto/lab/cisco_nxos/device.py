"""The simulated Nexus: its configuration, flash files and vPC state."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mlagauto.lab.cisco_nxos.cli import NxosShell
from mlagauto.lab.cisco_nxos.config import VERSION, NxosConfig
from mlagauto.lab.cisco_nxos.state import PairState, pair_state, read_switch
from mlagauto.lab.device import SimDevice
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
