"""The ``mlagauto`` command line.

Exit codes: 0 clean, 1 findings with errors, 2 bad input (the message names the file, host and
field), 3 device failures. Heavy transport libraries (napalm, netmiko) are imported only by the
commands that talk to devices, so ``--help``, ``render``, ``check``, ``parse`` and ``audit`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer

app = typer.Typer(
    name="mlagauto",
    help="Build, audit, push and validate switch-side MLAG configuration (NX-OS vPC, EOS MLAG, Junos MC-LAG, Huawei M-LAG).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)
"""Plain help text: typer's rich help would import rich's markdown stack (about 40 ms) on every
``--help``, and boxes wrap badly in the pipes and logs where help is often read."""


def _print_version(value: bool) -> None:
    if value:
        from mlagauto import __version__

        typer.echo(__version__)
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_print_version, help="Print the version and exit."),
) -> None:
    """Build, audit, push and validate switch-side MLAG configuration (NX-OS vPC, EOS MLAG, Junos MC-LAG, Huawei M-LAG)."""

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_DEVICE = 0, 1, 2, 3

InventoryOpt = typer.Option(..., "--inventory", "-i", help="Nornir SimpleInventory directory (hosts.yaml, groups.yaml).")
FormatOpt = typer.Option("table", "--format", "-f", help="table | json | junit | markdown")
JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes, one pair at a time each, and for reading an inventory file of megabytes (default: one per core; small inventories run in-process; 1: no workers).")


def _json(data: object) -> str:
    import json  # only the commands that print JSON pay for it, not ``--help``

    return json.dumps(data, indent=2)


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _load(inventory: Path, jobs: int | None = None):
    """The inventory's Fabric, exempted from garbage collection for the rest of the command: it
    lives until the command ends, so the collector would only walk it again and again (a
    1,000-pair inventory is millions of objects), and a worker forked later shares its pages.
    ``jobs`` caps the processes that read a large inventory file, as it caps the command's pool."""
    import gc

    from mlagauto.inventory import InventoryError, load_fabric

    gc.disable()
    try:
        return load_fabric(inventory, jobs)
    except InventoryError as exc:
        _fail("invalid inventory:\n  " + "\n  ".join(exc.messages))
    finally:
        gc.freeze()
        gc.enable()


def _check_format(fmt: str, choices: tuple[str, ...]) -> None:
    if fmt not in choices:
        _fail(f"--format {fmt}: unknown format; choose one of {', '.join(choices)}")


def _emit(pairs, fmt: str, output: Optional[Path]) -> int:
    """Print the report, or write it to ``output`` (the table as plain text)."""
    from mlagauto.report import FORMATS, exit_code, print_table, render_report, table_text

    _check_format(fmt, FORMATS)
    text = render_report(pairs, fmt)
    if output is not None:
        _write_output(output, table_text(pairs) if text is None else text)
    elif text is None:
        print_table(pairs)
    else:
        sys.stdout.write(text)
    return exit_code(pairs)


def _check_report_args(fmt: str, output: Optional[Path]) -> None:
    """Refuse an unknown format or an ``-o`` path that cannot be written before any work is done
    (exit 2, the path named), so a long audit or a device round-trip is not wasted on a typo."""
    from mlagauto.report import FORMATS

    _check_format(fmt, FORMATS)
    if output is None:
        return
    if output.is_dir():
        _fail(f"-o {output}: is a folder; give a file name")
    if not output.parent.is_dir():
        _fail(f"-o {output}: folder {output.parent} does not exist")


def _write_output(output: Path, text: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"-o {output}: cannot write: {exc.strerror or exc}")


def _write_files(write, output: Path) -> None:
    """Run ``write`` (it writes the files into ``output`` and returns their paths) and list them;
    a file that cannot be written is bad input naming the folder (exit 2)."""
    try:
        written = write()
    except OSError as exc:
        _fail(f"-o {output}: cannot write the files: {exc}")
    for path in written:
        typer.echo(f"wrote {path}")


def _output_dir(output: Path) -> None:
    """``render -o DIR``: the folder exists or can be made; a file of that name is refused."""
    if output.exists() and not output.is_dir():
        _fail(f"-o {output}: exists and is not a folder; render writes one <host>.cfg per switch into a folder")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"-o {output}: cannot create the folder: {exc.strerror or exc}")


