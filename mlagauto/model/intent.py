"""The vendor-neutral intent: what an MLAG pair should be, independent of any platform's syntax.

A ``Fabric`` holds ``MlagDomain``s; a domain holds exactly two ``MlagPeer``s (the per-switch
side) and everything the two share: VLANs, dual-homed ``MlagInterface``s, the system identity
LACP partners see, timers and STP. Platform facts (id ranges, naming, token rules) live in the
drivers, which validate a domain on top of the generic rules in ``mlagauto.model.validation``.
"""

from __future__ import annotations

import hashlib
from ipaddress import IPv4Address, IPv4Interface
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidatorFunctionWrapHandler, field_validator, model_validator

from mlagauto.model.host import HostBond
from mlagauto.model.types import Int, MacAddress, PerHostInt, Seconds, Text, Token, VlanId, VlanList

Platform = Literal["cisco_nxos", "arista_eos", "juniper_junos", "huawei_vrpv8"]
LacpMode = Literal["active", "passive", "static"]
LacpRate = Literal["fast", "slow"]
PortMode = Literal["trunk", "access"]
Role = Literal["primary", "secondary"]

PLATFORMS: tuple[str, ...] = Platform.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=False)


class Vlan(_Model):
    """A VLAN the pair carries."""

    id: VlanId
    """VLAN id, 1-4094."""
    name: Token | None = None
    """VLAN name; on Junos also the VLAN's key (defaults to ``VLAN<id>`` there)."""


class Keepalive(_Model):
    """The out-of-band liveness path between the peers (NX-OS peer-keepalive, EOS heartbeat,
    Junos ICCP backup-liveness-detection, Huawei dual-active detection)."""

    source: IPv4Address
    """This peer's keepalive address."""
    destination: IPv4Address
    """The other peer's keepalive address: must equal the other peer's ``source``."""
    vrf: Token | None = None
    """VRF / VPN instance of the keepalive; unset means the platform default (NX-OS ``management``,
    the global table elsewhere)."""
    interface: Token | None = None
    """Interface holding ``source``; when set with ``prefix_length`` its address is rendered too."""
    prefix_length: Int | None = Field(default=None, ge=8, le=31)
    """Prefix length of ``source`` on ``interface``."""


class PeerLink(_Model):
    """The inter-switch link between the peers (NX-OS peer-link, EOS peer-link, Junos ICL,
    Huawei peer-link)."""

    port_channel: Int = Field(ge=0, le=4096)
    """Port-channel / ae / Eth-Trunk number of the peer-link on this peer."""
    members: list[Token] = Field(min_length=1)
    """Physical member interfaces, in the platform's own naming."""
    vlans: VlanList | None = None
    """VLANs allowed on the peer-link; unset means every VLAN of the domain (the safe default)."""
    description: Text | None = None
    """Description of the peer-link port-channel and its members."""


class MlagPeer(_Model):
    """One switch of the pair: the per-peer side of the domain (host-level ``data.mlag``)."""

    hostname: Token
    """The switch's hostname (the inventory host name)."""
    platform: Platform
    """Platform name as netmiko / ntc-templates / hier_config spell it."""
    role: Role | None = None
    """Intended role. Unset: the first peer of the domain is primary and the second secondary."""
    role_priority: Int | None = Field(default=None, ge=0, le=65535)
    """Role priority in the platform's own terms (NX-OS ``role priority``: lower wins; Huawei
    dfs-group ``priority``: higher wins). Unset: derived from ``role``."""
    keepalive: Keepalive
    """Keepalive / heartbeat / backup liveness / dual-active detection of this peer."""
    peer_link: PeerLink
    """This peer's side of the peer-link."""
    peer_address: IPv4Interface | None = None
    """Local L3 address on the peer VLAN, a /30 or /31 (EOS ``local-interface`` SVI, Junos ICCP
    ``local-ip-addr`` on irb). The other peer's address is its ``peer-address``."""
    chassis_id: Int | None = Field(default=None, ge=0, le=1)
    """Junos MC-AE chassis-id. Unset: 0 on the primary, 1 on the secondary."""
    variant: Token | None = None
    """Configuration variant the driver renders for this switch (Junos ``curly``/``set``, Huawei
    ``v300``/``v200``); unset means the driver's default."""


