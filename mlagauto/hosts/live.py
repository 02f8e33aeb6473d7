"""Offline validation of servers' bonds from saved outputs (``mlagauto hosts validate --outputs``),
one PairReport per server so that every report format (table, JSON, JUnit, Markdown) works.

Saved outputs are one folder per server, ``DIR/<host>/``, holding any of:

* ``proc_net_bonding_<bond>.txt``: ``cat /proc/net/bonding/<bond>`` (read as root, or the
  per-slave LACP details are missing), one file per bond;
* ``ip_-d_-j_link_show.json`` (or ``.txt``): ``ip -d -j link show``, every bond of the server.

A bond found in both is read from ``/proc`` (it says more: each slave's partner system and key).
Captures may carry the prompt, the command echo and CRLF line ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from mlagauto.checks import rules_of
from mlagauto.checks.host_live import validate_bond
from mlagauto.hosts.bonding import BondParseError, parse_ip_link_json, parse_proc_bonding
from mlagauto.model.bond_state import BondExpectation, BondState
from mlagauto.report import PairReport

PROC_PREFIX = "proc_net_bonding_"
IP_NAMES = ("ip_-d_-j_link_show.json", "ip_-d_-j_link_show.txt", "ip -d -j link show.json", "ip -d -j link show.txt")


class BondOutputsError(ValueError):
    """Saved outputs that cannot be validated at all; the message names the folder or file."""


def read_host_bonds(folder: Path, host: str | None = None) -> list[BondState]:
    """Every bond saved in one host folder. Raises BondOutputsError naming the file for a file
    that is not a bond's state at all, or the folder when it holds no bond output."""
    host = host or folder.name
    bonds: dict[str, BondState] = {}
    for path in sorted(folder.glob(f"{PROC_PREFIX}*.txt")):
        name = path.stem[len(PROC_PREFIX) :]
        state = parse_proc_bonding(_read(path), name=name, hostname=host)
        if state.mode is None and not state.slaves:
            raise BondOutputsError(f"{path}: not the output of cat /proc/net/bonding/{name} (no 'Bonding Mode' line, no slave)")
        bonds[name] = state
    ip_file = next((folder / n for n in IP_NAMES if (folder / n).is_file()), None)
    if ip_file is not None:
        try:
            found = parse_ip_link_json(_read(ip_file), hostname=host)
        except BondParseError as exc:
            raise BondOutputsError(f"{ip_file}: {exc}") from None
        if not found and not bonds:
            raise BondOutputsError(f"{ip_file}: no bond in it (no link with linkinfo.info_kind \"bond\"; was it saved with -d?)")
        for state in found:
            bonds.setdefault(state.name, state)
    if not bonds:
        raise BondOutputsError(f"{folder}: no saved bond output for host {host} (expected {folder / (PROC_PREFIX + '<bond>.txt')} or {folder / IP_NAMES[0]})")
    return list(bonds.values())


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise BondOutputsError(f"{path}: cannot read: {exc.strerror or exc}") from None


def host_report(host: str, bonds: Sequence[BondState], expect: BondExpectation | Mapping[str, BondExpectation] | None = None, pair: str | None = None) -> PairReport:
    """The host-live rules over every bond of one server. ``expect`` is one expectation for all
    bonds, or bond name -> expectation (a bond not named gets none)."""
    findings = []
    for bond in bonds:
        wanted = expect.get(bond.name) if isinstance(expect, Mapping) else expect
        findings += validate_bond(bond, wanted)
    return PairReport(hosts=[host], domain_id=None, findings=findings, rules_run=[r.id for r in rules_of("host-live")], pair=pair)


def validate_bond_dir(
    directory: Path,
    expect: BondExpectation | Mapping[str, BondExpectation | Mapping[str, BondExpectation]] | None = None,
    hosts: Sequence[str] | None = None,
    pairs: Mapping[str, str] | None = None,
) -> list[PairReport]:
    """One PairReport per host folder of ``directory`` (or per host of ``hosts``, in that order).
    ``expect`` is one expectation for every bond, or host -> (expectation or bond ->
    expectation); ``pairs`` names the MLAG pair each host hangs off (the report's ``pair``).
    Raises BondOutputsError naming the first folder or file that cannot be read."""
    if not directory.is_dir():
        raise BondOutputsError(f"{directory}: no such folder of saved outputs")
    names = list(hosts) if hosts is not None else sorted(p.name for p in directory.iterdir() if p.is_dir())
    if not names:
        raise BondOutputsError(f"{directory}: holds no host folder (expected {directory}/<host>/{PROC_PREFIX}<bond>.txt)")
    for host in names:
        if not (directory / host).is_dir():
            raise BondOutputsError(f"{directory / host}: no such folder of saved outputs for host {host}")
    reports = []
    for host in names:
        bonds = read_host_bonds(directory / host, host)
        wanted = expect.get(host) if isinstance(expect, Mapping) else expect
        reports.append(host_report(host, bonds, wanted, (pairs or {}).get(host)))
    return reports


