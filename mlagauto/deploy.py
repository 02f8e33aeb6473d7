"""Pair-aware rolling deploy.

Pairs run in parallel; the two peers of a pair go one at a time, the secondary first:

1. read both running configs (twice: a backup is accepted only when both reads agree and the
   driver can read it) and save them to ``backups/<run>/<host>.cfg``;
2. plan each change (render + stale removals) and audit the *predicted* pair, the running configs
   with the change applied: a change that would leave the pair inconsistent is never pushed;
3. commit the secondary (with commit-confirm where the platform has it), check it took the intent
   (no drift), then the primary, then validate the live pair until it settles;
4. on any failure roll back what that pair changed, newest first, and prove it by reading the
   running configs again; other pairs are untouched. Commit-confirmed changes are confirmed only
   once the whole pair validated, so a lost session reverts by itself.

Each run journals every step before taking it (``mlagauto.journal``) and holds a lock per pair. A
pair a dead run left unfinished is first restored to that run's verified backups (or, with
``resume``, finished) before the pair is deployed again.

A second deploy of the same intent finds no diff and changes nothing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlagauto.changes import Change, plan_change
from mlagauto.checks import audit_pair, drift, validate_pair
from mlagauto.drivers import get_driver
from mlagauto.drivers.base import MlagDriver
from mlagauto.model.finding import Finding, Severity
from mlagauto.model.intent import Fabric, MlagDomain
from mlagauto.model.peer_config import PeerConfig
from mlagauto.journal import (
    BACKUP,
    COMMITTED,
    CONFIRMED,
    DONE,
    ROLLED_BACK as JOURNAL_ROLLED_BACK,
    STAGED,
    TAG_PREFIX,
    VALIDATED,
    Journal,
    JournalError,
    PairLock,
    PairLocked,
    PairRecord,
    new_run,
    pair_records,
    unfinished,
    write_durably,
)
from mlagauto.transport import Session, diff_digest, netmiko_show, open_session, quietly

OK, UNCHANGED, DRY_RUN, BLOCKED, ROLLED_BACK, FAILED = "ok", "unchanged", "dry-run", "blocked", "rolled-back", "failed"


@dataclass
class HostOutcome:
    host: str
    diff: str = ""
    committed: bool = False
    rolled_back: bool = False
    backup: str | None = None
    error: str | None = None


@dataclass
class PairOutcome:
    domain: str
    hosts: list[str]
    status: str = UNCHANGED
    message: str = ""
    outcomes: dict[str, HostOutcome] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    device_failure: bool = False
    """A device or connection failed (as opposed to findings stopping the pair)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "hosts": self.hosts,
            "status": self.status,
            "message": self.message,
            "device_failure": self.device_failure,
            "changes": {h: {"diff": o.diff, "committed": o.committed, "rolled_back": o.rolled_back, "backup": o.backup, "error": o.error} for h, o in self.outcomes.items()},
            "findings": [f.model_dump(mode="json") for f in self.findings],
        }


@dataclass
class DeployOptions:
    dry_run: bool = False
    backup_root: Path = Path("backups")
    confirm_timeout: int = 300
    """Seconds before a commit-confirmed change reverts by itself (EOS, Junos)."""
    settle_attempts: int = 50
    settle_interval: float = 0.2
    """The live pair is polled this often until it validates (short intervals: a pair that
    settles at once is not kept waiting, one that takes a while gets the same ten seconds)."""
    workers: int = 8
    """Pairs deployed at once."""
    resume: bool = False
    """Finish a pair a dead run left unfinished instead of restoring it to its backup first."""


class PairFailed(Exception):
    """Stop this pair: roll back what it changed."""

    def __init__(self, message: str, findings: list[Finding] | None = None, device: bool = False):
        super().__init__(message)
        self.findings = findings or []
        self.device = device
        """True when a device or connection failed (exit code 3), False for findings (exit 1)."""


