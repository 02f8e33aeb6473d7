"""Migration: an MLAG pair of one platform -> the same pair on another.

The intent is vendor-neutral, so most of a migration is setting the peers' platform; the rest is
what the two platforms do not share, and each piece of it is said in a ``MigrationNote``:

1. interface names are mapped (an ``InterfaceMap``: a YAML map, per host or shared, and rules
   such as ``Ethernet1/{n} -> Ethernet{n}``; without one, each port's last number on the
   target's ``port_template``, and the management port to the target's own);
2. numbers are brought into the target's ranges: the domain id (Huawei's dfs-group is always 1),
   MLAG ids and port-channel numbers out of range take the lowest free number in range;
3. what the target needs and the source never had is chosen: a peer VLAN and peer addresses for
   a control session over the peer VLAN (EOS, Junos), the dfs-group password (Huawei);
4. the target driver's own validation then decides the rest: a value it refuses is converted
   where an equivalent exists (STP mode to MST, whose instance 0 speaks to RSTP and Rapid-PVST
   alike; passive LACP to active, which forms with every partner; a static LAG's rate to slow,
   which a static LAG never sends; a static LAG to LACP where the target has no static MLAG,
   flagged for review since the partner must change too), or else dropped, with the driver's reason, which names what
   replaces it on the target (``unsupported``), as the note.

Nothing is dropped without a note, and a value that cannot be dropped (a VLAN the target
reserves, an interface the map does not name) stops the migration with the field and host.
The result renders with the target's driver and is checked by the same audit as any pair.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any, Literal

import yaml

from mlagauto.drivers import get_driver, platforms
from mlagauto.drivers.base import MlagDriver
from mlagauto.intent_data import REQUIRED_KEYS, DataPath, DataProblem, build_domain, delete_path, dotted, get_path, has_path, inventory_data, label
from mlagauto.model.finding import Finding
from mlagauto.model.intent import MlagDomain
from mlagauto.report import markdown_cell, plural

PASSWORD_PLACEHOLDER = "CHANGE_ME_dfs1"
"""The dfs-group password written where none is given: valid, so the pair renders, and always a
review note."""

DEFAULT_PEER_SUBNET = IPv4Network("10.255.255.254/31")
"""Where the peer-VLAN addresses come from when the source platform had none and none is given."""

NoteKind = Literal["renamed", "converted", "dropped", "chosen", "identity"]


class MigrationInputError(ValueError):
    """The migration cannot be made as asked (an unknown platform, an interface the map does not
    name, a value the target cannot take); the message names the field and host."""


@dataclass
class MigrationNote:
    """One thing the target does differently from the source."""

    kind: NoteKind
    """``renamed`` (interfaces), ``converted`` (a value changed to its target equivalent),
    ``dropped`` (the target has no such option), ``chosen`` (a value the source had no need of),
    ``identity`` (what LACP partners and the network see changes)."""
    field: str
    """Dotted intent path (``timers.auto_recovery``, ``mlag_interfaces[11].lacp_mode``)."""
    message: str
    host: str | None = None
    before: Any = None
    after: Any = None
    review: bool = False
    """A person must check or replace the value before the pair is deployed."""


# --- interface names --------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)([+-]\d+)?\}")


@dataclass(frozen=True)
class InterfaceRule:
    """``Ethernet1/{n} -> Ethernet{n}``: each ``{name}`` of the source side matches a number, and
    the target side writes it, shifted where it says so (``xe-0/0/{n-1}``)."""

    text: str
    pattern: re.Pattern[str]
    target: str

    @classmethod
    def parse(cls, text: str) -> InterfaceRule:
        source, arrow, target = text.partition("->")
        source, target = source.strip(), target.strip()
        if not arrow or not source or not target:
            raise MigrationInputError(f"interface rule {text!r}: write it as 'SOURCE -> TARGET', e.g. 'Ethernet1/{{n}} -> Ethernet{{n}}'")
        regex, names, pos = "", [], 0
        for m in _PLACEHOLDER.finditer(source):
            if m.group(2):
                raise MigrationInputError(f"interface rule {text!r}: a shift such as {m.group(0)} belongs on the target side")
            if m.group(1) in names:
                raise MigrationInputError(f"interface rule {text!r}: {{{m.group(1)}}} appears twice on the source side")
            regex += re.escape(source[pos : m.start()]) + rf"(?P<{m.group(1)}>\d+)"
            names.append(m.group(1))
            pos = m.end()
        regex += re.escape(source[pos:])
        unknown = [m.group(1) for m in _PLACEHOLDER.finditer(target) if m.group(1) not in names]
        if unknown:
            raise MigrationInputError(f"interface rule {text!r}: {{{unknown[0]}}} is not on the source side")
        return cls(text, re.compile(regex, re.IGNORECASE), target)

    def apply(self, name: str) -> str | None:
        m = self.pattern.fullmatch(name)
        if m is None:
            return None
        values = {k: int(v) for k, v in m.groupdict().items()}
        return _PLACEHOLDER.sub(lambda p: str(values[p.group(1)] + int(p.group(2) or 0)), self.target)


@dataclass
class InterfaceMap:
    """Old interface name -> new: a host's own map first, then the shared map, then the rules
    in order."""

    shared: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, dict[str, str]] = field(default_factory=dict)
    rules: list[InterfaceRule] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.shared or self.hosts or self.rules)

    def lookup(self, host: str, name: str) -> str | None:
        for table in (self.hosts.get(host, {}), self.shared):
            if name in table:
                return table[name]
        for rule in self.rules:
            new = rule.apply(name)
            if new is not None:
                return new
        return None

    @classmethod
    def from_specs(cls, specs: Iterable[str]) -> InterfaceMap:
        """Each spec is a rule (``A -> B``) or a YAML file; later specs come after earlier ones."""
        out = cls()
        for spec in specs:
            part = cls(rules=[InterfaceRule.parse(spec)]) if "->" in spec and not Path(spec).is_file() else cls.load(Path(spec))
            out.shared.update(part.shared)
            for host, table in part.hosts.items():
                out.hosts.setdefault(host, {}).update(table)
            out.rules += part.rules
        return out

    @classmethod
    def load(cls, path: Path) -> InterfaceMap:
        """A YAML file: either a plain ``old: new`` mapping, or the sections ``interfaces``
        (shared), ``hosts`` (``host: {old: new}``) and ``rules`` (a list of ``A -> B``)."""
        if not path.is_file():
            raise MigrationInputError(f"--interface-map {path}: file not found (or give a rule such as 'Ethernet1/{{n}} -> Ethernet{{n}}')")
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise MigrationInputError(f"{path}: not readable YAML ({str(exc).splitlines()[0]})") from None
        if content is None:
            return cls()
        if not isinstance(content, dict):
            raise MigrationInputError(f"{path}: expected a mapping of interface names (or interfaces / hosts / rules), found {type(content).__name__}")
        if set(content) <= {"interfaces", "hosts", "rules"}:
            shared = _names(path, "interfaces", content.get("interfaces") or {})
            hosts_section = content.get("hosts") or {}
            if not isinstance(hosts_section, dict):
                raise MigrationInputError(f"{path}: hosts: expected host: {{old: new}}")
            hosts = {str(h): _names(path, f"hosts.{h}", t or {}) for h, t in hosts_section.items()}
            rules = content.get("rules") or []
            if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
                raise MigrationInputError(f"{path}: rules: expected a list of 'SOURCE -> TARGET' strings")
            return cls(shared, hosts, [InterfaceRule.parse(r) for r in rules])
        return cls(shared=_names(path, "(top level)", content))


def _names(path: Path, where: str, table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        raise MigrationInputError(f"{path}: {where}: expected old: new interface names")
    out = {}
    for old, new in table.items():
        if not isinstance(new, str) or not new or any(ord(c) < 32 or c == "\x7f" for c in new):
            raise MigrationInputError(f"{path}: {where}.{old}: expected an interface name, found {new!r}")
        out[str(old)] = new
    return out


def _default_name(source: MlagDriver, target: MlagDriver, name: str) -> str | None:
    """The target's port with the same index as ``name``'s last number."""
    m = re.search(r"(\d+)\D*$", name)
    if m is None:
        return None
    return target.port_template.format(n=int(m.group(1)) - source.first_port + target.first_port)


def _interface_slots(data: dict[str, Any], k: int) -> list[tuple[str, DataPath]]:
    """(name, path) of every interface name on peer ``k``: peer-link members, the keepalive
    interface, and MLAG members (shared lists are read for each host)."""
    peer = data["peers"][k]
    host = peer["hostname"]
    out = [(n, ("peers", k, "peer_link", "members", i)) for i, n in enumerate(peer["peer_link"]["members"])]
    if peer["keepalive"].get("interface"):
        out.append((peer["keepalive"]["interface"], ("peers", k, "keepalive", "interface")))
    for j, lag in enumerate(data.get("mlag_interfaces", [])):
        members = lag["members"]
        names = members.get(host, []) if isinstance(members, dict) else members
        out += [(n, ("mlag_interfaces", j, "members", host, i)) for i, n in enumerate(names)]
    return out


def _rename(data: dict[str, Any], source: MlagDriver, target: MlagDriver, imap: InterfaceMap, notes: list[MigrationNote]) -> dict[str, dict[str, str]]:
    renames: dict[str, dict[str, str]] = {}
    missing, clashes = [], []
    for k, peer in enumerate(data["peers"]):
        host, table = peer["hostname"], {}
        for name, path in _interface_slots(data, k):
            if name in table:
                continue
            if path[-1] == "interface" and name.lower() == source.management_interface.lower():
                new = target.management_interface
            elif imap:
                new = imap.lookup(host, name)
            else:
                new = _default_name(source, target, name)
            if new is None:
                missing.append(f"{host} {name}")
            else:
                table[name] = new
        seen: dict[str, str] = {}
        for old, new in table.items():
            if new in seen:
                clashes.append(f"{host}: {seen[new]} and {old} both become {new}")
            seen[new] = old
        renames[host] = table
    if missing:
        how = "the interface map does not name" if imap else "no number to map in"
        raise MigrationInputError(f"interfaces {how}: {', '.join(missing)}; give them in --interface-map")
    if clashes:
        raise MigrationInputError(f"interface names collide on the target: {'; '.join(clashes)}; give --interface-map")
    for lag in data.get("mlag_interfaces", []):
        members = lag["members"]
        per_host = {p["hostname"]: [renames[p["hostname"]][n] for n in (members.get(p["hostname"], []) if isinstance(members, dict) else members)] for p in data["peers"]}
        first = next(iter(per_host.values()))
        lag["members"] = first if all(v == first for v in per_host.values()) else per_host
    for peer in data["peers"]:
        table = renames[peer["hostname"]]
        peer["peer_link"]["members"] = [table[n] for n in peer["peer_link"]["members"]]
        if peer["keepalive"].get("interface"):
            peer["keepalive"]["interface"] = table[peer["keepalive"]["interface"]]
    how = "by the interface map" if imap else f"by the default rule (the port's last number on {target.port_template}, first port {target.first_port}); give --interface-map for the new cabling"
    for host, table in renames.items():
        changed = {o: n for o, n in table.items() if o != n}
        if changed:
            notes.append(MigrationNote("renamed", "interfaces", f"{plural(len(changed), 'interface')} renamed {how}", host, review=not imap, before=list(changed), after=list(changed.values())))
    return renames


# --- numbers in the target's ranges ---------------------------------------------------------------
def _free(lo: int, hi: int, used: set[int]) -> int:
    n = next((n for n in range(lo, hi + 1) if n not in used), None)
    if n is None:
        raise MigrationInputError(f"no free number left in {lo}-{hi}")
    return n


def _fit_numbers(data: dict[str, Any], source: MlagDriver, target: MlagDriver, domain_id: int | None, notes: list[MigrationNote]) -> None:
    lo, hi = target.domain_id_range
    old = data["domain_id"]
    if domain_id is not None:
        if not lo <= domain_id <= hi:
            raise MigrationInputError(f"--domain-id {domain_id}: {target.platform} takes {lo}-{hi}")
        data["domain_id"] = domain_id
    elif not lo <= old <= hi:
        if lo != hi:
            raise MigrationInputError(f"domain_id {old} is outside {target.platform}'s range {lo}-{hi}; choose one with --domain-id")
        data["domain_id"] = lo
    if data["domain_id"] != old:
        notes.append(MigrationNote("converted", "domain_id", f"{target.platform} takes a domain id of {lo}-{hi}", before=old, after=data["domain_id"]))
    elif target.numbers_domain and not source.numbers_domain and domain_id is None:
        notes.append(MigrationNote("chosen", "domain_id", f"{source.platform} names the pair without a number; {target.platform} identifies it by domain_id {old}, which must be unique among the pairs of one network (--domain-id)", after=old, review=True))
    lags = data.get("mlag_interfaces", [])
    lo, hi = target.mlag_id_range
    ids = {lag["mlag_id"] for lag in lags}
    for lag in lags:
        if not lo <= lag["mlag_id"] <= hi:
            new = _free(lo, hi, ids)
            ids.add(new)
            notes.append(MigrationNote("converted", f"mlag_interfaces[{lag['mlag_id']}].mlag_id", f"{target.platform} takes MLAG ids {lo}-{hi}; both peers use the new id", before=lag["mlag_id"], after=new))
            lag["mlag_id"] = new
    _fit_port_channels(data, target, notes)


def _fit_port_channels(data: dict[str, Any], target: MlagDriver, notes: list[MigrationNote]) -> None:
    lo, hi = target.port_channel_range
    hosts = [p["hostname"] for p in data["peers"]]
    lags = data.get("mlag_interfaces", [])

    def on(lag: dict[str, Any], host: str) -> int:
        pc = lag["port_channel"]
        return pc[host] if isinstance(pc, dict) else pc

    used = {h: {p["peer_link"]["port_channel"] for p in data["peers"] if p["hostname"] == h} | {on(lag, h) for lag in lags} for h in hosts}
    for p in data["peers"]:
        pc = p["peer_link"]["port_channel"]
        if not lo <= pc <= hi:
            new = _free(lo, hi, used[p["hostname"]])
            used[p["hostname"]].add(new)
            p["peer_link"]["port_channel"] = new
            notes.append(MigrationNote("converted", "peer_link.port_channel", f"{target.platform} numbers port-channels {lo}-{hi}", p["hostname"], pc, new))
    for lag in lags:
        pc = lag["port_channel"]
        if isinstance(pc, dict):
            for h in hosts:
                if not lo <= pc[h] <= hi:
                    new = _free(lo, hi, used[h])
                    used[h].add(new)
                    notes.append(MigrationNote("converted", f"mlag_interfaces[{lag['mlag_id']}].port_channel", f"{target.platform} numbers port-channels {lo}-{hi}", h, pc[h], new))
                    pc[h] = new
        elif not lo <= pc <= hi:
            new = _free(lo, hi, set().union(*used.values()))
            for h in hosts:
                used[h].add(new)
            notes.append(MigrationNote("converted", f"mlag_interfaces[{lag['mlag_id']}].port_channel", f"{target.platform} numbers port-channels {lo}-{hi}", before=pc, after=new))
            lag["port_channel"] = new


# --- what the target needs and the source never had -------------------------------------------------
def _control_session(data: dict[str, Any], source: MlagDriver, target: MlagDriver, peer_subnet: IPv4Network | None, notes: list[MigrationNote], roles: dict[str, str]) -> None:
    """A peer VLAN and its two addresses where the target's peers talk over one (EOS, Junos)."""
    if not target.uses_peer_vlan or source.uses_peer_vlan:
        return
    used = {v["id"] for v in data.get("vlans", [])}
    for lag in data.get("mlag_interfaces", []):
        used |= set(lag.get("vlans", []))
    for p in data["peers"]:
        used |= set(p["peer_link"].get("vlans") or [])
    if data.get("peer_vlan") is None and 4094 in used:
        vlan = next(v for v in range(4093, 1, -1) if v not in used)
        data["peer_vlan"] = vlan
        notes.append(MigrationNote("chosen", "peer_vlan", f"{target.platform} runs the peers' control session on a VLAN of its own; 4094 is in use, so the highest free VLAN is taken", after=vlan))
    subnet = peer_subnet or DEFAULT_PEER_SUBNET
    if subnet.prefixlen not in (30, 31):
        raise MigrationInputError(f"--peer-subnet {subnet}: give a /31 or /30 for the two peer-VLAN addresses")
    addresses = list(subnet) if subnet.prefixlen == 31 else list(subnet.hosts())
    order = sorted(data["peers"], key=lambda p: roles[p["hostname"]] != "primary")
    for p, address in zip(order, addresses):
        p["peer_address"] = f"{address}/{subnet.prefixlen}"
        notes.append(
            MigrationNote(
                "chosen",
                "peer_address",
                f"{target.platform} runs the peers' control session over the peer VLAN {data.get('peer_vlan') or 4094}; "
                + ("from --peer-subnet" if peer_subnet else f"from the default {DEFAULT_PEER_SUBNET}: check that it is free in the routed network, or give --peer-subnet"),
                p["hostname"],
                after=p["peer_address"],
                review=peer_subnet is None,
            )
        )


