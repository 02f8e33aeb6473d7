"""The ``display`` commands of a simulated CloudEngine, with VRP's output filters
(``| include REGEX``, ``| exclude REGEX``, ``| begin REGEX``, ``| no-more``).

VRP has no structured output on the CLI: everything here is text in the device's format. The
configuration views print what the device prints; the M-LAG views come from
``mlagauto.lab.huawei_vrpv8.mlag``. A show output goes through the ``corrupt_output`` fault knob.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from mlagauto.lab.huawei_vrpv8 import config, mlag
from mlagauto.lab.huawei_vrpv8.config import CliError, expand

if TYPE_CHECKING:
    from mlagauto.lab.huawei_vrpv8.cli import VrpShell

TOPICS = ("current-configuration", "saved-configuration", "version", "configuration", "dfs-group", "eth-trunk", "this")
PIPES = ("include", "exclude", "begin", "no-more")


def run(shell: VrpShell, words: list[str]) -> str:
    """Answer ``display ...`` (``words[0]`` is ``display`` or its abbreviation)."""
    command, pipe = (words[: words.index("|")], words[words.index("|") :]) if "|" in words else (words, [])
    if len(command) < 2:
        raise CliError("incomplete", 1)
    topic = _expand(command, 1, TOPICS)
    output = _TOPICS[topic](shell, command)
    return shell.device.maybe_corrupt(_filter(output, pipe, len(command)))


def _expand(words: list[str], index: int, choices: tuple[str, ...]) -> str:
    if index >= len(words):
        raise CliError("incomplete", index)
    return expand(words[index], choices, index)


def _no_more(words: list[str], index: int) -> None:
    if len(words) > index:
        raise CliError("too-many" if len(words) > index + 1 else "unrecognized", index)


def _filter(output: str, pipe: list[str], offset: int) -> str:
    if not pipe:
        return output
    if len(pipe) < 2:
        raise CliError("incomplete", offset + 1)
    kind = _expand(pipe, 1, PIPES)
    if kind == "no-more":
        return output
    if len(pipe) < 3:
        raise CliError("incomplete", offset + 2)
    try:
        pattern = re.compile(" ".join(pipe[2:]))
    except re.error:
        raise CliError("wrong", offset + 2) from None
    lines = output.split("\n")
    if kind == "include":
        return "\n".join(line for line in lines if pattern.search(line))
    if kind == "exclude":
        return "\n".join(line for line in lines if not pattern.search(line))
    start = next((i for i, line in enumerate(lines) if pattern.search(line)), len(lines))
    return "\n".join(lines[start:])


# --- configuration ---------------------------------------------------------------------------------
def _current(shell: VrpShell, words: list[str]) -> str:
    """``display current-configuration [interface NAME]``."""
    running = shell.device.running
    if len(words) == 2:
        return running
    if _expand(words, 2, ("interface",)) != "interface" or len(words) < 4:
        raise CliError("incomplete", len(words))
    name = config.interface_name(words[3:5])
    node = config.parse(running).first(f"interface {name}") if name else None
    if node is None:
        raise CliError("wrong", 3)
    return "\n".join(["#", *config.render_block(node), "#", "return"])


def _saved(shell: VrpShell, words: list[str]) -> str:
    _no_more(words, 2)
    return shell.device.startup


def _this(shell: VrpShell, words: list[str]) -> str:
    """``display this``: the current view's block of the candidate configuration."""
    _no_more(words, 2)
    if shell.view is None:
        raise CliError("unrecognized", 1)
    if not shell.view:
        return config.render(shell.candidate())
    node = config.walk(shell.candidate(), shell.view)
    return "\n".join(["#", *config.render_block(node), "#", "return"])


def _configuration(shell: VrpShell, words: list[str]) -> str:
    what = _expand(words, 2, ("candidate", "commit"))
    if what == "candidate":
        if shell.view is None:
            raise CliError("unrecognized", 2)
        mode = _expand(words, 3, ("changes", "merge")) if len(words) > 3 else "changes"
        _no_more(words, 4)
        candidate = config.render(shell.candidate())
        return candidate if mode == "merge" else changes(shell.device.running, candidate)
    detail = _expand(words, 3, ("list", "changes"))
    device = shell.device
    if detail == "list":
        verbose = len(words) > 4 and _expand(words, 4, ("verbose",)) == "verbose"
        _no_more(words, 5 if verbose else 4)
        return device.commit_list(verbose)
    if len(words) == 4:
        commit = device.commits[-1]
    else:
        if words[4:6] != ["at", "commit-id"] or len(words) != 7:
            raise CliError("incomplete" if len(words) < 7 else "wrong", min(len(words), 6))
        found = device.find_commit(words[6])
        if found is None:
            return "Error: The specified commit ID does not exist."
        commit = found
    return changes(commit.before, commit.after)


