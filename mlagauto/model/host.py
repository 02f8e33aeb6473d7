"""The server end of an MLAG interface: the downstream host's bond, in the intent.

An ``MlagInterface`` may carry a ``host`` (``HostBond``): the server's name, its bond and the
NICs that make it. Everything left unset is derived from the switch side by ``effective_bond``,
because the two ends of one LAG must agree and the switch side is already written down: an LACP
port-channel gives ``802.3ad`` and its rate, a static one ``balance-xor``, the LAG gives the MTU
and the VLANs, and NICs are cabled alternately to the two peers' members in order. So most
inventories add only the host name and the NIC names; what is written explicitly is kept as
written, so ``mlagauto hosts check`` can report where the two ends disagree.

Strings pass through the same ``Token`` / ``Text`` types as the switch intent: every one of them
ends up in a configuration file (YAML, INI, interfaces stanzas), where a newline would start a
new key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv6Address, IPv6Interface
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from mlagauto.model.types import Int, Text, Token, VlanId

if TYPE_CHECKING:
    from mlagauto.model.intent import MlagDomain, MlagInterface

OsFamily = Literal["linux", "truenas"]
BondMode = Literal["802.3ad", "active-backup", "balance-alb", "balance-tlb", "balance-xor", "balance-rr", "broadcast"]
HashPolicy = Literal["layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4"]
AdSelect = Literal["stable", "bandwidth", "count"]
HostFormat = Literal["netplan", "networkmanager", "ifupdown", "systemd-networkd", "truenas"]

HOST_FORMATS: tuple[str, ...] = HostFormat.__args__  # type: ignore[attr-defined]
LINUX_FORMATS: tuple[str, ...] = ("netplan", "networkmanager", "ifupdown", "systemd-networkd")
"""What a ``linux`` host gets rendered as (each is one way people deploy a bond); a ``truenas``
host gets the ``truenas`` API payload."""

TRUENAS_PROTOCOLS = {"LACP": "802.3ad", "FAILOVER": "active-backup", "LOADBALANCE": "balance-xor"}
"""TrueNAS ``lag_protocol`` names and the Linux bonding mode TrueNAS SCALE runs for each. They are
accepted as ``mode`` so a TrueNAS inventory reads in the terms of its UI."""

LACP_MODES = frozenset({"802.3ad"})
STATIC_MODES = frozenset({"balance-xor", "balance-rr", "broadcast"})
"""Modes that need the switch ports bundled without LACP (a static port-channel, ``mode on``)."""
SWITCH_INDEPENDENT_MODES = frozenset({"active-backup", "balance-alb", "balance-tlb"})
"""Modes that need no port-channel at all, and break on one (kernel bonding documentation)."""
HASHED_MODES = frozenset({"802.3ad", "balance-xor", "balance-alb", "balance-tlb"})
"""Modes that take ``xmit_hash_policy``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=False)


def _mode(value: Any) -> Any:
    """TrueNAS protocol names (any case) to the Linux mode; the Linux names are kept as given."""
    if isinstance(value, str) and value.upper() in TRUENAS_PROTOCOLS:
        return TRUENAS_PROTOCOLS[value.upper()]
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("give the mode by name (802.3ad, active-backup, balance-xor ...), not its number")
    return value


def _nic(value: Any) -> Any:
    """A bare NIC name is shorthand for ``{name: ...}``."""
    return {"name": value} if isinstance(value, str) else value


def _host_vlan(value: Any) -> Any:
    """A bare VLAN id is shorthand for ``{id: ...}``."""
    return {"id": value} if isinstance(value, int) and not isinstance(value, bool) else value


IpInterface = Union[IPv4Interface, IPv6Interface]

_IFNAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,14}")
_HOSTNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


def _ifname(value: str) -> str:
    """Linux interface names are at most 15 characters, and every format written here takes them
    as bare words: a letter first, then letters, digits, ``_ . -``."""
    if not _IFNAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a Linux interface name (a letter, then up to 14 letters, digits, '_', '.' or '-')")
    return value


def _hostname(value: str) -> str:
    """A host name becomes the folder its files are written to: no ``/``, no leading dot."""
    if not _HOSTNAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a host name (letters, digits, '_', '.' or '-', not starting with '.' or '-')")
    return value


IfName = Annotated[Token, AfterValidator(_ifname)]
"""A Linux network interface name (bond, NIC)."""
HostName = Annotated[Token, AfterValidator(_hostname)]
"""A server's host name."""