def _clamp(data: dict[str, Any], target: MlagDriver, notes: list[MigrationNote]) -> None:
    """Numbers the target takes in a narrower range than the source (``value_ranges``) are
    brought to the nearest end of it."""
    for dotted_path, (lo, hi) in target.value_ranges.items():
        collection, per_item, attr = dotted_path.partition("[].")
        if per_item:
            places = [(item, attr, f"{collection}[{item.get('mlag_id', k)}].{attr}") for k, item in enumerate(data.get(collection, []))]
        else:
            *parents, attr = dotted_path.split(".")
            node = data
            for part in parents:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            places = [(node, attr, dotted_path)]
        for node, key, where in places:
            value = node.get(key) if isinstance(node, dict) else None
            if isinstance(value, int) and not isinstance(value, bool) and not lo <= value <= hi:
                node[key] = min(max(value, lo), hi)
                notes.append(MigrationNote("converted", where, f"{target.platform} takes {lo}-{hi}", before=value, after=node[key]))


# --- the target's validation decides the rest ---------------------------------------------------------
def _locate(data: dict[str, Any], problem: DataProblem) -> DataPath | None:
    path = problem.path
    if path and not has_path(data, path) and path[0] == "peers" and len(path) > 2:
        other = ("peers", 1 - path[1], *path[2:])  # a pairing rule names one peer; the other may hold the value
        if has_path(data, other):
            return other
    return path


