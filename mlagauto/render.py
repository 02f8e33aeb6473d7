"""Render every switch of a Fabric to its configuration text, on every core for a large fabric.

Pairs are independent, so ``map_domains`` hands them to a pool of worker processes (threads would
share one interpreter lock) and collects the results in inventory order: the output is the same
byte for byte whatever the number of workers. ``mlagauto.audit`` audits pairs the same way.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from mlagauto.drivers import get_driver
from mlagauto.model.intent import Fabric, MlagDomain

T = TypeVar("T")

MIN_PAIRS_PER_WORKER = 8
"""Without an explicit job count, a worker is started for every this many pairs at most: starting
a process costs about as much as rendering a few pairs, so a small inventory stays in-process."""

_worker_job: tuple[Sequence[MlagDomain], Callable[[MlagDomain], Any]] | None = None
"""The domains and the function of the pool this worker process serves (set once per worker)."""


def available_cores() -> int:
    """Cores this process may run on (the CPU affinity mask where the platform has one, so a
    container limited to two cores gets two workers, not one per host CPU)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_count(pairs: int, jobs: int | None) -> int:
    """Processes to use for ``pairs`` pairs: ``jobs`` when given (never more than there are
    pairs), else one per core while each gets ``MIN_PAIRS_PER_WORKER`` pairs. 1 means in-process."""
    if jobs is not None:
        return max(1, min(jobs, pairs))
    return max(1, min(available_cores(), pairs // MIN_PAIRS_PER_WORKER))


def _start_worker(domains: Sequence[MlagDomain], work: Callable[[MlagDomain], Any]) -> None:
    """Keep the pool's job, and exempt everything the worker starts with (the inventory above all)
    from garbage collection for good: it lives as long as the worker, and the collector walking it
    again and again cost a third of the time of an audit."""
    global _worker_job
    _worker_job = (domains, work)
    gc.freeze()


def _in_process(domains: Sequence[MlagDomain], work: Callable[[MlagDomain], T]) -> list[T]:
    """``[work(d) for d in domains]`` with what existed before exempted from garbage collection
    meanwhile (as in a worker), then handed back to the collector; left alone when the caller
    freezes objects itself."""
    if gc.get_freeze_count():
        return [work(d) for d in domains]
    gc.freeze()
    try:
        return [work(d) for d in domains]
    finally:
        gc.unfreeze()


def _run(index: int) -> Any:
    assert _worker_job is not None, "a pool task ran outside a started worker"
    domains, work = _worker_job
    return work(domains[index])


def map_domains(domains: Sequence[MlagDomain], work: Callable[[MlagDomain], T], jobs: int | None = None) -> list[T]:
    """``[work(d) for d in domains]``, computed by ``worker_count`` processes, in the order of
    ``domains``. ``work`` must be picklable (a module-level function or a ``partial`` of one).

    The domains reach the workers once, as the pool's start arguments (inherited without a copy
    where processes fork), and each task is only an index, so no pair is pickled per task.
    An exception raised for a domain is raised here, for the first failing domain in order.
    """
    workers = worker_count(len(domains), jobs)
    if workers == 1:
        return _in_process(domains, work)
    chunk = max(1, len(domains) // (workers * 4))
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(domains, work)) as pool:
        return list(pool.map(_run, range(len(domains)), chunksize=chunk))


def render_host(fabric: Fabric, host: str, variant: str | None = None, template_dir: str | Path | None = None) -> str:
    """The MLAG configuration of one switch."""
    domain = fabric.domain_of(host)
    return get_driver(domain.platform, template_dir).render(domain, host, variant)


def _render_domain(domain: MlagDomain, hosts: frozenset[str] | None, variant: str | None, template_dir: str | Path | None) -> dict[str, str]:
    driver = get_driver(domain.platform, template_dir)
    return {h: driver.render(domain, h, variant) for h in domain.hostnames if hosts is None or h in hosts}


def render_fabric(
    fabric: Fabric,
    hosts: list[str] | None = None,
    variant: str | None = None,
    template_dir: str | Path | None = None,
    jobs: int | None = None,
) -> dict[str, str]:
    """``{host: config}`` for ``hosts`` (default: every MLAG switch, in inventory order), rendered
    by ``jobs`` processes (see ``worker_count``); a host in no domain raises KeyError."""
    if hosts is None:
        chosen, domains, wanted = fabric.hosts(), list(fabric.domains), None
    else:
        known = set(fabric.hosts())
        unknown = next((h for h in hosts if h not in known), None)
        if unknown is not None:
            raise KeyError(f"host {unknown!r} is in no MLAG domain")
        chosen, wanted = hosts, frozenset(hosts)
        domains = [d for d in fabric.domains if wanted.intersection(d.hostnames)]
    rendered: dict[str, str] = {}
    for configs in map_domains(domains, partial(_render_domain, hosts=wanted, variant=variant, template_dir=template_dir), jobs):
        rendered.update(configs)
    return {h: rendered[h] for h in chosen}


def write_configs(configs: dict[str, str], out_dir: str | Path) -> list[Path]:
    """Write ``<host>.cfg`` files; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for host, text in configs.items():
        path = out / f"{host}.cfg"
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
