"""PeerState: what one switch's show commands say about its MLAG pair, in vendor-neutral terms.

Parsed from the platform's own show output (``MlagDriver.parse_state``) and compared by the live
rules in ``mlagauto.checks.live``. Status words are normalised to ``up`` / ``down``; a field is
None where the platform's output does not say.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class LacpMemberState(_State):
    """One member port of an MLAG interface and the LACP partner it sees: the two halves of an
    MLAG must reach one partner system, or one half is cabled to another server."""

    interface: str
    """Member port as the running configuration names it (``Ethernet1/1``, ``xe-0/0/1``)."""
    bundled: bool | None = None
    """The member aggregates into its port-channel (NX-OS ``(P)``, EOS ``Bundled``, Junos mux
    ``Collecting distributing``, Huawei ``Selected``); None where the output does not say."""
    partner_system_id: str | None = None
    """System MAC the LACP partner sends (``aa:bb:cc:dd:ee:ff``); None without a partner (LACP
    not up, a defaulted or all-zero partner)."""
    partner_system_priority: int | None = None
    partner_key: int | None = None
    """The partner's operational key."""
    partner_port: int | None = None
    """The partner's port number."""


class MlagInterfaceState(_State):
    mlag_id: int
    """MLAG / vPC / mc-ae / m-lag id."""
    interface: str | None = None
    """Local port-channel as the platform names it."""
    status: str | None = None
    """``up`` when the local half forwards, else ``down``."""
    peer_status: str | None = None
    """The other half as this switch reports it, where the platform shows it."""
    consistent: bool | None = None
    """False when the platform's consistency check failed for this interface."""
    reason: str | None = None
    """The platform's reason text when down or inconsistent."""
    system_id: str | None = None
    """LACP system id this half presents to the partner (``aa:bb:cc:dd:ee:ff``)."""
    members: list[LacpMemberState] = Field(default_factory=list)
    """Member ports with their LACP partner, sorted by name; empty where no LACP output was read."""


class PeerState(_State):
    platform: str
    hostname: str | None = None
    configured: bool = False
    """MLAG is configured at all."""
    domain_id: str | None = None
    peer_status: str | None = None
    """``up`` when the peer adjacency / ICCP / DFS group is formed."""
    keepalive_status: str | None = None
    """``up`` when the keepalive / heartbeat / backup liveness / DAD heartbeat is alive."""
    peer_link_status: str | None = None
    role: str | None = None
    """``primary`` / ``secondary`` (Huawei master / backup, Junos status-control active / standby)."""
    system_id: str | None = None
    """LACP system id the pair presents, where the platform shows one per pair."""
    consistency: str | None = None
    """``consistent`` / ``inconsistent``: the platform's global consistency verdict."""
    consistency_reason: str | None = None
    interfaces: list[MlagInterfaceState] = Field(default_factory=list)
    """Sorted by MLAG id."""
    warnings: list[str] = Field(default_factory=list)
    """Outputs that could not be read."""
    unreachable: str | None = None
    """Why the switch's show commands could not be read at all (the client's error, one line);
    None when they were. A state that says so carries no other facts: the pair is unverified,
    never clean."""
