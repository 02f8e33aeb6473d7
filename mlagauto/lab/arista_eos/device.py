"""The simulated EOS switch: configuration stores, configure sessions, commit timers, files.

The running configuration is an indentation tree (``tree``); ``running`` renders it as
``show running-config`` prints it and assigning text to it loads that text, so the core's
text contract holds while edits stay cheap. Lab options (``data.lab`` in the inventory):

* ``http_port``: port of the eAPI (HTTP JSON-RPC) server.
* ``system_mac``: the switch's system MAC (default: derived from its name, so it is stable).
* ``commit_timer_scale``: factor applied to ``commit timer`` durations (tests use e.g. 0.05 to
  see an unconfirmed commit revert quickly).
* ``privilege``: the privilege level of the lab user, 15 or 1 (default 1). At 15 every CLI and
  eAPI session starts in privileged exec (``name#``), as for an EOS user with ``privilege 15``,
  so ``show running-config`` and config pushes work without ``enable``; at 1 sessions start at
  ``name>`` and need ``enable`` first. ``inventories/lab`` sets 15.
* ``enable_secret``: when set, ``enable`` from ``name>`` asks for this secret (netmiko sends its
  ``secret`` argument, pyeapi its ``enablepwd``); unset, ``enable`` asks nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlagauto.configtree import Node
from mlagauto.lab import cfgedit
from mlagauto.lab.arista_eos import config, eapi
from mlagauto.lab.arista_eos.cli import EosShell
from mlagauto.lab.arista_eos.config import CliError
from mlagauto.lab.arista_eos.state import PairState, bundled, evaluate, lacp_actor_id, read_side
from mlagauto.lab.device import SimDevice
from mlagauto.lab.serverport import LACP_DEFAULT_PRIORITY, SwitchPort, link_down, no_lacp, port_number
from mlagauto.lab.shell import DropSession, Shell

if TYPE_CHECKING:
    from mlagauto.lab.lab import Lab

MAX_SAVED_SESSIONS = 1
MAX_OPEN_SESSIONS = 5
ETHERNET_PORTS = 52

_CLEAN_CONFIG = "\n".join(
    ["no aaa root", "transceiver qsfp default-mode 4x10G", "service routing protocols model multi-agent", "spanning-tree mode mstp"]
    + [f"interface Ethernet{n}" for n in range(1, ETHERNET_PORTS + 1)]
    + ["interface Management1"]
)
"""EOS's clean-config (``rollback clean-config``): defaults that ``show running-config`` prints,
and every physical interface as an empty block."""


@dataclass
class ConfigSession:
    """A named configure session: a private copy of the configuration until it is committed."""

    name: str
    tree: Node
    state: str = "pending"
    """pending | pendingCommitTimer | completed."""
    commit_by: float | None = None
    """Uptime (seconds) at which a timed commit reverts unless confirmed."""
    revert_to: Node | None = None
    timer: asyncio.TimerHandle | None = None
    completed_at: float | None = None


class EosDevice(SimDevice):
    """Arista EOS: SSH CLI for netmiko ``arista_eos`` and eAPI over HTTP for napalm ``eos``."""

    platform = "arista_eos"

    def __init__(self, name: str, port: int, username: str, password: str, lab: Lab | None = None, **options: Any):
        self.tree = Node("")
        self.sessions: dict[str, ConfigSession] = {}
        self.boot_time = time.time()
        self._boot_clock = time.monotonic()
        digest = hashlib.sha256(name.encode()).hexdigest()
        self.mac = str(options.get("system_mac") or "00:1c:73:" + ":".join(digest[i : i + 2] for i in (0, 2, 4))).lower()
        self.serial = digest[:12].upper()
        self.privilege = _privilege(options.get("privilege", 1))
        secret = options.get("enable_secret")
        self.enable_secret: str | None = None if secret is None else str(secret)
        super().__init__(name, port, username, password, lab, **options)
        self.startup = self.running

    # --- stores ------------------------------------------------------------------------------
    @property  # type: ignore[override]
    def running(self) -> str:
        return config.render(self.tree)

    @running.setter
    def running(self, text: str) -> None:
        self.tree = config.load(text)

    def initial_config(self) -> str:
        return _CLEAN_CONFIG + f"\nhostname {self.name}\nmanagement api http-commands\n   protocol http\n   no shutdown\n"

    @staticmethod
    def clean_tree() -> Node:
        return config.load(_CLEAN_CONFIG)

    @property
    def hostname(self) -> str:
        return self.tree.value("hostname") or "localhost"

    def uptime(self) -> float:
        return time.monotonic() - self._boot_clock

    # --- protocol hooks --------------------------------------------------------------------------
    def shell(self) -> Shell:
        return EosShell(self)

    def http_port(self) -> int | None:
        port = self.options.get("http_port")
        return int(port) if port is not None else None

    def handle_http(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        return eapi.handle(self, path, body)

    # --- MLAG ---------------------------------------------------------------------------------
    def pair_state(self) -> PairState:
        """This switch's view of its pair, from both current running configs."""
        peer = self.peer
        peer_side = read_side(peer.name, peer.mac, peer.tree) if isinstance(peer, EosDevice) else None
        return evaluate(read_side(self.name, self.mac, self.tree), peer_side)

    def peer_pair_state(self) -> PairState | None:
        peer = self.peer
        return peer.pair_state() if isinstance(peer, EosDevice) else None

    def server_port(self, port: str) -> SwitchPort:
        """What a server cabled to ``port`` sees (``mlagauto.lab.linux_host``): the system id
        the lab's MLAG state advertises on the port-channel (``lacp_actor_id``: the MLAG
        system-id on an ``mlag N`` port-channel of an enabled MLAG, the switch's own MAC
        elsewhere), key = the port-channel number, in sync as the lab's ``bundled`` says (of two
        switches presenting different system ids, the host keeps the lower one's links)."""
        pair = self.pair_state()
        side = pair.local
        node = self.tree.first(f"interface {port}")
        if node is not None and node.has("shutdown"):
            return link_down(self.name, port, "port shut down")
        channel = side.channels.get(port)
        if channel is None:
            return no_lacp(self.name, port, "not in a channel-group")
        pc = side.port_channels.get(channel[0])
        if pc is None:
            return no_lacp(self.name, port, f"{channel[0]} not configured")
        if pc.shutdown:
            return link_down(self.name, port, f"{channel[0]} shut down")
        if channel[1] == "on":
            return no_lacp(self.name, port, "static channel-group (mode on): no LACP")
        mlag = pc.mlag is not None and pair.state == "active"
        number = port_number(port) + (0x8000 if mlag and pair.role == "secondary" else 0)
        return SwitchPort(
            self.name,
            port,
            True,
            lacpdus=True,
            active=channel[1] == "active",
            fast=node is not None and node.has("lacp timer fast"),
            system_mac=lacp_actor_id(pair, pc),
            system_priority=LACP_DEFAULT_PRIORITY,
            key=int(pc.name[len("Port-Channel") :] or 0),
            port_number=number,
            in_sync=bundled(pair, self.peer_pair_state(), pc),
        )

    # --- configure sessions -------------------------------------------------------------------------
    def open_session(self, name: str) -> ConfigSession:
        session = self.sessions.get(name)
        if session is not None and session.state == "completed":
            raise CliError(f"Cannot enter session {name} (session has already been committed)", "failed")
        if session is None:
            if sum(1 for s in self.sessions.values() if s.state == "pending") >= MAX_OPEN_SESSIONS:
                raise CliError("Maximum number of pending sessions has been reached", "failed")
            session = self.sessions[name] = ConfigSession(name, cfgedit.clone(self.tree))
        return session

    def _session(self, name: str) -> ConfigSession:
        session = self.sessions.get(name)
        if session is None or session.state == "completed":
            raise CliError(f"Session {name} does not exist", "failed")
        return session

    def commit_session(self, name: str, timer: float | None = None, user: str = "") -> None:
        """``commit`` / ``commit timer``: the session's configuration replaces running-config. A
        second ``commit`` of a session under a timer confirms it."""
        session = self._session(name)
        if session.state == "pendingCommitTimer" and timer is None:
            self._cancel_timer(session)
            self._complete(session)
            return
        self._commit_gate(f"Failed to commit session {name}: configuration commit was rejected")
        before = self.running
        if session.state == "pending":
            session.revert_to = cfgedit.clone(self.tree)
        self.tree = cfgedit.clone(session.tree)
        self.record_commit(before, self.running, f"session {name}", user)
        if timer is None:
            self._complete(session)
            return
        self._cancel_timer(session)
        delay = timer * float(self.options.get("commit_timer_scale", 1.0))
        session.state = "pendingCommitTimer"
        session.commit_by = self.uptime() + delay
        session.timer = asyncio.get_running_loop().call_later(delay, self._timer_expired, name)

    def abort_session(self, name: str, user: str = "") -> None:
        """``abort``: drop the session; under a commit timer, also restore the previous config."""
        session = self._session(name)
        if session.state == "pendingCommitTimer":
            self._revert(session, user, "commit timer aborted")
        self._cancel_timer(session)
        del self.sessions[name]

    def _timer_expired(self, name: str) -> None:
        with self.lock:
            session = self.sessions.get(name)
            if session is not None and session.state == "pendingCommitTimer":
                self._revert(session, "", "commit timer expired")
                del self.sessions[name]

    def _revert(self, session: ConfigSession, user: str, comment: str) -> None:
        before = self.running
        self.tree = session.revert_to or self.tree
        self.record_commit(before, self.running, comment, user)

    @staticmethod
    def _cancel_timer(session: ConfigSession) -> None:
        if session.timer is not None:
            session.timer.cancel()
            session.timer = None

    def _complete(self, session: ConfigSession) -> None:
        session.state, session.commit_by, session.revert_to = "completed", None, None
        session.completed_at = self.uptime()
        completed = [s for s in self.sessions.values() if s.state == "completed"]
        for old in completed[: max(0, len(completed) - MAX_SAVED_SESSIONS)]:
            del self.sessions[old.name]

    def _commit_gate(self, reject_message: str) -> None:
        """The commit-time fault knobs: cut the session, or refuse with EOS's error."""
        if self.faults.take("drop_on_commit"):
            raise DropSession()
        if self.faults.take("reject_next_commit"):
            raise CliError(reject_message, "failed")

    # --- files, replace, save ----------------------------------------------------------------------
    def read_file(self, name: str) -> str:
        if name in ("running-config", "system:running-config"):
            return self.running
        if name in ("startup-config", "flash:startup-config"):
            return self.startup
        text = self.files.get(normalise_file(name))
        if text is None:
            raise CliError(f"Error copying {name} (No such file or directory)", "failed")
        return text

    def copy(self, source: str, destination: str, user: str = "") -> None:
        text = self.read_file(source)
        if destination in ("startup-config", "flash:startup-config"):
            self.startup = text
        elif destination in ("running-config", "system:running-config"):
            before = self.running
            config.load(text, self.tree)
            self.record_commit(before, self.running, f"copy {source} running-config", user)
        else:
            self.files[normalise_file(destination)] = text

    def replace(self, source: str, user: str = "") -> None:
        """``configure replace``: the file becomes the whole running-config."""
        text = self.read_file(source)
        self._commit_gate("Failed to replace the running-config: configuration commit was rejected")
        before = self.running
        self.tree = config.load(text)
        self.record_commit(before, self.running, f"configure replace {source}", user)


def _privilege(value: Any) -> int:
    """The ``privilege`` option: 1 (lands at ``>``) or 15 (lands at ``#``)."""
    if isinstance(value, bool) or value not in (1, 15, "1", "15"):
        raise ValueError(f"data.lab.privilege: {value!r}: the lab's EOS user has privilege 1 or 15")
    return int(value)


def normalise_file(name: str) -> str:
    """``flash:/rollback-0`` and ``flash:rollback-0`` name the same file."""
    fs, sep, path = name.partition(":")
    return f"{fs}:{path.lstrip('/')}" if sep else f"flash:{name}"