class MlagInterface(_Model):
    """A dual-homed LAG: one port-channel on each peer, bundled as one MLAG towards a partner."""

    mlag_id: Int = Field(ge=1)
    """MLAG id (NX-OS ``vpc N``, EOS ``mlag N``, Junos ``mc-ae-id``, Huawei ``m-lag N``)."""
    port_channel: PerHostInt
    """Port-channel number, or a per-host map where the numbers differ between peers."""
    description: Text | None = None
    """Description of the port-channel and its members."""
    members: list[Token] | dict[str, list[Token]]
    """Member interfaces: one list used on both peers, or a per-host map."""
    lacp_mode: LacpMode = "active"
    """LACP mode of the members; ``static`` bundles without LACP (``mode on``)."""
    lacp_rate: LacpRate = "slow"
    """LACP PDU rate asked of the partner."""
    min_links: Int | None = Field(default=None, ge=1, le=32)
    """Minimum active members before the port-channel goes down."""
    mode: PortMode = "trunk"
    """Switchport mode of the port-channel."""
    vlans: VlanList
    """Allowed VLANs (trunk) or the one access VLAN (access)."""
    native_vlan: VlanId | None = None
    """Untagged VLAN of a trunk."""
    mtu: Int | None = Field(default=None, ge=576, le=9216)
    """Port-channel MTU."""
    lacp_fallback: bool = False
    """Let members forward individually while the partner sends no LACPDUs (PXE-booting servers)."""
    lacp_fallback_timeout: Seconds | None = None
    """Seconds without LACPDUs before fallback, where the platform has the knob."""
    admin_key: Int | None = Field(default=None, ge=1, le=65535)
    """Junos LACP admin-key; unset means the MLAG id."""
    host: HostBond | None = None
    """The downstream server and its bond (``mlagauto hosts``); unset values follow this LAG."""

    def port_channel_on(self, host: str) -> int:
        """The port-channel number this LAG has on ``host``."""
        pc = self.port_channel
        return pc[host] if isinstance(pc, dict) else pc

    def members_on(self, host: str) -> list[str]:
        """The member interfaces of this LAG on ``host``."""
        members = self.members
        return list(members[host]) if isinstance(members, dict) else list(members)


class SystemIdentity(_Model):
    """What LACP partners see as the pair's system: both peers must present the same."""

    mac: MacAddress | None = None
    """System MAC / LACP system-id. Unset: the platform's own (NX-OS derives it from the domain id)
    or, where it must be configured (Junos, Huawei), a locally administered MAC derived from the
    domain name and id."""
    priority: Int | None = Field(default=None, ge=1, le=65535)
    """LACP system priority presented by the pair."""


class Timers(_Model):
    """Delay and recovery timers of the pair."""

    restore_delay: Seconds | None = None
    """Seconds MLAG ports stay down after the peer returns or the switch reloads (NX-OS ``delay
    restore``, EOS ``reload-delay mlag``, Junos ``init-delay-time``, Huawei ``m-lag up-delay``)."""
    non_mlag_restore_delay: Seconds | None = None
    """Same for non-MLAG ports / SVIs (EOS ``reload-delay non-mlag``, NX-OS ``delay restore
    interface-vlan``)."""
    auto_recovery: bool = False
    """Bring MLAG ports up alone when the peer never returns after a reload."""
    auto_recovery_delay: Seconds | None = None
    """Delay before auto-recovery acts (NX-OS ``auto-recovery reload-delay``, Huawei
    ``auto-recovery interval``)."""


class Stp(_Model):
    """Spanning tree as the pair must agree on it."""

    mode: Literal["rstp", "mstp", "rapid-pvst"] | None = None
    """STP mode; unset leaves the platform's mode alone."""
    priority: Int | None = Field(default=None, ge=0, le=61440, multiple_of=4096)
    """Bridge priority, identical on both peers."""
    mlag_mode: Literal["v-stp", "root-bridge"] | None = None
    """Huawei M-LAG STP mode: V-STP (the default when unset), or both peers as one root bridge."""
    bridge_address: MacAddress | None = None
    """Bridge MAC both peers share in Huawei root-bridge mode."""


class Authentication(_Model):
    """Huawei dfs-group authentication (both peers must use the same password)."""

    mode: Literal["hmac-sha256"] = "hmac-sha256"
    """Authentication algorithm."""
    password: Token = Field(max_length=128)
    """Shared password, sent in clear and shown encrypted by the device."""


