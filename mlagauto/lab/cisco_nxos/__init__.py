"""Cisco NX-OS (Nexus 9000, NX-OS 9.3) for the lab: the SSH CLI that netmiko ``cisco_nxos`` and
napalm ``nxos_ssh`` drive, with vPC state computed from the pair's two running configs."""

from mlagauto.lab.cisco_nxos.device import NxosDevice

__all__ = ["NxosDevice"]
