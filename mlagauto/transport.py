"""Sessions: staging, diffing, committing and undoing a change on one switch, over Nornir's own
connections (``napalm`` and ``netmiko``).

napalm does the work where it covers the platform (NX-OS ``nxos_ssh`` / ``nxos``, EOS ``eos``,
Junos ``junos``). Huawei VRP V8 has no usable napalm driver (the community one implements neither
replace nor commit-confirm and does not import on Python 3.13), so ``CliCommitSession`` drives the
V8 two-stage commit over netmiko with the commands the platform's driver declares
(``MlagDriver.cli_commit``). Every session exposes the same small contract, so the deploy logic is
written once.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from mlagauto.drivers.base import CliCommit, MlagDriver


class TransportError(Exception):
    """A device refused or failed an operation; the message says which and why."""


class Session(ABC):
    """One switch, one change at a time."""

    supports_confirm = False
    """True where ``commit(confirm_timeout=...)`` reverts by itself unless ``confirm()`` follows."""

    @abstractmethod
    def get_running(self) -> str: ...

    @abstractmethod
    def stage(self, config: str) -> None:
        """Add ``config`` (lines to merge) to the pending change; several calls accumulate."""

    @abstractmethod
    def diff(self) -> str:
        """What the pending change would change; empty when nothing."""

    @abstractmethod
    def commit(self, confirm_timeout: int | None = None) -> None:
        """Apply the pending change (with an automatic revert after ``confirm_timeout`` seconds
        where ``supports_confirm``)."""

    def confirm(self) -> None:
        """Keep a change committed with a confirm timeout."""

    @abstractmethod
    def discard(self) -> None:
        """Drop the pending change."""

    @abstractmethod
    def rollback(self) -> None:
        """Undo the last change this session committed."""

    @abstractmethod
    def show(self, commands: list[str]) -> dict[str, str]:
        """Run show commands; their text output by command."""


class NapalmSession(Session):
    """napalm's merge / compare / commit / rollback, with netmiko for show commands."""

    def __init__(self, host: Any, nornir_config: Any, driver: MlagDriver):
        self.host = host
        self.nornir_config = nornir_config
        self.driver = driver
        self.device = host.get_connection("napalm", nornir_config)
        self.supports_confirm = driver.commit_style in ("session", "candidate")

    def get_running(self) -> str:
        return str(self.device.get_config(retrieve="running")["running"])

    def stage(self, config: str) -> None:
        try:
            self.device.load_merge_candidate(config=config)
        except Exception as exc:
            raise TransportError(f"loading the change failed: {exc}") from exc

    def diff(self) -> str:
        return str(self.device.compare_config() or "").strip()

    def commit(self, confirm_timeout: int | None = None) -> None:
        try:
            if confirm_timeout and self.supports_confirm:
                self.device.commit_config(revert_in=confirm_timeout)
            else:
                self.device.commit_config()
        except Exception as exc:
            raise TransportError(f"commit failed: {exc}") from exc

    def confirm(self) -> None:
        if self.supports_confirm and self.device.has_pending_commit():
            self.device.confirm_commit()

    def discard(self) -> None:
        self.device.discard_config()

    def rollback(self) -> None:
        try:
            self.device.rollback()
        except Exception as exc:
            raise TransportError(f"rollback failed: {exc}") from exc

    def show(self, commands: list[str]) -> dict[str, str]:
        return netmiko_show(self.host, self.nornir_config, commands)


