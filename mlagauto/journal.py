"""The deploy journal and the pair locks: what lets a deploy survive its own death.

Every run appends one JSON object per line to ``backups/<run>/journal.jsonl`` and makes it durable
before the step it announces, so a later run can tell, for each pair, how far a dead run got and
what it left on the switches (the backup file, the platform's commit handle). A pair whose
entries end without ``done`` is unfinished: the next deploy restores it to its backup (or, with
``--resume``, finishes it) before anything else.

A pair is deployed by one run at a time: ``backups/.locks/<pair>.lock`` names the holder (pid,
host, run, start time). A lock whose pid is gone on this machine is stale and taken over.

Test hook: ``MLAGAUTO_TEST_PAUSE_AFTER=<phase>[:<host>]`` makes a deploy print
``MLAGAUTO_TEST_PAUSED <phase> <host>`` to stderr once that step has completed and then wait, so
a test can kill the process exactly at a phase boundary.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BACKUP, STAGED, COMMITTED, VALIDATED, CONFIRMED, ROLLED_BACK, DONE = "backup", "staged", "committed", "validated", "confirmed", "rolled-back", "done"
JOURNAL = "journal.jsonl"
LOCKS = ".locks"
TAG_PREFIX = "mlagauto-"
"""Prefix of every EOS configure session, Junos commit comment and NX-OS checkpoint this project
creates, so a later run can tell its own leftovers from anyone else's."""
PAUSE_ENV = "MLAGAUTO_TEST_PAUSE_AFTER"


class JournalError(Exception):
    """The journal or a lock could not be written or read; the message names the file."""


class PairLocked(Exception):
    """Another live run holds the pair; the message names the holder."""


def _fsync_dir(path: Path) -> None:
    """Make a new directory entry (file created or renamed into ``path``) survive a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file, fsynced, renamed over."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


LATEST = "latest"
"""``backups/latest``: a relative symlink to the newest run's directory (``mlagauto audit -i INV
--configs backups/latest`` reads the running configs that run saved)."""


def new_run(root: Path) -> tuple[str, Path]:
    """A fresh run id (UTC timestamp, suffixed when two runs start in the same second) and its
    directory under ``root``, created.

    ``root/latest`` is then pointed at the new directory (a relative symlink, so the backups
    folder can be moved or copied whole). The link is replaced atomically: a temporary symlink is
    created beside it and renamed over it with ``os.replace``, so a reader always finds either the
    previous run or this one, never a missing or half-made link. Where symlinks cannot be made
    (Windows without the privilege, file systems without them) ``latest`` is skipped silently;
    the run itself never fails because of it. A ``latest`` that is not a symlink (a real file or
    folder someone put there) is left alone."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1000):
        run = stamp if n == 0 else f"{stamp}-{n}"
        try:
            (root / run).mkdir()
        except FileExistsError:
            continue
        _point_latest(root, run)
        _fsync_dir(root)
        return run, root / run
    raise JournalError(f"{root}: cannot create a run directory for {stamp}")


def _point_latest(root: Path, run: str) -> None:
    """Point ``root/latest`` at ``run`` atomically (see ``new_run``); silently skipped where
    symlinks are unavailable or ``latest`` is not a symlink."""
    link = root / LATEST
    if link.exists() and not link.is_symlink():
        return
    tmp = root / f".{LATEST}.{os.getpid()}.{run}.tmp"
    try:
        tmp.unlink(missing_ok=True)
        os.symlink(run, tmp, target_is_directory=True)
    except (OSError, NotImplementedError, AttributeError):
        return
    try:
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)


class Journal:
    """The append-only journal of one run. Lines are appended with one ``write`` on an
    ``O_APPEND`` descriptor (so pairs running in threads never interleave) and fsynced without
    a lock, so parallel pairs share the disk flushes instead of queueing for them."""

    def __init__(self, directory: Path, run: str):
        self.run = run
        self.path = directory / JOURNAL
        created = not self.path.exists()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            if created:
                _fsync_dir(directory)
        except OSError as exc:
            raise JournalError(f"{self.path}: cannot open the journal: {exc}") from exc

    def record(self, pair: str, host: str | None, phase: str, **fields: Any) -> None:
        """Append one entry and make it durable before the caller takes the step."""
        entry = {"run": self.run, "pair": pair, "host": host, "phase": phase, "time": time.time(), **{k: v for k, v in fields.items() if v is not None}}
        line = (json.dumps(entry, sort_keys=True) + "\n").encode()
        try:
            os.write(self._fd, line)
            os.fsync(self._fd)
        except OSError as exc:
            raise JournalError(f"{self.path}: cannot write the journal: {exc}") from exc

    @contextmanager
    def step(self, pair: str, host: str | None, phase: str, **fields: Any) -> Iterator[None]:
        """Record ``phase`` durably, run the step (the ``with`` body), then honour the test hook."""
        self.record(pair, host, phase, **fields)
        yield
        pause_if_asked(phase, host)

    def close(self) -> None:
        os.close(self._fd)


