"""Huawei CloudEngine VRP V8 M-LAG."""

from __future__ import annotations

import re

from mlagauto.drivers.base import MlagDriver
from mlagauto.model.peer_config import PeerConfig


class VrpV8Driver(MlagDriver):
    platform = "huawei_vrpv8"
    netmiko_device_type = "huawei_vrpv8"
    napalm_driver = None
    commit_style = "two-stage"
    variants = ("v300", "v200")
    domain_id_range = (1, 1)
    mlag_id_range = (1, 2048)
    port_channel_range = (0, 1023)
    role_priority_range = (1, 254)
    interface_pattern = re.compile(r"(GE|10GE|25GE|40GE|100GE|200GE|400GE)\d+/\d+/\d+(:\d+)?")
    description_max = 242

    def lag_name(self, number: int) -> str:
        return f"Eth-Trunk{number}"

    def parse_config(self, text: str, hostname: str | None = None) -> PeerConfig:
        raise NotImplementedError

    @classmethod
    def detect(cls, text: str) -> int:
        return 0
