"""Nornir inventory -> Fabric.

Convention (documented in the README): a group per MLAG domain carries the shared data under
``data.mlag``; each host in that group carries its own side under ``data.mlag`` and its
``platform``. Any Nornir inventory works (SimpleInventory files, NetBox, ...); library users can
also pass plain dicts. Errors name the file (when there is one), the host or group and the field.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlagauto.model.intent import Fabric, MlagDomain
from mlagauto.model.problems import IntentError
from mlagauto.model.types import ONE_VALUE, PER_HOST


@dataclass
class InventoryError(Exception):
    """Bad inventory input; every message names where and what."""

    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.messages)


@dataclass
class _Source:
    """Where host and group data came from, for error messages."""

    host_file: str = "hosts"
    group_file: str = "groups"


@dataclass
class _Host:
    name: str
    platform: str | None
    groups: list[str]
    mlag: Any


def load_fabric(source: str | Path | Any, jobs: int | None = None) -> Fabric:
    """Build a Fabric from an inventory directory (SimpleInventory ``hosts.yaml``/``groups.yaml``/
    ``defaults.yaml``) or from a ``Nornir`` object. ``jobs`` caps the processes that read a
    large file (``inventory_yaml.load``; default one per core, 1 reads in this process)."""
    with collector_paused():
        if isinstance(source, (str, Path)):
            return _from_directory(Path(source), jobs)
        return fabric_from_nornir(source)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector off (it is turned back on after, if
    it was on). Reading an inventory only creates objects that stay alive, and every collection
    walks all of them again: with a 1,000-pair inventory (a million YAML nodes, then half a
    million models) the collector took 60% of the load. Nothing read here forms a cycle that
    needs the collector; reference counting frees the rest as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _from_directory(path: Path, jobs: int | None) -> Fabric:
    """A SimpleInventory directory read the way Nornir's SimpleInventory reads it (a host's
    platform from itself, else its groups depth-first, else the defaults), but each file parsed
    once with libyaml: a 1,000-pair inventory is megabytes of YAML, and the pure-Python parsers
    spent seconds on it before any MLAG work began."""
    if not path.is_dir():
        raise InventoryError([f"{path}: inventory directory not found"])
    hosts, groups, defaults = (path / n for n in ("hosts.yaml", "groups.yaml", "defaults.yaml"))
    if not hosts.is_file():
        raise InventoryError([f"{hosts}: file not found"])
    loaded: dict[Path, Any] = {}
    problems: dict[Path, list[str]] = {}
    ahead: _ValidateAhead | None = None
    for f in (hosts, defaults, groups):  # groups.yaml last: its domains are validated as its pieces arrive
        if f.is_file():
            if f == groups:
                ahead = _ValidateAhead.of(loaded.get(hosts), loaded.get(defaults))
            loaded[f], problems[f] = _load_yaml(f, jobs, ahead)
    errors = [m for f in (hosts, groups, defaults) for m in problems.get(f, [])]
    if errors:
        raise InventoryError(errors)
    errors = [m for f, kind in ((hosts, "host"), (groups, "group")) if f in loaded for m in _file_shape(f, kind, loaded[f])]
    if defaults in loaded:
        errors += _defaults_shape(defaults, loaded[defaults])
    host_entries: Mapping[str, Any] = loaded.get(hosts) or {}
    group_entries: Mapping[str, Any] = loaded.get(groups) or {}
    if not errors:
        errors = _group_references(hosts, host_entries, groups, group_entries)
    if errors:
        raise InventoryError(errors)
    default_platform = (loaded.get(defaults) or {}).get("platform")
    src = _Source(str(hosts), str(groups))
    found = [
        _Host(str(name), _inherited_platform(entry or {}, group_entries, default_platform), _ancestors(entry or {}, group_entries), _mlag_of((entry or {}).get("data"), f"{src.host_file}: host {name}", errors))
        for name, entry in host_entries.items()
    ]
    domain_data = {str(name): _mlag_of((entry or {}).get("data"), f"{src.group_file}: group {name}", errors) for name, entry in group_entries.items()}
    if errors:
        raise InventoryError(errors)
    return build_fabric(found, domain_data, src, ahead.validated if ahead else None)


@dataclass
class _Ahead:
    """A domain validated before the whole groups file was read, and the very objects it was
    validated from: the group's ``data.mlag`` and each member's name, platform and ``data.mlag``."""

    group_data: Any
    peers: list[tuple[str, Any, Any]]
    domain: MlagDomain

    def matches(self, group_data: Any, hosts: list[_Host]) -> bool:
        """Whether the build would validate the same input: the same objects, by identity (a
        re-read or a different member, platform or group gives other objects)."""
        return group_data is self.group_data and len(hosts) == len(self.peers) and all(h.name is n and h.platform is p and h.mlag is m for h, (n, p, m) in zip(hosts, self.peers))


class _ValidateAhead:
    """Validates the domains of groups.yaml piece by piece, while the reader's workers still
    parse the pieces after it (``inventory_yaml.load``'s ``on_piece``). Validation is a third
    of reading a large inventory and needs only one core; the parse keeps both busy until its
    last pieces, so the two overlap. A guess, never an answer: the members are the hosts that
    list the group directly, the platform is inherited from the groups read so far, and
    whatever fails or raises here is left to the build. The build takes a domain from here only
    where ``_Ahead.matches``; everything else, errors included, it validates itself as before."""

    def __init__(self, hosts_of: dict[str, list[tuple[str, Mapping[str, Any]]]], default_platform: Any):
        self.hosts_of = hosts_of
        self.default_platform = default_platform
        self.groups_read: dict[Any, Any] = {}
        self.validated: dict[str, _Ahead] = {}

    @classmethod
    def of(cls, host_entries: Any, defaults: Any) -> _ValidateAhead | None:
        if not isinstance(host_entries, Mapping) or not (defaults is None or isinstance(defaults, Mapping)):
            return None
        hosts_of: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
        for name, entry in host_entries.items():
            member_of = entry.get("groups") if isinstance(entry, Mapping) else None
            if isinstance(member_of, list):
                for g in member_of:
                    if isinstance(g, str):
                        hosts_of.setdefault(g, []).append((str(name), entry))
        return cls(hosts_of, (defaults or {}).get("platform"))

    def __call__(self, part: dict[Any, Any]) -> None:
        self.groups_read.update(part)
        for name, entry in part.items():
            try:
                self._validate(str(name), entry)
            except Exception:  # noqa: BLE001 - a guess that fails costs only its head start
                continue

    def _validate(self, name: str, entry: Any) -> None:
        group_data = _mlag_of(entry.get("data"), "", []) if isinstance(entry, Mapping) else None
        if not isinstance(group_data, Mapping):
            return
        peers = []
        for host, host_entry in self.hosts_of.get(name, []):
            host_data = _mlag_of(host_entry.get("data"), "", [])
            if not isinstance(host_data, Mapping):
                return
            peers.append((host, _inherited_platform(host_entry, self.groups_read, self.default_platform), host_data))
        self.validated[name] = _Ahead(group_data, peers, MlagDomain.model_validate(_domain_input(name, group_data, peers)))


def _domain_input(name: str, group_data: Mapping[str, Any], peers: list[tuple[str, Any, Mapping[str, Any]]]) -> dict[str, Any]:
    """What ``MlagDomain`` validates for a group: its ``data.mlag`` and, for each member host
    (name, platform, ``data.mlag``), a peer."""
    return {"name": name, **group_data, "peers": [{"hostname": h, "platform": p, **d} for h, p, d in peers]}


def _ancestors(entry: Mapping[str, Any], groups: Mapping[str, Any], _path: tuple[str, ...] = ()) -> list[str]:
    """The entry's groups and theirs, depth-first and each once (Nornir's ``extended_groups``);
    a cycle of groups is followed once round (``_group_references`` reports it)."""
    out: list[str] = []
    for name in entry.get("groups") or []:
        if name in out or name in _path:
            continue
        out.append(name)
        out.extend(g for g in _ancestors(groups.get(name) or {}, groups, (*_path, name)) if g not in out)
    return out


def _inherited_platform(entry: Mapping[str, Any], groups: Mapping[str, Any], default: Any) -> Any:
    if entry.get("platform") is not None:
        return entry["platform"]
    for name in _ancestors(entry, groups):
        if (groups.get(name) or {}).get("platform") is not None:
            return groups[name]["platform"]
    return default


_ENTRY_MAPPINGS = ("data", "connection_options")
"""Keys of a host or group entry that Nornir reads as mappings."""


def _load_yaml(path: Path, jobs: int | None, on_piece: Callable[[dict[Any, Any]], None] | None = None) -> tuple[Any, list[str]]:
    import yaml

    from mlagauto import inventory_yaml

    try:
        return inventory_yaml.load(path.read_bytes().decode("utf-8"), jobs, on_piece), []
    except UnicodeDecodeError as exc:
        return None, [f"{path}: not a UTF-8 text file (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); an inventory file is YAML text"]
    except OSError as exc:
        return None, [f"{path}: cannot read: {exc.strerror or exc}"]
    except yaml.YAMLError as exc:
        return None, [f"{path}: not valid YAML: {' '.join(str(exc).split())}"]


def _group_references(hosts: Path, host_entries: Mapping[str, Any], groups: Path, group_entries: Mapping[str, Any]) -> list[str]:
    """Every group a host or group names exists in groups.yaml (Nornir would stop at the first
    unknown one with a bare ``KeyError: 'name'``), and no group is its own ancestor."""
    import difflib

    known = list(group_entries)
    out = []
    for path, kind, entries in ((hosts, "host", host_entries), (groups, "group", group_entries)):
        for name, entry in entries.items():
            for g in (entry or {}).get("groups") or []:
                if g not in known:
                    close = difflib.get_close_matches(g, known, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else f" (groups: {', '.join(map(str, known)) or 'none'})"
                    out.append(f"{path}: {kind} {name}: groups: no group {g!r} in {groups}{hint}")
    for name in group_entries:
        if name in _ancestors(group_entries.get(name) or {}, group_entries):
            out.append(f"{groups}: group {name}: groups: the group is its own ancestor")
    return out


def _file_shape(path: Path, kind: str, content: Any) -> list[str]:
    """The shape Nornir's SimpleInventory assumes without checking, checked: the file maps names
    to entries, and each entry's ``data`` / ``connection_options`` are mappings and its
    ``groups`` a list of names. Nornir (and the loader after it) would otherwise fail with an
    AttributeError that names neither the file nor the key."""
    if content is None:
        return []
    if not isinstance(content, Mapping):
        return [f"{path}: must map each {kind} name to its settings, got {_kind(content)}"]
    out = []
    for name, entry in content.items():
        where = f"{path}: {kind} {name}"
        if entry is None:
            continue
        if not isinstance(entry, Mapping):
            out.append(f"{where}: must be a mapping of settings, got {_kind(entry)}")
            continue
        out += [f"{where}: {key}: must be a mapping, got {_kind(entry[key])}" for key in _ENTRY_MAPPINGS if entry.get(key) is not None and not isinstance(entry[key], Mapping)]
        member_of = entry.get("groups")
        if member_of is not None and not (isinstance(member_of, list) and all(isinstance(g, str) for g in member_of)):
            out.append(f"{where}: groups: must be a list of group names, got {_kind(member_of)}")
    return out


def _defaults_shape(path: Path, content: Any) -> list[str]:
    """defaults.yaml is one entry: a mapping whose ``data`` / ``connection_options`` are mappings."""
    if content is None:
        return []
    if not isinstance(content, Mapping):
        return [f"{path}: must be a mapping of default settings, got {_kind(content)}"]
    return [f"{path}: {key}: must be a mapping, got {_kind(content[key])}" for key in _ENTRY_MAPPINGS if content.get(key) is not None and not isinstance(content[key], Mapping)]


def _kind(value: Any) -> str:
    """``a list``, ``int 1``: what the user wrote instead of a mapping."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (str, int, float, bool)):
        return f"{type(value).__name__} {value!r}"
    return type(value).__name__