class Nic(_Model):
    """One member NIC of the bond and the switch port it is cabled to."""

    name: IfName
    """Interface name on the host (``eno1``, ``enp65s0f0``; TrueNAS: ``enp1s0``)."""
    switch: Token | None = None
    """The switch this NIC is cabled to. Unset: NICs alternate between the two peers, in order."""
    port: Token | None = None
    """The switch port this NIC is cabled to. Unset: that switch's next member of the LAG."""


class HostVlan(_Model):
    """A VLAN the host tags on the bond (a ``<bond>.<id>`` sub-interface)."""

    id: VlanId
    """VLAN id, 1-4094."""
    dhcp: bool = False
    """Run DHCPv4 on the VLAN interface."""
    addresses: list[IpInterface] = Field(default_factory=list)
    """Static addresses of the VLAN interface, with prefix length (``10.0.20.5/24``)."""
    gateway: IPv4Address | IPv6Address | None = None
    """Default gateway reached over this VLAN."""

    @model_validator(mode="after")
    def _gateway_needs_address(self) -> HostVlan:
        _check_gateway(self.gateway, self.addresses)
        return self


def _check_gateway(gateway: IPv4Address | IPv6Address | None, addresses: list[IpInterface]) -> None:
    if gateway is None:
        return
    if not any(gateway.version == a.version and gateway in a.network for a in addresses):
        raise ValueError(f"gateway {gateway} is in none of the static addresses' subnets; add the address it is reached from")


