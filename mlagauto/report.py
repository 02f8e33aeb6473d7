"""Renderings of Findings: a rich table for people, JSON for programs, JUnit XML for CI and
Markdown for change tickets. Every format carries the same data."""

from __future__ import annotations

import json
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


def summary(pairs: list[PairReport]) -> dict[str, int]:
    return count([f for p in pairs for f in p.findings])


def exit_code(pairs: list[PairReport]) -> int:
    """0 when no finding is an error, 1 otherwise."""
    return 1 if summary(pairs)["errors"] else 0


def to_dict(pairs: list[PairReport]) -> dict[str, Any]:
    return {
        "pairs": [
            {"hosts": p.hosts, "domain_id": p.domain_id, "findings": [f.model_dump(mode="json") for f in p.findings]}
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


def _title(p: PairReport) -> str:
    """``a + b (domain 10)``; a pair whose domain no switch reported (none could be read) shows
    no ``domain None``."""
    hosts = " + ".join(p.hosts)
    return f"{hosts} (domain {p.domain_id})" if p.domain_id is not None else hosts


def to_markdown(pairs: list[PairReport]) -> str:
    s = summary(pairs)
    lines = [f"## MLAG audit: {s['errors']} errors, {s['warnings']} warnings, {s['info']} info", ""]
    for p in pairs:
        lines.append(f"### {_title(p)}")
        lines.append("")
        if not p.findings:
            lines += ["No findings.", ""]
            continue
        lines.append("| severity | rule | object | message | expected | actual | fix |")
        lines.append("|---|---|---|---|---|---|---|")
        for f in p.findings:
            lines.append(f"| {f.severity.value} | `{f.rule}` | {_md(f.object)} | {_md(f.message)} | {_md(f.expected)} | {_md(f.actual)} | {_md(f.fix)} |")
        lines.append("")
    return "\n".join(lines)


def print_table(pairs: list[PairReport], console: Any = None) -> None:
    """Grouped by pair, errors first, for a terminal."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    style = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    for p in pairs:
        title = _title(p)
        if not p.findings:
            console.print(f"[green]✓[/green] {title}: no findings")
            continue
        table = Table(title=title, title_justify="left", show_lines=False)
        for col in ("severity", "rule", "object", "message", "expected", "actual", "fix"):
            table.add_column(col, overflow="fold")
        for f in p.findings:
            table.add_row(f"[{style[f.severity]}]{f.severity.value}[/]", f.rule, f.object, f.message, _md(f.expected), _md(f.actual), f.fix)
        console.print(table)
    s = summary(pairs)
    console.print(f"{s['errors']} errors, {s['warnings']} warnings, {s['info']} info")


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
