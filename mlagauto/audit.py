"""Offline audits: two running configs of a pair, or a whole inventory against a folder of
running configs (peer against peer, and each switch against its intent), pairs on every core."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from mlagauto.checks import audit_pair, drift, rules_of
from mlagauto.configtree import clean_capture
from mlagauto.drivers import detect_platform, driver_class, get_driver, platforms
from mlagauto.model.intent import Fabric, MlagDomain
from mlagauto.model.peer_config import PeerConfig
from mlagauto.render import map_domains
from mlagauto.report import PairReport

CONFIG_SUFFIXES = (".cfg", ".conf", ".txt")


class InputError(Exception):
    """Unreadable input: a missing file, an unknown platform."""


def _read_text(p: Path) -> str:
    """The text of a saved config: any encoding's stray byte is replaced (captures come from
    terminals), but a file that is empty or holds NUL bytes is not a running config at all."""
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(f"{p}: the file is empty; expected a running configuration")
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(f"{p}: not a text file (NUL byte at offset {nul}); expected a running configuration")
    return data.decode("utf-8", errors="replace")


def _platform_of(p: Path, text: str, platform: str | None) -> str:
    """The platform to parse ``text`` as: the one given, unless the text is plainly another
    platform's (parsing it anyway would report every setting missing), else the one detected.
    Text the given platform's driver recognises is that platform's without asking the others."""
    if platform is None:
        detected = detect_platform(text)
        if detected is None:
            raise InputError(f"{p}: cannot tell the platform from the text; pass --platform ({', '.join(platforms())})")
        return detected
    if platform not in platforms():
        raise InputError(f"{p}: unknown platform {platform!r}; choose one of {', '.join(platforms())}")
    if driver_class(platform).detect(clean_capture(text)) == 0:
        detected = detect_platform(text)
        if detected is not None and detected != platform:
            raise InputError(f"{p}: the text is {detected}, not {platform}")
    return platform


def read_config(path: str | Path, platform: str | None = None) -> PeerConfig:
    """Parse one running-config file; the hostname defaults to the file's stem."""
    p = Path(path)
    text = _read_text(p)
    return get_driver(_platform_of(p, text, platform)).parse_config(text, hostname=p.stem)


def _pair_rule_ids() -> list[str]:
    return [r.id for r in rules_of("pair")]


def audit_files(path_a: str | Path, path_b: str | Path, platform: str | None = None) -> PairReport:
    """Audit the two running configs of one pair. Two platforms never form one pair: that is bad
    input (one clear message), not a list of findings."""
    a, b = read_config(path_a, platform), read_config(path_b, platform)
    if a.platform != b.platform:
        raise InputError(f"{path_a} is {a.platform} and {path_b} is {b.platform}: an MLAG pair runs one platform; audit each switch against its own peer")
    return PairReport(hosts=[a.hostname or str(path_a), b.hostname or str(path_b)], domain_id=a.domain_id or b.domain_id, findings=audit_pair(a, b), rules_run=_pair_rule_ids())


def find_config(directory: Path, host: str) -> Path:
    for suffix in CONFIG_SUFFIXES:
        candidate = directory / f"{host}{suffix}"
        if candidate.is_file():
            return candidate
    raise InputError(f"{directory}: no running config for host {host} ({' / '.join(host + s for s in CONFIG_SUFFIXES)})")


def audit_fabric(fabric: Fabric, configs: str | Path, jobs: int | None = None) -> list[PairReport]:
    """Every pair of the fabric from ``configs/<host>.cfg``: peer against peer, and each running
    config against its intent (drift). Pairs are audited by ``jobs`` processes
    (``mlagauto.render.worker_count``); the reports come in inventory order."""
    directory = Path(configs)
    if not directory.is_dir():
        raise InputError(f"{directory}: configs directory not found")
    rule_ids = _pair_rule_ids() + [r.id for r in rules_of("drift")]
    return map_domains(fabric.domains, partial(_audit_domain, directory=directory, rule_ids=rule_ids), jobs)


def _audit_domain(domain: MlagDomain, directory: Path, rule_ids: list[str]) -> PairReport:
    driver = get_driver(domain.platform)
    running = [read_config(find_config(directory, h), domain.platform) for h in domain.hostnames]
    findings = audit_pair(*running)
    for host, observed in zip(domain.hostnames, running):
        findings += drift(driver.peer_config(domain, host), observed)
    findings.sort(key=lambda f: (f.severity.rank, f.rule, f.object))
    return PairReport(hosts=domain.hostnames, domain_id=running[0].domain_id, findings=findings, rules_run=list(rule_ids), pair=domain.name)
