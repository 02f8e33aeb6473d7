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
import http.client
import re
import select
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

from mlagauto.drivers.base import CliCommit, MlagDriver
from mlagauto.journal import TAG_PREFIX


class TransportError(Exception):
    """A device refused or failed an operation; the message says which and why."""


QUESTION = r"\[Y/N\]:|\[Y\(yes\)/N\(no\)/C\(cancel\)\]:"
"""The platforms' confirmation questions, which end an output without a prompt."""
_ASKED = re.compile(rf"(?:{QUESTION})\s*$")

BLOCK_LINES = 64
BLOCK_CHARS = 4096
"""Lines are written in blocks of at most this size: a switch reads typed-ahead lines from a finite
input buffer, so a long change goes in a few blocks, each answered before the next is written."""

ECHO_CHARS = 40
"""The answer to a block is recognised by the echo of its first line, up to this many characters
(a switch may wrap or scroll a longer line as it echoes it)."""


class Cli:
    """A command-line exchange over a netmiko connection that waits for the device, not for time.

    netmiko verifies the echo of every configuration line before it writes the next one and, for a
    command without an expected pattern, first sends a bare return and sleeps to learn the prompt;
    against a switch that answers in milliseconds those waits are most of a deploy. Here the lines
    of a change are written as a block, the reader sleeps in ``select`` on the SSH channel until
    data arrives, and a block is complete once the device has echoed its first line, printed one
    prompt per line written after that echo, and ends on a prompt. The whole output is returned,
    so the caller still finds every error message a refused line printed.

    ``prompt`` matches one prompt anywhere in the output; by default the connection's base prompt
    (the host name netmiko read at login) in any mode: ``nx1#``, ``nx1(config-if)#``,
    ``<CE1>``, ``[~CE1-Eth-Trunk1]``, ``user@qfx1>``."""

    def __init__(self, conn: Any, prompt: str | None = None):
        self.conn = conn
        if prompt is None:
            prompt = rf"[<\[]?[~*]?(?:[\w.-]+@)?{re.escape(str(conn.base_prompt).strip())}[^\s#>$%\]]*[#>$%\]]"
        self.prompt = re.compile(prompt)

    def _wait(self, timeout: float) -> None:
        channel = getattr(self.conn, "remote_conn", None)
        try:
            select.select([channel], [], [], timeout)
        except (TypeError, ValueError, OSError):  # a channel without a file descriptor (telnet, serial)
            time.sleep(min(timeout, 0.01))

    def _closed(self) -> bool:
        """Whether the SSH channel has ended (the switch dropped or closed the session): nothing
        more will come, so waiting out the timeout would only delay the rollback."""
        channel = getattr(self.conn, "remote_conn", None)
        if getattr(channel, "closed", False) or getattr(channel, "eof_received", False):
            return not channel.recv_ready()
        if not hasattr(channel, "get_transport"):
            return False
        transport = channel.get_transport()
        return transport is None or not transport.is_active()

    def _ends_on_prompt(self, output: str) -> bool:
        last = output[output.rfind("\n") + 1 :].rstrip()
        return bool(last) and any(m.end() == len(last) for m in self.prompt.finditer(last))

    def send(self, lines: Sequence[str], timeout: float = 120) -> tuple[str, bool]:
        """Write ``lines`` (in blocks) and read until each has been answered. Returns the output
        and whether it stopped at a confirmation question (the lines written after the question
        are then the device's to interpret: the caller must not go on)."""
        output = ""
        start = 0
        while start < len(lines):
            end, size = start, 0
            while end < len(lines) and end - start < BLOCK_LINES and (end == start or size + len(lines[end]) < BLOCK_CHARS):
                size += len(lines[end]) + 1
                end += 1
            text, asked = self._block(lines[start:end], timeout)
            output += text
            if asked:
                return output, True
            start = end
        return output, False

    def _block(self, lines: Sequence[str], timeout: float) -> tuple[str, bool]:
        """Write one block and read its answer. The answer starts at the echo of the block's first
        line (as netmiko's own reads do): a prompt that arrives before it belongs to an earlier
        exchange (a slow switch still answering the returns netmiko sent at login to find the
        prompt) and is neither counted nor returned."""
        conn = self.conn
        timeout = getattr(conn, "read_timeout_override", None) or timeout  # netmiko's setting for every read
        conn.read_channel()  # whatever an earlier exchange left unread is not this block's answer
        conn.write_channel("".join(line + conn.RETURN for line in lines))
        deadline = time.monotonic() + timeout
        echo = lines[0].strip()[:ECHO_CHARS]
        output, seen, scanned, begun = "", 0, 0, not echo
        while True:
            chunk = conn.read_channel()
            if chunk:
                output += chunk
                if not begun:
                    at = output.find(echo)
                    if at < 0:
                        continue
                    output, begun = output[at:], True
                for m in self.prompt.finditer(output, scanned):
                    seen += 1
                    scanned = m.end()
                if seen >= len(lines) and self._ends_on_prompt(output):
                    return output, False
                if _ASKED.search(output[-200:]):
                    return output, True
                continue
            if self._closed():
                raise TransportError(f"the switch closed the session after {lines[-1].strip()!r} (last output: {output[-200:]!r})")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransportError(f"no prompt after {lines[-1].strip()!r} within {timeout:g} s (last output: {output[-200:]!r})")
            self._wait(min(remaining, 1.0))

    def command(self, command: str, timeout: float = 60) -> str:
        """One command's output without its echo and the trailing prompt (as netmiko's
        ``send_command`` returns it)."""
        output, _ = self.send([command], timeout)
        return str(self.conn._sanitize_output(output, strip_command=True, command_string=command + self.conn.RETURN, strip_prompt=True))


