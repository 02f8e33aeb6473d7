"""What a deploy pushes to one switch: the rendered MLAG surface, preceded by the removal of MLAG
interfaces the running config has and the intent no longer has.

Removals come from hier_config 3 remediation, limited to the managed surface: only the blocks of
stale MLAG port-channels and their member ports are handed to hier_config, so nothing outside the
MLAG surface the project manages is ever negated. Member ports are cleaned before their
port-channel is deleted (some platforms refuse to delete a LAG that still has members).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlagauto.drivers.base import MlagDriver
from mlagauto.model.intent import MlagDomain


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


def _remediation(driver: MlagDriver, running: str, intended: str) -> str:
    from hier_config import Platform, WorkflowRemediation, get_hconfig

    platform = Platform[driver.hier_config_platform]
    workflow = WorkflowRemediation(get_hconfig(platform, running), get_hconfig(platform, intended))
    return str(workflow.remediation_config).strip()


def plan_change(driver: MlagDriver, domain: MlagDomain, host: str, running: str) -> Change:
    """The change that brings ``host`` from ``running`` to the intent."""
    render = driver.render(domain, host)
    observed = driver.parse_config(running, hostname=host)
    wanted = {itf.mlag_id for itf in domain.mlag_interfaces}
    stale = [itf for itf in observed.mlag_interfaces if itf.mlag_id not in wanted]
    if not stale:
        return Change(host, render)
    members = sorted({m for itf in stale for m in itf.members})
    lags = [itf.interface for itf in stale]
    parts = [
        _remediation(driver, driver.surface(running, members), driver.surface(render, members)),
        _remediation(driver, driver.surface(running, lags), driver.surface(render, lags)),
    ]
    return Change(host, render, "\n".join(p for p in parts if p), sorted(itf.mlag_id for itf in stale))
