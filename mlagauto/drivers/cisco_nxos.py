"""Cisco NX-OS vPC."""

from __future__ import annotations

import re

from mlagauto.drivers.base import MlagDriver
from mlagauto.model.peer_config import PeerConfig


class NxosDriver(MlagDriver):
    platform = "cisco_nxos"
    netmiko_device_type = "cisco_nxos"
    napalm_driver = "nxos_ssh"
    commit_style = "checkpoint"
    domain_id_range = (1, 1000)
    mlag_id_range = (1, 4096)
    port_channel_range = (1, 4096)
    role_priority_range = (1, 65535)
    interface_pattern = re.compile(r"Ethernet\d+/\d+(/\d+)?")
    description_max = 254

    def lag_name(self, number: int) -> str:
        return f"port-channel{number}"

    def parse_config(self, text: str, hostname: str | None = None) -> PeerConfig:
        raise NotImplementedError

    @classmethod
    def detect(cls, text: str) -> int:
        return 0
