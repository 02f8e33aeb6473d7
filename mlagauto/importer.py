"""Brownfield import: two running configurations of an MLAG pair -> the intent that renders them.

The parsers already turn a running configuration into a vendor-neutral ``PeerConfig``; the
import goes one step further back, to the ``MlagDomain`` whose projection on each host
(``driver.peer_config(domain, host)``) equals the parsed PeerConfig. Nothing here knows a
vendor's syntax or defaults: every candidate intent is *checked* against the driver's own
projection, so the driver's knowledge (the defaults it omits, values it derives from the role,
fields it does not have) decides, and the importer only proposes:

1. a draft from both PeerConfigs: values equal on both peers go to the group, the fields the
   model keeps per host (role, keepalive, peer-link, peer address, chassis id, per-host
   port-channel numbers and members) to the hosts; a shared value the peers disagree on takes
   the first peer's value and is remembered as a conflict;
2. a search: the role assignment and each conflict's other value are tried, and the candidate
   whose projection differs from the parsed configs in the fewest places wins (a difference the
   driver explains, such as Junos putting ``force-up`` on the primary only, then vanishes);
3. minimisation: every optional value is dropped where the projection stays the same (a default
   the driver fills in), so the inventory says only what differs from the defaults;
4. the remaining differences between projection and parsed config, the conflicts the driver
   does not explain, values the model refuses, and what the parser saw but could not read are
   the review items: the import never drops a setting silently.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Interface, ip_interface
from pathlib import Path
from typing import Any


from mlagauto import intent_data
from mlagauto.drivers import get_driver
from mlagauto.drivers.base import MlagDriver
from mlagauto.intent_data import REQUIRED_KEYS, DataPath, DataProblem, build_domain, delete_path, dotted, get_path, has_path, inventory_data, label, set_path
from mlagauto.model.intent import MlagDomain
from mlagauto.model.peer_config import PeerConfig
from mlagauto.report import markdown_cell

PASSWORD_PLACEHOLDER = "CHANGE_ME_dfs1"
"""Written where the model needs a secret the device only prints ciphered (Huawei dfs-group
authentication): a valid value, so the domain loads, and always a review item."""

KEEPALIVE_PLACEHOLDERS = ("192.0.2.1", "192.0.2.2")
"""Written where the model needs keepalive addresses a configuration does not give (EOS without a
heartbeat): documentation addresses, never routable, and always a review item."""

PEER_ADDRESS_PLACEHOLDERS = ("198.51.100.0/31", "198.51.100.1/31")
"""Written where a platform with a peer-VLAN control session needs addresses the configuration
does not give; always a review item."""

_DIFF_EXCLUDE = {"platform", "hostname", "warnings", "unread"}
"""PeerConfig fields that describe the parse, not the MLAG surface."""



@dataclass
class ReviewItem:
    """Something the import could not express in the intent, for a person to decide."""

    field: str
    """Where: a dotted PeerConfig / intent path (``timers.restore_delay``, ``mlag_interfaces[11].mtu``)."""
    reason: str
    """Why it needs review."""
    host: str | None = None
    """The host it concerns; None for a shared setting the peers disagree on."""
    values: dict[str, Any] = field(default_factory=dict)
    """The value on each host as parsed (and, under ``"intent"``, what the imported intent gives)."""
    lines: list[str] = field(default_factory=list)
    """The configuration lines it came from, where the parser kept them."""


@dataclass
class ImportResult:
    """One pair's import: the domain (None where none could be built), its inventory data and
    the review items."""

    group: str
    platform: str | None
    hosts: list[str]
    domain: MlagDomain | None = None
    group_data: dict[str, Any] = field(default_factory=dict)
    """``data.mlag`` of the pair's group (what both peers share)."""
    host_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``data.mlag`` of each host (its own side)."""
    review: list[ReviewItem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    """Host -> the file it was read from, for the report."""
    error: str | None = None
    """Why no domain could be built at all."""
    configs: list[PeerConfig] = field(default_factory=list)
    """The parsed configurations the pair was imported from."""

    @property
    def lossless(self) -> bool:
        return self.domain is not None and not self.review

    @property
    def status(self) -> str:
        if self.domain is None:
            return "failed"
        return "lossless" if not self.review else "review"


# --- comparing a projection with what was parsed --------------------------------------------------
def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out)
    else:
        out[prefix] = value


def _surface(cfg: PeerConfig) -> dict[str, Any]:
    """A PeerConfig as flat ``path -> value``: LAGs keyed by MLAG id and VLANs by id, so that a
    difference names the LAG or VLAN it is in."""
    dump = cfg.model_dump(exclude=_DIFF_EXCLUDE)
    out: dict[str, Any] = {}
    lags = dump.pop("mlag_interfaces")
    vlans = dump.pop("vlans")
    _flatten(dump, "", out)
    for lag in lags:
        out[f"mlag_interfaces[{lag['mlag_id']}]"] = True
        _flatten({k: v for k, v in lag.items() if k != "mlag_id"}, f"mlag_interfaces[{lag['mlag_id']}]", out)
    for v in vlans:
        out[f"vlans[{v['id']}]"] = True
        out[f"vlans[{v['id']}].name"] = v["name"]
    return out


def _differences(parsed: PeerConfig, projected: PeerConfig) -> dict[str, tuple[Any, Any]]:
    """``path -> (parsed, projected)`` wherever the two differ."""
    a, b = _surface(parsed), _surface(projected)
    return {k: (a.get(k), b.get(k)) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)}


# --- building and checking candidates --------------------------------------------------------------

class _Search:
    """Candidate intents for one pair, scored by the driver's projection."""

    def __init__(self, driver: MlagDriver, a: PeerConfig, b: PeerConfig):
        self.driver, self.parsed = driver, {a.hostname: a, b.hostname: b}
        self.dropped: list[ReviewItem] = []

    def diffs(self, data: dict[str, Any]) -> dict[str, dict[str, tuple[Any, Any]]] | None:
        """Host -> differences of its projection, or None where the candidate is not a valid domain."""
        domain, problems = build_domain(data)
        if domain is None:
            return None
        return {h: _differences(cfg, self.driver.peer_config(domain, h)) for h, cfg in self.parsed.items()}

    @staticmethod
    def cost(diffs: dict[str, dict[str, Any]] | None) -> float:
        return float("inf") if diffs is None else sum(len(d) for d in diffs.values())

    def make_valid(self, data: dict[str, Any]) -> tuple[MlagDomain | None, list[DataProblem]]:
        """Build ``data``, leaving out what the model refuses (each a review item): an optional
        value first, else the LAG or VLAN it belongs to; other render variants are tried where
        the default one refuses the pair."""
        for _ in range(64):
            domain, problems = build_domain(data)
            if domain is not None:
                return domain, []
            variant = self._other_variant(data)
            if variant is not None:
                data.clear()
                data.update(variant)
                continue
            if not self._drop_refused(data, problems):
                return None, problems
        return build_domain(data)

    def _other_variant(self, data: dict[str, Any]) -> dict[str, Any] | None:
        if any("variant" in p for p in data["peers"]):
            return None
        for variant in self.driver.variants[1:]:
            trial = copy.deepcopy(data)
            for p in trial["peers"]:
                p["variant"] = variant
            if build_domain(trial)[0] is not None:
                return trial
        return None

    def _drop_refused(self, data: dict[str, Any], problems: list[DataProblem]) -> bool:
        progress = False
        for problem in problems:
            path = problem.path
            if path and not has_path(data, path) and path[0] == "peers" and len(path) > 2:
                path = ("peers", 1 - path[1], *path[2:])  # a pairing rule names one peer; the other may hold the value
            if not path or not has_path(data, path):
                continue
            target = self._droppable(path)
            if target is None or not has_path(data, target):
                continue
            host = data["peers"][target[1]]["hostname"] if target[0] == "peers" else None
            self.dropped.append(ReviewItem(dotted(label(data, target)), f"the model refuses it: {problem.message}", host, {"intent": copy.deepcopy(get_path(data, target))}))
            delete_path(data, target)
            progress = True
        return progress

    @staticmethod
    def _droppable(path: DataPath) -> DataPath | None:
        """The part of the data to leave out for a refused value at ``path``."""
        lag_vlans = path[0] == "mlag_interfaces" and path[-1] == "vlans"
        if path[-1] not in REQUIRED_KEYS and isinstance(path[-1], str) and not lag_vlans:
            return path
        if path[0] in ("mlag_interfaces", "vlans") and len(path) > 1 and isinstance(path[1], int):
            return path[:2]
        return None


