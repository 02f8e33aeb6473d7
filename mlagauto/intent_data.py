"""The intent as plain nested data, and that data as a Nornir SimpleInventory.

The import and the migration both edit an intent as a dict before it is a ``MlagDomain``: they
try a value, build, and read the problems the model and the driver find, each located by a path
into the data. They both end by writing the pair's ``data.mlag`` into an inventory, merged with
ruamel round-trip so that an existing inventory keeps its comments, order and other keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from mlagauto.model.intent import MlagDomain
from mlagauto.model.problems import IntentError
from mlagauto.model.types import ONE_VALUE, PER_HOST
from mlagauto.model.vlans import format_vlan_list

DataPath = tuple[Any, ...]
"""A path into intent data: keys and list indexes (``("peers", 0, "keepalive", "vrf")``)."""

# --- paths --------------------------------------------------------------------------------------
def get_path(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def has_path(data: Any, path: DataPath) -> bool:
    try:
        get_path(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def set_path(data: Any, path: DataPath, value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {}) if isinstance(data, dict) else data[part]
    data[path[-1]] = value


def delete_path(data: Any, path: DataPath) -> None:
    parent = get_path(data, path[:-1])
    del parent[path[-1]]
    if isinstance(parent, dict) and not parent and len(path) > 1 and isinstance(path[-2], str):
        delete_path(data, path[:-1])  # an emptied sub-mapping (``timers: {}``) goes too


def dotted(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


# --- building, with located problems -------------------------------------------------------------
@dataclass
class DataProblem:
    path: DataPath | None
    message: str


def _problem_path(data: dict[str, Any], field_name: str, host: str | None) -> DataPath | None:
    parts: list[Any] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field_name):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    if host is not None:
        index = next((k for k, p in enumerate(data["peers"]) if p["hostname"] == host), None)
        if index is None:
            return None
        parts = ["peers", index, *parts]
    return tuple(parts)


def build_domain(data: dict[str, Any]) -> tuple[MlagDomain | None, list[DataProblem]]:
    try:
        return MlagDomain.model_validate(data), []
    except ValidationError as exc:
        problems: list[DataProblem] = []
        for err in exc.errors():
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, IntentError):
                problems += [DataProblem(_problem_path(data, p.field, p.host), p.message) for p in cause.problems]
            else:
                loc = tuple(part for part in err["loc"] if part not in (PER_HOST, ONE_VALUE))
                problems.append(DataProblem(loc, err["msg"].removeprefix("Value error, ")))
        return None, problems


def label(data: dict[str, Any], path: DataPath) -> DataPath:
    """A path with list indexes of LAGs and VLANs replaced by their ids, for people."""
    if path[:1] == ("mlag_interfaces",) and len(path) > 1:
        return (f"mlag_interfaces[{data['mlag_interfaces'][path[1]]['mlag_id']}]", *path[2:])
    if path[:1] == ("vlans",) and len(path) > 1:
        return (f"vlans[{data['vlans'][path[1]]['id']}]", *path[2:])
    if path[:1] == ("peers",):
        return path[2:]
    return path




REQUIRED_KEYS = {"name", "domain_id", "peers", "hostname", "platform", "keepalive", "source", "destination", "peer_link", "port_channel", "members", "mlag_id", "id", "password"}
"""Intent keys without a default: a value the model refuses there cannot simply be left out."""


# --- inventory data -----------------------------------------------------------------------------
_GROUP_ORDER = ["domain_id", "domain_name", "system", "timers", "stp", "peer_vlan", "peer_gateway", "peer_switch", "service_id", "authentication", "vlans", "mlag_interfaces"]
_HOST_ORDER = ["role", "role_priority", "keepalive", "peer_address", "peer_link", "chassis_id", "variant"]
_LAG_ORDER = ["mlag_id", "port_channel", "description", "members", "mode", "vlans", "native_vlan", "lacp_mode", "lacp_rate", "mtu", "min_links", "lacp_fallback", "lacp_fallback_timeout", "admin_key"]


def _ordered(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    return {k: data[k] for k in [*order, *sorted(set(data) - set(order))] if k in data}


def inventory_data(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """An intent as inventory ``data.mlag``: the group's (shared) and each host's (its side)."""
    group = {k: v for k, v in data.items() if k not in ("name", "peers")}
    group["mlag_interfaces"] = [_lag_data(lag) for lag in group.get("mlag_interfaces", [])]
    group["vlans"] = sorted(group.get("vlans", []), key=lambda v: v["id"])
    group = {k: v for k, v in group.items() if v != []}
    hosts = {}
    for peer in data["peers"]:
        hosts[peer["hostname"]] = _ordered({k: v for k, v in peer.items() if k not in ("hostname", "platform")}, _HOST_ORDER)
    return _ordered(group, _GROUP_ORDER), hosts


def _lag_data(lag: dict[str, Any]) -> dict[str, Any]:
    """A LAG as the example inventory writes it: a trunk's VLANs as a quoted range string."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    out = dict(lag)
    if out.get("mode", "trunk") == "trunk":
        out["vlans"] = DoubleQuotedScalarString(format_vlan_list(out["vlans"]))
    return _ordered(out, _LAG_ORDER)


