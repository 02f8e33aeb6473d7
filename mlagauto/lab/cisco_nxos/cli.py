"""The NX-OS command line of the simulated Nexus: exec and configuration modes, the file and
checkpoint commands napalm ``nxos_ssh`` relies on, show commands with their ``| json`` and text
filters, and the fault knobs at the points a push goes through.

A push (netmiko ``send_config_set``, napalm ``commit_config``) has no commit statement on NX-OS:
lines take effect as they are typed. The lab therefore treats the first configuration line of a
``configure terminal`` session as the commit point: ``drop_on_commit`` cuts the session there,
before anything changes, and ``reject_next_commit`` makes the device refuse every line of that
session with its parser error, which napalm reads as a failed merge and answers with a rollback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mlagauto.lab.cisco_nxos import interfaces, show
from mlagauto.lab.cisco_nxos.config import VERSION, CliError, ConfigSession, NxosConfig, Question, column_of, interface_names, invalid
from mlagauto.lab.shell import DropSession, Shell

if TYPE_CHECKING:
    from mlagauto.lab.cisco_nxos.device import NxosDevice

BANNER = (
    "Cisco Nexus Operating System (NX-OS) Software\n"
    "TAC support: http://www.cisco.com/tac\n"
    "Copyright (C) 2002-2021, Cisco and/or its affiliates.\n"
    "All rights reserved.\n"
)

_KEYWORDS = (
    "show", "configure", "terminal", "copy", "running-config", "startup-config", "checkpoint", "rollback",
    "dir", "delete", "interface", "version", "vpc", "brief", "port-channel", "summary", "hostname", "hosts",
    "inventory", "status", "file", "consistency-parameters", "global", "peer-keepalive", "role", "dont-ask",
    "lacp", "neighbor", "lldp",
)
"""Words the exec level completes from any unambiguous prefix (``sh run`` -> ``show running-config``)."""

_ROLLBACK_DONE = (
    "Note: Applying config parallelly may fail Rollback verification\n"
    "Collecting Running-Config\n"
    "Generating Rollback Patch\n"
    "Executing Rollback Patch\n"
    "Generating Running-config for verification\n"
    "Generating Patch for verification\n"
    "Verification is Successful.\n"
    "\n"
    "Rollback completed successfully.\n"
)

ShowResult = str | dict[str, Any]


def _expand(words: list[str]) -> list[str]:
    """Complete abbreviated keywords; a file name (after ``file``, ``dir``, ``delete``) is
    taken as typed."""
    out: list[str] = []
    for word in words:
        if out and out[-1] in ("file", "dir", "delete"):
            out.append(word)
            continue
        matches = [word] if word in _KEYWORDS else [k for k in _KEYWORDS if k.startswith(word)]
        out.append(matches[0] if len(matches) == 1 else word)
    return out


def _file_name(spec: str) -> str:
    """``bootflash:///x.txt``, ``bootflash:x.txt`` and ``x.txt`` name the same file."""
    return spec.removeprefix("bootflash:").lstrip("/")


def _when(at: float) -> str:
    t = time.localtime(at)
    return time.strftime("%a %b ", t) + f"{t.tm_mday:2d} " + time.strftime("%H:%M:%S %Y", t)