# --- the draft -----------------------------------------------------------------------------------
@dataclass
class _Draft:
    data: dict[str, Any]
    conflicts: list[tuple[DataPath, str, Any, Any]] = field(default_factory=list)
    """(path in data, label, value on a, value on b) of shared values the peers disagree on."""
    review: list[ReviewItem] = field(default_factory=list)


def _shared(draft: _Draft, path: DataPath, label: str, va: Any, vb: Any, target: dict[str, Any] | None = None) -> None:
    """Put one shared value into the draft; a disagreement is remembered as a conflict."""
    container = draft.data if target is None else target
    value = va if va is not None else vb
    if value is None:
        return
    set_path(container, path if target is None else path[-1:], value)
    if va != vb:
        draft.conflicts.append((path, label, va, vb))


def _lag_number(driver: MlagDriver, name: str | None) -> int | None:
    return None if name is None else driver.lag_number(name)


def _draft(driver: MlagDriver, a: PeerConfig, b: PeerConfig, group: str) -> _Draft:
    draft = _Draft({"name": group})
    d = draft.data
    ha, hb = a.hostname, b.hostname
    identity_a = driver.domain_identity(a.domain_id) if a.domain_id else {}
    identity_b = driver.domain_identity(b.domain_id) if b.domain_id else {}
    for key in sorted(identity_a.keys() | identity_b.keys()):
        _shared(draft, (key,), key, identity_a.get(key), identity_b.get(key))
    if "domain_id" not in d:
        d["domain_id"] = 1
        draft.review.append(ReviewItem("domain_id", "neither configuration names the domain; 1 was written", values={ha: None, hb: None}))
    for key, where in (("system_mac", ("system", "mac")), ("system_priority", ("system", "priority")), ("peer_vlan", ("peer_vlan",)), ("service_id", ("service_id",))):
        _shared(draft, where, key, getattr(a, key), getattr(b, key))
    for key in ("peer_gateway", "peer_switch"):
        _shared(draft, (key,), key, getattr(a, key), getattr(b, key))
    for key in ("mode", "priority", "mlag_mode", "bridge_address"):
        _shared(draft, ("stp", key), f"stp.{key}", getattr(a.stp, key), getattr(b.stp, key))
    for key in ("restore_delay", "non_mlag_restore_delay", "auto_recovery", "auto_recovery_delay"):
        _shared(draft, ("timers", key), f"timers.{key}", getattr(a.timers, key), getattr(b.timers, key))
    if a.authentication or b.authentication:
        _shared(draft, ("authentication", "mode"), "authentication", a.authentication, b.authentication)
        d["authentication"]["password"] = PASSWORD_PLACEHOLDER
        draft.review.append(ReviewItem("authentication.password", f"the device prints the password ciphered; {PASSWORD_PLACEHOLDER!r} was written: set the real one", values={ha: a.authentication, hb: b.authentication}))
    _vlans(draft, a, b)
    _lags(driver, draft, a, b)
    _lag_vlans_defined(draft)
    d["peers"] = [_peer(driver, draft, me, other) for me, other in ((a, b), (b, a))]
    if driver.uses_peer_vlan and not all("peer_address" in p for p in d["peers"]):
        for peer, address in zip(d["peers"], PEER_ADDRESS_PLACEHOLDERS):
            if "peer_address" not in peer:
                peer["peer_address"] = address
                draft.review.append(ReviewItem("peer_address", f"{driver.platform} needs the peer-VLAN address of each peer and the configuration gives none; {address} (TEST-NET) was written: set the real one", peer["hostname"], {ha: a.local_address, hb: b.local_address}))
    return draft


