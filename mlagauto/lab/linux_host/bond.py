"""The Linux bonding driver of a simulated server, reduced to what decides an MLAG bond: from the
bond's settings and the far end of each NIC (``SwitchPort``), which aggregator each slave joins,
which one is active, every LACP state bit, printed as ``/proc/net/bonding/<bond>`` and
``ip -d -j link show`` print them.

The lab's own rules (kernel bonding documentation, IEEE 802.1AX):

* a slave whose switch port is down is MII down, speed and duplex unknown, actor key 0, one link
  failure, churned, with the default partner;
* an up slave that receives no LACPDUs (the port in no channel-group, its port-channel missing,
  static, or suspended by the switch) is *defaulted*: the all-zero default partner, which is
  individual, so the slave sits alone in its own aggregator, churned;
* slaves that hear the same partner system (priority, MAC) and key, with the same actor key,
  share one aggregator (the id of the first of them); any other partner means another aggregator;
* the active aggregator is the one with a partner over an individual one, then the most ports
  (one speed for all NICs), then the lower partner system MAC, then the lower id;
* a slave is collecting and distributing only in the active aggregator with the switch in sync.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from mlagauto.lab.serverport import SwitchPort

NO_PARTNER = "00:00:00:00:00:00"
SPEED_MBPS = 10000
SPEED_CODE = {1000: 4, 2500: 5, 5000: 6, 10000: 7, 25000: 10, 40000: 11, 100000: 14}
"""The kernel's AD_LINK_SPEED_* codes: the actor key is (code << 1) | full duplex."""
ACTOR_PRIORITY, ACTOR_PORT_PRIORITY = 65535, 255
HASH_NUMBER = {"layer2": 0, "layer3+4": 1, "layer2+3": 2, "encap2+3": 3, "encap3+4": 4}
MODE_LINE = {
    "802.3ad": "IEEE 802.3ad Dynamic link aggregation",
    "balance-xor": "load balancing (xor)",
    "balance-rr": "load balancing (round-robin)",
    "active-backup": "fault-tolerance (active-backup)",
    "balance-tlb": "transmit load balancing",
    "balance-alb": "adaptive load balancing",
    "broadcast": "fault-tolerance (broadcast)",
}
DRIVER_VERSION = "v6.8.0-45-generic"


def nic_mac(host: str, nic: str) -> str:
    """A stable, locally administered MAC per server NIC (the lab has no hardware)."""
    digest = hashlib.sha1(f"{host} {nic}".encode()).hexdigest()
    return "02:" + ":".join(digest[i : i + 2] for i in range(0, 10, 2))


def _bits(*flags: bool) -> int:
    return sum(1 << i for i, on in enumerate(flags) if on)


@dataclass
class Slave:
    name: str
    index: int
    far: SwitchPort
    mac: str
    aggregator: int = 0
    lacp: bool = False
    """LACPDUs exchanged (802.3ad, link up, the switch runs LACP on the port)."""
    actor_state: int = 0
    partner_state: int = 1
    partner: tuple[int, str, int, int, int] = (65535, NO_PARTNER, 1, 255, 1)
    """(system priority, system MAC, key, port priority, port number) of the partner."""

    @property
    def up(self) -> bool:
        return self.far.link

    @property
    def actor_key(self) -> int:
        return (SPEED_CODE[SPEED_MBPS] << 1 | 1) if self.up else 0


