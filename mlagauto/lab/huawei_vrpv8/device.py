"""The simulated CloudEngine switch: running and saved configuration, rollback points, identity."""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from typing import Any

from mlagauto.lab.device import Commit, SimDevice
from mlagauto.lab.huawei_vrpv8 import config, mlag
from mlagauto.lab.huawei_vrpv8.cli import VrpShell
from mlagauto.lab.serverport import SwitchPort, colon_mac, link_down, no_lacp
from mlagauto.lab.shell import Shell

COMMIT_ID_BASE = 1_000_000_000
"""VRP numbers rollback points from 1000000001."""
DEVICE_TYPE = "CE6860-SAN"
VRP_RELEASE = "8.230"


class VrpDevice(SimDevice):
    """Huawei CloudEngine on VRP V8 (V300R023), served over SSH for netmiko ``huawei_vrpv8``.

    A new switch has one rollback point, 1000000001: the commit that gave it its sysname, so a
    first deployment can already be rolled back to the factory state.
    """

    platform = "huawei_vrpv8"
    device_type = DEVICE_TYPE

    def __init__(self, name: str, port: int, username: str, password: str, lab: Any = None, **options: Any):
        self.started = time.monotonic()
        self.commit_details: dict[str, tuple[str, str]] = {}
        """Commit id -> (timestamp, description) for ``display configuration commit list``."""
        super().__init__(name, port, username, password, lab, **options)
        self._record(self.running, self.running, "-", "", "")

    def factory_reset(self) -> None:
        """Back to the state of a new switch (configuration, rollback points, saved config, files),
        so one running lab can serve many test cases."""
        self.commits.clear()
        self.commit_details.clear()
        self.files.clear()
        self.startup = ""
        self.running = self.initial_config()
        self._record(self.running, self.running, "-", "", "")

    def initial_config(self) -> str:
        return config.render(config.parse(f"sysname {self.name}"))

    def shell(self) -> Shell:
        return VrpShell(self)

    # --- identity -----------------------------------------------------------------------------
    def sysname(self) -> str:
        match = re.search(r"^sysname (\S+)", self.running, re.MULTILINE)
        return match.group(1) if match else self.name

    @staticmethod
    def clock() -> str:
        return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00:00")

    @staticmethod
    def short_version() -> str:
        return config.SOFTWARE_VERSION[: config.SOFTWARE_VERSION.index("SPC")]

    def version_text(self) -> str:
        minutes = int(time.monotonic() - self.started) // 60
        uptime = f"{minutes // 1440} days, {minutes // 60 % 24} hours, {minutes % 60} minutes"
        return "\n".join(
            [
                "Huawei Versatile Routing Platform Software",
                f"VRP (R) software, Version {VRP_RELEASE} ({DEVICE_TYPE} {config.SOFTWARE_VERSION})",
                "Copyright (C) 2012-2023 Huawei Technologies Co., Ltd.",
                f"HUAWEI {DEVICE_TYPE} uptime is {uptime}",
                "",
                f"{DEVICE_TYPE}(Master) 1 : uptime is {uptime}",
                "Memory    Size    : 4096 M bytes",
                "Flash     Size    : 2048 M bytes",
            ]
        )

    # --- M-LAG ---------------------------------------------------------------------------------
    def mlag_pair(self) -> mlag.Pair:
        """The DFS group as this switch sees it, from both current running configurations."""
        peer = self.peer
        local = mlag.read_side(config.parse(self.running), self.name)
        other = mlag.read_side(config.parse(peer.running), peer.name) if isinstance(peer, VrpDevice) else None
        return mlag.evaluate(local, other)

    def server_port(self, port: str) -> SwitchPort:
        """What a server cabled to ``port`` sees (``mlagauto.lab.linux_host``), from the lab's
        own M-LAG reading of the two running configurations (``mlag``), as this switch's
        ``display eth-trunk`` reports it:

        * the port joins Eth-Trunk N with ``eth-trunk N`` in its view; ``shutdown`` on the port or
          the Eth-Trunk is no link, and so is an M-LAG interface the strict consistency check
          puts Error-Down;
        * LACP runs in ``mode lacp-static`` or ``lacp-dynamic`` (both send LACPDUs unprompted);
          ``mode manual load-balance``, the default, sends none; ``lacp timeout fast`` is the
          short timeout;
        * on an Eth-Trunk with ``dfs-group 1 m-lag N`` the system id and priority are the M-LAG
          ones the lab's state derives (``Pair.lacp_identity``: the Eth-Trunk's own ``lacp m-lag
          system-id`` / ``priority``, else the DFS Master's global ones, else its MAC); off M-LAG
          the switch's own MAC at priority 32768; the key is the Eth-Trunk's ``PortKey``, the port
          number the member's position in it.
        """
        tree = config.parse(self.running)
        node = tree.first(f"interface {port}")
        if node is not None and node.has("shutdown"):
            return link_down(self.name, port, "port shut down")
        group = node.value("eth-trunk") if node is not None else None
        if not group or not group.isdigit():
            return no_lacp(self.name, port, "not in an Eth-Trunk")
        pair = self.mlag_pair()
        trunk = pair.local.trunks.get(int(group))
        if trunk is None:
            return no_lacp(self.name, port, f"Eth-Trunk{group} not configured")
        if trunk.shutdown:
            return link_down(self.name, port, f"Eth-Trunk{group} shut down")
        if trunk.mode == "manual":
            return no_lacp(self.name, port, f"Eth-Trunk{group} in mode manual load-balance: no LACP")
        if trunk.mlag_id is not None and pair.error_down(pair.local, trunk):
            return link_down(self.name, port, f"M-LAG {trunk.mlag_id} (Eth-Trunk{group}) Error-Down by the strict consistency check")
        priority, system_id = pair.lacp_identity(pair.local, trunk)
        return SwitchPort(
            self.name,
            port,
            True,
            lacpdus=True,
            active=True,
            fast=trunk.fast,
            system_mac=colon_mac(system_id),
            system_priority=priority,
            key=mlag.lacp_port_key(trunk),
            port_number=trunk.members.index(port) + 1 if port in trunk.members else 0,
            in_sync=True,
        )

    # --- commits, rollback, save ------------------------------------------------------------------
    def commit(self, after: str, user: str, label: str, description: str) -> Commit:
        """Make ``after`` the running configuration and record a rollback point."""
        commit = self._record(self.running, after, user, label, description)
        self.running = after
        return commit

    def _record(self, before: str, after: str, user: str, label: str, description: str) -> Commit:
        commit = self.record_commit(before, after, label, user)
        self.commit_details[commit.id] = (self.clock(), description)
        return commit

    def commit_id(self, commit: Commit) -> str:
        return str(COMMIT_ID_BASE + int(commit.id))

    def find_commit(self, commit_id: str) -> Commit | None:
        return next((c for c in self.commits if self.commit_id(c) == commit_id), None)

    def config_after(self, commit_id: str) -> str | None:
        """The configuration as it was when rollback point ``commit_id`` was generated."""
        commit = self.find_commit(commit_id)
        return commit.after if commit else None

    def config_before_last(self, count: int) -> str | None:
        """The configuration before the last ``count`` commits."""
        return self.commits[-count].before if 0 < count <= len(self.commits) else None

    def save(self, filename: str | None) -> None:
        if filename:
            self.files[filename] = self.running
        else:
            self.startup = self.running

    def commit_list(self, verbose: bool) -> str:
        """``display configuration commit list [verbose]``, newest first."""
        newest_first = list(reversed(self.commits))
        if verbose:
            return "\n".join(self._verbose_entry(i, c) for i, c in enumerate(newest_first, 1))
        rule = "-" * 96
        lines = [rule, f"{'No.':<5}{'CommitId':<13}{'Label':<21}{'User':<16}TimeStamp", rule]
        for i, c in enumerate(newest_first, 1):
            lines.append(f"{i:<5}{self.commit_id(c):<13}{c.comment or '-':<21}{c.user:<16}{self.commit_details[c.id][0]}")
        return "\n".join(lines + [rule])

    def _verbose_entry(self, number: int, commit: Commit) -> str:
        timestamp, description = self.commit_details[commit.id]
        return "\n".join(
            [
                f"{number}) CommitId: {self.commit_id(commit)}",
                f"   Label: {commit.comment or '-'}",
                f"   User: {commit.user}",
                "   User-Intf: VTY 0",
                "   Type: CLI",
                f"   TimeStamp: {timestamp}",
                f"   Description: {description or '-'}",
            ]
        )