@app.command()
def render(
    inventory: Path = InventoryOpt,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write <host>.cfg files here instead of printing."),
    host: list[str] = typer.Option([], "--host", help="Only these hosts (repeatable)."),
    variant: Optional[str] = typer.Option(None, "--variant", help="Render variant (Junos: curly|set, Huawei: v300|v200)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Override directory with <platform>/<variant>.j2 templates."),
    jobs: Optional[int] = JobsOpt,
) -> None:
    """Render the MLAG configuration of every switch (or --host) of an inventory."""
    from mlagauto.drivers import get_driver
    from mlagauto.render import render_fabric, write_configs

    fabric = _load(inventory, jobs)
    platform_of = {h: d.platform for d in fabric.domains for h in d.hostnames}  # one lookup per host, at any fabric size
    hosts = host or list(platform_of)
    unknown = [h for h in hosts if h not in platform_of]
    if unknown:
        _fail(f"{inventory}: hosts not in any MLAG domain: {', '.join(unknown)}")
    if variant:
        lacking: dict[str, list[str]] = {}
        for h in hosts:
            if variant not in get_driver(platform_of[h]).variants:
                lacking.setdefault(platform_of[h], []).append(h)
        if lacking:
            valid = "; ".join(f"{p}: {', '.join(get_driver(p).variants)} (hosts {', '.join(hs)})" for p, hs in sorted(lacking.items()))
            _fail(f"--variant {variant}: not a variant of every platform rendered; the variants are {valid}; limit the hosts with --host")
    if templates is not None and not templates.is_dir():
        _fail(f"--templates {templates}: folder not found (expected <platform>/<variant>.j2 files in it)")
    if output is not None:
        _output_dir(output)
    try:
        configs = render_fabric(fabric, hosts, variant, templates, jobs)
    except Exception as exc:  # template errors from an override directory
        _fail(f"render failed: {exc}")
    if output is not None:
        _write_files(lambda: write_configs(configs, output), output)
    else:
        for h, text in configs.items():
            if len(configs) > 1:
                typer.echo(f"### {h}")
            sys.stdout.write(text)


@app.command()
def check(
    inventory: Path = InventoryOpt,
    fmt: str = FormatOpt,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to a file."),
    jobs: Optional[int] = JobsOpt,
) -> None:
    """Validate the intent of an inventory and run the pair rules on what it would render."""
    _check_report_args(fmt, output)
    pairs = _intent_reports(_load(inventory, jobs), jobs=jobs)
    raise typer.Exit(_emit(pairs, fmt, output))


@app.command()
def schema(
    part: str = typer.Option("all", "--part", help="all | group | host: the data.mlag schema of a domain group or of a host."),
) -> None:
    """Print the JSON Schema of the inventory's data.mlag (group and host)."""
    from mlagauto.model.intent import MlagDomain, MlagPeer

    group = MlagDomain.model_json_schema()
    group["title"] = "MLAG domain group data.mlag"
    for key in ("name", "peers"):
        group["properties"].pop(key, None)
        if key in group.get("required", []):
            group["required"].remove(key)
    host = MlagPeer.model_json_schema()
    host["title"] = "MLAG host data.mlag"
    for key in ("hostname", "platform"):
        host["properties"].pop(key, None)
        if key in host.get("required", []):
            host["required"].remove(key)
    chosen = {"all": {"group": group, "host": host}, "group": group, "host": host}.get(part)
    if chosen is None:
        _fail(f"unknown --part {part!r}; choose all, group or host")
    typer.echo(_json(chosen))


@app.command()
def parse(
    file: Path = typer.Argument(..., help="A running configuration."),
    platform: Optional[str] = typer.Option(None, "--platform", "-p", help="Platform; detected from the text when omitted."),
    fmt: str = typer.Option("json", "--format", "-f", help="json | table"),
) -> None:
    """Parse a running configuration into the vendor-neutral PeerConfig."""
    from mlagauto.audit import InputError, read_config

    _check_format(fmt, ("json", "table"))
    try:
        cfg = read_config(file, platform)
    except InputError as exc:
        _fail(str(exc))
    if fmt == "json":
        typer.echo(cfg.model_dump_json(indent=2))
        return
    _print_peer_config(cfg)


