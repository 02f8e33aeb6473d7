"""Pair rules: what must match, what must differ, and what LACP partners will see, given the two
PeerConfigs of one pair. Severities fold the vendors' own checkers into one scale: ``error`` where
Cisco would call it Type-1 (or the pair / a port-channel does not come up at all), ``warning``
for Type-2-like inconsistencies."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_interface

from mlagauto.checks.registry import RULES, rule
from mlagauto.drivers import MlagDriver, get_driver
from mlagauto.model.finding import Finding, Severity, make_finding
from mlagauto.model.peer_config import MlagInterfaceConfig, PeerConfig
from mlagauto.model.vlans import format_vlan_list

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def _name(me: PeerConfig) -> str:
    return me.hostname or "this peer"


def _hosts(a: PeerConfig, b: PeerConfig) -> list[str]:
    return [a.hostname or "peer A", b.hostname or "peer B"]


def _driver(me: PeerConfig) -> MlagDriver | None:
    try:
        return get_driver(me.platform)
    except KeyError:
        return None


def _fix(a: PeerConfig, rule_id: str, default: str, **values: object) -> str:
    """The platform's fix for ``rule_id`` with ``values`` filled in; ``default`` where the platform
    has none, or where a value is unset (a template would print ``None``)."""
    driver = _driver(a)
    if driver is None or any(v is None for v in values.values()):
        return default
    return driver.fix(rule_id, default, **values)


def _severity(me: PeerConfig, key: str, default: Severity | None = None) -> Severity:
    """The severity of ``key`` (a rule id, or ``rule-id.attribute``) on ``me``'s platform
    (``MlagDriver.severities``); ``default``, else the rule's registered severity, elsewhere."""
    driver = _driver(me)
    if driver is not None:
        return driver.severity(key, default)
    return default or RULES[key.partition(".")[0]].severity


def _missing(me: PeerConfig, rule_id: str, message: str) -> tuple[Severity, str]:
    """Severity and message of a "not configured" finding on ``me``. Where the parser left MLAG
    lines unread, the setting may be one of them: then it is at most a warning that says so."""
    sev = _severity(me, rule_id)
    if not me.unread:
        return sev, message
    return (W if sev is E else sev), f"{message} (or it is among the {len(me.unread)} MLAG line(s) the parser could not read)"


def _set_to(label: str, where: str, value: object) -> str:
    """A fix that makes one half equal the other, also when the other leaves the setting unset."""
    if value is None:
        return f"remove the {label} setting of {where}, as on the peer"
    return f"set the {label} of {where} to {value}"


