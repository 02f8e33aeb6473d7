"""Rules that make an MlagDomain unrenderable, whatever the platform.

They run when a domain is constructed; the platform's driver then adds its own (id ranges, token
rules, unsupported options). All problems are collected before raising, so a user fixes an
inventory in one pass instead of one error per run.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mlagauto.model.problems import IntentError, Problem
from mlagauto.model.vlans import format_vlan_list

if TYPE_CHECKING:
    from mlagauto.model.intent import MlagDomain


def validate_domain(domain: MlagDomain) -> None:
    """Raise IntentError listing every problem of ``domain``; return quietly when it is sound."""
    problems = domain_problems(domain)
    if not problems:
        from mlagauto.drivers import get_driver

        problems = get_driver(domain.platform).validate(domain)
    if problems:
        raise IntentError([_with_domain(p, domain.name) for p in problems])


def _with_domain(p: Problem, name: str) -> Problem:
    return p if p.domain else Problem(p.field, p.message, p.host, name)


def domain_problems(d: MlagDomain) -> list[Problem]:
    """Generic problems; the shape checks come first because the rest assume two peers."""
    if len(d.peers) != 2:
        return [Problem("peers", f"an MLAG domain needs exactly two peers, found {len(d.peers)}")]
    a, b = d.peers
    if a.hostname == b.hostname:
        return [Problem("hostname", "both peers have the same hostname", host=a.hostname)]
    if a.platform != b.platform:
        return [
            Problem("platform", f"peers of one domain must share a platform ({a.platform} vs {b.platform})", host=b.hostname)
        ]
    out: list[Problem] = []
    out += _roles(d)
    out += _keepalive(d)
    out += _peer_addresses(d)
    out += _interfaces(d)
    out += _vlans(d)
    return out


def _roles(d: MlagDomain) -> list[Problem]:
    a, b = d.peers
    out = []
    if a.role and b.role and a.role == b.role:
        out.append(Problem("role", f"both peers are {a.role}; one must be primary, the other secondary", host=b.hostname))
    if (a.chassis_id is None) != (b.chassis_id is None):
        missing = a if a.chassis_id is None else b
        out.append(Problem("chassis_id", "chassis_id is set on one peer only; set 0 and 1 or neither", host=missing.hostname))
    elif a.chassis_id is not None and a.chassis_id == b.chassis_id:
        out.append(Problem("chassis_id", "chassis ids must be 0 on one peer and 1 on the other", host=b.hostname))
    return out


def _keepalive(d: MlagDomain) -> list[Problem]:
    a, b = d.peers
    out = []
    for p in d.peers:
        if p.keepalive.source == p.keepalive.destination:
            out.append(Problem("keepalive.destination", "keepalive destination equals its source", host=p.hostname))
    for me, other in ((a, b), (b, a)):
        if me.keepalive.destination != other.keepalive.source:
            out.append(
                Problem(
                    "keepalive.destination",
                    f"must be the other peer's keepalive source {other.keepalive.source} (keepalive not mirrored)",
                    host=me.hostname,
                )
            )
    if a.keepalive.vrf != b.keepalive.vrf:
        out.append(Problem("keepalive.vrf", f"keepalive VRF differs between peers ({a.keepalive.vrf} vs {b.keepalive.vrf})", host=b.hostname))
    for p in d.peers:
        ka = p.keepalive
        if (ka.interface is None) != (ka.prefix_length is None):
            out.append(Problem("keepalive.prefix_length", "interface and prefix_length go together", host=p.hostname))
    return out


def _peer_addresses(d: MlagDomain) -> list[Problem]:
    a, b = d.peers
    if a.peer_address is None and b.peer_address is None:
        return []
    if a.peer_address is None or b.peer_address is None:
        missing = a if a.peer_address is None else b
        return [Problem("peer_address", "peer_address is set on the other peer only", host=missing.hostname)]
    out = []
    for p in d.peers:
        assert p.peer_address is not None
        if p.peer_address.network.prefixlen not in (30, 31):
            out.append(Problem("peer_address", "the peer-VLAN subnet must be a /30 or /31", host=p.hostname))
        elif p.peer_address.network.prefixlen == 30 and p.peer_address.ip in (
            p.peer_address.network.network_address,
            p.peer_address.network.broadcast_address,
        ):
            out.append(Problem("peer_address", "is the network or broadcast address of its /30", host=p.hostname))
    if a.peer_address.network != b.peer_address.network:
        out.append(Problem("peer_address", f"not in the same subnet as {a.hostname}'s {a.peer_address}", host=b.hostname))
    elif a.peer_address.ip == b.peer_address.ip:
        out.append(Problem("peer_address", "both peers use the same address", host=b.hostname))
    return out


def _interfaces(d: MlagDomain) -> list[Problem]:
    out: list[Problem] = []
    hosts = set(d.hostnames)
    for mid, n in Counter(i.mlag_id for i in d.mlag_interfaces).items():
        if n > 1:
            idx = [k for k, i in enumerate(d.mlag_interfaces) if i.mlag_id == mid][1]
            out.append(Problem(f"mlag_interfaces[{idx}].mlag_id", f"MLAG id {mid} is used {n} times"))
    for k, itf in enumerate(d.mlag_interfaces):
        base = f"mlag_interfaces[{k}]"
        for attr in ("port_channel", "members"):
            value = getattr(itf, attr)
            if isinstance(value, dict) and set(value) != hosts:
                out.append(Problem(f"{base}.{attr}", f"per-host map must name exactly the peers {sorted(hosts)}, got {sorted(value)}"))
        if out:
            continue
        for h in d.hostnames:
            if not itf.members_on(h):
                out.append(Problem(f"{base}.members", f"no member interfaces on {h}"))
        if itf.mode == "access":
            if len(itf.vlans) != 1:
                out.append(Problem(f"{base}.vlans", "an access port carries exactly one VLAN"))
            if itf.native_vlan is not None:
                out.append(Problem(f"{base}.native_vlan", "native_vlan applies to trunks only"))
        elif not itf.vlans:
            out.append(Problem(f"{base}.vlans", "a trunk needs at least one allowed VLAN"))
        if itf.native_vlan is not None and itf.native_vlan not in itf.vlans:
            out.append(Problem(f"{base}.native_vlan", f"native VLAN {itf.native_vlan} is not in the allowed VLANs"))
        if itf.lacp_mode == "static" and itf.lacp_fallback:
            out.append(Problem(f"{base}.lacp_fallback", "LACP fallback needs LACP; this LAG is static (mode on)"))
        if itf.lacp_fallback_timeout is not None and not itf.lacp_fallback:
            out.append(Problem(f"{base}.lacp_fallback_timeout", "set without lacp_fallback"))
        if itf.min_links is not None:
            for h in d.hostnames:
                if itf.min_links > len(itf.members_on(h)):
                    out.append(Problem(f"{base}.min_links", f"min_links {itf.min_links} exceeds the {len(itf.members_on(h))} members on {h}"))
    if out:
        return out
    for p in d.peers:
        h = p.hostname
        pcs: dict[int, str] = {p.peer_link.port_channel: "peer_link.port_channel"}
        members: dict[str, str] = {m: "peer_link.members" for m in p.peer_link.members}
        for m, n in Counter(p.peer_link.members).items():
            if n > 1:
                out.append(Problem("peer_link.members", f"{m} is listed {n} times", host=h))
        if p.keepalive.interface and p.keepalive.interface in members:
            out.append(Problem("keepalive.interface", f"{p.keepalive.interface} is a peer-link member; the keepalive must not ride the peer-link", host=h))
        for k, itf in enumerate(d.mlag_interfaces):
            pc = itf.port_channel_on(h)
            field = f"mlag_interfaces[{k}].port_channel"
            if pc in pcs:
                out.append(Problem(field, f"port-channel {pc} on {h} is already used by {pcs[pc]}"))
            pcs[pc] = field
            for m in itf.members_on(h):
                mfield = f"mlag_interfaces[{k}].members"
                if m in members:
                    out.append(Problem(mfield, f"member {m} on {h} is already used by {members[m]}"))
                if m == p.keepalive.interface:
                    out.append(Problem(mfield, f"member {m} on {h} is the keepalive interface"))
                members[m] = mfield
    return out


def _vlans(d: MlagDomain) -> list[Problem]:
    out: list[Problem] = []
    for vid, n in Counter(v.id for v in d.vlans).items():
        if n > 1:
            out.append(Problem("vlans", f"VLAN {vid} is defined {n} times"))
    defined = set(d.vlan_ids())
    for k, itf in enumerate(d.mlag_interfaces):
        missing = [v for v in itf.vlans if v not in defined]
        if missing:
            out.append(Problem(f"mlag_interfaces[{k}].vlans", f"VLANs {format_vlan_list(missing)} are not defined in the domain's vlans"))
    for p in d.peers:
        if p.peer_link.vlans is None:
            continue
        carried = set(p.peer_link.vlans)
        for k, itf in enumerate(d.mlag_interfaces):
            missing = [v for v in itf.vlans if v not in carried]
            if missing:
                out.append(
                    Problem(
                        "peer_link.vlans",
                        f"MLAG {itf.mlag_id} VLANs {format_vlan_list(missing)} are missing from the peer-link (traffic for a single-homed side would black-hole)",
                        host=p.hostname,
                    )
                )
    return out