def _shown(value, unset: str = "not configured") -> str:
    """A value for people: what is not configured says so instead of printing ``None``."""
    return unset if value is None or value == "" else str(value)


def _print_peer_config(cfg) -> None:
    from rich.table import Table

    from mlagauto.model.vlans import format_vlan_list
    from mlagauto.report import console

    out = console()
    ka = cfg.keepalive
    pl = cfg.peer_link
    out.print(f"[bold]{cfg.hostname}[/bold] ({cfg.platform}) domain {_shown(cfg.domain_id)}", highlight=False)
    if ka is None:
        out.print("keepalive: not configured", highlight=False)
    else:
        out.print(f"keepalive: {_shown(ka.source, '(no source)')} -> {_shown(ka.destination)}" + (f" vrf {ka.vrf}" if ka.vrf else ""), highlight=False)
    if pl is None:
        out.print("peer-link: not configured", highlight=False)
    else:
        out.print(f"peer-link: {_shown(pl.interface)} members {', '.join(pl.members) or 'none'}", highlight=False)
    table = Table("mlag", "interface", "members", "lacp", "mode", "vlans")
    for i in cfg.mlag_interfaces:
        table.add_row(str(i.mlag_id), i.interface, ", ".join(i.members), _shown(i.lacp_mode), _shown(i.mode), format_vlan_list(i.vlans))
    out.print(table)
    for w in cfg.warnings:
        out.print(f"[yellow]warning:[/yellow] {w}", highlight=False)


@app.command()
def audit(
    configs: list[Path] = typer.Argument(None, help="The two running configs of one pair."),
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="Audit every pair of this inventory (with --configs)."),
    configs_dir: Optional[Path] = typer.Option(None, "--configs", help="Folder of <host>.cfg|.conf|.txt running configs."),
    platform: Optional[str] = typer.Option(None, "--platform", "-p", help="Platform of CONFIG_A/CONFIG_B; detected when omitted."),
    fmt: str = FormatOpt,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to a file."),
    jobs: Optional[int] = JobsOpt,
) -> None:
    """Audit the two running configs of a pair offline, or a whole inventory (peer vs peer and
    intent vs running)."""
    from mlagauto.audit import InputError, audit_fabric, audit_files

    _check_report_args(fmt, output)
    try:
        if inventory is not None:
            if configs:
                _fail("give either CONFIG_A CONFIG_B or --inventory with --configs, not both")
            if configs_dir is None:
                _fail("--inventory needs --configs DIR (or, later, --live)")
            pairs = audit_fabric(_load(inventory, jobs), configs_dir, jobs)
        else:
            if not configs or len(configs) != 2:
                _fail("give exactly two running configs (CONFIG_A CONFIG_B), or --inventory with --configs")
            pairs = [audit_files(configs[0], configs[1], platform)]
    except InputError as exc:
        _fail(str(exc))
    raise typer.Exit(_emit(pairs, fmt, output))


def _nornir(inventory: Path):
    from mlagauto.nornir import init_nornir

    try:
        return init_nornir(inventory)
    except Exception as exc:  # nornir raises many types for a malformed inventory
        _fail(f"{inventory}: cannot load the inventory into Nornir: {exc}")


def _limit(fabric, limit: list[str]) -> list[str] | None:
    names = [d.name for d in fabric.domains]
    unknown = [n for n in limit if n not in names]
    if unknown:
        _fail(f"--limit: no MLAG domain named {', '.join(unknown)} (domains: {', '.join(names)})")
    return limit or None


def _intent_reports(fabric, limit: list[str] | None = None, jobs: int | None = None) -> list:
    """``check``'s reports: intent rules plus pair rules on the projected pair, per domain, the
    domains shared among ``jobs`` processes (see ``render.worker_count``)."""
    from mlagauto.checks import check_domain, rules_of
    from mlagauto.render import map_domains
    from mlagauto.report import PairReport

    ids = [r.id for r in rules_of("intent")] + [r.id for r in rules_of("pair")]
    domains = [d for d in fabric.domains if not limit or d.name in limit]
    return [
        PairReport(hosts=d.hostnames, domain_id=_domain_id(d), findings=findings, rules_run=ids, pair=d.name)
        for d, findings in zip(domains, map_domains(domains, check_domain, jobs))
    ]