def _host_of(data: dict[str, Any], path: DataPath) -> str | None:
    return data["peers"][path[1]]["hostname"] if path[:1] == ("peers",) and len(path) > 1 else None


def _resolve(data: dict[str, Any], path: DataPath | None, message: str, target: MlagDriver, password: str | None, notes: list[MigrationNote]) -> bool:
    """Make the problem at ``path`` go away by a conversion or by dropping the value, with a note."""
    if path == ("authentication",) and "authentication" not in data:
        data["authentication"] = {"password": password or PASSWORD_PLACEHOLDER}
        how = "from --dfs-password" if password else "a placeholder: set the pair's own password in the inventory (both peers)"
        notes.append(MigrationNote("chosen", "authentication.password", f"{target.platform} pairs only with dfs-group authentication; the password is {how}", review=password is None))
        return True
    if not path or not has_path(data, path):
        return False
    where, host, value = dotted(label(data, path)), _host_of(data, path), copy.deepcopy(get_path(data, path))
    if path == ("stp", "mode") and value != "mstp":
        data["stp"]["mode"] = "mstp"
        notes.append(MigrationNote("converted", where, f"{message}; MST instance 0 interoperates with RSTP and Rapid-PVST neighbours, configure MST regions to match the network", host, value, "mstp"))
        return True
    if path[-1] == "lacp_mode" and value == "passive":
        get_path(data, path[:-1])["lacp_mode"] = "active"
        notes.append(MigrationNote("converted", where, f"{message}; an active port forms with active and passive partners alike", host, value, "active"))
        return True
    if path[-1] == "lacp_mode" and value == "static":
        get_path(data, path[:-1])["lacp_mode"] = "active"
        notes.append(MigrationNote("converted", where, f"{message}; the partner must run LACP from the cutover on (a server bond generated from this LAG does)", host, value, "active", review=True))
        return True
    if path[-1] == "lacp_rate" and get_path(data, path[:-1]).get("lacp_mode") == "static":
        delete_path(data, path)
        notes.append(MigrationNote("converted", where, f"{message}; a static LAG sends no LACPDUs, so its rate means nothing", host, value, "slow"))
        return True
    lag_vlans = path[0] == "mlag_interfaces" and path[-1] == "vlans"
    vlan_name = path[0] == "vlans" and path[-1] == "name"  # ``name`` is required of the domain only
    if isinstance(path[-1], str) and (path[-1] not in REQUIRED_KEYS or vlan_name) and not lag_vlans:
        delete_path(data, path)
        notes.append(MigrationNote("dropped", where, message, host, value))
        return True
    return False


