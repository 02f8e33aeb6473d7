"""Nornir tasks for the servers of the inventory (netmiko device type ``linux``).

Tested against the lab's simulated servers (``mlagauto.lab.linux_host``: an SSH login answering
``cat /proc/net/bonding/<bond>`` in the kernel's format), not against a real kernel. The task is
one command over Nornir's netmiko connection and the same parser the offline validation uses,
so what it can get wrong is limited to the connection options (platform ``linux`` on the host,
``prepare_servers``) and the privilege to read the LACP details (see ``sudo``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nornir.core.task import Result, Task

from mlagauto.hosts.bonding import parse_proc_bonding

_BOND_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,15}")
"""A Linux interface name (IFNAMSIZ - 1 characters, no slash or space): the name goes into a
shell command, so anything else is refused rather than quoted."""


def bond_command(bond: str, sudo: bool = False) -> str:
    """The command that prints the bond's state. The per-slave LACP details are printed only to a
    reader with CAP_NET_ADMIN, so a non-root login needs ``sudo`` (``-n``: fail rather than
    wait at a password prompt netmiko would not answer)."""
    if not _BOND_NAME.fullmatch(bond):
        raise ValueError(f"{bond!r} is not an interface name")
    return f"{'sudo -n ' if sudo else ''}cat /proc/net/bonding/{bond}"


def get_bond_state(task: Task, bond: str = "bond0", sudo: bool = False) -> Result:
    """The host's BondState for ``bond``, read with ``cat /proc/net/bonding/<bond>``; check it
    with ``mlagauto.checks.host_live.validate_bond``. A missing bond (``No such file``) fails the
    Result with the server's words, rather than passing an empty state to the rules."""
    conn = task.host.get_connection("netmiko", task.nornir.config)
    command = bond_command(bond, sudo)
    text = str(conn.send_command(command, read_timeout=30))
    if "No such file or directory" in text or "Permission denied" in text or "sudo:" in text[:200]:
        return Result(host=task.host, result=text.strip(), failed=True)
    return Result(host=task.host, result=parse_proc_bonding(text, name=bond, hostname=task.host.name))


SERVER_PLATFORM = "linux"
"""The netmiko device type of a server (a shell over SSH)."""


def prepare_servers(nr: Any, names: Iterable[str]) -> list[str]:
    """Fill what ``mlagauto.nornir.prepare_hosts`` leaves out for the servers ``names`` (it
    prepares the switch platforms only): platform ``linux`` where the host has none, netmiko's
    device type, and credentials from ``MLAGAUTO_USERNAME`` / ``MLAGAUTO_PASSWORD`` (the lab's
    defaults for a host whose data says ``mlagauto_lab: true``). Values the inventory sets win.
    Returns the names the inventory does not have (they cannot be read)."""
    from mlagauto.nornir.setup import fill_connection

    missing = []
    for name in names:
        host = nr.inventory.hosts.get(name)
        if host is None:
            missing.append(name)
            continue
        if host.platform is None:
            host.platform = SERVER_PLATFORM
        fill_connection(host, {"netmiko": host.platform})
    return missing


def get_bond_states(task: Task, bonds: Mapping[str, Sequence[str]], sudo: bool = True) -> Result:
    """Every bond ``bonds`` names for this host (host -> bond names), over one connection:
    bond name -> BondState. The first bond that cannot be read fails the Result with the
    server's words (a server partly read is not reported as clean)."""
    states = {}
    for bond in bonds.get(task.host.name, ()):
        one = get_bond_state(task, bond=bond, sudo=sudo)
        if one.failed:
            return Result(host=task.host, result=f"{bond}: {one.result}", failed=True)
        states[bond] = one.result
    return Result(host=task.host, result=states)
