"""The simulated Junos switch: a shared candidate database, the committed configuration with its
rollback history, ``commit confirmed`` with a real revert timer, and the configuration lock.

The CLI and NETCONF sessions both edit the one candidate, as on Junos (``configure`` without
``private``/``exclusive``, and NETCONF without ``open-configuration``). A session is any object;
the device only compares identities to know who holds the lock.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from mlagauto.lab.device import SimDevice
from mlagauto.lab.juniper_junos.mclag import Chassis, inherited, lacp_bundles, mcae_states, read_chassis
from mlagauto.lab.juniper_junos.statements import (
    Config,
    Path,
    braces_balanced,
    command_paths,
    one_statement_per_line,
    render_curly,
    render_set,
    replace_tags,
    subtree,
)
from mlagauto.lab.serverport import SwitchPort, colon_mac, link_down, no_lacp
from mlagauto.lab.shell import DropSession, Shell

HISTORY = 50
"""Junos keeps rollback 0 (the active configuration) through rollback 49."""


def timestamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


class JunosError(Exception):
    """An error the device reports: CLI ``error: <message>`` / NETCONF ``<rpc-error>``."""

    def __init__(self, message: str, *, bad_element: str | None = None, path: str | None = None, tag: str = "operation-failed"):
        super().__init__(message)
        self.message = message
        self.bad_element = bad_element
        self.path = path
        self.tag = tag


class CommitFailed(JunosError):
    """A commit that did not happen; ``details`` are the lines Junos prints before the error."""

    def __init__(self, details: list[str]):
        super().__init__("configuration check-out failed", path="[edit]", tag="invalid-value")
        self.details = details


@dataclass
class Revision:
    """One committed configuration (rollback N counts back from the newest)."""

    config: Config
    epoch: float
    user: str
    via: str
    number: int
    comment: str = ""
    confirm_note: str = ""

    @property
    def revision_id(self) -> str:
        return f"re0-{int(self.epoch)}-{self.number}"


@dataclass
class PendingConfirm:
    handle: asyncio.TimerHandle
    deadline: float


class JunosDevice(SimDevice):
    """A QFX running Junos with MC-LAG, over SSH CLI and NETCONF."""

    platform = "juniper_junos"
    model = "qfx5120-48y-8c"
    version = "21.4R3-S4.9"

    def __init__(self, name: str, port: int, username: str, password: str, lab: Any = None, **options: Any):
        super().__init__(name, port, username, password, lab, **options)
        self.serial = "XH" + hashlib.sha256(name.encode()).hexdigest()[:10].upper()
        """Chassis serial number, stable per switch name."""
        self.minute_seconds = float(options.get("minute_seconds", 60))
        """Seconds per minute of ``commit confirmed`` timers (tests shorten it)."""
        self.booted = time.time()
        self.history = [Revision(Config.from_text(self.running), self.booted, "root", "other", 1)]
        self.candidate = self.committed.copy()
        self.candidate_changed = self.booted
        self.lock_holder: object | None = None
        self.lock_owner = ""
        self.pending: PendingConfirm | None = None
        self._numbers = 1
        self.running = self.startup = self.render(self.committed)

    # --- hooks (the CLI and NETCONF modules build on this one, so they are imported on use) -----
    def initial_config(self) -> str:
        return (
            f"version {self.version};\n"
            f"system {{\n    host-name {self.name};\n"
            "    services {\n        ssh;\n        netconf {\n            ssh;\n        }\n    }\n}\n"
        )

    def shell(self) -> Shell:
        from mlagauto.lab.juniper_junos.cli import JunosShell

        return JunosShell(self)

    def subsystem(self, name: str) -> Any:
        if name != "netconf":
            return None
        from mlagauto.lab.juniper_junos.netconf import NetconfSession

        return lambda process: NetconfSession(self, process).run()

    # --- databases -------------------------------------------------------------------------------
    @property
    def committed(self) -> Config:
        return self.history[0].config

    def hostname(self) -> str:
        return self.committed.first("system", "host-name") or "amnesiac"

    def dirty(self) -> bool:
        return self.candidate != self.committed

    @staticmethod
    def render(config: Config) -> str:
        return "\n".join(render_curly(config.paths())) + "\n"

    def config_text(self, database: str, prefix: Path = (), form: str = "text") -> str:
        """``show configuration`` (committed) or configuration-mode ``show`` (candidate)."""
        config = self.committed if database == "committed" else self.candidate
        paths = subtree(config.paths(), prefix) if prefix else config.paths()
        if form == "set":
            lines = render_set(config.paths())
            if prefix:
                head = "set " + " ".join(prefix) + " "
                lines = [line for line in lines if line.startswith(head)]
            return "\n".join(lines) + ("\n" if lines else "")
        body = render_curly(paths)
        if not prefix:
            rev = self.history[0]
            header = (
                f"## Last commit: {timestamp(rev.epoch)} by {rev.user}"
                if database == "committed"
                else f"## Last changed: {timestamp(self.candidate_changed)}"
            )
            body = [header, *body]
        return "\n".join(body) + "\n"

    def _touch(self) -> None:
        self.candidate_changed = time.time()

    # --- lock --------------------------------------------------------------------------------------
    def _locked_error(self) -> JunosError:
        return JunosError(f"configuration database locked by:\n  {self.lock_owner}", tag="lock-denied")

    def check_edit(self, session: object) -> None:
        """Editing the shared candidate is refused while another session holds the lock."""
        if self.lock_holder is not None and self.lock_holder is not session:
            raise self._locked_error()

    def lock_candidate(self, session: object, owner: str) -> None:
        if self.lock_holder is session:
            return
        if self.lock_holder is not None:
            raise self._locked_error()
        if self.dirty():
            raise JunosError("configuration database modified", tag="lock-denied")
        self.lock_holder, self.lock_owner = session, owner

    def unlock_candidate(self, session: object) -> None:
        if self.lock_holder is not None and self.lock_holder is not session:
            raise JunosError("configuration database locked by another session", tag="operation-failed")
        self.lock_holder, self.lock_owner = None, ""

    def release(self, session: object) -> None:
        """A session ended: its lock goes (Junos keeps the shared candidate's changes)."""
        if self.lock_holder is session:
            self.lock_holder, self.lock_owner = None, ""

    # --- editing -----------------------------------------------------------------------------------
    def set_statement(self, session: object, path: Path) -> None:
        self.check_edit(session)
        self.candidate.set(path)
        self._touch()

    def delete_statement(self, session: object, path: Path) -> bool:
        self.check_edit(session)
        found = self.candidate.delete(path)
        self._touch()
        return found

    def load_text(self, session: object, text: str, action: str) -> None:
        """``load merge|replace|override|update`` of curly-brace text: merge adds and replaces
        values; replace does too, after removing what each ``replace:`` tag marks; override (and
        update, whose result is the same configuration) swaps the whole candidate."""
        self.check_edit(session)
        text = one_statement_per_line(text)
        if not braces_balanced(text):
            raise JunosError("syntax error", bad_element="}")
        cleaned, replaced = replace_tags(text) if action == "replace" else (text, [])
        loaded = Config.from_text(cleaned)
        if action in ("override", "update"):
            self.candidate = loaded
        else:
            for prefix in replaced:
                self.candidate.delete(prefix)
            for path in loaded.paths():
                self.candidate.set(path)
        self._touch()

    def load_set(self, session: object, text: str) -> list[str]:
        """``load set``: run ``set``/``delete`` lines; returns warnings (``statement not found``)."""
        self.check_edit(session)
        warnings: list[str] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            verb, _, rest = line.partition(" ")
            paths = command_paths(rest)
            if verb not in ("set", "delete") or not paths:
                raise JunosError("syntax error", bad_element=verb)
            for path in paths:
                if verb == "set":
                    self.candidate.set(path)
                elif not self.candidate.delete(path):
                    warnings.append("statement not found")
        self._touch()
        return warnings

    def load_rollback(self, session: object, number: int) -> None:
        self.check_edit(session)
        if not 0 <= number < len(self.history):
            raise JunosError(f"Cannot load rollback {number}: file does not exist", bad_element=str(number))
        self.candidate = self.history[number].config.copy()
        self._touch()

    # --- commit ------------------------------------------------------------------------------------
    def commit(
        self, session: object, user: str, via: str, *, comment: str = "", confirm_minutes: int | None = None, check: bool = False
    ) -> Revision | None:
        """Commit the candidate (or only check it). A later commit confirms a pending
        ``commit confirmed``; the fault knobs act here, before anything is applied."""
        self.check_edit(session)
        if self.faults.take("drop_on_commit"):
            raise DropSession()
        if self.faults.take("reject_next_commit"):
            raise CommitFailed(["[edit]", "  'commit'", "    commit rejected by the lab's reject_next_commit fault"])
        if check:
            return None
        if self.pending is not None:
            self.pending.handle.cancel()
            self.pending = None
        note = f"commit confirmed, rollback in {confirm_minutes}mins" if confirm_minutes else ""
        revision = self._apply(self.candidate.copy(), user, via, comment, note)
        if confirm_minutes:
            delay = confirm_minutes * self.minute_seconds
            handle = asyncio.get_running_loop().call_later(delay, self._revert_unconfirmed, revision.number)
            self.pending = PendingConfirm(handle, time.time() + delay)
        return revision

    def _apply(self, config: Config, user: str, via: str, comment: str, note: str = "") -> Revision:
        self._numbers += 1
        revision = Revision(config, time.time(), user, via, self._numbers, comment, note)
        before = self.running
        self.history.insert(0, revision)
        del self.history[HISTORY:]
        self.running = self.startup = self.render(config)
        self.record_commit(before, self.running, comment or note, user)
        return revision

    def _revert_unconfirmed(self, number: int) -> None:
        """The confirm timer ran out: roll back to the configuration before that commit."""
        with self.lock:
            if self.pending is None or self.history[0].number != number or len(self.history) < 2:
                return
            self.pending = None
            self.candidate = self.history[1].config.copy()
            self._apply(self.candidate.copy(), "root", "other", "automatic rollback: commit confirmed was not confirmed")

    def confirm_minutes_left(self) -> int | None:
        if self.pending is None:
            return None
        left = max(0.0, self.pending.deadline - time.time()) / self.minute_seconds
        return max(1, int(left + 0.999))

    # --- pair state --------------------------------------------------------------------------------
    def chassis_views(self) -> tuple[Chassis, Chassis | None]:
        """This switch's and its peer's MC-LAG views, from their committed configurations."""
        peer = self.peer
        mine = read_chassis(self.name, self.committed)
        if not isinstance(peer, JunosDevice):
            return mine, None
        return mine, read_chassis(peer.name, peer.committed)

    def server_port(self, port: str) -> SwitchPort:
        """What a server cabled to ``port`` sees (``mlagauto.lab.linux_host``), from the lab's
        own MC-LAG reading of the two committed configurations (``mclag``), exactly what this
        switch's ``show lacp interfaces extensive`` reports for the port:

        * the port joins ``aeN`` through ``ether-options 802.3ad aeN`` (``gigether-options`` on
          MX), the ae existing below ``chassis aggregated-devices ethernet device-count``;
          ``disable`` on the port or the ae is no link;
        * LACP runs with ``aggregated-ether-options lacp active|passive`` (activity), at
          ``periodic fast|slow`` (timeout); without it the bundle is static: no LACPDUs;
        * the actor system id is the ae's ``lacp system-id`` (on an mc-ae the one MC-LAG requires
          on both peers), else this switch's own MAC; priority ``system-priority`` (Junos'
          default 127); key ``admin-key`` (else N + 1); port number the member's position;
        * an mc-ae the lab's state has down (the standby end of a hard mismatch, an mc-ae the peer
          lacks, the standby while ICCP is down) sends no LACPDUs.
        """
        effective = inherited(self.committed.paths())
        if effective.has_slot(("interfaces", port, "disable")):
            return link_down(self.name, port, "port disabled")
        mine, theirs = self.chassis_views()
        ae = next((a for a in mine.aes.values() if port in a.members), None)
        if ae is None:
            return no_lacp(self.name, port, "not in an aggregated Ethernet bundle (no 802.3ad)")
        count = effective.first("chassis", "aggregated-devices", "ethernet", "device-count")
        number = ae.name[2:]
        if not (count and count.isdigit() and number.isdigit() and int(number) < int(count)):
            return no_lacp(self.name, port, f"{ae.name} does not exist (chassis aggregated-devices ethernet device-count {count or 'unset'})")
        if effective.has_slot(("interfaces", ae.name, "disable")):
            return link_down(self.name, port, f"{ae.name} disabled")
        if ae.lacp.get("mode") not in ("active", "passive"):
            return no_lacp(self.name, port, f"{ae.name} has no lacp active|passive: a static bundle, no LACP")
        if ae.mc_ae_id is not None:
            state = next(s for s in mcae_states(mine, theirs) if s.name == ae.name)
            if not state.local_up:
                return no_lacp(self.name, port, f"mc-ae {ae.mc_ae_id} ({ae.name}) down: {state.error}")
        bundle = next(b for b in lacp_bundles(mine, theirs) if b.name == ae.name)
        lacp = next(p for p in bundle.ports if p.name == port)
        return SwitchPort(
            self.name,
            port,
            True,
            lacpdus=True,
            active=lacp.active,
            fast=lacp.fast,
            system_mac=colon_mac(lacp.actor_id),
            system_priority=lacp.actor_priority,
            key=lacp.actor_key,
            port_number=lacp.number,
            in_sync=True,
        )