# --- writing the inventory --------------------------------------------------------------------------
PRESERVED_LAG = ("host",)
"""Keys of an existing MLAG interface that are kept when the pair is written over it: the server
behind the LAG, which neither a running config nor another platform's pair says anything about."""


class InventoryPair(Protocol):
    """One pair as the writer needs it (``ImportResult``, ``Migration``)."""

    group: str
    platform: str | None
    hosts: list[str]
    group_data: dict[str, Any]
    host_data: dict[str, dict[str, Any]]


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _styled(value: Any) -> Any:
    """Plain data as ruamel nodes in the example inventory's style: mappings and lists of
    scalars in flow style (``keepalive: {source: ..., destination: ...}``), the rest in blocks."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap((k, _styled(v)) for k, v in value.items())
        if value and all(not isinstance(v, (dict, list)) or (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v)) for v in value.values()) and len(value) <= 4:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq(_styled(v) for v in value)
        if all(not isinstance(v, (dict, list)) for v in value):
            node.fa.set_flow_style()
        return node
    return value


def _sync(node: Any, new: Any, preserved: tuple[tuple[str, ...], ...] = (), keyed: dict[str, str] | None = None) -> Any:
    """``new`` written over the round-trip ``node`` in place where both are mappings (so the
    comments and order of keys that stay are kept); keys of ``node`` absent from ``new`` go,
    except the ``preserved`` paths. Lists of mappings named in ``keyed`` (``mlag_interfaces`` by
    ``mlag_id``) are synced item by item, so an item's comments and preserved keys survive."""
    from ruamel.yaml.comments import CommentedMap

    keyed = keyed or {}
    if not isinstance(node, CommentedMap) or not isinstance(new, dict):
        return _styled(new)
    keep = {p[0] for p in preserved if len(p) == 1}
    for k in [k for k in node if k not in new and k not in keep]:
        del node[k]
    for k, v in new.items():
        sub = tuple(p[1:] for p in preserved if len(p) > 1 and p[0] == k)
        if k in node and k in keyed and isinstance(v, list):
            node[k] = _sync_list(node[k], v, keyed[k])
        elif k in node:
            node[k] = _sync(node[k], v, sub)
        else:
            node[k] = _styled(v)
    return node


def _sync_list(node: Any, new: list[Any], key: str) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    if not isinstance(node, CommentedSeq):
        return _styled(new)
    old = {item.get(key): item for item in node if isinstance(item, dict)}
    items = []
    for item in new:
        existing = old.get(item.get(key))
        preserved = tuple((k,) for k in PRESERVED_LAG) if key == "mlag_id" else ()
        items.append(_sync(existing, item, preserved) if existing is not None else _styled(item))
    node.clear()
    node.extend(items)
    return node


def _load_rt(path: Path) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not path.is_file():
        return CommentedMap()
    loaded = _yaml().load(path.read_text(encoding="utf-8"))
    return loaded if loaded is not None else CommentedMap()


def _dump_rt(path: Path, doc: Any) -> None:
    import io

    yaml = _yaml()
    yaml.explicit_start = True
    out = io.StringIO()
    yaml.dump(doc, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def write_inventory(pairs: Iterable[InventoryPair], directory: str | Path, preserved_host: tuple[tuple[str, ...], ...] = ()) -> list[Path]:
    """Merge the pairs into the SimpleInventory at ``directory`` (created if missing): each
    pair's group in groups.yaml, its hosts in hosts.yaml, in the ``data.mlag`` convention.
    Everything else in the files (other hosts and groups, other keys of these, comments, key
    order) is left as it is, and so are the ``preserved_host`` keys of a host's existing
    ``data.mlag``. Returns the files written."""
    from ruamel.yaml.comments import CommentedMap

    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    hosts_file, groups_file = root / "hosts.yaml", root / "groups.yaml"
    hosts, groups = _load_rt(hosts_file), _load_rt(groups_file)
    for r in pairs:
        group = groups.setdefault(r.group, CommentedMap())
        if group is None:
            group = groups[r.group] = CommentedMap()
        data = group.setdefault("data", CommentedMap())
        data["mlag"] = _sync(data.get("mlag"), r.group_data, keyed={"mlag_interfaces": "mlag_id", "vlans": "id"})
        for host in r.hosts:
            entry = hosts.get(host)
            if entry is None:
                entry = hosts[host] = CommentedMap()
            entry["platform"] = r.platform
            member_of = entry.get("groups")
            if member_of is None:
                entry["groups"] = _styled([r.group])
            elif r.group not in member_of:
                member_of.append(r.group)
            hdata = entry.setdefault("data", CommentedMap())
            hdata["mlag"] = _sync(hdata.get("mlag"), r.host_data[host], preserved_host)
    _dump_rt(groups_file, groups)
    _dump_rt(hosts_file, hosts)
    return [groups_file, hosts_file]