class NxosShell(Shell):
    """One SSH session on a simulated Nexus."""

    device: NxosDevice

    def __init__(self, device: NxosDevice):
        super().__init__(device)
        self.session: ConfigSession | None = None
        self.dont_ask = False
        self.question: Question | None = None
        self.session_started = False
        """A configuration line of the current config session has reached the commit point."""
        self.rejecting = False

    def greeting(self) -> str:
        return BANNER

    def prompt(self) -> str:
        if self.question is not None:
            return ""
        name = self.device.config.hostname
        return f"{name}({self.session.prompt_mode})# " if self.session else f"{name}# "

    def handle(self, line: str) -> str:
        prompt = self.prompt()
        if self.question is not None:
            question, self.question = self.question, None
            answer = line.strip().lower()
            return question.action() if answer in ("y", "yes") or (not answer and question.default_yes) else ""
        try:
            return self._line(line)
        except CliError as error:
            if error.column is None:
                return error.message
            return " " * (len(prompt) + error.column) + "^\n" + error.message

    def _line(self, line: str) -> str:
        words = line.split("|", 1)[0].split()
        if not words:
            return ""
        if self.session is None:
            return self._exec(line)
        return self._config(line, words)

    # -- configuration mode ------------------------------------------------------------------------
    def _config(self, line: str, words: list[str]) -> str:
        session = self.session
        assert session is not None
        if words == ["end"] or (words == ["exit"] and session.mode == "config"):
            self._leave_config()
            return ""
        if words == ["exit"]:
            session.mode, session.targets = "config", []
            return ""
        if words[0] == "do":
            return self._exec(line.split("do", 1)[1], offset=line.index("do") + 2)
        if words[0] in ("show", "terminal") or words[:2] == ["no", "terminal"]:
            return self._exec(line)
        self._commit_point()
        if self.rejecting:
            raise invalid(len(line) - len(line.lstrip()))
        session.dont_ask = self.dont_ask
        output = session.apply(line)
        self.device.mark_changed()
        self.question, session.question = session.question, None
        return output

    def _commit_point(self) -> None:
        """The first configuration line of a session: where the commit faults strike."""
        if self.session_started:
            return
        self.session_started = True
        if self.device.faults.take("drop_on_commit"):
            raise DropSession()
        self.rejecting = self.device.faults.take("reject_next_commit")

    def _leave_config(self) -> None:
        self.session, self.session_started, self.rejecting = None, False, False

    # -- exec mode ---------------------------------------------------------------------------------
    def _exec(self, line: str, offset: int = 0) -> str:
        command, *pipes = line.split("|")
        words = _expand(command.split())
        if not words:
            return ""
        handlers: dict[str, Callable[[list[str], list[str]], str]] = {
            "show": self._show,
            "configure": self._configure,
            "terminal": self._terminal,
            "no": self._terminal,
            "copy": self._copy,
            "checkpoint": self._checkpoint,
            "rollback": self._rollback,
            "dir": self._dir,
            "delete": self._delete,
            "end": lambda w, p: "",
            "exit": self._exit,
            "quit": self._exit,
        }
        handler = handlers.get(words[0])
        if handler is None:
            raise invalid(offset + len(command) - len(command.lstrip()))
        try:
            return handler(words, pipes)
        except CliError as error:
            if error.word is not None:
                error.column = offset + column_of(command, error.word)
            raise

    def _configure(self, words: list[str], pipes: list[str]) -> str:
        if words not in (["configure"], ["configure", "terminal"]):
            raise _bad_word(1)
        self.session = ConfigSession(self.device.config, dont_ask=self.dont_ask)
        return "Enter configuration commands, one per line. End with CNTL/Z."

    def _terminal(self, words: list[str], pipes: list[str]) -> str:
        negate = words[0] == "no"
        rest = words[1:] if negate else words
        if rest[:1] != ["terminal"] or len(rest) < 2:
            raise _bad_word(1 if negate else 0)
        if rest[1] == "dont-ask":
            self.dont_ask = not negate
        return ""

    def _exit(self, words: list[str], pipes: list[str]) -> str:
        self.closed = True
        return ""

    def _copy(self, words: list[str], pipes: list[str]) -> str:
        if words[1:] != ["running-config", "startup-config"]:
            raise _bad_word(1)
        self.device.save()
        return "Copy complete, now saving to disk (please wait)...\nCopy complete."

    def _checkpoint(self, words: list[str], pipes: list[str]) -> str:
        if len(words) != 3 or words[1] != "file":
            raise _bad_word(1)
        self.device.write_file(_file_name(words[2]), self.device.checkpoint_text())
        return "Done"

    def _rollback(self, words: list[str], pipes: list[str]) -> str:
        if words[1:3] != ["running-config", "file"] or len(words) not in (4, 5):
            raise _bad_word(1)
        text = self.device.files.get(_file_name(words[3]))
        if text is None:
            return f"ERROR: {words[3]}: No such file or directory"
        candidate = NxosConfig()
        refused = candidate.load(text)
        if refused:
            return "Rollback failed.\nThe patch could not be applied:\n" + "\n".join(refused)
        self.device.config.root = candidate.root
        self.device.mark_changed()
        return _ROLLBACK_DONE

    def _dir(self, words: list[str], pipes: list[str]) -> str:
        wanted = _file_name(words[1]) if len(words) > 1 else ""
        files = self.device.files
        if wanted and wanted not in files:
            return "No such file or directory"
        names = [wanted] if wanted else sorted(files)
        lines = [f"{len(files[n]):>11}    {_when(self.device.file_times.get(n, self.device.booted))[4:]}  {n}" for n in names]
        used = sum(len(t) for t in files.values())
        total = 4287040 * 1024
        return "\n".join([*lines, "", "Usage for bootflash://sup-local", f" {used} bytes used", f" {total - used} bytes free", f" {total} bytes total"])

    def _delete(self, words: list[str], pipes: list[str]) -> str:
        if len(words) != 2:
            raise _bad_word(len(words))
        name = _file_name(words[1])
        if name not in self.device.files:
            return "No such file or directory"

        def remove() -> str:
            self.device.files.pop(name, None)
            return ""

        if self.dont_ask:
            return remove()
        self.question = Question(f'Do you want to delete "/{name}" ? (yes/no/abort)   [y] ', remove, default_yes=True)
        return self.question.text

    # -- show --------------------------------------------------------------------------------------
    def _show(self, words: list[str], pipes: list[str]) -> str:
        want_json = [p.strip() for p in pipes if p.strip().split()[:1] in (["json"], ["json-pretty"])]
        filters = [p.strip() for p in pipes if p.strip() not in want_json]
        result = self._show_result(words[1:], bool(want_json))
        if isinstance(result, dict):
            text = json.dumps(result, indent=2 if want_json[0].startswith("json-pretty") else None)
        else:
            text = result
        for spec in filters:
            text = _filter(text, spec)
        return self.device.maybe_corrupt(text)

    def _show_result(self, args: list[str], as_json: bool) -> ShowResult:
        device = self.device
        state = device.state
        simple: dict[tuple[str, ...], Callable[[], tuple[str, dict[str, Any] | None]]] = {
            ("version",): lambda: (show.version_text(device.config.hostname, device.uptime), show.version_json(device.config.hostname, device.uptime)),
            ("hostname",): lambda: (device.config.hostname, {"hostname": device.config.hostname}),
            ("hosts",): lambda: (show.hosts_text(device.config.root.value("ip domain-name")), None),
            ("inventory",): lambda: (show.inventory_text(device.config.hostname), show.inventory_json(device.config.hostname)),
            ("interface", "status"): lambda: self._interface_status(),
            ("vpc",): lambda: (show.vpc_text(state()), show.vpc_json(state())),
            ("vpc", "brief"): lambda: (show.vpc_text(state()), show.vpc_json(state())),
            ("vpc", "peer-keepalive"): lambda: (show.keepalive_text(state(), device.uptime, time.time()), show.keepalive_json(state())),
            ("vpc", "role"): lambda: (show.role_text(state()), show.role_json(state())),
            ("port-channel", "summary"): lambda: (show.port_channel_text(state()), show.table("TABLE_channel", "ROW_channel", show.port_channel_rows(state()))),
            ("lacp", "neighbor"): lambda: (show.lacp_neighbor_text(state()), None),
            ("interface",): lambda: interfaces.show_interface(device),
            ("lldp", "neighbors"): lambda: (interfaces.lldp_neighbors_text(device), None),
            ("lldp", "neighbors", "detail"): lambda: (interfaces.lldp_neighbors_detail_text(device), None),
        }
        key = tuple(args)
        if key in simple:
            text, data = simple[key]()
        elif args[:2] == ["vpc", "consistency-parameters"]:
            rows = self._consistency(args[2:])
            text, data = show.consistency_text(rows), show.consistency_json(rows)
        elif args[:1] == ["interface"] and len(args) > 1:
            try:
                names = interface_names(" ".join(args[1:]))
            except ValueError:
                raise _bad_word(2, "% Invalid interface format at '^' marker.") from None
            text, data = interfaces.show_interface(device, names)
        elif args[:1] in (["running-config"], ["startup-config"], ["file"]):
            text, data = self._show_config(args), None
        else:
            raise _bad_word(1 + _known_prefix(args))
        if not as_json:
            return text
        if data is None:
            raise CliError("% JSON output not supported for this command", None)
        return data

    def _interface_status(self) -> tuple[str, dict[str, Any]]:
        rows = show.interface_rows(self.device.config.root, self.device.state())
        return show.interface_status_text(rows), show.table("TABLE_interface", "ROW_interface", rows)

    def _show_config(self, args: list[str]) -> str:
        device = self.device
        if args[0] == "file":
            if len(args) != 2:
                raise _bad_word(2)
            return device.files.get(_file_name(args[1]), "No such file or directory")
        if args[0] == "startup-config":
            return f"!Command: show startup-config\n!Startup config saved at: {_when(device.saved_at)}\n\nversion {VERSION} Bios:version  \n" + device.startup
        full = args[-1:] == ["all"]
        view = args[1:-1] if full else args[1:]
        header = f"!Command: show {' '.join(args)}\n!Running configuration last done at: {_when(device.changed_at)}\n!Time: {_when(time.time())}\n\nversion {VERSION} Bios:version  \n"
        if not view:
            return header + device.config.render(full)
        if view == ["vpc"]:
            return header + device.config.render_vpc()
        if view[0] == "interface" and len(view) > 1:
            try:
                names = interface_names(" ".join(view[1:]))
            except ValueError:
                raise _bad_word(3, "% Invalid interface format at '^' marker.") from None
            return header + device.config.render_interfaces(names, full)
        raise _bad_word(2)

    def _consistency(self, args: list[str]) -> list[tuple[str, str, str, str]]:
        state = self.device.state()
        if args == ["global"]:
            return show.consistency_rows(state, None)
        vpc = _consistency_vpc(args, state.local.vpcs)
        if vpc is None:
            raise _bad_word(2 + len(args))
        return show.consistency_rows(state, vpc)


