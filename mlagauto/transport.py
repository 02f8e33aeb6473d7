"""Sessions: staging, diffing, committing and undoing a change on one switch, over Nornir's own
connections (``napalm`` and ``netmiko``).

napalm does the work where it covers the platform (NX-OS ``nxos_ssh`` / ``nxos``, EOS ``eos``,
Junos ``junos``). Huawei VRP V8 has no usable napalm driver (the community one implements neither
replace nor commit-confirm and does not import on Python 3.13), so ``CliCommitSession`` drives the
V8 two-stage commit over netmiko with the commands the platform's driver declares
(``MlagDriver.cli_commit``). Every session exposes the same small contract, so the deploy logic is
written once.

Every commit leaves a *handle* a later process can undo it by (the deploy journal records it):
the NX-OS checkpoint file, the EOS configure session, the Junos commit comment, the Huawei commit
id that preceded ours. Names this project creates start with ``mlagauto-`` (``TAG_PREFIX``), so a
later run cleans up its own leftovers and nobody else's.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from abc import ABC, abstractmethod
from typing import Any

from mlagauto.drivers.base import CliCommit, MlagDriver
from mlagauto.journal import TAG_PREFIX


class TransportError(Exception):
    """A device refused or failed an operation; the message says which and why."""


def diff_digest(diff: str) -> str:
    """A short digest of a change's diff, for the journal (the diff itself stays out of it)."""
    return hashlib.sha256(diff.strip().encode()).hexdigest()[:16]