class HostBond(_Model):
    """The downstream server of an MLAG interface and its bond (``data.mlag.mlag_interfaces[N].host``).

    Unset fields are derived from the LAG (``effective_bond``)."""

    name: HostName
    """The server's host name (the folder its files are rendered to)."""
    bond: IfName = "bond0"
    """Bond interface name on the host (TrueNAS: ``bondN``)."""
    os: OsFamily = "linux"
    """OS family: ``linux`` (netplan, NetworkManager, ifupdown, systemd-networkd files) or
    ``truenas`` (the ``interface.create`` API payload)."""
    nics: Annotated[list[Annotated[Nic, BeforeValidator(_nic)]], Field(min_length=1)]
    """Member NICs, as names or ``{name, switch, port}``; unset cabling alternates between the
    peers (first NIC to the first peer's first member, second NIC to the second peer's ...)."""
    mode: Annotated[BondMode | None, BeforeValidator(_mode)] = None
    """Bonding mode (TrueNAS ``LACP`` / ``FAILOVER`` / ``LOADBALANCE`` are accepted). Unset: ``802.3ad``
    on an LACP port-channel, ``balance-xor`` on a static one."""
    lacp_rate: Literal["fast", "slow"] | None = None
    """Rate of LACPDUs the bond asks of the switch (802.3ad only). Unset: the LAG's ``lacp_rate``."""
    xmit_hash_policy: HashPolicy | None = None
    """Transmit hash policy of the hashing modes. Unset: ``layer3+4`` (flows to one gateway MAC
    still spread over both switches)."""
    miimon: Int | None = Field(default=None, ge=0, le=60000)
    """MII link monitoring interval, ms. Unset: 100."""
    updelay: Int | None = Field(default=None, ge=0, le=600000)
    """Milliseconds a recovered link waits before the bond uses it; a multiple of ``miimon``."""
    downdelay: Int | None = Field(default=None, ge=0, le=600000)
    """Milliseconds a failed link waits before the bond stops using it; a multiple of ``miimon``."""
    ad_select: AdSelect | None = None
    """802.3ad aggregator selection policy; unset leaves the kernel's (``stable``)."""
    mtu: Int | None = Field(default=None, ge=576, le=9216)
    """MTU of the bond and its NICs. Unset: the LAG's MTU, else the OS default."""
    vlans: Annotated[list[Annotated[HostVlan, BeforeValidator(_host_vlan)]] | None, Field(default=None)]
    """VLANs the host tags, as ids or ``{id, dhcp, addresses, gateway}``. Unset: every allowed VLAN
    of a trunk LAG except its native VLAN; none on an access LAG."""
    untagged_vlan: VlanId | None = None
    """The VLAN the bond's untagged traffic belongs to, as the host owner understands it. Unset:
    the LAG's native VLAN (trunk) or its VLAN (access)."""
    dhcp: bool = False
    """Run DHCPv4 on the bond itself (never on the member NICs)."""
    addresses: list[IpInterface] = Field(default_factory=list)
    """Static addresses of the bond, with prefix length."""
    gateway: IPv4Address | IPv6Address | None = None
    """Default gateway reached over the bond's untagged VLAN."""
    pxe: bool = False
    """The host boots from the network over these NICs: the firmware speaks no LACP, so an LACP
    LAG needs ``lacp_fallback`` until the installed OS brings the bond up."""
    description: Text | None = None
    """Free text for the generated files (TrueNAS interface description, comments)."""

    @model_validator(mode="after")
    def _validate(self) -> HostBond:
        names = [n.name for n in self.nics]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"nics: {', '.join(twice)} listed twice")
        if self.bond in names:
            raise ValueError(f"bond: {self.bond!r} is also one of the nics")
        vlan_ids = [v.id for v in self.vlans or []]
        twice_v = sorted({v for v in vlan_ids if vlan_ids.count(v) > 1})
        if twice_v:
            raise ValueError(f"vlans: {', '.join(map(str, twice_v))} listed twice")
        longest = f"{self.bond}.{max(vlan_ids)}" if vlan_ids else self.bond
        if len(longest) > 15:
            raise ValueError(f"bond: {longest!r} is longer than the 15 characters of a Linux interface name")
        if self.lacp_rate is not None and self.mode is not None and self.mode != "802.3ad":
            raise ValueError(f"lacp_rate: applies to mode 802.3ad only, not {self.mode}")
        if self.ad_select is not None and self.mode is not None and self.mode != "802.3ad":
            raise ValueError(f"ad_select: applies to mode 802.3ad only, not {self.mode}")
        if self.xmit_hash_policy is not None and self.mode is not None and self.mode not in HASHED_MODES:
            raise ValueError(f"xmit_hash_policy: does not apply to mode {self.mode}")
        if self.os == "truenas":
            self._validate_truenas()
        _check_gateway(self.gateway, self.addresses)
        return self

    def _validate_truenas(self) -> None:
        """What the TrueNAS ``interface.create`` API cannot express is refused here rather than
        left to fail on the appliance."""
        if self.mode is not None and self.mode not in TRUENAS_PROTOCOLS.values():
            raise ValueError(f"mode: {self.mode} has no TrueNAS lag_protocol; use LACP, FAILOVER or LOADBALANCE")
        if self.xmit_hash_policy is not None and self.xmit_hash_policy.startswith("encap"):
            raise ValueError(f"xmit_hash_policy: TrueNAS offers layer2, layer2+3 and layer3+4, not {self.xmit_hash_policy}")
        for knob in ("updelay", "downdelay", "ad_select"):
            if getattr(self, knob) is not None:
                raise ValueError(f"{knob}: TrueNAS does not expose this bonding option")
        if not self.bond.startswith("bond") or not self.bond[4:].isdigit():
            raise ValueError(f"bond: TrueNAS names link aggregations bondN, not {self.bond!r}")


# --- the effective bond: every value decided --------------------------------------------------


@dataclass(frozen=True)
class Cable:
    """One NIC and where it is (said or derived to be) cabled."""

    nic: str
    switch: str | None
    port: str | None
    derived: bool
    """True when ``switch`` / ``port`` came from the default cabling, not from the inventory."""


@dataclass(frozen=True)
class EffectiveBond:
    """A host bond with every setting decided: the inventory's value, else the switch side's.

    ``explicit`` names the fields the inventory wrote, so a rule can tell a disagreement the
    owner wrote down from a value derived to agree."""

    host: str
    bond: str
    os: str
    domain: str
    mlag_id: int
    index: int
    """Position of the MLAG interface in the domain's ``mlag_interfaces`` (for field paths)."""
    mode: str
    lacp_rate: str | None
    xmit_hash_policy: str | None
    miimon: int
    updelay: int | None
    downdelay: int | None
    ad_select: str | None
    mtu: int | None
    cables: tuple[Cable, ...]
    vlans: tuple[HostVlan, ...]
    untagged_vlan: int | None
    dhcp: bool
    addresses: tuple[IpInterface, ...]
    gateway: IPv4Address | IPv6Address | None
    pxe: bool
    description: str | None
    explicit: frozenset[str] = field(default_factory=frozenset)

    @property
    def nics(self) -> list[str]:
        return [c.nic for c in self.cables]

    @property
    def where(self) -> str:
        """The inventory path of this host entry, as error messages and findings name it."""
        return f"group {self.domain}: data.mlag.mlag_interfaces[{self.index}].host"

    def vlan_interface(self, vlan: int) -> str:
        return f"{self.bond}.{vlan}"