@dataclass
class BondSim:
    """One bond and the state its slaves settle in, computed once from the switches' state."""

    host: str
    name: str
    mode: str
    lacp_rate: str | None
    xmit_hash_policy: str | None
    miimon: int
    updelay: int
    downdelay: int
    ad_select: str
    mtu: int | None
    slaves: list[Slave] = field(default_factory=list)
    active: int | None = None

    @classmethod
    def compute(cls, host: str, bond, fars: list[SwitchPort]) -> BondSim:
        """``bond`` is the server's EffectiveBond; ``fars`` the far end of each of its NICs."""
        sim = cls(host, bond.bond, bond.mode, bond.lacp_rate, bond.xmit_hash_policy, bond.miimon, bond.updelay or 0, bond.downdelay or 0, bond.ad_select or "stable", bond.mtu)
        sim.slaves = [Slave(nic, i, far, nic_mac(host, nic)) for i, (nic, far) in enumerate(zip(bond.nics, fars), 1)]
        if sim.mode == "802.3ad":
            sim._lacp()
        else:
            up = [s for s in sim.slaves if s.up]
            sim.active = up[0].index if up else None
        return sim

    @property
    def fast(self) -> bool:
        return self.lacp_rate == "fast"

    @property
    def system_mac(self) -> str:
        return self.slaves[0].mac if self.slaves else NO_PARTNER

    def _lacp(self) -> None:
        groups: dict[tuple, list[Slave]] = {}
        for s in self.slaves:
            s.lacp = s.up and s.far.lacpdus
            if s.lacp:
                s.partner = (s.far.system_priority, s.far.system_mac, s.far.key, LACP_PORT_PRIORITY, s.far.port_number)
                groups.setdefault((s.partner[0], s.partner[1], s.partner[2], s.actor_key), []).append(s)
            else:
                s.aggregator = s.index  # individual (defaulted) or down: alone in its own aggregator
        for members in groups.values():
            for s in members:
                s.aggregator = members[0].index
        candidates = {}
        for s in self.slaves:
            if s.up:
                candidates.setdefault(s.aggregator, []).append(s)
        if candidates:

            def rank(item: tuple[int, list[Slave]]) -> tuple:
                agg, members = item
                return (not members[0].lacp, -len(members), members[0].partner[1] if members[0].lacp else "~", agg)

            self.active = min(candidates.items(), key=rank)[0]
        for s in self.slaves:
            in_active = s.up and s.aggregator == self.active
            synced = s.lacp  # attached to its aggregator: actor in sync
            distributing = in_active and s.lacp and s.far.in_sync
            s.actor_state = _bits(True, self.fast, True, synced, distributing, distributing, not s.lacp, False)
            if s.lacp:
                s.partner_state = _bits(s.far.active, s.far.fast, True, s.far.in_sync, s.far.in_sync and in_active, s.far.in_sync and in_active, False, False)
            else:
                s.partner_state = 1

    def ports_in(self, aggregator: int | None) -> list[Slave]:
        return [s for s in self.slaves if s.up and s.aggregator == aggregator]

    @property
    def mii_up(self) -> bool:
        if self.mode == "802.3ad":
            return bool(self.ports_in(self.active))
        return any(s.up for s in self.slaves)

    # --- /proc/net/bonding/<bond> -----------------------------------------------------------------
    def proc(self, privileged: bool) -> str:
        """The file as the kernel prints it; the 802.3ad system and per-slave LACPDU details only
        to a reader with CAP_NET_ADMIN (``privileged``)."""
        out = [f"Ethernet Channel Bonding Driver: {DRIVER_VERSION}", "", f"Bonding Mode: {MODE_LINE[self.mode]}"]
        if self.xmit_hash_policy and self.mode in ("802.3ad", "balance-xor", "balance-tlb", "balance-alb"):
            out.append(f"Transmit Hash Policy: {self.xmit_hash_policy} ({HASH_NUMBER.get(self.xmit_hash_policy, 0)})")
        if self.mode == "active-backup":
            out += ["Primary Slave: None", f"Currently Active Slave: {self._slave_name(self.active)}"]
        out += [
            f"MII Status: {'up' if self.mii_up else 'down'}",
            f"MII Polling Interval (ms): {self.miimon}",
            f"Up Delay (ms): {self.updelay}",
            f"Down Delay (ms): {self.downdelay}",
            "Peer Notification Delay (ms): 0",
        ]
        if self.mode == "802.3ad":
            out += ["", "802.3ad info", "LACP active: on", f"LACP rate: {self.lacp_rate or 'slow'}", "Min links: 0", f"Aggregator selection policy (ad_select): {self.ad_select}"]
            if privileged:
                out += [f"System priority: {ACTOR_PRIORITY}", f"System MAC address: {self.system_mac}"]
                if self.active is None:
                    out.append(f"bond {self.name} has no active aggregator")
                else:
                    first = self.ports_in(self.active)[0]
                    out += [
                        "Active Aggregator Info:",
                        f"\tAggregator ID: {self.active}",
                        f"\tNumber of ports: {len(self.ports_in(self.active))}",
                        f"\tActor Key: {first.actor_key}",
                        f"\tPartner Key: {first.partner[2]}",
                        f"\tPartner Mac Address: {first.partner[1]}",
                    ]
        for s in self.slaves:
            out += [
                "",
                f"Slave Interface: {s.name}",
                f"MII Status: {'up' if s.up else 'down'}",
                f"Speed: {SPEED_MBPS} Mbps" if s.up else "Speed: Unknown",
                f"Duplex: {'full' if s.up else 'Unknown'}",
                f"Link Failure Count: {0 if s.up else 1}",
                f"Permanent HW addr: {s.mac}",
                "Slave queue ID: 0",
            ]
            if self.mode != "802.3ad":
                continue
            churned = not s.lacp
            out += [
                f"Aggregator ID: {s.aggregator}",
                f"Actor Churn State: {'churned' if churned else 'none'}",
                f"Partner Churn State: {'churned' if churned else 'none'}",
                f"Actor Churned Count: {int(churned)}",
                f"Partner Churned Count: {int(churned)}",
            ]
            if privileged:
                prio, mac, key, port_prio, number = s.partner
                out += [
                    "details actor lacp pdu:",
                    f"    system priority: {ACTOR_PRIORITY}",
                    f"    system mac address: {self.system_mac}",
                    f"    port key: {s.actor_key}",
                    f"    port priority: {ACTOR_PORT_PRIORITY}",
                    f"    port number: {s.index}",
                    f"    port state: {s.actor_state}",
                    "details partner lacp pdu:",
                    f"    system priority: {prio}",
                    f"    system mac address: {mac}",
                    f"    oper key: {key}",
                    f"    port priority: {port_prio}",
                    f"    port number: {number}",
                    f"    port state: {s.partner_state}",
                ]
        return "\n".join(out) + "\n"

    def _slave_name(self, index: int | None) -> str:
        return next((s.name for s in self.slaves if s.index == index), "None")

    # --- ip -d -j link show -------------------------------------------------------------------------
    def links(self, first_index: int) -> list[dict]:
        """The bond's NICs and the bond itself as ``ip -d -j link show`` entries."""
        mtu = self.mtu or 1500
        entries = []
        for offset, s in enumerate(self.slaves):
            flags = ["BROADCAST", "MULTICAST", "SLAVE", "UP"] + (["LOWER_UP"] if s.up else [])
            data: dict = {"state": "ACTIVE" if self._active_slave(s) else "BACKUP", "mii_status": "UP" if s.up else "DOWN", "link_failure_count": 0 if s.up else 1, "perm_hwaddr": s.mac, "queue_id": 0, "prio": 0}
            if self.mode == "802.3ad":
                data.update({"ad_aggregator_id": s.aggregator, "ad_actor_oper_port_state": s.actor_state, "ad_actor_oper_port_state_str": _state_words(s.actor_state), "ad_partner_oper_port_state": s.partner_state, "ad_partner_oper_port_state_str": _state_words(s.partner_state)})
            entries.append({
                "ifindex": first_index + offset, "ifname": s.name, "flags": flags, "mtu": mtu, "qdisc": "mq", "master": self.name,
                "operstate": "UP" if s.up else "DOWN", "linkmode": "DEFAULT", "group": "default", "txqlen": 1000, "link_type": "ether",
                "address": self.system_mac, "broadcast": "ff:ff:ff:ff:ff:ff", "promiscuity": 0, "allmulti": 0, "min_mtu": 68, "max_mtu": 9702,
                "linkinfo": {"info_slave_kind": "bond", "info_slave_data": data},
            })
        info: dict = {
            "mode": self.mode, "miimon": self.miimon, "peer_notify_delay": 0, "updelay": self.updelay, "downdelay": self.downdelay, "use_carrier": 1,
            "arp_interval": 0, "arp_missed_max": 2, "arp_validate": None, "arp_all_targets": "any", "primary_reselect": "always", "fail_over_mac": "none",
            "xmit_hash_policy": self.xmit_hash_policy or "layer2", "resend_igmp": 1, "num_peer_notif": 1, "all_slaves_active": 0, "min_links": 0,
            "lp_interval": 1, "packets_per_slave": 1,
        }
        if self.mode == "802.3ad":
            info.update({"ad_lacp_active": "on", "ad_lacp_rate": self.lacp_rate or "slow", "ad_select": self.ad_select})
            if self.active is not None:
                first = self.ports_in(self.active)[0]
                info["ad_info"] = {"aggregator": self.active, "num_ports": len(self.ports_in(self.active)), "actor_key": first.actor_key, "partner_key": first.partner[2], "partner_mac": first.partner[1]}
            info.update({"ad_actor_sys_prio": ACTOR_PRIORITY, "ad_user_port_key": 0, "ad_actor_system": NO_PARTNER, "tlb_dynamic_lb": 1})
        entries.append({
            "ifindex": first_index + len(self.slaves), "ifname": self.name, "flags": ["BROADCAST", "MULTICAST", "MASTER", "UP"] + (["LOWER_UP"] if self.mii_up else []),
            "mtu": mtu, "qdisc": "noqueue", "operstate": "UP" if self.mii_up else "DOWN", "linkmode": "DEFAULT", "group": "default", "txqlen": 1000,
            "link_type": "ether", "address": self.system_mac, "broadcast": "ff:ff:ff:ff:ff:ff", "promiscuity": 0, "allmulti": 0, "min_mtu": 68, "max_mtu": 65535,
            "linkinfo": {"info_kind": "bond", "info_data": info},
        })
        return entries

    def _active_slave(self, s: Slave) -> bool:
        if self.mode == "802.3ad":
            return s.up and s.aggregator == self.active
        if self.mode == "active-backup":
            return s.index == self.active
        return s.up


LACP_PORT_PRIORITY = 32768
"""The port priority a switch sends (its default)."""

_STATE_WORDS = ("active", "short_timeout", "aggregating", "in_sync", "collecting", "distributing", "defaulted", "expired")


def _state_words(value: int) -> list[str]:
    return [w for i, w in enumerate(_STATE_WORDS) if value >> i & 1]


LOOPBACK = {
    "ifindex": 1, "ifname": "lo", "flags": ["LOOPBACK", "UP", "LOWER_UP"], "mtu": 65536, "qdisc": "noqueue", "operstate": "UNKNOWN",
    "linkmode": "DEFAULT", "group": "default", "txqlen": 1000, "link_type": "loopback", "address": NO_PARTNER, "broadcast": NO_PARTNER,
    "promiscuity": 0, "allmulti": 0, "min_mtu": 0, "max_mtu": 0,
}


def ip_link_json(bonds: list[BondSim]) -> str:
    """``ip -d -j link show``: loopback, then each bond's NICs and the bond (one line, as ip prints)."""
    entries = [dict(LOOPBACK)]
    for bond in bonds:
        entries += bond.links(len(entries) + 1)
    return json.dumps(entries, separators=(",", ":"))