def cli_show(conn: Any, commands: list[str]) -> dict[str, str]:
    """Each show command's output over ``conn`` (a netmiko connection), read by its ``Cli``."""
    cli = cli_of(conn)
    return {cmd: cli.command(cmd, timeout=60) for cmd in commands}


def cli_of(conn: Any) -> Cli:
    """The connection's ``Cli``, made once (its prompt is the one netmiko found at login)."""
    cli = getattr(conn, "_mlagauto_cli", None)
    if cli is None or cli.conn is not conn:
        cli = Cli(conn)
        conn._mlagauto_cli = cli
    return cli


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
        if getattr(self.device, "platform", None) == "nxos_ssh":
            _prompt_driven_nxos_ssh(self.device)
        _netconf_sends_at_once(self.device)
        _eapi_kept_open(self.device)
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
        """Over napalm's own SSH session where the driver has one (``nxos_ssh``), else over
        Nornir's netmiko connection."""
        conn = getattr(self.device, "device", None) if getattr(self.device, "platform", None) == "nxos_ssh" else None
        if conn is not None:
            return cli_show(conn, commands)
        return netmiko_show(self.host, self.nornir_config, commands)


def _prompt_driven_nxos_ssh(device: Any) -> None:
    """Route napalm ``nxos_ssh``'s command I/O through ``Cli``; napalm's own logic (checkpoint,
    merge, the ``Invalid command`` check with its automatic rollback, the rollback's
    ``completed`` check, file checks) is untouched and reads the same outputs. netmiko's
    ``send_config_set`` waits for the echo of each line, ``send_command`` first looks the prompt
    up with a bare return and fixed sleeps: together seconds per commit."""
    if getattr(device, "_mlagauto_cli", False):
        return
    conn = device.device
    send_command = device._send_command

    def command(command: str, raw_text: bool = False, cmd_verify: bool = True) -> str:
        if not cmd_verify or not command.strip():
            return str(send_command(command, raw_text=raw_text, cmd_verify=cmd_verify))
        return cli_of(conn).command(command, timeout=100)

    def command_list(commands: list[str], expect_string: str | None = None, **kwargs: Any) -> str:
        output, asked = cli_of(conn).send(list(commands), timeout=float(kwargs.get("read_timeout", 100)))
        if asked:
            raise TransportError(f"the switch asked a question: {output.strip().splitlines()[-1]}")
        return output

    def config(commands: str | list[str]) -> str:
        lines = [c for c in commands.splitlines() if c] if isinstance(commands, str) else list(commands)
        return command_list(["configure terminal", *lines, "end"])

    def copy_run_start() -> bool:
        output = command_list(["copy running-config startup-config"])
        if "complete" not in output.lower():
            raise TransportError("Unable to save running-config to startup-config!")
        return True

    device._send_command = command
    device._send_command_list = command_list
    device._send_config = config
    device._copy_run_start = copy_run_start
    device._mlagauto_cli = True


