"""Generated workloads for the benchmarks: fabrics of N pairs per platform, configs of a given
size, the EOS leaf pair given to both mlagauto and pyavd, and the plain-Python tree baselines.

Every pair is its own validated ``MlagDomain`` (no objects shared between pairs), so timings and
memory are those of a real inventory of that size.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlagauto.drivers import get_driver  # noqa: E402
from mlagauto.model import MlagDomain  # noqa: E402
from mlagauto.model.intent import Fabric  # noqa: E402

MEMBER = {
    "cisco_nxos": "Ethernet{}/{}",
    "arista_eos": "Ethernet{}/{}",
    "juniper_junos": "xe-{}/0/{}",
    "huawei_vrpv8": "10GE{}/0/{}",
}
PLATFORMS = tuple(MEMBER)
LAGS, VLANS = 48, 500
"""The fabric benchmarks' pair: 48 dual-homed LAGs and 500 VLANs."""


def _chunk(vlan_ids: list[int], k: int) -> list[int]:
    """The 20 VLANs of LAG ``k``: a window sliding over the pair's VLANs."""
    return vlan_ids[(k * 7) % max(1, len(vlan_ids) - 20) :][:20]


def domain_data(platform: str, lags: int, vlans: int, index: int = 0) -> dict[str, Any]:
    """Inventory data of pair ``index``: ``lags`` dual-homed LAGs with two members each, 20 VLANs
    per LAG, and ``vlans`` named VLANs. Pairs differ in name, hostnames and domain id."""
    vlan_ids = list(range(100, 100 + vlans))
    member = MEMBER[platform]
    interfaces = []
    for k in range(lags):
        slot, port = divmod(k * 2, 48)
        interfaces.append(
            {
                "mlag_id": k + 1,
                "port_channel": k + 2,
                "members": [member.format(slot + 1, port + 1), member.format(slot + 1, port + 2)],
                "vlans": _chunk(vlan_ids, k),
                "description": f"server{k} bond",
                "lacp_rate": "fast",
                "mtu": 9000,
            }
        )
    peers = []
    for n, (src, dst) in enumerate((("192.0.2.1", "192.0.2.2"), ("192.0.2.2", "192.0.2.1"))):
        peer: dict[str, Any] = {
            "hostname": f"p{index}-leaf{n}",
            "platform": platform,
            "keepalive": {"source": src, "destination": dst},
            "peer_link": {"port_channel": 1, "members": [member.format(99, 1), member.format(99, 2)]},
        }
        if get_driver(platform).uses_peer_vlan:
            peer["peer_address"] = f"10.255.0.{n}/31"
        peers.append(peer)
    data: dict[str, Any] = {
        "name": f"pair{index}",
        "domain_id": 1 if platform == "huawei_vrpv8" else index % 1000 + 1,
        "peers": peers,
        "mlag_interfaces": interfaces,
        "vlans": [{"id": v, "name": f"V{v}"} for v in vlan_ids],
    }
    if platform == "huawei_vrpv8":
        data["authentication"] = {"password": "Bench_Key_01"}
    return data


def fabric(platform_pairs: dict[str, int], lags: int = LAGS, vlans: int | dict[str, int] = VLANS, lags_of: dict[str, int] | None = None) -> Fabric:
    """A fabric with ``platform_pairs[p]`` pairs of each platform ``p``; ``lags_of`` overrides
    the LAG count per platform (sized configs), ``vlans`` may too."""
    domains: list[MlagDomain] = []
    for platform, pairs in platform_pairs.items():
        n_lags = (lags_of or {}).get(platform, lags)
        n_vlans = vlans[platform] if isinstance(vlans, dict) else vlans
        domains += [MlagDomain.model_validate(domain_data(platform, n_lags, n_vlans, len(domains) + k)) for k in range(pairs)]
    return Fabric(domains=domains)