def fabric_from_nornir(nr: Any) -> Fabric:
    """Build a Fabric from a Nornir object (or its ``inventory``), whatever plugin filled it."""
    inv = getattr(nr, "inventory", nr)
    return _from_inventory(inv, _Source("inventory hosts", "inventory groups"))


def _from_inventory(inv: Any, src: _Source) -> Fabric:
    errors: list[str] = []
    hosts = [_Host(name, h.platform, _all_groups(h), _mlag_of(h.data, f"{src.host_file}: host {name}", errors)) for name, h in inv.hosts.items()]
    groups = {name: _mlag_of(g.data, f"{src.group_file}: group {name}", errors) for name, g in inv.groups.items()}
    if errors:
        raise InventoryError(errors)
    return build_fabric(hosts, groups, src)


def _mlag_of(data: Any, where: str, errors: list[str]) -> Any:
    """``data.mlag`` of a host or group; a ``data`` that is not a mapping (an inventory plugin
    can fill it with anything) is recorded in ``errors``."""
    if data is None:
        return None
    if not isinstance(data, Mapping):
        errors.append(f"{where}: data: must be a mapping, got {_kind(data)}")
        return None
    return data.get("mlag")


def _all_groups(obj: Any) -> list[str]:
    out: list[str] = []
    for g in obj.groups:
        out.append(g.name)
        out.extend(n for n in _all_groups(g) if n not in out)
    return out