MAX_ADDED_VLANS = 64
"""Undefined VLANs a LAG allows that the import adds to the domain's VLANs (the model wants every
LAG VLAN defined); beyond that (``allowed vlan 1-4093``) the LAG keeps only the defined ones."""


def _lag_vlans_defined(draft: _Draft) -> None:
    """The model wants every VLAN a LAG carries among the domain's VLANs; a running config may
    allow VLANs it never defines. VLAN 1 exists everywhere and is added; a few other undefined
    ones are added too (a difference the projection shows becomes a review item), a whole range
    is narrowed to the defined VLANs instead."""
    d = draft.data
    defined = {v["id"] for v in d["vlans"]}
    wanted = {vid for lag in d["mlag_interfaces"] for vid in lag["vlans"]} - defined
    added = {1} & wanted if len(wanted) > MAX_ADDED_VLANS else wanted
    d["vlans"] += [{"id": vid} for vid in sorted(added)]  # appended: conflicts hold indexes of the others
    defined |= added
    for lag in d["mlag_interfaces"]:
        if not set(lag["vlans"]) <= defined:
            lag["vlans"] = [v for v in lag["vlans"] if v in defined]


def _vlans(draft: _Draft, a: PeerConfig, b: PeerConfig) -> None:
    names_a = {v.id: v.name for v in a.vlans}
    names_b = {v.id: v.name for v in b.vlans}
    vlans = []
    for vid in sorted(names_a.keys() | names_b.keys()):
        entry: dict[str, Any] = {"id": vid}
        k = len(vlans)
        vlans.append(entry)
        if vid not in names_a or vid not in names_b:
            draft.conflicts.append((("vlans", k), f"vlans[{vid}]", vid in names_a, vid in names_b))
        na, nb = names_a.get(vid), names_b.get(vid)
        if na is not None or nb is not None:
            entry["name"] = na if na is not None else nb
            if vid in names_a and vid in names_b and na != nb:
                draft.conflicts.append((("vlans", k, "name"), f"vlans[{vid}].name", na, nb))
    draft.data["vlans"] = vlans


