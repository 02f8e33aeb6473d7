"""Operational-mode commands shared by the CLI and NETCONF ``<command>``: parsing with Junos'
unique-prefix abbreviations, the ``show`` commands, and output pipes."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from mlagauto.lab.juniper_junos import interfaces, show
from mlagauto.lab.juniper_junos.device import JunosDevice, timestamp
from mlagauto.lab.juniper_junos.mclag import iccp_states, lacp_bundles, mcae_states
from mlagauto.lab.juniper_junos.show import JUNOS_NS, Elem, to_json, to_xml
from mlagauto.lab.juniper_junos.statements import diff

Command = tuple[str, bool]
"""A command's handler name and whether it takes arguments."""

OP_TREE: dict[str, object] = {
    "show": {
        "version": ("version", True),
        "configuration": ("configuration", True),
        "iccp": ("iccp", True),
        "interfaces": {"mc-ae": ("mcae", True), "terse": ("terse", False)},
        "lldp": {"neighbors": ("lldp-neighbors", False)},
        "lacp": {"interfaces": ("lacp", True)},
        "system": {"commit": ("commits", False), "uptime": ("uptime", False)},
    },
    "configure": ("configure", True),
    "set": {
        "cli": {
            "screen-width": ("screen-width", True),
            "screen-length": ("screen-length", True),
            "complete-on-space": ("complete-on-space", True),
        }
    },
    "exit": ("exit", False),
    "quit": ("exit", False),
}

SHOW_COMMANDS = ("version", "configuration", "iccp", "mcae", "lacp", "commits", "uptime", "terse", "lldp-neighbors")
"""Handlers of ``show`` commands (the rest of the tree changes the session)."""

WORD = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s|]+|\|')