def fabric_from_dict(data: Mapping[str, Any]) -> Fabric:
    """Build a Fabric from plain data shaped like the inventory::

        {"groups": {"pair1": {"mlag": {...}}},
         "hosts": {"sw1": {"platform": "cisco_nxos", "groups": ["pair1"], "mlag": {...}}, ...}}
    """
    errors: list[str] = []
    host_data = _section(data, "hosts", errors)
    group_data = _section(data, "groups", errors)
    hosts = [_Host(name, h.get("platform"), list(h.get("groups", [])), h.get("mlag")) for name, h in host_data.items()]
    groups = {name: g.get("mlag") for name, g in group_data.items()}
    if errors:
        raise InventoryError(errors)
    return build_fabric(hosts, groups, _Source("hosts", "groups"))


def _section(data: Mapping[str, Any], key: str, errors: list[str]) -> dict[str, Mapping[str, Any]]:
    """``data[key]`` as name -> entry mapping; entries that are not mappings are recorded in
    ``errors`` and left out."""
    section = data.get(key) or {}
    if not isinstance(section, Mapping):
        errors.append(f"{key}: must map names to entries, got {_kind(section)}")
        return {}
    out: dict[str, Mapping[str, Any]] = {}
    for name, entry in section.items():
        if entry is None:
            entry = {}
        if isinstance(entry, Mapping):
            out[name] = entry
        else:
            errors.append(f"{key}: {name}: must be a mapping, got {_kind(entry)}")
    return out