def write_inventory(directory: Path, platform_pairs: dict[str, int], lags: int = LAGS, vlans: int = VLANS) -> Path:
    """The fabric of ``fabric(platform_pairs, lags, vlans)`` as a user keeps it: a Nornir
    SimpleInventory directory of real YAML files (a group per pair with the shared ``data.mlag``,
    each switch in hosts.yaml with its own side), for timing the CLI on what a user runs."""
    import yaml

    from mlagauto.model.vlans import format_vlan_list

    groups: dict[str, Any] = {}
    hosts: dict[str, Any] = {}
    index = 0
    for platform, pairs in platform_pairs.items():
        for _ in range(pairs):
            data = domain_data(platform, lags, vlans, index)
            index += 1
            for itf in data["mlag_interfaces"]:
                itf["vlans"] = format_vlan_list(itf["vlans"])  # "100-119", as people write a trunk's VLANs
            peers, name = data.pop("peers"), data.pop("name")
            groups[name] = {"data": {"mlag": data}}
            for peer in peers:
                hostname, peer_platform = peer.pop("hostname"), peer.pop("platform")
                hosts[hostname] = {"platform": peer_platform, "groups": [name], "data": {"mlag": peer}}
    directory.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    (directory / "groups.yaml").write_text(yaml.dump(groups, Dumper=dumper, sort_keys=False))
    (directory / "hosts.yaml").write_text(yaml.dump(hosts, Dumper=dumper, sort_keys=False))
    return directory


def lags_for_lines(platform: str, target_lines: int) -> int:
    """The LAG count whose render (with three VLANs per LAG) has about ``target_lines`` lines."""
    lags = 16
    driver = get_driver(platform)
    while True:
        text = driver.render(MlagDomain.model_validate(domain_data(platform, lags, vlans_for(lags))), "p0-leaf0")
        lines = text.count("\n")
        if lines >= target_lines or lags > 4000:
            return lags
        lags = int(lags * max(1.1, target_lines / max(1, lines)))


def vlans_for(lags: int) -> int:
    """VLANs of a sized pair: three per LAG (at most 3000)."""
    return min(3000, lags * 3)


def sized_pair(platform: str, target_lines: int) -> tuple[str, str]:
    """The rendered running configs of both peers of a pair of about ``target_lines`` lines."""
    lags = lags_for_lines(platform, target_lines)
    domain = MlagDomain.model_validate(domain_data(platform, lags, vlans_for(lags)))
    driver = get_driver(platform)
    return driver.render(domain, "p0-leaf0"), driver.render(domain, "p0-leaf1")


# --- the plain-Python baselines --------------------------------------------------------------------
def baseline_indented(text: str) -> list:
    """An indentation tree in plain Python: what any parser of NX-OS, EOS or VRP has to do."""
    root: list = []
    stack = [(-1, root)]
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in "!#":
            continue
        indent = len(line) - len(line.lstrip())
        while stack[-1][0] >= indent:
            stack.pop()
        children: list = []
        stack[-1][1].append((s, children))
        stack.append((indent, children))
    return root


def baseline_braces(text: str) -> list:
    """A curly-brace tree in plain Python: what any parser of a Junos configuration has to do."""
    root: list = []
    stack = [root]
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] == "#":
            continue
        if s.endswith("{"):
            children: list = []
            stack[-1].append((s[:-1].strip(), children))
            stack.append(children)
        elif s == "}":
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].append((s.rstrip(";"), []))
    return root


def baseline_for(platform: str):
    return baseline_braces if platform == "juniper_junos" else baseline_indented


# --- the EOS leaf pair given to mlagauto and to pyavd ------------------------------------------------
HOSTS = ("leaf0", "leaf1")
MGMT = {"leaf0": "192.0.2.1", "leaf1": "192.0.2.2"}