class CliSyntaxError(Exception):
    """A command Junos does not accept; ``column`` is where the caret goes."""

    def __init__(self, column: int, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class Words:
    """A command line cut into words (with their columns) and ``|`` pipes."""

    words: list[str]
    columns: list[int]
    pipes: list[list[str]] = field(default_factory=list)
    end: int = 0

    @classmethod
    def parse(cls, line: str) -> Words:
        parts: list[list[tuple[str, int]]] = [[]]
        for m in WORD.finditer(line):
            if m.group() == "|":
                parts.append([])
            else:
                parts[-1].append((m.group().strip('"'), m.start()))
        head = parts[0]
        return cls([w for w, _ in head], [c for _, c in head], [[w for w, _ in p] for p in parts[1:]], len(line.rstrip()) + 1)

    def column(self, index: int) -> int:
        return self.columns[index] if index < len(self.columns) else self.end


def resolve(tree: Mapping[str, object], words: Words) -> tuple[str, list[str]]:
    """Walk the command tree (unique prefixes allowed): the handler and its arguments."""
    node: object = tree
    for i, word in enumerate(words.words):
        if isinstance(node, tuple):
            name, takes_args = node
            if not takes_args:
                raise CliSyntaxError(words.column(i), "syntax error.")
            return name, words.words[i:]
        assert isinstance(node, Mapping)
        choices = [k for k in node if k == word] or [k for k in node if k.startswith(word)]
        if len(choices) > 1:
            raise CliSyntaxError(words.column(i), f"'{word}' is ambiguous.")
        if not choices:
            raise CliSyntaxError(words.column(i), "unknown command." if i == 0 else "syntax error, expecting <command>.")
        node = node[choices[0]]
    if isinstance(node, tuple):
        return node[0], []
    raise CliSyntaxError(words.end, "syntax error, expecting <command>.")


@dataclass
class Result:
    """A command's output: its text and, where Junos has one, its element form."""

    text: str
    elem: Elem | None = None
    configuration: bool = False
    """Configuration text, which NETCONF wraps in ``<configuration-information>``."""


def run_show(device: JunosDevice, name: str, args: list[str], pipes: list[list[str]]) -> Result:
    """Run one resolved ``show`` command for the operational-mode CLI or NETCONF."""
    if name == "configuration":
        return _configuration(device, args, pipes)
    if args and name in ("version", "iccp") and args != ["detail"]:
        raise CliSyntaxError(-1, "syntax error.")
    mine, theirs = device.chassis_views()
    if name == "version":
        return _version(device)
    if name == "iccp":
        joined = sorted({ae.mc["redundancy-group"] for ae in mine.aes.values() if ae.mc_ae_id and "redundancy-group" in ae.mc}, key=_num)
        states = iccp_states(mine, theirs)
        return Result(show.iccp_text(states, joined), show.iccp_elem(states, joined))
    if name == "mcae":
        wanted = _option(args, "id")
        members = [s for s in mcae_states(mine, theirs) if wanted is None or mine.aes[s.name].mc_ae_id == wanted]
        return Result(show.mcae_text(members), show.mcae_elem(members))
    if name == "lacp":
        extensive = "extensive" in args
        names = [a for a in args if a not in ("extensive", "brief", "detail")]
        bundles = [b for b in lacp_bundles(mine, theirs) if not names or b.name in names]
        return Result(show.lacp_text(bundles, extensive), show.lacp_elem(bundles, extensive))
    if name == "commits":
        return Result(commit_history(device))
    if name == "terse":
        return Result(interfaces.terse_text(device))
    if name == "lldp-neighbors":
        return Result(interfaces.lldp_text(device))
    return Result(uptime_text(device))


def _num(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _option(args: list[str], keyword: str) -> str | None:
    if keyword in args and args.index(keyword) + 1 < len(args):
        return args[args.index(keyword) + 1]
    return None


def _version(device: JunosDevice) -> Result:
    host = device.hostname()
    text = (
        f"Hostname: {host}\nModel: {device.model}\nJunos: {device.version}\n"
        f"JUNOS OS Kernel 64-bit  [{device.version}]\nJUNOS Base OS boot [{device.version}]"
    )
    elem: Elem = (
        "software-information",
        [
            ("host-name", host),
            ("product-model", device.model),
            ("product-name", device.model),
            ("junos-version", device.version),
            ("package-information", [("name", "junos"), ("comment", f"JUNOS Base OS boot [{device.version}]")]),
        ],
    )
    return Result(text, elem)


def _configuration(device: JunosDevice, args: list[str], pipes: list[list[str]]) -> Result:
    """``show configuration [path] [| display set] [| compare rollback N]`` (committed)."""
    compare = next((p for p in pipes if p[:1] == ["compare"]), None)
    if compare is not None:
        return Result(compare_text(device, device.committed.paths(), compare), configuration=True)
    form = "set" if ["display", "set"] in pipes else "text"
    return Result(device.config_text("committed", tuple(args), form), configuration=True)


def compare_text(device: JunosDevice, paths: list[tuple[str, ...]], pipe: list[str], prefix: tuple[str, ...] = ()) -> str:
    """``| compare [rollback N]``: the given configuration (at or below ``prefix``) against
    rollback N (default 0)."""
    number = int(pipe[2]) if len(pipe) >= 3 and pipe[1] == "rollback" and pipe[2].isdigit() else 0
    if number >= len(device.history):
        raise CliSyntaxError(-1, f"Cannot compare to rollback {number}: file does not exist")
    n = len(prefix)
    return diff([p for p in device.history[number].config.paths() if p[:n] == prefix], [p for p in paths if p[:n] == prefix])


def commit_history(device: JunosDevice) -> str:
    """``show system commit``."""
    lines = []
    for i, rev in enumerate(device.history):
        note = f" {rev.confirm_note}" if rev.confirm_note else ""
        lines.append(f"{i:<4}{timestamp(rev.epoch)} by {rev.user} via {rev.via}{note}")
        if rev.comment:
            lines.append(f"    {rev.comment}")
    return "\n".join(lines)


def uptime_text(device: JunosDevice) -> str:
    now = time.time()
    up = int(now - device.booted)
    return (
        f"Current time: {timestamp(now)}\nSystem booted: {timestamp(device.booted)} ({up // 60:02d}:{up % 60:02d} ago)\n"
        f"Last configured: {timestamp(device.history[0].epoch)} by {device.history[0].user}"
    )


def render(result: Result, pipes: list[list[str]]) -> str:
    """A result as text: ``| display json|xml`` use its element form, other pipes filter text."""
    if ["display", "json"] in pipes or ["display", "xml"] in pipes:
        if result.elem is None:
            raise CliSyntaxError(-1, "syntax error, expecting <command>.")
        if ["display", "json"] in pipes:
            return to_json(result.elem)
        return f'<rpc-reply xmlns:junos="{JUNOS_NS}">\n{to_xml(result.elem, 1)}\n</rpc-reply>'
    return apply_pipes(result.text.rstrip("\n"), pipes)


def apply_pipes(text: str, pipes: list[list[str]]) -> str:
    """Text filters after ``|``: match, except, count, last, no-more (display/compare pipes are
    handled by the commands that understand them)."""
    for pipe in pipes:
        kind, arg = pipe[0], " ".join(pipe[1:])
        lines = text.split("\n")
        if kind == "match":
            text = "\n".join(line for line in lines if re.search(arg, line, re.IGNORECASE))
        elif kind == "except":
            text = "\n".join(line for line in lines if not re.search(arg, line, re.IGNORECASE))
        elif kind == "count":
            text = f"Count: {len([line for line in lines if line])} lines"
        elif kind == "last" and arg.isdigit():
            text = "\n".join(lines[-int(arg) :])
    return text


PIPES = ("match", "except", "count", "last", "no-more", "display", "compare")


def check_pipes(words: Words) -> None:
    for pipe in words.pipes:
        if not pipe or pipe[0] not in PIPES or (pipe[0] == "display" and pipe[1:] not in (["set"], ["json"], ["xml"])):
            raise CliSyntaxError(words.end, "syntax error, expecting <command>.")