# --- expectations from the inventory ----------------------------------------------------------

from dataclasses import dataclass  # noqa: E402  (this section's own imports)
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from mlagauto.model.intent import Fabric, MlagDomain


def nxos_vpc_system_mac(domain_id: int) -> str:
    """The vPC system MAC NX-OS derives when ``system-mac`` is not set: ``00:23:04:ee:be:<domain
    id>``, the domain id (1-1000, ten bits) filling the low bits of the last two octets."""
    low = 0xBE00 | (domain_id & 0x3FF)
    return f"00:23:04:ee:{low >> 8:02x}:{low & 0xFF:02x}"


def pair_system_id(domain: MlagDomain) -> str | None:
    """The LACP system id the pair presents to its servers, as far as the intent decides it:
    ``system.mac`` where set; else what the platform derives from the intent (NX-OS from the
    domain id; Junos and Huawei need one configured, and the drivers render the domain's derived
    MAC). EOS derives its MLAG system-id from the primary's bridge MAC, which no inventory says:
    None, and the rules then compare the slaves with each other."""
    if domain.system.mac:
        return str(domain.system.mac)
    if domain.platform == "cisco_nxos":
        return nxos_vpc_system_mac(int(domain.domain_id))
    if domain.platform in ("juniper_junos", "huawei_vrpv8"):
        return domain.derived_system_mac
    return None


@dataclass(frozen=True)
class BondTarget:
    """One server bond of the inventory and what its MLAG pair expects of it."""

    host: str
    bond: str
    domain: str
    mlag_id: int
    switches: tuple[str, ...]
    expect: BondExpectation

    @property
    def pair(self) -> str:
        """The report label: the pair and MLAG interface the bond hangs off (the report's hosts
        column names the server)."""
        return f"{self.domain} mlag {self.mlag_id} ({' + '.join(self.switches)})"


def inventory_targets(fabric: Fabric, hosts: Sequence[str] | None = None) -> list[BondTarget]:
    """Every bond of the inventory's servers (``host:`` on an MLAG interface), in inventory
    order, with the expectation its pair gives: the server's NICs as the slaves, the effective
    mode and LACP rate (``effective_bond``: the LAG's where the host does not say), the pair's
    LACP system id (``pair_system_id``; only for 802.3ad, the only mode that sees one)."""
    from mlagauto.model.host import host_bonds

    targets = []
    for domain in fabric.domains:
        system_id = pair_system_id(domain)
        for eb in host_bonds(domain):
            if hosts is not None and eb.host not in hosts:
                continue
            lacp = eb.mode == "802.3ad"
            expect = BondExpectation(system_id=system_id if lacp else None, lacp_rate=eb.lacp_rate if lacp else None, mode=eb.mode, slaves=list(eb.nics))
            targets.append(BondTarget(eb.host, eb.bond, domain.name, eb.mlag_id, tuple(domain.hostnames), expect))
    return targets


def target_report(target: BondTarget, bonds: Sequence[BondState], where: str) -> PairReport:
    """The host-live rules over ``target``'s bond among ``bonds`` (one server's). Raises
    BondOutputsError naming ``where`` when that bond is not among them."""
    bond = next((b for b in bonds if b.name == target.bond), None)
    if bond is None:
        found = ", ".join(b.name for b in bonds) or "none"
        raise BondOutputsError(f"{where}: no output of bond {target.bond} of {target.host} (bonds found: {found}; expected {PROC_PREFIX}{target.bond}.txt or {IP_NAMES[0]})")
    return host_report(target.host, [bond], target.expect, target.pair)


def validate_inventory_dir(directory: Path, targets: Sequence[BondTarget]) -> list[PairReport]:
    """One PairReport per inventory bond, from ``directory/<host>/``. Raises BondOutputsError
    naming the first folder or file missing or unreadable: an inventory server without saved
    outputs is bad input, not a clean bond."""
    if not directory.is_dir():
        raise BondOutputsError(f"{directory}: no such folder of saved outputs")
    read: dict[str, list[BondState]] = {}
    reports = []
    for target in targets:
        folder = directory / target.host
        if target.host not in read:
            if not folder.is_dir():
                raise BondOutputsError(f"{folder}: no such folder of saved outputs for host {target.host} (a server of the inventory)")
            read[target.host] = read_host_bonds(folder, target.host)
        reports.append(target_report(target, read[target.host], str(folder)))
    return reports
