"""Juniper Junos MC-LAG with ICCP."""

from __future__ import annotations

import re

from mlagauto.drivers.base import MlagDriver
from mlagauto.model.peer_config import PeerConfig


class JunosDriver(MlagDriver):
    platform = "juniper_junos"
    netmiko_device_type = "juniper_junos"
    napalm_driver = "junos"
    commit_style = "candidate"
    variants = ("curly", "set")
    domain_id_range = (1, 4294967294)
    mlag_id_range = (1, 65535)
    port_channel_range = (0, 1023)
    interface_pattern = re.compile(r"(ge|xe|et|mge)-\d+/\d+/\d+(:\d+)?")
    description_max = 900
    uses_peer_vlan = True

    def lag_name(self, number: int) -> str:
        return f"ae{number}"

    def parse_config(self, text: str, hostname: str | None = None) -> PeerConfig:
        raise NotImplementedError

    @classmethod
    def detect(cls, text: str) -> int:
        return 0
