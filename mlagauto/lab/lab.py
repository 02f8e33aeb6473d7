"""The lab: a set of simulated switches wired into MLAG pairs, served on loopback.

``Lab.from_inventory("inventories/lab")`` builds one device per MLAG host of a Nornir inventory
(SSH port from the host's ``port``, eAPI port and fault knobs from ``data.lab``), pairs them as the
inventory's MLAG domain groups do, and ``start()`` serves them all from one background thread.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any

from mlagauto.lab.device import DeviceSpec, SimDevice
from mlagauto.lab.server import LabLoop, require_loopback, start_http, start_ssh

DIALECTS: dict[str, str] = {
    "cisco_nxos": "mlagauto.lab.cisco_nxos:NxosDevice",
    "arista_eos": "mlagauto.lab.arista_eos:EosDevice",
    "juniper_junos": "mlagauto.lab.juniper_junos:JunosDevice",
    "huawei_vrpv8": "mlagauto.lab.huawei_vrpv8:VrpDevice",
    "linux": "mlagauto.lab.linux_host:LinuxHostDevice",
}
SERVER_PLATFORMS = frozenset({"linux"})
"""Platforms of the lab's simulated servers (the far end of the MLAG interfaces)."""

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "admin"


def lab_credentials() -> tuple[str, str]:
    """Credentials of the lab's switches: ``MLAGAUTO_USERNAME`` / ``MLAGAUTO_PASSWORD``, else the
    documented lab defaults admin / admin."""
    return os.environ.get("MLAGAUTO_USERNAME", DEFAULT_USERNAME), os.environ.get("MLAGAUTO_PASSWORD", DEFAULT_PASSWORD)


def dialect(platform: str) -> type[SimDevice]:
    target = DIALECTS.get(platform)
    if target is None:
        raise KeyError(f"the lab has no {platform!r} switch; it simulates {', '.join(sorted(DIALECTS))}")
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)


class Lab:
    """Simulated switches and their pairing."""

    def __init__(self, specs: list[DeviceSpec], pairs: list[tuple[str, str]], host: str = "127.0.0.1"):
        self.host = require_loopback(host)
        self.devices: dict[str, SimDevice] = {}
        for spec in specs:
            device = dialect(spec.platform)(spec.name, spec.port, spec.username, spec.password, lab=self, **spec.options)
            for knob, value in spec.faults.items():
                if not hasattr(device.faults, knob):
                    raise ValueError(f"host {spec.name}: data.lab.faults.{knob}: unknown fault knob")
                setattr(device.faults, knob, value)
            self.devices[spec.name] = device
        self._peer: dict[str, str] = {}
        for a, b in pairs:
            self._peer[a], self._peer[b] = b, a
        self._loop: LabLoop | None = None
        self._servers: list[Any] = []
        self._connections: set[Any] = set()
        """Open client connections (SSH connections, HTTP writers), closed by ``stop``."""

    @classmethod
    def from_inventory(cls, source: str | Path) -> Lab:
        """Devices from a SimpleInventory directory: every MLAG host (its platform, ``hostname``
        on loopback, ``port``, ``data.lab``), paired by MLAG domain, and every inventory host of
        platform ``linux`` that an MLAG interface names as its ``host:`` (a simulated server with
        those bonds, through ``effective_bond``); other hosts are not the lab's."""
        from nornir.plugins.inventory.simple import SimpleInventory

        from mlagauto.inventory import load_fabric

        path = Path(source)
        fabric = load_fabric(path)
        inv = SimpleInventory(
            host_file=str(path / "hosts.yaml"), group_file=str(path / "groups.yaml"), defaults_file=str(path / "defaults.yaml")
        ).load()
        username, password = lab_credentials()
        specs = []
        address = None
        from mlagauto.model.host import host_bonds

        servers: dict[str, list] = {}
        for domain in fabric.domains:
            for bond in host_bonds(domain):
                servers.setdefault(bond.host, []).append(bond)
        names = list(fabric.hosts()) + [n for n, h in inv.hosts.items() if h.platform in SERVER_PLATFORMS and n in servers]
        for name in names:
            host = inv.hosts[name]
            if host.port is None:
                raise ValueError(f"{path / 'hosts.yaml'}: host {name}: port: the lab needs a TCP port per host")
            address = address or host.hostname or "127.0.0.1"
            if (host.hostname or "127.0.0.1") != address:
                raise ValueError(f"{path / 'hosts.yaml'}: host {name}: hostname: every lab host must use {address}")
            lab_data = dict(host.data.get("lab") or {})
            faults = dict(lab_data.pop("faults", None) or {})
            if host.platform in SERVER_PLATFORMS:
                lab_data["bonds"] = servers[name]
            specs.append(DeviceSpec(name, host.platform, int(host.port), username, password, lab_data, faults))
        pairs = [(d.hostnames[0], d.hostnames[1]) for d in fabric.domains]
        return cls(specs, pairs, host=address or "127.0.0.1")

    def peer_of(self, name: str) -> SimDevice | None:
        other = self._peer.get(name)
        return self.devices.get(other) if other else None

    def device(self, name: str) -> SimDevice:
        return self.devices[name]

    # --- serving ---------------------------------------------------------------------------
    def start(self) -> Lab:
        if self._loop is not None:
            return self
        self._loop = LabLoop()
        try:
            self._servers = self._loop.run(self._start_all())
        except BaseException:
            self.stop()
            raise
        return self

    async def _start_all(self) -> list[Any]:
        servers: list[Any] = []
        try:
            for device in self.devices.values():
                servers.append(await start_ssh(device, self.host, self._connections))
                http = device.http_port()
                if http is not None:
                    servers.append(await start_http(device, self.host, http, self._connections))
        except BaseException:
            for server in servers:  # a port that cannot be bound must not leave the others listening
                server.close()
            raise
        return servers

    def stop(self) -> None:
        if self._loop is None:
            return

        async def _close() -> None:
            for server in self._servers:
                server.close()
            for conn in list(self._connections):
                conn.close()
            self._connections.clear()
            for server in self._servers:
                wait = getattr(server, "wait_closed", None)
                if wait:
                    await wait()

        try:
            self._loop.run(_close())
        finally:
            self._loop.close()
            self._loop = None
            self._servers = []

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def describe(self) -> list[dict[str, Any]]:
        return [d.describe() | {"host": self.host, "peer": self._peer.get(d.name)} for d in self.devices.values()]
