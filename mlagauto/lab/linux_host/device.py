"""A simulated Linux server of the lab: its bonds (the inventory's ``host:`` entries, through
``effective_bond``) and a shell that prints their state.

The state is computed afresh for every command from the CURRENT running configs of the switches
each NIC is cabled to (``switchside``), so a change on either peer shows on the server's next
read, as it would once LACP settles. The shell is a plain POSIX-like prompt
(``user@host:~$``, ``#`` for root); ``sudo -n`` runs a command as root without a password, so
the per-slave LACP details (root only in the kernel) are there to a ``sudo -n cat``.
"""

from __future__ import annotations

import shlex
from typing import Any

from mlagauto.lab.device import SimDevice
from mlagauto.lab.linux_host.bond import BondSim, ip_link_json
from mlagauto.lab.linux_host.switchside import switch_port
from mlagauto.lab.shell import Shell


class LinuxHostDevice(SimDevice):
    """One server; ``bonds`` (from ``Lab.from_inventory``) are its EffectiveBonds."""

    platform = "linux"

    def __init__(self, name: str, port: int, username: str, password: str, lab: Any = None, bonds: list | None = None, **options: Any):
        self.bonds = list(bonds or [])
        super().__init__(name, port, username, password, lab=lab, **options)

    def initial_config(self) -> str:
        return ""

    def shell(self) -> Shell:
        return LinuxShell(self)

    def bond_sims(self) -> list[BondSim]:
        """Every bond's state now, from the lab's switches."""
        out = []
        for bond in self.bonds:
            fars = [switch_port(self.lab.devices.get(c.switch) if self.lab and c.switch else None, c.port) for c in bond.cables]
            out.append(BondSim.compute(self.name, bond, fars))
        return out

    def bond_sim(self, name: str) -> BondSim | None:
        return next((b for b in self.bond_sims() if b.name == name), None)

    def describe(self) -> dict[str, Any]:
        return super().describe() | {"bonds": [b.bond for b in self.bonds]}


class LinuxShell(Shell):
    """Enough of bash for netmiko's ``linux`` driver and the bond reads."""

    @property
    def root(self) -> bool:
        return self.username == "root"

    def prompt(self) -> str:
        return f"{self.username}@{self.device.name}:~{'#' if self.root else '$'} "

    def handle(self, line: str) -> str:
        try:
            words = shlex.split(line)
        except ValueError:
            return "-bash: syntax error: unterminated quoted string"
        if not words:
            return ""
        privileged = self.root
        if words[0] == "sudo":
            words = words[1:]
            while words and words[0].startswith("-"):
                if words[0] not in ("-n", "--non-interactive"):
                    return f"sudo: option {words[0]} not supported here"
                words = words[1:]
            if not words:
                return "usage: sudo -n command"
            privileged = True
        return self.run(words, privileged)

    def run(self, words: list[str], privileged: bool) -> str:
        device: LinuxHostDevice = self.device  # type: ignore[assignment]
        cmd = words[0]
        if cmd in ("exit", "logout"):
            self.closed = True
            return ""
        if cmd == "cat" and len(words) == 2:
            path = words[1]
            prefix = "/proc/net/bonding/"
            if path.startswith(prefix):
                bond = device.bond_sim(path[len(prefix) :])
                if bond is not None:
                    return bond.proc(privileged).rstrip("\n")
            if path == "/etc/hostname":
                return device.name
            return f"cat: {path}: No such file or directory"
        if words == ["ip", "-d", "-j", "link", "show"] or words == ["ip", "-j", "-d", "link", "show"]:
            return ip_link_json(device.bond_sims())
        if cmd == "hostname":
            return device.name
        if cmd == "whoami":
            return "root" if privileged else self.username
        if cmd in ("echo",):
            return " ".join(words[1:])
        if cmd in ("true", ":", "stty", "unset", "export", "cd"):
            return ""
        return f"-bash: {cmd}: command not found"
