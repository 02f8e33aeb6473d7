"""What a deploy pushes to one switch: the removals that bring the running config's MLAG surface to
the intent, then the rendered surface, merged on top.

Removals are computed against what the switch has, not against what the project last wrote, so
any edit of the intent converges in one deploy. They are hier_config 3 remediation between two
cuts of the same surface, the running config's and the render's, of which only what the render
does not say itself is kept (negations, and the ``no`` settings the intent no longer has): the
render follows as a merge and sets everything else. The surface is

- every top-level entry the render writes (by key: the block's header, a Junos statement's first
  two words),
- the families of entries the driver declares ``owned`` (the VLANs: the intent lists them all),
- the interfaces the running config has in its MLAG surface and the intent no longer has: a stale
  port-channel is deleted, a stale member port is brought back to an empty interface (so its
  ``channel-group`` / ``eth-trunk`` / ``802.3ad`` goes, the port stays).

Nothing outside it is ever negated. A port leaving its LAG loses its membership line first. Two things hier_config does not do are done here and in the
drivers' deploy hooks: cutting the surface out of a whole configuration, and the VLAN-set lines
(``vlan 1,10,20``, ``vlan batch``, ``port trunk allow-pass vlan``), which hier_config compares as
text and would negate whole; they are split into one line per VLAN before it sees them and the
removals are joined back (``no vlan 40,50``). Stale port-channels are deleted after their
members are cleaned (a hier_config ordering rule): some platforms refuse to delete a LAG that
still has members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlagauto.drivers.base import MlagDriver
from mlagauto.model.intent import MlagDomain
from mlagauto.model.peer_config import PeerConfig


@dataclass
class Change:
    """The change for one switch."""

    host: str
    render: str
    removals: str = ""
    stale: list[int] = field(default_factory=list)
    """MLAG ids removed because the intent no longer has them."""

    def loads(self, driver: MlagDriver) -> list[str]:
        """The texts to stage, in order (the platform decides whether they can go as one)."""
        return driver.change_loads(self.removals, self.render)


def plan_change(driver: MlagDriver, domain: MlagDomain, host: str, running: str, observed: PeerConfig | None = None) -> Change:
    """The change that brings ``host`` from ``running`` to the intent; ``observed`` is
    ``running`` already parsed, where the caller has it (a verified backup)."""
    render = driver.render(domain, host)
    observed = observed or driver.parse_config(running, hostname=host)
    lags, members = stale_interfaces(observed, driver.peer_config(domain, host))
    wanted = {itf.mlag_id for itf in domain.mlag_interfaces}
    stale = sorted(itf.mlag_id for itf in observed.mlag_interfaces if itf.mlag_id not in wanted)
    return Change(host, render, removals(driver, running, render, lags, members), stale)


def _lags(config: PeerConfig) -> set[str]:
    names = {itf.interface for itf in config.mlag_interfaces}
    if config.peer_link and config.peer_link.interface:
        names.add(config.peer_link.interface)
    return names


def _members(config: PeerConfig) -> set[str]:
    names = {m for itf in config.mlag_interfaces for m in itf.members}
    return names | set(config.peer_link.members if config.peer_link else [])


def stale_interfaces(observed: PeerConfig, intended: PeerConfig) -> tuple[list[str], list[str]]:
    """The port-channels and the member ports of the running MLAG surface (MLAG interfaces and the
    peer-link) the intent no longer has: the first are deleted, the second emptied."""
    return sorted(_lags(observed) - _lags(intended)), sorted(_members(observed) - _members(intended))


def removals(driver: MlagDriver, running: str, render: str, lags: list[str], members: list[str]) -> str:
    """What must go from ``running`` before ``render`` is merged, for the result to be the render
    on the managed surface (see the module docstring); empty once the switch runs the intent."""
    from hier_config import WorkflowRemediation, get_hconfig
    from hier_config.models import MatchRule, OrderingRule

    wanted = driver.entries(render)
    keys = {key for key, _ in wanted}
    emptied = [entry for m in members for entry in driver.entries(driver.interface_entry(m)) if entry[0] not in keys]
    deleted = [key for lag in lags for key, _ in driver.entries(driver.interface_entry(lag))]
    scope = keys | {key for key, _ in emptied} | set(deleted)
    have = [text for key, text in driver.entries(running) if key in scope or any(p.fullmatch(key) for p in driver.owned)]

    hc = driver.hier_config_driver()
    hc.rules.ordering.extend(
        OrderingRule(match_rules=(MatchRule(re_search=rf"^{re.escape(hc.negation_prefix + key)}( |$)"),), weight=1) for key in deleted
    )
    if driver.membership:
        member_of = MatchRule(re_search=rf"^{re.escape(hc.negation_prefix)}{driver.membership}$")
        hc.rules.ordering.extend(OrderingRule(match_rules=(MatchRule(equals=key), member_of), weight=-1) for key, _ in emptied)
    target = get_hconfig(hc, "\n".join(text for _, text in wanted + emptied))
    remediation = WorkflowRemediation(get_hconfig(hc, "\n".join(have)), target).remediation_config
    intended = {tuple(child.path()) for child in target.all_children()}
    by_parent: dict[tuple[str, ...], list[str]] = {}
    for child in remediation.all_children_sorted():
        path = tuple(child.path())
        if not child.children and path not in intended:
            by_parent.setdefault(path[:-1], []).append(path[-1])
    out = get_hconfig(hc)
    wanted_texts = [text for _, text in wanted + emptied]
    for parent, texts in by_parent.items():
        for text in driver.fold(driver.collapse(texts, have, wanted_texts)):
            out.add_children_deep([*parent, text])
    return str(out.set_order_weight()).strip()
