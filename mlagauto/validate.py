"""Live validation: the show output of both peers of every pair, read as PeerStates and checked
by the live rules, from the switches (``validate_fabric``) or from saved outputs
(``validate_outputs``, ``validate_output_dir``).

Saved outputs are one file per host and command, ``DIR/<host>/<command>.txt``: the command as
typed, an output pipe (``| json``) left out, every other ``|`` dropped and spaces written as
``_`` (``leaf1a/show_mlag_detail.txt``, ``nx-a/show_port-channel_summary.txt``, Junos
``show_configuration_interfaces_display_set.txt``). The JSON form may be saved instead, as
``<command>.json`` or ``<command>_json.txt``, and names with the spaces kept are read too. Each
parser tells JSON from text by the content, so the extension is only a name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from mlagauto.checks import rules_of, validate_pair
from mlagauto.checks.live import unreachable
from mlagauto.configtree import clean_capture
from mlagauto.deploy import live_state
from mlagauto.drivers import get_driver
from mlagauto.drivers.base import MlagDriver
from mlagauto.drivers.showtext import no_output
from mlagauto.model.intent import Fabric, MlagDomain
from mlagauto.model.peer_state import PeerState
from mlagauto.report import PairReport

_OUTPUT_PIPE = re.compile(r"\s*\|\s*((?:display\s+)?json(?:[\s-]\w+)?|display\s+xml)\s*$")
"""The pipe that only changes how a command prints (``| json``, ``| json native``, ``| display json``)."""


class OutputsError(ValueError):
    """Saved outputs that cannot be validated at all: a host folder that does not exist."""


def validate_fabric(nr: Any, fabric: Fabric, limit: list[str] | None = None, workers: int = 8) -> tuple[list[PairReport], dict[str, str]]:
    """Live findings per pair, and the hosts that could not be read (host -> error line). A host
    that could not be read is also a ``live-unreachable`` error of its pair, so no report format
    shows that pair as clean."""
    domains = [d for d in fabric.domains if not limit or d.name in limit]
    failures: dict[str, str] = {}

    def one(domain: MlagDomain) -> PairReport:
        driver = get_driver(domain.platform)
        return pair_report(domain.hostnames, [_read_state(nr, host, driver, failures) for host in domain.hostnames], domain.name)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(domains) or 1))) as pool:
        reports = list(pool.map(one, domains))
    return reports, failures


def _read_state(nr: Any, host: str, driver: MlagDriver, failures: dict[str, str]) -> PeerState:
    """The host's PeerState, or one that says why it could not be read (recorded in
    ``failures`` too). Every client library raises its own types (socket errors, paramiko,
    netmiko, http.client, ncclient), so any exception here is the host's failure, never the
    run's."""
    try:
        return live_state(nr, host, driver)
    except Exception as exc:
        target = nr.inventory.hosts[host]
        failures[host] = f"{error_line(exc)} ({target.hostname}:{target.port or 'default port'})"
        return PeerState(platform=driver.platform, hostname=host, unreachable=failures[host])


def error_line(exc: BaseException) -> str:
    """``Type: first line of the message``: client libraries put advice paragraphs after the
    first line (netmiko), which would break a one-line report cell or stderr line."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def pair_report(hosts: Sequence[str], states: Sequence[PeerState], pair: str | None = None) -> PairReport:
    """The live rules over a pair's two states. With a peer unreachable only ``live-unreachable``
    runs: the pair rules compare two peers, and run against a state that holds no facts they
    would report false findings (or passing JUnit cases) about a switch nobody read."""
    if any(s.unreachable for s in states):
        domain_id = next((s.domain_id for s in states if s.domain_id), None)
        return PairReport(hosts=list(hosts), domain_id=domain_id, findings=list(unreachable(*states)), rules_run=["live-unreachable"], pair=pair)
    a, b = states
    return PairReport(hosts=list(hosts), domain_id=a.domain_id or b.domain_id, findings=validate_pair(a, b), rules_run=[r.id for r in rules_of("live")], pair=pair)


def output_file_names(command: str) -> list[str]:
    """The file names a saved output of ``command`` may have, the preferred first: the form the
    command prints live (JSON for a ``| json`` command), then the other form, then the same names
    with spaces instead of ``_``."""
    pipe = _OUTPUT_PIPE.search(command)
    base = command[: pipe.start()] if pipe else command
    text_stem = _stem(base)
    json_stem = _stem(f"{base} {pipe.group(1) if pipe else 'json'}")
    text_names = [f"{text_stem}.txt"]
    json_names = [f"{text_stem}.json", f"{json_stem}.txt"]
    names = json_names + text_names if pipe else text_names + json_names
    return names + [name.replace("_", " ") for name in names if "_" in name]


def _stem(command: str) -> str:
    return "_".join(command.replace("|", " ").split())


def read_output_dir(folder: Path, commands: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """One host's saved outputs: (command -> output, command -> the file expected, for each
    command without one). Captures are freed of prompts, CRLF and the like first."""
    outputs: dict[str, str] = {}
    missing: dict[str, str] = {}
    for command in commands:
        names = output_file_names(command)
        found = next((folder / name for name in names if (folder / name).is_file()), None)
        if found is None:
            missing[command] = str(folder / names[0])
        else:
            outputs[command] = clean_capture(found.read_text(encoding="utf-8", errors="replace"))
    return outputs, missing


def state_from_outputs(platform: str, host: str, outputs: Mapping[str, str], missing: Mapping[str, str] | None = None) -> PeerState:
    """``parse_state`` over one host's saved outputs. A command listed in ``missing`` (command ->
    the file expected) is reported by the file name rather than as a bare missing output."""
    state = get_driver(platform).parse_state(dict(outputs), hostname=host)
    if not missing:
        return state
    bare = {no_output(command) for command in missing}
    warnings = [w for w in state.warnings if w not in bare]
    warnings += [f"{command}: no saved output (expected {path})" for command, path in missing.items()]
    return state.model_copy(update={"warnings": warnings})


def validate_outputs(platform: str, hosts: Sequence[str], outputs: Mapping[str, Mapping[str, str]], missing: Mapping[str, Mapping[str, str]] | None = None) -> PairReport:
    """The live rules over one pair from outputs already at hand: host -> command -> output (the
    commands of the platform's ``state_commands``, JSON or text). The library counterpart of
    ``validate_fabric`` for outputs saved by runbooks, tickets or support bundles."""
    states = [state_from_outputs(platform, host, outputs.get(host, {}), (missing or {}).get(host)) for host in hosts]
    return pair_report(hosts, states)


def validate_output_dir(directory: Path, pairs: Sequence[tuple[str, Sequence[str]]]) -> list[PairReport]:
    """``validate_outputs`` for every (platform, (host A, host B)) pair, reading
    ``directory/<host>/`` (see the module docstring for the file names). Raises OutputsError
    naming the first host folder that does not exist; a missing file is a warning of its pair."""
    for _, hosts in pairs:
        for host in hosts:
            if not (directory / host).is_dir():
                raise OutputsError(f"{directory / host}: no such folder of saved outputs for host {host}")
    reports = []
    for platform, hosts in pairs:
        commands = get_driver(platform).state_commands
        read = {host: read_output_dir(directory / host, commands) for host in hosts}
        reports.append(validate_outputs(platform, hosts, {h: r[0] for h, r in read.items()}, {h: r[1] for h, r in read.items()}))
    return reports