@rule("parse-warning", Severity.INFO, "pair", "The parser read the config with reservations")
def _parse_warnings(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    yield from (
        make_finding("parse-warning", severity=Severity.WARNING if me.is_empty() else Severity.INFO, hosts=[me.hostname or "?"], object="config", message=w, fix="check the input file")
        for me in (a, b)
        for w in me.warnings
    )
    for me in (a, b):
        if me.unread:
            shown = "; ".join(repr(line) for line in me.unread[:5]) + (f"; and {len(me.unread) - 5} more" if len(me.unread) > 5 else "")
            yield make_finding("parse-warning", severity=W, hosts=[me.hostname or "?"], object="config", message=f"MLAG statements not understood, so not checked: {shown}", expected="statements in a documented form", actual=len(me.unread), fix="check these lines on the device; report the form if the platform documents it")


# --- domain -----------------------------------------------------------------------------------
@rule("platform-mismatch", E, "pair", "Both peers run the same platform")
def platform_mismatch(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if a.platform != b.platform:
        yield make_finding("platform-mismatch", hosts=_hosts(a, b), object="platform", message="peers run different platforms; they can never form one MLAG domain", expected=a.platform, actual=b.platform, fix="pair switches of one platform")


@rule("domain-missing", E, "pair", "Both peers have an MLAG domain configured")
def domain_missing(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for me in (a, b):
        if me.domain_id is None:
            sev, message = _missing(me, "domain-missing", "no MLAG domain configured on this peer")
            yield make_finding("domain-missing", severity=sev, hosts=[me.hostname or "?"], object="domain", message=message, expected="configured", actual="not configured", fix=_fix(me, "domain-missing", "configure the MLAG domain"))


@rule("domain-id", E, "pair", "Domain id identical on both peers")
def domain_id(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if a.domain_id is not None and b.domain_id is not None and a.domain_id != b.domain_id:
        yield make_finding("domain-id", hosts=_hosts(a, b), object="domain", message="domain ids differ: the peers will never form a pair", expected=a.domain_id, actual=b.domain_id, fix=_fix(b, "domain-id", f"set the domain id to {a.domain_id} on {_name(b)}", value=a.domain_id))


@rule("system-identity", E, "pair", "Both peers present the same LACP system identity")
def system_identity(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for attr, label in (("system_mac", "system MAC / LACP system-id"), ("system_priority", "LACP system priority")):
        va, vb = getattr(a, attr), getattr(b, attr)
        if va != vb:
            sev = _severity(a, f"system-identity.{attr}")
            why = "a partner would see two systems and aggregate only one link" if sev is E else "the pair presents the primary's value; partners would see another system once the roles change or the pair splits"
            yield make_finding("system-identity", severity=sev, hosts=_hosts(a, b), object="domain", message=f"{label} differs: {why}", expected=va, actual=vb, fix=_fix(b, f"system-identity.{attr}", f"configure the same {label} on both peers", value=va))


@rule("role-priority-equal", I, "pair", "Role priorities differ so the election is deterministic")
def role_priority_equal(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if a.role_priority is not None and a.role_priority == b.role_priority:
        yield make_finding("role-priority-equal", hosts=_hosts(a, b), object="domain", message="equal role priorities: the primary is chosen by MAC address, not by design", expected="different priorities", actual=a.role_priority, fix=_fix(b, "role-priority-equal", "give the intended secondary a different role priority"))


@rule("role-conflict", E, "pair", "Configured roles are complementary (one primary, one secondary)")
def role_conflict(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if a.role is not None and a.role == b.role:
        yield make_finding("role-conflict", hosts=_hosts(a, b), object="domain", message=f"both peers are configured {a.role}", expected="primary + secondary", actual=f"{a.role} + {b.role}", fix=_fix(b, "role-conflict", "make one peer primary and the other secondary"))


# --- keepalive and control session --------------------------------------------------------------
@rule("keepalive-missing", W, "pair", "Both peers have a keepalive / heartbeat / DAD destination")
def keepalive_missing(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    """Only NX-OS needs the keepalive to form the pair; elsewhere it is dual-active detection
    (EOS heartbeat, Junos backup liveness, Huawei DAD), whose absence degrades failure handling."""
    for me in (a, b):
        if me.domain_id is not None and (me.keepalive is None or me.keepalive.destination is None):
            why = "the pair does not form without it" if _severity(me, "keepalive-missing") is E else "a peer-link failure cannot be told from a peer failure (dual-active)"
            sev, message = _missing(me, "keepalive-missing", f"no keepalive / dual-active detection configured: {why}")
            yield make_finding("keepalive-missing", severity=sev, hosts=[me.hostname or "?"], object="keepalive", message=message, expected="configured", actual="not configured", fix=_fix(me, "keepalive-missing", "configure the peer keepalive"))


@rule("keepalive-mirror", W, "pair", "Keepalive source and destination are mirrored between the peers")
def keepalive_mirror(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if not (a.keepalive and b.keepalive):
        return
    for me, other in ((a, b), (b, a)):
        if me.keepalive.destination and other.keepalive.source and me.keepalive.destination != other.keepalive.source:
            yield make_finding("keepalive-mirror", severity=_severity(me, "keepalive-mirror"), hosts=_hosts(me, other), object="keepalive", message=f"{_name(me)} sends keepalives to {me.keepalive.destination}, but {_name(other)} sources them from {other.keepalive.source}", expected=other.keepalive.source, actual=me.keepalive.destination, fix=_fix(me, "keepalive-mirror", f"point {_name(me)}'s keepalive at {other.keepalive.source}", destination=other.keepalive.source, source=me.keepalive.source or "", vrf=me.keepalive.vrf or ""))
    if a.keepalive.vrf != b.keepalive.vrf:
        yield make_finding("keepalive-mirror", severity=I, hosts=_hosts(a, b), object="keepalive", message="keepalive VRFs have different names (VRFs are local to each switch: only reachability counts)", expected=a.keepalive.vrf or "the global table", actual=b.keepalive.vrf or "the global table", fix="name the keepalive VRF alike on both peers, for readability")


@rule("keepalive-over-peer-link", W, "pair", "The keepalive does not ride the peer-link")
def keepalive_over_peer_link(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for me in (a, b):
        ka = me.keepalive
        if not (ka and ka.source and me.local_address):
            continue
        try:
            same = ip_interface(f"{ka.source}/32").ip in ip_interface(me.local_address).network
        except ValueError:
            continue
        if same:
            yield make_finding("keepalive-over-peer-link", hosts=[me.hostname or "?"], object="keepalive", message="the keepalive source is on the peer-link VLAN: losing the peer-link also loses the keepalive (dual-active)", expected="an out-of-band path", actual=ka.source, fix="run the keepalive over the management network or a dedicated link")


@rule("peer-address", E, "pair", "Control-session addresses are mirrored and in one subnet")
def peer_address(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if a.local_address and b.local_address:
        try:
            na, nb = ip_interface(a.local_address), ip_interface(b.local_address)
        except ValueError:
            return
        driver = _driver(a)
        if driver is not None and driver.peer_address_on_link and na.network != nb.network:
            yield make_finding("peer-address", hosts=_hosts(a, b), object="peer-address", message="the peers' control-session addresses are not in one subnet", expected=str(na.network), actual=str(nb.network), fix="put both peer-VLAN addresses in the same /30 or /31")
        for me, other, other_ip in ((a, b, nb.ip), (b, a, na.ip)):
            if me.peer_address and me.peer_address != str(other_ip):
                yield make_finding("peer-address", hosts=_hosts(me, other), object="peer-address", message=f"{_name(me)} expects its peer at {me.peer_address}, but {_name(other)} has {other_ip}", expected=str(other_ip), actual=me.peer_address, fix=_fix(me, "peer-address", f"set {_name(me)}'s peer address to {other_ip}", value=str(other_ip)))
    if a.peer_vlan is not None and b.peer_vlan is not None and a.peer_vlan != b.peer_vlan:
        yield make_finding("peer-address", hosts=_hosts(a, b), object="peer-vlan", message="the peer VLANs differ", expected=a.peer_vlan, actual=b.peer_vlan, fix="use the same peer VLAN on both peers")


# --- peer-link -----------------------------------------------------------------------------------
@rule("peer-link-missing", E, "pair", "Both peers have a peer-link")
def peer_link_missing(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for me in (a, b):
        if me.domain_id is not None and (me.peer_link is None or me.peer_link.interface is None):
            sev, message = _missing(me, "peer-link-missing", "no peer-link configured")
            yield make_finding("peer-link-missing", severity=sev, hosts=[me.hostname or "?"], object="peer-link", message=message, expected="configured", actual="not configured", fix=_fix(me, "peer-link-missing", "configure the peer-link port-channel"))


@rule("peer-link-vlans", W, "pair", "The peer-link carries every MLAG VLAN")
def peer_link_vlans(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for me in (a, b):
        if me.peer_link is None or me.peer_link.vlans is None:
            continue
        carry = me.carrier()
        carried = carry(me.peer_link.vlans)
        needed = {v for itf in me.mlag_interfaces for v in carry(itf.vlans)}
        missing = sorted(needed - carried)
        if missing:
            yield make_finding("peer-link-vlans", hosts=[me.hostname or "?"], object="peer-link", message=f"MLAG VLANs {format_vlan_list(missing)} are not allowed on the peer-link: traffic to single-homed hosts and after a link failure is black-holed", expected=format_vlan_list(sorted(needed)), actual=format_vlan_list(sorted(carried)), fix=_fix(me, "peer-link-vlans", "allow every MLAG VLAN on the peer-link", vlans=missing, interface=me.peer_link.interface or ""))


@rule("peer-link-lacp", E, "pair", "Peer-link LACP modes can form a bundle")
def peer_link_lacp(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    if a.peer_link and b.peer_link:
        problem = _lacp_problem(a.peer_link.lacp_mode, b.peer_link.lacp_mode)
        if problem and problem[0] is E:
            yield make_finding("peer-link-lacp", hosts=_hosts(a, b), object="peer-link", message=f"peer-link: {problem[1]}", expected=a.peer_link.lacp_mode, actual=b.peer_link.lacp_mode, fix="use LACP active on both sides of the peer-link")


# --- MLAG interfaces -----------------------------------------------------------------------------
@rule("mlag-orphan", E, "pair", "Every MLAG id is configured on both peers")
def mlag_orphan(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for me, other in ((a, b), (b, a)):
        ids = {i.mlag_id for i in other.mlag_interfaces}
        for itf in me.mlag_interfaces:
            if itf.mlag_id not in ids:
                sev, message = _missing(other, "mlag-orphan", f"MLAG {itf.mlag_id} ({itf.interface}) exists on {_name(me)} only: it stays down or runs single-homed")
                yield make_finding("mlag-orphan", severity=sev, message=message, hosts=_hosts(me, other), object=f"mlag {itf.mlag_id}", expected="on both peers", actual=f"only on {_name(me)}", fix=_fix(other, "mlag-orphan", f"configure MLAG {itf.mlag_id} on {_name(other)}", mlag_id=itf.mlag_id, interface=itf.interface))


def _lacp_problem(x: str | None, y: str | None) -> tuple[Severity, str] | None:
    if x is None or y is None or x == y == "active":
        return None
    if (x == "static") != (y == "static"):
        return E, f"static (mode on) against LACP ({x} / {y}) never forms a bundle"
    if x == y == "passive":
        return I, "both halves passive: the bundle forms only if the partner runs LACP active"
    if x != y:
        return I, f"LACP modes differ ({x} / {y}): the bundle forms, as one side is active"
    return None


def _pairs(a: PeerConfig, b: PeerConfig) -> Iterator[tuple[MlagInterfaceConfig, MlagInterfaceConfig]]:
    theirs = {i.mlag_id: i for i in b.mlag_interfaces}
    for mine in a.mlag_interfaces:
        if mine.mlag_id in theirs:
            yield mine, theirs[mine.mlag_id]


@rule("mlag-lacp-mode", E, "pair", "LACP modes of an MLAG's two halves are compatible")
def mlag_lacp_mode(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for x, y in _pairs(a, b):
        problem = _lacp_problem(x.lacp_mode, y.lacp_mode)
        if problem:
            if x.lacp_mode == y.lacp_mode == "passive":
                fix = "make sure the partner runs LACP active, or set one side active"
            elif problem[0] is I:
                fix = "nothing is broken; use one LACP mode on both halves so the pair reads alike"
            else:
                fix = _fix(b, "mlag-lacp-mode", f"use the same LACP mode on both halves of MLAG {x.mlag_id}", interface=y.interface, mode=x.lacp_mode)
            yield make_finding("mlag-lacp-mode", severity=problem[0], hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=problem[1], expected=x.lacp_mode, actual=y.lacp_mode, fix=fix)


_TYPE1 = (
    ("mode", "switchport mode"),
    ("native_vlan", "native VLAN"),
    ("mtu", "MTU"),
)
_TYPE2 = (
    ("lacp_rate", "LACP rate"),
    ("min_links", "min-links"),
    ("lacp_fallback", "LACP fallback"),
    ("lacp_fallback_timeout", "LACP fallback timeout"),
)


@rule("mlag-type1", W, "pair", "Switchport mode, native VLAN and MTU match on both halves (Type-1: the secondary suspends)")
def mlag_type1(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for x, y in _pairs(a, b):
        for attr, label in _TYPE1:
            vx, vy = getattr(x, attr), getattr(y, attr)
            if vx != vy:
                sev = _severity(a, f"mlag-type1.{attr}")
                why = "the secondary's half is suspended" if sev is E else "the halves forward differently"
                yield make_finding("mlag-type1", severity=sev, hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"{label} differs between the halves of MLAG {x.mlag_id}: {why}", expected=vx, actual=vy, fix=_fix(b, f"mlag-type1.{attr}", _set_to(label, y.interface, vx), interface=y.interface, value=vx))


@rule("mlag-vlans", W, "pair", "Allowed VLANs match on both halves (Type-2: only common VLANs forward)")
def mlag_vlans(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    carry_a, carry_b = a.carrier(), b.carrier()
    for x, y in _pairs(a, b):
        cx, cy = carry_a(x.vlans), carry_b(y.vlans)
        if cx != cy:
            only_a = sorted(cx - cy)
            only_b = sorted(cy - cx)
            detail = "; ".join(
                part
                for part in (
                    f"only on {_name(a)}: {format_vlan_list(only_a)}" if only_a else "",
                    f"only on {_name(b)}: {format_vlan_list(only_b)}" if only_b else "",
                )
                if part
            )
            yield make_finding("mlag-vlans", hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"allowed VLANs differ ({detail}): those VLANs forward over one half only", expected=format_vlan_list(x.vlans), actual=format_vlan_list(y.vlans), fix=_fix(b, "mlag-vlans", f"allow VLANs {format_vlan_list(x.vlans)} on {y.interface}", interface=y.interface, vlans=list(x.vlans)))


def _fallback_on_active_only(x: MlagInterfaceConfig, y: MlagInterfaceConfig) -> bool:
    """Where the halves have a status-control role (Junos MC-AE), fallback (force-up) belongs on
    the active half only: forced up on both, a server without LACP gets two independent links and
    its MAC flaps between them."""
    roles = {x.status_control: x, y.status_control: y}
    return set(roles) == {"active", "standby"} and roles["active"].lacp_fallback and not roles["standby"].lacp_fallback


@rule("mlag-type2", W, "pair", "LACP rate, min-links and fallback match on both halves")
def mlag_type2(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for x, y in _pairs(a, b):
        for attr, label in _TYPE2:
            vx, vy = getattr(x, attr), getattr(y, attr)
            if attr == "lacp_fallback" and _fallback_on_active_only(x, y):
                continue
            if vx != vy:
                yield make_finding("mlag-type2", severity=_severity(a, f"mlag-type2.{attr}"), hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"{label} differs between the halves of MLAG {x.mlag_id}", expected=vx, actual=vy, fix=_fix(b, f"mlag-type2.{attr}", _set_to(label, y.interface, vx), interface=y.interface, value=vx))
        if len(x.members) != len(y.members):
            yield make_finding("mlag-type2", hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"the halves of MLAG {x.mlag_id} have {len(x.members)} and {len(y.members)} members: unequal bandwidth", expected=len(x.members), actual=len(y.members), fix="give both halves the same number of members")


@rule("mlag-lacp-identity", E, "pair", "Per-LAG LACP identity (system-id, priority, admin-key) is identical")
def mlag_lacp_identity(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for x, y in _pairs(a, b):
        for attr, label in (("lacp_system_id", "LACP system-id"), ("lacp_system_priority", "LACP system priority"), ("admin_key", "LACP admin-key")):
            vx, vy = getattr(x, attr), getattr(y, attr)
            if vx != vy:
                yield make_finding("mlag-lacp-identity", hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"{label} differs: the partner sees two systems and aggregates only one half", expected=vx, actual=vy, fix=_fix(b, f"mlag-lacp-identity.{attr}", _set_to(label, y.interface, vx), interface=y.interface, value=vx))


@rule("mc-ae-roles", E, "pair", "Junos MC-AE chassis-id 0/1 and status-control active/standby are complementary")
def mc_ae_roles(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for x, y in _pairs(a, b):
        if x.chassis_id is not None and y.chassis_id is not None and {x.chassis_id, y.chassis_id} != {0, 1}:
            yield make_finding("mc-ae-roles", hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message="chassis-ids must be 0 on one peer and 1 on the other", expected="0 + 1", actual=f"{x.chassis_id} + {y.chassis_id}", fix=_fix(b, "mc-ae-roles.chassis_id", "set chassis-id 1 on the second peer", interface=y.interface, value=1 - x.chassis_id))
        if x.status_control is not None and y.status_control is not None and x.status_control == y.status_control:
            yield make_finding("mc-ae-roles", severity=_severity(a, "mc-ae-roles.status_control"), hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"status-control is {x.status_control} on both peers", expected="active + standby", actual=f"{x.status_control} + {y.status_control}", fix=_fix(b, "mc-ae-roles.status_control", "set status-control standby on the second peer", interface=y.interface, value="standby" if x.status_control == "active" else "active"))


@rule("mc-ae-params", W, "pair", "Junos MC-AE redundancy-group and mode are identical")
def mc_ae_params(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for x, y in _pairs(a, b):
        for attr, label in (("redundancy_group", "redundancy-group"), ("mc_ae_mode", "mc-ae mode"), ("init_delay", "init-delay-time")):
            vx, vy = getattr(x, attr), getattr(y, attr)
            if vx != vy:
                yield make_finding("mc-ae-params", severity=_severity(a, f"mc-ae-params.{attr}"), hosts=_hosts(a, b), object=f"mlag {x.mlag_id}", message=f"{label} differs between the peers", expected=vx, actual=vy, fix=_fix(b, f"mc-ae-params.{attr}", _set_to(label, y.interface, vx), interface=y.interface, value=vx))


# --- global --------------------------------------------------------------------------------------
@rule("vlans", W, "pair", "Both peers define the VLANs their MLAG interfaces carry")
def vlans(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for me, other in ((a, b), (b, a)):
        defined = {v.id for v in other.vlans}
        carry = me.carrier()
        used = {v for itf in me.mlag_interfaces for v in carry(itf.vlans)} if me.vlans else set()
        missing = sorted(v.id for v in me.vlans if v.id not in defined and v.id in used)
        if missing and other.vlans:
            yield make_finding("vlans", severity=_severity(me, "vlans"), hosts=_hosts(me, other), object="vlans", message=f"VLANs {format_vlan_list(missing)} used by MLAG interfaces are defined on {_name(me)} only", expected=format_vlan_list(missing), actual=None, fix=_fix(other, "vlans", f"create VLANs {format_vlan_list(missing)} on {_name(other)}", vlans=missing))


@rule("stp", W, "pair", "STP mode and pair STP settings are identical")
def stp(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for attr, label in (("mode", "STP mode"), ("mlag_mode", "M-LAG STP mode"), ("bridge_address", "STP bridge address"), ("priority", "STP bridge priority")):
        va, vb = getattr(a.stp, attr), getattr(b.stp, attr)
        if va != vb:
            yield make_finding("stp", severity=_severity(a, f"stp.{attr}"), hosts=_hosts(a, b), object="stp", message=f"{label} differs between the peers", expected=va, actual=vb, fix=_fix(b, f"stp.{attr}", f"set the same {label} on both peers", value=va))


@rule("timers", W, "pair", "Delay and recovery timers are identical")
def timers(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for attr in ("restore_delay", "non_mlag_restore_delay", "auto_recovery", "auto_recovery_delay"):
        va, vb = getattr(a.timers, attr), getattr(b.timers, attr)
        if va != vb:
            yield make_finding("timers", hosts=_hosts(a, b), object="timers", message=f"{attr.replace('_', ' ')} differs: after a failure the peers restore MLAG ports at different times", expected=va, actual=vb, fix=_fix(b, f"timers.{attr}", f"set the same {attr.replace('_', ' ')} on both peers", value=va))


@rule("pair-options", W, "pair", "Pair-wide options (peer-gateway, peer-switch, service-id, authentication) are identical")
def pair_options(a: PeerConfig, b: PeerConfig) -> Iterator[Finding]:
    for attr in ("peer_gateway", "peer_switch", "service_id", "authentication"):
        va, vb = getattr(a, attr), getattr(b, attr)
        if va != vb:
            sev = _severity(a, f"pair-options.{attr}")
            yield make_finding("pair-options", severity=sev, hosts=_hosts(a, b), object=attr.replace("_", "-"), message=f"{attr.replace('_', '-')} differs between the peers", expected=va, actual=vb, fix=_fix(b, f"pair-options.{attr}", f"configure {attr.replace('_', '-')} identically on both peers", value=va))
