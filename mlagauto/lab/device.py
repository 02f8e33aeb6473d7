"""A simulated switch: configuration stores, commit history, fault knobs and the protocol hooks
each platform dialect fills in.

The stores are plain text in the platform's own running-config rendering; dialects keep whatever
structure they need (an indentation tree, Junos statement paths) and render it back. State that
the SSH/HTTP threads and a test thread share is guarded by ``lock``.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from mlagauto.lab.lab import Lab
    from mlagauto.lab.shell import Shell


@dataclass
class Faults:
    """Fault knobs, settable from tests (``device.faults.delay = 0.5``) and from the inventory
    (``data.lab.faults``)."""

    refuse_login: bool = False
    """Every login fails authentication."""
    drop_on_commit: bool = False
    """The next commit closes the session before anything is applied (one-shot)."""
    reject_next_commit: bool = False
    """The next commit fails with the platform's own error (one-shot)."""
    delay: float = 0.0
    """Seconds added before every answer."""
    corrupt_output: bool = False
    """The next show command's output has one line garbled (one-shot)."""
    http_idle_timeout: float = 0.0
    """Seconds after which eAPI closes an HTTP connection that carries no request, without
    notice, as a web server's keep-alive timer does (0: never)."""

    def take(self, knob: str) -> bool:
        """Read a one-shot knob and clear it."""
        value = bool(getattr(self, knob))
        if value:
            setattr(self, knob, False)
        return value


@dataclass
class Commit:
    """One entry of a device's commit history."""

    id: str
    before: str
    after: str
    comment: str = ""
    user: str = ""


class SimDevice:
    """Base of every simulated platform. Dialects subclass it and implement the hooks.

    A switch dialect also answers ``server_port(port) -> SwitchPort`` (``mlagauto.lab.serverport``):
    what a simulated server cabled to that port sees, from the dialect's own MLAG state. It is
    not a hook here because a device without it is meaningful: a server cabled to it sees a dead
    link (``mlagauto.lab.linux_host.switchside.switch_port``)."""

    platform: ClassVar[str]

    def __init__(self, name: str, port: int, username: str, password: str, lab: Lab | None = None, **options: Any):
        self.name = name
        self.port = port
        self.username = username
        self.password = password
        self.lab = lab
        self.options = options
        """Platform options from the inventory's ``data.lab`` (e.g. ``http_port``)."""
        self.faults = Faults()
        self.lock = threading.RLock()
        self.startup = ""
        self.commits: list[Commit] = []
        self.files: dict[str, str] = {}
        """Named files on the device's flash (checkpoints, rollback files, saved configs)."""
        self.running = self.initial_config()

    # --- hooks -------------------------------------------------------------------------------
    def initial_config(self) -> str:
        """Running configuration of a factory-fresh switch with its hostname set."""
        raise NotImplementedError

    def shell(self) -> Shell:
        """A new interactive CLI session."""
        raise NotImplementedError

    def subsystem(self, name: str) -> Any:
        """Handler for an SSH subsystem (``netconf``), or None where the platform has none."""
        return None

    def http_port(self) -> int | None:
        """Port of the device's HTTP API (EOS eAPI), or None."""
        return None

    def handle_http(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request: (status, headers, body)."""
        return 404, {"Content-Type": "text/plain"}, b"not found\n"

    # --- shared behaviour ---------------------------------------------------------------------
    def check_login(self, username: str, password: str) -> bool:
        return not self.faults.refuse_login and username == self.username and password == self.password

    @property
    def peer(self) -> SimDevice | None:
        """The other switch of this device's MLAG pair, as the lab wired it."""
        return self.lab.peer_of(self.name) if self.lab else None

    def record_commit(self, before: str, after: str, comment: str = "", user: str = "") -> Commit:
        """Append to the commit history; ids count up from 1 as strings (platforms format them)."""
        commit = Commit(str(len(self.commits) + 1), before, after, comment, user)
        self.commits.append(commit)
        return commit

    def maybe_corrupt(self, text: str) -> str:
        """Apply the one-shot ``corrupt_output`` knob: garble one non-empty line."""
        if not self.faults.take("corrupt_output"):
            return text
        lines = text.split("\n")
        candidates = [i for i, line in enumerate(lines) if line.strip()]
        if not candidates:
            return text
        i = random.Random(len(text)).choice(candidates)
        lines[i] = "".join(chr(0x21 + (ord(c) * 7) % 90) if not c.isspace() else c for c in lines[i])
        return "\n".join(lines)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "platform": self.platform, "port": self.port, "http_port": self.http_port()}


@dataclass
class DeviceSpec:
    """What the lab needs to start one device (from the inventory)."""

    name: str
    platform: str
    port: int
    username: str
    password: str
    options: dict[str, Any] = field(default_factory=dict)
    faults: dict[str, Any] = field(default_factory=dict)