def pause_if_asked(phase: str, host: str | None) -> None:
    """The kill-point test hook (see the module docstring); a no-op unless the variable is set."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    want_phase, _, want_host = wanted.partition(":")
    if want_phase == phase and (not want_host or want_host == host):
        print(f"MLAGAUTO_TEST_PAUSED {phase} {host or '-'}", file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)


def read_journal(path: Path) -> list[dict[str, Any]]:
    """The entries of one journal. A torn last line (the writer died mid-write) is dropped: the
    step it announced was never started."""
    entries: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise JournalError(f"{path}: cannot read the journal: {exc}") from exc
    for number, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines):
                break
            raise JournalError(f"{path}:{number}: not a journal entry: {exc.msg}") from exc
        if not isinstance(entry, dict) or not {"run", "pair", "phase"} <= entry.keys():
            raise JournalError(f"{path}:{number}: a journal entry needs run, pair and phase")
        entries.append(entry)
    return entries


@dataclass
class HostRecord:
    """What a run journaled about one host: its furthest phase and the facts recovery needs."""

    host: str
    phases: list[str] = field(default_factory=list)
    backup: str | None = None
    handle: str | None = None
    """The platform's commit handle: NX-OS checkpoint file, EOS configure session, Junos commit
    comment, Huawei commit id before ours."""
    diff_sha: str | None = None
    """Digest of the change's diff, to recognise this run's own uncommitted Junos candidate."""

    @property
    def committed(self) -> bool:
        """A commit was at least started: the switch may run the change."""
        return COMMITTED in self.phases

    @property
    def confirmed(self) -> bool:
        return CONFIRMED in self.phases


@dataclass
class PairRecord:
    """One pair's part of a run's journal."""

    run: str
    pair: str
    directory: Path
    hosts: dict[str, HostRecord] = field(default_factory=dict)
    phases: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return DONE in self.phases


def pair_records(directory: Path) -> dict[str, PairRecord]:
    """The per-pair view of the journal in run directory ``directory``."""
    records: dict[str, PairRecord] = {}
    for entry in read_journal(directory / JOURNAL):
        record = records.setdefault(entry["pair"], PairRecord(entry["run"], entry["pair"], directory))
        record.phases.append(entry["phase"])
        host = entry.get("host")
        if not host:
            continue
        item = record.hosts.setdefault(host, HostRecord(host))
        item.phases.append(entry["phase"])
        for key in ("backup", "handle", "diff_sha"):
            if entry.get(key):
                setattr(item, key, entry[key])
    return records


def _run_dirs(root: Path) -> list[Path]:
    """The run directories under ``root`` with a journal, newest first; the ``latest`` symlink is
    not a run of its own."""
    return sorted((p for p in root.iterdir() if not p.is_symlink() and (p / JOURNAL).is_file()), key=lambda p: p.name, reverse=True)


def unfinished(root: Path, pairs: list[str]) -> dict[str, PairRecord]:
    """For each of ``pairs``, the newest run under ``root`` that journaled it without finishing."""
    found: dict[str, PairRecord] = {}
    if not root.is_dir():
        return found
    for directory in _run_dirs(root):
        for pair, record in pair_records(directory).items():
            if pair in pairs and pair not in found and not record.finished:
                found[pair] = record
        if len(found) == len(pairs):
            break
    return found


def newest_unfinished_run(root: Path) -> str | None:
    """The newest run under ``root`` with a pair left unfinished."""
    if not root.is_dir():
        return None
    for directory in _run_dirs(root):
        if any(not r.finished for r in pair_records(directory).values()):
            return directory.name
    return None


# --- pair locks ----------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(holder: dict[str, Any]) -> str:
    since = datetime.fromtimestamp(float(holder.get("started", 0)), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"pid {holder.get('pid')} on {holder.get('hostname')} (run {holder.get('run')}, since {since})"


class PairLock:
    """``backups/.locks/<pair>.lock``. The file appears atomically with its whole content (written
    to a private file, then hard-linked into place, which fails like ``O_EXCL`` when the lock
    exists), so a reader never sees a half-written holder."""

    def __init__(self, root: Path, pair: str, run: str):
        self.path = root / LOCKS / f"{pair}.lock"
        self.pair = pair
        self.run = run
        self.held = False

    def acquire(self) -> None:
        """Take the lock, taking over a stale one; ``PairLocked`` names a live holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        me = {"pid": os.getpid(), "hostname": socket.gethostname(), "run": self.run, "started": time.time()}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{id(self)}")
        tmp.write_text(json.dumps(me), encoding="utf-8")
        try:
            for _ in range(2):
                try:
                    os.link(tmp, self.path)
                    _fsync_dir(self.path.parent)
                    self.held = True
                    return
                except FileExistsError:
                    holder = self._holder()
                    if holder is not None and not self._stale(holder):
                        raise PairLocked(f"{self.pair}: another deploy holds the pair: {_describe(holder)}; lock file {self.path}") from None
                    self.path.unlink(missing_ok=True)
            raise PairLocked(f"{self.pair}: the lock {self.path} was taken while a stale one was cleared")
        finally:
            tmp.unlink(missing_ok=True)

    def _holder(self) -> dict[str, Any] | None:
        """The recorded holder; None when the file vanished or is not a lock this project wrote."""
        try:
            holder = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return holder if isinstance(holder, dict) and isinstance(holder.get("pid"), int) else None

    @staticmethod
    def _stale(holder: dict[str, Any]) -> bool:
        """Stale: the holder ran on this machine and its process is gone. A holder on another
        machine cannot be checked from here and is never taken over."""
        return holder.get("hostname") == socket.gethostname() and not _pid_alive(int(holder["pid"]))

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False