class Session(ABC):
    """One switch, one change at a time."""

    supports_confirm = False
    """True where ``commit(confirm_timeout=...)`` reverts by itself unless ``confirm()`` follows."""
    handle: str | None = None
    """The handle of this session's own commit, set by ``prepare_commit``."""
    adopted: str | None = None
    """The handle of a commit a dead run made on this switch (``adopt``)."""
    tag: str = TAG_PREFIX.rstrip("-")
    """``mlagauto-<run>``: what this session's commits are named after."""

    def prepare_commit(self) -> str | None:
        """Fix the handle of the coming commit (before it happens, so the journal can hold it)."""
        return self.handle

    def adopt(self, handle: str | None) -> None:
        """Take over the handle of a commit a dead run made, so ``rollback``/``confirm`` act on it."""
        self.adopted = handle

    def clean_leftovers(self, own_diffs: set[str], keep: str | None = None) -> None:
        """Remove what a dead mlagauto run left uncommitted on the switch (only that): ``own_diffs``
        are the digests of the diffs that run journaled; ``keep`` is a handle to leave alone."""

    def finish(self) -> None:
        """Drop what the commit's handle keeps on the switch once the change is final."""

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

    def __init__(self, host: Any, nornir_config: Any, driver: MlagDriver, tag: str = TAG_PREFIX.rstrip("-")):
        self.host = host
        self.nornir_config = nornir_config
        self.driver = driver
        self.tag = tag
        self.device = host.get_connection("napalm", nornir_config)
        self.supports_confirm = driver.commit_style in ("session", "candidate")
        self._loads: list[str] = []
        self._diff = ""
        self._candidate_held = False
        """Junos: whether the shared candidate holds our loads right now (only inside commit)."""
        self._committed = False
        if driver.commit_style == "checkpoint":
            # napalm's NX-OS driver appends every merge to an in-memory candidate that only a
            # successful commit empties: on a connection Nornir kept open, a change whose commit
            # failed would be sent again, ahead of the next one. Its discard touches no device.
            self.device.discard_config()

    def get_running(self) -> str:
        return str(self.device.get_config(retrieve="running")["running"])

    def stage(self, config: str) -> None:
        """Load ``config``. An EOS configure session is named after the run, so a dead run's
        session is recognisable; the Junos shared candidate is loaded only for the diff and again
        at commit time, so between steps it never holds an uncommitted change of ours."""
        if self.driver.commit_style == "session" and self.device.config_session is None:
            self.device.config_session = self.handle = f"{self.tag}-{uuid.uuid4().hex[:6]}"
        try:
            self.device.load_merge_candidate(config=config)
        except Exception as exc:
            raise TransportError(f"loading the change failed: {exc}") from exc
        self._loads.append(config)
        self._candidate_held = True

    def diff(self) -> str:
        self._diff = str(self.device.compare_config() or "").strip()
        if self.driver.commit_style == "candidate":
            self.device.discard_config()
            self._candidate_held = False
        return self._diff

    def prepare_commit(self) -> str | None:
        if self.driver.commit_style == "checkpoint":
            self.device.rollback_cfg = self.handle = f"{self.tag}-{uuid.uuid4().hex[:6]}.txt"
        elif self.driver.commit_style == "candidate":
            self.handle = self.tag
        return self.handle

    def _reload_candidate(self) -> None:
        """Junos: load the change again and make sure it still changes exactly what was shown."""
        for config in self._loads:
            self.device.load_merge_candidate(config=config)
        self._candidate_held = True
        again = str(self.device.compare_config() or "").strip()
        if again != self._diff:
            raise TransportError("the configuration changed since the diff was taken; not committed")

    def commit(self, confirm_timeout: int | None = None) -> None:
        comment = {"message": self.handle or self.tag} if self.driver.commit_style == "candidate" else {}
        try:
            if self.driver.commit_style == "candidate" and not self._candidate_held:
                self._reload_candidate()
            if confirm_timeout and self.supports_confirm:
                self.device.commit_config(revert_in=confirm_timeout, **comment)
            else:
                self.device.commit_config(**comment)
        except Exception as exc:
            raise TransportError(f"commit failed: {exc}") from exc
        finally:
            self._committed = True  # a failed commit may still have applied part of the change
        self._candidate_held = False

    def confirm(self) -> None:
        """Confirm our pending commit and an adopted one (EOS confirms each session by name; on
        Junos one commit confirms whatever is pending)."""
        if not self.supports_confirm:
            return
        if self.driver.commit_style == "session":
            pending = self.device._get_pending_commits()  # napalm's own has_pending_commit reads it so
            for name in (self.handle, self.adopted):
                if name and name in pending:
                    self.device.config_session = name
                    self.device.confirm_commit()
        elif self.device.has_pending_commit():
            self.device.confirm_commit()

    def discard(self) -> None:
        """Drop our pending change; the shared Junos candidate only when it holds our loads, so
        someone else's uncommitted work is never thrown away."""
        if self.driver.commit_style != "candidate" or self._candidate_held:
            self.device.discard_config()
        self._candidate_held = False

    def rollback(self) -> None:
        """Undo our commit, or, where this session made none, the adopted one."""
        target = self.handle if self._committed else self.adopted
        try:
            if self.driver.commit_style == "candidate":
                self._junos_rollback()
                return
            if self.driver.commit_style == "session" and target:
                self.device.config_session = target
            elif self.driver.commit_style == "checkpoint" and target:
                self.device.rollback_cfg = target
            self.device.rollback()
        except TransportError:
            raise
        except Exception as exc:
            raise TransportError(f"rollback failed: {exc}") from exc

    def _junos_rollback(self) -> None:
        """Load the configuration that preceded the commit carrying our comment and commit it (a
        commit also ends a pending ``commit confirmed``)."""
        comment = (self.handle if self._committed else self.adopted) or self.tag
        history = str(self.device.cli(["show system commit"])["show system commit"])
        index = commit_index(history, comment)
        if index is None:
            raise TransportError(f"rollback failed: no commit with comment {comment!r} in 'show system commit'")
        cu = self.device.device.cu
        cu.lock()
        try:
            cu.rollback(rb_id=index + 1)
            cu.commit(comment=f"{comment} rollback")
        finally:
            cu.unlock()

    def clean_leftovers(self, own_diffs: set[str], keep: str | None = None) -> None:
        if self.driver.commit_style == "session":
            self._abort_eos_sessions(keep)
        elif self.driver.commit_style == "candidate":
            self._discard_own_candidate(own_diffs)

    def _abort_eos_sessions(self, keep: str | None) -> None:
        """Abort every open ``mlagauto-`` configure session but ``keep``: a pending one would make
        the next load fail with 'Session is already in use'; aborting one under a commit timer
        restores the configuration it replaced."""
        sessions = self.device._run_commands(["show configuration sessions"])[0]["sessions"]  # napalm's own lock check reads it so
        for name, info in sessions.items():
            if name.startswith(TAG_PREFIX) and name != keep and info.get("state") in ("pending", "pendingCommitTimer"):
                self.device._run_commands([f"configure session {name} abort"], encoding="text")

    def _discard_own_candidate(self, own_diffs: set[str]) -> None:
        """A modified Junos candidate is discarded only when it holds exactly a change a dead
        mlagauto run journaled; anyone else's uncommitted work is reported and kept."""
        diff = str(self.device.compare_config() or "").strip()
        if not diff:
            return
        if diff_digest(diff) not in own_diffs:
            raise TransportError("the candidate configuration holds uncommitted changes no mlagauto run made; not discarded (review them with 'show | compare')")
        self.device.discard_config()

    def finish(self) -> None:
        """NX-OS: delete the checkpoint files (ours and an adopted one) once the change is final."""
        if self.driver.commit_style == "checkpoint":
            for name in {n for n in (self.handle, self.adopted) if n}:
                self.device._delete_file(name)

    def show(self, commands: list[str]) -> dict[str, str]:
        return netmiko_show(self.host, self.nornir_config, commands)