def _fit(data: dict[str, Any], target: MlagDriver, password: str | None, notes: list[MigrationNote]) -> MlagDomain:
    for _ in range(256):
        domain, problems = build_domain(data)
        if domain is not None:
            return domain
        progress, done = False, set()
        for problem in problems:
            path = _locate(data, problem)
            if path in done:
                continue
            if _resolve(data, path, problem.message, target, password, notes):
                progress = True
                done.add(path)
        if not progress:
            where = "; ".join(f"{_host_of(data, p.path) or 'domain'} {dotted(label(data, p.path)) if p.path and has_path(data, p.path) else dotted(p.path or ())}: {p.message}" for p in problems)
            raise MigrationInputError(f"{target.platform} cannot take this pair as it is: {where}")
    raise MigrationInputError("the migration did not settle")  # pragma: no cover - each round removes or converts a value


# --- the migration ----------------------------------------------------------------------------------
@dataclass
class Migration:
    """A pair migrated to another platform: the new domain, its inventory data, the notes."""

    group: str
    platform: str
    source_platform: str
    hosts: list[str]
    domain: MlagDomain
    source: MlagDomain
    notes: list[MigrationNote] = field(default_factory=list)
    renames: dict[str, dict[str, str]] = field(default_factory=dict)
    """Host -> old interface name -> new."""
    group_data: dict[str, Any] = field(default_factory=dict)
    host_data: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def review(self) -> list[MigrationNote]:
        return [n for n in self.notes if n.review]

    def configs(self) -> dict[str, str]:
        """The rendered configuration of each new peer."""
        driver = get_driver(self.platform)
        return {h: driver.render(self.domain, h) for h in self.hosts}

    def audit(self) -> list[Finding]:
        """The same audit as ``mlagauto audit``: the rendered pair parsed back, peer against peer
        and each against the intent."""
        from mlagauto.checks import audit_pair, drift

        driver = get_driver(self.platform)
        parsed = [driver.parse_config(text, hostname=h) for h, text in self.configs().items()]
        findings = audit_pair(*parsed)
        for host, observed in zip(self.hosts, parsed):
            findings += drift(driver.peer_config(self.domain, host), observed)
        return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.object))


