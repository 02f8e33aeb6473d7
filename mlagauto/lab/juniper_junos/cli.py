"""The Junos CLI over SSH: operational mode (``user@host>``) and configuration mode (``[edit]`` /
``user@host#``), as netmiko ``juniper_junos`` drives it."""

from __future__ import annotations

from collections.abc import Callable

from mlagauto.lab.juniper_junos import operational as op
from mlagauto.lab.juniper_junos.device import CommitFailed, JunosDevice, JunosError
from mlagauto.lab.juniper_junos.operational import CliSyntaxError, Command, Words
from mlagauto.lab.juniper_junos.statements import command_paths, quote
from mlagauto.lab.shell import Shell

CONFIG_TREE: dict[str, Command] = {
    name: (name, True) for name in ("set", "delete", "edit", "up", "top", "exit", "show", "commit", "rollback", "run")
} | {"quit": ("exit", True)}
DEFAULT_CONFIRM_MINUTES = 10
EXIT_QUESTION = "The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes) "


class JunosShell(Shell):
    """One CLI session."""

    def __init__(self, device: JunosDevice):
        super().__init__(device)
        self.junos = device
        self.user = device.username
        self.config_mode = False
        self.exclusive = False
        self.context: list[str] = []
        self.question: Callable[[str], str] | None = None
        """Answers the yes/no question the last output asked."""

    def greeting(self) -> str:
        return f"--- JUNOS {self.junos.version} Kernel 64-bit  JNPR-12.1-20230523.80a76d9_buil\n"

    def prompt(self) -> str:
        if self.question is not None:
            return ""
        host = self.junos.hostname()
        if not self.config_mode:
            return f"{self.user}@{host}> "
        left = self.junos.confirm_minutes_left()
        note = f"# commit confirmed will be rolled back in {left} minutes\n" if left else ""
        where = "[edit" + "".join(" " + quote(t) for t in self.context) + "]"
        return f"\n{note}{where}\n{self.user}@{host}# "

    def handle(self, line: str) -> str:
        if self.question is not None:
            answer, self.question = self.question, None
            return answer(line.strip())
        text = line.strip()
        if not text:
            return ""
        try:
            return self._configuration(text) if self.config_mode else self._operational(text)
        except CliSyntaxError as err:
            return self._caret(err)
        except CommitFailed as err:
            return "\n".join([*err.details, f"error: {err.message}"])
        except JunosError as err:
            return f"error: {err.message}"

    def _caret(self, err: CliSyntaxError) -> str:
        if err.column < 0:
            return err.message
        width = len(f"{self.user}@{self.junos.hostname()}> ")
        return " " * (width + err.column) + "^\n" + err.message

    # --- operational mode ------------------------------------------------------------------------
    def _operational(self, text: str) -> str:
        words = Words.parse(text)
        op.check_pipes(words)
        name, args = op.resolve(op.OP_TREE, words)
        if name == "exit":
            self.closed = True
            return ""
        if name == "configure":
            return self._enter_configuration(args)
        text = self._cli_setting(name, args, words) if name.startswith(("screen-", "complete-")) else self._show(name, args, words.pipes)
        return text + "\n\n" if text else "\n"

    def _cli_setting(self, name: str, args: list[str], words: Words) -> str:
        value = args[0] if args else ""
        if name == "complete-on-space" and value in ("on", "off"):
            return ("Enabling" if value == "on" else "Disabling") + " complete-on-space"
        if name != "complete-on-space" and value.isdigit():
            return f"Screen {name.split('-')[1]} set to {value}"
        raise CliSyntaxError(words.column(len(words.words) - len(args)), "syntax error.")

    def _show(self, name: str, args: list[str], pipes: list[list[str]]) -> str:
        result = op.run_show(self.junos, name, args, pipes)
        return self.junos.maybe_corrupt(op.render(result, pipes))

    def _enter_configuration(self, args: list[str]) -> str:
        if args[:1] == ["exclusive"]:
            self.junos.lock_candidate(self, f"{self.user} terminal (pid {id(self) % 90000 + 1000}) exclusive [edit]")
            self.exclusive = True
        elif args and args[0] not in ("private", "dynamic"):
            raise CliSyntaxError(len("configure "), "syntax error.")
        self.config_mode, self.context = True, []
        lines = ["Entering configuration mode"]
        if self.junos.dirty():
            lines.append("The configuration has been changed but not committed")
        return "\n".join(lines)

    # --- configuration mode ----------------------------------------------------------------------
    def _configuration(self, text: str) -> str:
        words = Words.parse(text)
        op.check_pipes(words)
        name, args = op.resolve(CONFIG_TREE, words)
        handler = getattr(self, "_cfg_" + name)
        return handler(args, words)

    def _paths(self, args: list[str], words: Words) -> list[tuple[str, ...]]:
        paths = command_paths(" ".join(quote(a) for a in args))
        if not paths:
            raise CliSyntaxError(words.end, "syntax error, expecting <statement> or <identifier>.")
        return [tuple(self.context) + p for p in paths]

    def _cfg_set(self, args: list[str], words: Words) -> str:
        for path in self._paths(args, words):
            self.junos.set_statement(self, path)
        return ""

    def _cfg_delete(self, args: list[str], words: Words) -> str:
        if not args:
            self.question = self._answer_delete_all
            return "Delete everything under this level? [yes,no] (no) "
        found = [self.junos.delete_statement(self, path) for path in self._paths(args, words)]
        return "" if all(found) else "warning: statement not found"

    def _answer_delete_all(self, answer: str) -> str:
        if answer in ("yes", "y"):
            self.junos.delete_statement(self, tuple(self.context))
        return ""

    def _cfg_edit(self, args: list[str], words: Words) -> str:
        self.context += args
        return ""

    def _cfg_up(self, args: list[str], words: Words) -> str:
        levels = int(args[0]) if args and args[0].isdigit() else 1
        self.context = self.context[: max(0, len(self.context) - levels)]
        return ""

    def _cfg_top(self, args: list[str], words: Words) -> str:
        self.context = []
        return ""

    def _cfg_exit(self, args: list[str], words: Words) -> str:
        if self.context and args[:1] != ["configuration-mode"]:
            self.context.pop()
            return ""
        if self.junos.dirty():
            self.question = self._answer_exit
            return EXIT_QUESTION
        return self._leave()

    def _answer_exit(self, answer: str) -> str:
        if answer in ("", "yes", "y"):
            return self._leave()
        return ""

    def _leave(self) -> str:
        self.config_mode, self.context = False, []
        if self.exclusive:
            self.junos.release(self)
            self.exclusive = False
        return "Exiting configuration mode\n"

    def _cfg_show(self, args: list[str], words: Words) -> str:
        prefix = tuple(self.context + args)
        compare = next((p for p in words.pipes if p[:1] == ["compare"]), None)
        if compare is not None:
            text = op.compare_text(self.junos, self.junos.candidate.paths(), compare, prefix)
        else:
            form = "set" if ["display", "set"] in words.pipes else "text"
            text = self.junos.config_text("candidate", prefix, form)
        return self.junos.maybe_corrupt(op.apply_pipes(text.rstrip("\n"), words.pipes))

    def _cfg_rollback(self, args: list[str], words: Words) -> str:
        number = int(args[0]) if args and args[0].isdigit() else 0
        self.junos.load_rollback(self, number)
        return "load complete"

    def _cfg_run(self, args: list[str], words: Words) -> str:
        inner = Words(args, words.columns[1:], words.pipes, words.end)
        name, rest = op.resolve(op.OP_TREE, inner)
        if name not in op.SHOW_COMMANDS:
            raise CliSyntaxError(words.column(1), "syntax error.")
        return self._show(name, rest, words.pipes)

    def _cfg_commit(self, args: list[str], words: Words) -> str:
        """``commit [check] [confirmed [N]] [comment "text"] [and-quit]``."""
        check = "check" in args
        confirm = None
        if "confirmed" in args:
            after = args[args.index("confirmed") + 1 : args.index("confirmed") + 2]
            confirm = int(after[0]) if after and after[0].isdigit() else DEFAULT_CONFIRM_MINUTES
        comment = args[args.index("comment") + 1] if "comment" in args and args.index("comment") + 1 < len(args) else ""
        known = {"check", "confirmed", "comment", "and-quit", comment, str(confirm)}
        stray = [a for a in args if a not in known]
        if stray:
            raise CliSyntaxError(words.column(words.words.index(stray[0])), "syntax error.")
        self.junos.commit(self, self.user, "cli", comment=comment, confirm_minutes=confirm, check=check)
        if check:
            return "configuration check succeeds"
        lines = []
        if confirm:
            lines.append(f"commit confirmed will be automatically rolled back in {confirm} minutes unless confirmed")
        lines.append("commit complete")
        if "and-quit" in args:
            lines.append(self._leave().rstrip("\n"))
        return "\n".join(lines)
