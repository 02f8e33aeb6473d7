"""Renderings of Findings: a rich table for people, JSON for programs, JUnit XML for CI and
Markdown for change tickets. Every format carries the same data."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from mlagauto.model.finding import Finding, Severity, count

FORMATS = ("table", "json", "junit", "markdown")

NOT_CHECKED_RULES = frozenset({"live-unreachable"})
"""Rules whose findings say that a check could not run at all (a switch that did not answer):
JUnit reports them as ``<error>``, a test that could not run, rather than as a ``<failure>``."""


@dataclass
class PairReport:
    """The findings of one pair (or one lone config)."""

    hosts: list[str]
    domain_id: str | None
    findings: list[Finding] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    """Rule ids evaluated for this pair (JUnit lists passing rules as passing test cases)."""
    pair: str | None = None
    """The inventory's name for the pair (its group), when an inventory named it."""


def summary(pairs: list[PairReport]) -> dict[str, int]:
    return count([f for p in pairs for f in p.findings])


def exit_code(pairs: list[PairReport]) -> int:
    """0 when no finding is an error, 1 otherwise."""
    return 1 if summary(pairs)["errors"] else 0


def to_dict(pairs: list[PairReport]) -> dict[str, Any]:
    return {
        "pairs": [
            {"pair": p.pair, "hosts": p.hosts, "domain_id": p.domain_id, "findings": [f.model_dump(mode="json") for f in p.findings]}
            for p in pairs
        ],
        "summary": summary(pairs),
    }


def to_json(pairs: list[PairReport]) -> str:
    return json.dumps(to_dict(pairs), indent=2, sort_keys=False) + "\n"


def to_junit(pairs: list[PairReport], suite_name: str = "mlagauto") -> str:
    """One testsuite per pair, one testcase per rule: a rule with an error finding fails (an
    ``<error>`` for the rules in NOT_CHECKED_RULES), with a warning it passes with a message in
    system-out (CI shows it without breaking the build)."""
    root = ET.Element("testsuites", name=suite_name)
    for p in pairs:
        name = " + ".join(p.hosts)
        by_rule: dict[str, list[Finding]] = {}
        for f in p.findings:
            by_rule.setdefault(f.rule, []).append(f)
        rule_ids = sorted(set(p.rules_run) | set(by_rule))
        broken = [r for r in rule_ids if any(f.severity is Severity.ERROR for f in by_rule.get(r, []))]
        errors = sum(1 for r in broken if r in NOT_CHECKED_RULES)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(rule_ids)), failures=str(len(broken) - errors), errors=str(errors), skipped="0")
        for rid in rule_ids:
            case = ET.SubElement(suite, "testcase", classname=name, name=rid)
            found = by_rule.get(rid, [])
            failed = [f for f in found if f.severity is Severity.ERROR]
            if failed:
                tag = "error" if rid in NOT_CHECKED_RULES else "failure"
                element = ET.SubElement(case, tag, message=failed[0].message, type="error")
                element.text = "\n".join(_line(f) for f in failed)
            others = [f for f in found if f.severity is not Severity.ERROR]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(_line(f) for f in others)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _line(f: Finding) -> str:
    return f"[{f.severity.value}] {','.join(f.hosts)} {f.object}: {f.message} (expected {f.expected!r}, actual {f.actual!r}); fix: {f.fix}"


def _md(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def markdown_cell(value: Any, width: int = 120) -> str:
    """A value as one Markdown table cell: on one line, ``|`` escaped, cut at ``width``."""
    text = "" if value is None else str(value)
    return _md(text if len(text) <= width else text[: width - 3] + "...")


def title(p: PairReport) -> str:
    """One label for a pair in every command and format: ``pair: a + b (domain 10)``, the
    inventory's name first where there is one and the domain id the switches configure (or the
    intent gives) after; what is unknown is left out, never printed as ``None``."""
    hosts = " + ".join(p.hosts)
    label = f"{p.pair}: {hosts}" if p.pair else hosts
    return f"{label} (domain {p.domain_id})" if p.domain_id is not None else label


def counts_line(pairs: list[PairReport]) -> str:
    """``1 error, 2 warnings, 0 info``."""
    s = summary(pairs)
    return f"{plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, {s['info']} info"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def to_markdown(pairs: list[PairReport]) -> str:
    lines = [f"## MLAG audit: {counts_line(pairs)}", ""]
    for p in pairs:
        lines.append(f"### {title(p)}")
        lines.append("")
        if not p.findings:
            lines += ["No findings.", ""]
            continue
        lines.append("| severity | host | rule | object | message | expected | actual | fix |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for f in p.findings:
            lines.append(f"| {f.severity.value} | {_md(', '.join(f.hosts))} | `{f.rule}` | {_md(f.object)} | {_md(f.message)} | {_md(f.expected)} | {_md(f.actual)} | {_md(f.fix)} |")
        lines.append("")
    return "\n".join(lines)


UNWRAPPED_WIDTH = 1000
"""Columns of a console that is not a terminal: wide enough that no report line wraps, so CI
logs and files keep every word and value whole."""


def console(file: Any = None) -> Any:
    """A rich Console for reports: the terminal's width on a terminal; on anything else (a pipe,
    a CI log, a file) no wrapping at all and no colour codes, whatever ``COLUMNS`` says."""
    from rich.console import Console

    stream = file if file is not None else sys.stdout
    if _is_terminal(stream):
        return Console(file=file)
    return Console(file=stream, width=UNWRAPPED_WIDTH, color_system=None, force_terminal=False, highlight=False, emoji=False, soft_wrap=True)


def _is_terminal(stream: Any) -> bool:
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def heading(out: Any, text: str) -> None:
    """A section heading: a rule across a terminal, a short fixed one elsewhere (a rule across an
    unwrapped console would be a thousand characters)."""
    if out.width >= UNWRAPPED_WIDTH:
        out.print(f"── {text} ──", markup=False)
    else:
        out.rule(text)


def print_table(pairs: list[PairReport], out: Any = None) -> None:
    """Grouped by pair, errors first: one table per pair with a host column."""
    from rich.table import Table

    out = out or console()
    style = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    for p in pairs:
        label = title(p)
        if not p.findings:
            out.print(f"[green]✓[/green] {label}: no findings", highlight=False)
            continue
        table = Table(title=label, title_justify="left", show_lines=False)
        for col in ("severity", "host", "rule", "object", "message", "expected", "actual", "fix"):
            table.add_column(col, overflow="fold")
        for f in p.findings:
            table.add_row(f"[{style[f.severity]}]{f.severity.value}[/]", ", ".join(f.hosts), f.rule, f.object, f.message, _md(f.expected), _md(f.actual), f.fix)
        out.print(table)
    out.print(counts_line(pairs), highlight=False)


def table_text(pairs: list[PairReport]) -> str:
    """The table as plain text (``--format table -o FILE``)."""
    import io

    buffer = io.StringIO()
    print_table(pairs, console(buffer))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def render_report(pairs: list[PairReport], fmt: str) -> str | None:
    """Text for ``json``/``junit``/``markdown``; None for ``table`` (printed directly)."""
    if fmt == "json":
        return to_json(pairs)
    if fmt == "junit":
        return to_junit(pairs)
    if fmt == "markdown":
        return to_markdown(pairs)
    if fmt == "table":
        return None
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