def migrate_domain(
    domain: MlagDomain,
    to: str,
    interface_map: InterfaceMap | None = None,
    domain_id: int | None = None,
    peer_subnet: IPv4Network | None = None,
    dfs_password: str | None = None,
) -> Migration:
    """``domain`` on platform ``to``; see the module docstring. Raises MigrationInputError."""
    if to not in platforms():
        raise MigrationInputError(f"--to {to}: unknown platform; choose one of {', '.join(platforms())}")
    if to == domain.platform:
        raise MigrationInputError(f"{domain.name} already runs {to}")
    source, target = get_driver(domain.platform), get_driver(to)
    notes: list[MigrationNote] = []
    data = domain.model_dump(mode="json", exclude_defaults=True)
    roles = {h: domain.role_of(h) for h in domain.hostnames}
    for p in data["peers"]:
        p["platform"] = to
        p.pop("variant", None)
        if "role_priority" in p:
            notes.append(MigrationNote("dropped", "role_priority", f"priorities do not carry over between platforms (NX-OS: lower wins, Huawei: higher wins); {to} derives its election from the role, {roles[p['hostname']]}", p["hostname"], p.pop("role_priority")))
        vrf = p["keepalive"].get("vrf")
        before, after = vrf or source.default_keepalive_vrf, vrf or target.default_keepalive_vrf
        if before != after:
            notes.append(MigrationNote("converted", "keepalive.vrf", f"an unset keepalive VRF is {after or 'the global table'} on {to}, {before or 'the global table'} on {source.platform}: set keepalive.vrf where the keepalive network lives in a VRF", p["hostname"], before or "global table", after or "global table"))
    renames = _rename(data, source, target, interface_map or InterfaceMap(), notes)
    _fit_numbers(data, source, target, domain_id, notes)
    _control_session(data, source, target, peer_subnet, notes, roles)
    _clamp(data, target, notes)
    new = _fit(data, target, dfs_password, notes)
    _identity_notes(domain, new, notes)
    group_data, host_data = inventory_data(new.model_dump(mode="json", exclude_defaults=True))
    return Migration(domain.name, to, domain.platform, domain.hostnames, new, domain, notes, renames, group_data, host_data)