def lag_untagged_vlan(iface: MlagInterface) -> int | None:
    """The VLAN the LAG sends untagged: an access LAG's VLAN, a trunk's native VLAN."""
    if iface.mode == "access":
        return iface.vlans[0] if iface.vlans else None
    return iface.native_vlan


def lag_tagged_vlans(iface: MlagInterface) -> list[int]:
    """The VLANs the LAG carries tagged: a trunk's allowed VLANs without the native one."""
    if iface.mode == "access":
        return []
    return [v for v in iface.vlans if v != iface.native_vlan]


def default_cabling(domain: MlagDomain, iface: MlagInterface, nics: list[Nic]) -> list[Cable]:
    """Where each NIC is cabled: as written, else alternating between the peers in order.

    The i-th NIC without a ``switch`` goes to peer ``i % 2`` (first NIC to the first peer); a NIC
    without a ``port`` takes that switch's next LAG member not already named by another NIC. A
    NIC left over when a switch has no member to spare keeps ``port`` unset (the cabling rule
    reports it)."""
    peers = domain.hostnames
    taken: dict[str, set[str]] = {h: set() for h in peers}
    for n in nics:
        if n.switch in taken and n.port:
            taken[n.switch].add(n.port)
    cables: list[Cable] = []
    unnamed = 0
    for n in nics:
        switch = n.switch
        derived = False
        if switch is None:
            switch = peers[unnamed % len(peers)]
            unnamed += 1
            derived = True
        port = n.port
        if port is None and switch in taken:
            spare = [m for m in iface.members_on(switch) if m not in taken[switch]]
            if spare:
                port = spare[0]
                taken[switch].add(port)
                derived = True
        cables.append(Cable(n.name, switch, port, derived))
    return cables


def default_mode(iface: MlagInterface) -> str:
    """The bond mode that matches the port-channel: LACP for LACP, a static hash for ``mode on``."""
    return "balance-xor" if iface.lacp_mode == "static" else "802.3ad"


def effective_bond(domain: MlagDomain, index: int) -> EffectiveBond:
    """The bond of ``domain.mlag_interfaces[index]`` with every value decided (see the module
    docstring for the defaults). Raises ValueError when that interface names no host."""
    iface = domain.mlag_interfaces[index]
    h = iface.host
    if h is None:
        raise ValueError(f"mlag_interfaces[{index}] of {domain.name} names no host")
    mode = h.mode or default_mode(iface)
    lacp_rate = (h.lacp_rate or iface.lacp_rate) if mode == "802.3ad" else None
    xmit = (h.xmit_hash_policy or "layer3+4") if mode in HASHED_MODES else None
    if h.vlans is not None:
        vlans = tuple(h.vlans)
    else:
        vlans = tuple(HostVlan(id=v) for v in lag_tagged_vlans(iface))
    untagged = h.untagged_vlan if h.untagged_vlan is not None else lag_untagged_vlan(iface)
    return EffectiveBond(
        host=h.name,
        bond=h.bond,
        os=h.os,
        domain=domain.name,
        mlag_id=iface.mlag_id,
        index=index,
        mode=mode,
        lacp_rate=lacp_rate,
        xmit_hash_policy=xmit,
        miimon=h.miimon if h.miimon is not None else 100,
        updelay=h.updelay,
        downdelay=h.downdelay,
        ad_select=h.ad_select if mode == "802.3ad" else None,
        mtu=h.mtu if h.mtu is not None else iface.mtu,
        cables=tuple(default_cabling(domain, iface, list(h.nics))),
        vlans=vlans,
        untagged_vlan=untagged,
        dhcp=h.dhcp,
        addresses=tuple(h.addresses),
        gateway=h.gateway,
        pxe=h.pxe,
        description=h.description if h.description is not None else iface.description,
        explicit=frozenset(h.model_fields_set),
    )


def host_bonds(domain: MlagDomain) -> list[EffectiveBond]:
    """The effective bond of every MLAG interface of ``domain`` that names a host."""
    return [effective_bond(domain, i) for i, iface in enumerate(domain.mlag_interfaces) if iface.host is not None]