def changes(before: str, after: str) -> str:
    """The candidate-changes form: each changed block with its header, lines only in ``after``
    prefixed ``+``, lines only in ``before`` prefixed ``-`` (a modified line shows both)."""
    old, new = _blocks(before), _blocks(after)
    out: list[str] = []
    for key in list(new) + [k for k in old if k not in new]:
        a, b = old.get(key, []), new.get(key, [])
        if a == b:
            continue
        out.append("#")
        if a and b and config.opens_view(key):
            out.append(key)
            a, b = a[1:], b[1:]
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            out += ["-" + line for line in a[i1:i2]] + ["+" + line for line in b[j1:j2]]
    return "\n".join(out + ["#"]) if out else ""


def _blocks(text: str) -> dict[str, list[str]]:
    """The ``#``-separated groups of a rendered configuration, keyed by their view line (or the
    feature word of global commands)."""
    groups: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines() + ["#"]:
        if line.startswith("!") or line == "return":
            continue
        if line != "#":
            current.append(line)
            continue
        if current:
            key = current[0] if config.opens_view(current[0]) else current[0].split()[0]
            groups.setdefault(key, []).extend(current)
        current = []
    return groups


# --- platform and M-LAG --------------------------------------------------------------------------------
def _version(shell: VrpShell, words: list[str]) -> str:
    _no_more(words, 2)
    return shell.device.version_text()


def _pair(shell: VrpShell) -> mlag.Pair:
    """The pair as the two current running configurations make it."""
    return shell.device.mlag_pair()


def _dfs_group(shell: VrpShell, words: list[str]) -> str:
    """``display dfs-group [1]``, ``display dfs-group [1] [node N] m-lag [brief]`` and ``display
    dfs-group [1] peer-link``."""
    i = 2
    if i < len(words) and words[i].isdigit():
        if words[i] != "1":
            raise CliError("wrong", i)
        i += 1
    if i >= len(words) or words[i].startswith("|"):
        _no_more(words, i)
        pair = _pair(shell)
        return "Info: The DFS group 1 does not exist." if pair.local.dfs is None else mlag.show_dfs_summary(pair)
    node: int | None = None
    if i < len(words) and words[i] == "node":
        if i + 1 >= len(words) or words[i + 1] not in ("1", "2"):
            raise CliError("wrong" if i + 1 < len(words) else "incomplete", i + 1)
        node, i = int(words[i + 1]), i + 2
    what = _expand(words, i, ("m-lag", "peer-link") if node is None else ("m-lag",))
    brief = what == "m-lag" and (node is not None or len(words) > i + 1)
    if brief:
        if _expand(words, i + 1, ("brief",)) != "brief":
            raise CliError("unrecognized", i + 1)
        i += 1
    _no_more(words, i + 1)
    pair = _pair(shell)
    if pair.local.dfs is None:
        return "Info: The DFS group 1 does not exist."
    if what == "peer-link":
        return mlag.show_peer_link(pair)
    if not brief:
        return mlag.show_dfs_group(pair, shell.device.short_version(), shell.device.device_type)
    side = pair.local if node is None else next((s for s in pair.nodes if pair.node_id(s) == node), None)
    return mlag.show_mlag_brief(pair, side)


def _eth_trunk(shell: VrpShell, words: list[str]) -> str:
    pair = _pair(shell)
    trunks = pair.local.trunks
    if len(words) == 2:
        return mlag.show_eth_trunk(pair, sorted(trunks))
    _no_more(words, 3)
    if not words[2].isdigit():
        raise CliError("wrong", 2)
    if int(words[2]) not in trunks:
        return f"Error: The interface Eth-Trunk{words[2]} does not exist."
    return mlag.show_eth_trunk(pair, [int(words[2])])


_TOPICS = {
    "current-configuration": _current,
    "saved-configuration": _saved,
    "version": _version,
    "configuration": _configuration,
    "dfs-group": _dfs_group,
    "eth-trunk": _eth_trunk,
    "this": _this,
}
