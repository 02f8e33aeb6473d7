"""``mlagauto hosts``: the servers' side of the MLAG interfaces. Imports stay inside the commands,
so ``mlagauto --help`` does not pay for them."""

from __future__ import annotations

import typer

hosts_app = typer.Typer(help="The dual-homed servers' bonds: render them from the intent, check them against the pair, validate their live state.", no_args_is_help=True)


# --- render / check: the bond model and its generated configuration ----------------------------

from pathlib import Path  # noqa: E402  (this section's own imports)
from typing import Optional  # noqa: E402


def _host_entries(inventory: Path):
    """The inventory's host bonds; bad input exits 2 naming the file, group and field."""
    from mlagauto.cli import _fail, _load
    from mlagauto.hosts.render import HostRenderError, host_entries

    fabric = _load(inventory)
    try:
        return fabric, host_entries(fabric)
    except HostRenderError as exc:
        _fail("invalid inventory:\n  " + "\n  ".join(f"{inventory / 'groups.yaml'}: {m}" for m in exc.messages))


@hosts_app.command("render")
def render(
    inventory: Path = typer.Option(..., "--inventory", "-i", help="Nornir SimpleInventory directory (hosts.yaml, groups.yaml)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write DIR/<host>/<format>/<file> instead of printing."),
    host: list[str] = typer.Option([], "--host", help="Only these servers (repeatable)."),
    fmt: list[str] = typer.Option([], "--format", "-f", help="Only these formats (repeatable): netplan | networkmanager | ifupdown | systemd-networkd | truenas. Default: the host's OS family's."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Override directory with <format folder>/<template>.j2 templates."),
) -> None:
    """Render each server's bond (MLAG interfaces with a host) in the formats people deploy."""
    from mlagauto.cli import _fail, _output_dir, _write_files
    from mlagauto.hosts.render import render_hosts, write_hosts
    from mlagauto.model.host import HOST_FORMATS

    bad = [f for f in fmt if f not in HOST_FORMATS]
    if bad:
        _fail(f"--format {bad[0]}: unknown host format; choose one of {', '.join(HOST_FORMATS)}")
    if templates is not None and not templates.is_dir():
        _fail(f"--templates {templates}: folder not found")
    fabric, entries = _host_entries(inventory)
    known = list(dict.fromkeys(e.bond.host for e in entries))
    if not known:
        _fail(f"{inventory}: no MLAG interface names a host (data.mlag.mlag_interfaces[N].host)")
    unknown = [h for h in host if h not in known]
    if unknown:
        _fail(f"--host {unknown[0]}: no MLAG interface of {inventory} names this host; the hosts are {', '.join(known)}")
    if output is not None:
        _output_dir(output)
    try:
        rendered = render_hosts(fabric, host or None, fmt or None, templates)
    except Exception as exc:  # template errors from an override directory
        _fail(f"render failed: {exc}")
    if output is not None:
        _write_files(lambda: write_hosts(rendered, output), output)
        return
    for h, files in rendered.items():
        for name, text in files.items():
            typer.echo(f"### {h}/{name}")
            typer.echo(text, nl=False)


@hosts_app.command("check")
def check(
    inventory: Path = typer.Option(..., "--inventory", "-i", help="Nornir SimpleInventory directory (hosts.yaml, groups.yaml)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | json | junit | markdown"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to a file."),
) -> None:
    """Check every server's bond against the MLAG interface it faces (host rules, offline).
    Exit 0 clean, 1 error findings, 2 bad input."""
    from mlagauto.checks import rules_of
    from mlagauto.checks.hosts import check_bond
    from mlagauto.cli import _check_report_args, _emit
    from mlagauto.report import PairReport

    _check_report_args(fmt, output)
    _, entries = _host_entries(inventory)
    ids = [r.id for r in rules_of("host")]
    reports = [
        PairReport(hosts=e.domain.hostnames, domain_id=None, findings=check_bond(e.bond, e.domain), rules_run=ids, pair=f"{e.bond.host} {e.bond.bond} ({e.domain.name} mlag {e.bond.mlag_id})")
        for e in entries
    ]
    raise typer.Exit(_emit(reports, fmt, output))



# --- validate: the bond's live state (/proc/net/bonding) -----------------------------------------


@hosts_app.command("validate")
def validate(
    inventory: Optional[Path] = typer.Option(None, "--inventory", "-i", help="Nornir SimpleInventory directory: the servers (host: on MLAG interfaces) and what their pairs expect; without --outputs their bonds are read live over SSH."),
    outputs: Optional[Path] = typer.Option(None, "--outputs", help="Saved outputs, DIR/<host>/proc_net_bonding_<bond>.txt (cat /proc/net/bonding/<bond>, as root) and/or DIR/<host>/ip_-d_-j_link_show.json."),
    system_id: Optional[str] = typer.Option(None, "--system-id", help="The pair's LACP system id: the partner MAC every slave must see (aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff). With -i: instead of the inventory's."),
    lacp_rate: Optional[str] = typer.Option(None, "--lacp-rate", help="The LACP rate the pair runs: fast | slow. With -i: instead of the inventory's."),
    mode: Optional[str] = typer.Option(None, "--mode", help="The bond mode expected (default: 802.3ad when --system-id or --lacp-rate is given; with -i the effective bond's)."),
    slave: list[str] = typer.Option([], "--slave", help="A NIC that must be a slave of every bond (repeatable). With -i: instead of the server's NICs."),
    host: list[str] = typer.Option([], "--host", help="With -i: only these servers (repeatable)."),
    sudo: bool = typer.Option(True, "--sudo/--no-sudo", help="Live: read the bond with sudo -n (the per-slave LACP details need root)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | json | junit | markdown"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to a file."),
) -> None:
    """Validate servers' bonds: one aggregator, the pair's system id and one key on every slave,
    every slave up, nothing churned or defaulted, the LACP rate. With -i the expectations come
    from the inventory (each server's NICs, effective mode and LACP rate, the pair's LACP system
    id) and the bonds are read live over SSH, or from --outputs. Exit 0 clean, 1 error findings,
    2 bad input (the file named), 3 a server could not be read."""
    from pydantic import ValidationError

    from mlagauto.cli import _check_report_args, _emit, _fail
    from mlagauto.hosts.live import BondOutputsError, validate_bond_dir, validate_inventory_dir
    from mlagauto.model.bond_state import MODES, BondExpectation

    _check_report_args(fmt, output)
    if inventory is None and outputs is None:
        _fail("give --inventory to validate the inventory's servers (live, or with --outputs DIR from saved outputs), or --outputs DIR alone")
    if host and inventory is None:
        _fail("--host: needs --inventory (the servers are the inventory's)")
    if lacp_rate is not None and lacp_rate not in ("fast", "slow"):
        _fail(f"--lacp-rate {lacp_rate}: choose fast or slow")
    if mode is not None and mode not in MODES:
        _fail(f"--mode {mode}: unknown bond mode; choose one of {', '.join(MODES)}")
    try:
        expect = BondExpectation(system_id=system_id, lacp_rate=lacp_rate, mode=mode, slaves=slave or None)
    except ValidationError as exc:
        _fail(f"--system-id {system_id}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}")
    if inventory is None:
        assert outputs is not None
        try:
            reports = validate_bond_dir(outputs, expect)
        except BondOutputsError as exc:
            _fail(str(exc))
        raise typer.Exit(_emit(reports, fmt, output))
    targets = _targets(inventory, host, expect)
    if outputs is not None:
        try:
            reports = validate_inventory_dir(outputs, targets)
        except BondOutputsError as exc:
            _fail(str(exc))
        raise typer.Exit(_emit(reports, fmt, output))
    reports, failures = _live_reports(inventory, targets, sudo)
    code = _emit(reports, fmt, output)
    for name, error in failures.items():
        typer.echo(f"error: {name}: {error}", err=True)
    raise typer.Exit(3 if failures else code)


def _targets(inventory: Path, host: list[str], override):
    """The inventory's bonds (``--host`` ones only), each expectation overridden by the options
    given; exits 2 for an inventory without servers or an unknown ``--host``."""
    from mlagauto.cli import _fail, _load
    from mlagauto.hosts.live import inventory_targets

    fabric = _load(inventory)
    every = inventory_targets(fabric)
    known = list(dict.fromkeys(t.host for t in every))
    if not known:
        _fail(f"{inventory}: no MLAG interface names a host (data.mlag.mlag_interfaces[N].host)")
    unknown = [h for h in host if h not in known]
    if unknown:
        _fail(f"--host {unknown[0]}: no MLAG interface of {inventory} names this host; the hosts are {', '.join(known)}")
    given = override.model_dump(exclude_none=True)
    targets = [t for t in every if not host or t.host in host]
    if given:
        from dataclasses import replace

        targets = [replace(t, expect=t.expect.model_copy(update=given)) for t in targets]
    return targets


def live_bond_reports(nr, targets, sudo: bool = True, workers: int = 8):
    """Read every target's bond over ``nr`` (``get_bond_states``) and run the host-live rules:
    (reports in target order, server -> error line for those that could not be read). A server
    that could not be read is a ``live-unreachable`` error of its report, so no format shows it
    clean."""
    from mlagauto.hosts.live import target_report
    from mlagauto.hosts.tasks import get_bond_states, prepare_servers
    from mlagauto.model.finding import make_finding
    from mlagauto.report import PairReport

    names = list(dict.fromkeys(t.host for t in targets))
    failures = {name: "not a host of the Nornir inventory (hosts.yaml)" for name in prepare_servers(nr, names)}
    bonds = {name: [t.bond for t in targets if t.host == name] for name in names}
    readable = [n for n in names if n not in failures]
    results = nr.filter(filter_func=lambda h: h.name in readable).run(task=get_bond_states, bonds=bonds, sudo=sudo) if readable else {}
    states = {}
    for name in readable:
        result = results[name]
        if result.failed:
            error = result[0].exception or result[0].result
            failures[name] = " ".join(str(error).split())[:300] or "the bond's state could not be read"
        else:
            states[name] = result[0].result
    reports = []
    for t in targets:
        if t.host in failures:
            finding = make_finding("live-unreachable", hosts=[t.host], object="connection", message=f"the state of {t.bond} could not be read: {failures[t.host]}", expected=f"cat /proc/net/bonding/{t.bond} answered", actual=failures[t.host], fix="check the server's address, port, credentials, that it runs sshd, and that the login may sudo -n cat /proc/net/bonding/<bond>")
            reports.append(PairReport(hosts=[t.host], domain_id=None, findings=[finding], rules_run=["live-unreachable"], pair=t.pair))
        else:
            reports.append(target_report(t, list(states[t.host].values()), t.host))
    return reports, failures


def _live_reports(inventory: Path, targets, sudo: bool):
    from mlagauto.cli import _nornir

    nr = _nornir(inventory)
    try:
        return live_bond_reports(nr, targets, sudo)
    finally:
        nr.close_connections()