_LAG_SHARED = ("description", "lacp_mode", "lacp_rate", "mode", "native_vlan", "mtu", "min_links", "lacp_fallback", "lacp_fallback_timeout", "admin_key")


def _lags(driver: MlagDriver, draft: _Draft, a: PeerConfig, b: PeerConfig) -> None:
    ha, hb = a.hostname, b.hostname
    by_a = {i.mlag_id: i for i in a.mlag_interfaces}
    by_b = {i.mlag_id: i for i in b.mlag_interfaces}
    out: list[dict[str, Any]] = []
    for mid in sorted(by_a.keys() | by_b.keys()):
        la, lb = by_a.get(mid), by_b.get(mid)
        if la is None or lb is None:
            only, cfg = (ha, la) if la is not None else (hb, lb)
            assert cfg is not None
            draft.review.append(ReviewItem(f"mlag_interfaces[{mid}]", f"MLAG {mid} ({cfg.interface}) is configured on {only} only; an MLAG interface spans both peers, so it was left out", only, {ha: la.interface if la else None, hb: lb.interface if lb else None}))
            continue
        pa, pb = _lag_number(driver, la.interface), _lag_number(driver, lb.interface)
        if pa is None or pb is None:
            bad = (ha, la.interface) if pa is None else (hb, lb.interface)
            draft.review.append(ReviewItem(f"mlag_interfaces[{mid}].interface", f"{bad[1]!r} is not a {driver.platform} port-channel name the model can number; MLAG {mid} was left out", bad[0], {ha: la.interface, hb: lb.interface}))
            continue
        k = len(out)
        lag: dict[str, Any] = {"mlag_id": mid, "port_channel": pa if pa == pb else {ha: pa, hb: pb}}
        lag["members"] = list(la.members) if la.members == lb.members else {ha: list(la.members), hb: list(lb.members)}
        out.append(lag)
        for key in _LAG_SHARED:
            va, vb = getattr(la, key), getattr(lb, key)
            if key == "lacp_fallback":
                va, vb = bool(va), bool(vb)
            _shared(draft, ("mlag_interfaces", k, key), f"mlag_interfaces[{mid}].{key}", va, vb, target=lag)
        va, vb = la.vlans, lb.vlans
        lag["vlans"] = list(va if va or not vb else vb)
        if va != vb:
            draft.conflicts.append((("mlag_interfaces", k, "vlans"), f"mlag_interfaces[{mid}].vlans", va, vb))
    draft.data["mlag_interfaces"] = out


def _peer(driver: MlagDriver, draft: _Draft, me: PeerConfig, other: PeerConfig) -> dict[str, Any]:
    host = me.hostname
    peer: dict[str, Any] = {"hostname": host, "platform": driver.platform}
    if me.role:
        peer["role"] = me.role
    if me.role_priority is not None:
        peer["role_priority"] = me.role_priority
    ka, oka = me.keepalive, other.keepalive
    source = (ka.source if ka else None) or (oka.destination if oka else None)
    destination = (ka.destination if ka else None) or (oka.source if oka else None)
    if source is None or destination is None:
        first = me.hostname < other.hostname
        source = source or (KEEPALIVE_PLACEHOLDERS[0] if first else KEEPALIVE_PLACEHOLDERS[1])
        destination = destination or (KEEPALIVE_PLACEHOLDERS[1] if first else KEEPALIVE_PLACEHOLDERS[0])
        draft.review.append(ReviewItem("keepalive", f"the model needs keepalive addresses and the configurations do not give them; {source} -> {destination} (TEST-NET) was written: set the real ones", host, {me.hostname: _dump(ka), other.hostname: _dump(oka)}))
    keepalive: dict[str, Any] = {"source": source, "destination": destination}
    if ka and ka.vrf:
        keepalive["vrf"] = ka.vrf
    peer["keepalive"] = keepalive
    pl = me.peer_link
    if pl is not None:
        link: dict[str, Any] = {"port_channel": _lag_number(driver, pl.interface), "members": list(pl.members)}
        if pl.vlans is not None:
            link["vlans"] = list(pl.vlans)
        if pl.description is not None:
            link["description"] = pl.description
        peer["peer_link"] = link
    address = _peer_vlan_address(me.local_address, other.local_address)
    if address:
        peer["peer_address"] = address
    chassis = {i.chassis_id for i in me.mlag_interfaces if i.chassis_id is not None}
    if len(chassis) == 1:
        peer["chassis_id"] = chassis.pop()
    return peer


