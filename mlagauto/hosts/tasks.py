"""Nornir tasks for the servers of the inventory (netmiko device type ``linux``).

Untested against a real server: the lab simulates switches only. The task is one command over
Nornir's netmiko connection and the same parser the offline validation uses, so what it can get
wrong is limited to the connection options (platform ``linux`` on the host) and the privilege
to read the LACP details (see ``sudo``).
"""

from __future__ import annotations

import re

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
