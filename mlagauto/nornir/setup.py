"""Nornir set-up for MLAG hosts: connection options from the platform's driver and credentials
from the environment, so inventories carry neither."""

from __future__ import annotations

import logging
import os
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
    napalm driver and netmiko device type of the platform. Values the inventory sets win."""
    from nornir.core.inventory import ConnectionOptions

    username, password = os.environ.get(USERNAME_ENV), os.environ.get(PASSWORD_ENV)
    known = set(platforms())
    for host in nr.inventory.hosts.values():
        if host.platform not in known:
            continue
        driver = get_driver(host.platform)
        user, secret = username, password
        if host.get("mlagauto_lab"):
            from mlagauto.lab.lab import lab_credentials

            user, secret = lab_credentials()
        if host.username is None and user:
            host.username = user
        if host.password is None and secret:
            host.password = secret
        for name, platform in (("napalm", driver.napalm_driver), ("netmiko", driver.netmiko_device_type)):
            if platform is None:
                continue
            current = host.connection_options.get(name)
            if current is None:
                host.connection_options[name] = ConnectionOptions(platform=platform)
            elif current.platform is None:
                current.platform = platform
