"""PeerConfig: what one switch's configuration says about MLAG, in vendor-neutral terms.

It is produced two ways, by projecting intent onto one peer (``MlagDriver.peer_config``) and by
parsing a running configuration (``MlagDriver.parse_config``); every pair and drift check compares
PeerConfigs, so checks never see vendor syntax. Values are *effective* values: where a platform
does not print a default (LACP rate slow, NX-OS keepalive VRF management, ...) the parser fills
the default in, so an omitted default and an explicit one compare equal. A field is ``None``
where the platform has no such setting or the configuration does not say.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Cfg(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class VlanConfig(_Cfg):
    id: int
    """VLAN id."""
    name: str | None = None
    """VLAN name as configured."""


class KeepaliveConfig(_Cfg):
    source: str | None = None
    """Local keepalive / heartbeat / DAD / backup-liveness address."""
    destination: str | None = None
    """The peer's keepalive address."""
    vrf: str | None = None
    """VRF / VPN instance (effective: NX-OS ``management`` when not printed)."""


class PeerLinkConfig(_Cfg):
    interface: str | None = None
    """Peer-link port-channel as the platform names it (``port-channel1``, ``Port-Channel10``,
    ``ae0``, ``Eth-Trunk0``)."""
    members: list[str] = Field(default_factory=list)
    """Member interfaces, sorted."""
    vlans: list[int] | None = None
    """Allowed VLANs; ``None`` means all VLANs."""
    lacp_mode: str | None = None
    """LACP mode of the peer-link members (active/passive/static)."""
    description: str | None = None
    """Description of the peer-link port-channel (an import keeps it; drift reports it as a warning)."""


class MlagInterfaceConfig(_Cfg):
    mlag_id: int
    """MLAG / vPC / mc-ae / m-lag id."""
    interface: str
    """Port-channel as the platform names it."""
    description: str | None = None
    members: list[str] = Field(default_factory=list)
    """Member interfaces, sorted."""
    lacp_mode: str | None = None
    """active / passive / static."""
    lacp_rate: str | None = None
    """fast / slow (effective)."""
    mode: str | None = None
    """trunk / access (effective)."""
    vlans: list[int] = Field(default_factory=list)
    """Allowed VLANs of a trunk, or the access VLAN."""
    native_vlan: int | None = None
    mtu: int | None = None
    min_links: int | None = None
    lacp_fallback: bool = False
    """Members forward individually without LACP partner (fallback / suspend-individual off /
    force-up)."""
    lacp_fallback_timeout: int | None = None
    lacp_system_id: str | None = None
    """LACP system id configured on this LAG (Junos ``lacp system-id``, Huawei per-trunk)."""
    lacp_system_priority: int | None = None
    admin_key: int | None = None
    """Junos LACP admin-key."""
    chassis_id: int | None = None
    """Junos mc-ae chassis-id."""
    status_control: str | None = None
    """Junos mc-ae status-control (active/standby)."""
    redundancy_group: int | None = None
    """Junos mc-ae redundancy-group."""
    mc_ae_mode: str | None = None
    """Junos mc-ae mode (active-active/active-standby)."""
    init_delay: int | None = None
    """Junos mc-ae init-delay-time."""


class StpConfig(_Cfg):
    mode: str | None = None
    """rstp / mstp / rapid-pvst (as configured)."""
    priority: int | None = None
    mlag_mode: str | None = None
    """Huawei: v-stp / root-bridge."""
    bridge_address: str | None = None


class TimersConfig(_Cfg):
    restore_delay: int | None = None
    non_mlag_restore_delay: int | None = None
    auto_recovery: bool | None = None
    auto_recovery_delay: int | None = None


class PeerConfig(_Cfg):
    platform: str
    """Platform the configuration was rendered for / parsed as."""
    hostname: str | None = None
    domain_id: str | None = None
    """Domain identity as the platform shows it (vPC domain, EOS domain-id, Junos
    redundancy-group, Huawei dfs-group)."""
    role: str | None = None
    """Configured role where the platform configures one (Junos status-control active = primary)."""
    role_priority: int | None = None
    system_mac: str | None = None
    """System MAC / LACP system-id configured for the pair (``aa:bb:cc:dd:ee:ff``)."""
    system_priority: int | None = None
    local_interface: str | None = None
    """L3 interface of the peer control session (``Vlan4094``, ``irb.4094``)."""
    local_address: str | None = None
    """Its address with prefix length."""
    peer_address: str | None = None
    """The other peer's control-session address (EOS ``peer-address``, Junos ICCP peer)."""
    peer_vlan: int | None = None
    keepalive: KeepaliveConfig | None = None
    peer_link: PeerLinkConfig | None = None
    mlag_interfaces: list[MlagInterfaceConfig] = Field(default_factory=list)
    """Dual-homed LAGs, sorted by MLAG id."""
    vlans: list[VlanConfig] = Field(default_factory=list)
    """VLANs defined on the switch, sorted by id. VLAN 1, which every platform has, is listed
    where the configuration names it (NX-OS prints it in its ``vlan`` line; EOS, Junos and
    Huawei print it only when it is given a name or settings)."""
    stp: StpConfig = Field(default_factory=StpConfig)
    timers: TimersConfig = Field(default_factory=TimersConfig)
    peer_gateway: bool | None = None
    peer_switch: bool | None = None
    service_id: int | None = None
    """Junos switch-options service-id."""
    authentication: str | None = None
    """Huawei dfs-group authentication mode, when configured."""
    warnings: list[str] = Field(default_factory=list)
    """Parse warnings (unexpanded apply-groups, unreadable input, ...)."""
    unread: list[str] = Field(default_factory=list)
    """MLAG statements the parser saw but could not read (a line of the MLAG domain block, of the
    peer-link or of an MLAG port-channel in a form it does not know), as written. Where this is
    not empty, a fact the rules find missing may be one of these lines: it is reported as a parse
    warning naming them, never as a missing-setting error."""

    def mlag_interface(self, mlag_id: int) -> MlagInterfaceConfig | None:
        for itf in self.mlag_interfaces:
            if itf.mlag_id == mlag_id:
                return itf
        return None

    def carrier(self) -> Callable[[Iterable[int]], set[int]]:
        """A function giving the VLANs of an allowed list that this switch really forwards: a VLAN
        that is allowed but not defined forwards nothing on any platform (``vlan members 100-199``
        where only 100-129 exist, NX-OS ``allowed vlan 1-4094`` with its reserved range). A
        configuration that defines no VLAN at all (a partial configlet) is taken at its word.
        The defined VLANs are collected once, for rules that ask for every LAG of the pair."""
        if not self.vlans:
            return set
        defined = frozenset(v.id for v in self.vlans)
        return lambda vlans: {v for v in vlans if v in defined}

    def is_empty(self) -> bool:
        """True when the text held nothing MLAG-related at all."""
        exclude = {"platform", "warnings", "hostname", "unread"}
        return self.model_dump(exclude=exclude) == PeerConfig(platform=self.platform).model_dump(exclude=exclude)


def vlan_configs(vlans: Iterable[tuple[int, str | None]]) -> list[VlanConfig]:
    """``[VlanConfig(id=i, name=n) ...]`` for ``(i, n)`` pairs, validated in one call: pydantic
    builds each model without a Python call, in about half the time (a projection has hundreds)."""
    return _vlan_list().validate_python([{"id": i, "name": n} for i, n in vlans])


@functools.cache
def _vlan_list() -> TypeAdapter[list[VlanConfig]]:
    return TypeAdapter(list[VlanConfig])