def build_fabric(hosts: list[_Host], groups: Mapping[str, Any], src: _Source, ahead: Mapping[str, _Ahead] | None = None) -> Fabric:
    """The Fabric of the domain groups and their member hosts. ``ahead`` holds domains already
    validated (``_ValidateAhead``); one is taken only where its inputs are the build's own."""
    errors: list[str] = []
    members: dict[str, list[_Host]] = {g: [] for g, data in groups.items() if data is not None}
    for h in hosts:
        domain_groups = [g for g in h.groups if g in members]
        if h.mlag is None and not domain_groups:
            continue  # not an MLAG switch; inventories may hold other devices
        if not domain_groups:
            errors.append(f"{src.host_file}: host {h.name}: groups: has data.mlag but is in no group with data.mlag (the MLAG domain)")
            continue
        if len(domain_groups) > 1:
            errors.append(f"{src.host_file}: host {h.name}: groups: is in several MLAG domain groups {domain_groups}")
            continue
        members[domain_groups[0]].append(h)

    domains = []
    for gname, ghosts in members.items():
        gdata = groups[gname]
        if not isinstance(gdata, Mapping):
            errors.append(f"{src.group_file}: group {gname}: data.mlag: must be a mapping")
            continue
        done = ahead.get(gname) if ahead else None
        if done is not None and done.matches(gdata, ghosts):
            domains.append(done.domain)
            continue
        peers = []
        for h in ghosts:
            hdata = h.mlag if h.mlag is not None else {}
            if not isinstance(hdata, Mapping):
                errors.append(f"{src.host_file}: host {h.name}: data.mlag: must be a mapping")
                continue
            peers.append((h.name, h.platform, hdata))
        try:
            domains.append(MlagDomain.model_validate(_domain_input(gname, gdata, peers)))
        except ValidationError as exc:
            errors.extend(_explain(exc, gname, ghosts, src))
    if errors:
        raise InventoryError(errors)
    try:
        return Fabric(domains=domains)
    except ValidationError as exc:
        raise InventoryError(_explain(exc, None, [], src)) from None


def _explain(exc: ValidationError, group: str | None, hosts: list[_Host], src: _Source) -> list[str]:
    out = []
    for err in exc.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, IntentError):
            for p in cause.problems:
                if p.field == "peers":
                    found = ", ".join(h.name for h in hosts) or "none"
                    out.append(f"{src.group_file}: group {p.domain or group}: {p.message.replace('peers', 'hosts in the group')} ({found}); give both switches of the pair groups: [{p.domain or group}]")
                elif p.host:
                    out.append(f"{src.host_file}: host {p.host}: data.mlag.{p.field}: {p.message}")
                else:
                    out.append(f"{src.group_file}: group {p.domain or group}: data.mlag.{p.field}: {p.message}")
            continue
        loc = [part for part in err["loc"] if part not in (PER_HOST, ONE_VALUE)]
        msg = err["msg"].removeprefix("Value error, ")
        got = err.get("input")
        shown = f" (got {got!r})" if isinstance(got, (str, int, float)) and not isinstance(got, bool) else ""
        if loc[:1] == ["domains"]:
            loc = loc[2:]
        if loc[:1] == ["peers"] and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(hosts):
            host = hosts[loc[1]].name
            where = loc[2:] if loc[2:3] in (["platform"], ["hostname"]) else ["data", "mlag", *loc[2:]]
            out.append(f"{src.host_file}: host {host}: {_path(where)}: {msg}{shown}")
        else:
            out.append(f"{src.group_file}: group {group}: {_path(['data', 'mlag', *loc])}: {msg}{shown}")
    return out


def _path(loc: list[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text