def _peer_vlan_address(mine: str | None, theirs: str | None) -> str | None:
    """The peer-VLAN address as the model takes it (a /30 or /31): as configured where it is
    one, else the same address in the smallest such subnet holding both peers (the wider
    configured prefix is then a review item, as a difference of the projection)."""
    try:
        me = IPv4Interface(mine) if mine else None
        other = IPv4Interface(theirs).ip if theirs else None
    except ValueError:
        return None
    if me is None:
        return None
    if me.network.prefixlen in (30, 31):
        return str(me)
    for prefix in (31, 30):
        candidate = IPv4Interface(f"{me.ip}/{prefix}")
        net = candidate.network
        hosts = {net.network_address, net.broadcast_address} if prefix == 30 else set()
        if (other is None or other in net) and me.ip not in hosts and other not in hosts:
            return str(candidate)
    return None


def _dump(value: Any) -> Any:
    return value.model_dump() if hasattr(value, "model_dump") else value


# --- the import ----------------------------------------------------------------------------------
def default_group(a: str, b: str) -> str:
    """A group name for a pair: the hostnames' common stem (``leaf1a``/``leaf1b`` -> ``leaf1_pair``)."""
    common = ""
    for x, y in zip(a, b):
        if x != y:
            break
        common += x
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", common).strip("_")
    return f"{stem}_pair" if stem else re.sub(r"[^A-Za-z0-9_]+", "_", f"{a}_{b}")


def import_pair(a: PeerConfig, b: PeerConfig, group: str | None = None, texts: tuple[str, str] | None = None) -> ImportResult:
    """The MlagDomain whose projection on each host equals the parsed ``a`` and ``b``, with its
    inventory data and the review items (see the module docstring). ``texts``, the running
    configurations themselves, let the driver point out the MLAG lines its parser passes over
    (``MlagDriver.unmodelled_lines``): they are review items too."""
    ha, hb = a.hostname or "peer_a", b.hostname or "peer_b"
    name = group or default_group(ha, hb)
    result = ImportResult(group=name, platform=a.platform, hosts=[ha, hb], configs=[a, b])
    if a.platform != b.platform:
        result.error = f"{ha} is {a.platform} and {hb} is {b.platform}: an MLAG pair runs one platform"
        return result
    if ha == hb:
        result.error = f"both configurations are of host {ha}"
        return result
    empty = [cfg.hostname or "?" for cfg in (a, b) if cfg.is_empty()]
    if empty:
        result.error = f"no MLAG configuration in {', '.join(empty)}"
        return result
    a, b = a.model_copy(update={"hostname": ha}), b.model_copy(update={"hostname": hb})
    driver = get_driver(a.platform)
    if a.peer_link is None or b.peer_link is None or _lag_number(driver, a.peer_link.interface) is None or _lag_number(driver, b.peer_link.interface) is None or not a.peer_link.members or not b.peer_link.members:
        missing = [c.hostname for c in (a, b) if c.peer_link is None or not c.peer_link.members or _lag_number(driver, c.peer_link.interface) is None]
        result.error = f"no readable peer-link (port-channel and members) on {', '.join(str(m) for m in missing)}"
        return result
    draft = _draft(driver, a, b, name)
    search = _Search(driver, a, b)
    data = _choose_roles(search, draft.data, a, b)
    if data is None:
        return _unbuildable(result, search, draft)
    data = _resolve_conflicts(search, data, draft.conflicts)
    data = _minimise(search, data)
    domain, problems = build_domain(data)
    if domain is None:  # pragma: no cover - every step keeps a valid candidate
        result.error = "; ".join(p.message for p in problems)
        return result
    result.domain = domain
    result.review = draft.review + _remaining(search, data, draft.conflicts, search.dropped, draft.review) + _parser_notes(a) + _parser_notes(b)
    for cfg, text in zip((a, b), texts or ()):
        lines = driver.unmodelled_lines(text)
        if lines:
            result.review.append(ReviewItem("unmodelled", f"MLAG settings {driver.platform}'s model has no field for; the import leaves them out", cfg.hostname, lines=lines))
    result.group_data, result.host_data = inventory_data(data)
    return result


