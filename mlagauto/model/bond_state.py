"""BondState: what a Linux server's bonding driver says about one bond, the other end of an MLAG
interface, and BondExpectation: what the pair expects that bond to look like.

Parsed from ``/proc/net/bonding/<bond>`` or ``ip -d -j link show`` (``mlagauto.hosts.bonding``)
and checked by the host-live rules (``mlagauto.checks.host_live``). Words are normalised (mode
``802.3ad``, status ``up`` / ``down``, MACs ``aa:bb:cc:dd:ee:ff``); a field is None where the
source does not say (``ip -j`` has no per-slave partner MAC; ``/proc`` read without
CAP_NET_ADMIN has no LACPDU details).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mlagauto.model.types import MacAddress

BondMode = Literal["802.3ad", "active-backup", "balance-alb", "balance-xor", "balance-rr", "balance-tlb", "broadcast"]
MODES: tuple[str, ...] = ("802.3ad", "active-backup", "balance-alb", "balance-xor", "balance-rr", "balance-tlb", "broadcast")
LacpRate = Literal["fast", "slow"]


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class PortState(_State):
    """The LACP port state octet (IEEE 802.1AX, Actor_State / Partner_State), bit by bit: the
    kernel prints it as one number, and the rules need its meaning."""

    value: int
    """The octet as printed (``63`` = active, fast, aggregating, in sync, collecting, distributing)."""
    activity: bool
    """Bit 0: LACP active (sends LACPDUs unprompted); passive otherwise."""
    timeout: bool
    """Bit 1: short timeout, i.e. this end asks for fast LACPDUs (every second); long (30 s) otherwise."""
    aggregation: bool
    """Bit 2: the link may be aggregated; an individual link otherwise."""
    synchronization: bool
    """Bit 3: the link is in the right aggregator (in sync)."""
    collecting: bool
    """Bit 4: frames received on the link are collected."""
    distributing: bool
    """Bit 5: frames are sent on the link."""
    defaulted: bool
    """Bit 6: no LACPDU received: the partner information is the administrative default."""
    expired: bool
    """Bit 7: the receive machine timed out: LACPDUs stopped arriving."""

    @classmethod
    def from_value(cls, value: int) -> PortState:
        bits = ("activity", "timeout", "aggregation", "synchronization", "collecting", "distributing", "defaulted", "expired")
        return cls(value=value, **{name: bool(value >> i & 1) for i, name in enumerate(bits)})


class LacpPdu(_State):
    """One side's LACPDU information on a slave (``details actor lacp pdu`` / ``details partner
    lacp pdu``): the partner side is what the switch sends, so it carries the pair's system id."""

    system_priority: int | None = None
    system_mac: str | None = None
    """``aa:bb:cc:dd:ee:ff``; ``00:00:00:00:00:00`` on the partner side means no partner."""
    port_key: int | None = None
    """The actor's ``port key`` or the partner's ``oper key``."""
    port_priority: int | None = None
    port_number: int | None = None
    port_state: PortState | None = None


class ActiveAggregator(_State):
    """The aggregator the bond transmits on (``Active Aggregator Info``)."""

    id: int
    ports: int | None = None
    """Number of slaves attached to it."""
    actor_key: int | None = None
    partner_key: int | None = None
    partner_mac: str | None = None


class BondSlave(_State):
    """One slave (member NIC) of the bond."""

    name: str
    mii_status: str | None = None
    """``up``, ``down``, ``going down``, ``going back`` or ``unknown``."""
    speed_mbps: int | None = None
    """None when the kernel prints ``Unknown`` or the source does not say."""
    duplex: str | None = None
    """``full`` / ``half``; None when unknown."""
    link_failure_count: int | None = None
    permanent_hw_addr: str | None = None
    queue_id: int | None = None
    state: str | None = None
    """``active`` / ``backup`` (``ip -j`` only)."""
    aggregator_id: int | None = None
    """802.3ad only; None where the kernel prints ``N/A`` (the slave has no aggregator)."""
    actor_churn_state: str | None = None
    """``none``, ``monitoring``, ``churned`` or ``unknown`` (802.3ad)."""
    partner_churn_state: str | None = None
    actor_churned_count: int | None = None
    partner_churned_count: int | None = None
    actor: LacpPdu | None = None
    partner: LacpPdu | None = None


class BondState(_State):
    """One bond of one server, as its kernel reports it."""

    name: str
    hostname: str | None = None
    source: Literal["proc", "ip-json"] = "proc"
    """Which output it was read from: the rules skip what that source cannot say."""
    driver_version: str | None = None
    mode: BondMode | None = None
    """Normalised; None when the mode line is missing or unknown (see ``warnings``)."""
    fail_over_mac: str | None = None
    transmit_hash_policy: str | None = None
    primary_slave: str | None = None
    primary_reselect: str | None = None
    active_slave: str | None = None
    """``Currently Active Slave`` (active-backup, balance-tlb, balance-alb)."""
    mii_status: str | None = None
    miimon_ms: int | None = None
    updelay_ms: int | None = None
    downdelay_ms: int | None = None
    peer_notification_delay_ms: int | None = None
    arp_interval_ms: int | None = None
    arp_targets: list[str] = Field(default_factory=list)
    lacp_active: bool | None = None
    lacp_rate: LacpRate | None = None
    """The host's rate: ``fast`` asks the partner for a LACPDU every second, ``slow`` every 30 s."""
    min_links: int | None = None
    ad_select: str | None = None
    system_priority: int | None = None
    system_mac: str | None = None
    """The bond's own LACP actor system MAC."""
    active_aggregator: ActiveAggregator | None = None
    no_active_aggregator: bool = False
    """The kernel said ``bond X has no active aggregator``."""
    lacp_details: bool | None = None
    """802.3ad: the per-slave LACPDU details were printed (they are only for a reader with
    CAP_NET_ADMIN, i.e. root); None for other modes."""
    slaves: list[BondSlave] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    """Lines or keys the parser did not understand, one message each: kept, never fatal."""


class BondExpectation(_State):
    """What the MLAG pair expects the bond to be; every field None means no expectation."""

    system_id: MacAddress | None = None
    """The pair's LACP system id (one for both switches): the partner MAC every slave must see."""
    lacp_rate: LacpRate | None = None
    """The rate the pair's MLAG interface runs (``lacp rate fast`` on the switches)."""
    slaves: list[str] | None = None
    """The NICs that must be in the bond (one per switch at least)."""
    mode: BondMode | None = None
    """The mode the bond must run; None with a system id or a LACP rate given means 802.3ad
    (the pair runs LACP toward it)."""

    def expected_mode(self) -> str | None:
        """The mode to enforce: the explicit one, else 802.3ad where the pair runs LACP."""
        if self.mode is not None:
            return self.mode
        if self.system_id is not None or self.lacp_rate is not None:
            return "802.3ad"
        return None