class CliCommitSession(Session):
    """The two-stage commit over netmiko: enter the configuration view, send the lines, read the
    candidate diff, commit, and undo by rolling back to the commit id that preceded ours.

    netmiko's own config-mode helpers for this platform wait for two seconds of silence per call;
    every read here waits for the platform's prompt instead, so a push takes milliseconds of
    overhead rather than seconds."""

    def __init__(self, host: Any, nornir_config: Any, driver: MlagDriver):
        if driver.cli_commit is None:
            raise TransportError(f"{driver.platform} declares no CLI commit commands")
        self.host = host
        self.nornir_config = nornir_config
        self.driver = driver
        self.cmds: CliCommit = driver.cli_commit
        self.conn = host.get_connection("netmiko", nornir_config)
        self._pending: list[str] = []
        self._before: str | None = None
        """Newest commit id before our commit: rolling back to it undoes ours."""

    def _send(self, command: str, prompt: str, answer_questions: bool = False) -> str:
        output = str(self.conn.send_command(command, expect_string=rf"{prompt}|\[Y/N\]:|\[Y\(yes\)/N\(no\)/C\(cancel\)\]:", strip_prompt=False, strip_command=False, read_timeout=60))
        if answer_questions and re.search(r"\[Y(?:/N|\(yes\))", output):
            output += str(self.conn.send_command(self.cmds.confirm_answer, expect_string=prompt, strip_prompt=False, read_timeout=60))
        return output

    def _check(self, output: str, what: str) -> None:
        for marker in self.cmds.error_markers:
            if marker in output:
                line = next((ln.strip() for ln in output.splitlines() if marker in ln), marker)
                raise TransportError(f"{what} failed: {line}")

    def get_running(self) -> str:
        return str(self.conn.send_command(self.cmds.show_running, expect_string=self.cmds.user_prompt, read_timeout=60))

    def stage(self, config: str) -> None:
        self._pending += [line.rstrip() for line in config.splitlines() if line.strip() and line.strip() not in ("#", "return")]

    def _load(self) -> None:
        self._send(self.cmds.enter_config, self.cmds.config_prompt)
        output = str(self.conn.send_config_set(self._pending, enter_config_mode=False, exit_config_mode=False, cmd_verify=True, read_timeout=120))
        self._check(output, "loading the change")

    def diff(self) -> str:
        if not self._pending:
            return ""
        self._load()
        try:
            text = self._send(self.cmds.show_candidate_diff, self.cmds.config_prompt)
        finally:
            self._send(self.cmds.discard, self.cmds.config_prompt, answer_questions=True)
            self._send(self.cmds.leave_config, self.cmds.user_prompt, answer_questions=True)
        lines = [ln for ln in text.splitlines()[1:] if ln.strip() and not re.fullmatch(self.cmds.config_prompt, ln.strip())]
        return "\n".join(lines).strip() if any(ln.startswith(("+", "-")) for ln in lines) else ""

    def _newest_commit(self) -> str | None:
        listing = self._send(self.cmds.list_commits, self.cmds.user_prompt)
        found = re.findall(self.cmds.commit_id_pattern, listing, flags=re.M)
        return found[0] if found else None

    def commit(self, confirm_timeout: int | None = None) -> None:
        self._before = self._newest_commit()
        self._load()
        output = self._send(self.cmds.commit, self.cmds.config_prompt)
        try:
            self._check(output, "commit")
        except TransportError:
            self._send(self.cmds.discard, self.cmds.config_prompt, answer_questions=True)
            self._send(self.cmds.leave_config, self.cmds.user_prompt, answer_questions=True)
            raise
        self._send(self.cmds.leave_config, self.cmds.user_prompt, answer_questions=True)
        self._pending = []

    def discard(self) -> None:
        self._pending = []

    def rollback(self) -> None:
        if self._before is None:
            raise TransportError("nothing to roll back: no commit id was recorded before the change")
        output = self._send(self.cmds.rollback_to.format(id=self._before), self.cmds.user_prompt, answer_questions=True)
        self._check(output, "rollback")

    def show(self, commands: list[str]) -> dict[str, str]:
        return netmiko_show(self.host, self.nornir_config, commands)


def netmiko_show(host: Any, nornir_config: Any, commands: list[str]) -> dict[str, str]:
    """Show commands over Nornir's netmiko connection (the platform's netmiko device type)."""
    conn = host.get_connection("netmiko", nornir_config)
    return {cmd: str(conn.send_command(cmd, read_timeout=60)) for cmd in commands}


def open_session(host: Any, nornir_config: Any, driver: MlagDriver) -> Session:
    """The session for a Nornir host of ``driver``'s platform."""
    if driver.cli_commit is not None:
        return CliCommitSession(host, nornir_config, driver)
    if driver.napalm_driver is None:
        raise TransportError(f"{driver.platform}: no transport (neither napalm driver nor CLI commit commands)")
    return NapalmSession(host, nornir_config, driver)
