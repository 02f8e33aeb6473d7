"""Nornir set-up for MLAG hosts: connection options from the platform's driver and credentials
from the environment, so inventories carry neither."""

from __future__ import annotations

import atexit
import logging
import os
import time
import weakref
from pathlib import Path
from typing import Any

from mlagauto.drivers import get_driver, platforms

USERNAME_ENV = "MLAGAUTO_USERNAME"
PASSWORD_ENV = "MLAGAUTO_PASSWORD"


def init_nornir(inventory: str | Path, workers: int = 20) -> Any:
    """A Nornir object over a SimpleInventory directory, threaded, without Nornir's log file or
    its tracebacks on stderr (failures are reported per host instead), prepared with
    ``prepare_hosts``."""
    from nornir import InitNornir

    quiet = logging.getLogger("nornir")
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    path = Path(inventory)
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(path / "hosts.yaml"),
                "group_file": str(path / "groups.yaml"),
                "defaults_file": str(path / "defaults.yaml"),
            },
        },
        logging={"enabled": False},
    )
    prepare_hosts(nr)
    return nr


def prepare_hosts(nr: Any) -> None:
    """Fill what the inventory leaves out, for every host of a known platform: username and
    password from ``MLAGAUTO_USERNAME`` / ``MLAGAUTO_PASSWORD`` (for a host whose data says
    ``mlagauto_lab: true``, the simulated lab's documented defaults when those are unset), the
    napalm driver and netmiko device type of the platform. Values the inventory sets win.

    Also closes ``nr``'s connections when the interpreter exits, if the playbook did not: napalm
    drivers probe their session from ``__del__`` at interpreter teardown, when the SSH transport
    no longer answers, and ``nxos_ssh`` then waits out its read timeout (about 100 seconds)
    before the process can end."""
    _close_at_exit(nr)
    known = set(platforms())
    for host in nr.inventory.hosts.values():
        if host.platform in known:
            driver = get_driver(host.platform)
            fill_connection(host, {"napalm": driver.napalm_driver, "netmiko": driver.netmiko_device_type})


def fill_connection(host: Any, platforms_by_connection: dict[str, str | None]) -> None:
    """Credentials from the environment (the lab's defaults for a host whose data says
    ``mlagauto_lab: true``) and each connection plugin's platform, where the inventory left them
    out; what the inventory sets wins. Shared by the switches and the servers."""
    from nornir.core.inventory import ConnectionOptions

    user, secret = os.environ.get(USERNAME_ENV), os.environ.get(PASSWORD_ENV)
    if host.get("mlagauto_lab"):
        from mlagauto.lab.lab import lab_credentials

        user, secret = lab_credentials()
    if host.username is None and user:
        host.username = user
    if host.password is None and secret:
        host.password = secret
    for name, platform in platforms_by_connection.items():
        if platform is None:
            continue
        current = host.connection_options.get(name)
        if current is None:
            host.connection_options[name] = ConnectionOptions(platform=platform)
        elif current.platform is None:
            current.platform = platform


_closing: dict[int, weakref.ref] = {}
"""The Nornir objects whose connections close at exit (weakly: a playbook's ``nr`` still goes
away when it is dropped)."""


def _close_at_exit(nr: Any) -> None:
    if not _closing:
        atexit.register(_close_all)
    try:
        _closing[id(nr)] = weakref.ref(nr, lambda _ref, key=id(nr): _closing.pop(key, None))
    except TypeError:  # an object that cannot be weakly referenced: the playbook closes it
        pass


CLOSE_AT_EXIT_TIMEOUT = 15.0
"""Seconds the exit waits for the connections to close (they close at once)."""


def _close_all() -> None:
    """All hosts at once, each in its own thread: a clean SSH logout takes a moment per session.
    Nornir's own ``close_connections`` runs through a thread pool, which takes no work once the
    interpreter is exiting."""
    import threading

    hosts = [h for ref in list(_closing.values()) if (nr := ref()) is not None for h in nr.inventory.hosts.values() if h.connections]
    threads = [threading.Thread(target=_close_host, args=(h,), daemon=True) for h in hosts]
    for t in threads:
        t.start()
    deadline = time.monotonic() + CLOSE_AT_EXIT_TIMEOUT
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))


def _close_host(host: Any) -> None:
    try:
        host.close_connections()
    except Exception:  # exiting anyway; a connection that fails to close is dropped
        pass
