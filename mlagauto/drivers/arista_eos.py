"""Arista EOS MLAG."""

from __future__ import annotations

import re

from mlagauto.drivers.base import MlagDriver
from mlagauto.model.peer_config import PeerConfig


class EosDriver(MlagDriver):
    platform = "arista_eos"
    netmiko_device_type = "arista_eos"
    napalm_driver = "eos"
    commit_style = "session"
    domain_id_range = (1, 65535)
    mlag_id_range = (1, 2000)
    port_channel_range = (1, 2000)
    interface_pattern = re.compile(r"Ethernet\d+(/\d+){0,2}")
    description_max = 240
    uses_peer_vlan = True

    def lag_name(self, number: int) -> str:
        return f"Port-Channel{number}"

    def parse_config(self, text: str, hostname: str | None = None) -> PeerConfig:
        raise NotImplementedError

    @classmethod
    def detect(cls, text: str) -> int:
        return 0