class CliCommitSession(Session):
    """The two-stage commit over netmiko: enter the configuration view, send the lines, read the
    candidate diff, commit, and undo by rolling back to the commit id that preceded ours.

    netmiko's own config-mode helpers for this platform wait for two seconds of silence per call;
    every read here waits for the platform's prompt instead, so a push takes milliseconds of
    overhead rather than seconds."""

    def __init__(self, host: Any, nornir_config: Any, driver: MlagDriver, tag: str = TAG_PREFIX.rstrip("-")):
        if driver.cli_commit is None:
            raise TransportError(f"{driver.platform} declares no CLI commit commands")
        self.host = host
        self.nornir_config = nornir_config
        self.driver = driver
        self.tag = tag
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

    def prepare_commit(self) -> str | None:
        self._before = self.handle = self._newest_commit()
        return self.handle

    def commit(self, confirm_timeout: int | None = None) -> None:
        if self._before is None:
            self.prepare_commit()
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
        target = self._before if self._before is not None else self.adopted
        if target is None:
            raise TransportError("nothing to roll back: no commit id was recorded before the change")
        output = self._send(self.cmds.rollback_to.format(id=target), self.cmds.user_prompt, answer_questions=True)
        self._check(output, "rollback")

    def show(self, commands: list[str]) -> dict[str, str]:
        return netmiko_show(self.host, self.nornir_config, commands)


def netmiko_show(host: Any, nornir_config: Any, commands: list[str]) -> dict[str, str]:
    """Show commands over Nornir's netmiko connection (the platform's netmiko device type)."""
    conn = host.get_connection("netmiko", nornir_config)
    return {cmd: str(conn.send_command(cmd, read_timeout=60)) for cmd in commands}


def commit_index(history: str, comment: str) -> int | None:
    """The rollback number of the newest commit whose comment is ``comment`` in Junos ``show
    system commit`` output (each entry's comment is on the indented line below it)."""
    current: int | None = None
    for line in history.splitlines():
        numbered = re.match(r"^(\d+)\s", line)
        if numbered:
            current = int(numbered.group(1))
        elif current is not None and line.strip() == comment:
            return current
    return None


def open_session(host: Any, nornir_config: Any, driver: MlagDriver, tag: str | None = None) -> Session:
    """The session for a Nornir host of ``driver``'s platform; ``tag`` (``mlagauto-<run>``) names
    what its commits leave on the switch."""
    tag = tag or TAG_PREFIX.rstrip("-")
    if driver.cli_commit is not None:
        return CliCommitSession(host, nornir_config, driver, tag)
    if driver.napalm_driver is None:
        raise TransportError(f"{driver.platform}: no transport (neither napalm driver nor CLI commit commands)")
    return NapalmSession(host, nornir_config, driver, tag)
