"""The EOS command interpreter shared by SSH sessions and eAPI requests.

Modes: unprivileged exec (``name>``), privileged exec (``name#``), ``configure terminal`` (edits
running-config at once) and ``configure session NAME`` (edits a private copy until ``commit``), each with the
sub-modes of ``config.Editor``. ``show`` works in every mode; pipes ``| json``, ``| include``,
``| exclude``, ``| begin``, ``| section`` and ``| no-more`` are understood. Exec keywords may
be abbreviated (``sh run``, ``conf t``); the longest matching command wins.

Where a session starts follows the device's ``privilege`` lab option, as a real switch follows the
user's privilege level: 15 lands at ``name#``, 1 at ``name>``, from where ``enable`` leads to
``name#``. With the ``enable_secret`` option set, ``enable`` asks ``Password:`` on the CLI (the
answer is not echoed) and, over eAPI, reads the secret from the command's ``input`` (as pyeapi
sends ``{"cmd": "enable", "input": ...}``); a wrong secret leaves the session where it was.
``disable`` always returns to ``name>`` (level 1).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mlagauto.configtree import Node
from mlagauto.lab.arista_eos import interfaces, show
from mlagauto.lab.arista_eos.config import (
    CliError,
    Editor,
    filter_blocks,
    interface_name,
    invalid,
    render,
)
from mlagauto.lab.arista_eos.show import Output
from mlagauto.lab.shell import Shell

if TYPE_CHECKING:
    from mlagauto.lab.arista_eos.device import EosDevice

Handler = Callable[["EosCli", list[str]], Output]

_COMMANDS: list[tuple[tuple[str, ...], str, bool]] = [
    (("enable",), "enable", False),
    (("disable",), "disable", False),
    (("terminal", "width"), "terminal_width", False),
    (("terminal", "length"), "terminal_length", False),
    (("exit",), "exit", False),
    (("logout",), "exit", False),
    (("quit",), "exit", False),
    (("configure",), "configure", True),
    (("configure", "terminal"), "configure", True),
    (("configure", "session"), "configure_session", True),
    (("configure", "replace"), "configure_replace", True),
    (("copy",), "copy", True),
    (("write",), "write", True),
    (("show", "version"), "show_version", False),
    (("show", "hostname"), "show_hostname", False),
    (("show", "privilege"), "show_privilege", False),
    (("show", "running-config"), "show_running", True),
    (("show", "startup-config"), "show_startup", True),
    (("show", "session-config"), "show_session_config", True),
    (("show", "configuration", "sessions"), "show_sessions", True),
    (("show", "mlag"), "show_mlag", False),
    (("show", "lacp", "peer"), "show_lacp_peer", False),
    (("show", "lacp", "neighbor"), "show_lacp_peer", False),
    (("show", "lacp", "interface"), "show_lacp_interface", False),
    (("show", "interfaces"), "show_interfaces", False),
    (("show", "lldp", "neighbors"), "show_lldp_neighbors", False),
]
"""Exec commands: keywords, handler method (``do_<name>``), and whether enable is needed."""

_PIPES = ("json", "include", "exclude", "begin", "section", "no-more", "grep")


def _keyword_matches(typed: str, keyword: str) -> bool:
    return bool(typed) and keyword.startswith(typed.lower())


def _lookup(words: list[str]) -> tuple[str, bool, list[str]]:
    """The longest command whose keywords the typed words abbreviate; its arguments follow."""
    best: tuple[tuple[str, ...], str, bool] | None = None
    reached = 0
    for keywords, handler, privileged in _COMMANDS:
        n = 0
        while n < len(keywords) and n < len(words) and _keyword_matches(words[n], keywords[n]):
            n += 1
        reached = max(reached, n)
        if n == len(keywords) and (best is None or len(keywords) > len(best[0])):
            best = (keywords, handler, privileged)
    if best is None:
        if reached == len(words):
            raise CliError("Incomplete command", "incomplete")
        raise invalid(words, reached)
    return best[1], best[2], words[len(best[0]) :]


def _hms(text: str) -> int:
    m = re.fullmatch(r"(\d{1,2}):(\d{2}):(\d{2})", text)
    if not m:
        raise ValueError(text)
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))


class EosCli:
    """One CLI session: privilege, mode and the configure session being edited."""

    def __init__(self, device: EosDevice, privileged: bool | None = None):
        self.device = device
        self.privileged = device.privilege >= 15 if privileged is None else privileged
        self.editor: Editor | None = None
        self.session: str | None = None
        self.closed = False
        self.awaiting_secret = False
        """``enable`` asked ``Password:`` on the CLI and the next line is the answer."""
        self.enable_input: str | None = None
        """The ``input`` of the eAPI command being run (the enable secret pyeapi sends; "" without
        one). None on the SSH CLI, where ``enable`` asks for the secret instead."""

    # --- prompt -----------------------------------------------------------------------------
    def prompt(self) -> str:
        name = self.device.hostname
        if self.editor is None:
            return f"{name}{'#' if self.privileged else '>'}"
        mode = f"config-s-{self.session}" if self.session else "config"
        label = self.editor.label
        return f"{name}({mode}{'-' + label if label else ''})#"

    # --- entry point ----------------------------------------------------------------------------
    def run(self, line: str, fmt: str = "text") -> Output:
        """Run one line; ``fmt`` is the format the caller will read (eAPI ``json`` or text), so
        the ``corrupt_output`` fault garbles what the client actually parses."""
        command, pipes = _split_pipes(line.strip())
        if not command:
            return Output(data={})
        words = command.split()
        if self.editor is not None and not _is_exec_in_config(words):
            return self._config_line(command, words)
        if words[0] == "do":
            words = words[1:]
        output = self._exec(words)
        if words and _keyword_matches(words[0], "show"):
            output = self._corrupt(output, fmt if not pipes else "text")
        return _apply_pipes(output, pipes)

    def _exec(self, words: list[str]) -> Output:
        name, needs_enable, args = _lookup(words)
        if needs_enable and not self.privileged:
            raise CliError("Invalid input (privileged mode required)")
        handler: Handler = getattr(EosCli, f"do_{name}")
        return handler(self, args)

    def _corrupt(self, output: Output, fmt: str) -> Output:
        if fmt == "json" and output.data is not None:
            return Output(output.text, _corrupt_data(self.device, output.data))
        return Output(self.device.maybe_corrupt(output.text), output.data)

    # --- config mode -------------------------------------------------------------------------------
    def _config_line(self, command: str, words: list[str]) -> Output:
        assert self.editor is not None
        head = words[0].lower()
        if head == "end":
            self._leave_config()
        elif head == "exit":
            if not self.editor.exit():
                self._leave_config()
        elif self.session and head == "commit":
            self._commit(words[1:])
        elif self.session and head == "abort":
            self.device.abort_session(self.session, self.device.username)
            self._leave_config()
        elif self.session and words[:2] == ["rollback", "clean-config"]:
            session = self.device.open_session(self.session)
            session.tree = self.device.clean_tree()
            self.editor = Editor(session.tree)
        else:
            self.editor.apply(command)
        return Output(data={})

    def _commit(self, args: list[str]) -> None:
        assert self.session is not None
        timer = None
        if args:
            if args[0] != "timer" or len(args) != 2:
                raise invalid(["commit"] + args, 1)
            try:
                timer = _hms(args[1])
            except ValueError:
                raise invalid(["commit"] + args, 2) from None
        self.device.commit_session(self.session, timer, self.device.username)
        self._leave_config()

    def _leave_config(self) -> None:
        self.editor = None
        self.session = None

    # --- exec commands ---------------------------------------------------------------------------
    def do_enable(self, args: list[str]) -> Output:
        secret = self.device.enable_secret
        if self.privileged or secret is None:
            self.privileged = True
            return Output(data={})
        if self.enable_input is not None:  # eAPI: the secret comes with the command
            self.answer_secret(self.enable_input)
            return Output(data={})
        self.awaiting_secret = True
        return Output("Password: ", {})

    def answer_secret(self, typed: str) -> None:
        """The answer to ``enable``'s ``Password:``: privileged exec, or EOS's refusal."""
        self.awaiting_secret = False
        if typed != self.device.enable_secret:
            raise CliError("Access denied", "failed")
        self.privileged = True

    def do_disable(self, args: list[str]) -> Output:
        self.privileged = False
        return Output(data={})

    def do_terminal_width(self, args: list[str]) -> Output:
        if len(args) != 1 or not args[0].isdigit():
            raise CliError("Incomplete command", "incomplete") if not args else invalid(["terminal", "width"] + args, 2)
        return _message(f"Width set to {args[0]} columns.")

    def do_terminal_length(self, args: list[str]) -> Output:
        if len(args) != 1 or not args[0].isdigit():
            raise CliError("Incomplete command", "incomplete") if not args else invalid(["terminal", "length"] + args, 2)
        return _message("Pagination disabled." if args[0] == "0" else f"Pagination set to {args[0]} lines.")

    def do_exit(self, args: list[str]) -> Output:
        self.closed = True
        return Output(data={})

    def do_configure(self, args: list[str]) -> Output:
        if args and not _keyword_matches(args[0], "terminal"):
            raise invalid(["configure"] + args, 1)
        self.editor = Editor(self.device.tree)
        return Output(data={})

    def do_configure_session(self, args: list[str]) -> Output:
        name = args[0] if args else f"session{len(self.device.commits) + len(self.device.sessions) + 1}"
        rest = [a.lower() for a in args[1:]]
        user = self.device.username
        if not rest:
            self.session = name
            self.editor = Editor(self.device.open_session(name).tree)
        elif rest == ["commit"]:
            self.device.commit_session(name, None, user)
        elif rest[:2] == ["commit", "timer"] and len(rest) == 3:
            try:
                self.device.commit_session(name, _hms(rest[2]), user)
            except ValueError:
                raise invalid(["configure", "session"] + args, 4) from None
        elif rest == ["abort"]:
            self.device.abort_session(name, user)
        else:
            raise invalid(["configure", "session"] + args, 3)
        return Output(data={})

    def do_configure_replace(self, args: list[str]) -> Output:
        if not args:
            raise CliError("Incomplete command", "incomplete")
        self.device.replace(args[0], self.device.username)
        return Output(data={})

    def do_copy(self, args: list[str]) -> Output:
        if len(args) != 2:
            raise CliError("Incomplete command", "incomplete") if len(args) < 2 else invalid(["copy"] + args, 3)
        self.device.copy(args[0], args[1], self.device.username)
        return _message("Copy completed successfully.")

    def do_write(self, args: list[str]) -> Output:
        if args and not _keyword_matches(args[0], "memory"):
            raise invalid(["write"] + args, 1)
        self.device.copy("running-config", "startup-config")
        return _message("Copy completed successfully.")

    # --- show commands -----------------------------------------------------------------------------
    def do_show_version(self, args: list[str]) -> Output:
        d = self.device
        return show.version(d.hostname, d.mac, d.serial, d.uptime(), d.boot_time)

    def do_show_hostname(self, args: list[str]) -> Output:
        return show.hostname(self.device.hostname)

    def do_show_privilege(self, args: list[str]) -> Output:
        level = 15 if self.privileged else 1
        return Output(f"Current privilege level is {level}\n", {"privilegeLevel": level})

    def do_show_running(self, args: list[str]) -> Output:
        words = [a for a in args if a.lower() not in ("all", "sanitized", "detail")]
        return self._config_output("show running-config" + "".join(" " + a for a in args), self.device.tree, words)

    def do_show_startup(self, args: list[str]) -> Output:
        header = "! Startup-config last modified by " + (self.device.username or "admin") + "\n"
        text = self.device.startup
        return Output("! Command: show startup-config\n" + header + self._device_line() + "!\n" + text, None)

    def do_show_session_config(self, args: list[str]) -> Output:
        lowered = [a.lower() for a in args]
        if lowered[:1] == ["named"] and len(args) >= 2:
            name, rest = args[1], lowered[2:]
        elif self.session:
            name, rest = self.session, lowered
        else:
            raise CliError("Incomplete command", "incomplete")
        session = self.device.sessions.get(name)
        if session is None:
            raise CliError(f"Session {name} does not exist", "failed")
        if rest[:1] == ["diffs"]:
            return Output(_diff(self.device.tree, session.tree, name), None)
        return self._config_output(f"show session-config named {name}", session.tree, rest)

    def do_show_sessions(self, args: list[str]) -> Output:
        if args and not _keyword_matches(args[0], "detail"):
            raise invalid(["show", "configuration", "sessions"] + args, 3)
        return _sessions(self.device)

    def do_show_mlag(self, args: list[str]) -> Output:
        pair = self.device.pair_state()
        sub = args[0].lower() if args else ""
        if not sub:
            return show.mlag(pair)
        if _keyword_matches(sub, "detail"):
            return show.mlag(pair, detail=True, uptime=self.device.uptime())
        if _keyword_matches(sub, "interfaces"):
            return show.mlag_interfaces(pair)
        if _keyword_matches(sub, "config-sanity"):
            return show.config_sanity(pair)
        raise invalid(["show", "mlag"] + args, 2)

    def do_show_lacp_peer(self, args: list[str]) -> Output:
        return show.lacp_peer(self.device.pair_state(), self.device.peer_pair_state())

    def do_show_lacp_interface(self, args: list[str]) -> Output:
        return show.lacp_interface(self.device.pair_state(), self.device.peer_pair_state())

    def do_show_interfaces(self, args: list[str]) -> Output:
        return interfaces.show_interfaces(self.device, args)

    def do_show_lldp_neighbors(self, args: list[str]) -> Output:
        return interfaces.show_lldp_neighbors(self.device)

    # --- helpers -----------------------------------------------------------------------------------
    def _device_line(self) -> str:
        return f"! device: {self.device.hostname} ({show.MODEL}, EOS-{show.VERSION})\n"

    def _config_output(self, command: str, tree: Node, args: list[str]) -> Output:
        """A configuration listing with its header; ``section X`` / ``interfaces X`` filter it."""
        body = render(tree)
        if args[:1] and _keyword_matches(args[0], "section") and len(args) > 1:
            return Output(filter_blocks(body, _regex(" ".join(args[1:])).search), _config_json(tree))
        if args[:1] and _keyword_matches(args[0], "interfaces") and len(args) > 1:
            names = {f"interface {interface_name(a) or a}" for a in args[1:]}
            return Output(filter_blocks(body, names.__contains__), _config_json(tree))
        if args:
            raise invalid(command.split(), len(command.split()) - len(args))
        header = f"! Command: {command}\n{self._device_line()}!\n! boot system flash:/vEOS-lab.swi\n!\n"
        return Output(header + body, _config_json(tree))


def _message(text: str) -> Output:
    return Output(text + "\n", {"messages": [text]})


def _is_exec_in_config(words: list[str]) -> bool:
    """Lines config mode hands to the exec interpreter: ``show ...`` and ``do ...``."""
    return bool(words) and (words[0] == "do" or (_keyword_matches(words[0], "show") and len(words[0]) >= 2))


def _split_pipes(line: str) -> tuple[str, list[list[str]]]:
    parts = line.split(" | ")
    pipes = [p.split() for p in parts[1:]]
    if any(not p or p[0] not in _PIPES for p in pipes):
        return line, []
    return parts[0].strip(), pipes


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error:
        raise CliError(f"Invalid regular expression: {text}") from None


def _apply_pipes(output: Output, pipes: list[list[str]]) -> Output:
    text = output.text
    for pipe in pipes:
        name, pattern = pipe[0], _regex(" ".join(pipe[1:]))
        if name == "json":
            if output.data is None:
                raise CliError("This is an unconverted command", "failed")
            text = json.dumps(output.data, indent=2) + "\n"
        elif name in ("include", "grep"):
            text = "".join(line for line in text.splitlines(True) if pattern.search(line))
        elif name == "exclude":
            text = "".join(line for line in text.splitlines(True) if not pattern.search(line))
        elif name == "begin":
            lines = text.splitlines(True)
            start = next((i for i, line in enumerate(lines) if pattern.search(line)), len(lines))
            text = "".join(lines[start:])
        elif name == "section":
            text = filter_blocks(text, pattern.search)
    return Output(text, output.data)


def _corrupt_data(device: EosDevice, data: dict[str, Any]) -> dict[str, Any]:
    """The ``corrupt_output`` fault on a JSON answer: one string value is garbled, so the reply
    still parses but carries a wrong value."""
    leaves: list[tuple[Any, Any]] = []

    def collect(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, str) and value.strip() and "\n" not in value:
                leaves.append((node, key))
            else:
                collect(value)

    copy = json.loads(json.dumps(data))
    collect(copy)
    if leaves:
        garbled = device.maybe_corrupt("\n".join(str(node[key]) for node, key in leaves)).split("\n")
        for (node, key), value in zip(leaves, garbled):
            node[key] = value
    return copy


def _config_json(tree: Node) -> dict[str, Any]:
    """``show running-config | json``: nested ``cmds`` dictionaries, as EOS returns them."""

    def cmds(node: Node) -> dict[str, Any]:
        return {c.text: ({"cmds": cmds(c), "comments": []} if c.children else None) for c in node.children}

    return {"cmds": cmds(tree), "header": ["! boot system flash:/vEOS-lab.swi"]}


def _diff(running: Node, session: Node, name: str) -> str:
    """``show session-config named X diffs``: unified diff against running-config."""
    before, after = render(running).splitlines(), render(session).splitlines()
    lines = list(difflib.unified_diff(before, after, "system:/running-config", f"session:/{name}-session-config", lineterm=""))
    return "\n".join(lines) + ("\n" if lines else "")


def _sessions(device: EosDevice) -> Output:
    """``show configuration sessions [detail]``: EOS 4.31 keys (``commitBy`` is in uptime
    seconds, which napalm compares with ``show version``'s ``uptime``)."""
    sessions: dict[str, Any] = {}
    rows = []
    for s in device.sessions.values():
        entry: dict[str, Any] = {"state": s.state, "description": "", "instances": {}}
        if s.commit_by is not None:
            entry["commitBy"] = s.commit_by
        if s.completed_at is not None:
            entry["completedTime"] = device.boot_time + s.completed_at
        sessions[s.name] = entry
        rows.append(f"  {s.name:<20} {s.state:<20}")
    data = {"sessions": sessions, "maxSavedSessions": 1, "maxOpenSessions": 5}
    text = "\n".join(
        [
            "Maximum number of completed sessions: 1",
            "Maximum number of pending sessions: 5",
            "",
            "  Name                 State               ",
            "  -------------------- --------------------",
        ]
        + rows
    )
    return Output(text + "\n", data)


class EosShell(Shell):
    """An SSH CLI session: errors print as ``% message`` under the command, as EOS does."""

    def __init__(self, device: EosDevice):
        super().__init__(device)
        self.cli = EosCli(device)

    def prompt(self) -> str:
        return "" if self.cli.awaiting_secret else self.cli.prompt()

    @property
    def echo(self) -> bool:
        return not self.cli.awaiting_secret

    def handle(self, line: str) -> str:
        try:
            if self.cli.awaiting_secret:
                self.cli.answer_secret(line)
                return ""
            output = self.cli.run(line).text
        except CliError as err:
            output = f"% {err.message}\n"
        self.closed = self.cli.closed
        return output