def _unbuildable(result: ImportResult, search: _Search, draft: _Draft) -> ImportResult:
    _, problems = search.make_valid(copy.deepcopy(draft.data))
    result.error = "the model cannot express this pair: " + "; ".join(f"{dotted(p.path or ())}: {p.message}" for p in problems)
    result.review = draft.review + search.dropped
    return result


def _choose_roles(search: _Search, data: dict[str, Any], a: PeerConfig, b: PeerConfig) -> dict[str, Any] | None:
    """The role assignment whose projection fits best (the parsers report a role only where the
    platform configures one; elsewhere the driver's validation and derived values decide)."""
    options = [("primary", "secondary"), ("secondary", "primary")]
    if a.role or b.role:
        ra = a.role or ("secondary" if b.role == "primary" else "primary")
        options = [(ra, "secondary" if ra == "primary" else "primary")]
    best: tuple[float, dict[str, Any], list[ReviewItem]] | None = None
    for ra, rb in options:
        trial = copy.deepcopy(data)
        trial["peers"][0]["role"], trial["peers"][1]["role"] = ra, rb
        search.dropped = []
        domain, _ = search.make_valid(trial)
        if domain is None:
            continue
        cost = search.cost(search.diffs(trial))
        if best is None or cost < best[0]:
            best = (cost, trial, search.dropped)
    if best is None:
        search.dropped = []
        return None
    search.dropped = best[2]
    return best[1]


def _resolve_conflicts(search: _Search, data: dict[str, Any], conflicts: list[tuple[DataPath, str, Any, Any]]) -> dict[str, Any]:
    """Each conflict's other value, kept where the projection fits better with it."""
    current = search.cost(search.diffs(data))
    for path, _label_, va, vb in conflicts:
        if not has_path(data, path) or isinstance(va, bool) and path[0] == "vlans" and len(path) == 2:
            continue
        trial = copy.deepcopy(data)
        if vb is None:
            delete_path(trial, path)
        else:
            set_path(trial, path, vb)
        cost = search.cost(search.diffs(trial))
        if cost < current:
            data, current = trial, cost
    return data


_OPTIONAL_DOMAIN = [
    ("domain_name",), ("system", "mac"), ("system", "priority"), ("peer_vlan",), ("service_id",), ("peer_gateway",), ("peer_switch",),
    ("stp", "mode"), ("stp", "priority"), ("stp", "mlag_mode"), ("stp", "bridge_address"),
    ("timers", "restore_delay"), ("timers", "non_mlag_restore_delay"), ("timers", "auto_recovery"), ("timers", "auto_recovery_delay"),
]
_OPTIONAL_PEER = [("role_priority",), ("chassis_id",), ("keepalive", "vrf"), ("peer_link", "vlans")]
_OPTIONAL_LAG = ["description", "native_vlan", "mtu", "min_links", "lacp_fallback_timeout", "admin_key", "lacp_rate", "lacp_mode", "mode", "lacp_fallback"]


def _minimise(search: _Search, data: dict[str, Any]) -> dict[str, Any]:
    """Leave out every value the projection does not need (a default the driver fills in)."""
    base = search.diffs(data)
    assert base is not None
    target = {h: set(d) for h, d in base.items()}

    def fits(trial: dict[str, Any]) -> bool:
        diffs = search.diffs(trial)
        return diffs is not None and all(set(d) <= target[h] for h, d in diffs.items())

    def try_drop(paths: list[DataPath]) -> None:
        nonlocal data
        paths = [p for p in paths if has_path(data, p)]
        if not paths:
            return
        trial = copy.deepcopy(data)
        for p in sorted(paths, reverse=True, key=lambda p: tuple(str(x) for x in p)):
            delete_path(trial, p)
        if fits(trial):
            data = trial
        elif len(paths) > 1:
            half = len(paths) // 2
            try_drop(paths[:half])
            try_drop(paths[half:])

    for path in _OPTIONAL_DOMAIN:
        try_drop([path])
    for path in _OPTIONAL_PEER:
        try_drop([("peers", k, *path) for k in range(2)])
    for key in _OPTIONAL_LAG:
        try_drop([("mlag_interfaces", k, key) for k in range(len(data["mlag_interfaces"]))])
    try_drop([("vlans", k, "name") for k in range(len(data["vlans"]))])
    for vid in _implicit_vlans(data):
        index = next((k for k, v in enumerate(data["vlans"]) if v["id"] == vid), None)
        if index is not None:
            try_drop([("vlans", index)])
    return data