class MlagDomain(_Model):
    """One MLAG pair: exactly two peers of one platform and everything they share."""

    name: Token
    """Domain name (the inventory group name)."""
    domain_id: Int = Field(ge=1)
    """Domain id (NX-OS vPC domain, Junos redundancy-group, Huawei dfs-group: 1; EOS uses
    ``domain_name``)."""
    domain_name: Token | None = None
    """EOS ``domain-id`` string; unset means the domain's ``name``."""
    peers: list[MlagPeer]
    """The two switches of the pair."""
    vlans: list[Vlan] = Field(default_factory=list)
    """VLANs the pair carries; every MLAG interface VLAN must be one of them."""
    mlag_interfaces: list[MlagInterface] = Field(default_factory=list)
    """Dual-homed LAGs."""
    system: SystemIdentity = Field(default_factory=SystemIdentity)
    """System identity presented to LACP partners."""
    timers: Timers = Field(default_factory=Timers)
    """Delay and recovery timers."""
    stp: Stp = Field(default_factory=Stp)
    """Spanning tree settings."""
    peer_vlan: VlanId | None = None
    """VLAN of the peers' L3 control session over the peer-link (EOS peer VLAN, Junos ICCP VLAN);
    unset means 4094. Platforms whose peers talk over the peer-link itself reject it."""
    peer_gateway: bool = False
    """Route frames sent to the peer's router MAC locally (NX-OS ``peer-gateway``)."""
    peer_switch: bool = False
    """Present the pair as one STP root (NX-OS ``peer-switch``)."""
    service_id: Int | None = Field(default=None, ge=1, le=65535)
    """Junos ``switch-options service-id``; unset means the domain id."""
    authentication: Authentication | None = None
    """Huawei dfs-group authentication."""

    @model_validator(mode="after")
    def _validate(self) -> MlagDomain:
        from mlagauto.model.validation import validate_domain

        validate_domain(self)
        return self

    # --- derived views, used by drivers and checks -------------------------------------------
    @property
    def platform(self) -> str:
        return self.peers[0].platform

    @property
    def hostnames(self) -> list[str]:
        return [p.hostname for p in self.peers]

    def peer(self, host: str) -> MlagPeer:
        for p in self.peers:
            if p.hostname == host:
                return p
        raise KeyError(f"host {host!r} is not a peer of domain {self.name!r}")

    def other(self, host: str) -> MlagPeer:
        """The other peer of ``host``."""
        self.peer(host)
        return next(p for p in self.peers if p.hostname != host)

    def role_of(self, host: str) -> str:
        """Effective role: explicit, else the complement of the other's, else first = primary."""
        me, other = self.peer(host), self.other(host)
        if me.role:
            return me.role
        if other.role:
            return "secondary" if other.role == "primary" else "primary"
        return "primary" if self.peers[0].hostname == host else "secondary"

    def chassis_id_of(self, host: str) -> int:
        me = self.peer(host)
        if me.chassis_id is not None:
            return me.chassis_id
        return 0 if self.role_of(host) == "primary" else 1

    @property
    def effective_domain_name(self) -> str:
        return self.domain_name or self.name

    @property
    def effective_peer_vlan(self) -> int:
        return self.peer_vlan if self.peer_vlan is not None else 4094

    @property
    def effective_service_id(self) -> int:
        return self.service_id or self.domain_id

    @property
    def derived_system_mac(self) -> str:
        """Deterministic locally administered unicast MAC for this domain (used where one must be
        configured and none is given): the same intent always yields the same identity."""
        digest = hashlib.sha256(f"{self.name}/{self.domain_id}".encode()).hexdigest()
        octets = ["02"] + [digest[i : i + 2] for i in range(0, 10, 2)]
        return ":".join(octets)

    def vlan_ids(self) -> list[int]:
        return sorted({v.id for v in self.vlans})

    def peer_link_vlans(self, host: str) -> list[int]:
        """VLANs allowed on ``host``'s peer-link (all domain VLANs unless restricted)."""
        pl = self.peer(host).peer_link
        return list(pl.vlans) if pl.vlans is not None else self.vlan_ids()


class Fabric(_Model):
    """All MLAG domains of an inventory."""

    domains: list[MlagDomain] = Field(default_factory=list)
    """The MLAG pairs."""

    @field_validator("domains", mode="wrap")
    @classmethod
    def _validated_once(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Domains given as MlagDomains were validated when they were built; pydantic would run
        their after-validator (every intent rule) again here, a third of an inventory's load."""
        if isinstance(value, list) and all(type(d) is MlagDomain for d in value):
            return list(value)
        return handler(value)

    @model_validator(mode="after")
    def _unique(self) -> Fabric:
        from mlagauto.model.problems import IntentError, Problem

        problems: list[Problem] = []
        seen_domains: set[str] = set()
        seen_hosts: dict[str, str] = {}
        for d in self.domains:
            if d.name in seen_domains:
                problems.append(Problem("name", "domain name used twice", domain=d.name))
            seen_domains.add(d.name)
            for h in d.hostnames:
                if h in seen_hosts:
                    problems.append(
                        Problem("hostname", f"host is already a peer of domain {seen_hosts[h]}", host=h, domain=d.name)
                    )
                seen_hosts[h] = d.name
        if problems:
            raise IntentError(problems)
        return self

    def domain(self, name: str) -> MlagDomain:
        for d in self.domains:
            if d.name == name:
                return d
        raise KeyError(f"no MLAG domain {name!r}")

    def domain_of(self, host: str) -> MlagDomain:
        for d in self.domains:
            if host in d.hostnames:
                return d
        raise KeyError(f"host {host!r} is in no MLAG domain")

    def hosts(self) -> list[str]:
        return [h for d in self.domains for h in d.hostnames]