def _domain_id(domain) -> str | None:
    """The domain id the intent gives the pair's switches (as a report labels it)."""
    from mlagauto.drivers import get_driver

    return get_driver(domain.platform).projected_domain_id(domain)


def _intent_errors(fabric, limit: list[str] | None) -> list:
    return [r for r in _intent_reports(fabric, limit) if any(f.severity.value == "error" for f in r.findings)]


LimitOpt = typer.Option([], "--limit", help="Only these MLAG domains (group names; repeatable).")


@app.command()
def diff(inventory: Path = InventoryOpt, limit: list[str] = LimitOpt, fmt: str = typer.Option("text", "--format", "-f", help="text | json")) -> None:
    """Show what a deploy would change on every switch (read-only). Exit 0: no switch would
    change; 1: some would; 3: a switch could not be read (as ``git diff --exit-code``)."""
    from mlagauto.nornir import diff_mlag

    _check_format(fmt, ("text", "json"))
    fabric = _load(inventory)
    chosen = _limit(fabric, limit)
    nr = _nornir(inventory)
    hosts = [h for d in fabric.domains if not chosen or d.name in chosen for h in d.hostnames]
    try:
        results = nr.filter(filter_func=lambda h: h.name in hosts).run(task=diff_mlag, fabric=fabric)
    finally:
        nr.close_connections()
    out: dict[str, dict] = {}
    for host in hosts:
        r = results[host]
        out[host] = {"failed": r.failed, "diff": None if r.failed else r[0].diff, "error": str(r[0].exception) if r.failed else None}
    if fmt == "json":
        typer.echo(_json(out))
    else:
        for host, item in out.items():
            typer.echo(f"### {host}: " + ("FAILED " + item["error"] if item["failed"] else ("no change" if not item["diff"] else "changes")))
            if item["diff"]:
                typer.echo(item["diff"])
    if any(i["failed"] for i in out.values()):
        raise typer.Exit(EXIT_DEVICE)
    raise typer.Exit(EXIT_FINDINGS if any(i["diff"] for i in out.values()) else EXIT_OK)


@app.command()
def deploy(
    inventory: Path = InventoryOpt,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the per-host diff and the predicted audit; change nothing."),
    limit: list[str] = LimitOpt,
    fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
    backups: Path = typer.Option(Path("backups"), "--backups", help="Running configs are saved to BACKUPS/<run>/<host>.cfg first; the run's journal and the pair locks live here too."),
    confirm_timeout: int = typer.Option(300, "--confirm-timeout", help="Seconds before a commit-confirmed change reverts by itself (EOS, Junos)."),
    resume: bool = typer.Option(False, "--resume", help="Finish a pair a dead deploy left unfinished instead of first restoring it to that run's backups."),
) -> None:
    """Deploy the intent pair by pair, one peer at a time, validating and rolling back on failure."""
    from mlagauto.deploy import DeployOptions, deploy_fabric, exit_code
    from mlagauto.journal import JournalError

    _check_format(fmt, ("table", "json"))
    fabric = _load(inventory)
    chosen = _limit(fabric, limit)
    blocked = _intent_errors(fabric, chosen)
    if blocked:
        _emit(blocked, "table" if fmt == "table" else "json", None)
        _fail("the intent has errors (mlagauto check); nothing was deployed", EXIT_FINDINGS)
    nr = _nornir(inventory)
    options = DeployOptions(dry_run=dry_run, backup_root=backups, confirm_timeout=confirm_timeout, resume=resume)
    try:
        outcomes = deploy_fabric(nr, fabric, options, chosen) if fmt == "json" else _deploy_with_progress(nr, fabric, options, chosen)
    except (JournalError, OSError) as exc:
        _fail(f"deploy journal: {exc}", EXIT_DEVICE)
    finally:
        nr.close_connections()
    if fmt == "json":
        typer.echo(_json({"pairs": [o.to_dict() for o in outcomes]}))
    else:
        _print_outcomes(outcomes, dry_run, fabric)
    raise typer.Exit(exit_code(outcomes))