def _implicit_vlans(data: dict[str, Any]) -> list[int]:
    """VLANs a platform may print without the intent listing them: VLAN 1 and the peer VLAN."""
    return sorted({1, data.get("peer_vlan", 4094)})


def _covers(item: ReviewItem, host: str, path: str) -> bool:
    return item.host in (None, host) and (path == item.field or path.startswith(item.field + ".") or path.startswith(item.field + "["))


def _remaining(search: _Search, data: dict[str, Any], conflicts: list[tuple[DataPath, str, Any, Any]], dropped: list[ReviewItem], known: list[ReviewItem]) -> list[ReviewItem]:
    """What the chosen intent still renders differently from the running configs. A value the
    model refused is reported (with the model's reason) only where leaving it out changed the
    render: a refused value that was the platform's default (native VLAN 1 outside a trunk's
    allowed list) is no loss."""
    diffs = search.diffs(data) or {}
    explained: list[ReviewItem] = []
    for item in dropped:
        hits = [(h, k) for h, found in diffs.items() if item.host in (None, h) for k in found if k == item.field or k.startswith(item.field + ".")]
        if hits:
            item.values.update({h: diffs[h][k][0] for h, k in hits})
            explained.append(item)
            for h, k in hits:
                del diffs[h][k]
    labels = {label: (va, vb) for _, label, va, vb in conflicts}
    ha, hb = list(search.parsed)
    out: list[ReviewItem] = []
    seen: set[str] = set()
    for host, found in diffs.items():
        for path, (parsed, projected) in found.items():
            if any(_covers(item, host, path) for item in known):
                continue  # a placeholder the draft already reported
            conflict = next((lab for lab in labels if path == lab or path.startswith(lab + ".")), None)
            other = hb if host == ha else ha
            other_value = _surface(search.parsed[other]).get(path)
            if conflict is not None:
                if conflict in seen:
                    continue
                seen.add(conflict)
                written = projected if path == conflict else _surface(search.driver.peer_config(build_domain(data)[0], host)).get(conflict)
                out.append(ReviewItem(conflict, "the peers disagree on a setting they must share", None, {ha: labels[conflict][0], hb: labels[conflict][1], "intent": written}))
            else:
                out.append(ReviewItem(path, "the intent model cannot express this value (import, render and parse give the intent value)", host, {host: parsed, other: other_value, "intent": projected}))
    return explained + out


def _parser_notes(cfg: PeerConfig) -> list[ReviewItem]:
    """MLAG statements the parser could not read, and its warnings: settings the import would
    otherwise lose without a word."""
    out = []
    if cfg.unread:
        out.append(ReviewItem("unread", "MLAG statements the parser does not know; the intent has no field for them", cfg.hostname, lines=list(cfg.unread)))
    out += [ReviewItem("warning", w, cfg.hostname) for w in cfg.warnings]
    return out


# --- a folder of running configs -----------------------------------------------------------------


def _addresses(cfg: PeerConfig) -> tuple[set[str], set[str]]:
    """(own addresses, addresses it names for its peer)."""
    own, peer = set(), set()
    if cfg.keepalive:
        own.add(cfg.keepalive.source or "")
        peer.add(cfg.keepalive.destination or "")
    if cfg.local_address:
        try:
            own.add(str(ip_interface(cfg.local_address).ip))
        except ValueError:
            pass
    if cfg.peer_address:
        peer.add(cfg.peer_address)
    return own - {""}, peer - {""}


def pair_score(a: PeerConfig, b: PeerConfig) -> int:
    """How surely two configs are the two peers of one pair (0: not at all): same platform and
    domain, then mirrored keepalive / peer addresses, then the same configured system id."""
    if a.platform != b.platform or a.hostname == b.hostname:
        return 0
    if a.domain_id != b.domain_id:
        return 0
    own_a, peer_a = _addresses(a)
    own_b, peer_b = _addresses(b)
    score = 2 * len(peer_a & own_b) + 2 * len(peer_b & own_a)
    if a.system_mac and a.system_mac == b.system_mac:
        score += 1
    return score