def _eapi_kept_open(device: Any) -> None:
    """Keep the HTTP connection of napalm ``eos`` (pyeapi) open from one eAPI request to the next.
    pyeapi closes it when each request returns, so every request of a deploy (a dozen per switch)
    opened a new TCP connection, and over HTTPS made a new TLS handshake. eAPI's server keeps
    HTTP/1.1 connections alive. A connection the switch closed meanwhile (its idle timer) reads as
    closed before the next request is written and is opened again then, as urllib3's pool does:
    a request is never written twice. A request that fails leaves no connection behind."""
    connection = getattr(getattr(device, "device", None), "connection", None)
    transport = getattr(connection, "transport", None)
    if not isinstance(transport, http.client.HTTPConnection) or getattr(connection, "_mlagauto_kept_open", False):
        return
    send, close = connection.send, transport.close

    def send_kept_open(data: Any) -> Any:
        if transport.sock is not None and _closed_by_peer(transport.sock):
            close()
        transport.close = _keep_open  # what pyeapi's send calls when the request returns
        try:
            return send(data)
        except BaseException:
            close()
            raise
        finally:
            del transport.close

    connection.send = send_kept_open
    connection.close = close  # napalm's close() closes a connection that has a close()
    connection._mlagauto_kept_open = True


def _keep_open() -> None:
    """Stands in for the transport's close() while pyeapi sends a request."""


def _closed_by_peer(sock: Any) -> bool:
    """True when an idle connection's socket is readable: the peer closed it (or sent what no
    request asked for), so it cannot carry the next request."""
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):  # closed or invalid file descriptor
        return True


def _netconf_sends_at_once(device: Any) -> None:
    """Make the NETCONF session of napalm ``junos`` (PyEZ over ncclient) write each RPC when it is
    made. ncclient queues an RPC for its reader thread, which looks at the queue only between
    waits of 0.1 s for incoming data: every RPC of a deploy (lock, load, compare, commit, unlock,
    get-config...) waits up to that tick before it leaves, a large part of a Junos deploy. The RPC
    is framed as that thread would frame it and written from the caller's thread (the reader
    thread keeps reading; only writes are serialised here)."""
    session = getattr(getattr(getattr(device, "device", None), "_conn", None), "_session", None)
    if session is None or getattr(session, "_mlagauto_send", False) or not hasattr(session, "_transport_write"):
        return
    try:
        from ncclient.transport.errors import SessionCloseError, TransportError as NetconfTransportError
        from ncclient.transport.session import END_DELIM, MSG_DELIM, NetconfBase
    except ImportError:  # a different ncclient: keep its own sending
        return
    lock = threading.Lock()

    def send(message: str) -> None:
        if not session.connected:
            raise NetconfTransportError("Not connected to NETCONF server")
        data = message.encode()
        data = b"\n#%i\n%s%s" % (len(data), data, END_DELIM) if session._base == NetconfBase.BASE_11 else data + MSG_DELIM
        with lock:
            while data:
                n = session._transport_write(data)
                if n <= 0:
                    raise SessionCloseError(session._buffer.getvalue(), data)
                data = data[n:]

    session.send = send
    session._mlagauto_send = True