@app.command()
def rollback(
    inventory: Path = InventoryOpt,
    run: Optional[str] = typer.Argument(None, help="The run (a directory under BACKUPS); default: the newest run with an unfinished pair."),
    limit: list[str] = LimitOpt,
    fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
    backups: Path = typer.Option(Path("backups"), "--backups", help="Where the deploys keep their runs (journal and backups)."),
) -> None:
    """Restore the pairs a dead deploy left unfinished to that run's backups, proven by reading the
    running configs again."""
    from mlagauto.deploy import rollback_run
    from mlagauto.journal import JOURNAL, JournalError, newest_unfinished_run

    _check_format(fmt, ("table", "json"))
    fabric = _load(inventory)
    chosen = _limit(fabric, limit)
    try:
        run = run or newest_unfinished_run(backups)
        if run is None:
            typer.echo(f"no unfinished deploy under {backups}; nothing to roll back")
            raise typer.Exit(EXIT_OK)
        if not (backups / run / JOURNAL).is_file():
            _fail(f"{backups / run}: no deploy journal ({JOURNAL}) for run {run}")
        nr = _nornir(inventory)
        try:
            outcomes = rollback_run(nr, fabric, backups, run, chosen)
        finally:
            nr.close_connections()
    except JournalError as exc:
        _fail(f"deploy journal: {exc}", EXIT_DEVICE)
    if fmt == "json":
        typer.echo(_json({"run": run, "pairs": [o.to_dict() for o in outcomes]}))
    elif not outcomes:
        typer.echo(f"run {run} left no selected pair unfinished; nothing to roll back")
    else:
        _print_outcomes(outcomes, False, fabric)
    raise typer.Exit(EXIT_DEVICE if any(o.device_failure or o.status == "failed" for o in outcomes) else EXIT_OK)


def _deploy_with_progress(nr, fabric, options, chosen):
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from mlagauto.deploy import deploy_fabric

    domains = [d for d in fabric.domains if not chosen or d.name in chosen]
    with Progress(SpinnerColumn(), TextColumn("{task.fields[pair]:<16}"), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True) as bar:
        tasks = {d.name: bar.add_task("waiting", pair=d.name, total=None) for d in domains}
        return deploy_fabric(nr, fabric, options, chosen, progress=lambda name, status: bar.update(tasks[name], description=status))


def _print_outcomes(outcomes, dry_run: bool, fabric, out=None) -> None:
    from rich.table import Table

    from mlagauto.report import PairReport, console, heading, print_table

    out = out or console()
    if dry_run:
        for o in outcomes:
            for host, h in o.outcomes.items():
                heading(out, f"{host}: {'no change' if not h.diff else 'would change'}")
                if h.diff:
                    out.print(h.diff, markup=False, highlight=False)
    domains = {d.name: d for d in fabric.domains}
    table = Table("pair", "hosts", "domain", "status", "message", title="deploy", title_justify="left")
    style = {"ok": "green", "unchanged": "green", "dry-run": "cyan", "blocked": "yellow", "rolled-back": "yellow", "failed": "bold red"}
    for o in outcomes:
        table.add_row(o.domain, ", ".join(o.hosts), str(_domain_id(domains[o.domain]) or ""), f"[{style.get(o.status, '')}]{o.status}[/]", o.message)
    out.print(table)
    with_findings = [PairReport(hosts=o.hosts, domain_id=_domain_id(domains[o.domain]), findings=o.findings, pair=o.domain) for o in outcomes if o.findings]
    if with_findings:
        print_table(with_findings, out)


@app.command()
def validate(
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="Nornir SimpleInventory directory (hosts.yaml, groups.yaml)."),
    outputs: Optional[Path] = typer.Option(None, "--outputs", help="Validate offline from saved show outputs, DIR/<host>/<command>.txt (spaces as _, e.g. leaf1a/show_mlag_detail.txt)."),
    platform: Optional[str] = typer.Option(None, "--platform", "-p", help="Platform of the two host folders of --outputs, when no inventory names the pair."),
    limit: list[str] = LimitOpt,
    fmt: str = FormatOpt,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to a file."),
) -> None:
    """Validate the live MLAG state of every pair from its show commands, or offline from saved
    outputs (--outputs: with -i the pairs of the inventory, without it the two host folders of DIR)."""
    if outputs is not None:
        _check_report_args(fmt, output)
        raise typer.Exit(_emit(_saved_reports(outputs, inventory, platform, limit), fmt, output))
    if inventory is None:
        _fail("give --inventory to validate the switches, or --outputs DIR to validate saved show outputs")
    from mlagauto.validate import validate_fabric

    _check_report_args(fmt, output)
    fabric = _load(inventory)
    chosen = _limit(fabric, limit)
    nr = _nornir(inventory)
    try:
        reports, failures = validate_fabric(nr, fabric, chosen)
    finally:
        nr.close_connections()
    code = _emit(reports, fmt, output)
    for host, error in failures.items():
        typer.echo(f"error: {host}: {error}", err=True)
    raise typer.Exit(EXIT_DEVICE if failures else code)


