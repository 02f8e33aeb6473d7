"""One SSH CLI session on a simulated CloudEngine (VRP V8, two-stage configuration).

Views and prompts: the user view ``<name>``; ``system-view`` enters ``[~name]``, which turns into
``[*name]`` as soon as the session's candidate differs from the running configuration; sub-views
add their label (``[*name-Eth-Trunk1]``, ``[~name-dfs-group-1]``). A command that the current
view does not have is tried in the enclosing views, so a system-view command typed inside an
interface view leaves that view, as on the device.

The candidate is the running configuration plus the commands this session typed: they are kept
and replayed onto the running configuration whenever another session committed in between, so a
commit never undoes someone else's. ``commit`` applies it and records a rollback point;
``rollback configuration to commit-id X`` restores the configuration as it was when point X was
generated (right after commit X), which is how the device documents it and how deployment tools
use it (they remember the current point before a change and roll back to it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from mlagauto.lab.huawei_vrpv8 import config, display
from mlagauto.lab.huawei_vrpv8.config import CliError, expand
from mlagauto.lab.shell import DropSession, Shell

if TYPE_CHECKING:
    from mlagauto.configtree import Node
    from mlagauto.lab.huawei_vrpv8.device import VrpDevice

USER_COMMANDS = ("display", "system-view", "save", "screen-length", "quit", "rollback")
SYSTEM_COMMANDS = ("display", "commit", "abort", "clear", "quit", "return", "save")
UNCOMMITTED_QUESTION = "Warning: Uncommitted configurations found. Are you sure to commit them before exiting? [Y(yes)/N(no)/C(cancel)]:"
SAVE_QUESTION = "Warning: The current configuration will be written to the device. Continue? [Y/N]:"
ROLLBACK_QUESTION = "Warning: This operation will revert configuration changes to the previous status. Continue? [Y/N]:"
COMMIT_ERROR = "Error: Failed to generate committed config."


class VrpShell(Shell):
    device: VrpDevice

    def __init__(self, device: VrpDevice):
        super().__init__(device)
        self.view: list[str] | None = None
        """None in the user view, else the path of block lines of the current view."""
        self.ops: list[tuple[list[str], list[str]]] = []
        self._candidate: Node | None = None
        self._candidate_base = ""
        self._running_tree: tuple[str, Node] | None = None
        self._dirty: tuple[int, str, bool] | None = None
        self._pending: Callable[[str], str] | None = None

    # --- contract ------------------------------------------------------------------------------
    def greeting(self) -> str:
        return (
            "Info: The max number of VTY users is 21, the number of current VTY users online is 1, "
            "and total number of terminal users online is 1.\n"
            f"      The current login time is {self.device.clock()}.\n"
        )

    def prompt(self) -> str:
        if self._pending is not None:
            return ""
        name = self.device.sysname()
        if self.view is None:
            return f"<{name}>"
        label = config.view_label(self.view)
        mark = "*" if self.dirty() else "~"
        return f"[{mark}{name}{'-' + label if label else ''}]"

    def handle(self, line: str) -> str:
        if self._pending is not None:
            answer, self._pending = self._pending, None
            return answer(line.strip())
        words = line.split()
        if not words or words[0].startswith("#"):
            return ""
        try:
            return self._user(words) if self.view is None else self._system(words)
        except CliError as error:
            return self._error(self.prompt(), line, error)

    @staticmethod
    def _error(prompt: str, line: str, error: CliError) -> str:
        """The caret line under the word VRP stopped at, then the message (a refused command
        changes neither the view nor the candidate, so the prompt is the one it was typed at)."""
        starts = [m.start() for m in re.finditer(r"\S+", line)]
        column = starts[error.token] if error.token < len(starts) else len(line.rstrip()) + 1
        return f"{' ' * (len(prompt) + column)}^\nError: {error}"

    def _ask(self, question: str, answer: Callable[[str], str]) -> str:
        self._pending = answer
        return question

    # --- candidate ---------------------------------------------------------------------------------
    def candidate(self) -> Node:
        """Running configuration plus this session's commands (replayed when the running
        configuration changed under them)."""
        running = self.device.running
        if self._candidate is None or self._candidate_base != running:
            tree = config.parse(running)
            for path, words in self.ops:
                try:
                    config.apply(tree, path, words)
                except CliError:
                    continue
            self._candidate, self._candidate_base = tree, running
        return self._candidate

    def dirty(self) -> bool:
        """Whether the candidate differs from the running configuration (the ``*`` of the
        prompt); worked out once per command, on the trees, since every prompt asks."""
        running = self.device.running
        if not self.ops:
            return False
        if self._dirty is None or self._dirty[:2] != (len(self.ops), running):
            if self._running_tree is None or self._running_tree[0] != running:
                self._running_tree = (running, config.parse(running))
            self._dirty = (len(self.ops), running, not config.same(self.candidate(), self._running_tree[1]))
        return self._dirty[2]

    def _discard(self) -> None:
        self.ops = []
        self._candidate = None
        self._dirty = None

    # --- user view ---------------------------------------------------------------------------------
    def _user(self, words: list[str]) -> str:
        command = expand(words[0], USER_COMMANDS, 0)
        if command == "display":
            return display.run(self, words)
        if command == "system-view":
            if len(words) > 1:
                raise CliError("too-many", 1)
            self.view = []
            return "Enter system view, return user view with return command."
        if command == "screen-length":
            return "Info: The configuration takes effect on the current user terminal interface only."
        if command == "quit":
            self.closed = True
            return ""
        if command == "rollback":
            return self._rollback(words)
        return self._save(words)

    def _rollback(self, words: list[str]) -> str:
        """``rollback configuration to commit-id X`` / ``last N`` / ``to file F``."""
        if words[1:2] != ["configuration"]:
            raise CliError("incomplete" if len(words) < 2 else "unrecognized", 1)
        target = words[2:]
        if target[:2] == ["to", "commit-id"] and len(target) == 3:
            after = self.device.config_after(target[2])
        elif target[:1] == ["last"] and len(target) == 2 and target[1].isdigit():
            after = self.device.config_before_last(int(target[1]))
        elif target[:2] == ["to", "file"] and len(target) == 3:
            after = self.device.files.get(target[2])
        else:
            raise CliError("incomplete" if len(words) < 4 else "wrong", min(len(words), 3))
        if after is None:
            return "Error: The specified rollback point or file does not exist."

        def answer(reply: str) -> str:
            if not reply.lower().startswith("y"):
                return ""
            self.device.commit(after, self.device.username, label="", description="rollback")
            return "Info: Succeeded in rolling back the configuration."

        return self._ask(ROLLBACK_QUESTION, answer)

    def _save(self, words: list[str]) -> str:
        filename = words[1] if len(words) > 1 else None

        def answer(reply: str) -> str:
            if not reply.lower().startswith("y"):
                return ""
            self.device.save(filename)
            return "Now saving the current configuration to the slot 1\nInfo: Save the configuration successfully."

        return self._ask(SAVE_QUESTION, answer)

    # --- system view and below ---------------------------------------------------------------------
    def _system(self, words: list[str]) -> str:
        assert self.view is not None
        if not self._is_config(words):
            return self._system_command(words)
        path = self._owning_view(words)
        self.view = config.apply(self.candidate(), path, words)
        self.ops.append((path, words))
        return ""

    def _is_config(self, words: list[str]) -> bool:
        """A configuration line of this view or an enclosing one (any abbreviation of a session
        command such as ``dis`` or ``ret`` is a command, even in views that take free text)."""
        assert self.view is not None
        if any(c.startswith(words[0]) for c in SYSTEM_COMMANDS):
            return False
        return any(config.accepts(self.view[:depth], words) for depth in range(len(self.view), -1, -1))

    def _owning_view(self, words: list[str]) -> list[str]:
        """The innermost view (current or enclosing) that has the command."""
        assert self.view is not None
        depth = next(d for d in range(len(self.view), -1, -1) if config.accepts(self.view[:d], words))
        return self.view[:depth]

    def _system_command(self, words: list[str]) -> str:
        command = expand(words[0], SYSTEM_COMMANDS, 0)
        if command == "display":
            return display.run(self, words)
        if command == "commit":
            return self._commit(words)
        if command == "quit":
            assert self.view is not None
            if self.view:
                self.view = self.view[:-1]
                return ""
            return self._leave()
        if command == "return":
            return self._leave()
        if command == "abort":
            self._discard()
            self.view = None
            return ""
        if command == "clear":
            if words[1:] != ["configuration", "candidate"]:
                raise CliError("incomplete" if len(words) < 3 else "unrecognized", min(len(words), 2))
            self._discard()
            self.view = []
            return ""
        return self._save(words)

    def _leave(self) -> str:
        """To the user view, asking first when there is something uncommitted."""
        if not self.dirty():
            self._discard()
            self.view = None
            return ""

        def answer(reply: str) -> str:
            choice = reply[:1].lower()
            if choice == "c":
                return ""
            if choice == "y":
                output = self._apply_commit("", "")
                if output:
                    return output
            self._discard()
            self.view = None
            return ""

        return self._ask(UNCOMMITTED_QUESTION, answer)

    def _commit(self, words: list[str]) -> str:
        """``commit [label L] [description D]`` (VRP has no ``commit comment``)."""
        options = words[1:]
        label = description = ""
        if options[:1] == ["label"]:
            if len(options) < 2:
                raise CliError("incomplete", 2)
            label, options = options[1], options[2:]
        if options[:1] == ["description"]:
            if len(options) < 2:
                raise CliError("incomplete", len(words))
            description, options = " ".join(options[1:]).strip('"'), []
        if options:
            raise CliError("unrecognized", len(words) - len(options))
        return self._apply_commit(label, description)

    def _apply_commit(self, label: str, description: str) -> str:
        """The commit point of the fault knobs: drop or reject before anything is applied."""
        after = config.render(self.candidate())
        if after == self.device.running:
            self._discard()
            return ""
        if self.device.faults.take("drop_on_commit"):
            raise DropSession()
        if self.device.faults.take("reject_next_commit"):
            return COMMIT_ERROR
        self.device.commit(after, self.device.username, label, description)
        self._discard()
        return ""