class CliCommitSession(Session):
    """The two-stage commit over netmiko: enter the configuration view, send the lines, read the
    candidate diff, commit, and undo by rolling back to the commit id that preceded ours.

    The lines go as blocks (``Cli``) and every read waits for the platform's prompt, so a push
    takes milliseconds of overhead rather than netmiko's per-line echo waits or its config-mode
    helpers' two seconds of silence per call. The whole output of a load is checked for the
    platform's error markers, so one refused line fails the load.

    The candidate is private to the CLI session: loaded once for the diff, it stays in the
    configuration view until ``commit`` commits exactly what the diff showed, or ``discard``
    clears it. A session that dies in between takes its candidate with it."""

    def __init__(self, host: Any, nornir_config: Any, driver: MlagDriver, tag: str = TAG_PREFIX.rstrip("-")):
        if driver.cli_commit is None:
            raise TransportError(f"{driver.platform} declares no CLI commit commands")
        self.host = host
        self.nornir_config = nornir_config
        self.driver = driver
        self.tag = tag
        self.cmds: CliCommit = driver.cli_commit
        self.conn = host.get_connection("netmiko", nornir_config)
        self._config_re = re.compile(self.cmds.config_prompt)
        self._user_re = re.compile(self.cmds.user_prompt)
        self.cli = Cli(self.conn, prompt=f"(?:{_unanchored(self.cmds.config_prompt)})|(?:{_unanchored(self.cmds.user_prompt)})")
        self._pending: list[str] = []
        self._loaded = 0
        """How many of ``_pending`` the candidate holds (0: the session is in the user view)."""
        self._before: str | None = None
        """Newest commit id before our commit: rolling back to it undoes ours."""

    def _send(self, command: str, prompt: re.Pattern[str] | None, answer_questions: bool = False) -> str:
        """One command; ``prompt`` is the view it must leave the session in (None: either)."""
        output, asked = self.cli.send([command], timeout=60)
        if asked and answer_questions:
            more, asked = self.cli.send([self.cmds.confirm_answer], timeout=60)
            output += more
        if asked:
            raise TransportError(f"{command!r} asked a question: {output.strip().splitlines()[-1]}")
        if prompt is not None:
            last = output.rstrip().rsplit("\n", 1)[-1].strip()
            if not prompt.search(last):
                raise TransportError(f"{command!r} left the session at {last!r}, not the expected view")
        return output

    def _check(self, output: str, what: str) -> None:
        for marker in self.cmds.error_markers:
            if marker in output:
                line = next((ln.strip() for ln in output.splitlines() if marker in ln), marker)
                raise TransportError(f"{what} failed: {line}")

    def get_running(self) -> str:
        return self.cli.command(self.cmds.show_running, timeout=60)

    def stage(self, config: str) -> None:
        self._pending += [line.rstrip() for line in config.splitlines() if line.strip() and line.strip() not in ("#", "return")]

    def _load(self) -> None:
        """Load ``_pending`` into a fresh candidate; a refused line (or a question the load
        cannot answer) clears the candidate again and fails the load."""
        if self._loaded:
            if self._loaded == len(self._pending):
                return
            self._clear()
        self._send(self.cmds.enter_config, self._config_re)
        self._loaded = len(self._pending)
        try:
            output, asked = self.cli.send(self._pending, timeout=120)
            if asked:
                self.cli.send(["n"], timeout=60)
                raise TransportError(f"loading the change failed: a line asked a question: {output.strip().splitlines()[-1]}")
            self._check(output, "loading the change")
        except TransportError:
            self._clear()
            raise

    def _clear(self) -> None:
        """Drop the candidate and go back to the user view."""
        self._loaded = 0
        self._send(self.cmds.discard, self._config_re, answer_questions=True)
        self._send(self.cmds.leave_config, self._user_re, answer_questions=True)

    def diff(self) -> str:
        if not self._pending:
            return ""
        self._load()
        try:
            text = self._send(self.cmds.show_candidate_diff, self._config_re)
        except Exception:
            quietly(self._clear)
            raise
        lines = [ln for ln in text.splitlines()[1:] if ln.strip() and not self._config_re.fullmatch(ln.strip())]
        return "\n".join(lines).strip() if any(ln.startswith(("+", "-")) for ln in lines) else ""

    def _newest_commit(self) -> str | None:
        listing = self._send(self.cmds.list_commits, self._config_re if self._loaded else self._user_re)
        found = re.findall(self.cmds.commit_id_pattern, listing, flags=re.M)
        return found[0] if found else None

    def prepare_commit(self) -> str | None:
        self._before = self.handle = self._newest_commit()
        return self.handle

    def commit(self, confirm_timeout: int | None = None) -> None:
        if self._before is None:
            self.prepare_commit()
        self._load()
        output = self._send(self.cmds.commit, None)
        try:
            self._check(output, "commit")
        except TransportError:
            self._clear()
            raise
        self._loaded = 0
        self._send(self.cmds.leave_config, self._user_re, answer_questions=True)
        self._pending = []

    def discard(self) -> None:
        try:
            if self._loaded:
                self._clear()
        finally:
            self._pending = []
            self._loaded = 0

    def rollback(self) -> None:
        target = self._before if self._before is not None else self.adopted
        if target is None:
            raise TransportError("nothing to roll back: no commit id was recorded before the change")
        if self._loaded:
            quietly(self._clear)
        output = self._send(self.cmds.rollback_to.format(id=target), self._user_re, answer_questions=True)
        self._check(output, "rollback")

    def show(self, commands: list[str]) -> dict[str, str]:
        return netmiko_show(self.host, self.nornir_config, commands)


def _unanchored(pattern: str) -> str:
    """A prompt regex of the driver (``...\\s*$``) that matches one prompt anywhere in an output:
    the end anchor dropped and every negated class kept within one line."""
    return re.sub(r"(?:\\s\*)?\$$", "", pattern).replace("[^", "[^\\n")


def quietly(action: Callable[[], Any]) -> None:
    """Run a clean-up step whose own failure must not replace the failure being handled."""
    try:
        action()
    except Exception:  # cleaning up after a failure must not hide the failure
        pass


def netmiko_show(host: Any, nornir_config: Any, commands: list[str]) -> dict[str, str]:
    """Show commands over Nornir's netmiko connection (the platform's netmiko device type), each
    read up to the prompt netmiko found at login rather than one it looks up again per command."""
    return cli_show(host.get_connection("netmiko", nornir_config), commands)


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