def _saved_reports(directory: Path, inventory: Optional[Path], platform: Optional[str], limit: list[str]) -> list:
    """``validate --outputs``: the pairs of the inventory, or the two host folders of DIR as one
    pair of ``--platform``, each validated from its saved outputs."""
    from mlagauto.drivers import platforms
    from mlagauto.validate import OutputsError, validate_output_dir

    if not directory.is_dir():
        _fail(f"{directory}: no such folder of saved outputs")
    if inventory is not None:
        if platform is not None:
            _fail("--platform is for --outputs without an inventory; the inventory gives each pair's platform")
        fabric = _load(inventory)
        chosen = _limit(fabric, limit)
        pairs = [(d.platform, d.hostnames) for d in fabric.domains if not chosen or d.name in chosen]
    else:
        if limit:
            _fail("--limit selects pairs of an inventory; give --inventory with it")
        if platform not in platforms():
            _fail(f"--outputs without --inventory needs --platform, one of {', '.join(platforms())}")
        hosts = sorted(p.name for p in directory.iterdir() if p.is_dir())
        if len(hosts) != 2:
            _fail(f"{directory}: holds {len(hosts)} host folders ({', '.join(hosts) or 'none'}); without --inventory it must hold the two of one pair")
        pairs = [(platform, hosts)]
    try:
        return validate_output_dir(directory, pairs)
    except OutputsError as exc:
        _fail(str(exc))


@app.command()
def demo(
    inventory: Path = typer.Option(Path("inventories/lab"), "--inventory", "-i", help="A lab inventory (hosts on 127.0.0.1)."),
    backups: Path = typer.Option(Path("backups"), "--backups", help="Where the deploy saves running configs first."),
) -> None:
    """Start the simulated lab in-process, then render, check, deploy, validate the pairs and the
    servers' bonds, and audit it."""
    import tempfile

    from mlagauto.audit import audit_fabric
    from mlagauto.deploy import DeployOptions, exit_code
    from mlagauto.hosts.cli import live_bond_reports
    from mlagauto.hosts.live import inventory_targets
    from mlagauto.lab.lab import Lab
    from mlagauto.nornir import get_running_config
    from mlagauto.render import render_fabric
    from mlagauto.report import console as report_console, counts_line, heading, print_table, summary
    from mlagauto.validate import validate_fabric

    console = report_console()
    fabric = _load(inventory)
    try:
        lab = Lab.from_inventory(inventory).start()
    except (OSError, ValueError) as exc:
        _fail(f"cannot start the lab from {inventory}: {exc} (is `mlagauto lab up` already running?)")
    nr = None
    try:
        heading(console, "1. render")
        configs = render_fabric(fabric)
        console.print(f"rendered {len(configs)} switches ({sum(t.count(chr(10)) for t in configs.values())} lines)")
        heading(console, "2. check the intent")
        print_table(_intent_reports(fabric), console)
        heading(console, "3. deploy (pair by pair, secondary first)")
        nr = _nornir(inventory)
        outcomes = _deploy_with_progress(nr, fabric, DeployOptions(backup_root=backups), None)
        _print_outcomes(outcomes, False, fabric, console)
        heading(console, "4. validate the live pairs")
        live, failures = validate_fabric(nr, fabric)
        print_table(live, console)
        heading(console, "5. validate the servers' bonds")
        targets = [t for t in inventory_targets(fabric) if t.host in lab.devices]  # the servers the lab simulates
        servers, server_failures = live_bond_reports(nr, targets) if targets else ([], {})
        print_table(servers, console)
        heading(console, "6. audit the running configs offline")
        with tempfile.TemporaryDirectory() as tmp:
            switches = set(fabric.hosts())
            results = nr.filter(filter_func=lambda h: h.name in switches).run(task=get_running_config)
            for host, result in results.items():
                if not result.failed:
                    (Path(tmp) / f"{host}.cfg").write_text(result[0].result, encoding="utf-8")
            audited = audit_fabric(fabric, tmp, jobs=1)
        print_table(audited, console)
    finally:
        if nr is not None:
            nr.close_connections()
        lab.stop()
    code = max(exit_code(outcomes), 3 if failures or server_failures else 0, 1 if summary(live)["errors"] or summary(servers)["errors"] or summary(audited)["errors"] else 0)
    heading(console, "summary")
    console.print(f"deploy: {', '.join(f'{o.domain} {o.status}' for o in outcomes)}")
    console.print(f"validate: {counts_line(live)}; servers: {len(servers)} bonds, {counts_line(servers)}; audit: {counts_line(audited)}", highlight=False)
    raise typer.Exit(code)