def _servers(lags: int, vlans: int) -> list[tuple[str, list[str], list[int]]]:
    """``(name, member ports, VLANs)`` of each dual-homed server."""
    vlan_ids = list(range(100, 100 + vlans))
    out = []
    for k in range(lags):
        slot, port = divmod(k * 2, 48)
        out.append((f"server{k}", [f"Ethernet{slot + 1}/{port + 1}", f"Ethernet{slot + 1}/{port + 2}"], _chunk(vlan_ids, k)))
    return out


def eos_leaf_pair(lags: int = LAGS, vlans: int = VLANS) -> dict[str, Any]:
    """The mlagauto intent of an EOS MLAG leaf pair as pyavd's l2leaf design builds it: peer-link
    Port-Channel1 on Ethernet99/1-2, peer VLAN 4094 (``MLAG``) with a /31 from 10.255.0.0/24, the
    heartbeat over Management1 in VRF MGMT, port-channel number = MLAG id, MSTP, reload delays
    300/330 s (pyavd's defaults for a physical platform), the peer-link described as pyavd does."""
    return {
        "name": "bench",
        "domain_id": 1,
        "peers": [
            {
                "hostname": host,
                "platform": "arista_eos",
                "keepalive": {"source": MGMT[host], "destination": MGMT[other], "vrf": "MGMT", "interface": "Management1", "prefix_length": 24},
                "peer_link": {"port_channel": 1, "members": ["Ethernet99/1", "Ethernet99/2"], "description": f"MLAG_{other}_Port-Channel1"},
                "peer_address": f"10.255.0.{n}/31",
            }
            for n, (host, other) in enumerate(zip(HOSTS, reversed(HOSTS)))
        ],
        "vlans": [{"id": v, "name": f"V{v}"} for v in range(100, 100 + vlans)] + [{"id": 4094, "name": "MLAG"}],
        "mlag_interfaces": [
            {"mlag_id": k + 2, "port_channel": k + 2, "members": ports, "vlans": chunk, "description": f"{name} bond", "lacp_rate": "fast", "mtu": 9000}
            for k, (name, ports, chunk) in enumerate(_servers(lags, vlans))
        ],
        "stp": {"mode": "mstp"},
        "timers": {"restore_delay": 300, "non_mlag_restore_delay": 330},
    }


def avd_inputs(lags: int = LAGS, vlans: int = VLANS) -> dict[str, dict[str, Any]]:
    """The same leaf pair as pyavd (eos_designs) inputs, one dict per host."""
    servers = [
        {
            "name": name,
            "adapters": [
                {
                    "switches": [HOSTS[0], HOSTS[0], HOSTS[1], HOSTS[1]],
                    "switch_ports": ports + ports,
                    "endpoint_ports": ["eth0", "eth1", "eth2", "eth3"],
                    "mode": "trunk",
                    "vlans": f"{chunk[0]}-{chunk[-1]}",
                    "mtu": 9000,
                    "description": f"{name} bond",
                    "port_channel": {"mode": "active", "channel_id": k + 2, "description": f"{name} bond", "lacp_timer": {"mode": "fast"}},
                }
            ],
        }
        for k, (name, ports, chunk) in enumerate(_servers(lags, vlans))
    ]
    common = {
        "fabric_name": "BENCH",
        "l2leaf": {
            "defaults": {
                "mlag_interfaces": ["Ethernet99/1", "Ethernet99/2"],
                "mlag_port_channel_id": 1,
                "mlag_peer_ipv4_pool": "10.255.0.0/24",
                "mlag_dual_primary_detection": True,
                "spanning_tree_mode": "mstp",
            },
            "node_groups": [{"group": "bench", "nodes": [{"name": h, "id": n + 1, "mgmt_ip": f"{MGMT[h]}/24"} for n, h in enumerate(HOSTS)]}],
        },
        "tenants": [{"name": "BENCH", "l2vlans": [{"id": v, "name": f"V{v}"} for v in range(100, 100 + vlans)]}],
        "servers": servers,
    }
    return {h: {**common, "type": "l2leaf"} for h in HOSTS}
