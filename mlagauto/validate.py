"""Live validation: the show output of both peers of every pair, read as PeerStates and checked
by the live rules."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from mlagauto.checks import rules_of, validate_pair
from mlagauto.deploy import live_state
from mlagauto.drivers import get_driver
from mlagauto.model.intent import Fabric, MlagDomain
from mlagauto.report import PairReport


def validate_fabric(nr: Any, fabric: Fabric, limit: list[str] | None = None, workers: int = 8) -> tuple[list[PairReport], dict[str, str]]:
    """Live findings per pair, and the hosts that could not be read (host -> error)."""
    domains = [d for d in fabric.domains if not limit or d.name in limit]
    ids = [r.id for r in rules_of("live")]
    failures: dict[str, str] = {}

    def one(domain: MlagDomain) -> PairReport:
        driver = get_driver(domain.platform)
        states = []
        for host in domain.hostnames:
            try:
                states.append(live_state(nr, host, driver))
            except Exception as exc:  # unreachable or refusing switch: reported, not raised
                failures[host] = f"{type(exc).__name__}: {exc}"
        if len(states) < 2:
            return PairReport(hosts=domain.hostnames, domain_id=None, findings=[], rules_run=[])
        return PairReport(hosts=domain.hostnames, domain_id=states[0].domain_id, findings=validate_pair(*states), rules_run=ids)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(domains) or 1))) as pool:
        reports = list(pool.map(one, domains))
    return reports, failures