lab_app = typer.Typer(help="The simulated lab: MLAG switches on 127.0.0.1 that real netmiko/napalm clients talk to.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(lab_app, name="lab")

from mlagauto.hosts.cli import hosts_app  # noqa: E402  (typer apps only; the commands import their work)

app.add_typer(hosts_app, name="hosts")

from mlagauto.import_cli import import_command  # noqa: E402  (its work is imported when it runs)

app.command("import")(import_command)

from mlagauto.migrate_cli import migrate_command  # noqa: E402  (its work is imported when it runs)

app.command("migrate")(migrate_command)


def _print_devices(devices: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("host", "platform", "address", "ssh port", "http port", "peer")
    for d in devices:
        table.add_row(d["name"], d["platform"], d["host"], str(d["port"]), str(d["http_port"] or ""), str(d["peer"] or ""))
    Console().print(table)


@lab_app.command("up")
def lab_up(
    inventory: Path = InventoryOpt,
    background: bool = typer.Option(False, "--background", "-b", help="Detach; stop later with `mlagauto lab down`."),
) -> None:
    """Start every MLAG host of the inventory as a simulated switch (foreground until Ctrl-C)."""
    from mlagauto.inventory import InventoryError
    from mlagauto.lab.lab import Lab, lab_credentials
    from mlagauto.lab.runner import serve, start_background

    user, _ = lab_credentials()
    try:
        lab = Lab.from_inventory(inventory)
        if background:
            info = start_background(inventory)
            _print_devices(info["devices"])
            typer.echo(f"lab running in the background (pid {info['pid']}); login {user} / $MLAGAUTO_PASSWORD (default admin)")
            return
    except InventoryError as exc:
        _fail("invalid inventory:\n  " + "\n  ".join(exc.messages))
    except (ValueError, KeyError, RuntimeError, OSError) as exc:
        _fail(str(exc))
    _print_devices(lab.describe())
    typer.echo(f"lab running; login {user} / $MLAGAUTO_PASSWORD (default admin); Ctrl-C stops it")
    try:
        serve(inventory, lab=lab)
    except OSError as exc:
        _fail(f"cannot start the lab: {exc}")


@lab_app.command("down")
def lab_down(inventory: Path = InventoryOpt) -> None:
    """Stop the background lab of an inventory."""
    from mlagauto.lab.runner import stop_background

    if not stop_background(inventory):
        _fail(f"no background lab runs for {inventory}", code=EXIT_FINDINGS)
    typer.echo("lab stopped")


@lab_app.command("status")
def lab_status() -> None:
    """List the background labs and whether each device listens."""
    from mlagauto.lab.runner import listening, running_labs

    labs = running_labs()
    if not labs:
        typer.echo("no background lab")
        return
    for info in labs:
        state = "running" if info["running"] else "dead (stale state file)"
        typer.echo(f"{info['inventory']}: pid {info['pid']} {state}")
        for d in info["devices"]:
            up = listening(d["host"], d["port"])
            typer.echo(f"  {d['name']:<12} {d['platform']:<14} {d['host']}:{d['port']} {'listening' if up else 'not listening'}")


@app.command()
def version() -> None:
    """Print the version."""
    from mlagauto import __version__

    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
