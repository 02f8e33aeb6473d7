"""``mlagauto migrate``: one pair of an inventory, on another platform.

Kept beside the library it drives (``mlagauto.migrate``); ``mlagauto.cli`` registers
``migrate_command``.

Exit codes: 0 the migrated pair audits clean and nothing needs review; 1 the audit found errors or
warnings, or a chosen value (a placeholder password, default peer addresses, interfaces renamed
by the default rule) must be checked; the files are written in both cases, the report says what
to check. 2 bad input (the pair, the platform, the interface map), nothing written.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from pathlib import Path
from typing import Optional

import typer

REPORT_NAME = "migration-report.md"


def migrate_command(
    inventory: Path = typer.Option(..., "--inventory", "-i", help="Nornir SimpleInventory directory (hosts.yaml, groups.yaml)."),
    pair: str = typer.Option(..., "--pair", help="The pair to migrate: its group (domain) name."),
    to: str = typer.Option(..., "--to", help="Target platform: cisco_nxos, arista_eos, juniper_junos or huawei_vrpv8."),
    interface_map: list[str] = typer.Option([], "--interface-map", "-m", help="A YAML map of interface names, or a rule such as 'Ethernet1/{n} -> Ethernet{n}' (repeatable; looked up in order)."),
    domain_id: Optional[int] = typer.Option(None, "--domain-id", help="Domain id on the target (default: kept where the target takes it)."),
    peer_subnet: Optional[str] = typer.Option(None, "--peer-subnet", help="A /31 or /30 for the peer-VLAN addresses where the target needs them (EOS, Junos)."),
    dfs_password: Optional[str] = typer.Option(None, "--dfs-password", envvar="MLAGAUTO_DFS_PASSWORD", help="dfs-group password where the target is Huawei (or MLAGAUTO_DFS_PASSWORD)."),
    output: Path = typer.Option(Path("migrated"), "--output", "-o", help="Inventory directory to create or merge into (hosts.yaml, groups.yaml, configs/, migration-report.md)."),
) -> None:
    """Migrate one pair to another platform: its inventory, its rendered configs, and what changes."""
    from mlagauto.cli import EXIT_FINDINGS, EXIT_OK, _fail, _load
    from mlagauto.intent_data import write_inventory
    from mlagauto.migrate import InterfaceMap, MigrationInputError, audit_line, migrate_domain, report_markdown
    from mlagauto.model.finding import Severity
    from mlagauto.render import write_configs

    fabric = _load(inventory)
    names = [d.name for d in fabric.domains]
    if pair not in names:
        _fail(f"{inventory}: no MLAG pair {pair!r}; the pairs are {', '.join(names) or 'none'}")
    subnet = None
    if peer_subnet is not None:
        try:
            subnet = IPv4Network(peer_subnet)
        except ValueError as exc:
            _fail(f"--peer-subnet {peer_subnet}: {exc}")
    if output.exists() and not output.is_dir():
        _fail(f"-o {output}: is a file; give an inventory folder")
    try:
        migration = migrate_domain(fabric.domain(pair), to, InterfaceMap.from_specs(interface_map), domain_id, subnet, dfs_password)
    except MigrationInputError as exc:
        _fail(f"{pair}: {exc}")
    findings = migration.audit()
    report = report_markdown(migration, findings)
    try:
        written = write_inventory([migration], output)
        written += write_configs(migration.configs(), output / "configs")
        (output / REPORT_NAME).write_text(report, encoding="utf-8")
    except OSError as exc:
        _fail(f"-o {output}: cannot write: {exc}")
    for note in migration.notes:
        where = f"{note.host} " if note.host else ""
        change = _renames(note.before, note.after) if note.kind == "renamed" else _change(note.before, note.after)
        typer.echo(f"{'review ' if note.review else ''}{note.kind} {where}{note.field}{change}: {note.message}")
    serious = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    for f in serious:
        typer.echo(f"audit {f.severity.value} {f.rule} {f.object}: {f.message}")
    typer.echo(f"{pair} on {to}: audit {audit_line(findings)}; {len(migration.review)} to review")
    typer.echo(f"wrote {', '.join(str(p) for p in written)} and {output / REPORT_NAME}")
    raise typer.Exit(EXIT_FINDINGS if serious or migration.review else EXIT_OK)


def _renames(before: list[str], after: list[str]) -> str:
    shown = ", ".join(f"{o} -> {n}" for o, n in list(zip(before, after))[:3])
    return f" ({shown}{', ...' if len(before) > 3 else ''})"


def _change(before: object, after: object) -> str:
    if before is None and after is None:
        return ""
    if after is None:
        return f" (was {_short(before)})"
    if before is None:
        return f" ({_short(after)})"
    return f" ({_short(before)} -> {_short(after)})"


def _short(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value[:4])) + (f", ... ({len(value)})" if len(value) > 4 else "")
    return str(value)