def _consistency_vpc(args: list[str], vpcs: dict[int, Any]) -> int | None:
    """``vpc N`` or ``interface port-channel N``, as long as that vPC exists."""
    if len(args) == 2 and args[0] == "vpc" and args[1].isdigit() and int(args[1]) in vpcs:
        return int(args[1])
    if args[:1] == ["interface"]:
        try:
            names = interface_names(" ".join(args[1:]))
        except ValueError:
            return None
        return next((n for n, pc in vpcs.items() if names == [f"port-channel{pc.number}"]), None)
    return None


def _known_prefix(args: list[str]) -> int:
    """How many leading words of a show command the device recognised (where ``^`` goes)."""
    count = 0
    for word in args:
        if word not in _KEYWORDS:
            break
        count += 1
    return count


def _bad_word(index: int, message: str = "% Invalid command at '^' marker.") -> CliError:
    """An exec-level error marked under word ``index`` of the command as typed (``_exec`` turns
    the word into a column)."""
    return CliError(message, None, word=index)


def _filter(text: str, spec: str) -> str:
    """The ``| include`` family of output filters."""
    name, _, arg = spec.partition(" ")
    lines = text.splitlines()
    if name in ("include", "grep", "egrep", "exclude"):
        pattern = _regex(arg.strip())
        keep = name != "exclude"
        return "\n".join(line for line in lines if bool(pattern.search(line)) == keep) + "\n"
    if name == "begin":
        pattern = _regex(arg.strip())
        start = next((i for i, line in enumerate(lines) if pattern.search(line)), len(lines))
        return "\n".join(lines[start:]) + "\n"
    if name == "section":
        return _section(lines, _regex(arg.strip()))
    if name == "count":
        return f"{len(lines)}\n"
    if name == "no-more":
        return text
    raise CliError("% Invalid command at '^' marker.", None)


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error:
        raise CliError("% Invalid regular expression", None) from None


def _section(lines: list[str], pattern: re.Pattern[str]) -> str:
    """Top-level lines matching ``pattern`` with the indented lines below them."""
    out: list[str] = []
    keep = False
    for line in lines:
        if line and not line[0].isspace():
            keep = bool(pattern.search(line))
        if keep and line:
            out.append(line)
    return "\n".join(out) + "\n"