def _identity_notes(old: MlagDomain, new: MlagDomain, notes: list[MigrationNote]) -> None:
    """What a dual-homed server sees change: the LACP system id of the pair."""
    before = get_driver(old.platform).peer_config(old, old.hostnames[0]).system_mac
    after = get_driver(new.platform).peer_config(new, new.hostnames[0]).system_mac
    if before is None or before != after:  # one the switch derives is derived otherwise by another platform
        notes.append(
            MigrationNote(
                "identity",
                "system.mac",
                "LACP partners see another system id from the new pair, so every server bond renegotiates at the cutover: move the LAGs in a window",
                before=before or f"derived by {old.platform}",
                after=after or f"derived by {new.platform}",
            )
        )


def report_markdown(m: Migration, findings: list[Finding]) -> str:
    """migration-report.md: the notes by kind, the interface renames and the audit's result."""
    lines = [f"# MLAG migration: {m.group} from {m.source_platform} to {m.platform}", ""]
    lines += [f"{len(m.notes)} note(s), {len(m.review)} to review before deploying; the audit of the rendered pair: {audit_line(findings)}.", ""]
    if m.notes:
        lines += ["| kind | host | field | what happens | before | after | review |", "|---|---|---|---|---|---|---|"]
        for n in m.notes:
            lines.append(f"| {n.kind} | {n.host or '(both)'} | `{n.field}` | {markdown_cell(n.message, 400)} | {markdown_cell(_shown(n.before))} | {markdown_cell(_shown(n.after))} | {'yes' if n.review else ''} |")
        lines.append("")
    lines += ["## Interfaces", "", "| host | old | new |", "|---|---|---|"]
    lines += [f"| {h} | {o} | {n} |" for h, table in m.renames.items() for o, n in table.items()]
    lines.append("")
    if findings:
        lines += ["## Audit", "", "| severity | rule | object | message |", "|---|---|---|---|"]
        lines += [f"| {f.severity.value} | {f.rule} | {markdown_cell(f.object)} | {markdown_cell(f.message)} |" for f in findings]
        lines.append("")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def audit_line(findings: list[Finding]) -> str:
    from mlagauto.report import PairReport, counts_line

    return counts_line([PairReport(hosts=[], domain_id=None, findings=findings)])
