"""The interactive CLI session contract shared by the SSH dialects.

The server reads what the client types, echoes each line the way a switch does, hands the line
to ``Shell.handle`` and writes the answer followed by ``Shell.prompt()``. A dialect implements
modes, prompts, configuration editing and show commands in its Shell subclass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlagauto.lab.device import SimDevice


class DropSession(Exception):
    """Raised by a shell to cut the connection at once (the ``drop_on_commit`` fault)."""


class Shell:
    """One CLI session on one device."""

    def __init__(self, device: SimDevice):
        self.device = device
        self.closed = False
        """Set by ``handle`` when the session ends normally (``exit`` at the top level)."""
        self.username = ""
        """The user who logged in (set by the server after login)."""

    def greeting(self) -> str:
        """Text printed once after login, before the first prompt."""
        return ""

    @property
    def echo(self) -> bool:
        """Whether the switch echoes the next line it reads (False while it reads a password)."""
        return True

    def prompt(self) -> str:
        """The prompt for the current mode (``nx1(config-if)# ``); empty while a question such as
        ``[Y/N]:`` waits for its answer (the question was part of the last output)."""
        raise NotImplementedError

    def handle(self, line: str) -> str:
        """Run one line and return its output (without the prompt). While a question waits for its
        answer (``prompt()`` is empty) the output is written as it is, so the cursor stays on the
        question's line as on a switch; otherwise a final newline is added if missing."""
        raise NotImplementedError

    def close(self) -> None:
        """Called once when the session ends, however it ends (release locks, drop a private
        candidate)."""
