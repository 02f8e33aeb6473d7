"""Pair-aware rolling deploy.

Pairs run in parallel; the two peers of a pair go one at a time, the secondary first:

1. read both running configs and save them to ``backups/<timestamp>/<host>.cfg``;
2. plan each change (render + stale removals) and audit the *predicted* pair, the running configs
   with the change applied: a change that would leave the pair inconsistent is never pushed;
3. commit the secondary (with commit-confirm where the platform has it), check it took the intent
   (no drift), then the primary, then validate the live pair until it settles;
4. on any failure roll back what that pair changed, newest first, and prove it by reading the
   running configs again; other pairs are untouched. Commit-confirmed changes are confirmed only
   once the whole pair validated, so a lost session reverts by itself.

A second deploy of the same intent finds no diff and changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mlagauto.changes import Change, plan_change
from mlagauto.checks import audit_pair, drift, validate_pair
from mlagauto.drivers import get_driver
from mlagauto.drivers.base import MlagDriver
from mlagauto.model.finding import Finding, Severity
from mlagauto.model.intent import Fabric, MlagDomain
from mlagauto.model.peer_config import PeerConfig
from mlagauto.transport import Session, netmiko_show, open_session

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
    settle_attempts: int = 10
    settle_interval: float = 1.0
    """The live pair is polled this often until it validates."""
    workers: int = 8
    """Pairs deployed at once."""


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
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup_dir = opts.backup_root / stamp
    report = progress or (lambda _domain, _status: None)

    def one(domain: MlagDomain) -> PairOutcome:
        return _deploy_pair(nr, domain, opts, backup_dir, report)

    with ThreadPoolExecutor(max_workers=max(1, min(opts.workers, len(domains) or 1))) as pool:
        return list(pool.map(one, domains))


def _order(domain: MlagDomain) -> list[str]:
    """Secondary first: the primary keeps forwarding while its peer changes."""
    return sorted(domain.hostnames, key=lambda h: domain.role_of(h) == "primary")


def _deploy_pair(nr: Any, domain: MlagDomain, opts: DeployOptions, backup_dir: Path, report: Callable[[str, str], None]) -> PairOutcome:
    out = PairOutcome(domain.name, domain.hostnames, outcomes={h: HostOutcome(h) for h in domain.hostnames})
    driver = get_driver(domain.platform)
    sessions: dict[str, Session] = {}
    backups: dict[str, str] = {}
    committed: list[str] = []
    try:
        report(domain.name, "reading running configs")
        for host in domain.hostnames:
            sessions[host] = _session(nr, host, driver)
            backups[host] = sessions[host].get_running()
            out.outcomes[host].backup = str(_save_backup(backup_dir, host, backups[host]))
        changes = {h: plan_change(driver, domain, h, backups[h]) for h in domain.hostnames}
        report(domain.name, "auditing the predicted pair")
        predicted = [_predict(driver, domain, changes[h], backups[h]) for h in domain.hostnames]
        out.findings = audit_pair(*predicted)
        blocking = [f for f in out.findings if f.severity is Severity.ERROR]
        if blocking:
            raise PairFailed("the change would leave the pair inconsistent; nothing was pushed", blocking)
        for host in domain.hostnames:
            for text in changes[host].loads(driver):
                sessions[host].stage(text)
            out.outcomes[host].diff = sessions[host].diff()
        if opts.dry_run:
            for s in sessions.values():
                s.discard()
            out.status, out.message = DRY_RUN, "dry run: nothing was changed"
            return out
        pending = [h for h in _order(domain) if out.outcomes[h].diff]
        if not pending:
            for s in sessions.values():
                s.discard()
            out.status, out.message = UNCHANGED, "running configs already match the intent"
            return out
        for host in _order(domain):
            if not out.outcomes[host].diff:
                sessions[host].discard()
        for index, host in enumerate(pending):
            report(domain.name, f"committing {host}")
            try:
                sessions[host].commit(opts.confirm_timeout)
            except Exception as exc:
                committed.append(host)  # a failed commit may still have applied part of the change
                raise PairFailed(f"{host}: {exc}", device=True) from exc
            committed.append(host)
            out.outcomes[host].committed = True
            report(domain.name, f"checking {host}")
            _check_taken(driver, domain, host, sessions[host])
            if index == len(pending) - 1:
                report(domain.name, "validating the pair")
                out.findings = _settle(nr, domain, driver, opts)
        for host in committed:
            sessions[host].confirm()
        out.status, out.message = OK, f"changed {', '.join(committed)}; pair validated"
        return out
    except PairFailed as exc:
        out.findings = exc.findings or out.findings
        out.message = str(exc)
        out.device_failure = exc.device
        if not committed:
            for s in sessions.values():
                _quietly(s.discard)
            out.status = FAILED if exc.device else BLOCKED
            return out
        report(domain.name, "rolling back")
        out.status = _roll_back(nr, domain, driver, sessions, backups, committed, out)
        return out
    except Exception as exc:  # connection refused, authentication, timeouts, lost sessions
        out.message, out.device_failure = f"{type(exc).__name__}: {exc}", True
        if not committed:
            out.status = FAILED
            return out
        report(domain.name, "rolling back")
        out.status = _roll_back(nr, domain, driver, sessions, backups, committed, out)
        return out


def _session(nr: Any, host: str, driver: MlagDriver) -> Session:
    return open_session(nr.inventory.hosts[host], nr.config, driver)


def _save_backup(backup_dir: Path, host: str, text: str) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    path = backup_dir / f"{host}.cfg"
    path.write_text(text, encoding="utf-8")
    return path


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


def _settle(nr: Any, domain: MlagDomain, driver: MlagDriver, opts: DeployOptions) -> list[Finding]:
    """Poll the pair's live state until the live rules find no error, or give up."""
    findings: list[Finding] = []
    for attempt in range(opts.settle_attempts):
        states = [live_state(nr, h, driver) for h in domain.hostnames]
        findings = validate_pair(*states)
        if not any(f.severity is Severity.ERROR for f in findings):
            return findings
        if attempt + 1 < opts.settle_attempts:
            time.sleep(opts.settle_interval)
    raise PairFailed("the pair did not validate after the change", findings)


def live_state(nr: Any, host: str, driver: MlagDriver) -> Any:
    """The PeerState of one host from its show commands."""
    outputs = netmiko_show(nr.inventory.hosts[host], nr.config, list(driver.state_commands))
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
                session = sessions[host] = _session(nr, host, driver)
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


def _quietly(action: Callable[[], Any]) -> None:
    try:
        action()
    except Exception:  # cleaning up after a failure must not hide the failure
        pass


def exit_code(outcomes: list[PairOutcome]) -> int:
    """0: every pair ok, unchanged or dry run; 3: a device or connection failed; 1: findings
    stopped or rolled back a pair."""
    if any(o.device_failure for o in outcomes):
        return 3
    if any(o.status in (BLOCKED, ROLLED_BACK, FAILED) for o in outcomes):
        return 1
    return 0
