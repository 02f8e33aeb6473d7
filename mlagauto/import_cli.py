"""``mlagauto import``: running configs of MLAG pairs -> a Nornir inventory in the data.mlag convention.

Kept apart from ``mlagauto.cli`` so that the import's options and exit codes live beside the
library they drive (``mlagauto.importer``); ``mlagauto.cli`` registers ``import_command``.

Exit codes: 0 every pair imported losslessly (inventory and import-report.md written); 1 review
items and no ``--accept-partial`` (nothing written; the report goes to stdout); 2 bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

REPORT_NAME = "import-report.md"


def import_command(
    configs: Optional[list[Path]] = typer.Argument(None, help="Running configs: the two peers of one pair (or more files, paired by domain id and mirrored addresses)."),
    configs_dir: Optional[Path] = typer.Option(None, "--configs", help="A folder of running configs; peers are paired by domain id and mirrored keepalive / peer addresses."),
    platform: Optional[str] = typer.Option(None, "--platform", "-p", help="Platform; detected from each file's text when omitted."),
    output: Path = typer.Option(Path("imported"), "--output", "-o", help="Inventory directory to create or merge into (hosts.yaml, groups.yaml, import-report.md)."),
    group: Optional[str] = typer.Option(None, "--group", "-g", help="Group (domain) name of the pair; only with one pair."),
    accept_partial: bool = typer.Option(False, "--accept-partial", help="Write the inventory even where review items remain."),
) -> None:
    """Import running MLAG pairs into an inventory: the intent that renders them, and a review list of what it cannot express."""
    from mlagauto.audit import InputError, read_config
    from mlagauto.cli import EXIT_FINDINGS, EXIT_OK, _fail  # here: mlagauto.cli imports this module
    from mlagauto.drivers import platforms
    from mlagauto.importer import config_files, import_configs, import_pair, read_text, report_markdown, write_inventory

    files = list(configs or [])
    if configs_dir is not None:
        if not configs_dir.is_dir():
            _fail(f"--configs {configs_dir}: folder not found")
        files += config_files(configs_dir)
    if not files:
        _fail("give the two running configs of a pair (A.cfg B.cfg) or --configs DIR")
    if platform is not None and platform not in platforms():
        _fail(f"--platform {platform}: unknown platform; choose one of {', '.join(platforms())}")
    for f in files:
        if not f.is_file():
            _fail(f"{f}: file not found")
    if output.exists() and not output.is_dir():
        _fail(f"-o {output}: is a file; give an inventory folder")
    try:
        if len(files) == 2 and configs_dir is None:
            parsed = [read_config(f, platform) for f in files]
            for f, cfg in zip(files, parsed):
                if cfg.is_empty():
                    _fail(f"{f}: no {cfg.platform} MLAG configuration found ({'; '.join(cfg.warnings) or 'nothing MLAG-related'})")
            if parsed[0].platform != parsed[1].platform:
                _fail(f"{files[0]} is {parsed[0].platform} and {files[1]} is {parsed[1].platform}: an MLAG pair runs one platform")
            if parsed[0].hostname == parsed[1].hostname:
                _fail(f"{files[0]} and {files[1]} are both of host {parsed[0].hostname}: give the configs of the two peers")
            result = import_pair(parsed[0], parsed[1], group, texts=(read_text(files[0]), read_text(files[1])))
            result.sources = dict(zip(result.hosts, map(str, files)))
            results = [result]
        else:
            results = import_configs(files, platform)
            if group is not None:
                if len(results) != 1:
                    _fail(f"--group {group}: names one pair, but the files hold {len(results)}")
                sources = results[0].sources
                results = [import_pair(*results[0].configs, group, texts=tuple(read_text(p) for p in sources.values()))] if results[0].configs else results
                results[0].group, results[0].sources = group, sources
    except InputError as exc:
        _fail(str(exc))
    report = report_markdown(results)
    clean = all(r.lossless for r in results)
    if not clean and not accept_partial:
        typer.echo(report)
        typer.echo(f"review items remain: nothing written to {output} (--accept-partial writes the inventory anyway)", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    written = write_inventory(results, output)
    (output / REPORT_NAME).write_text(report, encoding="utf-8")
    summary = ", ".join(f"{r.group}: {r.status}" for r in results)
    typer.echo(f"wrote {', '.join(str(p) for p in written)} and {output / REPORT_NAME} ({summary})")
    raise typer.Exit(EXIT_OK)