def deploy_fabric(
    nr: Any,
    fabric: Fabric,
    options: DeployOptions | None = None,
    limit: list[str] | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> list[PairOutcome]:
    """Deploy every domain (or those named in ``limit``) of ``fabric`` through Nornir ``nr``."""
    opts = options or DeployOptions()
    domains = [d for d in fabric.domains if not limit or d.name in limit]
    report = progress or (lambda _domain, _status: None)
    leftovers = unfinished(opts.backup_root, [d.name for d in domains])
    if opts.dry_run:
        run, run_dir = "dry-run", opts.backup_root
        journal: Journal = _DryRunJournal()
    else:
        run, run_dir = new_run(opts.backup_root)
        journal = Journal(run_dir, run)

    def one(domain: MlagDomain) -> PairOutcome:
        return _locked(opts.backup_root, domain, run, lambda: _recover_then_deploy(nr, domain, opts, run_dir, journal, leftovers.get(domain.name), report))

    try:
        with ThreadPoolExecutor(max_workers=max(1, min(opts.workers, len(domains) or 1))) as pool:
            return list(pool.map(one, domains))
    finally:
        journal.close()


def rollback_run(nr: Any, fabric: Fabric, backup_root: Path, run: str, limit: list[str] | None = None, progress: Callable[[str, str], None] | None = None) -> list[PairOutcome]:
    """Restore every pair run ``run`` left unfinished (or those in ``limit``) to that run's
    verified backups, as a deploy does first by default."""
    report = progress or (lambda _domain, _status: None)
    records = {name: r for name, r in pair_records(backup_root / run).items() if not r.finished and (not limit or name in limit)}
    outcomes = []
    for domain in (d for d in fabric.domains if d.name in records):
        outcomes.append(_locked(backup_root, domain, run, lambda d=domain: _restore_pair(nr, d, _fresh(records[d.name]), report)))
    return outcomes


def _locked(root: Path, domain: MlagDomain, run: str, body: Callable[[], PairOutcome]) -> PairOutcome:
    """Run ``body`` holding the pair's lock; a pair another live run holds is refused at once."""
    lock = PairLock(root, domain.name, run)
    try:
        lock.acquire()
    except (PairLocked, OSError) as exc:
        return PairOutcome(domain.name, domain.hostnames, status=FAILED, message=str(exc), device_failure=True)
    try:
        return body()
    finally:
        lock.release()


def _fresh(record: PairRecord) -> PairRecord | None:
    """``record`` read again now that the pair is locked: the run that wrote it may have finished
    the pair since it was first read. None when it did."""
    current = pair_records(record.directory).get(record.pair)
    return None if current is None or current.finished else current


def _recover_then_deploy(nr: Any, domain: MlagDomain, opts: DeployOptions, run_dir: Path, journal: Journal, leftover: PairRecord | None, report: Callable[[str, str], None]) -> PairOutcome:
    """Deal with what a dead run left on the pair (restore, or resume it), then deploy."""
    leftover = _fresh(leftover) if leftover else None
    if leftover is None:
        return _deploy_pair(nr, domain, opts, run_dir, journal, report)
    if opts.dry_run:
        out = _deploy_pair(nr, domain, opts, run_dir, journal, report)
        out.message += f" (run {leftover.run} left this pair unfinished; a deploy restores it first)"
        return out
    if opts.resume:
        resumed = Journal(leftover.directory, leftover.run)
        try:
            out = _deploy_pair(nr, domain, opts, leftover.directory, resumed, report, leftover)
        finally:
            resumed.close()
        out.message = f"resumed run {leftover.run}: {out.message}"
        return out
    restored = _restore_pair(nr, domain, leftover, report)
    if restored.status != ROLLED_BACK:
        return restored
    out = _deploy_pair(nr, domain, opts, run_dir, journal, report)
    out.message = f"restored the pair from unfinished run {leftover.run}; {out.message}"
    return out


def _order(domain: MlagDomain) -> list[str]:
    """Secondary first: the primary keeps forwarding while its peer changes."""
    return sorted(domain.hostnames, key=lambda h: domain.role_of(h) == "primary")


@contextmanager
def _on(host: str) -> Iterator[None]:
    """Name the host in whatever a device or connection raises."""
    try:
        yield
    except PairFailed:
        raise
    except Exception as exc:  # connection refused, authentication, timeouts, lost sessions, device errors
        raise PairFailed(f"{host}: {type(exc).__name__}: {exc}", device=True) from exc


def _deploy_pair(
    nr: Any,
    domain: MlagDomain,
    opts: DeployOptions,
    run_dir: Path,
    journal: Journal,
    report: Callable[[str, str], None],
    resume: PairRecord | None = None,
) -> PairOutcome:
    """One pair, journaled. With ``resume``, the dead run's backups stay the pair's backups, its
    uncommitted leftovers are cleaned, and its commits are adopted: validated and confirmed with
    the rest, or rolled back with the rest."""
    out = PairOutcome(domain.name, domain.hostnames, outcomes={h: HostOutcome(h) for h in domain.hostnames})
    driver = get_driver(domain.platform)
    tag = TAG_PREFIX + journal.run
    sessions: dict[str, Session] = {}
    backups: dict[str, str] = {}
    parsed: dict[str, PeerConfig] = {}
    """The verified backups, parsed once: the change is planned from the same reading."""
    committed: list[str] = []
    try:
        report(domain.name, "reading running configs")

        def read_backup(host: str) -> None:
            earlier = resume.hosts.get(host) if resume else None
            path = run_dir / f"{host}.cfg"
            if earlier and earlier.backup:
                with _on(host):
                    sessions[host] = _session(nr, host, driver, tag)
                    backups[host] = _journaled_backup(host, earlier.backup)
                    sessions[host].clean_leftovers(_own_diffs(resume), keep=earlier.handle if earlier.committed else None)
                    if earlier.committed:
                        sessions[host].adopt(earlier.handle)
                        committed.append(host)
                        out.outcomes[host].committed = True
                out.outcomes[host].backup = earlier.backup
                return
            with journal.step(domain.name, host, BACKUP, backup=str(path)), _on(host):
                sessions[host] = _session(nr, host, driver, tag)
                backups[host], parsed[host] = _verified_backup(driver, host, sessions[host])
                if not opts.dry_run:
                    write_durably(path, backups[host])
            out.outcomes[host].backup = None if opts.dry_run else str(path)

        _each(domain.hostnames, read_backup)
        committed.sort(key=_order(domain).index)  # adopted commits, in the order the dead run made them
        with _on(", ".join(committed) or domain.name):
            running = {h: sessions[h].get_running() if h in committed else backups[h] for h in domain.hostnames}
        changes = {h: plan_change(driver, domain, h, running[h], parsed.get(h) if h not in committed else None) for h in domain.hostnames}
        report(domain.name, "auditing the predicted pair")
        predicted = [_predict(driver, domain, changes[h], running[h]) for h in domain.hostnames]
        out.findings = audit_pair(*predicted)
        blocking = [f for f in out.findings if f.severity is Severity.ERROR]
        if blocking:
            raise PairFailed("the change would leave the pair inconsistent; nothing was pushed", blocking)

        def stage(host: str) -> None:
            with journal.step(domain.name, host, STAGED, handle=sessions[host].handle), _on(host):
                for text in changes[host].loads(driver):
                    sessions[host].stage(text)
                out.outcomes[host].diff = sessions[host].diff()

        _each(domain.hostnames, stage)
        if opts.dry_run:
            for s in sessions.values():
                s.discard()
            out.status, out.message = DRY_RUN, "dry run: nothing was changed"
            journal.record(domain.name, None, DONE, status=out.status)
            return out
        pending = [h for h in _order(domain) if out.outcomes[h].diff]
        if not pending and not committed:
            for s in sessions.values():
                s.discard()
            out.status, out.message = UNCHANGED, "running configs already match the intent"
            journal.record(domain.name, None, DONE, status=out.status)
            return out
        for host in _order(domain):
            if not out.outcomes[host].diff:
                sessions[host].discard()
        for host in pending:
            report(domain.name, f"committing {host}")
            with _on(host):
                handle = sessions[host].prepare_commit()
            if host not in committed:
                committed.append(host)  # a commit that fails may still have applied part of the change
            with journal.step(domain.name, host, COMMITTED, handle=handle, diff_sha=diff_digest(out.outcomes[host].diff)), _on(host):
                sessions[host].commit(opts.confirm_timeout)
            out.outcomes[host].committed = True
            report(domain.name, f"checking {host}")
            with _on(host):
                _check_taken(driver, domain, host, sessions[host])
        report(domain.name, "validating the pair")
        with journal.step(domain.name, None, VALIDATED), _on(domain.name):
            out.findings = _settle(nr, domain, driver, opts, sessions)
        for host in committed:
            with journal.step(domain.name, host, CONFIRMED), _on(host):
                sessions[host].confirm()
        _each(committed, lambda host: quietly(sessions[host].finish))
        out.status, out.message = OK, f"changed {', '.join(committed)}; pair validated"
        journal.record(domain.name, None, DONE, status=out.status)
        return out
    except Exception as exc:  # PairFailed, JournalError, or anything unforeseen: never half-applied
        findings = exc.findings if isinstance(exc, PairFailed) else []
        out.findings = findings or out.findings
        out.message = str(exc) if isinstance(exc, (PairFailed, JournalError)) else f"{domain.name}: {type(exc).__name__}: {exc}"
        out.device_failure = not isinstance(exc, PairFailed) or exc.device
        for host, s in sessions.items():
            if host not in committed:
                quietly(s.discard)  # a change staged but never committed must not stay pending
        if not committed:
            out.status = FAILED if out.device_failure else BLOCKED
            quietly(lambda: journal.record(domain.name, None, DONE, status=out.status))
            return out
        report(domain.name, "rolling back")
        out.status = _roll_back(nr, domain, driver, sessions, backups, committed, out)
        _journal_rollback(journal, domain.name, out)
        return out


class _DryRunJournal(Journal):
    """A dry run changes nothing and writes nothing: no run directory, no journal, no backups."""

    def __init__(self) -> None:
        self.run = "dry-run"

    def record(self, pair: str, host: str | None, phase: str, **fields: Any) -> None:
        pass

    def close(self) -> None:
        pass


def _own_diffs(record: PairRecord) -> set[str]:
    return {h.diff_sha for h in record.hosts.values() if h.diff_sha}


def _journal_rollback(journal: Journal, pair: str, out: PairOutcome) -> None:
    """A proven rollback finishes the pair; one that failed leaves it unfinished for the next run."""
    try:
        for host, outcome in out.outcomes.items():
            if outcome.rolled_back:
                journal.record(pair, host, JOURNAL_ROLLED_BACK)
        if out.status == ROLLED_BACK:
            journal.record(pair, None, DONE, status=out.status)
    except JournalError as exc:
        out.message += f"; {exc}"
        out.device_failure = True


def _restore_pair(nr: Any, domain: MlagDomain, record: PairRecord | None, report: Callable[[str, str], None]) -> PairOutcome:
    """Bring a pair a dead run left unfinished back to that run's backups: clean what it left
    uncommitted, undo its commits by their journaled handles, prove each host by reading its
    running config again."""
    out = PairOutcome(domain.name, domain.hostnames, outcomes={h: HostOutcome(h) for h in domain.hostnames})
    if record is None:
        out.status, out.message = UNCHANGED, "the run finished this pair meanwhile"
        return out
    report(domain.name, f"restoring from unfinished run {record.run}")
    driver = get_driver(domain.platform)
    journal = Journal(record.directory, record.run)
    sessions: dict[str, Session] = {}
    backups: dict[str, str] = {}
    committed = [h for h in _order(domain) if h in record.hosts and record.hosts[h].committed]
    try:
        for host in domain.hostnames:
            item = record.hosts.get(host)
            with _on(host):
                sessions[host] = _session(nr, host, driver, TAG_PREFIX + record.run)
                sessions[host].clean_leftovers(_own_diffs(record))
                if item is not None and item.committed:
                    if not item.backup:
                        raise PairFailed(f"{host}: run {record.run} committed without a journaled backup; restore it by hand", device=True)
                    backups[host] = _journaled_backup(host, item.backup)
                    sessions[host].adopt(item.handle)
            out.outcomes[host].backup = item.backup if item else None
    except (PairFailed, JournalError) as exc:
        out.status, out.message, out.device_failure = FAILED, str(exc), True
        journal.close()
        return out
    out.status = _roll_back(nr, domain, driver, sessions, backups, committed, out) if committed else ROLLED_BACK
    for host in domain.hostnames:
        if host not in committed:
            out.outcomes[host].rolled_back = True
    if out.status == ROLLED_BACK:
        for host in committed:
            quietly(sessions[host].finish)
        out.message = f"restored to the backups of run {record.run}"
    else:
        out.device_failure = True
        out.message = f"could not restore the pair to the backups of run {record.run}: " + "; ".join(f"{h}: {o.error}" for h, o in out.outcomes.items() if o.error)
    _journal_rollback(journal, domain.name, out)
    journal.close()
    return out


def _journaled_backup(host: str, path: str) -> str:
    """A backup a run wrote (whole, by rename) and journaled."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PairFailed(f"{host}: the journaled backup {path} cannot be read: {exc}", device=True) from exc


_VOLATILE = re.compile(r"^!Time:.*$", re.M)
"""Lines a running config prints differently on every read (the NX-OS clock)."""


def _verified_backup(driver: MlagDriver, host: str, session: Session) -> tuple[str, PeerConfig]:
    """The running config and its parse, accepted as a backup only when two reads agree and the
    driver can read it: a garbled or truncated backup would make a later rollback "prove" the
    wrong thing."""
    first = session.get_running()
    second = session.get_running()
    if _VOLATILE.sub("", first) != _VOLATILE.sub("", second):
        raise PairFailed(f"{host}: backup not verified: two reads of the running config differ; nothing was changed", device=True)
    if not second.strip():
        raise PairFailed(f"{host}: backup not verified: the running config read back empty; nothing was changed", device=True)
    parsed = driver.parse_config(second, hostname=host)
    if "(the whole configuration)" in parsed.unread:
        raise PairFailed(f"{host}: backup not verified: {'; '.join(parsed.warnings)}; nothing was changed", device=True)
    return second, parsed


def _session(nr: Any, host: str, driver: MlagDriver, tag: str | None = None) -> Session:
    return open_session(nr.inventory.hosts[host], nr.config, driver, tag)


def _predict(driver: MlagDriver, domain: MlagDomain, change: Change, running: str) -> PeerConfig:
    """The host's PeerConfig once the change is applied to its running config; where the running
    config cannot be merged offline, the intent's own projection."""
    try:
        text = driver.predict(running, change.removals, change.render)
        if text is not None:
            return driver.parse_config(text, hostname=change.host)
    except Exception:  # an unreadable running config must not block on the prediction
        pass
    return driver.peer_config(domain, change.host)


def _check_taken(driver: MlagDriver, domain: MlagDomain, host: str, session: Session) -> None:
    """The switch now runs the intent (no error-level drift)."""
    running = driver.parse_config(session.get_running(), hostname=host)
    errors = [f for f in drift(driver.peer_config(domain, host), running) if f.severity is Severity.ERROR]
    if errors:
        raise PairFailed(f"{host} does not run the intent after its commit", errors)


def _settle(nr: Any, domain: MlagDomain, driver: MlagDriver, opts: DeployOptions, sessions: dict[str, Session]) -> list[Finding]:
    """Poll the pair's live state until the live rules find no error, or give up. Both peers are
    read at once, over the deploy's own sessions."""
    findings: list[Finding] = []
    states: dict[str, Any] = {}

    def read(host: str) -> None:
        states[host] = live_state(nr, host, driver, sessions.get(host))

    for attempt in range(opts.settle_attempts):
        _each(domain.hostnames, read)
        findings = validate_pair(*(states[h] for h in domain.hostnames))
        if not any(f.severity is Severity.ERROR for f in findings):
            return findings
        if attempt + 1 < opts.settle_attempts:
            time.sleep(opts.settle_interval)
    raise PairFailed("the pair did not validate after the change", findings)


def live_state(nr: Any, host: str, driver: MlagDriver, session: Session | None = None) -> Any:
    """The PeerState of one host from its show commands (through ``session`` when given)."""
    commands = list(driver.state_commands)
    outputs = session.show(commands) if session is not None else netmiko_show(nr.inventory.hosts[host], nr.config, commands)
    return driver.parse_state(outputs, hostname=host)


def _roll_back(nr: Any, domain: MlagDomain, driver: MlagDriver, sessions: dict[str, Session], backups: dict[str, str], committed: list[str], out: PairOutcome) -> str:
    """Undo ``committed`` newest first; each host is proven back by comparing its running config
    with its backup, both read as PeerConfigs. Returns the pair's status."""
    restored = True
    for host in reversed(committed):
        outcome = out.outcomes[host]
        try:
            session = sessions[host]
            try:
                current = session.get_running()
            except Exception:
                nr.inventory.hosts[host].close_connections()
                lost = session
                session = sessions[host] = _session(nr, host, driver, lost.tag)
                session.adopt(lost.handle or lost.adopted)
                current = session.get_running()
            before = driver.parse_config(backups[host], hostname=host)
            if driver.parse_config(current, hostname=host) == before:
                outcome.rolled_back = True
                continue
            session.rollback()
            if driver.parse_config(session.get_running(), hostname=host) == before:
                outcome.rolled_back = True
            else:
                outcome.error = "rollback ran but the running config differs from the backup"
                restored = False
        except Exception as exc:
            outcome.error = f"rollback failed: {exc}"
            restored = False
    return ROLLED_BACK if restored else FAILED


def _each(hosts: list[str], step: Callable[[str], None]) -> None:
    """Run ``step`` for the hosts of a pair at once (each host has its own connection), wait for
    all, then raise the first failure: the two peers' reads and stagings overlap instead of
    queueing, and no step is left running when the pair stops."""
    if len(hosts) < 2:
        for host in hosts:
            step(host)
        return
    with ThreadPoolExecutor(max_workers=len(hosts)) as pool:
        futures = [pool.submit(step, host) for host in hosts]
    for future in futures:
        future.result()


def exit_code(outcomes: list[PairOutcome]) -> int:
    """0: every pair ok, unchanged or dry run; 3: a device or connection failed; 1: findings
    stopped or rolled back a pair."""
    if any(o.device_failure for o in outcomes):
        return 3
    if any(o.status in (BLOCKED, ROLLED_BACK, FAILED) for o in outcomes):
        return 1
    return 0