def pair_configs(configs: list[PeerConfig]) -> tuple[list[tuple[PeerConfig, PeerConfig]], list[PeerConfig]]:
    """Configs paired greedily by ``pair_score`` (best first); a config with no positive score
    left is unpaired. Addresses decide: many pairs share domain ids and peer-link names."""
    scored = sorted(((pair_score(a, b), i, j) for i, a in enumerate(configs) for j, b in enumerate(configs) if i < j), reverse=True)
    used: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score <= 0 or i in used or j in used:
            continue
        used |= {i, j}
        pairs.append((i, j))
    pairs.sort()
    return [(configs[i], configs[j]) for i, j in pairs], [c for k, c in enumerate(configs) if k not in used]


def config_files(directory: Path) -> list[Path]:
    """The running configs of a folder: its files with a config suffix (``.cfg``, ``.conf``,
    ``.txt``, as the audit looks them up), sorted; notes and other files are left alone."""
    from mlagauto.audit import CONFIG_SUFFIXES

    return sorted(f for f in directory.iterdir() if f.is_file() and f.suffix in CONFIG_SUFFIXES and not f.name.startswith("."))


def read_text(path: str | Path) -> str:
    """A saved configuration's text, a stray byte of any encoding replaced (as the audit reads it)."""
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def import_configs(paths: Iterable[str | Path], platform: str | None = None) -> list[ImportResult]:
    """Import every pair among running-config files (or the files of folders): peers are paired
    by domain id and mirrored keepalive / peer addresses; a file without a peer is a result with
    no domain and one review item."""
    from mlagauto.audit import read_config

    files: list[Path] = []
    for p in map(Path, paths):
        files += config_files(p) if p.is_dir() else [p]
    configs = [read_config(f, platform) for f in files]
    source = {id(c): str(f) for c, f in zip(configs, files)}
    text = {id(c): read_text(f) for c, f in zip(configs, files)}
    pairs, unpaired = pair_configs(configs)
    results = []
    for a, b in pairs:
        r = import_pair(a, b, texts=(text[id(a)], text[id(b)]))
        r.sources = {r.hosts[0]: source[id(a)], r.hosts[1]: source[id(b)]}
        results.append(r)
    for c in unpaired:
        host = c.hostname or Path(source[id(c)]).stem
        r = ImportResult(group=default_group(host, host), platform=c.platform, hosts=[host], sources={host: source[id(c)]})
        r.error = "no peer found among the files (no config with the same domain id and mirrored keepalive or peer addresses)"
        r.review.append(ReviewItem("peer", r.error, host, {host: c.domain_id}))
        results.append(r)
    return results


PRESERVED_HOST = (("variant",), ("keepalive", "interface"), ("keepalive", "prefix_length"))
"""Host ``data.mlag`` keys a running config does not show (PeerConfig has no such field): an
existing inventory's values are kept rather than erased by an import that cannot know them."""


def write_inventory(results: list[ImportResult], directory: str | Path) -> list[Path]:
    """Merge the imported pairs (those with a domain) into the SimpleInventory at ``directory``;
    see ``mlagauto.intent_data.write_inventory``."""
    return intent_data.write_inventory([r for r in results if r.domain is not None], directory, PRESERVED_HOST)


__all__ = ["ImportResult", "ReviewItem", "import_configs", "import_pair", "pair_configs", "write_inventory"]


# --- the review report -----------------------------------------------------------------------------
def report_markdown(results: list[ImportResult]) -> str:
    """import-report.md: per pair its status and every review item with the host, the field,
    the values on each host (and the intent's), and the configuration lines it came from."""
    counts = {s: sum(r.status == s for r in results) for s in ("lossless", "review", "failed")}
    lines = ["# MLAG import report", "", f"{len(results)} pair(s): {counts['lossless']} lossless, {counts['review']} with review items, {counts['failed']} failed.", ""]
    for r in results:
        lines += [f"## {r.group} ({', '.join(r.hosts)}, {r.platform}): {r.status}", ""]
        for host, src in r.sources.items():
            lines.append(f"- {host}: `{src}`")
        if r.sources:
            lines.append("")
        if r.error:
            lines += [f"Not imported: {r.error}", ""]
        if not r.review:
            if r.domain is not None:
                lines += ["Nothing to review: import, render and parse give back both running configurations' MLAG surface.", ""]
            continue
        lines += ["| host | field | reason | values | config lines |", "|---|---|---|---|---|"]
        for item in r.review:
            values = "; ".join(f"{k}: {markdown_cell(v)}" for k, v in item.values.items())
            source = "<br>".join(f"`{markdown_cell(x)}`" for x in item.lines)
            lines.append(f"| {item.host or '(shared)'} | `{item.field}` | {markdown_cell(item.reason)} | {markdown_cell(values) if len(values) < 400 else markdown_cell(values[:400])} | {source} |")
        lines.append("")
    return "\n".join(lines)
