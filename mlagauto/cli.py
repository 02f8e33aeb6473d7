"""The ``mlagauto`` command line.

Exit codes: 0 clean, 1 findings with errors, 2 bad input (the message names the file, host and
field), 3 device failures. Heavy transport libraries (napalm, netmiko) are imported only by the
commands that talk to devices, so ``--help``, ``render``, ``check``, ``parse`` and ``audit`` start fast.
"""

from __future__ import annotations

import json
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
)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_DEVICE = 0, 1, 2, 3

InventoryOpt = typer.Option(..., "--inventory", "-i", help="Nornir SimpleInventory directory (hosts.yaml, groups.yaml).")
FormatOpt = typer.Option("table", "--format", "-f", help="table | json | junit | markdown")
JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes, one pair at a time each (default: one per core; small inventories run in-process; 1: no workers).")


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _load(inventory: Path):
    from mlagauto.inventory import InventoryError, load_fabric

    try:
        return load_fabric(inventory)
    except InventoryError as exc:
        _fail("invalid inventory:\n  " + "\n  ".join(exc.messages))


def _emit(pairs, fmt: str, output: Optional[Path]) -> int:
    from mlagauto.report import FORMATS, exit_code, print_table, render_report

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    text = render_report(pairs, fmt)
    if text is None:
        print_table(pairs)
    elif output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return exit_code(pairs)


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

    fabric = _load(inventory)
    platform_of = {h: d.platform for d in fabric.domains for h in d.hostnames}  # one lookup per host, at any fabric size
    hosts = host or list(platform_of)
    unknown = [h for h in hosts if h not in platform_of]
    if unknown:
        _fail(f"{inventory}: hosts not in any MLAG domain: {', '.join(unknown)}")
    if variant:
        lacking = [h for h in hosts if variant not in get_driver(platform_of[h]).variants]
        if lacking:
            _fail(f"--variant {variant}: not a variant of the platform of {', '.join(lacking)}; limit with --host")
    try:
        configs = render_fabric(fabric, hosts, variant, templates, jobs)
    except Exception as exc:  # template errors from an override directory
        _fail(f"render failed: {exc}")
    if output:
        for path in write_configs(configs, output):
            typer.echo(f"wrote {path}")
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
) -> None:
    """Validate the intent of an inventory and run the pair rules on what it would render."""
    from mlagauto.checks import check_domain, rules_of
    from mlagauto.drivers import get_driver
    from mlagauto.report import PairReport

    fabric = _load(inventory)
    ids = [r.id for r in rules_of("intent")] + [r.id for r in rules_of("pair")]
    pairs = [
        PairReport(hosts=d.hostnames, domain_id=get_driver(d.platform).peer_config(d, d.hostnames[0]).domain_id, findings=check_domain(d), rules_run=ids)
        for d in fabric.domains
    ]
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
    typer.echo(json.dumps(chosen, indent=2))


@app.command()
def parse(
    file: Path = typer.Argument(..., help="A running configuration."),
    platform: Optional[str] = typer.Option(None, "--platform", "-p", help="Platform; detected from the text when omitted."),
    fmt: str = typer.Option("json", "--format", "-f", help="json | table"),
) -> None:
    """Parse a running configuration into the vendor-neutral PeerConfig."""
    from mlagauto.audit import InputError, read_config

    try:
        cfg = read_config(file, platform)
    except InputError as exc:
        _fail(str(exc))
    if fmt == "json":
        typer.echo(cfg.model_dump_json(indent=2))
        return
    if fmt != "table":
        _fail(f"unknown format {fmt!r}; choose json or table")
    _print_peer_config(cfg)


def _print_peer_config(cfg) -> None:
    from rich.console import Console
    from rich.table import Table

    from mlagauto.model.vlans import format_vlan_list

    console = Console()
    ka = cfg.keepalive
    pl = cfg.peer_link
    console.print(f"[bold]{cfg.hostname}[/bold] ({cfg.platform}) domain {cfg.domain_id}")
    console.print(f"keepalive: {ka.source if ka else None} -> {ka.destination if ka else None} vrf {ka.vrf if ka else None}")
    console.print(f"peer-link: {pl.interface if pl else None} members {', '.join(pl.members) if pl else ''}")
    table = Table("mlag", "interface", "members", "lacp", "mode", "vlans")
    for i in cfg.mlag_interfaces:
        table.add_row(str(i.mlag_id), i.interface, ", ".join(i.members), str(i.lacp_mode), str(i.mode), format_vlan_list(i.vlans))
    console.print(table)
    for w in cfg.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


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

    try:
        if inventory is not None:
            if configs:
                _fail("give either CONFIG_A CONFIG_B or --inventory with --configs, not both")
            if configs_dir is None:
                _fail("--inventory needs --configs DIR (or, later, --live)")
            pairs = audit_fabric(_load(inventory), configs_dir, jobs)
        else:
            if not configs or len(configs) != 2:
                _fail("give exactly two running configs (CONFIG_A CONFIG_B), or --inventory with --configs")
            pairs = [audit_files(configs[0], configs[1], platform)]
    except InputError as exc:
        _fail(str(exc))
    raise typer.Exit(_emit(pairs, fmt, output))


lab_app = typer.Typer(help="The simulated lab: MLAG switches on 127.0.0.1 that real netmiko/napalm clients talk to.", no_args_is_help=True)
app.add_typer(lab_app, name="lab")


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
